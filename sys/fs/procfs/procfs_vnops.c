/*
 * procfs vnodes and open files (see fs/procfs/procfs.h): the directory
 * tree, attributes, the magic links, and the buffer of an open file.
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/stat.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <fs/procfs/procfs.h>

#define PFS_NODE(vp)	((struct pfsnode *)(vp)->v_data)
#define PFS_PIDPOS	1000	/* readdir positions of pids: 1000 + pid */

/* An open procfs file: its generated text. */
struct pfsfile {
	struct vnode	*pf_vp;		/* [I] referenced */
	struct mutex	 pf_lock;
	char		*pf_buf;	/* [pf_lock] the text, or NULL */
	size_t		 pf_len;	/* [pf_lock] */
};

/* The parts of a process a node's attributes need. */
struct pfsproc {
	uint32_t	 pp_uid, pp_gid;
	uint64_t	 pp_start_ns;
};

static const struct vnodeops pfs_vnops;
static const struct fileops pfs_fileops;

/* Does process pid (and thread tid, when not 0) exist?  Fills *pp. */
static int
pfs_proc_get(int pid, int tid, struct pfsproc *pp)
{
	struct proc *p;
	struct thread *td;
	int error = 0;

	spin_lock(&proc_lock);
	if ((p = proc_find(pid)) == NULL) {
		error = -ENOENT;
	} else if (tid != 0 && ((td = thread_find(tid)) == NULL ||
	    td->td_proc != p)) {
		error = -ENOENT;
	} else if (pp != NULL) {
		pp->pp_uid = p->p_euid;
		pp->pp_gid = p->p_egid;
		pp->pp_start_ns = p->p_start_ns;
	}
	spin_unlock(&proc_lock);
	return error;
}

/* A new vnode for the node described by n, referenced. */
static int
pfs_vget(struct mount *mp, const struct pfsnode *n, struct vnode **vpp)
{
	struct pfsnode *pn;
	enum vtype type;

	switch (n->pn_type) {
	case PFS_SELF:
	case PFS_THREADSELF:
	case PFS_MOUNTSLINK:
	case PFS_FD:
	case PFS_CWD:
	case PFS_EXE:
	case PFS_ROOTLINK:
		type = VLNK;
		break;
	case PFS_FILE:
	case PFS_FSFILE:
	case PFS_FDINFO:
		type = VREG;
		break;
	case PFS_FDPIPE:
		type = VFIFO;
		break;
	case PFS_FDSOCK:
		type = VSOCK;
		break;
	default:
		type = VDIR;
		break;
	}
	if ((pn = kmalloc(sizeof(*pn), 0)) == NULL)
		return -ENOMEM;
	*pn = *n;
	if ((*vpp = vnode_alloc(mp, type, &pfs_vnops, pn)) == NULL) {
		kfree(pn);
		return -ENOMEM;
	}
	return 0;
}

