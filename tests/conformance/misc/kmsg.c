/*
 * /dev/kmsg, the kernel log as records (Linux's
 * Documentation/ABI/testing/dev-kmsg): the device (1:11); a read returns
 * one record "priority,sequence,microseconds,flag;text\n" with control
 * bytes and the backslash escaped as \xNN, or EINVAL for a buffer too
 * small, or EAGAIN when there is nothing new (O_NONBLOCK); a blocking
 * read waits for a record; sequence numbers grow; lseek takes only
 * offset 0 (ESPIPE) with SEEK_SET, SEEK_DATA and SEEK_END (SEEK_CUR is
 * EINVAL); a write is one record with an optional "<N>" priority (the
 * facility defaults to LOG_USER) and no trailing newline; writes over
 * 1024 bytes are EINVAL; poll; reading needs privilege (EPERM).  On the
 * host the log is the host's: only the formats and this program's own
 * records are checked.  Lost records (EPIPE, POLLERR) are checked in
 * EclipseOS only: on the host filling the log would wipe the machine's.
 * No more than 9 writes go through one open (Linux's rate limit allows
 * 10 per open in 5 s), and every write ends with a newline: Linux keeps
 * a record without one from readers until the next record comes (it
 * might be continued).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "conf.h"

#define REC_MAX		8192
#define SYSLOG_SIZE_BUFFER	10

struct rec {
	unsigned int	prio;
	unsigned long long seq, usec;
	char		flag;
	char		text[REC_MAX];
};

/*
 * Parse one record as read from /dev/kmsg (n bytes); 0 if it has the
 * format (digits,digits,digits,flag; text newline, nothing else after),
 * -1 otherwise.
 */
static int
parse(const char *buf, long n, struct rec *r)
{
	const char *semi, *p;
	char *end;

	if (n < 2 || buf[n - 1] != '\n' || memchr(buf, '\n', n) != buf + n - 1)
		return -1;
	if ((semi = memchr(buf, ';', n)) == NULL)
		return -1;
	p = buf;
	r->prio = strtoul(p, &end, 10);
	if (end == p || *end != ',')
		return -1;
	p = end + 1;
	r->seq = strtoull(p, &end, 10);
	if (end == p || *end != ',')
		return -1;
	p = end + 1;
	r->usec = strtoull(p, &end, 10);
	if (end == p || *end != ',')
		return -1;
	p = end + 1;
	/* The flag, then possibly more ",field"s before ';'. */
	r->flag = *p;
	if (r->flag != '-' && r->flag != 'c')
		return -1;
	memcpy(r->text, semi + 1, buf + n - 1 - (semi + 1));
	r->text[buf + n - 1 - (semi + 1)] = '\0';
	return 0;
}

/* Writes text to a new write-only open of /dev/kmsg; write's result. */
static long
kmsg_put(const char *text)
{
	long n;
	int fd;

	if ((fd = open("/dev/kmsg", O_WRONLY)) < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	if (n < 0)
		n = -errno;
	close(fd);
	return n;
}

/*
 * Reads fd (non-blocking) until a record whose text is want; fills r.
 * Returns 0, or -1 if none came; *bad counts records without the format.
 */
static int
find(int fd, const char *want, struct rec *r, int *bad)
{
	static char buf[REC_MAX];
	long n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			return -1;
		if (parse(buf, n, r) < 0) {
			(*bad)++;
			continue;
		}
		if (strcmp(r->text, want) == 0)
			return 0;
	}
}

static void
unprivileged(void *arg)
{
	(void)arg;
	conf_drop_privileges();
	if (open("/dev/kmsg", O_RDONLY) >= 0 || errno != EPERM)
		_exit(1);
	if (open("/dev/kmsg", O_WRONLY) >= 0 || errno != EACCES)
		_exit(2);
	_exit(0);
}

static void
test_device(void)
{
	struct stat st;
	int status;

	if (stat("/dev/kmsg", &st) < 0)
		bail_out("no /dev/kmsg");
	ok(S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 &&
	    minor(st.st_rdev) == 11, "/dev/kmsg: character device 1:11");
	is_hex(st.st_mode & 07777, 0644, "/dev/kmsg: mode 0644");
	status = conf_in_child(unprivileged, NULL);
	is_exit(status, 0, "/dev/kmsg: an unprivileged open for reading is "
	    "EPERM, for writing EACCES (mode 0644)");
}

