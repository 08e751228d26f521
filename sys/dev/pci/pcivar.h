/*
 * The PCI bus's interface to drivers (dev/pci/pci.c, dev/pci/pci_intr.c).
 *
 * A driver attached to a BUS_PCI device (sys/sys/device.h) reaches its
 * function only through these: configuration space (ECAM through the
 * ACPI MCFG table when there is one, else mechanism #1), its BARs, bus
 * mastering, capabilities and interrupts.  Interrupts are asked for in
 * one call that tries MSI-X, then MSI, then the legacy INTx line routed
 * through the IOAPIC (ACPI's _PRT where the AML interpreter gives it,
 * else the Interrupt Line register), so a driver never knows which it got
 * unless it asks (pci_intr_kind).
 *
 * Locking: configuration space accesses take pci_cfg_lock (mechanism #1)
 * or none (ECAM: each access is one memory operation).  Everything else
 * is called by a driver's attach, during boot, one CPU ([B]).
 */
#ifndef _DEV_PCI_PCIVAR_H_
#define _DEV_PCI_PCIVAR_H_

#include <sys/types.h>
#include <sys/intr.h>

struct device;

/* Configuration space by address (enumeration); takes pci_cfg_lock. */
uint32_t	pci_cfg_read32(int bus, int slot, int func, int reg);

/* Configuration space of dv: any naturally aligned width and offset. */
uint8_t		pci_read8(struct device *dv, int reg);
uint16_t	pci_read16(struct device *dv, int reg);
uint32_t	pci_read32(struct device *dv, int reg);
void		pci_write8(struct device *dv, int reg, uint8_t v);
void		pci_write16(struct device *dv, int reg, uint16_t v);
void		pci_write32(struct device *dv, int reg, uint32_t v);

/* A base address register, sized at enumeration. */
enum pci_bar_type {
	PCI_BAR_NONE = 0,	/* unimplemented, or the top of a 64-bit BAR */
	PCI_BAR_IO,
	PCI_BAR_MEM32,
	PCI_BAR_MEM64,
};
struct pci_bar {
	enum pci_bar_type pb_type;
	uint64_t	 pb_base;	/* bus address (I/O port or physical) */
	uint64_t	 pb_size;	/* bytes */
	bool		 pb_prefetch;
};
/* BAR n (0-5) of dv: 0, or -EINVAL for a bad n. */
int	pci_bar(struct device *dv, int n, struct pci_bar *pb);
/*
 * Map memory BAR n of dv uncached into kernel virtual memory (enabling
 * memory decoding); the same pointer for every call.  NULL for an I/O or
 * empty BAR, or when the mapping fails (logged).
 */
volatile void *pci_bar_map(struct device *dv, int n);
/* Enable I/O decoding (for I/O BARs) / bus mastering (for DMA). */
void	pci_enable_io(struct device *dv);
void	pci_enable_busmaster(struct device *dv);

/*
 * The configuration-space offset of dv's first capability with id cap
 * after offset from (0: from the start of the list), or 0 when there is
 * none.  Loops in the list are cut (logged).
 */
int	pci_find_cap(struct device *dv, int cap, int from);

/* Interrupts. */
enum pci_intr_kind {
	PCI_INTR_NONE = 0,
	PCI_INTR_MSIX,
	PCI_INTR_MSI,
	PCI_INTR_INTX,
};
/*
 * Give dv up to nvec interrupt vectors, vector i calling fns[i](arg),
 * named name (for /proc/interrupts): MSI-X when the function has it
 * (and QEMU's "vectors=0" has not hidden it), else MSI (one vector),
 * else INTx (one shared, level-triggered line: every handler on it must
 * check its device's status).  flags: PCI_INTR_NO_MSIX, PCI_INTR_NO_MSI
 * to skip a kind.  Returns the number of vectors given (>= 1; fewer than
 * nvec means vector 0's handler must serve every source), or -errno.
 */
#define PCI_INTR_NO_MSIX	0x1
#define PCI_INTR_NO_MSI		0x2
int	pci_intr_setup(struct device *dv, int nvec, intr_handler_t *const *fns,
	    void *arg, const char *name, int flags);
/* What pci_intr_setup gave dv. */
enum pci_intr_kind pci_intr_kind(struct device *dv);
/* The MSI-X table entry of vector i (virtio needs it), or -1. */
int	pci_intr_msix_entry(struct device *dv, int i);

/*
 * What dev/pci keeps of one function, hung on its struct device
 * (dv_pci).  Drivers call the functions above rather than read these;
 * the ktests and /sys may read them.
 *
 * Locks protecting members of this struct:
 *	B	written by enumeration or by the driver's attach, during
 *		boot, on one CPU; read-only afterwards
 */
#define PCI_NBARS		6
#define PCI_MAX_VECTORS		32	/* per function, MSI-X */
struct pci_func {
	volatile uint8_t *pf_ecam;	/* [B] its 4 KiB of ECAM; NULL: #1 */
	uint8_t		 pf_hdrtype;	/* [B] header type, without MULTIFN */
	int		 pf_nbars;	/* [B] 6 (type 0), 2 (bridge), 0 */
	struct pci_bar	 pf_bars[PCI_NBARS];	/* [B] sized at enumeration */
	volatile void	*pf_maps[PCI_NBARS];	/* [B] pci_bar_map's result */
	enum pci_intr_kind pf_intr;	/* [B] what pci_intr_setup gave */
	int		 pf_nvec;	/* [B] vectors given */
	int		 pf_vectors[PCI_MAX_VECTORS];	/* [B] CPU vectors */
	uint32_t	 pf_gsi;	/* [B] INTx: the IOAPIC input */
};

/* For log lines: klog("pci", PCI_BDF_FMT ": ...", PCI_BDF(dv)). */
#define PCI_BDF_FMT	"%02x:%02x.%x"
#define PCI_BDF(dv)	(dv)->dv_pci_bus, (dv)->dv_pci_slot, (dv)->dv_pci_func

/* The address of ECAM for bus (mapped), or NULL: mechanism #1 only. */
volatile uint8_t *pci_ecam_bus(int bus);

#endif /* _DEV_PCI_PCIVAR_H_ */
