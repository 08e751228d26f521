/*
 * The 16550 UART: the PC's serial ports, and EclipseOS's first console.
 *
 * Two parts share this file:
 *
 *  - The early console.  consinit() calls ns16550_early_init(0x3f8) before
 *    memory management exists; output is polled (wait for the transmitter
 *    to have room, write a byte), so it works with interrupts off, in the
 *    first instructions of kmain() and inside panic().
 *
 *  - The "com" driver.  The ISA bus offers a device with hid "PNP0501" for
 *    each standard port; com_probe() checks that a UART really answers and
 *    com_attach() programs it (on the console port it leaves the line
 *    settings alone: the early console is printing through them) and
 *    makes it a terminal, ttyS0 to ttyS3 (struct constty, sys/cons.h).
 *    Both directions are interrupt-driven: com_intr() drains the receiver
 *    FIFO into the port's input ring, from which kern/tty_cons.c feeds the
 *    terminal, and refills the transmitter FIFO from the terminal's
 *    output queue each time it empties (com_txfill).
 *
 * Receiving at 115200 baud: a byte arrives every 87 us.  The FIFO raises
 * its interrupt at 8 bytes, leaving 8 bytes (about 0.7 ms) of room for the
 * interrupt to be taken; the port's ring holds CONS_INBUF_SIZE bytes, so
 * a 4 KiB paste fits even if nobody reads for a while.  While the kernel
 * prints, interrupts are off (cons_lock) and printing is slow, so the
 * early console's transmit loop also empties the receiver whenever it
 * has to wait.
 *
 * The console's port carries kernel messages (polled, under cons_lock)
 * and its terminal's output (interrupt-driven): the terminal's side
 * takes cons_lock around its FIFO writes too, and tells the early
 * console that the FIFO is no longer known to be empty.
 *
 * Register names and bits: dev/ic/ns16550reg.h (from the PC16550D data
 * sheet).
 */
#include <sys/cons.h>
#include <sys/device.h>
#include <sys/errno.h>
#include <sys/intr.h>
#include <sys/systm.h>
#include <sys/tty.h>
#include <sys/vnode.h>

#include <machine/cpufunc.h>

#include <dev/ic/ns16550reg.h>
#include <dev/ic/ns16550var.h>

#include <fs/devfs/devfs.h>

#define NS16550_BAUD		115200
/* Polls of LSR before we stop waiting for a stuck transmitter (~0.1 s). */
#define NS16550_TX_SPINS	100000
/* Bound on bytes read per receive pass: a dead port may read as 0xff. */
#define NS16550_RX_MAX		(4 * NS16550_FIFO_SIZE)

static void	ns16550_cnputc(struct consdev *cn, int c);

static const char *const ns16550_names[] = {
	"ttyS0", "ttyS1", "ttyS2", "ttyS3"
};

/* The early console: [I] once ns16550_early_init() has run. */
static struct ns16550_softc ns16550_cons_sc;
/* The console port's terminal: its ring exists from the first message. */
static struct constty ns16550_cons_ct;
static bool ns16550_cons_present;
static struct consdev ns16550_cons = {
	.cn_name = "com",
	.cn_putc = ns16550_cnputc,
	.cn_arg = &ns16550_cons_sc,
};

static inline uint8_t
com_read(const struct ns16550_softc *sc, int reg)
{
	return inb(sc->sc_iobase + reg);
}

static inline void
com_write(const struct ns16550_softc *sc, int reg, uint8_t v)
{
	outb(sc->sc_iobase + reg, v);
}

/*
 * Is there a UART at iobase?  The scratch register must keep what is
 * written to it (an empty port reads 0xff); failing that (the 8250 has no
 * scratch register), loopback mode must echo the modem-control outputs on
 * the modem-status inputs.  Either test restores what it changed.
 */
