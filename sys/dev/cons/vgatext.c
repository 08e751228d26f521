/*
 * The VGA text console: the 80x25 screen of character cells that the BIOS
 * (and GRUB on a BIOS machine) leaves behind.
 *
 * Video memory at physical 0xb8000 holds one 16-bit cell per character,
 * row after row: the low byte is the character (code page 437 on a PC),
 * the high byte its attribute (bits 0-3 foreground colour, 4-6 background,
 * 7 blink).  The blinking cursor is not part of that memory: the CRT
 * controller draws it at the cell whose index is in its Cursor Location
 * registers (0x0e high byte, 0x0f low byte), reached through an index port
 * (0x3d4) and a data port (0x3d5) (IBM VGA Technical Reference, "CRT
 * Controller Registers").
 *
 * The screen is also a terminal (the console tty's output comes here):
 * it understands the ECMA-48 / VT100 sequences full-screen programs such
 * as BusyBox vi, less and top send (ECMA-48 5th edition, section 8.3;
 * DEC VT100 User Guide, chapter 3): cursor movement (CUU, CUD, CUF, CUB,
 * CUP, HVP, CHA, VPA), erase (ED, EL, ECH), insert and delete of lines
 * and characters (IL, DL, ICH, DCH), the scroll region (DECSTBM), index
 * and reverse index (IND, RI, NEL), save and restore of the cursor
 * (DECSC, DECRC, and CSI s / u), and SGR colours and attributes (bold as
 * a bright foreground, blink, reverse; underline has no VGA colour-mode
 * rendering and is ignored).  Other sequences are consumed and ignored,
 * as a terminal does.
 *
 * Locking: the console's output path holds cons_lock around every
 * vgatext_putc(), which is the only code that touches the softc after
 * vgatext_cnattach().
 */
#include <sys/cons.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/param.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>

#include <dev/cons/screen.h>

#define VGA_CRTC_INDEX		0x3d4
#define VGA_CRTC_DATA		0x3d5
#define VGA_CRTC_CURSOR_HI	0x0e
#define VGA_CRTC_CURSOR_LO	0x0f

#define VGA_ATTR_DEFAULT	0x07	/* light grey on black */
#define VGA_MAXCOLS		132
#define VGA_MAXROWS		60
#define VGA_TABSTOP		8
#define VGA_NPARAM		8	/* CSI parameters kept */

/* The escape-sequence parser's states. */
enum vgatext_state {
	VS_GROUND,	/* printing */
	VS_ESC,		/* after ESC */
	VS_CSI,		/* after ESC [: parameters, then a final byte */
	VS_SKIP		/* after ESC and an intermediate: one more byte */
};

/*
 * Locks protecting members of this struct:
 *	I	immutable after vgatext_cnattach()
 *	c	cons_lock
 */
struct vgatext_softc {
	volatile uint16_t *vt_mem;	/* [I] the cells, via the direct map */
	int		 vt_cols;	/* [I] */
	int		 vt_rows;	/* [I] */
	int		 vt_row;	/* [c] cursor */
	int		 vt_col;	/* [c] */
	bool		 vt_wrapnext;	/* [c] the last column is written */
	bool		 vt_hwcursor;	/* [I] program the CRTC's cursor */
	uint8_t		 vt_attr;	/* [c] attribute of new cells */
	/* The terminal: SGR state, scroll region, parser. */
	uint8_t		 vt_fg, vt_bg;	/* [c] VGA colours 0-15, 0-7 */
	bool		 vt_bold;	/* [c] */
	bool		 vt_blink;	/* [c] */
	bool		 vt_reverse;	/* [c] */
	int		 vt_top, vt_bot; /* [c] scroll region rows, inclusive */
	int		 vt_srow, vt_scol; /* [c] the saved cursor */
	uint8_t		 vt_sfg, vt_sbg; /* [c] and its colours */
	enum vgatext_state vt_state;	/* [c] */
	bool		 vt_private;	/* [c] CSI ? */
	int		 vt_nparam;	/* [c] parameters seen */
	int		 vt_param[VGA_NPARAM]; /* [c] */
};

/* ANSI colour numbers (SGR 30-37) as VGA's (IBM order). */
static const uint8_t vgatext_ansi2vga[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };

static void	vgatext_putc(struct consdev *cn, int c);
static void	vgatext_putc_raw(struct consdev *cn, int c);

