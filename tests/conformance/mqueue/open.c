/*
 * mq_open(2), mq_unlink(2), mq_getsetattr(2) and the descriptor of a
 * queue (mq_overview(7)): names as the kernel takes them (musl strips the
 * leading '/'), O_CREAT and O_EXCL, the access modes, O_NONBLOCK and
 * O_CLOEXEC, the default and the given attributes, mode with the umask
 * and the permission checks, a queue that outlives its name, and the
 * status line a read(2) of the descriptor gives.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "conf.h"

static char qname[64];		/* "confmq-<pid>" without the '/' */
static char qpath[80];		/* "/confmq-<pid>" for musl */

static long
raw_open(const char *name, int oflag, int mode, struct mq_attr *attr)
{
	return conf_sys(SYS_mq_open, name, oflag, mode, attr);
}

static void
test_names(void)
{
	char longname[300];
	long fd;

	memset(longname, 'n', sizeof(longname));
	longname[256] = '\0';
	is_long(raw_open("", O_CREAT | O_RDWR, 0600, NULL), -ENOENT,
	    "mq_open(2): an empty name is ENOENT");
	is_long(raw_open("a/b", O_CREAT | O_RDWR, 0600, NULL), -EACCES,
	    "mq_open(2): a name with '/' is EACCES");
	is_long(raw_open("/x", O_CREAT | O_RDWR, 0600, NULL), -EACCES,
	    "mq_open(2): a leading '/' reaching the kernel is EACCES");
	is_long(raw_open("..", O_CREAT | O_RDWR, 0600, NULL), -EACCES,
	    "mq_open(2): \"..\" is EACCES");
	is_long(raw_open(longname, O_CREAT | O_RDWR, 0600, NULL),
	    -ENAMETOOLONG, "mq_open(2): a 256-byte name is ENAMETOOLONG");
	longname[255] = '\0';
	snprintf(longname, 20, "%d-", (int)getpid());
	longname[strlen(longname)] = 'n';
	fd = raw_open(longname, O_CREAT | O_EXCL | O_RDWR, 0600, NULL);
	cmp_long(fd, ">=", 0, "mq_open(2): a 255-byte name is fine");
	if (fd >= 0) {
		close(fd);
		is_long(conf_sys(SYS_mq_unlink, longname), 0,
		    "mq_unlink(2): removes it");
	} else {
		skip(1, "no queue");
	}
	is_long(raw_open(NULL, O_RDWR, 0, NULL), -EFAULT,
	    "mq_open(2): a bad name pointer is EFAULT");
	is_long(conf_sys(SYS_mq_unlink, ""), -ENOENT,
	    "mq_unlink(2): an empty name is ENOENT");
	is_long(conf_sys(SYS_mq_unlink, "a/b"), -EACCES,
	    "mq_unlink(2): a name with '/' is EACCES");
	is_errno(mq_unlink("/confmq-none"), ENOENT,
	    "mq_unlink(3): a queue that does not exist is ENOENT");
}

