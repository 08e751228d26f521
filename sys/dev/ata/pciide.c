/*
 * PCI IDE controllers (class 01, subclass 01): find the two channels'
 * registers and interrupts and hand each channel to dev/ata/ata.c.
 *
 * The programming interface byte says, per channel, whether it runs in
 * compatibility mode (the ISA addresses 0x1f0/0x3f6 with IRQ 14 and
 * 0x170/0x376 with IRQ 15) or native-PCI mode (BARs 0-1 and 2-3, the
 * function's INTx line), and whether there is a bus master (BAR 4:
 * "PCI IDE Controller Specification" rev 1.0, 2; SFF-8038i).  QEMU's
 * PIIX3 on -machine pc is 8086:7010, compatibility mode with a bus master.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/device.h>
#include <sys/errno.h>
#include <sys/intr.h>
#include <sys/malloc.h>
#include <sys/systm.h>
#include <sys/vm_phys.h>

#include <dev/pci/pcivar.h>
#include <dev/ata/atareg.h>
#include <dev/ata/atavar.h>

#define PCI_CLASS_MASS_STORAGE	0x01
#define PCI_SUBCLASS_IDE	0x01

/*
 * Locks protecting members of this struct:
 *	B	set by pciide_attach during boot, read-only afterwards
 */
struct pciide_softc {
	struct device	*sc_dev;		/* [B] */
	struct ata_channel sc_chan[2];		/* per its own legend */
	bool		 sc_native[2];		/* [B] native-PCI mode */
};

static int pciide_nchannels;			/* [B] for "ataN" names */

/* Any vendor: the class code decides (pciide_probe). */
static const struct pci_id pciide_ids[] = {
	{ PCI_ANY, PCI_ANY },
	{ 0, 0 },
};

static int
pciide_probe(struct device *dv)
{
	if (dv->dv_pci_class != PCI_CLASS_MASS_STORAGE ||
	    dv->dv_pci_subclass != PCI_SUBCLASS_IDE)
		return -ENODEV;
	return 0;
}

/* Both channels of a native-mode function share its one INTx vector. */
static void
pciide_intr_native(void *arg)
{
	struct pciide_softc *sc = arg;
	int c;

	for (c = 0; c < 2; c++)
		if (sc->sc_native[c] && sc->sc_chan[c].ach_cmd != 0)
			ata_intr(&sc->sc_chan[c]);
}

/* An I/O BAR's base port, or 0 when BAR n is not an I/O BAR. */
static uint16_t
pciide_io_bar(struct device *dv, int n)
{
	struct pci_bar pb;

	if (pci_bar(dv, n, &pb) < 0 || pb.pb_type != PCI_BAR_IO ||
	    pb.pb_base == 0 || pb.pb_base > 0xffff)
		return 0;
	return (uint16_t)pb.pb_base;
}

/*
 * Give channel c its bus master registers and a PRD table (one page
 * below 4 GiB: a page never crosses a 64 KiB boundary).  Without them
 * the channel does PIO only (logged).
 */
static void
pciide_setup_dma(struct pciide_softc *sc, int c, uint16_t bm)
{
	struct ata_channel *ch = &sc->sc_chan[c];
	paddr_t pa;

	if (bm == 0)
		return;
	if ((pa = vm_phys_alloc(0)) == 0 || pa + PAGE_SIZE > (1ULL << 32)) {
		if (pa != 0)
			vm_phys_free(pa, 0);
		klog(ch->ach_name, "no PRD page below 4 GiB: PIO only");
		return;
	}
	ch->ach_bm = bm + PCIIDE_BM_CHAN_OFF(c);
	ch->ach_prd_pa = pa;
	ch->ach_prd = PHYS_TO_DMAP(pa);
	memset(ch->ach_prd, 0, PAGE_SIZE);
}

/*
 * Find channel c's ports: 0, or -ENODEV when a native-mode channel has
 * no usable BARs (logged).
 */
