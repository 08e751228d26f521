/*
 * Wall-clock time.
 *
 * The kernel keeps one number: the wall-clock time at which the monotonic
 * clock read zero (boot).  The RTC driver sets it once when it attaches
 * (clock_set_boot_realtime), and the current time is that plus the
 * monotonic clock.  So the wall clock never jumps with the tick and costs
 * one TSC read.
 *
 * clock_ymdhms_to_unix() turns a civil (Gregorian, UTC) date into seconds
 * since 1970 with arithmetic only; it is pure, and the host unit test
 * tests/unit/test_kern_time.c compares it with the C library's timegm().
 *
 * Locking: boot_realtime_ns is written with one aligned 64-bit atomic
 * store and read with one load, so a reader sees the old or the new
 * value, never half of each; it is set during boot, before other CPUs or
 * threads run.
 */
#include <sys/clock.h>
#include <sys/errno.h>
#include <sys/systm.h>

#define NS_PER_S		1000000000LL
#define SECS_PER_DAY		86400LL
/* Days from 0000-03-01 to 1970-01-01 in the March-based count below. */
#define DAYS_0000_TO_1970	719468LL

static bool
time_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int
time_days_in_month(int year, int mon)
{
	if (mon == 2)
		return time_is_leap(year) ? 29 : 28;
	/* 31 for Jan, Mar, May, Jul, Aug, Oct, Dec: odd before August. */
	return 30 + ((mon + (mon >> 3)) & 1);
}

/*
 * Seconds since 1970-01-01 00:00:00 UTC of a Gregorian date and time:
 * year 1970-2199, mon 1-12, day 1-31 (as the month allows), hour 0-23,
 * min and sec 0-59.  Returns the count, or -EINVAL for a date outside
 * that range (which makes every valid result non-negative).  Pure.
 *
 * The trick: count years from March, so that the leap day is the last day
 * of the "year".  Then the months March..January have the lengths
 * 31 30 31 30 31 | 31 30 31 30 31 | 31 ..., a pattern of 153 days every
 * 5 months, and the days before month m (March = 0) are (153 m + 2) / 5.
 * The leap days before year y are y/4 - y/100 + y/400.
 */
int64_t
clock_ymdhms_to_unix(int year, int mon, int day, int hour, int min, int sec)
{
	int64_t y, m, days;

	if (year < 1970 || year > 2199 || mon < 1 || mon > 12 || day < 1 ||
	    day > time_days_in_month(year, mon) || hour < 0 || hour > 23 ||
	    min < 0 || min > 59 || sec < 0 || sec > 59)
		return -EINVAL;
	y = mon <= 2 ? year - 1 : year;
	m = mon <= 2 ? mon + 9 : mon - 3;
	days = 365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 +
	    (day - 1) - DAYS_0000_TO_1970;
	return days * SECS_PER_DAY + hour * 3600LL + min * 60LL + sec;
}

#ifndef UNIT_TEST
static int64_t boot_realtime_ns;	/* wall time at monotonic 0 */

/*
 * Record that the wall-clock time is now unix_seconds (from the RTC):
 * remember it as the time of boot, minus the monotonic clock.  Takes no
 * lock (see above).
 */
void
clock_set_boot_realtime(int64_t unix_seconds)
{
	__atomic_store_n(&boot_realtime_ns, unix_seconds * NS_PER_S -
	    (int64_t)clock_monotonic_ns(), __ATOMIC_RELAXED);
}

/*
 * Nanoseconds since 1970-01-01 00:00:00 UTC: the boot time plus the
 * monotonic clock.  Before the RTC is read this counts from 1970.
 * Lock-free.
 */
int64_t
clock_realtime_ns(void)
{
	return __atomic_load_n(&boot_realtime_ns, __ATOMIC_RELAXED) +
	    (int64_t)clock_monotonic_ns();
}

/*
 * The wall-clock time at which the monotonic clock read zero, in ns since
 * 1970: realtime is this plus the monotonic clock.  Lock-free.
 */
int64_t
clock_realtime_offset_ns(void)
{
	return __atomic_load_n(&boot_realtime_ns, __ATOMIC_RELAXED);
}

/*
 * Make the wall clock read ns (since 1970) now, by moving the boot time;
 * the monotonic clock does not change.  One atomic store (see above); the
 * caller (clock_settime) has checked the value.
 */
void
clock_set_realtime_ns(int64_t ns)
{
	__atomic_store_n(&boot_realtime_ns, ns - (int64_t)clock_monotonic_ns(),
	    __ATOMIC_RELAXED);
}
#endif /* !UNIT_TEST */
