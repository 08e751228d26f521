/*
 * File leases (kern/kern_lease.c): fcntl(2) F_SETLEASE and F_GETLEASE,
 * and the lease breaks that open(2) and truncate(2) start.
 */
#ifndef _SYS_LEASE_H_
#define _SYS_LEASE_H_

#include <sys/systm.h>

struct file;
struct vnode;

/*
 * fcntl(2) F_SETLEASE (arg F_RDLCK, F_WRLCK, F_UNLCK) or F_GETLEASE on
 * fp, open as descriptor fd, of vnode vp.  Returns 0 or the lease type
 * (F_GETLEASE), or -EACCES, -EINVAL, -EAGAIN, -ENOMEM.  Takes lease_lock.
 */
long	lease_fcntl(struct file *fp, struct vnode *vp, int fd,
	    unsigned int cmd, unsigned long arg);
/*
 * An open of vp with open(2)'s flags (truncate(2): O_WRONLY), already
 * counted as a reader or writer of vp, meets vp's leases: those it
 * conflicts with are broken (their holders signalled) and, unless flags
 * have O_NONBLOCK (then -EWOULDBLOCK at once), the caller sleeps until
 * they are released or downgraded, or lease-break-time passes.  Returns
 * 0, -EWOULDBLOCK or -EINTR.  Takes lease_lock; may sleep.
 */
int	lease_break(struct vnode *vp, int flags);
/* The last close of fp (vnode vp): its lease goes.  Takes lease_lock. */
void	lease_close_file(struct vnode *vp, struct file *fp);
/* /proc/sys/fs/lease-break-time: seconds a break may last. */
int	lease_break_time(void);
/* Set it: -EINVAL for a negative value. */
int	lease_set_break_time(int secs);

#endif /* _SYS_LEASE_H_ */
