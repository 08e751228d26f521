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

/*
 * VGA text mode (dev/cons/vgatext.c): cols x rows character cells at
 * physical address pa (0xb8000).  Clears the screen and registers the
 * console.  Returns 0, or -EINVAL for a size it cannot handle.
 */
int	vgatext_cnattach(paddr_t pa, uint32_t cols, uint32_t rows);

/*
 * A linear RGB framebuffer (dev/cons/fbcons.c), as bootinfo describes it:
 * 8x16 glyphs of the built-in font.  Clears the screen and registers the
 * console.  Returns 0, -EINVAL for a layout it cannot draw, or -ERANGE
 * when the framebuffer lies above the boot direct map (4 GiB).
 */
int	fbcons_cnattach(const struct bootfb *fb);

#endif /* _DEV_CONS_SCREEN_H_ */
