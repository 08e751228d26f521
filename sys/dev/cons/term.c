/*
 * The screen terminal emulator (dev/cons/termvar.h): the character-cell
 * grid and the escape-sequence parser every screen and every virtual
 * console shares.
 *
 * It understands the ECMA-48 / VT100 sequences full-screen programs such
 * as BusyBox vi, less and top send (ECMA-48 5th edition, section 8.3;
 * DEC VT100 User Guide, chapter 3): cursor movement (CUU, CUD, CUF, CUB,
 * CNL, CPL, CUP, HVP, CHA, VPA), erase (ED, EL, ECH), insert and delete
 * of lines and characters (IL, DL, ICH, DCH), scrolling (SU, SD), the
 * scroll region (DECSTBM), index and reverse index (IND, RI, NEL), save
 * and restore of the cursor (DECSC, DECRC, and CSI s / u), showing and
 * hiding the cursor (DECTCEM, CSI ? 25 h / l), reset (RIS), and SGR
 * colours and attributes (bold as a bright foreground, blink, reverse;
 * underline has no VGA colour-mode rendering and is ignored).  Other
 * sequences are consumed and ignored, as a terminal does.
 *
 * Every change to the grid is reported to the screen showing the
 * terminal, if one does (struct term_ops): a range of cells, a scroll of
 * rows, the cursor's place after each byte.
 *
 * Locking: cons_lock, held by every caller.
 */
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/param.h>
#include <sys/systm.h>

#include <dev/cons/termvar.h>

#define TERM_TABSTOP	8

/* ANSI colour numbers (SGR 30-37) as VGA's (IBM order). */
static const uint8_t term_ansi2vga[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };

/* Cells [from, to) changed: tell the screen showing tm, if any. */
static void
term_changed(struct term *tm, int from, int to)
{
	if (tm->tm_ops != NULL && from < to)
		tm->tm_ops->to_cells(tm->tm_arg, tm->tm_cells, from, to);
}

static inline uint16_t
term_cell(const struct term *tm, int c)
{
	return (uint16_t)((tm->tm_attr << 8) | (c & 0xff));
}

/* Blank cells [from, to) of the grid, without telling the screen. */
static void
term_fill(struct term *tm, int from, int to)
{
	uint16_t blank = term_cell(tm, ' ');
	int i;

	for (i = from; i < to; i++)
		tm->tm_cells[i] = blank;
}

/* Blank cells [from, to) of the grid, and draw them. */
static void
term_clear(struct term *tm, int from, int to)
{
	uint16_t blank = term_cell(tm, ' ');
	int i;

	for (i = from; i < to; i++)
		tm->tm_cells[i] = blank;
	term_changed(tm, from, to);
}

/*
 * Move rows [top, bot] of the screen by n lines, up (n > 0) or down
 * (n < 0), blanking the rows uncovered.
 */
static void
term_scroll(struct term *tm, int top, int bot, int n)
{
	int cols = tm->tm_cols, rows = bot - top + 1, i;

	if (n > rows)
		n = rows;
	if (n < -rows)
		n = -rows;
	if (n > 0) {
		for (i = top * cols; i < (bot + 1 - n) * cols; i++)
			tm->tm_cells[i] = tm->tm_cells[i + n * cols];
		term_fill(tm, (bot + 1 - n) * cols, (bot + 1) * cols);
	} else if (n < 0) {
		for (i = (bot + 1) * cols - 1; i >= (top - n) * cols; i--)
			tm->tm_cells[i] = tm->tm_cells[i + n * cols];
		term_fill(tm, top * cols, (top - n) * cols);
	}
	if (n == 0 || tm->tm_ops == NULL)
		return;
	if (tm->tm_ops->to_scroll != NULL)
		tm->tm_ops->to_scroll(tm->tm_arg, tm->tm_cells, top, bot, n);
	else
		tm->tm_ops->to_cells(tm->tm_arg, tm->tm_cells, top * cols,
		    (bot + 1) * cols);
}

