/*
 * timerfd_create(2), timerfd_settime(2) and the timerfd ioctl (uapi
 * linux/timerfd.h).  Includes nothing.
 */
#ifndef _SYS_ABI_TIMERFD_H_
#define _SYS_ABI_TIMERFD_H_

/* timerfd_settime(2) flags. */
#define TFD_TIMER_ABSTIME	0x1	/* it_value is a time on the clock */
#define TFD_TIMER_CANCEL_ON_SET	0x2	/* reads fail once the clock is set */

/* timerfd_create(2) flags: O_CLOEXEC and O_NONBLOCK. */
#define TFD_CLOEXEC		02000000
#define TFD_NONBLOCK		00004000

/* _IOW('T', 0, __u64): set the expiration count (checkpoint/restore). */
#define TFD_IOC_SET_TICKS	0x40085400

#endif /* _SYS_ABI_TIMERFD_H_ */
