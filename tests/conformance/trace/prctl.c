/*
 * prctl(2): the thread's name (PR_SET_NAME, PR_GET_NAME), the
 * parent-death signal, dumpable, no_new_privs and the child subreaper,
 * with their error paths, what fork and execve do to each, and EINVAL
 * for an option the kernel does not know.  (In the trace family: prctl
 * is also the tracer's interface, see tracer.c.)
 *
 * The execve cases run this program again as "--helper exec", which
 * reports through its exit status: bit 0 its name is the file's
 * basename, bit 1 it is dumpable again, bit 2 no_new_privs was kept.
 */
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"

/* linux/prctl.h */
#define PR_SET_PDEATHSIG	1
#define PR_GET_PDEATHSIG	2
#define PR_GET_DUMPABLE		3
#define PR_SET_DUMPABLE		4
#define PR_SET_NAME		15
#define PR_GET_NAME		16
#define PR_SET_CHILD_SUBREAPER	36
#define PR_GET_CHILD_SUBREAPER	37
#define PR_SET_NO_NEW_PRIVS	38
#define PR_GET_NO_NEW_PRIVS	39
/* No Linux option has this number (nor EclipseOS's 0x4543xxxx). */
#define PR_NO_SUCH_OPTION	0x7fff1234

#define prctl_sys(...)		conf_sys(SYS_prctl, __VA_ARGS__)

