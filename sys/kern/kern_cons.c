/*
 * The console (sys/sys/cons.h): a list of output devices that every message
 * goes to, and one ring of input bytes that every keyboard and serial line
 * feeds.
 *
 *	cons_list --> [consdev "com"] --> [consdev "vga"] --> NULL
 *
 *	cons_inbuf: [ . . . a b c d . . . ]	CONS_INBUF_SIZE bytes
 *	                    ^tail   ^head	free-running counters
 *
 * cons_input() writes at head, cons_getc() reads at tail; the ring holds
 * head - tail bytes, and a byte that arrives when it is full is counted in
 * cons_dropped and thrown away (the oldest input is kept: a pasted line
 * stays whole at its start).
 *
 * Locking: cons_lock, a spin lock, protects everything below.  Interrupt
 * handlers call cons_input() with interrupts off; since taking cons_lock
 * disables interrupts, thread code holding it is never interrupted by a
 * handler that wants it.  cons_lock is a leaf lock: no other lock is taken
 * while it is held.  Once cons_panicking is set the lock is no longer used.
 */
#include <sys/cons.h>
#include <sys/errno.h>
#include <sys/proc.h>
#include <sys/ktest.h>
#include <sys/lock.h>
#include <sys/poll.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>

_Static_assert(powerof2(CONS_INBUF_SIZE), "CONS_INBUF_SIZE");

static struct spinlock cons_lock = SPINLOCK_INIT("cons_lock");
/* poll(2)'s waiters for console input (<sys/poll.h>). */

/*
 * Locks protecting the variables below:
 *	c	cons_lock
 *	P	written once by cons_panic_mode(), read without a lock
 */
static struct consdev	*cons_list;			/* [c] output devices */
static uint8_t		 cons_inbuf[CONS_INBUF_SIZE];	/* [c] */
static uint32_t		 cons_inhead;			/* [c] next write */
static uint32_t		 cons_intail;			/* [c] next read */
static uint64_t		 cons_dropped;			/* [c] lost input */
static volatile bool	 cons_panicking;		/* [P] */
static bool		 cons_kreader;			/* [c] kmon reads */

/* Take and release cons_lock, unless we are panicking. */
static void
cons_enter(void)
{
	if (!cons_panicking)
		spin_lock(&cons_lock);
}

static void
cons_exit(void)
{
	if (!cons_panicking)
		spin_unlock(&cons_lock);
}

/*
 * Take cons_lock for a sequence of output (kprintf holds it for one whole
 * message).  After cons_panic_mode() it does nothing.
 */
void
cons_output_lock(void)
{
	cons_enter();
}

/* Release what cons_output_lock() took. */
void
cons_output_unlock(void)
{
	cons_exit();
}

/*
 * Put c on every registered device; the caller holds cons_lock (through
 * cons_output_lock()).  With no device registered the byte is dropped.
 */
void
cons_putc_locked(int c)
{
	struct consdev *cn;

	KASSERT(cons_panicking || spin_held(&cons_lock), "cons_lock");
	for (cn = cons_list; cn != NULL; cn = cn->cn_next)
		cn->cn_putc(cn, c);
}

/*
 * Enter panic mode: interrupts off, and cons_lock ignored from now on.
 * Called by panic() before it prints.  Takes no lock.
 */
void
cons_panic_mode(void)
{
	intr_disable();
	cons_panicking = true;
}

/*
 * Add cn at the end of the device list; it sees every character printed
 * from now on.  Takes cons_lock.  Registering a device twice is a bug.
 */
void
cons_register(struct consdev *cn)
{
	struct consdev **cpp;

	cons_enter();
	for (cpp = &cons_list; *cpp != NULL; cpp = &(*cpp)->cn_next)
		KASSERT(*cpp != cn, "console registered twice");
	cn->cn_next = NULL;
	*cpp = cn;
	cons_exit();
}

/*
 * Remove cn from the device list (a driver taking over the hardware from
 * an early console).  Takes cons_lock.  An unknown cn is ignored.
 */
void
cons_unregister(struct consdev *cn)
{
	struct consdev **cpp;

	cons_enter();
	for (cpp = &cons_list; *cpp != NULL; cpp = &(*cpp)->cn_next) {
		if (*cpp == cn) {
			*cpp = cn->cn_next;
			cn->cn_next = NULL;
			break;
		}
	}
	cons_exit();
}

/* Put one character on every console.  Takes cons_lock. */
void
cons_putc(int c)
{
	cons_enter();
	cons_putc_locked(c);
	cons_exit();
}

/* Put len bytes of s on every console, as one unit.  Takes cons_lock. */
void
cons_write(const char *s, size_t len)
{
	size_t i;

	cons_enter();
	for (i = 0; i < len; i++)
		cons_putc_locked((unsigned char)s[i]);
	cons_exit();
}

/*
 * Put len bytes of s on every console as they are: a device with a raw
 * output routine (the serial port) adds no carriage return before a
 * newline, since the terminal's output processing (ONLCR) decided that
 * already.  Takes cons_lock.
 */
void
cons_write_raw(const char *s, size_t len)
{
	struct consdev *cn;
	size_t i;

	cons_enter();
	for (i = 0; i < len; i++) {
		for (cn = cons_list; cn != NULL; cn = cn->cn_next) {
			if (cn->cn_putc_raw != NULL)
				cn->cn_putc_raw(cn, (unsigned char)s[i]);
			else
				cn->cn_putc(cn, (unsigned char)s[i]);
		}
	}
	cons_exit();
}

