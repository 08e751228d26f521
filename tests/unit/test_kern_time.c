/*
 * Host test of clock_ymdhms_to_unix() (sys/kern/kern_time.c): every day
 * from 1970 to 2199, at a time of day that changes from day to day,
 * against the C library's timegm(); then the boundaries and the inputs it
 * must refuse.
 */
#define _DEFAULT_SOURCE		/* timegm */
#include <time.h>

#include <sys/clock.h>
#include <sys/errno.h>

#include "unit.h"

static int64_t
host_timegm(int year, int mon, int day, int hour, int min, int sec)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	return (int64_t)timegm(&tm);
}

static int
days_in(int year, int mon)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return dm[mon - 1] + (mon == 2 && leap);
}

/* Every day of every year, one TAP line per year. */
static void
test_every_day(void)
{
	unsigned int seed = 12345;
	int year, mon, day, h, m, s, bad;
	int64_t got, want;
	char what[128];

	for (year = 1970; year <= 2199; year++) {
		bad = 0;
		what[0] = '\0';
		for (mon = 1; mon <= 12; mon++) {
			for (day = 1; day <= days_in(year, mon); day++) {
				seed = seed * 1103515245 + 12345;
				h = (seed >> 8) % 24;
				m = (seed >> 13) % 60;
				s = (seed >> 19) % 60;
				got = clock_ymdhms_to_unix(year, mon, day, h, m,
				    s);
				want = host_timegm(year, mon, day, h, m, s);
				if (got != want && bad++ == 0)
					snprintf(what, sizeof(what),
					    ": %04d-%02d-%02d %02d:%02d:%02d "
					    "got %lld want %lld", year, mon,
					    day, h, m, s, (long long)got,
					    (long long)want);
			}
		}
		UNIT_CHECK(bad == 0, "every day of %d matches timegm%s", year,
		    what);
	}
}

/* Known values, the ends of the range, and what must be refused. */
static void
test_edges(void)
{

	UNIT_CHECK(clock_ymdhms_to_unix(1970, 1, 1, 0, 0, 0) == 0, "epoch");
	UNIT_CHECK(clock_ymdhms_to_unix(2000, 2, 29, 12, 0, 0) == 951825600,
	    "2000-02-29 (a leap year by the 400 rule)");
	UNIT_CHECK(clock_ymdhms_to_unix(2038, 1, 19, 3, 14, 8) == 2147483648LL,
	    "2038-01-19 03:14:08, past 32-bit time_t");
	UNIT_CHECK(clock_ymdhms_to_unix(2199, 12, 31, 23, 59, 59) ==
	    host_timegm(2199, 12, 31, 23, 59, 59), "last second of 2199");

	UNIT_CHECK(clock_ymdhms_to_unix(1969, 12, 31, 23, 59, 59) == -EINVAL,
	    "1969 refused");
	UNIT_CHECK(clock_ymdhms_to_unix(2200, 1, 1, 0, 0, 0) == -EINVAL,
	    "2200 refused");
	UNIT_CHECK(clock_ymdhms_to_unix(2100, 2, 29, 0, 0, 0) == -EINVAL,
	    "2100-02-29 refused (2100 is not a leap year)");
	UNIT_CHECK(clock_ymdhms_to_unix(2023, 2, 29, 0, 0, 0) == -EINVAL,
	    "2023-02-29 refused");
	UNIT_CHECK(clock_ymdhms_to_unix(2024, 4, 31, 0, 0, 0) == -EINVAL,
	    "April 31 refused");
	UNIT_CHECK(clock_ymdhms_to_unix(2024, 13, 1, 0, 0, 0) == -EINVAL,
	    "month 13 refused");
	UNIT_CHECK(clock_ymdhms_to_unix(2024, 0, 1, 0, 0, 0) == -EINVAL,
	    "month 0 refused");
	UNIT_CHECK(clock_ymdhms_to_unix(2024, 1, 0, 0, 0, 0) == -EINVAL,
	    "day 0 refused");
	UNIT_CHECK(clock_ymdhms_to_unix(2024, 1, 1, 24, 0, 0) == -EINVAL,
	    "hour 24 refused");
	UNIT_CHECK(clock_ymdhms_to_unix(2024, 1, 1, 0, 60, 0) == -EINVAL,
	    "minute 60 refused");
	UNIT_CHECK(clock_ymdhms_to_unix(2024, 1, 1, 0, 0, 60) == -EINVAL,
	    "second 60 refused");
	UNIT_CHECK(clock_ymdhms_to_unix(2024, 1, 1, -1, 0, 0) == -EINVAL,
	    "negative hour refused");
}

int
main(void)
{
	_Static_assert(sizeof(time_t) == 8, "needs a 64-bit time_t");
	test_every_day();
	test_edges();
	return unit_done();
}
