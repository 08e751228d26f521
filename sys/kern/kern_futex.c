/* THROW-AWAY STUB in the threads branch until the futex helper's file lands. */
#include <sys/futex.h>
#include <sys/proc.h>
#include <sys/systm.h>
int
futex_wake_user(uintptr_t uaddr, int nwake)
{
	(void)uaddr; (void)nwake;
	return 0;
}
void
futex_robust_exit(struct thread *td)
{
	(void)td;
}
