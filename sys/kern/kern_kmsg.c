/*
 * The kernel log: a ring of records that kprintf feeds (sys/sys/kmsg.h),
 * read through /dev/kmsg and syslog(2) as on Linux.
 *
 * The ring (kmsg_buf) holds records one after the other: a struct
 * kmsg_hdr, then the text, padded to 8 bytes.  kmsg_first is the oldest
 * record, kmsg_next where the next one goes; both carry a sequence
 * number and a byte index.  A record that does not fit before the end of
 * the buffer goes to its start, and a header with kh_len KMSG_WRAP at the
 * old place sends readers there too; there is always room for that
 * header at kmsg_next.  A new record that finds no room pushes the oldest
 * ones out.  A reader's position is a struct kmsg_pos: while its sequence
 * number is not below kmsg_first's, its index is still right.
 *
 * /dev/kmsg (Linux's Documentation/ABI/testing/dev-kmsg): each open has
 * its own position, at the oldest record.  A read returns one record as
 * "priority,sequence,microseconds,-;text\n", the text's bytes below
 * 0x20, from 0x7f, and the backslash written as \xNN; EINVAL (and the
 * record is passed) when the buffer is too small for it; EPIPE (and the
 * position moves to the oldest record) when records were lost under it;
 * EAGAIN with O_NONBLOCK or a wait when there is nothing new.  lseek
 * takes offset 0 only (ESPIPE): SEEK_SET goes to the oldest record,
 * SEEK_DATA to the first after the last SYSLOG_ACTION_CLEAR, SEEK_END
 * past the newest.  poll: readable when a record waits, with POLLERR and
 * POLLPRI when records were lost.  A write of at most 1024 bytes is one
 * record: an optional "<N>" prefix gives level N & 7 and facility N >> 3
 * (LOG_USER when 0 or absent), one trailing newline is dropped.  Linux's
 * rate limit of writes (printk.devkmsg=ratelimit) is not applied.
 *
 * syslog(2) (klogctl(3)) reads the same records as text lines
 * "<priority>[seconds.micros] text\n", as BusyBox dmesg expects.  As with
 * Debian's kernel.dmesg_restrict=1, every action needs privilege
 * (CAP_SYSLOG: root here), and so does opening /dev/kmsg for reading.
 *
 * The console level (SYSLOG_ACTION_CONSOLE_*) decides which records
 * written to /dev/kmsg are also printed on the console (those with a
 * level below it); the kernel's own lines are always printed: kprintf
 * writes to the console before the log sees them.
 *
 * Lines the kernel prints carry facility LOG_KERN and level LOG_WARNING,
 * Linux's default for a message without a level.  Wake-ups: kprintf may
 * run under any lock (sched_lock too), so it never wakes anyone; once a
 * reader has waited, a callout looks for new records every
 * KMSG_WAKE_NS and wakes the readers and pollers of the log.
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/stat.h>
#include <sys/abi/syslog.h>
#include <sys/callout.h>
#include <sys/clock.h>
#include <sys/cons.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/kmsg.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vm_map.h>
#include <sys/vnode.h>

#include <fs/devfs/devfs.h>

#include <sysproto.h>

#define KMSG_BUFSIZE	(128 * 1024)	/* Debian's CONFIG_LOG_BUF_SHIFT=17 */
#define KMSG_TEXT_MAX	1024		/* a record's text; a write's limit */
#define KMSG_WRAP	0xffff		/* kh_len: go on at index 0 */
#define KMSG_EXT_MAX	(64 + 4 * KMSG_TEXT_MAX)  /* a /dev/kmsg record */
#define KMSG_LINE_MAX	(48 + KMSG_TEXT_MAX)	/* a syslog(2) line */
#define KMSG_WAKE_NS	(20 * 1000000ULL)
#define KMSG_DEV	MKDEV(1, 11)
#define KMSG_CONSOLE_DEFAULT	7	/* CONSOLE_LOGLEVEL_DEFAULT */
#define KMSG_CONSOLE_MIN	1	/* CONSOLE_LOGLEVEL_MIN */