static struct vgatext_softc vgatext_sc;
static struct consdev vgatext_cons = {
	.cn_name = "vga",
	.cn_putc = vgatext_putc,
	.cn_putc_raw = vgatext_putc_raw,
	.cn_arg = &vgatext_sc,
};

static inline uint16_t
vgatext_cell(const struct vgatext_softc *vt, int c)
{
	return (uint16_t)((vt->vt_attr << 8) | (c & 0xff));
}

/* Blank cells [from, to) of the screen. */
static void
vgatext_clear(struct vgatext_softc *vt, int from, int to)
{
	uint16_t blank = vgatext_cell(vt, ' ');
	int i;

	for (i = from; i < to; i++)
		vt->vt_mem[i] = blank;
}

/*
 * Move rows [top, bot] of the screen by n lines, up (n > 0) or down
 * (n < 0), blanking the rows uncovered.
 */
static void
vgatext_scroll(struct vgatext_softc *vt, int top, int bot, int n)
{
	int cols = vt->vt_cols, rows = bot - top + 1, i;

	if (n > rows)
		n = rows;
	if (n < -rows)
		n = -rows;
	if (n > 0) {
		for (i = top * cols; i < (bot + 1 - n) * cols; i++)
			vt->vt_mem[i] = vt->vt_mem[i + n * cols];
		vgatext_clear(vt, (bot + 1 - n) * cols, (bot + 1) * cols);
	} else if (n < 0) {
		n = -n;
		for (i = (bot + 1) * cols - 1; i >= (top + n) * cols; i--)
			vt->vt_mem[i] = vt->vt_mem[i - n * cols];
		vgatext_clear(vt, top * cols, (top + n) * cols);
	}
}

/* Tell the CRT controller where to draw the cursor. */
static void
vgatext_setcursor(const struct vgatext_softc *vt)
{
	uint16_t pos = (uint16_t)(vt->vt_row * vt->vt_cols + vt->vt_col);

	if (!vt->vt_hwcursor)
		return;
	outb(VGA_CRTC_INDEX, VGA_CRTC_CURSOR_HI);
	outb(VGA_CRTC_DATA, pos >> 8);
	outb(VGA_CRTC_INDEX, VGA_CRTC_CURSOR_LO);
	outb(VGA_CRTC_DATA, pos & 0xff);
}

/* Line feed: down a row, scrolling the region at its bottom. */
static void
vgatext_linefeed(struct vgatext_softc *vt)
{
	vt->vt_wrapnext = false;
	if (vt->vt_row == vt->vt_bot)
		vgatext_scroll(vt, vt->vt_top, vt->vt_bot, 1);
	else if (vt->vt_row + 1 < vt->vt_rows)
		vt->vt_row++;
}

static void
vgatext_newline(struct vgatext_softc *vt)
{
	vt->vt_col = 0;
	vgatext_linefeed(vt);
}

/* Reverse index: up a row, scrolling the region down at its top. */
static void
vgatext_revindex(struct vgatext_softc *vt)
{
	vt->vt_wrapnext = false;
	if (vt->vt_row == vt->vt_top)
		vgatext_scroll(vt, vt->vt_top, vt->vt_bot, -1);
	else if (vt->vt_row > 0)
		vt->vt_row--;
}

/* The attribute byte for the current SGR state. */
static void
vgatext_setattr(struct vgatext_softc *vt)
{
	uint8_t fg = vt->vt_fg | (vt->vt_bold ? 0x08 : 0), bg = vt->vt_bg;

	if (vt->vt_reverse) {
		fg = vt->vt_bg | (vt->vt_bold ? 0x08 : 0);
		bg = vt->vt_fg & 0x07;
	}
	vt->vt_attr = (uint8_t)(fg | (bg << 4) | (vt->vt_blink ? 0x80 : 0));
}

/* The terminal's initial state: colours, region, parser. */
static void
vgatext_reset(struct vgatext_softc *vt)
{
	vt->vt_fg = VGA_ATTR_DEFAULT & 0x0f;
	vt->vt_bg = 0;
	vt->vt_bold = vt->vt_blink = vt->vt_reverse = false;
	vgatext_setattr(vt);
	vt->vt_top = 0;
	vt->vt_bot = vt->vt_rows - 1;
	vt->vt_srow = vt->vt_scol = 0;
	vt->vt_sfg = vt->vt_fg;
	vt->vt_sbg = vt->vt_bg;
	vt->vt_state = VS_GROUND;
}

