/*
 * panic(): the end of the kernel when one of its invariants is broken.
 *
 * It must work in the worst state the kernel can be in: inside an
 * interrupt handler, inside the console code with its lock held, or while
 * already panicking.  So it turns interrupts off, puts the console in
 * panic mode (output bypasses cons_lock), and refuses to recurse: a panic
 * during a panic prints one short line and stops.
 */
#include <sys/types.h>
#include <sys/cons.h>
#include <sys/systm.h>

#include <machine/cpu.h>
#include <machine/cpufunc.h>

/*
 * Locks protecting these variables:
 *	i	only touched with interrupts off on the boot CPU (one CPU)
 */
static volatile int	panic_depth;		/* [i] nested panics */
static char		panic_msg[256];		/* [i] the first message */

/* End the QEMU run at once when the command line says panic=exit. */
static void
panic_exit_if_asked(void)
{
	const char *mode;

	mode = cmdline_get("panic");
	if (mode != NULL && strcmp(mode, "exit") == 0)
		cpu_debug_exit(1);
}

/*
 * Print "panic: " and the message, a backtrace of the caller, and stop:
 * end QEMU through isa-debug-exit with status 3 when the command line has
 * panic=exit (and debugexit=PORT), else print "panic: system halted" and
 * halt.  Takes no lock; callable from anywhere, interrupts on or off.
 * Never returns.
 */
void
panic(const char *fmt, ...)
{
	va_list ap;

	intr_disable();
	if (++panic_depth > 1) {
		/*
		 * A panic while panicking.  Say which format string, without
		 * its arguments, and try once more to end the run; a third
		 * level only halts.
		 */
		if (panic_depth == 2) {
			kprintf("panic: recursive panic: %s\n", fmt);
			panic_exit_if_asked();
		}
		cpu_halt_forever();
	}
	cons_panic_mode();

	va_start(ap, fmt);
	kvsnprintf(panic_msg, sizeof(panic_msg), fmt, ap);
	va_end(ap);
	kprintf("panic: %s\n", panic_msg);
	db_backtrace(read_rbp());

	panic_exit_if_asked();
	kprintf("panic: system halted\n");
	cpu_halt_forever();
}
