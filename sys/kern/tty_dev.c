/*
 * The terminal device nodes, until the terminals issue brings real
 * terminals: every name below opens the one console (kern/tty_cons.c).
 * Numbers are Linux's (Documentation/admin-guide/devices.txt), modes
 * Debian's udev rules' (their groups, tty and dialout, are root here):
 *
 *	/dev/tty	5:0	0666	the controlling terminal
 *	/dev/console	5:1	0600	the system console
 *	/dev/tty0	4:0	0620	the current virtual console
 *	/dev/tty1	4:1	0620	the first virtual console
 *	/dev/ttyS0..3	4:64-67	0660	the 16550 UARTs at 0x3f8, 0x2f8, 0x3e8
 *					and 0x2e8, for the ports that answered
 *
 * tty and console belong to tty_cons.c, which registers them.  tty0 and
 * tty1 are the screen console, which is the console; a ttyS port opens
 * as the console when the console is on it, and otherwise fails with
 * ENXIO (and a log line) until a driver can read and write the port.
 *
 * Their files share the console's operations through one console file
 * (tty_cons_fp) and differ only in what fstat says (f_data: the name's
 * struct tty_dev).  The variables below are set at boot and read-only
 * afterwards.
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/stat.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <fs/devfs/devfs.h>

#define TTY_MAJOR	4
#define TTYS_MINOR	64
#define TTYS_MAX	4

struct tty_dev {
	const char	*td_name;	/* [I] */
	uint32_t	 td_dev;	/* [I] */
	uint32_t	 td_mode;	/* [I] */
	bool		 td_console;	/* [I] opens the console */
};

static struct tty_dev tty_devs[] = {
	{ "tty0",	MKDEV(TTY_MAJOR, 0),		0620, true },
	{ "tty1",	MKDEV(TTY_MAJOR, 1),		0620, true },
	{ "ttyS0",	MKDEV(TTY_MAJOR, TTYS_MINOR),	0660, false },
	{ "ttyS1",	MKDEV(TTY_MAJOR, TTYS_MINOR + 1), 0660, false },
	{ "ttyS2",	MKDEV(TTY_MAJOR, TTYS_MINOR + 2), 0660, false },
	{ "ttyS3",	MKDEV(TTY_MAJOR, TTYS_MINOR + 3), 0660, false },
};
#define TTY_DEV_TTYS	2	/* index of ttyS0 */

/* The PC's serial ports, in Linux's ttyS order. */
static const uint16_t tty_uart_ports[TTYS_MAX] = {
	0x3f8, 0x2f8, 0x3e8, 0x2e8
};

static struct file *tty_cons_fp;	/* [I] the shared console file */

static long
tty_dev_read(struct file *fp, struct uio *uio)
{
	(void)fp;
	return tty_cons_fp->f_ops->fo_read(tty_cons_fp, uio);
}

static long
tty_dev_write(struct file *fp, struct uio *uio)
{
	(void)fp;
	return tty_cons_fp->f_ops->fo_write(tty_cons_fp, uio);
}

static long
tty_dev_ioctl(struct file *fp, unsigned int cmd, unsigned long arg)
{
	(void)fp;
	return tty_cons_fp->f_ops->fo_ioctl(tty_cons_fp, cmd, arg);
}

/* fstat: the name's own device number and mode, owned by root. */
static int
tty_dev_stat(struct file *fp, struct l_stat *st)
{
	const struct tty_dev *td = fp->f_data;

	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | td->td_mode;
	st->st_nlink = 1;
	st->st_rdev = DEV_ENCODE(td->td_dev);
	st->st_blksize = 1024;
	return 0;
}

static const struct fileops tty_dev_ops = {
	.fo_name = "console",
	.fo_read = tty_dev_read,
	.fo_write = tty_dev_write,
	.fo_ioctl = tty_dev_ioctl,
	.fo_close = NULL,	/* nothing of its own */
	.fo_seek = NULL,	/* a terminal has no position: ESPIPE */
	.fo_stat = tty_dev_stat,
};

static int
tty_dev_open(uint32_t dev, int flags, struct file **fpp)
{
	struct tty_dev *td = NULL;
	size_t i;

	(void)flags;
	for (i = 0; i < nitems(tty_devs); i++)
		if (tty_devs[i].td_dev == dev)
			td = &tty_devs[i];
	if (td == NULL)
		return -ENXIO;
	if (!td->td_console || tty_cons_fp == NULL) {
		klog("tty", "pid %d: /dev/%s is not the console, and only the "
		    "console can be opened for now", curproc->p_pid,
		    td->td_name);
		return -ENXIO;
	}
	if ((*fpp = file_alloc(&tty_dev_ops, td, O_RDWR | O_LARGEFILE)) ==
	    NULL)
		return -ENOMEM;
	return 0;
}

static const struct cdevsw tty_dev_cdevsw = {
	.d_name = "tty",
	.d_open = tty_dev_open,
};

/* The console file the names share, made on first need (boot). */
static int
tty_dev_cons_init(void)
{
	if (tty_cons_fp == NULL && (tty_cons_fp = cons_file_open()) == NULL)
		return -ENOMEM;
	return 0;
}

/* Register one name of tty_devs and make its node; logs a failure. */
static int
tty_dev_add(struct tty_dev *td)
{
	int error;

	if ((error = cdev_register(td->td_dev, &tty_dev_cdevsw)) < 0 ||
	    (error = devfs_create(td->td_name, td->td_mode, VCHR,
	    td->td_dev)) < 0)
		klog("tty", "no /dev/%s (error %d)", td->td_name, error);
	return error;
}

/*
 * The console's nodes (its numbers are tty_cons.c's) and the virtual
 * consoles tty0 and tty1 (devfs_init, at boot).  Failures are logged.
 */
void
tty_dev_init(void)
{
	int error;

	if ((error = tty_dev_cons_init()) < 0)
		klog("tty", "no console file (error %d)", error);
	if ((error = devfs_create("console", 0600, VCHR, MKDEV(5, 1))) < 0)
		klog("tty", "no /dev/console (error %d)", error);
	if ((error = devfs_create("tty", 0666, VCHR, MKDEV(5, 0))) < 0)
		klog("tty", "no /dev/tty (error %d)", error);
	(void)tty_dev_add(&tty_devs[0]);
	(void)tty_dev_add(&tty_devs[1]);
}

/*
 * A 16550 UART at iobase attached (boot): its ttyS node; see
 * fs/devfs/devfs.h.
 */
int
tty_dev_uart_attach(uint16_t iobase, bool console)
{
	struct tty_dev *td;
	int i, error;

	for (i = 0; i < TTYS_MAX && tty_uart_ports[i] != iobase; i++)
		;
	if (i == TTYS_MAX) {
		klog("tty", "no ttyS name for a UART at %#x", iobase);
		return -ENODEV;
	}
	td = &tty_devs[TTY_DEV_TTYS + i];
	td->td_console = console;
	if (console && (error = tty_dev_cons_init()) < 0)
		return error;
	return tty_dev_add(td);
}