static void
test_open(void)
{
	struct mq_attr a, g;
	mqd_t q, q2;
	char buf[128];
	int n;

	is_errno(mq_open(qpath, O_RDWR), ENOENT,
	    "mq_open(3): without O_CREAT a missing queue is ENOENT");
	q = mq_open(qpath, O_CREAT | O_EXCL | O_RDWR, 0600, NULL);
	cmp_long(q, ">=", 0, "mq_open(3): O_CREAT|O_EXCL creates the queue");
	is_errno(mq_open(qpath, O_CREAT | O_EXCL | O_RDWR, 0600, NULL),
	    EEXIST, "mq_open(3): O_EXCL on an existing queue is EEXIST");
	memset(&g, 0xff, sizeof(g));
	is_success(mq_getattr(q, &g), "mq_getattr(3) succeeds");
	is_long(g.mq_maxmsg, 10, "mq_open(3): default mq_maxmsg is 10");
	is_long(g.mq_msgsize, 8192, "mq_open(3): default mq_msgsize is 8192");
	is_long(g.mq_curmsgs, 0, "mq_getattr(3): a new queue is empty");
	is_long(g.mq_flags, 0, "mq_getattr(3): mq_flags 0 without O_NONBLOCK");
	is_long(fcntl(q, F_GETFL) & O_ACCMODE, O_RDWR,
	    "fcntl(2): F_GETFL gives the access mode");
	q2 = raw_open(qname, O_RDONLY, 0, NULL);
	is_long(fcntl(q2, F_GETFD), FD_CLOEXEC, "mq_open(2): the descriptor "
	    "is close-on-exec even without O_CLOEXEC, as on Linux");
	close(q2);

	memset(&a, 0, sizeof(a));
	a.mq_maxmsg = 0;
	a.mq_msgsize = 16;
	q2 = mq_open(qpath, O_CREAT | O_RDWR | O_NONBLOCK | O_CLOEXEC, 0600,
	    &a);
	cmp_long(q2, ">=", 0, "mq_open(3): O_CREAT of an existing queue "
	    "opens it, attributes ignored");
	is_long(fcntl(q2, F_GETFD), FD_CLOEXEC,
	    "mq_open(3): O_CLOEXEC sets FD_CLOEXEC (musl always adds it)");
	mq_getattr(q2, &g);
	is_long(g.mq_flags, O_NONBLOCK,
	    "mq_getattr(3): O_NONBLOCK in mq_flags");
	is_long(g.mq_maxmsg, 10, "mq_getattr(3): the queue's own mq_maxmsg");

	/* mq_getsetattr changes only O_NONBLOCK, of that description. */
	memset(&a, 0, sizeof(a));
	a.mq_flags = O_NONBLOCK;
	a.mq_maxmsg = 3;
	memset(&g, 0xff, sizeof(g));
	is_success(mq_setattr(q, &a, &g), "mq_setattr(3): set O_NONBLOCK");
	is_long(g.mq_flags, 0, "mq_setattr(3): returns the old mq_flags");
	mq_getattr(q, &g);
	is_long(g.mq_flags, O_NONBLOCK, "mq_setattr(3): O_NONBLOCK is set");
	is_long(g.mq_maxmsg, 10, "mq_setattr(3): mq_maxmsg does not change");
	ok((fcntl(q, F_GETFL) & O_NONBLOCK) != 0,
	    "mq_setattr(3): F_GETFL sees O_NONBLOCK");
	a.mq_flags = O_NONBLOCK | O_APPEND;
	is_long(conf_sys(SYS_mq_getsetattr, q, &a, NULL), -EINVAL,
	    "mq_getsetattr(2): a flag other than O_NONBLOCK is EINVAL");
	is_long(conf_sys(SYS_mq_getsetattr, q, (void *)8, NULL), -EFAULT,
	    "mq_getsetattr(2): a bad new attribute pointer is EFAULT");
	is_long(conf_sys(SYS_mq_getsetattr, 0, NULL, &g), -EBADF,
	    "mq_getsetattr(2): a descriptor that is not a queue is EBADF");
	is_long(conf_sys(SYS_mq_getsetattr, 999, NULL, &g), -EBADF,
	    "mq_getsetattr(2): a closed descriptor is EBADF");
	a.mq_flags = 0;
	mq_setattr(q, &a, NULL);

	/* The descriptor reads as Linux's status line. */
	mq_send(q, "hello", 5, 1);
	mq_send(q, "abc", 3, 2);
	n = read(q, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	is_long(n, 60, "read(2): the status line is 60 bytes");
	is_str(buf, "QSIZE:8          NOTIFY:0     SIGNO:0     "
	    "NOTIFY_PID:0     \n", "read(2): QSIZE counts the bytes queued");
	is_long(read(q, buf, sizeof(buf)), 0, "read(2): then end of file");
	is_errno(write(q, "x", 1), EINVAL, "write(2): a queue cannot be "
	    "written: EINVAL");
	close(q2);

	/* The queue lives on after mq_unlink while it is open. */
	is_success(mq_unlink(qpath), "mq_unlink(3) of an open queue");
	is_errno(mq_open(qpath, O_RDWR), ENOENT,
	    "mq_open(3): the name is gone");
	mq_getattr(q, &g);
	is_long(g.mq_curmsgs, 2, "mq_unlink(3): the open queue keeps its "
	    "messages");
	n = mq_receive(q, buf, 8192, NULL);
	is_long(n, 3, "mq_receive(3): still works after mq_unlink");
	is_errno(mq_unlink(qpath), ENOENT, "mq_unlink(3): twice is ENOENT");
	is_long(conf_sys(SYS_mq_unlink, (void *)8), -EFAULT,
	    "mq_unlink(2): a bad name pointer is EFAULT");
	q2 = mq_open(qpath, O_CREAT | O_EXCL | O_RDWR, 0600, NULL);
	cmp_long(q2, ">=", 0, "mq_open(3): the name can be used again");
	mq_getattr(q2, &g);
	is_long(g.mq_curmsgs, 0, "mq_open(3): a new queue of the same name "
	    "is empty");
	close(q);
	close(q2);
	is_long(raw_open(qname, O_ACCMODE, 0, NULL), -EINVAL,
	    "mq_open(2): access mode 3 on an existing queue is EINVAL");
	mq_unlink(qpath);
}

static void
test_attr(void)
{
	struct mq_attr a, g;
	mqd_t q;

	memset(&a, 0, sizeof(a));
	a.mq_maxmsg = 3;
	a.mq_msgsize = 100;
	a.mq_flags = O_NONBLOCK;
	a.mq_curmsgs = 5;
	q = mq_open(qpath, O_CREAT | O_EXCL | O_RDWR, 0600, &a);
	cmp_long(q, ">=", 0, "mq_open(3): with attributes 3 x 100");
	memset(&g, 0xff, sizeof(g));
	mq_getattr(q, &g);
	is_long(g.mq_maxmsg, 3, "mq_open(3): mq_maxmsg as given");
	is_long(g.mq_msgsize, 100, "mq_open(3): mq_msgsize as given");
	is_long(g.mq_flags, 0, "mq_open(3): mq_flags of the attributes is "
	    "ignored");
	is_long(g.mq_curmsgs, 0, "mq_open(3): mq_curmsgs is ignored");
	close(q);
	mq_unlink(qpath);

	a.mq_maxmsg = 0;
	is_errno(mq_open(qpath, O_CREAT | O_RDWR, 0600, &a), EINVAL,
	    "mq_open(3): mq_maxmsg 0 is EINVAL");
	a.mq_maxmsg = -1;
	is_errno(mq_open(qpath, O_CREAT | O_RDWR, 0600, &a), EINVAL,
	    "mq_open(3): a negative mq_maxmsg is EINVAL");
	a.mq_maxmsg = 1;
	a.mq_msgsize = 0;
	is_errno(mq_open(qpath, O_CREAT | O_RDWR, 0600, &a), EINVAL,
	    "mq_open(3): mq_msgsize 0 is EINVAL");
	a.mq_maxmsg = 65537;
	a.mq_msgsize = 1;
	is_errno(mq_open(qpath, O_CREAT | O_RDWR, 0600, &a), EINVAL,
	    "mq_open(3): mq_maxmsg above the hard limit 65536 is EINVAL");
	a.mq_maxmsg = 1;
	a.mq_msgsize = (16L << 20) + 1;
	is_errno(mq_open(qpath, O_CREAT | O_RDWR, 0600, &a), EINVAL,
	    "mq_open(3): mq_msgsize above the hard limit 16 MiB is EINVAL");
	is_long(raw_open(qname, O_CREAT | O_RDWR, 0600, (void *)8), -EFAULT,
	    "mq_open(2): a bad attribute pointer is EFAULT");
	is_errno(mq_open(qpath, O_RDWR), ENOENT,
	    "mq_open(3): no queue was left by the failures");
}

/* In a child that is nobody: the permission checks (exit: failed check). */
static void
child_perm(void *arg)
{
	struct mq_attr a;
	char own[96];
	mqd_t q;

	(void)arg;
	conf_drop_privileges();
	if (mq_open(qpath, O_RDONLY) != -1 || errno != EACCES)
		_exit(1);
	if (mq_open(qpath, O_WRONLY) != -1 || errno != EACCES)
		_exit(2);
	/* The kernel says EPERM (sticky directory); musl makes it EACCES. */
	if (conf_sys(SYS_mq_unlink, qname) != -EPERM)
		_exit(3);
	snprintf(own, sizeof(own), "%s-own", qpath);
	mq_unlink(own);		/* a leftover of an interrupted run */
	if ((q = mq_open(own, O_CREAT | O_EXCL | O_WRONLY, 0200, NULL)) < 0)
		_exit(4);
	if (mq_open(own, O_RDWR) != -1 || errno != EACCES)
		_exit(5);
	if (mq_open(own, O_WRONLY) < 0)
		_exit(6);
	if (mq_open(own, O_CREAT | O_RDONLY, 0666, NULL) != -1 ||
	    errno != EACCES)
		_exit(7);
	if (mq_unlink(own) != 0)
		_exit(10);
	memset(&a, 0, sizeof(a));
	a.mq_maxmsg = 11;
	a.mq_msgsize = 10;
	if (mq_open(own, O_CREAT | O_RDWR, 0600, &a) != -1 ||
	    errno != EINVAL)
		_exit(8);
	a.mq_maxmsg = 10;
	a.mq_msgsize = 8193;
	if (mq_open(own, O_CREAT | O_RDWR, 0600, &a) != -1 ||
	    errno != EINVAL)
		_exit(9);
	_exit(0);
}

static void
test_mode(void)
{
	mqd_t q;
	int st;

	mq_unlink(qpath);
	umask(027);
	q = mq_open(qpath, O_CREAT | O_EXCL | O_RDWR, 0666, NULL);
	umask(022);
	cmp_long(q, ">=", 0, "mq_open(3): create with mode 0666, umask 027");
	st = conf_in_child(child_perm, NULL);
	is_exit(st, 0, "mq_open(3): mode 0640 (umask applied) refuses "
	    "others: EACCES; only the owner may mq_unlink (EPERM); an "
	    "unprivileged user's own 0200 queue opens write-only; "
	    "mq_maxmsg 11 and mq_msgsize 8193 are EINVAL without privilege");
	close(q);
	mq_unlink(qpath);
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	snprintf(qname, sizeof(qname), "confmq-open-%d", (int)getpid());
	snprintf(qpath, sizeof(qpath), "/%s", qname);
	mq_unlink(qpath);	/* a leftover of an interrupted run */
	test_names();
	test_open();
	test_attr();
	test_mode();
	return done_testing();
}
