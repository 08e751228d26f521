/*
 * pidfd_open(2), waitid(P_PIDFD) and pidfd_send_signal(2): a pidfd is
 * close-on-exec, O_NONBLOCK with PIDFD_NONBLOCK, polls readable (poll,
 * epoll) once its process has ended and stays so after the reap; waitid
 * waits on it (EAGAIN when non-blocking and the child runs, ECHILD for a
 * reaped child or a process that is not a child, EBADF for a descriptor
 * that is not a pidfd); signals go through it (ESRCH once reaped, EPERM
 * for another user's process or a made-up si_code); pidfd_open's errors
 * EINVAL, ESRCH and EMFILE.  Children that must still be running wait on
 * a flag in a MAP_SHARED page.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include "conf.h"

#define CONF_P_PIDFD		3
#define CONF_PIDFD_NONBLOCK	O_NONBLOCK

static volatile sig_atomic_t got_sig, got_code, got_pid, got_val;

/* pidfd_open(2) through the raw call: the descriptor or -errno. */
static int
pidfd_open_(pid_t pid, unsigned int flags)
{
	return (int)conf_sys(SYS_pidfd_open, pid, flags);
}

static long
send_(int pfd, int sig, siginfo_t *info, unsigned int flags)
{
	return conf_sys(SYS_pidfd_send_signal, pfd, sig, info, flags);
}

/* The events of fd ready now (timeout_ms 0) or within timeout_ms. */
static int
revents(int fd, int timeout_ms)
{
	struct pollfd p = { fd, POLLIN, 0 };

	if (poll(&p, 1, timeout_ms) < 0)
		return -1;
	return p.revents;
}

static void
on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_pid = si->si_pid;
	got_val = si->si_value.sival_int;
}

static void
test_open_errors(void)
{
	struct rlimit rl, low;
	pid_t pid;
	int fd;

	is_syserr(pidfd_open_(getpid(), 1), EINVAL, "pidfd_open(2): an "
	    "unknown flag is EINVAL");
	is_syserr(pidfd_open_(0, 0), EINVAL, "pidfd_open(2): pid 0 is "
	    "EINVAL");
	is_syserr(pidfd_open_(-1, 0), EINVAL, "pidfd_open(2): pid -1 is "
	    "EINVAL");
	pid = conf_fork();
	if (pid == 0)
		_exit(0);
	conf_wait(pid);
	is_syserr(pidfd_open_(pid, 0), ESRCH, "pidfd_open(2): a child that "
	    "was reaped is ESRCH");

	/* No free descriptor under RLIMIT_NOFILE. */
	if ((fd = dup(0)) < 0)
		bail_out("dup");
	close(fd);
	getrlimit(RLIMIT_NOFILE, &rl);
	low = rl;
	low.rlim_cur = fd;
	if (setrlimit(RLIMIT_NOFILE, &low) < 0)
		bail_out("setrlimit");
	is_syserr(pidfd_open_(getpid(), 0), EMFILE, "pidfd_open(2): no "
	    "descriptor left under RLIMIT_NOFILE is EMFILE");
	setrlimit(RLIMIT_NOFILE, &rl);
}

