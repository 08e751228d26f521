/*
 * poll(2) and ppoll(2): negative descriptors are skipped, a closed one is
 * POLLNVAL, regular files and directories are readable and writable, nfds above RLIMIT_NOFILE is EINVAL, a bad array EFAULT; a
 * timeout of 0 returns at once and a short one returns 0; a pipe's
 * readiness follows its state (empty, data, full, writer closed: POLLHUP,
 * reader closed: POLLERR on the write end); a sleeping poll is woken by a
 * writer in another process; 1 MiB through a pipe between two processes
 * driven by poll; a signal interrupts poll with EINTR; ppoll installs its
 * signal mask only while it waits; ppoll's invalid timespec is EINVAL.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"

#define MIB		(1024 * 1024)
#define PIPE_CAP	65536

static volatile int got_usr1;

static void
on_usr1(int sig)
{
	(void)sig;
	got_usr1++;
}

/* poll one descriptor for events with timeout 0; returns revents or -1. */
static int
poll1(int fd, short events)
{
	struct pollfd p = { fd, events, 0 };

	if (poll(&p, 1, 0) < 0)
		return -1;
	return p.revents;
}

static void
test_errors(void)
{
	struct pollfd p[3];
	struct rlimit rl;
	int fds[2];

	if (pipe(fds) < 0)
		bail_out("pipe");
	p[0].fd = -1;
	p[0].events = POLLIN;
	p[0].revents = 0x7f;
	p[1].fd = fds[1];
	p[1].events = POLLOUT;
	p[2].fd = 1000;
	p[2].events = POLLIN;
	is_long(poll(p, 3, 0), 2, "poll(2): a negative fd does not count, "
	    "a closed one does");
	is_long(p[0].revents, 0, "poll(2): a negative fd's revents is 0");
	is_hex(p[1].revents, POLLOUT, "poll(2): an empty pipe's write end "
	    "is POLLOUT");
	is_hex(p[2].revents, POLLNVAL, "poll(2): a closed fd is POLLNVAL");
	is_long(poll(NULL, 0, 0), 0, "poll(2): no descriptors and timeout "
	    "0 returns 0");
	is_long(poll(NULL, 0, 20), 0, "poll(2): no descriptors returns 0 "
	    "after the timeout");
	is_errno(poll((void *)1, 1, 0), EFAULT,
	    "poll(2): an unreadable array is EFAULT");
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		bail_out("getrlimit");
	is_errno(poll(p, (nfds_t)rl.rlim_cur + 1, 0), EINVAL,
	    "poll(2): nfds above RLIMIT_NOFILE is EINVAL");
	p[0].fd = fds[0];
	p[0].events = POLLIN;
	is_long(poll(p, 1, 30), 0,
	    "poll(2): an empty pipe returns 0 after the timeout");
	close(fds[0]);
	close(fds[1]);
}

/* Files without a poll method: always readable and writable (Linux). */
static void
test_files(void)
{
	char path[64];
	int f, d;

	if (mkdir("/tmp", 01777) != 0 && errno != EEXIST)
		bail_out("mkdir /tmp");
	snprintf(path, sizeof(path), "/tmp/poll-reg.%d", (int)getpid());
	if ((f = open(path, O_CREAT | O_RDWR, 0600)) < 0)
		bail_out("open %s", path);
	unlink(path);
	is_hex(poll1(f, POLLIN | POLLOUT), POLLIN | POLLOUT,
	    "poll(2): an empty regular file is readable and writable");
	close(f);
	if ((d = open("/", O_RDONLY | O_DIRECTORY)) < 0)
		bail_out("open /");
	is_hex(poll1(d, POLLIN | POLLOUT | POLLPRI), POLLIN | POLLOUT,
	    "poll(2): a directory is readable and writable, not POLLPRI");
	close(d);
}

static void
test_pipe_states(void)
{
	static char buf[PIPE_CAP];
	int fds[2], fl;

	if (pipe(fds) < 0)
		bail_out("pipe");
	is_hex(poll1(fds[0], POLLIN | POLLOUT), 0,
	    "pipe(7): an empty pipe's read end has no events");
	is_hex(poll1(fds[1], POLLIN | POLLOUT), POLLOUT,
	    "pipe(7): an empty pipe's write end is POLLOUT");
	if (write(fds[1], "x", 1) != 1)
		bail_out("write");
	is_hex(poll1(fds[0], POLLIN | POLLRDNORM), POLLIN | POLLRDNORM,
	    "pipe(7): a pipe with data is POLLIN | POLLRDNORM");
	if (read(fds[0], buf, 1) != 1)
		bail_out("read");
	fl = fcntl(fds[1], F_GETFL);
	fcntl(fds[1], F_SETFL, fl | O_NONBLOCK);
	while (write(fds[1], buf, sizeof(buf)) > 0)
		continue;
	is_hex(poll1(fds[1], POLLOUT), 0,
	    "pipe(7): a full pipe's write end is not POLLOUT");
	is_hex(poll1(fds[0], POLLIN), POLLIN,
	    "pipe(7): a full pipe's read end is POLLIN");
	if (read(fds[0], buf, 32768) != 32768)
		bail_out("read");
	is_hex(poll1(fds[1], POLLOUT), POLLOUT,
	    "pipe(7): after reading half, the write end is POLLOUT again");
	close(fds[1]);
	is_hex(poll1(fds[0], POLLIN), POLLIN | POLLHUP,
	    "pipe(7): writer gone, data left: POLLIN | POLLHUP");
	while (read(fds[0], buf, sizeof(buf)) > 0)
		continue;
	is_hex(poll1(fds[0], POLLIN), POLLHUP,
	    "pipe(7): writer gone and empty: POLLHUP, asked or not");
	close(fds[0]);

	if (pipe(fds) < 0)
		bail_out("pipe");
	close(fds[0]);
	is_hex(poll1(fds[1], POLLOUT), POLLOUT | POLLERR,
	    "pipe(7): reader gone: the write end is POLLERR");
	is_hex(poll1(fds[1], 0), POLLERR,
	    "poll(2): POLLERR is reported without being asked");
	close(fds[1]);
}

