/*
 * sched_getaffinity(2) and sched_setaffinity(2): the raw calls (musl's
 * wrapper hides the kernel's return value).  getaffinity returns the
 * bytes it wrote, min(len, the kernel's cpumask size), a positive
 * multiple of sizeof(long) that may differ between kernels; the mask of
 * the calling thread holds CPU 0 here (the runners pin nothing, and every
 * machine has CPU 0).  A mask naming only CPUs that do not exist is
 * EINVAL, as is a len that is not a multiple of sizeof(long) for
 * getaffinity; setaffinity takes a short mask and fills the rest with
 * zeros.  A child inherits the mask.  The program pins itself to CPU 0.
 */
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

#define WORDS	128	/* 8192 CPUs: more than any kernel's mask */

static unsigned long mask[WORDS];

static long
getaff(pid_t pid, unsigned long len, void *m)
{
	return conf_sys(SYS_sched_getaffinity, pid, len, m);
}

static long
setaff(pid_t pid, unsigned long len, const void *m)
{
	return conf_sys(SYS_sched_setaffinity, pid, len, m);
}

static void
child_mask(void *arg)
{
	unsigned long m[WORDS];
	long n;

	(void)arg;
	memset(m, 0xff, sizeof(m));
	n = getaff(0, sizeof(m), m);
	/* Exactly CPU 0 in the first word, as the parent pinned it. */
	_exit(n > 0 && m[0] == 1UL ? 0 : 1);
}

int
main(int argc, char **argv)
{
	unsigned long one = 1UL, top = 1UL << 63;
	long size, n;
	pid_t gone;

	(void)argc;
	conf_init(argv);
	gone = conf_fork();
	if (gone == 0)
		_exit(0);
	conf_wait(gone);

	memset(mask, 0, sizeof(mask));
	size = getaff(0, sizeof(mask), mask);
	cmp_long(size, ">", 0, "sched_getaffinity(2): returns the size of "
	    "the kernel's mask");
	is_long(size % (long)sizeof(long), 0, "sched_getaffinity(2): a "
	    "multiple of sizeof(long)");
	ok(mask[0] & 1UL, "sched_getaffinity(2): the mask holds CPU 0");
	is_long(getaff(0, sizeof(long), mask), sizeof(long),
	    "sched_getaffinity(2): a one-long buffer gets one long");
	is_long(getaff(getpid(), sizeof(mask), mask), size,
	    "sched_getaffinity(2): by pid, the same size");
	is_syserr(getaff(0, 4, mask), EINVAL, "sched_getaffinity(2): len 4 "
	    "(not a multiple of sizeof(long)) is EINVAL");
	is_syserr(getaff(0, 12, mask), EINVAL, "sched_getaffinity(2): len 12 "
	    "is EINVAL");
	is_syserr(getaff(0, 0, mask), EINVAL, "sched_getaffinity(2): len 0 "
	    "is EINVAL");
	is_syserr(getaff(0, sizeof(long), NULL), EFAULT,
	    "sched_getaffinity(2): a NULL mask is EFAULT");
	is_syserr(getaff(gone, sizeof(mask), mask), ESRCH,
	    "sched_getaffinity(2): a pid that is gone is ESRCH");
	is_syserr(getaff(-1, sizeof(mask), mask), ESRCH,
	    "sched_getaffinity(2): pid -1 is ESRCH");

	is_sysok(setaff(0, sizeof(one), &one), "sched_setaffinity(2): CPU 0 "
	    "alone");
	memset(mask, 0xff, sizeof(mask));
	n = getaff(0, sizeof(mask), mask);
	is_long(n, size, "sched_getaffinity(2): after it, the same size");
	is_hex(mask[0], 1, "sched_getaffinity(2): and exactly CPU 0");
	is_sysok(setaff(0, 4, &one), "sched_setaffinity(2): a 4-byte mask is "
	    "taken (the rest is zero)");
	is_syserr(setaff(0, sizeof(top), &top), EINVAL,
	    "sched_setaffinity(2): only CPU 63 (which does not exist) is "
	    "EINVAL");
	memset(mask, 0, sizeof(mask));
	is_syserr(setaff(0, sizeof(mask), mask), EINVAL,
	    "sched_setaffinity(2): an empty mask is EINVAL");
	is_syserr(setaff(0, 0, &one), EINVAL, "sched_setaffinity(2): len 0 "
	    "is an empty mask: EINVAL");
	is_syserr(setaff(0, sizeof(long), NULL), EFAULT,
	    "sched_setaffinity(2): a NULL mask is EFAULT");
	is_syserr(setaff(gone, sizeof(one), &one), ESRCH,
	    "sched_setaffinity(2): a pid that is gone is ESRCH");
	is_syserr(setaff(-1, sizeof(one), &one), ESRCH,
	    "sched_setaffinity(2): pid -1 is ESRCH");
	is_exit(conf_in_child(child_mask, NULL), 0, "sched_setaffinity(2): a "
	    "forked child inherits the mask");
	return done_testing();
}
