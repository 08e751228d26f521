/*
 * The PS/2 keyboard behind the PC's 8042 keyboard controller (PNP0303).
 *
 * The ISA bus offers the controller at ports 0x60/0x64 with IRQ 1.  The
 * probe checks that a controller is there (the status register does not
 * read as the 0xff of an empty port) and passes its self-test.  The attach
 * turns the auxiliary (mouse) port off, keeps translation on, so that the
 * keyboard's scan code set 2 reaches us as set 1, checks that a keyboard
 * answers on the first port, and then lets the controller raise IRQ 1 for
 * each byte.
 *
 * pckbd_intr() feeds each byte to the translator, pckbd_translate(): a
 * small state machine (the E0 and E1 prefixes, Shift, Ctrl, Caps Lock, Num
 * Lock) that turns make codes into what a terminal would send for the key
 * on a US layout: ASCII, Enter as '\r', Backspace as DEL (0x7f), the
 * arrows and editing keys as ANSI escape sequences (ESC [ A ...).  The
 * bytes go to the input ring of the virtual console shown
 * (dev/cons/vcons.c).  Alt+F1 to Alt+F4 (with or without Ctrl) show
 * another virtual console instead, as on Linux.  Keys with no meaning
 * (other function keys, Alt alone, the Windows keys) send nothing.  The
 * keyboard's LEDs are not driven: Caps Lock and Num Lock work, but their
 * lights stay as the firmware left them.
 *
 * Register layout and scan codes: dev/isa/pckbdreg.h.
 */
#include <sys/cons.h>
#include <sys/clock.h>
#include <sys/device.h>
#include <sys/errno.h>
#include <sys/intr.h>
#include <sys/ktest.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>

#include <dev/isa/pckbdreg.h>

/* How long the controller and the keyboard may take to answer. */
#define PCKBD_WAIT_US		100000
#define PCKBD_POLL_US		10
/* Bytes read and dropped at most when emptying the output buffer. */
#define PCKBD_FLUSH_MAX		64
/* Bytes handled at most per interrupt (a stuck controller reads 0xff). */
#define PCKBD_INTR_MAX		16
/* Times a keyboard command is sent again after KBD_RESEND. */
#define PCKBD_RETRIES		3
/* The longest output of one key: ESC [ 3 ~. */
#define PCKBD_OUTMAX		4

/*
 * The translator's state: which modifiers are down, and where we are in
 * a multi-byte scan code.
 */
struct pckbd_state {
	bool		ks_lshift, ks_rshift;
	bool		ks_lctrl, ks_rctrl;
	bool		ks_lalt, ks_ralt;
	bool		ks_capslock;
	bool		ks_numlock;
	bool		ks_e0;		/* the last byte was E0 */
	int		ks_skip;	/* bytes of an E1 sequence still due */
};

/*
 * Locks protecting members of this struct:
 *	B	set by attach during boot, read-only afterwards
 *	i	the interrupt handler (interrupts off; one CPU takes IRQ 1)
 */
struct pckbd_softc {
	uint16_t	   sc_data;	/* [B] data port */
	uint16_t	   sc_cmd;	/* [B] status/command port */
	int		   sc_irq;	/* [B] ISA IRQ */
	struct pckbd_state sc_state;	/* [i] */
	uint64_t	   sc_bytes;	/* [i] bytes received */
	uint64_t	   sc_aux;	/* [i] mouse bytes dropped */
	uint64_t	   sc_errors;	/* [i] parity errors, timeouts */
};

/*
 * Set 1 make codes 0x01-0x39 on a US keyboard: the byte without and with
 * Shift; 0 for a key that sends nothing (the modifiers).
 */
