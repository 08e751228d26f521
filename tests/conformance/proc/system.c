/*
 * proc(5): the system files - meminfo against sysinfo(2), uptime,
 * loadavg, stat, version, filesystems, and /proc/sys/kernel and vm.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "conf.h"
#include "proc.h"

extern char **environ;

/* Write s to path; 0, or -errno. */
static int
put(const char *path, const char *s)
{
	int fd, r = 0;

	if ((fd = open(path, O_WRONLY)) < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		r = -errno;
	close(fd);
	return r;
}

static void
nonroot_hostname(void *arg)
{
	(void)arg;
	conf_drop_privileges();
	_exit(put("/proc/sys/kernel/hostname", "x") == -EACCES ? 0 : 1);
}

int
main(int argc, char **argv)
{
	static char buf[16384];
	struct sysinfo si;
	struct utsname u;
	double up, idle, l1;
	long total, uptime_s;
	int running, all, lastpid, fd;
	char c;

	(void)argc;
	conf_init(argv);

	ok(slurp("/proc/meminfo", buf, sizeof(buf)) > 0, "meminfo reads");
	ok(strncmp(buf, "MemTotal:", 9) == 0,
	    "proc(5): meminfo starts with MemTotal");
	ok(sysinfo(&si) == 0, "sysinfo");
	total = field(buf, "MemTotal:");
	is_long(total, (long)(si.totalram * si.mem_unit / 1024),
	    "proc(5): MemTotal is sysinfo's totalram in kB");
	cmp_long(field(buf, "MemFree:"), "<=", total,
	    "proc(5): MemFree <= MemTotal");
	ok(strstr(buf, "\nMemAvailable:") != NULL, "proc(5): MemAvailable");

	ok(slurp("/proc/uptime", buf, sizeof(buf)) > 0, "uptime reads");
	is_long(sscanf(buf, "%lf %lf", &up, &idle), 2,
	    "proc(5): uptime is two numbers");
	uptime_s = si.uptime;
	cmp_long((long)up, "<=", uptime_s + 1, "proc(5): uptime ~ sysinfo");
	cmp_long((long)up + 2, ">=", uptime_s, "proc(5): ... both ways");

	ok(slurp("/proc/loadavg", buf, sizeof(buf)) > 0, "loadavg reads");
	is_long(sscanf(buf, "%lf %*f %*f %d/%d %d", &l1, &running, &all,
	    &lastpid), 4, "proc(5): loadavg: 3 loads, running/total, last");
	cmp_long(running, ">=", 1, "proc(5): the reader is running");
	cmp_long(all, ">=", running, "proc(5): total >= running");

	ok(slurp("/proc/stat", buf, sizeof(buf)) > 0, "stat reads");
	ok(strncmp(buf, "cpu  ", 5) == 0, "proc(5): stat starts with cpu");
	cmp_long(field(buf, "\nbtime"), ">", 0, "proc(5): stat btime");
	cmp_long(field(buf, "\nprocs_running"), ">=", 1,
	    "proc(5): stat procs_running");

	ok(slurp("/proc/filesystems", buf, sizeof(buf)) > 0 &&
	    strstr(buf, "nodev\tproc\n") != NULL,
	    "proc(5): filesystems lists nodev proc");
	ok(slurp("/proc/cpuinfo", buf, sizeof(buf)) > 0 &&
	    strncmp(buf, "processor\t: 0\n", 14) == 0,
	    "proc(5): cpuinfo starts with processor 0");
	ok(uname(&u) == 0, "uname");
	slurp("/proc/sys/kernel/osrelease", buf, sizeof(buf));
	ok(strncmp(buf, u.release, strlen(u.release)) == 0 &&
	    buf[strlen(u.release)] == '\n',
	    "proc(5): osrelease is uname's release");
	ok(slurp("/proc/version", buf, sizeof(buf)) > 0 &&
	    strstr(buf, u.release) != NULL,
	    "proc(5): version names the release");
	slurp("/proc/sys/kernel/ostype", buf, sizeof(buf));
	is_str(buf, strcmp(u.sysname, "Linux") == 0 ? "Linux\n" :
	    "EclipseOS\n", "proc(5): ostype is uname's sysname");
	slurp("/proc/sys/kernel/pid_max", buf, sizeof(buf));
	cmp_long(atol(buf), ">=", 32768, "proc(5): pid_max >= 32768");

	/* hostname: root writes it, sethostname's way. */
	is_long(put("/proc/sys/kernel/hostname", "proctest\n"), 0,
	    "proc(5): root writes hostname");
	ok(uname(&u) == 0, "uname");
	is_str(u.nodename, "proctest", "proc(5): uname sees the new name");
	slurp("/proc/sys/kernel/hostname", buf, sizeof(buf));
	is_str(buf, "proctest\n", "proc(5): hostname reads it back");
	is_exit(conf_in_child(nonroot_hostname, NULL), 0,
	    "proc(5): hostname is not writable by others (EACCES)");

	/* drop_caches: 1, 2, 3 are taken; 0 and words are EINVAL. */
	is_long(put("/proc/sys/vm/drop_caches", "3\n"), 0,
	    "proc(5): drop_caches takes 3");
	is_long(put("/proc/sys/vm/drop_caches", "1"), 0,
	    "proc(5): drop_caches takes 1");
	is_long(put("/proc/sys/vm/drop_caches", "0"), -EINVAL,
	    "proc(5): drop_caches refuses 0 (EINVAL)");
	is_long(put("/proc/sys/vm/drop_caches", "abc"), -EINVAL,
	    "proc(5): drop_caches refuses a word (EINVAL)");

	ok(slurp("/proc/mounts", buf, sizeof(buf)) > 0 &&
	    (strncmp(buf, "proc /proc proc rw", 18) == 0 ||
	    strstr(buf, "\nproc /proc proc rw") != NULL),
	    "proc(5): mounts lists proc on /proc");
	ok(slurp("/proc/self/mounts", buf, sizeof(buf)) > 0 &&
	    strstr(buf, " /proc proc ") != NULL,
	    "proc(5): pid/mounts too");
	if (environ[0] != NULL) {
		long n = slurp("/proc/self/environ", buf, sizeof(buf));

		ok(n > 0 && strcmp(buf, environ[0]) == 0,
		    "proc(5): environ starts with environ[0]");
	} else {
		ok(slurp("/proc/self/environ", buf, sizeof(buf)) == 0,
		    "proc(5): an empty environment reads as nothing");
	}

	/* Reading again from 0 gives fresh text. */
	fd = open("/proc/self/stat", O_RDONLY);
	ok(fd >= 0 && read(fd, &c, 1) == 1 && lseek(fd, 0, SEEK_SET) == 0 &&
	    read(fd, buf, sizeof(buf) - 1) > 10 && buf[0] == c,
	    "proc(5): lseek to 0 and read again");
	close(fd);
	is_errno(mkdir("/proc/x", 0755), ENOENT,
	    "proc(5): no new names in /proc (ENOENT)");
	return done_testing();
}
