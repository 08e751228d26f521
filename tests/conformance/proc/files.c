/*
 * proc(5)'s smaller files: /proc/mounts as a link to self/mounts,
 * devices, partitions and diskstats in Linux's layout, writing comm
 * (PR_SET_NAME's effect) and oom_score_adj (its range and the rule that
 * only root lowers it below root's last value).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "proc.h"

static char buf[16384];

/* write(2) of s to path; the errno (0: all of it was taken). */
static int
put(const char *path, const char *s, size_t len)
{
	ssize_t r;
	int fd, e;

	if ((fd = open(path, O_WRONLY)) < 0)
		return errno;
	r = write(fd, s, len);
	e = r < 0 ? errno : (size_t)r == len ? 0 : -1;
	close(fd);
	return e;
}

static void
check_devices(void)
{
	char *line, *save, name[64];
	int major, last = -1, sorted = 1, fmt = 1, mem = 0, state = 0;

	ok(slurp("/proc/devices", buf, sizeof(buf)) > 0 &&
	    strncmp(buf, "Character devices:\n", 19) == 0,
	    "proc(5): devices starts with \"Character devices:\"");
	ok(strstr(buf, "\nBlock devices:\n") != NULL,
	    "proc(5): devices has a \"Block devices:\" part after a blank "
	    "line");
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strcmp(line, "Character devices:") == 0) {
			state = 1;
			continue;
		}
		if (strcmp(line, "Block devices:") == 0)
			break;
		if (state != 1)
			continue;
		if (strlen(line) < 5 || line[3] != ' ' ||
		    sscanf(line, "%3d %63s", &major, name) != 2) {
			fmt = 0;
			continue;
		}
		if (major < last)
			sorted = 0;
		last = major;
		if (major == 1 && strcmp(name, "mem") == 0)
			mem = 1;
	}
	ok(fmt, "proc(5): a character device line is \"%%3d name\"");
	ok(sorted, "proc(5): character devices by major");
	ok(mem, "proc(5): major 1 is mem");
}

static void
check_disks(void)
{
	char *line, *save;
	long n;
	int good = 1, fields;
	char f[20][32];

	n = slurp("/proc/partitions", buf, sizeof(buf));
	ok(n == 0 || (n >= 0 && strncmp(buf,
	    "major minor  #blocks  name\n\n", 28) == 0),
	    "proc(5): partitions is empty or starts with its header");
	n = slurp("/proc/diskstats", buf, sizeof(buf));
	ok(n >= 0, "proc(5): diskstats reads");
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		fields = sscanf(line, "%31s %31s %31s %31s %31s %31s %31s %31s "
		    "%31s %31s %31s %31s %31s %31s", f[0], f[1], f[2], f[3],
		    f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12],
		    f[13]);
		if (fields != 14)
			good = 0;
	}
	ok(good, "proc(5): each diskstats line has at least 14 fields");
}

static void
check_comm(void)
{
	char path[64], name[32];

	is_long(put("/proc/self/comm", "abc\n", 4), 0,
	    "proc(5): a process writes its comm");
	slurp("/proc/self/comm", buf, sizeof(buf));
	is_str(buf, "abc\n\n", "proc(5): comm keeps what was written, "
	    "newline and all");
	is_long(put("/proc/self/comm", "0123456789abcdefghij", 20), 0,
	    "proc(5): a long comm write is taken whole");
	slurp("/proc/self/comm", buf, sizeof(buf));
	is_str(buf, "0123456789abcde\n", "proc(5): comm keeps 15 bytes");
	memset(name, 0, sizeof(name));
	prctl(PR_GET_NAME, name);
	is_str(name, "0123456789abcde", "prctl(2): PR_GET_NAME sees it");
	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", getpid());
	is_long(put(path, "thr", 3), 0, "proc(5): task/tid/comm is writable");
	memset(name, 0, sizeof(name));
	prctl(PR_GET_NAME, name);
	is_str(name, "thr", "prctl(2): PR_GET_NAME sees the thread's name");
	snprintf(path, sizeof(path), "/proc/%d/comm", getppid());
	is_long(put(path, "x", 1), EINVAL,
	    "proc(5): another process's comm is EINVAL");
}

static void
oom_user(void *arg)
{
	(void)arg;
	conf_drop_privileges();
	/* Linux gives an undumpable process's files to root. */
	prctl(PR_SET_DUMPABLE, 1);
	if (put("/proc/self/oom_score_adj", "500", 3) != 0)
		_exit(1);
	if (put("/proc/self/oom_score_adj", "100", 3) != 0)
		_exit(2);
	if (slurp("/proc/self/oom_score_adj", buf, sizeof(buf)) < 0 ||
	    strcmp(buf, "100\n"))
		_exit(3);
	if (put("/proc/self/oom_score_adj", "-1", 2) != EACCES)
		_exit(4);
	_exit(0);
}

static void
check_oom(void)
{
	const char *f = "/proc/self/oom_score_adj";

	is_long(put(f, "0", 1), 0, "proc(5): root sets oom_score_adj");
	is_long(put(f, "1001", 4), EINVAL, "proc(5): oom_score_adj 1001 "
	    "is EINVAL");
	is_long(put(f, "-1001", 5), EINVAL, "proc(5): oom_score_adj -1001 "
	    "is EINVAL");
	is_long(put(f, "12x", 3), EINVAL, "proc(5): oom_score_adj 12x "
	    "is EINVAL");
	is_long(put(f, " 12 \n", 5), 0, "proc(5): blanks around the value "
	    "are allowed");
	slurp(f, buf, sizeof(buf));
	is_str(buf, "12\n", "proc(5): oom_score_adj reads back");
	is_long(put(f, "0", 1), 0, "proc(5): root raises or lowers it");
	is_exit(conf_in_child(oom_user, NULL), 0, "proc(5): a user raises "
	    "oom_score_adj, lowers it to root's last value, not below "
	    "(EACCES)");
}

int
main(int argc, char **argv)
{
	struct stat st;
	char link[64];
	ssize_t n;

	(void)argc;
	conf_init(argv);
	ok(lstat("/proc/mounts", &st) == 0 && S_ISLNK(st.st_mode),
	    "proc(5): /proc/mounts is a symbolic link");
	n = readlink("/proc/mounts", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	is_str(link, "self/mounts", "proc(5): to self/mounts");
	ok(slurp("/proc/mounts", buf, sizeof(buf)) > 0 &&
	    strstr(buf, " /proc proc ") != NULL,
	    "proc(5): /proc/mounts reads as self/mounts");
	check_devices();
	check_disks();
	check_comm();
	check_oom();
	return done_testing();
}
