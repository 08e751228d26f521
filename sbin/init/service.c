/*
 * The supervisor: loading the services, their dependency order (cycles
 * refused), starting them when what they need has started, reaping every
 * child (services and orphans), restarting with back-off and a limit,
 * stopping (SIGTERM, then SIGKILL after the stop timeout), and stopping
 * them all in reverse order at shutdown.
 *
 * Requires=X: X is started with this service, and this one is not
 * started when X fails.  After=X: when both are to start, this one waits
 * until X has started (a simple service: its process runs; a oneshot: it
 * has exited successfully) or has failed.  Requires implies After.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init.h"

#define BACKOFF_MIN_MS	100	/* first restart delay */
#define BACKOFF_MAX_MS	5000	/* the delay doubles up to this */
#define BACKOFF_RESET_MS 10000	/* ran this long: back to the minimum */

struct service **services;
size_t nservices;

static const char *const state_names[] = {
	[SV_STOPPED] = "stopped", [SV_WAITING] = "waiting",
	[SV_RUNNING] = "running", [SV_DONE] = "done",
	[SV_BACKOFF] = "restarting", [SV_STOPPING] = "stopping",
	[SV_FAILED] = "failed",
};

/* The name of sv's state, for logs and svc. */
const char *
service_state_name(const struct service *sv)
{
	return state_names[sv->sv_state];
}

/* The service called name, or NULL. */
struct service *
service_find(const char *name)
{
	size_t i;

	for (i = 0; i < nservices; i++)
		if (strcmp(services[i]->sv_name, name) == 0)
			return services[i];
	return NULL;
}

/*
 * The dependency graph: edges from a service to each it Requires or
 * comes After.  A depth-first walk numbers the services in dependency
 * order (sv_order: what a service depends on has a lower number) and
 * finds the cycles, whose services are refused.
 */
enum { DFS_NEW, DFS_ACTIVE, DFS_DONE };

struct dfs {
	int		*d_color;
	struct service	**d_stack;
	size_t		 d_depth;
	int		 d_next;
};

static size_t
service_index(const struct service *sv)
{
	size_t i;

	for (i = 0; services[i] != sv; i++)
		;
	return i;
}

static void services_dfs(struct dfs *d, struct service *sv);

/* Report the cycle from dep (on the stack) up to the top, and refuse it. */
static void
services_cycle(struct dfs *d, struct service *dep)
{
	char msg[SV_LINE_MAX];
	size_t i, start, len = 0;

	for (start = 0; d->d_stack[start] != dep; start++)
		;
	msg[0] = '\0';
	for (i = start; i < d->d_depth && len < sizeof(msg); i++)
		len += snprintf(msg + len, sizeof(msg) - len, "%s -> ",
		    d->d_stack[i]->sv_name);
	if (len < sizeof(msg))
		snprintf(msg + len, sizeof(msg) - len, "%s", dep->sv_name);
	log_msg(NULL, "dependency cycle: %s; these services will not start",
	    msg);
	for (i = start; i < d->d_depth; i++) {
		d->d_stack[i]->sv_cycle = true;
		d->d_stack[i]->sv_state = SV_FAILED;
		d->d_stack[i]->sv_why = "in a dependency cycle";
	}
}

static void
services_dfs_edges(struct dfs *d, struct strvec *names)
{
	struct service *dep;
	size_t i;

	for (i = 0; i < names->v_n; i++) {
		if ((dep = service_find(names->v_s[i])) == NULL)
			continue;	/* reported when it matters */
		if (d->d_color[service_index(dep)] == DFS_ACTIVE)
			services_cycle(d, dep);
		else
			services_dfs(d, dep);
	}
}

static void
services_dfs(struct dfs *d, struct service *sv)
{
	size_t i = service_index(sv);

	if (d->d_color[i] != DFS_NEW)
		return;
	d->d_color[i] = DFS_ACTIVE;
	d->d_stack[d->d_depth++] = sv;
	services_dfs_edges(d, &sv->sv_requires);
	services_dfs_edges(d, &sv->sv_after);
	d->d_depth--;
	d->d_color[i] = DFS_DONE;
	sv->sv_order = d->d_next++;
}

