/*
 * PCI enumeration and configuration space.
 *
 * Configuration space is reached two ways.  Mechanism #1 writes the
 * bus/slot/function/register to port 0xcf8 and moves the data through
 * 0xcfc (PCI 3.0, 3.2.2.3.2): two port accesses that must not be split,
 * so pci_cfg_lock holds them together, and only the first 256 bytes of a
 * function are reachable.  ECAM (PCIe 4.0, 7.2.2) maps every function's
 * 4 KiB into memory at an address the ACPI MCFG table gives (QEMU's q35
 * has it, its older "pc" machine does not): each access is one memory
 * operation and needs no lock.  ECAM is used when MCFG names a range and
 * a read through it agrees with mechanism #1.
 *
 * The scan starts at bus 0 and follows PCI-to-PCI bridges to their
 * secondary buses, so it touches only buses that exist.  Each function
 * found gets a struct device on BUS_PCI with its BARs sized (and logged)
 * and is offered to the drivers whose PCI id tables match
 * (sys/sys/device.h).  Interrupts are in pci_intr.c.
 *
 * Locking: pci_cfg_lock serialises the mechanism #1 port pair.  The ECAM
 * mapping and every struct pci_func are written during boot, on one CPU.
 */
#include <sys/acpi.h>
#include <sys/device.h>
#include <sys/errno.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/pmap.h>

#include <dev/pci/pcireg.h>
#include <dev/pci/pcivar.h>

static struct spinlock pci_cfg_lock = SPINLOCK_INIT("pci_cfg_lock");

/* [B] ECAM: the mapped address of bus pci_ecam_start, NULL when none. */
static volatile uint8_t *pci_ecam_va;
static int pci_ecam_start, pci_ecam_end;	/* [B] buses it covers */

/*
 * The mapped ECAM window of bus, or NULL when ECAM is off or the MCFG
 * range does not cover it.  No lock.
 */
volatile uint8_t *
pci_ecam_bus(int bus)
{
	if (pci_ecam_va == NULL || bus < pci_ecam_start ||
	    bus > pci_ecam_end)
		return NULL;
	return pci_ecam_va + (uint64_t)(bus - pci_ecam_start) *
	    PCI_ECAM_BUS_SIZE;
}

/* The ECAM address of a function's configuration space, or NULL. */
static volatile uint8_t *
pci_ecam_func(int bus, int slot, int func)
{
	volatile uint8_t *b = pci_ecam_bus(bus);

	if (b == NULL)
		return NULL;
	return b + PCI_ECAM_OFFSET(0, slot, func);
}

/*
 * One access of width bytes (1, 2, 4) through ECAM at base + reg.  The
 * pointer's type decides the width of the single load or store, which is
 * what ECAM requires.
 */
static uint32_t
pci_ecam_read(volatile uint8_t *base, int reg, int width)
{
	switch (width) {
	case 1:
		return *(volatile uint8_t *)(base + reg);
	case 2:
		return *(volatile uint16_t *)(base + reg);
	default:
		return *(volatile uint32_t *)(base + reg);
	}
}

static void
pci_ecam_write(volatile uint8_t *base, int reg, int width, uint32_t v)
{
	switch (width) {
	case 1:
		*(volatile uint8_t *)(base + reg) = (uint8_t)v;
		break;
	case 2:
		*(volatile uint16_t *)(base + reg) = (uint16_t)v;
		break;
	default:
		*(volatile uint32_t *)(base + reg) = v;
		break;
	}
}

/*
 * Mechanism #1: select the dword holding reg, then move width bytes at
 * the byte offset of reg within the data port's dword.  Registers above
 * 255 do not exist for it: reads give all ones, writes are dropped.
 * Takes pci_cfg_lock.
 */
static uint32_t
pci_mech1_read(int bus, int slot, int func, int reg, int width)
{
	uint16_t port = PCI_CFG_DATA + (reg & 3);
	uint32_t v;

	if (reg >= PCI_CFG_SIZE)
		return width == 4 ? 0xffffffffU : (1U << (8 * width)) - 1;
	spin_lock(&pci_cfg_lock);
	outl(PCI_CFG_ADDR, PCI_CFG_ENABLE | (bus << 16) | (slot << 11) |
	    (func << 8) | (reg & 0xfc));
	if (width == 1)
		v = inb(port);
	else if (width == 2)
		v = inw(port);
	else
		v = inl(port);
	spin_unlock(&pci_cfg_lock);
	return v;
}

