/*
 * pty(7), posix_openpt(3), grantpt(3), unlockpt(3), ptsname(3): the pair,
 * the slave lock, TIOCGPTN and TIOCGPTPEER, data both ways with output
 * processing, and what the slave sees when the master closes.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "ptyutil.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER	_IO('T', 0x41)
#endif

int
main(int argc, char **argv)
{
	char name[64], want[64], buf[256];
	struct termios t;
	struct stat st;
	unsigned int n;
	int m, s, s2, lock;

	(void)argc;
	conf_init(argv);

	ok((m = posix_openpt(O_RDWR | O_NOCTTY)) >= 0,
	    "posix_openpt(3): opens /dev/ptmx");
	if (m < 0)
		bail_out("no pseudo-terminals");
	is_long(isatty(m), 1, "isatty(3): the master is a terminal");
	is_success(ioctl(m, TIOCGPTN, &n), "ioctl(2) TIOCGPTN: the number");
	snprintf(want, sizeof(want), "/dev/pts/%u", n);
	is_str(ptsname(m), want, "ptsname(3): /dev/pts/N with TIOCGPTN's N");
	is_success(ioctl(m, TIOCGPTLCK, &lock), "TIOCGPTLCK");
	is_long(lock, 1, "pty(7): a new slave is locked");
	is_errno(open(want, O_RDWR | O_NOCTTY), EIO,
	    "open(2): a locked slave is EIO");
	is_success(grantpt(m), "grantpt(3) succeeds");
	is_success(unlockpt(m), "unlockpt(3) succeeds");
	ok((s = open(want, O_RDWR | O_NOCTTY)) >= 0,
	    "open(2): the unlocked slave opens");
	is_long(isatty(s), 1, "isatty(3): the slave is a terminal");
	is_success(fstat(s, &st), "fstat(2) of the slave");
	ok(S_ISCHR(st.st_mode), "fstat(2): the slave is a character device");
	is_long(major(st.st_rdev), 136, "fstat(2): slave major 136");
	is_long(minor(st.st_rdev), n, "fstat(2): slave minor N");

	/* Slave -> master, with ONLCR. */
	is_long(write(s, "ab\ncd", 5), 5, "write(2) to the slave");
	is_long(pty_read_n(m, buf, 6), 6, "the master reads the output");
	is_str(buf, "ab\r\ncd", "termios(3) ONLCR: NL becomes CR NL");
	/* Master -> slave, canonical, with echo back to the master. */
	is_long(write(m, "hi\r", 3), 3, "write(2) to the master");
	memset(buf, 0, sizeof(buf));
	is_long(read(s, buf, sizeof(buf)), 3,
	    "read(2) of the slave: one line");
	is_str(buf, "hi\n", "termios(3) ICRNL: CR becomes NL");
	is_long(pty_read_n(m, buf, 4), 4, "the echo reaches the master");
	is_str(buf, "hi\r\n", "termios(3) ECHO: the line is echoed");
	/* No post-processing. */
	is_success(tcgetattr(s, &t), "tcgetattr(3)");
	t.c_oflag &= ~OPOST;
	is_success(tcsetattr(s, TCSANOW, &t), "tcsetattr(3): -opost");
	is_long(write(s, "x\ny", 3), 3, "write(2) with -opost");
	is_long(pty_read_n(m, buf, 3), 3, "the master reads it");
	is_str(buf, "x\ny", "termios(3) -OPOST: bytes as written");
	t.c_oflag |= OPOST | OCRNL;
	t.c_oflag &= ~ONLCR;
	is_success(tcsetattr(s, TCSANOW, &t), "tcsetattr(3): ocrnl");
	is_long(write(s, "a\rb", 3), 3, "write(2) with ocrnl");
	is_long(pty_read_n(m, buf, 3), 3, "the master reads it");
	is_str(buf, "a\nb", "termios(3) OCRNL: CR becomes NL");

	/* Packet mode: each read starts with a status byte. */
	lock = 1;
	is_success(ioctl(m, TIOCPKT, &lock), "ioctl(2) TIOCPKT on");
	is_long(write(s, "k", 1), 1, "write(2) in packet mode");
	is_long(pty_read_n(m, buf, 2), 2, "the master reads 2 bytes");
	is_mem(buf, "\0k", 2, "ioctl_tty(2) TIOCPKT: TIOCPKT_DATA, then data");
	lock = 0;
	is_success(ioctl(m, TIOCPKT, &lock), "ioctl(2) TIOCPKT off");

	/* TIOCGPTPEER: another slave file. */
	ok((s2 = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY)) >= 0,
	    "ioctl(2) TIOCGPTPEER opens the slave");
	is_success(fstat(s2, &st), "fstat(2) of the peer");
	is_long(minor(st.st_rdev), n, "TIOCGPTPEER: the same slave");
	close(s2);

	/* The master goes: hangup. */
	is_success(close(m), "close(2) of the master");
	is_long(read(s, buf, sizeof(buf)), 0,
	    "read(2): end of file after the master closed");
	is_errno(write(s, "z", 1), EIO,
	    "write(2): EIO after the master closed");
	close(s);
	(void)name;
	return done_testing();
}