static int
services_cmp(const void *a, const void *b)
{
	return strcmp((*(struct service *const *)a)->sv_name,
	    (*(struct service *const *)b)->sv_name);
}

/* Order the services, refuse the cycles, and want the enabled ones. */
static void
services_order(void)
{
	struct dfs d = { 0 };
	size_t i;

	d.d_color = calloc(nservices + 1, sizeof(*d.d_color));
	d.d_stack = calloc(nservices + 1, sizeof(*d.d_stack));
	if (d.d_color == NULL || d.d_stack == NULL) {
		log_msg(NULL, "out of memory ordering the services; "
		    "none started");
		free(d.d_color);
		free(d.d_stack);
		return;
	}
	for (i = 0; i < nservices; i++)
		services_dfs(&d, services[i]);
	free(d.d_color);
	free(d.d_stack);
	for (i = 0; i < nservices; i++)
		if (services[i]->sv_enabled && !services[i]->sv_cycle) {
			services[i]->sv_want = true;
			services[i]->sv_state = SV_WAITING;
		}
}

/*
 * Read every NAME.service in the services folder, in name order; files
 * with errors are logged and skipped.  Then order them and mark the
 * enabled ones to be started by services_step().
 */
void
services_load(void)
{
	struct dirent **ents;
	struct service *sv, **n;
	char path[4096], name[256];
	size_t len;
	int i, count;

	count = scandir(init_conf.ic_services, &ents, NULL, alphasort);
	if (count < 0) {
		log_msg(NULL, "cannot read %s: %s; no services",
		    init_conf.ic_services, strerror(errno));
		return;
	}
	for (i = 0; i < count; i++) {
		len = strlen(ents[i]->d_name);
		if (len <= 8 || len - 8 >= sizeof(name) ||
		    strcmp(ents[i]->d_name + len - 8, ".service") != 0 ||
		    ents[i]->d_name[0] == '.')
			goto next;
		memcpy(name, ents[i]->d_name, len - 8);
		name[len - 8] = '\0';
		snprintf(path, sizeof(path), "%s/%s", init_conf.ic_services,
		    ents[i]->d_name);
		if ((sv = parse_service(path, name)) == NULL)
			goto next;
		if ((n = realloc(services, (nservices + 1) *
		    sizeof(*n))) == NULL) {
			log_msg(NULL, "%s: skipped: out of memory", path);
			service_free(sv);
			goto next;
		}
		services = n;
		services[nservices++] = sv;
next:
		free(ents[i]);
	}
	free(ents);
	qsort(services, nservices, sizeof(*services), services_cmp);
	services_order();
	log_msg(NULL, "%zu service(s) loaded from %s", nservices,
	    init_conf.ic_services);
}

/* Has dep started, as far as one that comes After it is concerned? */
static bool
service_started(const struct service *dep)
{
	switch (dep->sv_state) {
	case SV_RUNNING:
		return dep->sv_type == SV_SIMPLE;
	case SV_DONE:
	case SV_FAILED:
		return true;
	case SV_STOPPED:
		return !dep->sv_want;
	default:
		return false;
	}
}

/*
 * Can sv start now?  1: yes; 0: not yet; -1: never (a required service
 * is missing or failed), with sv_why set.
 */
