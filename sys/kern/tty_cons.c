/*
 * The console terminal: /dev/console as a struct tty (sys/tty.h), so
 * that canonical mode, echo, signals, termios and job control work on
 * it as on a pty.  Descriptors 0, 1 and 2 of init are opens of it, and
 * the names of kern/tty_dev.c (tty0, tty1, the console's ttyS) open it
 * too: the keyboard and the serial port feed one input, and its output
 * goes to every console device.
 *
 *	keyboard, UART interrupt --> cons_input --> ring (kern_cons.c)
 *	    --> cons_tty_pump --> tty_input --> readers, echo
 *	writers, echo --> tty output queue --> cons_tty_start
 *	    --> cons_write_raw --> serial port, screen
 *
 * The ring stays in between so that a byte received while the serial
 * driver polls its transmitter (cons_lock held, which comes after
 * t_lock) is kept until the next pump.  The pump runs from the
 * interrupt handlers (interrupts off: tty_input takes spin locks only)
 * and after every read, write and poll of the terminal, and moves only
 * as many bytes as the terminal's input queue has room for; the rest
 * wait in the ring (CONS_INBUF_SIZE bytes), so a paste is not lost while
 * the reader catches up.  The kernel monitor reads the ring itself
 * (cons_getc_wait): once it waits, the terminal gets no input.
 *
 * Lock order: cons_pump_lock, then the tty's t_lock, then cons_lock.
 * cons_tty and cons_tty_live are set at boot (before init) and by the
 * first open, then only read.
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/ioctl.h>
#include <sys/abi/stat.h>
#include <sys/cons.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/tty.h>
#include <sys/vnode.h>

static struct tty *cons_tty;		/* [I] after cons_cdev_init */
static volatile bool cons_tty_live;	/* set once: a process opened it */
static struct spinlock cons_pump_lock = SPINLOCK_INIT("cons_pump");

static const struct cons_node cons_node_console = {
	MKDEV(5, 1), 0600, true
};

/*
 * The terminal's output waits (t_lock held): write it all to the
 * console devices, already processed (ONLCR), so none adds a CR.
 */
static void
cons_tty_start(struct tty *tp)
{
	uint8_t buf[128];
	size_t n;

	while ((n = tty_getout(tp, buf, sizeof(buf))) > 0)
		cons_write_raw((const char *)buf, n);
}

/*
 * Move ring bytes into the console terminal while its input queue has
 * room; see the comment at the top.  Takes cons_pump_lock, then t_lock
 * and cons_lock in turn.
 */
void
cons_tty_pump(void)
{
	struct tty *tp = cons_tty;
	size_t room;
	int c;

	if (tp == NULL || !cons_tty_live || cons_kernel_reader())
		return;
	spin_lock(&cons_pump_lock);
	for (;;) {
		spin_lock(&tp->t_lock);
		room = tty_inroom(tp);
		spin_unlock(&tp->t_lock);
		if (room == 0 || (c = cons_getc()) < 0)
			break;
		(void)tty_input(tp, c);
	}
	spin_unlock(&cons_pump_lock);
}

static long
cons_file_read(struct file *fp, struct uio *uio)
{
	long n;

	cons_tty_pump();
	n = tty_read(cons_tty, uio, fp->f_flags);
	cons_tty_pump();	/* the reader made room */
	return n;
}

static long
cons_file_write(struct file *fp, struct uio *uio)
{
	long n;

	n = tty_write(cons_tty, uio, fp->f_flags);
	cons_tty_pump();	/* input taken while transmitting */
	return n;
}

static long
cons_file_ioctl(struct file *fp, unsigned int cmd, unsigned long arg)
{
	long error;

	(void)fp;
	error = tty_ioctl(cons_tty, cmd, arg, false);
	cons_tty_pump();	/* a flush or a new mode: room may differ */
	return error;
}

static int
cons_file_poll(struct file *fp, int events, struct poll_table *pt)
{
	(void)fp;
	cons_tty_pump();
	return tty_poll(cons_tty, events, pt);
}

