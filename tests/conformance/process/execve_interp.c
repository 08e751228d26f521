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

#define BASE		0x400000UL
/* mov $60, %eax; mov $42, %edi; syscall: exit(42). */
static const unsigned char exit42[] = {
	0xb8, 0x3c, 0x00, 0x00, 0x00, 0xbf, 0x2a, 0x00, 0x00, 0x00,
	0x0f, 0x05,
};

/* In a child: execve the path arg, exit with its errno. */
static void
child_exec(void *arg)
{
	char *av[] = { (char *)arg, NULL };
	char *ev[] = { NULL };

	execve((const char *)arg, av, ev);
	_exit(errno);
}

/*
 * An x86-64 ELF file at path: type (ET_EXEC at BASE or ET_DYN at 0),
 * machine, one PT_LOAD of the whole file (exec'able) holding the code
 * exit42 at its entry, and, when interp is not NULL, a PT_INTERP of its
 * ilen bytes (a path, NUL included or not).
 */
static void
write_elf(const char *path, int type, int machine, const char *interp,
    size_t ilen)
{
	unsigned char buf[512];
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	Elf64_Phdr *ph = (Elf64_Phdr *)(buf + sizeof(*eh));
	size_t ioff = sizeof(*eh) + 2 * sizeof(*ph), code = 256;
	unsigned long base = type == ET_EXEC ? BASE : 0;
	int fd, n = 0;

	if (ioff + ilen > code)
		bail_out("interpreter path too long");
	memset(buf, 0, sizeof(buf));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = type;
	eh->e_machine = machine;
	eh->e_version = EV_CURRENT;
	eh->e_entry = base + code;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	if (interp != NULL) {
		ph[n].p_type = PT_INTERP;
		ph[n].p_flags = PF_R;
		ph[n].p_offset = ioff;
		ph[n].p_vaddr = ph[n].p_paddr = base + ioff;
		ph[n].p_filesz = ph[n].p_memsz = ilen;
		ph[n].p_align = 1;
		memcpy(buf + ioff, interp, ilen);
		n++;
	}
	ph[n].p_type = PT_LOAD;
	ph[n].p_flags = PF_R | PF_X;
	ph[n].p_vaddr = ph[n].p_paddr = base;
	ph[n].p_filesz = ph[n].p_memsz = sizeof(buf);
	ph[n].p_align = 0x1000;
	n++;
	eh->e_phnum = n;
	memcpy(buf + code, exit42, sizeof(exit42));
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755)) < 0 ||
	    write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
		bail_out("write %s: %s", path, tap_errname(errno));
	close(fd);
}

/* A program at path whose PT_INTERP is the absolute dir/name. */
static void
write_prog(const char *path, const char *dir, const char *name)
{
	char interp[PATH_MAX];

	snprintf(interp, sizeof(interp), "%s/%s", dir, name);
	write_elf(path, ET_EXEC, EM_X86_64, interp, strlen(interp) + 1);
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

	write_elf("nonul", ET_EXEC, EM_X86_64, "/bin/sh", 7);
	is_exit(conf_in_child(child_exec, "nonul"), ENOEXEC,
	    "execve(2): a PT_INTERP path without its NUL is ENOEXEC");
	write_elf("short", ET_EXEC, EM_X86_64, "", 1);
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
	write_elf("interp42", ET_DYN, EM_X86_64, NULL, 0);
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
	write_elf("i386", ET_DYN, EM_386, NULL, 0);
	write_prog("toi386", dir, "i386");
	is_exit(conf_in_child(child_exec, "toi386"), ELIBBAD,
	    "execve(2): an interpreter for another machine is ELIBBAD");

	/* The interpreter runs; its own PT_INTERP is not looked at. */
	write_elf("interp42b", ET_DYN, EM_X86_64, "/nonexistent", 13);
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
