/*
 * The console font: 256 glyphs of 8x16 pixels, one byte per pixel row,
 * the leftmost pixel in the most significant bit.  Glyph b is the one for
 * byte b read as Latin-1; control codes are blank.
 *
 * The table is generated at build time ($(BUILD)/gen/font8x16.c) by
 * sys/dev/cons/psf2c.py from a PSF console font of the Debian package
 * console-setup-linux; see sys/sys.mk.
 */
#ifndef _DEV_CONS_FONT_H_
#define _DEV_CONS_FONT_H_

#include <sys/types.h>

#define FONT_WIDTH	8
#define FONT_HEIGHT	16

extern const uint8_t	font8x16_glyphs[256][FONT_HEIGHT];
extern const char	font8x16_name[];	/* the PSF file it came from */

#endif /* _DEV_CONS_FONT_H_ */
