/*
 * Model-specific registers and control-register bits (Intel SDM vol. 3,
 * 2.5 and 2.2.1).  Usable from assembly.
 */
#ifndef _MACHINE_SPECIALREG_H_
#define _MACHINE_SPECIALREG_H_

/* MSRs */
#define MSR_APICBASE	0x0000001b
#define MSR_EFER	0xc0000080
#define EFER_SCE	0x001
#define EFER_LME	0x100
#define EFER_NXE	0x800
#define MSR_FSBASE	0xc0000100
#define MSR_GSBASE	0xc0000101
#define MSR_KGSBASE	0xc0000102

/* CR0 and CR4 bits */
#define CR0_WP		0x00010000
#define CR0_PG		0x80000000
#define CR4_PAE		0x00000020
#define CR4_PGE		0x00000080
#define CR4_SMEP	0x00100000
#define CR4_SMAP	0x00200000

#endif /* _MACHINE_SPECIALREG_H_ */
