/*
 * Scatter/gather vectors for readv(2) and writev(2) (uapi linux/uio.h).
 * Includes nothing.
 */
#ifndef _SYS_ABI_UIO_H_
#define _SYS_ABI_UIO_H_

struct l_iovec {
	void		*iov_base;	/* a user address */
	unsigned long	 iov_len;
};

#define UIO_FASTIOV	8	/* vectors Linux keeps on the stack */
#define UIO_MAXIOV	1024	/* IOV_MAX: more is EINVAL */

/* preadv2(2) and pwritev2(2) flags (linux/fs.h) */
#define RWF_HIPRI	0x00000001
#define RWF_DSYNC	0x00000002
#define RWF_SYNC	0x00000004
#define RWF_NOWAIT	0x00000008
#define RWF_APPEND	0x00000010

_Static_assert(sizeof(struct l_iovec) == 16, "l_iovec");
_Static_assert(__builtin_offsetof(struct l_iovec, iov_len) == 8, "iov_len");

#endif /* _SYS_ABI_UIO_H_ */