/* Parse a decimal name (no sign, no leading zero); -1 if it is not one. */
static int
pfs_atoi(const char *name, size_t len)
{
	int v = 0;
	size_t i;

	if (len == 0 || len > 9 || (name[0] == '0' && len > 1))
		return -1;
	for (i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return v;
}

static bool
pfs_nameis(const char *name, size_t len, const char *s)
{
	return strlen(s) == len && memcmp(name, s, len) == 0;
}

/* Find name among the generated files of table. */
static const struct pfsgen *
pfs_gen_find(const struct pfsgen *table, const char *name, size_t len)
{
	for (; table->pg_name != NULL; table++)
		if (pfs_nameis(name, len, table->pg_name))
			return table;
	return NULL;
}

/* The links and directories of a process's directory, by name. */
static const struct {
	const char	*pe_name;
	enum pfstype	 pe_type;
	bool		 pe_pidonly;	/* not in task/tid */
} pfs_pid_dirents[] = {
	{ "task", PFS_TASKDIR, true },
	{ "fd", PFS_FDDIR, false },
	{ "fdinfo", PFS_FDINFODIR, false },
	{ "cwd", PFS_CWD, false },
	{ "exe", PFS_EXE, false },
	{ "root", PFS_ROOTLINK, false },
};

/*
 * The open file behind descriptor fd of process pid, referenced, in *fpp;
 * -ENOENT when there is no such process or descriptor.  Takes proc_lock.
 */
int
pfs_fd_getfile(int pid, int fd, struct file **fpp)
{
	struct proc *p;
	int error = -ENOENT;

	spin_lock(&proc_lock);
	if ((p = proc_find(pid)) != NULL && fd_proc_getfile(p, fd, fpp) == 0)
		error = 0;
	spin_unlock(&proc_lock);
	return error;
}

/* Is fd open in process pid? */
static bool
pfs_fd_open(int pid, int fd)
{
	struct file *fp;

	if (pfs_fd_getfile(pid, fd, &fp) < 0)
		return false;
	file_rele(fp);
	return true;
}

/* Is g a file of /proc/sys (a sysctl)? */
static bool
pfs_is_sysctl(const struct pfsgen *g)
{
	static const struct pfsgen *const tables[] = { pfs_sys_kernel_files,
	    pfs_sys_kernel_pty_files, pfs_sys_vm_files, pfs_sys_fs_files };
	const struct pfsgen *t;
	size_t i;

	for (i = 0; i < nitems(tables); i++)
		for (t = tables[i]; t->pg_name != NULL; t++)
			if (t == g)
				return true;
	return false;
}

/* The generated files of a directory of files alone. */
static const struct pfsgen *
pfs_dir_files(enum pfstype type)
{
	switch (type) {
	case PFS_SYSKERNDIR:
		return pfs_sys_kernel_files;
	case PFS_SYSKERNPTYDIR:
		return pfs_sys_kernel_pty_files;
	case PFS_NETDIR:
		return pfs_net_files;
	case PFS_SYSFSDIR:
		return pfs_sys_fs_files;
	default:
		return pfs_sys_vm_files;
	}
}

/* vop_lookup: the names of each kind of directory. */
static int
pfs_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	struct pfsnode *dn = PFS_NODE(dvp), n;
	struct mount *mp = dvp->v_mount;
	size_t i;
	int id;

	memset(&n, 0, sizeof(n));
	n.pn_pid = dn->pn_pid;
	n.pn_tid = dn->pn_tid;
	if (dvp->v_type != VDIR)
		return -ENOTDIR;
	if (dn->pn_pid != 0 && pfs_proc_get(dn->pn_pid, dn->pn_tid,
	    NULL) < 0)
		return -ENOENT;
	if (pfs_nameis(name, len, "..")) {
		switch (dn->pn_type) {
		case PFS_ROOT:
		case PFS_SYSDIR:
			vref(mp->mnt_root);
			*vpp = mp->mnt_root;
			return 0;
		case PFS_SYSKERNDIR:
		case PFS_SYSVMDIR:
		case PFS_SYSFSDIR:
			n.pn_type = PFS_SYSDIR;
			break;
		case PFS_SYSKERNPTYDIR:
			n.pn_type = PFS_SYSKERNDIR;
			break;
		case PFS_NETDIR:
		case PFS_FSDIR:
		case PFS_SYSVIPCDIR:
			vref(mp->mnt_root);
			*vpp = mp->mnt_root;
			return 0;
		case PFS_FSTYPEDIR:
			n.pn_type = PFS_FSDIR;
			n.pn_tid = 0;
			break;
		case PFS_FSINSTDIR:
			n.pn_type = PFS_FSTYPEDIR;
			break;
		case PFS_PIDDIR:
			if (dn->pn_tid == 0) {
				vref(mp->mnt_root);
				*vpp = mp->mnt_root;
				return 0;
			}
			n.pn_type = PFS_TASKDIR;
			n.pn_tid = 0;
			break;
		default:
			n.pn_type = PFS_PIDDIR;
			break;
		}
		return pfs_vget(mp, &n, vpp);
	}
	switch (dn->pn_type) {
	case PFS_ROOT:
		n.pn_pid = 0;
		if (pfs_nameis(name, len, "self")) {
			n.pn_type = PFS_SELF;
		} else if (pfs_nameis(name, len, "thread-self")) {
			n.pn_type = PFS_THREADSELF;
		} else if (pfs_nameis(name, len, "mounts")) {
			n.pn_type = PFS_MOUNTSLINK;
		} else if (pfs_nameis(name, len, "sys")) {
			n.pn_type = PFS_SYSDIR;
		} else if (pfs_nameis(name, len, "net")) {
			n.pn_type = PFS_NETDIR;
		} else if (pfs_nameis(name, len, "fs")) {
			n.pn_type = PFS_FSDIR;
		} else if (pfs_nameis(name, len, "sysvipc")) {
			n.pn_type = PFS_SYSVIPCDIR;
		} else if ((n.pn_gen = pfs_gen_find(pfs_root_files, name,
		    len)) != NULL) {
			n.pn_type = PFS_FILE;
		} else if ((id = pfs_atoi(name, len)) > 0 &&
		    pfs_proc_get(id, 0, NULL) == 0) {
			n.pn_type = PFS_PIDDIR;
			n.pn_pid = id;
		} else {
			return -ENOENT;
		}
		break;
	case PFS_SYSDIR:
		if (pfs_nameis(name, len, "kernel"))
			n.pn_type = PFS_SYSKERNDIR;
		else if (pfs_nameis(name, len, "vm"))
			n.pn_type = PFS_SYSVMDIR;
		else if (pfs_nameis(name, len, "fs"))
			n.pn_type = PFS_SYSFSDIR;
		else
			return -ENOENT;
		break;
	case PFS_SYSKERNDIR:
		if (pfs_nameis(name, len, "pty")) {
			n.pn_type = PFS_SYSKERNPTYDIR;
			break;
		}
		/* FALLTHROUGH */
	case PFS_SYSVMDIR:
	case PFS_SYSFSDIR:
	case PFS_SYSKERNPTYDIR:
	case PFS_NETDIR:
		n.pn_gen = pfs_gen_find(pfs_dir_files(dn->pn_type), name,
		    len);
		if (n.pn_gen == NULL)
			return -ENOENT;
		n.pn_type = PFS_FILE;
		break;
	case PFS_PIDDIR:
		if ((n.pn_gen = pfs_gen_find(pfs_pid_files, name, len)) !=
		    NULL) {
			n.pn_type = PFS_FILE;
			break;
		}
		for (i = 0; i < nitems(pfs_pid_dirents); i++) {
			if (pfs_nameis(name, len, pfs_pid_dirents[i].pe_name) &&
			    !(pfs_pid_dirents[i].pe_pidonly && dn->pn_tid))
				break;
		}
		if (i == nitems(pfs_pid_dirents))
			return -ENOENT;
		n.pn_type = pfs_pid_dirents[i].pe_type;
		break;
	case PFS_SYSVIPCDIR:
		n.pn_gen = pfs_gen_find(pfs_sysvipc_files, name, len);
		if (n.pn_gen == NULL)
			return -ENOENT;
		n.pn_type = PFS_FILE;
		break;
	case PFS_FSDIR:
		for (id = 0; pfs_fstypes[id] != NULL; id++)
			if (pfs_nameis(name, len, pfs_fstypes[id]->pt_name))
				break;
		if (pfs_fstypes[id] == NULL)
			return -ENOENT;
		n.pn_type = PFS_FSTYPEDIR;
		n.pn_tid = id;
		break;
	case PFS_FSTYPEDIR:
		if ((id = pfs_fstypes[dn->pn_tid]->pt_find(name, len)) < 0)
			return -ENOENT;
		n.pn_type = PFS_FSINSTDIR;
		n.pn_fd = id;
		break;
	case PFS_FSINSTDIR:
		n.pn_gen = pfs_gen_find(pfs_fstypes[dn->pn_tid]->pt_files,
		    name, len);
		if (n.pn_gen == NULL)
			return -ENOENT;
		n.pn_type = PFS_FSFILE;
		n.pn_fd = dn->pn_fd;
		break;
	case PFS_TASKDIR:
		if ((id = pfs_atoi(name, len)) <= 0 ||
		    pfs_proc_get(dn->pn_pid, id, NULL) < 0)
			return -ENOENT;
		n.pn_type = PFS_PIDDIR;
		n.pn_tid = id;
		break;
	case PFS_FDDIR:
	case PFS_FDINFODIR:
		if ((id = pfs_atoi(name, len)) < 0 ||
		    !pfs_fd_open(dn->pn_pid, id))
			return -ENOENT;
		n.pn_type = dn->pn_type == PFS_FDDIR ? PFS_FD : PFS_FDINFO;
		n.pn_fd = id;
		break;
	default:
		return -ENOTDIR;
	}
	return pfs_vget(mp, &n, vpp);
}

