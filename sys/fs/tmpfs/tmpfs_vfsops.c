/*
 * tmpfs: mounting, unmounting and statfs (struct vfsops).
 *
 * Options (tmpfs(5)): size=N with a k, m, g or % suffix (default: half
 * of RAM), nr_inodes=N (default: half of RAM in pages), mode=OCTAL,
 * uid=N and gid=N for the root directory (default 1777, root).
 */
#include <sys/abi/stat.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/vm_phys.h>
#include <sys/vnode.h>

#include "tmpfs.h"

/* A decimal (or, with base 8, octal) number at *s; advances *s. */
static int
tmpfs_parse_num(const char **s, unsigned int base, uint64_t *v)
{
	const char *p = *s;
	uint64_t n = 0;

	if (*p < '0' || *p > (base == 8 ? '7' : '9'))
		return -EINVAL;
	while (*p >= '0' && *p <= (base == 8 ? '7' : '9')) {
		if (n > (~0ULL - 9) / base)
			return -EINVAL;
		n = n * base + (uint64_t)(*p++ - '0');
	}
	*s = p;
	*v = n;
	return 0;
}

/* One option name=value into tm and the root's attributes. */
static int
tmpfs_option(struct tmpfs_mount *tm, struct vattr *root, const char *opt,
    size_t len)
{
	char buf[64];
	const char *val, *p;
	uint64_t v, ram = vm_phys_total_pages();
	int error;

	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, opt, len);
	buf[len] = '\0';
	if ((val = strchr(buf, '=')) == NULL)
		return -EINVAL;
	p = ++val;
	if (strncmp(buf, "mode=", 5) == 0) {
		if ((error = tmpfs_parse_num(&p, 8, &v)) < 0 || *p != '\0' ||
		    v > 07777)
			return -EINVAL;
		root->va_mode = (uint32_t)v;
		return 0;
	}
	if ((error = tmpfs_parse_num(&p, 10, &v)) < 0)
		return error;
	if (strncmp(buf, "uid=", 4) == 0 && *p == '\0' && v < 0xffffffffU) {
		root->va_uid = (uint32_t)v;
	} else if (strncmp(buf, "gid=", 4) == 0 && *p == '\0' &&
	    v < 0xffffffffU) {
		root->va_gid = (uint32_t)v;
	} else if (strncmp(buf, "nr_inodes=", 10) == 0 && *p == '\0') {
		tm->tm_maxnodes = v != 0 ? v : ~0ULL;
	} else if (strncmp(buf, "size=", 5) == 0) {
		switch (*p) {
		case '\0':		v = (v + PAGE_SIZE - 1) / PAGE_SIZE; break;
		case 'k': case 'K':	v = (v * 1024 + PAGE_SIZE - 1) /
					    PAGE_SIZE; p++; break;
		case 'm': case 'M':	v <<= 20 - PAGE_SHIFT; p++; break;
		case 'g': case 'G':	v <<= 30 - PAGE_SHIFT; p++; break;
		case '%':		v = ram * v / 100; p++; break;
		default:		return -EINVAL;
		}
		if (*p != '\0')
			return -EINVAL;
		tm->tm_maxpages = v != 0 ? v : ~0ULL;
	} else {
		return -EINVAL;
	}
	return 0;
}

/* Parse the comma-separated option string data (may be NULL). */
static int
tmpfs_options(struct tmpfs_mount *tm, struct vattr *root, const char *data)
{
	const char *p = data, *end;
	int error;

	while (p != NULL && *p != '\0') {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		if (end > p && (error = tmpfs_option(tm, root, p,
		    (size_t)(end - p))) < 0) {
			klog("tmpfs", "bad mount option \"%.*s\"",
			    (int)(end - p), p);
			return error;
		}
		p = *end == ',' ? end + 1 : end;
	}
	return 0;
}

static int
tmpfs_mount(struct mount *mp, const char *source, const char *data)
{
	struct tmpfs_mount *tm;
	struct tmpfs_node *root;
	struct vattr va;
	int error;

	(void)source;
	if ((tm = kmalloc(sizeof(*tm), M_ZERO)) == NULL)
		return -ENOMEM;
	mtx_init(&tm->tm_lock, "tmpfs");
	tm->tm_maxpages = vm_phys_total_pages() / 2;
	tm->tm_maxnodes = vm_phys_total_pages() / 2;
	tm->tm_nextino = 1;
	memset(&va, 0, sizeof(va));
	va.va_type = VDIR;
	va.va_mode = 01777;
	if ((error = tmpfs_options(tm, &va, data)) < 0) {
		kfree(tm);
		return error;
	}
	mp->mnt_data = tm;
	mtx_lock(&tm->tm_lock);
	error = tmpfs_node_alloc(mp, &va, &root);
	mtx_unlock(&tm->tm_lock);
	if (error < 0) {
		kfree(tm);
		return error;
	}
	root->tn_nlink = 2;
	root->tn_parent = root;
	tm->tm_root = root;
	mp->mnt_root = root->tn_vnode;	/* the mount's reference */
	return 0;
}

/* Free every node and entry: nobody uses the mount any more. */
static void
tmpfs_unmount(struct mount *mp)
{
	struct tmpfs_mount *tm = mp->mnt_data;
	struct tmpfs_dirent *de;
	struct tmpfs_node *n;

	mtx_lock(&tm->tm_lock);
	while ((n = tm->tm_nodes) != NULL) {
		while ((de = n->tn_dirents) != NULL) {
			n->tn_dirents = de->td_next;
			kfree(de);
		}
		KASSERT(n->tn_vnode->v_refs == 0, "tmpfs_unmount: in use");
		tmpfs_node_free(tm, n);
	}
	mtx_unlock(&tm->tm_lock);
	kfree(tm);
}

static int
tmpfs_statfs(struct mount *mp, struct l_statfs *sf)
{
	struct tmpfs_mount *tm = mp->mnt_data;

	mtx_lock(&tm->tm_lock);
	sf->f_type = TMPFS_MAGIC;
	sf->f_bsize = PAGE_SIZE;
	sf->f_frsize = PAGE_SIZE;
	sf->f_blocks = (int64_t)tm->tm_maxpages;
	sf->f_bfree = sf->f_bavail = (int64_t)(tm->tm_maxpages -
	    tm->tm_pages);
	sf->f_files = (int64_t)tm->tm_maxnodes;
	sf->f_ffree = (int64_t)(tm->tm_maxnodes - tm->tm_nnodes);
	sf->f_namelen = NAME_MAX;
	mtx_unlock(&tm->tm_lock);
	return 0;
}

const struct vfsops tmpfs_vfsops = {
	.vfs_name = "tmpfs",
	.vfs_mount = tmpfs_mount,
	.vfs_unmount = tmpfs_unmount,
	.vfs_statfs = tmpfs_statfs,
	.vfs_sync = NULL,
};
