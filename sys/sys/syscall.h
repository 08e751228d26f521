/*
 * The system-call table and its dispatcher (kern/kern_syscall.c).
 *
 * The table, syscall_table[], is generated from sys/kern/syscalls.master
 * by sys/kern/makesyscalls.sh into $(BUILD)/gen/syscalls.c: one struct
 * sysent per Linux x86_64 number, holding the name (for the log and for
 * tracing), the argument count, the flags and a wrapper that converts the
 * argument registers to the handler's typed parameters.  The SYS_<name>
 * numbers are in the generated <syscall_nr.h>, the handlers' prototypes
 * in <sysproto.h>.
 *
 * Locking: the table is read-only.  The per-number call counters and the
 * "already logged" bits are updated with atomic operations and need no
 * lock.
 */
#ifndef _SYS_SYSCALL_H_
#define _SYS_SYSCALL_H_

#include <sys/types.h>

struct trapframe;

#define SYSCALL_MAXARGS	6	/* rdi, rsi, rdx, r10, r8, r9 */

/* sy_flags, from the flags column of syscalls.master. */
#define SYF_NORESTART	0x01	/* never restarted after a handler ran */
#define SYF_NORETURN	0x02	/* does not return (exit, exit_group) */

struct sysent {
	const char	*sy_name;	/* Linux's name; NULL: unused number */
	long		(*sy_call)(const uint64_t *args); /* NULL: -ENOSYS */
	uint8_t		 sy_narg;	/* arguments the handler takes */
	uint8_t		 sy_flags;	/* SYF_* */
};

/* $(BUILD)/gen/syscalls.c: indexed by number, syscall_table_size long. */
extern const struct sysent syscall_table[];
extern const unsigned int syscall_table_size;

/*
 * Run the system call a user thread asked for: the number in tf->tf_rax,
 * the arguments in rdi, rsi, rdx, r10, r8 and r9.  The result (a value,
 * or a negative errno) replaces tf->tf_rax.  Called by the entry stub
 * (arch/x86_64/syscall_entry.S) with interrupts on and no lock held.
 */
void	syscall_dispatch(struct trapframe *tf);

/*
 * What an unimplemented or unknown number returns: -ENOSYS, after logging
 * the first call of each number with the caller's pid and name.
 */
long	sys_nosys(uint64_t nr);

/* Linux's name for nr, or NULL when Linux has no such call. */
const char *syscall_name(uint64_t nr);

/* How many times nr has been called since boot (0 when out of range). */
uint64_t syscall_count(uint64_t nr);

#endif /* _SYS_SYSCALL_H_ */
