/*
 * A byte ring buffer; see <sys/ring.h>.  No locks here: the caller holds
 * whatever protects the ring it passes.
 */
#include <sys/ring.h>
#include <sys/systm.h>

/*
 * Make r an empty ring over buf, which holds size bytes, a power of two.
 */
void
ring_init(struct ring *r, void *buf, size_t size)
{
	KASSERT(size != 0 && (size & (size - 1)) == 0,
	    "ring_init: size not a power of two");
	r->r_buf = buf;
	r->r_size = size;
	r->r_rd = r->r_wr = 0;
}

/* Returns the bytes r holds. */
size_t
ring_used(const struct ring *r)
{
	return r->r_wr - r->r_rd;
}

/* Returns the bytes r can still take. */
size_t
ring_space(const struct ring *r)
{
	return r->r_size - ring_used(r);
}

/*
 * Point *p at the oldest byte of r; returns how many bytes lie there
 * contiguously (0 when r is empty).
 */
size_t
ring_rseg(const struct ring *r, char **p)
{
	size_t off = r->r_rd & (r->r_size - 1);

	*p = r->r_buf + off;
	return MIN(ring_used(r), r->r_size - off);
}

/*
 * Point *p at the first free byte of r; returns how many free bytes lie
 * there contiguously (0 when r is full).
 */
size_t
ring_wseg(const struct ring *r, char **p)
{
	size_t off = r->r_wr & (r->r_size - 1);

	*p = r->r_buf + off;
	return MIN(ring_space(r), r->r_size - off);
}

/* Drop the n oldest bytes of r; n must not exceed ring_used(r). */
void
ring_consume(struct ring *r, size_t n)
{
	KASSERT(n <= ring_used(r), "ring_consume: more than the ring holds");
	r->r_rd += n;
}

/* Publish n bytes written at the free space; n <= ring_space(r). */
void
ring_produce(struct ring *r, size_t n)
{
	KASSERT(n <= ring_space(r), "ring_produce: more than the ring has");
	r->r_wr += n;
}

/*
 * Copy up to n bytes from src into r; returns how many fitted.
 */
size_t
ring_put(struct ring *r, const void *src, size_t n)
{
	const char *s = src;
	size_t done = 0, k;
	char *p;

	while (done < n && (k = ring_wseg(r, &p)) > 0) {
		k = MIN(k, n - done);
		memcpy(p, s + done, k);
		ring_produce(r, k);
		done += k;
	}
	return done;
}

/*
 * Move up to n of the oldest bytes of r into dst; returns how many.
 */
size_t
ring_get(struct ring *r, void *dst, size_t n)
{
	char *d = dst, *p;
	size_t done = 0, k;

	while (done < n && (k = ring_rseg(r, &p)) > 0) {
		k = MIN(k, n - done);
		memcpy(d + done, p, k);
		ring_consume(r, k);
		done += k;
	}
	return done;
}
