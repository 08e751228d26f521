/*
 * sysfs's PCI part: /sys/devices/pci0000:00/... (a function behind a
 * PCI-to-PCI bridge in its bridge's directory, as Linux nests them),
 * /sys/bus/pci/devices (links to those) and /sys/bus/pci/drivers.  The
 * attributes are read from configuration space on each read.
 *
 * Offsets are the PCI Local Bus Specification 3.0's, section 6.1 (the
 * type 0 header) and 6.2.5 (base address registers).
 */
#include <sys/device.h>
#include <sys/errno.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <dev/pci/pcireg.h>
#include <dev/pci/pcivar.h>

#include <fs/sysfs/sysfs.h>

#define SPCI_SUBSYS_VENDOR	0x2c	/* type 0: Subsystem Vendor ID */
#define SPCI_SUBSYS_ID		0x2e	/* type 0: Subsystem ID */
#define SPCI_HDR_BYTES		64	/* what a non-root user may read */
#define SPCI_MAXDEPTH		8	/* bridges deep we follow */
#define SPCI_NBARS		6	/* of a type 0 header */

/* Linux's resource flags (include/linux/ioport.h), for "resource". */
#define IORESOURCE_IO		0x00000100
#define IORESOURCE_MEM		0x00000200
#define IORESOURCE_PREFETCH	0x00002000
#define IORESOURCE_SIZEALIGN	0x00040000
#define IORESOURCE_MEM_64	0x00100000

/* Which attribute a file is (sn_argi). */
enum {
	SPCI_VENDOR, SPCI_DEVICE, SPCI_SVENDOR, SPCI_SDEVICE, SPCI_CLASS,
	SPCI_REVISION, SPCI_IRQ,
};

static const struct {
	const char	*a_name;
	int		 a_which;
} spci_attrs[] = {
	{ "vendor", SPCI_VENDOR },
	{ "device", SPCI_DEVICE },
	{ "subsystem_vendor", SPCI_SVENDOR },
	{ "subsystem_device", SPCI_SDEVICE },
	{ "class", SPCI_CLASS },
	{ "revision", SPCI_REVISION },
	{ "irq", SPCI_IRQ },
};

/*
 * The IRQ to show: the IOAPIC input of a function whose driver got INTx,
 * else the Interrupt Line the firmware wrote for a function that has an
 * interrupt pin, else 0.  (Linux shows its own numbers for MSI, which
 * this kernel does not have.)
 */
static unsigned int
spci_irq(struct device *dv)
{
	uint8_t line;

	if (dv->dv_pci != NULL && dv->dv_pci->pf_intr == PCI_INTR_INTX)
		return dv->dv_pci->pf_gsi;
	if (pci_read8(dv, PCI_INTERRUPT_PIN) == 0)
		return 0;
	line = pci_read8(dv, PCI_INTERRUPT_LINE);
	return line == 0xff ? 0 : line;
}

/* The 24-bit class code: class, subclass, programming interface. */
static uint32_t
spci_class(struct device *dv)
{
	return (uint32_t)dv->dv_pci_class << 16 |
	    (uint32_t)dv->dv_pci_subclass << 8 | dv->dv_pci_progif;
}

/* vendor, device, ... : Linux's formats. */
static int
spci_show_attr(const struct sysnode *sn, struct sysbuf *sb)
{
	struct device *dv = sn->sn_arg;

	switch (sn->sn_argi) {
	case SPCI_VENDOR:
		return sysfs_printf(sb, "0x%04x\n", dv->dv_pci_vendor);
	case SPCI_DEVICE:
		return sysfs_printf(sb, "0x%04x\n", dv->dv_pci_device);
	case SPCI_SVENDOR:
		return sysfs_printf(sb, "0x%04x\n",
		    pci_read16(dv, SPCI_SUBSYS_VENDOR));
	case SPCI_SDEVICE:
		return sysfs_printf(sb, "0x%04x\n",
		    pci_read16(dv, SPCI_SUBSYS_ID));
	case SPCI_CLASS:
		return sysfs_printf(sb, "0x%06x\n", spci_class(dv));
	case SPCI_REVISION:
		return sysfs_printf(sb, "0x%02x\n",
		    pci_read8(dv, PCI_REVISION));
	case SPCI_IRQ:
		return sysfs_printf(sb, "%u\n", spci_irq(dv));
	default:
		return -EINVAL;
	}
}

/*
 * uevent: what udev (and BusyBox's lspci) read; DRIVER only when a
 * driver attached.
 */
