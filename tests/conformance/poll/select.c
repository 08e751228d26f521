/*
 * select(2) and pselect6(2): a pipe's ends in the read and write sets,
 * only the ready bits left set and counted; a closed descriptor in a set
 * is EBADF; a negative nfds EINVAL; a timeout returns 0 with the sets
 * cleared and (Linux) the timeval written back; a zero timeval polls;
 * the time left is written back when a descriptor became ready; a
 * sleeping select is woken by a writer; pselect's signal mask.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include "conf.h"

static volatile int got_usr1;

static void
on_usr1(int sig)
{
	(void)sig;
	got_usr1++;
}

static void
test_sets(void)
{
	fd_set r, w, e;
	struct timeval tv = { 0, 0 };
	int fds[2], hi;

	if (pipe(fds) < 0)
		bail_out("pipe");
	hi = (fds[0] > fds[1] ? fds[0] : fds[1]) + 1;
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&e);
	FD_SET(fds[0], &r);
	FD_SET(fds[1], &w);
	FD_SET(fds[0], &e);
	is_long(select(hi, &r, &w, &e, &tv), 1,
	    "select(2): an empty pipe: one descriptor ready");
	ok(!FD_ISSET(fds[0], &r) && FD_ISSET(fds[1], &w) &&
	    !FD_ISSET(fds[0], &e), "select(2): only the write end is left "
	    "set, in the write set");
	if (write(fds[1], "z", 1) != 1)
		bail_out("write");
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(fds[0], &r);
	FD_SET(fds[1], &w);
	FD_SET(fds[1], &r);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	is_long(select(hi, &r, &w, NULL, &tv), 2,
	    "select(2): data: read end readable, write end writable");
	ok(FD_ISSET(fds[0], &r) && FD_ISSET(fds[1], &w) &&
	    !FD_ISSET(fds[1], &r), "select(2): the write end is not "
	    "readable");
	close(fds[1]);
	FD_ZERO(&r);
	FD_SET(fds[1], &r);
	is_errno(select(hi, &r, NULL, NULL, &tv), EBADF,
	    "select(2): a closed descriptor in a set is EBADF");
	is_errno(select(-1, NULL, NULL, NULL, &tv), EINVAL,
	    "select(2): a negative nfds is EINVAL");
	tv.tv_sec = 0;
	tv.tv_usec = -1;
	is_errno(select(0, NULL, NULL, NULL, &tv), EINVAL,
	    "select(2): a negative tv_usec is EINVAL");
	close(fds[0]);
}

static void
test_timeouts(void)
{
	struct timeval tv = { 0, 30000 };
	struct timespec ts = { 0, 30000000 };
	fd_set r;
	int fds[2], status;
	pid_t pid;
	long n;

	if (pipe(fds) < 0)
		bail_out("pipe");
	FD_ZERO(&r);
	FD_SET(fds[0], &r);
	n = conf_sys(SYS_select, fds[0] + 1, &r, NULL, NULL, &tv);
	is_long(n, 0, "select(2): returns 0 after the timeout");
	ok(!FD_ISSET(fds[0], &r), "select(2): ... with the set cleared");
	ok(tv.tv_sec == 0 && tv.tv_usec == 0,
	    "select(2): Linux writes the time left (0) back to the timeval");
	FD_ZERO(&r);
	FD_SET(fds[0], &r);
	n = conf_sys(SYS_pselect6, fds[0] + 1, &r, NULL, NULL, &ts, NULL);
	is_long(n, 0, "pselect6(2): returns 0 after the timeout");
	ok(ts.tv_sec == 0 && ts.tv_nsec == 0,
	    "pselect6(2): the kernel writes the time left back");

	if ((pid = conf_fork()) == 0) {
		conf_sleep_ms(50);
		_exit(write(fds[1], "w", 1) == 1 ? 0 : 1);
	}
	FD_ZERO(&r);
	FD_SET(fds[0], &r);
	tv.tv_sec = 100;
	tv.tv_usec = 0;
	n = conf_sys(SYS_select, fds[0] + 1, &r, NULL, NULL, &tv);
	is_long(n, 1, "select(2): a sleeping select is woken by a writer");
	ok(FD_ISSET(fds[0], &r), "select(2): ... the read end is set");
	ok(tv.tv_sec < 100 && tv.tv_sec >= 0 && (tv.tv_sec > 0 ||
	    tv.tv_usec > 0), "select(2): the time left is written back "
	    "(%ld.%06ld)", (long)tv.tv_sec, (long)tv.tv_usec);
	status = conf_wait(pid);
	is_exit(status, 0, "the writer child");
	close(fds[0]);
	close(fds[1]);
}

static void
test_pselect_mask(void)
{
	struct sigaction sa;
	sigset_t block, empty, cur;
	fd_set r;
	int fds[2], status;
	pid_t pid, me = getpid();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	if (pipe(fds) < 0)
		bail_out("pipe");
	if ((pid = conf_fork()) == 0) {
		conf_sleep_ms(100);
		_exit(kill(me, SIGUSR1) == 0 ? 0 : 1);
	}
	FD_ZERO(&r);
	FD_SET(fds[0], &r);
	sigemptyset(&empty);
	is_errno(pselect(fds[0] + 1, &r, NULL, NULL, NULL, &empty), EINTR,
	    "pselect(2): a signal its mask lets in ends it with EINTR");
	is_long(got_usr1, 1, "... the handler ran");
	sigprocmask(SIG_BLOCK, NULL, &cur);
	ok(sigismember(&cur, SIGUSR1),
	    "pselect(2): the old mask is back afterwards");
	status = conf_wait(pid);
	is_exit(status, 0, "the signalling child");
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	close(fds[0]);
	close(fds[1]);
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	test_sets();
	test_timeouts();
	test_pselect_mask();
	return done_testing();
}
