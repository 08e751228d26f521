/*
 * File leases (fcntl(2) "Leases"): F_SETLEASE and F_GETLEASE, who may
 * take which lease (EAGAIN with other opens, EACCES for a file of
 * another user, EINVAL for what is not a regular file), and the breaks:
 * a conflicting open with O_NONBLOCK is EWOULDBLOCK and signals the
 * holder (SIGIO, or F_SETSIG's signal with si_fd), a blocking one waits
 * until the holder releases or downgrades (or a signal interrupts it:
 * EINTR), truncate(2) breaks too, and closing the description ends the
 * lease.  The break time (/proc/sys/fs/lease-break-time) is only
 * shortened inside EclipseOS: on the host it is a global setting.
 */
/* conformance: timeout=60 */
#include <signal.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

#include "fs.h"

#define XF_SETSIG	10
#define XF_GETSIG	11
#define XF_SETLEASE	1024	/* F_LINUX_SPECIFIC_BASE */
#define XF_GETLEASE	1025
#define XPOLL_MSG	3	/* si_code of a lease break's signal */
#define BREAK_TIME	"/proc/sys/fs/lease-break-time"

static volatile sig_atomic_t got_sigio, got_usr1, usr1_fd, usr1_code;
static int lease_fd = -1;		/* the handlers' lease */
static int lease_on_signal = F_UNLCK;	/* what the handler sets */

static void
on_sigio(int sig)
{
	(void)sig;
	got_sigio++;
}

/* Count SIGIO and give the lease up (or down) as asked. */
static void
on_sigio_release(int sig)
{
	(void)sig;
	got_sigio++;
	(void)conf_sys(SYS_fcntl, lease_fd, XF_SETLEASE, lease_on_signal);
}

static void
on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	got_usr1++;
	usr1_fd = si->si_fd;
	usr1_code = si->si_code;
}

static void
on_alarm(int sig)
{
	(void)sig;
}

static void
catch(int sig, void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	if (sigaction(sig, &sa, NULL) != 0)
		tap_bail("sigaction: %s", tap_errname(errno));
}

static long
setlease(int fd, int type)
{
	return conf_sys(SYS_fcntl, fd, XF_SETLEASE, type);
}

static long
getlease(int fd)
{
	return conf_sys(SYS_fcntl, fd, XF_GETLEASE, 0);
}

/* The child's open of arg with the flags in open_flags: 0 or its errno. */
static int open_flags;

static void
child_open(void *arg)
{
	long fd = conf_sys(SYS_open, arg, open_flags);

	_exit(fd < 0 ? (int)-fd : 0);
}

/* The same, ended by SIGALRM after 200 ms (no SA_RESTART). */
static void
child_open_alarm(void *arg)
{
	if (conf_alarm(on_alarm, 0, 200, 0) != 0)
		_exit(100);
	child_open(arg);
}

static void
child_truncate_alarm(void *arg)
{
	if (conf_alarm(on_alarm, 0, 200, 0) != 0)
		_exit(100);
	_exit((int)-conf_sys(SYS_truncate, arg, 0));
}

/* As nobody: a read lease on root's file (mode 0644) is EACCES. */
static void
child_not_owner(void *arg)
{
	int fd;

	conf_drop_privileges();
	if ((fd = open(arg, O_RDONLY)) < 0)
		_exit(100);
	_exit((int)-setlease(fd, F_RDLCK));
}

static int
child_run(void (*fn)(void *), const char *path, int flags)
{
	open_flags = flags;
	return conf_in_child(fn, (void *)path);
}

static int
open_or_bail(const char *path, int flags)
{
	int fd;

	if ((fd = open(path, flags)) < 0)
		tap_bail("open %s: %s", path, tap_errname(errno));
	return fd;
}

