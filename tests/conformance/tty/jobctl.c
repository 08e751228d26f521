/*
 * Controlling terminals and job control on a pseudo-terminal (credentials(7),
 * termios(3), tcsetpgrp(3), ioctl_tty(2)): a session leader acquires the
 * first terminal it opens; ^C, ^\ and ^Z reach the foreground group only;
 * a background group gets SIGTTIN for reading and SIGTTOU for writing
 * with TOSTOP or for tcsetpgrp, or EIO/success when it ignores them;
 * tcsetpgrp's rules; TIOCSTI; SIGWINCH; SIGHUP to the session leader
 * when the master closes and to the foreground group when the leader
 * exits.
 *
 * The leader runs in a child (setsid) and records each result in a
 * shared page; the parent reports them.
 */
#include <errno.h>
#include <signal.h>
#include <sys/resource.h>

#include "ptyutil.h"

#define NRES	40

struct shared {
	int	res[NRES];	/* 0: not reached, 1: passed, 2: failed */
	int	got[NRES];	/* the value seen, for the diagnostic */
	volatile int flag;
	volatile int hup;
};

static struct shared *sh;
static int master;
static char slave[64];

static void
rec(int i, int cond, int got)
{
	sh->res[i] = cond ? 1 : 2;
	sh->got[i] = got;
}

/* A process of a new group of the session, foreground if fg, pausing. */
static pid_t
member(int sfd, int fg)
{
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		for (;;)
			pause();
	}
	setpgid(pid, pid);
	if (fg)
		tcsetpgrp(sfd, pid);
	return pid;
}

static void
reap(pid_t pid)
{
	int st;

	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
}

/*
 * In a background group: run op (1 read, 2 write, 3 tcsetpgrp), ignoring
 * its job-control signal if ign; returns its errno (0: it worked).
 */
static int
bg_op(int sfd, int op, int ign)
{
	char c;
	int st, r = 0;
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		signal(SIGTTOU, SIG_DFL);	/* the leader ignores it */
		if (ign)
			signal(op == 1 ? SIGTTIN : SIGTTOU, SIG_IGN);
		if (op == 1)
			r = read(sfd, &c, 1);
		else if (op == 2)
			r = write(sfd, "w", 1);
		else
			r = tcsetpgrp(sfd, getpid());
		_exit(r < 0 ? errno : 0);
	}
	setpgid(pid, pid);
	waitpid(pid, &st, WUNTRACED);
	if (WIFSTOPPED(st)) {
		r = 1000 + WSTOPSIG(st);	/* not expected */
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		return r;
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
}

/*
 * The signal that stopped a background op (1 read, 2 write, 3
 * tcsetpgrp), or -1 when it died, -100 - status when it exited.
 */
static int
bg_stopsig(int sfd, int op)
{
	char c;
	int st, sig;
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		signal(SIGTTOU, SIG_DFL);
		if (op == 1)
			(void)read(sfd, &c, 1);
		else if (op == 2)
			(void)write(sfd, "w", 1);
		else
			(void)tcsetpgrp(sfd, getpid());
		_exit(0);
	}
	setpgid(pid, pid);
	waitpid(pid, &st, WUNTRACED);
	if (!WIFSTOPPED(st)) {
		if (WIFEXITED(st))
			return -100 - WEXITSTATUS(st);
		return -1;
	}
	sig = WSTOPSIG(st);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return sig;
}

static void
on_winch(int sig)
{
	(void)sig;
	_exit(42);
}

