/*
 * Split virtqueues (virtio 1.1, 2.6), written once for every virtio
 * driver.
 *
 * The driver owns the descriptor table and the available ring; the device
 * owns the used ring.  A request is a chain of descriptors (device-readable
 * ones first, then device-writable ones: 2.6.4.2); its head's index goes in
 * the available ring, and va_idx is advanced after the entry is visible
 * (2.6.13).  The device returns the head in the used ring when it is done,
 * and interrupts.  Free descriptors are kept on a list threaded through
 * vd_next.
 *
 * With VIRTIO_F_INDIRECT_DESC, a request of several pieces takes a single
 * ring descriptor that points at a table of its own (2.6.5.3).  Each ring
 * slot has its table, preallocated, so a full ring is vq_size requests.
 *
 * Locking: the owning driver's spin lock (vq_lock) protects everything;
 * the device's side is read through volatile accesses.  Ordering: x86
 * keeps stores in order and loads in order, so only the compiler must be
 * stopped from moving them, except between publishing va_idx and reading
 * vu_flags, a store then a load, which needs a full fence (mfence).
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/systm.h>

#include <dev/virtio/virtioreg.h>
#include <dev/virtio/virtiovar.h>

#define virtq_compiler_barrier()	__asm__ volatile("" ::: "memory")
#define virtq_full_fence()		__atomic_thread_fence(__ATOMIC_SEQ_CST)

static void
virtq_init_free(struct virtqueue *vq)
{
	uint16_t i;

	for (i = 0; i < vq->vq_size; i++)
		vq->vq_desc[i].vd_next = i + 1;
	vq->vq_free_head = 0;
	vq->vq_nfree = vq->vq_size;
}

static int
virtq_alloc_rings(struct virtqueue *vq)
{
	size_t dsz, asz, usz, uoff;
	void *va;

	dsz = VIRTQ_DESC_SIZE(vq->vq_size);
	asz = VIRTQ_AVAIL_SIZE(vq->vq_size);
	usz = VIRTQ_USED_SIZE(vq->vq_size);
	/* The used ring on its own page: the device writes only there. */
	uoff = round_page(dsz + asz);
	va = virtio_dma_alloc(uoff + usz, &vq->vq_ring_pa, &vq->vq_ring_order);
	if (va == NULL)
		return -ENOMEM;
	vq->vq_desc = va;
	vq->vq_desc_pa = vq->vq_ring_pa;
	vq->vq_avail = (struct virtq_avail *)((char *)va + dsz);
	vq->vq_avail_pa = vq->vq_ring_pa + dsz;
	vq->vq_used = (volatile struct virtq_used *)((char *)va + uoff);
	vq->vq_used_pa = vq->vq_ring_pa + uoff;
	return 0;
}

/*
 * Set up queue idx of sc: at most maxsize entries (0: the device's
 * maximum; rounded down to a power of two), with indirect tables of
 * indmax entries when VIRTIO_F_INDIRECT_DESC was negotiated and indmax >
 * 1.  lock is the driver's spin lock that will protect the queue; done is
 * called (from the interrupt handler, no lock held) when the device may
 * have returned buffers.  The transport is then given the rings and
 * enables the queue.  Returns 0 with *vqp set, or -errno: -ENOENT (no such
 * queue), -ENOMEM.  Attach only ([B]), after virtio_setup_intr.
 */
