/*
 * The framebuffer text console: characters drawn as 8x16 pixel glyphs on
 * the linear framebuffer the boot loader set up (a UEFI machine has no
 * text mode, so this is its only screen).
 *
 * The framebuffer is an array of fb_height lines of fb_pitch bytes; a
 * pixel is fb_bpp bits wide (16, 24 or 32) and holds its red, green and
 * blue intensities at the bit positions and with the sizes bootinfo gives
 * (multiboot2 specification, 3.6.12 "Framebuffer info").  The screen is
 * divided into cells of FONT_WIDTH x FONT_HEIGHT pixels, drawn from the
 * grid of the virtual console shown (dev/cons/termvar.h: a character and
 * its VGA attribute, whose 16 colours fc_pal holds as pixel values); the
 * cursor is its cell drawn inverted, and drawn plainly again from the
 * grid when it moves.
 *
 *	fc_base -> +---------------------------+  one cell: 8 x 16 pixels
 *	           | h e l l o _               |  _ : the cursor, inverted
 *	           |                           |
 *	           +---------------------------+  fc_rows x fc_cols cells
 *
 * Locking: cons_lock, held around every call from the terminal emulator,
 * the only code that touches the softc after fbcons_cnattach().
 */
#include <sys/bootinfo.h>
#include <sys/cons.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/param.h>
#include <sys/systm.h>

#include <dev/cons/font.h>
#include <dev/cons/screen.h>
#include <dev/cons/termvar.h>

/*
 * The largest text we draw: 1920x1440 (the virtual consoles' grids are
 * that big); a larger screen uses its top left part.
 */
#define FBCONS_MAXCOLS	240
#define FBCONS_MAXROWS	90
#define FBCONS_DMAP_END	(4ULL << 30)	/* what consinit() may reach */
#define FBCONS_NCOLORS	16

/*
 * Locks protecting members of this struct:
 *	I	immutable after fbcons_setup()
 *	c	cons_lock
 */
struct fbcons_softc {
	uint8_t		*fc_base;	/* [I] pixel (0,0), in the direct map */
	uint32_t	 fc_pitch;	/* [I] bytes per pixel line */
	int		 fc_bypp;	/* [I] bytes per pixel: 2, 3 or 4 */
	int		 fc_cols;	/* [I] text cells across */
	int		 fc_rows;	/* [I] text cells down */
	uint32_t	 fc_pal[FBCONS_NCOLORS]; /* [I] VGA colours as pixels */
	int		 fc_crow;	/* [c] the cursor drawn, -1: none */
	int		 fc_ccol;	/* [c] */
};

static struct fbcons_softc fbcons_sc;

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

/*
 * The 16 colours of the VGA text attribute, in IBM order: 0-7 at two
 * thirds of full intensity (brown's green at one third), 8-15 brighter
 * by a third (IBM VGA Technical Reference, the default palette).
 */
