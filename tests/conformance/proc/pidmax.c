/*
 * /proc/sys/kernel/pid_max: writable by root within Linux's bounds
 * (301 to 4194304, else EINVAL), and honoured: with it lowered, new
 * pids stay below it (wrapping to 300).  Restores the old value.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"

static int
put(const char *s)
{
	int fd, r;

	if ((fd = open("/proc/sys/kernel/pid_max", O_WRONLY)) < 0)
		return -errno;
	r = write(fd, s, strlen(s)) < 0 ? -errno : 0;
	close(fd);
	return r;
}

static long
get(void)
{
	char buf[32] = "";
	int fd;

	if ((fd = open("/proc/sys/kernel/pid_max", O_RDONLY)) < 0)
		return -errno;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = '\0';
	close(fd);
	return strtol(buf, NULL, 10);
}

int
main(int argc, char **argv)
{
	char old[32];
	long max;
	int i, status, bad = 0;
	pid_t pid;

	(void)argc;
	conf_init(argv);
	max = get();
	ok(max >= 301, "pid_max reads %ld", max);
	snprintf(old, sizeof(old), "%ld\n", max);
	is_long(put("300\n"), -EINVAL, "300 (below 301): EINVAL");
	is_long(put("4194305\n"), -EINVAL, "4194305 (above the limit): "
	    "EINVAL");
	is_long(put("many\n"), -EINVAL, "not a number: EINVAL");
	is_long(get(), max, "pid_max unchanged");
	is_long(put("400\n"), 0, "root sets pid_max to 400");
	is_long(get(), 400, "and reads it back");
	for (i = 0; i < 250; i++) {
		if ((pid = fork()) == 0)
			_exit(0);
		if (pid < 0 || pid >= 400)
			bad++;
		waitpid(pid, &status, 0);
	}
	is_long(bad, 0, "250 children: every pid is below 400");
	is_long(put(old), 0, "the old value is back");
	if ((pid = fork()) == 0) {
		conf_drop_privileges();
		_exit(put("500\n") == -EACCES ? 0 : 1);
	}
	is_exit(conf_wait(pid), 0, "an ordinary user may not write it "
	    "(EACCES)");
	return done_testing();
}
