/*
 * signalfd(2): a blocked SIGUSR1 sent by kill is read as a 128-byte
 * signalfd_siginfo with its number, code SI_USER and the sender's pid
 * and uid, and is no longer pending; reads are EAGAIN (SFD_NONBLOCK)
 * with nothing pending and block otherwise; a short buffer is EINVAL;
 * sigqueue's value arrives in ssi_int; signalfd(fd, mask) changes the
 * mask; the thread's pending signals come before the process's; bad
 * flags and a non-signalfd descriptor are EINVAL; poll and epoll see a
 * pending signal.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "conf.h"

int
main(int argc, char **argv)
{
	struct signalfd_siginfo si[2];
	struct epoll_event ev = { EPOLLIN, { 0 } }, out;
	struct pollfd p;
	sigset_t mask, pend;
	union sigval val;
	int fd, ep, fds[2], status;
	pid_t pid, me = getpid();

	(void)argc;
	conf_init(argv);
	is_long(sizeof(struct signalfd_siginfo), 128,
	    "signalfd(2): the record is 128 bytes");
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	is_errno(signalfd(-1, &mask, 0x10), EINVAL,
	    "signalfd(2): an unknown flag is EINVAL");
	is_long(conf_sys(SYS_signalfd4, -1, &mask, 4, 0), -EINVAL,
	    "signalfd(2): a mask size other than 8 is EINVAL");
	if (pipe(fds) < 0)
		bail_out("pipe");
	is_errno(signalfd(fds[0], &mask, 0), EINVAL,
	    "signalfd(2): a pipe is not a signalfd: EINVAL");
	is_errno(signalfd(999, &mask, 0), EBADF,
	    "signalfd(2): a closed descriptor is EBADF");
	if ((fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC)) < 0)
		bail_out("signalfd");
	is_long(fcntl(fd, F_GETFD), FD_CLOEXEC, "signalfd(2): SFD_CLOEXEC");
	is_errno(read(fd, si, sizeof(si)), EAGAIN,
	    "signalfd(2): nothing pending: EAGAIN");
	p.fd = fd;
	p.events = POLLIN;
	is_long(poll(&p, 1, 0), 0, "signalfd(2): nothing pending: not "
	    "readable");
	kill(me, SIGUSR1);
	is_long(poll(&p, 1, 0), 1, "signalfd(2): a pending SIGUSR1 makes "
	    "it readable");
	is_errno(read(fd, si, 64), EINVAL,
	    "signalfd(2): a 64-byte buffer is EINVAL");
	memset(si, 0, sizeof(si));
	is_long(read(fd, si, sizeof(si)), 128,
	    "signalfd(2): one signal, one 128-byte record");
	is_long(si[0].ssi_signo, SIGUSR1, "signalfd(2): ssi_signo");
	is_long(si[0].ssi_code, SI_USER, "signalfd(2): ssi_code SI_USER");
	is_long(si[0].ssi_pid, me, "signalfd(2): ssi_pid is the sender");
	is_long(si[0].ssi_uid, getuid(), "signalfd(2): ssi_uid");
	sigpending(&pend);
	ok(!sigismember(&pend, SIGUSR1),
	    "signalfd(2): the signal read is no longer pending");

	val.sival_int = 1234;
	sigqueue(me, SIGUSR1, val);
	read(fd, si, sizeof(si));
	is_long(si[0].ssi_code, SI_QUEUE, "signalfd(2): sigqueue: SI_QUEUE");
	is_long(si[0].ssi_int, 1234, "signalfd(2): sigqueue's value");

	sigaddset(&mask, SIGUSR2);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	kill(me, SIGUSR2);
	is_errno(read(fd, si, sizeof(si)), EAGAIN,
	    "signalfd(2): SIGUSR2 is not in the mask");
	is_long(signalfd(fd, &mask, 0), fd,
	    "signalfd(2): a new mask for the same descriptor");
	kill(me, SIGUSR1);
	is_long(read(fd, si, sizeof(si)), 256,
	    "signalfd(2): two pending signals, two records");
	is_long(si[0].ssi_signo, SIGUSR1, "signalfd(2): SIGUSR1 first");
	is_long(si[1].ssi_signo, SIGUSR2, "signalfd(2): then SIGUSR2");

	/* The thread's own queue comes before the process's. */
	kill(me, SIGUSR1);
	conf_sys(SYS_tgkill, me, conf_sys(SYS_gettid), SIGUSR2);
	is_long(read(fd, si, sizeof(si)), 256,
	    "signalfd(2): a process and a thread signal, two records");
	is_long(si[0].ssi_signo, SIGUSR2,
	    "signalfd(2): the thread's SIGUSR2 first");
	is_long(si[0].ssi_code, SI_TKILL, "signalfd(2): ... code SI_TKILL");
	is_long(si[1].ssi_signo, SIGUSR1,
	    "signalfd(2): then the process's SIGUSR1");
	close(fd);

	if ((fd = signalfd(-1, &mask, 0)) < 0)
		bail_out("signalfd");
	if ((ep = epoll_create1(0)) < 0)
		bail_out("epoll_create1");
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	is_long(epoll_wait(ep, &out, 1, 0), 0,
	    "signalfd(2): epoll: nothing pending, no event");
	if ((pid = conf_fork()) == 0) {
		conf_sleep_ms(100);
		_exit(kill(me, SIGUSR1) == 0 ? 0 : 1);
	}
	is_long(epoll_wait(ep, &out, 1, -1), 1,
	    "signalfd(2): epoll_wait is woken by a kill from a child");
	is_long(read(fd, si, sizeof(si)), 128, "signalfd(2): then read");
	is_long(si[0].ssi_pid, pid, "signalfd(2): ssi_pid is the child");
	status = conf_wait(pid);
	is_exit(status, 0, "the signalling child");
	if ((pid = conf_fork()) == 0) {
		conf_sleep_ms(100);
		_exit(kill(me, SIGUSR2) == 0 ? 0 : 1);
	}
	is_long(read(fd, si, sizeof(si)), 128,
	    "signalfd(2): a blocking read waits for a signal");
	is_long(si[0].ssi_signo, SIGUSR2, "signalfd(2): ... SIGUSR2");
	status = conf_wait(pid);
	is_exit(status, 0, "the signalling child");
	close(ep);
	close(fd);
	close(fds[0]);
	close(fds[1]);
	return done_testing();
}
