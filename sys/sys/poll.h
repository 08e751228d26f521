/*
 * Waiting on files (kern/sys_poll.c): poll, select and epoll sleep until
 * one of several objects changes.
 *
 * An object that can be waited on (a pipe, the console, an eventfd, an
 * epoll set, a process's signals) has a struct pollhead: the list of the
 * entries registered on it.  Its fileops' fo_poll returns the events that
 * are ready now and, given a struct poll_table, also puts one entry on the
 * object's pollhead (poll_wait), so that the next change reaches the
 * waiter.  The object calls pollwakeup(ph, key) whenever something
 * changes (data, room, an end closed), key saying which events may have
 * become ready; each entry's pe_wake then runs: poll and select wake
 * their sleeping thread, epoll marks its item ready if the key concerns
 * it (so that a read, which makes room, is no new EPOLLIN edge).  A
 * waiter checks again after every wake-up: a wake-up says "look again",
 * never what is ready.
 *
 * An entry stays on the list until its owner takes it off
 * (poll_unregister), which poll does before it returns and epoll when the
 * item goes; the owner holds the file (poll) or is told when the file
 * goes (epoll_file_release), so the object outlives the entry.  An object
 * that may go while entries remain (a process's signal pollhead) calls
 * pollhead_detach, which wakes and unlinks them all.
 *
 * Lock order: an object's own lock, then poll_lock, then what a pe_wake
 * takes (an epoll set's ep_lock, sched_lock).  pe_wake runs with
 * poll_lock held and interrupts off (the console wakes from its
 * interrupt handler): it may not sleep, and it wakes nested pollheads
 * with pollwakeup_locked.
 *
 * Locks protecting members of these structs:
 *	I	immutable while registered
 *	P	poll_lock
 */
#ifndef _SYS_POLL_H_
#define _SYS_POLL_H_

#include <sys/abi/poll.h>
#include <sys/lock.h>
#include <sys/systm.h>
#include <sys/types.h>

struct file;
struct poll_entry;

/* The most pollheads one fo_poll registers on. */
#define POLL_MAXHEADS	2

struct pollhead {
	struct poll_entry *ph_first;	/* [P] registered entries */
};

struct poll_entry {
	struct pollhead	*pe_head;	/* [P] NULL: on no list */
	struct poll_entry *pe_next;	/* [P] */
	struct poll_entry **pe_prevp;	/* [P] */
	/* [I] key: the events that changed, 0 for any (epoll filters). */
	void		(*pe_wake)(struct poll_entry *pe, int key);
	void		*pe_arg;	/* [I] the owner's */
};

/*
 * Where fo_poll registers: pt_nent free entries at pt_ent, which
 * poll_wait hands out with pt_wake and pt_arg.  Owned by the waiter.
 */
struct poll_table {
	struct poll_entry *pt_ent;
	int		 pt_nent;
	void		(*pt_wake)(struct poll_entry *pe, int key);
	void		*pt_arg;
};

/* What poll reports for a file without fo_poll (Linux DEFAULT_POLLMASK). */
#define POLL_DEFAULT	(POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

extern struct spinlock poll_lock;

void	pollhead_init(struct pollhead *ph);
/*
 * fo_poll's registration: put the next free entry of pt (if pt is not
 * NULL) on ph.  Takes poll_lock; the caller may hold its object's lock.
 */
void	poll_wait(struct pollhead *ph, struct poll_table *pt);
/* Take pe off its list, if it is on one.  Takes poll_lock. */
void	poll_unregister(struct poll_entry *pe);
/*
 * Something changed in ph's object: run every entry's pe_wake with key,
 * the events that may have become ready (POLLIN when data came, POLLOUT
 * when room was made), or 0 when anything may have changed.
 */
void	pollwakeup(struct pollhead *ph, int key);
/* The same with poll_lock held (from a pe_wake). */
void	pollwakeup_locked(struct pollhead *ph, int key);
/* ph's object goes: wake and unlink every entry.  Takes poll_lock. */
void	pollhead_detach(struct pollhead *ph);

/*
 * The events of fp that are ready now, masked with events (POLLERR and
 * POLLHUP always count); with pt, the caller is also registered.
 */
int	poll_file(struct file *fp, int events, struct poll_table *pt);

/*
 * The signal mask a wait installs (ppoll, pselect6, epoll_pwait): set it
 * from uset (NULL: none; size must be 8), then put the old one back when
 * the wait ends with result (after the handler, for -EINTR).
 */
struct l_sigset;
int	poll_sigmask_set(const struct l_sigset __user *uset, size_t size,
	    bool *installed);
void	poll_sigmask_done(bool installed, long result);

/*
 * kern/sys_epoll.c: fp's last reference went: it leaves every epoll set
 * (Linux's eventpoll_release).  Called by file_rele before fo_close; no
 * lock held.
 */
void	epoll_file_release(struct file *fp);

/* kern/sys_pipe.c: the pipe behind a FIFO vnode (vfs_open_vnode). */
struct vnode;
int	pipe_fifo_open(struct vnode *vp, int flags, struct file **fpp);
/*
 * kern/sys_pipe.c: a new open file description of the pipe (or FIFO)
 * behind file pfp, held by the caller, with open(2)'s flags and fifo(7)'s
 * waits (procfs's /proc/PID/fd/N).  -ENXIO when pfp is no pipe.
 */
int	pipe_reopen(struct file *pfp, int flags, struct file **fpp);
/* kern/sys_pipe.c: fcntl F_GETPIPE_SZ and F_SETPIPE_SZ. */
long	pipe_fcntl_size(struct file *fp, unsigned int cmd, unsigned long arg);

#endif /* _SYS_POLL_H_ */
