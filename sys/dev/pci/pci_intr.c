/*
 * PCI interrupts: MSI-X, MSI, then INTx, in one call (dev/pci/pcivar.h).
 *
 * MSI and MSI-X (PCI 3.0, 6.8) are memory writes by the device of a
 * message the CPU chose: intr_msi_message() gives the local APIC's
 * address and the vector as data, so each vector is the device's alone
 * and edge-triggered.  MSI-X keeps one address/data pair per vector in a
 * table inside one of the function's memory BARs; MSI has one pair in
 * its capability (we enable one message of the up to 32 it may offer).
 *
 * INTx is the old wire, INTA#-INTD#, shared and level-triggered.  Which
 * IOAPIC input it reaches is the board's business, told by ACPI's _PRT
 * method; our ACPI code has no AML interpreter (sys/acpi.h), so we use
 * the Interrupt Line register the firmware (SeaBIOS, OVMF) fills with
 * the ISA IRQ it routed the pin to, mapped through the MADT's interrupt
 * source overrides.  On QEMU, both machines also wire that IRQ to the
 * IOAPIC input of the same number; on a real q35-class chipset the
 * IOAPIC would see the pin at GSI 16-23 instead and this needs _PRT.
 *
 * Locking: called from a driver's attach during boot, one CPU ([B]).
 */
#include <sys/acpi.h>
#include <sys/device.h>
#include <sys/errno.h>
#include <sys/intr.h>
#include <sys/systm.h>

#include <machine/apicvar.h>

#include <dev/acpi/acpireg.h>
#include <dev/pci/pcireg.h>
#include <dev/pci/pcivar.h>

/* Give back vectors [0, n) of pf after a failed setup. */
static void
pci_intr_unwind(struct pci_func *pf, int n)
{
	while (n-- > 0)
		intr_free_vector(pf->pf_vectors[n]);
}

/* Allocate n direct vectors, vector i for fns[i]; 0 or -errno. */
static int
pci_intr_alloc(struct pci_func *pf, int n, intr_handler_t *const *fns,
    void *arg, const char *name)
{
	int i, v;

	for (i = 0; i < n; i++) {
		if (fns[i] == NULL) {
			pci_intr_unwind(pf, i);
			return -EINVAL;
		}
		if ((v = intr_alloc_vector(fns[i], arg, name)) < 0) {
			pci_intr_unwind(pf, i);
			return v;
		}
		pf->pf_vectors[i] = v;
	}
	return 0;
}

/*
 * MSI-X (PCI 3.0, 6.8.2): map the table's BAR, program entries 0 to n-1
 * with the function masked, then enable and unmask.  Entries past n stay
 * masked (their reset state).  Returns the vectors given, or -errno.
 */
static int
pci_intr_msix(struct device *dv, int cap, int nvec, intr_handler_t *const *fns,
    void *arg, const char *name)
{
	struct pci_func *pf = dv->dv_pci;
	uint16_t ctrl = pci_read16(dv, cap + PCI_MSIX_CTRL);
	uint32_t table = pci_read32(dv, cap + PCI_MSIX_TABLE);
	int size = (ctrl & PCI_MSIX_CTRL_SIZE) + 1;
	int bir = table & PCI_MSIX_BIR_MASK, n, i, error;
	uint64_t off = table & ~(uint32_t)PCI_MSIX_BIR_MASK, addr;
	volatile uint8_t *base, *e;
	uint32_t data;

	n = nvec < size ? nvec : size;
	if (bir >= PCI_NBARS || off + (uint64_t)size * PCI_MSIX_ENTRY_SIZE >
	    pf->pf_bars[bir].pb_size) {
		klog("pci", PCI_BDF_FMT ": MSI-X table (BAR%d + %#lx, %d entries) is "
		    "outside its BAR", PCI_BDF(dv), bir, off, size);
		return -EINVAL;
	}
	if ((base = pci_bar_map(dv, bir)) == NULL)
		return -ENXIO;
	if ((error = pci_intr_alloc(pf, n, fns, arg, name)) < 0)
		return error;
	pci_write16(dv, cap + PCI_MSIX_CTRL, ctrl | PCI_MSIX_CTRL_ENABLE |
	    PCI_MSIX_CTRL_MASK);
	for (i = 0; i < n; i++) {
		if ((error = intr_msi_message(pf->pf_vectors[i], &addr,
		    &data)) < 0)
			goto fail;
		e = base + off + (uint64_t)i * PCI_MSIX_ENTRY_SIZE;
		*(volatile uint32_t *)(e + PCI_MSIX_ENTRY_ADDR_LO) =
		    (uint32_t)addr;
		*(volatile uint32_t *)(e + PCI_MSIX_ENTRY_ADDR_HI) =
		    (uint32_t)(addr >> 32);
		*(volatile uint32_t *)(e + PCI_MSIX_ENTRY_DATA) = data;
		*(volatile uint32_t *)(e + PCI_MSIX_ENTRY_CTRL) &=
		    ~(uint32_t)PCI_MSIX_ENTRY_MASKED;
	}
	/* From here on we are committed; nothing below may fail. */
	pci_write16(dv, PCI_COMMAND, pci_read16(dv, PCI_COMMAND) |
	    PCI_COMMAND_INTX_DIS);
	pci_enable_busmaster(dv);
	pci_write16(dv, cap + PCI_MSIX_CTRL, (ctrl | PCI_MSIX_CTRL_ENABLE) &
	    ~PCI_MSIX_CTRL_MASK);
	pf->pf_intr = PCI_INTR_MSIX;
	pf->pf_nvec = n;
	klog("pci", PCI_BDF_FMT ": MSI-X, %d of %d vectors from %d (table in BAR%d)",
	    PCI_BDF(dv), n, size, pf->pf_vectors[0], bir);
	return n;
fail:
	for (i = 0; i < n; i++) {
		e = base + off + (uint64_t)i * PCI_MSIX_ENTRY_SIZE;
		*(volatile uint32_t *)(e + PCI_MSIX_ENTRY_CTRL) |=
		    PCI_MSIX_ENTRY_MASKED;
	}
	pci_write16(dv, cap + PCI_MSIX_CTRL, ctrl & ~PCI_MSIX_CTRL_ENABLE);
	pci_intr_unwind(pf, n);
	return error;
}

