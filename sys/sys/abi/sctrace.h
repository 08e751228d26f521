/*
 * The system-call tracer's interface (EclipseOS's own; Linux has no such
 * thing, so tests/unit/test_abi.c does not list this header: it has no
 * host twin to be compared with).  Includes nothing.
 *
 * prctl(PR_ECLIPSE_SCTRACE, pid, fd, flags, 0) asks the kernel to write
 * a record for each system call of process pid (0: the caller) into the
 * open file fd (a pipe's write end, or any file open for writing); the
 * kernel keeps its own reference to the file.  fd -1 stops the tracing
 * of pid.  The caller must be root, or have a real or effective user ID
 * equal to the target's real user ID (else EPERM); no such process is
 * ESRCH; a bad descriptor, or one not open for writing, is EBADF;
 * unknown flags are EINVAL.  Documentation/sctrace.md has the details.
 *
 * A record is a struct sctrace_rec followed by sr_nitems items, each a
 * struct sctrace_item and si_len bytes, padded with zeros to a multiple
 * of 8.  sr_size counts all of it and is at most SCTRACE_REC_MAX, which
 * is PIPE_BUF: one record is one write, never interleaved with another
 * process's records in the same pipe.  Numbers are in the machine's
 * order (little-endian).
 */
#ifndef _SYS_ABI_SCTRACE_H_
#define _SYS_ABI_SCTRACE_H_

/* The prctl option: "EC" and 1, far from Linux's numbers. */
#define PR_ECLIPSE_SCTRACE	0x45430001

/* Flags, prctl's fourth argument. */
#define SCTRACE_F_INHERIT	0x1	/* fork and clone children too */

#define SCTRACE_MAGIC		0x52544345U /* "ECTR" */
#define SCTRACE_REC_MAX		4096	/* PIPE_BUF: one atomic write */
#define SCTRACE_STR_MAX		256	/* bytes of a string */
#define SCTRACE_DATA_MAX	128	/* bytes of a buffer */
#define SCTRACE_ARGV_MAX	32	/* execve arguments kept */

/* sr_kind */
#define SCTRACE_K_ENTER		1	/* a call starts */
#define SCTRACE_K_RETURN	2	/* it returns: sr_ret */
#define SCTRACE_K_EXECED	3	/* an execve succeeded */
#define SCTRACE_K_EXIT		4	/* the end: sr_ret status */

struct sctrace_rec {
	unsigned int	sr_magic;	/* SCTRACE_MAGIC */
	unsigned short	sr_size;	/* bytes, items included */
	unsigned short	sr_kind;	/* SCTRACE_K_* */
	int		sr_pid;
	int		sr_tid;
	int		sr_nr;		/* system call number, -1 for EXIT */
	unsigned int	sr_nitems;	/* items after the header */
	unsigned long	sr_args[6];	/* the raw argument registers */
	long		sr_ret;		/* RETURN: result or -errno */
};

/* si_kind */
#define SCTRACE_I_STR		1	/* argument si_arg, a string */
#define SCTRACE_I_DATA		2	/* bytes si_arg points to */
#define SCTRACE_I_ARGV		3	/* one of execve's argv */
#define SCTRACE_I_COMM		4	/* EXECED: the new name */

/* si_flags */
#define SCTRACE_I_TRUNC		0x1	/* cut short */
#define SCTRACE_I_FAULT		0x2	/* unreadable pointer */

struct sctrace_item {
	unsigned short	si_len;		/* bytes that follow (no NUL) */
	unsigned char	si_kind;	/* SCTRACE_I_* */
	unsigned char	si_arg;		/* argument index, 0 to 5 */
	unsigned int	si_flags;	/* SCTRACE_I_TRUNC, _FAULT */
};

_Static_assert(sizeof(struct sctrace_rec) == 80, "sctrace_rec");
_Static_assert(__builtin_offsetof(struct sctrace_rec, sr_args) == 24,
    "sr_args");
_Static_assert(sizeof(struct sctrace_item) == 8, "sctrace_item");

#endif /* _SYS_ABI_SCTRACE_H_ */
