/*
 * The system-call tracer: the kernel writes a binary record for each
 * system call of a traced process into an open file, for bin/sctrace.
 *
 * Interface (Documentation/sctrace.md; the format is <sys/abi/sctrace.h>):
 *
 *	prctl(PR_ECLIPSE_SCTRACE, pid, fd, flags, 0)
 *
 * traces process pid (0: the caller) into the caller's descriptor fd, a
 * pipe's write end or any file open for writing, from the next system
 * call on; fd -1 stops it.  The kernel keeps its own reference to the
 * open file, so the caller may close fd.  SCTRACE_F_INHERIT in flags
 * makes fork and clone children traced into the same file (sctrace -f).
 * Errors, in this order: EINVAL for unknown flags; EBADF for a bad fd or
 * one not open for writing; ESRCH for no such (or an exiting) process;
 * EPERM unless the caller is root (effective UID 0) or its real or
 * effective UID is the target's real UID.
 *
 * Per system call the traced thread itself writes an ENTER record (pid,
 * tid, number, the six argument registers, the strings the generated
 * prototype marks "const char __user *", the bytes of a write-like
 * buffer, execve's argv) and a RETURN record (the result, and the bytes
 * a read-like call produced).  The masks come from $(BUILD)/gen/
 * sctrace_table.h, which sys/kern/makesyscalls.sh derives from the
 * prototypes in syscalls.master.  A successful execve writes no RETURN
 * but an EXECED record with the new name; the end of a process writes
 * an EXIT record with its wait status.  A record is one write of at most
 * PIPE_BUF bytes, so records of several processes sharing a pipe never
 * interleave.
 *
 * A full pipe makes the traced thread wait for the tracer, as strace
 * stops its tracee; a signal cuts that wait and the record is lost.  A
 * tracer that has gone (the write fails with EPIPE; no SIGPIPE is sent,
 * see uio_kernel in <sys/file.h>) ends the tracing of that process and
 * nothing else.  There is no global state: each traced process holds a
 * reference to its own struct sctrace, so any number of tracers work at
 * once.
 *
 * Locks protecting members of this struct:
 *	I	immutable after creation
 *	a	atomic operations
 * p_sctrace itself is [p] (proc_lock); the dispatcher reads it without
 * the lock as a hint (a stale value only costs a look under the lock).
 */
#include <sys/abi/fcntl.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/sctrace.h>
#include <sys/systm.h>

#include <sctrace_table.h>
#include <syscall_nr.h>

struct sctrace {
	int		 st_refs;	/* [a] processes and writers */
	struct file	*st_fp;		/* [I] where the records go */
	unsigned int	 st_flags;	/* [I] SCTRACE_F_* */
};

/*
 * p_sctrace of a process that is exiting: no record is written and no
 * tracer may attach any more (ESRCH), so no reference can be left behind
 * in a zombie.
 */
static struct sctrace sctrace_exiting;

/* Which arguments each call has copied (see makesyscalls.sh). */
struct sctrace_masks {
	uint8_t		 sm_str;	/* const char __user * strings */
	uint8_t		 sm_in;		/* buffers written, on entry */
	uint8_t		 sm_out;	/* buffers read, on return */
};

#define SCTRACE_MASK(nr, name, narg, str, in, out, ...) \
	[nr] = { (str), (in), (out) },
static const struct sctrace_masks sctrace_masks[SYS_MAXSYSCALL] = {
	SCTRACE_TABLE(SCTRACE_MASK)
};

/* A record being built in a SCTRACE_REC_MAX-byte buffer. */
struct sctrace_buf {
	char		*sb_buf;
	size_t		 sb_len;
	struct sctrace_item *sb_last;	/* the last item put, or NULL */
};

