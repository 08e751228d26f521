/*
 * sctrace [-f] [-o FILE] [-p PID | CMD ARGS...]: trace a program's system
 * calls on EclipseOS, one line per call, in the style of strace:
 *
 *	[pid 42] openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = -1
 *	    ENOENT (No such file or directory)
 *
 * (on one line).
 *
 * It forks; the child turns tracing on for itself with
 * prctl(PR_ECLIPSE_SCTRACE, 0, fd, flags) into a pipe to the parent (fd
 * close-on-exec: the kernel keeps its own reference) and execs CMD,
 * searched in PATH as the shell does.  The parent reads the kernel's
 * records (<sys/abi/sctrace.h>), prints them on stderr or FILE, and
 * exits with CMD's exit status (128 + the signal when one killed it).
 * -f traces the children of fork and clone too; -p attaches to a running
 * process instead and ends when it does.  Documentation/sctrace.md.
 *
 * A call's line is printed when it returns (read-like calls show what
 * they read); exit and exit_group print "= ?", then the process's end:
 * "+++ exited with N +++" or "+++ killed by SIGX +++".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sys/abi/sctrace.h>

#include "sctrace.h"

/* The generated table (sys/kern/makesyscalls.sh). */
struct sct_call {
	const char	*sc_name;
	int		 sc_narg;
	unsigned int	 sc_str, sc_in, sc_out;
	const char	*sc_type[6];
	const char	*sc_pname[6];
};

#define SCT_ROW(nr, name, narg, str, in, out, t0, n0, t1, n1, t2, n2, \
	    t3, n3, t4, n4, t5, n5) \
	[nr] = { #name, narg, str, in, out, { t0, t1, t2, t3, t4, t5 }, \
	    { n0, n1, n2, n3, n4, n5 } },
static const struct sct_call sct_calls[] = {
#include <sctrace_table.h>
	SCTRACE_TABLE(SCT_ROW)
};
#define SCT_NCALLS	(sizeof(sct_calls) / sizeof(sct_calls[0]))

/* Calls entered and not yet returned, by thread. */
#define SCT_PENDING	64

struct pending {
	int		 pe_tid;	/* 0: free */
	unsigned char	 pe_rec[SCTRACE_REC_MAX];
};

static struct pending *pending;
static FILE *out;

static void
usage(void)
{
	fprintf(stderr, "usage: sctrace [-f] [-o FILE] -p PID\n"
	    "       sctrace [-f] [-o FILE] CMD [ARGS...]\n");
	exit(2);
}

static const struct sct_call *
call_of(int nr)
{
	if (nr < 0 || (size_t)nr >= SCT_NCALLS ||
	    sct_calls[nr].sc_name == NULL)
		return NULL;
	return &sct_calls[nr];
}

/* The n-th item of record r of kind (and argument arg), or NULL. */
static const struct sctrace_item *
item_find(const struct sctrace_rec *r, int kind, int arg, int n)
{
	const unsigned char *p = (const unsigned char *)(r + 1);
	const unsigned char *end = (const unsigned char *)r + r->sr_size;
	const struct sctrace_item *it;
	unsigned int i;

	for (i = 0; i < r->sr_nitems && p + sizeof(*it) <= end; i++) {
		it = (const struct sctrace_item *)p;
		if (it->si_kind == kind && it->si_arg == arg && n-- == 0)
			return it;
		p += sizeof(*it) + ((it->si_len + 7u) & ~7u);
	}
	return NULL;
}

static void
print_item(const struct sctrace_item *it, unsigned long v)
{
	if (it == NULL || (it->si_flags & SCTRACE_I_FAULT)) {
		fprintf(out, v == 0 ? "NULL" : "%#lx", v);
		return;
	}
	sct_print_quoted(out, (const unsigned char *)(it + 1), it->si_len,
	    it->si_flags & SCTRACE_I_TRUNC);
}

/* execve's argv: ["a", "b"], with ... when cut. */
static void
print_argv(const struct sctrace_rec *r, int arg)
{
	const struct sctrace_item *it;
	int n;

	if (r->sr_args[arg] == 0) {
		fputs("NULL", out);
		return;
	}
	fputc('[', out);
	for (n = 0; (it = item_find(r, SCTRACE_I_ARGV, arg, n)) != NULL;
	    n++) {
		if (it->si_flags & SCTRACE_I_FAULT) {
			fprintf(out, "%s%#lx", n ? ", " : "",
			    r->sr_args[arg]);
			break;
		}
		if (it->si_len == 0 && (it->si_flags & SCTRACE_I_TRUNC)) {
			fputs(n ? ", ..." : "...", out);
			break;
		}
		if (n)
			fputs(", ", out);
		print_item(it, 1);
	}
	fputc(']', out);
}

