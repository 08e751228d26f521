/*
 * The system-call dispatcher.
 *
 * The entry stub (arch/x86_64/syscall_entry.S) saves the user's registers
 * in a trap frame and calls syscall_dispatch(), which looks the number up
 * in syscall_table[] (generated from kern/syscalls.master, see
 * sys/sys/syscall.h), hands the six argument registers to the entry's
 * wrapper, and puts the handler's result in the frame's rax, where the
 * stub's sysret returns it to the program.
 *
 * A number that is not in the table, or whose row has no handler, returns
 * -ENOSYS and is logged once per number, naming the call, so a port that
 * needs something missing says what it is:
 *
 *	syscall: pid 3 (busybox): rt_sigaction (13) not implemented
 *
 * Locks protecting the variables below:
 *	a	none: changed only with atomic operations
 *	l	syscall_log_lock, the short list of unknown numbers logged
 */
#include <sys/errno.h>
#include <sys/lock.h>
#include <sys/proc.h>
#include <sys/sctrace.h>
#include <sys/syscall.h>
#include <sys/systm.h>

#include <machine/frame.h>

#include <syscall_nr.h>

/* Out-of-range numbers logged by number; past this many, no more. */
#define SYSCALL_UNKNOWN_LOGGED	16

static uint64_t syscall_calls[SYS_MAXSYSCALL];		/* [a] */
static uint64_t syscall_logged[(SYS_MAXSYSCALL + 63) / 64]; /* [a] */
static struct spinlock syscall_log_lock = SPINLOCK_INIT("syscall_log");
static uint32_t syscall_unknown[SYSCALL_UNKNOWN_LOGGED]; /* [l] */
static unsigned int syscall_nunknown;			/* [l] */

_Static_assert(SYSCALL_MAXARGS == 6, "the dispatcher unpacks six registers");

/*
 * Run the system call in tf: number in rax; arguments in rdi, rsi, rdx,
 * r10, r8, r9 (the x86_64 Linux convention: r10 replaces rcx, which the
 * syscall instruction overwrites with the return address); the result or
 * a negative errno back in rax.  Interrupts on, no lock held.
 *
 * Like Linux since 5.10 (arch/x86/entry/common.c, do_syscall_64), only
 * the low 32 bits of rax are the number, taken as unsigned: -1 and
 * anything with the x32 bit (0x40000000) set are simply out of range.
 */
void
syscall_dispatch(struct trapframe *tf)
{
	const struct sysent *se;
	uint64_t args[SYSCALL_MAXARGS];
	uint32_t nr = (uint32_t)tf->tf_rax;
	struct thread *td = curthread;
	long ret;

	td->td_sysnr = nr < SYS_MAXSYSCALL ? (int)nr : -1;
	td->td_sysintr = false;
	if (nr >= SYS_MAXSYSCALL) {
		tf->tf_rax = (uint64_t)sys_nosys(nr);
		return;
	}
	__atomic_fetch_add(&syscall_calls[nr], 1, __ATOMIC_RELAXED);
	se = &syscall_table[nr];
	args[0] = tf->tf_rdi;
	args[1] = tf->tf_rsi;
	args[2] = tf->tf_rdx;
	args[3] = tf->tf_r10;
	args[4] = tf->tf_r8;
	args[5] = tf->tf_r9;
	/* The tracer (kern_sctrace.c): p_sctrace is only a hint here. */
	if (__unlikely(td->td_proc->p_sctrace != NULL))
		sctrace_enter(td, (int)nr, args);
	if (se->sy_call == NULL) {
		ret = sys_nosys(nr);
	} else {
		ret = se->sy_call(args);
		if (se->sy_flags & SYF_NORETURN)
			panic("syscall: %s (%u) returned %ld", se->sy_name,
			    nr, ret);
	}
	/* Only an -EINTR from tsleep_sig may be restarted (kern_sig.c). */
	if (ret != -EINTR)
		td->td_sysintr = false;
	if (__unlikely(td->td_sctraced))
		sctrace_return(td, (int)nr, args, ret);
	tf->tf_rax = (uint64_t)ret;
}

/* True the first time an unknown number is seen (up to the list's size). */
static bool
syscall_unknown_first(uint32_t nr, bool *full)
{
	unsigned int i;
	bool first = true;

	*full = false;
	spin_lock(&syscall_log_lock);
	for (i = 0; i < syscall_nunknown; i++) {
		if (syscall_unknown[i] == nr) {
			first = false;
			break;
		}
	}
	if (first) {
		if (syscall_nunknown < SYSCALL_UNKNOWN_LOGGED)
			syscall_unknown[syscall_nunknown++] = nr;
		else
			first = false;
		*full = syscall_nunknown == SYSCALL_UNKNOWN_LOGGED && first;
	}
	spin_unlock(&syscall_log_lock);
	return first;
}

/*
 * The answer to a number without a handler: -ENOSYS.  The first call of
 * each table number is logged by name; numbers outside the table are
 * logged by number, the first SYSCALL_UNKNOWN_LOGGED distinct ones only.
 * Takes syscall_log_lock briefly; never sleeps.
 */
long
sys_nosys(uint64_t nr)
{
	struct thread *td = curthread;
	struct proc *p = td != NULL ? td->td_proc : NULL;
	int pid = p != NULL ? p->p_pid : -1;
	const char *comm = p != NULL ? p->p_comm : "none";
	uint64_t bit;
	bool full;

	if (nr < SYS_MAXSYSCALL && syscall_table[nr].sy_name != NULL) {
		bit = 1ULL << (nr % 64);
		if (__atomic_fetch_or(&syscall_logged[nr / 64], bit,
		    __ATOMIC_RELAXED) & bit)
			return -ENOSYS;
		kprintf("syscall: pid %d (%.*s): %s (%u) not implemented\n",
		    pid, PROC_NAME_MAX, comm, syscall_table[nr].sy_name,
		    (unsigned int)nr);
		return -ENOSYS;
	}
	if (!syscall_unknown_first((uint32_t)nr, &full))
		return -ENOSYS;
	kprintf("syscall: pid %d (%.*s): unknown system call %d\n", pid,
	    PROC_NAME_MAX, comm, (int)(uint32_t)nr);
	if (full)
		kprintf("syscall: further unknown numbers are not logged\n");
	return -ENOSYS;
}

/* Linux's name for nr, or NULL.  No lock: the table is read-only. */
const char *
syscall_name(uint64_t nr)
{
	if (nr >= SYS_MAXSYSCALL)
		return NULL;
	return syscall_table[nr].sy_name;
}

/* Calls of nr since boot, 0 when out of range.  Lock-free. */
uint64_t
syscall_count(uint64_t nr)
{
	if (nr >= SYS_MAXSYSCALL)
		return 0;
	return __atomic_load_n(&syscall_calls[nr], __ATOMIC_RELAXED);
}