static const char pckbd_keymap[KBD_SC_SPACE + 1][2] = {
	[KBD_SC_ESC] = { 0x1b, 0x1b },
	[0x02] = { '1', '!' }, [0x03] = { '2', '@' }, [0x04] = { '3', '#' },
	[0x05] = { '4', '$' }, [0x06] = { '5', '%' }, [0x07] = { '6', '^' },
	[0x08] = { '7', '&' }, [0x09] = { '8', '*' }, [0x0a] = { '9', '(' },
	[0x0b] = { '0', ')' }, [0x0c] = { '-', '_' }, [0x0d] = { '=', '+' },
	[KBD_SC_BACKSPACE] = { 0x7f, 0x7f },
	[0x0f] = { '\t', '\t' },
	[0x10] = { 'q', 'Q' }, [0x11] = { 'w', 'W' }, [0x12] = { 'e', 'E' },
	[0x13] = { 'r', 'R' }, [0x14] = { 't', 'T' }, [0x15] = { 'y', 'Y' },
	[0x16] = { 'u', 'U' }, [0x17] = { 'i', 'I' }, [0x18] = { 'o', 'O' },
	[0x19] = { 'p', 'P' }, [0x1a] = { '[', '{' }, [0x1b] = { ']', '}' },
	[KBD_SC_ENTER] = { '\r', '\r' },
	[0x1e] = { 'a', 'A' }, [0x1f] = { 's', 'S' }, [0x20] = { 'd', 'D' },
	[0x21] = { 'f', 'F' }, [0x22] = { 'g', 'G' }, [0x23] = { 'h', 'H' },
	[0x24] = { 'j', 'J' }, [0x25] = { 'k', 'K' }, [0x26] = { 'l', 'L' },
	[0x27] = { ';', ':' }, [0x28] = { '\'', '"' }, [0x29] = { '`', '~' },
	[0x2b] = { '\\', '|' },
	[0x2c] = { 'z', 'Z' }, [0x2d] = { 'x', 'X' }, [0x2e] = { 'c', 'C' },
	[0x2f] = { 'v', 'V' }, [0x30] = { 'b', 'B' }, [0x31] = { 'n', 'N' },
	[0x32] = { 'm', 'M' }, [0x33] = { ',', '<' }, [0x34] = { '.', '>' },
	[KBD_SC_SLASH] = { '/', '?' },
	[0x37] = { '*', '*' },		/* the keypad's * */
	[KBD_SC_SPACE] = { ' ', ' ' },
};

/*
 * The keypad, 0x47-0x53: the character with Num Lock on, and the escape
 * sequence (ECMA-48 / VT220 style, as xterm sends) of the editing or arrow
 * key otherwise and for the E0 keys.  NULL: nothing to send.
 */
static const struct {
	char		 kp_num;
	const char	*kp_seq;
} pckbd_keypad[KBD_SC_KP_DEL - KBD_SC_KP_HOME + 1] = {
	[KBD_SC_KP_HOME - KBD_SC_KP_HOME] = { '7', "\033[H" },
	[KBD_SC_KP_UP - KBD_SC_KP_HOME] = { '8', "\033[A" },
	[KBD_SC_KP_PGUP - KBD_SC_KP_HOME] = { '9', "\033[5~" },
	[KBD_SC_KP_MINUS - KBD_SC_KP_HOME] = { '-', "-" },
	[KBD_SC_KP_LEFT - KBD_SC_KP_HOME] = { '4', "\033[D" },
	[KBD_SC_KP_5 - KBD_SC_KP_HOME] = { '5', NULL },
	[KBD_SC_KP_RIGHT - KBD_SC_KP_HOME] = { '6', "\033[C" },
	[KBD_SC_KP_PLUS - KBD_SC_KP_HOME] = { '+', "+" },
	[KBD_SC_KP_END - KBD_SC_KP_HOME] = { '1', "\033[F" },
	[KBD_SC_KP_DOWN - KBD_SC_KP_HOME] = { '2', "\033[B" },
	[KBD_SC_KP_PGDN - KBD_SC_KP_HOME] = { '3', "\033[6~" },
	[KBD_SC_KP_INS - KBD_SC_KP_HOME] = { '0', "\033[2~" },
	[KBD_SC_KP_DEL - KBD_SC_KP_HOME] = { '.', "\033[3~" },
};

static int
pckbd_copy_seq(const char *seq, char *out)
{
	int n = 0;

	while (seq != NULL && seq[n] != '\0' && n < PCKBD_OUTMAX) {
		out[n] = seq[n];
		n++;
	}
	return n;
}

