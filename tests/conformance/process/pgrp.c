/*
 * Process groups and sessions: setpgid(2), getpgid(2), getpgrp(2),
 * setsid(2), getsid(2) (credentials(7), setpgid(2), setsid(2)).
 */
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"

#define CHECK(cond)	do { if (!(cond)) _exit(1); } while (0)

/* In a child: a new session, then the group rules inside it. */
static void
session_rules(void *arg)
{
	pid_t me, sid, kid;
	int st;

	(void)arg;
	me = getpid();
	/* Not a group leader (the parent leads our group): setsid works. */
	CHECK(getpgrp() != me);
	sid = setsid();
	CHECK(sid == me);
	CHECK(getsid(0) == me && getpgid(0) == me && getpgrp() == me);
	/* Now a group leader: a second setsid is EPERM. */
	CHECK(setsid() == -1 && errno == EPERM);
	/* A session leader cannot change its group. */
	CHECK(setpgid(0, 0) == -1 && errno == EPERM);

	kid = fork();
	if (kid == 0) {
		/* The child inherits session and group. */
		CHECK(getsid(0) == me && getpgrp() == me);
		/* Alive while the parent moves it (it never execs). */
		conf_sleep_ms(2000);
		_exit(0);
	}
	CHECK(kid > 0);
	/* The parent may move its child into a group of its own ... */
	CHECK(setpgid(kid, kid) == 0);
	CHECK(getpgid(kid) == kid);
	/* ... and back into an existing group of the session. */
	CHECK(setpgid(kid, me) == 0);
	CHECK(getpgid(kid) == me);
	/* A group that does not exist in the session is EPERM. */
	CHECK(setpgid(kid, 999999) == -1 && errno == EPERM);
	/* A negative group is EINVAL. */
	CHECK(setpgid(kid, -1) == -1 && errno == EINVAL);
	CHECK(waitpid(kid, &st, 0) == kid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0);
}

int
main(int argc, char **argv)
{
	pid_t pid;

	(void)argc;
	conf_init(argv);
	is_long(getpgid(0), getpgrp(), "getpgid(2): pid 0 is the caller's "
	    "group, as getpgrp(2) says");
	is_long(getsid(0), getsid(getpid()), "getsid(2): pid 0 is the "
	    "caller's session");
	is_errno(getpgid(999999), ESRCH, "getpgid(2): no such process is "
	    "ESRCH");
	is_errno(getsid(999999), ESRCH, "getsid(2): no such process is ESRCH");
	is_errno(setpgid(999999, 0), ESRCH, "setpgid(2): a process that is "
	    "not the caller or its child is ESRCH");
	pid = conf_fork();
	if (pid == 0) {
		session_rules(NULL);
		_exit(0);
	}
	is_exit(conf_wait(pid), 0, "setsid(2) makes a new session and group "
	    "led by the caller (EPERM for a group leader); setpgid(2) moves "
	    "a child between groups of the session (EPERM for a missing "
	    "group or a session leader, EINVAL for a negative group)");
	return done_testing();
}
