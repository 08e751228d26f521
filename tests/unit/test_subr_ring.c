/*
 * Host test of the byte ring under the pipes (sys/kern/subr_ring.c):
 * counts, wrap-around of the segments, put/get order against a model
 * over many random operations, and the panics on a misuse.
 */
#include <stdint.h>

#include <sys/ring.h>

#include "unit.h"

#define SIZE	64

static void
test_empty_full(void)
{
	struct ring r;
	char buf[SIZE], out[SIZE + 8], in[SIZE + 8];
	char *p;
	int i;

	ring_init(&r, buf, SIZE);
	UNIT_CHECK(ring_used(&r) == 0 && ring_space(&r) == SIZE,
	    "a new ring is empty");
	UNIT_CHECK(ring_rseg(&r, &p) == 0, "an empty ring has nothing to read");
	UNIT_CHECK(ring_get(&r, out, 4) == 0, "get from an empty ring is 0");
	for (i = 0; i < SIZE + 8; i++)
		in[i] = (char)i;
	UNIT_CHECK(ring_put(&r, in, SIZE + 8) == SIZE,
	    "put stops at the capacity");
	UNIT_CHECK(ring_space(&r) == 0 && ring_wseg(&r, &p) == 0,
	    "a full ring has no space");
	UNIT_CHECK(ring_put(&r, in, 1) == 0, "put into a full ring is 0");
	UNIT_CHECK(ring_get(&r, out, SIZE + 8) == SIZE &&
	    memcmp(in, out, SIZE) == 0, "get returns the bytes in order");
}

static void
test_wrap(void)
{
	struct ring r;
	char buf[SIZE], out[SIZE];
	char *p;

	ring_init(&r, buf, SIZE);
	ring_put(&r, "0123456789", 10);
	ring_get(&r, out, 10);
	/* The counts are at 10: 54 bytes to the end, then the wrap. */
	UNIT_CHECK(ring_wseg(&r, &p) == SIZE - 10 && p == buf + 10,
	    "the write segment runs to the end of the buffer");
	memset(out, 'x', SIZE);
	UNIT_CHECK(ring_put(&r, out, 60) == 60, "a put across the end");
	UNIT_CHECK(ring_rseg(&r, &p) == SIZE - 10 && p == buf + 10,
	    "the read segment stops at the end of the buffer");
	ring_consume(&r, SIZE - 10);
	UNIT_CHECK(ring_rseg(&r, &p) == 6 && p == buf,
	    "then continues at the start");
	UNIT_CHECK(ring_wseg(&r, &p) == SIZE - 6 && p == buf + 6,
	    "the write segment after the wrap");
	ring_produce(&r, 3);
	UNIT_CHECK(ring_used(&r) == 9, "produce publishes bytes");
}

/* Random puts and gets against a simple model (a FIFO in a big array). */
static void
test_model(void)
{
	static char model[1 << 20];
	struct ring r;
	char buf[SIZE], tmp[SIZE * 2];
	size_t mhead = 0, mtail = 0, n, k;
	uint32_t seed = 12345;
	int i, bad = 0;

	ring_init(&r, buf, SIZE);
	for (i = 0; i < 20000 && mtail + SIZE * 2 < sizeof(model); i++) {
		seed = seed * 1103515245 + 12345;
		n = (seed >> 16) % (SIZE + 10);
		if ((seed >> 8) & 1) {
			for (k = 0; k < n; k++)
				tmp[k] = (char)(mtail + k);
			k = ring_put(&r, tmp, n);
			if (k != MIN(n, SIZE - (mtail - mhead)))
				bad++;
			memcpy(model + mtail, tmp, k);
			mtail += k;
		} else {
			k = ring_get(&r, tmp, n);
			if (k != MIN(n, mtail - mhead) ||
			    memcmp(tmp, model + mhead, k) != 0)
				bad++;
			mhead += k;
		}
		if (ring_used(&r) != mtail - mhead)
			bad++;
	}
	UNIT_CHECK(bad == 0, "20000 random puts and gets match a FIFO model "
	    "(%d mismatches)", bad);
}

static void
test_misuse(void)
{
	struct ring r;
	char buf[SIZE];

	UNIT_EXPECT_PANIC(ring_init(&r, buf, 48), "a size not a power of two "
	    "panics");
	ring_init(&r, buf, SIZE);
	UNIT_EXPECT_PANIC(ring_consume(&r, 1), "consuming more than the ring "
	    "holds panics");
	UNIT_EXPECT_PANIC(ring_produce(&r, SIZE + 1), "producing more than "
	    "the space panics");
}

int
main(void)
{
	test_empty_full();
	test_wrap();
	test_model();
	test_misuse();
	return unit_done();
}
