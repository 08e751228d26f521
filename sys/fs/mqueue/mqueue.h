/*
 * POSIX message queues and their filesystem: what kern/kern_mqueue.c
 * (the queues and the system calls) and fs/mqueue/mqfs.c (the "mqueue"
 * filesystem, mounted on /dev/mqueue) share.
 *
 * There is one set of queues, as in Linux's single IPC namespace: a
 * table of names (kern_mqueue.c) that mq_open and mq_unlink use, and that
 * is the only directory of every mount of the filesystem.  Each mount has
 * its own root vnode and, for each queue it has looked up, one vnode
 * (struct mqfs_node, on the queue's mq_nodes list).  A node holds a
 * reference on its queue, and an open file of a queue (from mq_open or
 * from open(2) in a mount: the same kind of file) holds another, so a
 * queue lives while it has a name, a vnode or an open file.
 *
 *	mq_names --> mqueue --mq_nodes--> mqfs_node --mn_vnode--> vnode
 *	             ^  ^                    (mount A)   v_data --^
 *	             |  +-- mqfs_node of mount B ...
 *	             +----- struct file (f_data) of mq_open or open(2)
 *
 * One lock, mq_lock (a spin lock), protects the table, every queue's
 * changing fields, the nodes and the root directory's attributes.  The
 * filesystem takes its vnode references under it, and drops the last one
 * of a queue's vnode under it too (mqfs_inactive, see vnode.h).
 *
 * Lock order: mq_lock, then vnode_lock, poll_lock, proc_lock or
 * file_lock.  mq_lock is never held across a user copy or a sleep.
 *
 * Locks protecting members of these structs:
 *	I	immutable after creation
 *	m	mq_lock
 *	P	poll_lock
 */
#ifndef _FS_MQUEUE_MQUEUE_H_
#define _FS_MQUEUE_MQUEUE_H_

#include <sys/abi/signal.h>
#include <sys/abi/time.h>
#include <sys/lock.h>
#include <sys/poll.h>
#include <sys/types.h>
#include <sys/vnode.h>

struct file;
struct mq_msg;
struct uio;

#define MQ_STATUS_SIZE	80	/* a queue file's size, as Linux says */
#define MQFS_ROOT_INO	1	/* the root directory's inode number */

/*
 * A queue.  Sleep channels: &mq_nrecv (receivers: a message came),
 * &mq_nsend (senders: room came).
 */
struct mqueue {
	struct mqueue	*mq_next;	/* [m] the name table */
	char		*mq_name;	/* [m] NULL once unlinked */
	int		 mq_refs;	/* [m] name, nodes and open files */
	uint64_t	 mq_ino;	/* [I] its inode number */
	uint32_t	 mq_cuid;	/* [I] the user charged: the creator */
	uint32_t	 mq_uid;	/* [m] owner (chown) */
	uint32_t	 mq_gid;	/* [m] */
	uint32_t	 mq_mode;	/* [m] permission bits (chmod) */
	off_t		 mq_size;	/* [m] st_size: MQ_STATUS_SIZE, or
					   what truncate(2) set, as Linux */
	struct l_timespec mq_atime, mq_mtime, mq_ctime;	/* [m] */
	struct mqfs_node *mq_nodes;	/* [m] its vnodes, one per mount */
	long		 mq_maxmsg;	/* [I] */
	long		 mq_msgsize;	/* [I] */
	uint64_t	 mq_charge;	/* [I] bytes charged to mq_cuid */
	long		 mq_curmsgs;	/* [m] */
	uint64_t	 mq_qbytes;	/* [m] text bytes queued (QSIZE) */
	struct mq_msg	*mq_head;	/* [m] highest priority, oldest */
	struct mq_msg	*mq_tail;	/* [m] lowest priority, newest */
	int		 mq_nrecv;	/* [m] receivers asleep */
	int		 mq_nsend;	/* [m] senders asleep */
	int		 mq_notify_pid;	/* [m] registered process, 0 none */
	struct l_sigevent mq_notify;	/* [m] its request */
	struct pollhead	 mq_ph;		/* [P] poll and epoll waiters */
};

