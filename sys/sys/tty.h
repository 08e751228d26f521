/*
 * The terminal line discipline (kern/tty.c) and pseudo-terminals
 * (kern/tty_pty.c).
 *
 * A struct tty is one terminal as processes see it: termios settings, a
 * window size, an input queue that the driver fills one byte at a time
 * (tty_input) and readers drain, edited a line at a time in canonical
 * mode, and an output queue that writers and echo fill (after output
 * processing) and the driver drains (tty_getout).  The driver learns
 * that output waits through its t_start callback; the pty master is
 * such a driver, and the serial port and the screen console will be.
 *
 * Controlling terminals live in the tty, not in struct proc: a session
 * (the processes with one p_sid) has controlling terminal tp when
 * tp->t_session is that sid, and its foreground process group is
 * t_pgrp.  A session leader acquires one at open (tty_open) unless
 * O_NOCTTY, or with TIOCSCTTY; it loses it when it exits
 * (tty_proc_exit), with TIOCNOTTY, or when the terminal hangs up.  Fork
 * keeps a child in its parent's session, so it shares the terminal;
 * setsid makes a session no terminal names.  Every tty is on tty_list
 * so that a process's terminal can be found (tty_find_ctty).
 *
 * Lock order: proc_lock, then tty_list_lock, then a tty's t_lock, then
 * poll_lock.  Signals are therefore sent after t_lock is dropped.
 *
 * Locks protecting members of this struct:
 *	I	immutable after tty_alloc
 *	L	tty_list_lock
 *	t	t_lock
 */
#ifndef _SYS_TTY_H_
#define _SYS_TTY_H_

#include <sys/abi/ioctl.h>
#include <sys/abi/termios.h>
#include <sys/lock.h>
#include <sys/poll.h>
#include <sys/types.h>

struct proc;
struct uio;

#define TTY_BUFSZ	4096	/* each queue; a canonical line <= 4095 */

/* t_inflags: what a byte of the input queue is. */
#define TTYIN_DELIM	0x01	/* ends a canonical line */
#define TTYIN_EOF	0x02	/* the EOF character: ends a line, not data */

struct tty {
	struct spinlock	 t_lock;
	struct tty	*t_next;	/* [L] tty_list */
	const char	*t_name;	/* [I] for log lines */
	uint32_t	 t_dev;		/* [I] device number (fstat) */
	void		(*t_start)(struct tty *tp); /* [I] output waits;
					   called with t_lock held */
	void		*t_sc;		/* [I] the driver's */
	struct l_termios t_termios;	/* [t] */
	struct l_winsize t_winsize;	/* [t] */
	int		 t_pgrp;	/* [t] foreground group, 0: none */
	int		 t_session;	/* [t] controlling session, 0: none */
	/* Input queue: a ring of t_inlen bytes from t_inhead. */
	uint8_t		 t_inbuf[TTY_BUFSZ];	/* [t] */
	uint8_t		 t_inflags[TTY_BUFSZ];	/* [t] TTYIN_* per byte */
	size_t		 t_inhead, t_inlen;	/* [t] */
	size_t		 t_incanon;	/* [t] bytes of finished lines */
	/* Output queue, the same way. */
	uint8_t		 t_outbuf[TTY_BUFSZ];	/* [t] */
	size_t		 t_outhead, t_outlen;	/* [t] */
	int		 t_column;	/* [t] of the output, for ONOCR */
	bool		 t_lnext;	/* [t] the next byte is literal */
	bool		 t_stopped;	/* [t] output stopped (^S, TCOOFF) */
	bool		 t_hup;		/* [t] hung up: EOF and EIO */
	bool		 t_excl;	/* [t] TIOCEXCL */
	int		 t_pktstat;	/* [t] TIOCPKT_* not yet read */
	bool		 t_pkt;		/* [t] TIOCPKT packet mode */
	struct pollhead	 t_poll;	/* [P] slave readers and writers */
	struct pollhead	 t_dpoll;	/* [P] the driver's side (master) */
};

extern struct spinlock tty_list_lock;

/*
 * A new terminal in its initial state (Linux's default termios: canonical
 * with echo and signals, ICRNL, OPOST|ONLCR, 38400 8N1), on tty_list.
 * start runs, with t_lock held, whenever output is queued.  Returns
 * NULL when out of memory.
 */
struct tty *tty_alloc(const char *name, uint32_t dev,
	    void (*start)(struct tty *), void *sc);
/* Take tp off tty_list and free it; nobody may use it any more. */
void	tty_free(struct tty *tp);

/*
 * The driver received byte c: input processing, editing, echo and
 * signals (sent after t_lock is dropped).  Takes t_lock.  Returns 0, or
 * -EAGAIN when the input queue has no room (c is dropped).
 */
int	tty_input(struct tty *tp, int c);
/* Room in the input queue for the driver; t_lock held. */
size_t	tty_inroom(struct tty *tp);
/*
 * Take up to n bytes of queued output into buf for the driver (wakes
 * writers).  t_lock held.  Returns the bytes taken.
 */
size_t	tty_getout(struct tty *tp, uint8_t *buf, size_t n);

/*
 * The terminal's file operations, for its driver's fileops: read, write
 * and poll of the terminal side, and the termios and job-control ioctls
 * (-ENOTTY for others; master: asked through the pty master, which
 * skips the controlling-terminal checks).  flags: the file's status
 * flags (O_NONBLOCK).  No lock held; they sleep.
 */
long	tty_read(struct tty *tp, struct uio *uio, int flags);
long	tty_write(struct tty *tp, struct uio *uio, int flags);
long	tty_ioctl(struct tty *tp, unsigned int cmd, unsigned long arg,
	    bool master);
int	tty_poll(struct tty *tp, int events, struct poll_table *pt);
/*
 * The terminal side was opened: a session leader without a controlling
 * terminal acquires tp unless noctty.  No lock held.  Returns 0 or
 * -EBUSY (TIOCEXCL and not root).
 */
int	tty_open(struct tty *tp, bool noctty);
/*
 * The terminal hangs up (the pty master closed): the session leader gets
 * SIGHUP and SIGCONT, the session loses it, reads see EOF and writes
 * EIO from now on.  No lock held.
 */
void	tty_hangup(struct tty *tp);
/*
 * Process p is exiting (kern_exit.c): when it leads a session with a
 * controlling terminal, the foreground group gets SIGHUP and SIGCONT and
 * the session loses the terminal.  No lock held.
 */
void	tty_proc_exit(struct proc *p);

/*
 * The device number of p's controlling terminal, for /dev/tty.  Takes
 * proc_lock and tty_list_lock.  Returns 0 or -ENXIO (none).
 */
int	tty_ctty_dev(struct proc *p, uint32_t *devp);
/*
 * Session sid's controlling terminal for /proc/PID/stat: its device
 * number and foreground group, or 0 and -1.  Takes tty_list_lock and
 * t_lock; proc_lock may be held.
 */
void	tty_session_info(int sid, uint32_t *devp, int *pgrpp);

/* kern/tty_pty.c: /dev/ptmx and devpts (devfs_init, at boot). */
void	pty_init(void);
/* Boot, once /dev is mounted: devpts on /dev/pts (kern/tty_pty.c). */
int	pty_mount_devpts(void);
/*
 * kern/tty_pty.c: kernel.pty.max (read; set by root: from 0, else
 * -EINVAL) and kernel.pty.nr, the pairs in use.  Take pty_lock.
 */
int	pty_max_get(void);
int	pty_max_set(int max);
int	pty_nr(void);

#endif /* _SYS_TTY_H_ */
