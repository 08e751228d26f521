/*
 * Core dumps (core(5)): a process killed by SIGSEGV (or SIGABRT) with
 * RLIMIT_CORE large enough writes "core" in its working directory, an
 * ELF ET_CORE file whose notes name the process and the signal and whose
 * PT_LOAD segments hold its memory, and the wait status has the core flag;
 * with RLIMIT_CORE 0, or after PR_SET_DUMPABLE 0, there is no file and no
 * flag.  On a Linux host whose core_pattern is not plain "core" (a pipe
 * to a crash collector, say) the cases that need the file are skipped.
 */
/* conformance: timeout=60 */
#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/procfs.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"

#define MAGIC	"eclipse core magic 0123456789"

static char dir[96];
static char *volatile *magic_page;	/* shared: where the child's page is */

struct dump_args {
	int	core_limit;	/* RLIMIT_CORE soft, or -1: unlimited */
	int	dumpable;
	int	sig;
};

/* The child: a page of known bytes, then death by args->sig. */
static void
die(void *arg)
{
	const struct dump_args *a = arg;
	struct rlimit rl;
	char *p;

	if (chdir(dir) != 0)
		_exit(90);
	getrlimit(RLIMIT_CORE, &rl);
	rl.rlim_cur = a->core_limit < 0 ? rl.rlim_max :
	    (rlim_t)a->core_limit;
	if (setrlimit(RLIMIT_CORE, &rl) != 0)
		_exit(91);
	if (!a->dumpable && prctl(PR_SET_DUMPABLE, 0) != 0)
		_exit(92);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		_exit(93);
	strcpy(p, MAGIC);
	*magic_page = p;
	signal(a->sig, SIG_DFL);
	raise(a->sig);
	_exit(94);
}

/* Read all of path into a new buffer; its size in *len. */
static char *
slurp(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || (buf = malloc(st.st_size + 1)) == NULL) {
		close(fd);
		return NULL;
	}
	*len = (size_t)read(fd, buf, st.st_size);
	close(fd);
	return buf;
}

/* Check the core of child pid, dead of sig, at dir/core. */
static void
check_core(pid_t pid, int sig)
{
	char path[128];
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *ph;
	const char *core;
	size_t len, off;
	int i, have_status = 0, have_info = 0, have_siginfo = 0;
	int have_fp = 0, found_magic = 0;

	snprintf(path, sizeof(path), "%s/core", dir);
	core = slurp(path, &len);
	ok(core != NULL, "the core file exists in the working directory");
	if (core == NULL)
		return;
	eh = (const Elf64_Ehdr *)core;
	ok(len >= sizeof(*eh) && memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 &&
	    eh->e_ident[EI_CLASS] == ELFCLASS64, "it is a 64-bit ELF file");
	is_long(eh->e_type, ET_CORE, "of type ET_CORE");
	is_long(eh->e_machine, EM_X86_64, "for x86_64");
	ph = (const Elf64_Phdr *)(core + eh->e_phoff);
	is_long(ph[0].p_type, PT_NOTE, "the first program header is PT_NOTE");
	for (off = ph[0].p_offset; off + sizeof(Elf64_Nhdr) <=
	    ph[0].p_offset + ph[0].p_filesz;) {
		const Elf64_Nhdr *nh = (const Elf64_Nhdr *)(core + off);
		const char *desc = core + off + sizeof(*nh) +
		    ((nh->n_namesz + 3) & ~3U);

		if (nh->n_type == NT_PRSTATUS && !have_status) {
			const struct elf_prstatus *ps = (const void *)desc;

			have_status = ps->pr_pid == pid &&
			    ps->pr_cursig == sig &&
			    ps->pr_info.si_signo == sig;
		} else if (nh->n_type == NT_PRPSINFO) {
			const struct elf_prpsinfo *pi = (const void *)desc;

			have_info = pi->pr_pid == pid &&
			    strcmp(pi->pr_fname, "core") == 0;
		} else if (nh->n_type == NT_SIGINFO) {
			const siginfo_t *si = (const void *)desc;

			have_siginfo = si->si_signo == sig;
		} else if (nh->n_type == NT_FPREGSET) {
			have_fp = nh->n_descsz == 512;
		}
		off = (size_t)(desc - core) + ((nh->n_descsz + 3) & ~3U);
	}
	ok(have_status, "NT_PRSTATUS names the thread and the signal");
	ok(have_info, "NT_PRPSINFO names the process and its command");
	ok(have_siginfo, "NT_SIGINFO holds the signal's siginfo");
	ok(have_fp, "NT_FPREGSET holds the 512-byte x87/SSE state");
	for (i = 1; i < eh->e_phnum; i++) {
		uintptr_t a = (uintptr_t)*magic_page;

		if (ph[i].p_type != PT_LOAD || a < ph[i].p_vaddr ||
		    a >= ph[i].p_vaddr + ph[i].p_filesz)
			continue;
		if (ph[i].p_offset + (a - ph[i].p_vaddr) + sizeof(MAGIC) <=
		    len && memcmp(core + ph[i].p_offset + (a - ph[i].p_vaddr),
		    MAGIC, sizeof(MAGIC)) == 0)
			found_magic = 1;
	}
	ok(found_magic, "a PT_LOAD segment holds the process's memory at its "
	    "address");
	free((void *)core);
	unlink(path);
}

