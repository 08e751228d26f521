/*
 * In-kernel tests of the system-call table and dispatcher, and of the
 * error paths of the simple calls that a kernel thread can reach: unknown
 * numbers, bad pointers (a kernel address is never a user one, so copyout
 * must refuse it), bad flags and clocks.
 */
#include <sys/abi/random.h>
#include <sys/abi/reboot.h>
#include <sys/abi/time.h>
#include <sys/clock.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/proc.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/systm.h>

#include <machine/frame.h>

#include <syscall_nr.h>

/* Run system call nr through the dispatcher, as the entry stub does. */
static long
kt_syscall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct trapframe tf;

	memset(&tf, 0, sizeof(tf));
	tf.tf_rax = nr;
	tf.tf_rdi = a0;
	tf.tf_rsi = a1;
	tf.tf_rdx = a2;
	syscall_dispatch(&tf);
	return (long)tf.tf_rax;
}

/* The generated table agrees with Linux's numbering and is well formed. */
KTEST(syscall_table)
{
	unsigned int nr, named = 0;

	KT_ASSERT(syscall_table_size == SYS_MAXSYSCALL);
	KT_ASSERT(SYS_read == 0 && SYS_getpid == 39 && SYS_exit_group == 231);
	KT_ASSERT(strcmp(syscall_name(SYS_getpid), "getpid") == 0);
	KT_ASSERT(strcmp(syscall_name(SYS_MAXSYSCALL - 1),
	    "set_mempolicy_home_node") == 0);
	KT_ASSERT(syscall_name(335) == NULL);		/* Linux's gap */
	KT_ASSERT(syscall_name(SYS_MAXSYSCALL) == NULL);
	for (nr = 0; nr < syscall_table_size; nr++) {
		if (syscall_table[nr].sy_name != NULL)
			named++;
		KT_ASSERT(syscall_table[nr].sy_call == NULL ||
		    syscall_table[nr].sy_name != NULL);
		KT_ASSERT(syscall_table[nr].sy_narg <= SYSCALL_MAXARGS);
	}
	KT_ASSERT(named == 362);
	KT_ASSERT(syscall_table[SYS_exit_group].sy_flags & SYF_NORETURN);
	KT_ASSERT(syscall_table[SYS_nanosleep].sy_flags & SYF_NORESTART);
	KT_ASSERT(syscall_table[SYS_mmap].sy_narg == 6);
	return 0;
}

/* Unknown numbers and "-" rows are -ENOSYS; only rax's low half counts. */
KTEST(syscall_enosys)
{
	uint64_t before = syscall_count(SYS_tuxcall);

	KT_ASSERT(kt_syscall(SYS_tuxcall, 0, 0, 0) == -ENOSYS);
	KT_ASSERT(kt_syscall(SYS_tuxcall, 0, 0, 0) == -ENOSYS);
	KT_ASSERT(syscall_count(SYS_tuxcall) == before + 2);
	KT_ASSERT(kt_syscall(335, 0, 0, 0) == -ENOSYS);
	KT_ASSERT(kt_syscall(SYS_MAXSYSCALL, 0, 0, 0) == -ENOSYS);
	KT_ASSERT(kt_syscall(100000, 0, 0, 0) == -ENOSYS);
	KT_ASSERT(kt_syscall((uint64_t)-1, 0, 0, 0) == -ENOSYS);
	KT_ASSERT(kt_syscall(0x40000000 | SYS_getpid, 0, 0, 0) == -ENOSYS);
	KT_ASSERT(syscall_count(100000) == 0);
	before = syscall_count(SYS_tuxcall);
	KT_ASSERT(kt_syscall(1ULL << 32 | SYS_tuxcall, 0, 0, 0) == -ENOSYS);
	KT_ASSERT(syscall_count(SYS_tuxcall) == before + 1);
	KT_ASSERT(kt_syscall(1ULL << 32 | SYS_sched_yield, 0, 0, 0) == 0);
	return 0;
}