/* An inode number for a node: unique for each kind, process and fd. */
static uint64_t
pfs_ino(enum pfstype type, int pid, int tid, int fd, const void *gen)
{
	uint64_t g = gen != NULL ? ((uintptr_t)gen >> 3) & 0xfff : 0;

	if (type == PFS_ROOT)
		return 1;
	return ((uint64_t)pid << 40) ^ ((uint64_t)tid << 20) ^
	    ((uint64_t)type << 14) ^ (g << 2) ^ ((uint64_t)fd << 32) ^ 2;
}

/* readdir's state: the callback and where it is. */
struct pfsdir {
	vfs_filldir_t	 pd_fill;
	void		*pd_arg;
	off_t		*pd_pos;
};

/* One entry at position *pos; false when the buffer is full. */
static bool
pfs_emit(struct pfsdir *d, const char *name, uint64_t ino, int dtype,
    off_t next)
{
	if (d->pd_fill(d->pd_arg, name, strlen(name), ino, dtype, next) != 0)
		return false;
	*d->pd_pos = next;
	return true;
}

/* Fixed entries of a directory: "." and ".." then names[], from *pos. */
static bool
pfs_emit_gens(struct pfsdir *d, const struct pfsgen *table, off_t base,
    const struct pfsnode *dn)
{
	off_t i;

	for (i = 0; table[i].pg_name != NULL; i++) {
		if (*d->pd_pos > base + i)
			continue;
		if (!pfs_emit(d, table[i].pg_name, pfs_ino(PFS_FILE,
		    dn->pn_pid, dn->pn_tid, 0, &table[i]), DT_REG,
		    base + i + 1))
			return false;
	}
	return true;
}

/* Process ids (or, with pid set, its thread ids) from *pos on. */
static void
pfs_emit_ids(struct pfsdir *d, int pid)
{
	struct proc *p;
	struct thread *td;
	char name[16];
	int id, best;

	for (;;) {
		id = (int)(*d->pd_pos - PFS_PIDPOS);
		best = 0;
		spin_lock(&proc_lock);
		if (pid == 0) {
			for (p = proc_first(); p != NULL; p = proc_next(p))
				if (p->p_pid >= id && p->p_pid != 0 &&
				    (best == 0 || p->p_pid < best))
					best = p->p_pid;
		} else if ((p = proc_find(pid)) != NULL) {
			for (td = p->p_threads; td != NULL;
			    td = td->td_plist_next)
				if (td->td_tid >= id &&
				    (best == 0 || td->td_tid < best))
					best = td->td_tid;
		}
		spin_unlock(&proc_lock);
		if (best == 0)
			return;
		ksnprintf(name, sizeof(name), "%d", best);
		if (!pfs_emit(d, name, pfs_ino(PFS_PIDDIR, pid ? pid : best,
		    pid ? best : 0, 0, NULL), DT_DIR, PFS_PIDPOS + best + 1))
			return;
	}
}

/* Open descriptors of pid from *pos on (position 2 + fd). */
static void
pfs_emit_fds(struct pfsdir *d, const struct pfsnode *dn)
{
	struct proc *p;
	char name[16];
	int fd;

	for (;;) {
		spin_lock(&proc_lock);
		fd = (p = proc_find(dn->pn_pid)) == NULL ? -1 :
		    fd_proc_next(p, (int)(*d->pd_pos - 2));
		spin_unlock(&proc_lock);
		if (fd < 0)
			return;
		ksnprintf(name, sizeof(name), "%d", fd);
		if (!pfs_emit(d, name, pfs_ino(dn->pn_type == PFS_FDDIR ?
		    PFS_FD : PFS_FDINFO, dn->pn_pid, dn->pn_tid, fd, NULL),
		    dn->pn_type == PFS_FDDIR ? DT_LNK : DT_REG, 2 + fd + 1))
			return;
	}
}

