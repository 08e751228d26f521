/*
 * System V semaphores: semget, semop, semtimedop and semctl (svipc(7),
 * semget(2), semop(2), semctl(2)), as Linux behaves.
 *
 * A set is a key, an owner and permissions (sys/ipc.h) and nsems values
 * in [0, SEMVMX], each with the pid of the last process that operated on
 * it.  semop applies all its operations or none: sem_try works through
 * them in order and undoes what it did when one cannot proceed.  A call
 * that must wait queues a waiter (on its own kernel stack) on the set, in
 * arrival order, and sleeps on it; whoever changes the set (semop,
 * SETVAL, SETALL, an exit's adjustments) retries the queue in order and
 * completes, for each waiter that can proceed now, its whole call on its
 * behalf (sem_update), then wakes it with the result.  semncnt and
 * semzcnt count the waiters by the operation they block on, as Linux
 * does since 3.19 (SUS).
 *
 * Undo.  An operation with SEM_UNDO also subtracts its value from the
 * caller's adjustment for that semaphore; at exit the adjustments are
 * added back (clamped to [0, SEMVMX], as Linux does).  The adjustments
 * are in a list shared by the threads made with CLONE_SYSVSEM (every
 * pthread_create) and given to no other: a child of fork starts with
 * none.  They survive execve.  The list goes, and its adjustments are
 * applied, when its last thread exits.  SETVAL and SETALL reset the
 * adjustments of what they set in every list; IPC_RMID drops the set's.
 *
 * Removal.  IPC_RMID frees a set at once: its waiters are woken with
 * EIDRM and no longer touch it.
 *
 * Lock order: sem_lock is a spin lock and a leaf.  Nothing copies to or
 * from the user under it; kmalloc and kfree may be called under it
 * (sys/malloc.h), and tsleep_sig lets go of it while asleep.
 */
#include <sys/abi/sched.h>
#include <sys/abi/sem.h>
#include <sys/abi/time.h>
#include <sys/clock.h>
#include <sys/errno.h>
#include <sys/ipc.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/sem.h>
#include <sys/systm.h>

#include <fs/procfs/procfs.h>

#include <sysproto.h>

#define SEM_STACK_OPS	16	/* operations semop keeps on its stack */

/*
 * One semaphore.
 *	s	sem_lock
 */
struct sem_one {
	int		 sm_val;	/* [s] 0 .. SEMVMX */
	int		 sm_pid;	/* [s] last operation's process */
};

/*
 * One set.  ss_perm comes first (sys/ipc.h).
 *
 * Locks protecting members of this struct:
 *	I	immutable after sem_create()
 *	s	sem_lock
 */
struct sem_set {
	struct ipc_kperm ss_perm;	/* [s] key, id, owner, mode */
	int		 ss_nsems;	/* [I] */
	int64_t		 ss_otime;	/* [s] last semop, seconds */
	int64_t		 ss_ctime;	/* [s] creation, IPC_SET, SETVAL... */
	struct sem_waiter *ss_wait;	/* [s] waiters, oldest first */
	struct sem_undo	*ss_undo;	/* [s] adjustments (su_snext) */
	struct sem_one	 ss_sems[];	/* [s] ss_nsems of them */
};

/*
 * A semop call waiting for its set; on the waiting thread's stack.
 *	I	immutable while queued
 *	s	sem_lock
 */
struct sem_waiter {
	struct sem_waiter *sw_next;	/* [s] in ss_wait */
	const struct l_sembuf *sw_sops;	/* [I] its operations */
	int		 sw_nsops;	/* [I] */
	struct sem_undo	*sw_undo;	/* [I] its adjustments, or NULL */
	int		 sw_pid;	/* [I] */
	int		 sw_blocking;	/* [s] the operation it waits on */
	int		 sw_result;	/* [s] 1: waiting; 0 or -errno */
};

/*
 * A list of adjustments: one per thread group sharing CLONE_SYSVSEM.
 *	s	sem_lock
 */
