/*
 * System V message queues: msgget(2), msgsnd(2), msgrcv(2), msgctl(2)
 * (msgop(2), svipc(7)).  Keys and IPC_PRIVATE, IPC_CREAT and IPC_EXCL,
 * permissions as nobody, message order and msgrcv's selection (msgtyp 0,
 * positive, negative, MSG_EXCEPT), E2BIG and MSG_NOERROR, MSG_COPY, a
 * full queue (msg_qbytes bounds bytes and messages; IPC_NOWAIT's EAGAIN,
 * a sender that waits), a receiver that waits, EINTR and EIDRM while
 * waiting, the times and pids of IPC_STAT, IPC_SET (raising msg_qbytes
 * is root's), IPC_INFO, MSG_INFO, MSG_STAT(_ANY) and /proc/sysvipc/msg.
 * Every queue is IPC_PRIVATE or keyed by ftok(3) of this program, and
 * removed before the program ends.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <unistd.h>

#include "conf.h"

#define MAXSZ		8192	/* MSGMAX */
#define MNB		16384	/* MSGMNB: a new queue's msg_qbytes */
#ifndef MSG_STAT_ANY
#define MSG_STAT_ANY	13
#endif
#ifndef MSG_COPY
#define MSG_COPY	040000
#endif

struct mbuf {
	long	mtype;
	char	mtext[MAXSZ + 64];
};

/* The queues made so far, removed at the end or on a bail-out. */
static int made[32];
static int nmade;
static struct mbuf mb;

static void
rm_all(void)
{
	int i;

	for (i = 0; i < nmade; i++)
		(void)msgctl(made[i], IPC_RMID, NULL);
	nmade = 0;
}

static void
keep(int id)
{
	if (nmade < (int)(sizeof(made) / sizeof(made[0])))
		made[nmade++] = id;
}

/* A new IPC_PRIVATE queue of mode; bails out on error. */
static int
newq(int mode)
{
	int id = msgget(IPC_PRIVATE, IPC_CREAT | mode);

	if (id < 0)
		bail_out("msgget(IPC_PRIVATE): %s", tap_errname(errno));
	keep(id);
	return id;
}

static struct msqid_ds
stat_of(int id)
{
	struct msqid_ds ds;

	memset(&ds, 0, sizeof(ds));
	if (msgctl(id, IPC_STAT, &ds) != 0)
		memset(&ds, 0xff, sizeof(ds));
	return ds;
}

/* Send type and the string text (without its NUL); -1 with errno. */
static int
snd(int id, long type, const char *text, int flg)
{
	struct mbuf m;

	m.mtype = type;
	memcpy(m.mtext, text, strlen(text));
	return msgsnd(id, &m, strlen(text), flg);
}

/*
 * Receive into mb (NUL-terminated) with msgtyp and flg, a buffer of len;
 * returns msgrcv's result.
 */
static long
rcv(int id, size_t len, long typ, int flg)
{
	long n;

	memset(&mb, 0, sizeof(mb));
	n = msgrcv(id, &mb, len, typ, flg);
	if (n >= 0)
		mb.mtext[n] = '\0';
	return n;
}

/* Did the receive give type and text? */
static int
got(long n, long type, const char *text)
{
	return n == (long)strlen(text) && mb.mtype == type &&
	    strcmp(mb.mtext, text) == 0;
}

/*
 * Wait (up to 20 s) until process pid sleeps (state S in /proc/PID/stat):
 * a child that said it is about to block has blocked.  0 or -1.
 */
static int
wait_asleep(pid_t pid)
{
	char path[64], buf[256], *p;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (i = 0; i < 2000; i++) {
		if ((f = fopen(path, "r")) == NULL)
			return -1;
		p = fgets(buf, sizeof(buf), f);
		fclose(f);
		if (p != NULL && (p = strrchr(buf, ')')) != NULL &&
		    p[1] == ' ' && p[2] == 'S')
			return 0;
		conf_sleep_ms(10);
	}
	return -1;
}

