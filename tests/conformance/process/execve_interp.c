/*
 * execve(2) of ELF programs that name an interpreter (PT_INTERP), as
 * dynamically linked programs do.  The errors are Linux's
 * load_elf_binary's, each in a child that exits with the errno: a
 * PT_INTERP path that does not end in a NUL or is shorter than 2 bytes is
 * ENOEXEC; an interpreter that is missing is ENOENT, a directory or a
 * file without execute permission EACCES (open_exec), shorter than an ELF
 * header EIO (a short read), an ELF file for another machine ELIBBAD.  An
 * interpreter that has a PT_INTERP of its own is loaded all the same
 * (Linux's load_elf_interp looks at PT_LOAD alone): a hand-made ET_DYN
 * interpreter that exits 42 runs.  And a program linked with plain
 * musl-gcc (helpers/execve_dyn.c) runs through /lib/ld-musl-x86_64.so.1,
 * prints its line, and finds AT_BASE set and AT_ENTRY at its _start.
 */
#include <elf.h>
#include <limits.h>
#include <sys/wait.h>

#include "../fs/fs.h"

/* In a child: execve the path arg, exit with its errno. */
static void
child_exec(void *arg)
{
	char *av[] = { (char *)arg, NULL };
	char *ev[] = { NULL };

	execve((const char *)arg, av, ev);
	_exit(errno);
}

/* A program at path whose PT_INTERP is the absolute dir/name. */
static void
write_prog(const char *path, const char *dir, const char *name)
{
	char interp[PATH_MAX];

	snprintf(interp, sizeof(interp), "%s/%s", dir, name);
	conf_write_elf(path, ET_EXEC, EM_X86_64, interp, strlen(interp) + 1);
}

/*
 * Run the dynamic helper with its output on a pipe: its exit status, and
 * what it printed in out.
 */
static int
run_dynamic(const char *path, char *out, size_t size)
{
	char *av[] = { (char *)path, NULL };
	char *ev[] = { NULL };
	size_t got = 0;
	ssize_t n;
	int fds[2], status;
	pid_t pid;

	if (pipe(fds) != 0)
		bail_out("pipe: %s", tap_errname(errno));
	if ((pid = conf_fork()) == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execve(path, av, ev);
		_exit(100 + errno);
	}
	close(fds[1]);
	while (got < size - 1 &&
	    (n = read(fds[0], out + got, size - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	close(fds[0]);
	status = conf_wait(pid);
	return status;
}

int
main(int argc, char **argv)
{
	char helper[PATH_MAX], out[128];
	const char *dir;
	int status;

	(void)argc;
	conf_init(argv);
	conf_path(helper, sizeof(helper), "execve_dyn");
	dir = fs_setup("execve_interp", NULL);
	umask(022);
	chmod(".", 0755);

	conf_write_elf("nonul", ET_EXEC, EM_X86_64, "/bin/sh", 7);
	is_exit(conf_in_child(child_exec, "nonul"), ENOEXEC,
	    "execve(2): a PT_INTERP path without its NUL is ENOEXEC");
	conf_write_elf("short", ET_EXEC, EM_X86_64, "", 1);
	is_exit(conf_in_child(child_exec, "short"), ENOEXEC,
	    "execve(2): a PT_INTERP of 1 byte is ENOEXEC");

	write_prog("missing", dir, "nonexistent");
	is_exit(conf_in_child(child_exec, "missing"), ENOENT,
	    "execve(2): a missing interpreter is ENOENT");
	if (mkdir("idir", 0755) != 0)
		bail_out("mkdir: %s", tap_errname(errno));
	write_prog("todir", dir, "idir");
	is_exit(conf_in_child(child_exec, "todir"), EACCES,
	    "execve(2): an interpreter that is a directory is EACCES");
	conf_write_elf("interp42", ET_DYN, EM_X86_64, NULL, 0);
	chmod("interp42", 0644);
	write_prog("noexec", dir, "interp42");
	is_exit(conf_in_child(child_exec, "noexec"), EACCES,
	    "execve(2): an interpreter without execute permission is EACCES");
	chmod("interp42", 0755);

	fs_mkfile("tiny", "\177ELF\002\001\001");
	chmod("tiny", 0755);
	write_prog("totiny", dir, "tiny");
	is_exit(conf_in_child(child_exec, "totiny"), EIO,
	    "execve(2): an interpreter shorter than an ELF header is EIO");
	conf_write_elf("i386", ET_DYN, EM_386, NULL, 0);
	write_prog("toi386", dir, "i386");
	is_exit(conf_in_child(child_exec, "toi386"), ELIBBAD,
	    "execve(2): an interpreter for another machine is ELIBBAD");

	/* The interpreter runs; its own PT_INTERP is not looked at. */
	conf_write_elf("interp42b", ET_DYN, EM_X86_64, "/nonexistent", 13);
	write_prog("run42", dir, "interp42b");
	is_exit(conf_in_child(child_exec, "run42"), 42,
	    "execve(2): the interpreter runs (its own PT_INTERP ignored)");

	status = run_dynamic(helper, out, sizeof(out));
	is_exit(status, 0, "execve(2): a dynamically linked musl program "
	    "runs, with AT_BASE set and AT_ENTRY its _start");
	is_str(out, "dynamic: hello\n",
	    "execve(2): the dynamically linked program's output");

	fs_done();
	return done_testing();
}