/* A queue's vnode in one mount (its v_data). */
struct mqfs_node {
	struct mqfs_node *mn_next;	/* [m] the queue's mq_nodes */
	struct mqueue	*mn_queue;	/* [I] a reference */
	struct vnode	*mn_vnode;	/* [I] */
};

extern struct spinlock mq_lock;

/* kern/kern_mqueue.c */
/*
 * Is name (len bytes) a valid queue name?  Returns 0, -ENOENT (empty),
 * -EACCES ('/', "." or ".."), -ENAMETOOLONG.
 */
int	mq_name_check(const char *name, size_t len);
/* The queue named name (len bytes), or NULL.  mq_lock held. */
struct mqueue *mq_lookup(const char *name, size_t len);
/* The named queue of the lowest inode number >= ino, or NULL (mq_lock). */
struct mqueue *mq_next_named(uint64_t ino);
/* How many queues have a name (the directory's size).  mq_lock held. */
int	mq_named_count(void);
/*
 * Create the queue name (len bytes) with the default attributes, the
 * permission bits mode (umask already applied) and the caller as owner,
 * as open(2) with O_CREAT in the filesystem does.  Takes mq_lock.
 * Returns 0 with *mqp referenced for the caller, -EEXIST, -ENOSPC,
 * -EMFILE (RLIMIT_MSGQUEUE), -ENOMEM.
 */
int	mq_create_named(const char *name, size_t len, uint32_t mode,
	    struct mqueue **mqp);
/*
 * Take the name off mq, which must still be called name (len bytes):
 * mq_unlink and unlink(2).  mq_lock held.  Returns 0 or -ENOENT.
 */
int	mq_unlink_locked(struct mqueue *mq, const char *name, size_t len);
/* One more reference to mq (mq_lock held). */
void	mq_hold(struct mqueue *mq);
/* Drop a reference; the last one frees mq.  mq_lock held. */
void	mq_drop(struct mqueue *mq);
/*
 * A new open file of mq with open(2)'s flags (the access mode,
 * O_NONBLOCK...), with its own reference to mq.  Returns 0 with *fpp or
 * -ENOMEM.
 */
int	mq_file_open(struct mqueue *mq, int flags, struct file **fpp);
/*
 * Read mq's status line ("QSIZE:...") from uio->uio_offset.  Takes
 * mq_lock.  Returns the bytes moved or -EFAULT.
 */
long	mq_status_read(struct mqueue *mq, struct uio *uio);

/* fs/mqueue/mqfs.c */
/* A queue's attributes as stat(2) shows them.  mq_lock held. */
void	mqfs_queue_attr(const struct mqueue *mq, struct vattr *va);
/*
 * mq_unlink's side of the name cache (vnode.h): with mq_lock held,
 * mqfs_hold_vnodes takes references to mq's vnodes (0 or -ENOMEM); once
 * the name is gone and mq_lock dropped, mqfs_purge makes the cache
 * forget the name in each of their mounts and lets them go.
 */
int	mqfs_hold_vnodes(struct mqueue *mq, struct vnode ***vpsp, int *np);
void	mqfs_purge(struct vnode **vps, int n, const char *name, size_t len);
/* A name came or went: the directory's mtime and ctime.  mq_lock held. */
void	mqfs_dir_changed(void);
/* The st_dev of queue files opened by mq_open (the first mount's). */
uint32_t mqfs_dev(void);
/*
 * May the caller remove mq from the directory (the sticky bit: owner of
 * the queue or of the directory, or root)?  mq_lock held.  0 or -EPERM.
 */
int	mqfs_may_delete(const struct mqueue *mq);
/*
 * Boot: register the filesystem "mqueue", make /dev/mqueue in devtmpfs
 * and mount it there, as systemd does on Linux.  Returns 0 or a negative
 * errno (logged).
 */
int	mqfs_init(void);

#endif /* _FS_MQUEUE_MQUEUE_H_ */
