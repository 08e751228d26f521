/*
 * The control socket, /run/init.sock (a Unix stream socket, mode 0666),
 * which svc talks to.  A client sends one request line,
 *
 *	list | status NAME | log NAME | start NAME | stop NAME | restart NAME
 *
 * and init answers with one line holding the exit status svc should end
 * with ("0" or "1"), then text, then closes the connection.  Anybody may
 * look (list, status, log); only root (SO_PEERCRED) may change a
 * service's state.  start, stop and restart answer once done: the service
 * runs (a oneshot: has finished), has stopped, or has failed.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init.h"

#define CTL_CLIENTS	16
#define CTL_REQ_MAX	256

enum ctl_wait { WAIT_NONE, WAIT_STOP, WAIT_START };

struct client {
	int		 c_fd;		/* -1: a free slot */
	char		 c_req[CTL_REQ_MAX];
	size_t		 c_reqlen;
	char		*c_out;		/* the answer, once known */
	size_t		 c_outlen, c_outoff;
	enum ctl_wait	 c_wait;	/* answering when the service is... */
	struct service	*c_sv;
	bool		 c_restart;	/* restart: start after the stop */
};

static int ctl_fd = -1;
static struct client clients[CTL_CLIENTS];

/*
 * Make the socket (replacing a stale one).  Returns 0, or -1 after
 * logging why.
 */
int
control_open(void)
{
	struct sockaddr_un sun;
	char *slash;
	int i;

	for (i = 0; i < CTL_CLIENTS; i++)
		clients[i].c_fd = -1;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(init_conf.ic_socket) >= sizeof(sun.sun_path)) {
		log_msg(NULL, "socket path %s is too long",
		    init_conf.ic_socket);
		return -1;
	}
	strcpy(sun.sun_path, init_conf.ic_socket);
	if ((slash = strrchr(sun.sun_path, '/')) != NULL &&
	    slash != sun.sun_path) {
		*slash = '\0';
		(void)mkdir(sun.sun_path, 0755);
		*slash = '/';
	}
	ctl_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0);
	if (ctl_fd < 0) {
		log_msg(NULL, "socket: %s", strerror(errno));
		return -1;
	}
	(void)unlink(sun.sun_path);
	if (bind(ctl_fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    chmod(sun.sun_path, 0666) < 0 || listen(ctl_fd, 8) < 0) {
		log_msg(NULL, "%s: %s", sun.sun_path, strerror(errno));
		close(ctl_fd);
		ctl_fd = -1;
		return -1;
	}
	return 0;
}

/* Set c's answer: the status line, then text (printf). */
static void __attribute__((format(printf, 3, 4)))
ctl_answer(struct client *c, int status, const char *fmt, ...)
{
	char *text = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	free(c->c_out);
	c->c_out = NULL;
	if (n < 0 || asprintf(&c->c_out, "%d\n%s", status, text) < 0) {
		c->c_out = NULL;
		c->c_outlen = 0;
	} else
		c->c_outlen = strlen(c->c_out);
	free(text);
	c->c_outoff = 0;
	c->c_wait = WAIT_NONE;
}

static void
ctl_close(struct client *c)
{
	close(c->c_fd);
	free(c->c_out);
	memset(c, 0, sizeof(*c));
	c->c_fd = -1;
}

static void
ctl_list(struct client *c)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL) {
		ctl_answer(c, 1, "init: out of memory\n");
		return;
	}
	fprintf(f, "%-16s %-10s %7s %-7s %s\n", "SERVICE", "STATE", "PID",
	    "ENABLED", "DESCRIPTION");
	for (i = 0; i < nservices; i++) {
		struct service *sv = services[i];

		fprintf(f, "%-16s %-10s %7d %-7s %s\n", sv->sv_name,
		    service_state_name(sv), (int)sv->sv_pid,
		    sv->sv_enabled ? "yes" : "no",
		    sv->sv_desc != NULL ? sv->sv_desc : "");
	}
	fclose(f);
	ctl_answer(c, 0, "%s", buf);
	free(buf);
}

