/*
 * The framebuffer text console: characters drawn as 8x16 pixel glyphs on
 * the linear framebuffer the boot loader set up (a UEFI machine has no
 * text mode, so this is its only screen).
 *
 * The framebuffer is an array of fb_height lines of fb_pitch bytes; a
 * pixel is fb_bpp bits wide (16, 24 or 32) and holds its red, green and
 * blue intensities at the bit positions and with the sizes bootinfo gives
 * (multiboot2 specification, 3.6.12 "Framebuffer info").  The screen is
 * divided into cells of FONT_WIDTH x FONT_HEIGHT pixels; fc_text keeps the
 * character of every cell so that the cursor, drawn as an inverted cell,
 * can be taken away again.
 *
 *	fc_base -> +---------------------------+  one cell: 8 x 16 pixels
 *	           | h e l l o _               |  _ : the cursor, inverted
 *	           |                           |
 *	           +---------------------------+  fc_rows x fc_cols cells
 *
 * Locking: the console's output path holds cons_lock around every
 * fbcons_putc(), the only code that touches the softc after
 * fbcons_cnattach().
 */
#include <sys/bootinfo.h>
#include <sys/cons.h>
#include <sys/errno.h>
#include <sys/param.h>
#include <sys/systm.h>

#include <dev/cons/font.h>
#include <dev/cons/screen.h>

/*
 * The text kept for the cursor: enough for 1920x1440; a larger screen
 * uses its top left part.
 */
#define FBCONS_MAXCOLS	240
#define FBCONS_MAXROWS	90
#define FBCONS_TABSTOP	8
#define FBCONS_DMAP_END	(4ULL << 30)	/* what consinit() may reach */

/*
 * Locks protecting members of this struct:
 *	I	immutable after fbcons_cnattach()
 *	c	cons_lock
 */
struct fbcons_softc {
	uint8_t		*fc_base;	/* [I] pixel (0,0), via the direct map */
	uint32_t	 fc_pitch;	/* [I] bytes per pixel line */
	int		 fc_bypp;	/* [I] bytes per pixel: 2, 3 or 4 */
	int		 fc_cols;	/* [I] text cells across */
	int		 fc_rows;	/* [I] text cells down */
	uint32_t	 fc_fg;		/* [I] pixel value of the ink */
	uint32_t	 fc_bg;		/* [I] pixel value of the paper */
	int		 fc_row;	/* [c] cursor */
	int		 fc_col;	/* [c] */
	uint8_t		 fc_text[FBCONS_MAXROWS][FBCONS_MAXCOLS]; /* [c] */
};

static void	fbcons_putc(struct consdev *cn, int c);

static struct fbcons_softc fbcons_sc;
static struct consdev fbcons_cons = {
	.cn_name = "fb",
	.cn_putc = fbcons_putc,
	.cn_arg = &fbcons_sc,
};

/* An 8-bit intensity scaled to a channel of size bits at bit pos. */
static uint32_t
fbcons_channel(uint8_t v, uint8_t pos, uint8_t size)
{
	uint32_t x;

	if (size == 0)
		return 0;
	x = size >= 8 ? (uint32_t)v << (size - 8) : (uint32_t)v >> (8 - size);
	return x << pos;
}

static uint32_t
fbcons_color(const struct bootfb *fb, uint8_t r, uint8_t g, uint8_t b)
{
	return fbcons_channel(r, fb->fb_red_pos, fb->fb_red_size) |
	    fbcons_channel(g, fb->fb_green_pos, fb->fb_green_size) |
	    fbcons_channel(b, fb->fb_blue_pos, fb->fb_blue_size);
}

/* Fill n pixels from p with the value v (little-endian in memory). */
static void
fbcons_fill(const struct fbcons_softc *fc, uint8_t *p, uint32_t v, int n)
{
	int i;

	switch (fc->fc_bypp) {
	case 4:
		for (i = 0; i < n; i++)
			((uint32_t *)p)[i] = v;
		break;
	case 2:
		for (i = 0; i < n; i++)
			((uint16_t *)p)[i] = (uint16_t)v;
		break;
	default:
		for (i = 0; i < n; i++, p += 3) {
			p[0] = v & 0xff;
			p[1] = (v >> 8) & 0xff;
			p[2] = (v >> 16) & 0xff;
		}
		break;
	}
}

/* Draw cell (row, col) from fc_text, swapping ink and paper if invert. */
static void
fbcons_drawcell(struct fbcons_softc *fc, int row, int col, bool invert)
{
	const uint8_t *glyph = font8x16_glyphs[fc->fc_text[row][col]];
	uint32_t ink = invert ? fc->fc_bg : fc->fc_fg;
	uint32_t paper = invert ? fc->fc_fg : fc->fc_bg;
	uint8_t *line = fc->fc_base + (size_t)row * FONT_HEIGHT * fc->fc_pitch +
	    (size_t)col * FONT_WIDTH * fc->fc_bypp;
	int y, x;

	for (y = 0; y < FONT_HEIGHT; y++, line += fc->fc_pitch) {
		uint8_t bits = glyph[y];

		if (fc->fc_bypp == 4) {
			/* The common case, written out for speed. */
			for (x = 0; x < FONT_WIDTH; x++)
				((uint32_t *)line)[x] =
				    (bits & (0x80 >> x)) ? ink : paper;
			continue;
		}
		for (x = 0; x < FONT_WIDTH; x++)
			fbcons_fill(fc, line + x * fc->fc_bypp,
			    (bits & (0x80 >> x)) ? ink : paper, 1);
	}
}