struct sem_undolist {
	int		 ul_refs;	/* [s] threads (td_semundo) */
	struct sem_undo	*ul_head;	/* [s] one per set (su_lnext) */
};

/*
 * A list's adjustments for one set.
 *	I	immutable
 *	s	sem_lock
 */
struct sem_undo {
	struct sem_undo	*su_lnext;	/* [s] in su_list */
	struct sem_undo	*su_snext;	/* [s] in su_set->ss_undo */
	struct sem_undolist *su_list;	/* [I] */
	struct sem_set	*su_set;	/* [I] freed before the set */
	int		 su_adj[];	/* [s] su_set->ss_nsems of them */
};

/*
 * The sets by slot, and how many semaphores they hold.
 *	s	sem_lock
 */
static struct spinlock sem_lock = SPINLOCK_INIT("sem_lock");
static struct ipc_kperm *sem_slots[SEMMNI];		/* [s] */
static struct ipc_ids sem_ids = IPC_IDS_INIT(sem_slots, SEMMNI); /* [s] */
static long sem_total;					/* [s] */

static struct sem_set *
sem_lookup(int id)
{
	return (struct sem_set *)ipc_id_lookup(&sem_ids, id);
}

/*
 * Try sops on ss for process pid with adjustments un: all of them, or
 * none.  sem_lock held.  Returns 0 (done; the values, pids and otime are
 * updated), 1 when one must wait (*blockp: which), -EAGAIN when that one
 * has IPC_NOWAIT, -ERANGE when a value or adjustment would leave its
 * range.
 */
static int
sem_try(struct sem_set *ss, const struct l_sembuf *sops, int nsops,
    struct sem_undo *un, int pid, int *blockp)
{
	const struct l_sembuf *op;
	int i, val, adj, error;

	for (i = 0; i < nsops; i++) {
		op = &sops[i];
		val = ss->ss_sems[op->sem_num].sm_val;
		if (op->sem_op == 0 && val != 0)
			goto block;
		val += op->sem_op;
		if (val < 0)
			goto block;
		if (val > SEMVMX) {
			error = -ERANGE;
			goto undo;
		}
		if (op->sem_flg & SEM_UNDO) {
			adj = un->su_adj[op->sem_num] - op->sem_op;
			if (adj < -SEMAEM - 1 || adj > SEMAEM) {
				error = -ERANGE;
				goto undo;
			}
			un->su_adj[op->sem_num] = adj;
		}
		ss->ss_sems[op->sem_num].sm_val = val;
	}
	for (i = 0; i < nsops; i++)
		ss->ss_sems[sops[i].sem_num].sm_pid = pid;
	ss->ss_otime = ipc_now();
	return 0;

block:
	*blockp = i;
	error = (op->sem_flg & IPC_NOWAIT) ? -EAGAIN : 1;
undo:
	while (--i >= 0) {
		op = &sops[i];
		ss->ss_sems[op->sem_num].sm_val -= op->sem_op;
		if (op->sem_flg & SEM_UNDO)
			un->su_adj[op->sem_num] += op->sem_op;
	}
	return error;
}

/*
 * ss changed: complete, oldest first, every waiting call that can
 * proceed now, and wake it with its result; after each success start
 * over, since it may let an earlier one proceed.  sem_lock held.
 */
static void
sem_update(struct sem_set *ss)
{
	struct sem_waiter *w, **wp;
	bool again;
	int error, blk;

	do {
		again = false;
		for (wp = &ss->ss_wait; (w = *wp) != NULL;) {
			error = sem_try(ss, w->sw_sops, w->sw_nsops, w->sw_undo,
			    w->sw_pid, &blk);
			if (error == 1) {
				w->sw_blocking = blk;
				wp = &w->sw_next;
				continue;
			}
			*wp = w->sw_next;
			w->sw_result = error;
			wakeup(w);
			if (error == 0) {
				again = true;
				break;
			}
		}
	} while (again);
}