/* Is the host writing cores as plain files named "core"? */
static int
core_pattern_plain(void)
{
	struct utsname u;
	char buf[64] = "";
	int fd;

	uname(&u);
	if (strcmp(u.sysname, "Linux") != 0)
		return 1;
	if ((fd = open("/proc/sys/kernel/core_pattern", O_RDONLY)) < 0)
		return 0;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = '\0';
	close(fd);
	if ((fd = open("/proc/sys/kernel/core_uses_pid", O_RDONLY)) >= 0) {
		char c = '0';

		if (read(fd, &c, 1) == 1 && c != '0')
			buf[0] = '\0';
		close(fd);
	}
	return strcmp(buf, "core\n") == 0;
}

int
main(int argc, char **argv)
{
	struct dump_args a;
	struct stat st;
	char path[128];
	pid_t pid;
	int st_, plain;

	(void)argc;
	conf_init(argv);
	magic_page = conf_shared(sizeof(*magic_page));
	if (mkdir("/tmp", 01777) != 0 && errno != EEXIST)
		bail_out("mkdir /tmp");
	snprintf(dir, sizeof(dir), "/tmp/conf-core-%d", (int)getpid());
	if (mkdir(dir, 0755) != 0)
		bail_out("mkdir %s", dir);
	/* A tmpfs of its own on the host too: the cores vanish with it. */
	(void)mount("tmpfs", dir, "tmpfs", 0, "size=64m");
	snprintf(path, sizeof(path), "%s/core", dir);
	plain = core_pattern_plain();

	a.core_limit = 0;
	a.dumpable = 1;
	a.sig = SIGSEGV;
	st_ = conf_in_child(die, &a);
	is_signal(st_, SIGSEGV, "RLIMIT_CORE 0: killed by SIGSEGV");
	ok(WIFSIGNALED(st_) && !WCOREDUMP(st_), "... without the core flag");
	ok(stat(path, &st) != 0, "... and no core file");

	if (!plain) {
		skip(14, "this host's core_pattern is not plain \"core\"");
	} else {
		a.core_limit = -1;
		if ((pid = conf_fork()) == 0)
			die(&a);
		st_ = conf_wait(pid);
		is_signal(st_, SIGSEGV, "RLIMIT_CORE unlimited: SIGSEGV");
		ok(WIFSIGNALED(st_) && WCOREDUMP(st_),
		    "... with the core flag in the wait status");
		check_core(pid, SIGSEGV);

		a.sig = SIGABRT;
		st_ = conf_in_child(die, &a);
		ok(WIFSIGNALED(st_) && WTERMSIG(st_) == SIGABRT &&
		    WCOREDUMP(st_), "SIGABRT dumps core too");
		ok(stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    (st.st_mode & 0777) == 0600, "the core file is mode 0600");
		unlink(path);
	}

	a.sig = SIGSEGV;
	a.dumpable = 0;
	st_ = conf_in_child(die, &a);
	ok(WIFSIGNALED(st_) && WTERMSIG(st_) == SIGSEGV && !WCOREDUMP(st_),
	    "PR_SET_DUMPABLE 0: no core flag");
	ok(stat(path, &st) != 0, "... and no core file");

	a.dumpable = 1;
	a.sig = SIGTERM;
	st_ = conf_in_child(die, &a);
	ok(WIFSIGNALED(st_) && WTERMSIG(st_) == SIGTERM && !WCOREDUMP(st_),
	    "SIGTERM never dumps core");
	ok(stat(path, &st) != 0, "... no core file");

	umount(dir);
	rmdir(dir);
	return done_testing();
}
