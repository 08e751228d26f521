/*
 * The terminal line discipline (sys/sys/tty.h): termios(3) and the
 * "General Terminal Interface" chapter of POSIX (XBD 11) rule what is
 * done here; Linux's behaviour decides where POSIX leaves a choice.
 *
 * Input: the driver hands bytes to tty_input, which applies c_iflag
 * (ISTRIP, IGNCR, ICRNL, INLCR, IXON), the signal characters (ISIG),
 * then either queues the byte (raw) or edits the current line
 * (ICANON: ERASE, KILL, WERASE, REPRINT, LNEXT, EOF, EOL), echoing as
 * c_lflag says.  A canonical line is readable once its delimiter is
 * queued; t_incanon counts the bytes of such finished lines, and the
 * bytes after them are the line being edited.
 *
 * Output: writes and echo go through c_oflag (OPOST, ONLCR, OCRNL,
 * ONOCR, ONLRET) into the output queue, and the driver's t_start is told.
 *
 * Sleep channels: &tp->t_inbuf (input arrived, or a hangup), &tp->t_inflags
 * (input room was made: the pty master's writers), &tp->t_outbuf (output
 * room was made, output restarted, or a hangup).
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/signal.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/malloc.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/tty.h>

#define CTRL(c)		((c) & 0x1f)
#define TTY_CHUNK	128
#define TTY_DECISEC_NS	100000000ULL

struct spinlock tty_list_lock = SPINLOCK_INIT("tty_list");
static struct tty *tty_list;			/* [L] */

/* Linux's default control characters (termios(3), INIT_C_CC). */
static const uint8_t tty_defcc[L_NCCS] = {
	[VINTR] = CTRL('C'), [VQUIT] = CTRL('\\'), [VERASE] = 0x7f,
	[VKILL] = CTRL('U'), [VEOF] = CTRL('D'), [VTIME] = 0, [VMIN] = 1,
	[VSTART] = CTRL('Q'), [VSTOP] = CTRL('S'), [VSUSP] = CTRL('Z'),
	[VREPRINT] = CTRL('R'), [VDISCARD] = CTRL('O'),
	[VWERASE] = CTRL('W'), [VLNEXT] = CTRL('V'),
};

/* Is c the enabled special character cc[idx]?  0 disables one. */
static bool
tty_cc(const struct tty *tp, int idx, int c)
{
	return tp->t_termios.c_cc[idx] != 0 && tp->t_termios.c_cc[idx] == c;
}

/*
 * A new terminal, in Linux's initial state, on tty_list; see sys/tty.h.
 */
struct tty *
tty_alloc(const char *name, uint32_t dev, void (*start)(struct tty *),
    void *sc)
{
	struct tty *tp;

	if ((tp = kmalloc(sizeof(*tp), M_ZERO)) == NULL)
		return NULL;
	spin_init(&tp->t_lock, "tty");
	tp->t_name = name;
	tp->t_dev = dev;
	tp->t_start = start;
	tp->t_sc = sc;
	tp->t_termios.c_iflag = ICRNL | IXON;
	tp->t_termios.c_oflag = OPOST | ONLCR;
	tp->t_termios.c_cflag = B38400 | CS8 | CREAD | HUPCL;
	tp->t_termios.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK |
	    ECHOCTL | ECHOKE | IEXTEN;
	memcpy(tp->t_termios.c_cc, tty_defcc, sizeof(tty_defcc));
	pollhead_init(&tp->t_poll);
	pollhead_init(&tp->t_dpoll);
	spin_lock(&tty_list_lock);
	tp->t_next = tty_list;
	tty_list = tp;
	spin_unlock(&tty_list_lock);
	return tp;
}

/* Take tp off tty_list and free it; its users are gone. */
void
tty_free(struct tty *tp)
{
	struct tty **tpp;

	spin_lock(&tty_list_lock);
	for (tpp = &tty_list; *tpp != NULL; tpp = &(*tpp)->t_next)
		if (*tpp == tp) {
			*tpp = tp->t_next;
			break;
		}
	spin_unlock(&tty_list_lock);
	pollhead_detach(&tp->t_poll);
	pollhead_detach(&tp->t_dpoll);
	kfree(tp);
}

/* The controlling terminal of session sid, or NULL; tty_list_lock held. */
static struct tty *
tty_find_ctty(int sid)
{
	struct tty *tp;

	KASSERT(spin_held(&tty_list_lock), "tty_find_ctty: tty_list_lock");
	for (tp = tty_list; tp != NULL; tp = tp->t_next)
		if (tp->t_session == sid)
			return tp;
	return NULL;
}

/* Send sig to every live process of group pgid; proc_lock held. */
static void
tty_signal_pgrp(int pgid, int sig)
{
	struct proc *p;

	KASSERT(spin_held(&proc_lock), "tty_signal_pgrp: proc_lock");
	if (pgid <= 0)
		return;
	for (p = proc_first(); p != NULL; p = proc_next(p))
		if (p != &proc0 && p->p_state == PRS_ALIVE &&
		    !p->p_exiting && p->p_pgid == pgid)
			(void)sig_post(p, sig, NULL);
}