static void
leader(void)
{
	static const struct { char c; int sig; } keys[] = {
		{ 003, SIGINT }, { 034, SIGQUIT }, { 032, SIGTSTP },
	};
	struct winsize ws = { 33, 99, 0, 0 }, ws2;
	struct rlimit rl = { 0, 0 };
	struct termios t;
	pid_t f, b, me = getpid();
	int sfd, st, i, r;
	char c;

	setrlimit(RLIMIT_CORE, &rl);
	signal(SIGTTOU, SIG_IGN);
	rec(0, setsid() == me, 0);
	rec(1, ioctl(master, TIOCGSID, &r) < 0 && errno == ENOTTY, errno);
	sfd = open(slave, O_RDWR);
	rec(2, sfd >= 0, errno);
	rec(3, tcgetsid(sfd) == me, tcgetsid(sfd));
	rec(4, tcgetpgrp(sfd) == me, tcgetpgrp(sfd));

	/* ^C, ^\ and ^Z: the foreground group, not the background one. */
	for (i = 0; i < 3; i++) {
		f = member(sfd, 1);
		b = member(sfd, 0);
		write(master, &keys[i].c, 1);
		waitpid(f, &st, WUNTRACED);
		rec(5 + i, keys[i].sig == SIGTSTP ?
		    WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP :
		    WIFSIGNALED(st) && WTERMSIG(st) == keys[i].sig, st);
		rec(8 + i, waitpid(b, &st, WNOHANG) == 0, st);
		reap(f);
		reap(b);
		tcsetpgrp(sfd, me);
	}

	/* Background groups. */
	r = bg_stopsig(sfd, 1);
	rec(11, r == SIGTTIN, r);
	rec(12, bg_op(sfd, 1, 1) == EIO, 0);
	rec(13, bg_op(sfd, 2, 0) == 0, 0);	/* -tostop: writes */
	tcgetattr(sfd, &t);
	t.c_lflag |= TOSTOP;
	tcsetattr(sfd, TCSANOW, &t);
	r = bg_stopsig(sfd, 2);
	rec(14, r == SIGTTOU, r);
	rec(15, bg_op(sfd, 2, 1) == 0, 0);	/* SIGTTOU ignored: writes */
	r = bg_stopsig(sfd, 3);
	rec(16, r == SIGTTOU, r);
	rec(17, bg_op(sfd, 3, 1) == 0, 0);

	/* tcsetpgrp's rules. */
	rec(18, tcsetpgrp(sfd, getppid()) < 0 && errno == EPERM, errno);
	rec(19, tcsetpgrp(sfd, 30000) < 0 && errno == ESRCH, errno);
	rec(20, tcsetpgrp(sfd, -1) < 0 && errno == EINVAL, errno);
	rec(21, tcsetpgrp(sfd, me) == 0, errno);

	/* TIOCSTI on the controlling terminal. */
	t.c_lflag &= ~(ICANON | ECHO);
	tcsetattr(sfd, TCSANOW, &t);
	c = 'Q';
	rec(22, ioctl(sfd, TIOCSTI, &c) == 0, errno);
	c = 0;
	rec(23, read(sfd, &c, 1) == 1 && c == 'Q', c);

	/* SIGWINCH to the foreground group. */
	f = fork();
	if (f == 0) {
		setpgid(0, 0);
		signal(SIGWINCH, on_winch);
		sh->flag = 1;
		for (;;)
			pause();
	}
	setpgid(f, f);
	tcsetpgrp(sfd, f);
	conf_wait_flag(&sh->flag, 1, 5, PTY_WAIT_MS);
	rec(24, ioctl(master, TIOCSWINSZ, &ws) == 0, errno);
	waitpid(f, &st, 0);
	rec(25, WIFEXITED(st) && WEXITSTATUS(st) == 42, st);
	rec(26, ioctl(sfd, TIOCGWINSZ, &ws2) == 0 && ws2.ws_row == 33 &&
	    ws2.ws_col == 99, ws2.ws_row);
	tcsetpgrp(sfd, me);

	rec(27, ioctl(sfd, TIOCSCTTY, 0) == 0, errno);
	close(sfd);
}

static void
on_hup(int sig)
{
	(void)sig;
	sh->hup = 1;
	_exit(0);
}

/*
 * A session leader whose foreground group is another process: the
 * leader exits, and that process gets SIGHUP.
 */
static void
leader_exits(void)
{
	pid_t f;
	int sfd;

	setsid();
	if ((sfd = open(slave, O_RDWR)) < 0)
		_exit(1);
	f = fork();
	if (f == 0) {
		setpgid(0, 0);
		signal(SIGHUP, on_hup);
		sh->flag = 2;
		for (;;)
			pause();
	}
	setpgid(f, f);
	if (tcsetpgrp(sfd, f) < 0)
		_exit(2);
	if (conf_wait_flag(&sh->flag, 2, 5, PTY_WAIT_MS) < 0)
		_exit(3);
	_exit(0);
}