/*
 * MSI (PCI 3.0, 6.8.1): one message (Multiple Message Enable 0), its
 * address and data in the capability, its mask bit cleared when the
 * function can mask.  Returns 1, or -errno.
 */
static int
pci_intr_msi(struct device *dv, int cap, intr_handler_t *const *fns,
    void *arg, const char *name)
{
	struct pci_func *pf = dv->dv_pci;
	uint16_t ctrl = pci_read16(dv, cap + PCI_MSI_CTRL);
	bool is64 = (ctrl & PCI_MSI_CTRL_64BIT) != 0;
	uint64_t addr;
	uint32_t data;
	int error;

	if ((error = pci_intr_alloc(pf, 1, fns, arg, name)) < 0)
		return error;
	if ((error = intr_msi_message(pf->pf_vectors[0], &addr, &data)) < 0) {
		pci_intr_unwind(pf, 1);
		return error;
	}
	/* From here on we are committed; nothing below may fail. */
	pci_write16(dv, cap + PCI_MSI_CTRL, ctrl & ~(PCI_MSI_CTRL_ENABLE |
	    PCI_MSI_CTRL_MME_MASK));
	pci_write32(dv, cap + PCI_MSI_ADDR_LO, (uint32_t)addr);
	if (is64) {
		pci_write32(dv, cap + PCI_MSI_ADDR_HI, (uint32_t)(addr >> 32));
		pci_write16(dv, cap + PCI_MSI_DATA_64, (uint16_t)data);
	} else {
		pci_write16(dv, cap + PCI_MSI_DATA_32, (uint16_t)data);
	}
	if (ctrl & PCI_MSI_CTRL_PVM) {
		int mreg = cap + (is64 ? PCI_MSI_MASK_64 : PCI_MSI_MASK_32);

		pci_write32(dv, mreg, pci_read32(dv, mreg) & ~1U);
	}
	pci_write16(dv, PCI_COMMAND, pci_read16(dv, PCI_COMMAND) |
	    PCI_COMMAND_INTX_DIS);
	pci_enable_busmaster(dv);
	pci_write16(dv, cap + PCI_MSI_CTRL, (ctrl & ~PCI_MSI_CTRL_MME_MASK) |
	    PCI_MSI_CTRL_ENABLE);
	pf->pf_intr = PCI_INTR_MSI;
	pf->pf_nvec = 1;
	klog("pci", PCI_BDF_FMT ": MSI (%s address) on vector %d", PCI_BDF(dv),
	    is64 ? "64-bit" : "32-bit", pf->pf_vectors[0]);
	return 1;
}

/*
 * INTx: the Interrupt Pin says which wire, the Interrupt Line where the
 * firmware routed it (see the top of this file).  PCI interrupts are
 * level-triggered and active low (PCI 3.0, 2.2.6); a MADT override for
 * that IRQ may move it to another GSI or state its polarity.  Returns 1,
 * or -ENODEV (no pin, or the firmware routed it nowhere), or intr_
 * establish_gsi()'s error.
 */
