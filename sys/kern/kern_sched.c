/*
 * The scheduler: threads, a round-robin run queue with time slices driven
 * by the timer tick, and sleep/wakeup on named channels.
 *
 * One run queue, first in first out; a thread runs until it sleeps,
 * yields, or uses up its slice (SCHED_SLICE ticks), when the tick asks for
 * a switch and the interrupt's way out (sched_preempt_check) makes it.
 * When nothing is runnable the idle thread halts the CPU until the next
 * interrupt.
 *
 * sched_lock, a spin lock, protects the run queue, the sleep list, the
 * dead list and every thread's [s] fields (sys/sys/proc.h).  It is only
 * ever taken with interrupts already off, so its saved interrupt state is
 * always "off"; each path saves and restores its own caller's state
 * around the switch.  A thread switched to while the lock is held releases
 * it on the other side (after cpu_switch returns, or in
 * sched_thread_start for a thread that never ran).
 */
#include <sys/clock.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vm_map.h>

#include <machine/cpu.h>
#include <machine/cpufunc.h>

#define SCHED_SLICE	2	/* ticks: 20 ms */

struct cpu cpu0;
struct proc proc0;
struct spinlock sched_lock = SPINLOCK_INIT("sched_lock");

static struct thread thread0;		/* the boot thread */
static struct thread *runq_head, *runq_tail;	/* [s] */
static struct thread *sleepq;		/* [s] all sleeping threads */
static struct thread *deadq;		/* [s] exited, stacks to free */
static struct thread *allthreads;	/* [s] */
static int next_tid = 1;		/* [s] kernel threads' ids */

extern char boot_kstack[];

static void
runq_add(struct thread *td)
{
	KASSERT(spin_held(&sched_lock), "sched_lock");
	td->td_runq_next = NULL;
	if (runq_tail != NULL)
		runq_tail->td_runq_next = td;
	else
		runq_head = td;
	runq_tail = td;
}

static struct thread *
runq_take(void)
{
	struct thread *td = runq_head;

	KASSERT(spin_held(&sched_lock), "sched_lock");
	if (td != NULL) {
		runq_head = td->td_runq_next;
		if (runq_head == NULL)
			runq_tail = NULL;
		td->td_runq_next = NULL;
	}
	return td;
}

/* Free the stacks of threads that exited; never the running one. */
static void
sched_reap(void)
{
	struct thread *td, *keep = NULL;

	KASSERT(spin_held(&sched_lock), "sched_lock");
	while ((td = deadq) != NULL) {
		deadq = td->td_runq_next;
		if (td == curthread) {
			td->td_runq_next = keep;
			keep = td;
			continue;
		}
		kfree(td->td_kstack);
		kfree(td);
	}
	deadq = keep;
}

/* Account the CPU time of the thread leaving the CPU at now. */
static void
sched_account(struct thread *td, uint64_t now)
{
	uint64_t ran = now - td->td_switched_ns;

	td->td_runtime_ns += ran;
	if (td->td_proc != NULL && td->td_proc != &proc0) {
		if (td->td_user)
			td->td_proc->p_utime_ns += ran;
		else
			td->td_proc->p_stime_ns += ran;
	}
}

/*
 * Switch to the next runnable thread (or idle).  The current thread goes
 * back on the run queue if it is still runnable.  Called with sched_lock
 * held and interrupts off; returns, with both still so, when this thread
 * runs again.
 */
static void
sched_switch(void)
{
	struct cpu *ci = &cpu0;
	struct thread *cur = ci->ci_curthread, *next;
	uint64_t now;

	KASSERT(spin_held(&sched_lock), "sched_lock");
	KASSERT((read_rflags() & PSL_I) == 0, "sched_switch: interrupts on");
	if (cur->td_state == TDS_RUNNABLE && cur != ci->ci_idle)
		runq_add(cur);
	if ((next = runq_take()) == NULL)
		next = ci->ci_idle;
	ci->ci_want_resched = 0;
	next->td_slice_end = ticks + SCHED_SLICE;
	if (next == cur)
		return;
	now = clock_monotonic_ns();
	sched_account(cur, now);
	next->td_switched_ns = now;
	if (cur->td_user)
		cpu_fpu_save(cur);
	cpu_switch_prepare(ci, next);
	/*
	 * The next thread's address space (the kernel's alone for kernel
	 * threads, so none keeps a freed process's page tables loaded).
	 */
	vmspace_activate(next->td_proc != NULL ? next->td_proc->p_vmspace :
	    NULL);
	ci->ci_curthread = next;
	cpu_switch(cur, next);
	/* Back on the CPU. */
	if (cur->td_user)
		cpu_fpu_restore(cur);
	sched_reap();
}

