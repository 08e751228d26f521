/*
 * PCI self-tests, on the devices every QEMU PC machine has: the standard
 * VGA (1234:1111) and the default NIC, an e1000 (8086:100e) on "pc" and
 * an e1000e (8086:10d3) on "q35".  Their layouts are QEMU's (hw/display/
 * bochs-display and vga-pci; the Intel 8254x and 82574 datasheets).
 */
#include <sys/acpi.h>
#include <sys/device.h>
#include <sys/errno.h>
#include <sys/intr.h>
#include <sys/ktest.h>

#include <machine/cpufunc.h>

#include <dev/pci/pcireg.h>
#include <dev/pci/pcivar.h>

#define QEMU_VGA_VENDOR		0x1234
#define QEMU_VGA_DEVICE		0x1111
#define QEMU_VGA_DISPI_ID	0x500	/* BAR2: Bochs VBE index 0, 16-bit */
#define  DISPI_ID_MIN		0xb0c0
#define  DISPI_ID_MAX		0xb0cf

#define INTEL_VENDOR		0x8086
#define E1000_DEVICE		0x100e	/* 82540EM */
#define E1000E_DEVICE		0x10d3	/* 82574L */
#define E1000_ICR		0xc0	/* interrupt cause, clears on read */
#define E1000_ICS		0xc8	/* interrupt cause set */
#define E1000_IMS		0xd0	/* interrupt mask set */
#define E1000_IMC		0xd8	/* interrupt mask clear */
#define E1000_IVAR		0xe4	/* 82574: cause -> MSI-X vector */
#define  E1000_IVAR_RXQ0_VALID	0x8	/* RxQ0 to vector 0, valid */
#define E1000_ICR_RXQ0		0x00100000	/* 82574: RxQ0 (MSI-X) */
#define E1000_ICR_LSC		0x00000004	/* link status change */

static struct device *
pci_ktest_find(uint16_t vendor, uint16_t device)
{
	struct device *dv;

	for (dv = device_first(); dv != NULL; dv = device_next(dv))
		if (dv->dv_bus == BUS_PCI && dv->dv_pci_vendor == vendor &&
		    dv->dv_pci_device == device)
			return dv;
	return NULL;
}

/*
 * The VGA's BARs as sized at enumeration: BAR0 the framebuffer (32-bit,
 * prefetchable, 16 MiB by default), BAR2 its 4 KiB of registers, whose
 * Bochs VBE id register we read through pci_bar_map.
 */
KTEST(pci_vga_bars)
{
	struct device *dv = pci_ktest_find(QEMU_VGA_VENDOR, QEMU_VGA_DEVICE);
	struct pci_bar pb;
	volatile uint8_t *regs;
	uint16_t id;

	KT_ASSERT(dv != NULL);
	KT_ASSERT(pci_bar(dv, 0, &pb) == 0);
	KT_ASSERT(pb.pb_type == PCI_BAR_MEM32 && pb.pb_prefetch);
	KT_ASSERT(pb.pb_size >= 4 * 1024 * 1024 &&
	    (pb.pb_size & (pb.pb_size - 1)) == 0);
	KT_ASSERT((pb.pb_base & (pb.pb_size - 1)) == 0 && pb.pb_base != 0);
	KT_ASSERT(pci_bar(dv, 1, &pb) == 0 && pb.pb_type == PCI_BAR_NONE);
	KT_ASSERT(pci_bar(dv, 2, &pb) == 0);
	KT_ASSERT(pb.pb_type == PCI_BAR_MEM32 && !pb.pb_prefetch);
	KT_ASSERT(pb.pb_size == 4096);
	/* Sizing restored the address the firmware gave. */
	KT_ASSERT((pci_read32(dv, PCI_BAR0 + 8) & PCI_BAR_MEM_MASK) ==
	    pb.pb_base);
	KT_ASSERT(pci_bar(dv, 6, &pb) == -EINVAL);
	KT_ASSERT(pci_bar_map(dv, 1) == NULL);
	regs = pci_bar_map(dv, 2);
	KT_ASSERT(regs != NULL);
	KT_ASSERT(pci_bar_map(dv, 2) == regs);
	KT_ASSERT(pci_read16(dv, PCI_COMMAND) & PCI_COMMAND_MEM);
	id = *(volatile uint16_t *)(regs + QEMU_VGA_DISPI_ID);
	kprintf("ktest: VGA BAR2 at %#lx, VBE id %#x\n", pb.pb_base, id);
	KT_ASSERT(id >= DISPI_ID_MIN && id <= DISPI_ID_MAX);
	return 0;
}

