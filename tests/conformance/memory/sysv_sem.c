/*
 * System V semaphores: semget(2), semop(2), semtimedop(2), semctl(2)
 * (svipc(7)).  Keys and IPC_PRIVATE, IPC_CREAT and IPC_EXCL, nsems
 * limits, permissions as nobody, several operations applied atomically,
 * IPC_NOWAIT, waiting (semncnt, semzcnt) until a change lets the call
 * proceed, EINTR (not restarted, even with SA_RESTART), the semtimedop
 * timeout, EIDRM, EFBIG, ERANGE, E2BIG, SEM_UNDO at exit (not inherited
 * by fork, shared by CLONE_SYSVSEM and threads, reset by SETVAL,
 * clamped), every semctl command, sem_otime and sem_ctime, and
 * /proc/sysvipc/sem.  Every set is IPC_PRIVATE or keyed by ftok(3) of
 * this program, and removed before the program ends.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <unistd.h>

#include "conf.h"

#ifndef SEM_STAT_ANY
#define SEM_STAT_ANY	20
#endif
#define SEMVMX_		32767
#define SEMOPM_		500

union semun_ {
	int		 val;
	struct semid_ds	*buf;
	unsigned short	*array;
	struct seminfo	*info;
};

/* The sets made so far, removed at the end or on a bail-out. */
static int made[32];
static int nmade;

static void
rm_all(void)
{
	int i;

	for (i = 0; i < nmade; i++)
		(void)semctl(made[i], 0, IPC_RMID);
	nmade = 0;
}

static void
track(int id)
{
	if (nmade < (int)(sizeof(made) / sizeof(made[0])))
		made[nmade++] = id;
}

/* A new IPC_PRIVATE set of nsems and mode; bails out on error. */
static int
newset(int nsems, int mode)
{
	int id = semget(IPC_PRIVATE, nsems, IPC_CREAT | mode);

	if (id < 0)
		bail_out("semget(IPC_PRIVATE): %s", tap_errname(errno));
	track(id);
	return id;
}

static int
getval(int id, int num)
{
	return semctl(id, num, GETVAL);
}

static int
setval(int id, int num, int val)
{
	union semun_ a = { .val = val };

	return semctl(id, num, SETVAL, a);
}

static int
op1(int id, int num, int op, int flg)
{
	struct sembuf sb = { (unsigned short)num, (short)op, (short)flg };

	return semop(id, &sb, 1);
}

static struct semid_ds
stat_of(int id)
{
	struct semid_ds ds;
	union semun_ a = { .buf = &ds };

	memset(&ds, 0, sizeof(ds));
	if (semctl(id, 0, IPC_STAT, a) != 0)
		memset(&ds, 0xff, sizeof(ds));
	return ds;
}

/*
 * Wait (polling, up to a minute) until cmd (GETNCNT or GETZCNT) of
 * semaphore num is n: how a case knows its child is asleep in semop.
 * Returns 0, or -1 if it never got there.
 */
static int
wait_count(int id, int num, int cmd, int n)
{
	int i;

	for (i = 0; i < 12000; i++) {
		if (semctl(id, num, cmd) == n)
			return 0;
		conf_sleep_ms(5);
	}
	return -1;
}

/* The line of /proc/sysvipc/sem for id: key, mode, nsems; 0 or -1. */
static int
proc_line(int id, long *key, long *mode, long *nsems)
{
	char line[512];
	unsigned int m;

	if (conf_sysvipc_line("sem", "       key      semid perms      nsems"
	    "   uid   gid  cuid  cgid      otime      ctime\n", id, line,
	    sizeof(line)) < 0 ||
	    sscanf(line, "%ld %*d %o %ld", key, &m, nsems) != 3)
		return -1;
	*mode = m;
	return 0;
}

