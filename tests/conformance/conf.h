/*
 * Support for the conformance test programs (tests/conformance/<family>/),
 * linked into each of them with libtap.  Documentation/conformance.md says
 * how a case is written.
 *
 * The programs run on the host Linux (the reference) and inside EclipseOS,
 * whose first user programs have no files, pipes or signals yet: a child
 * reports to its parent through its exit status or through a MAP_SHARED
 * anonymous page (conf_shared), never through libtap, which only the
 * parent may call.
 */
#ifndef _CONF_H_
#define _CONF_H_

#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>

#include "tap.h"

/*
 * A system call with the kernel's own result (-errno on failure), without
 * touching errno or the C library: conf_sys(SYS_brk, 0), conf_sys(n, a,
 * b, ...), up to six arguments.  Use it where musl would hide or change
 * the call (brk, getpriority, settimeofday, the vDSO clocks) and where the
 * thread pointer may be changed (arch_prctl).
 */
static inline long
conf_syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile ("syscall"
	    : "=a" (ret)
	    : "a" (n), "D" (a1), "S" (a2), "d" (a3), "r" (r10), "r" (r8),
	      "r" (r9)
	    : "rcx", "r11", "memory");
	return ret;
}
#define conf_sys(...)		conf_sys_(__VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define conf_sys_(n, a, b, c, d, e, f, ...) \
	conf_syscall6((long)(n), (long)(a), (long)(b), (long)(c), \
	    (long)(d), (long)(e), (long)(f))

/* Linux's reboot(2) magic numbers (include/uapi/linux/reboot.h). */
#define CONF_REBOOT_MAGIC1	0xfee1deadL
#define CONF_REBOOT_MAGIC2	672274793L	/* 0x28121969 */
#define CONF_REBOOT_POWER_OFF	0x4321fedcL
/* arch_prctl(2) codes (asm/prctl.h). */
#define CONF_ARCH_SET_FS	0x1002
#define CONF_ARCH_GET_FS	0x1003

/* An address no user program may touch: the top 2 GiB, the kernel's. */
#define CONF_KERNEL_ADDR	((void *)0xffffffff80000000UL)

#define CONF_PAGE		4096UL
#define CONF_MS			1000000LL	/* nanoseconds in a ms */

/* A zeroed MAP_SHARED anonymous region of len bytes; bails out on error. */
void	*conf_shared(size_t len);
/* fork(2), bailing out if it fails. */
pid_t	 conf_fork(void);
/* wait4(pid, &status, 0, NULL) through EINTR; bails out on error. */
int	 conf_wait(pid_t pid);
/*
 * Runs fn(arg) in a forked child, which then exits 0 (or with fn's
 * _exit status); returns the child's wait status.
 */
int	 conf_in_child(void (*fn)(void *), void *arg);
/* "exit 3", "signal 11 (SIGSEGV)": a wait status in words (static). */
const char *conf_status_str(int status);
/* Checks that status is a normal exit with code, or death by sig. */
#define is_exit(status, code, ...) \
	conf_is_exit_at(__FILE__, __LINE__, status, code, __VA_ARGS__)
#define is_signal(status, sig, ...) \
	conf_is_signal_at(__FILE__, __LINE__, status, sig, __VA_ARGS__)
int	 conf_is_exit_at(const char *file, int line, int status, int code,
	    const char *fmt, ...) TAP_PRINTF(5, 6);
int	 conf_is_signal_at(const char *file, int line, int status, int sig,
	    const char *fmt, ...) TAP_PRINTF(5, 6);

/* Raw clock_gettime(clock) in nanoseconds; bails out on error. */
int64_t	 conf_now_ns(clockid_t clock);
/* Sleeps ms milliseconds (nanosleep through EINTR). */
void	 conf_sleep_ms(long ms);
/* Burns CPU in user mode for ms milliseconds of CLOCK_MONOTONIC time. */
void	 conf_spin_ms(long ms);
/*
 * Polls *flag every poll_ms until it is at least value or timeout_ms
 * passed; returns 0, or -1 on timeout.  Safe in children (no libtap).
 */
int	 conf_wait_flag(volatile int *flag, int value, long poll_ms,
	    long timeout_ms);
/*
 * Forks a child that exits with code once *release (shared memory) is at
 * least 1, polling every 5 ms for up to a minute; returns its pid.
 */
pid_t	 conf_held_child(volatile int *release, int code);

/*
 * Becomes the unprivileged user nobody (65534) if running as root, so that
 * cases for EPERM paths mean the same on the host and in EclipseOS (whose
 * test runner is root).  Bails out if that fails.
 */
void	 conf_drop_privileges(void);

/*
 * Does this process have capability cap (CONF_CAP_*) in its effective
 * set?  capget(2) says on Linux (a container's root may lack one); a
 * kernel without capabilities (EclipseOS: ENOSYS) gives root all.
 */
#define CONF_CAP_SYS_RESOURCE	24
int	 conf_has_cap(int cap);

/*
 * The line of /proc/sysvipc/<kind> (shm, sem or msg) for the System V IPC
 * object id (its second column) into line, once the file's first line
 * was found to start with header.  Returns 0, or -1 when the file, the
 * header or the line is missing.  Safe in children (no libtap).
 */
int	 conf_sysvipc_line(const char *kind, const char *header, int id,
	    char *line, size_t len);

/*
 * Catches SIGALRM with handler (SA_RESTART when restart is non-zero) and
 * arms ITIMER_REAL: the first signal after first_ms, then one every
 * interval_ms (0: only the one).  For the cases that interrupt a
 * blocking call (EINTR).  Returns 0, or -1 with errno (so that children
 * may use it); conf_alarm_stop() disarms the timer.
 */
/*
 * A read-write page whose next page is unmapped, for buffers that run
 * off the end of a mapping (EFAULT).  Bails out if it cannot be made.
 */
char	*conf_page_before_hole(void);

int	 conf_alarm(void (*handler)(int), int restart, long first_ms,
	    long interval_ms);
void	 conf_alarm_stop(void);

/*
 * Writes a 512-byte x86-64-class ELF file at path, mode 0755: type
 * (ET_EXEC at 0x400000 or ET_DYN at 0), machine, one PT_LOAD of the whole
 * file holding exit(42) code at its entry, and, when interp is not NULL,
 * a PT_INTERP of its ilen bytes (a path, NUL included or not; at most 80
 * bytes).  For the execve(2) cases; bails out on error.
 */
void	 conf_write_elf(const char *path, int type, int machine,
	    const char *interp, size_t ilen);

/*
 * The folder holding the running program (the directory part of argv[0]:
 * /tests/<family> in EclipseOS), for programs that exec themselves or
 * other files of their family.  conf_init must be called first with
 * main's argv; the runners exec every test by its absolute path.
 */
void	 conf_init(char **argv);
const char *conf_dir(void);
/* Writes conf_dir() "/" name into buf; bails out if it does not fit. */
void	 conf_path(char *buf, size_t len, const char *name);

#endif /* _CONF_H_ */