/*
 * For every function, pci_find_cap agrees with a walk of the raw list:
 * each capability is found at its first offset, "from" moves to the next
 * of the same id, and an id absent from the list gives 0.  The q35 NIC
 * must show PM, MSI, PCI Express and MSI-X.
 */
KTEST(pci_caps)
{
	struct device *dv, *nic;
	int ptr, n, first, walked = 0;
	uint8_t id;

	for (dv = device_first(); dv != NULL; dv = device_next(dv)) {
		if (dv->dv_bus != BUS_PCI)
			continue;
		if ((pci_read16(dv, PCI_STATUS) & PCI_STATUS_CAP_LIST) == 0) {
			KT_ASSERT(pci_find_cap(dv, PCI_CAP_ID_MSI, 0) == 0);
			continue;
		}
		ptr = pci_read8(dv, PCI_CAP_PTR) & 0xfc;
		for (n = 0; ptr != 0 && n < 48; n++) {
			id = pci_read8(dv, ptr);
			first = pci_find_cap(dv, id, 0);
			KT_ASSERT(first != 0 && first <= ptr);
			while (first < ptr)
				first = pci_find_cap(dv, id, first);
			KT_ASSERT(first == ptr);
			walked++;
			ptr = pci_read8(dv, ptr + 1) & 0xfc;
		}
		KT_ASSERT(pci_find_cap(dv, 0xff, 0) == 0);
	}
	if ((nic = pci_ktest_find(INTEL_VENDOR, E1000E_DEVICE)) != NULL) {
		KT_ASSERT(pci_find_cap(nic, PCI_CAP_ID_PM, 0) != 0);
		KT_ASSERT(pci_find_cap(nic, PCI_CAP_ID_MSI, 0) != 0);
		KT_ASSERT(pci_find_cap(nic, PCI_CAP_ID_EXP, 0) != 0);
		KT_ASSERT(pci_find_cap(nic, PCI_CAP_ID_MSIX, 0) != 0);
	}
	kprintf("ktest: %d capabilities walked\n", walked);
	return 0;
}

/* Mechanism #1 by hand, to check ECAM against it. */
static uint32_t
pci_ktest_mech1(struct device *dv, int reg)
{
	uint32_t v;
	uint64_t rf = read_rflags();

	intr_disable();
	outl(PCI_CFG_ADDR, PCI_CFG_ENABLE | (dv->dv_pci_bus << 16) |
	    (dv->dv_pci_slot << 11) | (dv->dv_pci_func << 8) | reg);
	v = inl(PCI_CFG_DATA);
	write_rflags(rf);
	return v;
}

/*
 * With an MCFG table (q35), every function uses ECAM and reads there the
 * same header as through mechanism #1; without one (pc), none does.
 */
KTEST(pci_ecam)
{
	struct device *dv;
	int reg, n = 0;

	for (dv = device_first(); dv != NULL; dv = device_next(dv)) {
		if (dv->dv_bus != BUS_PCI)
			continue;
		if (acpi_info.ai_mcfg_addr == 0) {
			KT_ASSERT(dv->dv_pci->pf_ecam == NULL);
			continue;
		}
		KT_ASSERT(dv->dv_pci->pf_ecam != NULL);
		/* BARs and the command register are stable; compare all. */
		for (reg = 0; reg < 0x40; reg += 4)
			KT_ASSERT(pci_read32(dv, reg) ==
			    pci_ktest_mech1(dv, reg));
		n++;
	}
	kprintf("ktest: %d functions compared through ECAM\n", n);
	return 0;
}