/* SGR (ECMA-48 8.3.117): the parameters in order; none means 0. */
static void
vgatext_sgr(struct vgatext_softc *vt)
{
	int i, p;

	for (i = 0; i < MAX(vt->vt_nparam, 1); i++) {
		p = vt->vt_nparam == 0 ? 0 : vt->vt_param[i];
		if (p == 0) {
			vt->vt_fg = VGA_ATTR_DEFAULT & 0x0f;
			vt->vt_bg = 0;
			vt->vt_bold = vt->vt_blink = vt->vt_reverse = false;
		} else if (p == 1) {
			vt->vt_bold = true;
		} else if (p == 5) {
			vt->vt_blink = true;
		} else if (p == 7) {
			vt->vt_reverse = true;
		} else if (p == 22) {
			vt->vt_bold = false;
		} else if (p == 25) {
			vt->vt_blink = false;
		} else if (p == 27) {
			vt->vt_reverse = false;
		} else if (p >= 30 && p <= 37) {
			vt->vt_fg = vgatext_ansi2vga[p - 30];
		} else if (p == 39) {
			vt->vt_fg = VGA_ATTR_DEFAULT & 0x0f;
		} else if (p >= 40 && p <= 47) {
			vt->vt_bg = vgatext_ansi2vga[p - 40];
		} else if (p == 49) {
			vt->vt_bg = 0;
		} else if (p >= 90 && p <= 97) {
			vt->vt_fg = vgatext_ansi2vga[p - 90] | 0x08;
		} else if (p >= 100 && p <= 107) {
			vt->vt_bg = vgatext_ansi2vga[p - 100];
		}
	}
	vgatext_setattr(vt);
}

/* Parameter i, or def when absent or 0 (ECMA-48 5.4.2). */
static int
vgatext_param(const struct vgatext_softc *vt, int i, int def)
{
	if (i >= vt->vt_nparam || vt->vt_param[i] == 0)
		return def;
	return vt->vt_param[i];
}

/* Move the cursor to (row, col), clamped to the screen. */
static void
vgatext_goto(struct vgatext_softc *vt, int row, int col)
{
	vt->vt_row = MAX(0, MIN(row, vt->vt_rows - 1));
	vt->vt_col = MAX(0, MIN(col, vt->vt_cols - 1));
	vt->vt_wrapnext = false;
}