/* The same, taking proc_lock. */
static void
tty_signal_pgrp_unlocked(int pgid, int sig)
{
	spin_lock(&proc_lock);
	tty_signal_pgrp(pgid, sig);
	spin_unlock(&proc_lock);
}

/*
 * POSIX XBD 3.265: is group pgid of session sid orphaned, no member
 * having a parent in another group of the same session?  proc_lock held.
 */
static bool
tty_pgrp_orphaned(int pgid, int sid)
{
	struct proc *p, *pp;

	for (p = proc_first(); p != NULL; p = proc_next(p)) {
		if (p == &proc0 || p->p_pgid != pgid || p->p_state != PRS_ALIVE)
			continue;
		pp = p->p_parent;
		if (pp != NULL && pp != &proc0 && pp->p_pgid != pgid &&
		    pp->p_sid == sid)
			return false;
	}
	return true;
}

/*
 * Job control for the caller's access to tp (POSIX XBD 11.1.4): a
 * process of a background group of the terminal's session gets sig
 * (SIGTTIN to read, SIGTTOU to write or change settings) sent to its
 * group, and the call is restarted after it (-EINTR marked as
 * interrupted).  When the caller blocks or ignores sig, reading is EIO
 * and the rest is allowed; an orphaned group gets EIO.  Returns 0 when
 * the access may go on.
 */
static int
tty_jobctl(struct tty *tp, int sig)
{
	struct proc *p = curproc;
	struct thread *td = curthread;
	unsigned long h;
	int error = 0, pgrp;

	spin_lock(&proc_lock);
	spin_lock(&tp->t_lock);
	pgrp = tp->t_pgrp;
	if (tp->t_session != p->p_sid || pgrp == 0 || pgrp == p->p_pgid) {
		spin_unlock(&tp->t_lock);
		spin_unlock(&proc_lock);
		return 0;
	}
	spin_unlock(&tp->t_lock);
	h = p->p_sigacts[sig - 1].sa_handler;
	if (h == SIG_IGN || (td->td_sigmask & SIGBIT(sig))) {
		error = sig == SIGTTIN ? -EIO : 0;
	} else if (tty_pgrp_orphaned(p->p_pgid, p->p_sid)) {
		error = -EIO;
	} else {
		tty_signal_pgrp(p->p_pgid, sig);
		td->td_sysintr = true;
		error = -EINTR;
	}
	spin_unlock(&proc_lock);
	return error;
}

/* Room in the output queue; t_lock held. */
static size_t
tty_outroom(const struct tty *tp)
{
	return TTY_BUFSZ - tp->t_outlen;
}

/* Queue byte c for output as it is; false when full.  t_lock held. */
static bool
tty_outq_put(struct tty *tp, int c)
{
	if (tp->t_outlen == TTY_BUFSZ)
		return false;
	tp->t_outbuf[(tp->t_outhead + tp->t_outlen) % TTY_BUFSZ] = c;
	tp->t_outlen++;
	return true;
}

/*
 * Queue byte c for output after c_oflag's processing; false (nothing
 * queued) when the queue lacks room for what it becomes.  t_lock held.
 */
static bool
tty_output(struct tty *tp, int c)
{
	unsigned int of = tp->t_termios.c_oflag;

	if (!(of & OPOST))
		return tty_outq_put(tp, c);
	if (tty_outroom(tp) < 2)
		return false;
	switch (c) {
	case '\n':
		if (of & ONLCR) {
			(void)tty_outq_put(tp, '\r');
			tp->t_column = 0;
		} else if (of & ONLRET) {
			tp->t_column = 0;
		}
		break;
	case '\r':
		if ((of & ONOCR) && tp->t_column == 0)
			return true;
		if (of & OCRNL) {
			c = '\n';
			if (of & ONLRET)
				tp->t_column = 0;
			break;
		}
		tp->t_column = 0;
		break;
	case '\t':
		tp->t_column = (tp->t_column | 7) + 1;
		break;
	case '\b':
		if (tp->t_column > 0)
			tp->t_column--;
		break;
	default:
		if (c >= 0x20 && c != 0x7f)
			tp->t_column++;
		break;
	}
	return tty_outq_put(tp, c);
}

/* Echo input byte c, as ^X under ECHOCTL for a control character. */
static void
tty_echo(struct tty *tp, int c)
{
	if ((tp->t_termios.c_lflag & ECHOCTL) &&
	    ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)) {
		(void)tty_output(tp, '^');
		(void)tty_output(tp, c ^ 0x40);
	} else {
		(void)tty_output(tp, c);
	}
}

/* Tell the driver output waits; t_lock held. */
static void
tty_start(struct tty *tp)
{
	if (tp->t_outlen > 0 && !tp->t_stopped && tp->t_start != NULL)
		tp->t_start(tp);
}

/* Queue input byte c with flags fl; false when full.  t_lock held. */
static bool
tty_inq_put(struct tty *tp, int c, int fl)
{
	size_t i;

	if (tp->t_inlen == TTY_BUFSZ)
		return false;
	i = (tp->t_inhead + tp->t_inlen) % TTY_BUFSZ;
	tp->t_inbuf[i] = c;
	tp->t_inflags[i] = fl;
	tp->t_inlen++;
	if (fl & TTYIN_DELIM)
		tp->t_incanon = tp->t_inlen;
	return true;
}

