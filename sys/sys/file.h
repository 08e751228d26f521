/*
 * Open file descriptions and per-process descriptor tables
 * (kern/kern_descrip.c).
 *
 * A struct file is what open(2) or pipe(2) creates: a set of operations,
 * the status flags (access mode, O_APPEND, O_NONBLOCK), the offset, and
 * the object behind it (f_data: a pipe, the console; the VFS adds
 * vnodes).  Descriptors are references to it: dup(2) and fork(2) share
 * one description, so they share its flags and offset.  It is freed, and
 * its fo_close runs, when the last reference goes.
 *
 * A struct filedesc is a process's table: slot i is descriptor i, with
 * its close-on-exec bit.  It grows on demand up to the process's
 * RLIMIT_NOFILE soft limit.  fork and clone copy it (sharing it, for
 * CLONE_FILES, comes with threads).
 *
 * Lock order: fd_lock (or an object's lock, such as a pipe's), then
 * file_lock, which is always taken last.  Neither is held across a sleep
 * or a user copy: the operations run on a reference from fd_getfile().
 *
 * Locks protecting members of these structs:
 *	I	immutable after creation
 *	f	file_lock
 *	d	fd_lock of the table
 *	o	the file's own operations (a vnode's v_iolock for f_offset)
 */
#ifndef _SYS_FILE_H_
#define _SYS_FILE_H_

#include <sys/abi/uio.h>
#include <sys/lock.h>
#include <sys/types.h>

struct file;
struct l_stat;
struct mount;
struct vnode;
struct poll_table;
struct proc;

/*
 * A transfer between user memory and a file: a kernel copy of the user's
 * iovec array, consumed as bytes move (uio_move).  uio_offset is the
 * position for a seekable file (read, write: the file's offset; pread,
 * pwrite: the caller's).
 */
struct uio {
	struct l_iovec	*uio_iov;	/* the vectors still to do */
	int		 uio_iovcnt;
	size_t		 uio_resid;	/* bytes left in them */
	off_t		 uio_offset;
	bool		 uio_write;	/* user -> kernel */
	/*
	 * A transfer the kernel makes for itself (the tracer's records,
	 * kern/kern_sctrace.c): the iovecs hold kernel addresses, and a
	 * write to a pipe with no reader fails with EPIPE but sends no
	 * SIGPIPE, which the process did not ask for.
	 */
	bool		 uio_kernel;
	/*
	 * read/write (not pread/pwrite): a seekable file's operation takes
	 * its position from f_offset and advances it itself, under its own
	 * lock, so that descriptions shared by fork move as one.
	 */
	bool		 uio_fileoff;
};

/*
 * Move up to n bytes between kbuf and the user memory uio describes (out
 * for a read, in for a write), advancing uio.  Returns the bytes moved,
 * or -EFAULT when the first user copy fails (a later failure ends the
 * move short, with what was moved).
 */
long	uio_move(void *kbuf, size_t n, struct uio *uio);
/* uio as a transfer of kernel memory buf (len bytes) at file offset off. */
void	uio_init_kernel(struct uio *uio, struct l_iovec *iov, void *buf,
	    size_t len, off_t off, bool writing);

/*
 * What a kind of file does.  fo_read and fo_write transfer uio (its
 * uio_resid > 0) and return the bytes moved or a negative errno;
 * fo_ioctl returns a result or a negative errno (-ENOTTY when the
 * command means nothing to the file); fo_close releases f_data when the
 * last reference to the file goes.  FIONBIO, FIOCLEX and FIONCLEX are
 * handled before fo_ioctl.  fo_seek, NULL for a file that has no
 * position (a pipe, a terminal: lseek, pread and pwrite then fail with
 * ESPIPE), returns the new offset for lseek(2)'s offset and whence (one
 * of SEEK_SET..SEEK_HOLE) or a negative errno.  poll and stat come with
 * the VFS issue.
 */
struct fileops {
	const char	*fo_name;
	long		(*fo_read)(struct file *fp, struct uio *uio);
	long		(*fo_write)(struct file *fp, struct uio *uio);
	long		(*fo_ioctl)(struct file *fp, unsigned int cmd,
			    unsigned long arg);
	void		(*fo_close)(struct file *fp);
	off_t		(*fo_seek)(struct file *fp, off_t offset,
			    int whence);
	/* fstat(2): what the file is (NULL: a vnode's attributes). */
	int		(*fo_stat)(struct file *fp, struct l_stat *st);
	/* Process p closed one descriptor of fp (NULL: nothing to do). */
	void		(*fo_closefd)(struct file *fp, struct proc *p);
	/*
	 * poll(2) and epoll: the POLL* events ready now and, when pt is not
	 * NULL, the caller registered on the object (<sys/poll.h>).  NULL:
	 * always readable and writable, and not for epoll (EPERM).
	 */
	int		(*fo_poll)(struct file *fp, int events,
			    struct poll_table *pt);
};