static void
sctrace_rele(struct sctrace *st)
{
	if (__atomic_sub_fetch(&st->st_refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	file_rele(st->st_fp);
	kfree(st);
}

/* p's tracing with a new reference, or NULL.  Takes proc_lock. */
static struct sctrace *
sctrace_get(struct proc *p)
{
	struct sctrace *st;

	spin_lock(&proc_lock);
	st = p->p_sctrace;
	if (st == &sctrace_exiting)
		st = NULL;
	if (st != NULL)
		__atomic_add_fetch(&st->st_refs, 1, __ATOMIC_RELAXED);
	spin_unlock(&proc_lock);
	return st;
}

/* End p's tracing into st (its tracer has gone), if it is still that. */
static void
sctrace_detach(struct proc *p, struct sctrace *st)
{
	bool drop = false;

	spin_lock(&proc_lock);
	if (p->p_sctrace == st) {
		p->p_sctrace = NULL;
		drop = true;
	}
	spin_unlock(&proc_lock);
	if (drop)
		sctrace_rele(st);
}

/*
 * prctl(PR_ECLIPSE_SCTRACE): see the top of this file and <sys/sctrace.h>.
 */
long
sctrace_attach(long pid, long fd, unsigned long flags)
{
	struct proc *cp = curproc, *p;
	struct sctrace *st = NULL, *old = NULL;
	struct file *fp;
	long error = 0;

	if (flags & ~(unsigned long)SCTRACE_F_INHERIT)
		return -EINVAL;
	if (fd != -1) {
		if (fd < 0 || fd > 0x7fffffffL)
			return -EBADF;
		if ((error = fd_getfile((int)fd, &fp)) < 0)
			return error;
		if ((file_getflags(fp) & O_ACCMODE) == O_RDONLY ||
		    fp->f_ops->fo_write == NULL) {
			file_rele(fp);
			return -EBADF;
		}
		if ((st = kmalloc(sizeof(*st), 0)) == NULL) {
			file_rele(fp);
			return -ENOMEM;
		}
		st->st_refs = 1;
		st->st_fp = fp;
		st->st_flags = (unsigned int)flags;
	}

	spin_lock(&proc_lock);
	if (pid == 0)
		p = cp;
	else
		p = pid > 0 && pid <= 0x7fffffffL ? proc_find((int)pid) : NULL;
	if (p == NULL || p->p_state != PRS_ALIVE ||
	    p->p_sctrace == &sctrace_exiting) {
		error = -ESRCH;
	} else if (cp->p_euid != 0 && cp->p_uid != p->p_uid &&
	    cp->p_euid != p->p_uid) {
		error = -EPERM;
	} else {
		old = p->p_sctrace;
		p->p_sctrace = st;
		st = NULL;
	}
	spin_unlock(&proc_lock);
	if (st != NULL)
		sctrace_rele(st);
	if (old != NULL)
		sctrace_rele(old);
	return error;
}

/* Start a record of kind in sb. */
static void
sctrace_rec_start(struct sctrace_buf *sb, int kind, struct thread *td,
    int nr, const uint64_t *args, long ret)
{
	struct sctrace_rec *r = (struct sctrace_rec *)sb->sb_buf;
	int i;

	memset(r, 0, sizeof(*r));
	r->sr_magic = SCTRACE_MAGIC;
	r->sr_kind = (unsigned short)kind;
	r->sr_pid = td->td_proc->p_pid;
	r->sr_tid = td->td_tid;
	r->sr_nr = nr;
	for (i = 0; args != NULL && i < 6; i++)
		r->sr_args[i] = args[i];
	r->sr_ret = ret;
	sb->sb_len = sizeof(*r);
	sb->sb_last = NULL;
}

/*
 * Append an item of len bytes; what does not fit in the record is cut
 * (SCTRACE_I_TRUNC), and an item that does not fit at all marks the
 * previous one instead.
 */
static void
sctrace_put(struct sctrace_buf *sb, int kind, int arg, unsigned int flags,
    const void *data, size_t len)
{
	struct sctrace_rec *r = (struct sctrace_rec *)sb->sb_buf;
	struct sctrace_item *it;
	size_t room, padded;

	if (sb->sb_len + sizeof(*it) > SCTRACE_REC_MAX) {
		if (sb->sb_last != NULL)
			sb->sb_last->si_flags |= SCTRACE_I_TRUNC;
		return;
	}
	room = SCTRACE_REC_MAX - sb->sb_len - sizeof(*it);
	if (len > room) {
		len = room;
		flags |= SCTRACE_I_TRUNC;
	}
	it = (struct sctrace_item *)(sb->sb_buf + sb->sb_len);
	it->si_len = (unsigned short)len;
	it->si_kind = (unsigned char)kind;
	it->si_arg = (unsigned char)arg;
	it->si_flags = flags;
	memcpy(it + 1, data, len);
	padded = roundup2(len, 8);
	memset((char *)(it + 1) + len, 0, MIN(padded,
	    SCTRACE_REC_MAX - sb->sb_len - sizeof(*it)) - len);
	sb->sb_len = MIN(sb->sb_len + sizeof(*it) + padded,
	    (size_t)SCTRACE_REC_MAX);
	sb->sb_last = it;
	r->sr_nitems++;
}

/* A user string, at most SCTRACE_STR_MAX bytes of it. */
static void
sctrace_put_str(struct sctrace_buf *sb, int kind, int arg,
    const char __user *u)
{
	char tmp[SCTRACE_STR_MAX + 1];
	unsigned int flags = 0;
	size_t done = 0, len = 0;
	int error;

	error = copyinstr(u, tmp, sizeof(tmp), &done);
	if (error == 0)
		len = done - 1;
	else if (error == -ENAMETOOLONG) {
		len = SCTRACE_STR_MAX;
		flags = SCTRACE_I_TRUNC;
	} else
		flags = SCTRACE_I_FAULT;
	sctrace_put(sb, kind, arg, flags, tmp, len);
}

/* The first SCTRACE_DATA_MAX of the n bytes at u. */
static void
sctrace_put_data(struct sctrace_buf *sb, int arg, const void __user *u,
    size_t n)
{
	char tmp[SCTRACE_DATA_MAX];
	size_t len = MIN(n, sizeof(tmp));
	unsigned int flags = n > len ? SCTRACE_I_TRUNC : 0;

	if (copyin(u, tmp, len) < 0) {
		len = 0;
		flags = SCTRACE_I_FAULT;
	}
	sctrace_put(sb, SCTRACE_I_DATA, arg, flags, tmp, len);
}

/* execve's argv (argument arg), up to SCTRACE_ARGV_MAX strings. */
static void
sctrace_put_argv(struct sctrace_buf *sb, int arg,
    const char __user *const __user *uv)
{
	const char __user *s;
	int i;

	if (uv == NULL)
		return;
	for (i = 0; i < SCTRACE_ARGV_MAX; i++) {
		if (copyin(&uv[i], &s, sizeof(s)) < 0) {
			sctrace_put(sb, SCTRACE_I_ARGV, arg, SCTRACE_I_FAULT,
			    NULL, 0);
			return;
		}
		if (s == NULL)
			return;
		sctrace_put_str(sb, SCTRACE_I_ARGV, arg, s);
	}
	if (copyin(&uv[i], &s, sizeof(s)) < 0 || s != NULL)
		sctrace_put(sb, SCTRACE_I_ARGV, arg, SCTRACE_I_TRUNC, NULL, 0);
}

/*
 * Write sb as one record.  Returns true when it was written; EPIPE ends
 * p's tracing; any other error (a signal cut the wait, O_NONBLOCK on a
 * full pipe) loses this record only.  The thread's "interrupted" mark,
 * which restarts look at, is the system call's, not ours: kept.
 */
static bool
sctrace_write(struct thread *td, struct sctrace *st, struct sctrace_buf *sb)
{
	struct sctrace_rec *r = (struct sctrace_rec *)sb->sb_buf;
	struct l_iovec iov;
	struct uio uio;
	bool intr = td->td_sysintr;
	long n;

	r->sr_size = (unsigned short)sb->sb_len;
	/* The trace file's own offset moves, as write(2)'s would. */
	uio_init_kernel(&uio, &iov, sb->sb_buf, sb->sb_len, 0, true);
	uio.uio_fileoff = st->st_fp->f_ops->fo_seek != NULL;
	n = st->st_fp->f_ops->fo_write(st->st_fp, &uio);
	td->td_sysintr = intr;
	if (n == -EPIPE)
		sctrace_detach(td->td_proc, st);
	return n == (long)sb->sb_len;
}

/* A buffer for a record, with p's tracing held; false if none. */
static bool
sctrace_begin(struct proc *p, struct sctrace **stp, struct sctrace_buf *sb)
{
	if ((*stp = sctrace_get(p)) == NULL)
		return false;
	if ((sb->sb_buf = kmalloc(SCTRACE_REC_MAX, 0)) == NULL) {
		sctrace_rele(*stp);
		return false;
	}
	return true;
}

static void
sctrace_end(struct sctrace *st, struct sctrace_buf *sb)
{
	kfree(sb->sb_buf);
	sctrace_rele(st);
}

/*
 * The ENTER record of system call nr, by the traced thread td, no lock
 * held.  Sets td_sctraced when the record was written.
 */
void
sctrace_enter(struct thread *td, int nr, const uint64_t *args)
{
	const struct sctrace_masks *m = &sctrace_masks[nr];
	struct sctrace_buf sb;
	struct sctrace *st;
	int i;

	td->td_sctraced = false;
	if (!sctrace_begin(td->td_proc, &st, &sb))
		return;
	sctrace_rec_start(&sb, SCTRACE_K_ENTER, td, nr, args, 0);
	for (i = 0; i < 6; i++) {
		if (m->sm_str & (1 << i))
			sctrace_put_str(&sb, SCTRACE_I_STR, i,
			    (const char __user *)args[i]);
		if ((m->sm_in & (1 << i)) && i < 5)
			sctrace_put_data(&sb, i, (const void __user *)args[i],
			    (size_t)args[i + 1]);
	}
	if (nr == SYS_execve)
		sctrace_put_argv(&sb, 1,
		    (const char __user *const __user *)args[1]);
	else if (nr == SYS_execveat)
		sctrace_put_argv(&sb, 2,
		    (const char __user *const __user *)args[2]);
	td->td_sctraced = sctrace_write(td, st, &sb);
	sctrace_end(st, &sb);
}

/*
 * The RETURN record of nr with result ret, if its ENTER was written; a
 * successful execve has none (its EXECED record said it).  No lock held.
 */
void
sctrace_return(struct thread *td, int nr, const uint64_t *args, long ret)
{
	const struct sctrace_masks *m = &sctrace_masks[nr];
	struct sctrace_buf sb;
	struct sctrace *st;
	int i;

	if (!td->td_sctraced)
		return;
	td->td_sctraced = false;
	if ((nr == SYS_execve || nr == SYS_execveat) && ret == 0)
		return;
	if (!sctrace_begin(td->td_proc, &st, &sb))
		return;
	sctrace_rec_start(&sb, SCTRACE_K_RETURN, td, nr, args, ret);
	for (i = 0; ret > 0 && i < 6; i++) {
		if (m->sm_out & (1 << i))
			sctrace_put_data(&sb, i, (const void __user *)args[i],
			    (size_t)ret);
	}
	(void)sctrace_write(td, st, &sb);
	sctrace_end(st, &sb);
}

/*
 * fork and clone: child shares parent's tracing when it was asked for
 * with SCTRACE_F_INHERIT.  Takes proc_lock; never fails.
 */
void
sctrace_fork(struct proc *child, struct proc *parent)
{
	struct sctrace *st;

	spin_lock(&proc_lock);
	st = parent->p_sctrace;
	if (st != NULL && st != &sctrace_exiting &&
	    (st->st_flags & SCTRACE_F_INHERIT) && child->p_sctrace == NULL) {
		__atomic_add_fetch(&st->st_refs, 1, __ATOMIC_RELAXED);
		child->p_sctrace = st;
	}
	spin_unlock(&proc_lock);
}

/*
 * p's execve is committed (kern_exec.c, by p's own thread, no lock
 * held): the EXECED record, with the new name.
 */
void
sctrace_execed(struct proc *p)
{
	struct thread *td = curthread;
	struct sctrace_buf sb;
	struct sctrace *st;

	if (td->td_proc != p || !sctrace_begin(p, &st, &sb))
		return;
	sctrace_rec_start(&sb, SCTRACE_K_EXECED, td, td->td_sysnr, NULL, 0);
	sctrace_put(&sb, SCTRACE_I_COMM, 0, 0, p->p_comm,
	    strnlen(p->p_comm, sizeof(p->p_comm)));
	(void)sctrace_write(td, st, &sb);
	sctrace_end(st, &sb);
}

/*
 * p is exiting with wait status xstat (kern_exit.c, by its own thread,
 * before its descriptors close; no lock held): the EXIT record, then
 * p's tracing ends for good.
 */
void
sctrace_exit(struct proc *p, int xstat)
{
	struct thread *td = curthread;
	struct sctrace_buf sb;
	struct sctrace *st;

	spin_lock(&proc_lock);
	st = p->p_sctrace;
	p->p_sctrace = &sctrace_exiting;
	spin_unlock(&proc_lock);
	if (st == NULL)
		return;
	if ((sb.sb_buf = kmalloc(SCTRACE_REC_MAX, 0)) != NULL) {
		sctrace_rec_start(&sb, SCTRACE_K_EXIT, td, -1, NULL, xstat);
		(void)sctrace_write(td, st, &sb);
		kfree(sb.sb_buf);
	}
	sctrace_rele(st);
}