/*
 * The first code a new thread runs (from the trampolines in switch.S):
 * finish the switch that brought it here, then run with interrupts on.
 */
void
sched_thread_start(void)
{
	struct thread *td = curthread;

	if (td->td_user)
		cpu_fpu_restore(td);
	sched_reap();
	spin_unlock(&sched_lock);
	intr_enable();
}

/* Give up the CPU to any other runnable thread. */
void
sched_yield(void)
{
	uint64_t rflags = read_rflags();

	intr_disable();
	spin_lock(&sched_lock);
	sched_switch();
	spin_unlock(&sched_lock);
	write_rflags(rflags);
}

/* Make td runnable (a new thread, or one woken up). */
void
sched_add(struct thread *td)
{
	uint64_t rflags = read_rflags();

	intr_disable();
	spin_lock(&sched_lock);
	td->td_state = TDS_RUNNABLE;
	runq_add(td);
	if (cpu0.ci_curthread == cpu0.ci_idle)
		cpu0.ci_want_resched = 1;
	spin_unlock(&sched_lock);
	write_rflags(rflags);
}

/* Wake td (sched_lock held): off the sleep list, onto the run queue. */
static void
sched_wake_locked(struct thread *td)
{
	struct thread **pp;

	for (pp = &sleepq; *pp != NULL; pp = &(*pp)->td_runq_next) {
		if (*pp == td) {
			*pp = td->td_runq_next;
			break;
		}
	}
	td->td_wchan = NULL;
	td->td_wmesg = NULL;
	td->td_wakeup_ns = 0;
	td->td_sleep_intr = false;
	td->td_state = TDS_RUNNABLE;
	runq_add(td);
	/* Let the woken thread run soon: idle, or at the next tick. */
	cpu0.ci_want_resched = 1;
}

/*
 * Sleep on chan until wakeup(chan), or until timeout_ns nanoseconds pass
 * when it is not 0, or (intr) until a signal comes.  lock, when not NULL,
 * is held by the caller; it is released once this thread is on the sleep
 * list (so no wakeup is lost) and taken again before returning, with the
 * caller's interrupt state.  Returns 0 when woken, -ETIMEDOUT when the
 * time ran out, -EINTR for a signal.
 */
static int
tsleep_common(const volatile void *chan, struct spinlock *lock,
    const char *wmesg, uint64_t timeout_ns, bool intr)
{
	struct thread *td = curthread;
	uint64_t rflags;
	int error = 0;

	KASSERT(td != cpu0.ci_idle, "tsleep: the idle thread may not sleep");
	if (lock != NULL) {
		/* The caller's interrupt state is the one lock saved. */
		rflags = lock->sl_rflags;
		lock->sl_rflags &= ~PSL_I;
		spin_lock(&sched_lock);
		spin_unlock(lock);
	} else {
		rflags = read_rflags();
		intr_disable();
		spin_lock(&sched_lock);
	}
	td->td_interrupted = false;
	if (intr && sig_pending(td)) {
		td->td_interrupted = true;
		goto out;
	}
	td->td_sleep_intr = intr;
	td->td_wchan = chan;
	td->td_wmesg = wmesg;
	td->td_timedout = false;
	td->td_wakeup_ns = timeout_ns != 0 ?
	    clock_monotonic_ns() + timeout_ns : 0;
	td->td_state = TDS_SLEEPING;
	td->td_runq_next = sleepq;
	sleepq = td;
	sched_switch();
out:
	if (td->td_interrupted) {
		error = -EINTR;
		td->td_sysintr = true;
	} else if (td->td_timedout) {
		error = -ETIMEDOUT;
	}
	spin_unlock(&sched_lock);
	if (lock != NULL) {
		spin_lock(lock);
		lock->sl_rflags = rflags;
	} else {
		write_rflags(rflags);
	}
	return error;
}

/*
 * Sleep on chan until wakeup(chan), or until timeout_ns nanoseconds pass
 * when it is not 0 (see tsleep_common).  Returns 0 when woken,
 * -ETIMEDOUT when the time ran out.  Signals do not end this sleep.
 */
