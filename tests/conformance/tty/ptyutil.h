/*
 * What the tty family's programs share: making a pseudo-terminal pair
 * and reading the master without timing assumptions (Linux processes
 * terminal input in a work queue, so echo and output appear a little
 * after the write that caused them: the helpers wait for them, with a
 * generous bound that only a broken kernel reaches).
 */
#ifndef _TTY_PTYUTIL_H_
#define _TTY_PTYUTIL_H_

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "conf.h"

#define PTY_WAIT_MS	5000

/*
 * A new pair: *mfd the master, *sfd the slave (opened with extra open
 * flags sflags; O_NOCTTY unless the caller wants a controlling terminal),
 * name its path when not NULL.  Returns 0, or -1 with errno.
 */
static inline int
pty_pair(int *mfd, int *sfd, int sflags, char *name, size_t len)
{
	char buf[64];

	if ((*mfd = posix_openpt(O_RDWR | O_NOCTTY)) < 0)
		return -1;
	if (grantpt(*mfd) < 0 || unlockpt(*mfd) < 0 ||
	    ptsname_r(*mfd, buf, sizeof(buf)) != 0)
		goto fail;
	if ((*sfd = open(buf, O_RDWR | sflags)) < 0)
		goto fail;
	if (name != NULL)
		strncpy(name, buf, len);
	return 0;
fail:
	close(*mfd);
	return -1;
}

/*
 * Read from fd until n bytes came or none came for PTY_WAIT_MS; returns
 * the bytes read (buf is NUL-terminated, n < its size).
 */
static inline size_t
pty_read_n(int fd, char *buf, size_t n)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		if (poll(&pfd, 1, PTY_WAIT_MS) <= 0)
			break;
		if ((r = read(fd, buf + got, n - got)) <= 0)
			break;
		got += r;
	}
	buf[got] = '\0';
	return got;
}

/* Wait until fd is readable (PTY_WAIT_MS at most); true if it is. */
static inline int
pty_readable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, PTY_WAIT_MS) == 1;
}

/* Set or clear c_lflag bits on, off of fd's terminal; 0 or -1. */
static inline int
pty_lflag(int fd, tcflag_t on, tcflag_t off)
{
	struct termios t;

	if (tcgetattr(fd, &t) < 0)
		return -1;
	t.c_lflag = (t.c_lflag | on) & ~off;
	return tcsetattr(fd, TCSANOW, &t);
}

#endif /* _TTY_PTYUTIL_H_ */
