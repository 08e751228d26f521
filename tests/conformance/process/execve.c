/*
 * execve(2): argv and envp (empty and long strings) reach the new program,
 * which keeps the pid; the auxiliary vector (getauxval(3)); "#!" scripts;
 * and the errors ENOENT, ENOEXEC, EACCES, EFAULT, E2BIG.  The new program
 * is this one again, run with "--helper <mode>": it checks what it got and
 * exits 0, or with a code naming the first thing that was wrong.  Errors
 * are provoked in a child, which exits with the errno.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "conf.h"

#define LONG_ARG	100000	/* under Linux's 128 KiB per string */
#define LONG_ENV	50000
#define TOO_LONG	200000	/* over MAX_ARG_STRLEN (131072) */

extern char **environ;
extern char _start[];

static char long_arg[LONG_ARG + 3];
static char long_env[LONG_ENV + 6];

/* The argv and envp of the "args" exec, built the same on both sides. */
static void
expected(char **args, char **env)
{
	memset(long_arg, 'a', sizeof(long_arg) - 1);
	memcpy(long_arg, "L:", 2);
	long_arg[sizeof(long_arg) - 1] = '\0';
	memset(long_env, 'b', sizeof(long_env) - 1);
	memcpy(long_env, "LONG=", 5);
	long_env[sizeof(long_env) - 1] = '\0';
	args[0] = "argv0 is any text";
	args[1] = "--helper";
	args[2] = "args";
	args[3] = "";
	args[4] = long_arg;
	args[5] = "";
	args[6] = "end";
	args[7] = NULL;
	env[0] = "A=1";
	env[1] = "";
	env[2] = long_env;
	env[3] = "EMPTY=";
	env[4] = NULL;
}

/* Exit codes: 1 argc, 10+i argv[i], 30 envc, 40+i envp[i], 50 environ. */
static int
helper_args(int argc, char **argv, char **envp)
{
	char *args[8], *env[5];
	int i;

	expected(args, env);
	if (argc != 7)
		return 1;
	for (i = 0; i < 7; i++)
		if (strcmp(argv[i], args[i]) != 0)
			return 10 + i;
	for (i = 0; envp[i] != NULL && i < 4; i++)
		if (strcmp(envp[i], env[i]) != 0)
			return 40 + i;
	if (i != 4 || envp[4] != NULL)
		return 30;
	if (environ != envp)
		return 50;
	return 0;
}

/* Exit codes: 1 AT_EXECFN, 2 AT_PAGESZ, 3 ids, 4 AT_SECURE, 5 AT_ENTRY,
 * 6 AT_PHDR/PHENT/PHNUM, 7 AT_RANDOM. */
static int
helper_auxv(char **argv)
{
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	int i, nonzero = 0;

	if (execfn == NULL || strcmp(execfn, argv[0]) != 0)
		return 1;
	if (getauxval(AT_PAGESZ) != 4096)
		return 2;
	if (getauxval(AT_UID) != getuid() || getauxval(AT_EUID) != geteuid() ||
	    getauxval(AT_GID) != getgid() || getauxval(AT_EGID) != getegid())
		return 3;
	if (getauxval(AT_SECURE) != 0)
		return 4;
	if (getauxval(AT_ENTRY) != (unsigned long)_start)
		return 5;
	if (getauxval(AT_PHDR) == 0 ||
	    getauxval(AT_PHENT) != sizeof(Elf64_Phdr) ||
	    getauxval(AT_PHNUM) == 0)
		return 6;
	if (rnd == NULL)
		return 7;
	for (i = 0; i < 16; i++)
		nonzero |= rnd[i];
	return nonzero ? 0 : 7;
}

/* Run as the interpreter of execve_script: 1 argc, 10+i argv[i]. */
static int
helper_script(int argc, char **argv)
{
	char script[512], name[16];

	conf_init(argv);
	conf_path(script, sizeof(script), "execve_script");
	if (argc != 5)
		return 1;
	if (strcmp(argv[1], "--helper-script") != 0)
		return 11;
	if (strcmp(argv[2], script) != 0)
		return 12;
	if (strcmp(argv[3], "x") != 0)
		return 13;
	if (strcmp(argv[4], "") != 0)
		return 14;
	/* The name is the script's, not the interpreter's (as Linux). */
	if (prctl(PR_GET_NAME, name, 0, 0, 0) != 0 ||
	    strcmp(name, "execve_script") != 0)
		return 15;
	return 0;
}

static int
helper(int argc, char **argv, char **envp)
{
	if (argc >= 3 && strcmp(argv[2], "args") == 0)
		return helper_args(argc, argv, envp);
	if (argc == 3 && strcmp(argv[2], "auxv") == 0)
		return helper_auxv(argv);
	if (argc == 4 && strcmp(argv[2], "pid") == 0)
		return getpid() == atoi(argv[3]) ? 0 : 1;
	return 99;
}

