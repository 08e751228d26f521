/*
 * umask(2): returns the previous mask, keeps only mask & 0777, and the
 * mask is inherited by fork(2) and kept across execve(2).
 */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"

int
main(int argc, char **argv)
{
	char self[512];
	char *args[] = { self, "--helper", NULL };
	char *env[] = { NULL };
	pid_t pid;
	int st;

	if (argc == 2 && strcmp(argv[1], "--helper") == 0)
		return (int)umask(0);
	conf_init(argv);
	conf_path(self, sizeof(self), "umask");
	umask(022);
	is_long(umask(077), 022, "umask(2): returns the previous mask");
	is_long(umask(0), 077, "umask(2): the mask set is the mask returned "
	    "next");
	umask(0177777);
	is_long(umask(022), 0777, "umask(2): only mask & 0777 is kept");

	umask(027);
	pid = conf_fork();
	if (pid == 0)
		_exit((int)umask(0));
	st = conf_wait(pid);
	is_exit(st, 027, "umask(2): a forked child inherits the mask");
	pid = conf_fork();
	if (pid == 0) {
		umask(033);
		execve(self, args, env);
		_exit(255);
	}
	st = conf_wait(pid);
	is_exit(st, 033, "umask(2): the mask is kept across execve(2)");
	is_long(umask(022), 027, "umask(2): a child's umask does not change "
	    "the parent's");
	return done_testing();
}
