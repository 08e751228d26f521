/*
 * Descriptors 0, 1 and 2: the console, until the VFS issue brings real
 * file descriptors (it replaces this file with the descriptor table and
 * the tty line discipline).
 *
 * Every process has exactly these three descriptors and cannot close or
 * duplicate them yet; any other descriptor number is EBADF, as Linux says
 * for a descriptor that is not open.  Reading is line by line with echo,
 * as a terminal in its default (canonical) mode does: Enter ends a line
 * and is delivered as '\n', Backspace erases, ^D at the start of a line is
 * end of file.
 *
 * Locking: cons_rd_lock protects cons_rd_busy, which gives the input line
 * (cons_line and its offsets) to one reader at a time; the others sleep
 * on it.  Writers need nothing beyond the console's own lock.
 */
#include <sys/abi/ioctl.h>
#include <sys/abi/uio.h>
#include <sys/cons.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <sysproto.h>

#define CONS_FD_MAX	2
#define CONS_LINE_MAX	4096
#define EOT		0x04	/* ^D */

/* The current input line: filled by cons_readline, drained by reads. */
static char	cons_line[CONS_LINE_MAX];	/* [busy] */
static size_t	cons_line_len, cons_line_off;	/* [busy] */
static bool	cons_line_eof;			/* [busy] */
static bool	cons_rd_busy;			/* [cons_rd_lock] */
static struct spinlock cons_rd_lock = SPINLOCK_INIT("cons_rd_lock");

/* Read and echo one line into cons_line (canonical mode). */
static void
cons_readline(void)
{
	int c;

	cons_line_len = cons_line_off = 0;
	cons_line_eof = false;
	for (;;) {
		c = cons_getc_wait();
		if (c == '\r' || c == '\n') {
			cons_putc('\n');
			cons_line[cons_line_len++] = '\n';
			return;
		}
		if (c == EOT) {
			if (cons_line_len == 0)
				cons_line_eof = true;
			return;
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

/* Copy up to len bytes of console input to ubuf; 0 at end of file. */
static long
cons_read_user(void __user *ubuf, size_t len)
{
	size_t n;

	if (len == 0)
		return 0;
	if (cons_line_off >= cons_line_len) {
		cons_readline();
		if (cons_line_eof)
			return 0;
	}
	n = MIN(len, cons_line_len - cons_line_off);
	if (copyout(cons_line + cons_line_off, ubuf, n) < 0)
		return -EFAULT;
	cons_line_off += n;
	return n;
}

/* Write len bytes from ubuf to the console, a bounce buffer at a time. */
static long
cons_write_user(const void __user *ubuf, size_t len)
{
	char buf[256];
	size_t done = 0, n;

	while (done < len) {
		n = MIN(len - done, sizeof(buf));
		if (copyin((const char __user *)ubuf + done, buf, n) < 0)
			return done > 0 ? (long)done : -EFAULT;
		cons_write(buf, n);
		done += n;
	}
	return done;
}

static bool
cons_fd_ok(int fd)
{
	return fd >= 0 && fd <= CONS_FD_MAX;
}

/* One reader at a time owns the input line. */
static void
cons_rd_enter(void)
{
	spin_lock(&cons_rd_lock);
	while (cons_rd_busy)
		tsleep(&cons_rd_busy, &cons_rd_lock, "consrd", 0);
	cons_rd_busy = true;
	spin_unlock(&cons_rd_lock);
}

static void
cons_rd_exit(void)
{
	spin_lock(&cons_rd_lock);
	cons_rd_busy = false;
	wakeup(&cons_rd_busy);
	spin_unlock(&cons_rd_lock);
}

/* read(2) */
long
sys_read(int fd, void __user *buf, size_t count)
{
	long n;

	if (!cons_fd_ok(fd))
		return -EBADF;
	if ((ssize_t)count < 0)
		return -EINVAL;
	cons_rd_enter();
	n = cons_read_user(buf, count);
	cons_rd_exit();
	return n;
}

/* write(2) */
long
sys_write(int fd, const void __user *buf, size_t count)
{
	if (!cons_fd_ok(fd))
		return -EBADF;
	if ((ssize_t)count < 0)
		return -EINVAL;
	return cons_write_user(buf, count);
}

/*
 * readv(2) and writev(2): the vectors in order; a short transfer ends the
 * call with what was done.
 */
static long
cons_rw_vec(int fd, const struct l_iovec __user *uiov, unsigned long iovcnt,
    bool writing)
{
	struct l_iovec iov;
	long total = 0, n;
	unsigned long i;

	if (!cons_fd_ok(fd))
		return -EBADF;
	if (iovcnt > UIO_MAXIOV)
		return -EINVAL;
	for (i = 0; i < iovcnt; i++) {
		if (copyin(&uiov[i], &iov, sizeof(iov)) < 0)
			return total > 0 ? total : -EFAULT;
		if ((ssize_t)iov.iov_len < 0)
			return -EINVAL;
		if (iov.iov_len == 0)
			continue;
		if (writing) {
			n = cons_write_user(iov.iov_base, iov.iov_len);
		} else {
			cons_rd_enter();
			n = cons_read_user(iov.iov_base, iov.iov_len);
			cons_rd_exit();
		}
		if (n < 0)
			return total > 0 ? total : n;
		total += n;
		if ((size_t)n < iov.iov_len)
			break;
		if (!writing)
			break;	/* one line per read, like a terminal */
	}
	return total;
}

long
sys_readv(int fd, const struct l_iovec __user *iov, unsigned long iovcnt)
{
	return cons_rw_vec(fd, iov, iovcnt, false);
}

long
sys_writev(int fd, const struct l_iovec __user *iov, unsigned long iovcnt)
{
	return cons_rw_vec(fd, iov, iovcnt, true);
}

/*
 * ioctl(2) on the console: the window size (musl's stdio asks it to decide
 * line buffering); the full termios set comes with the terminals issue.
 */
long
sys_ioctl(int fd, unsigned int cmd, unsigned long arg)
{
	struct l_winsize ws = { 25, 80, 0, 0 };

	if (!cons_fd_ok(fd))
		return -EBADF;
	switch (cmd) {
	case TIOCGWINSZ:
		return copyout(&ws, (void __user *)arg, sizeof(ws));
	default:
		return -ENOTTY;
	}
}