struct kmsg_hdr {
	uint64_t	 kh_seq;
	uint64_t	 kh_usec;	/* since boot */
	uint16_t	 kh_len;	/* text bytes, or KMSG_WRAP */
	uint16_t	 kh_prio;	/* facility << 3 | level */
	uint32_t	 kh_pad;
};

/* A place in the log: a record's sequence number and byte index. */
struct kmsg_pos {
	uint64_t	 kp_seq;
	size_t		 kp_idx;
};

/* One open of /dev/kmsg for reading.  Locks protecting: k. */
struct kmsg_reader {
	struct kmsg_pos	 kr_pos;	/* [k] the next record to read */
};

/*
 * Locks protecting these:
 *	k	kmsg_lock
 *	c	cons_lock (kprintf's message in progress)
 *	P	poll_lock
 */
static struct spinlock kmsg_lock = SPINLOCK_INIT("kmsg_lock");
static char kmsg_buf[KMSG_BUFSIZE] __aligned(8);	/* [k] */
static struct kmsg_pos kmsg_first;	/* [k] the oldest record */
static struct kmsg_pos kmsg_next;	/* [k] where the next one goes */
static struct kmsg_pos kmsg_clear;	/* [k] after SYSLOG_ACTION_CLEAR */
static struct kmsg_pos kmsg_syslog;	/* [k] SYSLOG_ACTION_READ's */
static size_t kmsg_syslog_partial;	/* [k] bytes of it already read */
static int kmsg_console = KMSG_CONSOLE_DEFAULT;	/* [k] */
static int kmsg_console_saved = -1;	/* [k] CONSOLE_OFF's old level */
static uint64_t kmsg_woken;		/* [k] kmsg_next's seq, last wake */
static bool kmsg_waker_on;		/* [k] */
static struct callout kmsg_waker;
static struct pollhead kmsg_ph;		/* [P] readers of the log */
static char kmsg_line[KMSG_TEXT_MAX];	/* [c] kprintf's line so far */
static size_t kmsg_linelen;		/* [c] */
static uint64_t kmsg_line_usec;		/* [c] when it began */
static uint64_t kmsg_lost;		/* [c] lines dropped (recursion) */

static size_t
kmsg_recsize(size_t len)
{
	return roundup2(sizeof(struct kmsg_hdr) + len, 8);
}

/* The record at *idx (following a wrap header).  kmsg_lock held. */
static struct kmsg_hdr *
kmsg_hdr_at(size_t *idx)
{
	struct kmsg_hdr *h;

	if (KMSG_BUFSIZE - *idx < sizeof(*h) ||
	    ((struct kmsg_hdr *)&kmsg_buf[*idx])->kh_len == KMSG_WRAP)
		*idx = 0;
	h = (struct kmsg_hdr *)&kmsg_buf[*idx];
	KASSERT(h->kh_len <= KMSG_TEXT_MAX, "kmsg: a broken record");
	return h;
}

/* Move pos past its record (which exists).  kmsg_lock held. */
static void
kmsg_advance(struct kmsg_pos *pos)
{
	struct kmsg_hdr *h = kmsg_hdr_at(&pos->kp_idx);

	pos->kp_idx += kmsg_recsize(h->kh_len);
	pos->kp_seq++;
}

/* pos, or the oldest record if pos's record is gone.  kmsg_lock held. */
static void
kmsg_valid(struct kmsg_pos *pos)
{
	if (pos->kp_seq < kmsg_first.kp_seq)
		*pos = kmsg_first;
}

/*
 * Append a record, pushing out the oldest ones until it fits.  len is at
 * most KMSG_TEXT_MAX.  kmsg_lock held.
 */