static void
test_basics(void)
{
	struct msqid_ds ds;
	int id = newq(0600);
	long n;

	ds = stat_of(id);
	ok(ds.msg_perm.mode == 0600 && ds.msg_perm.key == IPC_PRIVATE,
	    "msgctl(2) IPC_STAT: mode is msgflg's permission bits, key "
	    "IPC_PRIVATE");
	ok(ds.msg_perm.uid == geteuid() && ds.msg_perm.cuid == geteuid() &&
	    ds.msg_perm.gid == getegid() && ds.msg_perm.cgid == getegid(),
	    "IPC_STAT: owner and creator are the caller's effective ids");
	is_long(ds.msg_qbytes, MNB, "IPC_STAT: a new queue's msg_qbytes is "
	    "MSGMNB (16384)");
	ok(ds.msg_qnum == 0 && ds.msg_cbytes == 0 && ds.msg_lspid == 0 &&
	    ds.msg_lrpid == 0 && ds.msg_stime == 0 && ds.msg_rtime == 0 &&
	    ds.msg_ctime != 0, "IPC_STAT: a new queue is empty, only "
	    "msg_ctime set");

	is_success(snd(id, 1, "one", 0), "msgsnd(2) type 1");
	is_success(snd(id, 2, "two", 0), "msgsnd(2) type 2");
	is_success(snd(id, 3, "three", 0), "msgsnd(2) type 3");
	is_success(snd(id, 2, "two-b", 0), "msgsnd(2) type 2 again");
	ds = stat_of(id);
	ok(ds.msg_qnum == 4 && ds.msg_cbytes == 16 &&
	    ds.msg_lspid == getpid() && ds.msg_stime != 0 &&
	    ds.msg_lrpid == 0 && ds.msg_rtime == 0, "IPC_STAT: msg_qnum, "
	    "msg_cbytes, msg_lspid and msg_stime after four sends");

	n = rcv(id, 64, 2, 0);
	ok(got(n, 2, "two"), "msgrcv(2) msgtyp 2: the first message of type 2 "
	    "(its length returned)");
	n = rcv(id, 64, 0, 0);
	ok(got(n, 1, "one"), "msgrcv(2) msgtyp 0: the oldest message");
	n = rcv(id, 64, 3, MSG_EXCEPT);
	ok(got(n, 2, "two-b"), "msgrcv(2) MSG_EXCEPT 3: the first message of "
	    "another type");
	ds = stat_of(id);
	ok(ds.msg_qnum == 1 && ds.msg_cbytes == 5 &&
	    ds.msg_lrpid == getpid() && ds.msg_rtime != 0, "IPC_STAT: "
	    "msg_lrpid and msg_rtime after a receive");
	n = rcv(id, 64, 0, 0);
	ok(got(n, 3, "three"), "msgrcv(2): the last message");

	/* msgtyp < 0: the lowest type up to -msgtyp, the first of it. */
	snd(id, 5, "five", 0);
	snd(id, 3, "three-a", 0);
	snd(id, 4, "four", 0);
	snd(id, 3, "three-b", 0);
	n = rcv(id, 64, -4, 0);
	ok(got(n, 3, "three-a"), "msgrcv(2) msgtyp -4: the first message of "
	    "the lowest type");
	n = rcv(id, 64, -4, 0);
	ok(got(n, 3, "three-b"), "msgrcv(2) msgtyp -4 again: the next of "
	    "that type");
	n = rcv(id, 64, -4, 0);
	ok(got(n, 4, "four"), "msgrcv(2) msgtyp -4: then type 4");
	is_errno(rcv(id, 64, -4, IPC_NOWAIT), ENOMSG, "msgrcv(2) msgtyp -4, "
	    "IPC_NOWAIT, only type 5 left: ENOMSG");
	is_errno(rcv(id, 64, 9, IPC_NOWAIT), ENOMSG, "msgrcv(2) of an absent "
	    "type with IPC_NOWAIT is ENOMSG");
	n = rcv(id, 64, -5, 0);
	ok(got(n, 5, "five"), "msgrcv(2) msgtyp -5 takes type 5");

	/* Too long for the buffer. */
	snd(id, 7, "0123456789", 0);
	is_errno(rcv(id, 4, 0, 0), E2BIG, "msgrcv(2): a message longer than "
	    "msgsz is E2BIG");
	is_long(stat_of(id).msg_qnum, 1, "E2BIG leaves the message queued");
	n = rcv(id, 4, 0, MSG_NOERROR);
	ok(got(n, 7, "0123"), "msgrcv(2) MSG_NOERROR truncates it to msgsz");
	is_long(stat_of(id).msg_qnum, 0, "MSG_NOERROR took the message");

	/* Empty messages. */
	is_success(msgsnd(id, &(struct mbuf){ .mtype = 6 }, 0, 0),
	    "msgsnd(2) of 0 bytes");
	n = rcv(id, 64, 0, 0);
	ok(n == 0 && mb.mtype == 6, "msgrcv(2) of it returns 0 and the type");

	/* MSG_COPY: copy message number msgtyp, leave the queue alone. */
	snd(id, 1, "a", 0);
	snd(id, 2, "bb", 0);
	snd(id, 3, "ccc", 0);
	ds = stat_of(id);
	n = rcv(id, 64, 1, MSG_COPY | IPC_NOWAIT);
	ok(got(n, 2, "bb"), "msgrcv(2) MSG_COPY 1: a copy of the second "
	    "message");
	ok(stat_of(id).msg_qnum == 3 &&
	    stat_of(id).msg_rtime == ds.msg_rtime, "MSG_COPY leaves the "
	    "queue and msg_rtime as they were");
	is_errno(rcv(id, 64, 3, MSG_COPY | IPC_NOWAIT), ENOMSG,
	    "msgrcv(2) MSG_COPY past the last message is ENOMSG");
	is_errno(rcv(id, 64, 0, MSG_COPY), EINVAL, "msgrcv(2) MSG_COPY "
	    "without IPC_NOWAIT is EINVAL");
	is_errno(rcv(id, 64, 0, MSG_COPY | MSG_EXCEPT | IPC_NOWAIT), EINVAL,
	    "msgrcv(2) MSG_COPY with MSG_EXCEPT is EINVAL");
	is_errno(rcv(id, 2, 2, MSG_COPY | IPC_NOWAIT), E2BIG, "msgrcv(2) "
	    "MSG_COPY of a message longer than msgsz is E2BIG");
	is_errno(rcv(id, 2, 2, MSG_COPY | IPC_NOWAIT | MSG_NOERROR), EINVAL,
	    "msgrcv(2) MSG_COPY|MSG_NOERROR of a longer message is EINVAL "
	    "(as Linux)");
	is_errno(msgrcv(id, NULL, 64, 0, MSG_COPY | IPC_NOWAIT), EFAULT,
	    "msgrcv(2) MSG_COPY reads the buffer first: NULL is EFAULT");

	/* Another process's receive: msg_lrpid. */
	{
		pid_t pid = conf_fork();

		if (pid == 0)
			_exit(rcv(id, 64, 0, 0) == 1 ? 0 : 1);
		is_exit(conf_wait(pid), 0, "a child receives from the queue");
		is_long(stat_of(id).msg_lrpid, pid, "IPC_STAT: msg_lrpid is "
		    "the child's pid");
	}
}