/* One argument of the call in the ENTER record e (RETURN ret, or NULL). */
static void
print_arg(const struct sct_call *c, const struct sctrace_rec *e,
    const struct sctrace_rec *ret, int i)
{
	unsigned long v = e->sr_args[i];
	const char *type = c->sc_type[i], *pname = c->sc_pname[i];

	if (c->sc_str & (1u << i))
		print_item(item_find(e, SCTRACE_I_STR, i, 0), v);
	else if (strcmp(pname, "argv") == 0 && (strcmp(c->sc_name,
	    "execve") == 0 || strcmp(c->sc_name, "execveat") == 0))
		print_argv(e, i);
	else if (c->sc_in & (1u << i))
		print_item(item_find(e, SCTRACE_I_DATA, i, 0), v);
	else if ((c->sc_out & (1u << i)) && ret != NULL && ret->sr_ret > 0)
		print_item(item_find(ret, SCTRACE_I_DATA, i, 0), v);
	else if (sct_decode_arg(out, c->sc_name, type, pname, v))
		;
	else if (strchr(type, '*') != NULL || strcmp(pname, "addr") == 0)
		fprintf(out, v == 0 ? "NULL" : "%#lx", v);
	else if (strcmp(type, "int") == 0 || strcmp(type, "pid_t") == 0 ||
	    strcmp(type, "uid_t") == 0 || strcmp(type, "clockid_t") == 0)
		fprintf(out, "%d", (int)v);
	else if (strncmp(type, "unsigned", 8) == 0 ||
	    strcmp(type, "size_t") == 0 || strcmp(type, "mode_t") == 0)
		fprintf(out, "%lu", v);
	else
		fprintf(out, "%ld", (long)v);
}

/* "-1 ENOENT (No such file or directory)", a pointer, or a number. */
static void
print_result(const struct sct_call *c, long r)
{
	const char *en;

	if (r < 0 && r >= -4095) {
		en = sct_errname(-r);
		if (en != NULL)
			fprintf(out, "-1 %s (%s)", en, strerror((int)-r));
		else
			fprintf(out, "-1 (errno %ld)", -r);
	} else if (c != NULL && (strcmp(c->sc_name, "mmap") == 0 ||
	    strcmp(c->sc_name, "brk") == 0 ||
	    strcmp(c->sc_name, "mremap") == 0)) {
		fprintf(out, "%#lx", (unsigned long)r);
	} else {
		fprintf(out, "%ld", r);
	}
}

/*
 * The line of the call in ENTER record e: "= result" from RETURN record
 * ret, or "= what" when there is none.
 */
static void
print_call(const struct sctrace_rec *e, const struct sctrace_rec *ret,
    const char *what)
{
	const struct sct_call *c = call_of(e->sr_nr);
	int i;

	fprintf(out, "[pid %d] ", e->sr_tid);
	if (c == NULL) {
		fprintf(out, "syscall_%d(", e->sr_nr);
		for (i = 0; i < 6; i++)
			fprintf(out, "%s%#lx", i ? ", " : "", e->sr_args[i]);
	} else {
		fprintf(out, "%s(", c->sc_name);
		for (i = 0; i < c->sc_narg; i++) {
			if (i)
				fputs(", ", out);
			print_arg(c, e, ret, i);
		}
	}
	fputs(") = ", out);
	if (ret != NULL)
		print_result(c, ret->sr_ret);
	else
		fputs(what, out);
	fputc('\n', out);
}

static struct pending *
pending_find(int tid)
{
	int i;

	for (i = 0; i < SCT_PENDING; i++)
		if (pending[i].pe_tid == tid)
			return &pending[i];
	return NULL;
}

/* Print what process pid (-1: any) left unfinished (exit: "= ?"). */
static void
pending_flush_pid(int pid, const char *what)
{
	const struct sctrace_rec *e;
	int i;

	for (i = 0; i < SCT_PENDING; i++) {
		e = (const struct sctrace_rec *)pending[i].pe_rec;
		if (pending[i].pe_tid != 0 && (pid < 0 || e->sr_pid == pid)) {
			print_call(e, NULL, what);
			pending[i].pe_tid = 0;
		}
	}
}

/*
 * One record.  Returns the wait status an EXIT record of pid carries,
 * or -1.
 */
