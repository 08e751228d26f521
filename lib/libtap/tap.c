/*
 * libtap: TAP output for test programs (see tap.h).  Built with musl-gcc;
 * uses vsnprintf for formatting and write(2) for output, nothing else that
 * could buffer.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

#define TAP_LINE	1024	/* longest line; longer text is cut */

static pid_t	tap_owner;	/* the process that reports, 0 until known */
static int	tap_planned = -1;
static int	tap_count;
static int	tap_failed;

#define E(x)	[x] = #x
static const char *const tap_errnames[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(ENOTBLK), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV),
	E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY),
	E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK),
	E(EPIPE), E(EDOM), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG), E(ENOLCK),
	E(ENOSYS), E(ENOTEMPTY), E(ELOOP), E(ENOMSG), E(EIDRM), E(ENODATA),
	E(ETIME), E(ENOSTR), E(ENOSR), E(ENOLINK), E(EPROTO), E(EBADMSG),
	E(EOVERFLOW), E(EBADFD), E(EILSEQ), E(ENOTSOCK), E(EDESTADDRREQ),
	E(EMSGSIZE), E(EPROTOTYPE), E(ENOPROTOOPT), E(EPROTONOSUPPORT),
	E(EOPNOTSUPP), E(EAFNOSUPPORT), E(EADDRINUSE), E(EADDRNOTAVAIL),
	E(ENETDOWN), E(ENETUNREACH), E(ECONNABORTED), E(ECONNRESET),
	E(ENOBUFS), E(EISCONN), E(ENOTCONN), E(ETIMEDOUT), E(ECONNREFUSED),
	E(EHOSTUNREACH), E(EALREADY), E(EINPROGRESS), E(ESTALE), E(EDQUOT),
	E(ECANCELED), E(EOWNERDEAD), E(ENOTRECOVERABLE),
};
#undef E

/*
 * Returns the symbolic name of errno value err, or "E#<n>" (in a static
 * buffer) for a number without one.
 */
const char *
tap_errname(int err)
{
	static char buf[24];

	if (err > 0 && (size_t)err < sizeof(tap_errnames) /
	    sizeof(tap_errnames[0]) && tap_errnames[err] != NULL)
		return tap_errnames[err];
	snprintf(buf, sizeof(buf), "E#%d", err);
	return buf;
}

