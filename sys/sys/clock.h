/*
 * Time.
 *
 * The monotonic clock counts nanoseconds since boot from the TSC, whose
 * frequency timer_init() measures against the PIT (or the HPET).  The
 * periodic tick (HZ per second) comes from the local APIC timer, calibrated
 * in the same measurement.  Wall-clock time is read once from the CMOS RTC
 * and then advanced by the monotonic clock.
 *
 * Locking: the calibration results are written once during boot and are
 * read-only afterwards; ticks is only written by the timer interrupt.
 */
#ifndef _SYS_CLOCK_H_
#define _SYS_CLOCK_H_

#include <sys/types.h>

#define HZ		100

/* Calibrate the TSC and the tick source, start the tick; after intr_init. */
int		timer_init(void);
/* Read the CMOS RTC (called by the rtc driver when it attaches). */
void		clock_set_boot_realtime(int64_t unix_seconds);

uint64_t	clock_monotonic_ns(void);
int64_t		clock_realtime_ns(void);	/* ns since 1970, UTC */
/* The wall-clock time at boot (realtime minus monotonic), in ns. */
int64_t		clock_realtime_offset_ns(void);
/* Set the wall clock to ns since 1970 (clock_settime, settimeofday). */
void		clock_set_realtime_ns(int64_t ns);
uint64_t	tsc_freq_hz(void);		/* 0 until calibrated */
uint64_t	tsc_to_ns(uint64_t tsc_delta);
extern volatile uint64_t ticks;			/* timer interrupts so far */

/* Busy-wait; for drivers during boot (no scheduler yet). */
void		delay_us(uint64_t us);

/* Days-from-civil conversion, shared with the unit tests. */
int64_t		clock_ymdhms_to_unix(int year, int mon, int day, int hour,
		    int min, int sec);

#endif /* _SYS_CLOCK_H_ */
