/*
 * Waiting for children (uapi linux/wait.h; wait4(2), waitid(2)) and the
 * part of siginfo (uapi asm-generic/siginfo.h) that waitid fills in.
 * The status word of wait4 is encoded as sys/sys/proc.h's W_EXITCODE
 * says.  Includes nothing.
 */
#ifndef _SYS_ABI_WAIT_H_
#define _SYS_ABI_WAIT_H_

/* options */
#define WNOHANG		0x00000001	/* return 0 instead of waiting */
#define WUNTRACED	0x00000002	/* also stopped children (wait4) */
#define WSTOPPED	WUNTRACED	/* the same bit, waitid's name */
#define WEXITED		0x00000004	/* waitid: children that ended */
#define WCONTINUED	0x00000008	/* children resumed by SIGCONT */
#define WNOWAIT		0x01000000	/* waitid: leave the child waitable */
#define __WNOTHREAD	0x20000000	/* only this thread's children */
#define __WALL		0x40000000	/* every child, whatever its signal */
#define __WCLONE	0x80000000	/* only "clone" children */

/* waitid's idtype */
#define P_ALL		0
#define P_PID		1
#define P_PGID		2
#define P_PIDFD		3

/* si_code for SIGCHLD */
#define CLD_EXITED	1	/* exited; si_status is the exit code */
#define CLD_KILLED	2	/* killed; si_status is the signal */
#define CLD_DUMPED	3	/* killed and dumped core */
#define CLD_TRAPPED	4	/* traced child trapped */
#define CLD_STOPPED	5	/* stopped; si_status is the signal */
#define CLD_CONTINUED	6	/* continued by SIGCONT */

#define L_SI_MAX_SIZE	128	/* SI_MAX_SIZE: every siginfo's size */

/*
 * siginfo_t, 128 bytes: signo, errno and code, then (8-byte aligned) a
 * union whose layout depends on the signal.  Only the SIGCHLD member that
 * waitid(2) fills is spelled out here; si_pid and si_uid sit at the same
 * place for kill(2)'s signals, and a POSIX timer's id and overrun count
 * (si_timerid, si_overrun); rt_sigqueueinfo's and the timers' value
 * follows them (si_value); a fault's address is first (si_addr).
 */
struct l_siginfo {
	int	si_signo;
	int	si_errno;
	int	si_code;
	int	__si_pad0;
	union {
		int	__si_pad[(L_SI_MAX_SIZE - 16) / sizeof(int)];
		struct {
			int		si_pid;
			unsigned int	si_uid;
			int		si_status;	/* SIGCHLD */
			int		__si_pad1;
			long		si_utime;	/* SIGCHLD, ticks */
			long		si_stime;	/* SIGCHLD, ticks */
		};
		struct {
			int		__si_kpid;	/* si_pid */
			unsigned int	__si_kuid;	/* si_uid */
			unsigned long	si_value;	/* sigqueue(3) */
		};
		struct {
			int		si_timerid;	/* POSIX timers */
			int		si_overrun;	/* its overruns */
		};
		struct {
			long		si_band;	/* SIGIO: POLL* bits */
			int		si_fd;		/* SIGIO: the file */
		};
		struct {
			unsigned long	si_addr;	/* faults */
			short		si_addr_lsb;	/* BUS_MCEERR_* */
		};
	};
};

_Static_assert(sizeof(struct l_siginfo) == L_SI_MAX_SIZE, "l_siginfo");
_Static_assert(__builtin_offsetof(struct l_siginfo, si_code) == 8,
    "si_code");
_Static_assert(__builtin_offsetof(struct l_siginfo, si_pid) == 16, "si_pid");
_Static_assert(__builtin_offsetof(struct l_siginfo, si_uid) == 20, "si_uid");
_Static_assert(__builtin_offsetof(struct l_siginfo, si_status) == 24,
    "si_status");
_Static_assert(__builtin_offsetof(struct l_siginfo, si_utime) == 32,
    "si_utime");
_Static_assert(__builtin_offsetof(struct l_siginfo, si_stime) == 40,
    "si_stime");
_Static_assert(__builtin_offsetof(struct l_siginfo, si_value) == 24,
    "si_value");
_Static_assert(__builtin_offsetof(struct l_siginfo, si_addr) == 16,
    "si_addr");
_Static_assert(__builtin_offsetof(struct l_siginfo, si_timerid) == 16,
    "si_timerid");
_Static_assert(__builtin_offsetof(struct l_siginfo, si_overrun) == 20,
    "si_overrun");

#endif /* _SYS_ABI_WAIT_H_ */