/* Paint pixel lines [y0, y1) with the paper colour, across the text. */
static void
fbcons_clearlines(struct fbcons_softc *fc, int y0, int y1)
{
	int y;

	for (y = y0; y < y1; y++)
		fbcons_fill(fc, fc->fc_base + (size_t)y * fc->fc_pitch,
		    fc->fc_bg, fc->fc_cols * FONT_WIDTH);
}

/* Move the text up by one row: pixels and fc_text; blank the last row. */
static void
fbcons_scroll(struct fbcons_softc *fc)
{
	size_t rowbytes = (size_t)FONT_HEIGHT * fc->fc_pitch;
	int last = fc->fc_rows - 1;

	memmove(fc->fc_base, fc->fc_base + rowbytes, last * rowbytes);
	memmove(fc->fc_text[0], fc->fc_text[1],
	    (size_t)last * sizeof(fc->fc_text[0]));
	memset(fc->fc_text[last], ' ', sizeof(fc->fc_text[last]));
	fbcons_clearlines(fc, last * FONT_HEIGHT, fc->fc_rows * FONT_HEIGHT);
}

static void
fbcons_newline(struct fbcons_softc *fc)
{
	fc->fc_col = 0;
	if (++fc->fc_row == fc->fc_rows) {
		fbcons_scroll(fc);
		fc->fc_row = fc->fc_rows - 1;
	}
}

/*
 * Draw one character, with the same rules as the VGA text console: '\n'
 * new line, '\r' first column, '\b' one column left, '\t' next multiple
 * of 8, other control characters ignored.  Called with cons_lock held.
 */
static void
fbcons_putc(struct consdev *cn, int c)
{
	struct fbcons_softc *fc = cn->cn_arg;

	c &= 0xff;
	if (c < ' ' && c != '\n' && c != '\r' && c != '\b' && c != '\t')
		return;
	if (c == 0x7f)
		return;
	/* Take the cursor away, act, put it back where we end up. */
	fbcons_drawcell(fc, fc->fc_row, fc->fc_col, false);
	switch (c) {
	case '\n':
		fbcons_newline(fc);
		break;
	case '\r':
		fc->fc_col = 0;
		break;
	case '\b':
		if (fc->fc_col > 0)
			fc->fc_col--;
		break;
	case '\t':
		fc->fc_col = roundup2(fc->fc_col + 1, FBCONS_TABSTOP);
		if (fc->fc_col >= fc->fc_cols)
			fbcons_newline(fc);
		break;
	default:
		fc->fc_text[fc->fc_row][fc->fc_col] = (uint8_t)c;
		fbcons_drawcell(fc, fc->fc_row, fc->fc_col, false);
		if (++fc->fc_col == fc->fc_cols)
			fbcons_newline(fc);
		break;
	}
	fbcons_drawcell(fc, fc->fc_row, fc->fc_col, true);
}

/*
 * Take over the framebuffer fb describes: check that we can draw on it,
 * paint it black, and register the console (light grey on black, like
 * the VGA text screen).  Called by consinit() with nothing else running;
 * the framebuffer must lie below 4 GiB, in the boot direct map.  Returns
 * 0, -EINVAL for a layout it cannot draw, or -ERANGE when the framebuffer
 * is out of reach.
 */
int
fbcons_cnattach(const struct bootfb *fb)
{
	struct fbcons_softc *fc = &fbcons_sc;
	int bypp = (fb->fb_bpp + 7) / 8;
	uint32_t y;

	if (fb->fb_type != BOOTFB_RGB || (bypp != 2 && bypp != 3 &&
	    bypp != 4) || fb->fb_pitch < fb->fb_width * (uint32_t)bypp ||
	    fb->fb_width < 2 * FONT_WIDTH || fb->fb_height < 2 * FONT_HEIGHT ||
	    fb->fb_red_pos + fb->fb_red_size > fb->fb_bpp ||
	    fb->fb_green_pos + fb->fb_green_size > fb->fb_bpp ||
	    fb->fb_blue_pos + fb->fb_blue_size > fb->fb_bpp)
		return -EINVAL;
	if (fb->fb_addr >= FBCONS_DMAP_END || (uint64_t)fb->fb_pitch *
	    fb->fb_height > FBCONS_DMAP_END - fb->fb_addr)
		return -ERANGE;
	fc->fc_base = PHYS_TO_DMAP(fb->fb_addr);
	fc->fc_pitch = fb->fb_pitch;
	fc->fc_bypp = bypp;
	fc->fc_cols = (int)MIN(fb->fb_width / FONT_WIDTH, FBCONS_MAXCOLS);
	fc->fc_rows = (int)MIN(fb->fb_height / FONT_HEIGHT, FBCONS_MAXROWS);
	fc->fc_fg = fbcons_color(fb, 0xaa, 0xaa, 0xaa);
	fc->fc_bg = fbcons_color(fb, 0, 0, 0);
	fc->fc_row = 0;
	fc->fc_col = 0;
	memset(fc->fc_text, ' ', sizeof(fc->fc_text));
	/* The whole screen, also the margin the cells do not cover. */
	for (y = 0; y < fb->fb_height; y++)
		fbcons_fill(fc, fc->fc_base + (size_t)y * fc->fc_pitch,
		    fc->fc_bg, (int)fb->fb_width);
	fbcons_drawcell(fc, 0, 0, true);
	cons_register(&fbcons_cons);
	kprintf("fb: %ux%u %u-bit framebuffer at %#lx, %dx%d text, font %s\n",
	    fb->fb_width, fb->fb_height, fb->fb_bpp, fb->fb_addr, fc->fc_cols,
	    fc->fc_rows, font8x16_name);
	return 0;
}