static bool
ns16550_present(uint16_t iobase)
{
	uint8_t scr, mcr, msr_on, msr_off;
	bool ok;

	scr = inb(iobase + NS16550_SCR);
	outb(iobase + NS16550_SCR, 0x5a);
	ok = inb(iobase + NS16550_SCR) == 0x5a;
	outb(iobase + NS16550_SCR, 0xa5);
	ok = ok && inb(iobase + NS16550_SCR) == 0xa5;
	outb(iobase + NS16550_SCR, scr);
	if (ok)
		return true;

	mcr = inb(iobase + NS16550_MCR);
	outb(iobase + NS16550_MCR,
	    MCR_LOOP | MCR_OUT2 | MCR_OUT1 | MCR_RTS | MCR_DTR);
	msr_on = inb(iobase + NS16550_MSR) & 0xf0;
	outb(iobase + NS16550_MCR, MCR_LOOP);
	msr_off = inb(iobase + NS16550_MSR) & 0xf0;
	outb(iobase + NS16550_MCR, mcr);
	return msr_on == (MSR_DCD | MSR_RI | MSR_DSR | MSR_CTS) &&
	    msr_off == 0;
}

/*
 * Program the line (115200 8N1), turn the FIFOs on, all interrupts off,
 * and find out from IIR which chip this is (PC16550D data sheet: IIR bits
 * 6-7 read as set once FCR bit 0 is; the original 16550's FIFO is broken
 * and shows only bit 7; the 16450 has none).
 */
static void
ns16550_setup(struct ns16550_softc *sc)
{
	uint16_t div = NS16550_DIVISOR(NS16550_BAUD);
	uint8_t iir;

	com_write(sc, NS16550_IER, 0);
	com_write(sc, NS16550_LCR, LCR_DLAB);
	com_write(sc, NS16550_DLL, div & 0xff);
	com_write(sc, NS16550_DLM, div >> 8);
	com_write(sc, NS16550_LCR, LCR_WLS_8);
	com_write(sc, NS16550_FCR, FCR_ENABLE | FCR_RCVR_RESET |
	    FCR_XMIT_RESET | FCR_TRIGGER_8);
	com_write(sc, NS16550_MCR, MCR_DTR | MCR_RTS);
	iir = com_read(sc, NS16550_IIR) & IIR_FIFO_MASK;
	if (iir == IIR_FIFO_MASK) {
		sc->sc_model = "16550A";
		sc->sc_fifolen = NS16550_FIFO_SIZE;
	} else {
		sc->sc_model = iir != 0 ? "16550" : "16450";
		sc->sc_fifolen = 1;
		com_write(sc, NS16550_FCR, 0);
	}
	sc->sc_txfree = 0;
}

/*
 * Empty the receiver into the port's input ring.  locked: the caller
 * holds cons_lock (the early console's transmit loop); otherwise this is
 * the interrupt handler.  Returns the last LSR value read.
 */
static uint8_t
ns16550_rxdrain(struct ns16550_softc *sc, bool locked)
{
	uint8_t lsr = 0;
	int n, c;

	for (n = 0; n < NS16550_RX_MAX; n++) {
		lsr = com_read(sc, NS16550_LSR);
		if (lsr & LSR_OE)
			sc->sc_overruns++;
		if (lsr & (LSR_PE | LSR_FE | LSR_BI))
			sc->sc_errors++;
		if (!(lsr & LSR_DR))
			break;
		c = com_read(sc, NS16550_RBR);
		sc->sc_rxbytes++;
		/* A break arrives as a NUL byte that nobody typed. */
		if (lsr & LSR_BI)
			continue;
		if (locked)
			cons_in_put_locked(&sc->sc_ct->ct_in, c);
		else
			cons_in_put(&sc->sc_ct->ct_in, c);
	}
	return lsr;
}

/*
 * Send one byte by polling.  After LSR_THRE the whole transmitter FIFO is
 * free, so up to sc_fifolen bytes go out before we look again.  A port
 * that never becomes ready is given up on after NS16550_TX_SPINS polls,
 * so a broken UART slows the console down but cannot hang it.
 */
static void
ns16550_txbyte(struct ns16550_softc *sc, int c)
{
	uint8_t lsr;
	int spins;

	if (sc->sc_txfree == 0) {
		for (spins = 0; spins < NS16550_TX_SPINS; spins++) {
			lsr = com_read(sc, NS16550_LSR);
			if (lsr & LSR_DR)
				lsr = ns16550_rxdrain(sc, true);
			if (lsr & LSR_THRE)
				break;
			cpu_pause();
		}
		sc->sc_txfree = sc->sc_fifolen;
	}
	com_write(sc, NS16550_THR, (uint8_t)c);
	sc->sc_txfree--;
}

