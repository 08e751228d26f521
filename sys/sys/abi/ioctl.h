/*
 * Terminal ioctls (Linux asm-generic/ioctls.h) and struct winsize, and
 * the block-device ioctls (Linux linux/fs.h, ioctl type 0x12).  The
 * termios structure and its flags are in termios.h.  Includes nothing.
 */
#ifndef _SYS_ABI_IOCTL_H_
#define _SYS_ABI_IOCTL_H_

#define TCGETS		0x5401
#define TCSETS		0x5402
#define TCSETSW		0x5403	/* after the output drains */
#define TCSETSF		0x5404	/* after draining, flushing the input */
#define TCSBRK		0x5409
#define TCXONC		0x540A
#define TCFLSH		0x540B
#define TIOCEXCL	0x540C
#define TIOCNXCL	0x540D
#define TIOCSCTTY	0x540E
#define TIOCGPGRP	0x540F
#define TIOCSPGRP	0x5410
#define TIOCOUTQ	0x5411
#define TIOCSTI		0x5412
#define TIOCGWINSZ	0x5413
#define TIOCSWINSZ	0x5414
#define FIONREAD	0x541B	/* int: bytes ready to read */
#define TIOCPKT		0x5420
#define FIONBIO		0x5421	/* int: set or clear O_NONBLOCK */
#define TIOCNOTTY	0x5422
#define TIOCGSID	0x5429
#define TIOCGPTN	0x80045430	/* _IOR('T', 0x30, unsigned int) */
#define TIOCSPTLCK	0x40045431	/* _IOW('T', 0x31, int) */
#define TIOCGPKT	0x80045438	/* _IOR('T', 0x38, int) */
#define TIOCGPTLCK	0x80045439	/* _IOR('T', 0x39, int) */
#define TIOCGEXCL	0x80045440	/* _IOR('T', 0x40, int) */
#define TIOCGPTPEER	0x5441		/* _IO('T', 0x41) */
#define FIONCLEX	0x5450	/* clear close-on-exec */
#define FIOCLEX		0x5451	/* set close-on-exec */

#define BLKROSET	0x125D		/* _IO(0x12, 93): int, 1: read-only */
#define BLKROGET	0x125E		/* _IO(0x12, 94): int, 1 if read-only */
#define BLKGETSIZE	0x1260		/* _IO(0x12, 96): size in sectors */
#define BLKFLSBUF	0x1261		/* _IO(0x12, 97): sync, drop cache */
#define BLKSSZGET	0x1268		/* _IO(0x12, 104): int, logical block */
#define BLKPBSZGET	0x127B		/* _IO(0x12, 123): physical block */
#define BLKGETSIZE64	0x80081272	/* _IOR(0x12, 114, size_t): bytes */

struct l_winsize {
	unsigned short	ws_row;
	unsigned short	ws_col;
	unsigned short	ws_xpixel;
	unsigned short	ws_ypixel;
};

_Static_assert(sizeof(struct l_winsize) == 8, "l_winsize");

#endif /* _SYS_ABI_IOCTL_H_ */
