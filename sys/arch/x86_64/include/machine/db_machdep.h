/*
 * Stack walking for backtraces (arch/x86_64/db_trace.c), beyond what
 * machine/cpu.h declares.
 *
 * The kernel is built with frame pointers: every function starts with
 * push %rbp; mov %rsp, %rbp, so [rbp] is the caller's rbp and [rbp + 8]
 * the return address into the caller.  The trap stubs add one such frame
 * for the interrupted code.  Nothing here takes a lock, and nothing reads
 * a frame before checking that its memory is mapped, so a backtrace can be
 * printed from any trap or panic.
 */
#ifndef _MACHINE_DB_MACHDEP_H_
#define _MACHINE_DB_MACHDEP_H_

#include <sys/types.h>

#define DB_MAXFRAMES	32	/* frames a backtrace prints at most */

/* Print "backtrace:", then pc as frame #0 and the frames from rbp. */
void	db_backtrace_pc(uint64_t pc, uint64_t rbp);
/* Store up to max return addresses from the frames at rbp; return the count. */
int	db_stack_pcs(uint64_t rbp, uint64_t *pcs, int max);

#endif /* _MACHINE_DB_MACHDEP_H_ */
