/*
 * The system-call tracer (kern/kern_sctrace.c): the kernel's side of
 * prctl(PR_ECLIPSE_SCTRACE, ...) and bin/sctrace.  The record format, which
 * the tool reads, is in <sys/abi/sctrace.h>; Documentation/sctrace.md
 * describes both.
 *
 * A traced process holds a reference to a struct sctrace (p_sctrace): the
 * open file the records go to and the flags.  Children share it when it
 * was asked for with SCTRACE_F_INHERIT.  Records are written by the traced
 * thread itself, with no lock held, and may wait for room in a pipe.
 */
#ifndef _SYS_SCTRACE_H_
#define _SYS_SCTRACE_H_

#include <sys/abi/sctrace.h>
#include <sys/types.h>

struct proc;
struct thread;

/*
 * prctl(PR_ECLIPSE_SCTRACE, pid, fd, flags): trace pid (0: the caller)
 * into the caller's descriptor fd, or stop with fd -1.  Takes proc_lock.
 * Returns 0, -ESRCH, -EPERM, -EBADF, -EINVAL or -ENOMEM.
 */
long	sctrace_attach(long pid, long fd, unsigned long flags);

/*
 * The dispatcher's hooks (kern/kern_syscall.c), called by the traced
 * thread with no lock held: the call nr with its arguments starts, and
 * returns ret.  sctrace_enter sets td->td_sctraced when it wrote a
 * record; sctrace_return writes only then.
 */
void	sctrace_enter(struct thread *td, int nr, const uint64_t *args);
void	sctrace_return(struct thread *td, int nr, const uint64_t *args,
	    long ret);

/* fork: child shares parent's tracing if asked to; no lock held. */
void	sctrace_fork(struct proc *child, struct proc *parent);
/* A successful execve of p (committed): the EXECED record. */
void	sctrace_execed(struct proc *p);
/* p ends with wait status xstat: the EXIT record; tracing of p ends. */
void	sctrace_exit(struct proc *p, int xstat);

#endif /* _SYS_SCTRACE_H_ */
