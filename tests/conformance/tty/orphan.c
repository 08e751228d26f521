/*
 * Job control in orphaned process groups (POSIX XBD 3.265, XSH 2.4.3 and
 * _exit): SIGTSTP, SIGTTIN and SIGTTOU whose action is to stop are
 * discarded in an orphaned group (kill and ^Z on a pseudo-terminal
 * alike), SIGSTOP is not; a process whose end orphans a group with a
 * stopped member sends every member SIGHUP and SIGCONT, and a group with
 * none stopped gets nothing.
 *
 * A session leader's own group is orphaned: its parent is in another
 * session.  Each case runs in a child that calls setsid.
 */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include "ptyutil.h"

#define WAIT_MS	10000

struct shared {
	volatile int stopped;	/* G2 is seen stopped by G1 */
	volatile int g1_hup, g2_hup, g2_cont, g2_resumed, g1_done;
	volatile int e_ready, e_hup, e_done;
};

static struct shared *sh;

/* Wait status of pid, stopped ones included; a stopped pid is killed. */
static int
wait_any(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, WUNTRACED) < 0 && errno == EINTR)
		;
	if (WIFSTOPPED(st)) {
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	return st;
}

/* In a new session (an orphaned group): stop signals sent by kill. */
static void
self_stop(void *arg)
{
	(void)arg;
	if (setsid() < 0)
		_exit(10);
	raise(SIGTSTP);
	raise(SIGTTIN);
	raise(SIGTTOU);
	_exit(0);
}

/* The control: a group whose parent is in the session does stop. */
static void
child_group_stop(void *arg)
{
	pid_t pid;
	int st;

	(void)arg;
	if (setsid() < 0)
		_exit(10);
	if ((pid = fork()) == 0) {
		setpgid(0, 0);
		raise(SIGTSTP);
		_exit(0);
	}
	setpgid(pid, pid);
	st = wait_any(pid);
	_exit(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP ? 0 : 11);
}

/* SIGSTOP stops even an orphaned group. */
static void
self_sigstop(void *arg)
{
	(void)arg;
	if (setsid() < 0)
		_exit(10);
	raise(SIGSTOP);
	_exit(0);
}

/*
 * ^Z typed on the controlling terminal of an orphaned foreground group:
 * the line that follows is read, so the SIGTSTP was taken and discarded.
 */
static void
ctty_susp(void *arg)
{
	const char *slave = arg;
	char buf[16];
	ssize_t r;
	int fd;

	if (setsid() < 0)
		_exit(10);
	if ((fd = open(slave, O_RDWR)) < 0)
		_exit(11);
	if (tcgetpgrp(fd) != getpid())
		_exit(12);
	sh->e_ready = 1;
	r = read(fd, buf, sizeof(buf));
	_exit(r == 2 && buf[0] == 'x' ? 0 : 13);
}

static void
g1_on_hup(int sig)
{
	(void)sig;
	sh->g1_hup++;
}

static void
g2_on_hup(int sig)
{
	(void)sig;
	sh->g2_hup++;
}

static void
g2_on_cont(int sig)
{
	(void)sig;
	sh->g2_cont++;
}

/*
 * Leader C; G1 in a group of its own, child of C; G2, G1's child in
 * G1's group, stops.  C's end orphans the group: both get SIGHUP and
 * SIGCONT, and G2 runs on.
 */
static void
exit_orphans_stopped(void *arg)
{
	pid_t g1, g2;
	int st;

	(void)arg;
	if (setsid() < 0)
		_exit(10);
	if ((g1 = fork()) == 0) {
		setpgid(0, 0);
		signal(SIGHUP, g1_on_hup);
		if ((g2 = fork()) == 0) {
			setpgid(0, getppid());
			signal(SIGHUP, g2_on_hup);
			signal(SIGCONT, g2_on_cont);
			raise(SIGSTOP);
			sh->g2_resumed = 1;
			_exit(0);
		}
		setpgid(g2, getpid());
		while (waitpid(g2, &st, WUNTRACED) < 0 && errno == EINTR)
			;
		if (WIFSTOPPED(st))
			sh->stopped = 1;
		(void)conf_wait_flag(&sh->g2_resumed, 1, 1, WAIT_MS);
		while (waitpid(g2, NULL, 0) < 0 && errno == EINTR)
			;
		sh->g1_done = 1;
		_exit(0);
	}
	setpgid(g1, g1);
	(void)conf_wait_flag(&sh->stopped, 1, 1, WAIT_MS);
	_exit(0);
}