static void
test_basics(void)
{
	unsigned short vals[3] = { 7, 0, 32767 }, got[3] = { 1, 1, 1 };
	union semun_ a;
	struct semid_ds ds;
	struct sembuf two[2];
	long key = -1, mode = -1, nsems = -1;
	int id;

	id = newset(3, 0600);
	ds = stat_of(id);
	ok(ds.sem_nsems == 3 && ds.sem_perm.mode == 0600 &&
	    ds.sem_perm.__key == IPC_PRIVATE, "semctl(2) IPC_STAT: sem_nsems, "
	    "the mode and the key IPC_PRIVATE");
	ok(ds.sem_perm.uid == geteuid() && ds.sem_perm.cuid == geteuid() &&
	    ds.sem_perm.gid == getegid() && ds.sem_perm.cgid == getegid(),
	    "IPC_STAT: owner and creator are the caller's effective ids");
	ok(ds.sem_otime == 0 && ds.sem_ctime != 0, "IPC_STAT: sem_otime 0 "
	    "before any semop, sem_ctime set");
	ok(getval(id, 0) == 0 && getval(id, 2) == 0 &&
	    semctl(id, 1, GETPID) == 0, "a new set's values are 0, sempid 0");
	ok(proc_line(id, &key, &mode, &nsems) == 0 && key == 0 &&
	    mode == 0600 && nsems == 3, "/proc/sysvipc/sem lists the set: "
	    "key, perms, nsems");

	is_success(setval(id, 1, 5), "semctl(2) SETVAL");
	is_long(getval(id, 1), 5, "GETVAL reads it back");
	is_long(semctl(id, 1, GETPID), getpid(), "SETVAL sets sempid");
	ds = stat_of(id);
	ok(ds.sem_otime == 0, "SETVAL does not set sem_otime");
	a.array = vals;
	is_success(semctl(id, 0, SETALL, a), "semctl(2) SETALL");
	a.array = got;
	is_success(semctl(id, 0, GETALL, a), "semctl(2) GETALL");
	ok(got[0] == 7 && got[1] == 0 && got[2] == 32767, "GETALL reads "
	    "the values SETALL wrote");

	is_success(op1(id, 0, -2, 0), "semop(2) -2 of 7");
	is_long(getval(id, 0), 5, "the value is 5");
	ds = stat_of(id);
	ok(ds.sem_otime != 0, "semop(2) sets sem_otime");
	is_long(semctl(id, 0, GETPID), getpid(), "semop(2) sets sempid");

	/* Atomic: the second operation cannot proceed, so neither is done. */
	two[0] = (struct sembuf){ 0, -1, 0 };
	two[1] = (struct sembuf){ 1, -1, IPC_NOWAIT };
	is_errno(semop(id, two, 2), EAGAIN, "semop(2) of two operations, "
	    "the second with IPC_NOWAIT unable to proceed: EAGAIN");
	is_long(getval(id, 0), 5, "... and the first was not applied");
	two[1] = (struct sembuf){ 2, -32767, IPC_NOWAIT };
	is_success(semop(id, two, 2), "semop(2) of two operations that can "
	    "both proceed");
	ok(getval(id, 0) == 4 && getval(id, 2) == 0, "both were applied");
	two[0] = (struct sembuf){ 2, 0, IPC_NOWAIT };
	two[1] = (struct sembuf){ 2, 1, 0 };
	is_success(semop(id, two, 2), "semop(2): wait-for-zero then +1 on "
	    "the same semaphore, in order");
	is_long(getval(id, 2), 1, "the value is 1");
	is_errno(op1(id, 2, 0, IPC_NOWAIT), EAGAIN, "semop(2) wait-for-zero "
	    "of a non-zero value with IPC_NOWAIT is EAGAIN");
	is_errno(op1(id, 2, -2, IPC_NOWAIT), EAGAIN, "semop(2) taking more "
	    "than there is with IPC_NOWAIT is EAGAIN");
}

