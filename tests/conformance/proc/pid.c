/*
 * proc(5): a process's own directory - /proc/self, stat, status, statm,
 * cmdline, comm, maps, task/, fd/ and its magic links, and the
 * permissions of another user's environ and fd/.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"
#include "proc.h"

static volatile int thread_go;

static void *
sleeper(void *arg)
{
	(void)arg;
	while (!thread_go)
		usleep(1000);
	return NULL;
}

/* Count the numeric names of a directory; -1 if it cannot be read. */
static int
count_ids(const char *path, int want, int *seen)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	*seen = 0;
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		n++;
		if (atoi(de->d_name) == want)
			*seen = 1;
	}
	closedir(d);
	return n;
}

static void
other_user(void *arg)
{
	char path[64];
	int fd;

	conf_drop_privileges();
	snprintf(path, sizeof(path), "/proc/%d/environ", *(int *)arg);
	fd = open(path, O_RDONLY);
	if (fd >= 0 || errno != EACCES)
		_exit(1);
	snprintf(path, sizeof(path), "/proc/%d/fd", *(int *)arg);
	if (opendir(path) != NULL || errno != EACCES)
		_exit(2);
	snprintf(path, sizeof(path), "/proc/%d/stat", *(int *)arg);
	if ((fd = open(path, O_RDONLY)) < 0)
		_exit(3);
	_exit(0);
}