static void
test_errors(void)
{
	struct msqid_ds ds;
	struct mbuf m;
	char *page;
	long *lp;
	int id = newq(0600), dead;

	m.mtype = 0;
	is_errno(msgsnd(id, &m, 1, 0), EINVAL, "msgsnd(2): mtype 0 is "
	    "EINVAL");
	m.mtype = -3;
	is_errno(msgsnd(id, &m, 1, 0), EINVAL, "msgsnd(2): a negative mtype "
	    "is EINVAL");
	m.mtype = 1;
	is_errno(msgsnd(id, &m, MAXSZ + 1, 0), EINVAL, "msgsnd(2): msgsz "
	    "above MSGMAX (8192) is EINVAL");
	memset(m.mtext, 'x', MAXSZ);
	is_success(msgsnd(id, &m, MAXSZ, 0), "msgsnd(2) of MSGMAX bytes");
	ok(rcv(id, MAXSZ, 0, 0) == MAXSZ && mb.mtext[MAXSZ - 1] == 'x',
	    "msgrcv(2) of MSGMAX bytes");
	is_errno(msgsnd(-1, &m, 1, 0), EINVAL, "msgsnd(2): a negative id is "
	    "EINVAL");
	is_errno(msgsnd(id, NULL, 1, 0), EFAULT, "msgsnd(2): a NULL msgp is "
	    "EFAULT");
	page = conf_page_before_hole();
	lp = (long *)(page + CONF_PAGE - sizeof(long));
	*lp = 1;
	is_errno(msgsnd(id, lp, 8, 0), EFAULT, "msgsnd(2): text running off "
	    "the mapping is EFAULT");
	is_success(msgsnd(id, lp, 0, 0), "msgsnd(2) of 0 bytes with mtype "
	    "at the end of the mapping");
	is_errno(msgrcv(-1, &mb, 64, 0, IPC_NOWAIT), EINVAL, "msgrcv(2): a "
	    "negative id is EINVAL");
	is_errno(msgrcv(id, &mb, (size_t)-1, 0, IPC_NOWAIT), EINVAL,
	    "msgrcv(2): a negative msgsz is EINVAL");
	is_errno(msgrcv(id, NULL, 64, 0, IPC_NOWAIT), EFAULT, "msgrcv(2) into "
	    "a NULL buffer is EFAULT");
	is_long(stat_of(id).msg_qnum, 0, "the message whose copy-out failed "
	    "is lost, as on Linux");

	is_errno(msgctl(-1, IPC_STAT, &ds), EINVAL, "msgctl(2): a negative id "
	    "is EINVAL");
	is_errno(msgctl(id, 12345, &ds), EINVAL, "msgctl(2): an unknown "
	    "command is EINVAL");
	is_errno(msgctl(id, IPC_STAT | 0x100, &ds), EINVAL, "msgctl(2): "
	    "IPC_64 is no flag on x86_64 (EINVAL)");
	is_errno(msgctl(id, IPC_STAT, NULL), EFAULT, "msgctl(2) IPC_STAT to "
	    "a NULL buffer is EFAULT");
	is_errno(msgctl(id, IPC_SET, NULL), EFAULT, "msgctl(2) IPC_SET from "
	    "a NULL buffer is EFAULT");
	ds = stat_of(id);
	ds.msg_perm.uid = (uid_t)-1;
	is_errno(msgctl(id, IPC_SET, &ds), EINVAL, "msgctl(2) IPC_SET of uid "
	    "-1 is EINVAL");
	ds = stat_of(id);
	ds.msg_perm.gid = (gid_t)-1;
	is_errno(msgctl(id, IPC_SET, &ds), EINVAL, "msgctl(2) IPC_SET of gid "
	    "-1 is EINVAL");

	dead = msgget(IPC_PRIVATE, 0600);
	is_success(msgctl(dead, IPC_RMID, NULL), "msgctl(2) IPC_RMID");
	is_errno(msgsnd(dead, &m, 1, 0), EINVAL, "msgsnd(2) to a removed id "
	    "is EINVAL");
	is_errno(msgrcv(dead, &mb, 64, 0, IPC_NOWAIT), EINVAL, "msgrcv(2) "
	    "from a removed id is EINVAL");
	is_errno(msgctl(dead, IPC_STAT, &ds), EINVAL, "msgctl(2) IPC_STAT of "
	    "a removed id is EINVAL");
	is_errno(msgctl(dead, IPC_RMID, NULL), EINVAL, "msgctl(2) IPC_RMID of "
	    "a removed id is EINVAL");
}