/* The i-th byte of the input queue; t_lock held. */
static int
tty_inq_at(const struct tty *tp, size_t i)
{
	return tp->t_inbuf[(tp->t_inhead + i) % TTY_BUFSZ];
}

/* Erase the visual form of byte c from the screen (ECHOE). */
static void
tty_echo_erase(struct tty *tp, int c)
{
	int n = 1, i;

	if ((tp->t_termios.c_lflag & ECHOCTL) &&
	    ((c < 0x20 && c != '\t') || c == 0x7f))
		n = 2;
	for (i = 0; i < n; i++) {
		(void)tty_output(tp, '\b');
		(void)tty_output(tp, ' ');
		(void)tty_output(tp, '\b');
	}
}

/*
 * Drop the last byte of the line being edited, echoing the erasure;
 * false when the line is empty.  t_lock held.
 */
static bool
tty_erase_one(struct tty *tp, int erasec)
{
	unsigned int lf = tp->t_termios.c_lflag;
	int c;

	if (tp->t_inlen == tp->t_incanon)
		return false;
	c = tty_inq_at(tp, tp->t_inlen - 1);
	tp->t_inlen--;
	if (lf & ECHO) {
		if (lf & ECHOE)
			tty_echo_erase(tp, c);
		else if (erasec != 0)
			tty_echo(tp, erasec);
	}
	return true;
}

/* ICANON's editing characters; true when c was one.  t_lock held. */
static bool
tty_edit(struct tty *tp, int c)
{
	unsigned int lf = tp->t_termios.c_lflag;
	size_t i;

	if (tty_cc(tp, VERASE, c)) {
		(void)tty_erase_one(tp, c);
		return true;
	}
	if (tty_cc(tp, VKILL, c)) {
		if ((lf & ECHO) && (lf & ECHOKE) && (lf & ECHOE)) {
			while (tty_erase_one(tp, 0))
				;
			return true;
		}
		tp->t_inlen = tp->t_incanon;
		if (lf & ECHO) {
			tty_echo(tp, c);
			if (lf & ECHOK)
				(void)tty_output(tp, '\n');
		}
		return true;
	}
	if (!(lf & IEXTEN))
		return false;
	if (tty_cc(tp, VWERASE, c)) {
		/* Blanks, then the word before them. */
		while (tp->t_inlen > tp->t_incanon &&
		    (tty_inq_at(tp, tp->t_inlen - 1) == ' ' ||
		    tty_inq_at(tp, tp->t_inlen - 1) == '\t'))
			(void)tty_erase_one(tp, 0);
		while (tp->t_inlen > tp->t_incanon &&
		    tty_inq_at(tp, tp->t_inlen - 1) != ' ' &&
		    tty_inq_at(tp, tp->t_inlen - 1) != '\t')
			(void)tty_erase_one(tp, 0);
		return true;
	}
	if (tty_cc(tp, VREPRINT, c)) {
		if (lf & ECHO) {
			tty_echo(tp, c);
			(void)tty_output(tp, '\n');
			for (i = tp->t_incanon; i < tp->t_inlen; i++)
				tty_echo(tp, tty_inq_at(tp, i));
		}
		return true;
	}
	if (tty_cc(tp, VLNEXT, c)) {
		tp->t_lnext = true;
		if ((lf & ECHO) && (lf & ECHOCTL)) {
			(void)tty_output(tp, '^');
			(void)tty_output(tp, '\b');
		}
		return true;
	}
	return false;
}

/* Discard the input queue; t_lock held. */
static void
tty_flush_in(struct tty *tp)
{
	tp->t_inhead = tp->t_inlen = tp->t_incanon = 0;
	tp->t_lnext = false;
	wakeup(&tp->t_inflags);
	pollwakeup(&tp->t_dpoll, POLLOUT);
}

/* Discard the output queue; t_lock held. */
static void
tty_flush_out(struct tty *tp)
{
	tp->t_outhead = tp->t_outlen = 0;
	wakeup(&tp->t_outbuf);
	pollwakeup(&tp->t_poll, POLLOUT);
}

/*
 * The signal characters (ISIG): which signal c raises (0: none), after
 * flushing the queues unless NOFLSH and echoing it.  t_lock held.
 */
static int
tty_isig(struct tty *tp, int c)
{
	unsigned int lf = tp->t_termios.c_lflag;
	int sig;

	if (!(lf & ISIG) || tp->t_lnext)
		return 0;
	if (tty_cc(tp, VINTR, c))
		sig = SIGINT;
	else if (tty_cc(tp, VQUIT, c))
		sig = SIGQUIT;
	else if (tty_cc(tp, VSUSP, c))
		sig = SIGTSTP;
	else
		return 0;
	if (!(lf & NOFLSH)) {
		tty_flush_in(tp);
		tty_flush_out(tp);
		if (tp->t_pkt)
			tp->t_pktstat |= TIOCPKT_FLUSHREAD |
			    TIOCPKT_FLUSHWRITE;
	}
	if (lf & ECHO)
		tty_echo(tp, c);
	return sig;
}