static int
service_deps(struct service *sv)
{
	struct service *dep;
	size_t i;
	int ready = 1;

	for (i = 0; i < sv->sv_requires.v_n; i++) {
		if ((dep = service_find(sv->sv_requires.v_s[i])) == NULL) {
			log_msg(sv, "requires %s, which does not exist",
			    sv->sv_requires.v_s[i]);
			sv->sv_why = "a required service does not exist";
			return -1;
		}
		if (dep->sv_state == SV_FAILED) {
			log_msg(sv, "not started: it requires %s, which "
			    "failed", dep->sv_name);
			sv->sv_why = "a required service failed";
			return -1;
		}
		if (dep->sv_state == SV_STOPPED && !dep->sv_want) {
			/* Pull it in. */
			dep->sv_want = true;
			dep->sv_state = SV_WAITING;
		}
		if (!service_started(dep))
			ready = 0;
	}
	for (i = 0; i < sv->sv_after.v_n; i++)
		if ((dep = service_find(sv->sv_after.v_s[i])) != NULL &&
		    !service_started(dep))
			ready = 0;
	return ready;
}

/* Give the child its standard input, output and error, and its tty. */
static int
spawn_stdio(struct service *sv, int outw)
{
	int fd;

	if (sv->sv_tty != NULL) {
		/* A session leader without one: this becomes its tty. */
		if ((fd = open(sv->sv_tty, O_RDWR)) < 0)
			return -1;
		(void)ioctl(fd, TIOCSCTTY, 0);
		if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			return -1;
		if (fd > 2)
			close(fd);
		return 0;
	}
	if ((fd = open("/dev/null", O_RDWR)) < 0)
		return -1;
	if (dup2(fd, 0) < 0)
		return -1;
	if (sv->sv_output == SV_OUT_NULL &&
	    (dup2(fd, 1) < 0 || dup2(fd, 2) < 0))
		return -1;
	if (sv->sv_output == SV_OUT_LOG &&
	    (dup2(outw, 1) < 0 || dup2(outw, 2) < 0))
		return -1;
	if (fd > 2)
		close(fd);
	return 0;
}

/* The environment of a service: init's, HOME/USER..., then its own. */
extern char **environ;

static char **
spawn_env(struct service *sv, const struct passwd *pw)
{
	struct strvec env = { 0 };
	char buf[4096];
	char **e;
	size_t i;

	for (e = environ; *e != NULL; e++)
		(void)strvec_add(&env, *e);
	if (pw != NULL) {
		snprintf(buf, sizeof(buf), "HOME=%s", pw->pw_dir);
		(void)strvec_add(&env, buf);
		snprintf(buf, sizeof(buf), "USER=%s", pw->pw_name);
		(void)strvec_add(&env, buf);
		snprintf(buf, sizeof(buf), "LOGNAME=%s", pw->pw_name);
		(void)strvec_add(&env, buf);
		snprintf(buf, sizeof(buf), "SHELL=%s", pw->pw_shell);
		(void)strvec_add(&env, buf);
	}
	for (i = 0; i < sv->sv_env.v_n; i++)
		(void)strvec_add(&env, sv->sv_env.v_s[i]);
	/* Later ones win: drop an earlier NAME= when a later one exists. */
	for (i = 0; i < env.v_n; i++) {
		size_t j, len = strcspn(env.v_s[i], "=") + 1;

		for (j = i + 1; j < env.v_n; j++)
			if (strncmp(env.v_s[i], env.v_s[j], len) == 0)
				break;
		if (j < env.v_n)
			env.v_s[i][0] = '\0';
	}
	for (i = 0, e = env.v_s; e != NULL && *e != NULL; e++)
		if (**e != '\0')
			env.v_s[i++] = *e;
	if (env.v_s != NULL)
		env.v_s[i] = NULL;
	return env.v_s;
}

/*
 * In the child: become what sv asks for and run it.  On failure, the
 * errno goes up the status pipe and the child exits 127.
 */