static void
test_full(void)
{
	struct msqid_ds ds;
	struct mbuf m;
	int id = newq(0600), i, st, fails = 0;
	volatile int *flag;
	pid_t pid;

	m.mtype = 1;
	memset(m.mtext, 'f', MAXSZ);
	is_success(msgsnd(id, &m, MAXSZ, IPC_NOWAIT), "msgsnd(2) 8192 bytes");
	is_success(msgsnd(id, &m, MAXSZ, IPC_NOWAIT), "msgsnd(2) 8192 more: "
	    "the queue holds msg_qbytes");
	is_errno(msgsnd(id, &m, 1, IPC_NOWAIT), EAGAIN, "msgsnd(2) of one "
	    "more byte to a full queue, IPC_NOWAIT, is EAGAIN");
	is_success(msgsnd(id, &m, 0, IPC_NOWAIT), "msgsnd(2) of 0 bytes still "
	    "fits a queue full of bytes");

	/* A sender waits for room. */
	flag = conf_shared(CONF_PAGE);
	pid = conf_fork();
	if (pid == 0) {
		flag[0] = 1;
		_exit(msgsnd(id, &m, 100, 0) == 0 ? 0 : 1);
	}
	ok(conf_wait_flag(flag, 1, 5, 20000) == 0 && wait_asleep(pid) == 0,
	    "a child blocks in msgsnd(2) on the full queue");
	is_long(stat_of(id).msg_qnum, 3, "its message is not in the queue");
	ok(rcv(id, MAXSZ, 0, 0) == MAXSZ, "a receive makes room");
	is_exit(conf_wait(pid), 0, "the waiting msgsnd(2) then succeeds");
	ds = stat_of(id);
	ok(ds.msg_qnum == 3 && ds.msg_cbytes == MAXSZ + 100 &&
	    ds.msg_lspid == pid, "its message is queued, msg_lspid is the "
	    "child's");
	while (rcv(id, MAXSZ, 0, IPC_NOWAIT) >= 0)
		continue;

	/* msg_qbytes bounds the number of messages too. */
	ds = stat_of(id);
	ds.msg_qbytes = 3;
	is_success(msgctl(id, IPC_SET, &ds), "msgctl(2) IPC_SET msg_qbytes 3");
	is_long(stat_of(id).msg_qbytes, 3, "IPC_STAT shows the new "
	    "msg_qbytes");
	for (i = 0; i < 3; i++)
		fails += msgsnd(id, &m, 0, IPC_NOWAIT) != 0;
	is_long(fails, 0, "three empty messages fit msg_qbytes 3");
	is_errno(msgsnd(id, &m, 0, IPC_NOWAIT), EAGAIN, "a fourth is EAGAIN: "
	    "msg_qbytes bounds the messages too");

	/* Raising msg_qbytes above MSGMNB: root's (CAP_SYS_RESOURCE). */
	ds.msg_qbytes = MNB * 4;
	if (conf_has_cap(CONF_CAP_SYS_RESOURCE)) {
		is_success(msgctl(id, IPC_SET, &ds), "with CAP_SYS_RESOURCE, "
		    "IPC_SET raises msg_qbytes above MSGMNB");
		is_long(stat_of(id).msg_qbytes, MNB * 4, "msg_qbytes is "
		    "65536");
	} else {
		is_errno(msgctl(id, IPC_SET, &ds), EPERM, "without "
		    "CAP_SYS_RESOURCE, IPC_SET of msg_qbytes above MSGMNB is "
		    "EPERM");
		is_long(stat_of(id).msg_qbytes, 3, "msg_qbytes is unchanged");
	}
	pid = conf_fork();
	if (pid == 0) {
		int q;

		conf_drop_privileges();
		if ((q = msgget(IPC_PRIVATE, 0600)) < 0)
			_exit(10);
		ds = stat_of(q);
		ds.msg_qbytes = MNB + 1;
		st = msgctl(q, IPC_SET, &ds) == -1 && errno == EPERM ? 0 : 1;
		ds.msg_qbytes = 100;
		if (st == 0 && msgctl(q, IPC_SET, &ds) != 0)
			st = 2;
		ds.msg_qbytes = MNB;
		if (st == 0 && msgctl(q, IPC_SET, &ds) != 0)
			st = 3;
		msgctl(q, IPC_RMID, NULL);
		_exit(st);
	}
	is_exit(conf_wait(pid), 0, "as nobody, the owner: IPC_SET msg_qbytes "
	    "above MSGMNB is EPERM, lowering and raising it back works");
	munmap((void *)flag, CONF_PAGE);
}

