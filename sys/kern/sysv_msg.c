/*
 * System V message queues: msgget, msgsnd, msgrcv and msgctl (svipc(7),
 * msgget(2), msgop(2), msgctl(2)), as Linux behaves.
 *
 * A queue is a key, an owner and permissions, and a list of messages in
 * the order they were sent.  Each message is one kmalloc block (its
 * header and text); a queue holds at most msg_qbytes bytes of text and at
 * most msg_qbytes messages (Linux counts both against it), so a queue's
 * memory is bounded by its msg_qbytes: MSGMNB (16384) for a new queue;
 * only root may raise it above that (IPC_SET, EPERM otherwise).
 *
 * Sending.  msgsnd copies the message in before taking msg_lock, then
 * waits while it does not fit (IPC_NOWAIT: EAGAIN), appends it and wakes
 * the receivers, which look again.  Receiving.  msgrcv takes the first
 * message that msgtyp selects (0: any; > 0: that type, or with
 * MSG_EXCEPT any other; < 0: the lowest type up to -msgtyp), waiting
 * while there is none (IPC_NOWAIT: ENOMSG), and wakes the senders.  A
 * message longer than the buffer is E2BIG and stays, unless MSG_NOERROR
 * truncates it.  MSG_COPY (Linux's CONFIG_CHECKPOINT_RESTORE, which
 * Debian's and Fedora's kernels have) copies message number msgtyp and
 * leaves it; it needs IPC_NOWAIT and refuses MSG_EXCEPT (EINVAL).
 *
 * Waits are interruptible: a signal ends them with EINTR, and the calls
 * are NORESTART (syscalls.master), as signal(7) lists them for Linux.
 * A sleeper holds a reference (q_refs) on its queue, so that IPC_RMID,
 * which takes the queue out of its slot at once and wakes everyone with
 * EIDRM, leaves the memory to the last sleeper to free.
 *
 * Identifiers, keys and permissions are those every System V IPC kind
 * has (sys/ipc.h, kern/sysv_ipc.c): a queue lives in one of MSGMNI slots.
 *
 * Lock order: msg_lock is a spin lock and a leaf.  Nothing copies to or
 * from the user under it, and tsleep_sig releases it while asleep.
 */
#include <sys/abi/msg.h>
#include <sys/errno.h>
#include <sys/ipc.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/msg.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <fs/procfs/procfs.h>

#include <sysproto.h>

#define MSG_LONG_MAX	__LONG_MAX__
#define MSG_INT_MAX	__INT_MAX__

/*
 * One message, in its queue's list.
 *
 * Locks protecting members of this struct:
 *	I	immutable after msgsnd copied it in
 *	m	msg_lock
 */
struct msg_msg {
	struct msg_msg	*mm_next;	/* [m] toward the tail */
	long		 mm_type;	/* [I] > 0 */
	size_t		 mm_size;	/* [I] bytes of text */
	char		 mm_text[];	/* [I] */
};

/*
 * One queue.  q_perm comes first (sys/ipc.h).
 *
 * Locks protecting members of this struct:
 *	I	immutable after msg_create_locked()
 *	m	msg_lock
 */
struct msg_queue {
	struct ipc_kperm q_perm;	/* [m] key, id, owner, mode */
	struct msg_msg	*q_head;	/* [m] the oldest message */
	struct msg_msg	**q_tailp;	/* [m] where the next one goes */
	unsigned long	 q_cbytes;	/* [m] bytes of text queued */
	unsigned long	 q_qnum;	/* [m] messages queued */
	unsigned long	 q_qbytes;	/* [m] the limit of both */
	int		 q_lspid;	/* [m] last msgsnd */
	int		 q_lrpid;	/* [m] last msgrcv */
	int64_t		 q_stime;	/* [m] seconds */
	int64_t		 q_rtime;	/* [m] */
	int64_t		 q_ctime;	/* [m] */
	int		 q_refs;	/* [m] sleepers, who keep it */
	int		 q_nsend;	/* [m] senders asleep (their channel) */
	int		 q_nrecv;	/* [m] receivers asleep (theirs) */
	bool		 q_dead;	/* [m] removed: out of its slot */
};

/*
 * The queues by slot, and what they hold.
 *	m	msg_lock
 */