/* Who may take which lease. */
static void
setting(void)
{
	int fd, fd2, p[2], status;

	fs_mkfile("f", "data");
	fd = open_or_bail("f", O_RDONLY);
	is_long(getlease(fd), F_UNLCK, "F_GETLEASE: no lease is F_UNLCK");
	is_syserr(setlease(fd, F_UNLCK), EAGAIN,
	    "F_SETLEASE: F_UNLCK without a lease is EAGAIN");
	is_sysok(setlease(fd, F_RDLCK), "F_SETLEASE: a read lease on a "
	    "file opened read-only with no writers");
	is_long(getlease(fd), F_RDLCK, "F_GETLEASE: F_RDLCK after it");
	fd2 = open_or_bail("f", O_RDONLY);
	is_sysok(setlease(fd2, F_RDLCK), "F_SETLEASE: a second read lease "
	    "through another description");
	is_syserr(setlease(fd, F_WRLCK), EAGAIN, "F_SETLEASE: a write lease "
	    "while another description is open is EAGAIN");
	is_sysok(setlease(fd2, F_UNLCK), "F_SETLEASE: F_UNLCK releases");
	is_long(getlease(fd2), F_UNLCK, "F_GETLEASE: F_UNLCK once released");
	close(fd2);
	is_sysok(setlease(fd, F_WRLCK), "F_SETLEASE: a read lease becomes a "
	    "write lease on the only open description");
	is_long(getlease(fd), F_WRLCK, "F_GETLEASE: F_WRLCK");
	is_syserr(setlease(fd, 5), EINVAL, "F_SETLEASE: an unknown type is "
	    "EINVAL");
	is_sysok(setlease(fd, F_UNLCK), "F_SETLEASE: F_UNLCK of a write "
	    "lease");

	fd2 = open_or_bail("f", O_WRONLY);
	is_syserr(setlease(fd, F_RDLCK), EAGAIN, "F_SETLEASE: a read lease "
	    "while another description writes is EAGAIN");
	close(fd2);
	close(fd);
	fd = open_or_bail("f", O_RDWR);
	is_syserr(setlease(fd, F_RDLCK), EAGAIN, "F_SETLEASE: a read lease "
	    "through a description open for writing is EAGAIN");
	is_sysok(setlease(fd, F_WRLCK), "F_SETLEASE: a write lease through "
	    "the only description, open for writing");
	close(fd);

	fd = open_or_bail(".", O_RDONLY | O_DIRECTORY);
	is_syserr(setlease(fd, F_RDLCK), EINVAL, "F_SETLEASE: a directory is "
	    "EINVAL");
	close(fd);
	if (pipe(p) != 0)
		tap_bail("pipe: %s", tap_errname(errno));
	is_syserr(setlease(p[0], F_RDLCK), EINVAL, "F_SETLEASE: a pipe is "
	    "EINVAL");
	close(p[0]);
	close(p[1]);
	fs_mkfile("rootfile", "data");
	if (chmod("rootfile", 0644) != 0 || chmod(".", 0755) != 0)
		tap_bail("chmod: %s", tap_errname(errno));
	status = conf_in_child(child_not_owner, "rootfile");
	is_exit(status, EACCES, "F_SETLEASE: a lease on another user's file "
	    "without CAP_LEASE is EACCES");
	fd = open_or_bail("f", O_RDONLY);
	is_syserr(conf_sys(SYS_fcntl, fd, XF_SETSIG, 65), EINVAL,
	    "F_SETSIG: a number past the last signal is EINVAL");
	is_sysok(conf_sys(SYS_fcntl, fd, XF_SETSIG, SIGUSR1),
	    "F_SETSIG: SIGUSR1");
	is_long(conf_sys(SYS_fcntl, fd, XF_GETSIG, 0), SIGUSR1,
	    "F_GETSIG: SIGUSR1");
	close(fd);
}