/* The first screen's size (sys/cons.h).  Takes cons_lock. */
bool
cons_screen_size(uint16_t *rows, uint16_t *cols)
{
	struct consdev *cn;
	bool found = false;

	cons_enter();
	for (cn = cons_list; cn != NULL && !found; cn = cn->cn_next) {
		if (cn->cn_rows != 0 && cn->cn_cols != 0) {
			*rows = cn->cn_rows;
			*cols = cn->cn_cols;
			found = true;
		}
	}
	cons_exit();
	return found;
}

/*
 * Store one received byte in the input ring, or count it as dropped when
 * the ring is full.  The caller holds cons_lock (a cn_putc draining its
 * receiver while it polls).
 */
void
cons_input_locked(int c)
{
	KASSERT(cons_panicking || spin_held(&cons_lock), "cons_lock");
	if (cons_inhead - cons_intail >= CONS_INBUF_SIZE) {
		cons_dropped++;
		return;
	}
	cons_inbuf[cons_inhead++ & (CONS_INBUF_SIZE - 1)] = (uint8_t)c;
	/* The ring's readers (the tty pump, the kernel monitor) sleep. */
	if (!cons_panicking)
		wakeup(&cons_inhead);
}

/*
 * Store one received byte in the input ring; called by the keyboard and
 * serial interrupt handlers.  Takes cons_lock, then (without it) hands
 * the ring to the console terminal (cons_tty_pump, kern/tty_cons.c).
 */
void
cons_input(int c)
{
	cons_enter();
	cons_input_locked(c);
	cons_exit();
	if (!cons_panicking)
		cons_tty_pump();
}

/*
 * Does a kernel reader (the kernel monitor, through cons_getc_wait) own
 * the input?  Then the console terminal gets none.  Takes cons_lock.
 */
bool
cons_kernel_reader(void)
{
	bool kr;

	cons_enter();
	kr = cons_kreader;
	cons_exit();
	return kr;
}

/*
 * Take the oldest byte from the input ring without waiting.  Takes
 * cons_lock.  Returns the byte (0-255) or -1 when the ring is empty.
 */
int
cons_getc(void)
{
	int c = -1;

	cons_enter();
	if (cons_inhead != cons_intail)
		c = cons_inbuf[cons_intail++ & (CONS_INBUF_SIZE - 1)];
	cons_exit();
	return c;
}

/*
 * Wait for a byte of input.  Between tries the thread sleeps on the ring
 * (before the scheduler runs, or in the idle thread, the CPU halts: "sti;
 * hlt" is one step, so an interrupt that arrives after the ring was found
 * empty still wakes it).  With interruptible, a signal ends the wait with
 * -EINTR.  The caller must not hold cons_lock; the interrupt flag is
 * restored to what it was on entry.
 */
static int
cons_getc_sleep(bool interruptible)
{
	uint64_t rflags = read_rflags();
	int c;

	for (;;) {
		intr_disable();
		if ((c = cons_getc()) >= 0)
			break;
		/* A kernel reader waits: the input is its own from now on. */
		cons_enter();
		cons_kreader = true;
		cons_exit();
		/*
		 * With interrupts off since the check, no byte can slip in
		 * before this thread is on the sleep list.
		 */
		if (cpu0.ci_idle == NULL || curthread == cpu0.ci_idle)
			cpu_idle();
		else if (!interruptible)
			tsleep(&cons_inhead, NULL, "consin", 0);
		else if (tsleep_sig(&cons_inhead, NULL, "consin", 0) ==
		    -EINTR) {
			c = -EINTR;
			break;
		}
	}
	if (rflags & PSL_I)
		intr_enable();
	return c;
}

/* Wait for a byte of input and return it (0-255); see cons_getc_sleep. */
int
cons_getc_wait(void)
{
	return cons_getc_sleep(false);
}

/* The same, for a reader a signal may interrupt: a byte, or -EINTR. */
int
cons_getc_wait_sig(void)
{
	return cons_getc_sleep(true);
}

/* How many input bytes were lost to a full ring.  Takes cons_lock. */
uint64_t
cons_input_dropped(void)
{
	uint64_t n;

	cons_enter();
	n = cons_dropped;
	cons_exit();
	return n;
}

/*
 * In-kernel test of the input ring: order, the full ring, the drop count,
 * and cons_getc_wait() keeping the interrupt flag as it found it.  Input
 * typed before the test is thrown away.
 */
KTEST(cons_input_ring)
{
	uint64_t dropped, rflags;
	bool off_kept, on_kept;
	int i, c, n;

	while (cons_getc() >= 0)
		continue;
	dropped = cons_input_dropped();
	for (i = 0; i < 300; i++)
		cons_input(i & 0xff);
	for (i = 0; i < 300; i++)
		KT_ASSERT(cons_getc() == (i & 0xff));
	KT_ASSERT(cons_getc() == -1);

	/* Overfill: the oldest CONS_INBUF_SIZE bytes stay, 7 are dropped. */
	for (i = 0; i < CONS_INBUF_SIZE + 7; i++)
		cons_input((i * 7) & 0xff);
	KT_ASSERT(cons_input_dropped() - dropped == 7);
	for (n = 0; (c = cons_getc()) >= 0; n++)
		KT_ASSERT(c == ((n * 7) & 0xff));
	KT_ASSERT(n == CONS_INBUF_SIZE);

	/* A byte is there, so neither call halts. */
	rflags = read_rflags();
	cons_input('x');
	intr_disable();
	c = cons_getc_wait();
	off_kept = !(read_rflags() & PSL_I);
	intr_enable();
	cons_input('y');
	n = cons_getc_wait();
	on_kept = (read_rflags() & PSL_I) != 0;
	if (!(rflags & PSL_I))
		intr_disable();
	KT_ASSERT(c == 'x' && off_kept);
	KT_ASSERT(n == 'y' && on_kept);
	return 0;
}
