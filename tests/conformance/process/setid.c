/*
 * The credential calls: setresuid(2)/setresgid(2), setreuid(2)/
 * setregid(2), setuid(2)/setgid(2), getresuid(2)/getresgid(2) and
 * getgroups(2)/setgroups(2), with Linux's permission rules
 * (credentials(7)).  Every case runs in a child, which starts as root
 * (the runners are root) and gives its privilege away.
 */
#include <grp.h>
#include <sys/types.h>
#include <unistd.h>

#include "conf.h"

/* Report one case from a child: its exit code says pass (0) or fail (1). */
#define CHECK(cond)	do { if (!(cond)) _exit(1); } while (0)

static void
drop_with_setresuid(void *arg)
{
	uid_t r, e, s;

	(void)arg;
	CHECK(setgroups(0, NULL) == 0);
	CHECK(setresgid(1000, 1001, 1002) == 0);
	CHECK(setresuid(2000, 2001, 2002) == 0);
	CHECK(getresuid(&r, &e, &s) == 0);
	CHECK(r == 2000 && e == 2001 && s == 2002);
	CHECK(getuid() == 2000 && geteuid() == 2001);
	CHECK(getgid() == 1000 && getegid() == 1001);
}

static void
unprivileged_may_permute(void *arg)
{
	uid_t r, e, s;

	(void)arg;
	CHECK(setgroups(0, NULL) == 0);
	CHECK(setresuid(2000, 2001, 2002) == 0);
	/* Any of the three may become any of the three. */
	CHECK(setresuid(2002, 2000, 2001) == 0);
	CHECK(getresuid(&r, &e, &s) == 0 && r == 2002 && e == 2000 &&
	    s == 2001);
	/* -1 leaves an id unchanged. */
	CHECK(setresuid(-1, 2002, -1) == 0);
	CHECK(getresuid(&r, &e, &s) == 0 && r == 2002 && e == 2002 &&
	    s == 2001);
}

static void
unprivileged_may_not_escalate(void *arg)
{
	(void)arg;
	CHECK(setgroups(0, NULL) == 0);
	CHECK(setresgid(1000, 1000, 1000) == 0);
	CHECK(setresuid(2000, 2000, 2000) == 0);
	CHECK(setresuid(0, -1, -1) == -1 && errno == EPERM);
	CHECK(setuid(0) == -1 && errno == EPERM);
	CHECK(setresgid(0, -1, -1) == -1 && errno == EPERM);
	CHECK(setgroups(0, NULL) == -1 && errno == EPERM);
	CHECK(setreuid(-1, 0) == -1 && errno == EPERM);
}

static void
setuid_rules(void *arg)
{
	uid_t r, e, s;

	(void)arg;
	CHECK(setgroups(0, NULL) == 0);
	/* Root: setuid sets all three. */
	CHECK(setuid(3000) == 0);
	CHECK(getresuid(&r, &e, &s) == 0 && r == 3000 && e == 3000 &&
	    s == 3000);
}

static void
setreuid_saves(void *arg)
{
	uid_t r, e, s;

	(void)arg;
	CHECK(setgroups(0, NULL) == 0);
	CHECK(setresuid(4000, 4001, 4002) == 0);
	/* Unprivileged: the effective uid to the saved one; the real uid
	 * unchanged, and a new effective uid other than the real one
	 * becomes the saved uid. */
	CHECK(setreuid(-1, 4002) == 0);
	CHECK(getresuid(&r, &e, &s) == 0 && r == 4000 && e == 4002 &&
	    s == 4002);
	/* Setting the real uid (to the effective one) saves the effective. */
	CHECK(setreuid(4002, -1) == 0);
	CHECK(getresuid(&r, &e, &s) == 0 && r == 4002 && e == 4002 &&
	    s == 4002);
}

static void
groups_roundtrip(void *arg)
{
	gid_t set[3] = { 10, 20, 30 }, got[8];

	(void)arg;
	CHECK(setgroups(3, set) == 0);
	CHECK(getgroups(0, NULL) == 3);
	CHECK(getgroups(8, got) == 3);
	CHECK(got[0] == 10 && got[1] == 20 && got[2] == 30);
	CHECK(getgroups(2, got) == -1 && errno == EINVAL);
	CHECK(setgroups(-1, set) == -1 && errno == EINVAL);
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	is_exit(conf_in_child(drop_with_setresuid, NULL), 0,
	    "setresuid(2)/setresgid(2): root sets the real, effective and "
	    "saved ids; getresuid(2) reads them back");
	is_exit(conf_in_child(unprivileged_may_permute, NULL), 0,
	    "setresuid(2): an unprivileged process may set each id to its "
	    "current real, effective or saved uid; -1 leaves one unchanged");
	is_exit(conf_in_child(unprivileged_may_not_escalate, NULL), 0,
	    "setresuid(2), setuid(2), setresgid(2), setgroups(2), "
	    "setreuid(2): EPERM for an unprivileged process asking for root");
	is_exit(conf_in_child(setuid_rules, NULL), 0,
	    "setuid(2): for root it sets the real, effective and saved uid");
	is_exit(conf_in_child(setreuid_saves, NULL), 0,
	    "setreuid(2): the saved uid follows a new effective uid, as "
	    "setreuid(2) describes");
	is_exit(conf_in_child(groups_roundtrip, NULL), 0,
	    "setgroups(2)/getgroups(2): the list round-trips; a short buffer "
	    "and a negative size are EINVAL");
	return done_testing();
}
