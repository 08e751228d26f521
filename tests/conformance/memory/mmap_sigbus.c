/*
 * mmap(2) of a file past its end: the mapping may be longer than the
 * file, but an access to a page wholly past the end is SIGBUS with
 * si_code BUS_ADRERR; the rest of the last page reads as zeros; a file
 * that grows becomes reachable; a truncation makes the pages past the
 * new end unreachable through every mapping, shared or private, in this
 * process and another.
 */
#include <signal.h>
#include <stdlib.h>

#include "mapfile.h"

#define P	CONF_PAGE

/* What the SIGBUS handler saw, in shared memory (the child dies). */
struct bus_seen {
	int		 signo;
	int		 code;
	void		*addr;
	int		 ready;		/* the child mapped its pages */
	int		 go;		/* the parent truncated */
};

static struct bus_seen *seen;

static void
on_bus(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	seen->signo = sig;
	seen->code = si->si_code;
	seen->addr = si->si_addr;
	_exit(42);
}

/* In a child: read the byte at arg (the handler exits 42 on SIGBUS). */
static void
touch(void *arg)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_bus;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGBUS, &sa, NULL);
	if (*(volatile char *)arg == 0x7f)
		_exit(3);
	_exit(0);
}

/* Store to the byte at arg, with no handler: the child dies. */
static void
store(void *arg)
{
	*(volatile char *)arg = 1;
}

/* Whether touching addr in a child ends in SIGBUS, BUS_ADRERR, addr. */
static int
is_sigbus(char *addr, const char *what)
{
	int st;

	seen->signo = seen->code = 0;
	seen->addr = NULL;
	st = conf_in_child(touch, addr);
	return ok(WIFEXITED(st) && WEXITSTATUS(st) == 42 &&
	    seen->signo == SIGBUS && seen->code == BUS_ADRERR &&
	    seen->addr == addr, "%s: SIGBUS, BUS_ADRERR at the address (%s, "
	    "code %d)", what, conf_status_str(st), seen->code);
}

int
main(int argc, char **argv)
{
	char *m, *pm, *q;
	pid_t pid;
	int fd, st;

	(void)argc;
	conf_init(argv);
	seen = conf_shared(P);
	mf_setup("mmap_sigbus");

	/* 1.5 pages of file under a 4-page mapping. */
	fd = mf_make("short", P + P / 2, O_RDWR);
	m = mmap(NULL, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (!ok(m != MAP_FAILED, "mmap(2): a mapping longer than the file "
	    "succeeds"))
		bail_out("mmap: %s", tap_errname(errno));
	ok(m[P + P / 2 - 1] == MF_BYTE(P + P / 2 - 1) && m[P + P / 2] == 0 &&
	    m[2 * P - 1] == 0, "mmap(2): the last page reads as zeros past "
	    "the end of the file");
	is_sigbus(m + 2 * P, "mmap(2): a read in a page wholly past the end");
	is_sigbus(m + 3 * P + 5, "mmap(2): a read two pages past the end");
	is_signal(conf_in_child(store, m + 2 * P), SIGBUS, "mmap(2): a store "
	    "past the end is SIGBUS too");

	ok(ftruncate(fd, 3 * P) == 0 && m[2 * P + 9] == 0, "ftruncate(2) "
	    "growing the file: the page that was past the end reads zeros");
	m[2 * P + 9] = 'g';
	{
		char c = 0;

		ok(pread(fd, &c, 1, 2 * P + 9) == 1 && c == 'g', "mmap(2): a "
		    "store into the grown part reaches the file");
	}

	/* Another process and a private mapping map it too. */
	pm = mmap(NULL, 3 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (pm == MAP_FAILED)
		bail_out("mmap private: %s", tap_errname(errno));
	pm[2 * P] = 'p';	/* a private copy past the cut to come */
	(void)*(volatile char *)(pm + P);
	pid = conf_fork();
	if (pid == 0) {
		struct sigaction sa;

		/* The child's pages are there; then the parent cuts. */
		(void)*(volatile char *)(m + 2 * P);
		seen->ready = 1;
		conf_wait_flag(&seen->go, 1, 1, 30000);
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_bus;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGBUS, &sa, NULL);
		(void)*(volatile char *)(m + 2 * P);
		_exit(0);
	}
	if (conf_wait_flag(&seen->ready, 1, 1, 30000) != 0)
		bail_out("the child did not start");
	ok(ftruncate(fd, P / 2) == 0, "ftruncate(2) shrinking the mapped file "
	    "to half a page");
	seen->go = 1;
	st = conf_wait(pid);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 42 && seen->code == BUS_ADRERR,
	    "truncate: another process's mapping of a page past the new end "
	    "is SIGBUS (%s)", conf_status_str(st));
	is_sigbus(m + P, "truncate: a page of the shared mapping past the "
	    "new end");
	is_sigbus(m + 2 * P, "truncate: the page stored to before");
	is_sigbus(pm + P, "truncate: a private mapping's page past the new "
	    "end");
	is_sigbus(pm + 2 * P, "truncate: also a page it had copied");
	ok(m[P / 2 - 1] == MF_BYTE(P / 2 - 1) && m[P / 2] == 0 &&
	    m[P - 1] == 0, "truncate: the first page stays mapped, zeros past "
	    "the new end");
	q = mmap(NULL, P, PROT_READ, MAP_SHARED, fd, 2 * P);
	ok(q != MAP_FAILED, "mmap(2): mapping only pages past the end "
	    "succeeds");
	if (q != MAP_FAILED) {
		is_sigbus(q, "mmap(2): its first page");
		munmap(q, P);
	}
	munmap(pm, 3 * P);
	munmap(m, 4 * P);
	close(fd);
	mf_done();
	return done_testing();
}