static volatile uint32_t pci_ktest_icr;
static volatile int pci_ktest_fired;
static volatile uint8_t *pci_ktest_nic;

static void
pci_ktest_nic_intr(void *arg)
{
	uint32_t icr;

	(void)arg;
	/*
	 * Reading ICR clears it and drops the line (INTx).  With MSI-X the
	 * 82574 may have cleared it already: the message is the proof.
	 */
	icr = *(volatile uint32_t *)(pci_ktest_nic + E1000_ICR);
	pci_ktest_icr |= icr;
	pci_ktest_fired++;
}

/*
 * A device interrupt through pci_intr_setup: the NIC is made to raise a
 * cause by writing its Interrupt Cause Set register.  On q35 the e1000e
 * gets MSI-X (its RxQ0 cause sent to table entry 0 by IVAR); on pc the
 * e1000 has neither MSI nor MSI-X and gets INTx, level-triggered.  The
 * handler must run and the vector's count go up.  The NIC has no driver,
 * so the test may take it.
 */
KTEST(pci_intr_nic)
{
	static intr_handler_t *const fns[1] = { pci_ktest_nic_intr };
	struct device *dv;
	enum pci_intr_kind kind;
	uint32_t cause;
	uint64_t before;
	int nv, i, vector;

	if ((dv = pci_ktest_find(INTEL_VENDOR, E1000E_DEVICE)) == NULL)
		dv = pci_ktest_find(INTEL_VENDOR, E1000_DEVICE);
	KT_ASSERT(dv != NULL && dv->dv_driver == NULL);
	KT_ASSERT((pci_ktest_nic = pci_bar_map(dv, 0)) != NULL);
	*(volatile uint32_t *)(pci_ktest_nic + E1000_IMC) = 0xffffffffU;
	(void)*(volatile uint32_t *)(pci_ktest_nic + E1000_ICR);
	nv = pci_intr_setup(dv, 1, fns, NULL, "ktest-nic", 0);
	KT_ASSERT(nv == 1);
	KT_ASSERT(pci_intr_setup(dv, 1, fns, NULL, "ktest-nic", 0) == -EBUSY);
	kind = pci_intr_kind(dv);
	vector = dv->dv_pci->pf_vectors[0];
	if (dv->dv_pci_device == E1000E_DEVICE) {
		KT_ASSERT(kind == PCI_INTR_MSIX);
		KT_ASSERT(pci_intr_msix_entry(dv, 0) == 0);
		KT_ASSERT(pci_intr_msix_entry(dv, 1) == -1);
		*(volatile uint32_t *)(pci_ktest_nic + E1000_IVAR) =
		    E1000_IVAR_RXQ0_VALID;
		cause = E1000_ICR_RXQ0;
	} else {
		KT_ASSERT(kind == PCI_INTR_INTX);
		KT_ASSERT(pci_intr_msix_entry(dv, 0) == -1);
		cause = E1000_ICR_LSC;
	}
	before = intr_count(vector);
	*(volatile uint32_t *)(pci_ktest_nic + E1000_IMS) = cause;
	*(volatile uint32_t *)(pci_ktest_nic + E1000_ICS) = cause;
	for (i = 0; i < 200 && pci_ktest_fired == 0; i++)
		cpu_idle();		/* the timer wakes us if it is lost */
	*(volatile uint32_t *)(pci_ktest_nic + E1000_IMC) = 0xffffffffU;
	kprintf("ktest: NIC %04x kind %d vector %d fired %d ICR %#x\n",
	    dv->dv_pci_device, kind, vector, pci_ktest_fired, pci_ktest_icr);
	KT_ASSERT(pci_ktest_fired > 0);
	KT_ASSERT(kind == PCI_INTR_MSIX || (pci_ktest_icr & cause));
	KT_ASSERT(intr_count(vector) > before);
	return 0;
}
