/*
 * The console as a file: what descriptors 0, 1 and 2 of the first
 * process refer to, until the terminals issue brings /dev/console and
 * the full line discipline.
 *
 * Reading is line by line with echo, as a terminal in its default
 * (canonical) mode does: Enter ends a line and is delivered as '\n',
 * Backspace erases, ^D at the start of a line is end of file.  One read
 * returns at most one line.  The console has no position: lseek, pread
 * and pwrite fail with ESPIPE, as on a Linux terminal.
 *
 * Locking: cons_rd_lock protects cons_rd_busy, which gives the input line
 * (cons_line and its offsets) to one reader at a time; the others sleep
 * on it.  Writers need nothing beyond the console's own lock.
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/ioctl.h>
#include <sys/cons.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#define CONS_LINE_MAX	4096
#define EOT		0x04	/* ^D */

/*
 * The current input line: filled by cons_readline, drained by reads.  A
 * line is done when Enter or ^D ended it; until then a signal may
 * interrupt the reader, and what was typed stays for the next read.
 */
static char	cons_line[CONS_LINE_MAX];	/* [busy] */
static size_t	cons_line_len, cons_line_off;	/* [busy] */
static bool	cons_line_done;			/* [busy] */
static bool	cons_line_eof;			/* [busy] */
static bool	cons_rd_busy;			/* [cons_rd_lock] */
static struct spinlock cons_rd_lock = SPINLOCK_INIT("cons_rd_lock");

/*
 * Read and echo into cons_line until the line is done (canonical mode):
 * 0, or -EINTR when a signal came first (the partial line is kept).
 */
static int
cons_readline(void)
{
	int c;

	for (;;) {
		if ((c = cons_getc_wait_sig()) < 0)
			return c;
		if (c == '\r' || c == '\n') {
			cons_putc('\n');
			cons_line[cons_line_len++] = '\n';
			cons_line_done = true;
			return 0;
		}
		if (c == EOT) {
			cons_line_eof = cons_line_len == 0;
			cons_line_done = true;
			return 0;
		}
		if (c == 0x7f || c == '\b') {
			if (cons_line_len > 0) {
				cons_line_len--;
				cons_write("\b \b", 3);
			}
			continue;
		}
		if (cons_line_len + 1 < sizeof(cons_line)) {
			cons_line[cons_line_len++] = c;
			cons_putc(c);
		}
	}
}

/* One reader at a time owns the input line; -EINTR for a signal. */
static int
cons_rd_enter(void)
{
	spin_lock(&cons_rd_lock);
	while (cons_rd_busy) {
		if (tsleep_sig(&cons_rd_busy, &cons_rd_lock, "consrd", 0) ==
		    -EINTR) {
			spin_unlock(&cons_rd_lock);
			return -EINTR;
		}
	}
	cons_rd_busy = true;
	spin_unlock(&cons_rd_lock);
	return 0;
}

static void
cons_rd_exit(void)
{
	spin_lock(&cons_rd_lock);
	cons_rd_busy = false;
	wakeup(&cons_rd_busy);
	spin_unlock(&cons_rd_lock);
}

/* Copy the rest of the current line (reading one if none) to uio. */
static long
cons_file_read(struct file *fp, struct uio *uio)
{
	long n = 0;

	(void)fp;
	if ((n = cons_rd_enter()) < 0)
		return n;
	if (!cons_line_done && (n = cons_readline()) < 0)
		goto out;
	if (cons_line_eof) {
		n = 0;
	} else {
		n = uio_move(cons_line + cons_line_off,
		    cons_line_len - cons_line_off, uio);
		if (n > 0)
			cons_line_off += n;
	}
	/* The line is used up: the next read starts a new one. */
	if (cons_line_eof || cons_line_off >= cons_line_len) {
		cons_line_len = cons_line_off = 0;
		cons_line_done = cons_line_eof = false;
	}
out:
	cons_rd_exit();
	return n;
}

/* Write uio to the console, a bounce buffer at a time. */
static long
cons_file_write(struct file *fp, struct uio *uio)
{
	char buf[256];
	long done = 0, n;

	(void)fp;
	while (uio->uio_resid > 0) {
		n = uio_move(buf, MIN(uio->uio_resid, sizeof(buf)), uio);
		if (n <= 0)
			return done > 0 ? done : n;
		cons_write(buf, n);
		done += n;
	}
	return done;
}

/*
 * The window size (musl's stdio asks it to decide line buffering); the
 * full termios set comes with the terminals issue.
 */
static long
cons_file_ioctl(struct file *fp, unsigned int cmd, unsigned long arg)
{
	struct l_winsize ws = { 25, 80, 0, 0 };

	(void)fp;
	switch (cmd) {
	case TIOCGWINSZ:
		return copyout(&ws, (void __user *)arg, sizeof(ws));
	default:
		return -ENOTTY;
	}
}

/* fstat: the character device 5:1, /dev/console, owned by root. */
static int
cons_file_stat(struct file *fp, struct l_stat *st)
{
	(void)fp;
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0600;
	st->st_nlink = 1;
	st->st_rdev = DEV_ENCODE(MKDEV(5, 1));
	st->st_blksize = 1024;
	return 0;
}

/*
 * poll(2): readable when a typed line waits or input has arrived (a read
 * may then still wait for the rest of the line: this console has no
 * termios yet to tell canonical from raw input); always writable.
 * kern_cons.c wakes cons_pollhead for each input byte.
 */
static int
cons_file_poll(struct file *fp, int events, struct poll_table *pt)
{
	int mask = POLLOUT | POLLWRNORM;

	(void)fp;
	(void)events;
	poll_wait(&cons_pollhead, pt);
	spin_lock(&cons_rd_lock);
	if (cons_line_done && !cons_rd_busy)
		mask |= POLLIN | POLLRDNORM;
	spin_unlock(&cons_rd_lock);
	if (cons_input_ready())
		mask |= POLLIN | POLLRDNORM;
	return mask;
}

static const struct fileops cons_fileops = {
	.fo_name = "console",
	.fo_read = cons_file_read,
	.fo_write = cons_file_write,
	.fo_ioctl = cons_file_ioctl,
	.fo_close = NULL,	/* the console itself stays */
	.fo_seek = NULL,
	.fo_stat = cons_file_stat,
	.fo_poll = cons_file_poll,
};

/* Opening /dev/console (5:1) or /dev/tty (5:0): the one console. */
static int
cons_cdev_open(uint32_t dev, int flags, struct file **fpp)
{
	(void)dev;
	(void)flags;
	if ((*fpp = cons_file_open()) == NULL)
		return -ENOMEM;
	return 0;
}

static const struct cdevsw cons_cdevsw = {
	.d_name = "console",
	.d_open = cons_cdev_open,
};

/* Register the console's device numbers (at boot, before init). */
void
cons_cdev_init(void)
{
	(void)cdev_register(MKDEV(5, 1), &cons_cdevsw);
	(void)cdev_register(MKDEV(5, 0), &cons_cdevsw);
}

/*
 * A new open file description of the console, read-write, with one
 * reference.  Returns NULL when out of memory.
 */
struct file *
cons_file_open(void)
{
	return file_alloc(&cons_fileops, NULL, O_RDWR | O_LARGEFILE);
}
