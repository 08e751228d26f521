/*
 * MAP_SHARED|MAP_ANONYMOUS memory across fork(2): "updates to the mapping
 * are visible to other processes mapping the same region" (mmap(2)), in
 * both directions, in grandchildren, and after the writer is gone; a
 * child's munmap does not affect the parent.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conf.h"

#define PAGE_INTS	(CONF_PAGE / sizeof(int))

int
main(int argc, char **argv)
{
	volatile int *s;
	pid_t pid;
	int st;

	(void)argc;
	conf_init(argv);
	s = mmap(NULL, 4 * CONF_PAGE, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!ok(s != MAP_FAILED, "mmap(2): MAP_SHARED|MAP_ANONYMOUS of 4 "
	    "pages succeeds"))
		bail_out("mmap: %s", tap_errname(errno));
	ok(s[0] == 0 && s[4 * PAGE_INTS - 1] == 0,
	    "mmap(2): shared anonymous memory starts as zeros");
	s[0] = 1;

	pid = conf_fork();
	if (pid == 0) {
		int seen = s[0];

		s[1] = 'c';
		s[PAGE_INTS] = 'd';	/* a page no one touched yet */
		conf_wait_flag(&s[2], 1, 2, 30000);
		_exit(seen == 1 && s[3] == 'p' ? 0 : 1);
	}
	if (conf_wait_flag((volatile int *)&s[1], 'c', 2, 30000) != 0)
		bail_out("the child did not write");
	is_long(s[1], 'c', "mmap(2) MAP_SHARED: the parent sees the child's "
	    "write");
	is_long(s[PAGE_INTS], 'd', "mmap(2) MAP_SHARED: also in a page first "
	    "touched by the child");
	s[3] = 'p';
	s[2] = 1;
	st = conf_wait(pid);
	is_exit(st, 0, "mmap(2) MAP_SHARED: the child saw the parent's "
	    "writes, before and after the fork");
	is_long(s[1], 'c', "mmap(2) MAP_SHARED: the child's write outlives "
	    "the child");

	pid = conf_fork();
	if (pid == 0) {
		pid_t gc = fork();

		if (gc == 0) {
			s[5] = 'g';
			_exit(0);
		}
		if (gc < 0 || wait4(gc, NULL, 0, NULL) != gc)
			_exit(1);
		munmap((void *)s, 4 * CONF_PAGE);
		_exit(0);
	}
	st = conf_wait(pid);
	is_exit(st, 0, "fork(2): the child forked a grandchild and unmapped "
	    "its view");
	is_long(s[5], 'g', "mmap(2) MAP_SHARED: a grandchild's write reaches "
	    "the grandparent");
	s[6] = 'x';
	is_long(s[6], 'x', "munmap(2): a child's munmap leaves the parent's "
	    "shared mapping in place");
	munmap((void *)s, 4 * CONF_PAGE);
	return done_testing();
}
