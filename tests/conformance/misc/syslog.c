/*
 * syslog(2) (klogctl(3)): the kernel log as text lines
 * "<priority>[seconds.micros] text\n", which BusyBox dmesg reads.
 * SIZE_BUFFER; READ_ALL returns the newest whole lines that fit, oldest
 * first, with a line written through /dev/kmsg at the end; READ takes
 * unread text; SIZE_UNREAD; the EINVAL rules (an unknown action, a NULL
 * buffer or a negative length for a read, a console level outside 1..8),
 * a length of 0 reads nothing, a kernel address is EFAULT; and, as with
 * Debian's kernel.dmesg_restrict=1, every action is EPERM without
 * privilege.  On the host the log is the host's: only formats are
 * checked.  CLEAR and the console actions change the machine's state, so
 * they run in EclipseOS only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "conf.h"

#define ACT_CLOSE		0
#define ACT_OPEN		1
#define ACT_READ		2
#define ACT_READ_ALL		3
#define ACT_READ_CLEAR		4
#define ACT_CLEAR		5
#define ACT_CONSOLE_OFF		6
#define ACT_CONSOLE_ON		7
#define ACT_CONSOLE_LEVEL	8
#define ACT_SIZE_UNREAD		9
#define ACT_SIZE_BUFFER		10

#define MARKER	"conformance syslog marker"

static long
sl(int type, char *buf, long len)
{
	return conf_sys(SYS_syslog, type, buf, len);
}

/*
 * Is buf (n bytes) made of whole lines "<digits>[ ... . ... ] text\n"?
 * Returns the number of lines, or -1.
 */
static int
lines_ok(const char *buf, long n)
{
	const char *p = buf, *end = buf + n, *nl;
	int count = 0;

	while (p < end) {
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			return -1;
		if (*p++ != '<')
			return -1;
		if (p >= nl || *p < '0' || *p > '9')
			return -1;
		while (p < nl && *p >= '0' && *p <= '9')
			p++;
		if (p + 2 >= nl || p[0] != '>' || p[1] != '[')
			return -1;
		p = memchr(p, ']', nl - p);
		if (p == NULL || memchr(p - 8, '.', 8) == NULL)
			return -1;
		p = nl + 1;
		count++;
	}
	return count;
}

static void
unprivileged(void *arg)
{
	char buf[64];
	static const int acts[] = { ACT_CLOSE, ACT_OPEN, ACT_READ_ALL,
	    ACT_SIZE_BUFFER, ACT_SIZE_UNREAD, ACT_CLEAR, 42 };
	size_t i;

	(void)arg;
	conf_drop_privileges();
	for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
		if (sl(acts[i], buf, sizeof(buf)) != -EPERM)
			_exit(10 + (int)i);
	_exit(0);
}

static void
test_errors(void)
{
	char buf[64];
	int status;

	status = conf_in_child(unprivileged, NULL);
	is_exit(status, 0, "syslog(2): every action is EPERM without "
	    "privilege (dmesg_restrict)");
	is_long(sl(42, buf, 1), -EINVAL, "syslog(2): action 42 is EINVAL");
	is_long(sl(-1, buf, 1), -EINVAL, "syslog(2): action -1 is EINVAL");
	is_long(sl(ACT_OPEN, NULL, 0), 0, "syslog(2): OPEN does nothing");
	is_long(sl(ACT_CLOSE, NULL, 0), 0, "syslog(2): CLOSE does nothing");
	is_long(sl(ACT_READ_ALL, NULL, 10), -EINVAL,
	    "syslog(2): READ_ALL into NULL is EINVAL");
	is_long(sl(ACT_READ_ALL, buf, -1), -EINVAL,
	    "syslog(2): READ_ALL of -1 bytes is EINVAL");
	is_long(sl(ACT_READ_ALL, buf, 0), 0,
	    "syslog(2): READ_ALL of 0 bytes reads nothing");
	is_long(sl(ACT_READ, NULL, 10), -EINVAL,
	    "syslog(2): READ into NULL is EINVAL");
	is_long(sl(ACT_READ, buf, 0), 0,
	    "syslog(2): READ of 0 bytes reads nothing");
	is_long(sl(ACT_READ_ALL, CONF_KERNEL_ADDR, 64), -EFAULT,
	    "syslog(2): READ_ALL to a kernel address is EFAULT");
	is_long(sl(ACT_CONSOLE_LEVEL, NULL, 0), -EINVAL,
	    "syslog(2): console level 0 is EINVAL");
	is_long(sl(ACT_CONSOLE_LEVEL, NULL, 9), -EINVAL,
	    "syslog(2): console level 9 is EINVAL");
}