/* vop_readdir: ".", "..", then the directory's names. */
static int
pfs_readdir(struct vnode *vp, off_t *pos, vfs_filldir_t fill, void *arg)
{
	struct pfsnode *dn = PFS_NODE(vp);
	struct pfsdir d = { fill, arg, pos };
	static const char *const rootdirs[] = { "self", "thread-self",
	    "sys", "net", "fs" };
	static const enum pfstype roottypes[] = { PFS_SELF, PFS_THREADSELF,
	    PFS_SYSDIR, PFS_NETDIR, PFS_FSDIR };
	char name[NAME_MAX + 1];
	int id;
	static const char *const sysdirs[] = { "fs", "kernel", "vm" };
	static const enum pfstype systypes[] = { PFS_SYSFSDIR,
	    PFS_SYSKERNDIR, PFS_SYSVMDIR };
	off_t i, n;

	if (vp->v_type != VDIR)
		return -ENOTDIR;
	if (dn->pn_pid != 0 && pfs_proc_get(dn->pn_pid, dn->pn_tid,
	    NULL) < 0)
		return -ENOENT;
	if (*pos == 0 && !pfs_emit(&d, ".", pfs_ino(dn->pn_type,
	    dn->pn_pid, dn->pn_tid, 0, NULL), DT_DIR, 1))
		return 0;
	if (*pos == 1 && !pfs_emit(&d, "..", 1, DT_DIR, 2))
		return 0;
	switch (dn->pn_type) {
	case PFS_ROOT:
		for (i = 0; i < (off_t)nitems(rootdirs); i++)
			if (*pos <= 2 + i && !pfs_emit(&d, rootdirs[i],
			    pfs_ino(roottypes[i], 0, 0, 0, NULL),
			    i < 2 ? DT_LNK : DT_DIR, 3 + i))
				return 0;
		if (*pos <= 7 && !pfs_emit(&d, "mounts",
		    pfs_ino(PFS_MOUNTSLINK, 0, 0, 0, NULL), DT_LNK, 8))
			return 0;
		if (*pos <= 8 && !pfs_emit(&d, "sysvipc",
		    pfs_ino(PFS_SYSVIPCDIR, 0, 0, 0, NULL), DT_DIR, 9))
			return 0;
		if (!pfs_emit_gens(&d, pfs_root_files, 9, dn))
			return 0;
		if (*pos < PFS_PIDPOS)
			*pos = PFS_PIDPOS;
		pfs_emit_ids(&d, 0);
		return 0;
	case PFS_SYSDIR:
		for (i = 0; i < (off_t)nitems(sysdirs); i++)
			if (*pos <= 2 + i && !pfs_emit(&d, sysdirs[i],
			    pfs_ino(systypes[i], 0, 0, 0, NULL),
			    DT_DIR, 3 + i))
				return 0;
		return 0;
	case PFS_SYSKERNDIR:
		if (*pos <= 2 && !pfs_emit(&d, "pty",
		    pfs_ino(PFS_SYSKERNPTYDIR, 0, 0, 0, NULL), DT_DIR, 3))
			return 0;
		(void)pfs_emit_gens(&d, pfs_sys_kernel_files, 3, dn);
		return 0;
	case PFS_SYSVMDIR:
	case PFS_SYSFSDIR:
	case PFS_SYSKERNPTYDIR:
	case PFS_NETDIR:
		(void)pfs_emit_gens(&d, pfs_dir_files(dn->pn_type), 2, dn);
		return 0;
	case PFS_PIDDIR:
		n = (off_t)nitems(pfs_pid_dirents);
		for (i = 0; i < n; i++) {
			if (*pos > 2 + i)
				continue;
			if (pfs_pid_dirents[i].pe_pidonly && dn->pn_tid) {
				*pos = 3 + i;
				continue;
			}
			if (!pfs_emit(&d, pfs_pid_dirents[i].pe_name,
			    pfs_ino(pfs_pid_dirents[i].pe_type, dn->pn_pid,
			    dn->pn_tid, 0, NULL),
			    pfs_pid_dirents[i].pe_type >= PFS_CWD ? DT_LNK :
			    DT_DIR, 3 + i))
				return 0;
		}
		(void)pfs_emit_gens(&d, pfs_pid_files, 2 + n, dn);
		return 0;
	case PFS_TASKDIR:
		if (*pos < PFS_PIDPOS)
			*pos = PFS_PIDPOS;
		pfs_emit_ids(&d, dn->pn_pid);
		return 0;
	case PFS_SYSVIPCDIR:
		(void)pfs_emit_gens(&d, pfs_sysvipc_files, 2, dn);
		return 0;
	case PFS_FSDIR:
		for (i = 0; pfs_fstypes[i] != NULL; i++)
			if (*pos <= 2 + i && !pfs_emit(&d,
			    pfs_fstypes[i]->pt_name, pfs_ino(PFS_FSTYPEDIR, 0,
			    (int)i, 0, NULL), DT_DIR, 3 + i))
				return 0;
		return 0;
	case PFS_FSTYPEDIR:
		/* An instance's position is 2 + its id. */
		while ((id = pfs_fstypes[dn->pn_tid]->pt_next(
		    (int)MIN(*pos - 3, (off_t)INT32_MAX), name,
		    sizeof(name))) >= 0) {
			if (!pfs_emit(&d, name, pfs_ino(PFS_FSINSTDIR, 0,
			    dn->pn_tid, id, NULL), DT_DIR, 3 + (off_t)id))
				return 0;
		}
		return 0;
	case PFS_FSINSTDIR:
		(void)pfs_emit_gens(&d, pfs_fstypes[dn->pn_tid]->pt_files, 2,
		    dn);
		return 0;
	case PFS_FDDIR:
	case PFS_FDINFODIR:
		pfs_emit_fds(&d, dn);
		return 0;
	default:
		return -ENOTDIR;
	}
}