static void
on_alarm(int sig)
{
	(void)sig;
}

/* What a waiting child does; its exit code says what it got. */
enum { W_RECV, W_SEND, W_RECV_INTR, W_SEND_INTR };

static int
waiter(int id, int what, volatile int *flag)
{
	struct mbuf m;
	long n;

	if ((what == W_RECV_INTR || what == W_SEND_INTR) &&
	    conf_alarm(on_alarm, 1, 100, 100) < 0)
		return 20;
	flag[0] = 1;
	m.mtype = 1;
	if (what == W_SEND || what == W_SEND_INTR)
		n = msgsnd(id, &m, MAXSZ, 0);
	else
		n = msgrcv(id, &m, MAXSZ, 2, 0);
	if (n >= 0)
		return n == 4 && m.mtype == 2 &&
		    memcmp(m.mtext, "want", 4) == 0 ? 0 : 21;
	if (errno == EINTR)
		return 1;
	if (errno == EIDRM)
		return 2;
	return 22;
}

static pid_t
start_waiter(int id, int what, volatile int *flag)
{
	pid_t pid;

	flag[0] = 0;
	if ((pid = conf_fork()) == 0)
		_exit(waiter(id, what, flag));
	return pid;
}

/* A queue with msg_qbytes MAXSZ, full. */
static int
fullq(void)
{
	struct mbuf m;
	int id = newq(0600);

	m.mtype = 1;
	memset(m.mtext, 'f', MAXSZ);
	if (msgsnd(id, &m, MAXSZ, IPC_NOWAIT) != 0 ||
	    msgsnd(id, &m, MAXSZ, IPC_NOWAIT) != 0)
		bail_out("msgsnd: %s", tap_errname(errno));
	return id;
}