/*
 * One input byte: c_iflag, signals, editing, queueing and echo.  *sigp
 * gets a signal to send to *pgrpp once t_lock is dropped.  Returns 0 or
 * -EAGAIN (no room: dropped).  t_lock held.
 */
static int
tty_input_locked(struct tty *tp, int c, int *sigp, int *pgrpp)
{
	const struct l_termios *t = &tp->t_termios;
	unsigned int lf = t->c_lflag;
	bool lnext = tp->t_lnext;
	int fl = 0;

	if (t->c_iflag & ISTRIP)
		c &= 0x7f;
	if ((t->c_iflag & IXON) && !lnext) {
		if (tty_cc(tp, VSTOP, c)) {
			tp->t_stopped = true;
			if (tp->t_pkt)
				tp->t_pktstat |= TIOCPKT_STOP;
			return 0;
		}
		if (tty_cc(tp, VSTART, c)) {
			tp->t_stopped = false;
			if (tp->t_pkt)
				tp->t_pktstat |= TIOCPKT_START;
			wakeup(&tp->t_outbuf);
			pollwakeup(&tp->t_poll, POLLOUT);
			tty_start(tp);
			return 0;
		}
	}
	if (c == '\r' && !lnext) {
		if (t->c_iflag & IGNCR)
			return 0;
		if (t->c_iflag & ICRNL)
			c = '\n';
	} else if (c == '\n' && !lnext && (t->c_iflag & INLCR)) {
		c = '\r';
	}
	if ((*sigp = tty_isig(tp, c)) != 0) {
		*pgrpp = tp->t_pgrp;
		return 0;
	}
	tp->t_lnext = false;
	if (lf & ICANON) {
		if (!lnext && tty_edit(tp, c))
			return 0;
		if (!lnext && tty_cc(tp, VEOF, c)) {
			fl = TTYIN_DELIM | TTYIN_EOF;
		} else if (!lnext && (c == '\n' || tty_cc(tp, VEOL, c) ||
		    ((lf & IEXTEN) && tty_cc(tp, VEOL2, c)))) {
			fl = TTYIN_DELIM;
		} else if (tp->t_inlen >= TTY_BUFSZ - 1) {
			return -EAGAIN;	/* keep room for the newline */
		}
	}
	if (!tty_inq_put(tp, c, fl))
		return -EAGAIN;
	if ((lf & ECHO) && !(fl & TTYIN_EOF))
		tty_echo(tp, c);
	else if (c == '\n' && (lf & ECHONL) && (lf & ICANON))
		(void)tty_output(tp, '\n');
	if (!(lf & ICANON) || fl != 0) {
		wakeup(&tp->t_inbuf);
		pollwakeup(&tp->t_poll, POLLIN);
	}
	return 0;
}

/*
 * The driver received byte c; see sys/tty.h.  Signals go after t_lock.
 */
int
tty_input(struct tty *tp, int c)
{
	int error, sig = 0, pgrp = 0;

	spin_lock(&tp->t_lock);
	error = tty_input_locked(tp, c & 0xff, &sig, &pgrp);
	tty_start(tp);
	spin_unlock(&tp->t_lock);
	if (sig != 0)
		tty_signal_pgrp_unlocked(pgrp, sig);
	return error;
}

/*
 * Room in the input queue for the driver.  A canonical line that filled
 * the queue takes more bytes (they are dropped, as Linux does), so that
 * the writer cannot wait for ever.  t_lock held.
 */
size_t
tty_inroom(struct tty *tp)
{
	KASSERT(spin_held(&tp->t_lock), "tty_inroom: t_lock");
	if ((tp->t_termios.c_lflag & ICANON) && tp->t_incanon == 0)
		return 1;
	return TTY_BUFSZ - tp->t_inlen;
}

/* Take up to n bytes of output for the driver; t_lock held. */
size_t
tty_getout(struct tty *tp, uint8_t *buf, size_t n)
{
	size_t i;

	KASSERT(spin_held(&tp->t_lock), "tty_getout: t_lock");
	if (tp->t_stopped)
		return 0;
	for (i = 0; i < n && tp->t_outlen > 0; i++) {
		buf[i] = tp->t_outbuf[tp->t_outhead];
		tp->t_outhead = (tp->t_outhead + 1) % TTY_BUFSZ;
		tp->t_outlen--;
	}
	if (tp->t_outlen == 0)
		tp->t_outhead = 0;
	if (i > 0) {
		wakeup(&tp->t_outbuf);
		pollwakeup(&tp->t_poll, POLLOUT);
	}
	return i;
}

/*
 * Take up to n bytes of input for a reader into buf.  Canonical: stop
 * after a delimiter (*eolp set), an EOF mark is not data.  t_lock held.
 */
static size_t
tty_take(struct tty *tp, uint8_t *buf, size_t n, bool canon, bool *eolp)
{
	size_t i = 0, avail = canon ? tp->t_incanon : tp->t_inlen;
	uint8_t fl;

	while (i < n && avail > 0) {
		fl = tp->t_inflags[tp->t_inhead];
		if (!(fl & TTYIN_EOF))
			buf[i++] = tp->t_inbuf[tp->t_inhead];
		tp->t_inhead = (tp->t_inhead + 1) % TTY_BUFSZ;
		tp->t_inlen--;
		avail--;
		if (tp->t_incanon > 0)
			tp->t_incanon--;
		if (canon && (fl & TTYIN_DELIM)) {
			*eolp = true;
			break;
		}
	}
	if (tp->t_inlen == 0)
		tp->t_inhead = 0;
	wakeup(&tp->t_inflags);
	pollwakeup(&tp->t_dpoll, POLLOUT);
	return i;
}