/* A CSI sequence ended with final byte c. */
static void
vgatext_csi(struct vgatext_softc *vt, int c)
{
	int cols = vt->vt_cols, here = vt->vt_row * cols + vt->vt_col;
	int eol = (vt->vt_row + 1) * cols, n = vgatext_param(vt, 0, 1);
	int top, bot, i;

	if (vt->vt_private)
		return;		/* DEC modes (?25h...): nothing to do */
	switch (c) {
	case 'A':	/* CUU */
		vgatext_goto(vt, vt->vt_row - n, vt->vt_col);
		break;
	case 'B':	/* CUD */
	case 'e':
		vgatext_goto(vt, vt->vt_row + n, vt->vt_col);
		break;
	case 'C':	/* CUF */
	case 'a':
		vgatext_goto(vt, vt->vt_row, vt->vt_col + n);
		break;
	case 'D':	/* CUB */
		vgatext_goto(vt, vt->vt_row, vt->vt_col - n);
		break;
	case 'E':	/* CNL */
		vgatext_goto(vt, vt->vt_row + n, 0);
		break;
	case 'F':	/* CPL */
		vgatext_goto(vt, vt->vt_row - n, 0);
		break;
	case 'G':	/* CHA */
	case '`':
		vgatext_goto(vt, vt->vt_row, n - 1);
		break;
	case 'd':	/* VPA */
		vgatext_goto(vt, n - 1, vt->vt_col);
		break;
	case 'H':	/* CUP */
	case 'f':	/* HVP */
		vgatext_goto(vt, n - 1, vgatext_param(vt, 1, 1) - 1);
		break;
	case 'J':	/* ED */
		n = vgatext_param(vt, 0, 0);
		if (n == 0)
			vgatext_clear(vt, here, vt->vt_rows * cols);
		else if (n == 1)
			vgatext_clear(vt, 0, here + 1);
		else
			vgatext_clear(vt, 0, vt->vt_rows * cols);
		break;
	case 'K':	/* EL */
		n = vgatext_param(vt, 0, 0);
		if (n == 0)
			vgatext_clear(vt, here, eol);
		else if (n == 1)
			vgatext_clear(vt, eol - cols, here + 1);
		else
			vgatext_clear(vt, eol - cols, eol);
		break;
	case 'X':	/* ECH */
		vgatext_clear(vt, here, MIN(here + n, eol));
		break;
	case 'L':	/* IL */
	case 'M':	/* DL */
		if (vt->vt_row < vt->vt_top || vt->vt_row > vt->vt_bot)
			break;
		vgatext_scroll(vt, vt->vt_row, vt->vt_bot, c == 'L' ? -n : n);
		vt->vt_col = 0;
		vt->vt_wrapnext = false;
		break;
	case '@':	/* ICH */
		n = MIN(n, eol - here);
		for (i = eol - 1; i >= here + n; i--)
			vt->vt_mem[i] = vt->vt_mem[i - n];
		vgatext_clear(vt, here, here + n);
		break;
	case 'P':	/* DCH */
		n = MIN(n, eol - here);
		for (i = here; i < eol - n; i++)
			vt->vt_mem[i] = vt->vt_mem[i + n];
		vgatext_clear(vt, eol - n, eol);
		break;
	case 'S':	/* SU */
		vgatext_scroll(vt, vt->vt_top, vt->vt_bot, n);
		break;
	case 'T':	/* SD */
		vgatext_scroll(vt, vt->vt_top, vt->vt_bot, -n);
		break;
	case 'm':
		vgatext_sgr(vt);
		break;
	case 'r':	/* DECSTBM: the cursor goes home */
		top = vgatext_param(vt, 0, 1) - 1;
		bot = vgatext_param(vt, 1, vt->vt_rows) - 1;
		if (top < bot && bot < vt->vt_rows) {
			vt->vt_top = top;
			vt->vt_bot = bot;
			vgatext_goto(vt, 0, 0);
		}
		break;
	case 's':
		vt->vt_srow = vt->vt_row;
		vt->vt_scol = vt->vt_col;
		break;
	case 'u':
		vgatext_goto(vt, vt->vt_srow, vt->vt_scol);
		break;
	default:
		break;	/* not one we know: ignored, as a terminal does */
	}
}

/* ESC followed by c (not '['). */
static void
vgatext_esc(struct vgatext_softc *vt, int c)
{
	vt->vt_state = VS_GROUND;
	switch (c) {
	case '7':	/* DECSC */
		vt->vt_srow = vt->vt_row;
		vt->vt_scol = vt->vt_col;
		vt->vt_sfg = vt->vt_fg;
		vt->vt_sbg = vt->vt_bg;
		break;
	case '8':	/* DECRC */
		vgatext_goto(vt, vt->vt_srow, vt->vt_scol);
		vt->vt_fg = vt->vt_sfg;
		vt->vt_bg = vt->vt_sbg;
		vgatext_setattr(vt);
		break;
	case 'D':	/* IND */
		vgatext_linefeed(vt);
		break;
	case 'E':	/* NEL */
		vgatext_newline(vt);
		break;
	case 'M':	/* RI */
		vgatext_revindex(vt);
		break;
	case 'c':	/* RIS */
		vgatext_reset(vt);
		vgatext_clear(vt, 0, vt->vt_rows * vt->vt_cols);
		vgatext_goto(vt, 0, 0);
		break;
	case '[':
		vt->vt_state = VS_CSI;
		vt->vt_private = false;
		vt->vt_nparam = 0;
		memset(vt->vt_param, 0, sizeof(vt->vt_param));
		break;
	case '(':	/* character set designations: one more byte */
	case ')':
	case '#':
		vt->vt_state = VS_SKIP;
		break;
	default:
		break;
	}
}

/*
 * A byte inside a CSI sequence: digits and ';' build the parameters,
 * '?' marks a private one, a byte from 0x40 to 0x7e ends it.
 */
