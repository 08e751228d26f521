/*
 * init: PID 1 of EclipseOS (Documentation/services.md).
 *
 *	init [-v] [-c ROOT] [-t SECONDS] [word...]
 *
 * -c ROOT reads the configuration under ROOT instead of / (services from
 * ROOT/etc/eclipse/services, ROOT/etc/fstab, ROOT/etc/hostname) and keeps
 * its log and socket there (ROOT/var/log/init.log, ROOT/run/init.sock):
 * how the tests run it, on the host in a fresh PID namespace or booted
 * with init=/sbin/init -- -c /tests/init-root.  -t sets the stop timeout
 * (SIGTERM to SIGKILL, 5 s), -v logs every orphan reaped.  The options
 * may come anywhere; other words (the kernel gives init the command-line
 * words it does not know) are logged and ignored.
 *
 * Boot: hostname, /etc/fstab, the log, the control socket, the services.
 * Then the loop: reap, act on signals, start and restart what is due,
 * answer svc, wait in poll() for the next event.  SIGUSR1 halts, SIGUSR2
 * powers off, SIGTERM and SIGINT (ctrl-alt-del) reboot: the services stop
 * in reverse dependency order, every other process is killed, the disks
 * synced and unmounted, then reboot(2).  init never exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "init.h"

#define INIT_POLL_MAX	64

struct init_conf init_conf = {
	.ic_stop_timeout = 5,
};

static int sig_pipe[2] = { -1, -1 };

/* Milliseconds of CLOCK_MONOTONIC (since boot on Linux and EclipseOS). */
int64_t
init_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sig_handler(int sig)
{
	unsigned char c = (unsigned char)sig;
	int saved = errno;

	(void)write(sig_pipe[1], &c, 1);
	errno = saved;
}

/* The self-pipe and the handlers; SIGPIPE ignored (svc may hang up). */
static void
init_signals(void)
{
	static const int sigs[] = {
		SIGCHLD, SIGUSR1, SIGUSR2, SIGTERM, SIGINT, SIGHUP
	};
	struct sigaction sa;
	size_t i;

	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		log_msg(NULL, "cannot make the signal pipe: %s; signals lost",
		    strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sig_handler;
	sigfillset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	/* Ctrl-alt-del sends us SIGINT rather than rebooting at once. */
	(void)reboot(RB_DISABLE_CAD);
}

static char *
init_path(const char *path)
{
	char *p;

	if (asprintf(&p, "%s%s", init_conf.ic_root, path) < 0) {
		/* Without memory at start-up there is nothing to run. */
		for (;;)
			pause();
	}
	return p;
}

/*
 * The options, wherever they are among the words (the kernel may put
 * words of its command line before them).  Unknown words are logged.
 */
static void
init_options(int argc, char **argv)
{
	const char *ignored[32];
	int i, nignored = 0;

	init_conf.ic_root = "";
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc) {
			i++;
			init_conf.ic_root = strcmp(argv[i], "/") == 0 ? "" :
			    argv[i];
		} else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) {
			init_conf.ic_stop_timeout = atoi(argv[++i]);
			if (init_conf.ic_stop_timeout < 1)
				init_conf.ic_stop_timeout = 1;
		} else if (strcmp(argv[i], "-v") == 0)
			init_conf.ic_verbose = true;
		else if (nignored < 32)
			ignored[nignored++] = argv[i];
	}
	init_conf.ic_services = init_path(INIT_SERVICES_DIR);
	init_conf.ic_fstab = init_path(INIT_FSTAB);
	init_conf.ic_hostname = init_path(INIT_HOSTNAME);
	init_conf.ic_log = init_path(INIT_LOG);
	init_conf.ic_socket = init_path(INIT_SOCKET);
	log_msg(NULL, "EclipseOS init starting%s%s",
	    *init_conf.ic_root != '\0' ? ", configuration under " : "",
	    init_conf.ic_root);
	if (getpid() != 1)
		log_msg(NULL, "warning: running as pid %d, not 1",
		    (int)getpid());
	for (i = 0; i < nignored; i++)
		log_msg(NULL, "argument \"%s\" ignored", ignored[i]);
}

/* The name in /etc/hostname, when there is one. */
static void
init_hostname(void)
{
	char name[256];
	FILE *f;

	if ((f = fopen(init_conf.ic_hostname, "re")) == NULL)
		return;
	if (fgets(name, sizeof(name), f) != NULL) {
		name[strcspn(name, " \t\r\n")] = '\0';
		if (name[0] != '\0' && sethostname(name, strlen(name)) < 0)
			log_msg(NULL, "cannot set the hostname to %s: %s",
			    name, strerror(errno));
		else if (name[0] != '\0')
			log_msg(NULL, "hostname %s", name);
	}
	fclose(f);
}