/*
 * How many bytes a raw read waits for, and its timeout in ns (0: none),
 * from VMIN and VTIME (termios(3), the four cases); got bytes are in.
 */
static size_t
tty_raw_want(const struct tty *tp, size_t resid, size_t got,
    uint64_t *timeoutp)
{
	size_t vmin = tp->t_termios.c_cc[VMIN];
	uint64_t vtime = tp->t_termios.c_cc[VTIME] * TTY_DECISEC_NS;

	*timeoutp = 0;
	if (vmin == 0) {
		*timeoutp = vtime;
		return vtime == 0 ? 0 : 1;
	}
	if (vmin > resid)
		vmin = resid;
	if (got > 0 || tp->t_inlen > 0)
		*timeoutp = vtime;	/* inter-byte, once one came */
	return vmin;
}

/* read(2) of the terminal side; see sys/tty.h. */
long
tty_read(struct tty *tp, struct uio *uio, int flags)
{
	uint8_t buf[TTY_CHUNK];
	size_t got = 0, n, want;
	uint64_t timeout;
	bool canon, eol = false;
	long error;

	if ((error = tty_jobctl(tp, SIGTTIN)) < 0)
		return error;
	spin_lock(&tp->t_lock);
	for (;;) {
		canon = (tp->t_termios.c_lflag & ICANON) != 0;
		want = canon ? 1 : tty_raw_want(tp, uio->uio_resid + got,
		    got, &timeout);
		if (canon)
			timeout = 0;
		if ((canon ? tp->t_incanon : tp->t_inlen) > 0 &&
		    (canon || got + tp->t_inlen >= want || want == 0)) {
			n = tty_take(tp, buf, MIN(sizeof(buf),
			    uio->uio_resid), canon, &eol);
			spin_unlock(&tp->t_lock);
			if (n > 0 && (error = uio_move(buf, n, uio)) < 0)
				return got > 0 ? (long)got : error;
			got += n;
			if (eol || uio->uio_resid == 0 || (!canon &&
			    tp->t_inlen == 0 && got >= want))
				return got;
			spin_lock(&tp->t_lock);
			continue;
		}
		if (want == 0 || (got > 0 && got >= want) || tp->t_hup)
			break;
		if (flags & O_NONBLOCK) {
			error = got > 0 ? (long)got : -EAGAIN;
			spin_unlock(&tp->t_lock);
			return error;
		}
		error = tsleep_sig(&tp->t_inbuf, &tp->t_lock, "ttyin",
		    timeout);
		if (error == -ETIMEDOUT) {
			/* VTIME ran out: what came, if anything. */
			canon = false;
			n = tp->t_inlen > 0 ? tty_take(tp, buf,
			    MIN(sizeof(buf), uio->uio_resid), false, &eol) : 0;
			spin_unlock(&tp->t_lock);
			if (n > 0 && (error = uio_move(buf, n, uio)) < 0)
				return got > 0 ? (long)got : error;
			return got + n;
		}
		if (error < 0) {
			spin_unlock(&tp->t_lock);
			return got > 0 ? (long)got : error;
		}
	}
	spin_unlock(&tp->t_lock);
	return got;
}

/* write(2) of the terminal side; see sys/tty.h. */
long
tty_write(struct tty *tp, struct uio *uio, int flags)
{
	uint8_t buf[TTY_CHUNK];
	size_t done = 0, n, i;
	long error;

	if (tp->t_termios.c_lflag & TOSTOP) {
		if ((error = tty_jobctl(tp, SIGTTOU)) < 0)
			return error;
	}
	while (uio->uio_resid > 0) {
		if ((error = uio_move(buf, sizeof(buf), uio)) < 0)
			return done > 0 ? (long)done : error;
		n = error;
		spin_lock(&tp->t_lock);
		for (i = 0; i < n; ) {
			if (tp->t_hup) {
				spin_unlock(&tp->t_lock);
				return done > 0 ? (long)done : -EIO;
			}
			if (!tp->t_stopped && tty_output(tp, buf[i])) {
				i++;
				done++;
				continue;
			}
			tty_start(tp);
			if (flags & O_NONBLOCK)
				error = -EAGAIN;
			else
				error = tsleep_sig(&tp->t_outbuf, &tp->t_lock,
				    "ttyout", 0);
			if (error < 0) {
				spin_unlock(&tp->t_lock);
				return done > 0 ? (long)done : error;
			}
		}
		tty_start(tp);
		spin_unlock(&tp->t_lock);
	}
	return done;
}

