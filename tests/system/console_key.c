/*
 * The init of the console-key system test (tests/system/suite_console.py):
 * checks the screen console as a terminal, then reads what is typed on
 * the PS/2 keyboard (QEMU's sendkey) from /dev/tty1 and prints it, with
 * a "console-key:" prefix, on its standard output (the console, which
 * the serial port carries).  Built with musl-gcc -static by the test.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* One line "console-key: ..." on standard output, in one write. */
static void
say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "console-key: ");
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	va_end(ap);
	buf[n++] = '\n';
	(void)write(1, buf, n);
}

/* Read one line from fd (canonical mode) and report it. */
static void
read_line(int fd, const char *what)
{
	char line[256];
	ssize_t n;

	n = read(fd, line, sizeof(line) - 1);
	if (n < 0) {
		say("%s: read: errno %d", what, errno);
		return;
	}
	line[n] = '\0';
	if (n > 0 && line[n - 1] == '\n')
		line[n - 1] = '\0';
	say("%s [%s]", what, line);
}

int
main(void)
{
	struct winsize ws;
	struct termios t;
	struct stat st;
	int fd, st2;
	pid_t pid;

	if (open("/dev/tty", O_RDWR) >= 0)
		say("/dev/tty without a controlling terminal: opens");
	else
		say("/dev/tty without a controlling terminal: %s",
		    errno == ENXIO ? "ENXIO" : strerror(errno));
	if ((fd = open("/dev/tty1", O_RDWR)) < 0) {
		say("open /dev/tty1: errno %d", errno);
		return 1;
	}
	if (fstat(fd, &st) == 0)
		say("tty1 rdev %d:%d", major(st.st_rdev), minor(st.st_rdev));
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0)
		say("winsize %dx%d", ws.ws_row, ws.ws_col);
	if (tcgetattr(fd, &t) == 0)
		say("canonical echo %d", (t.c_lflag & (ICANON | ECHO)) ==
		    (ICANON | ECHO));
	if (ioctl(fd, TIOCSCTTY, 0) < 0)
		say("TIOCSCTTY: errno %d", errno);
	if (open("/dev/tty", O_RDWR) < 0)
		say("/dev/tty with a controlling terminal: errno %d", errno);
	else
		say("/dev/tty with a controlling terminal: opens");
	say("ready");
	read_line(fd, "line");

	/* ^C typed on the keyboard kills the foreground group. */
	signal(SIGTTOU, SIG_IGN);
	if ((pid = fork()) == 0) {
		setpgid(0, 0);
		while (tcgetpgrp(fd) != getpid())
			usleep(1000);
		say("child reading");
		read_line(fd, "child line");
		_exit(0);
	}
	setpgid(pid, pid);
	tcsetpgrp(fd, pid);
	waitpid(pid, &st2, 0);
	tcsetpgrp(fd, getpgrp());
	if (WIFSIGNALED(st2))
		say("child killed by signal %d", WTERMSIG(st2));
	else
		say("child exited with status %d", WEXITSTATUS(st2));
	say("done");
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