int
main(int argc, char **argv)
{
	static char buf[65536];
	char path[256], link[256], comm[64], state;
	int pid, ppid, pgid, sid, seen, n, fd, me = getpid();
	long rss, ltmp;
	struct stat st;
	pthread_t th;
	unsigned long start, end;
	char *mem, *p;
	int status, found;

	(void)argc;
	conf_init(argv);

	/* /proc/self */
	n = (int)readlink("/proc/self", link, sizeof(link) - 1);
	ok(n > 0, "readlink(/proc/self) gives a name");
	link[n > 0 ? n : 0] = '\0';
	is_long(atol(link), me, "proc(5): /proc/self names the caller");
	ok(stat("/proc/self/", &st) == 0 && S_ISDIR(st.st_mode) &&
	    (st.st_mode & 07777) == 0555,
	    "proc(5): /proc/self is a directory, mode 0555");
	is_long(st.st_uid, geteuid(), "proc(5): /proc/pid is owned by euid");

	/* stat */
	ok(slurp("/proc/self/stat", buf, sizeof(buf)) > 0,
	    "proc(5): /proc/self/stat reads");
	n = sscanf(buf, "%d (%63[^)]) %c %d %d %d", &pid, comm, &state,
	    &ppid, &pgid, &sid);
	is_long(n, 6, "proc(5): stat starts pid (comm) state ppid pgrp sid");
	is_long(pid, me, "proc(5): stat's pid is getpid()");
	is_str(comm, "pid", "proc(5): stat's comm is the program's name");
	is_long(state, 'R', "proc(5): the reader of its own stat runs (R)");
	is_long(ppid, getppid(), "proc(5): stat's ppid is getppid()");
	is_long(pgid, getpgrp(), "proc(5): stat's pgrp is getpgrp()");
	is_long(sid, getsid(0), "proc(5): stat's session is getsid(0)");
	p = strrchr(buf, ')');
	n = 0;
	for (; p != NULL && *p != '\0'; p++)
		n += *p == ' ';
	is_long(n, 50, "proc(5): stat has 52 fields");

	/* status */
	ok(slurp("/proc/self/status", buf, sizeof(buf)) > 0,
	    "proc(5): /proc/self/status reads");
	ok(strncmp(buf, "Name:\tpid\n", 10) == 0,
	    "proc(5): status starts with Name:\\tcomm");
	is_long(field(buf, "\nPid:"), me, "proc(5): status Pid");
	is_long(field(buf, "\nTgid:"), me, "proc(5): status Tgid");
	is_long(field(buf, "\nPPid:"), getppid(), "proc(5): status PPid");
	is_long(field(buf, "\nUid:"), getuid(), "proc(5): status Uid");
	is_long(field(buf, "\nThreads:"), 1, "proc(5): status Threads: 1");
	ok(strstr(buf, "\nState:\tR (running)\n") != NULL,
	    "proc(5): status State: R (running)");

	/* VmRSS grows by what the process touches. */
	rss = field(buf, "\nVmRSS:");
	mem = mmap(NULL, 8 << 20, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ok(mem != MAP_FAILED, "mmap 8 MiB");
	memset(mem, 1, 8 << 20);
	slurp("/proc/self/status", buf, sizeof(buf));
	ltmp = field(buf, "\nVmRSS:");
	cmp_long(ltmp - rss, ">=", 8 * 1024 - 64,
	    "proc(5): VmRSS grew by about 8 MiB after touching 8 MiB");
	cmp_long(ltmp - rss, "<=", 8 * 1024 + 1024,
	    "proc(5): ... and not by much more");

	/* statm: resident pages agree with VmRSS. */
	ok(slurp("/proc/self/statm", buf, sizeof(buf)) > 0,
	    "proc(5): statm reads");
	n = sscanf(buf, "%lu %lu", &start, &end);
	is_long(n, 2, "proc(5): statm has size and resident");
	cmp_long((long)end * 4, ">=", ltmp - 256,
	    "proc(5): statm resident (pages) matches VmRSS");
	cmp_long((long)start, ">=", (long)end,
	    "proc(5): statm size >= resident");

	/* maps shows the mapping at its address. */
	ok(slurp("/proc/self/maps", buf, sizeof(buf)) > 0,
	    "proc(5): maps reads");
	snprintf(path, sizeof(path), "%08lx-%08lx rw-p ",
	    (unsigned long)mem, (unsigned long)mem + (8 << 20));
	ok(strstr(buf, path) != NULL, "proc(5): maps lists the mmap at %s",
	    path);
	munmap(mem, 8 << 20);

	/* cmdline: argv with NULs */
	n = (int)slurp("/proc/self/cmdline", buf, sizeof(buf));
	is_long(n, (long)strlen(argv[0]) + 1,
	    "proc(5): cmdline is argv[0] and its NUL");
	is_str(buf, argv[0], "proc(5): cmdline's text is argv[0]");
	slurp("/proc/self/comm", buf, sizeof(buf));
	is_str(buf, "pid\n", "proc(5): comm is the name and a newline");

	/* task/ lists the threads. */
	is_long(count_ids("/proc/self/task", me, &seen), 1,
	    "proc(5): task/ of a single thread has one entry");
	ok(seen, "proc(5): ... named by the pid");
	ok(pthread_create(&th, NULL, sleeper, NULL) == 0, "pthread_create");
	is_long(count_ids("/proc/self/task", me, &seen), 2,
	    "proc(5): task/ lists both threads");
	slurp("/proc/self/status", buf, sizeof(buf));
	is_long(field(buf, "\nThreads:"), 2, "proc(5): status Threads: 2");
	thread_go = 1;
	pthread_join(th, NULL);
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", me);
	ok(slurp(path, buf, sizeof(buf)) > 0 && atoi(buf) == me,
	    "proc(5): task/tid/stat starts with the tid");

	/* fd/ and its links */
	fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	ok(fd >= 0, "open /tmp");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = (int)readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	is_str(link, "/tmp", "proc(5): readlink fd/N gives the file's path");
	found = 0;
	{
		DIR *d = opendir("/proc/self/fd");
		struct dirent *de;

		while (d != NULL && (de = readdir(d)) != NULL)
			if (atoi(de->d_name) == fd && de->d_name[0] != '.')
				found = 1;
		if (d != NULL)
			closedir(d);
	}
	ok(found, "proc(5): fd/ lists the open descriptor");
	snprintf(path, sizeof(path), "/proc/self/fd/%d/.", fd);
	ok(stat(path, &st) == 0 && S_ISDIR(st.st_mode),
	    "proc(5): fd/N is followed to the file itself");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	close(fd);
	is_errno(readlink(path, link, sizeof(link)), ENOENT,
	    "proc(5): a closed descriptor's link is gone");
	ok(chdir("/tmp") == 0, "chdir /tmp");
	n = (int)readlink("/proc/self/cwd", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	is_str(link, "/tmp", "proc(5): cwd links to the working directory");
	n = (int)readlink("/proc/self/root", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	is_str(link, "/", "proc(5): root links to /");
	ok(stat("/proc/self/exe", &st) == 0 && S_ISREG(st.st_mode) &&
	    stat(argv[0], &st) == 0,
	    "proc(5): exe is followed to the program (a regular file)");
	{
		struct stat a, b;

		ok(stat("/proc/self/exe", &a) == 0 && stat(argv[0], &b) == 0 &&
		    a.st_ino == b.st_ino && a.st_dev == b.st_dev,
		    "proc(5): exe is the very file that was executed");
	}

	/* A regular file's link names it from anywhere. */
	ok(chdir("/") == 0, "chdir /");
	fd = open("/tmp/proc_pid_file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	ok(fd >= 0, "create /tmp/proc_pid_file");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = (int)readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	is_str(link, "/tmp/proc_pid_file",
	    "proc(5): readlink fd/N of a regular file is its path");
	ok(write(fd, "abc", 3) == 3, "write abc");
	{
		int fd2 = open(path, O_RDONLY);
		char got[4] = "";

		ok(fd2 >= 0 && read(fd2, got, 3) == 3 &&
		    memcmp(got, "abc", 3) == 0,
		    "proc(5): opening fd/N opens the file itself");
		close(fd2);
	}
	close(fd);
	unlink("/tmp/proc_pid_file");
	if (argv[0][0] == '/') {
		n = (int)readlink("/proc/self/exe", link, sizeof(link) - 1);
		link[n > 0 ? n : 0] = '\0';
		is_str(link, argv[0], "proc(5): readlink exe is the program");
	} else {
		skip(1, "argv[0] is not an absolute path");
	}

	/* Another user may read stat, not environ or fd/. */
	status = conf_in_child(other_user, &me);
	is_exit(status, 0, "proc(5): environ and fd/ of another user: "
	    "EACCES; stat readable");

	/* A process that is gone takes its directory with it. */
	pid = conf_fork();
	if (pid == 0)
		_exit(0);
	conf_wait(pid);
	snprintf(path, sizeof(path), "/proc/%d", pid);
	is_errno(stat(path, &st), ENOENT,
	    "proc(5): a reaped process has no directory");
	return done_testing();
}