static void
e_on_hup(int sig)
{
	(void)sig;
	sh->e_hup++;
}

/* The same with no stopped member: no SIGHUP. */
static void
exit_orphans_running(void *arg)
{
	pid_t c, g1;

	(void)arg;
	if (setsid() < 0)
		_exit(10);
	c = getpid();
	if ((g1 = fork()) == 0) {
		setpgid(0, 0);
		signal(SIGHUP, e_on_hup);
		sh->e_ready = 1;
		while (getppid() == c)
			conf_sleep_ms(1);
		(void)getpid();
		sh->e_done = 1;
		_exit(0);
	}
	setpgid(g1, g1);
	(void)conf_wait_flag(&sh->e_ready, 1, 1, WAIT_MS);
	_exit(0);
}

int
main(int argc, char **argv)
{
	char slave[64];
	int mfd, sfd, st;
	pid_t pid;

	(void)argc;
	conf_init(argv);
	sh = conf_shared(sizeof(*sh));

	if ((pid = conf_fork()) == 0)
		self_stop(NULL);
	is_exit(wait_any(pid), 0, "XSH 2.4.3: SIGTSTP, SIGTTIN and SIGTTOU "
	    "sent to an orphaned group are discarded");
	is_exit(conf_in_child(child_group_stop, NULL), 0,
	    "XSH 2.4.3: SIGTSTP stops a group whose parent is in the session");
	if ((pid = conf_fork()) == 0)
		self_sigstop(NULL);
	st = wait_any(pid);
	ok(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP,
	    "signal(7): SIGSTOP stops an orphaned group (%s)",
	    conf_status_str(st));

	if (pty_pair(&mfd, &sfd, O_NOCTTY, slave, sizeof(slave)) < 0)
		bail_out("pty pair: %s", strerror(errno));
	sh->e_ready = 0;
	if ((pid = conf_fork()) == 0)
		ctty_susp(slave);
	if (conf_wait_flag(&sh->e_ready, 1, 1, WAIT_MS) < 0)
		bail_out("the leader did not take its terminal");
	(void)write(mfd, "\032x\n", 3);
	is_exit(wait_any(pid), 0, "termios(3): ^Z in an orphaned foreground "
	    "group is discarded");
	close(sfd);
	close(mfd);

	sh->e_ready = 0;
	if ((pid = conf_fork()) == 0)
		exit_orphans_stopped(NULL);
	is_exit(wait_any(pid), 0, "the leader exits");
	ok(sh->stopped, "G2 stopped before the leader exited");
	ok(conf_wait_flag(&sh->g2_resumed, 1, 1, WAIT_MS) == 0,
	    "_exit(2): the stopped member of the orphaned group is continued");
	ok(conf_wait_flag(&sh->g1_done, 1, 1, WAIT_MS) == 0, "G1 ends");
	is_long(sh->g1_hup, 1, "_exit(2): a running member gets SIGHUP");
	is_long(sh->g2_hup, 1, "_exit(2): the stopped member gets SIGHUP");
	is_long(sh->g2_cont, 1, "_exit(2): the stopped member gets SIGCONT");

	if ((pid = conf_fork()) == 0)
		exit_orphans_running(NULL);
	is_exit(wait_any(pid), 0, "the leader exits");
	ok(conf_wait_flag(&sh->e_done, 1, 1, WAIT_MS) == 0,
	    "the member sees its new parent");
	is_long(sh->e_hup, 0, "_exit(2): an orphaned group with no stopped "
	    "member gets no SIGHUP");
	return done_testing();
}
