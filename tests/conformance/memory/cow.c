/*
 * Copy-on-write after fork(2): "the child process and the parent process
 * run in separate memory spaces ... memory writes performed by one of the
 * processes do not affect the other" (fork(2)).  Checked for data, bss,
 * heap, stack and anonymous private memory, both directions, pages never
 * written before the fork, and a grandchild.  Parent and child take turns
 * through a MAP_SHARED page.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conf.h"

#define NREGION	6

struct turn {
	volatile int	t_step;		/* whose turn: see main */
	volatile int	t_child_saw[NREGION];
	volatile int	t_child_saw_after[NREGION];
};

static int data_var = 'A';		/* .data */
static int bss_var;			/* .bss */

int
main(int argc, char **argv)
{
	static const char *const names[NREGION] = { "data", "bss", "heap",
	    "stack", "mmap", "untouched mmap" };
	volatile int *region[NREGION];
	volatile int stack_var = 'A';
	struct turn *t;
	int *heap, *anon, *fresh, i, good, st;
	pid_t pid;

	(void)argc;
	conf_init(argv);
	t = conf_shared(sizeof(*t));
	heap = malloc(sizeof(int));
	anon = mmap(NULL, 2 * CONF_PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (heap == NULL || anon == MAP_FAILED)
		bail_out("no memory");
	fresh = anon + CONF_PAGE / sizeof(int);	/* never written */
	bss_var = 'A';
	*heap = 'A';
	*anon = 'A';
	region[0] = &data_var;
	region[1] = &bss_var;
	region[2] = heap;
	region[3] = &stack_var;
	region[4] = anon;
	region[5] = fresh;

	pid = conf_fork();
	if (pid == 0) {
		/* Step 1: the child writes 'C' everywhere. */
		for (i = 0; i < NREGION; i++) {
			t->t_child_saw[i] = *region[i];
			*region[i] = 'C';
		}
		t->t_step = 1;
		/* Step 2: the parent wrote 'P'; look again. */
		conf_wait_flag(&t->t_step, 2, 2, 30000);
		for (i = 0; i < NREGION; i++)
			t->t_child_saw_after[i] = *region[i];
		t->t_step = 3;
		_exit(0);
	}
	if (conf_wait_flag(&t->t_step, 1, 2, 30000) != 0)
		bail_out("the child did not run");
	for (i = 0; i < NREGION - 1; i++)
		is_long(t->t_child_saw[i], 'A', "fork(2): the child sees the "
		    "parent's %s as it was at the fork", names[i]);
	is_long(t->t_child_saw[NREGION - 1], 0, "fork(2): the child sees "
	    "an untouched anonymous page as zeros");
	for (i = 0; i < NREGION; i++)
		is_long(*region[i], i == NREGION - 1 ? 0 : 'A', "fork(2): the "
		    "child's write to %s is not seen by the parent", names[i]);
	for (i = 0; i < NREGION; i++)
		*region[i] = 'P';
	t->t_step = 2;
	if (conf_wait_flag(&t->t_step, 3, 2, 30000) != 0)
		bail_out("the child did not finish");
	for (good = 1, i = 0; i < NREGION; i++)
		good &= t->t_child_saw_after[i] == 'C';
	ok(good, "fork(2): the parent's later writes are not seen by the "
	    "child, which keeps its own");
	st = conf_wait(pid);
	is_exit(st, 0, "fork(2): the child exited normally");
	for (good = 1, i = 0; i < NREGION; i++)
		good &= *region[i] == 'P';
	ok(good, "fork(2): after the child is gone the parent keeps its "
	    "data");
	for (i = 0; i < NREGION; i++)
		*region[i] = 'Q';
	ok(*region[0] == 'Q' && *region[4] == 'Q', "fork(2): the parent can "
	    "write its pages once the child is gone");

	/* A grandchild: three copies of one page. */
	*anon = 'G';
	pid = conf_fork();
	if (pid == 0) {
		pid_t gc = fork();

		if (gc == 0) {
			*anon = 'g';
			_exit(*anon == 'g' ? 0 : 1);
		}
		if (gc < 0)
			_exit(2);
		st = 0;
		if (wait4(gc, &st, 0, NULL) != gc || st != 0)
			_exit(3);
		_exit(*anon == 'G' ? 0 : 4);
	}
	st = conf_wait(pid);
	is_exit(st, 0, "fork(2): a grandchild's write is seen neither by its "
	    "parent nor (below) by the grandparent");
	is_long(*anon, 'G', "fork(2): the grandparent's page is unchanged");
	return done_testing();
}
