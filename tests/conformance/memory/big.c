/*
 * 16 MiB of anonymous memory touched and freed, many times over: with
 * munmap(2), with the exit of a child that mapped it, and with malloc(3)
 * and free(3) (which musl serves with mmap).  640 MiB in all: more than an
 * EclipseOS test machine has, so memory that is not freed shows up as a
 * failure to map or a killed child.
 */
/* conformance: timeout=240 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conf.h"

#define SIZE	(16UL << 20)
#define ROUNDS	16

/* Writes a word into every page, then checks them; 0 when all match. */
static int
touch_all(unsigned char *p, unsigned long seed)
{
	unsigned long off;

	for (off = 0; off < SIZE; off += CONF_PAGE)
		*(unsigned long *)(p + off) = off ^ seed;
	for (off = 0; off < SIZE; off += CONF_PAGE)
		if (*(unsigned long *)(p + off) != (off ^ seed))
			return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned char *p;
	int i, st, good;
	pid_t pid;

	(void)argc;
	conf_init(argv);
	for (good = 0, i = 0; i < ROUNDS; i++) {
		p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			diag("round %d: mmap: %s", i, tap_errname(errno));
			break;
		}
		if (p[SIZE / 2] != 0 || touch_all(p, (unsigned long)i) != 0) {
			diag("round %d: wrong contents", i);
			break;
		}
		if (munmap(p, SIZE) != 0) {
			diag("round %d: munmap: %s", i, tap_errname(errno));
			break;
		}
		good++;
	}
	is_long(good, ROUNDS, "mmap(2)/munmap(2): 16 MiB mapped, every page "
	    "written and read back, and unmapped, %d times", ROUNDS);

	for (good = 0, i = 0; i < ROUNDS; i++) {
		pid = conf_fork();
		if (pid == 0) {
			p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (p == MAP_FAILED)
				_exit(1);
			_exit(touch_all(p, (unsigned long)~i) == 0 ? 0 : 2);
		}
		st = conf_wait(pid);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			diag("round %d: child %s", i, conf_status_str(st));
			break;
		}
		good++;
	}
	is_long(good, ROUNDS, "_exit(2): a child's 16 MiB is freed when it "
	    "exits (%d children in a row)", ROUNDS);

	for (good = 0, i = 0; i < ROUNDS / 2; i++) {
		p = malloc(SIZE);
		if (p == NULL) {
			diag("round %d: malloc failed", i);
			break;
		}
		memset(p, i + 1, SIZE);
		if (p[0] != i + 1 || p[SIZE - 1] != i + 1) {
			diag("round %d: wrong contents", i);
			break;
		}
		free(p);
		good++;
	}
	is_long(good, ROUNDS / 2, "malloc(3)/free(3): 16 MiB filled and "
	    "freed, %d times", ROUNDS / 2);
	return done_testing();
}