static void
test_read(void)
{
	char small[256], *buf;
	long size, n;
	int fd;

	size = sl(ACT_SIZE_BUFFER, NULL, 0);
	cmp_long(size, ">=", 4096, "syslog(2): SIZE_BUFFER: the log's size");
	if (size <= 0 || (buf = malloc(size + 1)) == NULL)
		bail_out("SIZE_BUFFER");
	if ((fd = open("/dev/kmsg", O_WRONLY)) < 0 ||
	    write(fd, "<15>" MARKER "\n", strlen(MARKER) + 5) < 0)
		bail_out("write /dev/kmsg");
	close(fd);
	n = sl(ACT_READ_ALL, buf, size);
	cmp_long(n, ">", 0, "syslog(2): READ_ALL returns text");
	cmp_long(n, "<=", size, "syslog(2): ... no more than asked");
	cmp_long(lines_ok(buf, n), ">", 0, "syslog(2): ... whole lines "
	    "\"<prio>[secs.micros] text\"");
	buf[n > 0 ? n : 0] = '\0';
	ok(strstr(buf, "<15>[") != NULL && strstr(buf, "] " MARKER "\n") !=
	    NULL, "syslog(2): ... with the line written to /dev/kmsg, "
	    "priority first");
	n = sl(ACT_READ_ALL, small, sizeof(small));
	ok(n > 0 && n <= (long)sizeof(small) && lines_ok(small, n) > 0,
	    "syslog(2): READ_ALL of 256 bytes: the newest whole lines (%ld)",
	    n);
	cmp_long(sl(ACT_SIZE_UNREAD, NULL, 0), ">=", 0,
	    "syslog(2): SIZE_UNREAD");
	n = sl(ACT_READ, small, 100);
	ok(n > 0 && n <= 100, "syslog(2): READ of 100 bytes (%ld)", n);
	free(buf);
}

/* What changes the machine: EclipseOS only. */
static void
test_clear(void)
{
	struct utsname u;
	char buf[4096];
	long n;
	int fd;

	if (uname(&u) < 0 || strcmp(u.sysname, "EclipseOS") != 0) {
		skip(7, "CLEAR and the console level would change the host's");
		return;
	}
	is_long(sl(ACT_CLEAR, NULL, 0), 0, "syslog(2): CLEAR");
	is_long(sl(ACT_READ_ALL, buf, sizeof(buf)), 0,
	    "syslog(2): ... then READ_ALL has nothing");
	fd = open("/dev/kmsg", O_WRONLY);
	write(fd, "<15>" MARKER " 2\n", strlen(MARKER) + 7);
	close(fd);
	n = sl(ACT_READ_CLEAR, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	ok(n > 0 && strstr(buf, MARKER " 2\n") != NULL,
	    "syslog(2): READ_CLEAR: the line written since");
	is_long(sl(ACT_READ_ALL, buf, sizeof(buf)), 0,
	    "syslog(2): ... and it cleared");
	is_long(sl(ACT_CONSOLE_OFF, NULL, 0), 0, "syslog(2): CONSOLE_OFF");
	is_long(sl(ACT_CONSOLE_ON, NULL, 0), 0, "syslog(2): CONSOLE_ON");
	is_long(sl(ACT_CONSOLE_LEVEL, NULL, 7), 0,
	    "syslog(2): CONSOLE_LEVEL 7");
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	test_errors();
	test_read();
	test_clear();
	return done_testing();
}
