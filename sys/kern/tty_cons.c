/*
 * The terminals on console hardware (struct constty, sys/cons.h): each
 * serial port (ttyS0-3, dev/ic/ns16550.c) and each virtual console
 * (tty1-4, dev/cons/vcons.c) is a struct tty of its own (sys/tty.h), so
 * that canonical mode, echo, signals, termios and job control work on it
 * as on a pty, and typing on one never reaches another.  Here are what
 * they share: moving their input into the line discipline, their files,
 * and /dev/console, /dev/tty.
 *
 *	UART or keyboard interrupt --> cons_in_put --> ct_in (kern_cons.c)
 *	    --> constty_pump --> tty_input --> readers, echo
 *	writers, echo --> tty output queue --> the driver's t_start
 *	    --> that port, or that virtual console's grid and the screen
 *
 * The ring stays in between so that a byte received while the serial
 * driver polls its transmitter (cons_lock held, which comes after
 * t_lock) is kept until the next pump.  The pump runs from the interrupt
 * handlers (interrupts off: tty_input takes spin locks only), from a
 * callout for bytes stored under cons_lock, and after every read, write
 * and poll of the terminal, and moves only as many bytes as the
 * terminal's input queue has room for; the rest wait in the ring
 * (CONS_INBUF_SIZE bytes), so a paste is not lost while the reader
 * catches up.  The kernel monitor reads the rings itself
 * (cons_getc_wait): once it waits, the terminals get no input.
 *
 * /dev/console is Linux's: the terminal of the last console= on the
 * kernel command line (console=ttyS0, console=tty1, console=tty0 for
 * the VC shown at boot).  Without one it is the serial port the boot
 * console prints on (ttyS0, COM1) when there is one, else tty1 - not
 * Linux's tty0 default, since QEMU's serial line is EclipseOS's main
 * interface.  Kernel messages go to every console device whatever it
 * is (kern_cons.c).
 *
 * Lock order: ct_pumplock, then the tty's t_lock, then cons_lock;
 * constty_lock is a leaf.  cons_dev_ct is set at boot (cons_cdev_init),
 * then only read.
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/ioctl.h>
#include <sys/abi/stat.h>
#include <sys/cons.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/malloc.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/tty.h>
#include <sys/vnode.h>

static struct spinlock constty_lock = SPINLOCK_INIT("constty");
static struct constty *constty_list;		/* [constty_lock] */
static struct constty *cons_dev_ct;		/* [I] /dev/console's */

static const struct cons_node cons_node_console = {
	MKDEV(5, 1), 0600, true
};

/*
 * An open file of a console terminal: the terminal, and the name it was
 * opened by (what fstat shows).  Immutable.
 */
struct constty_file {
	struct constty		*cf_ct;
	const struct cons_node	*cf_node;
};

/* Input arrived in ct's ring (cons_in_put, or its callout). */
static void
constty_notify(struct cons_in *ci)
{
	constty_pump(ci->ci_arg);
}

/* See sys/cons.h: the ring alone, registered for the kernel monitor. */
void
constty_init(struct constty *ct, const char *name)
{
	ct->ct_name = name;
	ct->ct_tty = NULL;
	ct->ct_live = false;
	spin_init(&ct->ct_pumplock, "constty_pump");
	ct->ct_in.ci_name = name;
	ct->ct_in.ci_notify = constty_notify;
	ct->ct_in.ci_arg = ct;
	cons_in_register(&ct->ct_in);
}

/*
 * Give ct its terminal and put it on constty_list (sys/cons.h).  Takes
 * the new tty's t_lock, then constty_lock.
 */
int
constty_attach(struct constty *ct, uint32_t dev, void (*start)(struct tty *),
    void *sc, uint16_t rows, uint16_t cols)
{
	struct tty *tp;

	if ((tp = tty_alloc(ct->ct_name, dev, start, sc)) == NULL)
		return -ENOMEM;
	spin_lock(&tp->t_lock);
	tp->t_winsize.ws_row = rows;
	tp->t_winsize.ws_col = cols;
	spin_unlock(&tp->t_lock);
	ct->ct_dev = dev;
	ct->ct_tty = tp;
	spin_lock(&constty_lock);
	ct->ct_next = constty_list;
	constty_list = ct;
	spin_unlock(&constty_lock);
	return 0;
}

