/*
 * EFAULT: a system call given a bad pointer fails with EFAULT and the
 * process goes on (errno(3): "EFAULT Bad address").  Pointers tried: a low
 * unmapped address, the kernel's half, a page just unmapped, a PROT_NONE
 * page, and - for calls that write - a read-only page.  Raw calls avoid
 * the vDSO, which would fault in user space instead.
 */
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "conf.h"

int
main(int argc, char **argv)
{
	unsigned char *hole, *none, *ro;
	pid_t pid;
	long r;

	(void)argc;
	conf_init(argv);
	hole = mmap(NULL, 3 * CONF_PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (hole == MAP_FAILED)
		bail_out("mmap: %s", tap_errname(errno));
	none = hole + CONF_PAGE;
	ro = hole + 2 * CONF_PAGE;
	if (munmap(hole, CONF_PAGE) != 0 ||
	    mprotect(none, CONF_PAGE, PROT_NONE) != 0 ||
	    mprotect(ro, CONF_PAGE, PROT_READ) != 0)
		bail_out("cannot set up the pages");

	is_errno(write(1, (void *)1, 1), EFAULT, "write(2): buffer at "
	    "address 1 is EFAULT");
	is_errno(write(1, CONF_KERNEL_ADDR, 1), EFAULT, "write(2): a buffer "
	    "in the kernel's half is EFAULT");
	is_errno(write(1, hole, 1), EFAULT, "write(2): a buffer in an "
	    "unmapped page is EFAULT");
	is_errno(write(1, none, 1), EFAULT, "write(2): a buffer in a "
	    "PROT_NONE page is EFAULT");

	is_syserr(conf_sys(SYS_clock_gettime, CLOCK_MONOTONIC, 8), EFAULT,
	    "clock_gettime(2): result pointer 8 is EFAULT");
	is_syserr(conf_sys(SYS_clock_gettime, CLOCK_MONOTONIC,
	    CONF_KERNEL_ADDR), EFAULT, "clock_gettime(2): a result pointer "
	    "into the kernel is EFAULT (the kernel is not overwritten)");
	is_syserr(conf_sys(SYS_clock_gettime, CLOCK_MONOTONIC, ro), EFAULT,
	    "clock_gettime(2): a result pointer to a read-only page is "
	    "EFAULT");
	is_syserr(conf_sys(SYS_uname, hole), EFAULT, "uname(2): a buffer in "
	    "an unmapped page is EFAULT");
	is_syserr(conf_sys(SYS_uname, ro), EFAULT, "uname(2): a read-only "
	    "buffer is EFAULT");
	is_syserr(conf_sys(SYS_nanosleep, none, NULL), EFAULT,
	    "nanosleep(2): a request in a PROT_NONE page is EFAULT");
	is_syserr(conf_sys(SYS_getrandom, CONF_KERNEL_ADDR, 16, 0), EFAULT,
	    "getrandom(2): a buffer in the kernel's half is EFAULT");
	is_syserr(conf_sys(SYS_sysinfo, ro), EFAULT, "sysinfo(2): a "
	    "read-only buffer is EFAULT");

	pid = conf_fork();
	if (pid == 0)
		_exit(0);
	conf_sleep_ms(20);
	r = conf_sys(SYS_wait4, pid, ro, 0, 0);
	is_syserr(r, EFAULT, "wait4(2): a read-only status pointer is "
	    "EFAULT");
	while (wait4(pid, NULL, WNOHANG, NULL) == 0)
		conf_sleep_ms(5);

	ok(ro[0] == 0 && strlen("still alive") == 11, "the process survives "
	    "all of the above, and the read-only page is unchanged");
	return done_testing();
}
