/*
 * Virtio devices, whatever carries them (dev/virtio/virtio.c,
 * virtqueue.c, and a transport such as virtio_pci.c).
 *
 * A device driver (virtio_blk.c) sees three things:
 *
 *  - struct virtio_softc, the device as the transport found it, reached
 *    only through its struct virtio_ops, so that the driver never knows
 *    whether PCI, MMIO or something else is below it;
 *  - virtio_negotiate() and virtio_driver_ok(), the initialisation
 *    sequence of virtio 1.1, 3.1.1, with VIRTIO_F_VERSION_1 required;
 *  - struct virtqueue, the split ring of virtio 1.1, 2.6, written once
 *    here for every driver: virtq_alloc, virtq_enqueue, virtq_dequeue.
 *
 * Completions are interrupt-driven: the transport calls virtio_vq_intr()
 * for a queue that may have used buffers, which calls the driver's
 * vq_done(vq) handler; the driver dequeues there.
 *
 * Locking: a struct virtio_softc is set up by its driver's attach, on one
 * CPU during boot ([B]), and read-only afterwards.  A virtqueue's ring
 * state is protected by the lock of the driver that owns the queue ([d]:
 * every virtq_enqueue/virtq_dequeue call must hold it; vq_lock is that
 * lock, given to virtq_alloc, and is asserted).
 */
#ifndef _DEV_VIRTIO_VIRTIOVAR_H_
#define _DEV_VIRTIO_VIRTIOVAR_H_

#include <sys/types.h>
#include <sys/lock.h>

struct virtio_softc;
struct virtqueue;
struct device;

/*
 * What a transport provides (virtio 1.1, 4: "Virtio Transport Options").
 * All are called with no lock held except vop_notify (the queue's [d]).
 */
struct virtio_ops {
	const char *vop_name;			/* "pci" */
	uint8_t	(*vop_get_status)(struct virtio_softc *);
	void	(*vop_set_status)(struct virtio_softc *, uint8_t);
	/* Reset, then wait until the device says it has (3.1.1 step 1). */
	void	(*vop_reset)(struct virtio_softc *);
	uint64_t (*vop_get_features)(struct virtio_softc *);
	void	(*vop_set_features)(struct virtio_softc *, uint64_t);
	/* Device-specific configuration, at byte offset off (2.4). */
	uint32_t (*vop_read_config)(struct virtio_softc *, int off, int width);
	uint8_t	(*vop_config_generation)(struct virtio_softc *);
	/* How many queues the device has. */
	int	(*vop_num_queues)(struct virtio_softc *);
	/* Queue idx's maximum size, 0 when it does not exist. */
	int	(*vop_queue_max)(struct virtio_softc *, int idx);
	/*
	 * Ask for interrupts for nvq queues (before any vop_setup_queue):
	 * the number of vectors given, or -errno.
	 */
	int	(*vop_setup_intr)(struct virtio_softc *, int nvq);
	/* Give the device vq's rings and enable it: 0 or -errno. */
	int	(*vop_setup_queue)(struct virtio_softc *, struct virtqueue *);
	/* Tell the device that vq has new buffers. */
	void	(*vop_notify)(struct virtio_softc *, struct virtqueue *);
	/* "MSI-X", "INTx" ...: for the log and the tests. */
	const char *(*vop_intr_name)(struct virtio_softc *);
};

#define VIRTIO_MAXQUEUES	4

/*
 * Locks protecting members of this struct:
 *	B	set during attach, on one CPU; read-only afterwards
 *	i	changed only by the interrupt handler (read unlocked: counters)
 */
struct virtio_softc {
	const struct virtio_ops *vs_ops;	/* [B] the transport */
	void		*vs_transport;		/* [B] its own state */
	struct device	*vs_dev;		/* [B] */
	const char	*vs_name;		/* [B] "vioblk0" for the log */
	int		 vs_devid;		/* [B] VIRTIO_ID_* */
	uint64_t	 vs_features;		/* [B] negotiated */
	int		 vs_nvqs;		/* [B] */
	struct virtqueue *vs_vqs[VIRTIO_MAXQUEUES]; /* [B] */
	/* A configuration change (2.4.2), optional. */
	void		(*vs_config_change)(struct virtio_softc *); /* [B] */
	uint64_t	 vs_nintr;		/* [i] interrupts (ours) */
};

