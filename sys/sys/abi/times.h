/*
 * times(2)'s structure (uapi linux/times.h).  The values are in clock
 * ticks of L_USER_HZ per second, the AT_CLKTCK of the auxiliary vector
 * and sysconf(_SC_CLK_TCK): 100 on x86_64 whatever the kernel's own tick.
 * Includes nothing.
 */
#ifndef _SYS_ABI_TIMES_H_
#define _SYS_ABI_TIMES_H_

#define L_USER_HZ	100	/* USER_HZ */

struct l_tms {
	long	tms_utime;	/* user time of the process */
	long	tms_stime;	/* system time of the process */
	long	tms_cutime;	/* user time of its reaped children */
	long	tms_cstime;	/* system time of its reaped children */
};

_Static_assert(sizeof(struct l_tms) == 32, "l_tms");
_Static_assert(__builtin_offsetof(struct l_tms, tms_cstime) == 24,
    "tms_cstime");

#endif /* _SYS_ABI_TIMES_H_ */
