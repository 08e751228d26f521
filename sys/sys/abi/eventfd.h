/*
 * eventfd(2)'s flags (glibc's sys/eventfd.h; the kernel's
 * include/linux/eventfd.h is not exported as uapi).  Includes nothing.
 */
#ifndef _SYS_ABI_EVENTFD_H_
#define _SYS_ABI_EVENTFD_H_

#define EFD_SEMAPHORE	00000001	/* read takes 1, not the count */
#define EFD_NONBLOCK	00004000	/* O_NONBLOCK */
#define EFD_CLOEXEC	02000000	/* O_CLOEXEC */

#endif /* _SYS_ABI_EVENTFD_H_ */