/* A keypad make code (0x47-0x53), E0 or not. */
static int
pckbd_translate_keypad(const struct pckbd_state *ks, uint8_t key, bool e0,
    char *out)
{
	int i = key - KBD_SC_KP_HOME;

	/* The E0 versions are the separate editing keys, never digits. */
	if (e0 && (key == KBD_SC_KP_MINUS || key == KBD_SC_KP_PLUS ||
	    key == KBD_SC_KP_5))
		return 0;
	if (!e0 && ks->ks_numlock) {
		out[0] = pckbd_keypad[i].kp_num;
		return 1;
	}
	return pckbd_copy_seq(pckbd_keypad[i].kp_seq, out);
}

/* A modifier's make or break code: update the state; false if not one. */
static bool
pckbd_modifier(struct pckbd_state *ks, uint8_t key, bool make, bool e0)
{
	switch (key) {
	case KBD_SC_LSHIFT:
		if (!e0)
			ks->ks_lshift = make;
		return true;
	case KBD_SC_RSHIFT:
		if (!e0)
			ks->ks_rshift = make;
		return true;
	case KBD_SC_CTRL:
		if (e0)
			ks->ks_rctrl = make;
		else
			ks->ks_lctrl = make;
		return true;
	case KBD_SC_ALT:
		if (e0)
			ks->ks_ralt = make;
		else
			ks->ks_lalt = make;
		return true;
	case KBD_SC_CAPSLOCK:
		if (make)
			ks->ks_capslock = !ks->ks_capslock;
		return true;
	case KBD_SC_NUMLOCK:
		if (make && !e0)
			ks->ks_numlock = !ks->ks_numlock;
		return true;
	default:
		return false;
	}
}

/*
 * Feed one byte from the controller (scan code set 1) to the translator.
 * Writes the bytes the key stands for to out (room for PCKBD_OUTMAX) and
 * returns how many: 0 for a prefix, a break code, a modifier or a key that
 * sends nothing.  Alt+Fn (F1-F12, Ctrl or not) sends nothing and sets
 * *vcp to n: show virtual console n.  Pure: touches only ks, out and vcp.
 */
static int
pckbd_translate(struct pckbd_state *ks, uint8_t code, char *out, int *vcp)
{
	bool e0, shift, ctrl, make;
	uint8_t key;
	char c;

	if (ks->ks_skip > 0) {
		ks->ks_skip--;
		return 0;
	}
	if (code == KBD_SC_E0) {
		ks->ks_e0 = true;
		return 0;
	}
	if (code == KBD_SC_E1) {
		ks->ks_e0 = false;
		ks->ks_skip = KBD_SC_E1_LEN;
		return 0;
	}
	e0 = ks->ks_e0;
	ks->ks_e0 = false;
	make = (code & KBD_SC_BREAK) == 0;
	key = code & ~KBD_SC_BREAK;
	if (pckbd_modifier(ks, key, make, e0) || !make)
		return 0;
	if ((ks->ks_lalt || ks->ks_ralt) && !e0) {
		if (key >= KBD_SC_F1 && key <= KBD_SC_F10)
			*vcp = key - KBD_SC_F1 + 1;
		else if (key == KBD_SC_F11 || key == KBD_SC_F12)
			*vcp = key - KBD_SC_F11 + 11;
		if (*vcp != 0)
			return 0;
	}
	if (key >= KBD_SC_KP_HOME && key <= KBD_SC_KP_DEL)
		return pckbd_translate_keypad(ks, key, e0, out);
	/* Of the other E0 keys, only the keypad's Enter and / have text. */
	if (e0 && key != KBD_SC_ENTER && key != KBD_SC_SLASH)
		return 0;
	if (key >= nitems(pckbd_keymap) || pckbd_keymap[key][0] == '\0')
		return 0;

	shift = ks->ks_lshift || ks->ks_rshift;
	ctrl = ks->ks_lctrl || ks->ks_rctrl;
	if (e0)
		shift = false;
	c = pckbd_keymap[key][shift];
	/* Caps Lock inverts Shift for the letters only. */
	if (ks->ks_capslock && pckbd_keymap[key][0] >= 'a' &&
	    pckbd_keymap[key][0] <= 'z')
		c = pckbd_keymap[key][!shift];
	/* Ctrl: '@', the letters and [ \ ] ^ _ give the C0 codes 0-31. */
	if (ctrl && c >= '@' && c <= '~')
		c &= 0x1f;
	else if (ctrl && c == ' ')
		c = '\0';
	out[0] = c;
	return 1;
}

