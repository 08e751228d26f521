/*
 * _exit(2), exit_group(2) and the Linux wait status encoding: a normal
 * exit with code c is the status (c & 0xff) << 8, which WIFEXITED and
 * WEXITSTATUS decode (wait(2), POSIX wait()).
 */
#include <unistd.h>

#include "conf.h"

/* Forks a child that ends with the raw system call nr(code). */
static int
raw_exit_status(long nr, long code)
{
	pid_t pid = conf_fork();

	if (pid == 0) {
		conf_sys(nr, code);
		_exit(99);
	}
	return conf_wait(pid);
}

int
main(int argc, char **argv)
{
	static const int codes[] = { 0, 1, 42, 255, 256, 257, -1 };
	pid_t pid;
	size_t i;
	int st;

	(void)argc;
	conf_init(argv);
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		pid = conf_fork();
		if (pid == 0)
			_exit(codes[i]);
		st = conf_wait(pid);
		is_hex(st, (codes[i] & 0xff) << 8, "_exit(2): _exit(%d) gives "
		    "the wait status (%d & 0xff) << 8 = %#x", codes[i],
		    codes[i], (codes[i] & 0xff) << 8);
	}
	st = raw_exit_status(SYS_exit_group, 77);
	is_exit(st, 77, "exit_group(2): ends the process with the status "
	    "given");
	st = raw_exit_status(SYS_exit_group, 0x1234);
	is_exit(st, 0x34, "exit_group(2): only the low 8 bits of the status "
	    "reach the parent");
	st = raw_exit_status(SYS_exit, 78);
	is_exit(st, 78, "exit(2) (the system call) in a single-threaded "
	    "process ends it with the status given");
	return done_testing();
}
