/*
 * Support for the conformance test programs (see conf.h).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"

static char	conf_dirbuf[256];

/* Returns a zeroed MAP_SHARED anonymous region; bails out on failure. */
void *
conf_shared(size_t len)
{
	void *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		tap_bail("mmap(MAP_SHARED|MAP_ANONYMOUS, %zu): %s", len,
		    tap_errname(errno));
	return p;
}

/* Forks; bails out (in the parent) on failure.  Returns fork's value. */
pid_t
conf_fork(void)
{
	pid_t pid = fork();

	if (pid < 0)
		tap_bail("fork: %s", tap_errname(errno));
	return pid;
}

/* Waits for child pid; returns its wait status; bails out on error. */
int
conf_wait(pid_t pid)
{
	pid_t got;
	int status;

	do
		got = wait4(pid, &status, 0, NULL);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		tap_bail("wait4(%d): %s", (int)pid, tap_errname(errno));
	if (got != pid)
		tap_bail("wait4(%d) returned %d", (int)pid, (int)got);
	return status;
}

/* Runs fn(arg) in a child that then exits 0; returns its wait status. */
int
conf_in_child(void (*fn)(void *), void *arg)
{
	pid_t pid = conf_fork();

	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	return conf_wait(pid);
}

/* Returns a wait status in words, in a static buffer. */
const char *
conf_status_str(int status)
{
	static char buf[64];

	if (WIFEXITED(status))
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, sizeof(buf), "signal %d (%s)%s",
		    WTERMSIG(status), strsignal(WTERMSIG(status)),
		    WCOREDUMP(status) ? ", core dumped" : "");
	else
		snprintf(buf, sizeof(buf), "status %#x", status);
	return buf;
}

/* Reports whether status is a normal exit with code. */
int
conf_is_exit_at(const char *file, int line, int status, int code,
    const char *fmt, ...)
{
	char desc[512];
	va_list ap;
	int pass;

	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	pass = WIFEXITED(status) && WEXITSTATUS(status) == code;
	tap_ok_at(file, line, pass, "%s", desc);
	if (!pass)
		tap_diag("       got: %s\n  expected: exit %d",
		    conf_status_str(status), code);
	return pass;
}

/* Reports whether status is death by signal sig. */
int
conf_is_signal_at(const char *file, int line, int status, int sig,
    const char *fmt, ...)
{
	char desc[512];
	va_list ap;
	int pass;

	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	pass = WIFSIGNALED(status) && WTERMSIG(status) == sig;
	tap_ok_at(file, line, pass, "%s", desc);
	if (!pass)
		tap_diag("       got: %s\n  expected: signal %d (%s)",
		    conf_status_str(status), sig, strsignal(sig));
	return pass;
}

/* Returns the raw clock_gettime value in nanoseconds. */
int64_t
conf_now_ns(clockid_t clock)
{
	struct timespec ts;
	long r;

	r = conf_sys(SYS_clock_gettime, clock, &ts);
	if (r != 0)
		tap_bail("clock_gettime(%d): %s", (int)clock,
		    tap_errname((int)-r));
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Sleeps ms milliseconds, resuming after an interruption. */
void
conf_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		continue;
}

/* Spins in user mode for ms milliseconds of monotonic time. */
void
conf_spin_ms(long ms)
{
	int64_t end = conf_now_ns(CLOCK_MONOTONIC) + ms * CONF_MS;
	volatile unsigned long sink = 0;
	int i;

	while (conf_now_ns(CLOCK_MONOTONIC) < end)
		for (i = 0; i < 100000; i++)
			sink += (unsigned long)i;
}

/* Polls *flag until it reaches value or the time is up. */
int
conf_wait_flag(volatile int *flag, int value, long poll_ms, long timeout_ms)
{
	int64_t end = conf_now_ns(CLOCK_MONOTONIC) + timeout_ms * CONF_MS;

	while (__atomic_load_n(flag, __ATOMIC_SEQ_CST) < value) {
		if (conf_now_ns(CLOCK_MONOTONIC) >= end)
			return -1;
		conf_sleep_ms(poll_ms);
	}
	return 0;
}

/* A child that exits with code once *release is set. */
pid_t
conf_held_child(volatile int *release, int code)
{
	pid_t pid = conf_fork();

	if (pid == 0) {
		conf_wait_flag(release, 1, 5, 60000);
		_exit(code);
	}
	return pid;
}

