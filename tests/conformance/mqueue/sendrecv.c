/*
 * mq_timedsend(2) and mq_timedreceive(2) (mq_send(3), mq_receive(3)):
 * messages come out by priority, oldest first within one; the size,
 * priority, access-mode and pointer errors; O_NONBLOCK's EAGAIN; absolute
 * CLOCK_REALTIME timeouts (ETIMEDOUT; a bad timespec is EINVAL even when
 * the call would not wait, as Linux checks it first); a signal ends a
 * wait with EINTR, or restarts it under SA_RESTART; and two processes
 * exchanging messages, each blocking on a full or an empty queue.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"

#define NEXCHANGE	40

static char qpath[80], qpath2[80];
static volatile int got_signal;

static void
on_usr1(int sig)
{
	(void)sig;
	got_signal++;
}

static struct timespec
in_ms(long ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

static mqd_t
make_queue(const char *path, long maxmsg, long msgsize, int flags)
{
	struct mq_attr a;

	memset(&a, 0, sizeof(a));
	a.mq_maxmsg = maxmsg;
	a.mq_msgsize = msgsize;
	mq_unlink(path);
	return mq_open(path, O_CREAT | O_EXCL | O_RDWR | flags, 0600, &a);
}

static void
test_order(void)
{
	static const unsigned int prios[] = { 1, 5, 0, 5, 32767, 1, 0 };
	static const char *texts[] = { "a", "b", "c", "d", "e", "f", "g" };
	static const char *want = "ebdafcg";
	char buf[64], got[8];
	unsigned int prio, i;
	struct mq_attr g;
	long n;
	mqd_t q;

	q = make_queue(qpath, 8, 16, 0);
	cmp_long(q, ">=", 0, "mq_open(3): an 8 x 16 queue");
	for (i = 0; i < 7; i++)
		mq_send(q, texts[i], 1, prios[i]);
	mq_getattr(q, &g);
	is_long(g.mq_curmsgs, 7, "mq_send(3): seven messages queued");
	for (i = 0; i < 7; i++) {
		n = mq_receive(q, buf, sizeof(buf), &prio);
		got[i] = n == 1 ? buf[0] : '?';
		if (i == 0)
			is_long(prio, 32767, "mq_receive(3): the priority "
			    "comes back");
	}
	got[7] = '\0';
	is_str(got, want, "mq_receive(3): highest priority first, FIFO "
	    "within a priority");
	is_success(mq_send(q, "", 0, 3), "mq_send(3): an empty message");
	prio = 99;
	is_long(mq_receive(q, buf, sizeof(buf), &prio), 0,
	    "mq_receive(3): an empty message has length 0");
	is_long(prio, 3, "mq_receive(3): with its priority");
	is_long(mq_send(q, "0123456789abcdef", 16, 0), 0,
	    "mq_send(3): a message of exactly mq_msgsize");
	is_long(mq_receive(q, buf, 16, NULL), 16,
	    "mq_receive(3): a buffer of exactly mq_msgsize");
	is_mem(buf, "0123456789abcdef", 16, "mq_receive(3): the bytes");
	close(q);
	mq_unlink(qpath);
}

static void
test_errors(void)
{
	struct timespec bad = { 0, 1000000000L }, neg = { -1, 0 };
	struct timespec past = { 1, 0 };
	char buf[64];
	struct mq_attr g;
	mqd_t q, ro, wo;

	q = make_queue(qpath, 1, 16, O_NONBLOCK);
	is_errno(mq_send(q, buf, 17, 0), EMSGSIZE,
	    "mq_send(3): longer than mq_msgsize is EMSGSIZE");
	is_errno(mq_send(q, "x", 1, 32768), EINVAL,
	    "mq_send(3): priority MQ_PRIO_MAX is EINVAL");
	is_errno(mq_receive(q, buf, 15, NULL), EMSGSIZE,
	    "mq_receive(3): a buffer shorter than mq_msgsize is EMSGSIZE");
	is_errno(mq_receive(q, buf, 16, NULL), EAGAIN,
	    "mq_receive(3): empty with O_NONBLOCK is EAGAIN");
	is_long(conf_sys(SYS_mq_timedsend, q, (void *)8, 1, 0, NULL), -EFAULT,
	    "mq_timedsend(2): a bad message pointer is EFAULT");
	is_long(conf_sys(SYS_mq_timedsend, q, "x", 1, 0, &bad), -EINVAL,
	    "mq_timedsend(2): tv_nsec 1e9 is EINVAL even with room");
	is_long(conf_sys(SYS_mq_timedsend, q, "x", 1, 0, (void *)8), -EFAULT,
	    "mq_timedsend(2): a bad timeout pointer is EFAULT");
	is_success(mq_send(q, "x", 1, 0), "mq_send(3): fills the queue");
	is_errno(mq_send(q, "y", 1, 0), EAGAIN,
	    "mq_send(3): full with O_NONBLOCK is EAGAIN");
	is_long(conf_sys(SYS_mq_timedreceive, q, buf, 16, NULL, &neg),
	    -EINVAL, "mq_timedreceive(2): tv_sec -1 is EINVAL even with a "
	    "message");
	is_long(conf_sys(SYS_mq_timedreceive, q, buf, 16, (void *)8, NULL),
	    -EFAULT, "mq_timedreceive(2): a bad priority pointer is EFAULT");
	mq_getattr(q, &g);
	is_long(g.mq_curmsgs, 0, "mq_timedreceive(2): the message is gone "
	    "even so, as on Linux");
	is_long(conf_sys(SYS_mq_timedsend, 0, "x", 1, 0, NULL), -EBADF,
	    "mq_timedsend(2): a descriptor that is not a queue is EBADF");
	is_long(conf_sys(SYS_mq_timedreceive, 999, buf, 16, NULL, NULL),
	    -EBADF, "mq_timedreceive(2): a closed descriptor is EBADF");

	ro = mq_open(qpath, O_RDONLY);
	wo = mq_open(qpath, O_WRONLY);
	is_errno(mq_send(ro, "x", 1, 0), EBADF,
	    "mq_send(3): a read-only descriptor is EBADF");
	is_errno(mq_receive(wo, buf, 16, NULL), EBADF,
	    "mq_receive(3): a write-only descriptor is EBADF");
	is_errno(read(wo, buf, sizeof(buf)), EBADF,
	    "read(2): a write-only queue descriptor is EBADF");
	close(ro);
	close(wo);

	/* Blocking descriptors with timeouts. */
	close(q);
	q = mq_open(qpath, O_RDWR);
	is_errno(mq_timedreceive(q, buf, 16, NULL, &past), ETIMEDOUT,
	    "mq_timedreceive(3): empty, a deadline in the past: ETIMEDOUT");
	past = in_ms(50);
	is_errno(mq_timedreceive(q, buf, 16, NULL, &past), ETIMEDOUT,
	    "mq_timedreceive(3): empty, a deadline 50 ms ahead: ETIMEDOUT");
	mq_send(q, "x", 1, 0);
	past.tv_sec = 1;
	past.tv_nsec = 0;
	is_errno(mq_timedsend(q, "y", 1, 0, &past), ETIMEDOUT,
	    "mq_timedsend(3): full, a deadline in the past: ETIMEDOUT");
	is_long(mq_timedreceive(q, buf, 16, NULL, &past), 1,
	    "mq_timedreceive(3): a message there is taken whatever the "
	    "deadline");
	close(q);
	mq_unlink(qpath);
}

