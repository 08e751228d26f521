/*
 * init's log.  Each line goes to the console (init's standard error,
 * /dev/console when the kernel started it), to /var/log/init.log once that
 * can be opened, and, when it is about a service, into that service's ring
 * of recent lines, which `svc log NAME` prints.  A service with
 * StandardOutput=log has its output logged the same way, line by line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init.h"

static int log_fd = -1;
static bool log_closed;		/* log_close: the console only from now */

/* Make every folder above path (mkdir -p of its dirname). */
static void
log_mkdirs(const char *path)
{
	char buf[4096];
	char *p;

	if (strlen(path) >= sizeof(buf))
		return;
	strcpy(buf, path);
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		(void)mkdir(buf, 0755);
		*p = '/';
	}
}

/*
 * Open the log file, making its folder; tried again by log_msg until it
 * works (the root may only become writable after /etc/fstab's mounts).
 */
void
log_open(void)
{
	if (log_fd >= 0 || log_closed)
		return;
	log_mkdirs(init_conf.ic_log);
	log_fd = open(init_conf.ic_log,
	    O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

/*
 * Close the log file for good (at shutdown, so that the root holds no
 * file open for writing and can be remounted read-only); later messages
 * go to the console only.
 */
void
log_close(void)
{
	log_closed = true;
	if (log_fd >= 0) {
		(void)fsync(log_fd);
		(void)close(log_fd);
		log_fd = -1;
	}
}

static void
log_write_all(int fd, const char *s, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= n;
	}
}

/* Append len bytes to sv's ring. */
static void
log_ring(struct service *sv, const char *s, size_t len)
{
	size_t n;

	if (sv->sv_log == NULL &&
	    (sv->sv_log = malloc(SV_LOG_SIZE)) == NULL)
		return;
	while (len > 0) {
		n = SV_LOG_SIZE - sv->sv_logpos;
		if (n > len)
			n = len;
		memcpy(sv->sv_log + sv->sv_logpos, s, n);
		sv->sv_logpos += n;
		if (sv->sv_logpos == SV_LOG_SIZE) {
			sv->sv_logpos = 0;
			sv->sv_logwrapped = true;
		}
		s += n;
		len -= n;
	}
}

/* One finished line: console (unless quiet), file, and sv's ring. */
static void
log_line(struct service *sv, const char *text, bool console)
{
	char line[SV_LINE_MAX + 128];
	int64_t ms = init_now();
	int n;

	n = snprintf(line, sizeof(line), "[%5lld.%03lld] %s\n",
	    (long long)(ms / 1000), (long long)(ms % 1000), text);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	if (console)
		log_write_all(STDERR_FILENO, line, n);
	if (log_fd < 0)
		log_open();
	if (log_fd >= 0)
		log_write_all(log_fd, line, n);
	if (sv != NULL)
		log_ring(sv, line, n);
}

/*
 * Log one message of init, "init: ...", or "init: NAME: ..." when it is
 * about the service sv (which may be NULL).
 */
void
log_msg(struct service *sv, const char *fmt, ...)
{
	char text[SV_LINE_MAX + 64], msg[SV_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (sv != NULL)
		snprintf(text, sizeof(text), "init: %s: %s", sv->sv_name, msg);
	else
		snprintf(text, sizeof(text), "init: %s", msg);
	log_line(sv, text, true);
}

/*
 * Log one line of a service's output (StandardOutput=log), "NAME: ...",
 * into the file and its ring only: the console is for what asks to be
 * seen there (StandardOutput=console).
 */
void
log_service_output(struct service *sv, const char *line, size_t len)
{
	char text[SV_LINE_MAX + 64];

	snprintf(text, sizeof(text), "%s: %.*s", sv->sv_name, (int)len, line);
	log_line(sv, text, false);
}

/*
 * Copy sv's ring, oldest byte first, into buf (at most size bytes, the
 * newest ones); returns how many bytes were copied.
 */
size_t
log_service_copy(struct service *sv, char *buf, size_t size)
{
	size_t total, skip, n, first;

	if (sv->sv_log == NULL)
		return 0;
	total = sv->sv_logwrapped ? SV_LOG_SIZE : sv->sv_logpos;
	skip = total > size ? total - size : 0;
	n = total - skip;
	if (!sv->sv_logwrapped) {
		memcpy(buf, sv->sv_log + skip, n);
		return n;
	}
	/* Oldest at sv_logpos, wrapping to 0. */
	first = (sv->sv_logpos + skip) % SV_LOG_SIZE;
	if (first + n <= SV_LOG_SIZE) {
		memcpy(buf, sv->sv_log + first, n);
	} else {
		memcpy(buf, sv->sv_log + first, SV_LOG_SIZE - first);
		memcpy(buf + (SV_LOG_SIZE - first), sv->sv_log,
		    n - (SV_LOG_SIZE - first));
	}
	return n;
}