/* execve in a child; returns its wait status (exit code = errno). */
static int
exec_status(const char *path, char *const *argv, char *const *envp)
{
	pid_t pid = conf_fork();

	if (pid == 0) {
		execve(path, argv, envp);
		_exit(errno > 0 && errno < 256 ? errno : 255);
	}
	return conf_wait(pid);
}

/* Checks that execve failed with err (the child's exit status). */
static void
is_exec_errno(int st, int err, const char *desc)
{
	int got = WIFEXITED(st) ? WEXITSTATUS(st) : -1;

	if (!ok(got == err, "%s", desc)) {
		if (got >= 0)
			diag("       got: errno %s (or exit %d)",
			    tap_errname(got), got);
		else
			diag("       got: %s", conf_status_str(st));
		diag("  expected: errno %s", tap_errname(err));
	}
}

int
main(int argc, char **argv, char **envp)
{
	char self[512], path[512], pidbuf[24];
	char *args[8], *env[5], *none[] = { NULL };
	char *auxv_args[] = { self, "--helper", "auxv", NULL };
	char *script_args[] = { "ignored", "x", "", NULL };
	char *pid_args[] = { self, "--helper", "pid", pidbuf, NULL };
	char *big_args[] = { self, NULL, NULL };
	char *big;
	pid_t pid;
	int st;

	if (argc > 1 && strcmp(argv[1], "--helper") == 0)
		return helper(argc, argv, envp);
	if (argc > 1 && strcmp(argv[1], "--helper-script") == 0)
		return helper_script(argc, argv);
	conf_init(argv);
	conf_path(self, sizeof(self), "execve");

	expected(args, env);
	st = exec_status(self, args, env);
	is_exit(st, 0, "execve(2): argv and envp, with empty strings, a "
	    "%d-byte argument and a %d-byte variable, reach the new program "
	    "intact (argv[0] free text)", LONG_ARG, LONG_ENV);

	st = exec_status(self, auxv_args, none);
	is_exit(st, 0, "execve(2)/getauxval(3): AT_EXECFN is the path, "
	    "AT_PAGESZ 4096, AT_UID..AT_EGID the ids, AT_SECURE 0, AT_ENTRY "
	    "_start, AT_PHDR/PHENT/PHNUM, 16 AT_RANDOM bytes");

	pid = conf_fork();
	if (pid == 0) {
		snprintf(pidbuf, sizeof(pidbuf), "%d", (int)getpid());
		execve(self, pid_args, none);
		_exit(127);
	}
	st = conf_wait(pid);
	is_exit(st, 0, "execve(2): the new program keeps the process's pid");

	conf_path(path, sizeof(path), "execve_script");
	st = exec_status(path, script_args, none);
	is_exit(st, 0, "execve(2): a \"#!interp arg\" script runs interp "
	    "with argv {interp, arg, script path, argv[1]...}, named (comm) "
	    "after the script");

	conf_path(path, sizeof(path), "no-such-file");
	st = exec_status(path, args, none);
	is_exec_errno(st, ENOENT, "execve(2): a path that does not exist is "
	    "ENOENT");
	conf_path(path, sizeof(path), "execve_garbage");
	st = exec_status(path, args, none);
	is_exec_errno(st, ENOEXEC, "execve(2): an executable file that is "
	    "neither ELF nor #! is ENOEXEC");
	conf_path(path, sizeof(path), "execve_badelf");
	st = exec_status(path, args, none);
	is_exec_errno(st, ENOEXEC, "execve(2): an ELF file that is not a "
	    "program (ET_CORE) is ENOEXEC");
	conf_path(path, sizeof(path), "execve_shortelf");
	st = exec_status(path, args, none);
	is_exec_errno(st, ENOEXEC, "execve(2): a file holding only the "
	    "first 7 bytes of an ELF header is ENOEXEC");
	st = exec_status(conf_dir(), args, none);
	is_exec_errno(st, EACCES, "execve(2): a directory is EACCES (not a "
	    "regular file)");
	st = exec_status((const char *)1, args, none);
	is_exec_errno(st, EFAULT, "execve(2): a bad path pointer is EFAULT");
	st = exec_status(self, (char *const *)1, none);
	is_exec_errno(st, EFAULT, "execve(2): a bad argv pointer is EFAULT");
	st = exec_status(self, args, (char *const *)CONF_KERNEL_ADDR);
	is_exec_errno(st, EFAULT, "execve(2): an envp pointer into the "
	    "kernel is EFAULT");

	big = malloc(TOO_LONG + 1);
	if (big == NULL)
		bail_out("malloc(%d) failed", TOO_LONG + 1);
	memset(big, 'c', TOO_LONG);
	big[TOO_LONG] = '\0';
	big_args[1] = big;
	st = exec_status(self, big_args, none);
	is_exec_errno(st, E2BIG, "execve(2): a single argument longer than "
	    "MAX_ARG_STRLEN (131072) is E2BIG");
	free(big);
	return done_testing();
}
