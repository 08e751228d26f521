/*
 * termios(3) on a pseudo-terminal: canonical input and its editing
 * characters (ERASE, KILL, WERASE, LNEXT, EOF), echo and its flags
 * (ECHOE, ECHOCTL, ECHONL), input processing (IGNCR, INLCR, ISTRIP),
 * raw input with the four VMIN/VTIME cases, FIONREAD and TCFLSH.
 */
#include <errno.h>

#include "ptyutil.h"

/* Write str to the master, then read one read(2)'s worth of the slave. */
static ssize_t
line(int m, int s, const char *str, char *buf, size_t len)
{
	ssize_t r;

	if (write(m, str, strlen(str)) != (ssize_t)strlen(str))
		return -2;
	r = read(s, buf, len - 1);
	buf[r > 0 ? r : 0] = '\0';
	return r;
}

/* Set VMIN and VTIME and leave canonical mode. */
static int
raw(int s, int vmin, int vtime)
{
	struct termios t;

	if (tcgetattr(s, &t) < 0)
		return -1;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = vmin;
	t.c_cc[VTIME] = vtime;
	return tcsetattr(s, TCSANOW, &t);
}

int
main(int argc, char **argv)
{
	struct termios t;
	char buf[256];
	int m, s, n;

	(void)argc;
	conf_init(argv);
	if (pty_pair(&m, &s, O_NOCTTY, NULL, 0) < 0)
		bail_out("no pseudo-terminal pair");
	is_success(tcgetattr(s, &t), "tcgetattr(3)");
	ok((t.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG),
	    "termios(3): a new terminal is canonical, echoes, has signals");
	is_long(t.c_cc[VERASE], 0177, "termios(3): ERASE is DEL");
	is_long(t.c_cc[VMIN], 1, "termios(3): VMIN is 1");

	/* Editing (no echo, to read the lines alone). */
	is_success(pty_lflag(s, 0, ECHO), "tcsetattr(3): -echo");
	is_long(line(m, s, "abx\177c\n", buf, sizeof(buf)), 4,
	    "read(2): a canonical line with ERASE");
	is_str(buf, "abc\n", "termios(3) ERASE removes the last byte");
	line(m, s, "junk\025ok\n", buf, sizeof(buf));
	is_str(buf, "ok\n", "termios(3) KILL removes the line");
	line(m, s, "one two  \027three\n", buf, sizeof(buf));
	is_str(buf, "one three\n", "termios(3) WERASE removes a word");
	line(m, s, "a\026\177b\n", buf, sizeof(buf));
	is_str(buf, "a\177b\n", "termios(3) LNEXT quotes the next byte");
	line(m, s, "a\023b\021\n", buf, sizeof(buf));
	is_str(buf, "ab\n", "termios(3) IXON: STOP and START are not data");
	line(m, s, "\177\177x\n", buf, sizeof(buf));
	is_str(buf, "x\n", "termios(3) ERASE on an empty line does nothing");
	is_long(line(m, s, "abc\004", buf, sizeof(buf)), 3,
	    "termios(3) EOF ends a line without itself");
	is_str(buf, "abc", "read(2): the bytes before EOF");
	is_long(line(m, s, "\004", buf, sizeof(buf)), 0,
	    "read(2): EOF at the start of a line reads 0 bytes");
	is_long(write(m, "l1\nl2\n", 6), 6, "two lines at once");
	memset(buf, 0, sizeof(buf));
	is_long(read(s, buf, sizeof(buf)), 3,
	    "read(2): canonical reads return one line");
	is_long(read(s, buf, sizeof(buf)), 3, "read(2): then the next");
	is_long(line(m, s, "abcdef\n", buf, 4), 3,
	    "read(2): a short read takes part of the line");
	memset(buf, 0, sizeof(buf));
	is_long(read(s, buf, sizeof(buf)), 4, "read(2): then the rest");
	is_str(buf, "def\n", "read(2): the rest of the line");

	/* Echo. */
	is_success(pty_lflag(s, ECHO | ECHOE | ECHOCTL, 0), "+echo");
	is_long(line(m, s, "ab\177\n", buf, sizeof(buf)), 2, "a line");
	is_long(pty_read_n(m, buf, 7), 7, "the echo of \"ab<DEL>\\n\"");
	is_mem(buf, "ab\b \b\r\n", 7, "termios(3) ECHOE: ERASE is BS SP BS");
	is_long(line(m, s, "\001\n", buf, sizeof(buf)), 2, "a ^A line");
	is_long(pty_read_n(m, buf, 4), 4, "its echo");
	is_mem(buf, "^A\r\n", 4, "termios(3) ECHOCTL: ^A echoes as ^A");
	is_success(pty_lflag(s, ECHONL, ECHO), "-echo echonl");
	is_long(line(m, s, "q\n", buf, sizeof(buf)), 2, "a line");
	is_long(pty_read_n(m, buf, 2), 2, "its echo");
	is_mem(buf, "\r\n", 2, "termios(3) ECHONL: only NL is echoed");
	is_success(pty_lflag(s, 0, ECHONL), "-echonl");

	/* Input processing. */
	is_success(tcgetattr(s, &t), "tcgetattr(3)");
	t.c_iflag |= IGNCR | ISTRIP;
	is_success(tcsetattr(s, TCSANOW, &t), "igncr istrip");
	line(m, s, "a\rb\xe1\n", buf, sizeof(buf));
	is_str(buf, "aba\n", "termios(3) IGNCR drops CR, ISTRIP bit 7");
	t.c_iflag &= ~(IGNCR | ISTRIP | ICRNL);
	t.c_iflag |= INLCR;
	t.c_cc[VEOL] = '\r';
	is_success(tcsetattr(s, TCSANOW, &t), "inlcr, eol CR");
	line(m, s, "z\n", buf, sizeof(buf));
	is_str(buf, "z\r", "termios(3) INLCR: NL becomes CR (here EOL)");
	t.c_iflag = ICRNL | IXON;
	t.c_cc[VEOL] = 0;
	is_success(tcsetattr(s, TCSANOW, &t), "back to icrnl");

	/* FIONREAD and TCFLSH. */
	is_long(write(m, "abc\n", 4), 4, "a line");
	ok(pty_readable(s), "poll(2): the slave is readable");
	is_success(ioctl(s, FIONREAD, &n), "ioctl(2) FIONREAD");
	is_long(n, 4, "FIONREAD: the bytes of the line");
	is_success(tcflush(s, TCIFLUSH), "tcflush(3) TCIFLUSH");
	is_success(ioctl(s, FIONREAD, &n), "FIONREAD after it");
	is_long(n, 0, "tcflush(3): the input is gone");

	/* Raw: the four VMIN/VTIME cases. */
	is_success(raw(s, 0, 0), "raw, MIN 0 TIME 0");
	is_long(read(s, buf, sizeof(buf)), 0,
	    "MIN 0 TIME 0: nothing there reads 0 at once");
	is_long(write(m, "xy", 2), 2, "two bytes");
	ok(pty_readable(s), "poll(2): the slave is readable");
	is_long(read(s, buf, sizeof(buf)), 2, "MIN 0 TIME 0: what is there");
	is_success(raw(s, 0, 1), "raw, MIN 0 TIME 1");
	is_long(read(s, buf, sizeof(buf)), 0,
	    "MIN 0 TIME 1: nothing comes, 0 when the time runs out");
	is_long(write(m, "q", 1), 1, "a byte");
	is_long(read(s, buf, sizeof(buf)), 1, "MIN 0 TIME 1: the byte");
	is_success(raw(s, 3, 0), "raw, MIN 3 TIME 0");
	is_long(write(m, "abcd", 4), 4, "four bytes");
	ok(pty_readable(s), "poll(2): readable");
	is_long(read(s, buf, 2), 2, "MIN 3 TIME 0: a 2-byte read is not "
	    "held for MIN");
	is_long(write(m, "e", 1), 1, "a fifth byte");
	is_long(read(s, buf, sizeof(buf)), 3,
	    "MIN 3 TIME 0: returns once 3 bytes are there");
	is_success(raw(s, 5, 1), "raw, MIN 5 TIME 1");
	is_long(write(m, "ab", 2), 2, "two bytes");
	is_long(read(s, buf, sizeof(buf)), 2,
	    "MIN 5 TIME 1: the inter-byte timer returns what came");
	is_success(raw(s, 1, 0), "raw, MIN 1");
	is_success(pty_lflag(s, 0, ISIG), "-isig");
	is_long(write(m, "\001\003\n", 3), 3, "control bytes");
	is_long(pty_read_n(s, buf, 3), 3, "raw input");
	is_mem(buf, "\001\003\n", 3,
	    "termios(3) -ISIG: ^C is data, read as it is");
	close(s);
	close(m);
	return done_testing();
}