static int
pciide_channel_ports(struct pciide_softc *sc, int c)
{
	struct device *dv = sc->sc_dev;
	struct ata_channel *ch = &sc->sc_chan[c];
	uint16_t ctl;

	if (!sc->sc_native[c]) {
		ch->ach_cmd = PCIIDE_COMPAT_CMD(c);
		ch->ach_ctl = PCIIDE_COMPAT_CTL(c);
		return 0;
	}
	ch->ach_cmd = pciide_io_bar(dv, 2 * c);
	ctl = pciide_io_bar(dv, 2 * c + 1);
	if (ch->ach_cmd == 0 || ctl == 0) {
		klog(dv->dv_name, "%s: native mode without I/O BARs: ignored",
		    ch->ach_name);
		ch->ach_cmd = 0;
		return -ENODEV;
	}
	ch->ach_ctl = ctl + PCIIDE_NATIVE_CTL_OFF;
	ch->ach_shared = true;
	return 0;
}

static int
pciide_attach(struct device *dv)
{
	static intr_handler_t *const native_fns[1] = { pciide_intr_native };
	struct pciide_softc *sc = dv->dv_softc;
	uint8_t progif = dv->dv_pci_progif;
	uint16_t bm = 0;
	int c, error;
	bool need_native_intr = false;

	sc->sc_dev = dv;
	pci_enable_io(dv);
	if ((progif & PCIIDE_IF_BUSMASTER) != 0 &&
	    (bm = pciide_io_bar(dv, PCIIDE_BAR_BM)) != 0)
		pci_enable_busmaster(dv);
	klog(dv->dv_name, "PCI IDE %04x:%04x, interface %#x: primary %s, "
	    "secondary %s, %s", dv->dv_pci_vendor, dv->dv_pci_device, progif,
	    (progif & PCIIDE_IF_NATIVE(0)) ? "native" : "compatibility",
	    (progif & PCIIDE_IF_NATIVE(1)) ? "native" : "compatibility",
	    bm ? "bus master" : "no bus master: PIO only");

	for (c = 0; c < 2; c++) {
		struct ata_channel *ch = &sc->sc_chan[c];

		ksnprintf(ch->ach_name, sizeof(ch->ach_name), "ata%d",
		    pciide_nchannels++);
		sc->sc_native[c] = (progif & PCIIDE_IF_NATIVE(c)) != 0;
		if (pciide_channel_ports(sc, c) < 0)
			continue;
		pciide_setup_dma(sc, c, bm);
		if (sc->sc_native[c])
			need_native_intr = true;
	}
	if (need_native_intr && (error = pci_intr_setup(dv, 1, native_fns, sc,
	    "ata", PCI_INTR_NO_MSIX | PCI_INTR_NO_MSI)) < 0) {
		klog(dv->dv_name, "no interrupt for the native channels "
		    "(error %d)", error);
		for (c = 0; c < 2; c++)
			if (sc->sc_native[c])
				sc->sc_chan[c].ach_cmd = 0;
	}

	for (c = 0; c < 2; c++) {
		struct ata_channel *ch = &sc->sc_chan[c];

		if (ch->ach_cmd == 0)
			continue;
		if (!sc->sc_native[c] &&
		    (error = intr_establish_isa(PCIIDE_COMPAT_IRQ(c), ata_intr,
		    ch, ch->ach_name)) < 0) {
			klog(ch->ach_name, "IRQ %d: error %d: channel ignored",
			    PCIIDE_COMPAT_IRQ(c), error);
			continue;
		}
		if ((error = ata_channel_attach(ch)) < 0)
			klog(ch->ach_name, "attach failed (error %d)", error);
	}
	/*
	 * The controller stays attached without disks: its channels own
	 * their ports and interrupts either way.
	 */
	return 0;
}

static struct driver pciide_driver = {
	.drv_name = "pciide",
	.drv_bus = BUS_PCI,
	.drv_pci_ids = pciide_ids,
	.drv_softc_size = sizeof(struct pciide_softc),
	.drv_probe = pciide_probe,
	.drv_attach = pciide_attach,
};
DRIVER(pciide_driver);