/* Wait until the controller can take a byte; false after PCKBD_WAIT_US. */
static bool
pckbd_wait_write(const struct pckbd_softc *sc)
{
	int us;

	for (us = 0; us < PCKBD_WAIT_US; us += PCKBD_POLL_US) {
		if (!(inb(sc->sc_cmd) & KBC_STS_IBF))
			return true;
		delay_us(PCKBD_POLL_US);
	}
	return false;
}

/* Read a byte the controller or keyboard sends; -ETIMEDOUT if none. */
static int
pckbd_read(const struct pckbd_softc *sc)
{
	int us;

	for (us = 0; us < PCKBD_WAIT_US; us += PCKBD_POLL_US) {
		if (inb(sc->sc_cmd) & KBC_STS_OBF)
			return inb(sc->sc_data);
		delay_us(PCKBD_POLL_US);
	}
	return -ETIMEDOUT;
}

/* Drop whatever waits in the output buffer. */
static void
pckbd_flush(const struct pckbd_softc *sc)
{
	int i;

	for (i = 0; i < PCKBD_FLUSH_MAX && (inb(sc->sc_cmd) & KBC_STS_OBF);
	    i++) {
		(void)inb(sc->sc_data);
		delay_us(PCKBD_POLL_US);
	}
}

/* A controller command, and its argument byte when arg >= 0. */
static int
pckbd_command(const struct pckbd_softc *sc, uint8_t cmd, int arg)
{
	if (!pckbd_wait_write(sc))
		return -ETIMEDOUT;
	outb(sc->sc_cmd, cmd);
	if (arg < 0)
		return 0;
	if (!pckbd_wait_write(sc))
		return -ETIMEDOUT;
	outb(sc->sc_data, (uint8_t)arg);
	return 0;
}

/* A controller command that answers one byte: the byte, or -errno. */
static int
pckbd_query(const struct pckbd_softc *sc, uint8_t cmd)
{
	int error;

	if ((error = pckbd_command(sc, cmd, -1)) < 0)
		return error;
	return pckbd_read(sc);
}

/*
 * Send one byte to the keyboard and wait for its ACK, sending it again
 * when the keyboard asks.  Returns 0, -ETIMEDOUT (no keyboard answers) or
 * -EIO (it answered something else).
 */
static int
pckbd_kbd_send(const struct pckbd_softc *sc, uint8_t byte)
{
	int tries, answer = -ETIMEDOUT;

	for (tries = 0; tries < PCKBD_RETRIES; tries++) {
		if (!pckbd_wait_write(sc))
			return -ETIMEDOUT;
		outb(sc->sc_data, byte);
		if ((answer = pckbd_read(sc)) == KBD_ACK)
			return 0;
		if (answer != KBD_RESEND)
			break;
	}
	return answer < 0 ? answer : -EIO;
}

/* Probe: a controller answers at the ports and passes its self-test. */
static int
pckbd_probe(struct device *dv)
{
	struct pckbd_softc probe_sc = {
		.sc_data = dv->dv_ioport + KBC_DATA_OFF,
		.sc_cmd = dv->dv_ioport + KBC_CMD_OFF,
	};
	int answer;

	if (dv->dv_ioport == 0 || dv->dv_iosize < KBC_NPORTS ||
	    dv->dv_irq < 0)
		return -ENXIO;
	if (inb(probe_sc.sc_cmd) == 0xff) {
		kprintf("pckbd: no keyboard controller at %#x\n",
		    dv->dv_ioport);
		return -ENODEV;
	}
	/* Quiet both ports first, so that no key press answers for it. */
	if (pckbd_command(&probe_sc, KBC_CMD_KBD_DISABLE, -1) < 0 ||
	    pckbd_command(&probe_sc, KBC_CMD_AUX_DISABLE, -1) < 0) {
		kprintf("pckbd: the controller at %#x takes no command\n",
		    dv->dv_ioport);
		return -ENODEV;
	}
	pckbd_flush(&probe_sc);
	if ((answer = pckbd_query(&probe_sc, KBC_CMD_SELFTEST)) !=
	    KBC_SELFTEST_OK) {
		kprintf("pckbd: controller self-test at %#x failed (%d)\n",
		    dv->dv_ioport, answer);
		return -ENODEV;
	}
	return 0;
}