/* Line feed: down a row, scrolling the region at its bottom. */
static void
term_linefeed(struct term *tm)
{
	tm->tm_wrapnext = false;
	if (tm->tm_row == tm->tm_bot)
		term_scroll(tm, tm->tm_top, tm->tm_bot, 1);
	else if (tm->tm_row + 1 < tm->tm_rows)
		tm->tm_row++;
}

static void
term_newline(struct term *tm)
{
	tm->tm_col = 0;
	term_linefeed(tm);
}

/* Reverse index: up a row, scrolling the region down at its top. */
static void
term_revindex(struct term *tm)
{
	tm->tm_wrapnext = false;
	if (tm->tm_row == tm->tm_top)
		term_scroll(tm, tm->tm_top, tm->tm_bot, -1);
	else if (tm->tm_row > 0)
		tm->tm_row--;
}

/* The attribute byte for the current SGR state. */
static void
term_setattr(struct term *tm)
{
	uint8_t fg = tm->tm_fg | (tm->tm_bold ? 0x08 : 0), bg = tm->tm_bg;

	if (tm->tm_reverse) {
		fg = tm->tm_bg | (tm->tm_bold ? 0x08 : 0);
		bg = tm->tm_fg & 0x07;
	}
	tm->tm_attr = (uint8_t)(fg | (bg << 4) | (tm->tm_blink ? 0x80 : 0));
}

/* The terminal's initial state: colours, region, parser. */
static void
term_reset(struct term *tm)
{
	tm->tm_fg = TERM_ATTR_DEFAULT & 0x0f;
	tm->tm_bg = 0;
	tm->tm_bold = tm->tm_blink = tm->tm_reverse = false;
	term_setattr(tm);
	tm->tm_top = 0;
	tm->tm_bot = tm->tm_rows - 1;
	tm->tm_srow = tm->tm_scol = 0;
	tm->tm_sfg = tm->tm_fg;
	tm->tm_sbg = tm->tm_bg;
	tm->tm_state = TS_GROUND;
	tm->tm_curvis = true;
}

/* SGR (ECMA-48 8.3.117): the parameters in order; none means 0. */
static void
term_sgr(struct term *tm)
{
	int i, p;

	for (i = 0; i < MAX(tm->tm_nparam, 1); i++) {
		p = tm->tm_nparam == 0 ? 0 : tm->tm_param[i];
		if (p == 0) {
			tm->tm_fg = TERM_ATTR_DEFAULT & 0x0f;
			tm->tm_bg = 0;
			tm->tm_bold = tm->tm_blink = tm->tm_reverse = false;
		} else if (p == 1) {
			tm->tm_bold = true;
		} else if (p == 5) {
			tm->tm_blink = true;
		} else if (p == 7) {
			tm->tm_reverse = true;
		} else if (p == 22) {
			tm->tm_bold = false;
		} else if (p == 25) {
			tm->tm_blink = false;
		} else if (p == 27) {
			tm->tm_reverse = false;
		} else if (p >= 30 && p <= 37) {
			tm->tm_fg = term_ansi2vga[p - 30];
		} else if (p == 39) {
			tm->tm_fg = TERM_ATTR_DEFAULT & 0x0f;
		} else if (p >= 40 && p <= 47) {
			tm->tm_bg = term_ansi2vga[p - 40];
		} else if (p == 49) {
			tm->tm_bg = 0;
		} else if (p >= 90 && p <= 97) {
			tm->tm_fg = term_ansi2vga[p - 90] | 0x08;
		} else if (p >= 100 && p <= 107) {
			tm->tm_bg = term_ansi2vga[p - 100];
		}
	}
	term_setattr(tm);
}

/*
 * A private CSI sequence (CSI ? ... h/l): DECTCEM (?25) shows and hides
 * the cursor; the other DEC modes have nothing to do on this screen.
 */
static void
term_decmode(struct term *tm, int c)
{
	int i;

	if (c != 'h' && c != 'l')
		return;
	for (i = 0; i < tm->tm_nparam; i++)
		if (tm->tm_param[i] == 25)
			tm->tm_curvis = c == 'h';
}