static void
vgatext_csi_byte(struct vgatext_softc *vt, int c)
{
	if (c >= '0' && c <= '9') {
		if (vt->vt_nparam == 0)
			vt->vt_nparam = 1;
		if (vt->vt_nparam <= VGA_NPARAM &&
		    vt->vt_param[vt->vt_nparam - 1] < 10000)
			vt->vt_param[vt->vt_nparam - 1] =
			    vt->vt_param[vt->vt_nparam - 1] * 10 + c - '0';
	} else if (c == ';') {
		if (vt->vt_nparam == 0)
			vt->vt_nparam = 1;
		if (vt->vt_nparam < VGA_NPARAM + 1)
			vt->vt_nparam++;
	} else if (c == '?' || c == '>' || c == '=') {
		vt->vt_private = true;
	} else if (c >= 0x40 && c <= 0x7e) {
		vt->vt_nparam = MIN(vt->vt_nparam, VGA_NPARAM);
		vt->vt_state = VS_GROUND;
		vgatext_csi(vt, c);
	}
}

/*
 * Draw one character or act on one byte of an escape sequence.  '\n'
 * starts a new line when crlf (the kernel's lines end in a bare '\n') and
 * is a line feed only otherwise (a terminal's output, whose ONLCR already
 * added the '\r'); '\r' returns to the first column, '\b' moves one
 * column left without erasing (as a terminal does: erasing is "\b \b"),
 * '\t' moves to the next multiple of 8, ESC starts a sequence (see the
 * top of the file), CAN and SUB cancel one.  Other control characters
 * are ignored; bytes from 0x80 up show their code page 437 glyphs.  As on
 * a VT100, a character written in the last column leaves the cursor there
 * and the line wraps only when the next character comes, so a line of
 * exactly 80 characters followed by '\n' takes one screen line, not two.
 * Called with cons_lock held.
 */
static void
vgatext_emit(struct vgatext_softc *vt, int c, bool crlf)
{
	c &= 0xff;
	switch (c) {
	case '\n':
	case '\v':
	case '\f':
		if (crlf)
			vgatext_newline(vt);
		else
			vgatext_linefeed(vt);
		return;
	case '\r':
		vt->vt_col = 0;
		vt->vt_wrapnext = false;
		return;
	case '\b':
		if (vt->vt_wrapnext)
			vt->vt_wrapnext = false;
		else if (vt->vt_col > 0)
			vt->vt_col--;
		return;
	case '\t':
		if (!vt->vt_wrapnext)
			vt->vt_col = MIN(roundup2(vt->vt_col + 1, VGA_TABSTOP),
			    vt->vt_cols - 1);
		return;
	case 0x1b:
		vt->vt_state = VS_ESC;
		return;
	case 0x18:	/* CAN */
	case 0x1a:	/* SUB */
		vt->vt_state = VS_GROUND;
		return;
	default:
		break;
	}
	if (c < ' ')
		return;
	switch (vt->vt_state) {
	case VS_ESC:
		vgatext_esc(vt, c);
		return;
	case VS_CSI:
		vgatext_csi_byte(vt, c);
		return;
	case VS_SKIP:
		vt->vt_state = VS_GROUND;
		return;
	case VS_GROUND:
		break;
	}
	if (c == 0x7f)
		return;
	if (vt->vt_wrapnext)
		vgatext_newline(vt);
	vt->vt_mem[vt->vt_row * vt->vt_cols + vt->vt_col] = vgatext_cell(vt, c);
	if (vt->vt_col + 1 < vt->vt_cols)
		vt->vt_col++;
	else
		vt->vt_wrapnext = true;
}

/* The kernel's output: '\n' is a new line.  cons_lock held. */
static void
vgatext_putc(struct consdev *cn, int c)
{
	struct vgatext_softc *vt = cn->cn_arg;

	vgatext_emit(vt, c, true);
	vgatext_setcursor(vt);
}

/* A terminal's output: '\n' is a line feed.  cons_lock held. */
static void
vgatext_putc_raw(struct consdev *cn, int c)
{
	struct vgatext_softc *vt = cn->cn_arg;

	vgatext_emit(vt, c, false);
	vgatext_setcursor(vt);
}

/*
 * Take over the VGA text screen at physical address pa, cols x rows cells:
 * clear it, home the cursor, and register the console.  Called by
 * consinit() with nothing else running.  Returns 0, or -EINVAL when the
 * size is not one a VGA text mode has.
 */
