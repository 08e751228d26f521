/*
 * mq_notify(2): a registered process gets its signal (si_code SI_MESGQ,
 * the sender's pid and uid, sigev_value) when a message arrives in the
 * empty queue, and the registration is then gone; a second registration
 * is EBUSY, NULL removes one's own (and leaves another's), SIGEV_NONE
 * registers without a signal, nothing fires while a receiver waits, and
 * the argument errors.  SIGEV_THREAD wants a netlink socket: a
 * descriptor that is not one is ENOTSOCK, a closed one EBADF.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "conf.h"

static char qpath[80];
static volatile int nsig;
static volatile int sig_code, sig_pid, sig_uid, sig_value;

static void
on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	nsig++;
	sig_code = si->si_code;
	sig_pid = si->si_pid;
	sig_uid = si->si_uid;
	sig_value = si->si_value.sival_int;
}

static mqd_t
make_queue(void)
{
	mq_unlink(qpath);
	return mq_open(qpath, O_CREAT | O_EXCL | O_RDWR, 0600, NULL);
}

/* Child: send one message to the queue. */
static void
child_send(void *arg)
{
	mqd_t q = mq_open(qpath, O_WRONLY);

	(void)arg;
	_exit(mq_send(q, "m", 1, 0) == 0 ? 0 : 1);
}

/* Child: another process may not register while we are; NULL is a no-op. */
static void
child_busy(void *arg)
{
	struct sigevent se;
	mqd_t q = mq_open(qpath, O_RDONLY);

	(void)arg;
	memset(&se, 0, sizeof(se));
	se.sigev_notify = SIGEV_SIGNAL;
	se.sigev_signo = SIGUSR2;
	if (mq_notify(q, &se) != -1 || errno != EBUSY)
		_exit(1);
	if (mq_notify(q, NULL) != 0)
		_exit(2);
	_exit(0);
}

/* Child: block in mq_receive, reporting through the flag. */
static void
child_receive(void *arg)
{
	volatile int *flag = arg;
	char buf[8192];
	mqd_t q = mq_open(qpath, O_RDONLY);

	flag[0] = 1;
	_exit(mq_receive(q, buf, sizeof(buf), NULL) == 1 ? 0 : 1);
}

static void
test_signal(void)
{
	struct sigevent se;
	struct sigaction sa;
	char buf[8192], line[128];
	pid_t pid;
	int n, st;
	mqd_t q;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	q = make_queue();
	memset(&se, 0, sizeof(se));
	se.sigev_notify = SIGEV_SIGNAL;
	se.sigev_signo = SIGUSR1;
	se.sigev_value.sival_int = 77;
	is_success(mq_notify(q, &se), "mq_notify(3): register for SIGUSR1");
	is_errno(mq_notify(q, &se), EBUSY, "mq_notify(3): registering twice "
	    "is EBUSY, even for the same process");
	n = read(q, line, sizeof(line) - 1);
	line[n > 0 ? n : 0] = '\0';
	snprintf(buf, sizeof(buf), "QSIZE:0          NOTIFY:0     SIGNO:10    "
	    "NOTIFY_PID:%-6d\n", (int)getpid());
	is_str(line, buf, "read(2): the status line shows the registration");
	st = conf_in_child(child_busy, NULL);
	is_exit(st, 0, "mq_notify(3): another process gets EBUSY, and its "
	    "NULL leaves our registration alone");

	pid = conf_fork();
	if (pid == 0)
		child_send(NULL);
	is_exit(conf_wait(pid), 0, "a child sends a message");
	is_long(nsig, 1, "mq_notify(3): the signal came when the message "
	    "arrived in the empty queue");
	is_long(sig_code, SI_MESGQ, "siginfo: si_code SI_MESGQ");
	is_long(sig_pid, pid, "siginfo: si_pid is the sender");
	is_long(sig_uid, getuid(), "siginfo: si_uid is the sender's uid");
	is_long(sig_value, 77, "siginfo: si_value is sigev_value");

	/* The registration is gone: a second message sends nothing. */
	mq_receive(q, buf, sizeof(buf), NULL);
	mq_send(q, "m", 1, 0);
	is_long(nsig, 1, "mq_notify(3): the registration was used up");
	is_success(mq_notify(q, &se), "mq_notify(3): register again");
	mq_send(q, "m", 1, 0);
	is_long(nsig, 1, "mq_notify(3): no signal for a queue that was not "
	    "empty");
	mq_receive(q, buf, sizeof(buf), NULL);
	mq_receive(q, buf, sizeof(buf), NULL);

	/* A waiting receiver takes precedence: nothing is sent. */
	{
		volatile int *flag = conf_shared(CONF_PAGE);

		pid = conf_fork();
		if (pid == 0)
			child_receive((void *)flag);
		conf_wait_flag(flag, 1, 5, 10000);
		conf_sleep_ms(200);
		mq_send(q, "m", 1, 0);
		is_exit(conf_wait(pid), 0, "the blocked receiver got it");
		is_long(nsig, 1, "mq_notify(3): no signal while a receiver "
		    "waits");
		n = pread(q, line, sizeof(line) - 1, 0);
		line[n > 0 ? n : 0] = '\0';
		ok(strstr(line, "SIGNO:10") != NULL,
		    "mq_notify(3): and the registration stays");
	}
	is_success(mq_notify(q, NULL), "mq_notify(3): NULL removes it");
	is_success(mq_notify(q, NULL), "mq_notify(3): NULL with none is fine");
	mq_send(q, "m", 1, 0);
	is_long(nsig, 1, "mq_notify(3): removed: no signal");
	mq_receive(q, buf, sizeof(buf), NULL);

	se.sigev_notify = SIGEV_NONE;
	is_success(mq_notify(q, &se), "mq_notify(3): SIGEV_NONE registers");
	se.sigev_notify = SIGEV_SIGNAL;
	is_errno(mq_notify(q, &se), EBUSY, "mq_notify(3): and holds the "
	    "place: EBUSY");
	mq_send(q, "m", 1, 0);
	is_long(nsig, 1, "mq_notify(3): SIGEV_NONE sends nothing");
	is_success(mq_notify(q, &se), "mq_notify(3): and was used up");
	mq_notify(q, NULL);
	close(q);
	mq_unlink(qpath);
}

