/*
 * Character devices by number (sys/sys/vnode.h, struct cdevsw): opening
 * a device node (VCHR) finds its driver here by the node's device number.
 *
 * A driver registers a range of minors of one major: a single device
 * (cdev_register: one minor, as /dev/null is 1:3), a run of them
 * (cdev_register_range), or the whole major (cdev_register_major, as the
 * pseudo-terminal slaves own 136).  Its d_open gets the full device
 * number and reads the minor with MINOR(dev).  Ranges never overlap: a
 * registration that would cover a number already taken is -EEXIST.
 * Drivers register at boot; the table is read-only afterwards, so
 * lookups take no lock.
 */
#include <sys/errno.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#define CDEV_MAX	64	/* registrations, not devices */
#define CDEV_MINORS	(MINOR(~0U) + 1)	/* minors of one major */

struct cdev_slot {
	uint32_t		 cs_major;
	uint32_t		 cs_first;	/* first minor */
	uint32_t		 cs_count;	/* minors covered */
	const struct cdevsw	*cs_sw;
};

static struct cdev_slot cdevs[CDEV_MAX];	/* [I] after boot */
static int ncdevs;				/* [I] after boot */

/* The slot covering dev, or NULL. */
static const struct cdev_slot *
cdev_find(uint32_t dev)
{
	uint32_t minor = MINOR(dev);
	int i;

	for (i = 0; i < ncdevs; i++)
		if (cdevs[i].cs_major == MAJOR(dev) &&
		    minor >= cdevs[i].cs_first &&
		    minor - cdevs[i].cs_first < cdevs[i].cs_count)
			return &cdevs[i];
	return NULL;
}

/*
 * Make the count minors from dev (MKDEV) on open through sw.  Boot only.
 * Returns 0, -EINVAL (no minor, or past the major's last), -EEXIST (a
 * number is taken) or -ENOSPC (the table is full).
 */
int
cdev_register_range(uint32_t dev, uint32_t count, const struct cdevsw *sw)
{
	uint32_t first = MINOR(dev);
	int i;

	if (count == 0 || count > CDEV_MINORS - first || sw == NULL)
		return -EINVAL;
	for (i = 0; i < ncdevs; i++)
		if (cdevs[i].cs_major == MAJOR(dev) &&
		    first < cdevs[i].cs_first + cdevs[i].cs_count &&
		    cdevs[i].cs_first < first + count)
			return -EEXIST;
	if (ncdevs == CDEV_MAX)
		return -ENOSPC;
	cdevs[ncdevs].cs_major = MAJOR(dev);
	cdevs[ncdevs].cs_first = first;
	cdevs[ncdevs].cs_count = count;
	cdevs[ncdevs].cs_sw = sw;
	ncdevs++;
	return 0;
}

/* Make dev (MKDEV) open through sw: cdev_register_range for one minor. */
int
cdev_register(uint32_t dev, const struct cdevsw *sw)
{
	return cdev_register_range(dev, 1, sw);
}

/* Make every minor of major open through sw: cdev_register_range's. */
int
cdev_register_major(uint32_t major, const struct cdevsw *sw)
{
	return cdev_register_range(MKDEV(major, 0), CDEV_MINORS, sw);
}

/* The driver of dev, or NULL (opening the node is then ENXIO). */
const struct cdevsw *
cdev_lookup(uint32_t dev)
{
	const struct cdev_slot *cs = cdev_find(dev);

	return cs != NULL ? cs->cs_sw : NULL;
}

/*
 * The i-th registration (0 first, in registration order): its driver,
 * its first device number in *devp and the minors it covers in *countp
 * (may be NULL); NULL past the last.  No lock: the table does not change
 * after boot.
 */
const struct cdevsw *
cdev_nth(int i, uint32_t *devp, uint32_t *countp)
{
	if (i < 0 || i >= ncdevs)
		return NULL;
	*devp = MKDEV(cdevs[i].cs_major, cdevs[i].cs_first);
	if (countp != NULL)
		*countp = cdevs[i].cs_count;
	return cdevs[i].cs_sw;
}