static int
spci_show_uevent(const struct sysnode *sn, struct sysbuf *sb)
{
	struct device *dv = sn->sn_arg;
	uint16_t sv = pci_read16(dv, SPCI_SUBSYS_VENDOR);
	uint16_t sd = pci_read16(dv, SPCI_SUBSYS_ID);

	if (dv->dv_driver != NULL)
		sysfs_printf(sb, "DRIVER=%s\n", dv->dv_driver->drv_name);
	sysfs_printf(sb, "PCI_CLASS=%X\n", spci_class(dv));
	sysfs_printf(sb, "PCI_ID=%04X:%04X\n", dv->dv_pci_vendor,
	    dv->dv_pci_device);
	sysfs_printf(sb, "PCI_SUBSYS_ID=%04X:%04X\n", sv, sd);
	sysfs_printf(sb, "PCI_SLOT_NAME=0000:%02x:%02x.%x\n", dv->dv_pci_bus,
	    dv->dv_pci_slot, dv->dv_pci_func);
	return sysfs_printf(sb, "MODALIAS=pci:v%08Xd%08Xsv%08Xsd%08Xbc%02X"
	    "sc%02Xi%02X\n", dv->dv_pci_vendor, dv->dv_pci_device, sv, sd,
	    dv->dv_pci_class, dv->dv_pci_subclass, dv->dv_pci_progif);
}

/*
 * resource: start, end and flags of each BAR, then the expansion ROM
 * (which the PCI layer does not size: printed empty).
 */
static int
spci_show_resource(const struct sysnode *sn, struct sysbuf *sb)
{
	struct device *dv = sn->sn_arg;
	struct pci_bar pb;
	uint64_t start, end, flags;
	int i;

	for (i = 0; i < SPCI_NBARS + 1; i++) {
		start = end = flags = 0;
		if (i < SPCI_NBARS && pci_bar(dv, i, &pb) == 0 &&
		    pb.pb_type != PCI_BAR_NONE && pb.pb_size != 0) {
			start = pb.pb_base;
			end = pb.pb_base + pb.pb_size - 1;
			/* Linux keeps the BAR's low bits in the flags. */
			flags = IORESOURCE_SIZEALIGN;
			if (pb.pb_type == PCI_BAR_IO) {
				flags |= IORESOURCE_IO | 0x1;
			} else {
				flags |= IORESOURCE_MEM;
				if (pb.pb_type == PCI_BAR_MEM64)
					flags |= IORESOURCE_MEM_64 | 0x4;
				if (pb.pb_prefetch)
					flags |= IORESOURCE_PREFETCH | 0x8;
			}
		}
		sysfs_printf(sb, "0x%016llx 0x%016llx 0x%016llx\n",
		    (unsigned long long)start, (unsigned long long)end,
		    (unsigned long long)flags);
	}
	return 0;
}

/*
 * config: configuration space as bytes (little-endian, as the bus has
 * it).  Like Linux, a user other than root sees the first 64 bytes only.
 */
static int
spci_show_config(const struct sysnode *sn, struct sysbuf *sb)
{
	struct device *dv = sn->sn_arg;
	size_t len = sb->sb_cap, off;
	uint32_t v;

	if (curproc->p_euid != 0 && len > SPCI_HDR_BYTES)
		len = SPCI_HDR_BYTES;
	for (off = 0; off + 4 <= len; off += 4) {
		v = pci_read32(dv, (int)off);
		sb->sb_buf[off] = (char)(v & 0xff);
		sb->sb_buf[off + 1] = (char)((v >> 8) & 0xff);
		sb->sb_buf[off + 2] = (char)((v >> 16) & 0xff);
		sb->sb_buf[off + 3] = (char)(v >> 24);
	}
	sb->sb_len = off;
	return 0;
}

/* The bridge whose secondary bus is dv's, or NULL (bus 0, or none). */
static struct device *
spci_parent(struct device *dv)
{
	struct device *b;

	if (dv->dv_pci_bus == 0)
		return NULL;
	for (b = device_first(); b != NULL; b = device_next(b)) {
		if (b->dv_bus != BUS_PCI ||
		    b->dv_pci_class != PCI_CLASS_BRIDGE ||
		    b->dv_pci_subclass != PCI_SUBCLASS_PCI_BRIDGE)
			continue;
		if (pci_read8(b, PCI_SECONDARY_BUS) == dv->dv_pci_bus)
			return b;
	}
	return NULL;
}

/*
 * dv's directory under /sys/devices/pci0000:00, made with its bridges'
 * if need be; its depth below pci0000:00 (1 for bus 0) in *depthp.
 */