/* Child: wait until the parent is about to block, then signal it. */
static void
child_signal(void *arg)
{
	volatile int *flag = arg;

	if (conf_wait_flag(flag, 1, 5, 10000) < 0)
		_exit(1);
	conf_sleep_ms(200);
	kill(getppid(), SIGUSR1);
	conf_sleep_ms(200);
	if (flag[1] == 1) {
		mqd_t q = mq_open(qpath, O_WRONLY);

		mq_send(q, "late", 4, 0);
	}
	_exit(0);
}

static void
test_eintr(void)
{
	volatile int *flag = conf_shared(CONF_PAGE);
	struct sigaction sa;
	struct timespec ts;
	char buf[16];
	pid_t pid;
	long n;
	mqd_t q;

	q = make_queue(qpath, 1, 16, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);

	pid = conf_fork();
	if (pid == 0)
		child_signal((void *)flag);
	flag[0] = 1;
	ts = in_ms(10000);
	is_errno(mq_timedreceive(q, buf, 16, NULL, &ts), EINTR,
	    "mq_timedreceive(3): a handler without SA_RESTART ends the "
	    "wait: EINTR");
	is_long(got_signal, 1, "the handler ran once");
	is_exit(conf_wait(pid), 0, "the child signalled");

	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	flag[0] = 0;
	flag[1] = 1;
	pid = conf_fork();
	if (pid == 0)
		child_signal((void *)flag);
	flag[0] = 1;
	n = mq_receive(q, buf, 16, NULL);
	is_long(n, 4, "mq_receive(3): with SA_RESTART the wait restarts and "
	    "gets the message sent after the signal");
	is_long(got_signal, 2, "the handler ran again");
	is_exit(conf_wait(pid), 0, "the child signalled and sent");
	close(q);
	mq_unlink(qpath);
}

