/*
 * The 16550 UART driver's state (dev/ic/ns16550.c).
 *
 * Two users share the hardware of the console port: the early console
 * (polled output of kernel messages, set up by consinit() before anything
 * else) and the "com" driver that attaches to it later (the interrupts,
 * and the terminal ttyS0).  Each keeps its own softc; both feed the same
 * input ring (the console port's struct constty), and both write the
 * transmitter under cons_lock.
 */
#ifndef _DEV_IC_NS16550VAR_H_
#define _DEV_IC_NS16550VAR_H_

#include <sys/cons.h>
#include <sys/types.h>

struct consdev;
struct device;

/*
 * Locks protecting members of this struct:
 *	I	immutable after the UART is set up
 *	c	cons_lock (the console's output path)
 *	r	the receive path: the interrupt handler, or the console's
 *		transmit loop under cons_lock (interrupts are off in both)
 *	t	the terminal's t_lock (the transmit path)
 */
struct ns16550_softc {
	uint16_t	 sc_iobase;	/* [I] first I/O port */
	int		 sc_irq;	/* [I] ISA IRQ, -1 for none */
	int		 sc_fifolen;	/* [I] 16 (16550A) or 1 */
	const char	*sc_model;	/* [I] "16550A", "16450", ... */
	bool		 sc_console;	/* [I] this port is the console */
	struct constty	*sc_ct;		/* [I] its terminal and ring */
	struct constty	 sc_ctbuf;	/* the terminal, if not the console */
	int		 sc_txfree;	/* [c] bytes the tx FIFO can take */
	bool		 sc_txintr;	/* [t] IER_ETBEI is on */
	uint64_t	 sc_txbytes;	/* [t] terminal bytes sent */
	uint64_t	 sc_rxbytes;	/* [r] bytes received */
	uint64_t	 sc_overruns;	/* [r] LSR_OE seen: bytes lost */
	uint64_t	 sc_errors;	/* [r] parity/framing errors, breaks */
};

/*
 * Program the UART at iobase for polled output: 115200 baud, 8N1, FIFOs
 * on, interrupts off.  Called by consinit() before memory management; it
 * touches only I/O ports and static data.
 */
void	ns16550_early_init(uint16_t iobase);
/*
 * The early console that ns16550_early_init() prepared, for
 * cons_register(); NULL when no UART answered at that port.
 */
struct consdev *ns16550_early_cons(void);

#endif /* _DEV_IC_NS16550VAR_H_ */