/* Forget every adjustment of semaphore num of ss (-1: all).  sem_lock. */
static void
sem_undo_clear(struct sem_set *ss, int num)
{
	struct sem_undo *un;
	int i;

	for (un = ss->ss_undo; un != NULL; un = un->su_snext) {
		if (num >= 0)
			un->su_adj[num] = 0;
		else
			for (i = 0; i < ss->ss_nsems; i++)
				un->su_adj[i] = 0;
	}
}

/* Take un off its list and its set, and free it.  sem_lock held. */
static void
sem_undo_free(struct sem_undo *un)
{
	struct sem_undo **up;

	for (up = &un->su_list->ul_head; *up != un; up = &(*up)->su_lnext)
		continue;
	*up = un->su_lnext;
	for (up = &un->su_set->ss_undo; *up != un; up = &(*up)->su_snext)
		continue;
	*up = un->su_snext;
	kfree(un);
}

/*
 * The caller's adjustments for ss, made (zero) if it has none yet, with
 * the thread's list.  sem_lock held.  Returns NULL when out of memory.
 */
static struct sem_undo *
sem_undo_get(struct sem_set *ss)
{
	struct thread *td = curthread;
	struct sem_undolist *ul = td->td_semundo;
	struct sem_undo *un;

	if (ul == NULL) {
		if ((ul = kmalloc(sizeof(*ul), M_ZERO)) == NULL)
			return NULL;
		ul->ul_refs = 1;
		td->td_semundo = ul;
	}
	for (un = ul->ul_head; un != NULL; un = un->su_lnext)
		if (un->su_set == ss)
			return un;
	un = kmalloc(sizeof(*un) + ss->ss_nsems * sizeof(un->su_adj[0]),
	    M_ZERO);
	if (un == NULL)
		return NULL;
	un->su_list = ul;
	un->su_set = ss;
	un->su_lnext = ul->ul_head;
	ul->ul_head = un;
	un->su_snext = ss->ss_undo;
	ss->ss_undo = un;
	return un;
}

/*
 * Remove ss: out of its slot, its waiters woken with EIDRM, its
 * adjustments dropped, freed.  sem_lock held.
 */
static void
sem_destroy_locked(struct sem_set *ss)
{
	struct sem_waiter *w;

	ipc_id_free(&sem_ids, &ss->ss_perm);
	sem_total -= ss->ss_nsems;
	while ((w = ss->ss_wait) != NULL) {
		ss->ss_wait = w->sw_next;
		w->sw_result = -EIDRM;
		wakeup(w);
	}
	while (ss->ss_undo != NULL)
		sem_undo_free(ss->ss_undo);
	kfree(ss);
}

/*
 * A new set of nsems semaphores (all 0) with key and flg's permission
 * bits, owned by the caller.  sem_lock held.  Returns the id, -EINVAL
 * (nsems is 0), -ENOSPC (SEMMNI sets or SEMMNS semaphores), -ENOMEM.
 */
static int
sem_create_locked(int key, int nsems, int flg)
{
	struct sem_set *ss;
	int id;

	if (nsems == 0)
		return -EINVAL;
	if (sem_total + nsems > SEMMNS)
		return -ENOSPC;
	ss = kmalloc(sizeof(*ss) + nsems * sizeof(ss->ss_sems[0]), M_ZERO);
	if (ss == NULL)
		return -ENOMEM;
	ipc_perm_init(&ss->ss_perm, key, flg);
	if ((id = ipc_id_alloc(&sem_ids, &ss->ss_perm)) < 0) {
		kfree(ss);
		return id;
	}
	ss->ss_nsems = nsems;
	ss->ss_ctime = ipc_now();
	sem_total += nsems;
	return id;
}