/* The early console's output: a terminal wants "\r\n" for a new line. */
static void
ns16550_cnputc(struct consdev *cn, int c)
{
	struct ns16550_softc *sc = cn->cn_arg;

	if (c == '\n')
		ns16550_txbyte(sc, '\r');
	ns16550_txbyte(sc, c);
}

/*
 * Set up the UART at iobase as the early console: 115200 baud, 8N1, FIFOs
 * on, interrupts off, and its terminal's input ring.  Needs no memory
 * allocation (it runs before anything else); takes cons_lock to register
 * the ring.  When nothing answers at iobase (or it is not a PC serial
 * port) the console is left out, and ns16550_early_cons() returns NULL.
 */
void
ns16550_early_init(uint16_t iobase)
{
	struct ns16550_softc *sc = &ns16550_cons_sc;
	int idx;

	sc->sc_iobase = iobase;
	sc->sc_irq = -1;
	sc->sc_console = true;
	if ((idx = tty_dev_uart_index(iobase)) < 0 || !ns16550_present(iobase))
		return;
	ns16550_setup(sc);
	constty_init(&ns16550_cons_ct, ns16550_names[idx]);
	sc->sc_ct = &ns16550_cons_ct;
	ns16550_cons_present = true;
}

/*
 * The early console prepared by ns16550_early_init(), to register; NULL
 * when no UART was found.  No lock.
 */
struct consdev *
ns16550_early_cons(void)
{
	return ns16550_cons_present ? &ns16550_cons : NULL;
}

/*
 * The interrupt handler: runs with interrupts off.  The UART keeps its
 * interrupt line raised while any cause is pending, and with an edge-
 * triggered ISA line a cause left pending would never interrupt again, so
 * loop until IIR says nothing is pending (PC16550D, Table IV).
 */
/* IER: receive interrupts always, THRE while output waits.  t_lock. */
static void
com_set_txintr(struct ns16550_softc *sc, bool on)
{
	if (on == sc->sc_txintr)
		return;
	sc->sc_txintr = on;
	com_write(sc, NS16550_IER, IER_ERBFI | IER_ELSI |
	    (on ? IER_ETBEI : 0));
}

/*
 * Refill the transmitter from the terminal's output queue if it is empty
 * (LSR_THRE: the whole FIFO is free), and keep the THRE interrupt on
 * while output waits.  The tty's t_lock held; takes cons_lock on the
 * console's port.
 */
static void
com_txfill(struct ns16550_softc *sc, struct tty *tp)
{
	uint8_t buf[NS16550_FIFO_SIZE];
	size_t n, i;
	bool more;

	KASSERT(spin_held(&tp->t_lock), "com_txfill: t_lock");
	if (sc->sc_console)
		cons_output_lock();
	if (com_read(sc, NS16550_LSR) & LSR_THRE) {
		n = tty_getout(tp, buf, sc->sc_fifolen);
		for (i = 0; i < n; i++)
			com_write(sc, NS16550_THR, buf[i]);
		sc->sc_txbytes += n;
		/* The early console must look at LSR before it writes. */
		if (sc->sc_console && n > 0)
			ns16550_cons_sc.sc_txfree = 0;
	}
	more = tp->t_outlen > 0 && !tp->t_stopped;
	if (sc->sc_console)
		cons_output_unlock();
	com_set_txintr(sc, more);
}

/* The terminal's t_start: output waits (t_lock held). */
static void
com_start(struct tty *tp)
{
	com_txfill(tp->t_sc, tp);
}

/* THRE: the transmitter emptied; refill it.  Takes t_lock. */
static void
com_txintr(struct ns16550_softc *sc)
{
	struct tty *tp = sc->sc_ct->ct_tty;

	if (tp == NULL)
		return;
	spin_lock(&tp->t_lock);
	com_txfill(sc, tp);
	spin_unlock(&tp->t_lock);
}

static void
com_intr(void *arg)
{
	struct ns16550_softc *sc = arg;
	uint64_t overruns = sc->sc_overruns;
	uint8_t iir;
	int n;

	for (n = 0; n < NS16550_RX_MAX; n++) {
		iir = com_read(sc, NS16550_IIR);
		if (iir & IIR_NOPEND)
			break;
		switch (iir & IIR_IMASK) {
		case IIR_RLS:
		case IIR_RDA:
		case IIR_CTI:
			ns16550_rxdrain(sc, false);
			break;
		case IIR_MS:
			(void)com_read(sc, NS16550_MSR);
			break;
		case IIR_THRE:
			/* Reading IIR cleared it; writing THR rearms it. */
			com_txintr(sc);
			break;
		default:
			break;
		}
	}
	if (overruns == 0 && sc->sc_overruns != 0)
		kprintf("com: receiver overrun at %#x: input was lost\n",
		    sc->sc_iobase);
}