/* The attached terminal with device number dev; see sys/cons.h. */
struct constty *
constty_lookup(uint32_t dev)
{
	struct constty *ct;

	spin_lock(&constty_lock);
	for (ct = constty_list; ct != NULL && ct->ct_dev != dev;
	    ct = ct->ct_next)
		;
	spin_unlock(&constty_lock);
	return ct;
}

/*
 * Move ring bytes into ct's terminal while its input queue has room; see
 * the comment at the top.  Takes ct_pumplock, then t_lock and cons_lock
 * in turn.
 */
void
constty_pump(struct constty *ct)
{
	struct tty *tp = ct->ct_tty;
	size_t room;
	int c;

	if (tp == NULL || !ct->ct_live || cons_kernel_reader())
		return;
	spin_lock(&ct->ct_pumplock);
	for (;;) {
		spin_lock(&tp->t_lock);
		room = tty_inroom(tp);
		spin_unlock(&tp->t_lock);
		if (room == 0 || (c = cons_in_get(&ct->ct_in)) < 0)
			break;
		(void)tty_input(tp, c);
	}
	spin_unlock(&ct->ct_pumplock);
}

static struct constty *
constty_fp(struct file *fp)
{
	return ((struct constty_file *)fp->f_data)->cf_ct;
}

static long
constty_file_read(struct file *fp, struct uio *uio)
{
	struct constty *ct = constty_fp(fp);
	long n;

	constty_pump(ct);
	n = tty_read(ct->ct_tty, uio, fp->f_flags);
	constty_pump(ct);	/* the reader made room */
	return n;
}

static long
constty_file_write(struct file *fp, struct uio *uio)
{
	struct constty *ct = constty_fp(fp);
	long n;

	n = tty_write(ct->ct_tty, uio, fp->f_flags);
	constty_pump(ct);	/* input taken while transmitting */
	return n;
}

static long
constty_file_ioctl(struct file *fp, unsigned int cmd, unsigned long arg)
{
	struct constty *ct = constty_fp(fp);
	long error;

	error = tty_ioctl(ct->ct_tty, cmd, arg, false);
	constty_pump(ct);	/* a flush or a new mode: room may differ */
	return error;
}

static int
constty_file_poll(struct file *fp, int events, struct poll_table *pt)
{
	struct constty *ct = constty_fp(fp);

	constty_pump(ct);
	return tty_poll(ct->ct_tty, events, pt);
}

/* fstat: the name's device number and mode, owned by root. */
static int
constty_file_stat(struct file *fp, struct l_stat *st)
{
	const struct cons_node *node =
	    ((struct constty_file *)fp->f_data)->cf_node;

	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | node->cnd_mode;
	st->st_nlink = 1;
	st->st_rdev = DEV_ENCODE(node->cnd_dev);
	st->st_blksize = 1024;
	return 0;
}

/* The last reference went: the terminal stays, its file goes. */
static void
constty_file_close(struct file *fp)
{
	kfree(fp->f_data);
}

static const struct fileops constty_fileops = {
	.fo_name = "console",
	.fo_read = constty_file_read,
	.fo_write = constty_file_write,
	.fo_ioctl = constty_file_ioctl,
	.fo_close = constty_file_close,
	.fo_seek = NULL,	/* a terminal has no position: ESPIPE */
	.fo_stat = constty_file_stat,
	.fo_poll = constty_file_poll,
};

/*
 * A file of ct named node; input flows from now on.  Returns 0 or
 * -ENOMEM.
 */
static int
constty_file(struct constty *ct, const struct cons_node *node, int flags,
    struct file **fpp)
{
	struct constty_file *cf;

	if ((cf = kmalloc(sizeof(*cf), 0)) == NULL)
		return -ENOMEM;
	cf->cf_ct = ct;
	cf->cf_node = node;
	if ((*fpp = file_alloc(&constty_fileops, cf,
	    (flags & (O_ACCMODE | O_NONBLOCK)) | O_LARGEFILE)) == NULL) {
		kfree(cf);
		return -ENOMEM;
	}
	ct->ct_live = true;
	constty_pump(ct);	/* what was typed before the first open */
	return 0;
}