/*
 * A split virtqueue.  Each request is a chain of descriptors: those the
 * device reads first, then those it writes.  With VIRTIO_F_INDIRECT_DESC
 * a request takes one ring descriptor pointing at a table of its own
 * (virtio 1.1, 2.6.5.3), so the ring holds as many requests as it has
 * descriptors.
 *
 * Locks protecting members of this struct:
 *	I	immutable after virtq_alloc
 *	d	*vq_lock, the owning driver's lock
 */
struct virtqueue {
	struct virtio_softc *vq_sc;		/* [I] */
	int		 vq_index;		/* [I] */
	uint16_t	 vq_size;		/* [I] entries, a power of 2 */
	struct spinlock	*vq_lock;		/* [I] the driver's */
	void		(*vq_done)(struct virtqueue *); /* [I] completion */
	void		*vq_arg;		/* [I] the driver's */
	/* The rings, in one physically contiguous block (DMA). */
	struct virtq_desc *vq_desc;		/* [d] */
	struct virtq_avail *vq_avail;		/* [d] */
	volatile struct virtq_used *vq_used;	/* [d] the device writes */
	paddr_t		 vq_desc_pa, vq_avail_pa, vq_used_pa; /* [I] */
	paddr_t		 vq_ring_pa;		/* [I] the block */
	unsigned	 vq_ring_order;		/* [I] its vm_phys order */
	/* Indirect tables: vq_indmax entries per ring slot, or none. */
	struct virtq_desc *vq_ind;		/* [I] NULL: not in use */
	paddr_t		 vq_ind_pa;		/* [I] */
	unsigned	 vq_ind_order;		/* [I] */
	uint16_t	 vq_indmax;		/* [I] entries per table */
	/* Bookkeeping. */
	uint16_t	 vq_free_head;		/* [d] free descriptor list */
	uint16_t	 vq_nfree;		/* [d] free descriptors */
	uint16_t	 vq_avail_idx;		/* [d] our copy of va_idx */
	uint16_t	 vq_used_seen;		/* [d] next used entry */
	void		**vq_cookie;		/* [d] per head: the request */
	uint16_t	*vq_chainlen;		/* [d] per head: descriptors */
	uint16_t	 vq_notify_off;		/* [I] transport's */
	volatile void	*vq_notify_addr;	/* [I] transport's */
	uint64_t	 vq_nenqueued, vq_ncompleted; /* [d] counters */
	uint16_t	 vq_inflight, vq_maxinflight; /* [d] requests */
};

/* One piece of a request: physical address, length, device writes it. */
struct virtq_seg {
	paddr_t		 vs_pa;
	uint32_t	 vs_len;
	bool		 vs_write;	/* device-writable (an "in" buffer) */
};

/* virtio.c */
int	virtio_negotiate(struct virtio_softc *sc, uint64_t wanted);
int	virtio_setup_intr(struct virtio_softc *sc, int nvq);
void	virtio_driver_ok(struct virtio_softc *sc);
void	virtio_fail(struct virtio_softc *sc);
bool	virtio_has(const struct virtio_softc *sc, int bit);
uint64_t virtio_read_config64(struct virtio_softc *sc, int off);
uint32_t virtio_read_config32(struct virtio_softc *sc, int off);
uint16_t virtio_read_config16(struct virtio_softc *sc, int off);
uint8_t	virtio_read_config8(struct virtio_softc *sc, int off);
void	virtio_vq_intr(struct virtio_softc *sc, int idx);
void	virtio_config_intr(struct virtio_softc *sc);

/* virtqueue.c */
int	virtq_alloc(struct virtio_softc *sc, int idx, uint16_t maxsize,
	    uint16_t indmax, struct spinlock *lock,
	    void (*done)(struct virtqueue *), void *arg,
	    struct virtqueue **vqp);
void	virtq_free(struct virtqueue *vq);
int	virtq_enqueue(struct virtqueue *vq, const struct virtq_seg *segs,
	    int nsegs, void *cookie);
void	*virtq_dequeue(struct virtqueue *vq, uint32_t *lenp);
int	virtq_max_segs(const struct virtqueue *vq);
bool	virtq_full(const struct virtqueue *vq, int nsegs);

/* DMA memory for rings and request headers: zeroed, physically contiguous. */
void	*virtio_dma_alloc(size_t size, paddr_t *pap, unsigned *orderp);
void	virtio_dma_free(void *va, unsigned order);

#endif /* _DEV_VIRTIO_VIRTIOVAR_H_ */