static void
test_poll_wait(volatile int *release)
{
	struct epoll_event ev = { EPOLLIN, { 0 } }, out;
	siginfo_t si;
	pid_t pid;
	int pfd, nfd, ep, st;

	*release = 0;
	pid = conf_held_child(release, 7);
	pfd = pidfd_open_(pid, 0);
	if (!is_sysok(pfd, "pidfd_open(2): a running child"))
		bail_out("pidfd_open");
	is_long(fcntl(pfd, F_GETFD), FD_CLOEXEC, "pidfd_open(2): the pidfd "
	    "is close-on-exec");
	is_long(fcntl(pfd, F_GETFL) & O_NONBLOCK, 0, "pidfd_open(2): "
	    "without PIDFD_NONBLOCK it blocks");
	nfd = pidfd_open_(pid, CONF_PIDFD_NONBLOCK);
	is_sysok(nfd, "pidfd_open(2): PIDFD_NONBLOCK");
	ok(fcntl(nfd, F_GETFL) & O_NONBLOCK, "pidfd_open(2): PIDFD_NONBLOCK "
	    "makes it O_NONBLOCK");
	is_hex(revents(pfd, 0), 0, "pidfd_open(2): a running child's pidfd "
	    "is not readable");
	memset(&si, 0xff, sizeof(si));
	is_syserr(conf_sys(SYS_waitid, CONF_P_PIDFD, nfd, &si, WEXITED, NULL),
	    EAGAIN, "waitid(2): a non-blocking pidfd of a running child is "
	    "EAGAIN");
	is_sysok(conf_sys(SYS_waitid, CONF_P_PIDFD, nfd, &si,
	    WEXITED | WNOHANG, NULL), "waitid(2): a non-blocking pidfd with "
	    "WNOHANG returns 0 while the child runs");
	is_long(si.si_pid, 0, "waitid(2): ... and zeroes si_pid");

	if ((ep = epoll_create1(0)) < 0)
		bail_out("epoll_create1");
	is_sysok(epoll_ctl(ep, EPOLL_CTL_ADD, pfd, &ev), "epoll_ctl(2): a "
	    "pidfd may be watched");
	is_long(epoll_wait(ep, &out, 1, 0), 0, "epoll_wait(2): a running "
	    "child's pidfd is not ready");
	*release = 1;
	ok(revents(pfd, 30000) & POLLIN, "pidfd_open(2): the pidfd polls "
	    "readable once the child exits");
	is_long(epoll_wait(ep, &out, 1, 30000), 1, "epoll_wait(2): the "
	    "pidfd of a child that exited is ready");
	ok(out.events & EPOLLIN, "epoll_wait(2): ... with EPOLLIN");
	close(ep);

	memset(&si, 0, sizeof(si));
	is_sysok(conf_sys(SYS_waitid, CONF_P_PIDFD, pfd, &si,
	    WEXITED | WNOWAIT, NULL), "waitid(2): P_PIDFD with WNOWAIT "
	    "reports the zombie");
	is_long(si.si_pid, pid, "waitid(2): P_PIDFD: si_pid is the child's");
	is_sysok(conf_sys(SYS_waitid, CONF_P_PIDFD, pfd, &si, WEXITED, NULL),
	    "waitid(2): P_PIDFD reaps the child");
	is_long(si.si_code, CLD_EXITED, "waitid(2): P_PIDFD: CLD_EXITED");
	is_long(si.si_status, 7, "waitid(2): P_PIDFD: the exit code");
	ok(revents(pfd, 0) & POLLIN, "pidfd_open(2): the pidfd of a reaped "
	    "child stays readable");
	is_syserr(conf_sys(SYS_waitid, CONF_P_PIDFD, pfd, &si, WEXITED, NULL),
	    ECHILD, "waitid(2): P_PIDFD of a reaped child is ECHILD");
	is_syserr(send_(pfd, SIGTERM, NULL, 0), ESRCH, "pidfd_send_signal(2):"
	    " a reaped child is ESRCH");
	is_errno(waitpid(pid, &st, WNOHANG), ECHILD, "waitid(2): the child "
	    "reaped through P_PIDFD is gone for wait4(2) too");
	close(pfd);
	close(nfd);

	/* A blocking pidfd waits; a zombie may be opened. */
	*release = 0;
	pid = conf_held_child(release, 9);
	pfd = pidfd_open_(pid, 0);
	*release = 1;
	memset(&si, 0, sizeof(si));
	is_sysok(conf_sys(SYS_waitid, CONF_P_PIDFD, pfd, &si, WEXITED, NULL),
	    "waitid(2): P_PIDFD on a blocking pidfd waits for the child");
	is_long(si.si_status, 9, "waitid(2): ... and reports its exit code");
	close(pfd);
	pid = conf_fork();
	if (pid == 0)
		_exit(4);
	while (waitid(P_PID, pid, &si, WEXITED | WNOWAIT) < 0 &&
	    errno == EINTR)
		continue;
	pfd = pidfd_open_(pid, 0);
	is_sysok(pfd, "pidfd_open(2): a zombie may be opened");
	ok(revents(pfd, 0) & POLLIN, "pidfd_open(2): a zombie's pidfd is "
	    "readable at once");
	is_sysok(conf_sys(SYS_waitid, CONF_P_PIDFD, pfd, &si, WEXITED, NULL),
	    "waitid(2): P_PIDFD reaps a zombie");
	close(pfd);
}