static int
handle(const struct sctrace_rec *r, int pid)
{
	struct pending *pe;
	int st;

	switch (r->sr_kind) {
	case SCTRACE_K_ENTER:
		if ((pe = pending_find(r->sr_tid)) != NULL)
			print_call((const struct sctrace_rec *)pe->pe_rec,
			    NULL, "? <unfinished>");
		else if ((pe = pending_find(0)) == NULL) {
			print_call(r, NULL, "? <too many calls at once>");
			break;
		}
		pe->pe_tid = r->sr_tid;
		memcpy(pe->pe_rec, r, r->sr_size);
		break;
	case SCTRACE_K_RETURN:
		if ((pe = pending_find(r->sr_tid)) == NULL)
			break;
		print_call((const struct sctrace_rec *)pe->pe_rec, r, NULL);
		pe->pe_tid = 0;
		break;
	case SCTRACE_K_EXECED:
		pending_flush_pid(r->sr_pid, "0");
		break;
	case SCTRACE_K_EXIT:
		pending_flush_pid(r->sr_pid, "?");
		st = (int)r->sr_ret;
		if (WIFSIGNALED(st))
			fprintf(out, "[pid %d] +++ killed by %s +++\n",
			    r->sr_pid, sct_signame(WTERMSIG(st)));
		else
			fprintf(out, "[pid %d] +++ exited with %d +++\n",
			    r->sr_pid, WEXITSTATUS(st));
		if (r->sr_pid == pid)
			return st;
		break;
	}
	return -1;
}

static int
read_full(int fd, void *buf, size_t n)
{
	size_t done = 0;
	ssize_t k;

	while (done < n) {
		k = read(fd, (char *)buf + done, n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return done == 0 && k == 0 ? 0 : -1;
		done += (size_t)k;
	}
	return 1;
}

/*
 * Read and print records from fd until every traced process is gone.
 * Returns the last wait status of pid seen, or -1.
 */
static int
trace_loop(int fd, int pid)
{
	static unsigned char buf[SCTRACE_REC_MAX];
	struct sctrace_rec *r = (struct sctrace_rec *)buf;
	int st, status = -1;

	for (;;) {
		if (read_full(fd, buf, sizeof(*r)) <= 0)
			break;
		if (r->sr_magic != SCTRACE_MAGIC || r->sr_size < sizeof(*r) ||
		    r->sr_size > SCTRACE_REC_MAX) {
			fprintf(stderr, "sctrace: bad record from the "
			    "kernel\n");
			break;
		}
		if (r->sr_size > sizeof(*r) && read_full(fd, buf + sizeof(*r),
		    r->sr_size - sizeof(*r)) <= 0)
			break;
		if ((st = handle(r, pid)) >= 0)
			status = st;
	}
	pending_flush_pid(-1, "?");
	return status;
}

static long
sct_prctl(long pid, long fd, long flags)
{
	return syscall(SYS_prctl, PR_ECLIPSE_SCTRACE, pid, fd, flags, 0L);
}

/* The child: trace itself into fd, then become the command. */
static void __attribute__((noreturn))
child(int fd, int flags, char **argv)
{
	if (sct_prctl(0, fd, flags) < 0) {
		fprintf(stderr, "sctrace: prctl(PR_ECLIPSE_SCTRACE): %s\n",
		    strerror(errno));
		_exit(127);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "sctrace: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static int
exit_code(int st)
{
	if (st < 0)
		return 1;
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

int
main(int argc, char **argv)
{
	const char *ofile = NULL;
	int c, fds[2], flags = 0, st = -1;
	long pid = 0;
	pid_t kid;

	while ((c = getopt(argc, argv, "+fo:p:")) != -1) {
		switch (c) {
		case 'f':
			flags |= SCTRACE_F_INHERIT;
			break;
		case 'o':
			ofile = optarg;
			break;
		case 'p':
			pid = strtol(optarg, NULL, 10);
			if (pid <= 0)
				usage();
			break;
		default:
			usage();
		}
	}
	if ((pid == 0) == (optind == argc))
		usage();
	out = stderr;
	if (ofile != NULL && (out = fopen(ofile, "w")) == NULL) {
		fprintf(stderr, "sctrace: %s: %s\n", ofile, strerror(errno));
		return 1;
	}
	setvbuf(out, NULL, _IOLBF, 0);
	if ((pending = calloc(SCT_PENDING, sizeof(*pending))) == NULL ||
	    pipe2(fds, O_CLOEXEC) < 0) {
		fprintf(stderr, "sctrace: %s\n", strerror(errno));
		return 1;
	}

	if (pid != 0) {
		if (sct_prctl(pid, fds[1], flags) < 0) {
			fprintf(stderr, "sctrace: prctl(PR_ECLIPSE_SCTRACE, "
			    "%ld): %s\n", pid, strerror(errno));
			return 1;
		}
		close(fds[1]);
		return exit_code(trace_loop(fds[0], (int)pid));
	}

	if ((kid = fork()) < 0) {
		fprintf(stderr, "sctrace: fork: %s\n", strerror(errno));
		return 1;
	}
	if (kid == 0) {
		close(fds[0]);
		child(fds[1], flags, argv + optind);
	}
	close(fds[1]);
	(void)trace_loop(fds[0], kid);
	while (waitpid(kid, &st, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "sctrace: waitpid: %s\n",
			    strerror(errno));
			return 1;
		}
	}
	if (out != stderr)
		fclose(out);
	return exit_code(st);
}