/* A session leader that waits for SIGHUP from the master's close. */
static void
leader_hup(void)
{
	int sfd;

	close(master);
	setsid();
	if ((sfd = open(slave, O_RDWR)) < 0)
		_exit(1);
	sh->flag = 3;
	for (;;)
		pause();
}

int
main(int argc, char **argv)
{
	static const char *what[] = {
		"setsid(2): the child leads a new session",
		"TIOCGSID: a terminal no session has is ENOTTY",
		"open(2) of the slave by the session leader",
		"tcgetsid(3): the leader acquired it (its session)",
		"tcgetpgrp(3): the leader's group is the foreground",
		"termios(3) ISIG: ^C kills the foreground group (SIGINT)",
		"termios(3) ISIG: ^\\ kills the foreground group (SIGQUIT)",
		"termios(3) ISIG: ^Z stops the foreground group (SIGTSTP)",
		"termios(3): ^C spares the background group",
		"termios(3): ^\\ spares the background group",
		"termios(3): ^Z spares the background group",
		"termios(3): a background read stops with SIGTTIN",
		"termios(3): a background read ignoring SIGTTIN is EIO",
		"termios(3): a background write without TOSTOP writes",
		"termios(3) TOSTOP: a background write stops with SIGTTOU",
		"termios(3) TOSTOP: ignoring SIGTTOU, a background write "
		    "writes",
		"tcsetpgrp(3): from the background, stopped by SIGTTOU",
		"tcsetpgrp(3): from the background ignoring SIGTTOU, works",
		"tcsetpgrp(3): a group of another session is EPERM",
		"tcsetpgrp(3): no such group is ESRCH",
		"tcsetpgrp(3): a negative group is EINVAL",
		"tcsetpgrp(3): the caller's own group",
		"ioctl_tty(2) TIOCSTI on the controlling terminal",
		"TIOCSTI: the byte is read as input",
		"TIOCSWINSZ through the master",
		"TIOCSWINSZ: SIGWINCH reaches the foreground group",
		"TIOCGWINSZ of the slave: the new size",
		"TIOCSCTTY: the leader's own terminal again succeeds",
	};
	char buf[8];
	int st, sfd, i;
	pid_t pid;

	(void)argc;
	conf_init(argv);
	sh = conf_shared(sizeof(*sh));
	if (pty_pair(&master, &sfd, O_NOCTTY, slave, sizeof(slave)) < 0)
		bail_out("no pseudo-terminal pair");
	is_errno(tcsetpgrp(sfd, getpgrp()), ENOTTY,
	    "tcsetpgrp(3): not the caller's terminal is ENOTTY");
	ok(ioctl(sfd, TIOCNOTTY) < 0 && errno == ENOTTY,
	    "TIOCNOTTY: not the caller's terminal is ENOTTY");
	close(sfd);

	pid = conf_fork();
	if (pid == 0) {
		leader();
		_exit(0);
	}
	st = conf_wait(pid);
	is_exit(st, 0, "the session leader ran to its end");
	for (i = 0; i < (int)(sizeof(what) / sizeof(what[0])); i++) {
		ok(sh->res[i] == 1, "%s", what[i]);
		if (sh->res[i] != 1)
			diag("result %d, value %d", sh->res[i], sh->got[i]);
	}

	/* Leader exits: SIGHUP to its foreground group. */
	pid = conf_fork();
	if (pid == 0)
		leader_exits();
	is_exit(conf_wait(pid), 0, "a leader set a foreground group, exited");
	ok(conf_wait_flag(&sh->hup, 1, 5, PTY_WAIT_MS) == 0,
	    "SIGHUP reaches the foreground group when the leader exits");

	/* Master closes: SIGHUP to the session leader. */
	sh->flag = 0;
	sfd = open(slave, O_RDWR | O_NOCTTY);
	pid = conf_fork();
	if (pid == 0)
		leader_hup();
	ok(conf_wait_flag(&sh->flag, 3, 5, PTY_WAIT_MS) == 0,
	    "a session leader acquired the terminal");
	close(master);
	is_signal(conf_wait(pid), SIGHUP,
	    "SIGHUP kills the session leader when the master closes");
	is_long(read(sfd, buf, 1), 0, "read(2) after the hangup: EOF");
	is_errno(write(sfd, "x", 1), EIO, "write(2) after the hangup: EIO");
	close(sfd);
	return done_testing();
}
