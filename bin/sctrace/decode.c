/*
 * sctrace's decoders: how one argument or result reads in a trace line
 * (flags by name, signals, AT_FDCWD, quoted strings, errno names).  The
 * numbers are Linux's x86_64 ones, which EclipseOS speaks.
 */
#include <stdio.h>
#include <string.h>

#include "sctrace.h"

struct flagname {
	unsigned long	 fn_bit;
	const char	*fn_name;
};

#define FN(x)	{ x, #x }

/* open(2): the access mode is a value, the rest are bits. */
static const struct flagname open_flags[] = {
	{ 0100, "O_CREAT" }, { 0200, "O_EXCL" }, { 0400, "O_NOCTTY" },
	{ 01000, "O_TRUNC" }, { 02000, "O_APPEND" }, { 04000, "O_NONBLOCK" },
	{ 010000, "O_DSYNC" }, { 020000, "O_ASYNC" }, { 040000, "O_DIRECT" },
	{ 0200000, "O_DIRECTORY" }, { 0400000, "O_NOFOLLOW" },
	{ 01000000, "O_NOATIME" }, { 02000000, "O_CLOEXEC" },
	{ 04010000, "O_SYNC" }, { 010000000, "O_PATH" },
	{ 020200000, "O_TMPFILE" }, { 0, NULL }
};

static const struct flagname prot_flags[] = {
	{ 0x1, "PROT_READ" }, { 0x2, "PROT_WRITE" }, { 0x4, "PROT_EXEC" },
	{ 0x01000000, "PROT_GROWSDOWN" }, { 0x02000000, "PROT_GROWSUP" },
	{ 0, NULL }
};

/* mmap(2): the type (shared, private) is a value, the rest are bits. */
static const struct flagname map_flags[] = {
	{ 0x10, "MAP_FIXED" }, { 0x20, "MAP_ANONYMOUS" },
	{ 0x40, "MAP_32BIT" }, { 0x100, "MAP_GROWSDOWN" },
	{ 0x800, "MAP_DENYWRITE" }, { 0x1000, "MAP_EXECUTABLE" },
	{ 0x2000, "MAP_LOCKED" }, { 0x4000, "MAP_NORESERVE" },
	{ 0x8000, "MAP_POPULATE" }, { 0x10000, "MAP_NONBLOCK" },
	{ 0x20000, "MAP_STACK" }, { 0x40000, "MAP_HUGETLB" },
	{ 0x80000, "MAP_SYNC" }, { 0x100000, "MAP_FIXED_NOREPLACE" },
	{ 0, NULL }
};

/* clone(2): the low byte is the exit signal. */
static const struct flagname clone_flags[] = {
	{ 0x100, "CLONE_VM" }, { 0x200, "CLONE_FS" },
	{ 0x400, "CLONE_FILES" }, { 0x800, "CLONE_SIGHAND" },
	{ 0x1000, "CLONE_PIDFD" }, { 0x2000, "CLONE_PTRACE" },
	{ 0x4000, "CLONE_VFORK" }, { 0x8000, "CLONE_PARENT" },
	{ 0x10000, "CLONE_THREAD" }, { 0x20000, "CLONE_NEWNS" },
	{ 0x40000, "CLONE_SYSVSEM" }, { 0x80000, "CLONE_SETTLS" },
	{ 0x100000, "CLONE_PARENT_SETTID" },
	{ 0x200000, "CLONE_CHILD_CLEARTID" }, { 0x400000, "CLONE_DETACHED" },
	{ 0x800000, "CLONE_UNTRACED" }, { 0x1000000, "CLONE_CHILD_SETTID" },
	{ 0x2000000, "CLONE_NEWCGROUP" }, { 0x4000000, "CLONE_NEWUTS" },
	{ 0x8000000, "CLONE_NEWIPC" }, { 0x10000000, "CLONE_NEWUSER" },
	{ 0x20000000, "CLONE_NEWPID" }, { 0x40000000, "CLONE_NEWNET" },
	{ 0x80000000UL, "CLONE_IO" }, { 0, NULL }
};

static const struct flagname wait_flags[] = {
	{ 1, "WNOHANG" }, { 2, "WUNTRACED" }, { 4, "WEXITED" },
	{ 8, "WCONTINUED" }, { 0x01000000, "WNOWAIT" },
	{ 0x20000000, "__WNOTHREAD" }, { 0x40000000, "__WALL" },
	{ 0x80000000UL, "__WCLONE" }, { 0, NULL }
};

static const char *const signames[32] = {
	NULL, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
	"SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2",
	"SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
	"SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
	"SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR",
	"SIGSYS"
};

/* Errno names, from sys/sys/abi/errno.h by sctrace.mk. */
static const char *const errnames[] = {
#define X(num, name)	[num] = name,
#include "errnames.h"
#undef X
};

#define NERRNAMES	(sizeof(errnames) / sizeof(errnames[0]))

