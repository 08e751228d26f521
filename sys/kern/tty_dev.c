/*
 * The terminal device nodes.  Numbers are Linux's
 * (Documentation/admin-guide/devices.txt), modes Debian's udev rules'
 * (their groups, tty and dialout, are root here):
 *
 *	/dev/tty	5:0	0666	the controlling terminal
 *	/dev/console	5:1	0600	the system console
 *	/dev/tty0	4:0	0620	the virtual console shown
 *	/dev/tty1..4	4:1-4	0620	the virtual consoles (dev/cons/vcons.c)
 *	/dev/ttyS0..3	4:64-67	0660	the 16550 UARTs at 0x3f8, 0x2f8, 0x3e8
 *					and 0x2e8, for the ports that answered
 *
 * tty and console belong to tty_cons.c, which registers them.  Every
 * other name opens a terminal of its own (struct constty, sys/cons.h):
 * tty1 to tty4 share the screen and the keyboard, each ttyS is one
 * serial line.  tty0 opens the virtual console shown at the time of the
 * open, and like /dev/console never becomes a controlling terminal by
 * being opened (as Linux).  ttyS0 to ttyS3 always exist, as on Linux; a
 * name without a terminal behind it (a port that did not answer, or
 * whose driver could not attach) fails with ENXIO and a log line.
 *
 * The variables below are set at boot and read-only afterwards.
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/stat.h>
#include <sys/cons.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <fs/devfs/devfs.h>

#define TTY_MAJOR	4
#define TTY_NVC		4
#define TTYS_MINOR	64
#define TTYS_MAX	4

struct tty_dev {
	const char	*td_name;	/* [I] */
	struct cons_node td_node;	/* [I] device number, mode */
};

static struct tty_dev tty_devs[] = {
	{ "tty0",	{ MKDEV(TTY_MAJOR, 0), 0620, true } },
	{ "tty1",	{ MKDEV(TTY_MAJOR, 1), 0620, false } },
	{ "tty2",	{ MKDEV(TTY_MAJOR, 2), 0620, false } },
	{ "tty3",	{ MKDEV(TTY_MAJOR, 3), 0620, false } },
	{ "tty4",	{ MKDEV(TTY_MAJOR, 4), 0620, false } },
	{ "ttyS0",	{ MKDEV(TTY_MAJOR, TTYS_MINOR), 0660, false } },
	{ "ttyS1",	{ MKDEV(TTY_MAJOR, TTYS_MINOR + 1), 0660, false } },
	{ "ttyS2",	{ MKDEV(TTY_MAJOR, TTYS_MINOR + 2), 0660, false } },
	{ "ttyS3",	{ MKDEV(TTY_MAJOR, TTYS_MINOR + 3), 0660, false } },
};
#define TTY_DEV_TTYS	(TTY_NVC + 1)	/* index of ttyS0 */

/* The PC's serial ports, in Linux's ttyS order. */
static const uint16_t tty_uart_ports[TTYS_MAX] = {
	0x3f8, 0x2f8, 0x3e8, 0x2e8
};

static int
tty_dev_open(uint32_t dev, int flags, struct file **fpp)
{
	struct tty_dev *td = NULL;
	struct constty *ct;
	size_t i;

	for (i = 0; i < nitems(tty_devs); i++)
		if (tty_devs[i].td_node.cnd_dev == dev)
			td = &tty_devs[i];
	if (td == NULL)
		return -ENXIO;
	if (MINOR(dev) == 0)
		ct = vcons_constty(vcons_visible());
	else if (MINOR(dev) <= TTY_NVC)
		ct = vcons_constty(MINOR(dev));
	else
		ct = constty_lookup(dev);
	if (ct == NULL || ct->ct_tty == NULL) {
		klog("tty", "pid %d: /dev/%s has no terminal", curproc->p_pid,
		    td->td_name);
		return -ENXIO;
	}
	return constty_open(ct, &td->td_node, flags, fpp);
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
 * The console's nodes (its numbers are tty_cons.c's), tty0 to tty4 when
 * there are virtual consoles, and ttyS0 to ttyS3 always, as Linux makes
 * them: a port that did not answer opens with ENXIO (devfs_init, at
 * boot, after the drivers attached and cons_cdev_init).  Failures are
 * logged.
 */
void
tty_dev_init(void)
{
	int error, i;

	if ((error = devfs_create("console", 0600, VCHR, MKDEV(5, 1))) < 0)
		klog("tty", "no /dev/console (error %d)", error);
	if ((error = devfs_create("tty", 0666, VCHR, MKDEV(5, 0))) < 0)
		klog("tty", "no /dev/tty (error %d)", error);
	for (i = vcons_constty(1) != NULL ? 0 : TTY_DEV_TTYS;
	    i < (int)nitems(tty_devs); i++)
		(void)tty_dev_add(&tty_devs[i]);
}

/* The ttyS index of the UART at iobase, or -ENODEV; see sys/cons.h. */
int
tty_dev_uart_index(uint16_t iobase)
{
	int i;

	for (i = 0; i < TTYS_MAX; i++)
		if (tty_uart_ports[i] == iobase)
			return i;
	return -ENODEV;
}

/*
 * A 16550 UART at iobase attached (boot); see fs/devfs/devfs.h.  Its
 * node is made with the others by tty_dev_init, and opens the terminal
 * the driver attached (constty_lookup), so this only checks the name.
 */
int
tty_dev_uart_attach(uint16_t iobase)
{
	int i;

	if ((i = tty_dev_uart_index(iobase)) < 0)
		klog("tty", "no ttyS name for a UART at %#x", iobase);
	return i < 0 ? i : 0;
}
