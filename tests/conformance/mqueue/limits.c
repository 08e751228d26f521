/*
 * mq_open(3) and the limits (mq_overview(7)): RLIMIT_MSGQUEUE counts the
 * bytes of the queues a user created (each message slot its size plus
 * the kernel's bookkeeping), and a queue that would pass it is EMFILE;
 * the charge stays while the queue exists (unlinked but open) and goes
 * with it.  Beyond msg_max (10) and msgsize_max (8192) only a process
 * with CAP_SYS_RESOURCE (root in EclipseOS) may go, up to 65536 messages.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "conf.h"


static char qpath[80], qpath2[80];

/* As nobody: the charge against RLIMIT_MSGQUEUE (exit: the failed step). */
static void
child_rlimit(void *arg)
{
	struct rlimit rl = { 100000, 100000 };
	struct mq_attr a;
	mqd_t q1, q2;

	(void)arg;
	conf_drop_privileges();
	mq_unlink(qpath);
	mq_unlink(qpath2);
	if (setrlimit(RLIMIT_MSGQUEUE, &rl) != 0)
		_exit(1);
	if ((q1 = mq_open(qpath, O_CREAT | O_RDWR, 0600, NULL)) < 0)
		_exit(2);	/* 10 x 8192 and its overhead fit */
	if (mq_open(qpath2, O_CREAT | O_RDWR, 0600, NULL) != -1 ||
	    errno != EMFILE)
		_exit(3);	/* a second one does not */
	memset(&a, 0, sizeof(a));
	a.mq_maxmsg = 1;
	a.mq_msgsize = 1024;
	if ((q2 = mq_open(qpath2, O_CREAT | O_RDWR, 0600, &a)) < 0)
		_exit(4);	/* a small one does */
	close(q2);
	mq_unlink(qpath2);
	if (mq_unlink(qpath) != 0)
		_exit(5);
	if (mq_open(qpath2, O_CREAT | O_RDWR, 0600, NULL) != -1 ||
	    errno != EMFILE)
		_exit(6);	/* unlinked but open: still charged */
	close(q1);
	if ((q2 = mq_open(qpath2, O_CREAT | O_RDWR, 0600, NULL)) < 0)
		_exit(7);	/* closed: the charge is back */
	close(q2);
	mq_unlink(qpath2);
	rl.rlim_cur = 0;
	setrlimit(RLIMIT_MSGQUEUE, &rl);
	a.mq_maxmsg = 1;
	a.mq_msgsize = 1;
	if (mq_open(qpath2, O_CREAT | O_RDWR, 0600, &a) != -1 ||
	    errno != EMFILE)
		_exit(8);	/* a limit of 0 allows nothing */
	_exit(0);
}

int
main(int argc, char **argv)
{
	struct rlimit rl;
	struct mq_attr a, g;
	mqd_t q;
	int st;

	(void)argc;
	conf_init(argv);
	snprintf(qpath, sizeof(qpath), "/confmq-lim-%d", (int)getpid());
	snprintf(qpath2, sizeof(qpath2), "/confmq-lim2-%d", (int)getpid());

	is_success(getrlimit(RLIMIT_MSGQUEUE, &rl), "getrlimit(2): "
	    "RLIMIT_MSGQUEUE");
	is_long(rl.rlim_cur, 819200, "getrlimit(2): RLIMIT_MSGQUEUE is "
	    "819200 by default");
	st = conf_in_child(child_rlimit, NULL);
	is_exit(st, 0, "mq_open(3): RLIMIT_MSGQUEUE 100000 allows one "
	    "default queue and a small one, not two default ones (EMFILE); "
	    "the charge stays while an unlinked queue is open, goes when it "
	    "is closed; a limit of 0 allows nothing");

	memset(&a, 0, sizeof(a));
	a.mq_maxmsg = 11;
	a.mq_msgsize = 16;
	mq_unlink(qpath);
	q = mq_open(qpath, O_CREAT | O_EXCL | O_RDWR, 0600, &a);
	if (conf_has_cap(CONF_CAP_SYS_RESOURCE)) {
		cmp_long(q, ">=", 0, "mq_open(3): with CAP_SYS_RESOURCE, "
		    "mq_maxmsg 11 is allowed");
		mq_getattr(q, &g);
		is_long(g.mq_maxmsg, 11, "mq_getattr(3): it has 11");
	} else {
		is_long(q, -1, "mq_open(3): without CAP_SYS_RESOURCE, "
		    "mq_maxmsg 11 is refused");
		is_long(errno, EINVAL, "mq_open(3): EINVAL");
	}
	if (q >= 0)
		close(q);
	mq_unlink(qpath);
	return done_testing();
}
