/*
 * Advisory file locks (kern/kern_lockf.c): fcntl record locks, open file
 * description locks and flock(2).
 */
#ifndef _SYS_LOCKF_H_
#define _SYS_LOCKF_H_

#include <sys/systm.h>

struct file;
struct l_flock;
struct proc;
struct vnode;

/* fcntl's F_GETLK, F_SETLK(W) and F_OFD_* on fp (vnode vp). */
long	lockf_fcntl(struct file *fp, struct vnode *vp, unsigned int cmd,
	    struct l_flock __user *arg);
/* p closed a descriptor of vp: its POSIX record locks on vp go. */
void	lockf_close_posix(struct vnode *vp, struct proc *p);
/* The last close of fp: its OFD and flock locks go. */
void	lockf_close_file(struct vnode *vp, struct file *fp);

#endif /* _SYS_LOCKF_H_ */