static struct spinlock msg_lock = SPINLOCK_INIT("msg_lock");
static struct ipc_kperm *msg_slots[MSGMNI];	/* [m] */
static struct ipc_ids msg_ids = IPC_IDS_INIT(msg_slots, MSGMNI); /* [m] */
static unsigned long msg_totmsgs;	/* [m] messages in all queues */
static unsigned long msg_totbytes;	/* [m] their bytes */

/* How msgrcv selects (Linux's SEARCH_*). */
enum msg_search {
	MSG_SEARCH_ANY,		/* msgtyp 0 */
	MSG_SEARCH_EQUAL,	/* msgtyp > 0 */
	MSG_SEARCH_NOTEQUAL,	/* msgtyp > 0, MSG_EXCEPT */
	MSG_SEARCH_LESSEQUAL,	/* msgtyp < 0: the lowest type <= -msgtyp */
	MSG_SEARCH_NUMBER,	/* MSG_COPY: message number msgtyp */
};

/* The queue named by id, or NULL (a free slot, a stale id).  msg_lock. */
static struct msg_queue *
msg_lookup(int id)
{
	return (struct msg_queue *)ipc_id_lookup(&msg_ids, id);
}

/*
 * Fill in q (zeroed) as an empty queue with key and the permission bits
 * of flg, owned by the caller, in the lowest free slot.  msg_lock held.
 * Returns the id, or -ENOSPC (MSGMNI queues exist).
 */
static int
msg_create_locked(struct msg_queue *q, int key, int flg)
{
	int id;

	KASSERT(spin_held(&msg_lock), "msg_create_locked: msg_lock");
	ipc_perm_init(&q->q_perm, key, flg);
	if ((id = ipc_id_alloc(&msg_ids, &q->q_perm)) < 0)
		return id;
	q->q_tailp = &q->q_head;
	q->q_qbytes = MSGMNB;
	q->q_ctime = ipc_now();
	return id;
}

/*
 * Free a queue that is out of its slot and has no sleepers, with its
 * messages.  Called without msg_lock: nothing else can reach q.
 */
static void
msg_free(struct msg_queue *q)
{
	struct msg_msg *m;

	while ((m = q->q_head) != NULL) {
		q->q_head = m->mm_next;
		kfree(m);
	}
	kfree(q);
}

/*
 * A sleeper leaves q: true when it was the last one of a removed queue,
 * which the caller then frees (msg_free) after letting go of msg_lock.
 */
static bool
msg_unref_locked(struct msg_queue *q)
{
	KASSERT(spin_held(&msg_lock), "msg_unref_locked: msg_lock");
	KASSERT(q->q_refs > 0, "msg_unref_locked: no reference");
	return --q->q_refs == 0 && q->q_dead;
}

/*
 * Sleep on q's senders' or receivers' channel (*nwait counts them) until
 * woken or a signal comes.  msg_lock held, and held again on return.
 * Returns 0, -EINTR, or -EIDRM when q was removed meanwhile; *freep is
 * set when the caller must free q (msg_free) after msg_lock.
 */
static int
msg_sleep(struct msg_queue *q, int *nwait, const char *wmesg, bool *freep)
{
	int error;

	q->q_refs++;
	(*nwait)++;
	error = tsleep_sig(nwait, &msg_lock, wmesg, 0);
	(*nwait)--;
	*freep = msg_unref_locked(q);
	if (q->q_dead)
		return -EIDRM;
	return error;
}

/* Wake everyone asleep on q (a send, a receive, IPC_SET, IPC_RMID). */
static void
msg_wake(struct msg_queue *q, bool senders, bool receivers)
{
	if (senders && q->q_nsend > 0)
		wakeup(&q->q_nsend);
	if (receivers && q->q_nrecv > 0)
		wakeup(&q->q_nrecv);
}

/*
 * msgget(2): the id of the queue with key, made when key is IPC_PRIVATE
 * or (with IPC_CREAT) unused, empty, with msg_qbytes MSGMNB and the
 * permission bits of msgflg.  Errors as Linux gives them: ENOENT (no
 * queue and no IPC_CREAT), EEXIST (IPC_CREAT|IPC_EXCL and one exists),
 * EACCES (the existing one's permissions deny msgflg's), ENOSPC (MSGMNI
 * queues), ENOMEM.  Takes msg_lock.
 */