/* poll(2) of the terminal side; see sys/tty.h. */
int
tty_poll(struct tty *tp, int events, struct poll_table *pt)
{
	int mask = 0;

	(void)events;
	poll_wait(&tp->t_poll, pt);
	spin_lock(&tp->t_lock);
	if ((tp->t_termios.c_lflag & ICANON) ? tp->t_incanon > 0 :
	    tp->t_inlen > 0)
		mask |= POLLIN | POLLRDNORM;
	if (tp->t_hup)
		mask |= POLLIN | POLLRDNORM | POLLHUP;
	else if (!tp->t_stopped && tty_outroom(tp) >= 2)
		mask |= POLLOUT | POLLWRNORM;
	spin_unlock(&tp->t_lock);
	return mask;
}

/* Wait until the driver took all output (TCSETSW, TCSBRK). */
static int
tty_drain(struct tty *tp)
{
	int error = 0;

	spin_lock(&tp->t_lock);
	while (tp->t_outlen > 0 && !tp->t_hup && error == 0) {
		tty_start(tp);
		error = tsleep_sig(&tp->t_outbuf, &tp->t_lock, "ttydrain", 0);
	}
	spin_unlock(&tp->t_lock);
	return error;
}

/* TCSETS, TCSETSW, TCSETSF. */
static long
tty_setattr(struct tty *tp, unsigned int cmd, unsigned long arg)
{
	struct l_termios t;
	int error;

	if ((error = copyin((const void __user *)arg, &t, sizeof(t))) < 0)
		return error;
	if (cmd != TCSETS && (error = tty_drain(tp)) < 0)
		return error;
	spin_lock(&tp->t_lock);
	if (cmd == TCSETSF)
		tty_flush_in(tp);
	if ((tp->t_termios.c_lflag & ICANON) && !(t.c_lflag & ICANON)) {
		/* The line being edited becomes readable. */
		tp->t_incanon = tp->t_inlen;
		wakeup(&tp->t_inbuf);
	} else if (!(tp->t_termios.c_lflag & ICANON) &&
	    (t.c_lflag & ICANON)) {
		tp->t_incanon = 0;	/* raw bytes start the next line */
	}
	tp->t_termios = t;
	wakeup(&tp->t_inbuf);
	pollwakeup(&tp->t_poll, POLLIN);
	spin_unlock(&tp->t_lock);
	return 0;
}

/*
 * TIOCSPGRP, tcsetpgrp(3): the caller's controlling terminal only; the
 * group must exist in the caller's session.
 */
static long
tty_setpgrp(struct tty *tp, unsigned long arg, bool master)
{
	struct proc *self = curproc, *p;
	int pgid, error, found = 0;

	if (!master && (error = tty_jobctl(tp, SIGTTOU)) < 0)
		return error;
	if ((error = copyin((const void __user *)arg, &pgid,
	    sizeof(pgid))) < 0)
		return error;
	if (pgid < 0)
		return -EINVAL;
	spin_lock(&proc_lock);
	spin_lock(&tp->t_lock);
	if (tp->t_session == 0 || (!master && tp->t_session != self->p_sid)) {
		error = -ENOTTY;
		goto out;
	}
	for (p = proc_first(); p != NULL; p = proc_next(p))
		if (p != &proc0 && p->p_state == PRS_ALIVE &&
		    p->p_pgid == pgid) {
			found = 1;
			if (p->p_sid == tp->t_session)
				found = 2;
		}
	/* A process that leads no group: Linux compares its session. */
	if (found == 0 && (p = proc_find(pgid)) != NULL && p != &proc0)
		found = 1;
	if (found == 0)
		error = -ESRCH;
	else if (found == 1)
		error = -EPERM;
	else
		tp->t_pgrp = pgid;
out:
	spin_unlock(&tp->t_lock);
	spin_unlock(&proc_lock);
	return error;
}

/*
 * TIOCSCTTY: the calling session leader takes tp as its controlling
 * terminal; one that another session has is stolen only by root with
 * arg 1.
 */
static long
tty_setctty(struct tty *tp, unsigned long arg)
{
	struct proc *p = curproc;
	int error = 0;

	spin_lock(&proc_lock);
	spin_lock(&tty_list_lock);
	spin_lock(&tp->t_lock);
	if (tp->t_session == p->p_sid && p->p_pid == p->p_sid)
		goto out;
	if (p->p_pid != p->p_sid || tty_find_ctty(p->p_sid) != NULL) {
		error = -EPERM;
		goto out;
	}
	if (tp->t_session != 0 && (arg != 1 || p->p_euid != 0)) {
		error = -EPERM;
		goto out;
	}
	tp->t_session = p->p_sid;
	tp->t_pgrp = p->p_pgid;
out:
	spin_unlock(&tp->t_lock);
	spin_unlock(&tty_list_lock);
	spin_unlock(&proc_lock);
	return error;
}

/*
 * The session leader gives up its terminal (TIOCNOTTY, exit): the
 * foreground group gets SIGHUP, and SIGCONT unless exiting.  proc_lock
 * and tty_list_lock held.
 */
static void
tty_disassociate(struct tty *tp, bool exiting, struct proc *leader)
{
	struct proc *p;
	int pgrp;

	spin_lock(&tp->t_lock);
	pgrp = tp->t_pgrp;
	tp->t_session = 0;
	tp->t_pgrp = 0;
	spin_unlock(&tp->t_lock);
	if (pgrp == 0)
		return;
	for (p = proc_first(); p != NULL; p = proc_next(p)) {
		if (p == &proc0 || p == leader || p->p_state != PRS_ALIVE ||
		    p->p_pgid != pgrp)
			continue;
		(void)sig_post(p, SIGHUP, NULL);
		if (!exiting)
			(void)sig_post(p, SIGCONT, NULL);
	}
}

