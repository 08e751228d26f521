/*
 * The init of the console-key and console-ttys system tests
 * (tests/system/suite_console.py), chosen by the name it runs as.
 *
 * As /init (console-key): checks the virtual console tty1 as a terminal,
 * then reads what is typed on the PS/2 keyboard (QEMU's sendkey) from
 * /dev/tty1 and prints it, with a "console-key:" prefix, on its standard
 * output (/dev/console, which is the serial port ttyS0).
 *
 * As /ttys (console-ttys): a reader on ttyS0 and one on tty1, each in a
 * session of its own with its terminal as controlling terminal, read one
 * line each at the same time, and report what they got on the console;
 * then marks are written on tty1, tty2 and tty0 while the test switches
 * virtual consoles with Alt+F2 and reads the screen back.
 *
 * Built with musl-gcc -static by the test.
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

static const char *prefix = "console-key";

/* One line "console-key: ..." on standard output, in one write. */
static void
say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "%s: ", prefix);
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

/* Open path read-write; report its device number as name. */
static int
open_report(const char *path, const char *name, int flags)
{
	struct stat st;
	int fd;

	if ((fd = open(path, O_RDWR | flags)) < 0) {
		say("%s: open: %s", name, errno == ENXIO ? "ENXIO" :
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0)
		say("%s rdev %d:%d", name, major(st.st_rdev),
		    minor(st.st_rdev));
	return fd;
}

/*
 * A child in a session of its own whose controlling terminal is path:
 * says it is ready, reads one line, reports it.
 */
static pid_t
line_reader(const char *path, const char *name)
{
	pid_t pid;
	int fd;

	if ((pid = fork()) != 0)
		return pid;
	setsid();
	if ((fd = open(path, O_RDWR)) < 0) {
		say("%s: open: errno %d", name, errno);
		_exit(1);
	}
	say("%s ctty %s", name, tcgetsid(fd) == getpid() ? "yes" : "no");
	say("%s ready", name);
	read_line(fd, name);
	_exit(0);
}

/* Write a line on the terminal at path. */
static void
mark(const char *path, const char *text)
{
	int fd;

	if ((fd = open(path, O_WRONLY | O_NOCTTY)) < 0) {
		say("%s: open: errno %d", path, errno);
		return;
	}
	(void)write(fd, text, strlen(text));
	close(fd);
}

static int
ttys_main(void)
{
	pid_t a, b;
	int fd, st;

	prefix = "console-ttys";
	(void)open_report("/dev/console", "console", O_NOCTTY);
	(void)open_report("/dev/ttyS0", "ttyS0", O_NOCTTY);
	(void)open_report("/dev/ttyS1", "ttyS1", O_NOCTTY);
	(void)open_report("/dev/tty1", "tty1", O_NOCTTY);
	a = line_reader("/dev/ttyS0", "ttyS0");
	b = line_reader("/dev/tty1", "tty1");
	waitpid(a, &st, 0);
	waitpid(b, &st, 0);
	say("readers done");

	/* Virtual consoles: tty1 is shown; the test switches to tty2. */
	mark("/dev/tty2", "\r\nVC2-MARK\r\n");
	mark("/dev/tty1", "\r\nVC1-MARK\r\n");
	say("marks written");
	if ((fd = open("/dev/tty2", O_RDWR | O_NOCTTY)) >= 0) {
		read_line(fd, "tty2 line");
		close(fd);
	}
	mark("/dev/tty0", "\r\nTTY0-MARK\r\n");
	say("tty0 written");
	if ((fd = open("/dev/tty1", O_RDWR | O_NOCTTY)) >= 0) {
		read_line(fd, "tty1 line");
		close(fd);
	}
	say("done");
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}

int
main(int argc, char **argv)
{
	struct winsize ws;
	struct termios t;
	struct stat st;
	int fd, st2;
	pid_t pid;

	if (argc > 0 && strstr(argv[0], "ttys") != NULL)
		return ttys_main();
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