/*
 * semget(2): the id of the set with key, made when key is IPC_PRIVATE or
 * (with IPC_CREAT) unused: nsems semaphores, all 0, with the permission
 * bits of semflg.  Errors as Linux gives them: EINVAL (nsems below 0 or
 * above SEMMSL; 0 for a new set; more than an existing set has), ENOENT
 * (no set and no IPC_CREAT), EEXIST (IPC_CREAT|IPC_EXCL and one exists),
 * EACCES (the existing set's permissions deny semflg's), ENOSPC, ENOMEM.
 * Takes sem_lock.
 */
long
sys_semget(key_t key, int nsems, int semflg)
{
	struct sem_set *ss;
	long error;

	if (nsems < 0 || nsems > SEMMSL)
		return -EINVAL;
	spin_lock(&sem_lock);
	ss = key == IPC_PRIVATE ? NULL :
	    (struct sem_set *)ipc_key_lookup(&sem_ids, key);
	if (ss == NULL) {
		if (key != IPC_PRIVATE && !(semflg & IPC_CREAT))
			error = -ENOENT;
		else
			error = sem_create_locked(key, nsems, semflg);
	} else if ((semflg & IPC_CREAT) && (semflg & IPC_EXCL))
		error = -EEXIST;
	else if ((error = ipc_access(&ss->ss_perm, semflg & IPC_PERMS)) < 0)
		;
	else if (nsems > ss->ss_nsems)
		error = -EINVAL;
	else
		error = ss->ss_perm.ip_id;
	spin_unlock(&sem_lock);
	return error;
}

/*
 * Read semop's arguments: the operations into sops (nsops of them), the
 * timeout, if any, as a CLOCK_MONOTONIC deadline.  0, -EFAULT, -EINVAL.
 */
static int
sem_op_args(const struct l_sembuf __user *usops, struct l_sembuf *sops,
    unsigned int nsops, const struct l_timespec __user *uts,
    uint64_t *deadlinep)
{
	struct l_timespec ts;

	if (uts != NULL && copyin(uts, &ts, sizeof(ts)) < 0)
		return -EFAULT;
	if (copyin(usops, sops, nsops * sizeof(*sops)) < 0)
		return -EFAULT;
	*deadlinep = 0;
	if (uts != NULL) {
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 ||
		    ts.tv_nsec >= 1000000000L)
			return -EINVAL;
		*deadlinep = clock_monotonic_ns() +
		    (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	}
	return 0;
}

/*
 * Wait, queued as w on ss, until a change completes the call, the set is
 * removed, the deadline (when timed) passes or a signal comes.  sem_lock
 * held.  Returns the call's result: 0, -ERANGE, -EAGAIN (IPC_NOWAIT on a
 * later attempt, or the timeout), -EIDRM, -EINTR.
 */
static int
sem_wait(struct sem_set *ss, struct sem_waiter *w, bool timed,
    uint64_t deadline)
{
	struct sem_waiter **wp;
	uint64_t now, left;
	int error = 0;

	for (wp = &ss->ss_wait; *wp != NULL; wp = &(*wp)->sw_next)
		continue;
	*wp = w;
	for (;;) {
		left = 0;
		if (timed) {
			now = clock_monotonic_ns();
			if (now >= deadline) {
				error = -EAGAIN;
				break;
			}
			left = deadline - now;
		}
		error = tsleep_sig(w, &sem_lock, "semop", left);
		if (w->sw_result != 1 || error == -EINTR)
			break;
	}
	if (w->sw_result != 1)
		return w->sw_result;
	/* Still queued, so ss is still there. */
	for (wp = &ss->ss_wait; *wp != w; wp = &(*wp)->sw_next)
		continue;
	*wp = w->sw_next;
	return error == -EINTR ? -EINTR : -EAGAIN;
}

/*
 * semop and semtimedop: apply nsops operations atomically to set semid,
 * waiting (until the relative timeout uts, if not NULL) when they cannot
 * proceed.  Errors in Linux's order: EINVAL (nsops 0, a bad id or
 * timeout), E2BIG (nsops above SEMOPM), EFAULT, EFBIG (a sem_num out of
 * range), EACCES, ENOMEM, then the call's own: EAGAIN, ERANGE, EIDRM,
 * EINTR (never restarted).  Takes sem_lock.
 */