/* Parameter i, or def when absent or 0 (ECMA-48 5.4.2). */
static int
term_param(const struct term *tm, int i, int def)
{
	if (i >= tm->tm_nparam || tm->tm_param[i] == 0)
		return def;
	return tm->tm_param[i];
}

/* Move the cursor to (row, col), clamped to the screen. */
static void
term_goto(struct term *tm, int row, int col)
{
	tm->tm_row = MAX(0, MIN(row, tm->tm_rows - 1));
	tm->tm_col = MAX(0, MIN(col, tm->tm_cols - 1));
	tm->tm_wrapnext = false;
}

/* A CSI sequence ended with final byte c. */
static void
term_csi(struct term *tm, int c)
{
	int cols = tm->tm_cols, here = tm->tm_row * cols + tm->tm_col;
	int eol = (tm->tm_row + 1) * cols, n = term_param(tm, 0, 1);
	int top, bot, i;

	if (tm->tm_private) {
		term_decmode(tm, c);
		return;
	}
	switch (c) {
	case 'A':	/* CUU */
		term_goto(tm, tm->tm_row - n, tm->tm_col);
		break;
	case 'B':	/* CUD */
	case 'e':
		term_goto(tm, tm->tm_row + n, tm->tm_col);
		break;
	case 'C':	/* CUF */
	case 'a':
		term_goto(tm, tm->tm_row, tm->tm_col + n);
		break;
	case 'D':	/* CUB */
		term_goto(tm, tm->tm_row, tm->tm_col - n);
		break;
	case 'E':	/* CNL */
		term_goto(tm, tm->tm_row + n, 0);
		break;
	case 'F':	/* CPL */
		term_goto(tm, tm->tm_row - n, 0);
		break;
	case 'G':	/* CHA */
	case '`':
		term_goto(tm, tm->tm_row, n - 1);
		break;
	case 'd':	/* VPA */
		term_goto(tm, n - 1, tm->tm_col);
		break;
	case 'H':	/* CUP */
	case 'f':	/* HVP */
		term_goto(tm, n - 1, term_param(tm, 1, 1) - 1);
		break;
	case 'J':	/* ED */
		n = term_param(tm, 0, 0);
		if (n == 0)
			term_clear(tm, here, tm->tm_rows * cols);
		else if (n == 1)
			term_clear(tm, 0, here + 1);
		else
			term_clear(tm, 0, tm->tm_rows * cols);
		break;
	case 'K':	/* EL */
		n = term_param(tm, 0, 0);
		if (n == 0)
			term_clear(tm, here, eol);
		else if (n == 1)
			term_clear(tm, eol - cols, here + 1);
		else
			term_clear(tm, eol - cols, eol);
		break;
	case 'X':	/* ECH */
		term_clear(tm, here, MIN(here + n, eol));
		break;
	case 'L':	/* IL */
	case 'M':	/* DL */
		if (tm->tm_row < tm->tm_top || tm->tm_row > tm->tm_bot)
			break;
		term_scroll(tm, tm->tm_row, tm->tm_bot, c == 'L' ? -n : n);
		tm->tm_col = 0;
		tm->tm_wrapnext = false;
		break;
	case '@':	/* ICH */
		n = MIN(n, eol - here);
		for (i = eol - 1; i >= here + n; i--)
			tm->tm_cells[i] = tm->tm_cells[i - n];
		term_fill(tm, here, here + n);
		term_changed(tm, here, eol);
		break;
	case 'P':	/* DCH */
		n = MIN(n, eol - here);
		for (i = here; i < eol - n; i++)
			tm->tm_cells[i] = tm->tm_cells[i + n];
		term_fill(tm, eol - n, eol);
		term_changed(tm, here, eol);
		break;
	case 'S':	/* SU */
		term_scroll(tm, tm->tm_top, tm->tm_bot, n);
		break;
	case 'T':	/* SD */
		term_scroll(tm, tm->tm_top, tm->tm_bot, -n);
		break;
	case 'm':
		term_sgr(tm);
		break;
	case 'r':	/* DECSTBM: the cursor goes home */
		top = term_param(tm, 0, 1) - 1;
		bot = term_param(tm, 1, tm->tm_rows) - 1;
		if (top < bot && bot < tm->tm_rows) {
			tm->tm_top = top;
			tm->tm_bot = bot;
			term_goto(tm, 0, 0);
		}
		break;
	case 's':
		tm->tm_srow = tm->tm_row;
		tm->tm_scol = tm->tm_col;
		break;
	case 'u':
		term_goto(tm, tm->tm_srow, tm->tm_scol);
		break;
	default:
		break;	/* not one we know: ignored, as a terminal does */
	}
}

