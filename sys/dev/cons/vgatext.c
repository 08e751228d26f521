/*
 * The VGA text screen: the 80x25 screen of character cells that the BIOS
 * (and GRUB on a BIOS machine) leaves behind, showing one virtual console
 * (dev/cons/vcons.c) at a time.
 *
 * Video memory at physical 0xb8000 holds one 16-bit cell per character,
 * row after row: the low byte is the character (code page 437 on a PC),
 * the high byte its attribute (bits 0-3 foreground colour, 4-6 background,
 * 7 blink) - the layout the terminal emulator's grid (dev/cons/termvar.h)
 * uses, so drawing is a copy.  The blinking cursor is not part of that
 * memory: the CRT controller draws it at the cell whose index is in its
 * Cursor Location registers (0x0e high byte, 0x0f low byte), and hides it
 * when bit 5 of the Cursor Start register (0x0a) is set; they are reached
 * through an index port (0x3d4) and a data port (0x3d5) (IBM VGA
 * Technical Reference, "CRT Controller Registers").
 *
 * Locking: cons_lock, held around every call from the terminal emulator;
 * the softc is immutable after vgatext_cnattach().
 */
#include <sys/cons.h>
#include <sys/errno.h>
#include <sys/param.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>

#include <dev/cons/screen.h>
#include <dev/cons/termvar.h>

#define VGA_CRTC_INDEX		0x3d4
#define VGA_CRTC_DATA		0x3d5
#define VGA_CRTC_CURSOR_START	0x0a
#define VGA_CRTC_CURSOR_HI	0x0e
#define VGA_CRTC_CURSOR_LO	0x0f
#define VGA_CURSOR_OFF		0x20	/* in Cursor Start */

#define VGA_MAXCOLS		132
#define VGA_MAXROWS		60

/*
 * Locks protecting members of this struct:
 *	I	immutable after vgatext_cnattach()
 */
struct vgatext_softc {
	volatile uint16_t *vt_mem;	/* [I] the cells, via the direct map */
	int		 vt_cols;	/* [I] */
	int		 vt_rows;	/* [I] */
};

static struct vgatext_softc vgatext_sc;

/* Cells [from, to) of the grid changed: copy them to video memory. */
static void
vgatext_cells(void *arg, const uint16_t *cells, int from, int to)
{
	struct vgatext_softc *vt = arg;
	int i;

	for (i = from; i < to; i++)
		vt->vt_mem[i] = cells[i];
}

/* Tell the CRT controller where to draw the cursor, and whether to. */
static void
vgatext_cursor(void *arg, const uint16_t *cells, int row, int col,
    bool visible)
{
	struct vgatext_softc *vt = arg;
	uint16_t pos = (uint16_t)(row * vt->vt_cols + col);
	uint8_t start;

	(void)cells;
	outb(VGA_CRTC_INDEX, VGA_CRTC_CURSOR_HI);
	outb(VGA_CRTC_DATA, pos >> 8);
	outb(VGA_CRTC_INDEX, VGA_CRTC_CURSOR_LO);
	outb(VGA_CRTC_DATA, pos & 0xff);
	outb(VGA_CRTC_INDEX, VGA_CRTC_CURSOR_START);
	start = inb(VGA_CRTC_DATA);
	if (visible == ((start & VGA_CURSOR_OFF) != 0)) {
		start ^= VGA_CURSOR_OFF;
		outb(VGA_CRTC_DATA, start);
	}
}

static const struct term_ops vgatext_ops = {
	.to_cells = vgatext_cells,
	.to_scroll = NULL,	/* a copy of the rows is as fast */
	.to_cursor = vgatext_cursor,
};

/*
 * Take over the VGA text screen at physical address pa, cols x rows cells:
 * the virtual consoles draw on it from now on (vcons_attach clears it).
 * Called by consinit() with nothing else running.  Returns 0, or -EINVAL
 * when the size is not one a VGA text mode has.
 */
int
vgatext_cnattach(paddr_t pa, uint32_t cols, uint32_t rows)
{
	struct vgatext_softc *vt = &vgatext_sc;
	int error;

	if (cols < 40 || cols > VGA_MAXCOLS || rows < 20 ||
	    rows > VGA_MAXROWS)
		return -EINVAL;
	vt->vt_mem = PHYS_TO_DMAP(pa);
	vt->vt_cols = (int)cols;
	vt->vt_rows = (int)rows;
	if ((error = vcons_attach(&vgatext_ops, vt, vt->vt_cols,
	    vt->vt_rows)) < 0)
		return error;
	kprintf("vga: %ux%u text at %#lx\n", cols, rows, pa);
	return 0;
}