static void
test_wait(void)
{
	volatile int *flag = conf_shared(CONF_PAGE);
	int id = newq(0600);
	pid_t pid;

	/* A receiver waits for its type; another type does not wake it. */
	pid = start_waiter(id, W_RECV, flag);
	ok(conf_wait_flag(flag, 1, 5, 20000) == 0 && wait_asleep(pid) == 0,
	    "a child blocks in msgrcv(2) msgtyp 2 on an empty queue");
	snd(id, 1, "other", 0);
	ok(wait_asleep(pid) == 0 && stat_of(id).msg_qnum == 1, "a message of "
	    "type 1 leaves it waiting");
	snd(id, 2, "want", 0);
	is_exit(conf_wait(pid), 0, "a message of type 2 ends its wait, and it "
	    "gets it");
	ok(rcv(id, 64, 0, IPC_NOWAIT) == 5 && mb.mtype == 1, "the type 1 "
	    "message is still queued");

	/* EINTR, even under SA_RESTART (signal(7)). */
	pid = start_waiter(id, W_RECV_INTR, flag);
	is_exit(conf_wait(pid), 1, "a signal with an SA_RESTART handler ends "
	    "a waiting msgrcv(2) with EINTR");
	id = fullq();
	pid = start_waiter(id, W_SEND_INTR, flag);
	is_exit(conf_wait(pid), 1, "a signal with an SA_RESTART handler ends "
	    "a waiting msgsnd(2) with EINTR");

	/* EIDRM: the queue removed under a waiter. */
	pid = start_waiter(id, W_SEND, flag);
	ok(conf_wait_flag(flag, 1, 5, 20000) == 0 && wait_asleep(pid) == 0,
	    "a child blocks in msgsnd(2) on a full queue");
	is_success(msgctl(id, IPC_RMID, NULL), "IPC_RMID of the queue");
	is_exit(conf_wait(pid), 2, "the waiting msgsnd(2) fails with EIDRM");
	id = newq(0600);
	pid = start_waiter(id, W_RECV, flag);
	ok(conf_wait_flag(flag, 1, 5, 20000) == 0 && wait_asleep(pid) == 0,
	    "a child blocks in msgrcv(2) on an empty queue");
	is_success(msgctl(id, IPC_RMID, NULL), "IPC_RMID of the queue");
	is_exit(conf_wait(pid), 2, "the waiting msgrcv(2) fails with EIDRM");
	munmap((void *)flag, CONF_PAGE);
}

static void
test_keys(const char *self)
{
	key_t key = ftok(self, 'M');
	int id, id2;

	if (key == -1)
		bail_out("ftok(%s): %s", self, tap_errname(errno));
	/* A queue an earlier, broken run left behind. */
	if ((id = msgget(key, 0)) >= 0)
		(void)msgctl(id, IPC_RMID, NULL);

	is_errno(msgget(key, 0600), ENOENT, "msgget(2): a key with no queue, "
	    "without IPC_CREAT, is ENOENT");
	id = msgget(key, IPC_CREAT | IPC_EXCL | 0640);
	if (!ok(id >= 0, "msgget(2) IPC_CREAT|IPC_EXCL makes a queue"))
		bail_out("msgget: %s", tap_errname(errno));
	keep(id);
	is_long(stat_of(id).msg_perm.key, key, "IPC_STAT: the key");
	is_long(msgget(key, IPC_CREAT | 0600), id, "msgget(2) IPC_CREAT of an "
	    "existing key finds it");
	is_long(msgget(key, 0), id, "msgget(2) without flags finds it");
	is_errno(msgget(key, IPC_CREAT | IPC_EXCL | 0600), EEXIST,
	    "msgget(2) IPC_CREAT|IPC_EXCL of an existing key is EEXIST");
	id2 = msgget(IPC_PRIVATE, 0600);
	ok(id2 >= 0 && id2 != id, "msgget(2) IPC_PRIVATE always makes a new "
	    "queue");
	keep(id2);
	is_success(msgctl(id, IPC_RMID, NULL), "msgctl(2) IPC_RMID of the "
	    "keyed queue");
	is_errno(msgget(key, 0), ENOENT, "msgget(2): the key of a removed "
	    "queue is ENOENT");
	id2 = msgget(key, IPC_CREAT | 0600);
	ok(id2 >= 0 && id2 != id, "msgget(2): the key makes a new queue, with "
	    "a new id");
	keep(id2);
}

