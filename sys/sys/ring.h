/*
 * A byte ring (kern/subr_ring.c): a power-of-two buffer with free-running
 * read and write counts, so that used = wr - rd even across wrap-around.
 * Pure code: the caller supplies the memory and the locking.  The pipe
 * uses it; the host unit test tests/unit/test_subr_ring.c checks it.
 *
 * The segment calls let one reader and one writer copy in place: the
 * reader owns the bytes between rd and wr, the writer the rest, and each
 * publishes its copy with ring_consume() or ring_produce().
 */
#ifndef _SYS_RING_H_
#define _SYS_RING_H_

#include <sys/types.h>

struct ring {
	char	*r_buf;		/* r_size bytes */
	size_t	 r_size;	/* a power of two */
	size_t	 r_rd;		/* bytes taken out, ever */
	size_t	 r_wr;		/* bytes put in, ever */
};

void	ring_init(struct ring *r, void *buf, size_t size);
size_t	ring_used(const struct ring *r);
size_t	ring_space(const struct ring *r);
size_t	ring_rseg(const struct ring *r, char **p);
size_t	ring_wseg(const struct ring *r, char **p);
void	ring_consume(struct ring *r, size_t n);
void	ring_produce(struct ring *r, size_t n);
size_t	ring_put(struct ring *r, const void *src, size_t n);
size_t	ring_get(struct ring *r, void *dst, size_t n);

#endif /* _SYS_RING_H_ */