static void
test_errors(void)
{
	struct sembuf *many;
	struct timespec ts;
	union semun_ a;
	unsigned short vals[2] = { 1, 32768 };
	int id, i;

	is_errno(semget(IPC_PRIVATE, 0, 0600), EINVAL, "semget(2) "
	    "IPC_PRIVATE with nsems 0 is EINVAL");
	is_errno(semget(IPC_PRIVATE, -1, 0600), EINVAL, "semget(2) with "
	    "nsems -1 is EINVAL");
	is_errno(semget(IPC_PRIVATE, 32001, 0600), EINVAL, "semget(2) with "
	    "nsems above SEMMSL (32000) is EINVAL");
	id = newset(2, 0600);
	is_errno(op1(id, 2, 1, 0), EFBIG, "semop(2) with sem_num out of "
	    "range is EFBIG");
	is_errno(semop(id, &(struct sembuf){ 0, 0, 0 }, 0), EINVAL,
	    "semop(2) of no operations is EINVAL");
	is_errno(op1(-1, 0, 1, 0), EINVAL, "semop(2) of id -1 is EINVAL");
	is_errno(op1(id + 1, 0, 1, 0), EINVAL, "semop(2) of an id no set "
	    "has is EINVAL");
	many = calloc(SEMOPM_ + 1, sizeof(*many));
	if (many == NULL)
		bail_out("calloc");
	for (i = 0; i <= SEMOPM_; i++)
		many[i] = (struct sembuf){ 0, 0, IPC_NOWAIT };
	is_errno(semop(id, many, SEMOPM_ + 1), E2BIG, "semop(2) of more "
	    "than SEMOPM (500) operations is E2BIG");
	is_success(semop(id, many, SEMOPM_), "semop(2) of SEMOPM operations");
	free(many);
	is_errno(semop(id, (struct sembuf *)conf_page_before_hole() +
	    CONF_PAGE / sizeof(struct sembuf), 1), EFAULT, "semop(2) with "
	    "sops past the end of memory is EFAULT");

	is_success(setval(id, 0, SEMVMX_), "SETVAL SEMVMX (32767)");
	is_errno(op1(id, 0, 1, 0), ERANGE, "semop(2) above SEMVMX is ERANGE");
	is_errno(setval(id, 0, SEMVMX_ + 1), ERANGE, "semctl(2) SETVAL above "
	    "SEMVMX is ERANGE");
	is_errno(setval(id, 0, -1), ERANGE, "SETVAL -1 is ERANGE");
	a.array = vals;
	is_errno(semctl(id, 0, SETALL, a), ERANGE, "SETALL with a value "
	    "above SEMVMX is ERANGE");
	is_long(getval(id, 0), SEMVMX_, "... and set nothing");
	is_errno(getval(id, 2), EINVAL, "GETVAL of semnum out of range is "
	    "EINVAL");
	is_errno(getval(id, -1), EINVAL, "GETVAL of semnum -1 is EINVAL");
	is_errno(setval(id, 2, 1), EINVAL, "SETVAL of semnum out of range "
	    "is EINVAL");
	is_errno(semctl(id, 0, 1234), EINVAL, "semctl(2) of an unknown "
	    "command is EINVAL");
	is_errno(semctl(id + 1, 0, GETVAL), EINVAL, "semctl(2) of an id no "
	    "set has is EINVAL");
	a.array = (unsigned short *)conf_page_before_hole() + CONF_PAGE / 2;
	is_errno(semctl(id, 0, GETALL, a), EFAULT, "semctl(2) GETALL into a "
	    "bad address is EFAULT");

	/* An adjustment out of [-SEMAEM - 1, SEMAEM]: ERANGE. */
	is_success(setval(id, 1, 0), "SETVAL 0");
	is_success(op1(id, 1, SEMVMX_, SEM_UNDO), "semop(2) +32767 with "
	    "SEM_UNDO (adjustment -32767)");
	is_success(op1(id, 1, -SEMVMX_, 0), "semop(2) -32767 without it");
	is_errno(op1(id, 1, 2, SEM_UNDO), ERANGE, "semop(2) +2 with SEM_UNDO "
	    "taking the adjustment below -(SEMAEM + 1) is ERANGE");
	is_long(getval(id, 1), 0, "... and was not applied");
	is_success(setval(id, 1, 0), "SETVAL resets the adjustment");

	ts.tv_sec = 0;
	ts.tv_nsec = 1000000000;
	is_errno(semtimedop(id, &(struct sembuf){ 1, -1, 0 }, 1, &ts), EINVAL,
	    "semtimedop(2) with tv_nsec 1e9 is EINVAL");
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	is_errno(semtimedop(id, &(struct sembuf){ 1, -1, 0 }, 1, &ts), EINVAL,
	    "semtimedop(2) with a negative tv_sec is EINVAL");
	ts.tv_sec = 0;
	ts.tv_nsec = 20 * CONF_MS;
	is_errno(semtimedop(id, &(struct sembuf){ 1, -1, 0 }, 1, &ts), EAGAIN,
	    "semtimedop(2): the timeout passes, EAGAIN");
	ts.tv_nsec = 0;
	is_errno(semtimedop(id, &(struct sembuf){ 1, -1, 0 }, 1, &ts), EAGAIN,
	    "semtimedop(2) with a zero timeout that must wait: EAGAIN");
	is_long(semctl(id, 1, GETNCNT), 0, "semncnt is 0 again");
	ts.tv_sec = 60;
	is_errno(semtimedop(id, &(struct sembuf){ 2, 1, 0 }, 1, &ts), EFBIG,
	    "semtimedop(2) with sem_num out of range is EFBIG");
	is_errno(semtimedop(id, &(struct sembuf){ 0, 1, 0 }, 1, &ts), ERANGE,
	    "semtimedop(2) above SEMVMX is ERANGE");
	is_errno(semtimedop(id, (struct sembuf *)conf_page_before_hole() +
	    CONF_PAGE / sizeof(struct sembuf), 1, &ts), EFAULT,
	    "semtimedop(2) with sops past the end of memory is EFAULT");
	is_errno(semtimedop(id, &(struct sembuf){ 1, 1, 0 }, 1,
	    (struct timespec *)(conf_page_before_hole() + CONF_PAGE - 8)),
	    EFAULT, "semtimedop(2) with a timeout past the end of memory is "
	    "EFAULT");
	is_success(semtimedop(id, &(struct sembuf){ 1, 1, 0 }, 1, &ts),
	    "semtimedop(2) of an operation that can proceed");
	is_long(getval(id, 1), 1, "it was applied");
	is_success(semtimedop(id, &(struct sembuf){ 1, -1, 0 }, 1, NULL),
	    "semtimedop(2) with no timeout is semop(2)");
}