/*
 * Open console terminal ct under the name node (see sys/file.h): it
 * becomes the caller's controlling terminal as tty_open says, unless
 * the name never does or O_NOCTTY.  No lock held.  Returns 0, -ENXIO (no
 * terminal), -EBUSY or -ENOMEM.
 */
int
constty_open(struct constty *ct, const struct cons_node *node, int flags,
    struct file **fpp)
{
	int error;

	if (ct == NULL || ct->ct_tty == NULL)
		return -ENXIO;
	if ((error = tty_open(ct->ct_tty, node->cnd_noctty ||
	    (flags & O_NOCTTY) != 0)) < 0)
		return error;
	return constty_file(ct, node, flags, fpp);
}

/*
 * Open /dev/console's terminal under the name node (sys/file.h).  No
 * lock held.  Returns 0, -ENXIO, -EBUSY or -ENOMEM.
 */
int
cons_tty_open(const struct cons_node *node, int flags, struct file **fpp)
{
	return constty_open(cons_dev_ct, node, flags, fpp);
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
 * own device (a pty slave, a serial port, a VC); -ENXIO without one.
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
 * The terminal a console= value names: "ttyS0".."ttyS3", "tty1".."tty4",
 * "tty0" (the VC shown), with serial options after a comma ignored
 * ("ttyS0,115200").  NULL when there is no such terminal.
 */
static struct constty *
cons_dev_lookup(const char *v, size_t len)
{
	int n;

	if (len >= 5 && strncmp(v, "ttyS", 4) == 0 && v[4] >= '0' &&
	    v[4] <= '9' && (len == 5 || v[5] == ','))
		return constty_lookup(MKDEV(4, 64 + (v[4] - '0')));
	if (len == 4 && strncmp(v, "tty", 3) == 0 && v[3] >= '0' &&
	    v[3] <= '9') {
		n = v[3] - '0';
		return vcons_constty(n == 0 ? vcons_visible() : n);
	}
	return NULL;
}

/*
 * /dev/console's terminal: the last console= of the command line that
 * names one (a named one that does not exist is logged and skipped),
 * else ttyS0, else tty1.
 */
static struct constty *
cons_dev_choose(void)
{
	const char *p = cmdline_string(), *w;
	struct constty *ct, *found = NULL;
	size_t len;

	while ((w = cmdline_word(&p, &len)) != NULL) {
		if (len <= 8 || strncmp(w, "console=", 8) != 0)
			continue;
		if ((ct = cons_dev_lookup(w + 8, len - 8)) != NULL)
			found = ct;
		else
			klog("tty", "%.*s: no such terminal", (int)len, w);
	}
	if (found != NULL)
		return found;
	if ((ct = constty_lookup(MKDEV(4, 64))) != NULL)
		return ct;
	return vcons_constty(1);
}

/*
 * Give the virtual consoles their terminals, choose /dev/console's, and
 * register /dev/console and /dev/tty (at boot, before init; the serial
 * ports attached already).  Failures are logged; the console then
 * cannot be opened (ENXIO).
 */
void
cons_cdev_init(void)
{
	vcons_tty_init();
	if ((cons_dev_ct = cons_dev_choose()) == NULL)
		klog("tty", "no terminal for /dev/console");
	else
		kprintf("tty: /dev/console is %s\n", cons_dev_ct->ct_name);
	(void)cdev_register(MKDEV(5, 1), &cons_cdevsw);
	(void)cdev_register(MKDEV(5, 0), &ctty_cdevsw);
}

/*
 * A new open file description of /dev/console's terminal, read-write,
 * with one reference, for init's descriptors 0-2: no controlling
 * terminal is acquired (Linux gives init none).  Returns NULL when out
 * of memory or without a console terminal.
 */
struct file *
cons_file_open(void)
{
	struct file *fp;

	if (cons_dev_ct == NULL || cons_dev_ct->ct_tty == NULL ||
	    constty_file(cons_dev_ct, &cons_node_console, O_RDWR, &fp) < 0)
		return NULL;
	return fp;
}
