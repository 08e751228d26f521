/*
 * The x86_64 descriptor tables: the GDT, the TSS and the IDT
 * (arch/x86_64/machdep.c builds them in cpu_init()).  Usable from assembly.
 *
 * The GDT, one per machine for now (one CPU):
 *
 *	0x00	null
 *	0x08	kernel code, 64-bit		GSEL_KCODE
 *	0x10	kernel data			GSEL_KDATA
 *	0x18	user data (selector 0x1b)	GSEL_UDATA
 *	0x20	user code, 64-bit (0x23)	GSEL_UCODE
 *	0x28	the TSS (a 16-byte system descriptor, two slots)
 *
 * The order is the one SYSCALL and SYSRET impose (Intel SDM vol. 2B,
 * SYSCALL and SYSRET; vol. 3A, 5.8.8 "Fast System Calls in 64-Bit Mode"):
 * SYSCALL loads CS from IA32_STAR[47:32] and SS from that + 8, so kernel
 * data must follow kernel code; SYSRET to 64-bit mode loads SS from
 * IA32_STAR[63:48] + 8 and CS from IA32_STAR[63:48] + 16, both with RPL 3,
 * so user data must come right before user code.  With STAR[63:48] = 0x10,
 * SYSRET gives SS 0x1b and CS 0x23.  (A 32-bit SYSRET would use 0x10 as
 * its code selector; EclipseOS runs no 32-bit user code and never does
 * one.)  The kernel code selector, 0x08, is also what locore.S uses.
 *
 * The TSS holds no task state in long mode: only the stack pointers the
 * CPU switches to (RSP0 on an interrupt from user mode, which the
 * user-mode issue sets per thread) and the interrupt stack table: the
 * double fault, NMI and machine-check vectors always run on stacks of
 * their own, so a kernel stack overflow still reaches the trap dump.
 */
#ifndef _MACHINE_SEGMENTS_H_
#define _MACHINE_SEGMENTS_H_

#define SEL_KPL		0		/* kernel privilege level */
#define SEL_UPL		3		/* user privilege level */

#define GSEL_NULL	0x00
#define GSEL_KCODE	0x08
#define GSEL_KDATA	0x10
#define GSEL_UDATA	0x18
#define GSEL_UCODE	0x20
#define GSEL_TSS	0x28
#define GDT_NSLOTS	7		/* 8-byte slots, the TSS takes two */

/* The IA32_STAR selector fields that go with this layout. */
#define STAR_SYSCALL_SEL	GSEL_KCODE		/* bits 47:32 */
#define STAR_SYSRET_SEL		(GSEL_KDATA | SEL_UPL)	/* bits 63:48 */

/* Interrupt-stack-table slots (1-7; 0 means "no stack switch"). */
#define IST_DF		1		/* #DF, vector 8 */
#define IST_NMI		2		/* NMI, vector 2 */
#define IST_MC		3		/* #MC, vector 18 */
#define IST_STACK_SIZE	8192		/* bytes for each */

#define NIDT		256		/* IDT vectors */

#ifndef __ASSEMBLY__
#include <sys/types.h>

/*
 * The 64-bit TSS (SDM vol. 3A, 7.7 "Task Management in 64-bit Mode",
 * figure 7-11).
 */
struct tss64 {
	uint32_t	tss_rsvd0;
	uint64_t	tss_rsp[3];	/* stacks for CPL 0-2 */
	uint64_t	tss_rsvd1;
	uint64_t	tss_ist[7];	/* IST1..IST7 at index 0..6 */
	uint64_t	tss_rsvd2;
	uint16_t	tss_rsvd3;
	uint16_t	tss_iomap;	/* offset of the I/O bitmap */
} __packed;

_Static_assert(sizeof(struct tss64) == 104, "tss64 size");

/*
 * A 64-bit IDT gate (SDM vol. 3A, 6.14.1 "64-Bit Mode IDT", figure 6-8).
 */
struct gate64 {
	uint16_t	gd_off_lo;	/* handler offset 15:0 */
	uint16_t	gd_sel;		/* code segment selector */
	uint8_t		gd_ist;		/* bits 2:0: IST slot, 0 for none */
	uint8_t		gd_type;	/* P, DPL, type */
	uint16_t	gd_off_mid;	/* offset 31:16 */
	uint32_t	gd_off_hi;	/* offset 63:32 */
	uint32_t	gd_rsvd;
} __packed;

_Static_assert(sizeof(struct gate64) == 16, "gate64 size");

#define GATE_P		0x80		/* present */
#define GATE_DPL(n)	((n) << 5)
#define GATE_INTR64	0x0e		/* interrupt gate: IF cleared */

/* The operand of lgdt and lidt. */
struct region_desc {
	uint16_t	rd_limit;
	uint64_t	rd_base;
} __packed;

/* The entry stubs of trap_stubs.S, one per vector. */
extern const uint64_t trap_stub_table[NIDT];
#endif /* !__ASSEMBLY__ */

#endif /* _MACHINE_SEGMENTS_H_ */