/* TIOCNOTTY: only a session leader can give its terminal up here. */
static long
tty_notty(struct tty *tp)
{
	struct proc *p = curproc;
	long error = 0;

	spin_lock(&proc_lock);
	spin_lock(&tty_list_lock);
	if (tp->t_session != p->p_sid) {
		error = -ENOTTY;
	} else if (p->p_pid != p->p_sid) {
		klog("tty", "pid %d: TIOCNOTTY from a process that does not "
		    "lead its session is not supported", p->p_pid);
		error = -EINVAL;
	} else {
		tty_disassociate(tp, false, NULL);
	}
	spin_unlock(&tty_list_lock);
	spin_unlock(&proc_lock);
	return error;
}

/* TIOCSTI: fake input on the caller's terminal (root: any). */
static long
tty_sti(struct tty *tp, unsigned long arg)
{
	struct proc *p = curproc;
	uint8_t c;
	int error;

	if (tp->t_session != p->p_sid && p->p_euid != 0)
		return -EPERM;
	if ((error = copyin((const void __user *)arg, &c, 1)) < 0)
		return error;
	(void)tty_input(tp, c);
	return 0;
}

/* TIOCSWINSZ: a new size, and SIGWINCH to the foreground if it changed. */
static long
tty_setwinsz(struct tty *tp, unsigned long arg)
{
	struct l_winsize ws;
	int error, pgrp = 0;

	if ((error = copyin((const void __user *)arg, &ws, sizeof(ws))) < 0)
		return error;
	spin_lock(&tp->t_lock);
	if (memcmp(&ws, &tp->t_winsize, sizeof(ws)) != 0) {
		tp->t_winsize = ws;
		pgrp = tp->t_pgrp;
	}
	spin_unlock(&tp->t_lock);
	if (pgrp != 0)
		tty_signal_pgrp_unlocked(pgrp, SIGWINCH);
	return 0;
}

/* TCFLSH and TCXONC. */
static long
tty_flow(struct tty *tp, unsigned int cmd, unsigned long arg)
{
	long error = 0;

	spin_lock(&tp->t_lock);
	if (cmd == TCFLSH) {
		if (arg > TCIOFLUSH)
			error = -EINVAL;
		if (error == 0 && arg != TCOFLUSH)
			tty_flush_in(tp);
		if (error == 0 && arg != TCIFLUSH)
			tty_flush_out(tp);
		if (error == 0 && tp->t_pkt)
			tp->t_pktstat |= (arg != TCOFLUSH ?
			    TIOCPKT_FLUSHREAD : 0) | (arg != TCIFLUSH ?
			    TIOCPKT_FLUSHWRITE : 0);
	} else {
		switch (arg) {
		case TCOOFF:
			tp->t_stopped = true;
			break;
		case TCOON:
			tp->t_stopped = false;
			wakeup(&tp->t_outbuf);
			break;
		case TCIOFF:
			(void)tty_outq_put(tp, tp->t_termios.c_cc[VSTOP]);
			break;
		case TCION:
			(void)tty_outq_put(tp, tp->t_termios.c_cc[VSTART]);
			break;
		default:
			error = -EINVAL;
			break;
		}
	}
	tty_start(tp);
	pollwakeup(&tp->t_dpoll, 0);
	spin_unlock(&tp->t_lock);
	return error;
}

/* TIOCGPGRP and TIOCGSID: the caller's terminal (or the master's). */
static long
tty_getid(struct tty *tp, unsigned int cmd, unsigned long arg, bool master)
{
	int v;

	spin_lock(&tp->t_lock);
	if (!master && tp->t_session != curproc->p_sid) {
		spin_unlock(&tp->t_lock);
		return -ENOTTY;
	}
	v = cmd == TIOCGPGRP ? tp->t_pgrp : tp->t_session;
	spin_unlock(&tp->t_lock);
	if (cmd == TIOCGSID && v == 0)
		return -ENOTTY;
	return copyout(&v, (void __user *)arg, sizeof(v));
}

/* A number read under t_lock, copied out as an int. */
static long
tty_getint(struct tty *tp, unsigned int cmd, unsigned long arg)
{
	int v;

	spin_lock(&tp->t_lock);
	if (cmd == TIOCOUTQ)
		v = tp->t_outlen;
	else if (cmd == TIOCGEXCL)
		v = tp->t_excl;
	else
		v = (tp->t_termios.c_lflag & ICANON) ? tp->t_incanon :
		    tp->t_inlen;
	spin_unlock(&tp->t_lock);
	return copyout(&v, (void __user *)arg, sizeof(v));
}