/*
 * Child of the exchange: sends NEXCHANGE numbered messages on a queue of
 * two (it blocks while full), then receives the parent's replies (it
 * blocks while empty).  Exits 0, or the number of the first bad reply.
 */
static void
child_exchange(void *arg)
{
	mqd_t to, from;
	char buf[16];
	int i;

	(void)arg;
	to = mq_open(qpath, O_WRONLY);
	from = mq_open(qpath2, O_RDONLY);
	for (i = 0; i < NEXCHANGE; i++)
		if (mq_send(to, (char *)&i, sizeof(i), 0) != 0)
			_exit(100);
	for (i = 0; i < NEXCHANGE; i++) {
		if (mq_receive(from, buf, sizeof(buf), NULL) != sizeof(i) ||
		    memcmp(buf, &i, sizeof(i)) != 0)
			_exit(1 + i);
	}
	_exit(0);
}

static void
test_exchange(void)
{
	int i, bad = -1, v, full = 0;
	struct mq_attr g;
	char buf[16];
	mqd_t q, r;
	pid_t pid;

	q = make_queue(qpath, 2, sizeof(int), 0);
	r = make_queue(qpath2, 2, sizeof(int), 0);
	pid = conf_fork();
	if (pid == 0)
		child_exchange(NULL);
	/* Let the child fill the queue and block on it. */
	for (i = 0; i < 200 && !full; i++) {
		conf_sleep_ms(10);
		mq_getattr(q, &g);
		full = g.mq_curmsgs == 2;
	}
	ok(full, "mq_send(3): the child filled the queue of two");
	for (i = 0; i < NEXCHANGE; i++) {
		if (mq_receive(q, buf, sizeof(buf), NULL) != sizeof(int) ||
		    (memcpy(&v, buf, sizeof(v)), v != i)) {
			bad = i;
			break;
		}
	}
	is_long(bad, -1, "mq_receive(3): %d messages from a sender blocked "
	    "on a full queue arrive complete and in order", NEXCHANGE);
	conf_sleep_ms(50);	/* the child now waits for the replies */
	for (i = 0; i < NEXCHANGE; i++)
		mq_send(r, (char *)&i, sizeof(i), 0);
	is_exit(conf_wait(pid), 0, "mq_receive(3): the child, blocked on an "
	    "empty queue, received every reply in order");
	close(q);
	close(r);
	mq_unlink(qpath);
	mq_unlink(qpath2);
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	snprintf(qpath, sizeof(qpath), "/confmq-sr-%d", (int)getpid());
	snprintf(qpath2, sizeof(qpath2), "/confmq-sr2-%d", (int)getpid());
	test_order();
	test_errors();
	test_eintr();
	test_exchange();
	return done_testing();
}