static struct sysnode *
spci_devdir(struct sysfs_tree *t, struct device *dv, int *depthp)
{
	struct device *chain[SPCI_MAXDEPTH];
	struct sysnode *dir;
	char name[16];
	int n = 0;

	for (; dv != NULL && n < SPCI_MAXDEPTH; dv = spci_parent(dv))
		chain[n++] = dv;
	dir = sysfs_dir(t, sysfs_dir(t, t->st_root, "devices", true),
	    "pci0000:00", true);
	*depthp = n;
	while (n-- > 0) {
		ksnprintf(name, sizeof(name), "0000:%02x:%02x.%x",
		    chain[n]->dv_pci_bus, chain[n]->dv_pci_slot,
		    chain[n]->dv_pci_func);
		dir = sysfs_dir(t, dir, name, true);
	}
	return dir;
}

/* The path of dir from /sys (no leading slash) into buf. */
static void
spci_path(const struct sysnode *dir, char *buf, size_t len)
{
	size_t pos = len - 1, n;

	buf[pos] = '\0';
	for (; dir != NULL && dir->sn_parent != NULL; dir = dir->sn_parent) {
		n = strlen(dir->sn_name);
		if (n + 1 > pos)
			break;
		pos -= n;
		memcpy(buf + pos, dir->sn_name, n);
		if (dir->sn_parent->sn_parent != NULL)
			buf[--pos] = '/';
	}
	memmove(buf, buf + pos, len - pos);
}

/* "../" count times into buf, for a link that climbs to /sys. */
static const char *
spci_up(char *buf, size_t len, int count)
{
	size_t pos = 0;

	while (count-- > 0 && pos + 4 <= len) {
		memcpy(buf + pos, "../", 3);
		pos += 3;
	}
	buf[pos] = '\0';
	return buf;
}

/* One function: its directory, its attributes and the links to it. */
static void
spci_add(struct sysfs_tree *t, struct device *dv, size_t cfgsize)
{
	struct sysnode *dir, *devs, *drv;
	char path[256], up[64], slot[16];
	size_t i;
	int depth;

	if ((dir = spci_devdir(t, dv, &depth)) == NULL)
		return;
	spci_path(dir, path, sizeof(path));
	ksnprintf(slot, sizeof(slot), "0000:%02x:%02x.%x", dv->dv_pci_bus,
	    dv->dv_pci_slot, dv->dv_pci_func);
	for (i = 0; i < nitems(spci_attrs); i++)
		sysfs_add_file(t, dir, spci_attrs[i].a_name, spci_show_attr,
		    dv, spci_attrs[i].a_which);
	sysfs_add_file(t, dir, "resource", spci_show_resource, dv, 0);
	sysfs_add_file(t, dir, "uevent", spci_show_uevent, dv, 0);
	if ((drv = sysfs_add_file(t, dir, "config", spci_show_config, dv,
	    0)) != NULL)
		drv->sn_size = (off_t)cfgsize;
	/* dir is depth + 2 below /sys: devices/pci0000:00/... */
	sysfs_add_link(t, dir, "subsystem", "%sbus/pci",
	    spci_up(up, sizeof(up), depth + 2));
	devs = sysfs_dir(t, sysfs_dir(t, sysfs_dir(t, t->st_root, "bus",
	    true), "pci", true), "devices", true);
	sysfs_add_link(t, devs, slot, "../../../%s", path);
	if (dv->dv_driver == NULL)
		return;
	sysfs_add_link(t, dir, "driver", "%sbus/pci/drivers/%s",
	    spci_up(up, sizeof(up), depth + 2), dv->dv_driver->drv_name);
	drv = sysfs_dir(t, sysfs_dir(t, sysfs_dir(t, sysfs_dir(t,
	    t->st_root, "bus", true), "pci", true), "drivers", true),
	    dv->dv_driver->drv_name, true);
	sysfs_add_link(t, drv, slot, "../../../../%s", path);
}

/*
 * Build /sys/bus/pci and /sys/devices/pci0000:00 from the PCI devices of
 * the device list (read-only after boot: no lock).
 */
void
sysfs_build_pci(struct sysfs_tree *t)
{
	struct device *dv;
	struct sysnode *pci;

	pci = sysfs_dir(t, sysfs_dir(t, t->st_root, "bus", true), "pci",
	    true);
	(void)sysfs_dir(t, pci, "devices", true);
	(void)sysfs_dir(t, pci, "drivers", true);
	for (dv = device_first(); dv != NULL; dv = device_next(dv))
		if (dv->dv_bus == BUS_PCI)
			spci_add(t, dv, dv->dv_pci != NULL &&
			    dv->dv_pci->pf_ecam != NULL ? PCIE_CFG_SIZE :
			    PCI_CFG_SIZE);
}