int
virtq_alloc(struct virtio_softc *sc, int idx, uint16_t maxsize,
    uint16_t indmax, struct spinlock *lock,
    void (*done)(struct virtqueue *), void *arg, struct virtqueue **vqp)
{
	struct virtqueue *vq;
	unsigned size;
	int error, max;

	if (idx < 0 || idx >= VIRTIO_MAXQUEUES)
		return -EINVAL;
	if ((max = sc->vs_ops->vop_queue_max(sc, idx)) <= 0)
		return -ENOENT;
	if (maxsize != 0 && (unsigned)max > maxsize)
		max = maxsize;
	for (size = 1; size * 2 <= (unsigned)max && size * 2 <= VIRTQ_MAXSIZE;)
		size *= 2;
	if ((vq = kmalloc(sizeof(*vq), M_ZERO)) == NULL)
		return -ENOMEM;
	vq->vq_sc = sc;
	vq->vq_index = idx;
	vq->vq_size = size;
	vq->vq_lock = lock;
	vq->vq_done = done;
	vq->vq_arg = arg;
	error = -ENOMEM;
	if (virtq_alloc_rings(vq) < 0)
		goto fail;
	vq->vq_cookie = kmalloc(size * sizeof(void *), M_ZERO);
	vq->vq_chainlen = kmalloc(size * sizeof(uint16_t), M_ZERO);
	if (vq->vq_cookie == NULL || vq->vq_chainlen == NULL)
		goto fail_rings;
	if (virtio_has(sc, VIRTIO_F_INDIRECT_DESC) && indmax > 1) {
		vq->vq_ind = virtio_dma_alloc(
		    (size_t)size * indmax * sizeof(struct virtq_desc),
		    &vq->vq_ind_pa, &vq->vq_ind_order);
		if (vq->vq_ind == NULL)
			goto fail_rings;
		vq->vq_indmax = indmax;
	}
	virtq_init_free(vq);
	sc->vs_vqs[idx] = vq;
	if (idx >= sc->vs_nvqs)
		sc->vs_nvqs = idx + 1;
	if ((error = sc->vs_ops->vop_setup_queue(sc, vq)) < 0)
		goto fail_registered;
	*vqp = vq;
	return 0;
fail_registered:
	sc->vs_vqs[idx] = NULL;
	virtio_dma_free(vq->vq_ind, vq->vq_ind_order);
fail_rings:
	kfree(vq->vq_cookie);
	kfree(vq->vq_chainlen);
	virtio_dma_free(vq->vq_desc, vq->vq_ring_order);
fail:
	kfree(vq);
	return error;
}

/*
 * Free vq, which the device must no longer use (it was reset, or never
 * enabled).  Attach failures only ([B]).
 */
void
virtq_free(struct virtqueue *vq)
{
	struct virtio_softc *sc = vq->vq_sc;

	if (sc->vs_vqs[vq->vq_index] == vq)
		sc->vs_vqs[vq->vq_index] = NULL;
	virtio_dma_free(vq->vq_ind, vq->vq_ind_order);
	kfree(vq->vq_cookie);
	kfree(vq->vq_chainlen);
	virtio_dma_free(vq->vq_desc, vq->vq_ring_order);
	kfree(vq);
}

static bool
virtq_use_indirect(const struct virtqueue *vq, int nsegs)
{
	return vq->vq_ind != NULL && nsegs > 1 && nsegs <= vq->vq_indmax;
}

/*
 * The most pieces one request may have on vq.  No lock ([I] fields).
 */
int
virtq_max_segs(const struct virtqueue *vq)
{
	return vq->vq_ind != NULL ? MAX(vq->vq_indmax, 1) : vq->vq_size;
}

/*
 * Would a request of nsegs pieces find no room on vq now?  Caller holds
 * vq_lock.
 */
bool
virtq_full(const struct virtqueue *vq, int nsegs)
{
	KASSERT(spin_held(vq->vq_lock), "virtq_full: vq_lock not held");
	return vq->vq_nfree < (virtq_use_indirect(vq, nsegs) ? 1 : nsegs);
}

/* Fill n descriptors of table d (chained by index from 0) from segs. */
static void
virtq_fill_table(struct virtq_desc *d, const struct virtq_seg *segs, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		d[i].vd_addr = segs[i].vs_pa;
		d[i].vd_len = segs[i].vs_len;
		d[i].vd_flags = segs[i].vs_write ? VIRTQ_DESC_F_WRITE : 0;
		if (i + 1 < n) {
			d[i].vd_flags |= VIRTQ_DESC_F_NEXT;
			d[i].vd_next = i + 1;
		}
	}
}

/* Take n descriptors off the free list, chained, and fill them. */
static uint16_t
virtq_fill_direct(struct virtqueue *vq, const struct virtq_seg *segs, int n)
{
	struct virtq_desc *d;
	uint16_t head, i;
	int k;

	head = i = vq->vq_free_head;
	for (k = 0; k < n; k++) {
		d = &vq->vq_desc[i];
		d->vd_addr = segs[k].vs_pa;
		d->vd_len = segs[k].vs_len;
		d->vd_flags = segs[k].vs_write ? VIRTQ_DESC_F_WRITE : 0;
		if (k + 1 < n)
			d->vd_flags |= VIRTQ_DESC_F_NEXT;
		i = d->vd_next;		/* the free list's next, or ours */
	}
	vq->vq_free_head = i;
	vq->vq_nfree -= n;
	return head;
}

/*
 * Offer a request of nsegs pieces (device-readable ones first, then
 * device-writable ones) to the device, and notify it unless it asked not
 * to be (VIRTQ_USED_F_NO_NOTIFY).  cookie (not NULL) is what
 * virtq_dequeue returns when the device is done.  Caller holds vq_lock.
 * Returns 0, -EAGAIN when the ring has no room now, or -EINVAL for a
 * request that can never fit or whose pieces are out of order.
 */
