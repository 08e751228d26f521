/*
 * Machine-dependent entry points that kern/ calls.
 */
#ifndef _MACHINE_CPU_H_
#define _MACHINE_CPU_H_

#include <sys/types.h>

struct trapframe;

/* arch/x86_64/machdep.c: GDT with TSS, IDT; exceptions are caught after. */
void	cpu_init(void);
/* CPU features found by CPUID, for the log and the VM code. */
struct cpu_features {
	char		cf_vendor[13];
	char		cf_brand[49];
	bool		cf_nx, cf_pge, cf_1gpage, cf_smep, cf_smap;
	bool		cf_apic, cf_x2apic, cf_tsc_invariant, cf_tsc_deadline;
	bool		cf_hypervisor;
};
extern struct cpu_features cpu_features;

/* arch/x86_64/trap.c: called by the stubs for every vector. */
void	trap(struct trapframe *tf);
/* Print registers and a backtrace of tf (used by the fault path). */
void	trap_dump(const struct trapframe *tf);
/* Print a backtrace starting from frame pointer rbp. */
void	db_backtrace(uint64_t rbp);
/* The function containing addr and the offset into it, or NULL. */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);

/* Stop this CPU for good (interrupts off, hlt loop). */
void	cpu_halt_forever(void) __noreturn;
/* Power off / reset the machine; return only if every way failed. */
void	cpu_poweroff(void);
void	cpu_reset(void);
/* The QEMU isa-debug-exit device, when the command line names its port. */
void	cpu_debug_exit(int code);

#endif /* _MACHINE_CPU_H_ */