static void
pci_mech1_write(int bus, int slot, int func, int reg, int width, uint32_t v)
{
	uint16_t port = PCI_CFG_DATA + (reg & 3);

	if (reg >= PCI_CFG_SIZE)
		return;
	spin_lock(&pci_cfg_lock);
	outl(PCI_CFG_ADDR, PCI_CFG_ENABLE | (bus << 16) | (slot << 11) |
	    (func << 8) | (reg & 0xfc));
	if (width == 1)
		outb(port, (uint8_t)v);
	else if (width == 2)
		outw(port, (uint16_t)v);
	else
		outl(port, v);
	spin_unlock(&pci_cfg_lock);
}

/*
 * Read the aligned 32-bit configuration word at reg of bus:slot.func,
 * through ECAM when it covers the bus, else mechanism #1 (which takes
 * pci_cfg_lock).  All ones when no function answers.
 */
uint32_t
pci_cfg_read32(int bus, int slot, int func, int reg)
{
	volatile uint8_t *e = pci_ecam_func(bus, slot, func);

	reg &= ~3;
	if (e != NULL)
		return pci_ecam_read(e, reg, 4);
	return pci_mech1_read(bus, slot, func, reg, 4);
}

/* An access of width bytes at reg of dv: checked, then ECAM or #1. */
static uint32_t
pci_dev_read(struct device *dv, int reg, int width)
{
	KASSERT(dv->dv_bus == BUS_PCI && dv->dv_pci != NULL,
	    "pci access to a non-PCI device");
	KASSERT(reg >= 0 && reg < PCIE_CFG_SIZE && (reg & (width - 1)) == 0,
	    "misaligned or out-of-range PCI configuration access");
	if (dv->dv_pci->pf_ecam != NULL)
		return pci_ecam_read(dv->dv_pci->pf_ecam, reg, width);
	return pci_mech1_read(dv->dv_pci_bus, dv->dv_pci_slot,
	    dv->dv_pci_func, reg, width);
}

static void
pci_dev_write(struct device *dv, int reg, int width, uint32_t v)
{
	KASSERT(dv->dv_bus == BUS_PCI && dv->dv_pci != NULL,
	    "pci access to a non-PCI device");
	KASSERT(reg >= 0 && reg < PCIE_CFG_SIZE && (reg & (width - 1)) == 0,
	    "misaligned or out-of-range PCI configuration access");
	if (dv->dv_pci->pf_ecam != NULL)
		pci_ecam_write(dv->dv_pci->pf_ecam, reg, width, v);
	else
		pci_mech1_write(dv->dv_pci_bus, dv->dv_pci_slot,
		    dv->dv_pci_func, reg, width, v);
}

/*
 * Configuration space of dv, reg naturally aligned for the width (a
 * misaligned access is a driver bug: KASSERT).  Registers past 255 need
 * ECAM; without it reads give all ones and writes are dropped.  No lock
 * with ECAM, pci_cfg_lock with mechanism #1.
 */
uint8_t
pci_read8(struct device *dv, int reg)
{
	return (uint8_t)pci_dev_read(dv, reg, 1);
}

/* As pci_read8, 16 bits. */
uint16_t
pci_read16(struct device *dv, int reg)
{
	return (uint16_t)pci_dev_read(dv, reg, 2);
}

/* As pci_read8, 32 bits. */
uint32_t
pci_read32(struct device *dv, int reg)
{
	return pci_dev_read(dv, reg, 4);
}

/* Write 8 bits of dv's configuration space; locking as pci_read8. */
void
pci_write8(struct device *dv, int reg, uint8_t v)
{
	pci_dev_write(dv, reg, 1, v);
}

/* As pci_write8, 16 bits. */
void
pci_write16(struct device *dv, int reg, uint16_t v)
{
	pci_dev_write(dv, reg, 2, v);
}

/* As pci_write8, 32 bits. */
void
pci_write32(struct device *dv, int reg, uint32_t v)
{
	pci_dev_write(dv, reg, 4, v);
}

static const char *
pci_bar_type_name(const struct pci_bar *pb)
{
	switch (pb->pb_type) {
	case PCI_BAR_IO:
		return "io";
	case PCI_BAR_MEM32:
		return pb->pb_prefetch ? "mem32 prefetch" : "mem32";
	case PCI_BAR_MEM64:
		return pb->pb_prefetch ? "mem64 prefetch" : "mem64";
	default:
		return "none";
	}
}