int
tsleep(const volatile void *chan, struct spinlock *lock, const char *wmesg,
    uint64_t timeout_ns)
{
	return tsleep_common(chan, lock, wmesg, timeout_ns, false);
}

/*
 * tsleep that a signal ends: returns -EINTR, and marks the running system
 * call interrupted (td_sysintr, for sig_deliver's restarts), when a
 * signal the thread does not block is pending before it would sleep or
 * arrives while it sleeps.  Same locking as tsleep.
 */
int
tsleep_sig(const volatile void *chan, struct spinlock *lock,
    const char *wmesg, uint64_t timeout_ns)
{
	return tsleep_common(chan, lock, wmesg, timeout_ns, true);
}

/*
 * A signal was posted for td (sig_post, proc_lock held): if td sleeps in
 * tsleep_sig, wake it with td_interrupted set.  Any context; takes
 * sched_lock.
 */
void
sched_signal_wake(struct thread *td)
{
	uint64_t rflags = read_rflags();

	intr_disable();
	spin_lock(&sched_lock);
	if (td->td_state == TDS_SLEEPING && td->td_sleep_intr) {
		td->td_interrupted = true;
		sched_wake_locked(td);
	}
	spin_unlock(&sched_lock);
	write_rflags(rflags);
}

/* Wake every thread sleeping on chan.  Any context. */
void
wakeup(const volatile void *chan)
{
	struct thread *td, *next;
	uint64_t rflags = read_rflags();

	intr_disable();
	spin_lock(&sched_lock);
	for (td = sleepq; td != NULL; td = next) {
		next = td->td_runq_next;
		if (td->td_wchan == chan)
			sched_wake_locked(td);
	}
	spin_unlock(&sched_lock);
	write_rflags(rflags);
}

/*
 * The timer tick (interrupt context): wake sleepers whose time is up and
 * ask for a switch when the running thread's slice is over and someone
 * else wants the CPU.
 */
void
sched_tick(void)
{
	struct thread *td, *next;
	uint64_t now;

	if (cpu0.ci_idle == NULL)
		return;		/* before sched_init */
	now = clock_monotonic_ns();
	spin_lock(&sched_lock);
	for (td = sleepq; td != NULL; td = next) {
		next = td->td_runq_next;
		if (td->td_wakeup_ns != 0 && now >= td->td_wakeup_ns) {
			td->td_timedout = true;
			sched_wake_locked(td);
		}
	}
	if (runq_head != NULL && (ticks >= cpu0.ci_curthread->td_slice_end ||
	    cpu0.ci_curthread == cpu0.ci_idle))
		cpu0.ci_want_resched = 1;
	spin_unlock(&sched_lock);
}

/*
 * On the way out of an interrupt or a system call: switch if the tick or a
 * wakeup asked for it.  Only where the interrupted code had interrupts on,
 * so never inside a spin lock.
 */
void
sched_preempt_check(void)
{
	if (cpu0.ci_want_resched && cpu0.ci_idle != NULL)
		sched_yield();
}

/* The idle thread: halt until an interrupt, run whatever it woke. */
static void
sched_idle(void *arg __unused)
{
	for (;;) {
		intr_disable();
		if (runq_head != NULL) {
			intr_enable();
			sched_yield();
			continue;
		}
		cpu_idle();	/* sti; hlt: no wake-up is lost */
	}
}

/* Allocate a thread with a kernel stack; NULL when out of memory. */
static struct thread *
thread_alloc(const char *name)
{
	struct thread *td;

	if ((td = kmalloc(sizeof(*td), M_ZERO)) == NULL)
		return NULL;
	if ((td->td_kstack = kmalloc(KSTACK_SIZE, 0)) == NULL) {
		kfree(td);
		return NULL;
	}
	strlcpy(td->td_name, name, sizeof(td->td_name));
	return td;
}

/* Put td on the list of all threads and give it an id (proc may give it
 * the process's pid instead). */
static void
thread_register(struct thread *td, int tid)
{
	uint64_t rflags = read_rflags();

	intr_disable();
	spin_lock(&sched_lock);
	td->td_tid = tid != 0 ? tid : -(next_tid++);
	td->td_all_next = allthreads;
	allthreads = td;
	spin_unlock(&sched_lock);
	write_rflags(rflags);
}

/*
 * A kernel thread that will run fn(arg); not yet runnable (sched_add).
 * Returns NULL when out of memory.
 */