/* What a child running as nobody saw, one slot per call. */
enum { P_GET0, P_GET600, P_SND, P_RCV, P_STAT, P_SET, P_RMID,
	P_MSTAT, P_MSTATANY, P_NSLOTS };

/* As nobody: the permission bits and the owner's rights. */
static void
test_perms(const char *self)
{
	key_t key = ftok(self, 'P');
	volatile int *r = conf_shared(CONF_PAGE);
	struct msqid_ds ds;
	int id, id2, st;
	pid_t pid;

	if ((id = msgget(key, 0)) >= 0)
		(void)msgctl(id, IPC_RMID, NULL);
	id = msgget(key, IPC_CREAT | IPC_EXCL | 0644);
	if (id < 0)
		bail_out("msgget: %s", tap_errname(errno));
	keep(id);
	snd(id, 1, "hi", 0);
	pid = conf_fork();
	if (pid == 0) {
		conf_drop_privileges();
		r[P_GET0] = msgget(key, 0) == id ? 0 : errno;
		r[P_GET600] = msgget(key, 0600) == id ? 0 : errno;
		r[P_SND] = snd(id, 1, "x", IPC_NOWAIT) == 0 ? 0 : errno;
		r[P_RCV] = rcv(id, 64, 0, IPC_NOWAIT) == 2 ? 0 : errno;
		r[P_STAT] = msgctl(id, IPC_STAT, &ds) == 0 ? 0 : errno;
		r[P_SET] = msgctl(id, IPC_SET, &ds) == 0 ? 0 : errno;
		r[P_RMID] = msgctl(id, IPC_RMID, NULL) == 0 ? 0 : errno;
		_exit(0);
	}
	st = conf_wait(pid);
	is_exit(st, 0, "a child as nobody tries a root-owned queue of mode "
	    "0644");
	is_long(r[P_GET0], 0, "msgget(2) as nobody, asking no permission: "
	    "found");
	is_long(r[P_GET600], EACCES, "msgget(2) as nobody asking 0600 of a "
	    "0644 queue is EACCES");
	is_long(r[P_SND], EACCES, "msgsnd(2) as nobody without write "
	    "permission is EACCES");
	is_long(r[P_RCV], 0, "msgrcv(2) as nobody with read permission "
	    "receives");
	is_long(r[P_STAT], 0, "msgctl(2) IPC_STAT as nobody, mode 0644: "
	    "allowed");
	is_long(r[P_SET], EPERM, "msgctl(2) IPC_SET as nobody, not the owner, "
	    "is EPERM");
	is_long(r[P_RMID], EPERM, "msgctl(2) IPC_RMID as nobody, not the "
	    "owner, is EPERM");

	id2 = newq(0600);
	snd(id2, 1, "hi", 0);
	memset((void *)r, 0, CONF_PAGE);
	pid = conf_fork();
	if (pid == 0) {
		int i, max = msgctl(0, IPC_INFO, (struct msqid_ds *)&ds);

		conf_drop_privileges();
		r[P_RCV] = rcv(id2, 64, 0, IPC_NOWAIT) >= 0 ? 0 : errno;
		r[P_STAT] = msgctl(id2, IPC_STAT, &ds) == 0 ? 0 : errno;
		r[P_MSTAT] = r[P_MSTATANY] = -1;
		for (i = 0; i <= max; i++) {
			if (msgctl(i, MSG_STAT_ANY, &ds) != id2)
				continue;
			r[P_MSTATANY] = 0;
			r[P_MSTAT] = msgctl(i, MSG_STAT, &ds) == id2 ? 0 :
			    errno;
		}
		_exit(0);
	}
	st = conf_wait(pid);
	is_exit(st, 0, "a child as nobody tries a root-owned queue of mode "
	    "0600");
	is_long(r[P_RCV], EACCES, "msgrcv(2) as nobody, mode 0600, is "
	    "EACCES");
	is_long(r[P_STAT], EACCES, "msgctl(2) IPC_STAT as nobody, mode 0600, "
	    "is EACCES");
	is_long(r[P_MSTAT], EACCES, "msgctl(2) MSG_STAT as nobody, mode 0600, "
	    "is EACCES");
	is_long(r[P_MSTATANY], 0, "msgctl(2) MSG_STAT_ANY as nobody finds "
	    "it");
	munmap((void *)r, CONF_PAGE);

	/* Root is not bound by the permission bits. */
	ds = stat_of(id2);
	ds.msg_perm.mode = 0;
	is_success(msgctl(id2, IPC_SET, &ds), "IPC_SET mode 0");
	ok(snd(id2, 1, "r", IPC_NOWAIT) == 0 &&
	    rcv(id2, 64, 0, IPC_NOWAIT) == 2, "root sends to and receives "
	    "from a mode 0 queue");
}