static long
sem_semop(int semid, const struct l_sembuf __user *usops, unsigned int nsops,
    const struct l_timespec __user *uts)
{
	struct l_sembuf stackops[SEM_STACK_OPS], *sops = stackops;
	struct sem_waiter w;
	struct sem_undo *un = NULL;
	struct sem_set *ss;
	uint64_t deadline;
	bool undo = false, alter = false;
	unsigned int i, max = 0;
	long error;
	int blk;

	if (semid < 0 || nsops < 1)
		return -EINVAL;
	if (nsops > SEMOPM)
		return -E2BIG;
	if (nsops > SEM_STACK_OPS &&
	    (sops = kmalloc(nsops * sizeof(*sops), 0)) == NULL)
		return -ENOMEM;
	if ((error = sem_op_args(usops, sops, nsops, uts, &deadline)) < 0)
		goto out;
	for (i = 0; i < nsops; i++) {
		max = MAX(max, sops[i].sem_num);
		undo |= (sops[i].sem_flg & SEM_UNDO) != 0;
		alter |= sops[i].sem_op != 0;
	}
	spin_lock(&sem_lock);
	if ((ss = sem_lookup(semid)) == NULL)
		error = -EINVAL;
	else if (max >= (unsigned int)ss->ss_nsems)
		error = -EFBIG;
	else if ((error = ipc_access(&ss->ss_perm, alter ? 0222 : 0444)) < 0)
		;
	else if (undo && (un = sem_undo_get(ss)) == NULL)
		error = -ENOMEM;
	else
		error = sem_try(ss, sops, nsops, un, curproc->p_pid, &blk);
	if (error == 0 && alter)
		sem_update(ss);
	if (error == 1) {
		w.sw_next = NULL;
		w.sw_sops = sops;
		w.sw_nsops = nsops;
		w.sw_undo = un;
		w.sw_pid = curproc->p_pid;
		w.sw_blocking = blk;
		w.sw_result = 1;
		error = sem_wait(ss, &w, uts != NULL, deadline);
	}
	spin_unlock(&sem_lock);
out:
	if (sops != stackops)
		kfree(sops);
	return error;
}

/* semop(2): see sem_semop. */
long
sys_semop(int semid, struct l_sembuf __user *sops, unsigned int nsops)
{
	return sem_semop(semid, sops, nsops, NULL);
}

/* semtimedop(2): semop waiting at most *timeout (relative). */
long
sys_semtimedop(int semid, struct l_sembuf __user *sops, unsigned int nsops,
    const struct l_timespec __user *timeout)
{
	return sem_semop(semid, sops, nsops, timeout);
}

/* How many waiters block on semaphore num, for 0 (zero) or an increase. */
static int
sem_count(const struct sem_set *ss, int num, bool zero)
{
	const struct sem_waiter *w;
	const struct l_sembuf *op;
	int n = 0;

	for (w = ss->ss_wait; w != NULL; w = w->sw_next) {
		op = &w->sw_sops[w->sw_blocking];
		if (op->sem_num == num && (zero ? op->sem_op == 0 :
		    op->sem_op < 0))
			n++;
	}
	return n;
}

/* The set as IPC_STAT and SEM_STAT give it (ds zeroed).  sem_lock. */
static void
sem_stat_locked(const struct ipc_kperm *perm, void *dsp)
{
	const struct sem_set *ss = (const struct sem_set *)perm;
	struct l_semid64_ds *ds = dsp;

	ipc_perm_stat(perm, &ds->sem_perm);
	ds->sem_otime = ss->ss_otime;
	ds->sem_ctime = ss->ss_ctime;
	ds->sem_nsems = ss->ss_nsems;
}