struct thread *
thread_create_kernel(void (*fn)(void *), void *arg, const char *name)
{
	struct thread *td;

	if ((td = thread_alloc(name)) == NULL)
		return NULL;
	td->td_proc = &proc0;
	cpu_thread_init(td, fn, arg);
	thread_register(td, 0);
	return td;
}

/*
 * A user thread of p with id tid (a new process's first thread has the
 * pid): its registers are a copy of parent's (cpu_fork_init), its x87/SSE
 * state and TLS base the caller's.  Not yet runnable (sched_add).  NULL
 * when out of memory.
 */
struct thread *
thread_create_user(struct proc *p, const struct trapframe *parent,
    uint64_t newsp, int tid)
{
	struct thread *td;

	if ((td = thread_alloc(p->p_comm)) == NULL)
		return NULL;
	td->td_proc = p;
	td->td_user = true;
	cpu_fork_init(td, parent, newsp);
	memcpy(td->td_fpu, curthread->td_fpu, sizeof(td->td_fpu));
	if (curthread->td_user)
		cpu_fpu_save(td);	/* the parent's live registers */
	td->td_fsbase = curthread->td_fsbase;
	thread_register(td, tid);
	return td;
}

/*
 * Free a user thread that was created but never ran (its process could
 * not be started after all).
 */
void
thread_destroy_unstarted(struct thread *td)
{
	struct thread **pp;
	uint64_t rflags = read_rflags();

	KASSERT(td->td_state == TDS_NEW, "thread_destroy_unstarted: ran");
	intr_disable();
	spin_lock(&sched_lock);
	for (pp = &allthreads; *pp != NULL; pp = &(*pp)->td_all_next) {
		if (*pp == td) {
			*pp = td->td_all_next;
			break;
		}
	}
	spin_unlock(&sched_lock);
	write_rflags(rflags);
	kfree(td->td_kstack);
	kfree(td);
}

/*
 * The current thread ends: it never runs again, and its stack is freed by
 * the next thread to run.  The process code has already done its part.
 * When lock is not NULL it is held by the caller and released only once
 * sched_lock is held, so nothing (a parent reaping this thread's process,
 * say) can run between the caller's last act and the switch away.
 */
void
thread_exit_unlock(struct spinlock *lock)
{
	struct thread *td = curthread, **pp;

	intr_disable();
	if (lock != NULL) {
		lock->sl_rflags &= ~PSL_I;	/* keep interrupts off */
		spin_lock(&sched_lock);
		spin_unlock(lock);
	} else {
		spin_lock(&sched_lock);
	}
	for (pp = &allthreads; *pp != NULL; pp = &(*pp)->td_all_next) {
		if (*pp == td) {
			*pp = td->td_all_next;
			break;
		}
	}
	td->td_state = TDS_DEAD;
	td->td_runq_next = deadq;
	deadq = td;
	sched_switch();
	panic("thread_exit: dead thread %s ran again", td->td_name);
}

/* The current thread ends (see thread_exit_unlock). */
void
thread_exit(void)
{
	thread_exit_unlock(NULL);
}

/*
 * Bring up scheduling on this CPU: the boot thread becomes thread 0 of
 * proc0, %gs points at cpu0, system calls are enabled, the x87/SSE unit is
 * on, and the idle thread exists.  Called by kmain() after kmalloc_init().
 */
void
sched_init(void)
{
	proc0.p_pid = 0;
	proc0.p_state = PRS_ALIVE;
	strlcpy(proc0.p_comm, "kernel", sizeof(proc0.p_comm));
	thread0.td_tid = 0;
	thread0.td_proc = &proc0;
	thread0.td_state = TDS_RUNNABLE;
	strlcpy(thread0.td_name, "boot", sizeof(thread0.td_name));
	thread0.td_kstack = NULL;	/* boot_kstack, never freed */
	proc0.p_threads = &thread0;
	proc0.p_nthreads = 1;
	cpu0.ci_curthread = &thread0;
	cpu_percpu_init(&cpu0);
	cpu_fpu_init();
	allthreads = &thread0;

	cpu0.ci_idle = thread_create_kernel(sched_idle, NULL, "idle");
	if (cpu0.ci_idle == NULL)
		panic("sched_init: no memory for the idle thread");
	cpu0.ci_idle->td_state = TDS_RUNNABLE;
	klog("sched", "round robin, %d ms slices; idle thread ready",
	    SCHED_SLICE * 1000 / HZ);
}
