/*
 * The virtual consoles: tty1 to tty4, four terminals that share the
 * screen (VGA text or the framebuffer) and the PS/2 keyboard, as Linux's
 * are.  Each keeps its own screen contents in a terminal emulator's grid
 * (dev/cons/termvar.h); one of them is shown, and the keyboard types
 * into that one.  Alt+F1 to Alt+F4 (and Ctrl+Alt+Fn) show another
 * (vcons_switch, from the keyboard driver): the screen is redrawn from
 * its grid.  Kernel messages go to the one shown.
 *
 *	keyboard --> vcons_input --> the shown VC's input ring --> its tty
 *	its tty's output --> vcons_start --> term_putc --> its grid
 *	                                         `--> the screen, if shown
 *
 * The grids are static, so that tty1 works from the first message on,
 * before memory management; the terminals (struct tty) are added by
 * vcons_tty_init() once memory exists.
 *
 * Locking: cons_lock protects which VC is shown and every grid.  The
 * variables marked [I] are set by vcons_attach() at boot, before anything
 * runs concurrently.
 */
#include <sys/cons.h>
#include <sys/errno.h>
#include <sys/systm.h>
#include <sys/tty.h>
#include <sys/vnode.h>

#include <dev/cons/screen.h>
#include <dev/cons/termvar.h>

#define VCONS_MAX	4
#define VCONS_MAXCELLS	(240 * 90)	/* fbcons's largest text */
#define VCONS_MAJOR	4		/* tty1-tty4: 4:1-4:4 (Linux's) */

/*
 * Locks protecting members of this struct:
 *	I	immutable after vcons_attach()
 *	c	cons_lock
 */
struct vcons {
	struct constty	 vc_ct;		/* its terminal and input ring */
	struct term	 vc_term;	/* [c] its screen contents */
	char		 vc_name[8];	/* [I] "tty1" */
};

static struct vcons vcons_vc[VCONS_MAX];
static uint16_t vcons_cells[VCONS_MAX][VCONS_MAXCELLS];
static const struct term_ops *vcons_ops;	/* [I] the screen */
static void *vcons_arg;				/* [I] */
static int vcons_n;				/* [I] 0: no screen */
static int vcons_cols, vcons_rows;		/* [I] */
static int vcons_cur;				/* [c] index shown */
/* The keyboard's input without a screen: the kernel monitor's only. */
static struct cons_in vcons_kbd_in = { .ci_name = "kbd" };
static bool vcons_kbd_in_live;			/* [c] registered */

/* Kernel messages: the shown VC, '\n' a new line.  cons_lock held. */
static void
vcons_cnputc(struct consdev *cn, int c)
{
	(void)cn;
	term_putc(&vcons_vc[vcons_cur].vc_term, c, true);
}

static struct consdev vcons_cons = {
	.cn_name = "vc",
	.cn_putc = vcons_cnputc,
};

/* See dev/cons/screen.h. */
int
vcons_attach(const struct term_ops *ops, void *arg, int cols, int rows)
{
	struct vcons *vc;
	int i;

	if (vcons_n != 0)
		return -EBUSY;
	if (cols < 1 || rows < 1 || cols * rows > VCONS_MAXCELLS)
		return -EINVAL;
	for (i = 0; i < VCONS_MAX; i++) {
		vc = &vcons_vc[i];
		term_init(&vc->vc_term, vcons_cells[i], cols, rows);
		ksnprintf(vc->vc_name, sizeof(vc->vc_name), "tty%d", i + 1);
		constty_init(&vc->vc_ct, vc->vc_name);
	}
	vcons_ops = ops;
	vcons_arg = arg;
	vcons_cols = cols;
	vcons_rows = rows;
	cons_output_lock();
	vcons_n = VCONS_MAX;
	vcons_cur = 0;
	term_show(&vcons_vc[0].vc_term, ops, arg);
	cons_output_unlock();
	cons_register(&vcons_cons);
	return 0;
}

/*
 * A VC's terminal has output (t_lock held): into its grid, and onto the
 * screen when it is shown.  Takes cons_lock for each chunk.
 */
static void
vcons_start(struct tty *tp)
{
	struct vcons *vc = tp->t_sc;
	uint8_t buf[128];
	size_t n, i;

	while ((n = tty_getout(tp, buf, sizeof(buf))) > 0) {
		cons_output_lock();
		for (i = 0; i < n; i++)
			term_putc(&vc->vc_term, buf[i], false);
		cons_output_unlock();
	}
}

/*
 * Give every VC its terminal, its window the screen's size (at boot,
 * once memory exists; cons_cdev_init).  Failures are logged: that VC
 * cannot be opened.
 */
void
vcons_tty_init(void)
{
	struct vcons *vc;
	int i, error;

	for (i = 0; i < vcons_n; i++) {
		vc = &vcons_vc[i];
		if ((error = constty_attach(&vc->vc_ct, MKDEV(VCONS_MAJOR,
		    i + 1), vcons_start, vc, (uint16_t)vcons_rows,
		    (uint16_t)vcons_cols)) < 0)
			klog("vcons", "no terminal for %s (error %d)",
			    vc->vc_name, error);
	}
}

/*
 * Show virtual console n (1-4): the screen is redrawn from its grid and
 * the keyboard types into it.  Any context (the keyboard's interrupt);
 * takes cons_lock.  Returns 0, or -ENXIO for a VC that does not exist.
 */
int
vcons_switch(int n)
{
	if (n < 1 || n > vcons_n)
		return -ENXIO;
	cons_output_lock();
	if (n - 1 != vcons_cur) {
		term_show(&vcons_vc[vcons_cur].vc_term, NULL, NULL);
		vcons_cur = n - 1;
		term_show(&vcons_vc[vcons_cur].vc_term, vcons_ops, vcons_arg);
	}
	cons_output_unlock();
	return 0;
}

/* The VC shown, 1-4, or 0 without a screen.  Takes cons_lock. */
int
vcons_visible(void)
{
	int n;

	cons_output_lock();
	n = vcons_n == 0 ? 0 : vcons_cur + 1;
	cons_output_unlock();
	return n;
}

/* Virtual console n's terminal (1-4), or NULL.  No lock: [I]. */
struct constty *
vcons_constty(int n)
{
	if (n < 1 || n > vcons_n)
		return NULL;
	return &vcons_vc[n - 1].vc_ct;
}

/*
 * A byte typed on the keyboard: into the input ring of the VC shown (or,
 * without a screen, of the kernel monitor).  The keyboard's interrupt
 * handler; takes cons_lock, then notifies the ring's reader.
 */
void
vcons_input(int c)
{
	struct cons_in *ci;
	bool reg = false;

	cons_output_lock();
	if (vcons_n != 0) {
		ci = &vcons_vc[vcons_cur].vc_ct.ct_in;
	} else {
		ci = &vcons_kbd_in;
		reg = !vcons_kbd_in_live;
		vcons_kbd_in_live = true;
	}
	cons_output_unlock();
	if (reg)
		cons_in_register(ci);
	cons_in_put(ci, c);
}