/* IRQ 1: read every byte the controller holds for us. */
static void
pckbd_intr(void *arg)
{
	struct pckbd_softc *sc = arg;
	char out[PCKBD_OUTMAX];
	uint8_t status, byte;
	int i, j, n, vc;

	for (i = 0; i < PCKBD_INTR_MAX; i++) {
		status = inb(sc->sc_cmd);
		if (!(status & KBC_STS_OBF))
			break;
		byte = inb(sc->sc_data);
		if (status & KBC_STS_AUXOBF) {
			sc->sc_aux++;
			continue;
		}
		if (status & (KBC_STS_PARITY | KBC_STS_TIMEOUT)) {
			sc->sc_errors++;
			continue;
		}
		sc->sc_bytes++;
		vc = 0;
		n = pckbd_translate(&sc->sc_state, byte, out, &vc);
		if (vc != 0)
			(void)vcons_switch(vc);
		for (j = 0; j < n; j++)
			vcons_input((unsigned char)out[j]);
	}
}

/*
 * Program the controller: both ports off, its interrupts off, translation
 * on; then the keyboard port's test.  Returns the configuration byte to
 * use once the interrupt is routed, or -errno.
 */
static int
pckbd_setup_controller(struct device *dv, struct pckbd_softc *sc)
{
	int cfg, answer, error;

	if ((cfg = pckbd_query(sc, KBC_CMD_READ_CFG)) < 0) {
		kprintf("%s: cannot read the configuration byte (%d)\n",
		    dv->dv_name, cfg);
		return cfg;
	}
	cfg &= ~(KBC_CFG_KBD_INT | KBC_CFG_AUX_INT | KBC_CFG_KBD_OFF);
	cfg |= KBC_CFG_XLATE | KBC_CFG_AUX_OFF;
	if ((error = pckbd_command(sc, KBC_CMD_WRITE_CFG, cfg)) < 0) {
		kprintf("%s: cannot write the configuration byte (%d)\n",
		    dv->dv_name, error);
		return error;
	}
	if ((answer = pckbd_query(sc, KBC_CMD_KBD_TEST)) != KBC_KBD_TEST_OK) {
		kprintf("%s: keyboard port test failed (%d)\n", dv->dv_name,
		    answer);
		return answer < 0 ? answer : -EIO;
	}
	if ((error = pckbd_command(sc, KBC_CMD_KBD_ENABLE, -1)) < 0)
		return error;
	return cfg;
}

/*
 * The keyboard itself: stop it, ask for scan code set 2 (which the
 * controller translates to set 1), start it.  Returns 0 or -errno.
 */
static int
pckbd_setup_keyboard(struct device *dv, struct pckbd_softc *sc)
{
	int error;

	if ((error = pckbd_kbd_send(sc, KBD_CMD_DISABLE)) < 0 ||
	    (error = pckbd_kbd_send(sc, KBD_CMD_SCANSET)) < 0 ||
	    (error = pckbd_kbd_send(sc, 2)) < 0 ||
	    (error = pckbd_kbd_send(sc, KBD_CMD_ENABLE)) < 0) {
		kprintf("%s: %s (%d)\n", dv->dv_name, error == -ETIMEDOUT ?
		    "no keyboard answers on the first port" :
		    "the keyboard refused a command", error);
		return error;
	}
	return 0;
}

/*
 * Attach: set up the controller and the keyboard with the interrupt off,
 * route IRQ 1, then let the controller raise it.  Returns 0 or -errno; on
 * failure the keyboard port is left disabled.
 */
