/*
 * The proc filesystem (proc(5)): processes and kernel state as files,
 * laid out as Linux writes them, so that ps, top, free, uptime, kill,
 * pidof and the like work unchanged.
 *
 * Nothing is stored: a vnode names a node by its kind and the process,
 * thread and descriptor it is about (struct pfsnode), and is made on
 * each lookup and freed with its last reference.  A file's text is
 * generated from kernel state when the file is opened for reading (or
 * read again from offset 0, or after a seek to 0) into a buffer of the
 * open file (struct pfsfile), from which reads are served.  Lookups are
 * never remembered in the name cache (vfs_nocache): a process that goes
 * takes its directory with it at once.
 *
 * cwd, exe, root and fd/N are "magic" links: readlink gives a path,
 * but following one (vop_getlink) gives the vnode itself, as Linux does.
 *
 * Locking: procfs has no state of its own to lock; generators take
 * proc_lock (and the locks of the subsystems they read) while they copy
 * what they print, and a pfsfile's pf_lock serializes its buffer.
 */
#ifndef _FS_PROCFS_PROCFS_H_
#define _FS_PROCFS_PROCFS_H_

#include <sys/mutex.h>
#include <sys/types.h>

struct proc;
struct vnode;

#define PROC_SUPER_MAGIC	0x9fa0	/* statfs f_type (Linux) */

/* What a node is. */
enum pfstype {
	PFS_ROOT = 1,		/* /proc */
	PFS_SELF,		/* /proc/self -> pid */
	PFS_THREADSELF,		/* /proc/thread-self -> pid/task/tid */
	PFS_SYSDIR,		/* /proc/sys */
	PFS_SYSKERNDIR,		/* /proc/sys/kernel */
	PFS_SYSVMDIR,		/* /proc/sys/vm */
	PFS_PIDDIR,		/* /proc/pid and /proc/pid/task/tid */
	PFS_TASKDIR,		/* /proc/pid/task */
	PFS_FDDIR,		/* /proc/pid/fd */
	PFS_FDINFODIR,		/* /proc/pid/fdinfo */
	PFS_FD,			/* /proc/pid/fd/N: magic link */
	PFS_FDINFO,		/* /proc/pid/fdinfo/N */
	PFS_CWD,		/* magic links of a process */
	PFS_EXE,
	PFS_ROOTLINK,
	PFS_FILE,		/* a generated file (pn_gen) */
	PFS_MOUNTSLINK,		/* /proc/mounts -> self/mounts */
	PFS_SYSKERNPTYDIR,	/* /proc/sys/kernel/pty */
	PFS_NETDIR,		/* /proc/net */
	PFS_FSDIR,		/* /proc/fs */
	PFS_FSTYPEDIR,		/* /proc/fs/<type>: pn_tid its index in
				   pfs_fstypes */
	PFS_FSINSTDIR,		/* /proc/fs/<type>/<instance>: pn_fd is
				   its id */
	PFS_FSFILE,		/* a file of one (pn_gen, for pn_fd) */
	PFS_SYSVIPCDIR,		/* /proc/sysvipc */
	PFS_SYSFSDIR,		/* /proc/sys/fs */
	PFS_FDPIPE,		/* what fd/N of a pipe or FIFO names (pn_fd) */
	PFS_FDSOCK,		/* what fd/N of a socket names (pn_fd) */
};

struct pfsbuf;

/* A generated file: what it prints, and whether root may write it. */
struct pfsgen {
	const char	*pg_name;
	uint32_t	 pg_mode;
	/* Print the file for process pid, thread tid (0: none). */
	int		(*pg_print)(struct pfsbuf *sb, int pid, int tid);
	/*
	 * Optional: take a write of len bytes (buf NUL-terminated) to the
	 * file of pid and tid (0: none).  Files of no process are root's
	 * alone (checked before); a process's files check for themselves.
	 */
	int		(*pg_write)(const char *buf, size_t len, int pid,
			    int tid);
};

/* What a vnode of procfs names; immutable after creation. */
struct pfsnode {
	enum pfstype	 pn_type;
	int		 pn_pid;	/* 0: none */
	int		 pn_tid;	/* in task/tid, else 0 */
	int		 pn_fd;		/* PFS_FD, PFS_FDINFO */
	const struct pfsgen *pn_gen;	/* PFS_FILE */
};

/* A growing text buffer of the generators. */
struct pfsbuf {
	char		*sb_buf;
	size_t		 sb_len;
	size_t		 sb_cap;
	int		 sb_error;	/* -ENOMEM once a growth failed */
};

int	pfs_printf(struct pfsbuf *sb, const char *fmt, ...) __printflike(2, 3);
int	pfs_putbytes(struct pfsbuf *sb, const void *p, size_t len);

/*
 * A filesystem's files per mount, /proc/fs/<type>/<instance>/<file>
 * (as Linux's /proc/fs/ext4/sda1/): the instances are the filesystem's
 * (its mounts), each with an id (nonnegative) and a name; the files are
 * a table whose pg_print gets the instance's id in place of a pid (and
 * tid 0), and returns -ENOENT once the instance is gone.
 */
struct pfs_fstype {
	const char	*pt_name;
	/* The instance of the smallest id above after (-1: the first):
	 * its id, its name into buf; -ENOENT past the last. */
	int		(*pt_next)(int after, char *buf, size_t len);
	/* The id of the instance called name, or -ENOENT. */
	int		(*pt_find)(const char *name, size_t len);
	const struct pfsgen *pt_files;
};
/* fs/eclipsefs/efs_vfsops.c: /proc/fs/eclipsefs/<device>/stats. */
extern const struct pfs_fstype efs_pfs_fstype;

/* procfs_gen.c: the tables of generated files. */
extern const struct pfs_fstype *const pfs_fstypes[];
extern const struct pfsgen pfs_root_files[];
extern const struct pfsgen pfs_pid_files[];
extern const struct pfsgen pfs_sysvipc_files[];
extern const struct pfsgen pfs_sys_kernel_files[];
extern const struct pfsgen pfs_sys_kernel_pty_files[];
extern const struct pfsgen pfs_net_files[];
extern const struct pfsgen pfs_sys_vm_files[];
extern const struct pfsgen pfs_sys_fs_files[];

/*
 * procfs_gen.c: the path of vp as the current process sees it (from its
 * root; getcwd's rules) into buf of size len; returns the length or a
 * negative errno.
 */
long	pfs_vnpath(struct vnode *vp, char *buf, size_t len);

/* procfs_gen.c: /proc/pid/fdinfo/fd. */
int	pfs_print_fdinfo(struct pfsbuf *sb, int pid, int fd);
/*
 * The open file behind descriptor fd of process pid, referenced, in *fpp;
 * -ENOENT when there is none.  Takes proc_lock.
 */
int	pfs_fd_getfile(int pid, int fd, struct file **fpp);

/*
 * kern/kern_misc.c: the node name for /proc/sys/kernel/hostname, read,
 * and set as sethostname(2) does (the caller checked for root).
 */
void	misc_hostname_get(char *buf, size_t len);
int	misc_hostname_set(const char *name, size_t len);

/* Boot: register "proc" and mount it on /proc. */
int	procfs_init(void);

#endif /* _FS_PROCFS_PROCFS_H_ */
