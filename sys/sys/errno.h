/* The kernel's error numbers are Linux's: see sys/abi/errno.h. */
#ifndef _SYS_ERRNO_H_
#define _SYS_ERRNO_H_

#include <sys/abi/errno.h>

#endif /* _SYS_ERRNO_H_ */
