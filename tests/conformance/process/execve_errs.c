/*
 * execve(2)'s errors from paths and files, each in a child that exits
 * with the errno: a symlink loop (as the file or on the way) and a
 * script that names itself as its interpreter are ELOOP; a component of
 * NAME_MAX + 1 bytes or a path of PATH_MAX bytes ENAMETOOLONG; a regular
 * file on the way ENOTDIR; a file open for writing ETXTBSY; an ELF
 * program whose PT_INTERP is not an ELF file ELIBBAD; and, having become
 * a user over its RLIMIT_NPROC by setuid(2), EAGAIN.
 */
#include <elf.h>
#include <limits.h>
#include <signal.h>
#include <sys/resource.h>

#include "../fs/fs.h"

static char longname[NAME_MAX + 2];
static char longpath[PATH_MAX + 1];
static char self[PATH_MAX];

/* In a child: execve the path arg, exit with its errno. */
static void
child_exec(void *arg)
{
	char *av[] = { (char *)arg, "--helper", NULL };
	char *ev[] = { NULL };

	execve((const char *)arg, av, ev);
	_exit(errno);
}

/* In a child: root with RLIMIT_NPROC 0 becomes nobody and execs itself. */
static void
child_nproc(void *arg)
{
	struct rlimit rl = { 0, 0 };

	(void)arg;
	if (setrlimit(RLIMIT_NPROC, &rl) != 0 || setgid(FS_NOBODY) != 0 ||
	    setuid(FS_NOBODY) != 0)
		_exit(200);
	child_exec(self);
}

int
main(int argc, char **argv)
{
	char path[PATH_MAX], text[PATH_MAX + 16];
	volatile int *flag;
	const char *dir;
	pid_t sleeper;
	size_t i;
	int wfd;

	if (argc > 1 && strcmp(argv[1], "--helper") == 0)
		return 0;
	conf_init(argv);
	conf_path(self, sizeof(self), "execve_errs");
	dir = fs_setup("execve_errs", NULL);
	umask(022);
	chmod(".", 0755);
	memset(longname, 'n', NAME_MAX + 1);
	for (i = 0; i < PATH_MAX; i += 2)
		memcpy(longpath + i, "./", 2);
	longpath[PATH_MAX - 1] = 'x';
	if (symlink("loop", "loop") != 0)
		bail_out("symlink: %s", tap_errname(errno));
	fs_mkfile("f", "#!/nonexistent\n");
	chmod("f", 0755);

	is_exit(conf_in_child(child_exec, "loop"), ELOOP,
	    "execve(2): a symlink loop is ELOOP");
	is_exit(conf_in_child(child_exec, "loop/x"), ELOOP,
	    "execve(2): a path through a symlink loop is ELOOP");
	is_exit(conf_in_child(child_exec, longname), ENAMETOOLONG,
	    "execve(2): a component of NAME_MAX + 1 bytes is ENAMETOOLONG");
	is_exit(conf_in_child(child_exec, longpath), ENAMETOOLONG,
	    "execve(2): a path of PATH_MAX bytes is ENAMETOOLONG");
	is_exit(conf_in_child(child_exec, "f/x"), ENOTDIR,
	    "execve(2): a path under a regular file is ENOTDIR");

	/* A script whose interpreter is itself. */
	snprintf(text, sizeof(text), "#!%s/self\n", dir);
	fs_mkfile("self", text);
	chmod("self", 0755);
	is_exit(conf_in_child(child_exec, "self"), ELOOP,
	    "execve(2): a script that is its own interpreter is ELOOP");

	/* Open for writing */
	if ((wfd = open("f", O_WRONLY)) < 0)
		bail_out("open f: %s", tap_errname(errno));
	is_exit(conf_in_child(child_exec, "f"), ETXTBSY,
	    "execve(2): a file open for writing is ETXTBSY");
	close(wfd);
	is_exit(conf_in_child(child_exec, "f"), ENOENT,
	    "execve(2): closed again, its missing interpreter is ENOENT");

	/* PT_INTERP names a text file */
	memset(text, 'x', 200);
	text[200] = '\0';
	fs_mkfile("interp", text);
	chmod("interp", 0755);
	snprintf(path, sizeof(path), "%s/interp", dir);
	conf_write_elf("dyn", ET_EXEC, EM_X86_64, path, strlen(path) + 1);
	is_exit(conf_in_child(child_exec, "dyn"), ELIBBAD,
	    "execve(2): an ELF interpreter that is not ELF is ELIBBAD");

	/* nobody needs a process already for a limit of 0 to be passed. */
	flag = conf_shared(sizeof(*flag));
	if ((sleeper = conf_fork()) == 0) {
		if (setgid(FS_NOBODY) != 0 || setuid(FS_NOBODY) != 0)
			_exit(1);
		*flag = 1;
		for (;;)
			pause();
	}
	if (conf_wait_flag(flag, 1, 10, 10000) != 0)
		bail_out("the nobody process did not start");
	is_exit(conf_in_child(child_nproc, NULL), EAGAIN,
	    "execve(2): after setuid(2) to a user over RLIMIT_NPROC is EAGAIN");
	kill(sleeper, SIGKILL);
	conf_wait(sleeper);

	fs_done();
	return done_testing();
}