static void
test_keys(const char *self)
{
	key_t key = ftok(self, 'M');
	struct semid_ds ds;
	int id, id2;

	if (key == -1)
		bail_out("ftok(%s): %s", self, tap_errname(errno));
	if ((id = semget(key, 0, 0)) >= 0)
		(void)semctl(id, 0, IPC_RMID);
	is_errno(semget(key, 1, 0600), ENOENT, "semget(2) of an unused key "
	    "without IPC_CREAT is ENOENT");
	id = semget(key, 4, IPC_CREAT | IPC_EXCL | 0640);
	if (!ok(id >= 0, "semget(2) IPC_CREAT|IPC_EXCL makes a set"))
		bail_out("semget: %s", tap_errname(errno));
	track(id);
	is_long(semget(key, 4, 0), id, "semget(2) of the key finds it");
	is_long(semget(key, 0, IPC_CREAT), id, "semget(2) IPC_CREAT of the "
	    "key, nsems 0, finds it");
	is_errno(semget(key, 5, 0), EINVAL, "semget(2) asking more "
	    "semaphores than the set has is EINVAL");
	is_errno(semget(key, 4, IPC_CREAT | IPC_EXCL | 0600), EEXIST,
	    "semget(2) IPC_CREAT|IPC_EXCL of a used key is EEXIST");
	ds = stat_of(id);
	is_long(ds.sem_perm.__key, key, "IPC_STAT: the key");
	ds.sem_perm.mode = 0604;
	is_success(semctl(id, 0, IPC_SET, (union semun_){ .buf = &ds }),
	    "semctl(2) IPC_SET");
	ds = stat_of(id);
	is_long(ds.sem_perm.mode, 0604, "IPC_SET changed the mode");
	is_success(semctl(id, 0, IPC_RMID), "semctl(2) IPC_RMID");
	is_errno(getval(id, 0), EINVAL, "the removed set's id is EINVAL");
	is_errno(semget(key, 1, 0), ENOENT, "its key is free: ENOENT");
	id2 = semget(key, 1, IPC_CREAT | 0600);
	ok(id2 >= 0 && id2 != id, "semget(2): the key makes a new set with "
	    "a new id");
	if (id2 >= 0)
		track(id2);
}

/* What a child running as nobody saw, one slot per call. */
enum { P_GET0, P_GET600, P_GETVAL, P_SETVAL, P_OPW, P_OPR, P_STAT, P_RMID,
	P_SET, P_TOPW, P_N };