/*
 * Size BAR n (PCI 3.0, 6.2.5.1): write all ones, read back which address
 * bits stick, restore.  The lowest writable address bit is the size.  A
 * 64-bit BAR takes n and n + 1; returns how many registers it used.
 * Decoding is off while this runs (pci_size_bars).
 */
static int
pci_size_bar(struct device *dv, int n, struct pci_bar *pb)
{
	int reg = PCI_BAR0 + 4 * n;
	uint32_t orig, mask, orig_hi, mask_hi;
	uint64_t mask64;

	memset(pb, 0, sizeof(*pb));
	orig = pci_read32(dv, reg);
	pci_write32(dv, reg, 0xffffffffU);
	mask = pci_read32(dv, reg);
	pci_write32(dv, reg, orig);
	if (mask == 0 || mask == 0xffffffffU)
		return 1;		/* unimplemented (or no function) */

	if (orig & PCI_BAR_IO_SPACE) {
		mask &= PCI_BAR_IO_MASK;
		/* A 16-bit decoder may read its upper half back as 0. */
		if ((mask & 0xffff0000U) == 0)
			mask |= 0xffff0000U;
		pb->pb_type = PCI_BAR_IO;
		pb->pb_base = orig & PCI_BAR_IO_MASK;
		pb->pb_size = (uint32_t)(~mask + 1);
		return 1;
	}
	pb->pb_prefetch = (orig & PCI_BAR_MEM_PREFETCH) != 0;
	if ((orig & PCI_BAR_MEM_TYPE_MASK) == PCI_BAR_MEM_TYPE_64) {
		if (n + 1 >= dv->dv_pci->pf_nbars) {
			klog("pci", "%02x:%02x.%x: 64-bit BAR%d has no upper "
			    "half", dv->dv_pci_bus, dv->dv_pci_slot,
			    dv->dv_pci_func, n);
			return 1;
		}
		orig_hi = pci_read32(dv, reg + 4);
		pci_write32(dv, reg + 4, 0xffffffffU);
		mask_hi = pci_read32(dv, reg + 4);
		pci_write32(dv, reg + 4, orig_hi);
		mask64 = ((uint64_t)mask_hi << 32) | (mask & PCI_BAR_MEM_MASK);
		pb->pb_type = PCI_BAR_MEM64;
		pb->pb_base = ((uint64_t)orig_hi << 32) |
		    (orig & PCI_BAR_MEM_MASK);
		pb->pb_size = ~mask64 + 1;
		return 2;
	}
	if ((orig & PCI_BAR_MEM_TYPE_MASK) == 0x6) {
		klog("pci", "%02x:%02x.%x: BAR%d has the reserved memory "
		    "type 3; ignored", dv->dv_pci_bus, dv->dv_pci_slot,
		    dv->dv_pci_func, n);
		pb->pb_prefetch = false;
		return 1;
	}
	/* Type 0 (32-bit) or the old type 1 (below 1 MiB). */
	mask &= PCI_BAR_MEM_MASK;
	pb->pb_type = PCI_BAR_MEM32;
	pb->pb_base = orig & PCI_BAR_MEM_MASK;
	pb->pb_size = (uint32_t)(~mask + 1);
	return 1;
}

/*
 * Size every BAR of dv with its decoding off, so that the all-ones
 * address never claims anything on the bus, and log them.  A host
 * bridge's decoding is left alone: turning it off may cut the CPU from
 * memory on some chipsets.
 */
static void
pci_size_bars(struct device *dv)
{
	struct pci_func *pf = dv->dv_pci;
	bool host = dv->dv_pci_class == PCI_CLASS_BRIDGE &&
	    dv->dv_pci_subclass == 0;
	uint16_t cmd;
	int n;

	if (pf->pf_nbars == 0)
		return;
	cmd = pci_read16(dv, PCI_COMMAND);
	if (!host)
		pci_write16(dv, PCI_COMMAND, cmd &
		    ~(PCI_COMMAND_IO | PCI_COMMAND_MEM));
	for (n = 0; n < pf->pf_nbars; )
		n += pci_size_bar(dv, n, &pf->pf_bars[n]);
	if (!host)
		pci_write16(dv, PCI_COMMAND, cmd);
	for (n = 0; n < pf->pf_nbars; n++) {
		struct pci_bar *pb = &pf->pf_bars[n];

		if (pb->pb_type != PCI_BAR_NONE)
			klog("pci", "%02x:%02x.%x BAR%d %s %#lx size %#lx",
			    dv->dv_pci_bus, dv->dv_pci_slot, dv->dv_pci_func,
			    n, pci_bar_type_name(pb), pb->pb_base,
			    pb->pb_size);
	}
}

