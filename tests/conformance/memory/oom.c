/*
 * Running out of memory ends the request or the process, never the
 * system: a child maps and touches 64 MiB chunks until the system says
 * no, with RLIMIT_AS at 1 GiB (Linux refuses the mapping there; an
 * EclipseOS test machine has only 512 MiB, so there the memory itself
 * runs out first).  The child must stop by mmap(2) failing with ENOMEM
 * or by being killed (Linux's OOM killer sends SIGKILL; a fault that
 * cannot get a page ends the process), and afterwards the system must
 * still fork and map memory as before.
 */
/* conformance: timeout=240 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"

#define CHUNK	(64UL << 20)
#define MAXCHUNKS 64		/* 4 GiB: beyond every test machine's limit */
#define PAGE	4096UL

/* The child: 0 when mmap said ENOMEM, 1 when it never ran out. */
static int
child(void)
{
	struct rlimit rl = { 1UL << 30, 1UL << 30 };
	unsigned long i, off;
	char *p;

	if (setrlimit(RLIMIT_AS, &rl) != 0)
		return 2;
	for (i = 0; i < MAXCHUNKS; i++) {
		p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return errno == ENOMEM ? 0 : 3;
		for (off = 0; off < CHUNK; off += PAGE)
			p[off] = 1;
	}
	return 1;
}

int
main(int argc, char **argv)
{
	int st, sig;
	pid_t pid;
	char *p;

	(void)argc;
	conf_init(argv);
	pid = fork();
	if (pid == 0)
		_exit(child());
	ok(pid > 0, "fork(2): the memory-hungry child starts");
	ok(waitpid(pid, &st, 0) == pid, "waitpid(2): the child ends");
	sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	ok((WIFEXITED(st) && WEXITSTATUS(st) == 0) ||
	    sig == SIGKILL || sig == SIGSEGV || sig == SIGBUS,
	    "out of memory: mmap(2) fails with ENOMEM or the process is "
	    "killed (status %#x)", st);

	/* The system is still usable: the memory came back. */
	p = mmap(NULL, 16UL << 20, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ok(p != MAP_FAILED, "mmap(2): 16 MiB can be mapped afterwards");
	if (p != MAP_FAILED) {
		unsigned long off;

		for (off = 0; off < (16UL << 20); off += PAGE)
			p[off] = 2;
		ok(p[(8UL << 20)] == 2, "the 16 MiB can be touched afterwards");
	} else {
		ok(0, "the 16 MiB can be touched afterwards");
	}
	pid = fork();
	if (pid == 0)
		_exit(7);
	ok(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 7, "fork(2) and wait(2) still work afterwards");
	return done_testing();
}