/* ESC followed by c (not '['). */
static void
term_esc(struct term *tm, int c)
{
	tm->tm_state = TS_GROUND;
	switch (c) {
	case '7':	/* DECSC */
		tm->tm_srow = tm->tm_row;
		tm->tm_scol = tm->tm_col;
		tm->tm_sfg = tm->tm_fg;
		tm->tm_sbg = tm->tm_bg;
		break;
	case '8':	/* DECRC */
		term_goto(tm, tm->tm_srow, tm->tm_scol);
		tm->tm_fg = tm->tm_sfg;
		tm->tm_bg = tm->tm_sbg;
		term_setattr(tm);
		break;
	case 'D':	/* IND */
		term_linefeed(tm);
		break;
	case 'E':	/* NEL */
		term_newline(tm);
		break;
	case 'M':	/* RI */
		term_revindex(tm);
		break;
	case 'c':	/* RIS */
		term_reset(tm);
		term_clear(tm, 0, tm->tm_rows * tm->tm_cols);
		term_goto(tm, 0, 0);
		break;
	case '[':
		tm->tm_state = TS_CSI;
		tm->tm_private = false;
		tm->tm_nparam = 0;
		memset(tm->tm_param, 0, sizeof(tm->tm_param));
		break;
	case '(':	/* character set designations: one more byte */
	case ')':
	case '#':
		tm->tm_state = TS_SKIP;
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
term_csi_byte(struct term *tm, int c)
{
	if (c >= '0' && c <= '9') {
		if (tm->tm_nparam == 0)
			tm->tm_nparam = 1;
		if (tm->tm_nparam <= TERM_NPARAM &&
		    tm->tm_param[tm->tm_nparam - 1] < 10000)
			tm->tm_param[tm->tm_nparam - 1] =
			    tm->tm_param[tm->tm_nparam - 1] * 10 + c - '0';
	} else if (c == ';') {
		if (tm->tm_nparam == 0)
			tm->tm_nparam = 1;
		if (tm->tm_nparam < TERM_NPARAM + 1)
			tm->tm_nparam++;
	} else if (c == '?' || c == '>' || c == '=') {
		tm->tm_private = true;
	} else if (c >= 0x40 && c <= 0x7e) {
		tm->tm_nparam = MIN(tm->tm_nparam, TERM_NPARAM);
		tm->tm_state = TS_GROUND;
		term_csi(tm, c);
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
term_emit(struct term *tm, int c, bool crlf)
{
	int here;

	c &= 0xff;
	switch (c) {
	case '\n':
	case '\v':
	case '\f':
		if (crlf)
			term_newline(tm);
		else
			term_linefeed(tm);
		return;
	case '\r':
		tm->tm_col = 0;
		tm->tm_wrapnext = false;
		return;
	case '\b':
		if (tm->tm_wrapnext)
			tm->tm_wrapnext = false;
		else if (tm->tm_col > 0)
			tm->tm_col--;
		return;
	case '\t':
		if (!tm->tm_wrapnext)
			tm->tm_col = MIN(roundup2(tm->tm_col + 1, TERM_TABSTOP),
			    tm->tm_cols - 1);
		return;
	case 0x1b:
		tm->tm_state = TS_ESC;
		return;
	case 0x18:	/* CAN */
	case 0x1a:	/* SUB */
		tm->tm_state = TS_GROUND;
		return;
	default:
		break;
	}
	if (c < ' ')
		return;
	switch (tm->tm_state) {
	case TS_ESC:
		term_esc(tm, c);
		return;
	case TS_CSI:
		term_csi_byte(tm, c);
		return;
	case TS_SKIP:
		tm->tm_state = TS_GROUND;
		return;
	case TS_GROUND:
		break;
	}
	if (c == 0x7f)
		return;
	if (tm->tm_wrapnext)
		term_newline(tm);
	here = tm->tm_row * tm->tm_cols + tm->tm_col;
	tm->tm_cells[here] = term_cell(tm, c);
	term_changed(tm, here, here + 1);
	if (tm->tm_col + 1 < tm->tm_cols)
		tm->tm_col++;
	else
		tm->tm_wrapnext = true;
}


/* Tell the screen where the cursor is. */
static void
term_cursor(struct term *tm)
{
	if (tm->tm_ops != NULL)
		tm->tm_ops->to_cursor(tm->tm_arg, tm->tm_cells, tm->tm_row,
		    tm->tm_col, tm->tm_curvis);
}

/* A blank terminal on cells, in its initial state; see termvar.h. */
void
term_init(struct term *tm, uint16_t *cells, int cols, int rows)
{
	memset(tm, 0, sizeof(*tm));
	tm->tm_cells = cells;
	tm->tm_cols = cols;
	tm->tm_rows = rows;
	term_reset(tm);
	term_fill(tm, 0, cols * rows);
}

/* One byte of output; see termvar.h.  cons_lock held. */
void
term_putc(struct term *tm, int c, bool crlf)
{
	term_emit(tm, c, crlf);
	term_cursor(tm);
}

/* Show tm on a screen (all of it), or on none; see termvar.h. */
void
term_show(struct term *tm, const struct term_ops *ops, void *arg)
{
	tm->tm_ops = ops;
	tm->tm_arg = arg;
	if (ops == NULL)
		return;
	ops->to_cells(arg, tm->tm_cells, 0, tm->tm_rows * tm->tm_cols);
	term_cursor(tm);
}

/*
 * In-kernel tests: the layout rules and the escape sequences on a 10x3
 * terminal in memory, and what a screen showing it is told.
 */
#define TERM_KT_COLS	10
#define TERM_KT_ROWS	3

static uint16_t term_kt_cells[TERM_KT_COLS * TERM_KT_ROWS];

/* Does row hold the text want (blank-padded), in the default colours? */
static bool
term_kt_row(const struct term *tm, int row, const char *want)
{
	int col, c;

	for (col = 0; col < tm->tm_cols; col++) {
		c = *want != '\0' ? (unsigned char)*want++ : ' ';
		if (tm->tm_cells[row * tm->tm_cols + col] !=
		    ((TERM_ATTR_DEFAULT << 8) | c)) {
			kprintf("ktest: term: row %d col %d is %#x, "
			    "want '%c'\n", row, col,
			    tm->tm_cells[row * tm->tm_cols + col], c);
			return false;
		}
	}
	return true;
}

/* The kernel's lines: '\n' is a new line. */
static void
term_kt_puts(struct term *tm, const char *s)
{
	while (*s != '\0')
		term_putc(tm, (unsigned char)*s++, true);
}

KTEST(term_layout)
{
	struct term tm;

	term_init(&tm, term_kt_cells, TERM_KT_COLS, TERM_KT_ROWS);
	term_kt_puts(&tm, "ab\tc");
	KT_ASSERT(term_kt_row(&tm, 0, "ab      c"));
	KT_ASSERT(tm.tm_row == 0 && tm.tm_col == 9);
	/* The 10th column: no wrap until the next character... */
	term_kt_puts(&tm, "d");
	KT_ASSERT(tm.tm_col == 9 && tm.tm_wrapnext);
	/* ...and a '\n' right after a full line is one line, not two. */
	term_kt_puts(&tm, "\n0123456789X");
	KT_ASSERT(term_kt_row(&tm, 0, "ab      cd"));
	KT_ASSERT(term_kt_row(&tm, 1, "0123456789"));
	KT_ASSERT(term_kt_row(&tm, 2, "X"));
	/* The next line scrolls everything up by one. */
	term_kt_puts(&tm, "\nAB\bC\x01");
	KT_ASSERT(term_kt_row(&tm, 0, "0123456789"));
	KT_ASSERT(term_kt_row(&tm, 1, "X"));
	KT_ASSERT(term_kt_row(&tm, 2, "AC"));
	KT_ASSERT(tm.tm_row == 2 && tm.tm_col == 2);
	term_kt_puts(&tm, "\rZ\t\t\tT");
	KT_ASSERT(term_kt_row(&tm, 2, "ZC       T"));
	return 0;
}

/* The terminal's escape sequences, on the same 10x3 grid. */
KTEST(term_ansi)
{
	struct term tm;

	term_init(&tm, term_kt_cells, TERM_KT_COLS, TERM_KT_ROWS);
	/* ED 2, CUP, text; HVP and CUU/CUD/CUF/CUB move without drawing. */
	term_kt_puts(&tm, "junk\x1b[2J\x1b[2;3Hxy\x1b[1;1fA\x1b[2B"
	    "\x1b[3CB\x1b[1A\x1b[2DC");
	KT_ASSERT(term_kt_row(&tm, 0, "A"));
	KT_ASSERT(term_kt_row(&tm, 1, "  xC"));
	KT_ASSERT(term_kt_row(&tm, 2, "    B"));
	/* EL 0 from the cursor, EL 1 up to it. */
	term_kt_puts(&tm, "\x1b[2;4H\x1b[K\x1b[3;3H\x1b[1K");
	KT_ASSERT(term_kt_row(&tm, 1, "  x"));
	KT_ASSERT(term_kt_row(&tm, 2, "    B"));
	/* Raw output: '\n' is a line feed alone; at the bottom it scrolls. */
	term_kt_puts(&tm, "\x1b[3;1H");
	term_putc(&tm, 'Q', false);
	term_putc(&tm, '\n', false);
	KT_ASSERT(tm.tm_row == 2 && tm.tm_col == 1);
	KT_ASSERT(term_kt_row(&tm, 0, "  x"));
	KT_ASSERT(term_kt_row(&tm, 1, "Q   B"));
	KT_ASSERT(term_kt_row(&tm, 2, ""));
	/* IL and DL at row 1; a scroll region of rows 2-3 with RI. */
	term_kt_puts(&tm, "\x1b[2H\x1b[L");
	KT_ASSERT(term_kt_row(&tm, 1, ""));
	KT_ASSERT(term_kt_row(&tm, 2, "Q   B"));
	term_kt_puts(&tm, "\x1b[M");
	KT_ASSERT(term_kt_row(&tm, 1, "Q   B"));
	KT_ASSERT(term_kt_row(&tm, 2, ""));
	term_kt_puts(&tm, "\x1b[2;3r\x1b[2;1H\x1bMR");
	KT_ASSERT(term_kt_row(&tm, 0, "  x"));
	KT_ASSERT(term_kt_row(&tm, 1, "R"));
	KT_ASSERT(term_kt_row(&tm, 2, "Q   B"));
	/* DECSC/DECRC, ICH, DCH. */
	term_kt_puts(&tm, "\x1b[r\x1b[3;2H\x1b" "7\x1b[1;1H\x1b" "8\x1b[2@");
	KT_ASSERT(term_kt_row(&tm, 2, "Q     B"));
	term_kt_puts(&tm, "\x1b[3P");
	KT_ASSERT(term_kt_row(&tm, 2, "Q  B"));
	/* SGR: red on blue, bold bright, reverse; 0 resets. */
	term_kt_puts(&tm, "\x1b[1;1H\x1b[31;44mr\x1b[1mb\x1b[0;7mv\x1b[m");
	KT_ASSERT(tm.tm_cells[0] == (0x14 << 8 | 'r'));
	KT_ASSERT(tm.tm_cells[1] == (0x1c << 8 | 'b'));
	KT_ASSERT(tm.tm_cells[2] == (0x70 << 8 | 'v'));
	KT_ASSERT(tm.tm_attr == TERM_ATTR_DEFAULT);
	/* DECTCEM hides and shows; unknown finals are consumed. */
	term_kt_puts(&tm, "\x1b[?25l");
	KT_ASSERT(!tm.tm_curvis);
	term_kt_puts(&tm, "\x1b[?1;25h\x1b[5z\x1b(B.");
	KT_ASSERT(tm.tm_curvis);
	KT_ASSERT(tm.tm_cells[3] == (TERM_ATTR_DEFAULT << 8 | '.'));
	return 0;
}

/*
 * A screen in memory that records what it is told: after every call its
 * copy must equal the grid, which checks that each change is reported.
 */
static struct {
	uint16_t	ks_copy[TERM_KT_COLS * TERM_KT_ROWS];
	int		ks_row, ks_col;
	bool		ks_vis;
	int		ks_cells, ks_scrolls;
} term_kt_screen;

static void
term_kt_cells_cb(void *arg, const uint16_t *cells, int from, int to)
{
	(void)arg;
	term_kt_screen.ks_cells++;
	memcpy(&term_kt_screen.ks_copy[from], &cells[from],
	    (size_t)(to - from) * sizeof(*cells));
}

static void
term_kt_scroll_cb(void *arg, const uint16_t *cells, int top, int bot, int n)
{
	(void)n;
	term_kt_screen.ks_scrolls++;
	term_kt_cells_cb(arg, cells, top * TERM_KT_COLS,
	    (bot + 1) * TERM_KT_COLS);
}

static void
term_kt_cursor_cb(void *arg, const uint16_t *cells, int row, int col,
    bool visible)
{
	(void)arg;
	(void)cells;
	term_kt_screen.ks_row = row;
	term_kt_screen.ks_col = col;
	term_kt_screen.ks_vis = visible;
}

static const struct term_ops term_kt_ops = {
	.to_cells = term_kt_cells_cb,
	.to_scroll = term_kt_scroll_cb,
	.to_cursor = term_kt_cursor_cb,
};

KTEST(term_screen)
{
	struct term tm;
	static const char *const seqs[] = {
		"hello\n", "\x1b[2;3Hx\x1b[K", "a\nb\nc\nd", "\x1b[2@",
		"\x1b[1P", "\x1b[1;2r\x1b[2H\n\x1bM", "\x1b[r\x1b[S\x1b[T",
		"\x1b[33mY\x1b[1J", "\x1b[?25l", "\x1b" "c",
	};
	size_t i;

	term_init(&tm, term_kt_cells, TERM_KT_COLS, TERM_KT_ROWS);
	term_kt_puts(&tm, "hidden");
	/* Not shown: nothing told; shown: all of it at once. */
	memset(&term_kt_screen, 0, sizeof(term_kt_screen));
	term_show(&tm, &term_kt_ops, NULL);
	KT_ASSERT(term_kt_screen.ks_cells == 1);
	KT_ASSERT(memcmp(term_kt_screen.ks_copy, term_kt_cells,
	    sizeof(term_kt_cells)) == 0);
	KT_ASSERT(term_kt_screen.ks_row == 0 && term_kt_screen.ks_col == 6);
	for (i = 0; i < nitems(seqs); i++) {
		term_kt_puts(&tm, seqs[i]);
		if (memcmp(term_kt_screen.ks_copy, term_kt_cells,
		    sizeof(term_kt_cells)) != 0) {
			kprintf("ktest: term: screen differs after seq %zu\n",
			    i);
			return -1;
		}
		KT_ASSERT(term_kt_screen.ks_row == tm.tm_row &&
		    term_kt_screen.ks_col == tm.tm_col);
		KT_ASSERT(term_kt_screen.ks_vis == tm.tm_curvis);
	}
	KT_ASSERT(term_kt_screen.ks_scrolls >= 4);
	/* Hidden again: the grid changes, the screen does not. */
	term_show(&tm, NULL, NULL);
	term_kt_puts(&tm, "zz");
	KT_ASSERT(memcmp(term_kt_screen.ks_copy, term_kt_cells,
	    sizeof(term_kt_cells)) != 0);
	return 0;
}