static void
test_wait_errors(void)
{
	siginfo_t si;
	int fds[2], self;

	is_syserr(conf_sys(SYS_waitid, CONF_P_PIDFD, -1, &si, WEXITED, NULL),
	    EINVAL, "waitid(2): P_PIDFD with a negative id is EINVAL");
	is_syserr(conf_sys(SYS_waitid, CONF_P_PIDFD, 1000, &si, WEXITED,
	    NULL), EBADF, "waitid(2): P_PIDFD with a closed descriptor is "
	    "EBADF");
	if (pipe(fds) < 0)
		bail_out("pipe");
	is_syserr(conf_sys(SYS_waitid, CONF_P_PIDFD, fds[0], &si, WEXITED,
	    NULL), EBADF, "waitid(2): P_PIDFD with a pipe is EBADF");
	is_syserr(send_(fds[0], 0, NULL, 0), EBADF, "pidfd_send_signal(2): "
	    "a pipe is EBADF");
	is_syserr(send_(1000, 0, NULL, 0), EBADF, "pidfd_send_signal(2): a "
	    "closed descriptor is EBADF");
	close(fds[0]);
	close(fds[1]);
	self = pidfd_open_(getpid(), 0);
	is_syserr(conf_sys(SYS_waitid, CONF_P_PIDFD, self, &si, WEXITED,
	    NULL), ECHILD, "waitid(2): P_PIDFD of a process that is not a "
	    "child (itself) is ECHILD");
	close(self);
}

/* The child, as nobody, signals its root parent through a pidfd. */
static void
signal_parent(void *arg)
{
	int pfd;

	(void)arg;
	pfd = pidfd_open_(getppid(), 0);
	conf_drop_privileges();
	if (pfd < 0)
		_exit(2);
	_exit(send_(pfd, 0, NULL, 0) == -EPERM ? 0 : 3);
}

static void
test_send(volatile int *release)
{
	struct sigaction sa;
	siginfo_t info;
	pid_t pid;
	int pfd, self, st;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	self = pidfd_open_(getpid(), 0);
	is_sysok(send_(self, SIGUSR1, NULL, 0), "pidfd_send_signal(2): to "
	    "itself");
	is_long(got_sig, SIGUSR1, "pidfd_send_signal(2): the signal arrives");
	is_long(got_code, SI_USER, "pidfd_send_signal(2): without info, "
	    "si_code is SI_USER");
	is_long(got_pid, getpid(), "pidfd_send_signal(2): ... and si_pid the "
	    "sender's");
	memset(&info, 0, sizeof(info));
	info.si_signo = SIGUSR1;
	info.si_code = SI_QUEUE;
	info.si_value.sival_int = 42;
	got_sig = 0;
	is_sysok(send_(self, SIGUSR1, &info, 0), "pidfd_send_signal(2): with "
	    "an info of SI_QUEUE");
	is_long(got_val, 42, "pidfd_send_signal(2): the info's value "
	    "arrives");
	is_syserr(send_(self, SIGUSR2, &info, 0), EINVAL,
	    "pidfd_send_signal(2): an info whose si_signo is not sig is "
	    "EINVAL");
	is_syserr(send_(self, 0, NULL, 8), EINVAL, "pidfd_send_signal(2): an "
	    "unknown flag is EINVAL");
	is_syserr(send_(self, 65, NULL, 0), EINVAL, "pidfd_send_signal(2): "
	    "signal 65 is EINVAL");
	is_syserr(send_(self, -1, NULL, 0), EINVAL, "pidfd_send_signal(2): "
	    "signal -1 is EINVAL");
	signal(SIGUSR1, SIG_DFL);
	close(self);

	*release = 0;
	pid = conf_held_child(release, 0);
	pfd = pidfd_open_(pid, 0);
	info.si_code = SI_USER;
	is_syserr(send_(pfd, SIGUSR1, &info, 0), EPERM,
	    "pidfd_send_signal(2): an info with si_code SI_USER for another "
	    "process is EPERM");
	is_sysok(send_(pfd, 0, NULL, 0), "pidfd_send_signal(2): signal 0 "
	    "only checks");
	is_sysok(send_(pfd, SIGKILL, NULL, 0), "pidfd_send_signal(2): "
	    "SIGKILL to a child");
	st = conf_wait(pid);
	is_signal(st, SIGKILL, "pidfd_send_signal(2): the child was killed");
	close(pfd);
	is_exit(conf_in_child(signal_parent, NULL), 0, "pidfd_send_signal(2):"
	    " nobody signalling a root process is EPERM");
}

int
main(int argc, char **argv)
{
	volatile int *release;

	(void)argc;
	conf_init(argv);
	release = conf_shared(CONF_PAGE);
	test_open_errors();
	test_poll_wait(release);
	test_wait_errors();
	test_send(release);
	return done_testing();
}