static void
test_errors(void)
{
	char cookie[32];
	struct sigevent se;
	mqd_t q;

	q = make_queue();
	memset(&se, 0, sizeof(se));
	se.sigev_notify = SIGEV_SIGNAL;
	se.sigev_signo = 65;
	is_long(conf_sys(SYS_mq_notify, q, &se), -EINVAL,
	    "mq_notify(2): signal 65 is EINVAL");
	se.sigev_signo = SIGUSR1;
	se.sigev_notify = 7;
	is_long(conf_sys(SYS_mq_notify, q, &se), -EINVAL,
	    "mq_notify(2): an unknown sigev_notify is EINVAL");
	se.sigev_notify = SIGEV_THREAD_ID;
	is_long(conf_sys(SYS_mq_notify, q, &se), -EINVAL,
	    "mq_notify(2): SIGEV_THREAD_ID is EINVAL");
	is_long(conf_sys(SYS_mq_notify, q, (void *)8), -EFAULT,
	    "mq_notify(2): a bad sigevent pointer is EFAULT");
	se.sigev_notify = SIGEV_SIGNAL;
	is_long(conf_sys(SYS_mq_notify, 999, &se), -EBADF,
	    "mq_notify(2): a closed descriptor is EBADF");
	is_long(conf_sys(SYS_mq_notify, 0, NULL), -EBADF,
	    "mq_notify(2): a descriptor that is not a queue is EBADF");

	memset(cookie, 0, sizeof(cookie));
	se.sigev_notify = SIGEV_THREAD;
	se.sigev_value.sival_ptr = cookie;
	se.sigev_signo = q;
	is_long(conf_sys(SYS_mq_notify, q, &se), -ENOTSOCK,
	    "mq_notify(2): SIGEV_THREAD with a descriptor that is not a "
	    "netlink socket is ENOTSOCK");
	se.sigev_signo = 999;
	is_long(conf_sys(SYS_mq_notify, q, &se), -EBADF,
	    "mq_notify(2): SIGEV_THREAD with a closed descriptor is EBADF");
	se.sigev_value.sival_ptr = (void *)8;
	is_long(conf_sys(SYS_mq_notify, q, &se), -EFAULT,
	    "mq_notify(2): SIGEV_THREAD with a bad cookie is EFAULT");
	se.sigev_notify = SIGEV_SIGNAL;
	se.sigev_signo = SIGUSR1;
	is_long(conf_sys(SYS_mq_notify, q, &se), 0,
	    "mq_notify(2): none of these registered anything");
	close(q);
	mq_unlink(qpath);
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	snprintf(qpath, sizeof(qpath), "/confmq-notify-%d", (int)getpid());
	test_signal();
	test_errors();
	return done_testing();
}