static void
tap_write(const char *s, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(1, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

/* Format one line, cut to TAP_LINE, and write it with its newline. */
static void
tap_vline(const char *prefix, const char *fmt, va_list ap)
{
	char buf[TAP_LINE + 2];
	size_t len;
	int n;

	n = snprintf(buf, TAP_LINE, "%s", prefix);
	len = n < 0 ? 0 : (size_t)n >= TAP_LINE ? TAP_LINE - 1 : (size_t)n;
	n = vsnprintf(buf + len, TAP_LINE - len, fmt, ap);
	if (n > 0)
		len += (size_t)n >= TAP_LINE - len ? TAP_LINE - len - 1 :
		    (size_t)n;
	buf[len++] = '\n';
	tap_write(buf, len);
}

static void
tap_line(const char *prefix, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vline(prefix, fmt, ap);
	va_end(ap);
}

/*
 * Every entry point checks that it runs in the reporting process: a child
 * that reports would number its tests from the parent's count and print
 * them twice.
 */
static void
tap_check_owner(void)
{
	pid_t self = getpid();

	if (tap_owner == 0)
		tap_owner = self;
	if (self != tap_owner) {
		tap_line("# ", "libtap: a TAP function was called in child "
		    "process %d (the reporter is %d); stopping the child",
		    (int)self, (int)tap_owner);
		_exit(TAP_EXIT_CHILD);
	}
}

/* Print "#" lines for text that may hold newlines. */
static void
tap_diag_text(const char *text)
{
	const char *nl;

	while (*text != '\0') {
		nl = strchr(text, '\n');
		if (nl == NULL) {
			tap_line("# ", "%s", text);
			return;
		}
		tap_line("# ", "%.*s", (int)(nl - text), text);
		text = nl + 1;
	}
}

/*
 * Declares that n tests follow.  Bails out if a plan was given already or
 * tests ran before it.
 */
void
tap_plan(int n)
{
	tap_check_owner();
	if (tap_planned >= 0 || tap_count > 0)
		tap_bail("tap_plan(%d) after a plan or a test", n);
	if (n < 0)
		tap_bail("tap_plan(%d): a negative plan", n);
	tap_planned = n;
	tap_line("", "1..%d", n);
}

/* The common part of every check: the "ok"/"not ok" line itself. */
static int
tap_vresult(const char *file, int line, int pass, const char *fmt,
    va_list ap)
{
	char prefix[48];

	tap_check_owner();
	tap_count++;
	if (!pass)
		tap_failed++;
	snprintf(prefix, sizeof(prefix), "%sok %d - ", pass ? "" : "not ",
	    tap_count);
	tap_vline(prefix, fmt, ap);
	if (!pass)
		tap_line("#   ", "at %s line %d", file, line);
	return pass;
}

/* Reports one test; returns pass. */
int
tap_ok_at(const char *file, int line, int pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vresult(file, line, pass, fmt, ap);
	va_end(ap);
	return pass;
}

/* Reports whether got == expected, printing both when not. */
int
tap_is_long_at(const char *file, int line, long long got, long long expected,
    const char *fmt, ...)
{
	va_list ap;
	int pass = got == expected;

	va_start(ap, fmt);
	tap_vresult(file, line, pass, fmt, ap);
	va_end(ap);
	if (!pass) {
		tap_line("#        ", "got: %lld", got);
		tap_line("#   ", "expected: %lld", expected);
	}
	return pass;
}

/* Reports whether got == expected, printing both in hexadecimal when not. */
int
tap_is_hex_at(const char *file, int line, unsigned long long got,
    unsigned long long expected, const char *fmt, ...)
{
	va_list ap;
	int pass = got == expected;

	va_start(ap, fmt);
	tap_vresult(file, line, pass, fmt, ap);
	va_end(ap);
	if (!pass) {
		tap_line("#        ", "got: %#llx", got);
		tap_line("#   ", "expected: %#llx", expected);
	}
	return pass;
}

/* Reports whether "got op bound" holds; bails out on an unknown op. */
int
tap_cmp_long_at(const char *file, int line, long long got, const char *op,
    long long bound, const char *fmt, ...)
{
	va_list ap;
	int pass;

	if (strcmp(op, "<") == 0)
		pass = got < bound;
	else if (strcmp(op, "<=") == 0)
		pass = got <= bound;
	else if (strcmp(op, ">") == 0)
		pass = got > bound;
	else if (strcmp(op, ">=") == 0)
		pass = got >= bound;
	else
		tap_bail("cmp_long: unknown operator \"%s\"", op);
	va_start(ap, fmt);
	tap_vresult(file, line, pass, fmt, ap);
	va_end(ap);
	if (!pass) {
		tap_line("#        ", "got: %lld", got);
		tap_line("#   ", "expected: %s %lld", op, bound);
	}
	return pass;
}

/* Reports whether two strings (either may be NULL) are equal. */
int
tap_is_str_at(const char *file, int line, const char *got,
    const char *expected, const char *fmt, ...)
{
	va_list ap;
	size_t i;
	int pass;

	if (got == NULL || expected == NULL)
		pass = got == expected;
	else
		pass = strcmp(got, expected) == 0;
	va_start(ap, fmt);
	tap_vresult(file, line, pass, fmt, ap);
	va_end(ap);
	if (pass)
		return 1;
	if (got == NULL || expected == NULL) {
		tap_line("#        ", "got: %s", got ? "a string" : "NULL");
		tap_line("#   ", "expected: %s",
		    expected ? "a string" : "NULL");
		return 0;
	}
	for (i = 0; got[i] == expected[i]; i++)
		continue;
	tap_line("#   ", "strings differ at offset %zu (lengths %zu, %zu)",
	    i, strlen(got), strlen(expected));
	tap_line("#        ", "got: \"%.200s\"", got);
	tap_line("#   ", "expected: \"%.200s\"", expected);
	return 0;
}

/* Reports whether len bytes are equal; prints the first that differs. */
int
tap_is_mem_at(const char *file, int line, const void *got,
    const void *expected, size_t len, const char *fmt, ...)
{
	const unsigned char *g = got, *e = expected;
	va_list ap;
	size_t i;

	for (i = 0; i < len && g[i] == e[i]; i++)
		continue;
	va_start(ap, fmt);
	tap_vresult(file, line, i == len, fmt, ap);
	va_end(ap);
	if (i == len)
		return 1;
	tap_line("#   ", "first difference at byte %zu of %zu", i, len);
	tap_line("#        ", "got: %#04x", g[i]);
	tap_line("#   ", "expected: %#04x", e[i]);
	return 0;
}

/* Reports whether a libc-style call failed with expected_err. */
int
tap_is_errno_at(const char *file, int line, long ret, int err,
    int expected_err, const char *fmt, ...)
{
	va_list ap;
	int pass = ret == -1 && err == expected_err;

	va_start(ap, fmt);
	tap_vresult(file, line, pass, fmt, ap);
	va_end(ap);
	if (pass)
		return 1;
	if (ret == -1)
		tap_line("#        ", "got: -1, errno %s (%d)",
		    tap_errname(err), err);
	else
		tap_line("#        ", "got: %ld (success)", ret);
	tap_line("#   ", "expected: -1, errno %s (%d)",
	    tap_errname(expected_err), expected_err);
	return 0;
}

/* Reports whether a libc-style call succeeded (did not return -1). */
int
tap_is_success_at(const char *file, int line, long ret, int err,
    const char *fmt, ...)
{
	va_list ap;
	int pass = ret != -1;

	va_start(ap, fmt);
	tap_vresult(file, line, pass, fmt, ap);
	va_end(ap);
	if (!pass) {
		tap_line("#        ", "got: -1, errno %s (%d)",
		    tap_errname(err), err);
		tap_line("#   ", "expected: success");
	}
	return pass;
}

/* Reports whether a raw system call returned -expected_err. */
int
tap_is_syserr_at(const char *file, int line, long ret, int expected_err,
    const char *fmt, ...)
{
	va_list ap;
	int pass = ret == -(long)expected_err;

	va_start(ap, fmt);
	tap_vresult(file, line, pass, fmt, ap);
	va_end(ap);
	if (pass)
		return 1;
	if (ret < 0 && ret >= -4095)
		tap_line("#        ", "got: -%s (%ld)", tap_errname((int)-ret),
		    ret);
	else
		tap_line("#        ", "got: %ld (%#lx, success)", ret,
		    (unsigned long)ret);
	tap_line("#   ", "expected: -%s (%d)", tap_errname(expected_err),
	    -expected_err);
	return 0;
}

/* Reports whether a raw system call succeeded (no value in -4095..-1). */
int
tap_is_sysok_at(const char *file, int line, long ret, const char *fmt, ...)
{
	va_list ap;
	int pass = !(ret < 0 && ret >= -4095);

	va_start(ap, fmt);
	tap_vresult(file, line, pass, fmt, ap);
	va_end(ap);
	if (!pass) {
		tap_line("#        ", "got: -%s (%ld)", tap_errname((int)-ret),
		    ret);
		tap_line("#   ", "expected: success");
	}
	return pass;
}

/* Reports n tests as skipped, for the reason given. */
void
tap_skip(int n, const char *fmt, ...)
{
	char why[TAP_LINE / 2];
	va_list ap;

	tap_check_owner();
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	while (n-- > 0) {
		tap_count++;
		tap_line("", "ok %d # SKIP %s", tap_count, why);
	}
}

/* Prints a comment (one "#" line per line of text). */
void
tap_diag(const char *fmt, ...)
{
	char text[TAP_LINE];
	va_list ap;

	tap_check_owner();
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	tap_diag_text(text);
}

/* Prints "Bail out! ..." and exits with TAP_EXIT_BAIL. */
void
tap_bail(const char *fmt, ...)
{
	va_list ap;

	tap_check_owner();
	va_start(ap, fmt);
	tap_vline("Bail out! ", fmt, ap);
	va_end(ap);
	_exit(TAP_EXIT_BAIL);
}

/* Returns the number of tests that failed so far. */
int
tap_failures(void)
{
	return tap_failed;
}

/*
 * Ends the test program's output: prints the plan if none was given and a
 * summary comment when something failed.  Returns the exit status for
 * main: 0 when all passed and the plan matched, 1 otherwise.
 */
int
tap_done(void)
{
	tap_check_owner();
	if (tap_planned < 0)
		tap_line("", "1..%d", tap_count);
	else if (tap_planned != tap_count)
		tap_line("# ", "planned %d tests but ran %d", tap_planned,
		    tap_count);
	if (tap_failed > 0)
		tap_line("# ", "failed %d of %d tests", tap_failed, tap_count);
	return tap_failed == 0 &&
	    (tap_planned < 0 || tap_planned == tap_count) ? 0 : 1;
}
