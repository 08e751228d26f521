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

	outb(VGA_CRTC_INDEX, VGA_CRTC_CURSOR_HI);
	outb(VGA_CRTC_DATA, pos >> 8);
	outb(VGA_CRTC_INDEX, VGA_CRTC_CURSOR_LO);
	outb(VGA_CRTC_DATA, pos & 0xff);
}

static void
vgatext_newline(struct vgatext_softc *vt)
{
	vt->vt_col = 0;
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
 * bytes from 0x80 up show their code page 437 glyphs.  Called with
 * cons_lock held.
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
		break;
	case '\b':
		if (vt->vt_col > 0)
			vt->vt_col--;
		break;
	case '\t':
		vt->vt_col = roundup2(vt->vt_col + 1, VGA_TABSTOP);
		if (vt->vt_col >= vt->vt_cols)
			vgatext_newline(vt);
		break;
	default:
		if (c < ' ' || c == 0x7f)
			return;
		vt->vt_mem[vt->vt_row * vt->vt_cols + vt->vt_col] =
		    vgatext_cell(vt, c);
		if (++vt->vt_col == vt->vt_cols)
			vgatext_newline(vt);
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
	vgatext_clear(vt, 0, vt->vt_cols * vt->vt_rows);
	vgatext_setcursor(vt);
	cons_register(&vgatext_cons);
	kprintf("vga: %ux%u text at %#lx\n", cols, rows, pa);
	return 0;
}