static void
kmsg_store(int prio, uint64_t usec, const char *text, size_t len)
{
	struct kmsg_hdr *h;
	size_t need = kmsg_recsize(len), at;
	bool empty;

	KASSERT(spin_held(&kmsg_lock), "kmsg_lock");
	for (;;) {
		empty = kmsg_first.kp_seq == kmsg_next.kp_seq;
		if (empty || kmsg_next.kp_idx > kmsg_first.kp_idx) {
			/* Free: after kmsg_next, and before kmsg_first. */
			if (kmsg_next.kp_idx + need + sizeof(*h) <=
			    KMSG_BUFSIZE) {
				at = kmsg_next.kp_idx;
				break;
			}
			if (empty || need <= kmsg_first.kp_idx) {
				at = kmsg_next.kp_idx;
				h = (struct kmsg_hdr *)&kmsg_buf[at];
				h->kh_len = KMSG_WRAP;
				at = 0;
				break;
			}
		} else if (kmsg_next.kp_idx + need <= kmsg_first.kp_idx) {
			at = kmsg_next.kp_idx;
			break;
		}
		kmsg_advance(&kmsg_first);
	}
	h = (struct kmsg_hdr *)&kmsg_buf[at];
	h->kh_seq = kmsg_next.kp_seq;
	h->kh_usec = usec;
	h->kh_len = (uint16_t)len;
	h->kh_prio = (uint16_t)prio;
	h->kh_pad = 0;
	memcpy(h + 1, text, len);
	kmsg_next.kp_idx = at + need;
	kmsg_next.kp_seq++;
}

/* The waker's callout: wake the log's readers if records came. */
static void
kmsg_waker_run(void *arg)
{
	bool wake;

	(void)arg;
	spin_lock(&kmsg_lock);
	wake = kmsg_woken != kmsg_next.kp_seq;
	kmsg_woken = kmsg_next.kp_seq;
	callout_reset(&kmsg_waker, clock_monotonic_ns() + KMSG_WAKE_NS,
	    kmsg_waker_run, NULL);
	spin_unlock(&kmsg_lock);
	if (wake) {
		wakeup(&kmsg_next);
		pollwakeup(&kmsg_ph, POLLIN | POLLRDNORM);
	}
}

/* Someone may wait for records: start the waker.  kmsg_lock held. */
static void
kmsg_waker_start(void)
{
	if (kmsg_waker_on)
		return;
	kmsg_waker_on = true;
	kmsg_woken = kmsg_next.kp_seq;
	callout_reset(&kmsg_waker, clock_monotonic_ns() + KMSG_WAKE_NS,
	    kmsg_waker_run, NULL);
}

/* The line kprintf built is complete: store it.  cons_lock held. */
static void
kmsg_commit(void)
{
	/*
	 * One CPU: the lock is only busy when the log itself printed (a
	 * KASSERT under kmsg_lock, a panic).  The line is dropped then.
	 */
	if (!spin_trylock(&kmsg_lock)) {
		kmsg_lost++;
	} else {
		kmsg_store(LOG_KERN | LOG_WARNING, kmsg_line_usec, kmsg_line,
		    kmsg_linelen);
		spin_unlock(&kmsg_lock);
	}
	kmsg_linelen = 0;
}

/*
 * kprintf's feed: c is the next character printed; a newline, or a line
 * of KMSG_TEXT_MAX characters, makes a record.  cons_lock held.
 */
void
kmsg_putc(int c)
{
	if (kmsg_linelen == 0)
		kmsg_line_usec = clock_monotonic_ns() / 1000;
	if (c == '\n') {
		kmsg_commit();
		return;
	}
	kmsg_line[kmsg_linelen++] = (char)c;
	if (kmsg_linelen == sizeof(kmsg_line))
		kmsg_commit();
}

/*
 * The /dev/kmsg form of record h into out (KMSG_EXT_MAX bytes); returns
 * its length.  kmsg_lock held.
 */
static size_t
kmsg_fmt_ext(const struct kmsg_hdr *h, char *out)
{
	const unsigned char *s = (const unsigned char *)(h + 1);
	size_t n, i;

	n = (size_t)ksnprintf(out, KMSG_EXT_MAX, "%u,%lu,%lu,-;",
	    (unsigned int)h->kh_prio, h->kh_seq, h->kh_usec);
	for (i = 0; i < h->kh_len; i++) {
		if (s[i] < ' ' || s[i] >= 0x7f || s[i] == '\\')
			n += (size_t)ksnprintf(out + n, KMSG_EXT_MAX - n,
			    "\\x%02x", s[i]);
		else
			out[n++] = (char)s[i];
	}
	out[n++] = '\n';
	return n;
}

