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
#include <sys/ktest.h>
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
	uint8_t		*fc_base;	/* [I] pixel (0,0), in the direct map */
	uint32_t	 fc_pitch;	/* [I] bytes per pixel line */
	int		 fc_bypp;	/* [I] bytes per pixel: 2, 3 or 4 */
	int		 fc_cols;	/* [I] text cells across */
	int		 fc_rows;	/* [I] text cells down */
	uint32_t	 fc_fg;		/* [I] pixel value of the ink */
	uint32_t	 fc_bg;		/* [I] pixel value of the paper */
	int		 fc_row;	/* [c] cursor */
	int		 fc_col;	/* [c] */
	bool		 fc_wrapnext;	/* [c] the last column is written */
	uint8_t		*fc_text;	/* [c] fc_rows x fc_cols characters */
};

static void	fbcons_putc(struct consdev *cn, int c);

static struct fbcons_softc fbcons_sc;
static uint8_t fbcons_text[FBCONS_MAXROWS * FBCONS_MAXCOLS];
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
	const uint8_t *glyph =
	    font8x16_glyphs[fc->fc_text[row * fc->fc_cols + col]];
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
	memmove(fc->fc_text, fc->fc_text + fc->fc_cols,
	    (size_t)last * fc->fc_cols);
	memset(fc->fc_text + (size_t)last * fc->fc_cols, ' ', fc->fc_cols);
	fbcons_clearlines(fc, last * FONT_HEIGHT, fc->fc_rows * FONT_HEIGHT);
}

static void
fbcons_newline(struct fbcons_softc *fc)
{
	fc->fc_col = 0;
	fc->fc_wrapnext = false;
	if (++fc->fc_row == fc->fc_rows) {
		fbcons_scroll(fc);
		fc->fc_row = fc->fc_rows - 1;
	}
}

/*
 * Draw one character, with the same rules as the VGA text console: '\n'
 * new line, '\r' first column, '\b' one column left, '\t' next multiple
 * of 8, other control characters ignored, and a line wraps when the
 * character after the one in its last column comes.  Called with
 * cons_lock held.
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
		fc->fc_wrapnext = false;
		break;
	case '\b':
		if (fc->fc_wrapnext)
			fc->fc_wrapnext = false;
		else if (fc->fc_col > 0)
			fc->fc_col--;
		break;
	case '\t':
		if (!fc->fc_wrapnext)
			fc->fc_col = MIN(roundup2(fc->fc_col + 1,
			    FBCONS_TABSTOP), fc->fc_cols - 1);
		break;
	default:
		if (fc->fc_wrapnext)
			fbcons_newline(fc);
		fc->fc_text[fc->fc_row * fc->fc_cols + fc->fc_col] = (uint8_t)c;
		fbcons_drawcell(fc, fc->fc_row, fc->fc_col, false);
		if (fc->fc_col + 1 < fc->fc_cols)
			fc->fc_col++;
		else
			fc->fc_wrapnext = true;
		break;
	}
	/* With a wrap pending the cursor sits on the last character. */
	fbcons_drawcell(fc, fc->fc_row, fc->fc_col, true);
}

/*
 * Check that we can draw on the framebuffer fb describes and fill in fc
 * for it: the pixels at base (NULL: fb_addr in the direct map), the text
 * in text[textlen].  Paints the screen black with the cursor at the top
 * left.  Returns 0, -EINVAL for a layout we cannot draw, or -ERANGE when
 * the framebuffer lies beyond the boot direct map (4 GiB).
 */
