/*
 * Hardware interrupts.
 *
 * arch/x86_64/intr.c owns the interrupt controllers (local APIC and IOAPIC,
 * or the 8259 PIC when there is no APIC) and the vectors.  A driver asks
 * for an ISA IRQ; the ACPI interrupt source overrides decide which IOAPIC
 * pin (GSI) it really is, with which polarity and trigger.
 *
 * Handlers run with interrupts off, on the interrupted stack, and must not
 * sleep.  Locking: intr_lock protects the handler table; established
 * handlers are never removed during boot.
 */
#ifndef _SYS_INTR_H_
#define _SYS_INTR_H_

#include <sys/types.h>

typedef void intr_handler_t(void *arg);

/* The interrupt controllers; after acpi_init(), before any driver. */
int	intr_init(void);
/* Route ISA IRQ irq to fn(arg), unmask it; returns the vector or -errno. */
int	intr_establish_isa(int irq, intr_handler_t *fn, void *arg,
	    const char *name);
/* Route a GSI (IOAPIC input) with explicit polarity/trigger. */
#define INTR_EDGE	0
#define INTR_LEVEL	1
#define INTR_HIGH	0
#define INTR_LOW	1
int	intr_establish_gsi(uint32_t gsi, int trigger, int polarity,
	    intr_handler_t *fn, void *arg, const char *name);
/* Allocate a free vector for a directly delivered interrupt (MSI, timer). */
int	intr_alloc_vector(intr_handler_t *fn, void *arg, const char *name);
/* Give back an intr_alloc_vector() vector; 0 or -EINVAL. */
int	intr_free_vector(int vector);
/*
 * The MSI address and data that raise an intr_alloc_vector() vector on
 * the local APIC; 0, -ENODEV (no APIC), -EINVAL.
 */
int	intr_msi_message(int vector, uint64_t *addrp, uint32_t *datap);
/* Called by the trap code for vectors 32..255. */
void	intr_dispatch(int vector);
/* Signal end of interrupt to the controller that raised it. */
void	intr_eoi(int vector);
/* How many times each vector fired (for the log and ktests). */
uint64_t intr_count(int vector);

/* What /proc/interrupts prints of one vector (intr_info). */
struct intr_info {
	int		 ii_vector;
	bool		 ii_direct;	/* to the local APIC (no IRQ line) */
	int		 ii_irq;	/* Linux's IRQ number; -1 if direct */
	const char	*ii_chip;	/* "IO-APIC", "XT-PIC", "LAPIC" */
	uint32_t	 ii_hwirq;	/* the controller's input */
	bool		 ii_level;	/* level-triggered (else edge) */
	uint64_t	 ii_count;	/* times it fired */
	char		 ii_names[64];	/* the handlers, ", "-separated */
};
/* The vector's, if a handler is on it: 0, else -ENOENT.  intr_lock. */
int	intr_info(int vector, struct intr_info *ii);
/* Spurious interrupts (8259 and local APIC) since boot.  intr_lock. */
uint64_t intr_spurious(void);

#endif /* _SYS_INTR_H_ */
