/*
 * Character devices by number (sys/sys/vnode.h, struct cdevsw): opening
 * a device node (VCHR) finds its driver here by the node's device number.
 * Drivers register at boot; the table is read-only afterwards, so lookups
 * take no lock.
 */
#include <sys/errno.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#define CDEV_MAX	64

struct cdev_slot {
	uint32_t		 cs_dev;
	const struct cdevsw	*cs_sw;
};

static struct cdev_slot cdevs[CDEV_MAX];	/* [I] after boot */
static int ncdevs;				/* [I] after boot */

/* Make dev (MKDEV) open through sw.  Boot only; -ENOSPC, -EEXIST. */
int
cdev_register(uint32_t dev, const struct cdevsw *sw)
{
	if (cdev_lookup(dev) != NULL)
		return -EEXIST;
	if (ncdevs == CDEV_MAX)
		return -ENOSPC;
	cdevs[ncdevs].cs_dev = dev;
	cdevs[ncdevs].cs_sw = sw;
	ncdevs++;
	return 0;
}

/* The driver of dev, or NULL (opening the node is then ENXIO). */
const struct cdevsw *
cdev_lookup(uint32_t dev)
{
	int i;

	for (i = 0; i < ncdevs; i++)
		if (cdevs[i].cs_dev == dev)
			return cdevs[i].cs_sw;
	return NULL;
}

/*
 * The i-th registered device (0 first, in registration order): its
 * driver, and its number in *devp; NULL past the last.  No lock: the
 * table does not change after boot.
 */
const struct cdevsw *
cdev_nth(int i, uint32_t *devp)
{
	if (i < 0 || i >= ncdevs)
		return NULL;
	*devp = cdevs[i].cs_dev;
	return cdevs[i].cs_sw;
}
