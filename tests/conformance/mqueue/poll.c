/*
 * poll(2) and epoll(7) on a message queue's descriptor (mq_overview(7)):
 * readable while the queue holds a message, writable while it has room,
 * and a poll that waits is woken by a message another process sends.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "conf.h"

static char qpath[80];		/* "/confmq-poll-<pid>" */

/* The events poll(2) reports at once for fd. */
static int
events_now(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };

	if (poll(&p, 1, 0) < 0)
		return -1;
	return p.revents;
}

static void
test_poll(void)
{
	struct mq_attr attr = { .mq_maxmsg = 2, .mq_msgsize = 8 };
	mqd_t q, r;
	char buf[8];

	q = mq_open(qpath, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
	cmp_long(q, ">=", 0, "mq_open(3) a queue of 2 messages");
	is_hex(events_now(q), POLLOUT,
	    "poll(2): an empty queue is writable, not readable");
	is_success(mq_send(q, "a", 1, 0), "mq_send(3)");
	is_hex(events_now(q), POLLIN | POLLOUT,
	    "with one message: readable and writable");
	is_success(mq_send(q, "b", 1, 0), "mq_send(3) again");
	is_hex(events_now(q), POLLIN, "full: readable only");
	r = mq_open(qpath, O_RDONLY);
	cmp_long(r, ">=", 0, "mq_open(3) O_RDONLY");
	is_hex(events_now(r), POLLIN,
	    "the same on a read-only descriptor (whatever the access mode)");
	is_long(mq_receive(r, buf, sizeof(buf), NULL), 1, "mq_receive(3)");
	is_hex(events_now(q), POLLIN | POLLOUT, "room again: writable");
	is_long(mq_receive(r, buf, sizeof(buf), NULL), 1, "mq_receive(3)");
	is_hex(events_now(q), POLLOUT, "empty again: not readable");
	mq_close(r);
	mq_close(q);
}

static void
test_epoll(void)
{
	struct epoll_event ev = { .events = EPOLLIN }, got;
	mqd_t q;
	char buf[8];
	int ep;

	q = mq_open(qpath, O_RDWR);
	cmp_long(q, ">=", 0, "mq_open(3)");
	ep = epoll_create1(EPOLL_CLOEXEC);
	cmp_long(ep, ">=", 0, "epoll_create1(2)");
	ev.data.fd = q;
	is_success(epoll_ctl(ep, EPOLL_CTL_ADD, q, &ev),
	    "epoll_ctl(2) EPOLL_CTL_ADD of a queue's descriptor");
	is_long(epoll_wait(ep, &got, 1, 0), 0, "epoll_wait(2): nothing yet");
	is_success(mq_send(q, "c", 1, 0), "mq_send(3)");
	is_long(epoll_wait(ep, &got, 1, 0), 1, "epoll_wait(2): one event");
	is_hex(got.events, EPOLLIN, "EPOLLIN");
	is_long(mq_receive(q, buf, sizeof(buf), NULL), 1, "mq_receive(3)");
	is_long(epoll_wait(ep, &got, 1, 0), 0, "epoll_wait(2): nothing again");
	close(ep);
	mq_close(q);
}

static void
test_wakeup(void)
{
	struct pollfd p;
	mqd_t q;
	pid_t pid;
	char buf[8];

	q = mq_open(qpath, O_RDWR);
	cmp_long(q, ">=", 0, "mq_open(3)");
	pid = conf_fork();
	if (pid == 0) {
		conf_sleep_ms(100);
		_exit(mq_send(q, "d", 1, 0) == 0 ? 0 : 1);
	}
	p.fd = q;
	p.events = POLLIN;
	p.revents = 0;
	is_long(poll(&p, 1, 30000), 1,
	    "poll(2) waiting on an empty queue returns when a message comes");
	is_hex(p.revents, POLLIN, "POLLIN");
	is_exit(conf_wait(pid), 0, "the child sent it");
	is_long(mq_receive(q, buf, sizeof(buf), NULL), 1, "mq_receive(3)");
	mq_close(q);
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	snprintf(qpath, sizeof(qpath), "/confmq-poll-%d", (int)getpid());
	mq_unlink(qpath);	/* a leftover of an interrupted run */
	test_poll();
	test_epoll();
	test_wakeup();
	is_success(mq_unlink(qpath), "mq_unlink(3)");
	return done_testing();
}