static bool
com_is_console(const struct device *dv)
{
	return ns16550_cons_present &&
	    dv->dv_ioport == ns16550_cons_sc.sc_iobase;
}

/* Probe: the port range is a UART's, and a UART answers there. */
static int
com_probe(struct device *dv)
{
	if (dv->dv_ioport == 0 || dv->dv_iosize < NS16550_NPORTS)
		return -ENXIO;
	/* The console port was checked by ns16550_early_init(). */
	if (com_is_console(dv))
		return 0;
	if (!ns16550_present(dv->dv_ioport))
		return -ENXIO;
	return 0;
}

/*
 * Attach a COM port: the console port keeps its line settings, another
 * is programmed (115200 8N1, FIFOs on); then the interrupt is routed,
 * the receiver interrupt turned on, and the port becomes its ttyS
 * terminal.  Returns 0 or -errno (no IRQ, no route for it, not a PC
 * port); without a terminal the port cannot be opened (ENXIO).
 */
static int
com_attach(struct device *dv)
{
	struct ns16550_softc *sc = dv->dv_softc;
	int idx, error;

	sc->sc_iobase = dv->dv_ioport;
	sc->sc_irq = dv->dv_irq;
	sc->sc_console = com_is_console(dv);
	if ((idx = tty_dev_uart_index(sc->sc_iobase)) < 0) {
		kprintf("%s: no ttyS name for a UART at %#x\n", dv->dv_name,
		    sc->sc_iobase);
		return idx;
	}
	if (sc->sc_console) {
		sc->sc_model = ns16550_cons_sc.sc_model;
		sc->sc_fifolen = ns16550_cons_sc.sc_fifolen;
		sc->sc_ct = &ns16550_cons_ct;
	} else {
		ns16550_setup(sc);
		sc->sc_ct = &sc->sc_ctbuf;
	}
	if (sc->sc_irq < 0) {
		kprintf("%s: %s at %#x has no IRQ: no terminal\n", dv->dv_name,
		    sc->sc_model, sc->sc_iobase);
		return -ENXIO;
	}
	if (!sc->sc_console)
		constty_init(sc->sc_ct, ns16550_names[idx]);
	if ((error = intr_establish_isa(sc->sc_irq, com_intr, sc,
	    dv->dv_name)) < 0) {
		kprintf("%s: cannot route irq %d (error %d): no terminal\n",
		    dv->dv_name, sc->sc_irq, error);
		if (!sc->sc_console)
			cons_in_unregister(&sc->sc_ct->ct_in);
		return error;
	}
	/* From here on we are committed; nothing below may fail. */
	/* Bytes typed before now are input too; then clear stale causes. */
	ns16550_rxdrain(sc, false);
	(void)com_read(sc, NS16550_MSR);
	(void)com_read(sc, NS16550_IIR);
	/* OUT2 connects the UART's interrupt to the PC's interrupt line. */
	com_write(sc, NS16550_MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
	sc->sc_txintr = true;
	com_set_txintr(sc, false);
	kprintf("%s: %s at %#x irq %d, %s%s\n", dv->dv_name, sc->sc_model,
	    sc->sc_iobase, sc->sc_irq, ns16550_names[idx],
	    sc->sc_console ? " (console)" : "");
	if ((error = constty_attach(sc->sc_ct, MKDEV(4, 64 + idx), com_start,
	    sc, 0, 0)) < 0) {
		kprintf("%s: no terminal (error %d)\n", dv->dv_name, error);
		return 0;
	}
	(void)tty_dev_uart_attach(sc->sc_iobase);
	return 0;
}

static const char *const com_hids[] = { "PNP0501", NULL };

static struct driver com_driver = {
	.drv_name = "com",
	.drv_bus = BUS_ISA,
	.drv_hids = com_hids,
	.drv_softc_size = sizeof(struct ns16550_softc),
	.drv_probe = com_probe,
	.drv_attach = com_attach,
};
DRIVER(com_driver);
