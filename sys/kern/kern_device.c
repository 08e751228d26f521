/*
 * The driver model: buses find devices, drivers claim them.
 * See sys/sys/device.h for the interface and an example driver.
 *
 * Locking: devices are added and attached during boot, on one CPU, before
 * any thread runs; the list is read-only afterwards, so no lock.
 */
#include <sys/device.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/systm.h>

extern const struct driver *const __start_set_drivers[], *const __stop_set_drivers[];
extern const struct bus *const __start_set_buses[], *const __stop_set_buses[];

static struct device *device_list;	/* [B] in the order found */
static struct device **device_tail = &device_list;

/* Does driver drv handle device dv, judging by ids alone? */
static bool
device_matches(const struct driver *drv, const struct device *dv)
{
	const struct pci_id *id;
	int i;

	if (drv->drv_bus != dv->dv_bus || drv->drv_attach == NULL)
		return false;
	switch (dv->dv_bus) {
	case BUS_ISA:
		if (drv->drv_hids == NULL || dv->dv_hid == NULL)
			return false;
		for (i = 0; drv->drv_hids[i] != NULL; i++)
			if (strcmp(drv->drv_hids[i], dv->dv_hid) == 0)
				return true;
		return false;
	case BUS_PCI:
		if (drv->drv_pci_ids == NULL)
			return false;
		for (id = drv->drv_pci_ids; id->pid_vendor != 0; id++)
			if ((id->pid_vendor == PCI_ANY ||
			    id->pid_vendor == dv->dv_pci_vendor) &&
			    (id->pid_device == PCI_ANY ||
			    id->pid_device == dv->dv_pci_device))
				return true;
		return false;
	}
	return false;
}

/* The next unit number for driver drv ("com0", "com1", ...). */
static int
device_next_unit(const struct driver *drv)
{
	struct device *dv;
	int unit = 0;

	for (dv = device_list; dv != NULL; dv = dv->dv_next)
		if (dv->dv_driver == drv)
			unit++;
	return unit;
}

/*
 * Offer dv to the drivers of its bus; the first whose ids match and whose
 * probe succeeds attaches it.  Returns 0 when a driver attached.
 */
static int
device_attach(struct device *dv)
{
	const struct driver *const *dp;
	int error = -ENODEV;

	for (dp = __start_set_drivers; dp < __stop_set_drivers; dp++) {
		const struct driver *drv = *dp;

		if (!device_matches(drv, dv))
			continue;
		if (drv->drv_probe != NULL && (error = drv->drv_probe(dv)) < 0)
			continue;
		dv->dv_softc = NULL;
		if (drv->drv_softc_size > 0 &&
		    (dv->dv_softc = kmalloc(drv->drv_softc_size, M_ZERO)) ==
		    NULL) {
			klog("device", "%s: no memory for %s's state",
			    dv->dv_desc, drv->drv_name);
			return -ENOMEM;
		}
		dv->dv_unit = device_next_unit(drv);
		ksnprintf(dv->dv_name, sizeof(dv->dv_name), "%s%d",
		    drv->drv_name, dv->dv_unit);
		dv->dv_driver = drv;
		if ((error = drv->drv_attach(dv)) < 0) {
			klog("device", "%s: attach of %s failed (error %d)",
			    dv->dv_name, dv->dv_desc, error);
			dv->dv_driver = NULL;
			dv->dv_name[0] = '\0';
			kfree(dv->dv_softc);
			dv->dv_softc = NULL;
			continue;
		}
		return 0;
	}
	return error;
}

/*
 * Record a device a bus found and try to attach a driver to it.  The bus
 * gives a struct device it allocated with kmalloc; it stays on the device
 * list whether or not a driver takes it (unclaimed devices are listed by
 * the monitor's `devices` command).  Returns 0 if a driver attached.
 */
int
device_add(struct device *dv)
{
	dv->dv_next = NULL;
	*device_tail = dv;
	device_tail = &dv->dv_next;
	return device_attach(dv);
}

/*
 * Ask every bus, lowest bus_order first, to enumerate its devices (which
 * attaches drivers as they are found).  Returns the number of devices
 * with a driver.
 */
int
device_init(void)
{
	const struct bus *const *bp, *const *best;
	const struct bus *done[16];
	struct device *dv;
	int ndone = 0, nattached = 0, i, error;

	/* Selection by bus_order: the sets are short, no sorting needed. */
	for (;;) {
		best = NULL;
		for (bp = __start_set_buses; bp < __stop_set_buses; bp++) {
			bool seen = false;

			for (i = 0; i < ndone; i++)
				if (done[i] == *bp)
					seen = true;
			if (!seen && (best == NULL ||
			    (*bp)->bus_order < (*best)->bus_order))
				best = bp;
		}
		if (best == NULL || ndone == (int)nitems(done))
			break;
		done[ndone++] = *best;
		if ((error = (*best)->bus_enumerate()) < 0)
			klog("device", "bus %s: enumeration failed (error %d)",
			    (*best)->bus_name, error);
	}
	for (dv = device_list; dv != NULL; dv = dv->dv_next)
		if (dv->dv_driver != NULL)
			nattached++;
	return nattached;
}

/* The first device found, for iteration with device_next(). */
struct device *
device_first(void)
{
	return device_list;
}

/* The device found after dv, or NULL. */
struct device *
device_next(struct device *dv)
{
	return dv->dv_next;
}