static int
pci_intr_intx(struct device *dv, intr_handler_t *const *fns, void *arg,
    const char *name)
{
	struct pci_func *pf = dv->dv_pci;
	const struct acpi_override *ao;
	uint8_t pin = pci_read8(dv, PCI_INTERRUPT_PIN);
	uint8_t line = pci_read8(dv, PCI_INTERRUPT_LINE);
	int polarity = INTR_LOW, i, v;
	uint32_t gsi = line;

	if (pin == 0 || pin > 4) {
		klog("pci", PCI_BDF_FMT ": no INTx pin", PCI_BDF(dv));
		return -ENODEV;
	}
	if (line == 0 || line == 0xff) {
		klog("pci", PCI_BDF_FMT ": INTx%c was routed nowhere by the firmware "
		    "(Interrupt Line %#x) and we cannot run _PRT", PCI_BDF(dv),
		    'A' + pin - 1, line);
		return -ENODEV;
	}
	for (i = 0; intr_apic_mode() && line < 16 &&
	    i < acpi_info.ai_noverrides; i++) {
		ao = &acpi_info.ai_overrides[i];
		if (ao->ao_isa_irq != line)
			continue;
		gsi = ao->ao_gsi;
		if ((ao->ao_flags & ACPI_INTI_POLARITY_MASK) ==
		    ACPI_INTI_POLARITY_HIGH)
			polarity = INTR_HIGH;
		break;
	}
	if ((v = intr_establish_gsi(gsi, INTR_LEVEL, polarity, fns[0], arg,
	    name)) < 0)
		return v;
	pci_write16(dv, PCI_COMMAND, pci_read16(dv, PCI_COMMAND) &
	    ~PCI_COMMAND_INTX_DIS);
	pf->pf_intr = PCI_INTR_INTX;
	pf->pf_nvec = 1;
	pf->pf_vectors[0] = v;
	pf->pf_gsi = gsi;
	klog("pci", PCI_BDF_FMT ": INTx%c, Interrupt Line %u -> GSI %u, vector %d",
	    PCI_BDF(dv), 'A' + pin - 1, line, gsi, v);
	return 1;
}

/*
 * Give dv up to nvec interrupt vectors, vector i calling fns[i](arg):
 * MSI-X, else MSI, else INTx, unless flags skip one (pcivar.h).  A kind
 * that fails (no capability, no APIC for messages, no vector left) falls
 * through to the next, with a log line.  Bus mastering is turned on for
 * MSI and MSI-X, whose messages are memory writes.  Called once per
 * device, from its attach ([B]).  Returns the vectors given (>= 1), or
 * -EINVAL (bad arguments), -EBUSY (already set up), or the last kind's
 * error.
 */
int
pci_intr_setup(struct device *dv, int nvec, intr_handler_t *const *fns,
    void *arg, const char *name, int flags)
{
	struct pci_func *pf = dv->dv_pci;
	int cap, error = -ENODEV;

	if (nvec < 1 || fns == NULL || fns[0] == NULL)
		return -EINVAL;
	if (pf->pf_intr != PCI_INTR_NONE)
		return -EBUSY;
	if (nvec > PCI_MAX_VECTORS)
		nvec = PCI_MAX_VECTORS;
	if (!(flags & PCI_INTR_NO_MSIX) &&
	    (cap = pci_find_cap(dv, PCI_CAP_ID_MSIX, 0)) != 0) {
		if ((error = pci_intr_msix(dv, cap, nvec, fns, arg, name)) > 0)
			return error;
		klog("pci", PCI_BDF_FMT ": MSI-X failed (%d); trying the next kind",
		    PCI_BDF(dv), error);
	}
	if (!(flags & PCI_INTR_NO_MSI) &&
	    (cap = pci_find_cap(dv, PCI_CAP_ID_MSI, 0)) != 0) {
		if ((error = pci_intr_msi(dv, cap, fns, arg, name)) > 0)
			return error;
		klog("pci", PCI_BDF_FMT ": MSI failed (%d); trying INTx", PCI_BDF(dv),
		    error);
	}
	return pci_intr_intx(dv, fns, arg, name);
}

/* What pci_intr_setup gave dv: PCI_INTR_NONE before it.  [B] */
enum pci_intr_kind
pci_intr_kind(struct device *dv)
{
	return dv->dv_pci->pf_intr;
}

/*
 * The MSI-X table entry that raises vector i of dv (entry i: we program
 * them in order), or -1 when dv has no MSI-X vector i.  [B]
 */
int
pci_intr_msix_entry(struct device *dv, int i)
{
	struct pci_func *pf = dv->dv_pci;

	if (pf->pf_intr != PCI_INTR_MSIX || i < 0 || i >= pf->pf_nvec)
		return -1;
	return i;
}