static void
test_perms(const char *self)
{
	key_t key = ftok(self, 'Q');
	volatile int *r = conf_shared(CONF_PAGE);
	struct semid_ds ds;
	union semun_ a = { .buf = &ds };
	int id, st;
	pid_t pid;

	if ((id = semget(key, 0, 0)) >= 0)
		(void)semctl(id, 0, IPC_RMID);
	id = semget(key, 1, IPC_CREAT | IPC_EXCL | 0644);
	if (id < 0)
		bail_out("semget: %s", tap_errname(errno));
	track(id);
	pid = conf_fork();
	if (pid == 0) {
		conf_drop_privileges();
		r[P_GET0] = semget(key, 0, 0) == id ? 0 : errno;
		r[P_GET600] = semget(key, 0, 0600) == id ? 0 : errno;
		r[P_GETVAL] = getval(id, 0) == 0 ? 0 : errno;
		r[P_SETVAL] = setval(id, 0, 1) == 0 ? 0 : errno;
		r[P_OPW] = op1(id, 0, 1, 0) == 0 ? 0 : errno;
		r[P_TOPW] = semtimedop(id, &(struct sembuf){ 0, 1, 0 }, 1,
		    &(struct timespec){ 1, 0 }) == 0 ? 0 : errno;
		r[P_OPR] = op1(id, 0, 0, IPC_NOWAIT) == 0 ? 0 : errno;
		r[P_STAT] = semctl(id, 0, IPC_STAT, a) == 0 ? 0 : errno;
		r[P_RMID] = semctl(id, 0, IPC_RMID) == 0 ? 0 : errno;
		r[P_SET] = semctl(id, 0, IPC_SET, a) == 0 ? 0 : errno;
		_exit(0);
	}
	st = conf_wait(pid);
	is_exit(st, 0, "a child as nobody tries a root-owned set of mode 0644");
	is_long(r[P_GET0], 0, "semget(2) as nobody, asking no permission: "
	    "found");
	is_long(r[P_GET600], EACCES, "semget(2) as nobody asking 0600 of a "
	    "0644 set is EACCES");
	is_long(r[P_GETVAL], 0, "GETVAL as nobody, mode 0644: allowed");
	is_long(r[P_SETVAL], EACCES, "semctl(2) SETVAL as nobody, mode 0644, "
	    "is EACCES");
	is_long(r[P_OPW], EACCES, "semop(2) +1 as nobody, mode 0644, is "
	    "EACCES");
	is_long(r[P_TOPW], EACCES, "semtimedop(2) +1 as nobody, mode 0644, is "
	    "EACCES");
	is_long(r[P_OPR], 0, "semop(2) wait-for-zero as nobody needs read "
	    "only: allowed");
	is_long(r[P_STAT], 0, "IPC_STAT as nobody, mode 0644: allowed");
	is_long(r[P_RMID], EPERM, "semctl(2) IPC_RMID as nobody, not the "
	    "owner, is EPERM");
	is_long(r[P_SET], EPERM, "IPC_SET as nobody, not the owner, is "
	    "EPERM");

	id = newset(1, 0600);
	memset((void *)r, 0, CONF_PAGE);
	pid = conf_fork();
	if (pid == 0) {
		conf_drop_privileges();
		r[P_GETVAL] = getval(id, 0) == 0 ? 0 : errno;
		r[P_STAT] = semctl(id, 0, IPC_STAT, a) == 0 ? 0 : errno;
		r[P_OPR] = op1(id, 5, 0, IPC_NOWAIT) == 0 ? 0 : errno;
		_exit(0);
	}
	st = conf_wait(pid);
	is_exit(st, 0, "a child as nobody tries a root-owned set of mode 0600");
	is_long(r[P_GETVAL], EACCES, "semctl(2) GETVAL as nobody, mode 0600, "
	    "is EACCES");
	is_long(r[P_STAT], EACCES, "IPC_STAT as nobody, mode 0600, is EACCES");
	is_long(r[P_OPR], EFBIG, "semop(2) as nobody with sem_num out of "
	    "range: EFBIG comes before EACCES");
	munmap((void *)r, CONF_PAGE);
}

static void
on_alarm(int sig)
{
	(void)sig;
}