static void
test_wakeup(void)
{
	struct pollfd p;
	int fds[2], status;
	pid_t pid;

	if (pipe(fds) < 0)
		bail_out("pipe");
	if ((pid = conf_fork()) == 0) {
		close(fds[0]);
		conf_sleep_ms(100);
		_exit(write(fds[1], "y", 1) == 1 ? 0 : 1);
	}
	close(fds[1]);
	p.fd = fds[0];
	p.events = POLLIN;
	is_long(poll(&p, 1, -1), 1,
	    "poll(2): a sleeping poll is woken by a writer");
	/* The writer may have exited already: POLLHUP may come too. */
	ok(p.revents & POLLIN, "poll(2): ... with POLLIN (revents %#x)",
	    p.revents);
	status = conf_wait(pid);
	is_exit(status, 0, "the writer child");
	close(fds[0]);
}

/* The child: writes 1 MiB in pieces, waiting for POLLOUT each time. */
static void
mib_writer(int fd)
{
	static char buf[10007];
	struct pollfd p = { fd, POLLOUT, 0 };
	size_t done = 0, k, i;
	ssize_t n;

	fcntl(fd, F_SETFL, O_NONBLOCK);
	while (done < MIB) {
		if (poll(&p, 1, -1) != 1 || !(p.revents & POLLOUT))
			_exit(2);
		k = MIB - done < sizeof(buf) ? MIB - done : sizeof(buf);
		for (i = 0; i < k; i++)
			buf[i] = (char)((done + i) * 7);
		n = write(fd, buf, k);
		if (n < 0 && errno == EAGAIN)
			continue;
		if (n <= 0)
			_exit(3);
		done += n;
	}
	_exit(0);
}

static void
test_mib(void)
{
	static char buf[8192];
	struct pollfd p;
	size_t got = 0, bad = 0;
	ssize_t n, i;
	int fds[2], status, wakeups = 0;
	pid_t pid;

	if (pipe(fds) < 0)
		bail_out("pipe");
	if ((pid = conf_fork()) == 0) {
		close(fds[0]);
		mib_writer(fds[1]);
	}
	close(fds[1]);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	p.fd = fds[0];
	p.events = POLLIN;
	for (;;) {
		if (poll(&p, 1, -1) != 1)
			break;
		wakeups++;
		n = read(fds[0], buf, sizeof(buf));
		if (n < 0 && errno == EAGAIN)
			continue;
		if (n <= 0)
			break;
		for (i = 0; i < n; i++)
			if (buf[i] != (char)((got + i) * 7))
				bad++;
		got += n;
	}
	is_long(got, MIB, "poll(2): 1 MiB through a pipe driven by poll");
	is_long(bad, 0, "... every byte in order");
	cmp_long(wakeups, ">", 1, "... over several polls");
	status = conf_wait(pid);
	is_exit(status, 0, "the polling writer");
	close(fds[0]);
}

static void
test_signals(void)
{
	struct sigaction sa;
	struct timespec bad = { 0, 1000000000 }, ts = { 0, 20000000 };
	struct pollfd p;
	sigset_t block, empty, cur;
	int fds[2], status;
	pid_t pid, me = getpid();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	if (pipe(fds) < 0)
		bail_out("pipe");
	p.fd = fds[0];
	p.events = POLLIN;
	if ((pid = conf_fork()) == 0) {
		conf_sleep_ms(100);
		_exit(kill(me, SIGUSR1) == 0 ? 0 : 1);
	}
	is_errno(poll(&p, 1, -1), EINTR,
	    "poll(2): a caught signal ends the wait with EINTR");
	is_long(got_usr1, 1, "... and its handler ran");
	status = conf_wait(pid);
	is_exit(status, 0, "the signalling child");

	/* ppoll: SIGUSR1 blocked outside, unblocked only during the wait. */
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	got_usr1 = 0;
	if ((pid = conf_fork()) == 0) {
		conf_sleep_ms(100);
		_exit(kill(me, SIGUSR1) == 0 ? 0 : 1);
	}
	sigemptyset(&empty);
	is_errno(ppoll(&p, 1, NULL, &empty), EINTR,
	    "ppoll(2): a signal its mask lets in ends the wait with EINTR");
	is_long(got_usr1, 1, "... the handler ran during ppoll");
	sigprocmask(SIG_BLOCK, NULL, &cur);
	ok(sigismember(&cur, SIGUSR1), "ppoll(2): the old mask is back "
	    "afterwards");
	status = conf_wait(pid);
	is_exit(status, 0, "the signalling child");
	is_long(ppoll(&p, 1, &ts, &empty), 0,
	    "ppoll(2): returns 0 after its timespec");
	sigprocmask(SIG_BLOCK, NULL, &cur);
	ok(sigismember(&cur, SIGUSR1), "ppoll(2): a timeout restores the "
	    "mask at once");
	is_errno(ppoll(&p, 1, &bad, NULL), EINVAL,
	    "ppoll(2): tv_nsec of 1e9 is EINVAL");
	is_long(conf_sys(SYS_ppoll, &p, 1, &ts, &empty, 4), -EINVAL,
	    "ppoll(2): a sigsetsize other than 8 is EINVAL");
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	close(fds[0]);
	close(fds[1]);
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	test_errors();
	test_files();
	test_pipe_states();
	test_wakeup();
	test_mib();
	test_signals();
	return done_testing();
}
