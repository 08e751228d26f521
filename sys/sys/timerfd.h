/*
 * timerfd (kern/sys_timerfd.c): the one call the rest of the kernel
 * makes into it.
 */
#ifndef _SYS_TIMERFD_H_
#define _SYS_TIMERFD_H_

/*
 * The wall clock was just set (clock_settime, settimeofday, adjtimex):
 * absolute CLOCK_REALTIME timers move to the new time and those armed
 * with TFD_TIMER_CANCEL_ON_SET are cancelled, their readers woken.
 * Takes timerfd_rt_lock and timer locks: call it with no spin lock held.
 */
void	timerfd_clock_was_set(void);

#endif /* _SYS_TIMERFD_H_ */