static const struct ipc_kind sem_kind = {
	.ik_lock = &sem_lock,
	.ik_ids = &sem_ids,
	.ik_stat_any = SEM_STAT_ANY,
	.ik_dssize = sizeof(struct l_semid64_ds),
	.ik_stat = sem_stat_locked,
};

/*
 * IPC_INFO (the limits) and SEM_INFO (the limits, with the sets and
 * semaphores in use in semusz and semaem).  Returns the highest slot in
 * use, or -EFAULT.
 */
static long
sem_ctl_info(int cmd, struct l_seminfo __user *buf)
{
	struct l_seminfo si;
	int maxidx;

	memset(&si, 0, sizeof(si));
	si.semmni = SEMMNI;
	si.semmns = SEMMNS;
	si.semmsl = SEMMSL;
	si.semopm = SEMOPM;
	si.semvmx = SEMVMX;
	si.semmnu = SEMMNU;
	si.semmap = SEMMAP;
	si.semume = SEMUME;
	spin_lock(&sem_lock);
	si.semusz = cmd == SEM_INFO ? sem_ids.ii_used : SEMUSZ;
	si.semaem = cmd == SEM_INFO ? (int)sem_total : SEMAEM;
	maxidx = ipc_maxidx(&sem_ids);
	spin_unlock(&sem_lock);
	if (copyout(&si, buf, sizeof(si)) < 0)
		return -EFAULT;
	return maxidx;
}

/*
 * IPC_SET (uid, gid and the permission bits from buf) and IPC_RMID: the
 * owner's or creator's, or root's.  0, -EINVAL, -EPERM, -EFAULT.
 */
static long
sem_ctl_down(int semid, int cmd, struct l_semid64_ds __user *buf)
{
	struct l_semid64_ds ds;
	struct ipc_kperm *perm;
	long error;

	if (cmd == IPC_SET && copyin(buf, &ds, sizeof(ds)) < 0)
		return -EFAULT;
	spin_lock(&sem_lock);
	if ((error = ipc_get_owner(&sem_ids, semid, &perm)) < 0)
		;
	else if (cmd == IPC_SET) {
		if ((error = ipc_perm_set(perm, &ds.sem_perm)) == 0)
			((struct sem_set *)perm)->ss_ctime = ipc_now();
	} else
		sem_destroy_locked((struct sem_set *)perm);
	spin_unlock(&sem_lock);
	return error;
}

/*
 * GETVAL, GETPID, GETNCNT, GETZCNT of semaphore semnum, and SETVAL to
 * val (which resets every process's adjustment of it and may complete
 * waiting calls).  Returns the value asked for (0 for SETVAL), -ERANGE
 * (val out of [0, SEMVMX]), -EINVAL, -EACCES.
 */
static long
sem_ctl_one(int semid, int semnum, int cmd, int val)
{
	struct sem_set *ss;
	long error;

	if (cmd == SETVAL && (val < 0 || val > SEMVMX))
		return -ERANGE;
	spin_lock(&sem_lock);
	if ((ss = sem_lookup(semid)) == NULL)
		error = -EINVAL;
	else if (cmd == SETVAL && (semnum < 0 || semnum >= ss->ss_nsems))
		error = -EINVAL;
	else if ((error = ipc_access(&ss->ss_perm,
	    cmd == SETVAL ? 0222 : 0444)) < 0)
		;
	else if (semnum < 0 || semnum >= ss->ss_nsems)
		error = -EINVAL;
	else if (cmd == SETVAL) {
		sem_undo_clear(ss, semnum);
		ss->ss_sems[semnum].sm_val = val;
		ss->ss_sems[semnum].sm_pid = curproc->p_pid;
		ss->ss_ctime = ipc_now();
		sem_update(ss);
		error = 0;
	} else if (cmd == GETVAL)
		error = ss->ss_sems[semnum].sm_val;
	else if (cmd == GETPID)
		error = ss->ss_sems[semnum].sm_pid;
	else
		error = sem_count(ss, semnum, cmd == GETZCNT);
	spin_unlock(&sem_lock);
	return error;
}