static void
fbcons_palette(struct fbcons_softc *fc, const struct bootfb *fb)
{
	uint8_t r, g, b, lo;
	int i;

	for (i = 0; i < FBCONS_NCOLORS; i++) {
		lo = i >= 8 ? 0x55 : 0;
		r = (i & 4) ? 0xaa + lo : lo;
		g = (i & 2) ? 0xaa + lo : lo;
		b = (i & 1) ? 0xaa + lo : lo;
		if (i == 6)
			g = 0x55;
		fc->fc_pal[i] = fbcons_color(fb, r, g, b);
	}
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

/*
 * Draw cell (row, col) holding cell (character and VGA attribute),
 * swapping ink and paper if invert (the cursor).
 */
static void
fbcons_drawcell(struct fbcons_softc *fc, int row, int col, uint16_t cell,
    bool invert)
{
	const uint8_t *glyph = font8x16_glyphs[cell & 0xff];
	uint32_t ink = fc->fc_pal[(cell >> 8) & 0x0f];
	uint32_t paper = fc->fc_pal[(cell >> 12) & 0x07];
	uint8_t *line = fc->fc_base + (size_t)row * FONT_HEIGHT * fc->fc_pitch +
	    (size_t)col * FONT_WIDTH * fc->fc_bypp;
	uint32_t t;
	int y, x;

	if (invert) {
		t = ink;
		ink = paper;
		paper = t;
	}
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

/* Cells [from, to) of the grid changed: draw them (the cursor's inverted). */
static void
fbcons_cells(void *arg, const uint16_t *cells, int from, int to)
{
	struct fbcons_softc *fc = arg;
	int i, row, col;

	for (i = from; i < to; i++) {
		row = i / fc->fc_cols;
		col = i % fc->fc_cols;
		fbcons_drawcell(fc, row, col, cells[i],
		    row == fc->fc_crow && col == fc->fc_ccol);
	}
}

/*
 * Rows [top, bot] moved by n (up when n > 0): move their pixels, draw the
 * rows uncovered, and the cell the cursor's image was moved to.
 */
static void
fbcons_scroll(void *arg, const uint16_t *cells, int top, int bot, int n)
{
	struct fbcons_softc *fc = arg;
	size_t rowbytes = (size_t)FONT_HEIGHT * fc->fc_pitch;
	int keep = bot - top + 1 - (n > 0 ? n : -n), moved;

	if (n > 0)
		memmove(fc->fc_base + top * rowbytes,
		    fc->fc_base + (top + n) * rowbytes, keep * rowbytes);
	else
		memmove(fc->fc_base + (top - n) * rowbytes,
		    fc->fc_base + top * rowbytes, keep * rowbytes);
	/* The cursor's image moved with its row: put both cells right. */
	moved = fc->fc_crow - n;
	if (fc->fc_crow >= top && fc->fc_crow <= bot) {
		if (moved >= top && moved <= bot)
			fbcons_drawcell(fc, moved, fc->fc_ccol,
			    cells[moved * fc->fc_cols + fc->fc_ccol], false);
		fbcons_drawcell(fc, fc->fc_crow, fc->fc_ccol,
		    cells[fc->fc_crow * fc->fc_cols + fc->fc_ccol], true);
	}
	if (n > 0)
		fbcons_cells(fc, cells, (bot + 1 - n) * fc->fc_cols,
		    (bot + 1) * fc->fc_cols);
	else
		fbcons_cells(fc, cells, top * fc->fc_cols,
		    (top - n) * fc->fc_cols);
}

/* The cursor moved: draw its old cell plainly and its new one inverted. */
static void
fbcons_cursor(void *arg, const uint16_t *cells, int row, int col,
    bool visible)
{
	struct fbcons_softc *fc = arg;
	int orow = fc->fc_crow, ocol = fc->fc_ccol;

	if (visible && orow == row && ocol == col)
		return;
	fc->fc_crow = -1;
	if (orow >= 0)
		fbcons_drawcell(fc, orow, ocol,
		    cells[orow * fc->fc_cols + ocol], false);
	if (!visible)
		return;
	fc->fc_crow = row;
	fc->fc_ccol = col;
	fbcons_drawcell(fc, row, col, cells[row * fc->fc_cols + col], true);
}

static const struct term_ops fbcons_ops = {
	.to_cells = fbcons_cells,
	.to_scroll = fbcons_scroll,
	.to_cursor = fbcons_cursor,
};

/*
 * Check that we can draw on the framebuffer fb describes and fill in fc
 * for it: the pixels at base (NULL: fb_addr in the direct map).  Paints
 * the screen black.  Returns 0, -EINVAL for a layout we cannot draw, or
 * -ERANGE when the framebuffer lies beyond the boot direct map (4 GiB).
 */
static int
fbcons_setup(struct fbcons_softc *fc, const struct bootfb *fb, uint8_t *base)
{
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
	fc->fc_base = base != NULL ? base : PHYS_TO_DMAP(fb->fb_addr);
	fc->fc_pitch = fb->fb_pitch;
	fc->fc_bypp = bypp;
	fc->fc_cols = (int)MIN(fb->fb_width / FONT_WIDTH, FBCONS_MAXCOLS);
	fc->fc_rows = (int)MIN(fb->fb_height / FONT_HEIGHT, FBCONS_MAXROWS);
	fbcons_palette(fc, fb);
	fc->fc_crow = -1;
	fc->fc_ccol = 0;
	/* The whole screen, also the margin the cells do not cover. */
	for (y = 0; y < fb->fb_height; y++)
		fbcons_fill(fc, fc->fc_base + (size_t)y * fc->fc_pitch,
		    fc->fc_pal[0], (int)fb->fb_width);
	return 0;
}

/*
 * Take over the framebuffer fb describes: check that we can draw on it,
 * paint it black, and hand it to the virtual consoles.  Called by
 * consinit() with nothing else running; the framebuffer must lie below
 * 4 GiB, in the boot direct map.  Returns
 * 0, -EINVAL for a layout it cannot draw, or -ERANGE when the framebuffer
 * is out of reach.
 */
int
fbcons_cnattach(const struct bootfb *fb)
{
	struct fbcons_softc *fc = &fbcons_sc;
	int error;

	if ((error = fbcons_setup(fc, fb, NULL)) < 0 ||
	    (error = vcons_attach(&fbcons_ops, fc, fc->fc_cols,
	    fc->fc_rows)) < 0)
		return error;
	kprintf("fb: %ux%u %u-bit framebuffer at %#lx, %dx%d text, font %s\n",
	    fb->fb_width, fb->fb_height, fb->fb_bpp, fb->fb_addr, fc->fc_cols,
	    fc->fc_rows, font8x16_name);
	return 0;
}

/*
 * In-kernel tests: the drawing code on a small framebuffer in memory, in
 * each pixel format we accept, showing a terminal emulator.  The real
 * screen is not touched.
 */
#define FBCONS_KT_WIDTH		36	/* 4 columns and a margin */
#define FBCONS_KT_HEIGHT	50	/* 3 rows and a margin */
#define FBCONS_KT_PAD		4	/* bytes past each pixel line */

static uint8_t fbcons_kt_fb[(FBCONS_KT_WIDTH * 4 + FBCONS_KT_PAD) *
    FBCONS_KT_HEIGHT] __aligned(8);
static uint16_t fbcons_kt_cells[4 * 3];

static uint32_t
fbcons_kt_pixel(const struct fbcons_softc *fc, int x, int y)
{
	const uint8_t *p = fc->fc_base + (size_t)y * fc->fc_pitch +
	    (size_t)x * fc->fc_bypp;

	switch (fc->fc_bypp) {
	case 4:
		return *(const uint32_t *)p;
	case 2:
		return *(const uint16_t *)p;
	default:
		return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
	}
}

/* Is cell (row, col) ch in colours fg on bg (swapped: invert) on screen? */
static bool
fbcons_kt_cell(const struct fbcons_softc *fc, int row, int col, int ch,
    int fg, int bg, bool invert)
{
	const uint8_t *glyph = font8x16_glyphs[ch];
	uint32_t ink = fc->fc_pal[invert ? bg : fg];
	uint32_t paper = fc->fc_pal[invert ? fg : bg];
	uint32_t got, want;
	int x, y;

	for (y = 0; y < FONT_HEIGHT; y++) {
		for (x = 0; x < FONT_WIDTH; x++) {
			got = fbcons_kt_pixel(fc, col * FONT_WIDTH + x,
			    row * FONT_HEIGHT + y);
			want = (glyph[y] & (0x80 >> x)) ? ink : paper;
			if (got != want) {
				kprintf("ktest: fbcons: cell %d,%d pixel "
				    "%d,%d is %#x, want %#x\n", row, col, x,
				    y, got, want);
				return false;
			}
		}
	}
	return true;
}

#define FBCONS_KT_GREY(fc, row, col, ch, inv) \
	fbcons_kt_cell((fc), (row), (col), (ch), 7, 0, (inv))

static void
fbcons_kt_puts(struct term *tm, const char *s)
{
	while (*s != '\0')
		term_putc(tm, (unsigned char)*s++, true);
}

/* One pixel format: draw, colour, wrap, scroll, the cursor. */
static int
fbcons_kt_format(int bpp, int rpos, int rsize, int gpos, int gsize,
    int bpos, int bsize, uint32_t grey)
{
	struct bootfb fb = {
		.fb_type = BOOTFB_RGB, .fb_addr = 0, .fb_bpp = (uint8_t)bpp,
		.fb_width = FBCONS_KT_WIDTH, .fb_height = FBCONS_KT_HEIGHT,
		.fb_red_pos = rpos, .fb_red_size = rsize,
		.fb_green_pos = gpos, .fb_green_size = gsize,
		.fb_blue_pos = bpos, .fb_blue_size = bsize,
	};
	struct fbcons_softc fc;
	struct term tm;

	fb.fb_pitch = FBCONS_KT_WIDTH * ((bpp + 7) / 8) + FBCONS_KT_PAD;
	memset(fbcons_kt_fb, 0x5a, sizeof(fbcons_kt_fb));
	KT_ASSERT(fbcons_setup(&fc, &fb, fbcons_kt_fb) == 0);
	KT_ASSERT(fc.fc_cols == 4 && fc.fc_rows == 3);
	KT_ASSERT(fc.fc_pal[7] == grey && fc.fc_pal[0] == 0);
	KT_ASSERT(fbcons_kt_pixel(&fc, FBCONS_KT_WIDTH - 1,
	    FBCONS_KT_HEIGHT - 1) == 0);
	term_init(&tm, fbcons_kt_cells, fc.fc_cols, fc.fc_rows);
	term_show(&tm, &fbcons_ops, &fc);
	KT_ASSERT(FBCONS_KT_GREY(&fc, 0, 0, ' ', true));
	KT_ASSERT(FBCONS_KT_GREY(&fc, 2, 3, ' ', false));

	fbcons_kt_puts(&tm, "Ab\t");
	KT_ASSERT(FBCONS_KT_GREY(&fc, 0, 0, 'A', false));
	KT_ASSERT(FBCONS_KT_GREY(&fc, 0, 1, 'b', false));
	KT_ASSERT(FBCONS_KT_GREY(&fc, 0, 3, ' ', true));
	/* Red on blue (SGR 31;44), then the default again. */
	fbcons_kt_puts(&tm, "\x1b[31;44mC\x1b[m\n");
	KT_ASSERT(fbcons_kt_cell(&fc, 0, 3, 'C', 4, 1, false));
	KT_ASSERT(FBCONS_KT_GREY(&fc, 1, 0, ' ', true));
	/* A full line, one more character, a new line: one scroll. */
	fbcons_kt_puts(&tm, "12345\n");
	KT_ASSERT(fbcons_kt_cell(&fc, 0, 3, '4', 7, 0, false));
	KT_ASSERT(FBCONS_KT_GREY(&fc, 0, 0, '1', false));
	KT_ASSERT(FBCONS_KT_GREY(&fc, 1, 0, '5', false));
	KT_ASSERT(FBCONS_KT_GREY(&fc, 1, 1, ' ', false));
	KT_ASSERT(FBCONS_KT_GREY(&fc, 2, 0, ' ', true));
	/* The cursor's image does not move with a scroll. */
	fbcons_kt_puts(&tm, "\x1b[1;3Hx\x1b[S");
	KT_ASSERT(FBCONS_KT_GREY(&fc, 0, 3, ' ', true));
	KT_ASSERT(FBCONS_KT_GREY(&fc, 0, 0, '5', false));
	KT_ASSERT(FBCONS_KT_GREY(&fc, 1, 3, ' ', false));
	/* Hidden cursor (DECTCEM): no inverted cell. */
	fbcons_kt_puts(&tm, "\x1b[?25l");
	KT_ASSERT(FBCONS_KT_GREY(&fc, 0, 3, ' ', false));
	KT_ASSERT(fbcons_kt_pixel(&fc, FBCONS_KT_WIDTH - 1,
	    FBCONS_KT_HEIGHT - 1) == 0);
	return 0;
}

KTEST(fbcons_draw)
{
	struct fbcons_softc fc;
	struct bootfb fb = {
		.fb_type = BOOTFB_RGB, .fb_bpp = 32, .fb_pitch = 4096,
		.fb_width = 1024, .fb_height = 768, .fb_red_pos = 16,
		.fb_red_size = 8, .fb_green_pos = 8, .fb_green_size = 8,
		.fb_blue_size = 8,
	};

	/* x8r8g8b8 (QEMU, OVMF), r8g8b8 (GRUB's VBE modes), r5g6b5. */
	KT_ASSERT(fbcons_kt_format(32, 16, 8, 8, 8, 0, 8, 0xaaaaaa) == 0);
	KT_ASSERT(fbcons_kt_format(24, 16, 8, 8, 8, 0, 8, 0xaaaaaa) == 0);
	KT_ASSERT(fbcons_kt_format(16, 11, 5, 5, 6, 0, 5,
	    (0xaa >> 3) << 11 | (0xaa >> 2) << 5 | (0xaa >> 3)) == 0);
	/* What we refuse: out of the boot map, 8-bit pixels, text mode. */
	fb.fb_addr = 0xfff00000;	/* 3 MiB from here crosses 4 GiB */
	KT_ASSERT(fbcons_setup(&fc, &fb, fbcons_kt_fb) == -ERANGE);
	fb.fb_addr = 0x100000000ULL;
	KT_ASSERT(fbcons_setup(&fc, &fb, NULL) == -ERANGE);
	fb.fb_addr = 0;
	fb.fb_bpp = 8;
	KT_ASSERT(fbcons_setup(&fc, &fb, NULL) == -EINVAL);
	fb.fb_bpp = 32;
	fb.fb_type = BOOTFB_VGATEXT;
	KT_ASSERT(fbcons_setup(&fc, &fb, NULL) == -EINVAL);
	return 0;
}