static int
helper_exec(const char *argv0)
{
	char name[16];
	const char *base = strrchr(argv0, '/');
	int bits = 0;

	base = base != NULL ? base + 1 : argv0;
	memset(name, 'x', sizeof(name));
	if (prctl_sys(PR_GET_NAME, name) == 0 &&
	    strncmp(name, base, 15) == 0 && memchr(name, '\0', 16) != NULL)
		bits |= 1;
	if (prctl_sys(PR_GET_DUMPABLE) == 1)
		bits |= 2;
	if (prctl_sys(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1)
		bits |= 4;
	return bits;
}

/* A child: its exit status is what option returns (an int result). */
static int
child_get(int option)
{
	pid_t pid;
	int v = -1;
	long r;

	if ((pid = conf_fork()) == 0) {
		if (option == PR_GET_PDEATHSIG ||
		    option == PR_GET_CHILD_SUBREAPER)
			r = prctl_sys(option, &v) == 0 ? v : 100;
		else
			r = prctl_sys(option, 0, 0, 0, 0);
		_exit(r >= 0 && r < 100 ? (int)r : 100);
	}
	return conf_wait(pid);
}

static void
test_name(void)
{
	char name[16], want[16];
	int st;
	pid_t pid;

	is_sysok(prctl_sys(PR_SET_NAME, "conf-name"),
	    "prctl(2): PR_SET_NAME sets the thread's name");
	memset(name, 'x', sizeof(name));
	is_sysok(prctl_sys(PR_GET_NAME, name), "prctl(2): PR_GET_NAME");
	is_str(name, "conf-name", "prctl(2): PR_GET_NAME returns the name "
	    "set");
	is_sysok(prctl_sys(PR_SET_NAME, "0123456789abcdefghij"),
	    "prctl(2): PR_SET_NAME takes a name longer than 15 bytes");
	memset(name, 'x', sizeof(name));
	(void)prctl_sys(PR_GET_NAME, name);
	memcpy(want, "0123456789abcde", 16);
	is_mem(name, want, 16, "prctl(2): the name is cut to 15 bytes and a "
	    "NUL (16 bytes with the NUL)");
	is_syserr(prctl_sys(PR_SET_NAME, CONF_KERNEL_ADDR), EFAULT,
	    "prctl(2): PR_SET_NAME from a bad address is EFAULT");
	is_syserr(prctl_sys(PR_GET_NAME, CONF_KERNEL_ADDR), EFAULT,
	    "prctl(2): PR_GET_NAME to a bad address is EFAULT");
	(void)prctl_sys(PR_SET_NAME, "conf-name");
	if ((pid = conf_fork()) == 0) {
		memset(name, 0, sizeof(name));
		(void)prctl_sys(PR_GET_NAME, name);
		_exit(strcmp(name, "conf-name") == 0 ? 0 : 1);
	}
	st = conf_wait(pid);
	is_exit(st, 0, "prctl(2): a child of fork(2) has its parent's name");
}

static void
test_dumpable(void)
{
	is_long(prctl_sys(PR_GET_DUMPABLE), 1,
	    "prctl(2): a process is dumpable (1) by default");
	is_syserr(prctl_sys(PR_SET_DUMPABLE, 2), EINVAL,
	    "prctl(2): PR_SET_DUMPABLE 2 is EINVAL");
	is_syserr(prctl_sys(PR_SET_DUMPABLE, -1L), EINVAL,
	    "prctl(2): PR_SET_DUMPABLE -1 is EINVAL");
	is_sysok(prctl_sys(PR_SET_DUMPABLE, 0), "prctl(2): PR_SET_DUMPABLE 0");
	is_long(prctl_sys(PR_GET_DUMPABLE), 0,
	    "prctl(2): PR_GET_DUMPABLE returns 0 after it was set");
	is_exit(child_get(PR_GET_DUMPABLE), 0,
	    "prctl(2): fork(2) keeps dumpable 0 in the child");
	is_sysok(prctl_sys(PR_SET_DUMPABLE, 1), "prctl(2): PR_SET_DUMPABLE 1");
	is_long(prctl_sys(PR_GET_DUMPABLE), 1,
	    "prctl(2): PR_GET_DUMPABLE returns 1 again");
}

static void
test_no_new_privs(void)
{
	is_syserr(prctl_sys(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0), EINVAL,
	    "prctl(2): PR_SET_NO_NEW_PRIVS 0 is EINVAL (it cannot be unset)");
	is_syserr(prctl_sys(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0), EINVAL,
	    "prctl(2): PR_SET_NO_NEW_PRIVS with arg3 != 0 is EINVAL");
	is_syserr(prctl_sys(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0), EINVAL,
	    "prctl(2): PR_GET_NO_NEW_PRIVS with arg2 != 0 is EINVAL");
	is_sysok(prctl_sys(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0),
	    "prctl(2): PR_SET_NO_NEW_PRIVS 1");
	is_long(prctl_sys(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 1,
	    "prctl(2): PR_GET_NO_NEW_PRIVS returns 1 once set");
	is_exit(child_get(PR_GET_NO_NEW_PRIVS), 1,
	    "prctl(2): fork(2) passes no_new_privs to the child");
}

static void
test_pdeathsig(void)
{
	int v = -1;

	is_sysok(prctl_sys(PR_SET_PDEATHSIG, SIGUSR1),
	    "prctl(2): PR_SET_PDEATHSIG SIGUSR1");
	is_sysok(prctl_sys(PR_GET_PDEATHSIG, &v), "prctl(2): PR_GET_PDEATHSIG");
	is_long(v, SIGUSR1, "prctl(2): PR_GET_PDEATHSIG stores the signal");
	is_exit(child_get(PR_GET_PDEATHSIG), 0,
	    "prctl(2): fork(2) clears the parent-death signal in the child");
	is_syserr(prctl_sys(PR_SET_PDEATHSIG, 65), EINVAL,
	    "prctl(2): PR_SET_PDEATHSIG 65 (not a signal) is EINVAL");
	is_syserr(prctl_sys(PR_SET_PDEATHSIG, -1L), EINVAL,
	    "prctl(2): PR_SET_PDEATHSIG -1 is EINVAL");
	is_syserr(prctl_sys(PR_GET_PDEATHSIG, CONF_KERNEL_ADDR), EFAULT,
	    "prctl(2): PR_GET_PDEATHSIG to a bad address is EFAULT");
	is_sysok(prctl_sys(PR_SET_PDEATHSIG, 0),
	    "prctl(2): PR_SET_PDEATHSIG 0 clears it");
}

/*
 * As a subreaper, a grandchild whose parent exits becomes our child: one
 * that asked for SIGUSR1 at its parent's death dies of it, another sees
 * us as its parent.
 */
static void
test_subreaper(void)
{
	volatile int *sh = conf_shared(CONF_PAGE);
	pid_t c, g, me = getpid();
	int v = -1, st;
	long r;

	is_sysok(prctl_sys(PR_SET_CHILD_SUBREAPER, 1),
	    "prctl(2): PR_SET_CHILD_SUBREAPER 1");
	is_sysok(prctl_sys(PR_GET_CHILD_SUBREAPER, &v),
	    "prctl(2): PR_GET_CHILD_SUBREAPER");
	is_long(v, 1, "prctl(2): PR_GET_CHILD_SUBREAPER stores 1");
	is_exit(child_get(PR_GET_CHILD_SUBREAPER), 0,
	    "prctl(2): the subreaper mark is not inherited by fork(2)");

	/* sh[0]: grandchildren ready; sh[1]: go on; sh[2], sh[3]: pids. */
	if ((c = conf_fork()) == 0) {
		if ((g = fork()) == 0) {
			if (prctl_sys(PR_SET_PDEATHSIG, SIGUSR1) != 0)
				_exit(1);
			__atomic_add_fetch(&sh[0], 1, __ATOMIC_SEQ_CST);
			for (;;)
				pause();
		}
		sh[2] = g;
		if ((g = fork()) == 0) {
			__atomic_add_fetch(&sh[0], 1, __ATOMIC_SEQ_CST);
			if (conf_wait_flag(&sh[1], 1, 5, 60000) < 0)
				_exit(2);
			sh[4] = getppid();
			_exit(0);
		}
		sh[3] = g;
		if (g < 0 || sh[2] < 0 ||
		    conf_wait_flag(&sh[0], 2, 5, 60000) < 0)
			_exit(3);
		_exit(0);
	}
	st = conf_wait(c);
	is_exit(st, 0, "prctl(2): the middle process started both "
	    "grandchildren");
	r = wait4(sh[2], &st, 0, NULL);
	is_long(r, sh[2], "prctl(2): a subreaper can wait for an orphaned "
	    "grandchild");
	is_signal(st, SIGUSR1, "prctl(2): PR_SET_PDEATHSIG: the grandchild "
	    "got SIGUSR1 when its parent exited");
	sh[1] = 1;
	r = wait4(sh[3], &st, 0, NULL);
	is_exit(st, 0, "prctl(2): the other grandchild ran to its end");
	is_long(sh[4], me, "prctl(2): PR_SET_CHILD_SUBREAPER: an orphan's "
	    "getppid(2) is the subreaper");
	is_sysok(prctl_sys(PR_SET_CHILD_SUBREAPER, 0),
	    "prctl(2): PR_SET_CHILD_SUBREAPER 0");
	(void)r;
}

static void
test_exec(void)
{
	char self[512];
	pid_t pid;

	conf_path(self, sizeof(self), "prctl");
	if ((pid = conf_fork()) == 0) {
		char *args[] = { self, "--helper", "exec", NULL };

		(void)prctl_sys(PR_SET_NAME, "not-the-file");
		(void)prctl_sys(PR_SET_DUMPABLE, 0);
		(void)prctl_sys(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		execv(self, args);
		_exit(100);
	}
	is_exit(conf_wait(pid), 7, "prctl(2): after execve(2) the name is "
	    "the file's, dumpable is 1 and no_new_privs stays set");
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--helper") == 0)
		return helper_exec(argv[0]);
	conf_init(argv);
	test_name();
	test_dumpable();
	test_pdeathsig();
	test_subreaper();
	test_exec();
	is_syserr(prctl_sys(PR_NO_SUCH_OPTION, 0, 0, 0, 0), EINVAL,
	    "prctl(2): an unknown option is EINVAL");
	test_no_new_privs();
	return done_testing();
}
