/*
 * clone(2) flags and scheduling policies (uapi linux/sched.h).  The low
 * byte of clone's flags (CSIGNAL) is the signal sent to the parent when
 * the child ends, SIGCHLD for fork-like clones.  Includes nothing.
 */
#ifndef _SYS_ABI_SCHED_H_
#define _SYS_ABI_SCHED_H_

#define CSIGNAL			0x000000ff	/* exit signal */
#define CLONE_NEWTIME		0x00000080	/* unshare, clone3 only */
#define CLONE_VM		0x00000100	/* share the address space */
#define CLONE_FS		0x00000200	/* share cwd, root, umask */
#define CLONE_FILES		0x00000400	/* share the descriptor table */
#define CLONE_SIGHAND		0x00000800	/* share signal handlers */
#define CLONE_PIDFD		0x00001000	/* return a pidfd */
#define CLONE_PTRACE		0x00002000
#define CLONE_VFORK		0x00004000	/* parent waits for exec/exit */
#define CLONE_PARENT		0x00008000	/* same parent as the caller */
#define CLONE_THREAD		0x00010000	/* same thread group */
#define CLONE_NEWNS		0x00020000
#define CLONE_SYSVSEM		0x00040000
#define CLONE_SETTLS		0x00080000	/* tls is the FS base */
#define CLONE_PARENT_SETTID	0x00100000
#define CLONE_CHILD_CLEARTID	0x00200000
#define CLONE_DETACHED		0x00400000	/* ignored */
#define CLONE_UNTRACED		0x00800000
#define CLONE_CHILD_SETTID	0x01000000
#define CLONE_NEWCGROUP		0x02000000
#define CLONE_NEWUTS		0x04000000
#define CLONE_NEWIPC		0x08000000
#define CLONE_NEWUSER		0x10000000
#define CLONE_NEWPID		0x20000000
#define CLONE_NEWNET		0x40000000
#define CLONE_IO		0x80000000
#define CLONE_CLEAR_SIGHAND	0x100000000ULL	/* clone3 only */
#define CLONE_INTO_CGROUP	0x200000000ULL	/* clone3 only */

/* Scheduling policies (sched_setscheduler(2)). */
#define SCHED_NORMAL		0
#define SCHED_OTHER		SCHED_NORMAL
#define SCHED_FIFO		1
#define SCHED_RR		2
#define SCHED_BATCH		3
#define SCHED_IDLE		5
#define SCHED_DEADLINE		6
#define SCHED_RESET_ON_FORK	0x40000000

/* sched_setparam(2), sched_setscheduler(2): uapi linux/sched/types.h. */
struct l_sched_param {
	int	sched_priority;		/* 1..99 for FIFO and RR, else 0 */
};
_Static_assert(sizeof(struct l_sched_param) == 4, "l_sched_param");

#endif /* _SYS_ABI_SCHED_H_ */