/*
 * Copy BAR n of dv (sized at enumeration) to *pb.  Returns 0, or -EINVAL
 * for n outside 0-5.  An unimplemented BAR, or the upper half of a 64-bit
 * one, reads as PCI_BAR_NONE.  [B]
 */
int
pci_bar(struct device *dv, int n, struct pci_bar *pb)
{
	if (n < 0 || n >= PCI_NBARS)
		return -EINVAL;
	*pb = dv->dv_pci->pf_bars[n];
	return 0;
}

/*
 * Map memory BAR n of dv uncached into kernel virtual memory through
 * pmap_mapdev() and turn memory decoding on.  The first mapping is kept:
 * every later call returns the same pointer.  Returns NULL (logged) for
 * a bad n, an I/O or empty BAR, one the firmware left unassigned, or a
 * failed mapping.  [B]
 */
volatile void *
pci_bar_map(struct device *dv, int n)
{
	struct pci_func *pf = dv->dv_pci;
	struct pci_bar *pb;
	void *va;

	if (n < 0 || n >= PCI_NBARS) {
		klog("pci", PCI_BDF_FMT ": no BAR%d", PCI_BDF(dv), n);
		return NULL;
	}
	if (pf->pf_maps[n] != NULL)
		return pf->pf_maps[n];
	pb = &pf->pf_bars[n];
	if (pb->pb_type != PCI_BAR_MEM32 && pb->pb_type != PCI_BAR_MEM64) {
		klog("pci", PCI_BDF_FMT ": BAR%d is %s, not memory: cannot map it",
		    PCI_BDF(dv), n, pci_bar_type_name(pb));
		return NULL;
	}
	if (pb->pb_base == 0) {
		klog("pci", PCI_BDF_FMT ": BAR%d was given no address by the firmware",
		    PCI_BDF(dv), n);
		return NULL;
	}
	if ((va = pmap_mapdev(pb->pb_base, pb->pb_size)) == NULL) {
		klog("pci", PCI_BDF_FMT ": cannot map BAR%d at %#lx", PCI_BDF(dv), n,
		    pb->pb_base);
		return NULL;
	}
	pci_write16(dv, PCI_COMMAND, pci_read16(dv, PCI_COMMAND) |
	    PCI_COMMAND_MEM);
	pf->pf_maps[n] = va;
	return va;
}

/* Turn on I/O space decoding of dv (its I/O BARs answer).  [B] */
void
pci_enable_io(struct device *dv)
{
	pci_write16(dv, PCI_COMMAND, pci_read16(dv, PCI_COMMAND) |
	    PCI_COMMAND_IO);
}

/*
 * Let dv master the bus: DMA and MSI/MSI-X messages are both memory
 * writes by the device.  [B]
 */
void
pci_enable_busmaster(struct device *dv)
{
	pci_write16(dv, PCI_COMMAND, pci_read16(dv, PCI_COMMAND) |
	    PCI_COMMAND_MASTER);
}

/*
 * The offset of dv's first capability with id cap after the one at from
 * (0: from the head of the list, PCI 3.0, 6.7), or 0 when there is none.
 * A pointer into the header, or a list longer than the 48 capabilities
 * that fit in 192 bytes (a loop), ends the walk with a log line.  [B]
 */
int
pci_find_cap(struct device *dv, int cap, int from)
{
	int ptr, n;

	if ((pci_read16(dv, PCI_STATUS) & PCI_STATUS_CAP_LIST) == 0)
		return 0;
	if (from != 0)
		ptr = pci_read8(dv, from + 1);
	else if (dv->dv_pci->pf_hdrtype == PCI_HEADER_CARDBUS)
		ptr = pci_read8(dv, PCI_CARDBUS_CAP_PTR);
	else
		ptr = pci_read8(dv, PCI_CAP_PTR);
	for (n = 0; n < 48 && ptr != 0; n++) {
		ptr &= 0xfc;
		if (ptr < 0x40) {
			klog("pci", PCI_BDF_FMT ": capability pointer %#x into the "
			    "header; list cut", PCI_BDF(dv), ptr);
			return 0;
		}
		if (pci_read8(dv, ptr) == cap)
			return ptr;
		ptr = pci_read8(dv, ptr + 1);
	}
	if (ptr != 0)
		klog("pci", PCI_BDF_FMT ": capability list loops; cut",
		    PCI_BDF(dv));
	return 0;
}