/*
 * The syslog(2) form of record h: into out (KMSG_LINE_MAX bytes) if not
 * NULL; returns its length.  kmsg_lock held.
 */
static size_t
kmsg_fmt_line(const struct kmsg_hdr *h, char *out)
{
	char pfx[48];
	size_t n;

	n = (size_t)ksnprintf(pfx, sizeof(pfx), "<%u>[%5lu.%06lu] ",
	    (unsigned int)h->kh_prio, h->kh_usec / 1000000,
	    h->kh_usec % 1000000);
	if (out != NULL) {
		memcpy(out, pfx, n);
		memcpy(out + n, h + 1, h->kh_len);
		out[n + h->kh_len] = '\n';
	}
	return n + h->kh_len + 1;
}

/* read(2) of /dev/kmsg: one record, waiting for one. */
static long
kmsg_read(struct file *fp, struct uio *uio)
{
	struct kmsg_reader *kr = fp->f_data;
	char *buf;
	size_t len;
	long n;
	int error;

	if (kr == NULL)
		return -EBADF;
	if ((buf = kmalloc(KMSG_EXT_MAX, 0)) == NULL)
		return -ENOMEM;
	spin_lock(&kmsg_lock);
	while (kr->kr_pos.kp_seq == kmsg_next.kp_seq) {
		if (file_getflags(fp) & O_NONBLOCK) {
			n = -EAGAIN;
			goto out_unlock;
		}
		kmsg_waker_start();
		if ((error = tsleep_sig(&kmsg_next, &kmsg_lock, "kmsgrd",
		    0)) < 0) {
			n = error;
			goto out_unlock;
		}
	}
	if (kr->kr_pos.kp_seq < kmsg_first.kp_seq) {
		kr->kr_pos = kmsg_first;
		n = -EPIPE;
		goto out_unlock;
	}
	len = kmsg_fmt_ext(kmsg_hdr_at(&kr->kr_pos.kp_idx), buf);
	/* As Linux: a record too long for the buffer is passed over. */
	kmsg_advance(&kr->kr_pos);
	spin_unlock(&kmsg_lock);
	n = len > uio->uio_resid ? -EINVAL : uio_move(buf, len, uio);
	kfree(buf);
	return n;
out_unlock:
	spin_unlock(&kmsg_lock);
	kfree(buf);
	return n;
}

/* Wake the log's readers now (process context, no lock held). */
static void
kmsg_wake(void)
{
	wakeup(&kmsg_next);
	pollwakeup(&kmsg_ph, POLLIN | POLLRDNORM);
}

/*
 * Parse write(2)'s optional "<N>" prefix of buf (len bytes): the level
 * and facility it gives, and returns the prefix's length (0: none).
 */
static size_t
kmsg_parse_prefix(const char *buf, size_t len, int *level, int *facility)
{
	unsigned int v = 0;
	size_t i;

	if (len == 0 || buf[0] != '<')
		return 0;
	for (i = 1; i < len && buf[i] >= '0' && buf[i] <= '9'; i++)
		v = v * 10 + (unsigned int)(buf[i] - '0');
	if (i == len || buf[i] != '>')
		return 0;
	*level = (int)(v & LOG_PRIMASK);
	if ((v >> 3 & 0xff) != 0)
		*facility = (int)(v >> 3 & 0xff);
	return i + 1;
}