static int
fbcons_setup(struct fbcons_softc *fc, const struct bootfb *fb, uint8_t *base,
    uint8_t *text, size_t textlen)
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
	fc->fc_rows = (int)MIN(fb->fb_height / FONT_HEIGHT,
	    textlen / (size_t)fc->fc_cols);
	if (fc->fc_rows < 1)
		return -EINVAL;
	fc->fc_fg = fbcons_color(fb, 0xaa, 0xaa, 0xaa);
	fc->fc_bg = fbcons_color(fb, 0, 0, 0);
	fc->fc_row = 0;
	fc->fc_col = 0;
	fc->fc_wrapnext = false;
	fc->fc_text = text;
	memset(text, ' ', (size_t)fc->fc_rows * fc->fc_cols);
	/* The whole screen, also the margin the cells do not cover. */
	for (y = 0; y < fb->fb_height; y++)
		fbcons_fill(fc, fc->fc_base + (size_t)y * fc->fc_pitch,
		    fc->fc_bg, (int)fb->fb_width);
	fbcons_drawcell(fc, 0, 0, true);
	return 0;
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
	int error;

	if ((error = fbcons_setup(fc, fb, NULL, fbcons_text,
	    sizeof(fbcons_text))) < 0)
		return error;
	fbcons_cons.cn_rows = (uint16_t)fc->fc_rows;
	fbcons_cons.cn_cols = (uint16_t)fc->fc_cols;
	cons_register(&fbcons_cons);
	kprintf("fb: %ux%u %u-bit framebuffer at %#lx, %dx%d text, font %s\n",
	    fb->fb_width, fb->fb_height, fb->fb_bpp, fb->fb_addr, fc->fc_cols,
	    fc->fc_rows, font8x16_name);
	return 0;
}

/*
 * In-kernel tests: the drawing code on a small framebuffer in memory, in
 * each pixel format we accept.  The real screen is not touched.
 */
#define FBCONS_KT_WIDTH		36	/* 4 columns and a margin */
#define FBCONS_KT_HEIGHT	50	/* 3 rows and a margin */
#define FBCONS_KT_PAD		4	/* bytes past each pixel line */

static uint8_t fbcons_kt_fb[(FBCONS_KT_WIDTH * 4 + FBCONS_KT_PAD) *
    FBCONS_KT_HEIGHT] __aligned(8);
static uint8_t fbcons_kt_text[16];

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