static void
ctl_status(struct client *c, struct service *sv)
{
	char last[96];

	if (!sv->sv_exited)
		snprintf(last, sizeof(last), "none");
	else if (WIFEXITED(sv->sv_status))
		snprintf(last, sizeof(last), "status %d",
		    WEXITSTATUS(sv->sv_status));
	else
		snprintf(last, sizeof(last), "signal %d (%s)",
		    WTERMSIG(sv->sv_status),
		    strsignal(WTERMSIG(sv->sv_status)));
	ctl_answer(c, 0,
	    "%s - %s\n"
	    "  state:     %s%s%s\n"
	    "  pid:       %d\n"
	    "  enabled:   %s\n"
	    "  restarts:  %d\n"
	    "  last exit: %s\n"
	    "  file:      %s\n",
	    sv->sv_name, sv->sv_desc != NULL ? sv->sv_desc : "",
	    service_state_name(sv),
	    sv->sv_state == SV_FAILED && sv->sv_why != NULL ? ": " : "",
	    sv->sv_state == SV_FAILED && sv->sv_why != NULL ? sv->sv_why : "",
	    (int)sv->sv_pid, sv->sv_enabled ? "yes" : "no", sv->sv_restarts,
	    last, sv->sv_file);
}

static void
ctl_log(struct client *c, struct service *sv)
{
	char *buf = malloc(SV_LOG_SIZE + 1);
	size_t n;

	if (buf == NULL) {
		ctl_answer(c, 1, "init: out of memory\n");
		return;
	}
	n = log_service_copy(sv, buf, SV_LOG_SIZE);
	buf[n] = '\0';
	ctl_answer(c, 0, "%s", buf);
	free(buf);
}

/* Is the root check passed?  SO_PEERCRED: the client's credentials. */
static bool
ctl_is_root(struct client *c)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(c->c_fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return false;
	return cred.uid == 0;
}

static void
ctl_begin_start(struct client *c, struct service *sv)
{
	const char *why = NULL;

	if (service_start(sv, &why) < 0) {
		ctl_answer(c, 1, "svc: cannot start %s: %s\n", sv->sv_name,
		    why);
		return;
	}
	log_msg(sv, "start requested");
	c->c_wait = WAIT_START;
	c->c_sv = sv;
}

/* A whole request line has come: act on it. */
static void
ctl_request(struct client *c)
{
	char verb[32] = "", name[200] = "", extra[8] = "";
	struct service *sv = NULL;
	int n;

	n = sscanf(c->c_req, "%31s %199s %7s", verb, name, extra);
	if (n == 1 && strcmp(verb, "list") == 0) {
		ctl_list(c);
		return;
	}
	if (n != 2) {
		ctl_answer(c, 1, "svc: bad request\n");
		return;
	}
	if ((sv = service_find(name)) == NULL) {
		ctl_answer(c, 1, "svc: no service %s\n", name);
		return;
	}
	if (strcmp(verb, "status") == 0) {
		ctl_status(c, sv);
		return;
	}
	if (strcmp(verb, "log") == 0) {
		ctl_log(c, sv);
		return;
	}
	if (strcmp(verb, "start") != 0 && strcmp(verb, "stop") != 0 &&
	    strcmp(verb, "restart") != 0) {
		ctl_answer(c, 1, "svc: unknown command %s\n", verb);
		return;
	}
	if (!ctl_is_root(c)) {
		ctl_answer(c, 1, "svc: %s %s: permission denied "
		    "(only root may change a service)\n", verb, name);
		return;
	}
	if (strcmp(verb, "start") == 0) {
		ctl_begin_start(c, sv);
		return;
	}
	log_msg(sv, "%s requested", verb);
	c->c_restart = strcmp(verb, "restart") == 0;
	c->c_sv = sv;
	c->c_wait = WAIT_STOP;
	(void)service_stop(sv);
}

/*
 * Answer the clients whose service has reached what they wait for, and
 * start the service of a restart whose stop is over.  Called from the
 * loop after the services' step.  Returns true when it asked a service
 * to start: the loop must then step the services again before it
 * sleeps, since a service that was not running (a oneshot that is done,
 * a stopped one) gives no signal that would wake it.
 */
