/*
 * init, PID 1 of EclipseOS: what its files share.
 *
 * main.c	options, the start-up steps, the event loop, signals
 * log.c	the log: console, /var/log/init.log, each service's ring
 * parse.c	the service files (Documentation/services.md)
 * service.c	dependencies, starting, reaping, restarting, stopping
 * mount.c	/etc/fstab: mounting at boot, unmounting at shutdown
 * control.c	the control socket svc talks to
 *
 * init is single-threaded: everything runs from the loop in main.c, and
 * signal handlers only write the signal's number into a pipe.
 */
#ifndef INIT_INIT_H
#define INIT_INIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <poll.h>
#include <sys/types.h>

#define INIT_SERVICES_DIR	"/etc/eclipse/services"
#define INIT_FSTAB		"/etc/fstab"
#define INIT_HOSTNAME		"/etc/hostname"
#define INIT_LOG		"/var/log/init.log"
#define INIT_SOCKET		"/run/init.sock"

#define SV_LOG_SIZE		8192	/* bytes of each service's log ring */
#define SV_LINE_MAX		512	/* longest output line kept whole */

enum sv_type { SV_SIMPLE, SV_ONESHOT };
enum sv_restart { SV_RESTART_NO, SV_RESTART_ON_FAILURE, SV_RESTART_ALWAYS };
enum sv_output { SV_OUT_LOG, SV_OUT_CONSOLE, SV_OUT_NULL };

/*
 * A service's states.  STOPPED: not running (never started, stopped, or
 * exited successfully without a restart); WAITING: to be started once
 * what it comes After has started; RUNNING: its process lives (a oneshot
 * runs until it exits); DONE: a oneshot that exited with status 0;
 * BACKOFF: exited, restarting when sv_timer expires; STOPPING: sent
 * SIGTERM, SIGKILL when sv_timer expires; FAILED: will not run until
 * started again (sv_why says why).
 */
enum sv_state {
	SV_STOPPED, SV_WAITING, SV_RUNNING, SV_DONE, SV_BACKOFF,
	SV_STOPPING, SV_FAILED
};

/* A NULL-terminated, growable vector of strings. */
struct strvec {
	char	**v_s;
	size_t	  v_n, v_cap;
};

/*
 * One service, from NAME.service.  The first group is the file, fixed
 * once parsed; the rest is the supervisor's state.  init is
 * single-threaded, so nothing is locked.
 */
struct service {
	char		*sv_name;	/* NAME, from the file name */
	char		*sv_file;	/* the file, for messages */
	char		*sv_desc;	/* Description= */
	struct strvec	 sv_argv;	/* Exec= */
	enum sv_type	 sv_type;	/* Type= */
	struct strvec	 sv_requires;	/* Requires= */
	struct strvec	 sv_after;	/* After= */
	enum sv_restart	 sv_restart;	/* Restart= */
	int		 sv_restart_max; /* RestartMax=, 0 unlimited */
	int		 sv_restart_window; /* RestartWindow=, seconds */
	char		*sv_user;	/* User= */
	char		*sv_group;	/* Group= */
	char		*sv_wdir;	/* WorkingDirectory= */
	struct strvec	 sv_env;	/* Environment= */
	enum sv_output	 sv_output;	/* StandardOutput= */
	char		*sv_tty;	/* TTY= */
	bool		 sv_enabled;	/* Enabled= */

	enum sv_state	 sv_state;
	bool		 sv_want;	/* start it (WAITING until then) */
	bool		 sv_cycle;	/* in a dependency cycle: never runs */
	bool		 sv_restart_req; /* svc restart: start once stopped */
	int		 sv_order;	/* position in the dependency order */
	const char	*sv_why;	/* why FAILED */
	pid_t		 sv_pid;	/* its process, 0 when none */
	int		 sv_restarts;	/* since last started by hand */
	int64_t		*sv_restart_at;	/* ring of the last restarts' times */
	int		 sv_restart_next; /* next slot of the ring */
	int		 sv_backoff_ms;	/* the last back-off delay */
	int64_t		 sv_timer;	/* ms: restart or SIGKILL at, 0 none */
	int64_t		 sv_started;	/* ms: when it was last started */
	bool		 sv_exited;	/* sv_status holds an exit */
	int		 sv_status;	/* its last wait status */
	int		 sv_outfd;	/* read end of its output pipe, or -1 */
	char		 sv_line[SV_LINE_MAX];	/* partial output line */
	size_t		 sv_linelen;
	char		*sv_log;	/* ring of SV_LOG_SIZE bytes */
	size_t		 sv_logpos;	/* next byte to write in the ring */
	bool		 sv_logwrapped;
};

/* What init was asked to do at shutdown. */
enum init_halt { HALT_NONE, HALT_HALT, HALT_POWEROFF, HALT_REBOOT };

/* Options and state shared by the files (main.c owns them). */
struct init_conf {
	const char	*ic_root;	/* -c: prefix of init's own files */
	char		*ic_services;	/* folder of the service files */
	char		*ic_fstab;
	char		*ic_hostname;
	char		*ic_log;
	char		*ic_socket;
	int		 ic_stop_timeout; /* -t: seconds before SIGKILL */
	bool		 ic_verbose;	/* -v: log every reaped orphan */
	enum init_halt	 ic_halt;	/* shutting down when not HALT_NONE */
};

extern struct init_conf init_conf;
extern struct service **services;
extern size_t nservices;

/* main.c */
int64_t	init_now(void);

/* log.c */
void	log_open(void);
void	log_close(void);
void	log_msg(struct service *sv, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	log_service_output(struct service *sv, const char *line, size_t len);
size_t	log_service_copy(struct service *sv, char *buf, size_t size);

/* parse.c */
int	strvec_add(struct strvec *v, const char *s);
void	strvec_free(struct strvec *v);
int	parse_words(const char *s, struct strvec *out, const char **errp);
struct service *parse_service(const char *path, const char *name);
void	service_free(struct service *sv);

/* service.c */
void	services_load(void);
struct service *service_find(const char *name);
const char *service_state_name(const struct service *sv);
void	services_step(void);
int64_t	services_next_timer(void);
void	services_reap(void);
void	services_read_output(struct service *sv);
int	service_start(struct service *sv, const char **whyp);
int	service_stop(struct service *sv);
void	services_shutdown(void);
bool	services_all_stopped(void);

/* mount.c */
void	mount_fstab(void);
void	mount_unmount_all(void);
void	mount_root_readonly(void);

/* control.c */
int	control_open(void);
int	control_pollfds(struct pollfd *fds, int max);
void	control_handle(struct pollfd *fds, int n);
bool	control_step(void);

#endif /* INIT_INIT_H */