/* Does cell (row, col) hold ch, drawn in the right colours? */
static bool
fbcons_kt_cell(const struct fbcons_softc *fc, int row, int col, int ch,
    bool invert)
{
	const uint8_t *glyph = font8x16_glyphs[ch];
	uint32_t ink = invert ? fc->fc_bg : fc->fc_fg;
	uint32_t paper = invert ? fc->fc_fg : fc->fc_bg;
	uint32_t got, want;
	int x, y;

	if (fc->fc_text[row * fc->fc_cols + col] != ch) {
		kprintf("ktest: fbcons: cell %d,%d holds %#x, want %#x\n",
		    row, col, fc->fc_text[row * fc->fc_cols + col], ch);
		return false;
	}
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

static void
fbcons_kt_puts(struct consdev *cn, const char *s)
{
	while (*s != '\0')
		fbcons_putc(cn, (unsigned char)*s++);
}

/* One pixel format: draw, wrap, tab, backspace and scroll. */
static int
fbcons_kt_format(int bpp, int rpos, int rsize, int gpos, int gsize,
    int bpos, int bsize, uint32_t fg)
{
	struct bootfb fb = {
		.fb_type = BOOTFB_RGB, .fb_addr = 0, .fb_bpp = (uint8_t)bpp,
		.fb_width = FBCONS_KT_WIDTH, .fb_height = FBCONS_KT_HEIGHT,
		.fb_red_pos = rpos, .fb_red_size = rsize,
		.fb_green_pos = gpos, .fb_green_size = gsize,
		.fb_blue_pos = bpos, .fb_blue_size = bsize,
	};
	struct fbcons_softc fc;
	struct consdev cn = { .cn_name = "fbtest", .cn_arg = &fc };

	fb.fb_pitch = FBCONS_KT_WIDTH * ((bpp + 7) / 8) + FBCONS_KT_PAD;
	memset(fbcons_kt_fb, 0x5a, sizeof(fbcons_kt_fb));
	KT_ASSERT(fbcons_setup(&fc, &fb, fbcons_kt_fb, fbcons_kt_text,
	    sizeof(fbcons_kt_text)) == 0);
	KT_ASSERT(fc.fc_cols == 4 && fc.fc_rows == 3);
	KT_ASSERT(fc.fc_fg == fg && fc.fc_bg == 0);
	KT_ASSERT(fbcons_kt_cell(&fc, 0, 0, ' ', true));
	KT_ASSERT(fbcons_kt_cell(&fc, 2, 3, ' ', false));
	KT_ASSERT(fbcons_kt_pixel(&fc, FBCONS_KT_WIDTH - 1,
	    FBCONS_KT_HEIGHT - 1) == 0);

	fbcons_kt_puts(&cn, "Ab\t");
	KT_ASSERT(fbcons_kt_cell(&fc, 0, 0, 'A', false));
	KT_ASSERT(fbcons_kt_cell(&fc, 0, 1, 'b', false));
	KT_ASSERT(fbcons_kt_cell(&fc, 0, 2, ' ', false));
	KT_ASSERT(fc.fc_row == 0 && fc.fc_col == 3);
	KT_ASSERT(fbcons_kt_cell(&fc, 0, 3, ' ', true));
	/* The last column: the cursor stays on it until the next byte. */
	fbcons_kt_puts(&cn, "C");
	KT_ASSERT(fc.fc_row == 0 && fc.fc_col == 3 && fc.fc_wrapnext);
	KT_ASSERT(fbcons_kt_cell(&fc, 0, 3, 'C', true));
	fbcons_kt_puts(&cn, "\n");
	KT_ASSERT(fc.fc_row == 1 && fc.fc_col == 0 && !fc.fc_wrapnext);
	KT_ASSERT(fbcons_kt_cell(&fc, 0, 3, 'C', false));
	/* A full line, one more character, a new line: one scroll. */
	fbcons_kt_puts(&cn, "12345\n");
	KT_ASSERT(fc.fc_row == 2 && fc.fc_col == 0);
	KT_ASSERT(fbcons_kt_cell(&fc, 0, 0, '1', false));
	KT_ASSERT(fbcons_kt_cell(&fc, 0, 3, '4', false));
	KT_ASSERT(fbcons_kt_cell(&fc, 1, 0, '5', false));
	KT_ASSERT(fbcons_kt_cell(&fc, 1, 1, ' ', false));
	KT_ASSERT(fbcons_kt_cell(&fc, 2, 0, ' ', true));
	KT_ASSERT(fbcons_kt_cell(&fc, 2, 3, ' ', false));
	/* Backspace moves without erasing; '\r' goes home. */
	fbcons_kt_puts(&cn, "xy\bz\r");
	KT_ASSERT(fbcons_kt_cell(&fc, 2, 0, 'x', true));
	KT_ASSERT(fbcons_kt_cell(&fc, 2, 1, 'z', false));
	KT_ASSERT(fbcons_kt_cell(&fc, 2, 2, ' ', false));
	/* Control characters other than the four draw nothing. */
	fbcons_kt_puts(&cn, "\a\x1b\x7f");
	KT_ASSERT(fc.fc_row == 2 && fc.fc_col == 0);
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
	KT_ASSERT(fbcons_setup(&fc, &fb, fbcons_kt_fb, fbcons_kt_text,
	    sizeof(fbcons_kt_text)) == -ERANGE);
	fb.fb_addr = 0x100000000ULL;
	KT_ASSERT(fbcons_setup(&fc, &fb, NULL, fbcons_kt_text,
	    sizeof(fbcons_kt_text)) == -ERANGE);
	fb.fb_addr = 0;
	fb.fb_bpp = 8;
	KT_ASSERT(fbcons_setup(&fc, &fb, NULL, fbcons_kt_text,
	    sizeof(fbcons_kt_text)) == -EINVAL);
	fb.fb_bpp = 32;
	fb.fb_type = BOOTFB_VGATEXT;
	KT_ASSERT(fbcons_setup(&fc, &fb, NULL, fbcons_kt_text,
	    sizeof(fbcons_kt_text)) == -EINVAL);
	return 0;
}
