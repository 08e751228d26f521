/*
 * The I/O APICs: they take the interrupt lines of devices (ISA IRQs, PCI
 * INTx) as numbered inputs, global system interrupts (GSIs), and send each
 * to a local APIC as a message with a vector.  Each input has a
 * redirection-table entry that says which vector, which CPU, edge or
 * level, active high or low, and whether it is masked.  Intel 82093AA
 * I/O APIC datasheet, 3.0 (registers) and 3.2.4 (redirection table).
 *
 * Locking: the registers are reached through an index and a window, so
 * every access is a two-step sequence: after boot, callers hold intr_lock
 * (intr.c).  The table of IOAPICs is written by ioapic_init() during boot
 * and read-only afterwards ([B]).
 */
#include <sys/acpi.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <machine/apicreg.h>
#include <machine/apicvar.h>
#include <machine/pmap.h>

/*
 * Locks protecting members of this struct:
 *	B	written by ioapic_init() during boot, read-only afterwards
 *	i	the registers behind io_va: intr_lock
 */
struct ioapic {
	volatile uint32_t *io_va;	/* [B] registers [i] */
	paddr_t		io_pa;		/* [B] */
	uint8_t		io_id;		/* [B] */
	uint32_t	io_gsi_base;	/* [B] first GSI */
	uint32_t	io_npins;	/* [B] redirection entries */
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];	/* [B] */
static int nioapics;				/* [B] */

static uint32_t
ioapic_read(struct ioapic *io, uint32_t reg)
{
	io->io_va[IOAPIC_REGSEL / 4] = reg;
	return io->io_va[IOAPIC_WIN / 4];
}

static void
ioapic_write(struct ioapic *io, uint32_t reg, uint32_t v)
{
	io->io_va[IOAPIC_REGSEL / 4] = reg;
	io->io_va[IOAPIC_WIN / 4] = v;
}

/* The IOAPIC that has input gsi, and the pin number on it; or NULL. */
static struct ioapic *
ioapic_for_gsi(uint32_t gsi, uint32_t *pin)
{
	int i;

	for (i = 0; i < nioapics; i++) {
		if (gsi >= ioapics[i].io_gsi_base &&
		    gsi - ioapics[i].io_gsi_base < ioapics[i].io_npins) {
			*pin = gsi - ioapics[i].io_gsi_base;
			return &ioapics[i];
		}
	}
	return NULL;
}

/*
 * Map every IOAPIC the MADT listed, read how many inputs it has, and mask
 * all of them.  Called by intr_init() during boot.  Returns the number of
 * IOAPICs set up, or -ENODEV when none could be.
 */
int
ioapic_init(void)
{
	const struct acpi_ioapic *aio;
	struct ioapic *io;
	uint32_t pin, ver;
	int i;

	for (i = 0; i < acpi_info.ai_nioapics; i++) {
		aio = &acpi_info.ai_ioapics[i];
		io = &ioapics[nioapics];
		io->io_va = pmap_mapdev(aio->aio_addr, IOAPIC_MMIO_SIZE);
		if (io->io_va == NULL) {
			klog("ioapic", "cannot map the IOAPIC at 0x%lx",
			    aio->aio_addr);
			continue;
		}
		/* Nothing there reads as all ones. */
		if ((ver = ioapic_read(io, IOAPIC_VER)) == 0xffffffff) {
			klog("ioapic", "no IOAPIC answers at 0x%lx",
			    aio->aio_addr);
			continue;
		}
		io->io_pa = aio->aio_addr;
		io->io_id = aio->aio_id;
		io->io_gsi_base = aio->aio_gsi_base;
		io->io_npins = IOAPIC_VER_MAXREDIR(ver) + 1;
		for (pin = 0; pin < io->io_npins; pin++) {
			ioapic_write(io, IOAPIC_REDTBL_LO(pin),
			    IOAPIC_RTE_MASKED);
			ioapic_write(io, IOAPIC_REDTBL_HI(pin), 0);
		}
		kprintf("ioapic%d: id %u at 0x%lx, GSIs %u-%u, all masked\n",
		    nioapics, io->io_id, io->io_pa, io->io_gsi_base,
		    io->io_gsi_base + io->io_npins - 1);
		nioapics++;
	}
	return nioapics > 0 ? nioapics : -ENODEV;
}

/* How many IOAPICs ioapic_init() set up. */
int
ioapic_count(void)
{
	return nioapics;
}

/*
 * Send input gsi to the local APIC dest_apic_id as vector, fixed
 * delivery, physical destination, with the given trigger and polarity,
 * and unmask it.  The caller holds intr_lock (after boot).  Returns 0, or
 * -EINVAL when no IOAPIC has that input.
 */
int
ioapic_route(uint32_t gsi, int vector, bool level, bool active_low,
    uint32_t dest_apic_id)
{
	struct ioapic *io;
	uint32_t pin, lo;

	if ((io = ioapic_for_gsi(gsi, &pin)) == NULL)
		return -EINVAL;
	lo = ((uint32_t)vector & IOAPIC_RTE_VECTOR) | IOAPIC_RTE_DM_FIXED;
	if (level)
		lo |= IOAPIC_RTE_LEVEL;
	if (active_low)
		lo |= IOAPIC_RTE_ACTIVE_LOW;
	/* Masked while the two halves disagree; unmasked by the last write. */
	ioapic_write(io, IOAPIC_REDTBL_LO(pin), IOAPIC_RTE_MASKED);
	ioapic_write(io, IOAPIC_REDTBL_HI(pin),
	    dest_apic_id << IOAPIC_RTE_DEST_SHIFT);
	ioapic_write(io, IOAPIC_REDTBL_LO(pin), lo);
	return 0;
}

/*
 * Mask input gsi.  The caller holds intr_lock (after boot).  Returns 0 or
 * -EINVAL when no IOAPIC has that input.
 */
int
ioapic_mask(uint32_t gsi)
{
	struct ioapic *io;
	uint32_t pin;

	if ((io = ioapic_for_gsi(gsi, &pin)) == NULL)
		return -EINVAL;
	ioapic_write(io, IOAPIC_REDTBL_LO(pin),
	    ioapic_read(io, IOAPIC_REDTBL_LO(pin)) | IOAPIC_RTE_MASKED);
	return 0;
}