/* write(2) to /dev/kmsg: one record (see the top of the file). */
static long
kmsg_write(struct file *fp, struct uio *uio)
{
	int level = LOG_WARNING, facility = LOG_USER >> 3;
	size_t len = uio->uio_resid, skip, i;
	bool echo;
	char *buf;
	long n;

	(void)fp;
	if (len > KMSG_TEXT_MAX)
		return -EINVAL;
	if ((buf = kmalloc(len, 0)) == NULL)
		return -ENOMEM;
	if ((n = uio_move(buf, len, uio)) < 0)
		goto out;
	len = (size_t)n;
	skip = kmsg_parse_prefix(buf, len, &level, &facility);
	if (len > skip && buf[len - 1] == '\n')
		len--;
	spin_lock(&kmsg_lock);
	kmsg_store(facility << 3 | level, clock_monotonic_ns() / 1000,
	    buf + skip, len - skip);
	echo = level < kmsg_console;
	spin_unlock(&kmsg_lock);
	kmsg_wake();
	if (echo) {
		/* Straight to the console, not through kprintf's feed. */
		cons_output_lock();
		for (i = skip; i < len; i++)
			cons_putc_locked(buf[i]);
		cons_putc_locked('\n');
		cons_output_unlock();
	}
out:
	kfree(buf);
	return n;
}

/* lseek(2) of /dev/kmsg: offset 0 from the oldest, clear or newest. */
static off_t
kmsg_seek(struct file *fp, off_t offset, int whence)
{
	struct kmsg_reader *kr = fp->f_data;
	off_t error = 0;

	if (kr == NULL)
		return -EBADF;
	if (offset != 0)
		return -ESPIPE;
	spin_lock(&kmsg_lock);
	switch (whence) {
	case SEEK_SET:
		kr->kr_pos = kmsg_first;
		break;
	case SEEK_DATA:
		kmsg_valid(&kmsg_clear);
		kr->kr_pos = kmsg_clear;
		break;
	case SEEK_END:
		kr->kr_pos = kmsg_next;
		break;
	default:
		error = -EINVAL;
		break;
	}
	spin_unlock(&kmsg_lock);
	return error;
}

/* poll: readable while a record waits; POLLERR|POLLPRI if some were lost. */
static int
kmsg_poll(struct file *fp, int events, struct poll_table *pt)
{
	struct kmsg_reader *kr = fp->f_data;
	int mask = 0;

	(void)events;
	if (kr == NULL)
		return POLLERR | POLLNVAL;
	spin_lock(&kmsg_lock);
	poll_wait(&kmsg_ph, pt);
	if (pt != NULL)
		kmsg_waker_start();
	if (kr->kr_pos.kp_seq != kmsg_next.kp_seq)
		mask |= POLLIN | POLLRDNORM;
	if (kr->kr_pos.kp_seq < kmsg_first.kp_seq)
		mask |= POLLERR | POLLPRI;
	spin_unlock(&kmsg_lock);
	return mask;
}

static void
kmsg_close(struct file *fp)
{
	kfree(fp->f_data);
}

/* fstat: the character device 1:11, root's, 0644. */
static int
kmsg_stat(struct file *fp, struct l_stat *st)
{
	(void)fp;
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0644;
	st->st_nlink = 1;
	st->st_rdev = DEV_ENCODE(KMSG_DEV);
	st->st_blksize = 4096;
	return 0;
}

static const struct fileops kmsg_fileops = {
	.fo_name = "kmsg",
	.fo_read = kmsg_read,
	.fo_write = kmsg_write,
	.fo_seek = kmsg_seek,
	.fo_close = kmsg_close,
	.fo_stat = kmsg_stat,
	.fo_poll = kmsg_poll,
};

/*
 * Open /dev/kmsg: a reader at the oldest record, unless write-only.
 * Reading needs privilege (dmesg_restrict): -EPERM.
 */
static int
kmsg_open(uint32_t dev, int flags, struct file **fpp)
{
	struct kmsg_reader *kr = NULL;

	if (dev != KMSG_DEV)
		return -ENXIO;
	if ((flags & O_ACCMODE) != O_WRONLY) {
		if (curproc->p_euid != 0)
			return -EPERM;
		if ((kr = kmalloc(sizeof(*kr), M_ZERO)) == NULL)
			return -ENOMEM;
		spin_lock(&kmsg_lock);
		kr->kr_pos = kmsg_first;
		spin_unlock(&kmsg_lock);
	}
	*fpp = file_alloc(&kmsg_fileops, kr, flags & ~(O_CREAT | O_EXCL |
	    O_NOCTTY | O_TRUNC | O_CLOEXEC));
	if (*fpp == NULL) {
		kfree(kr);
		return -ENOMEM;
	}
	return 0;
}

