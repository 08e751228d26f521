/*
 * The text consoles drawn on the screen the boot loader left us, started
 * by consinit() (arch/x86_64/consinit.c) before memory management: they
 * reach the screen through the boot direct map, which covers the first
 * 4 GiB of physical memory.
 */
#ifndef _DEV_CONS_SCREEN_H_
#define _DEV_CONS_SCREEN_H_

#include <sys/types.h>

struct bootfb;
struct term_ops;

/*
 * VGA text mode (dev/cons/vgatext.c): cols x rows character cells at
 * physical address pa (0xb8000).  Hands the screen to the virtual
 * consoles.  Returns 0, or -EINVAL for a size it cannot handle.
 */
int	vgatext_cnattach(paddr_t pa, uint32_t cols, uint32_t rows);

/*
 * A linear RGB framebuffer (dev/cons/fbcons.c), as bootinfo describes it:
 * 8x16 glyphs of the built-in font, in the 16 VGA colours.  Hands the
 * screen to the virtual consoles.  Returns 0, -EINVAL for a layout it cannot draw, or -ERANGE
 * when the framebuffer lies above the boot direct map (4 GiB).
 */
int	fbcons_cnattach(const struct bootfb *fb);

/*
 * The virtual consoles (dev/cons/vcons.c) take the screen that ops draws
 * on (arg is its softc), cols x rows cells: tty1 is shown, blank, and
 * kernel messages go to the one shown from now on.  Called by a screen's
 * cnattach, once, before memory management.  Returns 0, -EBUSY (a screen
 * was taken already) or -EINVAL (too many cells).
 */
int	vcons_attach(const struct term_ops *ops, void *arg, int cols,
	    int rows);

#endif /* _DEV_CONS_SCREEN_H_ */
