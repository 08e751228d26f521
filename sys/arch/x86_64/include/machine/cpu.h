/*
 * Machine-dependent entry points that kern/ calls.
 */
#ifndef _MACHINE_CPU_H_
#define _MACHINE_CPU_H_

#include <sys/types.h>

struct trapframe;

/*
 * arch/x86_64/machdep.c: GDT with TSS, IDT; exceptions are caught after.
 * cpu_init() prints nothing (it runs before any console); once a console
 * is up, cpu_log_features() prints what CPUID said.
 */
void	cpu_init(void);
void	cpu_log_features(void);
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

/* arch/x86_64/cpu_machdep.c: threads and user mode. */
struct cpu;
struct thread;
void	cpu_fpu_init(void);
void	cpu_fpu_save(struct thread *td);
void	cpu_fpu_restore(struct thread *td);
void	cpu_fpu_reset(struct thread *td);
void	cpu_percpu_init(struct cpu *ci);
void	cpu_switch_prepare(struct cpu *ci, struct thread *td);
void	cpu_thread_init(struct thread *td, void (*fn)(void *), void *arg);
struct trapframe *cpu_user_frame(struct thread *td);
void	cpu_fork_init(struct thread *td, const struct trapframe *parent,
	    uint64_t newsp);
void	cpu_exec_setregs(struct thread *td, uint64_t entry, uint64_t sp);
bool	cpu_frame_is_user(const struct trapframe *tf);
void	cpu_set_fsbase(struct thread *td, uint64_t base);
/* machdep.c: the stack the CPU switches to on entry from user mode. */
void	cpu_set_kstack(uint64_t rsp0);
/* switch.S */
void	cpu_switch(struct thread *old, struct thread *new);
void	cpu_user_return(struct trapframe *tf) __noreturn;

#endif /* _MACHINE_CPU_H_ */