/*
 * The line of /proc/sysvipc/msg for id: its key, mode, bytes, messages
 * and last sender; 0 when found, -1 when not.
 */
static int
proc_line(int id, long *key, long *mode, long *cbytes, long *qnum,
    long *lspid)
{
	char line[512];
	unsigned int m;

	if (conf_sysvipc_line("msg", "       key      msqid perms      cbytes"
	    "       qnum lspid lrpid   uid   gid  cuid  cgid      stime      "
	    "rtime      ctime\n", id, line, sizeof(line)) < 0 ||
	    sscanf(line, "%ld %*d %o %ld %ld %ld", key, &m, cbytes, qnum,
	    lspid) != 5)
		return -1;
	*mode = m;
	return 0;
}

static void
test_info(void)
{
	struct msginfo mi;
	struct msqid_ds ds;
	long key, mode, cbytes, qnum, lspid;
	int id = newq(0640), max, i, found = 0;

	snd(id, 4, "info", 0);
	snd(id, 4, "more", 0);
	memset(&mi, 0, sizeof(mi));
	max = msgctl(0, IPC_INFO, (struct msqid_ds *)&mi);
	ok(max >= 0 && mi.msgmax == MAXSZ && mi.msgmnb == MNB &&
	    mi.msgmni > 0 && mi.msgssz == 16, "msgctl(2) IPC_INFO: the limits "
	    "(msgmax 8192, msgmnb 16384)");
	memset(&mi, 0, sizeof(mi));
	i = msgctl(0, MSG_INFO, (struct msqid_ds *)&mi);
	ok(i == max && mi.msgpool >= 1 && mi.msgmap >= 2 && mi.msgtql >= 8,
	    "msgctl(2) MSG_INFO: queues, messages and bytes in use");
	is_errno(msgctl(0, IPC_INFO, NULL), EFAULT, "msgctl(2) IPC_INFO to a "
	    "NULL buffer is EFAULT");
	for (i = 0; i <= max && !found; i++)
		if (msgctl(i, MSG_STAT_ANY, &ds) == id)
			found = ds.msg_qnum == 2 && ds.msg_cbytes == 8;
	ok(found, "msgctl(2) MSG_STAT_ANY by index finds the queue, returning "
	    "its id");
	found = 0;
	for (i = 0; i <= max && !found; i++)
		if (msgctl(i, MSG_STAT, &ds) == id)
			found = 1;
	ok(found, "msgctl(2) MSG_STAT by index too");
	is_long(msgctl(id % 32768 + 5 * 32768, MSG_STAT, &ds), id,
	    "msgctl(2) MSG_STAT ignores an index's sequence bits (IPCMNI "
	    "32768)");
	is_errno(msgctl(max + 1, MSG_STAT, &ds), EINVAL, "msgctl(2) MSG_STAT "
	    "of an unused index is EINVAL");
	ok(proc_line(id, &key, &mode, &cbytes, &qnum, &lspid) == 0 &&
	    key == 0 && mode == 0640 && cbytes == 8 && qnum == 2 &&
	    lspid == getpid(), "/proc/sysvipc/msg: Linux's header, and the "
	    "queue's key, mode, bytes, messages and last sender");
	msgctl(id, IPC_RMID, NULL);
	ok(proc_line(id, &key, &mode, &cbytes, &qnum, &lspid) < 0,
	    "/proc/sysvipc/msg: a removed queue is gone");
}

int
main(int argc, char **argv)
{
	char self[256];

	(void)argc;
	conf_init(argv);
	conf_path(self, sizeof(self), "sysv_msg");
	atexit(rm_all);
	test_basics();
	test_errors();
	test_full();
	test_wait();
	test_keys(self);
	test_perms(self);
	test_info();
	rm_all();
	return done_testing();
}
