/*
 * The interrupt controllers as the rest of arch/x86_64 sees them: the
 * local APIC (lapic.c), the I/O APICs (ioapic.c) and the 8259 pair
 * (i8259.c).  Only intr.c, timer.c and their ktests use these; drivers go
 * through <sys/intr.h>.
 *
 * Locking: the controllers are programmed by intr_init() during boot and
 * afterwards only under intr_lock (intr.c), except lapic_eoi() and the
 * timer functions, which touch registers no other code shares.
 */
#ifndef _MACHINE_APICVAR_H_
#define _MACHINE_APICVAR_H_

#include <sys/types.h>

/* Vectors (see intr.c for the whole map). */
#define IDT_IRQ_BASE		32	/* 8259 IRQ 0-15: vectors 32-47 */
#define IDT_ALLOC_FIRST		48	/* intr_alloc_vector's range ... */
#define IDT_ALLOC_LAST		254	/* ... up to here */
#define LAPIC_SPURIOUS_VECTOR	255

/* intr.c: whether intr_init() chose the local APIC and IOAPICs. */
bool		intr_apic_mode(void);

/* lapic.c */
bool		lapic_present(void);
int		lapic_init(paddr_t pa);
uint32_t	lapic_id(void);
bool		lapic_is_x2apic(void);
uint32_t	lapic_read(uint32_t reg);
void		lapic_write(uint32_t reg, uint32_t v);
void		lapic_eoi(void);
int		lapic_enable_error_intr(void);
void		lapic_virtual_wire(void);
void		lapic_self_ipi(int vector);
/* The timer: count down from count at the bus rate divided by 1. */
void		lapic_timer_oneshot_masked(uint32_t count);
uint32_t	lapic_timer_current(void);
void		lapic_timer_periodic(int vector, uint32_t count);
void		lapic_timer_stop(void);

/* ioapic.c */
int		ioapic_init(void);
int		ioapic_route(uint32_t gsi, int vector, bool level,
		    bool active_low, uint32_t dest_apic_id);
int		ioapic_mask(uint32_t gsi);
int		ioapic_count(void);

/* i8259.c */
void		i8259_init(int vector_base);
void		i8259_mask_all(void);
void		i8259_unmask(int irq);
void		i8259_set_level(int irq, bool level);
void		i8259_eoi(int irq);
bool		i8259_is_spurious(int irq);

#endif /* _MACHINE_APICVAR_H_ */
