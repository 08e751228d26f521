/*
 * The 8259A programmable interrupt controller pair of the PC/AT: a master
 * with IRQs 0-7 and a slave, cascaded on the master's IRQ 2, with IRQs
 * 8-15.  When there is an IOAPIC we only move the pair's vectors out of
 * the exception range (32-47) and mask everything; otherwise it is the
 * interrupt controller.  Intel 8259A datasheet: initialization command
 * words ICW1-ICW4 and operation command words OCW1-OCW3.  The edge/level
 * control registers (ELCR, ports 0x4d0/0x4d1) are the PIIX/ICH chipsets'.
 *
 * Locking: the mask is changed only under intr_lock (intr.c), or during
 * boot before interrupts are on.
 */
#include <sys/systm.h>

#include <machine/apicvar.h>
#include <machine/cpufunc.h>

#define PIC1_CMD	0x20	/* master: command (ICW1, OCW2, OCW3) */
#define PIC1_DATA	0x21	/* master: data (ICW2-4, OCW1 = the mask) */
#define PIC2_CMD	0xa0	/* slave */
#define PIC2_DATA	0xa1
#define PIC_ELCR1	0x4d0	/* edge/level, IRQs 0-7; 1: level */
#define PIC_ELCR2	0x4d1	/* edge/level, IRQs 8-15 */

#define ICW1_INIT	0x10	/* start initialisation */
#define ICW1_ICW4	0x01	/* ICW4 follows */
#define ICW3_MASTER	0x04	/* a slave on IRQ 2 (bit mask) */
#define ICW3_SLAVE	0x02	/* the slave's cascade identity: 2 */
#define ICW4_8086	0x01	/* 8086 mode (not MCS-80/85) */
#define OCW2_EOI	0x20	/* non-specific end of interrupt */
#define OCW3_READ_ISR	0x0b	/* the next read of CMD returns the ISR */

#define PIC_CASCADE_IRQ	2

static uint16_t i8259_imr = 0xffff;	/* [intr_lock] 1: masked */

static void
i8259_write_mask(void)
{
	outb(PIC1_DATA, (uint8_t)i8259_imr);
	outb(PIC2_DATA, (uint8_t)(i8259_imr >> 8));
}

/*
 * Initialise both 8259s: IRQs 0-7 on vectors vector_base.. and 8-15 on
 * vector_base + 8.., the slave on IRQ 2, 8086 mode, every IRQ masked.
 * Called by intr_init() during boot with interrupts off.
 */
void
i8259_init(int vector_base)
{
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
	outb(PIC1_CMD, ICW1_INIT | ICW1_ICW4);
	io_delay();
	outb(PIC2_CMD, ICW1_INIT | ICW1_ICW4);
	io_delay();
	outb(PIC1_DATA, (uint8_t)vector_base);		/* ICW2 */
	io_delay();
	outb(PIC2_DATA, (uint8_t)(vector_base + 8));
	io_delay();
	outb(PIC1_DATA, ICW3_MASTER);			/* ICW3 */
	io_delay();
	outb(PIC2_DATA, ICW3_SLAVE);
	io_delay();
	outb(PIC1_DATA, ICW4_8086);			/* ICW4 */
	io_delay();
	outb(PIC2_DATA, ICW4_8086);
	io_delay();
	i8259_imr = 0xffff;
	i8259_write_mask();
}

/* Mask every IRQ of both controllers. */
void
i8259_mask_all(void)
{
	i8259_imr = 0xffff;
	i8259_write_mask();
}

/*
 * Unmask irq (and the cascade when irq is on the slave).  The caller holds
 * intr_lock.
 */
void
i8259_unmask(int irq)
{
	i8259_imr &= ~(1U << irq);
	if (irq >= 8)
		i8259_imr &= ~(1U << PIC_CASCADE_IRQ);
	i8259_write_mask();
}

/*
 * Make irq level-triggered (PCI interrupts) or edge-triggered (ISA) in the
 * chipset's ELCR.  The caller holds intr_lock.
 */
void
i8259_set_level(int irq, bool level)
{
	uint16_t port = irq < 8 ? PIC_ELCR1 : PIC_ELCR2;
	uint8_t bit = 1U << (irq & 7), v;

	v = inb(port);
	v = level ? (v | bit) : (v & ~bit);
	outb(port, v);
}

/*
 * End of interrupt for irq: the slave too when the IRQ came through it.
 * Interrupt context; the controllers are not shared with other code.
 */
void
i8259_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, OCW2_EOI);
	outb(PIC1_CMD, OCW2_EOI);
}

/*
 * Whether an IRQ 7 or 15 is spurious: the 8259 raises its lowest-priority
 * line when a request went away before the CPU acknowledged it, without
 * setting the in-service bit.  Such an interrupt must not get an EOI from
 * the controller that raised it (a spurious 15 still needs one on the
 * master, whose IRQ 2 was real).
 */
bool
i8259_is_spurious(int irq)
{
	uint16_t cmd = irq >= 8 ? PIC2_CMD : PIC1_CMD;

	if ((irq & 7) != 7)
		return false;
	outb(cmd, OCW3_READ_ISR);
	return (inb(cmd) & 0x80) == 0;
}
