/*
 * Terminal ioctls (Linux asm-generic/ioctls.h) and struct winsize.  The
 * terminals issue adds the rest of the termios set.  Includes nothing.
 */
#ifndef _SYS_ABI_IOCTL_H_
#define _SYS_ABI_IOCTL_H_

#define TCGETS		0x5401
#define TCSETS		0x5402
#define TIOCGWINSZ	0x5413
#define TIOCSWINSZ	0x5414
#define FIONREAD	0x541B	/* int: bytes ready to read */
#define FIONBIO		0x5421	/* int: set or clear O_NONBLOCK */
#define FIONCLEX	0x5450	/* clear close-on-exec */
#define FIOCLEX		0x5451	/* set close-on-exec */

struct l_winsize {
	unsigned short	ws_row;
	unsigned short	ws_col;
	unsigned short	ws_xpixel;
	unsigned short	ws_ypixel;
};

_Static_assert(sizeof(struct l_winsize) == 8, "l_winsize");

#endif /* _SYS_ABI_IOCTL_H_ */
