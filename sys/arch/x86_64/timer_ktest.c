/*
 * In-kernel tests of the tick, the clocks and interrupt delivery (run with
 * ktest=all, or by name).  They check ranges that only a broken clock
 * misses, not precise timings that a busy host could disturb.
 */
#include <sys/clock.h>
#include <sys/errno.h>
#include <sys/intr.h>
#include <sys/ktest.h>

#include <machine/apicvar.h>
#include <machine/cpufunc.h>

#define NS_PER_TICK	(1000000000ULL / HZ)
#define NS_PER_MS	1000000ULL

/* Busy-wait (without relying on interrupts) until ticks moves or ms pass. */
static bool
ktest_wait_tick(uint64_t ms)
{
	uint64_t t0 = ticks, start = clock_monotonic_ns();

	while (ticks == t0) {
		if (clock_monotonic_ns() - start > ms * NS_PER_MS)
			return false;
		cpu_pause();
	}
	return true;
}

KTEST(timer_ticks)
{
	uint64_t t0;

	KT_ASSERT(read_rflags() & PSL_I);	/* kmain enabled interrupts */
	KT_ASSERT(tsc_freq_hz() != 0);
	/* 200 ms is 20 ticks: none at all means the tick is dead. */
	KT_ASSERT(ktest_wait_tick(200));
	t0 = ticks;
	while (ticks < t0 + 3)
		cpu_idle();
	KT_ASSERT(ticks >= t0 + 3);
	return 0;
}

KTEST(timer_monotonic)
{
	uint64_t prev, now, t0, k0, elapsed;
	int i;

	prev = clock_monotonic_ns();
	for (i = 0; i < 10000; i++) {
		now = clock_monotonic_ns();
		KT_ASSERT(now >= prev);
		prev = now;
	}
	/* From one tick edge, five more ticks: at least one tick's time. */
	KT_ASSERT(ktest_wait_tick(200));
	t0 = clock_monotonic_ns();
	k0 = ticks;
	while (ticks < k0 + 5)
		cpu_idle();
	elapsed = clock_monotonic_ns() - t0;
	kprintf("ktest: 5 ticks took %lu us by the TSC\n", elapsed / 1000);
	KT_ASSERT(elapsed >= NS_PER_TICK);
	KT_ASSERT(elapsed <= 1000 * NS_PER_TICK);
	return 0;
}

KTEST(timer_delay)
{
	uint64_t t0, elapsed;

	t0 = clock_monotonic_ns();
	delay_us(1000);
	elapsed = clock_monotonic_ns() - t0;
	KT_ASSERT(elapsed >= 1000 * 1000);
	t0 = clock_monotonic_ns();
	delay_us(0);
	KT_ASSERT(clock_monotonic_ns() - t0 < 1000 * NS_PER_MS);
	return 0;
}

KTEST(timer_tsc_scale)
{
	uint64_t hz = tsc_freq_hz();
	uint64_t ten_years = 10ULL * 365 * 86400;
	uint64_t ns, want;

	KT_ASSERT(hz != 0);
	/* One second of cycles is one second, to a nanosecond or two. */
	ns = tsc_to_ns(hz);
	KT_ASSERT(ns <= 1000000000ULL && ns >= 1000000000ULL - 2);
	/* Ten years of cycles do not overflow: within a millionth. */
	ns = tsc_to_ns(hz * ten_years);
	want = ten_years * 1000000000ULL;
	KT_ASSERT(ns <= want && want - ns <= want / 1000000);
	return 0;
}

KTEST(timer_realtime)
{
	int64_t r = clock_realtime_ns();

	/* 2020-01-01 00:00:00 UTC; the RTC driver set the boot time. */
	KT_ASSERT(clock_ymdhms_to_unix(2020, 1, 1, 0, 0, 0) == 1577836800);
	KT_ASSERT(r / 1000000000 >= 1577836800);
	KT_ASSERT(clock_realtime_ns() >= r);
	return 0;
}

static void
ktest_ipi_handler(void *arg)
{
	(*(volatile int *)arg)++;
}

KTEST(intr_self_ipi)
{
	static volatile int hits;
	uint64_t start;
	int vector;

	if (!intr_apic_mode()) {
		kprintf("ktest: skip: no local APIC in use (8259 mode)\n");
		return 0;
	}
	vector = intr_alloc_vector(ktest_ipi_handler, (void *)&hits,
	    "ktest ipi");
	KT_ASSERT(vector >= 32 && vector < 255);
	KT_ASSERT(intr_count(vector) == 0);
	hits = 0;
	lapic_self_ipi(vector);
	start = clock_monotonic_ns();
	while (hits == 0 && clock_monotonic_ns() - start < 100 * NS_PER_MS)
		cpu_pause();
	KT_ASSERT(hits == 1);
	KT_ASSERT(intr_count(vector) == 1);
	return 0;
}

static void
ktest_never(void *arg __unused)
{
}

KTEST(intr_establish_errors)
{
	int x, y, z;

	KT_ASSERT(intr_establish_isa(2, ktest_never, NULL, "ktest") ==
	    -EINVAL);			/* the 8259 cascade */
	KT_ASSERT(intr_establish_isa(16, ktest_never, NULL, "ktest") ==
	    -EINVAL);
	KT_ASSERT(intr_establish_isa(-1, ktest_never, NULL, "ktest") ==
	    -EINVAL);
	KT_ASSERT(intr_establish_gsi(3, 7, INTR_HIGH, ktest_never, NULL,
	    "ktest") == -EINVAL);
	KT_ASSERT(intr_establish_gsi(3, INTR_EDGE, 7, ktest_never, NULL,
	    "ktest") == -EINVAL);
	KT_ASSERT(intr_establish_gsi(3, INTR_EDGE, INTR_HIGH, NULL, NULL,
	    "ktest") == -EINVAL);
	KT_ASSERT(intr_alloc_vector(NULL, NULL, "ktest") == -EINVAL);
	if (!intr_apic_mode()) {
		KT_ASSERT(intr_establish_gsi(3, INTR_EDGE, INTR_LOW,
		    ktest_never, NULL, "ktest") == -EINVAL);
		return 0;
	}
	/*
	 * A GSI no IOAPIC has fails after a vector was picked for it: the
	 * vector must go back.  Vectors are handed out lowest first, so
	 * with no leak three allocations around two failures are adjacent.
	 */
	x = intr_alloc_vector(ktest_never, NULL, "ktest");
	KT_ASSERT(x > 0);
	KT_ASSERT(intr_establish_gsi(99999, INTR_EDGE, INTR_HIGH, ktest_never,
	    NULL, "ktest") == -EINVAL);
	y = intr_alloc_vector(ktest_never, NULL, "ktest");
	KT_ASSERT(intr_establish_gsi(99999, INTR_LEVEL, INTR_LOW, ktest_never,
	    NULL, "ktest") == -EINVAL);
	z = intr_alloc_vector(ktest_never, NULL, "ktest");
	KT_ASSERT(y == x + 1 && z == y + 1);
	return 0;
}
