/*
 * rtc(4): /dev/rtc0 is a character device; RTC_RD_TIME gives a valid
 * broken-down time (tm_year from 1900, tm_mon 0-11, tm_wday and tm_yday
 * that agree with the date); one opener at a time (EBUSY); RTC_SET_TIME
 * needs CAP_SYS_TIME (EACCES without it) and a valid date (EINVAL); other
 * commands are ENOTTY; there is no position (ESPIPE).  Skipped where
 * there is no /dev/rtc0.  Setting the clock for real is checked only
 * inside EclipseOS: on the host it would change the machine's clock.
 */
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <termios.h>

#include "dev.h"

/* uapi linux/rtc.h, which musl's headers do not have. */
struct rtc_time {
	int	tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year;
	int	tm_wday, tm_yday, tm_isdst;
};
#define RTC_RD_TIME	_IOR('p', 0x09, struct rtc_time)
#define RTC_SET_TIME	_IOW('p', 0x0a, struct rtc_time)

#define NCASES	21

static int rtc_fd;

/* Days since 1970-01-01 of a proleptic Gregorian date (mon 1-12). */
static long
days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* As nobody, with the descriptor open: RTC_SET_TIME is EACCES. */
static void
nobody_set(void *arg)
{
	struct rtc_time *tm = arg;

	conf_drop_privileges();
	if (ioctl(rtc_fd, RTC_SET_TIME, tm) == 0)
		_exit(1);
	_exit(errno == EACCES ? 0 : 2);
}

/* Set the clock to 2001-02-03 04:05:06, read it back, then restore. */
static void
set_cases(const struct rtc_time *now)
{
	struct rtc_time t, back;
	int64_t t0 = conf_now_ns(CLOCK_MONOTONIC);
	long secs;

	memset(&t, 0, sizeof(t));
	t.tm_year = 101;
	t.tm_mon = 1;
	t.tm_mday = 3;
	t.tm_hour = 4;
	t.tm_min = 5;
	t.tm_sec = 6;
	is_success(ioctl(rtc_fd, RTC_SET_TIME, &t), "rtc(4): RTC_SET_TIME "
	    "by root");
	memset(&back, 0, sizeof(back));
	is_success(ioctl(rtc_fd, RTC_RD_TIME, &back), "rtc(4): RTC_RD_TIME "
	    "after setting");
	ok(back.tm_year == 101 && back.tm_mon == 1 && back.tm_mday == 3 &&
	    back.tm_hour == 4 && back.tm_min == 5 && back.tm_sec >= 6,
	    "rtc(4): the clock reads what was set (got %d-%d-%d %d:%d:%d)",
	    back.tm_year + 1900, back.tm_mon + 1, back.tm_mday, back.tm_hour,
	    back.tm_min, back.tm_sec);
	is_long(back.tm_wday, 6, "rtc(4): 2001-02-03 was a Saturday");
	/* Put back the time it had, plus the time that passed. */
	t = *now;
	secs = (long)((conf_now_ns(CLOCK_MONOTONIC) - t0) / 1000000000);
	t.tm_sec += (int)(secs % 60);
	if (t.tm_sec >= 60 || secs >= 60)
		t.tm_sec = 59;	/* good enough: only the minute is lost */
	if (ioctl(rtc_fd, RTC_SET_TIME, &t) != 0)
		tap_diag("restoring the clock: %s", tap_errname(errno));
}

int
main(int argc, char **argv)
{
	struct rtc_time tm, bad;
	struct termios tio;
	struct utsname u;
	struct stat st;
	long days;
	int status;

	(void)argc;
	conf_init(argv);
	if (stat("/dev/rtc0", &st) != 0) {
		skip(NCASES, "no /dev/rtc0 here (%s)", tap_errname(errno));
		return done_testing();
	}
	ok(S_ISCHR(st.st_mode), "stat(2): /dev/rtc0 is a character device");
	rtc_fd = dev_open("/dev/rtc0", O_RDONLY);
	is_errno(open("/dev/rtc0", O_RDONLY), EBUSY, "rtc(4): a second "
	    "open while it is open is EBUSY");
	memset(&tm, 0x55, sizeof(tm));
	is_success(ioctl(rtc_fd, RTC_RD_TIME, &tm), "rtc(4): RTC_RD_TIME");
	ok(tm.tm_year >= 70 && tm.tm_year < 300, "rtc(4): tm_year counts "
	    "from 1900 (got %d)", tm.tm_year);
	ok(tm.tm_mon >= 0 && tm.tm_mon <= 11, "rtc(4): tm_mon is 0-11 (got "
	    "%d)", tm.tm_mon);
	ok(tm.tm_mday >= 1 && tm.tm_mday <= 31, "rtc(4): tm_mday is 1-31");
	ok(tm.tm_hour >= 0 && tm.tm_hour <= 23 && tm.tm_min >= 0 &&
	    tm.tm_min <= 59 && tm.tm_sec >= 0 && tm.tm_sec <= 59,
	    "rtc(4): hour, minute and second are in range");
	days = days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	is_long(tm.tm_wday, (days + 4) % 7, "rtc(4): tm_wday agrees with "
	    "the date");
	is_long(tm.tm_yday, days - days_from_civil(tm.tm_year + 1900, 1, 1),
	    "rtc(4): tm_yday agrees with the date");
	is_long(tm.tm_isdst, 0, "rtc(4): tm_isdst is 0");
	is_errno(ioctl(rtc_fd, RTC_RD_TIME, (void *)1), EFAULT, "rtc(4): "
	    "RTC_RD_TIME to a bad address is EFAULT");

	bad = tm;
	bad.tm_mon = 12;
	is_errno(ioctl(rtc_fd, RTC_SET_TIME, &bad), EINVAL, "rtc(4): "
	    "RTC_SET_TIME with month 12 is EINVAL");
	bad = tm;
	bad.tm_mday = 32;
	is_errno(ioctl(rtc_fd, RTC_SET_TIME, &bad), EINVAL, "rtc(4): "
	    "RTC_SET_TIME with day 32 is EINVAL");
	status = conf_in_child(nobody_set, &tm);
	is_exit(status, 0, "rtc(4): RTC_SET_TIME without privilege is "
	    "EACCES");
	is_errno(ioctl(rtc_fd, TCGETS, &tio), ENOTTY, "rtc(4): TCGETS is "
	    "ENOTTY");
	is_errno(lseek(rtc_fd, 0, SEEK_SET), ESPIPE, "rtc(4): lseek is "
	    "ESPIPE");
	if (uname(&u) == 0 && strcmp(u.sysname, "EclipseOS") == 0)
		set_cases(&tm);
	else
		skip(4, "setting the clock would change the host's");
	close(rtc_fd);
	rtc_fd = dev_open("/dev/rtc0", O_RDONLY);
	is_success(close(rtc_fd), "rtc(4): after a close it opens again");
	return done_testing();
}
