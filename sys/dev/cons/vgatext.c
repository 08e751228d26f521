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
};

static void	vgatext_putc(struct consdev *cn, int c);

static struct vgatext_softc vgatext_sc;
static struct consdev vgatext_cons = {
	.cn_name = "vga",
	.cn_putc = vgatext_putc,
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

/* Move every line up by one and blank the last. */
static void
vgatext_scroll(struct vgatext_softc *vt)
{
	int i, n = (vt->vt_rows - 1) * vt->vt_cols;

	for (i = 0; i < n; i++)
		vt->vt_mem[i] = vt->vt_mem[i + vt->vt_cols];
	vgatext_clear(vt, n, n + vt->vt_cols);
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

static void
vgatext_newline(struct vgatext_softc *vt)
{
	vt->vt_col = 0;
	vt->vt_wrapnext = false;
	if (++vt->vt_row == vt->vt_rows) {
		vgatext_scroll(vt);
		vt->vt_row = vt->vt_rows - 1;
	}
}

/*
 * Draw one character.  '\n' starts a new line (the kernel's lines end in
 * a bare '\n'), '\r' returns to the first column, '\b' moves one column
 * left without erasing (as a terminal does: erasing is "\b \b"), '\t'
 * moves to the next multiple of 8.  Other control characters are ignored;
 * bytes from 0x80 up show their code page 437 glyphs.  As on a VT100, a
 * character written in the last column leaves the cursor there and the
 * line wraps only when the next character comes, so a line of exactly 80
 * characters followed by '\n' takes one screen line, not two.  Called
 * with cons_lock held.
 */
static void
vgatext_putc(struct consdev *cn, int c)
{
	struct vgatext_softc *vt = cn->cn_arg;

	c &= 0xff;
	switch (c) {
	case '\n':
		vgatext_newline(vt);
		break;
	case '\r':
		vt->vt_col = 0;
		vt->vt_wrapnext = false;
		break;
	case '\b':
		if (vt->vt_wrapnext)
			vt->vt_wrapnext = false;
		else if (vt->vt_col > 0)
			vt->vt_col--;
		break;
	case '\t':
		if (!vt->vt_wrapnext)
			vt->vt_col = MIN(roundup2(vt->vt_col + 1, VGA_TABSTOP),
			    vt->vt_cols - 1);
		break;
	default:
		if (c < ' ' || c == 0x7f)
			return;
		if (vt->vt_wrapnext)
			vgatext_newline(vt);
		vt->vt_mem[vt->vt_row * vt->vt_cols + vt->vt_col] =
		    vgatext_cell(vt, c);
		if (vt->vt_col + 1 < vt->vt_cols)
			vt->vt_col++;
		else
			vt->vt_wrapnext = true;
		break;
	}
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
	vgatext_clear(vt, 0, vt->vt_cols * vt->vt_rows);
	vgatext_setcursor(vt);
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

static void
vgatext_kt_puts(struct consdev *cn, const char *s)
{
	while (*s != '\0')
		vgatext_putc(cn, (unsigned char)*s++);
}

KTEST(vgatext_layout)
{
	struct vgatext_softc vt = {
		.vt_mem = vgatext_kt_mem, .vt_cols = VGATEXT_KT_COLS,
		.vt_rows = VGATEXT_KT_ROWS, .vt_attr = VGA_ATTR_DEFAULT,
		.vt_hwcursor = false,
	};
	struct consdev cn = { .cn_name = "vgatest", .cn_arg = &vt };

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
	vgatext_kt_puts(&cn, "\nAB\bC\x01\x1b");
	KT_ASSERT(vgatext_kt_row(&vt, 0, "0123456789"));
	KT_ASSERT(vgatext_kt_row(&vt, 1, "X"));
	KT_ASSERT(vgatext_kt_row(&vt, 2, "AC"));
	KT_ASSERT(vt.vt_row == 2 && vt.vt_col == 2);
	vgatext_kt_puts(&cn, "\rZ\t\t\tT");
	KT_ASSERT(vgatext_kt_row(&vt, 2, "ZC       T"));
	return 0;
}