/* The mode of a node (Linux's). */
static uint32_t
pfs_mode(const struct pfsnode *n)
{
	switch (n->pn_type) {
	case PFS_SELF:
	case PFS_THREADSELF:
	case PFS_MOUNTSLINK:
	case PFS_CWD:
	case PFS_EXE:
	case PFS_ROOTLINK:
		return 0777;
	case PFS_FD:
		return 0700;
	case PFS_FDDIR:
		return 0500;
	case PFS_FDINFO:
		return 0444;
	case PFS_FILE:
	case PFS_FSFILE:
		return n->pn_gen->pg_mode;
	default:
		return 0555;
	}
}

/*
 * The mode of fd/N, as Linux gives it: the owner's r and x when the file
 * was opened for reading, w and x when for writing (lr-x------ for
 * O_RDONLY, l-wx------ for O_WRONLY, lrwx------ for O_RDWR, none for
 * O_PATH).  0700 when the descriptor has been closed meanwhile.  Takes
 * proc_lock.
 */
static uint32_t
pfs_fd_mode(int pid, int fd)
{
	struct file *fp;
	uint32_t mode = 0;
	int acc, flags;

	if (pfs_fd_getfile(pid, fd, &fp) < 0)
		return 0700;
	flags = file_getflags(fp);
	acc = flags & O_ACCMODE;
	if (!(flags & O_PATH)) {
		if (acc == O_RDONLY || acc == O_RDWR)
			mode |= 0500;
		if (acc == O_WRONLY || acc == O_RDWR)
			mode |= 0300;
	}
	file_rele(fp);
	return mode;
}

/*
 * The attributes of what fd/N of a pipe, FIFO or socket names: the
 * file's own (its fstat), as Linux's link leads to the pipe's inode.
 * -ENOENT once the descriptor is closed.
 */
static int
pfs_fd_anon_attr(const struct pfsnode *n, struct vattr *va)
{
	struct file *fp;
	struct l_stat st;
	int error;

	if ((error = pfs_fd_getfile(n->pn_pid, n->pn_fd, &fp)) < 0)
		return error;
	memset(&st, 0, sizeof(st));
	error = fp->f_ops->fo_stat != NULL ? fp->f_ops->fo_stat(fp, &st) :
	    -ENOENT;
	file_rele(fp);
	if (error < 0)
		return error;
	va->va_mode = st.st_mode & 07777;
	va->va_uid = st.st_uid;
	va->va_gid = st.st_gid;
	va->va_nlink = (uint32_t)st.st_nlink;
	va->va_ino = st.st_ino;
	va->va_size = st.st_size;
	va->va_blksize = (uint32_t)st.st_blksize;
	return 0;
}

/* vop_getattr: Linux's modes; a process's files are its euid's. */
static int
pfs_getattr(struct vnode *vp, struct vattr *va)
{
	struct pfsnode *n = PFS_NODE(vp);
	struct pfsproc pp;
	int error;

	memset(va, 0, sizeof(*va));
	va->va_type = vp->v_type;
	va->va_mode = pfs_mode(n);
	va->va_nlink = vp->v_type == VDIR ? 2 : 1;
	va->va_ino = pfs_ino(n->pn_type, n->pn_pid, n->pn_tid, n->pn_fd,
	    n->pn_gen);
	va->va_blksize = 1024;
	va->va_atime = va->va_mtime = va->va_ctime = vfs_now();
	if (n->pn_pid != 0) {
		if ((error = pfs_proc_get(n->pn_pid, n->pn_tid, &pp)) < 0)
			return error;
		va->va_uid = pp.pp_uid;
		va->va_gid = pp.pp_gid;
	}
	if (n->pn_type == PFS_FD) {
		va->va_mode = pfs_fd_mode(n->pn_pid, n->pn_fd);
		va->va_size = 64;
	}
	if (n->pn_type == PFS_FDPIPE || n->pn_type == PFS_FDSOCK)
		return pfs_fd_anon_attr(n, va);
	return 0;
}

/* Writes go through the open file (pg_write); nothing else changes. */
static int
pfs_setattr(struct vnode *vp, const struct vattr *va, int mask)
{
	(void)vp, (void)va;
	/* open(O_TRUNC) of a writable file: nothing is stored to cut. */
	if (mask == VA_SIZE && va->va_size == 0)
		return 0;
	return -EPERM;
}

/*
 * The vnode a magic link names, referenced: the process's working or
 * root directory, its executable, or the file of one of its
 * descriptors.  -ENOENT when the process or the file is gone.
 */
/*
 * May the current process look through p's cwd, root, exe and fd links?
 * Linux asks what ptrace's PTRACE_MODE_READ_FSCREDS asks: root, or the
 * same user and group in every id of p's, and p dumpable.  proc_lock
 * held.
 */
