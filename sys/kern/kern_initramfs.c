/*
 * The initramfs: the cpio "newc" archive that GRUB (module2) or QEMU's PVH
 * loader (-initrd) put in memory as a boot module.  Until the VFS exists
 * it is where programs come from; afterwards it stays the rescue root.
 *
 * The archive is used where the loader left it: kmain reserved its pages
 * from the allocator, and the direct map reaches them, so a file's bytes
 * are a pointer into the module and stay valid forever.  Lookups walk the
 * archive (subr_cpio.c); there is no index, since an initramfs holds tens
 * of files and exec reads each once.
 *
 * What is not there yet: symbolic links are not followed (a lookup that
 * meets one fails with -ENOENT and says so in the log), and permission
 * bits are reported, not enforced (every process is root until the
 * credentials issue).
 */
#include <sys/bootinfo.h>
#include <sys/errno.h>
#include <sys/exec.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/systm.h>

#define INITRAMFS_PATH_MAX	4096	/* PATH_MAX, with the NUL */
/* cpio's c_mode file types (POSIX <cpio.h>), which are Linux's S_IF*. */
#define INITRAMFS_IFMT		0170000
#define INITRAMFS_IFREG		0100000

/*
 * The archive.  Locks: none; [I] set once by initramfs_init() during boot,
 * before any process exists, and read-only afterwards.
 */
static const void	*initramfs_data;	/* [I] NULL: no initramfs */
static size_t		 initramfs_size;	/* [I] */

/* Counts the regular files, for the boot log. */
static int
initramfs_count_cb(const struct cpio_entry *ce, void *arg)
{
	int *files = arg;

	if ((ce->ce_mode & INITRAMFS_IFMT) == INITRAMFS_IFREG)
		(*files)++;
	return 0;
}

/*
 * Find the initramfs: the first boot module whose bytes start with the
 * newc magic "070701", checked from end to end.  Called once by kmain,
 * after the allocator is up and before the first process.  Returns 0,
 * -ENOENT when no module is an archive, -EINVAL when the archive is
 * malformed (cpio_walk logs where); each case logs one line.
 */
int
initramfs_init(void)
{
	const struct bootmod *bm;
	const char *name;
	char num[16];
	const void *p;
	size_t len;
	int i, files, error;

	for (i = 0; i < bootinfo.bi_nmods; i++) {
		bm = &bootinfo.bi_mods[i];
		p = PHYS_TO_DMAP(bm->bmod_start);
		len = bm->bmod_end - bm->bmod_start;
		if (len < 6 || memcmp(p, "070701", 6) != 0)
			continue;
		name = bm->bmod_name;
		if (name[0] == '\0') {
			ksnprintf(num, sizeof(num), "#%d", i);
			name = num;
		}
		files = 0;
		if ((error = cpio_walk(p, len, initramfs_count_cb, &files)) <
		    0) {
			klog("initramfs", "module %s is not a usable cpio "
			    "archive (error %d)", name, error);
			return error;
		}
		initramfs_data = p;
		initramfs_size = len;
		klog("initramfs", "%d files, %zu KiB from module %s",
		    files, (len + 1023) / 1024, name);
		return 0;
	}
	klog("initramfs", "none: no boot module is a cpio newc archive "
	    "(%d module(s))", bootinfo.bi_nmods);
	return -ENOENT;
}

/*
 * Find a regular file of the initramfs by path; see exec.h for the
 * errors.  *data points into the archive (valid forever), *mode gets the
 * archive's type and permission bits.  Takes no lock of its own (kmalloc
 * takes kmalloc_lock for the path buffer).
 */
int
initramfs_lookup(const char *path, const void **data, size_t *size,
    uint32_t *mode)
{
	struct cpio_entry ce;
	char *scratch;
	size_t len;
	int error;

	if (initramfs_data == NULL)
		return -ENOENT;
	len = strnlen(path, INITRAMFS_PATH_MAX);
	if (len >= INITRAMFS_PATH_MAX)
		return -ENAMETOOLONG;
	if ((scratch = kmalloc(len + 1, 0)) == NULL)
		return -ENOMEM;
	error = cpio_lookup(initramfs_data, initramfs_size, path, scratch,
	    len + 1, &ce);
	kfree(scratch);
	if (error < 0)
		return error;
	*data = ce.ce_data;
	*size = ce.ce_size;
	*mode = ce.ce_mode;
	return 0;
}