/* Switches to uid and gid 65534 when running as root; bails out if not. */
void
conf_drop_privileges(void)
{
	if (geteuid() != 0 && getuid() != 0)
		return;
	if (setgroups(0, NULL) != 0)
		tap_bail("setgroups(0): %s", tap_errname(errno));
	if (setresgid(65534, 65534, 65534) != 0)
		tap_bail("setresgid(65534): %s", tap_errname(errno));
	if (setresuid(65534, 65534, 65534) != 0)
		tap_bail("setresuid(65534): %s", tap_errname(errno));
	if (geteuid() == 0 || getuid() == 0)
		tap_bail("still root after setresuid(65534)");
}

/* Linux's _LINUX_CAPABILITY_VERSION_3 header and data (two words). */
int
conf_has_cap(int cap)
{
	struct { unsigned int version; int pid; } hdr = { 0x20080522, 0 };
	struct { unsigned int eff, perm, inh; } data[2];

	if (conf_sys(SYS_capget, &hdr, data) < 0)
		return geteuid() == 0;
	return (data[cap / 32].eff >> (cap % 32)) & 1;
}

/* Finds id's line of /proc/sysvipc/<kind> under the expected header. */
int
conf_sysvipc_line(const char *kind, const char *header, int id, char *line,
    size_t len)
{
	char path[64];
	FILE *f;
	int found = -1, lid;

	snprintf(path, sizeof(path), "/proc/sysvipc/%s", kind);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fgets(line, (int)len, f) == NULL ||
	    strncmp(line, header, strlen(header)) != 0) {
		fclose(f);
		return -1;
	}
	while (found < 0 && fgets(line, (int)len, f) != NULL)
		if (sscanf(line, "%*d %d", &lid) == 1 && lid == id)
			found = 0;
	fclose(f);
	return found;
}

/* mov $60, %eax; mov $42, %edi; syscall: exit(42). */
static const unsigned char conf_exit42[] = {
	0xb8, 0x3c, 0x00, 0x00, 0x00, 0xbf, 0x2a, 0x00, 0x00, 0x00,
	0x0f, 0x05,
};

/* A small ELF file: headers, PT_INTERP's path, the code at 256. */
void
conf_write_elf(const char *path, int type, int machine, const char *interp,
    size_t ilen)
{
	unsigned char buf[512];
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	Elf64_Phdr *ph = (Elf64_Phdr *)(buf + sizeof(*eh));
	size_t ioff = sizeof(*eh) + 2 * sizeof(*ph), code = 256;
	unsigned long base = type == ET_EXEC ? 0x400000UL : 0;
	int fd, n = 0;

	if (ioff + ilen > code)
		tap_bail("conf_write_elf: interpreter path too long");
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
	memcpy(buf + code, conf_exit42, sizeof(conf_exit42));
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755)) < 0 ||
	    write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
		tap_bail("write %s: %s", path, tap_errname(errno));
	close(fd);
}

/* Remembers the directory of argv[0]. */
void
conf_init(char **argv)
{
	const char *slash;
	size_t len;

	if (argv[0] == NULL || (slash = strrchr(argv[0], '/')) == NULL) {
		strcpy(conf_dirbuf, ".");
		return;
	}
	len = (size_t)(slash - argv[0]);
	if (len >= sizeof(conf_dirbuf))
		tap_bail("argv[0] is too long: %s", argv[0]);
	memcpy(conf_dirbuf, argv[0], len);
	conf_dirbuf[len] = '\0';
}

/* Returns the directory of argv[0] (see conf_init). */
const char *
conf_dir(void)
{
	if (conf_dirbuf[0] == '\0')
		tap_bail("conf_dir() before conf_init()");
	return conf_dirbuf;
}

/* Writes conf_dir() "/" name into buf; bails out if it does not fit. */
void
conf_path(char *buf, size_t len, const char *name)
{
	if ((size_t)snprintf(buf, len, "%s/%s", conf_dir(), name) >= len)
		tap_bail("path too long: %s/%s", conf_dir(), name);
}

static void
conf_ms_tv(struct timeval *tv, long ms)
{
	tv->tv_sec = ms / 1000;
	tv->tv_usec = ms % 1000 * 1000;
}

int
conf_alarm(void (*handler)(int), int restart, long first_ms,
    long interval_ms)
{
	struct itimerval it;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) != 0)
		return -1;
	conf_ms_tv(&it.it_value, first_ms);
	conf_ms_tv(&it.it_interval, interval_ms);
	return setitimer(ITIMER_REAL, &it, NULL);
}

void
conf_alarm_stop(void)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	(void)setitimer(ITIMER_REAL, &it, NULL);
}

char *
conf_page_before_hole(void)
{
	char *page = mmap(NULL, 2 * CONF_PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (page == MAP_FAILED || munmap(page + CONF_PAGE, CONF_PAGE) != 0)
		tap_bail("a page before a hole: %s", tap_errname(errno));
	return page;
}