/*
 * The set semid for GETALL and SETALL, with the access they need: its
 * nsems in *nsemsp.  Takes sem_lock.  0, -EINVAL, -EACCES.
 */
static int
sem_ctl_all_check(int semid, int cmd, int *nsemsp)
{
	struct ipc_kperm *perm;
	int error;

	spin_lock(&sem_lock);
	if ((error = ipc_get(&sem_ids, semid, cmd == SETALL ? 0222 : 0444,
	    &perm)) == 0)
		*nsemsp = ((struct sem_set *)perm)->ss_nsems;
	spin_unlock(&sem_lock);
	return error;
}

/*
 * GETALL and SETALL: every value of the set, as unsigned shorts at arr.
 * SETALL resets the set's adjustments and may complete waiting calls.
 * 0, -EINVAL, -EACCES, -EFAULT, -ERANGE (a value above SEMVMX), -ENOMEM,
 * -EIDRM (the set went while the values were read in).
 */
static long
sem_ctl_all(int semid, int cmd, unsigned short __user *arr)
{
	struct sem_set *ss;
	unsigned short *vals;
	int i, nsems = 0;
	long error;

	if ((error = sem_ctl_all_check(semid, cmd, &nsems)) < 0)
		return error;
	if ((vals = kmalloc(nsems * sizeof(*vals), 0)) == NULL)
		return -ENOMEM;
	if (cmd == SETALL) {
		if (copyin(arr, vals, nsems * sizeof(*vals)) < 0) {
			error = -EFAULT;
			goto out;
		}
		for (i = 0; i < nsems; i++)
			if (vals[i] > SEMVMX) {
				error = -ERANGE;
				goto out;
			}
	}
	spin_lock(&sem_lock);
	if ((ss = sem_lookup(semid)) == NULL)
		error = -EIDRM;
	else if (cmd == GETALL) {
		for (i = 0; i < nsems; i++)
			vals[i] = (unsigned short)ss->ss_sems[i].sm_val;
	} else {
		sem_undo_clear(ss, -1);
		for (i = 0; i < nsems; i++) {
			ss->ss_sems[i].sm_val = vals[i];
			ss->ss_sems[i].sm_pid = curproc->p_pid;
		}
		ss->ss_ctime = ipc_now();
		sem_update(ss);
	}
	spin_unlock(&sem_lock);
	if (error == 0 && cmd == GETALL &&
	    copyout(vals, arr, nsems * sizeof(*vals)) < 0)
		error = -EFAULT;
out:
	kfree(vals);
	return error;
}

/*
 * semctl(2): IPC_STAT, SEM_STAT, SEM_STAT_ANY, IPC_INFO, SEM_INFO,
 * IPC_SET, IPC_RMID, GETVAL, SETVAL, GETPID, GETNCNT, GETZCNT, GETALL,
 * SETALL.  arg is the union semun: an int for SETVAL, else a pointer.
 * Any other command is -EINVAL.  Takes sem_lock.
 */
long
sys_semctl(int semid, int semnum, int cmd, unsigned long arg)
{
	void __user *p = (void __user *)arg;

	if (semid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_STAT:
	case SEM_STAT:
	case SEM_STAT_ANY:
		return ipc_ctl_stat(&sem_kind, semid, cmd, p);
	case IPC_INFO:
	case SEM_INFO:
		return sem_ctl_info(cmd, p);
	case IPC_SET:
	case IPC_RMID:
		return sem_ctl_down(semid, cmd, p);
	case GETVAL:
	case GETPID:
	case GETNCNT:
	case GETZCNT:
	case SETVAL:
		return sem_ctl_one(semid, semnum, cmd, (int)arg);
	case GETALL:
	case SETALL:
		return sem_ctl_all(semid, cmd, p);
	default:
		return -EINVAL;
	}
}

