/*
 * getrlimit(2): RLIMIT_AS, RLIMIT_DATA and RLIMIT_STACK enforced.
 * RLIMIT_AS bounds all mapped memory: mmap, brk and mremap growth past it
 * are ENOMEM (brk returns the old break).  RLIMIT_DATA (Linux 4.7 and
 * later) bounds the break and the private writable mappings that are not
 * stacks: read-only, shared and MAP_GROWSDOWN mappings do not count.
 * RLIMIT_STACK bounds the main stack: growing past it is SIGSEGV, and a
 * limit above the default 8 MiB lets it grow further.  Each case runs in
 * a child, which sets its own limits.
 */
/* conformance: timeout=120 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "conf.h"

#define MIB	(1024UL * 1024)

static int
set_limit(int res, unsigned long cur)
{
	struct rlimit rl;

	if (getrlimit(res, &rl) != 0)
		return -1;
	rl.rlim_cur = cur;
	return setrlimit(res, &rl);
}

static long
raw_mmap(size_t len, int prot, int flags)
{
	return conf_sys(SYS_mmap, 0, len, prot, flags, -1, 0);
}

/* RLIMIT_AS of 64 MiB (exit: the failed step). */
static void
child_as(void *arg)
{
	struct rlimit rl;
	unsigned long brk0;
	long a, b;

	(void)arg;
	if (set_limit(RLIMIT_AS, 64 * MIB) != 0)
		_exit(1);
	if (getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_cur != 64 * MIB)
		_exit(2);
	if (raw_mmap(128 * MIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS) !=
	    -ENOMEM)
		_exit(3);
	if (raw_mmap(128 * MIB, PROT_READ, MAP_SHARED | MAP_ANONYMOUS) !=
	    -ENOMEM)
		_exit(4);
	if ((a = raw_mmap(MIB, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS)) < 0)
		_exit(5);
	if (conf_sys(SYS_mremap, a, MIB, 128 * MIB, MREMAP_MAYMOVE) !=
	    -ENOMEM)
		_exit(6);
	if ((b = conf_sys(SYS_mremap, a, MIB, 2 * MIB, MREMAP_MAYMOVE)) < 0)
		_exit(7);
	brk0 = conf_sys(SYS_brk, 0);
	if ((unsigned long)conf_sys(SYS_brk, brk0 + 128 * MIB) != brk0)
		_exit(8);
	if ((unsigned long)conf_sys(SYS_brk, brk0 + MIB) != brk0 + MIB)
		_exit(9);
	conf_sys(SYS_brk, brk0);
	/* Unmapping gives the room back. */
	conf_sys(SYS_munmap, b, 2 * MIB);
	if ((a = raw_mmap(48 * MIB, PROT_NONE,
	    MAP_PRIVATE | MAP_ANONYMOUS)) < 0)
		_exit(10);
	if (raw_mmap(16 * MIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS) !=
	    -ENOMEM)
		_exit(11);
	conf_sys(SYS_munmap, a, 48 * MIB);
	if (raw_mmap(16 * MIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS) < 0)
		_exit(12);
	_exit(0);
}

/* RLIMIT_DATA of 8 MiB (exit: the failed step). */
static void
child_data(void *arg)
{
	unsigned long brk0;
	long a;

	(void)arg;
	if (set_limit(RLIMIT_DATA, 8 * MIB) != 0)
		_exit(1);
	if (raw_mmap(16 * MIB, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS) != -ENOMEM)
		_exit(2);
	if (raw_mmap(16 * MIB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS) < 0)
		_exit(3);	/* read-only: not data */
	if (raw_mmap(16 * MIB, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS) < 0)
		_exit(4);	/* shared: not data */
	if (raw_mmap(16 * MIB, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN) < 0)
		_exit(5);	/* a stack: not data */
	if ((a = raw_mmap(MIB, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS)) < 0)
		_exit(6);	/* within the limit */
	if (conf_sys(SYS_mremap, a, MIB, 16 * MIB, MREMAP_MAYMOVE) !=
	    -ENOMEM)
		_exit(7);
	brk0 = conf_sys(SYS_brk, 0);
	if ((unsigned long)conf_sys(SYS_brk, brk0 + 16 * MIB) != brk0)
		_exit(8);
	if ((unsigned long)conf_sys(SYS_brk, brk0 + MIB) != brk0 + MIB)
		_exit(9);
	_exit(0);
}

/* Touch depth * 4 KiB of stack, one page a frame. */
static int __attribute__((noinline))
recurse(int depth)
{
	volatile char page[4096];

	page[0] = (char)depth;
	page[4095] = 1;
	if (depth <= 0)
		return page[0];
	return recurse(depth - 1) + page[4095];
}

/* RLIMIT_STACK of 1 MiB, then 4 MiB of stack: SIGSEGV. */
static void
child_stack_small(void *arg)
{
	(void)arg;
	if (set_limit(RLIMIT_STACK, MIB) != 0)
		_exit(1);
	_exit(recurse(1024) == 1024 ? 0 : 2);
}

/* RLIMIT_STACK of 32 MiB, then 12 MiB of stack: fine. */
static void
child_stack_big(void *arg)
{
	(void)arg;
	if (set_limit(RLIMIT_STACK, 32 * MIB) != 0)
		_exit(1);
	_exit(recurse(3072) == 3072 ? 0 : 2);
}

int
main(int argc, char **argv)
{
	struct rlimit rl;

	(void)argc;
	conf_init(argv);
	is_success(getrlimit(RLIMIT_STACK, &rl), "getrlimit(2): RLIMIT_STACK");
	is_long(rl.rlim_cur, 8 * MIB, "getrlimit(2): RLIMIT_STACK is 8 MiB");
	is_exit(conf_in_child(child_as, NULL), 0, "RLIMIT_AS 64 MiB: mmap of "
	    "128 MiB (private or shared) and mremap to 128 MiB are ENOMEM, "
	    "brk stays; 1 MiB more is fine; munmap gives room back");
	is_exit(conf_in_child(child_data, NULL), 0, "RLIMIT_DATA 8 MiB: a "
	    "16 MiB private writable mmap, mremap or brk is refused; "
	    "read-only, shared and MAP_GROWSDOWN mappings do not count");
	is_signal(conf_in_child(child_stack_small, NULL), SIGSEGV,
	    "RLIMIT_STACK 1 MiB: growing the stack to 4 MiB is SIGSEGV");
	is_exit(conf_in_child(child_stack_big, NULL), 0, "RLIMIT_STACK "
	    "32 MiB: the stack grows to 12 MiB");
	return done_testing();
}