bool
control_step(void)
{
	struct client *c;
	struct service *sv;
	bool started = false;
	int i;

	for (i = 0; i < CTL_CLIENTS; i++) {
		c = &clients[i];
		if (c->c_fd < 0 || c->c_wait == WAIT_NONE)
			continue;
		sv = c->c_sv;
		if (c->c_wait == WAIT_STOP && sv->sv_state != SV_STOPPING &&
		    sv->sv_state != SV_RUNNING) {
			if (!c->c_restart) {
				ctl_answer(c, 0, "%s: %s\n", sv->sv_name,
				    service_state_name(sv));
				continue;
			}
			ctl_begin_start(c, sv);
			started = true;
		}
		if (c->c_wait != WAIT_START)
			continue;
		if (sv->sv_state == SV_FAILED)
			ctl_answer(c, 1, "%s: failed: %s\n", sv->sv_name,
			    sv->sv_why != NULL ? sv->sv_why : "");
		else if ((sv->sv_state == SV_RUNNING &&
		    sv->sv_type == SV_SIMPLE) || sv->sv_state == SV_DONE ||
		    (sv->sv_state == SV_STOPPED && !sv->sv_want))
			ctl_answer(c, 0, "%s: %s, pid %d\n", sv->sv_name,
			    service_state_name(sv), (int)sv->sv_pid);
	}
	return started;
}

/*
 * The descriptors to poll: the listening socket, then each client
 * (reading its request, or writing its answer).  Returns how many.
 */
int
control_pollfds(struct pollfd *fds, int max)
{
	int i, n = 0;

	if (ctl_fd < 0 || max < CTL_CLIENTS + 1)
		return 0;
	fds[n].fd = ctl_fd;
	fds[n++].events = POLLIN;
	for (i = 0; i < CTL_CLIENTS; i++) {
		fds[n].fd = clients[i].c_fd;	/* -1 is skipped by poll */
		fds[n].events = clients[i].c_out != NULL ? POLLOUT :
		    clients[i].c_wait == WAIT_NONE ? POLLIN : 0;
		fds[n++].revents = 0;
	}
	return n;
}

static void
ctl_accept(void)
{
	int fd, i;

	while ((fd = accept4(ctl_fd, NULL, NULL,
	    SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
		for (i = 0; i < CTL_CLIENTS; i++)
			if (clients[i].c_fd < 0)
				break;
		if (i == CTL_CLIENTS) {
			close(fd);	/* busy: svc says the answer was lost */
			continue;
		}
		clients[i].c_fd = fd;
	}
}

static void
ctl_read(struct client *c)
{
	ssize_t n;
	char *nl;

	n = read(c->c_fd, c->c_req + c->c_reqlen,
	    sizeof(c->c_req) - 1 - c->c_reqlen);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		ctl_close(c);
		return;
	}
	c->c_reqlen += n;
	c->c_req[c->c_reqlen] = '\0';
	if ((nl = strchr(c->c_req, '\n')) != NULL) {
		*nl = '\0';
		ctl_request(c);
	} else if (c->c_reqlen == sizeof(c->c_req) - 1)
		ctl_answer(c, 1, "svc: request too long\n");
}

static void
ctl_write(struct client *c)
{
	ssize_t n;

	n = write(c->c_fd, c->c_out + c->c_outoff, c->c_outlen - c->c_outoff);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0 || (c->c_outoff += n) == c->c_outlen)
		ctl_close(c);
}

/* Act on what poll() reported for the n descriptors control_pollfds gave. */
void
control_handle(struct pollfd *fds, int n)
{
	struct client *c;
	int i;

	if (n == 0)
		return;
	if (fds[0].revents & POLLIN)
		ctl_accept();
	for (i = 0; i < CTL_CLIENTS && i + 1 < n; i++) {
		c = &clients[i];
		if (c->c_fd < 0 || fds[i + 1].fd != c->c_fd ||
		    fds[i + 1].revents == 0)
			continue;
		if (c->c_out != NULL)
			ctl_write(c);
		else if (c->c_wait == WAIT_NONE)
			ctl_read(c);
		else if (fds[i + 1].revents & (POLLHUP | POLLERR))
			ctl_close(c);	/* gave up waiting */
	}
}