/* fstat: the name's device number and mode, owned by root. */
static int
cons_file_stat(struct file *fp, struct l_stat *st)
{
	const struct cons_node *node = fp->f_data;

	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | node->cnd_mode;
	st->st_nlink = 1;
	st->st_rdev = DEV_ENCODE(node->cnd_dev);
	st->st_blksize = 1024;
	return 0;
}

static const struct fileops cons_fileops = {
	.fo_name = "console",
	.fo_read = cons_file_read,
	.fo_write = cons_file_write,
	.fo_ioctl = cons_file_ioctl,
	.fo_close = NULL,	/* the console terminal stays */
	.fo_seek = NULL,	/* a terminal has no position: ESPIPE */
	.fo_stat = cons_file_stat,
	.fo_poll = cons_file_poll,
};

/* A file of the console terminal named node; input flows from now on. */
static int
cons_tty_file(const struct cons_node *node, int flags, struct file **fpp)
{
	if ((*fpp = file_alloc(&cons_fileops, (void *)node,
	    (flags & (O_ACCMODE | O_NONBLOCK)) | O_LARGEFILE)) == NULL)
		return -ENOMEM;
	cons_tty_live = true;
	cons_tty_pump();	/* what was typed before the first open */
	return 0;
}

/*
 * Open the console terminal under the name node (see sys/file.h).  No
 * lock held.  Returns 0, -ENXIO, -EBUSY or -ENOMEM.
 */
int
cons_tty_open(const struct cons_node *node, int flags, struct file **fpp)
{
	int error;

	if (cons_tty == NULL)
		return -ENXIO;
	if ((error = tty_open(cons_tty, node->cnd_noctty ||
	    (flags & O_NOCTTY) != 0)) < 0)
		return error;
	return cons_tty_file(node, flags, fpp);
}

/* /dev/console (5:1): never a controlling terminal by opening, as Linux. */
static int
cons_cdev_open(uint32_t dev, int flags, struct file **fpp)
{
	(void)dev;
	return cons_tty_open(&cons_node_console, flags, fpp);
}

/*
 * /dev/tty (5:0): the caller's controlling terminal, opened through its
 * own device (a pty slave, the console); -ENXIO without one.
 */
static int
ctty_cdev_open(uint32_t dev, int flags, struct file **fpp)
{
	const struct cdevsw *sw;
	uint32_t cdev;
	int error;

	(void)dev;
	if ((error = tty_ctty_dev(curproc, &cdev)) < 0)
		return error;
	if (cdev == MKDEV(5, 0) || (sw = cdev_lookup(cdev)) == NULL ||
	    sw->d_open == NULL)
		return -ENXIO;
	return sw->d_open(cdev, flags | O_NOCTTY, fpp);
}

static const struct cdevsw cons_cdevsw = {
	.d_name = "console",
	.d_open = cons_cdev_open,
};

static const struct cdevsw ctty_cdevsw = {
	.d_name = "tty",
	.d_open = ctty_cdev_open,
};

/*
 * Make the console terminal, its window the screen's size, and register
 * /dev/console and /dev/tty (at boot, before init).  Failures are
 * logged; the console then cannot be opened (ENXIO).
 */
void
cons_cdev_init(void)
{
	uint16_t rows, cols;

	if ((cons_tty = tty_alloc("console", MKDEV(5, 1), cons_tty_start,
	    NULL)) == NULL) {
		klog("tty", "no console terminal: out of memory");
	} else if (cons_screen_size(&rows, &cols)) {
		spin_lock(&cons_tty->t_lock);
		cons_tty->t_winsize.ws_row = rows;
		cons_tty->t_winsize.ws_col = cols;
		spin_unlock(&cons_tty->t_lock);
	}
	(void)cdev_register(MKDEV(5, 1), &cons_cdevsw);
	(void)cdev_register(MKDEV(5, 0), &ctty_cdevsw);
}

/*
 * A new open file description of the console terminal, read-write, with
 * one reference, for init's descriptors 0-2: no controlling terminal is
 * acquired (Linux gives init none).  Returns NULL when out of memory or
 * without a console terminal.
 */
struct file *
cons_file_open(void)
{
	struct file *fp;

	if (cons_tty == NULL || cons_tty_file(&cons_node_console, O_RDWR,
	    &fp) < 0)
		return NULL;
	return fp;
}