static bool
pfs_may_peek(const struct proc *p)
{
	const struct proc *cur = curproc;

	if (cur->p_euid == 0 || cur == p)
		return true;
	return cur->p_euid == p->p_uid && cur->p_euid == p->p_euid &&
	    cur->p_euid == p->p_suid && cur->p_egid == p->p_gid &&
	    cur->p_egid == p->p_egid && cur->p_egid == p->p_sgid &&
	    p->p_dumpable;
}

/*
 * What fd/N (vp) leads to when its file fp is no file of the tree: for a
 * pipe or FIFO, a node that opens the same pipe again (pfs_open); for a
 * socket, one that open(2) refuses (ENXIO), as on Linux.  Other files:
 * -EINVAL, an ordinary link (its text, "anon_inode:[...]", names
 * nothing).
 */
static int
pfs_fd_anon_node(struct vnode *vp, struct file *fp, struct vnode **vpp)
{
	struct pfsnode *ln = PFS_NODE(vp), n;
	struct l_stat st;

	memset(&st, 0, sizeof(st));
	if (fp->f_ops->fo_stat == NULL || fp->f_ops->fo_stat(fp, &st) < 0)
		return -EINVAL;
	memset(&n, 0, sizeof(n));
	n.pn_pid = ln->pn_pid;
	n.pn_fd = ln->pn_fd;
	if ((st.st_mode & S_IFMT) == S_IFIFO)
		n.pn_type = PFS_FDPIPE;
	else if ((st.st_mode & S_IFMT) == S_IFSOCK)
		n.pn_type = PFS_FDSOCK;
	else
		return -EINVAL;
	return pfs_vget(vp->v_mount, &n, vpp);
}

static int
pfs_getlink(struct vnode *vp, struct vnode **vpp)
{
	struct pfsnode *n = PFS_NODE(vp);
	struct file *fp = NULL;
	struct vnode *tvp = NULL;
	struct proc *p;
	int error = 0;

	if (n->pn_type == PFS_SELF || n->pn_type == PFS_THREADSELF ||
	    n->pn_type == PFS_MOUNTSLINK)
		return -EINVAL;		/* an ordinary link */
	spin_lock(&proc_lock);
	if ((p = proc_find(n->pn_pid)) == NULL) {
		error = -ENOENT;
	} else if (!pfs_may_peek(p)) {
		error = -EACCES;
	} else if (n->pn_type == PFS_CWD) {
		tvp = p->p_cwd;
	} else if (n->pn_type == PFS_ROOTLINK) {
		tvp = p->p_root;
	} else if (n->pn_type == PFS_EXE) {
		tvp = p->p_textvp;
	} else if ((error = fd_proc_getfile(p, n->pn_fd, &fp)) < 0) {
		error = -ENOENT;
	}
	if (tvp != NULL)
		vref(tvp);
	else if (error == 0 && fp == NULL)
		error = -ENOENT;
	spin_unlock(&proc_lock);
	if (fp != NULL) {
		error = file_vnode(fp, &tvp);
		if (error < 0)
			error = pfs_fd_anon_node(vp, fp, &tvp);
		file_rele(fp);
		if (error < 0)
			return error;
	}
	if (error == 0)
		*vpp = tvp;
	return error;
}

/* The text of a descriptor that is no file of the tree (pipe:[ino]). */
static long
pfs_anon_name(struct file *fp, char *buf, size_t len)
{
	struct l_stat st;
	int n;

	memset(&st, 0, sizeof(st));
	if (fp->f_ops->fo_stat != NULL && fp->f_ops->fo_stat(fp, &st) == 0 &&
	    (st.st_mode & S_IFMT) == S_IFIFO)
		n = ksnprintf(buf, len, "pipe:[%llu]",
		    (unsigned long long)st.st_ino);
	else if ((st.st_mode & S_IFMT) == S_IFSOCK)
		n = ksnprintf(buf, len, "socket:[%llu]",
		    (unsigned long long)st.st_ino);
	else
		n = ksnprintf(buf, len, "anon_inode:[%s]", fp->f_ops->fo_name);
	return MIN((long)n, (long)len - 1);
}

/* vop_readlink: a pid for self, a path for the magic links. */
static long
pfs_readlink(struct vnode *vp, char *buf, size_t len)
{
	struct pfsnode *n = PFS_NODE(vp);
	struct file *fp = NULL;
	struct vnode *tvp;
	struct proc *p;
	long error;
	int tid, pid;

	if (n->pn_type == PFS_MOUNTSLINK) {
		error = ksnprintf(buf, len, "self/mounts");
		return MIN(error, (long)len - 1);
	}
	if (n->pn_type == PFS_SELF || n->pn_type == PFS_THREADSELF) {
		pid = curproc->p_pid;
		tid = curthread->td_tid;
		if (n->pn_type == PFS_SELF)
			error = ksnprintf(buf, len, "%d", pid);
		else
			error = ksnprintf(buf, len, "%d/task/%d", pid, tid);
		return MIN(error, (long)len - 1);
	}
	if (n->pn_type == PFS_FD) {
		spin_lock(&proc_lock);
		if ((p = proc_find(n->pn_pid)) != NULL && !pfs_may_peek(p)) {
			spin_unlock(&proc_lock);
			return -EACCES;
		}
		if (p == NULL || fd_proc_getfile(p, n->pn_fd, &fp) < 0) {
			spin_unlock(&proc_lock);
			return -ENOENT;
		}
		spin_unlock(&proc_lock);
		if (file_vnode(fp, &tvp) < 0) {
			error = pfs_anon_name(fp, buf, len);
			file_rele(fp);
			return error;
		}
		file_rele(fp);
	} else if ((error = pfs_getlink(vp, &tvp)) < 0) {
		return error;
	}
	error = pfs_vnpath(tvp, buf, len);
	vrele(tvp);
	return error;
}