int
vgatext_cnattach(paddr_t pa, uint32_t cols, uint32_t rows)
{
	struct vgatext_softc *vt = &vgatext_sc;

	if (cols < 40 || cols > VGA_MAXCOLS || rows < 20 ||
	    rows > VGA_MAXROWS)
		return -EINVAL;
	vt->vt_mem = PHYS_TO_DMAP(pa);
	vt->vt_cols = (int)cols;
	vt->vt_rows = (int)rows;
	vt->vt_attr = VGA_ATTR_DEFAULT;
	vt->vt_row = 0;
	vt->vt_col = 0;
	vt->vt_wrapnext = false;
	vt->vt_hwcursor = true;
	vgatext_reset(vt);
	vgatext_clear(vt, 0, vt->vt_cols * vt->vt_rows);
	vgatext_setcursor(vt);
	vgatext_cons.cn_rows = (uint16_t)rows;
	vgatext_cons.cn_cols = (uint16_t)cols;
	cons_register(&vgatext_cons);
	kprintf("vga: %ux%u text at %#lx\n", cols, rows, pa);
	return 0;
}

/*
 * In-kernel test: the layout rules on a 10x3 screen in memory (the real
 * screen and its cursor are not touched).
 */
#define VGATEXT_KT_COLS	10
#define VGATEXT_KT_ROWS	3

static uint16_t vgatext_kt_mem[VGATEXT_KT_COLS * VGATEXT_KT_ROWS];

/* Does row hold the text want (blank-padded)? */
static bool
vgatext_kt_row(const struct vgatext_softc *vt, int row, const char *want)
{
	int col, c;

	for (col = 0; col < vt->vt_cols; col++) {
		c = *want != '\0' ? (unsigned char)*want++ : ' ';
		if (vt->vt_mem[row * vt->vt_cols + col] !=
		    ((VGA_ATTR_DEFAULT << 8) | c)) {
			kprintf("ktest: vgatext: row %d col %d is %#x, "
			    "want '%c'\n", row, col,
			    vt->vt_mem[row * vt->vt_cols + col], c);
			return false;
		}
	}
	return true;
}

/* A 10x3 screen in memory, reset, with its console device. */
static void
vgatext_kt_setup(struct vgatext_softc *vt, struct consdev *cn)
{
	memset(vt, 0, sizeof(*vt));
	vt->vt_mem = vgatext_kt_mem;
	vt->vt_cols = VGATEXT_KT_COLS;
	vt->vt_rows = VGATEXT_KT_ROWS;
	vt->vt_attr = VGA_ATTR_DEFAULT;
	vt->vt_hwcursor = false;
	memset(cn, 0, sizeof(*cn));
	cn->cn_name = "vgatest";
	cn->cn_arg = vt;
	vgatext_reset(vt);
}

static void
vgatext_kt_puts(struct consdev *cn, const char *s)
{
	while (*s != '\0')
		vgatext_putc(cn, (unsigned char)*s++);
}

KTEST(vgatext_layout)
{
	struct vgatext_softc vt;
	struct consdev cn;

	vgatext_kt_setup(&vt, &cn);
	vgatext_clear(&vt, 0, VGATEXT_KT_COLS * VGATEXT_KT_ROWS);
	vgatext_kt_puts(&cn, "ab\tc");
	KT_ASSERT(vgatext_kt_row(&vt, 0, "ab      c"));
	KT_ASSERT(vt.vt_row == 0 && vt.vt_col == 9);
	/* The 10th column: no wrap until the next character... */
	vgatext_kt_puts(&cn, "d");
	KT_ASSERT(vt.vt_col == 9 && vt.vt_wrapnext);
	/* ...and a '\n' right after a full line is one line, not two. */
	vgatext_kt_puts(&cn, "\n0123456789X");
	KT_ASSERT(vgatext_kt_row(&vt, 0, "ab      cd"));
	KT_ASSERT(vgatext_kt_row(&vt, 1, "0123456789"));
	KT_ASSERT(vgatext_kt_row(&vt, 2, "X"));
	/* The next line scrolls everything up by one. */
	vgatext_kt_puts(&cn, "\nAB\bC\x01");
	KT_ASSERT(vgatext_kt_row(&vt, 0, "0123456789"));
	KT_ASSERT(vgatext_kt_row(&vt, 1, "X"));
	KT_ASSERT(vgatext_kt_row(&vt, 2, "AC"));
	KT_ASSERT(vt.vt_row == 2 && vt.vt_col == 2);
	vgatext_kt_puts(&cn, "\rZ\t\t\tT");
	KT_ASSERT(vgatext_kt_row(&vt, 2, "ZC       T"));
	return 0;
}