long
sys_msgget(key_t key, int msgflg)
{
	struct msg_queue *q, *nq = NULL;
	long error;

	if (key == IPC_PRIVATE || (msgflg & IPC_CREAT)) {
		/* Made before the lock; unused when the key exists. */
		if ((nq = kmalloc(sizeof(*nq), M_ZERO)) == NULL)
			return -ENOMEM;
	}
	spin_lock(&msg_lock);
	q = key == IPC_PRIVATE ? NULL :
	    (struct msg_queue *)ipc_key_lookup(&msg_ids, key);
	if (q == NULL) {
		if (nq == NULL)
			error = -ENOENT;
		else if ((error = msg_create_locked(nq, key, msgflg)) >= 0)
			nq = NULL;
	} else if ((msgflg & IPC_CREAT) && (msgflg & IPC_EXCL))
		error = -EEXIST;
	else if ((error = ipc_access(&q->q_perm, msgflg & IPC_PERMS)) == 0)
		error = q->q_perm.ip_id;
	spin_unlock(&msg_lock);
	kfree(nq);
	return error;
}

/* Has q room for one more message of size bytes (Linux's test)? */
static bool
msg_fits(const struct msg_queue *q, size_t size)
{
	return q->q_cbytes + size <= q->q_qbytes &&
	    q->q_qnum + 1 <= q->q_qbytes;
}

/*
 * msgsnd(2): append the message at msgp (mtype, then msgsz bytes of
 * text) to queue msqid, waiting while it does not fit.  Errors in
 * Linux's order: EFAULT (mtype), EINVAL (msgsz above MSGMAX, a negative
 * id, mtype < 1), EFAULT (the text), ENOMEM, EINVAL (no such queue),
 * then EACCES (no write permission), EAGAIN (full, IPC_NOWAIT), EINTR,
 * EIDRM (removed while waiting).  Takes msg_lock.
 */
long
sys_msgsnd(int msqid, const struct l_msgbuf __user *msgp, size_t msgsz,
    int msgflg)
{
	const char __user *text = (const char __user *)msgp + sizeof(long);
	struct msg_queue *q;
	struct msg_msg *m;
	long mtype;
	bool gone = false;
	int error;

	if (copyin(msgp, &mtype, sizeof(mtype)) < 0)
		return -EFAULT;
	if (msgsz > MSGMAX || msqid < 0 || mtype < 1)
		return -EINVAL;
	if ((m = kmalloc(sizeof(*m) + msgsz, 0)) == NULL)
		return -ENOMEM;
	m->mm_next = NULL;
	m->mm_type = mtype;
	m->mm_size = msgsz;
	if (msgsz > 0 && copyin(text, m->mm_text, msgsz) < 0) {
		kfree(m);
		return -EFAULT;
	}

	spin_lock(&msg_lock);
	if ((q = msg_lookup(msqid)) == NULL) {
		error = -EINVAL;
		goto out;
	}
	for (;;) {
		if ((error = ipc_access(&q->q_perm, 0222)) < 0)
			goto out;
		if (msg_fits(q, msgsz))
			break;
		if (msgflg & IPC_NOWAIT) {
			error = -EAGAIN;
			goto out;
		}
		if ((error = msg_sleep(q, &q->q_nsend, "msgsnd", &gone)) < 0)
			goto out;
	}
	*q->q_tailp = m;
	q->q_tailp = &m->mm_next;
	q->q_cbytes += msgsz;
	q->q_qnum++;
	msg_totmsgs++;
	msg_totbytes += msgsz;
	q->q_lspid = curproc->p_pid;
	q->q_stime = ipc_now();
	msg_wake(q, false, true);
	m = NULL;
	error = 0;
out:
	spin_unlock(&msg_lock);
	if (gone)
		msg_free(q);
	kfree(m);
	return error;
}

/* Does m match msgtyp in mode (Linux's testmsg)? */
static bool
msg_match(const struct msg_msg *m, long msgtyp, enum msg_search mode)
{
	switch (mode) {
	case MSG_SEARCH_EQUAL:
		return m->mm_type == msgtyp;
	case MSG_SEARCH_NOTEQUAL:
		return m->mm_type != msgtyp;
	case MSG_SEARCH_LESSEQUAL:
		return m->mm_type <= msgtyp;
	default:
		return true;
	}
}

/*
 * The message of q that msgtyp selects in mode, and the link that points
 * at it in *linkp (for unlinking); NULL when there is none.  msg_lock.
 */
