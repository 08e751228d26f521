/*
 * mlock(2), mlock2(2), munlock(2), mlockall(2), munlockall(2): locking
 * succeeds on mapped memory and is idempotent; a range with a hole is
 * ENOMEM; addr + len that wraps is EINVAL; unknown flags are EINVAL;
 * an unprivileged caller with RLIMIT_MEMLOCK 0 gets EPERM, and one with
 * a small limit ENOMEM past it, where only what is not locked yet
 * counts; mlockall(MCL_FUTURE) makes later mappings count (mmap EAGAIN
 * past the limit) until munlockall.  proc(5): status's VmLck grows by
 * the size of what mlock, mlock2 and MAP_LOCKED lock, resident or not,
 * and falls back after munlock and munmap; smaps' Locked is a locked
 * mapping's Pss (its resident pages), 0 once it is unlocked.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "conf.h"
#include "proc/proc.h"

#define MLOCK_ONFAULT_	0x01

static char *
anon(size_t pages)
{
	void *p = mmap(NULL, pages * CONF_PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		tap_bail("mmap: %s", tap_errname(errno));
	return p;
}

/* /proc/self/status's VmLck in kB, or -1. */
static long
vmlck_kb(void)
{
	return field_kb("/proc/self/status", "VmLck");
}

/* VmLck and smaps' Locked follow mlock, mlock2, MAP_LOCKED, munlock. */
static void
test_vmlck(void)
{
	long kb = CONF_PAGE / 1024, base;
	char *p = anon(4), *q;

	memset(p, 1, 4 * CONF_PAGE);
	base = vmlck_kb();
	cmp_long(base, ">=", 0, "proc(5): /proc/self/status has VmLck");
	is_success(mlock(p, 4 * CONF_PAGE), "mlock(2): four touched pages");
	is_long(vmlck_kb(), base + 4 * kb,
	    "proc(5): VmLck grows by the four pages mlock(2) locked");
	is_long(smaps_kb(p, "Locked"), 4 * kb,
	    "proc(5): smaps' Locked of the locked mapping is its Pss");
	is_success(munlock(p, 4 * CONF_PAGE), "munlock(2) of the four");
	is_long(vmlck_kb(), base,
	    "proc(5): VmLck falls back after munlock(2)");
	is_long(smaps_kb(p, "Locked"), 0,
	    "proc(5): smaps' Locked is 0 after munlock(2)");

	q = anon(4);
	is_success(syscall(SYS_mlock2, q, 4 * CONF_PAGE, MLOCK_ONFAULT_),
	    "mlock2(2): MLOCK_ONFAULT of four untouched pages");
	is_long(vmlck_kb(), base + 4 * kb,
	    "proc(5): VmLck counts MLOCK_ONFAULT pages not faulted in yet");
	is_long(smaps_kb(q, "Locked"), 0,
	    "proc(5): smaps' Locked counts no page not faulted in yet");
	q[0] = 1;
	is_long(smaps_kb(q, "Locked"), kb,
	    "proc(5): smaps' Locked counts the page touched since");
	is_success(munmap(q, 4 * CONF_PAGE), "munmap(2) of a locked range");
	is_long(vmlck_kb(), base, "proc(5): VmLck falls back after munmap(2)");

	q = mmap(NULL, 2 * CONF_PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	ok(q != MAP_FAILED, "mmap(2): MAP_LOCKED of two pages");
	is_long(vmlck_kb(), base + 2 * kb,
	    "proc(5): VmLck counts a MAP_LOCKED mapping");
	if (q != MAP_FAILED)
		munmap(q, 2 * CONF_PAGE);
	munmap(p, 4 * CONF_PAGE);
}

/* Results of the unprivileged children, in a shared page. */
static long *res;

#define R(i, call)	(res[i] = (call) < 0 ? -errno : 0)

/* As nobody with RLIMIT_MEMLOCK 0. */
static void
no_limit(void *arg)
{
	struct rlimit rl = { 0, 0 };
	char *p = anon(2);

	(void)arg;
	conf_drop_privileges();
	if (setrlimit(RLIMIT_MEMLOCK, &rl) != 0)
		_exit(2);
	R(0, mlock(p, CONF_PAGE));
	R(1, mlockall(MCL_CURRENT));
	R(2, syscall(SYS_mlock2, p, CONF_PAGE, 0));
	R(3, munlock(p, CONF_PAGE));
	R(4, munlockall());
	_exit(0);
}

/* As nobody with RLIMIT_MEMLOCK of two pages. */
static void
small_limit(void *arg)
{
	struct rlimit rl = { 2 * CONF_PAGE, 2 * CONF_PAGE };
	char *p = anon(4), *q = anon(2);
	void *m;

	(void)arg;
	conf_drop_privileges();
	if (setrlimit(RLIMIT_MEMLOCK, &rl) != 0)
		_exit(2);
	R(0, mlock(p, 4 * CONF_PAGE));
	R(1, mlock(p, CONF_PAGE));
	R(2, mlock(p, CONF_PAGE));		/* again: nothing new */
	R(3, mlock(p, 2 * CONF_PAGE));		/* one new page: two in all */
	R(4, mlock(q, CONF_PAGE));		/* a third page */
	R(5, munlock(p, 2 * CONF_PAGE));
	R(6, mlock(q, 2 * CONF_PAGE));		/* fits again */
	R(7, mlockall(MCL_CURRENT));
	R(8, munlockall());
	R(9, mlockall(MCL_FUTURE));
	m = mmap(NULL, 4 * CONF_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	res[10] = m == MAP_FAILED ? -errno : 0;
	R(11, munlockall());
	m = mmap(NULL, 4 * CONF_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	res[12] = m == MAP_FAILED ? -errno : 0;
	_exit(0);
}

int
main(int argc, char **argv)
{
	char *p, *hole;

	(void)argc;
	conf_init(argv);
	res = conf_shared(CONF_PAGE);

	p = anon(4);
	memset(p, 1, 4 * CONF_PAGE);
	is_success(mlock(p, 4 * CONF_PAGE),
	    "mlock(2): four mapped pages");
	is_success(mlock(p, 4 * CONF_PAGE),
	    "mlock(2): the same pages again");
	ok(p[CONF_PAGE] == 1, "mlock(2): locked memory keeps its contents");
	is_success(mlock(p + 100, 10), "mlock(2): an address inside a page "
	    "(rounded down to it)");
	is_success(mlock(p, 0), "mlock(2): length 0");
	is_success(munlock(p, 4 * CONF_PAGE), "munlock(2): four locked pages");
	is_success(munlock(p, 4 * CONF_PAGE),
	    "munlock(2): pages not locked");
	is_success(syscall(SYS_mlock2, p, 2 * CONF_PAGE, 0),
	    "mlock2(2): flags 0");
	is_success(syscall(SYS_mlock2, p + 2 * CONF_PAGE, 2 * CONF_PAGE,
	    MLOCK_ONFAULT_), "mlock2(2): MLOCK_ONFAULT");
	is_errno(syscall(SYS_mlock2, p, CONF_PAGE, 0x2), EINVAL,
	    "mlock2(2): an unknown flag is EINVAL");
	is_errno(mlock(p, SIZE_MAX - CONF_PAGE), EINVAL,
	    "mlock(2): addr + len that wraps is EINVAL");
	is_errno(syscall(SYS_mlock2, p, SIZE_MAX - CONF_PAGE, 0), EINVAL,
	    "mlock2(2): addr + len that wraps is EINVAL");
	is_errno(munlock(p, SIZE_MAX - CONF_PAGE), EINVAL,
	    "munlock(2): addr + len that wraps is EINVAL");

	hole = anon(3);
	munmap(hole + CONF_PAGE, CONF_PAGE);
	is_errno(mlock(hole, 3 * CONF_PAGE), ENOMEM,
	    "mlock(2): a range with an unmapped page is ENOMEM");
	is_errno(syscall(SYS_mlock2, hole, 3 * CONF_PAGE, 0), ENOMEM,
	    "mlock2(2): a range with an unmapped page is ENOMEM");
	is_errno(munlock(hole, 3 * CONF_PAGE), ENOMEM,
	    "munlock(2): a range with an unmapped page is ENOMEM");

	is_errno(mlockall(0), EINVAL, "mlockall(2): flags 0 are EINVAL");
	is_errno(mlockall(MCL_ONFAULT), EINVAL,
	    "mlockall(2): MCL_ONFAULT alone is EINVAL");
	is_errno(mlockall(0x100 | MCL_CURRENT), EINVAL,
	    "mlockall(2): an unknown flag is EINVAL");
	is_success(mlockall(MCL_CURRENT | MCL_ONFAULT),
	    "mlockall(2): MCL_CURRENT|MCL_ONFAULT as root");
	is_success(munlockall(), "munlockall(2)");
	test_vmlck();

	memset(res, 0x55, CONF_PAGE);
	is_exit(conf_in_child(no_limit, NULL), 0,
	    "a child as nobody with RLIMIT_MEMLOCK 0");
	is_long(res[0], -EPERM, "mlock(2) with RLIMIT_MEMLOCK 0, "
	    "unprivileged, is EPERM");
	is_long(res[1], -EPERM, "mlockall(2) with RLIMIT_MEMLOCK 0, "
	    "unprivileged, is EPERM");
	is_long(res[2], -EPERM, "mlock2(2) with RLIMIT_MEMLOCK 0, "
	    "unprivileged, is EPERM");
	is_long(res[3], 0, "munlock(2) needs no privilege");
	is_long(res[4], 0, "munlockall(2) needs no privilege");

	memset(res, 0x55, CONF_PAGE);
	is_exit(conf_in_child(small_limit, NULL), 0,
	    "a child as nobody with RLIMIT_MEMLOCK of two pages");
	is_long(res[0], -ENOMEM, "mlock(2) of more than RLIMIT_MEMLOCK, "
	    "unprivileged, is ENOMEM");
	is_long(res[1], 0, "mlock(2) of one page under the limit");
	is_long(res[2], 0, "mlock(2) of a locked page again: it counts once");
	is_long(res[3], 0, "mlock(2): only the page not locked yet counts");
	is_long(res[4], -ENOMEM, "mlock(2) of a third page is ENOMEM");
	is_long(res[5], 0, "munlock(2) gives the pages back");
	is_long(res[6], 0, "mlock(2) of two other pages fits again");
	is_long(res[7], -ENOMEM, "mlockall(2) MCL_CURRENT past the limit is "
	    "ENOMEM");
	is_long(res[8], 0, "munlockall(2)");
	is_long(res[9], 0, "mlockall(2) MCL_FUTURE");
	is_long(res[10], -EAGAIN, "mmap(2) of four pages after "
	    "mlockall(MCL_FUTURE) with a two-page limit is EAGAIN");
	is_long(res[11], 0, "munlockall(2) ends MCL_FUTURE");
	is_long(res[12], 0, "mmap(2) of four pages after munlockall");
	return done_testing();
}