static long
pfs_read(struct vnode *vp, struct uio *uio)
{
	(void)uio;
	return vp->v_type == VDIR ? -EISDIR : -EINVAL;
}

static long
pfs_write(struct vnode *vp, struct uio *uio, int ioflag)
{
	(void)uio, (void)ioflag;
	return vp->v_type == VDIR ? -EISDIR : -EINVAL;
}

static int
pfs_nocreate(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp)
{
	(void)dvp, (void)name, (void)len, (void)va, (void)vpp;
	return -ENOENT;		/* Linux: procfs refuses new names */
}

static int
pfs_nosymlink(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, const char *target, struct vnode **vpp)
{
	(void)dvp, (void)name, (void)len, (void)va, (void)target, (void)vpp;
	return -ENOENT;
}

/* The last reference: the node goes (the root's is the mount's). */
static void
pfs_inactive(struct vnode *vp)
{
	struct pfsnode *pn = PFS_NODE(vp);

	if (!vnode_lastref(vp))
		return;
	vnode_free(vp);
	kfree(pn);
}

/*
 * Generate the text of pf's file into its buffer (pf_lock held).  A
 * process's file whose process went is -ESRCH, as Linux's reads are.
 */
static int
pfs_generate(struct pfsfile *pf)
{
	struct pfsnode *n = PFS_NODE(pf->pf_vp);
	struct pfsbuf sb;
	int error = 0;

	memset(&sb, 0, sizeof(sb));
	if (n->pn_type == PFS_FDINFO) {
		error = pfs_print_fdinfo(&sb, n->pn_pid, n->pn_fd);
	} else if (n->pn_type == PFS_FSFILE) {
		error = n->pn_gen->pg_print(&sb, n->pn_fd, 0);
	} else {
		if (n->pn_pid != 0 && pfs_proc_get(n->pn_pid, n->pn_tid,
		    NULL) < 0) {
			error = -ESRCH;
		} else {
			error = n->pn_gen->pg_print(&sb, n->pn_pid,
			    n->pn_tid);
		}
	}
	if (error == 0)
		error = sb.sb_error;
	if (error < 0) {
		kfree(sb.sb_buf);
		return error;
	}
	kfree(pf->pf_buf);
	pf->pf_buf = sb.sb_buf;
	pf->pf_len = sb.sb_len;
	return 0;
}

/* read(2): from the text, generated at offset 0 or when there is none. */
static long
pfs_fo_read(struct file *fp, struct uio *uio)
{
	struct pfsfile *pf = fp->f_data;
	off_t off;
	long n;
	int error;

	mtx_lock(&pf->pf_lock);
	off = uio->uio_fileoff ? fp->f_offset : uio->uio_offset;
	if (off < 0) {
		mtx_unlock(&pf->pf_lock);
		return -EINVAL;
	}
	if (pf->pf_buf == NULL || off == 0) {
		if ((error = pfs_generate(pf)) < 0) {
			mtx_unlock(&pf->pf_lock);
			return error;
		}
	}
	if ((size_t)off >= pf->pf_len) {
		mtx_unlock(&pf->pf_lock);
		return 0;
	}
	uio->uio_offset = off;
	n = uio_move(pf->pf_buf + off, pf->pf_len - (size_t)off, uio);
	if (n > 0 && uio->uio_fileoff)
		fp->f_offset = off + n;
	mtx_unlock(&pf->pf_lock);
	return n;
}

/* write(2): the few writable files take it whole (at most a page). */
static long
pfs_fo_write(struct file *fp, struct uio *uio)
{
	struct pfsfile *pf = fp->f_data;
	struct pfsnode *n = PFS_NODE(pf->pf_vp);
	char *buf;
	size_t len;
	long got;
	int error;

	if (n->pn_type != PFS_FILE || n->pn_gen->pg_write == NULL)
		return -EINVAL;
	if (n->pn_pid == 0 && curproc->p_euid != 0)
		return -EPERM;
	len = MIN(uio->uio_resid, (size_t)PAGE_SIZE);
	if ((buf = kmalloc(len + 1, 0)) == NULL)
		return -ENOMEM;
	if ((got = uio_move(buf, len, uio)) < 0) {
		kfree(buf);
		return got;
	}
	buf[got] = '\0';
	error = n->pn_gen->pg_write(buf, (size_t)got, n->pn_pid, n->pn_tid);
	kfree(buf);
	return error < 0 ? error : got;
}

/* lseek(2): anywhere at or past 0; the text is regenerated at 0. */
static off_t
pfs_fo_seek(struct file *fp, off_t offset, int whence)
{
	struct pfsfile *pf = fp->f_data;
	off_t base;

	mtx_lock(&pf->pf_lock);
	if (whence == SEEK_SET)
		base = 0;
	else if (whence == SEEK_CUR)
		base = fp->f_offset;
	else {
		mtx_unlock(&pf->pf_lock);
		return -EINVAL;		/* Linux: no SEEK_END on seq files */
	}
	if (base + offset < 0) {
		mtx_unlock(&pf->pf_lock);
		return -EINVAL;
	}
	fp->f_offset = base + offset;
	mtx_unlock(&pf->pf_lock);
	return base + offset;
}