/* A kernel address passed as a user pointer is -EFAULT, untouched. */
KTEST(syscall_efault)
{
	static uint8_t buf[512];
	uint64_t kp = (uint64_t)buf;
	unsigned int i;

	memset(buf, 0x5a, sizeof(buf));
	KT_ASSERT(kt_syscall(SYS_uname, kp, 0, 0) == -EFAULT);
	KT_ASSERT(kt_syscall(SYS_sysinfo, kp, 0, 0) == -EFAULT);
	KT_ASSERT(kt_syscall(SYS_times, kp, 0, 0) == -EFAULT);
	KT_ASSERT(kt_syscall(SYS_getrusage, 0, kp, 0) == -EFAULT);
	KT_ASSERT(kt_syscall(SYS_clock_gettime, CLOCK_MONOTONIC, kp, 0) ==
	    -EFAULT);
	KT_ASSERT(kt_syscall(SYS_clock_getres, CLOCK_REALTIME, kp, 0) ==
	    -EFAULT);
	KT_ASSERT(kt_syscall(SYS_gettimeofday, kp, 0, 0) == -EFAULT);
	KT_ASSERT(kt_syscall(SYS_gettimeofday, 0, kp, 0) == -EFAULT);
	KT_ASSERT(kt_syscall(SYS_time, kp, 0, 0) == -EFAULT);
	KT_ASSERT(kt_syscall(SYS_nanosleep, kp, 0, 0) == -EFAULT);
	KT_ASSERT(kt_syscall(SYS_getrandom, kp, 16, 0) == -EFAULT);
	for (i = 0; i < sizeof(buf); i++)
		KT_ASSERT(buf[i] == 0x5a);
	return 0;
}

/* Argument checks that come before any user memory is touched. */
KTEST(syscall_einval)
{
	int64_t r0;
	uint64_t m0;
	long t;

	KT_ASSERT(kt_syscall(SYS_clock_getres, CLOCK_MONOTONIC, 0, 0) == 0);
	KT_ASSERT(kt_syscall(SYS_clock_getres, CLOCK_MONOTONIC_COARSE, 0, 0) ==
	    0);
	KT_ASSERT(kt_syscall(SYS_clock_getres, CLOCK_SGI_CYCLE, 0, 0) ==
	    -EINVAL);
	KT_ASSERT(kt_syscall(SYS_clock_getres, MAX_CLOCKS, 0, 0) == -EINVAL);
	KT_ASSERT(kt_syscall(SYS_clock_gettime, 12345, 0, 0) == -EINVAL);
	KT_ASSERT(kt_syscall(SYS_clock_settime, CLOCK_MONOTONIC, 0, 0) ==
	    -EINVAL);
	KT_ASSERT(kt_syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0,
	    0) == -EINVAL);
	KT_ASSERT(kt_syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC_COARSE, 0,
	    0) == -EOPNOTSUPP);
	KT_ASSERT(kt_syscall(SYS_getrandom, 0, 16, 0x8) == -EINVAL);
	KT_ASSERT(kt_syscall(SYS_getrandom, 0, 16,
	    GRND_RANDOM | GRND_INSECURE) == -EINVAL);
	KT_ASSERT(kt_syscall(SYS_getrandom, 0, 0, GRND_NONBLOCK) == 0);
	KT_ASSERT(kt_syscall(SYS_getpriority, 3, 0, 0) == -EINVAL);
	KT_ASSERT(kt_syscall(SYS_getrusage, 2, 0, 0) == -EINVAL);
	KT_ASSERT(kt_syscall(SYS_gettimeofday, 0, 0, 0) == 0);
	r0 = clock_realtime_ns() / 1000000000;
	t = kt_syscall(SYS_time, 0, 0, 0);
	KT_ASSERT(r0 <= t && t <= clock_realtime_ns() / 1000000000);
	m0 = clock_monotonic_ns() / 10000000;		/* 1/100 s */
	t = kt_syscall(SYS_times, 0, 0, 0);
	KT_ASSERT((long)m0 <= t && t <= (long)(clock_monotonic_ns() /
	    10000000));
	/* Bad magic: -EINVAL for root, -EPERM for anyone else. */
	KT_ASSERT(kt_syscall(SYS_reboot, 0, LINUX_REBOOT_MAGIC2,
	    LINUX_REBOOT_CMD_CAD_ON) == (curproc != NULL &&
	    curproc->p_euid == 0 ? -EINVAL : -EPERM));
	return 0;
}

/* Two draws from the generator differ and are not all zeroes. */
KTEST(random_bytes)
{
	uint8_t a[32], b[32], zero[32];

	memset(zero, 0, sizeof(zero));
	random_bytes(a, sizeof(a));
	random_bytes(b, sizeof(b));
	KT_ASSERT(memcmp(a, b, sizeof(a)) != 0);
	KT_ASSERT(memcmp(a, zero, sizeof(a)) != 0);
	KT_ASSERT(memcmp(b, zero, sizeof(b)) != 0);
	return 0;
}