static const struct cdevsw kmsg_cdevsw = {
	.d_name = "kmsg",
	.d_open = kmsg_open,
};

/* See sys/sys/kmsg.h. */
void
kmsg_cdev_init(void)
{
	int error;

	pollhead_init(&kmsg_ph);
	if ((error = cdev_register(KMSG_DEV, &kmsg_cdevsw)) < 0 ||
	    (error = devfs_create("kmsg", 0644, VCHR, KMSG_DEV)) < 0)
		klog("kmsg", "no /dev/kmsg (error %d)", error);
}

/*
 * SYSLOG_ACTION_READ: wait for records not yet read this way, then take
 * as many whole lines as fit in len bytes (a part of the first, if even
 * that does not fit; the rest comes next time).  Returns the bytes read
 * or a negative errno.
 */
static long
kmsg_syslog_read(char __user *ubuf, size_t len)
{
	size_t done = 0, n, chunk, skip;
	char *buf;
	int error = 0;

	if ((buf = kmalloc(KMSG_LINE_MAX, 0)) == NULL)
		return -ENOMEM;
	spin_lock(&kmsg_lock);
	while (kmsg_syslog.kp_seq == kmsg_next.kp_seq) {
		kmsg_waker_start();
		if ((error = tsleep_sig(&kmsg_next, &kmsg_lock, "syslog",
		    0)) < 0)
			goto out_unlock;
	}
	while (done < len) {
		if (kmsg_syslog.kp_seq < kmsg_first.kp_seq) {
			kmsg_syslog = kmsg_first;
			kmsg_syslog_partial = 0;
		}
		if (kmsg_syslog.kp_seq == kmsg_next.kp_seq)
			break;
		n = kmsg_fmt_line(kmsg_hdr_at(&kmsg_syslog.kp_idx), buf);
		skip = kmsg_syslog_partial;
		chunk = MIN(n - skip, len - done);
		if (done > 0 && chunk < n - skip)
			break;
		if (skip + chunk == n) {
			kmsg_advance(&kmsg_syslog);
			kmsg_syslog_partial = 0;
		} else {
			kmsg_syslog_partial += chunk;
		}
		spin_unlock(&kmsg_lock);
		if ((error = copyout(buf + skip, ubuf + done, chunk)) < 0)
			goto out;
		done += chunk;
		spin_lock(&kmsg_lock);
	}
out_unlock:
	spin_unlock(&kmsg_lock);
out:
	kfree(buf);
	return done > 0 ? (long)done : error;
}

/*
 * SYSLOG_ACTION_READ_ALL (and READ_CLEAR, with clear): the newest whole
 * lines since the last clear that fit in len bytes, oldest first.
 * Returns the bytes read or a negative errno.
 */
static long
kmsg_syslog_read_all(char __user *ubuf, size_t len, bool clear)
{
	struct kmsg_pos pos, end;
	size_t done = 0, total = 0, n;
	char *buf;
	int error = 0;

	if ((buf = kmalloc(KMSG_LINE_MAX, 0)) == NULL)
		return -ENOMEM;
	spin_lock(&kmsg_lock);
	kmsg_valid(&kmsg_clear);
	for (pos = kmsg_clear; pos.kp_seq != kmsg_next.kp_seq;
	    kmsg_advance(&pos))
		total += kmsg_fmt_line(kmsg_hdr_at(&pos.kp_idx), NULL);
	for (pos = kmsg_clear; total > len; kmsg_advance(&pos))
		total -= kmsg_fmt_line(kmsg_hdr_at(&pos.kp_idx), NULL);
	end = kmsg_next;
	while (pos.kp_seq < end.kp_seq) {
		/* Records may have gone while the lock was let go. */
		kmsg_valid(&pos);
		if (pos.kp_seq >= end.kp_seq)
			break;
		n = kmsg_fmt_line(kmsg_hdr_at(&pos.kp_idx), buf);
		if (done + n > len)
			break;
		kmsg_advance(&pos);
		spin_unlock(&kmsg_lock);
		if ((error = copyout(buf, ubuf + done, n)) < 0)
			goto out;
		done += n;
		spin_lock(&kmsg_lock);
	}
	if (clear)
		kmsg_clear = pos;
	spin_unlock(&kmsg_lock);
out:
	kfree(buf);
	return error < 0 ? error : (long)done;
}