static void
test_records(void)
{
	static char buf[REC_MAX], big[4096];
	struct rec *r = malloc(sizeof(*r)), r2;
	struct pollfd p;
	int fd, wfd, bad = 0;
	long n;

	if (r == NULL || (fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK)) < 0)
		bail_out("open /dev/kmsg");
	n = read(fd, buf, sizeof(buf));
	ok(n > 0 && parse(buf, n, r) == 0, "/dev/kmsg: a read from the "
	    "start returns one record in the format");
	is_long(lseek(fd, 0, SEEK_END), 0, "/dev/kmsg: lseek(0, SEEK_END)");
	is_errno(read(fd, buf, sizeof(buf)), EAGAIN,
	    "/dev/kmsg: at the end, O_NONBLOCK: EAGAIN");
	is_errno(lseek(fd, 1, SEEK_SET), ESPIPE,
	    "/dev/kmsg: lseek to offset 1: ESPIPE");
	is_errno(lseek(fd, 0, SEEK_CUR), EINVAL,
	    "/dev/kmsg: lseek SEEK_CUR: EINVAL");
	p.fd = fd;
	p.events = POLLIN;
	p.revents = 0;

	is_long(kmsg_put("<15>conformance kmsg one\n"), 25,
	    "/dev/kmsg: a write returns its length");
	is_long(poll(&p, 1, 0), 1, "/dev/kmsg: poll: a new record is "
	    "readable");
	is_hex(p.revents, POLLIN, "/dev/kmsg: ... POLLIN");
	ok(find(fd, "conformance kmsg one", r, &bad) == 0,
	    "/dev/kmsg: the record comes back, newline and <15> removed");
	is_long(r->prio, 15, "/dev/kmsg: <15>: priority 15 (user.debug)");
	is_long(bad, 0, "/dev/kmsg: every record read has the format");

	kmsg_put("<31>conformance kmsg a\\b\tc\nd\n");
	ok(find(fd, "conformance kmsg a\\x5cb\\x09c\\x0ad", &r2, &bad) == 0,
	    "/dev/kmsg: a backslash, a tab and a newline come back as \\xNN");
	is_long(r2.prio, 31, "/dev/kmsg: <31>: priority 31 (daemon.debug)");
	ok(r2.seq > r->seq && r2.usec >= r->usec, "/dev/kmsg: sequence "
	    "numbers grow, and time does not go back (%llu > %llu)",
	    r2.seq, r->seq);
	kmsg_put("<7>conformance kmsg level 7\n");
	ok(find(fd, "conformance kmsg level 7", r, &bad) == 0 &&
	    r->prio == 15, "/dev/kmsg: <7> has facility 0: LOG_USER stays "
	    "(%u)", r->prio);
	kmsg_put("conformance kmsg <no prefix\n");
	ok(find(fd, "conformance kmsg <no prefix", r, &bad) == 0 &&
	    r->prio == 12, "/dev/kmsg: no prefix: user.warning, 12 (%u)",
	    r->prio);
	memset(big, 'x', sizeof(big));
	if ((wfd = open("/dev/kmsg", O_WRONLY)) < 0)
		bail_out("open /dev/kmsg for writing");
	is_errno(write(wfd, big, sizeof(big)), EINVAL,
	    "/dev/kmsg: a 4096-byte write is EINVAL");
	close(wfd);

	lseek(fd, 0, SEEK_END);
	kmsg_put("<15>conformance kmsg short buffer\n");
	is_errno(read(fd, buf, 8), EINVAL,
	    "/dev/kmsg: a record longer than the buffer: EINVAL");
	is_long(lseek(fd, 0, SEEK_SET), 0, "/dev/kmsg: lseek(0, SEEK_SET)");
	n = read(fd, buf, sizeof(buf));
	ok(n > 0 && parse(buf, n, r) == 0, "/dev/kmsg: ... reads again from "
	    "the oldest record");
	is_long(lseek(fd, 0, SEEK_DATA), 0, "/dev/kmsg: lseek(0, SEEK_DATA)");
	close(fd);
	free(r);
}

/* A blocking read waits for a record; a child writes one. */
static void
test_blocking(void)
{
	static char buf[REC_MAX];
	struct rec r;
	pid_t pid;
	long n;
	int fd, status;

	if ((fd = open("/dev/kmsg", O_RDONLY)) < 0)
		bail_out("open /dev/kmsg");
	lseek(fd, 0, SEEK_END);
	if ((pid = conf_fork()) == 0) {
		conf_sleep_ms(100);
		_exit(kmsg_put("<15>conformance kmsg wake\n") > 0 ? 0 : 1);
	}
	n = read(fd, buf, sizeof(buf));
	ok(n > 0 && parse(buf, n, &r) == 0, "/dev/kmsg: a blocking read "
	    "waits for a record (%ld)", n);
	status = conf_wait(pid);
	is_exit(status, 0, "the writer child");
	close(fd);
}

/*
 * Fill the log under a reader at the oldest record: its next read is
 * EPIPE, then it goes on from the oldest record left.
 */
static void
test_lost(void)
{
	static char buf[REC_MAX], line[1001];
	struct utsname u;
	struct pollfd p;
	long size, i, wrote = 0;
	int fd, wfd;
	struct rec r;

	if (uname(&u) < 0 || strcmp(u.sysname, "EclipseOS") != 0) {
		skip(4, "filling the log would wipe the host's kernel log");
		return;
	}
	size = klogctl(SYSLOG_SIZE_BUFFER, NULL, 0);
	if ((fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK)) < 0 ||
	    (wfd = open("/dev/kmsg", O_WRONLY)) < 0 || size <= 0)
		bail_out("open /dev/kmsg, SIZE_BUFFER");
	memset(line, 'y', sizeof(line) - 1);
	line[0] = '<';
	line[1] = '7';
	line[2] = '>';
	for (i = 0; wrote <= 2 * size; i++)
		wrote += write(wfd, line, sizeof(line) - 1);
	p.fd = fd;
	p.events = POLLIN | POLLPRI;
	p.revents = 0;
	poll(&p, 1, 0);
	is_hex(p.revents, POLLIN | POLLERR | POLLPRI,
	    "/dev/kmsg: records lost under a reader: POLLERR and POLLPRI");
	is_errno(read(fd, buf, sizeof(buf)), EPIPE,
	    "/dev/kmsg: records lost under a reader: EPIPE");
	i = read(fd, buf, sizeof(buf));
	ok(i > 0 && parse(buf, i, &r) == 0, "/dev/kmsg: ... then the oldest "
	    "record left");
	ok(strlen(r.text) == sizeof(line) - 4, "/dev/kmsg: ... one of the "
	    "records written");
	close(wfd);
	close(fd);
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	test_device();
	test_records();
	test_blocking();
	test_lost();
	return done_testing();
}