/* The terminal's escape sequences, on the same 10x3 screen in memory. */
KTEST(vgatext_ansi)
{
	struct vgatext_softc vt;
	struct consdev cn;

	vgatext_kt_setup(&vt, &cn);
	/* ED 2, CUP, text; HVP and CUU/CUD/CUF/CUB move without drawing. */
	vgatext_kt_puts(&cn, "junk\x1b[2J\x1b[2;3Hxy\x1b[1;1fA\x1b[2B"
	    "\x1b[3CB\x1b[1A\x1b[2DC");
	KT_ASSERT(vgatext_kt_row(&vt, 0, "A"));
	KT_ASSERT(vgatext_kt_row(&vt, 1, "  xC"));
	KT_ASSERT(vgatext_kt_row(&vt, 2, "    B"));
	/* EL 0 from the cursor, EL 1 up to it. */
	vgatext_kt_puts(&cn, "\x1b[2;4H\x1b[K\x1b[3;3H\x1b[1K");
	KT_ASSERT(vgatext_kt_row(&vt, 1, "  x"));
	KT_ASSERT(vgatext_kt_row(&vt, 2, "    B"));
	/* Raw output: '\n' is a line feed alone; at the bottom it scrolls. */
	vgatext_kt_puts(&cn, "\x1b[3;1H");
	vgatext_putc_raw(&cn, 'Q');
	vgatext_putc_raw(&cn, '\n');
	KT_ASSERT(vt.vt_row == 2 && vt.vt_col == 1);
	KT_ASSERT(vgatext_kt_row(&vt, 0, "  x"));
	KT_ASSERT(vgatext_kt_row(&vt, 1, "Q   B"));
	KT_ASSERT(vgatext_kt_row(&vt, 2, ""));
	/* IL and DL at row 1; a scroll region of rows 2-3 with RI. */
	vgatext_kt_puts(&cn, "\x1b[2H\x1b[L");
	KT_ASSERT(vgatext_kt_row(&vt, 1, ""));
	KT_ASSERT(vgatext_kt_row(&vt, 2, "Q   B"));
	vgatext_kt_puts(&cn, "\x1b[M");
	KT_ASSERT(vgatext_kt_row(&vt, 1, "Q   B"));
	KT_ASSERT(vgatext_kt_row(&vt, 2, ""));
	vgatext_kt_puts(&cn, "\x1b[2;3r\x1b[2;1H\x1bMR");
	KT_ASSERT(vgatext_kt_row(&vt, 0, "  x"));
	KT_ASSERT(vgatext_kt_row(&vt, 1, "R"));
	KT_ASSERT(vgatext_kt_row(&vt, 2, "Q   B"));
	/* DECSC/DECRC, ICH, DCH. */
	vgatext_kt_puts(&cn, "\x1b[r\x1b[3;2H\x1b" "7\x1b[1;1H\x1b" "8\x1b[2@");
	KT_ASSERT(vgatext_kt_row(&vt, 2, "Q     B"));
	vgatext_kt_puts(&cn, "\x1b[3P");
	KT_ASSERT(vgatext_kt_row(&vt, 2, "Q  B"));
	/* SGR: red on blue, bold bright, reverse; 0 resets. */
	vgatext_kt_puts(&cn, "\x1b[1;1H\x1b[31;44mr\x1b[1mb\x1b[0;7mv\x1b[m");
	KT_ASSERT(vt.vt_mem[0] == (0x14 << 8 | 'r'));
	KT_ASSERT(vt.vt_mem[1] == (0x1c << 8 | 'b'));
	KT_ASSERT(vt.vt_mem[2] == (0x70 << 8 | 'v'));
	KT_ASSERT(vt.vt_attr == VGA_ATTR_DEFAULT);
	/* Private modes and unknown finals are consumed, not drawn. */
	vgatext_kt_puts(&cn, "\x1b[?25l\x1b[5z\x1b(B.");
	KT_ASSERT(vt.vt_mem[3] == (VGA_ATTR_DEFAULT << 8 | '.'));
	return 0;
}