/* Breaks that do not wait: O_NONBLOCK, and the signals they send. */
static void
nonblocking(void)
{
	struct sigaction sa;
	int fd, status;

	catch(SIGIO, on_sigio);
	fd = open_or_bail("f", O_RDONLY);
	if (setlease(fd, F_RDLCK) != 0)
		tap_bail("F_SETLEASE: %s", tap_errname(errno));
	status = child_run(child_open, "f", O_RDONLY | O_NONBLOCK);
	is_exit(status, 0, "open(2): O_RDONLY of a read-leased file does "
	    "not break the lease");
	is_long(got_sigio, 0, "no SIGIO for it");
	status = child_run(child_open, "f", O_WRONLY | O_NONBLOCK);
	is_exit(status, EWOULDBLOCK, "open(2): O_WRONLY|O_NONBLOCK of a "
	    "read-leased file is EWOULDBLOCK");
	(void)conf_wait_flag((volatile int *)&got_sigio, 1, 5, 5000);
	is_long(got_sigio, 1, "the holder gets SIGIO");
	is_long(getlease(fd), F_UNLCK, "F_GETLEASE: during the break, the "
	    "target type F_UNLCK");
	is_sysok(setlease(fd, F_UNLCK), "F_SETLEASE: the holder releases");
	status = child_run(child_open, "f", O_WRONLY | O_NONBLOCK);
	is_exit(status, 0, "open(2): O_WRONLY|O_NONBLOCK once released");

	got_sigio = 0;
	if (setlease(fd, F_WRLCK) != 0)
		tap_bail("F_SETLEASE F_WRLCK: %s", tap_errname(errno));
	status = child_run(child_open, "f", O_RDONLY | O_NONBLOCK);
	is_exit(status, EWOULDBLOCK, "open(2): O_RDONLY|O_NONBLOCK of a "
	    "write-leased file is EWOULDBLOCK");
	is_long(getlease(fd), F_RDLCK, "F_GETLEASE: a reader's break "
	    "targets F_RDLCK");
	is_sysok(setlease(fd, F_RDLCK), "F_SETLEASE: the holder downgrades "
	    "to the target");
	is_long(getlease(fd), F_RDLCK, "F_GETLEASE: F_RDLCK after it");
	is_sysok(setlease(fd, F_UNLCK), "F_SETLEASE: and releases");

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	if (sigaction(SIGUSR1, &sa, NULL) != 0)
		tap_bail("sigaction: %s", tap_errname(errno));
	got_sigio = 0;
	if (conf_sys(SYS_fcntl, fd, XF_SETSIG, SIGUSR1) != 0 ||
	    setlease(fd, F_RDLCK) != 0)
		tap_bail("F_SETSIG, F_SETLEASE: %s", tap_errname(errno));
	status = child_run(child_open, "f", O_RDWR | O_NONBLOCK);
	is_exit(status, EWOULDBLOCK, "open(2): O_RDWR|O_NONBLOCK of a "
	    "read-leased file is EWOULDBLOCK");
	(void)conf_wait_flag((volatile int *)&got_usr1, 1, 5, 5000);
	ok(got_usr1 == 1 && got_sigio == 0, "F_SETSIG: the break sends its "
	    "signal (SIGUSR1), not SIGIO");
	is_long(usr1_fd, fd, "its si_fd is the lease's descriptor");
	is_long(usr1_code, XPOLL_MSG, "its si_code is POLL_MSG");
	(void)setlease(fd, F_UNLCK);
	(void)conf_sys(SYS_fcntl, fd, XF_SETSIG, 0);

	if (setlease(fd, F_RDLCK) != 0)
		tap_bail("F_SETLEASE: %s", tap_errname(errno));
	close(fd);
	status = child_run(child_open, "f", O_WRONLY | O_NONBLOCK);
	is_exit(status, 0, "close(2): the lease goes with the description");
}

