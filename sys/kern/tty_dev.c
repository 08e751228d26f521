/*
 * The terminal device nodes.  Numbers are Linux's
 * (Documentation/admin-guide/devices.txt), modes Debian's udev rules'
 * (their groups, tty and dialout, are root here):
 *
 *	/dev/tty	5:0	0666	the controlling terminal
 *	/dev/console	5:1	0600	the system console
 *	/dev/tty0	4:0	0620	the current virtual console
 *	/dev/tty1	4:1	0620	the first virtual console
 *	/dev/ttyS0..3	4:64-67	0660	the 16550 UARTs at 0x3f8, 0x2f8, 0x3e8
 *					and 0x2e8, for the ports that answered
 *
 * tty and console belong to tty_cons.c, which registers them.  tty0 and
 * tty1 are the screen console, and the ttyS port the console is on is
 * the serial console: all of them open the console terminal
 * (kern/tty_cons.c), whose input is both keyboard and serial line and
 * whose output goes to both.  tty0, like /dev/console, never becomes a
 * controlling terminal by being opened (as Linux).  A ttyS port that is
 * not the console fails with ENXIO (and a log line): its driver does not
 * read or write it yet.
 *
 * Their files differ only in what fstat says (the name's cons_node).
 * The variables below are set at boot and read-only afterwards.
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
	struct cons_node td_node;	/* [I] device number, mode */
	bool		 td_console;	/* [I] opens the console */
};

static struct tty_dev tty_devs[] = {
	{ "tty0",	{ MKDEV(TTY_MAJOR, 0), 0620, true }, true },
	{ "tty1",	{ MKDEV(TTY_MAJOR, 1), 0620, false }, true },
	{ "ttyS0",	{ MKDEV(TTY_MAJOR, TTYS_MINOR), 0660, false }, false },
	{ "ttyS1",	{ MKDEV(TTY_MAJOR, TTYS_MINOR + 1), 0660, false },
	    false },
	{ "ttyS2",	{ MKDEV(TTY_MAJOR, TTYS_MINOR + 2), 0660, false },
	    false },
	{ "ttyS3",	{ MKDEV(TTY_MAJOR, TTYS_MINOR + 3), 0660, false },
	    false },
};
#define TTY_DEV_TTYS	2	/* index of ttyS0 */

/* The PC's serial ports, in Linux's ttyS order. */
static const uint16_t tty_uart_ports[TTYS_MAX] = {
	0x3f8, 0x2f8, 0x3e8, 0x2e8
};

static int
tty_dev_open(uint32_t dev, int flags, struct file **fpp)
{
	struct tty_dev *td = NULL;
	size_t i;

	for (i = 0; i < nitems(tty_devs); i++)
		if (tty_devs[i].td_node.cnd_dev == dev)
			td = &tty_devs[i];
	if (td == NULL)
		return -ENXIO;
	if (!td->td_console) {
		klog("tty", "pid %d: /dev/%s is not the console, and only the "
		    "console's ports can be opened for now", curproc->p_pid,
		    td->td_name);
		return -ENXIO;
	}
	return cons_tty_open(&td->td_node, flags, fpp);
}

static const struct cdevsw tty_dev_cdevsw = {
	.d_name = "tty",
	.d_open = tty_dev_open,
};

/* Register one name of tty_devs and make its node; logs a failure. */
static int
tty_dev_add(struct tty_dev *td)
{
	int error;

	if ((error = cdev_register(td->td_node.cnd_dev,
	    &tty_dev_cdevsw)) < 0 ||
	    (error = devfs_create(td->td_name, td->td_node.cnd_mode, VCHR,
	    td->td_node.cnd_dev)) < 0)
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
	int i;

	for (i = 0; i < TTYS_MAX && tty_uart_ports[i] != iobase; i++)
		;
	if (i == TTYS_MAX) {
		klog("tty", "no ttyS name for a UART at %#x", iobase);
		return -ENODEV;
	}
	td = &tty_devs[TTY_DEV_TTYS + i];
	td->td_console = console;
	return tty_dev_add(td);
}