static int
pfs_fo_stat(struct file *fp, struct l_stat *st)
{
	struct pfsfile *pf = fp->f_data;

	return vn_stat(pf->pf_vp, st);
}

static void
pfs_fo_close(struct file *fp)
{
	struct pfsfile *pf = fp->f_data;

	vrele(pf->pf_vp);
	kfree(pf->pf_buf);
	kfree(pf);
}

static const struct fileops pfs_fileops = {
	.fo_name = "proc",
	.fo_read = pfs_fo_read,
	.fo_write = pfs_fo_write,
	.fo_ioctl = NULL,
	.fo_close = pfs_fo_close,
	.fo_seek = pfs_fo_seek,
	.fo_stat = pfs_fo_stat,
	.fo_closefd = NULL,
	.fo_poll = NULL,
};

/*
 * vop_open: a procfs file is its own kind of open file, holding the
 * generated text, and a pipe reached through fd/N a new description of
 * the pipe.  A process's file whose process is gone: -ENOENT.
 */
static int
pfs_open(struct vnode *vp, int flags, struct file **fpp)
{
	struct pfsnode *n = PFS_NODE(vp);
	struct pfsfile *pf;
	struct file *fp;
	int error;

	if (n->pn_pid != 0 && pfs_proc_get(n->pn_pid, n->pn_tid, NULL) < 0) {
		error = -ENOENT;
		goto fail;
	}
	/* A pipe through fd/N: a new description of it (sys_pipe.c). */
	if (n->pn_type == PFS_FDPIPE) {
		if ((error = pfs_fd_getfile(n->pn_pid, n->pn_fd, &fp)) < 0)
			goto fail;
		error = pipe_reopen(fp, flags, fpp);
		file_rele(fp);
		goto fail;
	}
	/* Linux's sysctl files hold root to their owner bits too. */
	if ((flags & O_ACCMODE) != O_RDONLY && n->pn_type == PFS_FILE &&
	    pfs_is_sysctl(n->pn_gen) && !(n->pn_gen->pg_mode & 0200)) {
		error = -EACCES;
		goto fail;
	}
	if ((pf = kmalloc(sizeof(*pf), M_ZERO)) == NULL) {
		error = -ENOMEM;
		goto fail;
	}
	pf->pf_vp = vp;
	mtx_init(&pf->pf_lock, "procfs");
	if ((*fpp = file_alloc(&pfs_fileops, pf, flags)) == NULL) {
		kfree(pf);
		error = -ENOMEM;
		goto fail;
	}
	return 0;
fail:
	vrele(vp);
	return error;
}

static const struct vnodeops pfs_vnops = {
	.vop_lookup = pfs_lookup,
	.vop_create = pfs_nocreate,
	.vop_symlink = pfs_nosymlink,
	.vop_link = vop_eperm_link,
	.vop_remove = vop_eperm_remove,
	.vop_rename = vop_eperm_rename,
	.vop_readdir = pfs_readdir,
	.vop_read = pfs_read,
	.vop_write = pfs_write,
	.vop_getattr = pfs_getattr,
	.vop_setattr = pfs_setattr,
	.vop_readlink = pfs_readlink,
	.vop_fsync = vop_fsync_nothing,
	.vop_inactive = pfs_inactive,
	.vop_tmpfile = NULL,
	.vop_open = pfs_open,
	.vop_getlink = pfs_getlink,
};

static int
pfs_mount(struct mount *mp, const char *source, const char *data)
{
	struct pfsnode n;
	struct vnode *root;
	int error;

	(void)source;
	if (data != NULL && data[0] != '\0') {
		klog("procfs", "pid %d: mount options \"%s\" not supported",
		    curproc->p_pid, data);
		return -EINVAL;
	}
	memset(&n, 0, sizeof(n));
	n.pn_type = PFS_ROOT;
	if ((error = pfs_vget(mp, &n, &root)) < 0)
		return error;
	mp->mnt_data = NULL;
	mp->mnt_root = root;
	return 0;
}

static void
pfs_unmount(struct mount *mp)
{
	/*
	 * Nothing is left to free: vfs_mount_free's vrele of the root was
	 * its last reference, and pfs_inactive freed it with its node, as
	 * it frees every procfs vnode.  (Freeing it here again was a
	 * double free, caught as "vnode_free: referenced".)
	 */
	mp->mnt_root = NULL;
}

static int
pfs_statfs(struct mount *mp, struct l_statfs *sf)
{
	(void)mp;
	sf->f_type = PROC_SUPER_MAGIC;
	sf->f_bsize = PAGE_SIZE;
	sf->f_frsize = PAGE_SIZE;
	sf->f_namelen = NAME_MAX;
	return 0;
}

static const struct vfsops pfs_vfsops = {
	.vfs_name = "proc",
	.vfs_mount = pfs_mount,
	.vfs_unmount = pfs_unmount,
	.vfs_statfs = pfs_statfs,
	.vfs_sync = NULL,
	.vfs_nocache = true,
};

/*
 * Boot, after the other mounts: register "proc", make /proc if the
 * initramfs has none, and mount it there (nosuid, nodev, noexec, as
 * Linux distributions do).  Returns 0 or a negative errno (logged).
 */
int
procfs_init(void)
{
	vfs_register(&pfs_vfsops);
	return vfs_boot_mount("proc", "proc", "/proc", 0555,
	    MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
}