/* Breaks that wait for the holder, or for a signal. */
static void
blocking(void)
{
	int status;

	got_sigio = 0;
	catch(SIGIO, on_sigio_release);
	lease_fd = open_or_bail("f", O_RDONLY);
	lease_on_signal = F_UNLCK;
	if (setlease(lease_fd, F_RDLCK) != 0)
		tap_bail("F_SETLEASE: %s", tap_errname(errno));
	status = child_run(child_open, "f", O_WRONLY);
	is_exit(status, 0, "open(2): O_WRONLY waits for the holder to "
	    "release on SIGIO, then opens");
	ok(got_sigio == 1 && getlease(lease_fd) == F_UNLCK,
	    "the holder got SIGIO and its lease is gone");

	got_sigio = 0;
	lease_on_signal = F_RDLCK;
	if (setlease(lease_fd, F_WRLCK) != 0)
		tap_bail("F_SETLEASE F_WRLCK: %s", tap_errname(errno));
	status = child_run(child_open, "f", O_RDONLY);
	is_exit(status, 0, "open(2): O_RDONLY of a write-leased file waits "
	    "for the holder to downgrade, then opens");
	ok(got_sigio == 1 && getlease(lease_fd) == F_RDLCK,
	    "the holder got SIGIO and keeps a read lease");
	(void)setlease(lease_fd, F_UNLCK);

	catch(SIGIO, SIG_IGN);
	if (setlease(lease_fd, F_RDLCK) != 0)
		tap_bail("F_SETLEASE: %s", tap_errname(errno));
	status = child_run(child_open_alarm, "f", O_WRONLY);
	is_exit(status, EINTR, "open(2): a signal ends the wait for a lease "
	    "break (EINTR)");
	(void)setlease(lease_fd, F_UNLCK);
	if (setlease(lease_fd, F_RDLCK) != 0)
		tap_bail("F_SETLEASE: %s", tap_errname(errno));
	status = conf_in_child(child_truncate_alarm, "f");
	is_exit(status, EINTR, "truncate(2) breaks a read lease and waits "
	    "(a signal ends it: EINTR)");
	(void)setlease(lease_fd, F_UNLCK);
}

/* Read the break time; -1 if the file cannot be read. */
static int
break_time(void)
{
	char buf[32];
	ssize_t n;
	int fd;

	if ((fd = open(BREAK_TIME, O_RDONLY)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return atoi(buf);
}

static int
set_break_time(int secs)
{
	char buf[32];
	int fd, n, r;

	if ((fd = open(BREAK_TIME, O_WRONLY)) < 0)
		return -1;
	n = snprintf(buf, sizeof(buf), "%d\n", secs);
	r = write(fd, buf, (size_t)n) == n ? 0 : -1;
	close(fd);
	return r;
}

/* The break time passing: the kernel removes the lease itself. */
static void
timeout(void)
{
	struct utsname u;
	int old, status;

	old = break_time();
	ok(old >= 0, "%s reads as a number of seconds (%d)", BREAK_TIME,
	    old);
	if (uname(&u) != 0 || strcmp(u.sysname, "EclipseOS") != 0) {
		skip(3, "the break time is a global setting of the host");
		return;
	}
	is_sysok(set_break_time(1) == 0 ? 0 : -errno, "%s can be set to 1 "
	    "by root", BREAK_TIME);
	if (setlease(lease_fd, F_RDLCK) != 0)
		tap_bail("F_SETLEASE: %s", tap_errname(errno));
	status = child_run(child_open, "f", O_WRONLY);
	is_exit(status, 0, "open(2): a holder that does not answer loses "
	    "its lease after the break time, and the open goes on");
	is_long(getlease(lease_fd), F_UNLCK, "F_GETLEASE: the lease is gone");
	if (set_break_time(old) != 0)
		diag("restoring %s: %s", BREAK_TIME, tap_errname(errno));
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	fs_setup("leases", NULL);
	setting();
	nonblocking();
	blocking();
	timeout();
	close(lease_fd);
	fs_done();
	return done_testing();
}
