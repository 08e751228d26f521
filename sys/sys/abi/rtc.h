/*
 * The real-time clock's ioctls (uapi linux/rtc.h): struct rtc_time and
 * the two that read and set the clock.  Includes nothing.
 */
#ifndef _SYS_ABI_RTC_H_
#define _SYS_ABI_RTC_H_

/* A broken-down time, as struct tm: tm_year from 1900, tm_mon 0-11. */
struct l_rtc_time {
	int	tm_sec;
	int	tm_min;
	int	tm_hour;
	int	tm_mday;
	int	tm_mon;
	int	tm_year;
	int	tm_wday;	/* 0-6, Sunday 0 (filled on read) */
	int	tm_yday;	/* 0-365 (filled on read) */
	int	tm_isdst;	/* always 0 */
};

/* _IOR('p', 0x09, struct rtc_time) and _IOW('p', 0x0a, ...) */
#define RTC_RD_TIME	0x80247009
#define RTC_SET_TIME	0x4024700a

_Static_assert(sizeof(struct l_rtc_time) == 36, "l_rtc_time");

#endif /* _SYS_ABI_RTC_H_ */