static void __attribute__((noreturn))
spawn_child(struct service *sv, const struct passwd *pw, gid_t gid,
    int statusw, int outw)
{
	const char *step;
	sigset_t set;
	char **env;
	int err, sig;

	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	for (sig = 1; sig < NSIG; sig++)
		(void)signal(sig, SIG_DFL);
	step = "setsid";
	if (setsid() < 0)
		goto fail;
	step = "stdio";
	if (spawn_stdio(sv, outw) < 0)
		goto fail;
	if (outw > 2)
		close(outw);
	step = "groups";
	if (pw != NULL && initgroups(pw->pw_name, gid) < 0)
		goto fail;
	if (pw == NULL && sv->sv_group != NULL && setgroups(0, NULL) < 0)
		goto fail;
	step = "Group";
	if ((pw != NULL || sv->sv_group != NULL) && setgid(gid) < 0)
		goto fail;
	step = "User";
	if (pw != NULL && setuid(pw->pw_uid) < 0)
		goto fail;
	step = "WorkingDirectory";
	if (chdir(sv->sv_wdir != NULL ? sv->sv_wdir :
	    pw != NULL ? pw->pw_dir : "/") < 0)
		goto fail;
	step = "exec";
	env = spawn_env(sv, pw);
	if (env != NULL)
		environ = env;
	execvp(sv->sv_argv.v_s[0], sv->sv_argv.v_s);
fail:
	err = errno;
	(void)write(statusw, &err, sizeof(err));
	(void)write(statusw, step, strlen(step) + 1);
	_exit(127);
}

/* Look up User= and Group=; false after logging when one is unknown. */
static bool
spawn_ids(struct service *sv, struct passwd **pwp, gid_t *gidp)
{
	struct group *gr;
	char *end;

	*pwp = NULL;
	*gidp = 0;
	if (sv->sv_user != NULL) {
		unsigned long n = strtoul(sv->sv_user, &end, 10);

		if ((*pwp = getpwnam(sv->sv_user)) == NULL &&
		    (*end != '\0' || (*pwp = getpwuid(n)) == NULL)) {
			log_msg(sv, "unknown user %s", sv->sv_user);
			return false;
		}
		*gidp = (*pwp)->pw_gid;
	}
	if (sv->sv_group != NULL) {
		unsigned long n = strtoul(sv->sv_group, &end, 10);

		if ((gr = getgrnam(sv->sv_group)) != NULL)
			*gidp = gr->gr_gid;
		else if (*end == '\0')
			*gidp = n;
		else {
			log_msg(sv, "unknown group %s", sv->sv_group);
			return false;
		}
	}
	return true;
}

static void service_exited(struct service *sv, int status);

/*
 * Start sv's process.  RUNNING when it runs; when the exec fails, as if
 * it had exited with status 127 (so Restart= applies).
 */
static void
service_spawn(struct service *sv)
{
	struct passwd *pw, pwcopy;
	int sp[2], op[2] = { -1, -1 }, err = 0;
	char step[32] = "";
	ssize_t n;
	gid_t gid;
	pid_t pid;

	if (!spawn_ids(sv, &pw, &gid)) {
		sv->sv_state = SV_FAILED;
		sv->sv_why = "unknown User= or Group=";
		sv->sv_want = false;
		return;
	}
	if (pw != NULL) {
		pwcopy = *pw;	/* the child reads it after fork */
		pw = &pwcopy;
	}
	if (pipe2(sp, O_CLOEXEC) < 0 ||
	    (sv->sv_output == SV_OUT_LOG && sv->sv_tty == NULL &&
	    pipe2(op, O_CLOEXEC) < 0)) {
		log_msg(sv, "cannot start: pipe: %s", strerror(errno));
		goto fail;
	}
	sv->sv_started = init_now();
	if ((pid = fork()) < 0) {
		log_msg(sv, "cannot start: fork: %s", strerror(errno));
		goto fail;
	}
	if (pid == 0)
		spawn_child(sv, pw, gid, sp[1], op[1]);
	close(sp[1]);
	sp[1] = -1;
	if (op[1] >= 0)
		close(op[1]);
	while ((n = read(sp[0], &err, sizeof(err))) < 0 && errno == EINTR)
		;
	if (n == sizeof(err))
		(void)read(sp[0], step, sizeof(step) - 1);
	close(sp[0]);
	sv->sv_pid = pid;
	sv->sv_state = SV_RUNNING;
	if (op[0] >= 0) {
		(void)fcntl(op[0], F_SETFL, O_NONBLOCK);
		sv->sv_outfd = op[0];
	}
	if (n == sizeof(err)) {
		log_msg(sv, "cannot run %s: %s: %s", sv->sv_argv.v_s[0], step,
		    strerror(err));
		/* The child exits 127; service_exited() follows. */
		return;
	}
	log_msg(sv, "started, pid %d", (int)pid);
	return;

fail:
	if (sp[0] >= 0) {
		close(sp[0]);
		if (sp[1] >= 0)
			close(sp[1]);
	}
	if (op[0] >= 0) {
		close(op[0]);
		close(op[1]);
	}
	sv->sv_state = SV_RUNNING;
	service_exited(sv, 127 << 8);
}

