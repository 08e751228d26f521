/*
 * The National Semiconductor NS16550A UART (and its ancestors, the 8250 and
 * 16450): registers as offsets from the base I/O port, with the names the
 * PC16550D data sheet uses (National Semiconductor, "PC16550D Universal
 * Asynchronous Receiver/Transmitter with FIFOs", Table II "Summary of
 * Registers").  Bits that the data sheet names only by number are given
 * the short mnemonics its text uses.
 */
#ifndef _DEV_IC_NS16550REG_H_
#define _DEV_IC_NS16550REG_H_

/* Register offsets.  DLL and DLM replace RBR/THR and IER while LCR_DLAB=1. */
#define NS16550_RBR	0	/* receiver buffer (read) */
#define NS16550_THR	0	/* transmitter holding (write) */
#define NS16550_DLL	0	/* divisor latch, low byte (DLAB=1) */
#define NS16550_IER	1	/* interrupt enable */
#define NS16550_DLM	1	/* divisor latch, high byte (DLAB=1) */
#define NS16550_IIR	2	/* interrupt identification (read) */
#define NS16550_FCR	2	/* FIFO control (write) */
#define NS16550_LCR	3	/* line control */
#define NS16550_MCR	4	/* modem control */
#define NS16550_LSR	5	/* line status */
#define NS16550_MSR	6	/* modem status */
#define NS16550_SCR	7	/* scratch (not on the 8250) */
#define NS16550_NPORTS	8

/* IER: which events raise the interrupt line. */
#define IER_ERBFI	0x01	/* received data available (and timeout) */
#define IER_ETBEI	0x02	/* transmitter holding register empty */
#define IER_ELSI	0x04	/* receiver line status (errors, break) */
#define IER_EDSSI	0x08	/* modem status */

/* IIR: bit 0 is 0 while an interrupt is pending; bits 1-3 say which. */
#define IIR_NOPEND	0x01	/* no interrupt pending */
#define IIR_IMASK	0x0e	/* interrupt identification */
#define IIR_RLS		0x06	/* receiver line status: read LSR */
#define IIR_RDA		0x04	/* received data available: read RBR */
#define IIR_CTI		0x0c	/* character timeout: read RBR */
#define IIR_THRE	0x02	/* THR empty: read IIR or write THR */
#define IIR_MS		0x00	/* modem status: read MSR */
#define IIR_FIFO_MASK	0xc0	/* both set: FIFOs enabled (16550A) */

/* FCR */
#define FCR_ENABLE	0x01	/* FIFO enable */
#define FCR_RCVR_RESET	0x02	/* clear the receiver FIFO */
#define FCR_XMIT_RESET	0x04	/* clear the transmitter FIFO */
#define FCR_DMA_MODE	0x08
#define FCR_TRIGGER_1	0x00	/* receiver FIFO interrupt trigger level */
#define FCR_TRIGGER_4	0x40
#define FCR_TRIGGER_8	0x80
#define FCR_TRIGGER_14	0xc0

/* LCR */
#define LCR_WLS_5	0x00	/* word length select */
#define LCR_WLS_6	0x01
#define LCR_WLS_7	0x02
#define LCR_WLS_8	0x03
#define LCR_STB		0x04	/* 2 stop bits (1.5 for 5-bit words) */
#define LCR_PEN		0x08	/* parity enable */
#define LCR_EPS		0x10	/* even parity select */
#define LCR_STICK	0x20	/* stick parity */
#define LCR_SBRK	0x40	/* set break */
#define LCR_DLAB	0x80	/* divisor latch access bit */

/* MCR */
#define MCR_DTR		0x01	/* data terminal ready */
#define MCR_RTS		0x02	/* request to send */
#define MCR_OUT1	0x04
#define MCR_OUT2	0x08	/* on PCs, gates the interrupt to the PIC */
#define MCR_LOOP	0x10	/* loopback diagnostic mode */

/* LSR */
#define LSR_DR		0x01	/* data ready */
#define LSR_OE		0x02	/* overrun error */
#define LSR_PE		0x04	/* parity error */
#define LSR_FE		0x08	/* framing error */
#define LSR_BI		0x10	/* break interrupt */
#define LSR_THRE	0x20	/* THR (or transmitter FIFO) empty */
#define LSR_TEMT	0x40	/* transmitter completely empty */
#define LSR_RCVR_ERR	0x80	/* an error somewhere in the receiver FIFO */

/*
 * MSR.  In loopback mode the four inputs follow the four MCR outputs:
 * CTS = RTS, DSR = DTR, RI = OUT1, DCD = OUT2.
 */
#define MSR_DCTS	0x01	/* delta CTS */
#define MSR_DDSR	0x02	/* delta DSR */
#define MSR_TERI	0x04	/* trailing edge of RI */
#define MSR_DDCD	0x08	/* delta DCD */
#define MSR_CTS		0x10	/* clear to send */
#define MSR_DSR		0x20	/* data set ready */
#define MSR_RI		0x40	/* ring indicator */
#define MSR_DCD		0x80	/* data carrier detect */

/* The PC's UART clock, 1.8432 MHz, divided by 16 per bit. */
#define NS16550_FREQ		1843200
#define NS16550_DIVISOR(baud)	(NS16550_FREQ / (16 * (baud)))

#define NS16550_FIFO_SIZE	16	/* 16550A transmitter and receiver */

#endif /* _DEV_IC_NS16550REG_H_ */
