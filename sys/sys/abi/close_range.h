/*
 * close_range(2)'s flags (uapi linux/close_range.h).  Includes nothing.
 */
#ifndef _SYS_ABI_CLOSE_RANGE_H_
#define _SYS_ABI_CLOSE_RANGE_H_

#define CLOSE_RANGE_UNSHARE	(1U << 1)	/* a private table first */
#define CLOSE_RANGE_CLOEXEC	(1U << 2)	/* set FD_CLOEXEC instead */

#endif /* _SYS_ABI_CLOSE_RANGE_H_ */