static int pci_scan_bus(int bus, int depth);

/* Record one function, size its BARs, and, if a bridge, scan behind it. */
static int
pci_add_function(int bus, int slot, int func, uint32_t id, int depth)
{
	uint32_t class = pci_cfg_read32(bus, slot, func, PCI_REVISION);
	uint8_t hdr = (pci_cfg_read32(bus, slot, func, PCI_HEADER_TYPE & ~3) >>
	    16) & PCI_HEADER_TYPE_MASK;
	struct pci_func *pf;
	struct device *dv;

	if ((dv = kmalloc(sizeof(*dv), M_ZERO)) == NULL)
		return -ENOMEM;
	if ((pf = kmalloc(sizeof(*pf), M_ZERO)) == NULL) {
		kfree(dv);
		return -ENOMEM;
	}
	pf->pf_ecam = pci_ecam_func(bus, slot, func);
	pf->pf_hdrtype = hdr;
	pf->pf_nbars = hdr == PCI_HEADER_NORMAL ? PCI_NBARS_NORMAL :
	    hdr == PCI_HEADER_BRIDGE ? PCI_NBARS_BRIDGE : 0;
	dv->dv_pci = pf;
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
	pci_size_bars(dv);
	device_add(dv);

	if (hdr == PCI_HEADER_BRIDGE && dv->dv_pci_class == PCI_CLASS_BRIDGE &&
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

/*
 * Map the ECAM range the MCFG table names (PCI Firmware 3.0, 4.1.2: its
 * base address is that of bus 0, whatever the first bus).  When
 * mechanism #1 also works, the two must agree on bus 0's first function,
 * or ECAM is not trusted.
 */
static void
pci_ecam_init(bool mech1)
{
	paddr_t base = acpi_info.ai_mcfg_addr;
	int start = acpi_info.ai_mcfg_bus_start;
	int end = acpi_info.ai_mcfg_bus_end;
	volatile uint8_t *va;
	uint32_t via_ecam, via_mech1;

	if (base == 0)
		return;
	if (end < start) {
		klog("pci", "MCFG bus range %d-%d is empty; no ECAM", start,
		    end);
		return;
	}
	va = pmap_mapdev(base + (uint64_t)start * PCI_ECAM_BUS_SIZE,
	    (uint64_t)(end - start + 1) * PCI_ECAM_BUS_SIZE);
	if (va == NULL) {
		klog("pci", "cannot map ECAM at %#lx; using mechanism #1",
		    base);
		return;
	}
	if (mech1 && start == 0) {
		via_ecam = pci_ecam_read(va, PCI_VENDOR_ID, 4);
		via_mech1 = pci_mech1_read(0, 0, 0, PCI_VENDOR_ID, 4);
		if (via_ecam != via_mech1) {
			klog("pci", "ECAM at %#lx reads %08x where mechanism "
			    "#1 reads %08x; not using it", base, via_ecam,
			    via_mech1);
			return;
		}
	}
	pci_ecam_va = va;
	pci_ecam_start = start;
	pci_ecam_end = end;
	klog("pci", "configuration space through ECAM at %#lx, buses %d-%d",
	    base, start, end);
}

static int
pci_enumerate(void)
{
	bool mech1 = pci_mech1_present();

	pci_ecam_init(mech1);
	if (!mech1 && pci_ecam_va == NULL) {
		klog("pci", "neither ECAM nor configuration mechanism #1; "
		    "no PCI devices");
		return -ENODEV;
	}
	if (pci_ecam_va == NULL)
		klog("pci", "configuration space through mechanism #1");
	return pci_scan_bus(0, 0);
}

static struct bus pci_bus = {
	.bus_name = "pci",
	.bus_type = BUS_PCI,
	.bus_order = 20,
	.bus_enumerate = pci_enumerate,
};
BUS(pci_bus);
