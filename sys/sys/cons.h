/*
 * The console: every message of the kernel goes to every registered output
 * device (the serial port and the screen), and every key typed on any of
 * them lands in one input ring.
 *
 * Locking: cons_lock (a spin lock, so interrupts are off while it is held)
 * protects the list of devices, the output path and the input ring.
 * Interrupt handlers call cons_input() with interrupts already off.
 */
#ifndef _SYS_CONS_H_
#define _SYS_CONS_H_

#include <sys/types.h>

struct consdev {
	const char	*cn_name;			/* [I] "com0", "vga" */
	void		(*cn_putc)(struct consdev *, int c); /* [I] */
	/* [I] optional: c as it is, no CR added before LF (terminals) */
	void		(*cn_putc_raw)(struct consdev *, int c);
	uint16_t	 cn_rows, cn_cols;	/* [I] a screen's; 0: a line */
	void		*cn_arg;			/* [I] driver state */
	struct consdev	*cn_next;			/* [cons_lock] */
};

/*
 * The machine-dependent early consoles (arch/x86_64/consinit.c): COM1 by
 * polling and the screen the loader left (VGA text or a framebuffer).
 * Called first thing in kmain(), before memory management.
 */
void	consinit(void);

void	cons_register(struct consdev *cn);
void	cons_unregister(struct consdev *cn);
void	cons_putc(int c);
void	cons_write(const char *s, size_t len);
void	cons_write_raw(const char *s, size_t len);	/* no CR added */
/*
 * The first registered screen's size in character cells: true, or false
 * when no console device is a screen.  Takes cons_lock.
 */
bool	cons_screen_size(uint16_t *rows, uint16_t *cols);

/*
 * kprintf's path: hold cons_lock across one whole message and put each
 * character with cons_putc_locked().  A cn_putc also runs with the lock
 * held, so a driver that polls its transmitter may hand received bytes to
 * cons_input_locked() meanwhile.
 */
void	cons_output_lock(void);
void	cons_output_unlock(void);
void	cons_putc_locked(int c);

/*
 * panic() calls this first: from then on the console ignores cons_lock
 * (which this CPU may hold if it panicked inside the console), so the
 * panic message always comes out.  There is no way back.
 */
void	cons_panic_mode(void);

/* Input: drivers push bytes (interrupt context), readers pull them. */
#define CONS_INBUF_SIZE	8192
void	cons_input(int c);
void	cons_input_locked(int c);	/* the caller holds cons_lock */
int	cons_getc(void);	/* -1 when the ring is empty */
int	cons_getc_wait(void);	/* halts until a byte arrives */
int	cons_getc_wait_sig(void); /* ... or -EINTR for a signal */
uint64_t cons_input_dropped(void); /* bytes lost to a full ring */
/*
 * Once a kernel reader waited for input (cons_getc_wait: the kernel
 * monitor), the input ring is its own and the console terminal gets none.
 */
bool	cons_kernel_reader(void);
/*
 * kern/tty_cons.c: move what the ring holds into the console terminal
 * (when a process opened it and no kernel reader owns the input).  Any
 * context; the caller holds no console or terminal lock.
 */
void	cons_tty_pump(void);

#endif /* _SYS_CONS_H_ */