static int
pckbd_attach(struct device *dv)
{
	struct pckbd_softc *sc = dv->dv_softc;
	int cfg, error;

	sc->sc_data = dv->dv_ioport + KBC_DATA_OFF;
	sc->sc_cmd = dv->dv_ioport + KBC_CMD_OFF;
	sc->sc_irq = dv->dv_irq;
	if ((cfg = pckbd_setup_controller(dv, sc)) < 0) {
		error = cfg;
		goto fail;
	}
	if ((error = pckbd_setup_keyboard(dv, sc)) < 0)
		goto fail;
	pckbd_flush(sc);
	if ((error = intr_establish_isa(sc->sc_irq, pckbd_intr, sc,
	    dv->dv_name)) < 0) {
		kprintf("%s: cannot route irq %d (error %d)\n", dv->dv_name,
		    sc->sc_irq, error);
		goto fail;
	}
	/* From here on we are committed; nothing below may fail. */
	if ((error = pckbd_command(sc, KBC_CMD_WRITE_CFG,
	    cfg | KBC_CFG_KBD_INT)) < 0) {
		kprintf("%s: cannot enable the keyboard interrupt (%d)\n",
		    dv->dv_name, error);
		return 0;
	}
	kprintf("%s: i8042 keyboard at %#x irq %d\n", dv->dv_name,
	    dv->dv_ioport, sc->sc_irq);
	return 0;
fail:
	(void)pckbd_command(sc, KBC_CMD_KBD_DISABLE, -1);
	return error;
}

static const char *const pckbd_hids[] = { "PNP0303", NULL };

static struct driver pckbd_driver = {
	.drv_name = "pckbd",
	.drv_bus = BUS_ISA,
	.drv_hids = pckbd_hids,
	.drv_softc_size = sizeof(struct pckbd_softc),
	.drv_probe = pckbd_probe,
	.drv_attach = pckbd_attach,
};
DRIVER(pckbd_driver);

/*
 * In-kernel test: the translator alone, fed scan codes by hand.  (The
 * hardware path is tried by typing into QEMU: its monitor's sendkey.)
 */
static int pckbd_kt_vc;	/* the last Alt+Fn seen */

static int
pckbd_kt_feed(struct pckbd_state *ks, const uint8_t *codes, int n,
    char *out, int outsize)
{
	char buf[PCKBD_OUTMAX];
	int i, j, k, vc, len = 0;

	for (i = 0; i < n; i++) {
		vc = 0;
		k = pckbd_translate(ks, codes[i], buf, &vc);
		if (vc != 0)
			pckbd_kt_vc = vc;
		for (j = 0; j < k && len < outsize; j++)
			out[len++] = buf[j];
	}
	return len;
}

#define PCKBD_KT(ks, want, ...)	({					\
	static const uint8_t codes_[] = { __VA_ARGS__ };		\
	char out_[16];							\
	int len_ = pckbd_kt_feed((ks), codes_, nitems(codes_), out_,	\
	    sizeof(out_));						\
	len_ == (int)sizeof(want) - 1 &&				\
	    memcmp(out_, (want), sizeof(want) - 1) == 0;		\
})