/*
 * For clone: the adjustment list a new thread or process starts with.
 * With CLONE_SYSVSEM the caller's, made if it has none, shared (one more
 * reference); else none (NULL: fork does not inherit adjustments).
 * Takes sem_lock.  Returns 0 or -ENOMEM.
 */
int
sem_fork(unsigned long flags, struct sem_undolist **ulp)
{
	struct thread *td = curthread;
	struct sem_undolist *ul;

	*ulp = NULL;
	if (!(flags & CLONE_SYSVSEM))
		return 0;
	spin_lock(&sem_lock);
	if ((ul = td->td_semundo) == NULL) {
		if ((ul = kmalloc(sizeof(*ul), M_ZERO)) == NULL) {
			spin_unlock(&sem_lock);
			return -ENOMEM;
		}
		ul->ul_refs = 1;
		td->td_semundo = ul;
	}
	ul->ul_refs++;
	spin_unlock(&sem_lock);
	*ulp = ul;
	return 0;
}

/*
 * Drop a reference to ul (NULL: nothing).  The last one applies its
 * adjustments, each value clamped to [0, SEMVMX] and its pid set to the
 * caller's, completes the calls that this lets proceed, and frees it.
 * Takes sem_lock.
 */
void
sem_undo_release(struct sem_undolist *ul)
{
	struct sem_undo *un;
	struct sem_set *ss;
	int i, val;

	if (ul == NULL)
		return;
	spin_lock(&sem_lock);
	if (--ul->ul_refs > 0) {
		spin_unlock(&sem_lock);
		return;
	}
	while ((un = ul->ul_head) != NULL) {
		ss = un->su_set;
		for (i = 0; i < ss->ss_nsems; i++) {
			if (un->su_adj[i] == 0)
				continue;
			val = ss->ss_sems[i].sm_val + un->su_adj[i];
			ss->ss_sems[i].sm_val = MAX(0, MIN(val, SEMVMX));
			ss->ss_sems[i].sm_pid = ipc_curpid();
		}
		sem_undo_free(un);
		sem_update(ss);
	}
	spin_unlock(&sem_lock);
	kfree(ul);
}

/*
 * The thread td ends: it lets go of its adjustment list (see
 * sem_undo_release).  Takes sem_lock.
 */
void
sem_exit(struct thread *td)
{
	struct sem_undolist *ul;

	spin_lock(&sem_lock);
	ul = td->td_semundo;
	td->td_semundo = NULL;
	spin_unlock(&sem_lock);
	sem_undo_release(ul);
}

/*
 * /proc/sysvipc/sem: a header, then a line per set in slot order, in
 * Linux's columns (key, id, mode in octal, nsems, owner and creator ids,
 * last semop and change times).  Takes sem_lock.  Returns 0, or -ENOMEM
 * when the buffer could not grow.
 */
int
sem_pfs_print(struct pfsbuf *sb, int pid, int tid)
{
	const struct sem_set *ss;
	int i = 0;

	(void)pid, (void)tid;
	pfs_printf(sb, "       key      semid perms      nsems   uid   gid"
	    "  cuid  cgid      otime      ctime\n");
	spin_lock(&sem_lock);
	while ((ss = (struct sem_set *)ipc_next(&sem_ids, &i)) != NULL) {
		pfs_printf(sb, "%10d %10d  %4o %10u %5u %5u %5u %5u %10lld "
		    "%10lld\n", ss->ss_perm.ip_key, ss->ss_perm.ip_id,
		    ss->ss_perm.ip_mode, (unsigned int)ss->ss_nsems,
		    ss->ss_perm.ip_uid, ss->ss_perm.ip_gid, ss->ss_perm.ip_cuid,
		    ss->ss_perm.ip_cgid, (long long)ss->ss_otime,
		    (long long)ss->ss_ctime);
	}
	spin_unlock(&sem_lock);
	return sb->sb_error;
}