int
virtq_enqueue(struct virtqueue *vq, const struct virtq_seg *segs, int nsegs,
    void *cookie)
{
	struct virtq_desc *d;
	uint16_t head;
	int i;

	KASSERT(spin_held(vq->vq_lock), "virtq_enqueue: vq_lock not held");
	KASSERT(cookie != NULL, "virtq_enqueue: NULL cookie");
	if (nsegs < 1 || nsegs > virtq_max_segs(vq))
		return -EINVAL;
	for (i = 1; i < nsegs; i++)
		if (segs[i - 1].vs_write && !segs[i].vs_write)
			return -EINVAL;
	if (virtq_full(vq, nsegs))
		return -EAGAIN;
	if (virtq_use_indirect(vq, nsegs)) {
		head = vq->vq_free_head;
		d = &vq->vq_desc[head];
		vq->vq_free_head = d->vd_next;
		vq->vq_nfree--;
		virtq_fill_table(&vq->vq_ind[(size_t)head * vq->vq_indmax],
		    segs, nsegs);
		d->vd_addr = vq->vq_ind_pa +
		    (paddr_t)head * vq->vq_indmax * sizeof(*d);
		d->vd_len = nsegs * sizeof(*d);
		d->vd_flags = VIRTQ_DESC_F_INDIRECT;
		vq->vq_chainlen[head] = 1;
	} else {
		head = virtq_fill_direct(vq, segs, nsegs);
		vq->vq_chainlen[head] = nsegs;
	}
	vq->vq_cookie[head] = cookie;
	/* 2.6.13: the ring entry, then (after a barrier) the index. */
	vq->vq_avail->va_ring[vq->vq_avail_idx & (vq->vq_size - 1)] = head;
	virtq_compiler_barrier();
	*(volatile uint16_t *)&vq->vq_avail->va_idx = ++vq->vq_avail_idx;
	virtq_full_fence();
	vq->vq_nenqueued++;
	if (++vq->vq_inflight > vq->vq_maxinflight)
		vq->vq_maxinflight = vq->vq_inflight;
	/* 2.6.13.5 (without VIRTIO_F_EVENT_IDX): the device may say "no". */
	if ((vq->vq_used->vu_flags & VIRTQ_USED_F_NO_NOTIFY) == 0)
		vq->vq_sc->vs_ops->vop_notify(vq->vq_sc, vq);
	return 0;
}

/* Put the chain at head back on the free list. */
static void
virtq_free_chain(struct virtqueue *vq, uint16_t head)
{
	uint16_t last = head, n;

	for (n = 1; n < vq->vq_chainlen[head]; n++)
		last = vq->vq_desc[last].vd_next;
	vq->vq_desc[last].vd_next = vq->vq_free_head;
	vq->vq_free_head = head;
	vq->vq_nfree += vq->vq_chainlen[head];
	vq->vq_chainlen[head] = 0;
}

/*
 * The next request the device finished on vq: its cookie, with the bytes
 * the device wrote in *lenp (if not NULL); NULL when there is none.  Its
 * descriptors are free again.  Caller holds vq_lock.  A used entry that
 * names no request in flight is a device bug: logged and skipped.
 */
void *
virtq_dequeue(struct virtqueue *vq, uint32_t *lenp)
{
	volatile struct virtq_used_elem *e;
	uint32_t id, len;
	void *cookie;

	KASSERT(spin_held(vq->vq_lock), "virtq_dequeue: vq_lock not held");
	for (;;) {
		if (vq->vq_used_seen == vq->vq_used->vu_idx)
			return NULL;
		/* The entry is read after the index that covers it. */
		virtq_compiler_barrier();
		e = &vq->vq_used->vu_ring[vq->vq_used_seen & (vq->vq_size - 1)];
		id = e->vu_id;
		len = e->vu_len;
		vq->vq_used_seen++;
		if (id < vq->vq_size && vq->vq_cookie[id] != NULL)
			break;
		klog(vq->vq_sc->vs_name, "queue %d: used entry %u is not in "
		    "flight (ignored)", vq->vq_index, id);
	}
	cookie = vq->vq_cookie[id];
	vq->vq_cookie[id] = NULL;
	virtq_free_chain(vq, id);
	vq->vq_ncompleted++;
	vq->vq_inflight--;
	if (lenp != NULL)
		*lenp = len;
	return cookie;
}
