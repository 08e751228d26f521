/*
 * Futexes (kern/kern_futex.c): what the rest of the kernel calls.
 */
#ifndef _SYS_FUTEX_H_
#define _SYS_FUTEX_H_

#include <sys/types.h>

struct thread;

/*
 * Wake up to nwake waiters on the futex at uaddr of the current process,
 * as FUTEX_WAKE without FUTEX_PRIVATE_FLAG does.  Returns how many woke.
 */
int	futex_wake_user(uintptr_t uaddr, int nwake);
/* Walk td's robust list as td dies (the current address space). */
void	futex_robust_exit(struct thread *td);

#endif /* _SYS_FUTEX_H_ */