/* A signal's name ("SIGRTMIN+3" for real-time ones), in a static buffer. */
const char *
sct_signame(long sig)
{
	static char buf[32];

	if (sig > 0 && sig < 32)
		return signames[sig];
	if (sig >= 32 && sig <= 64)
		snprintf(buf, sizeof(buf), "SIGRTMIN+%ld", sig - 32);
	else
		snprintf(buf, sizeof(buf), "%ld", sig);
	return buf;
}

/* The errno name of e (> 0), or NULL. */
const char *
sct_errname(long e)
{
	if (e > 0 && (unsigned long)e < NERRNAMES)
		return errnames[e];
	return NULL;
}

/* Print the bits of v that table names joined by |, the rest in hex. */
static void
print_bits(FILE *f, unsigned long v, const struct flagname *t, int any)
{
	int i;

	for (i = 0; t[i].fn_name != NULL; i++) {
		if ((v & t[i].fn_bit) == t[i].fn_bit) {
			fprintf(f, "%s%s", any ? "|" : "", t[i].fn_name);
			v &= ~t[i].fn_bit;
			any = 1;
		}
	}
	if (v != 0 || !any)
		fprintf(f, "%s%#lx", any ? "|" : "", v);
}

static void
print_open_flags(FILE *f, unsigned long v)
{
	static const char *const acc[4] = { "O_RDONLY", "O_WRONLY", "O_RDWR",
	    "O_ACCMODE" };

	fputs(acc[v & 3], f);
	v &= ~3UL;
	if (v != 0)
		print_bits(f, v, open_flags, 1);
}

static void
print_map_flags(FILE *f, unsigned long v)
{
	switch (v & 0xf) {
	case 1:
		fputs("MAP_SHARED", f);
		break;
	case 2:
		fputs("MAP_PRIVATE", f);
		break;
	case 3:
		fputs("MAP_SHARED_VALIDATE", f);
		break;
	default:
		fprintf(f, "%#lx", v & 0xf);
		break;
	}
	v &= ~0xfUL;
	if (v != 0)
		print_bits(f, v, map_flags, 1);
}

static void
print_clone_flags(FILE *f, unsigned long v)
{
	int any = 0;

	if ((v & ~0xffUL) != 0) {
		print_bits(f, v & ~0xffUL, clone_flags, 0);
		any = 1;
	}
	if ((v & 0xff) != 0 || !any)
		fprintf(f, "%s%s", any ? "|" : "", (v & 0xff) != 0 ?
		    sct_signame((long)(v & 0xff)) : "0");
}

/*
 * Print bytes as a C string literal: printable ASCII as is, the usual
 * escapes, octal for the rest; "..." after it when cut.
 */
void
sct_print_quoted(FILE *f, const unsigned char *s, size_t n, int trunc)
{
	size_t i;

	fputc('"', f);
	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (s[i] >= 0x20 && s[i] < 0x7f)
				fputc(s[i], f);
			else
				fprintf(f, "\\%o", s[i]);
			break;
		}
	}
	fputc('"', f);
	if (trunc)
		fputs("...", f);
}

/*
 * Print argument value v of call name, whose parameter is "type pname",
 * when a decoder knows it; returns 0 when nothing did (print a number).
 */
int
sct_decode_arg(FILE *f, const char *name, const char *type,
    const char *pname, unsigned long v)
{
	if (strcmp(pname, "dfd") == 0 || strcmp(pname, "olddfd") == 0 ||
	    strcmp(pname, "newdfd") == 0 || strcmp(pname, "dirfd") == 0) {
		if ((int)v == -100) {
			fputs("AT_FDCWD", f);
			return 1;
		}
		fprintf(f, "%d", (int)v);
		return 1;
	}
	if (strcmp(pname, "flags") == 0 && (strcmp(name, "open") == 0 ||
	    strcmp(name, "openat") == 0)) {
		print_open_flags(f, v);
		return 1;
	}
	if (strcmp(pname, "prot") == 0) {
		print_bits(f, v, prot_flags, 0);
		return 1;
	}
	if (strcmp(name, "mmap") == 0 && strcmp(pname, "flags") == 0) {
		print_map_flags(f, v);
		return 1;
	}
	if (strcmp(name, "clone") == 0 && strcmp(pname, "flags") == 0) {
		print_clone_flags(f, v);
		return 1;
	}
	if ((strcmp(name, "wait4") == 0 || strcmp(name, "waitid") == 0) &&
	    strcmp(pname, "options") == 0) {
		print_bits(f, v, wait_flags, 0);
		return 1;
	}
	if (strcmp(pname, "sig") == 0 && strcmp(type, "int") == 0) {
		fputs(v == 0 ? "0" : sct_signame((int)v), f);
		return 1;
	}
	if (strcmp(name, "rt_sigprocmask") == 0 &&
	    strcmp(pname, "how") == 0 && v <= 2) {
		fputs(v == 0 ? "SIG_BLOCK" : v == 1 ? "SIG_UNBLOCK" :
		    "SIG_SETMASK", f);
		return 1;
	}
	if (strcmp(pname, "mode") == 0) {
		fprintf(f, "%#lo", v);
		return 1;
	}
	return 0;
}
