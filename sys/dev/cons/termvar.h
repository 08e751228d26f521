/*
 * The screen terminal emulator (dev/cons/term.c): a grid of character
 * cells and the ECMA-48 / VT100 escape-sequence parser that edits it,
 * shared by every screen (VGA text, the framebuffer) and every virtual
 * console (dev/cons/vcons.c).
 *
 * A cell is 16 bits, laid out as VGA text memory is: the character (code
 * page 437) in the low byte, its attribute in the high byte (bits 0-3
 * foreground colour in IBM order, 4-6 background, 7 blink).  The grid is
 * the truth; a screen that shows it (tm_ops, set by term_show) is told
 * which cells changed, which rows scrolled and where the cursor went,
 * and draws them.  A terminal that is not shown changes its grid only.
 *
 * Locking: cons_lock, held by every caller (the console's output path,
 * a virtual console's output, a switch).
 */
#ifndef _DEV_CONS_TERMVAR_H_
#define _DEV_CONS_TERMVAR_H_

#include <sys/types.h>

#define TERM_ATTR_DEFAULT	0x07	/* light grey on black */
#define TERM_NPARAM		8	/* CSI parameters kept */

/* A screen that shows a terminal. */
struct term_ops {
	/* Cells [from, to) of the grid changed: draw them. */
	void	(*to_cells)(void *arg, const uint16_t *cells, int from,
		    int to);
	/*
	 * Rows [top, bot] moved up by n rows (down for n < 0); the grid
	 * holds the result.  NULL: to_cells is called for the rows instead.
	 */
	void	(*to_scroll)(void *arg, const uint16_t *cells, int top,
		    int bot, int n);
	/* The cursor is at (row, col) now; visible: DECTCEM. */
	void	(*to_cursor)(void *arg, const uint16_t *cells, int row,
		    int col, bool visible);
};

/* The escape-sequence parser's states. */
enum term_state {
	TS_GROUND,	/* printing */
	TS_ESC,		/* after ESC */
	TS_CSI,		/* after ESC [: parameters, then a final byte */
	TS_SKIP		/* after ESC and an intermediate: one more byte */
};

/*
 * Locks protecting members of this struct:
 *	I	immutable after term_init()
 *	c	cons_lock
 */
struct term {
	uint16_t	*tm_cells;	/* [I] tm_rows x tm_cols */
	int		 tm_cols;	/* [I] */
	int		 tm_rows;	/* [I] */
	const struct term_ops *tm_ops;	/* [c] the screen showing it */
	void		*tm_arg;	/* [c] its argument */
	int		 tm_row;	/* [c] cursor */
	int		 tm_col;	/* [c] */
	bool		 tm_wrapnext;	/* [c] the last column is written */
	bool		 tm_curvis;	/* [c] cursor shown (DECTCEM) */
	uint8_t		 tm_attr;	/* [c] attribute of new cells */
	/* SGR state, scroll region, saved cursor, parser. */
	uint8_t		 tm_fg, tm_bg;	/* [c] VGA colours 0-15, 0-7 */
	bool		 tm_bold;	/* [c] */
	bool		 tm_blink;	/* [c] */
	bool		 tm_reverse;	/* [c] */
	int		 tm_top, tm_bot; /* [c] scroll region rows, inclusive */
	int		 tm_srow, tm_scol; /* [c] the saved cursor */
	uint8_t		 tm_sfg, tm_sbg; /* [c] and its colours */
	enum term_state	 tm_state;	/* [c] */
	bool		 tm_private;	/* [c] CSI ? > = */
	int		 tm_nparam;	/* [c] parameters seen */
	int		 tm_param[TERM_NPARAM]; /* [c] */
};

/*
 * Make tm a cols x rows terminal on cells (room for rows * cols), blank,
 * in its initial state, shown nowhere.  cons_lock held, or nobody else
 * can see tm yet.
 */
void	term_init(struct term *tm, uint16_t *cells, int cols, int rows);
/*
 * Act on byte c: draw it or take it as part of a sequence (term.c says
 * which).  crlf: '\n' also returns to the first column (the kernel's
 * lines); otherwise it is a line feed alone (a terminal's output, whose
 * ONLCR added the '\r').  cons_lock held.
 */
void	term_putc(struct term *tm, int c, bool crlf);
/*
 * Show tm on the screen ops draws on (draws all of it), or stop showing
 * it (ops NULL).  cons_lock held.
 */
void	term_show(struct term *tm, const struct term_ops *ops, void *arg);

#endif /* _DEV_CONS_TERMVAR_H_ */