/* A signal arrived: note what init must do. */
static void
init_signal(int sig)
{
	static const char *const what[] = {
		[HALT_HALT] = "halt", [HALT_POWEROFF] = "power-off",
		[HALT_REBOOT] = "reboot",
	};
	enum init_halt h;

	switch (sig) {
	case SIGCHLD:
		return;		/* the loop reaps anyway */
	case SIGUSR1:
		h = HALT_HALT;
		break;
	case SIGUSR2:
		h = HALT_POWEROFF;
		break;
	case SIGTERM:
	case SIGINT:
		h = HALT_REBOOT;
		break;
	default:
		log_msg(NULL, "signal %d (%s) ignored", sig, strsignal(sig));
		return;
	}
	if (init_conf.ic_halt != HALT_NONE) {
		log_msg(NULL, "%s requested, already shutting down", what[h]);
		return;
	}
	log_msg(NULL, "%s requested (%s); stopping the services", what[h],
	    strsignal(sig));
	init_conf.ic_halt = h;
}

static void
init_read_signals(void)
{
	unsigned char buf[64];
	ssize_t n, i;

	while ((n = read(sig_pipe[0], buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++)
			init_signal(buf[i]);
}

/* Reap whatever has exited, for up to ms milliseconds or until none. */
static void
init_reap_for(int ms)
{
	int64_t end = init_now() + ms;
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	while (init_now() < end) {
		services_reap();
		if (waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD)
			return;
		nanosleep(&ts, NULL);
	}
}

/*
 * The services have stopped: end every other process, sync, unmount,
 * remount the root read-only (when fstab has a line for it: a disk root
 * is then clean), and halt, power off or reboot.  When reboot(2) fails,
 * say so and go on reaping: init never exits.
 */
static void
init_finish(void)
{
	int cmd;

	log_msg(NULL, "every service stopped; killing the other processes");
	(void)kill(-1, SIGTERM);
	init_reap_for(init_conf.ic_stop_timeout * 1000);
	(void)kill(-1, SIGKILL);
	init_reap_for(1000);
	sync();
	mount_unmount_all();
	mount_root_readonly();
	sync();
	switch (init_conf.ic_halt) {
	case HALT_HALT:
		log_msg(NULL, "halting");
		cmd = RB_HALT_SYSTEM;
		break;
	case HALT_POWEROFF:
		log_msg(NULL, "powering off");
		cmd = RB_POWER_OFF;
		break;
	default:
		log_msg(NULL, "rebooting");
		cmd = RB_AUTOBOOT;
		break;
	}
	if (reboot(cmd) < 0)
		log_msg(NULL, "reboot(2) failed: %s; still here, reaping",
		    strerror(errno));
	for (;;) {
		services_reap();
		pause();
	}
}

/* Wait in poll() for a signal, svc, a service's output, or a timer. */
static void
init_wait(void)
{
	struct pollfd fds[INIT_POLL_MAX];
	struct service *outs[INIT_POLL_MAX];
	int64_t t = services_next_timer(), now;
	int n = 0, nctl, timeout = -1, i;
	size_t s;

	fds[n].fd = sig_pipe[0];
	fds[n++].events = POLLIN;
	nctl = control_pollfds(fds + n, INIT_POLL_MAX / 2);
	n += nctl;
	for (s = 0; s < nservices && n < INIT_POLL_MAX; s++)
		if (services[s]->sv_outfd >= 0) {
			outs[n] = services[s];
			fds[n].fd = services[s]->sv_outfd;
			fds[n++].events = POLLIN;
		}
	if (t != 0) {
		now = init_now();
		timeout = t <= now ? 0 : (int)(t - now);
	}
	if (poll(fds, n, timeout) <= 0)
		return;
	if (fds[0].revents != 0)
		init_read_signals();
	control_handle(fds + 1, nctl);
	for (i = 1 + nctl; i < n; i++)
		if (fds[i].revents != 0 && outs[i]->sv_outfd == fds[i].fd)
			services_read_output(outs[i]);
}

int
main(int argc, char **argv)
{
	init_options(argc, argv);
	init_signals();
	init_hostname();
	mount_fstab();
	log_open();
	if (control_open() < 0)
		log_msg(NULL, "no control socket: svc will not work");
	services_load();
	for (;;) {
		services_reap();
		init_read_signals();
		if (init_conf.ic_halt != HALT_NONE) {
			services_shutdown();
			if (services_all_stopped())
				init_finish();
		}
		services_step();
		if (control_step())
			continue;	/* a restart's start: step again */
		init_wait();
	}
}