static void
test_wait(void)
{
	struct sembuf two[2];
	int id, st, st2, i;
	pid_t pid, pid2;

	id = newset(2, 0600);
	/* A taker waits for the value. */
	pid = conf_fork();
	if (pid == 0)
		_exit(op1(id, 0, -2, 0) == 0 ? 0 : 1);
	ok(wait_count(id, 0, GETNCNT, 1) == 0, "semop(2) -2 of 0 waits: "
	    "GETNCNT is 1");
	is_long(semctl(id, 0, GETZCNT), 0, "GETZCNT is 0");
	is_success(op1(id, 0, 1, 0), "semop(2) +1");
	is_long(semctl(id, 0, GETNCNT), 1, "+1 is not enough: still waiting");
	is_success(op1(id, 0, 1, 0), "semop(2) +1 again");
	st = conf_wait(pid);
	is_exit(st, 0, "the waiting semop(2) completes when it can proceed");
	is_long(getval(id, 0), 0, "it took both");
	is_long(semctl(id, 0, GETPID), pid, "sempid is the waiter's, which "
	    "did the last operation");

	/* A timed waiter, woken before its timeout. */
	pid = conf_fork();
	if (pid == 0)
		_exit(semtimedop(id, &(struct sembuf){ 0, -1, 0 }, 1,
		    &(struct timespec){ 60, 0 }) != 0);
	ok(wait_count(id, 0, GETNCNT, 1) == 0, "semtimedop(2) -1 of 0 waits");
	is_success(op1(id, 0, 1, 0), "semop(2) +1");
	st = conf_wait(pid);
	is_exit(st, 0, "the waiting semtimedop(2) completes before its "
	    "timeout");

	/* A waiter for zero. */
	is_success(setval(id, 1, 2), "SETVAL 2");
	pid = conf_fork();
	if (pid == 0)
		_exit(op1(id, 1, 0, 0) == 0 ? 0 : 1);
	ok(wait_count(id, 1, GETZCNT, 1) == 0, "semop(2) wait-for-zero of 2 "
	    "waits: GETZCNT is 1");
	is_success(op1(id, 1, -2, 0), "semop(2) -2");
	st = conf_wait(pid);
	is_exit(st, 0, "the wait-for-zero completes at 0");

	/* Two operations waited for atomically. */
	pid = conf_fork();
	if (pid == 0) {
		two[0] = (struct sembuf){ 0, -1, 0 };
		two[1] = (struct sembuf){ 1, -1, 0 };
		_exit(semop(id, two, 2) == 0 ? 0 : 1);
	}
	ok(wait_count(id, 0, GETNCNT, 1) == 0, "semop(2) of -1 on two "
	    "zeros waits on the first: GETNCNT of it is 1");
	is_success(op1(id, 0, 1, 0), "+1 on the first");
	ok(wait_count(id, 1, GETNCNT, 1) == 0 && getval(id, 0) == 1,
	    "now it waits on the second, and took nothing from the first");
	is_success(op1(id, 1, 1, 0), "+1 on the second");
	st = conf_wait(pid);
	is_exit(st, 0, "the two-operation semop(2) completes");
	ok(getval(id, 0) == 0 && getval(id, 1) == 0, "it took both");

	/* EINTR, even with SA_RESTART: semop is never restarted. */
	pid = conf_fork();
	if (pid == 0) {
		if (conf_alarm(on_alarm, 1, 50, 0) != 0)
			_exit(3);
		if (op1(id, 0, -1, 0) == 0)
			_exit(1);
		_exit(errno == EINTR ? 0 : 2);
	}
	st = conf_wait(pid);
	is_exit(st, 0, "semop(2) waiting is interrupted by a SA_RESTART "
	    "handler: EINTR");
	is_long(semctl(id, 0, GETNCNT), 0, "GETNCNT is 0 after it");
	pid = conf_fork();
	if (pid == 0) {
		if (conf_alarm(on_alarm, 1, 50, 0) != 0)
			_exit(3);
		if (semtimedop(id, &(struct sembuf){ 0, -1, 0 }, 1,
		    &(struct timespec){ 60, 0 }) == 0)
			_exit(1);
		_exit(errno == EINTR ? 0 : 2);
	}
	st = conf_wait(pid);
	is_exit(st, 0, "semtimedop(2) waiting is interrupted by a SA_RESTART "
	    "handler: EINTR");

	/* EIDRM: the set is removed under two waiters. */
	is_success(setval(id, 1, 1), "SETVAL 1");
	pid = conf_fork();
	if (pid == 0)
		_exit(op1(id, 0, -1, 0) == 0 ? 1 : errno == EIDRM ? 0 : 2);
	pid2 = conf_fork();
	if (pid2 == 0)
		_exit(semtimedop(id, &(struct sembuf){ 1, 0, 0 }, 1,
		    &(struct timespec){ 60, 0 }) == 0 || errno != EIDRM);
	ok(wait_count(id, 0, GETNCNT, 1) == 0 &&
	    wait_count(id, 1, GETZCNT, 1) == 0, "two waiters");
	is_success(semctl(id, 0, IPC_RMID), "IPC_RMID");
	st = conf_wait(pid);
	is_exit(st, 0, "a waiting semop(2) fails with EIDRM when the set is "
	    "removed");
	st = conf_wait(pid2);
	is_exit(st, 0, "so does a wait-for-zero in semtimedop(2): EIDRM");

	/* Many waiters, woken in turn by SETVAL. */
	id = newset(1, 0600);
	for (i = 0; i < 3; i++)
		if (conf_fork() == 0)
			_exit(op1(id, 0, -1, 0) == 0 ? 0 : 1);
	ok(wait_count(id, 0, GETNCNT, 3) == 0, "three waiters");
	is_success(setval(id, 0, 3), "SETVAL 3");
	for (i = 0, st = 0; i < 3; i++)
		st |= wait(&st2) > 0 && WIFEXITED(st2) ?
		    WEXITSTATUS(st2) : 4;
	ok(st == 0 && getval(id, 0) == 0, "SETVAL lets all three proceed");
}