static struct msg_msg *
msg_find(struct msg_queue *q, long msgtyp, enum msg_search mode,
    struct msg_msg ***linkp)
{
	struct msg_msg **pp, *found = NULL;
	long n = 0;

	for (pp = &q->q_head; *pp != NULL; pp = &(*pp)->mm_next) {
		if (!msg_match(*pp, msgtyp, mode))
			continue;
		if (mode == MSG_SEARCH_LESSEQUAL) {
			/* The first of the lowest type. */
			if (found == NULL || (*pp)->mm_type < found->mm_type) {
				found = *pp;
				*linkp = pp;
			}
			continue;
		}
		if (mode == MSG_SEARCH_NUMBER && n++ != msgtyp)
			continue;
		*linkp = pp;
		return *pp;
	}
	return found;
}

/* Take the message at *link out of q, as a receive does. */
static void
msg_unlink_locked(struct msg_queue *q, struct msg_msg **link)
{
	struct msg_msg *m = *link;

	*link = m->mm_next;
	if (q->q_tailp == &m->mm_next)
		q->q_tailp = link;
	q->q_cbytes -= m->mm_size;
	q->q_qnum--;
	msg_totmsgs--;
	msg_totbytes -= m->mm_size;
	q->q_lrpid = curproc->p_pid;
	q->q_rtime = ipc_now();
	msg_wake(q, true, false);
}

/* msgtyp and msgflg's search (Linux's convert_mode); *typ made positive. */
static enum msg_search
msg_mode(long *typ, int msgflg)
{
	if (msgflg & MSG_COPY)
		return MSG_SEARCH_NUMBER;
	if (*typ == 0)
		return MSG_SEARCH_ANY;
	if (*typ < 0) {
		*typ = *typ == -MSG_LONG_MAX - 1 ? MSG_LONG_MAX : -*typ;
		return MSG_SEARCH_LESSEQUAL;
	}
	return (msgflg & MSG_EXCEPT) ? MSG_SEARCH_NOTEQUAL : MSG_SEARCH_EQUAL;
}

/*
 * MSG_COPY's buffer: as Linux, msgrcv reads the caller's buffer first
 * (min(msgsz, MSGMAX) bytes of it: EFAULT), and the copy may be no larger.
 */
static int
msg_copybuf(const struct l_msgbuf __user *msgp, size_t msgsz,
    struct msg_msg **cp)
{
	struct msg_msg *c;
	size_t size = MIN(msgsz, (size_t)MSGMAX);

	if ((c = kmalloc(sizeof(*c) + size, 0)) == NULL)
		return -ENOMEM;
	if (size > 0 && copyin(msgp, c->mm_text, size) < 0) {
		kfree(c);
		return -EFAULT;
	}
	c->mm_size = size;
	*cp = c;
	return 0;
}

/*
 * Receive from q (msg_lock held, and held on return): into *mp the
 * message selected, unlinked from q, or (MSG_COPY) copied into *mp.
 * Returns 0 or -EACCES, -EIDRM, -E2BIG, -EINVAL (MSG_COPY of a message
 * longer than the buffer, MSG_NOERROR or not), -ENOMSG (none,
 * IPC_NOWAIT), -EINTR; *freep as msg_sleep.
 */
static int
msg_recv_locked(struct msg_queue *q, size_t msgsz, long msgtyp, int msgflg,
    struct msg_msg **mp, bool *freep)
{
	enum msg_search mode = msg_mode(&msgtyp, msgflg);
	struct msg_msg *m, **link, *c = *mp;
	int error;

	for (;;) {
		if ((error = ipc_access(&q->q_perm, 0444)) < 0)
			return error;
		if ((m = msg_find(q, msgtyp, mode, &link)) != NULL)
			break;
		if (msgflg & IPC_NOWAIT)
			return -ENOMSG;
		if ((error = msg_sleep(q, &q->q_nrecv, "msgrcv", freep)) < 0)
			return error;
	}
	if (m->mm_size > msgsz && !(msgflg & MSG_NOERROR))
		return -E2BIG;
	if (msgflg & MSG_COPY) {
		if (m->mm_size > c->mm_size)
			return -EINVAL;
		c->mm_type = m->mm_type;
		c->mm_size = m->mm_size;
		memcpy(c->mm_text, m->mm_text, m->mm_size);
		return 0;
	}
	msg_unlink_locked(q, link);
	*mp = m;
	return 0;
}

