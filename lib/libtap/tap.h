/*
 * libtap: the Test Anything Protocol for EclipseOS's test programs.
 *
 * A test program says what it will check (tap_plan) or counts as it goes
 * (done_testing at the end prints the plan), then reports one line per
 * behaviour checked:
 *
 *	ok 3 - fork(2): the child's getppid() is the parent's pid
 *	not ok 4 - wait4(2): WNOHANG returns 0 while the child runs
 *	#   at tests/conformance/process/wait.c line 57
 *	#        got: 1234
 *	#   expected: 0
 *
 * The description names the manual page or the POSIX section whose
 * behaviour is checked.  On a failure the helpers print the first value
 * that differs (numbers, strings, bytes, errno names) as "#" lines, which
 * TAP readers take for comments.
 *
 * Output goes straight to file descriptor 1 with write(2), one write per
 * line, never through stdio: a buffered line would be written twice by a
 * program that forks.  Only the process that made the first TAP call may
 * report; a child that calls a TAP function (a bug in the test) is stopped
 * with exit status TAP_EXIT_CHILD and a "#" line saying so.
 *
 * Exit status, from done_testing(): 0 when every test passed and the plan
 * (if one was given) matched the count, 1 otherwise; tap_bail() exits 255.
 *
 * The helpers are macros so that a failure can name its file and line.
 * Arguments are evaluated once, in order: is_errno(write(...), EFAULT,
 * ...) reads errno after the call.
 */
#ifndef _LIBTAP_TAP_H_
#define _LIBTAP_TAP_H_

#include <errno.h>
#include <stddef.h>

#define TAP_EXIT_BAIL	255	/* "Bail out!" */
#define TAP_EXIT_CHILD	125	/* a forked child called libtap */

#define TAP_PRINTF(a, b)	__attribute__((format(printf, a, b)))

/* The plan: N tests will follow.  At most once, before the first test. */
void	tap_plan(int n);

/* One test: passes when pass is non-zero.  Returns pass (0 or 1). */
int	tap_ok_at(const char *file, int line, int pass, const char *fmt, ...)
	    TAP_PRINTF(4, 5);

/* Signed and unsigned comparisons; the unsigned one prints hexadecimal. */
int	tap_is_long_at(const char *file, int line, long long got,
	    long long expected, const char *fmt, ...) TAP_PRINTF(5, 6);
int	tap_is_hex_at(const char *file, int line, unsigned long long got,
	    unsigned long long expected, const char *fmt, ...)
	    TAP_PRINTF(5, 6);

/* got op bound, where op is "<", "<=", ">" or ">=" (signed). */
int	tap_cmp_long_at(const char *file, int line, long long got,
	    const char *op, long long bound, const char *fmt, ...)
	    TAP_PRINTF(6, 7);

/* Strings (NULL allowed) and memory: the first differing offset. */
int	tap_is_str_at(const char *file, int line, const char *got,
	    const char *expected, const char *fmt, ...) TAP_PRINTF(5, 6);
int	tap_is_mem_at(const char *file, int line, const void *got,
	    const void *expected, size_t len, const char *fmt, ...)
	    TAP_PRINTF(6, 7);

/*
 * A libc-style call that must fail: ret is -1 and err (errno after the
 * call) is expected_err.  Prints the errno names on a mismatch.
 */
int	tap_is_errno_at(const char *file, int line, long ret, int err,
	    int expected_err, const char *fmt, ...) TAP_PRINTF(6, 7);
/* A libc-style call that must succeed: ret is not -1. */
int	tap_is_success_at(const char *file, int line, long ret, int err,
	    const char *fmt, ...) TAP_PRINTF(5, 6);
/*
 * A raw system call (the kernel's return value, -errno on failure) that
 * must fail with expected_err, or must succeed (ret >= 0, or any value
 * outside -4095..-1 for calls that return addresses).
 */
int	tap_is_syserr_at(const char *file, int line, long ret,
	    int expected_err, const char *fmt, ...) TAP_PRINTF(5, 6);
int	tap_is_sysok_at(const char *file, int line, long ret,
	    const char *fmt, ...) TAP_PRINTF(4, 5);

/* N tests not run, each "ok N # SKIP why". */
void	tap_skip(int n, const char *fmt, ...) TAP_PRINTF(2, 3);
/* A "#" comment line (or several, if the text holds newlines). */
void	tap_diag(const char *fmt, ...) TAP_PRINTF(1, 2);
/* "Bail out! why" and exit(TAP_EXIT_BAIL): the program cannot go on. */
__attribute__((noreturn)) void
	tap_bail(const char *fmt, ...) TAP_PRINTF(1, 2);
/* Print the plan if none was given; the exit status for main. */
int	tap_done(void);

/* Tests failed so far (a test can skip what depends on a failure). */
int	tap_failures(void);
/* "EFAULT" for 14, "E#1234" for a number without a name. */
const char *tap_errname(int err);

#define plan(n)			tap_plan(n)
#define ok(cond, ...)		tap_ok_at(__FILE__, __LINE__, !!(cond), \
				    __VA_ARGS__)
#define is_long(got, exp, ...)	tap_is_long_at(__FILE__, __LINE__, \
				    (long long)(got), (long long)(exp), \
				    __VA_ARGS__)
#define is_hex(got, exp, ...)	tap_is_hex_at(__FILE__, __LINE__, \
				    (unsigned long long)(got), \
				    (unsigned long long)(exp), __VA_ARGS__)
#define cmp_long(got, op, bound, ...) \
				tap_cmp_long_at(__FILE__, __LINE__, \
				    (long long)(got), op, (long long)(bound), \
				    __VA_ARGS__)
#define is_str(got, exp, ...)	tap_is_str_at(__FILE__, __LINE__, got, exp, \
				    __VA_ARGS__)
#define is_mem(got, exp, n, ...) \
				tap_is_mem_at(__FILE__, __LINE__, got, exp, \
				    n, __VA_ARGS__)
#define is_errno(call, experr, ...) __extension__ ({			\
	long tap_r_ = (long)(call);					\
	int tap_e_ = errno;						\
	tap_is_errno_at(__FILE__, __LINE__, tap_r_, tap_e_, experr,	\
	    __VA_ARGS__);						\
})
#define is_success(call, ...) __extension__ ({				\
	long tap_r_ = (long)(call);					\
	int tap_e_ = errno;						\
	tap_is_success_at(__FILE__, __LINE__, tap_r_, tap_e_,		\
	    __VA_ARGS__);						\
})
#define is_syserr(call, experr, ...) \
				tap_is_syserr_at(__FILE__, __LINE__, \
				    (long)(call), experr, __VA_ARGS__)
#define is_sysok(call, ...)	tap_is_sysok_at(__FILE__, __LINE__, \
				    (long)(call), __VA_ARGS__)
#define skip(n, ...)		tap_skip(n, __VA_ARGS__)
#define diag(...)		tap_diag(__VA_ARGS__)
#define bail_out(...)		tap_bail(__VA_ARGS__)
#define done_testing()		tap_done()

#endif /* _LIBTAP_TAP_H_ */