static int thread_id;

static void *
thread_op(void *arg)
{
	(void)arg;
	return (void *)(long)op1(thread_id, 0, 1, SEM_UNDO);
}

/* The CLONE_SYSVSEM child: +1 with SEM_UNDO, then exit, all raw. */
static void
undo_clone_child(int id)
{
	struct sembuf sb = { 0, 1, SEM_UNDO };

	conf_sys(SYS_exit_group, conf_sys(SYS_semop, id, &sb, 1) == 0 ? 0 :
	    1);
}

static void
test_undo(void)
{
	volatile int *r = conf_shared(CONF_PAGE);
	pthread_t t;
	void *ret;
	int id, st;
	pid_t pid;
	long c;

	id = newset(2, 0600);
	pid = conf_fork();
	if (pid == 0)
		_exit(op1(id, 0, 2, SEM_UNDO) == 0 && getval(id, 0) == 2 ? 0 :
		    1);
	st = conf_wait(pid);
	is_exit(st, 0, "a child does +2 with SEM_UNDO");
	is_long(getval(id, 0), 0, "its exit undid it");

	is_success(setval(id, 0, 3), "SETVAL 3");
	pid = conf_fork();
	if (pid == 0)
		_exit(op1(id, 0, -1, SEM_UNDO) == 0 ? 0 : 1);
	st = conf_wait(pid);
	is_exit(st, 0, "a child does -1 with SEM_UNDO");
	is_long(getval(id, 0), 3, "its exit gave it back");
	is_long(semctl(id, 0, GETPID), pid, "the exit's adjustment sets "
	    "sempid");

	/* fork: the child starts with no adjustments. */
	pid = conf_fork();
	if (pid == 0) {
		pid_t g;

		if (op1(id, 1, 1, SEM_UNDO) != 0)
			_exit(1);
		if ((g = fork()) == 0)
			_exit(0);
		if (g < 0 || waitpid(g, NULL, 0) != g)
			_exit(2);
		r[0] = getval(id, 1);
		_exit(0);
	}
	st = conf_wait(pid);
	is_exit(st, 0, "a child with an adjustment forks a grandchild that "
	    "exits");
	is_long(r[0], 1, "the grandchild's exit undid nothing: fork(2) does "
	    "not inherit adjustments");
	is_long(getval(id, 1), 0, "the child's exit undid its own");

	/* Adjustments are clamped to [0, SEMVMX] at exit. */
	is_success(setval(id, 0, 0), "SETVAL 0");
	pid = conf_fork();
	if (pid == 0)
		_exit(op1(id, 0, 1, SEM_UNDO) == 0 && op1(id, 0, -1, 0) == 0 ?
		    0 : 1);
	st = conf_wait(pid);
	is_exit(st, 0, "a child does +1 with SEM_UNDO, then -1 without");
	is_long(getval(id, 0), 0, "its exit's -1 stops at 0");

	/* SETVAL resets the adjustment. */
	pid = conf_fork();
	if (pid == 0)
		_exit(op1(id, 0, 1, SEM_UNDO) == 0 && setval(id, 0, 5) == 0 ?
		    0 : 1);
	st = conf_wait(pid);
	is_exit(st, 0, "a child does +1 with SEM_UNDO, then SETVAL 5");
	is_long(getval(id, 0), 5, "SETVAL dropped the adjustment: still 5 "
	    "after its exit");

	is_success(setval(id, 0, 0), "SETVAL 0");

	/* CLONE_SYSVSEM: the adjustments are shared; the last exit applies. */
	pid = conf_fork();
	if (pid == 0) {
		if (op1(id, 1, 1, SEM_UNDO) != 0)
			_exit(1);
		c = conf_sys(SYS_clone, CLONE_SYSVSEM | SIGCHLD, 0, 0, 0, 0);
		if (c == 0)
			undo_clone_child(id);
		if (c < 0 || waitpid((pid_t)c, &st, 0) != c ||
		    !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			_exit(2);
		r[1] = getval(id, 0);
		_exit(0);
	}
	st = conf_wait(pid);
	is_exit(st, 0, "a child clones with CLONE_SYSVSEM one that does +1 "
	    "with SEM_UNDO and exits");
	is_long(r[1], 1, "the clone's exit undid nothing: its adjustments "
	    "are shared with its parent");
	ok(getval(id, 0) == 0 && getval(id, 1) == 0, "the last exit of the "
	    "two undid both adjustments");

	/* A thread: the same. */
	thread_id = id;
	pid = conf_fork();
	if (pid == 0) {
		if (pthread_create(&t, NULL, thread_op, NULL) != 0 ||
		    pthread_join(t, &ret) != 0 || ret != NULL)
			_exit(1);
		r[2] = getval(id, 0);
		_exit(0);
	}
	st = conf_wait(pid);
	is_exit(st, 0, "a thread does +1 with SEM_UNDO and ends");
	is_long(r[2], 1, "the thread's end undid nothing");
	is_long(getval(id, 0), 0, "the process's exit undid it");

	/* The set goes while a process has adjustments for it. */
	memset((void *)r, 0, CONF_PAGE);
	pid = conf_fork();
	if (pid == 0) {
		if (op1(id, 0, 1, SEM_UNDO) != 0)
			_exit(1);
		r[0] = 1;
		if (conf_wait_flag(&r[1], 1, 5, 60000) != 0)
			_exit(2);
		_exit(0);
	}
	ok(conf_wait_flag(&r[0], 1, 5, 60000) == 0, "a child with an "
	    "adjustment");
	is_success(semctl(id, 0, IPC_RMID), "IPC_RMID of its set");
	r[1] = 1;
	st = conf_wait(pid);
	is_exit(st, 0, "its exit after the removal is harmless");
	munmap((void *)r, CONF_PAGE);
}

static void
test_info(void)
{
	struct seminfo si;
	struct semid_ds ds;
	union semun_ a;
	int id, max, i, found = 0;

	id = newset(3, 0600);
	memset(&si, 0, sizeof(si));
	a.info = &si;
	max = semctl(0, 0, IPC_INFO, a);
	ok(max >= 0 && si.semvmx == SEMVMX_ && si.semmsl >= 250 &&
	    si.semopm >= 32 && si.semmni >= 1 && si.semaem == SEMVMX_,
	    "semctl(2) IPC_INFO: the limits, the highest index in use");
	memset(&si, 0, sizeof(si));
	i = semctl(0, 0, SEM_INFO, a);
	ok(i == max && si.semusz >= 1 && si.semaem >= 3, "semctl(2) "
	    "SEM_INFO: sets and semaphores in use");
	a.buf = &ds;
	for (i = 0; i <= max && !found; i++)
		if (semctl(i, 0, SEM_STAT_ANY, a) == id && ds.sem_nsems == 3)
			found = 1;
	ok(found, "semctl(2) SEM_STAT_ANY by index finds the set, returns "
	    "its id");
	found = 0;
	for (i = 0; i <= max && !found; i++)
		if (semctl(i, 0, SEM_STAT, a) == id)
			found = 1;
	ok(found, "semctl(2) SEM_STAT by index too");
	is_long(semctl(id % 32768 + 5 * 32768, 0, SEM_STAT, a), id,
	    "semctl(2) SEM_STAT ignores an index's sequence bits (IPCMNI "
	    "32768)");
	ds = stat_of(id);
	ds.sem_perm.uid = (uid_t)-1;
	is_errno(semctl(id, 0, IPC_SET, a), EINVAL, "semctl(2) IPC_SET of "
	    "uid -1 is EINVAL");
	ds = stat_of(id);
	ds.sem_perm.gid = (gid_t)-1;
	is_errno(semctl(id, 0, IPC_SET, a), EINVAL, "semctl(2) IPC_SET of "
	    "gid -1 is EINVAL");
	ok(stat_of(id).sem_perm.uid == geteuid() &&
	    stat_of(id).sem_perm.gid == getegid(), "a failed IPC_SET changes "
	    "nothing");
}

int
main(int argc, char **argv)
{
	char self[256];

	(void)argc;
	conf_init(argv);
	conf_path(self, sizeof(self), "sysv_sem");
	atexit(rm_all);
	test_basics();
	test_errors();
	test_keys(self);
	test_perms(self);
	test_wait();
	test_undo();
	test_info();
	rm_all();
	return done_testing();
}