KTEST(pckbd_translate)
{
	struct pckbd_state ks = { 0 };

	/* Plain keys, their break codes send nothing. */
	KT_ASSERT(PCKBD_KT(&ks, "a", 0x1e, 0x9e));
	KT_ASSERT(PCKBD_KT(&ks, "1 /", 0x02, 0x82, 0x39, 0xb9, 0x35, 0xb5));
	/* Shift (left and right); released, it no longer applies. */
	KT_ASSERT(PCKBD_KT(&ks, "A", 0x2a, 0x1e, 0x9e, 0xaa));
	KT_ASSERT(PCKBD_KT(&ks, "!?a", 0x36, 0x02, 0x35, 0xb6, 0x1e));
	/* Ctrl-C, Ctrl-[ (ESC), right Ctrl (E0 1D), Ctrl-space (NUL). */
	KT_ASSERT(PCKBD_KT(&ks, "\003", 0x1d, 0x2e, 0xae, 0x9d));
	KT_ASSERT(PCKBD_KT(&ks, "\033", 0x1d, 0x1a, 0x9d));
	KT_ASSERT(PCKBD_KT(&ks, "\003c", 0xe0, 0x1d, 0x2e, 0xe0, 0x9d, 0x2e));
	KT_ASSERT(PCKBD_KT(&ks, "\0", 0x1d, 0x39, 0x9d));
	/* Caps Lock: letters only; Shift inverts it; pressed again, off. */
	KT_ASSERT(PCKBD_KT(&ks, "A1", 0x3a, 0xba, 0x1e, 0x02));
	KT_ASSERT(PCKBD_KT(&ks, "a!", 0x2a, 0x1e, 0x02, 0xaa));
	KT_ASSERT(PCKBD_KT(&ks, "a", 0x3a, 0xba, 0x1e));
	/* Enter, Backspace, Tab, Escape; the keypad's Enter and /. */
	KT_ASSERT(PCKBD_KT(&ks, "\r\177\t\033", 0x1c, 0x0e, 0x0f, 0x01));
	KT_ASSERT(PCKBD_KT(&ks, "\r/", 0xe0, 0x1c, 0xe0, 0x35));
	/* The arrows (E0), and the keypad's with Num Lock off and on. */
	KT_ASSERT(PCKBD_KT(&ks, "\033[A\033[B\033[C\033[D", 0xe0, 0x48,
	    0xe0, 0x50, 0xe0, 0x4d, 0xe0, 0x4b));
	KT_ASSERT(PCKBD_KT(&ks, "\033[A\033[3~", 0x48, 0xc8, 0x53));
	KT_ASSERT(PCKBD_KT(&ks, "8.\033[A", 0x45, 0xc5, 0x48, 0x53, 0xe0,
	    0x48, 0x45, 0xc5));
	/* A "fake shift" (E0 2A, around Print Screen) does not shift. */
	KT_ASSERT(PCKBD_KT(&ks, "a", 0xe0, 0x2a, 0x1e, 0xe0, 0xaa));
	/* Pause (E1 1D 45 E1 9D C5) sends nothing and disturbs nothing. */
	KT_ASSERT(PCKBD_KT(&ks, "b", 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5,
	    0x30));
	/* Function keys, Alt: nothing. */
	pckbd_kt_vc = 0;
	KT_ASSERT(PCKBD_KT(&ks, "", 0x3b, 0xbb, 0x38, 0xb8, 0x58));
	KT_ASSERT(pckbd_kt_vc == 0);
	/* Alt+F2, right Alt (E0 38)+F4, Ctrl+Alt+F1, Alt+F12: switches. */
	KT_ASSERT(PCKBD_KT(&ks, "", 0x38, 0x3c, 0xbc, 0xb8));
	KT_ASSERT(pckbd_kt_vc == 2);
	KT_ASSERT(PCKBD_KT(&ks, "", 0xe0, 0x38, 0x3e, 0xbe, 0xe0, 0xb8));
	KT_ASSERT(pckbd_kt_vc == 4);
	KT_ASSERT(PCKBD_KT(&ks, "", 0x1d, 0x38, 0x3b, 0xbb, 0xb8, 0x9d));
	KT_ASSERT(pckbd_kt_vc == 1);
	KT_ASSERT(PCKBD_KT(&ks, "", 0x38, 0x58, 0xd8, 0xb8));
	KT_ASSERT(pckbd_kt_vc == 12);
	/* Alt released: F2 and a letter are themselves again. */
	pckbd_kt_vc = 0;
	KT_ASSERT(PCKBD_KT(&ks, "q", 0x3c, 0xbc, 0x10));
	KT_ASSERT(pckbd_kt_vc == 0);
	KT_ASSERT(!ks.ks_lshift && !ks.ks_rshift && !ks.ks_lctrl &&
	    !ks.ks_rctrl && !ks.ks_lalt && !ks.ks_ralt && !ks.ks_capslock &&
	    !ks.ks_numlock);
	return 0;
}
