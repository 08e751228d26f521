/*
 * sysfs's terminals and kernel directory: /sys/class/tty/<name> (links
 * into /sys/devices/virtual/tty) with dev and uevent, /sys/dev/char/M:m
 * links to them, and /sys/kernel.
 *
 * The terminals are the character devices registered with a terminal's
 * major (kern_cdev.c): 4 (tty0-63, ttyS0-) and 5 (tty, console, ptmx),
 * named as Linux names those numbers (Documentation/admin-guide/
 * devices.txt).  The pty slaves (major 136) are not in the class, as on
 * Linux, where they live in devpts alone.
 */
#include <sys/errno.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <fs/sysfs/sysfs.h>

#define TTY_MAJOR	4	/* tty0-tty63, then ttyS0- from minor 64 */
#define TTYAUX_MAJOR	5	/* tty 5:0, console 5:1, ptmx 5:2 */
#define TTYS_MINOR	64

/* dev: "major:minor" of the device number sn_argi. */
static int
sdev_show_dev(const struct sysnode *sn, struct sysbuf *sb)
{
	uint32_t dev = (uint32_t)sn->sn_argi;

	return sysfs_printf(sb, "%u:%u\n", MAJOR(dev), MINOR(dev));
}

/* uevent of a device node: its numbers and /dev name. */
static int
sdev_show_uevent(const struct sysnode *sn, struct sysbuf *sb)
{
	uint32_t dev = (uint32_t)sn->sn_argi;

	sysfs_printf(sb, "MAJOR=%u\nMINOR=%u\n", MAJOR(dev), MINOR(dev));
	return sysfs_printf(sb, "DEVNAME=%s\n", sn->sn_parent->sn_name);
}

/* Linux's name of terminal dev into buf; false when it has none. */
static bool
sdev_tty_name(uint32_t dev, char *buf, size_t len)
{
	static const char *const aux[] = { "tty", "console", "ptmx" };

	if (MAJOR(dev) == TTY_MAJOR && MINOR(dev) < TTYS_MINOR)
		ksnprintf(buf, len, "tty%u", MINOR(dev));
	else if (MAJOR(dev) == TTY_MAJOR && MINOR(dev) < 256)
		ksnprintf(buf, len, "ttyS%u", MINOR(dev) - TTYS_MINOR);
	else if (MAJOR(dev) == TTYAUX_MAJOR && MINOR(dev) < nitems(aux))
		strlcpy(buf, aux[MINOR(dev)], len);
	else
		return false;
	return true;
}

/* One terminal: its directory, attributes and links. */
static void
sdev_tty_add(struct sysfs_tree *t, struct sysnode *virt,
    struct sysnode *class, struct sysnode *chr, uint32_t dev)
{
	struct sysnode *dir;
	char name[16], num[24];

	if (!sdev_tty_name(dev, name, sizeof(name)) ||
	    sysfs_dir(t, virt, name, false) != NULL)
		return;
	if ((dir = sysfs_dir(t, virt, name, true)) == NULL)
		return;
	sysfs_add_file(t, dir, "dev", sdev_show_dev, NULL, (int)dev);
	sysfs_add_file(t, dir, "uevent", sdev_show_uevent, NULL, (int)dev);
	sysfs_add_link(t, dir, "subsystem", "../../../../class/tty");
	sysfs_add_link(t, class, name, "../../devices/virtual/tty/%s", name);
	ksnprintf(num, sizeof(num), "%u:%u", MAJOR(dev), MINOR(dev));
	sysfs_add_link(t, chr, num, "../../devices/virtual/tty/%s", name);
}

/*
 * Build /sys/class/tty, /sys/devices/virtual/tty and /sys/dev/char from
 * the character devices registered (at boot; read-only afterwards).
 */
void
sysfs_build_tty(struct sysfs_tree *t)
{
	struct sysnode *virt, *class, *chr;
	uint32_t dev, count, i;
	int n;

	virt = sysfs_dir(t, sysfs_dir(t, sysfs_dir(t, t->st_root, "devices",
	    true), "virtual", true), "tty", true);
	class = sysfs_dir(t, sysfs_dir(t, t->st_root, "class", true), "tty",
	    true);
	chr = sysfs_dir(t, sysfs_dir(t, t->st_root, "dev", true), "char",
	    true);
	if (virt == NULL || class == NULL || chr == NULL)
		return;
	for (n = 0; cdev_nth(n, &dev, &count) != NULL; n++) {
		if (MAJOR(dev) != TTY_MAJOR && MAJOR(dev) != TTYAUX_MAJOR)
			continue;
		for (i = 0; i < count && MINOR(dev) + i < 256; i++)
			sdev_tty_add(t, virt, class, chr, dev + i);
	}
}

/* uevent_seqnum: the uevents sent so far; this kernel sends none. */
static int
sdev_show_seqnum(const struct sysnode *sn, struct sysbuf *sb)
{
	(void)sn;
	return sysfs_printf(sb, "0\n");
}

/* Build /sys/kernel. */
void
sysfs_build_kernel(struct sysfs_tree *t)
{
	struct sysnode *k;

	if ((k = sysfs_dir(t, t->st_root, "kernel", true)) == NULL)
		return;
	sysfs_add_file(t, k, "uevent_seqnum", sdev_show_seqnum, NULL, 0);
}