/*
 * Start sv (svc start): it and what it Requires are wanted again, its
 * restart count begins afresh.  Returns 0, or -1 with *whyp set when it
 * can never run (a dependency cycle) or is stopping.
 */
int
service_start(struct service *sv, const char **whyp)
{
	if (sv->sv_cycle) {
		*whyp = "it is in a dependency cycle";
		return -1;
	}
	if (init_conf.ic_halt != HALT_NONE) {
		*whyp = "the system is shutting down";
		return -1;
	}
	if (sv->sv_state == SV_STOPPING) {
		sv->sv_restart_req = true;
		return 0;
	}
	sv->sv_restarts = 0;
	sv->sv_restart_next = 0;
	if (sv->sv_restart_at != NULL)
		memset(sv->sv_restart_at, 0,
		    sv->sv_restart_max * sizeof(*sv->sv_restart_at));
	sv->sv_backoff_ms = 0;
	sv->sv_want = true;
	if (sv->sv_state == SV_STOPPED || sv->sv_state == SV_FAILED ||
	    sv->sv_state == SV_DONE) {
		sv->sv_state = SV_WAITING;
		sv->sv_why = NULL;
		sv->sv_exited = false;
	}
	return 0;
}

/* Send sig to sv's process group (each service is a session leader). */
static void
service_kill(struct service *sv, int sig)
{
	if (sv->sv_pid <= 0)
		return;
	if (kill(-sv->sv_pid, sig) < 0)
		(void)kill(sv->sv_pid, sig);
}

/*
 * Stop sv (svc stop, and shutdown): not wanted any more; a running
 * process group gets SIGTERM (and SIGHUP first when it has a TTY=, as
 * its terminal hanging up would), SIGCONT in case it was stopped, and
 * SIGKILL after the stop timeout.  Returns 1
 * when sv is now stopping, 0 when it was not running.
 */
int
service_stop(struct service *sv)
{
	sv->sv_want = false;
	sv->sv_restart_req = false;
	switch (sv->sv_state) {
	case SV_RUNNING:
		log_msg(sv, "stopping (SIGTERM%s to pid %d)",
		    sv->sv_tty != NULL ? " and SIGHUP" : "", (int)sv->sv_pid);
		/* An interactive shell ignores SIGTERM, not a hangup. */
		if (sv->sv_tty != NULL)
			service_kill(sv, SIGHUP);
		service_kill(sv, SIGTERM);
		service_kill(sv, SIGCONT);
		sv->sv_state = SV_STOPPING;
		sv->sv_timer = init_now() + init_conf.ic_stop_timeout * 1000LL;
		return 1;
	case SV_STOPPING:
		return 1;
	case SV_WAITING:
	case SV_BACKOFF:
		sv->sv_state = SV_STOPPED;
		sv->sv_timer = 0;
		return 0;
	default:
		return 0;
	}
}

