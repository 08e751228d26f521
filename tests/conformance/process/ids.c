/*
 * getpid(2), getppid(2), gettid(2), set_tid_address(2) and arch_prctl(2)
 * ARCH_SET_FS/ARCH_GET_FS.  While FS points elsewhere nothing may touch
 * the C library's thread data (errno included), so those calls are raw.
 */
#include <unistd.h>

#include "conf.h"

static unsigned long
fs_word(long offset)
{
	unsigned long v;

	__asm__ volatile ("movq %%fs:(%1), %0" : "=r" (v) : "r" (offset));
	return v;
}

static void
test_arch_prctl(void)
{
	static unsigned long block[4] = { 0x1122334455667788UL,
	    0x99aabbccddeeff00UL, 0, 0 };
	unsigned long base = 0, got = 0, seen0, seen1;
	long r1, r2, r3;

	r1 = conf_sys(SYS_arch_prctl, CONF_ARCH_GET_FS, &base);
	is_sysok(r1, "arch_prctl(2): ARCH_GET_FS succeeds");
	is_hex(fs_word(0), base, "arch_prctl(2): ARCH_GET_FS gives the FS "
	    "base (%%fs:0 holds the TLS self pointer, x86_64 TLS ABI)");

	r1 = conf_sys(SYS_arch_prctl, CONF_ARCH_SET_FS, block);
	seen0 = fs_word(0);
	seen1 = fs_word(8);
	r2 = conf_sys(SYS_arch_prctl, CONF_ARCH_GET_FS, &got);
	r3 = conf_sys(SYS_arch_prctl, CONF_ARCH_SET_FS, base);
	if (r3 != 0)
		bail_out("cannot restore the FS base: %ld", r3);
	is_sysok(r1, "arch_prctl(2): ARCH_SET_FS to a user buffer succeeds");
	ok(seen0 == block[0] && seen1 == block[1], "arch_prctl(2): after "
	    "ARCH_SET_FS, %%fs:0 and %%fs:8 read the buffer");
	ok(r2 == 0 && got == (unsigned long)block, "arch_prctl(2): "
	    "ARCH_GET_FS returns the base ARCH_SET_FS set");
	is_hex(fs_word(0), base, "arch_prctl(2): ARCH_SET_FS back restores "
	    "the thread pointer");

	is_syserr(conf_sys(SYS_arch_prctl, CONF_ARCH_SET_FS,
	    0x8000000000000000UL), EPERM, "arch_prctl(2): ARCH_SET_FS to an "
	    "address outside user space is EPERM");
	is_syserr(conf_sys(SYS_arch_prctl, 0x9999, &got), EINVAL,
	    "arch_prctl(2): an unknown code is EINVAL");
	is_syserr(conf_sys(SYS_arch_prctl, CONF_ARCH_GET_FS, 8), EFAULT,
	    "arch_prctl(2): ARCH_GET_FS to a bad pointer is EFAULT");
}

int
main(int argc, char **argv)
{
	static int tid_word;
	pid_t pid, child;
	long tid;
	int st;

	(void)argc;
	conf_init(argv);
	pid = getpid();
	ok(pid > 0, "getpid(2): returns a positive pid");
	is_long(conf_sys(SYS_getpid), pid, "getpid(2): the same on every "
	    "call");
	ok(getppid() > 0 && getppid() != pid, "getppid(2): a positive pid "
	    "that is not ours");
	tid = conf_sys(SYS_gettid);
	is_long(tid, pid, "gettid(2): in a single-threaded process the "
	    "thread id is the pid");
	is_long(conf_sys(SYS_set_tid_address, &tid_word), tid,
	    "set_tid_address(2): returns the caller's thread id");

	child = conf_fork();
	if (child == 0)
		_exit(conf_sys(SYS_gettid) == getpid() &&
		    getpid() != pid ? 0 : 1);
	st = conf_wait(child);
	is_exit(st, 0, "gettid(2): a forked child's tid is its own pid");

	test_arch_prctl();
	return done_testing();
}