struct file {
	const struct fileops *f_ops;	/* [I] */
	void		*f_data;	/* [I] the object behind it */
	int		 f_flags;	/* [f] (O_ACCMODE: [I]) status */
	int		 f_count;	/* [f] references */
	off_t		 f_offset;	/* [o] */
	/*
	 * The device node (VCHR) a driver's file was opened through, held,
	 * or NULL: what fstat, fchown, fchmod and /proc/PID/fd/N see of it,
	 * as Linux's file of a device keeps its inode and path.  Set by
	 * vfs_open before the file is installed; released when it is freed.
	 */
	struct vnode	*f_node;	/* [I] */
	/*
	 * fcntl(2) F_SETSIG: the signal a lease break sends the holder (0:
	 * SIGIO, without the file's details).
	 */
	int		 f_sig;		/* [f] */
	/*
	 * For a vnode file opened through a bind mount that f_data is not
	 * a vnode of (a file found in a bound directory, a file bound onto
	 * a file): that bind, held (vfs_mount_hold), whose read-only flag
	 * and writers are the file's; else NULL.  Released by its close.
	 */
	struct mount	*f_mount;	/* [I] */
};

struct filedesc {
	struct spinlock	 fd_lock;
	int		 fd_nfiles;	/* [d] slots in the arrays */
	struct file	**fd_ofiles;	/* [d] NULL: not open */
	uint8_t		*fd_oflags;	/* [d] FD_CLOEXEC per slot */
};

extern struct spinlock file_lock;

/* Allocation and references (file_lock taken inside). */
struct file *file_alloc(const struct fileops *ops, void *data, int flags);
void	file_hold(struct file *fp);
void	file_rele(struct file *fp);
int	file_getflags(struct file *fp);
/* fo_stat of a file with no inode of its own (an anonymous inode). */
int	file_stat_anon(struct file *fp, struct l_stat *st);

/* The table of the current process. */
int	fd_getfile(int fd, struct file **fpp);
/* fd_getfile of a file whose operations are ops; else wrong (an errno). */
int	fd_getfile_ops(int fd, const struct fileops *ops, int wrong,
	    struct file **fpp);
int	fd_install(struct file *fp, int minfd, bool cloexec);
int	fd_install_pair(struct file *fp[2], int fds[2], bool cloexec);

/*
 * Another process's table (procfs): fd's file of p, held (-EBADF), and
 * the lowest open descriptor at or above fd (-1: none).  proc_lock held
 * (fd_release takes p_fd away under it).
 */
int	fd_proc_getfile(struct proc *p, int fd, struct file **fpp);
int	fd_proc_next(struct proc *p, int fd);
int	fd_proc_count(struct proc *p);

/* Process life: fork, exec, exit, and the first process's console. */
int	fd_fork(struct proc *child, struct proc *parent);
void	fd_exec(struct proc *p);
void	fd_release(struct proc *p);
int	fd_init_console(struct proc *p);

/*
 * kern/tty_cons.c: a new open file description of the console terminal
 * (init's descriptors 0-2: no controlling terminal is acquired).
 */
struct file *cons_file_open(void);
/* kern/tty_cons.c: /dev/console (5:1) and /dev/tty (5:0), at boot. */
void	cons_cdev_init(void);
/*
 * A terminal device name that opens a console terminal (/dev/console;
 * kern/tty_dev.c: tty0-tty4, ttyS0-ttyS3): what fstat shows, and whether
 * opening it may make it the controlling terminal (not for /dev/console
 * and tty0, as Linux).
 */
struct cons_node {
	uint32_t	cnd_dev;	/* [I] */
	uint32_t	cnd_mode;	/* [I] permission bits */
	bool		cnd_noctty;	/* [I] never a controlling tty */
};
/*
 * Open /dev/console's terminal (the device of the last console=, see
 * kern/tty_cons.c) under the name node with open(2)'s flags
 * (O_NOCTTY, O_NONBLOCK, access mode).  No lock held.  Returns 0, or
 * -ENOMEM, -EBUSY (TIOCEXCL), -ENXIO (no console terminal).
 */
int	cons_tty_open(const struct cons_node *node, int flags,
	    struct file **fpp);

#endif /* _SYS_FILE_H_ */
