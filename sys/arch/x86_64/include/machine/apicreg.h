/*
 * The local APIC and the I/O APIC, as the hardware lays them out.
 *
 * Local APIC: Intel SDM vol. 3A, chapter 11 ("Advanced Programmable
 * Interrupt Controller"; chapter 10 in editions before 2022, with the same
 * section numbers after the first digit): register offsets from Table
 * 11-1, x2APIC MSRs from 11.12.  I/O APIC: Intel 82093AA I/O APIC
 * datasheet, 3.0 and 3.2.
 */
#ifndef _MACHINE_APICREG_H_
#define _MACHINE_APICREG_H_

/* IA32_APIC_BASE MSR bits (SDM 11.4.4). */
#define APICBASE_BSP		0x00000100ULL	/* this is the boot CPU */
#define APICBASE_X2APIC		0x00000400ULL	/* x2APIC mode (EXTD) */
#define APICBASE_ENABLE		0x00000800ULL	/* xAPIC global enable */
#define APICBASE_ADDR		0x000ffffffffff000ULL

/* CPUID.01H:EDX[9]: the CPU has a local APIC. */
#define CPUID_1_EDX_APIC	0x00000200

/*
 * Local APIC registers: byte offsets in the 4 KiB MMIO page.  In x2APIC
 * mode register offset r is MSR 0x800 + (r >> 4) (SDM 11.12.1.2).
 */
#define LAPIC_ID		0x020	/* xAPIC: id in bits 31-24 */
#define LAPIC_VERSION		0x030	/* bits 23-16: max LVT entry */
#define LAPIC_TPR		0x080	/* task priority */
#define LAPIC_EOI		0x0b0
#define LAPIC_SVR		0x0f0	/* spurious-interrupt vector */
#define LAPIC_ESR		0x280	/* error status */
#define LAPIC_ICR_LO		0x300	/* interrupt command */
#define LAPIC_ICR_HI		0x310
#define LAPIC_LVT_TIMER		0x320
#define LAPIC_LVT_THERMAL	0x330
#define LAPIC_LVT_PERF		0x340
#define LAPIC_LVT_LINT0		0x350
#define LAPIC_LVT_LINT1		0x360
#define LAPIC_LVT_ERROR		0x370
#define LAPIC_TIMER_ICR		0x380	/* timer initial count */
#define LAPIC_TIMER_CCR		0x390	/* timer current count */
#define LAPIC_TIMER_DCR		0x3e0	/* timer divide configuration */
#define LAPIC_SELF_IPI		0x3f0	/* x2APIC only */

#define LAPIC_X2APIC_MSR(r)	(0x800 + ((r) >> 4))

#define LAPIC_VERSION_MAXLVT(v)	(((v) >> 16) & 0xff)

/* Spurious-interrupt vector register (SDM 11.9). */
#define LAPIC_SVR_ENABLE	0x00000100	/* APIC software enable */

/* Local vector table entries (SDM 11.5.1). */
#define LAPIC_LVT_VECTOR	0x000000ff
#define LAPIC_LVT_DM_FIXED	0x00000000
#define LAPIC_LVT_DM_NMI	0x00000400
#define LAPIC_LVT_DM_EXTINT	0x00000700
#define LAPIC_LVT_MASKED	0x00010000
#define LAPIC_LVT_TIMER_ONESHOT	0x00000000
#define LAPIC_LVT_TIMER_PERIODIC 0x00020000

/* Timer divide configuration values (SDM 11.5.4, Figure 11-10). */
#define LAPIC_DCR_DIV1		0xb
#define LAPIC_DCR_DIV2		0x0
#define LAPIC_DCR_DIV4		0x1
#define LAPIC_DCR_DIV8		0x2
#define LAPIC_DCR_DIV16		0x3

/* Interrupt command register (SDM 11.6.1). */
#define LAPIC_ICR_DM_FIXED	0x00000000
#define LAPIC_ICR_LEVEL_ASSERT	0x00004000
#define LAPIC_ICR_DEST_SELF	0x00040000	/* shorthand: self */
#define LAPIC_ICR_BUSY		0x00001000	/* delivery status */

/*
 * I/O APIC: two registers in memory, an index (IOREGSEL) and a window
 * (IOWIN) onto the register it selects (82093AA datasheet 3.0, 3.2).
 */
#define IOAPIC_REGSEL		0x00
#define IOAPIC_WIN		0x10
#define IOAPIC_MMIO_SIZE	0x20

#define IOAPIC_ID		0x00
#define IOAPIC_VER		0x01	/* bits 23-16: last redirection entry */
#define IOAPIC_REDTBL_LO(n)	(0x10 + 2 * (n))
#define IOAPIC_REDTBL_HI(n)	(0x11 + 2 * (n))

#define IOAPIC_VER_MAXREDIR(v)	(((v) >> 16) & 0xff)

/* Redirection-table entry, low word (82093AA 3.2.4). */
#define IOAPIC_RTE_VECTOR	0x000000ff
#define IOAPIC_RTE_DM_FIXED	0x00000000
#define IOAPIC_RTE_DEST_LOGICAL	0x00000800	/* clear: physical */
#define IOAPIC_RTE_PENDING	0x00001000
#define IOAPIC_RTE_ACTIVE_LOW	0x00002000	/* clear: active high */
#define IOAPIC_RTE_REMOTE_IRR	0x00004000
#define IOAPIC_RTE_LEVEL	0x00008000	/* clear: edge */
#define IOAPIC_RTE_MASKED	0x00010000
/* High word: physical destination APIC id in bits 31-24. */
#define IOAPIC_RTE_DEST_SHIFT	24

#endif /* _MACHINE_APICREG_H_ */