/* The bytes SYSLOG_ACTION_READ would return now.  Takes kmsg_lock. */
static long
kmsg_syslog_unread(void)
{
	struct kmsg_pos pos;
	size_t total = 0;

	spin_lock(&kmsg_lock);
	if (kmsg_syslog.kp_seq < kmsg_first.kp_seq) {
		kmsg_syslog = kmsg_first;
		kmsg_syslog_partial = 0;
	}
	for (pos = kmsg_syslog; pos.kp_seq != kmsg_next.kp_seq;
	    kmsg_advance(&pos))
		total += kmsg_fmt_line(kmsg_hdr_at(&pos.kp_idx), NULL);
	total -= kmsg_syslog_partial;
	spin_unlock(&kmsg_lock);
	return (long)total;
}

/* The console level actions of syslog(2).  Takes kmsg_lock. */
static long
kmsg_console_level(int type, int level)
{
	spin_lock(&kmsg_lock);
	switch (type) {
	case SYSLOG_ACTION_CONSOLE_OFF:
		if (kmsg_console_saved < 0)
			kmsg_console_saved = kmsg_console;
		kmsg_console = KMSG_CONSOLE_MIN;
		break;
	case SYSLOG_ACTION_CONSOLE_ON:
		if (kmsg_console_saved >= 0) {
			kmsg_console = kmsg_console_saved;
			kmsg_console_saved = -1;
		}
		break;
	default:
		kmsg_console = MAX(level, KMSG_CONSOLE_MIN);
		kmsg_console_saved = -1;
		break;
	}
	spin_unlock(&kmsg_lock);
	return 0;
}

/*
 * syslog(2): the kernel log's actions (SYSLOG_ACTION_*).  Every action
 * needs privilege (-EPERM), as with Debian's dmesg_restrict=1; then an
 * unknown action, a NULL buffer or negative length for a read, or a
 * console level outside 1..8 is -EINVAL, a buffer outside user space
 * -EFAULT.  Returns the action's result.
 */
long
sys_syslog(int type, char __user *buf, int len)
{
	if (curproc->p_euid != 0)
		return -EPERM;
	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		return 0;
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		if (buf == NULL || len < 0)
			return -EINVAL;
		if (len == 0)
			return 0;
		/* Linux's access_ok(): before anything is read. */
		if ((uintptr_t)buf >= VM_USER_MAX ||
		    VM_USER_MAX - (uintptr_t)buf < (size_t)len)
			return -EFAULT;
		if (type == SYSLOG_ACTION_READ)
			return kmsg_syslog_read(buf, (size_t)len);
		return kmsg_syslog_read_all(buf, (size_t)len,
		    type == SYSLOG_ACTION_READ_CLEAR);
	case SYSLOG_ACTION_CLEAR:
		spin_lock(&kmsg_lock);
		kmsg_clear = kmsg_next;
		spin_unlock(&kmsg_lock);
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		if (len < 1 || len > 8)
			return -EINVAL;
		/* FALLTHROUGH */
	case SYSLOG_ACTION_CONSOLE_OFF:
	case SYSLOG_ACTION_CONSOLE_ON:
		return kmsg_console_level(type, len);
	case SYSLOG_ACTION_SIZE_UNREAD:
		return kmsg_syslog_unread();
	case SYSLOG_ACTION_SIZE_BUFFER:
		return KMSG_BUFSIZE;
	default:
		return -EINVAL;
	}
}
