/*
 * PCI enumeration through configuration mechanism #1.
 *
 * The scan starts at bus 0 and follows PCI-to-PCI bridges to their
 * secondary buses, so it touches only buses that exist.  Each function
 * found becomes a struct device on BUS_PCI, offered to the drivers whose
 * PCI id tables match (sys/sys/device.h).  The disks issue adds ECAM
 * (MCFG), BARs and MSI/MSI-X.
 *
 * Locking: pci_cfg_lock serialises the address/data port pair.
 */
#include <sys/device.h>
#include <sys/errno.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>

#include <dev/pci/pcireg.h>
#include <dev/pci/pcivar.h>

static struct spinlock pci_cfg_lock = SPINLOCK_INIT("pci_cfg_lock");

/*
 * Read the aligned 32-bit configuration word at reg of bus:slot.func.
 * Takes pci_cfg_lock.
 */
uint32_t
pci_cfg_read32(int bus, int slot, int func, int reg)
{
	uint32_t v;

	spin_lock(&pci_cfg_lock);
	outl(PCI_CFG_ADDR, PCI_CFG_ENABLE | (bus << 16) | (slot << 11) |
	    (func << 8) | (reg & 0xfc));
	v = inl(PCI_CFG_DATA);
	spin_unlock(&pci_cfg_lock);
	return v;
}

static int pci_scan_bus(int bus, int depth);

/* Record one function and, if it is a bridge, scan behind it. */
static int
pci_add_function(int bus, int slot, int func, uint32_t id, int depth)
{
	uint32_t class = pci_cfg_read32(bus, slot, func, PCI_REVISION);
	uint8_t hdr = (pci_cfg_read32(bus, slot, func, PCI_HEADER_TYPE & ~3) >>
	    16) & 0xff;
	struct device *dv;

	if ((dv = kmalloc(sizeof(*dv), M_ZERO)) == NULL)
		return -ENOMEM;
	dv->dv_bus = BUS_PCI;
	dv->dv_desc = "PCI function";
	dv->dv_irq = -1;
	dv->dv_pci_bus = bus;
	dv->dv_pci_slot = slot;
	dv->dv_pci_func = func;
	dv->dv_pci_vendor = id & 0xffff;
	dv->dv_pci_device = id >> 16;
	dv->dv_pci_class = class >> 24;
	dv->dv_pci_subclass = (class >> 16) & 0xff;
	dv->dv_pci_progif = (class >> 8) & 0xff;
	klog("pci", "%02x:%02x.%x %04x:%04x class %02x.%02x.%02x", bus, slot,
	    func, dv->dv_pci_vendor, dv->dv_pci_device, dv->dv_pci_class,
	    dv->dv_pci_subclass, dv->dv_pci_progif);
	device_add(dv);

	if ((hdr & PCI_HEADER_TYPE_MASK) == PCI_HEADER_BRIDGE &&
	    dv->dv_pci_class == PCI_CLASS_BRIDGE &&
	    dv->dv_pci_subclass == PCI_SUBCLASS_PCI_BRIDGE) {
		int secondary = (pci_cfg_read32(bus, slot, func,
		    PCI_SECONDARY_BUS & ~3) >> 8) & 0xff;

		/* A bridge pointing backwards would loop: ignore it. */
		if (secondary > bus)
			return pci_scan_bus(secondary, depth + 1);
		klog("pci", "%02x:%02x.%x: bridge to bus %d ignored", bus,
		    slot, func, secondary);
	}
	return 0;
}

/* Scan every slot and function of one bus. */
static int
pci_scan_bus(int bus, int depth)
{
	int slot, func, nfunc, error;

	if (depth > 32)
		return -ELOOP;
	for (slot = 0; slot < PCI_MAX_SLOTS; slot++) {
		uint32_t id = pci_cfg_read32(bus, slot, 0, PCI_VENDOR_ID);
		uint8_t hdr;

		if ((id & 0xffff) == 0xffff)
			continue;
		hdr = (pci_cfg_read32(bus, slot, 0, PCI_HEADER_TYPE & ~3) >> 16) &
		    0xff;
		nfunc = (hdr & PCI_HEADER_MULTIFN) ? PCI_MAX_FUNCS : 1;
		for (func = 0; func < nfunc; func++) {
			if (func > 0)
				id = pci_cfg_read32(bus, slot, func,
				    PCI_VENDOR_ID);
			if ((id & 0xffff) == 0xffff)
				continue;
			if ((error = pci_add_function(bus, slot, func, id,
			    depth)) < 0)
				return error;
		}
	}
	return 0;
}

/*
 * Is mechanism #1 there?  Write the enable bit to the address port and
 * read it back (a machine without PCI returns all ones or zero).
 */
static bool
pci_mech1_present(void)
{
	uint32_t saved, v;

	spin_lock(&pci_cfg_lock);
	saved = inl(PCI_CFG_ADDR);
	outl(PCI_CFG_ADDR, PCI_CFG_ENABLE);
	v = inl(PCI_CFG_ADDR);
	outl(PCI_CFG_ADDR, saved);
	spin_unlock(&pci_cfg_lock);
	return v == PCI_CFG_ENABLE;
}

static int
pci_enumerate(void)
{
	if (!pci_mech1_present()) {
		klog("pci", "no configuration mechanism #1; no PCI devices");
		return -ENODEV;
	}
	return pci_scan_bus(0, 0);
}

static struct bus pci_bus = {
	.bus_name = "pci",
	.bus_type = BUS_PCI,
	.bus_order = 20,
	.bus_enumerate = pci_enumerate,
};
BUS(pci_bus);