/* Describe a wait status into buf. */
static const char *
status_text(int status, char *buf, size_t size)
{
	if (WIFEXITED(status))
		snprintf(buf, size, "exited with status %d",
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by signal %d (%s)",
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(buf, size, "wait status %#x", status);
	return buf;
}

/* May sv restart once more?  Counts the restarts in RestartWindow. */
static bool
service_may_restart(struct service *sv, int64_t now)
{
	int64_t window = sv->sv_restart_window * 1000LL;
	int i, recent = 0;

	if (sv->sv_restart_max == 0)
		return true;
	for (i = 0; i < sv->sv_restart_max; i++)
		if (sv->sv_restart_at[i] != 0 &&
		    (window == 0 || now - sv->sv_restart_at[i] < window))
			recent++;
	return recent < sv->sv_restart_max;
}

/* sv's process ended with status: what now (done, restart, give up). */
static void
service_exited(struct service *sv, int status)
{
	int64_t now = init_now();
	bool failed, restart;
	char buf[96];

	if (sv->sv_outfd >= 0) {
		services_read_output(sv);
		if (sv->sv_linelen > 0)
			log_service_output(sv, sv->sv_line, sv->sv_linelen);
		sv->sv_linelen = 0;
		close(sv->sv_outfd);
		sv->sv_outfd = -1;
	}
	sv->sv_pid = 0;
	sv->sv_exited = true;
	sv->sv_status = status;
	failed = !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	log_msg(sv, "%s", status_text(status, buf, sizeof(buf)));
	if (sv->sv_state == SV_STOPPING) {
		sv->sv_state = SV_STOPPED;
		sv->sv_timer = 0;
		if (sv->sv_restart_req && init_conf.ic_halt == HALT_NONE) {
			const char *why;

			sv->sv_restart_req = false;
			(void)service_start(sv, &why);
		}
		return;
	}
	restart = sv->sv_restart == SV_RESTART_ALWAYS ||
	    (sv->sv_restart == SV_RESTART_ON_FAILURE && failed);
	if (!sv->sv_want || init_conf.ic_halt != HALT_NONE)
		restart = false;
	if (!restart) {
		sv->sv_want = false;
		if (!failed)
			sv->sv_state = sv->sv_type == SV_ONESHOT ? SV_DONE :
			    SV_STOPPED;
		else {
			sv->sv_state = SV_FAILED;
			sv->sv_why = "it failed";
		}
		return;
	}
	if (!service_may_restart(sv, now)) {
		log_msg(sv, "gave up after %d restarts in %d s (%s)",
		    sv->sv_restart_max, sv->sv_restart_window,
		    status_text(status, buf, sizeof(buf)));
		sv->sv_want = false;
		sv->sv_state = SV_FAILED;
		sv->sv_why = "restarted too often";
		return;
	}
	if (now - sv->sv_started >= BACKOFF_RESET_MS || sv->sv_backoff_ms == 0)
		sv->sv_backoff_ms = BACKOFF_MIN_MS;
	else if ((sv->sv_backoff_ms *= 2) > BACKOFF_MAX_MS)
		sv->sv_backoff_ms = BACKOFF_MAX_MS;
	sv->sv_state = SV_BACKOFF;
	sv->sv_timer = now + sv->sv_backoff_ms;
	log_msg(sv, "restarting in %d ms", sv->sv_backoff_ms);
}

/* A back-off expired: record the restart and start it again. */
static void
service_restart_now(struct service *sv, int64_t now)
{
	sv->sv_timer = 0;
	if (sv->sv_restart_max > 0) {
		sv->sv_restart_at[sv->sv_restart_next] = now;
		sv->sv_restart_next = (sv->sv_restart_next + 1) %
		    sv->sv_restart_max;
	}
	sv->sv_restarts++;
	service_spawn(sv);
}

/*
 * Do what is due: back-offs that expired restart, stop timeouts that
 * expired get SIGKILL, and waiting services whose dependencies have
 * started are started (again and again, since one start can free
 * another).
 */
void
services_step(void)
{
	struct service *sv;
	int64_t now = init_now();
	bool progress;
	size_t i;
	int r;

	for (i = 0; i < nservices; i++) {
		sv = services[i];
		if (sv->sv_timer == 0 || sv->sv_timer > now)
			continue;
		if (sv->sv_state == SV_BACKOFF)
			service_restart_now(sv, now);
		else if (sv->sv_state == SV_STOPPING) {
			log_msg(sv, "did not stop within %d s; SIGKILL",
			    init_conf.ic_stop_timeout);
			service_kill(sv, SIGKILL);
			sv->sv_timer = 0;
		}
	}
	if (init_conf.ic_halt != HALT_NONE)
		return;
	do {
		progress = false;
		for (i = 0; i < nservices; i++) {
			sv = services[i];
			if (sv->sv_state != SV_WAITING)
				continue;
			if ((r = service_deps(sv)) < 0) {
				sv->sv_state = SV_FAILED;
				sv->sv_want = false;
				progress = true;
			} else if (r > 0) {
				service_spawn(sv);
				progress = true;
			}
		}
	} while (progress);
}

/* The earliest timer of any service (ms), or 0 when none is set. */
int64_t
services_next_timer(void)
{
	int64_t t = 0;
	size_t i;

	for (i = 0; i < nservices; i++)
		if (services[i]->sv_timer != 0 &&
		    (t == 0 || services[i]->sv_timer < t))
			t = services[i]->sv_timer;
	return t;
}

/*
 * Read what sv's output pipe holds and log it line by line (a line
 * longer than SV_LINE_MAX is cut into pieces).
 */
void
services_read_output(struct service *sv)
{
	char buf[1024];
	ssize_t n, i;

	while ((n = read(sv->sv_outfd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++) {
			if (buf[i] == '\n' ||
			    sv->sv_linelen == sizeof(sv->sv_line)) {
				log_service_output(sv, sv->sv_line,
				    sv->sv_linelen);
				sv->sv_linelen = 0;
				if (buf[i] == '\n')
					continue;
			}
			sv->sv_line[sv->sv_linelen++] = buf[i];
		}
	}
	if (n == 0) {
		/* Every writer closed it (maybe before the service exits). */
		if (sv->sv_linelen > 0)
			log_service_output(sv, sv->sv_line, sv->sv_linelen);
		sv->sv_linelen = 0;
		close(sv->sv_outfd);
		sv->sv_outfd = -1;
	}
}

/*
 * Reap every child that has exited: a service's process goes to
 * service_exited(), anything else is an orphan init adopted.
 */
void
services_reap(void)
{
	struct service *sv;
	char buf[96];
	int status;
	size_t i;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0, sv = NULL; i < nservices; i++)
			if (services[i]->sv_pid == pid) {
				sv = services[i];
				break;
			}
		if (sv != NULL)
			service_exited(sv, status);
		else if (init_conf.ic_verbose)
			log_msg(NULL, "reaped pid %d, %s", (int)pid,
			    status_text(status, buf, sizeof(buf)));
	}
}

/*
 * Shutdown, one step: when no service is stopping, stop the running
 * service that comes last in the dependency order (what others need
 * stops after them).  Nothing is restarted or started any more.
 */
void
services_shutdown(void)
{
	struct service *last = NULL, *sv;
	size_t i;

	for (i = 0; i < nservices; i++) {
		sv = services[i];
		if (sv->sv_state == SV_STOPPING)
			return;
		if (sv->sv_state == SV_WAITING || sv->sv_state == SV_BACKOFF) {
			(void)service_stop(sv);
			continue;
		}
		if (sv->sv_state == SV_RUNNING &&
		    (last == NULL || sv->sv_order > last->sv_order))
			last = sv;
	}
	if (last != NULL)
		(void)service_stop(last);
}

/* Has every service stopped (nothing running or stopping)? */
bool
services_all_stopped(void)
{
	size_t i;

	for (i = 0; i < nservices; i++)
		if (services[i]->sv_state == SV_RUNNING ||
		    services[i]->sv_state == SV_STOPPING)
			return false;
	return true;
}