/* ioctl(2) of a terminal; see sys/tty.h. */
long
tty_ioctl(struct tty *tp, unsigned int cmd, unsigned long arg, bool master)
{
	struct l_termios t;
	struct l_winsize ws;
	long error;

	switch (cmd) {
	case TCGETS:
		spin_lock(&tp->t_lock);
		t = tp->t_termios;
		spin_unlock(&tp->t_lock);
		return copyout(&t, (void __user *)arg, sizeof(t));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
	case TCFLSH:
	case TCXONC:
		if (!master && (error = tty_jobctl(tp, SIGTTOU)) < 0)
			return error;
		if (cmd == TCFLSH || cmd == TCXONC)
			return tty_flow(tp, cmd, arg);
		return tty_setattr(tp, cmd, arg);
	case TCSBRK:
		return tty_drain(tp);
	case TIOCGWINSZ:
		spin_lock(&tp->t_lock);
		ws = tp->t_winsize;
		spin_unlock(&tp->t_lock);
		return copyout(&ws, (void __user *)arg, sizeof(ws));
	case TIOCSWINSZ:
		return tty_setwinsz(tp, arg);
	case TIOCGPGRP:
	case TIOCGSID:
		return tty_getid(tp, cmd, arg, master);
	case TIOCSPGRP:
		return tty_setpgrp(tp, arg, master);
	case TIOCSCTTY:
		return tty_setctty(tp, arg);
	case TIOCNOTTY:
		return tty_notty(tp);
	case TIOCSTI:
		return tty_sti(tp, arg);
	case FIONREAD:
	case TIOCOUTQ:
	case TIOCGEXCL:
		return tty_getint(tp, cmd, arg);
	case TIOCEXCL:
	case TIOCNXCL:
		spin_lock(&tp->t_lock);
		tp->t_excl = cmd == TIOCEXCL;
		spin_unlock(&tp->t_lock);
		return 0;
	default:
		return -ENOTTY;
	}
}

/* A terminal side opened: controlling-terminal acquisition. */
int
tty_open(struct tty *tp, bool noctty)
{
	struct proc *p = curproc;
	int error = 0;

	spin_lock(&proc_lock);
	spin_lock(&tty_list_lock);
	spin_lock(&tp->t_lock);
	if (tp->t_excl && p->p_euid != 0) {
		error = -EBUSY;
	} else if (!noctty && p->p_pid == p->p_sid && tp->t_session == 0 &&
	    !tp->t_hup && tty_find_ctty(p->p_sid) == NULL) {
		tp->t_session = p->p_sid;
		tp->t_pgrp = p->p_pgid;
	}
	spin_unlock(&tp->t_lock);
	spin_unlock(&tty_list_lock);
	spin_unlock(&proc_lock);
	return error;
}

/* The terminal hangs up; see sys/tty.h. */
void
tty_hangup(struct tty *tp)
{
	struct proc *leader;
	int sid;

	spin_lock(&proc_lock);
	spin_lock(&tp->t_lock);
	tp->t_hup = true;
	sid = tp->t_session;
	tp->t_session = 0;
	tp->t_pgrp = 0;
	wakeup(&tp->t_inbuf);
	wakeup(&tp->t_outbuf);
	pollwakeup(&tp->t_poll, 0);
	spin_unlock(&tp->t_lock);
	if (sid != 0 && (leader = proc_find(sid)) != NULL &&
	    leader->p_state == PRS_ALIVE && leader->p_sid == sid) {
		(void)sig_post(leader, SIGHUP, NULL);
		(void)sig_post(leader, SIGCONT, NULL);
	}
	spin_unlock(&proc_lock);
}

/* A session leader exits; see sys/tty.h. */
void
tty_proc_exit(struct proc *p)
{
	struct tty *tp;

	if (p->p_pid != p->p_sid)
		return;
	spin_lock(&proc_lock);
	spin_lock(&tty_list_lock);
	if ((tp = tty_find_ctty(p->p_sid)) != NULL)
		tty_disassociate(tp, true, p);
	spin_unlock(&tty_list_lock);
	spin_unlock(&proc_lock);
}

/*
 * The device number of p's controlling terminal (for /dev/tty), in
 * *devp.  Takes proc_lock and tty_list_lock.  Returns 0, or -ENXIO when
 * p's session has none.
 */
int
tty_ctty_dev(struct proc *p, uint32_t *devp)
{
	struct tty *tp;
	int error = -ENXIO;

	spin_lock(&proc_lock);
	spin_lock(&tty_list_lock);
	if ((tp = tty_find_ctty(p->p_sid)) != NULL) {
		*devp = tp->t_dev;
		error = 0;
	}
	spin_unlock(&tty_list_lock);
	spin_unlock(&proc_lock);
	return error;
}

/*
 * The controlling terminal of session sid, for /proc/PID/stat: its
 * device number and foreground process group (0 and -1: none).  Takes
 * tty_list_lock and the tty's t_lock; proc_lock may be held.
 */
void
tty_session_info(int sid, uint32_t *devp, int *pgrpp)
{
	struct tty *tp;

	*devp = 0;
	*pgrpp = -1;
	spin_lock(&tty_list_lock);
	if ((tp = tty_find_ctty(sid)) != NULL) {
		spin_lock(&tp->t_lock);
		*devp = tp->t_dev;
		*pgrpp = tp->t_pgrp > 0 ? tp->t_pgrp : -1;
		spin_unlock(&tp->t_lock);
	}
	spin_unlock(&tty_list_lock);
}