/*
 * msgrcv(2): take a message of queue msqid that msgtyp selects (see the
 * top of the file) into msgp: its type, then at most msgsz bytes of its
 * text.  Returns the bytes of text copied, or, in Linux's order: EINVAL
 * (a negative id or msgsz; MSG_COPY without IPC_NOWAIT or with
 * MSG_EXCEPT), EFAULT (MSG_COPY's buffer), EINVAL (no such queue), then
 * EACCES (no read permission), ENOMSG (none, IPC_NOWAIT), EINTR, EIDRM
 * (removed while waiting), E2BIG (too long, no MSG_NOERROR), EFAULT (the
 * message is lost, as on Linux).  Takes msg_lock.
 */
long
sys_msgrcv(int msqid, struct l_msgbuf __user *msgp, size_t msgsz,
    long msgtyp, int msgflg)
{
	char __user *text = (char __user *)msgp + sizeof(long);
	struct msg_queue *q;
	struct msg_msg *m = NULL;
	bool gone = false;
	long error;

	if (msqid < 0 || (long)msgsz < 0)
		return -EINVAL;
	if (msgflg & MSG_COPY) {
		if ((msgflg & MSG_EXCEPT) || !(msgflg & IPC_NOWAIT))
			return -EINVAL;
		if ((error = msg_copybuf(msgp, msgsz, &m)) < 0)
			return error;
	}
	spin_lock(&msg_lock);
	if ((q = msg_lookup(msqid)) == NULL)
		error = -EINVAL;
	else
		error = msg_recv_locked(q, msgsz, msgtyp, msgflg, &m, &gone);
	spin_unlock(&msg_lock);
	if (gone)
		msg_free(q);
	if (error == 0) {
		error = MIN(msgsz, m->mm_size);
		if (copyout(&m->mm_type, msgp, sizeof(long)) < 0 ||
		    (error > 0 && copyout(m->mm_text, text, error) < 0))
			error = -EFAULT;
	}
	kfree(m);
	return error;
}

/* The queue as IPC_STAT and MSG_STAT give it (ds zeroed).  msg_lock. */
static void
msg_stat_locked(const struct ipc_kperm *perm, void *dsp)
{
	const struct msg_queue *q = (const struct msg_queue *)perm;
	struct l_msqid64_ds *ds = dsp;

	ipc_perm_stat(perm, &ds->msg_perm);
	ds->msg_stime = q->q_stime;
	ds->msg_rtime = q->q_rtime;
	ds->msg_ctime = q->q_ctime;
	ds->msg_cbytes = q->q_cbytes;
	ds->msg_qnum = q->q_qnum;
	ds->msg_qbytes = q->q_qbytes;
	ds->msg_lspid = q->q_lspid;
	ds->msg_lrpid = q->q_lrpid;
}

static const struct ipc_kind msg_kind = {
	.ik_lock = &msg_lock,
	.ik_ids = &msg_ids,
	.ik_stat_any = MSG_STAT_ANY,
	.ik_dssize = sizeof(struct l_msqid64_ds),
	.ik_stat = msg_stat_locked,
};

/*
 * IPC_INFO (the limits) and MSG_INFO (the same, but msgpool, msgmap and
 * msgtql are the queues, messages and bytes in use).  Returns the
 * highest slot in use (0 with none), or -EFAULT.
 */
static long
msg_ctl_info(int cmd, void __user *buf)
{
	struct l_msginfo mi;
	int maxidx;

	memset(&mi, 0, sizeof(mi));
	mi.msgmni = MSGMNI;
	mi.msgmax = MSGMAX;
	mi.msgmnb = MSGMNB;
	mi.msgssz = MSGSSZ;
	mi.msgseg = MSGSEG;
	spin_lock(&msg_lock);
	if (cmd == MSG_INFO) {
		mi.msgpool = msg_ids.ii_used;
		mi.msgmap = MIN(msg_totmsgs, (unsigned long)MSG_INT_MAX);
		mi.msgtql = MIN(msg_totbytes, (unsigned long)MSG_INT_MAX);
	} else {
		mi.msgpool = MSGPOOL;
		mi.msgmap = MSGMAP;
		mi.msgtql = MSGTQL;
	}
	maxidx = ipc_maxidx(&msg_ids);
	spin_unlock(&msg_lock);
	if (copyout(&mi, buf, sizeof(mi)) < 0)
		return -EFAULT;
	return maxidx;
}

