/*
 * vfork(2): the parent is suspended until the child calls _exit(2) or
 * execve(2), and until then the child shares the parent's memory (Linux's
 * vfork(2) manual page documents both).  The exec'd helper is this program
 * again, run as "vfork --helper sleep-exit".
 */
#include <string.h>
#include <unistd.h>

#include "conf.h"

static volatile int shared_var;

/* The program exec'd by the vfork child: sleeps 2 s, then exits 7. */
static int
helper(char **argv)
{
	if (argv[2] != NULL && strcmp(argv[2], "sleep-exit") == 0) {
		conf_sleep_ms(2000);
		return 7;
	}
	return 100;
}

int
main(int argc, char **argv)
{
	char self[512];
	char *args[] = { self, "--helper", "sleep-exit", NULL };
	char *env[] = { NULL };
	int64_t t0, t1;
	pid_t pid, ret;
	int st;

	if (argc > 1 && strcmp(argv[1], "--helper") == 0)
		return helper(argv);
	conf_init(argv);
	conf_path(self, sizeof(self), "vfork");

	shared_var = 0;
	t0 = conf_now_ns(CLOCK_MONOTONIC);
	pid = vfork();
	if (pid == 0) {
		struct timespec ts = { 0, 200 * 1000000L };

		nanosleep(&ts, NULL);
		shared_var = 1;
		_exit(3);
	}
	t1 = conf_now_ns(CLOCK_MONOTONIC);
	if (!ok(pid > 0, "vfork(2): returns the child's pid in the parent"))
		bail_out("vfork: %s", tap_errname(errno));
	cmp_long((t1 - t0) / CONF_MS, ">=", 200, "vfork(2): the parent "
	    "resumes only after the child's _exit (child slept 200 ms)");
	is_long(shared_var, 1, "vfork(2): the child's store is seen by the "
	    "parent (they share memory until _exit)");
	st = conf_wait(pid);
	is_exit(st, 3, "vfork(2): the child's _exit status reaches wait4");

	pid = vfork();
	if (pid == 0) {
		execve(self, args, env);
		_exit(127);
	}
	if (!ok(pid > 0, "vfork(2)+execve(2): vfork returns the child's pid"))
		bail_out("vfork: %s", tap_errname(errno));
	ret = wait4(pid, &st, WNOHANG, NULL);
	is_long(ret, 0, "vfork(2): the parent resumes when the child "
	    "execs, while the new program still runs (WNOHANG gives 0)");
	st = conf_wait(pid);
	is_exit(st, 7, "vfork(2)+execve(2): the exec'd program's exit "
	    "status reaches the parent");
	return done_testing();
}