/*
 * IPC_SET (uid, gid, the permission bits and msg_qbytes from buf) and
 * IPC_RMID: the owner's or creator's, or root's.  Raising msg_qbytes
 * above MSGMNB is root's (Linux: CAP_SYS_RESOURCE).  Both wake the
 * sleepers: after IPC_SET they look again (a larger queue, other
 * permissions), after IPC_RMID they fail with EIDRM.  Returns 0,
 * -EINVAL, -EPERM, -EFAULT.
 */
static long
msg_ctl_down(int msqid, int cmd, struct l_msqid64_ds __user *buf)
{
	struct l_msqid64_ds ds;
	struct ipc_kperm *perm;
	struct msg_queue *q, *dead = NULL;
	long error;

	if (cmd == IPC_SET && copyin(buf, &ds, sizeof(ds)) < 0)
		return -EFAULT;
	spin_lock(&msg_lock);
	if ((error = ipc_get_owner(&msg_ids, msqid, &perm)) < 0)
		goto out;
	q = (struct msg_queue *)perm;
	if (cmd == IPC_SET) {
		if (ds.msg_qbytes > MSGMNB && curproc->p_euid != 0)
			error = -EPERM;
		else if ((error = ipc_perm_set(perm, &ds.msg_perm)) == 0) {
			q->q_qbytes = ds.msg_qbytes;
			q->q_ctime = ipc_now();
			msg_wake(q, true, true);
		}
	} else {
		ipc_id_free(&msg_ids, perm);
		msg_totmsgs -= q->q_qnum;
		msg_totbytes -= q->q_cbytes;
		q->q_dead = true;
		msg_wake(q, true, true);
		if (q->q_refs == 0)
			dead = q;
	}
out:
	spin_unlock(&msg_lock);
	if (dead != NULL)
		msg_free(dead);
	return error;
}

/*
 * msgctl(2): IPC_STAT, MSG_STAT, MSG_STAT_ANY, IPC_INFO, MSG_INFO,
 * IPC_SET, IPC_RMID; any other command is EINVAL, as is a negative id or
 * command.  Takes msg_lock.
 */
long
sys_msgctl(int msqid, int cmd, struct l_msqid64_ds __user *buf)
{
	if (msqid < 0 || cmd < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_STAT:
	case MSG_STAT:
	case MSG_STAT_ANY:
		return ipc_ctl_stat(&msg_kind, msqid, cmd, buf);
	case IPC_INFO:
	case MSG_INFO:
		return msg_ctl_info(cmd, buf);
	case IPC_SET:
	case IPC_RMID:
		return msg_ctl_down(msqid, cmd, buf);
	default:
		return -EINVAL;
	}
}

/*
 * /proc/sysvipc/msg: a header, then a line per queue in slot order, in
 * Linux's columns (key, id, mode in octal, bytes and messages queued,
 * last sender's and receiver's pids, owner and creator ids, the three
 * times).  Takes msg_lock.  Returns 0, or -ENOMEM when the buffer could
 * not grow.
 */
int
msg_pfs_print(struct pfsbuf *sb, int pid, int tid)
{
	const struct msg_queue *q;
	int i = 0;

	(void)pid, (void)tid;
	pfs_printf(sb, "       key      msqid perms      cbytes       qnum "
	    "lspid lrpid   uid   gid  cuid  cgid      stime      rtime      "
	    "ctime\n");
	spin_lock(&msg_lock);
	while ((q = (struct msg_queue *)ipc_next(&msg_ids, &i)) != NULL) {
		pfs_printf(sb, "%10d %10d  %4o  %10lu %10lu %5d %5d %5u %5u "
		    "%5u %5u %10lld %10lld %10lld\n", q->q_perm.ip_key,
		    q->q_perm.ip_id, q->q_perm.ip_mode, q->q_cbytes, q->q_qnum,
		    q->q_lspid, q->q_lrpid, q->q_perm.ip_uid, q->q_perm.ip_gid,
		    q->q_perm.ip_cuid, q->q_perm.ip_cgid,
		    (long long)q->q_stime, (long long)q->q_rtime,
		    (long long)q->q_ctime);
	}
	spin_unlock(&msg_lock);
	return sb->sb_error;
}
