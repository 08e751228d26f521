/*
 * The virtio block device (virtio 1.1, 5.2) over the modern PCI transport.
 *
 * One request queue (queue 0).  Each struct bio becomes one virtio
 * request: a header the device reads (type and sector), the data pieces
 * (one per page of the bio's buffer, read by the device for a write,
 * written by it for a read), and a status byte the device writes last
 * (5.2.6).  With indirect descriptors a request takes one ring slot, so as
 * many requests are in flight as the ring has entries; without, it takes
 * one descriptor per piece.  When the ring is full d_strategy answers
 * -EAGAIN and the block layer tries again after the next bio_done().
 *
 * Completion is by interrupt: vioblk_vq_done() takes what the device has
 * finished off the used ring, under sc_lock, and then (without the lock,
 * since bio_done may hand us the next request at once) completes each bio.
 * A write with BIO_FUA is followed by a flush before its bio completes
 * (virtio-blk has no "force unit access" of its own).
 *
 * Locking: sc_lock, a spin lock, protects the ring and the requests; it
 * is taken by d_strategy (any thread) and by the interrupt handler.
 */
#include <sys/types.h>
#include <sys/device.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <dev/virtio/virtioreg.h>
#include <dev/virtio/virtiovar.h>
#include <dev/virtio/virtio_blkreg.h>
#include <dev/virtio/virtio_blkvar.h>
#include <dev/virtio/virtio_pcireg.h>
#include <dev/virtio/virtio_pcivar.h>

/* The features we can use (5.2.3); others are left unnegotiated. */
#define VIOBLK_FEATURES	(VIRTIO_BIT(VIRTIO_BLK_F_SIZE_MAX) |		\
			 VIRTIO_BIT(VIRTIO_BLK_F_SEG_MAX) |		\
			 VIRTIO_BIT(VIRTIO_BLK_F_RO) |			\
			 VIRTIO_BIT(VIRTIO_BLK_F_BLK_SIZE) |		\
			 VIRTIO_BIT(VIRTIO_BLK_F_FLUSH) |		\
			 VIRTIO_BIT(VIRTIO_BLK_F_DISCARD))

/* Every attached device, for the ktests; grows during boot only ([B]). */
static struct vioblk_softc *vioblk_list;

static const struct pci_id vioblk_ids[] = {
	{ VIRTIO_PCI_VENDOR, VIRTIO_PCI_DEVICE_LEGACY_MIN + 1 }, /* transit. */
	{ VIRTIO_PCI_VENDOR, VIRTIO_PCI_DEVICE_MODERN + VIRTIO_ID_BLOCK },
	{ 0, 0 },
};

static paddr_t
vioblk_req_pa(const struct vioblk_req *vr, const void *field)
{
	return vr->vr_pa + ((const char *)field - (const char *)vr);
}

static struct vioblk_req *
vioblk_req_get(struct vioblk_softc *sc)
{
	struct vioblk_req *vr;

	KASSERT(spin_held(&sc->sc_lock), "vioblk_req_get: sc_lock");
	if ((vr = sc->sc_free) != NULL) {
		sc->sc_free = vr->vr_next;
		vr->vr_next = NULL;
		vr->vr_bio = NULL;
		vr->vr_fua = false;
		vr->vr_done = false;
		vr->vr_error = 0;
		vr->vr_abandoned = false;
		vr->vr_status = 0xff;	/* not a status: "never written" */
	}
	return vr;
}

static void
vioblk_req_put(struct vioblk_softc *sc, struct vioblk_req *vr)
{
	KASSERT(spin_held(&sc->sc_lock), "vioblk_req_put: sc_lock");
	vr->vr_next = sc->sc_free;
	sc->sc_free = vr;
}

/*
 * The physical address of kernel virtual address va: the direct map, or
 * the kernel image (a static buffer); 0 for anything else.
 */
static paddr_t
vioblk_vtophys(const void *va)
{
	uint64_t a = (uint64_t)va;

	if (a >= DMAP_BASE && a < DMAP_BASE + DMAP_MAXSIZE)
		return DMAP_TO_PHYS(va);
	if (a >= KERNBASE)
		return KVA_TO_PHYS(va);
	return 0;
}

/*
 * Append the pieces of [data, data + len) to segs from index n: one per
 * page (and at most sc_size_max bytes each).  Returns the new count, or
 * -EINVAL when there are more than sc_data_segs or an address is not in
 * the direct map.
 */
static int
vioblk_add_data(struct vioblk_softc *sc, struct virtq_seg *segs, int n,
    void *data, size_t len, bool devwrites)
{
	uint64_t va = (uint64_t)data;
	size_t piece;
	paddr_t pa;
	int first = n;

	while (len > 0) {
		piece = MIN(len, PAGE_SIZE - (va & PAGE_MASK));
		piece = MIN(piece, sc->sc_size_max);
		if (n - first >= sc->sc_data_segs ||
		    (pa = vioblk_vtophys((void *)va)) == 0)
			return -EINVAL;
		segs[n].vs_pa = pa;
		segs[n].vs_len = piece;
		segs[n].vs_write = devwrites;
		n++;
		va += piece;
		len -= piece;
	}
	return n;
}

/* The header, then the status byte: the shape of every request. */
static void
vioblk_seg(struct virtq_seg *s, paddr_t pa, uint32_t len, bool devwrites)
{
	s->vs_pa = pa;
	s->vs_len = len;
	s->vs_write = devwrites;
}

/* A DISCARD's ranges, each at most sc_max_discard sectors. */
static int
vioblk_fill_discard(struct vioblk_softc *sc, struct vioblk_req *vr,
    uint64_t sector, uint64_t count)
{
	uint32_t max = sc->sc_max_discard != 0 ? sc->sc_max_discard :
	    UINT32_MAX;
	unsigned n;

	for (n = 0; count > 0; n++) {
		if (n >= MIN(sc->sc_max_discard_seg, VIOBLK_DISCARD_SEGS))
			return -EINVAL;
		vr->vr_discard[n].vbd_sector = sector;
		vr->vr_discard[n].vbd_num_sectors = MIN(count, max);
		vr->vr_discard[n].vbd_flags = 0;
		sector += vr->vr_discard[n].vbd_num_sectors;
		count -= vr->vr_discard[n].vbd_num_sectors;
	}
	return n;
}

/*
 * Build the pieces of bp's request vr in sc->sc_segs: their count, or
 * -errno for a request this device cannot do.
 */
static int
vioblk_build(struct vioblk_softc *sc, struct vioblk_req *vr, struct bio *bp)
{
	struct virtq_seg *segs = sc->sc_segs;
	uint64_t nsect = bp->bio_len / VIRTIO_BLK_SECTOR_SIZE;
	int n = 1, nd;

	vr->vr_hdr.vbh_reserved = 0;
	vr->vr_hdr.vbh_sector = bp->bio_sector;
	switch (bp->bio_cmd) {
	case BIO_READ:
	case BIO_WRITE:
		if (bp->bio_len == 0 || bp->bio_len % sc->sc_blksize != 0 ||
		    bp->bio_sector + nsect > sc->sc_capacity ||
		    bp->bio_data == NULL)
			return -EINVAL;
		if (bp->bio_cmd == BIO_WRITE &&
		    virtio_has(&sc->sc_vsc, VIRTIO_BLK_F_RO))
			return -EROFS;
		vr->vr_hdr.vbh_type = bp->bio_cmd == BIO_READ ?
		    VIRTIO_BLK_T_IN : VIRTIO_BLK_T_OUT;
		n = vioblk_add_data(sc, segs, 1, bp->bio_data, bp->bio_len,
		    bp->bio_cmd == BIO_READ);
		if (n < 0)
			return n;
		vr->vr_fua = bp->bio_cmd == BIO_WRITE &&
		    (bp->bio_flags & BIO_FUA) != 0 &&
		    virtio_has(&sc->sc_vsc, VIRTIO_BLK_F_FLUSH);
		break;
	case BIO_FLUSH:
		if (!virtio_has(&sc->sc_vsc, VIRTIO_BLK_F_FLUSH))
			return -EOPNOTSUPP;
		vr->vr_hdr.vbh_type = VIRTIO_BLK_T_FLUSH;
		vr->vr_hdr.vbh_sector = 0;
		break;
	case BIO_DISCARD:
		if (!virtio_has(&sc->sc_vsc, VIRTIO_BLK_F_DISCARD))
			return -EOPNOTSUPP;
		if (virtio_has(&sc->sc_vsc, VIRTIO_BLK_F_RO))
			return -EROFS;
		if (nsect == 0 || bp->bio_sector + nsect > sc->sc_capacity)
			return -EINVAL;
		if ((nd = vioblk_fill_discard(sc, vr, bp->bio_sector,
		    nsect)) < 0)
			return nd;
		vr->vr_hdr.vbh_type = VIRTIO_BLK_T_DISCARD;
		vr->vr_hdr.vbh_sector = 0;
		vioblk_seg(&segs[n++], vioblk_req_pa(vr, vr->vr_discard),
		    nd * sizeof(vr->vr_discard[0]), false);
		break;
	default:
		return -EOPNOTSUPP;
	}
	vioblk_seg(&segs[0], vioblk_req_pa(vr, &vr->vr_hdr),
	    sizeof(vr->vr_hdr), false);
	vioblk_seg(&segs[n++], vioblk_req_pa(vr, &vr->vr_status), 1, true);
	return n;
}

/* Put vr's pieces on the ring: 0, -EAGAIN, -errno. */
static int
vioblk_start(struct vioblk_softc *sc, struct vioblk_req *vr, int nsegs)
{
	int error;

	if ((error = virtq_enqueue(sc->sc_vq, sc->sc_segs, nsegs, vr)) < 0)
		return error;
	if (++sc->sc_inflight > sc->sc_maxinflight)
		sc->sc_maxinflight = sc->sc_inflight;
	return 0;
}

/*
 * d_strategy: start bp on the device and return at once.  0; -EAGAIN when
 * the ring has no room (the block layer retries after a completion);
 * another -errno when bp cannot be done (bio_error is the block layer's
 * to set then).  Takes sc_lock.
 */
static int
vioblk_strategy(struct disk *dp, struct bio *bp)
{
	struct vioblk_softc *sc = dp->d_softc;
	struct vioblk_req *vr;
	int error, nsegs;

	spin_lock(&sc->sc_lock);
	if (sc->sc_dead) {
		error = -EIO;
		goto out;
	}
	if ((vr = vioblk_req_get(sc)) == NULL) {
		error = -EAGAIN;
		goto out;
	}
	if ((nsegs = vioblk_build(sc, vr, bp)) < 0) {
		error = nsegs;
		if (error == -EINVAL)
			klog(sc->sc_disk.d_name, "bad request: cmd %d sector "
			    "%lu len %zu", bp->bio_cmd, bp->bio_sector,
			    bp->bio_len);
		goto out_req;
	}
	vr->vr_bio = bp;
	bp->bio_driver = vr;
	if ((error = vioblk_start(sc, vr, nsegs)) < 0)
		goto out_req;
	sc->sc_nreq[bp->bio_cmd]++;
	spin_unlock(&sc->sc_lock);
	return 0;
out_req:
	bp->bio_driver = NULL;
	vioblk_req_put(sc, vr);
out:
	spin_unlock(&sc->sc_lock);
	return error;
}

/* The status byte as an errno (5.2.6). */
static int
vioblk_status_error(struct vioblk_softc *sc, struct vioblk_req *vr,
    uint32_t len)
{
	if (len < 1 || vr->vr_status == 0xff) {
		sc->sc_nerr++;
		return -EIO;
	}
	switch (vr->vr_status) {
	case VIRTIO_BLK_S_OK:
		return 0;
	case VIRTIO_BLK_S_UNSUPP:
		return -EOPNOTSUPP;
	default:
		sc->sc_nerr++;
		return -EIO;
	}
}

/*
 * A FUA write vr succeeded: send the flush that makes it durable, reusing
 * vr.  false when it cannot be started (then the bio fails).
 */
static bool
vioblk_start_fua_flush(struct vioblk_softc *sc, struct vioblk_req *vr)
{
	vr->vr_fua = false;
	vr->vr_status = 0xff;
	vr->vr_hdr.vbh_type = VIRTIO_BLK_T_FLUSH;
	vr->vr_hdr.vbh_sector = 0;
	vioblk_seg(&sc->sc_segs[0], vioblk_req_pa(vr, &vr->vr_hdr),
	    sizeof(vr->vr_hdr), false);
	vioblk_seg(&sc->sc_segs[1], vioblk_req_pa(vr, &vr->vr_status), 1,
	    true);
	if (vioblk_start(sc, vr, 2) < 0)
		return false;
	sc->sc_nreq[BIO_FLUSH]++;
	return true;
}

/*
 * Queue 0's completion handler: take every finished request off the used
 * ring under sc_lock, then complete the bios without it.  Interrupt
 * context.
 */
static void
vioblk_vq_done(struct virtqueue *vq)
{
	struct vioblk_softc *sc = vq->vq_arg;
	struct vioblk_req *vr;
	struct bio *done = NULL, **tail = &done, *bp;
	bool freed = false;
	uint32_t len;
	int error;

	spin_lock(&sc->sc_lock);
	while ((vr = virtq_dequeue(vq, &len)) != NULL) {
		sc->sc_inflight--;
		error = vioblk_status_error(sc, vr, len);
		if ((bp = vr->vr_bio) == NULL) {
			/* A waiter's (GET_ID): it frees vr itself... */
			if (vr->vr_abandoned) {
				/* ...unless it stopped waiting. */
				vioblk_req_put(sc, vr);
				freed = true;
				continue;
			}
			vr->vr_error = error;
			vr->vr_done = true;
			wakeup(vr);
			continue;
		}
		if (error == 0 && vr->vr_fua && vioblk_start_fua_flush(sc, vr))
			continue;
		bp->bio_error = error;
		bp->bio_driver = NULL;
		bp->bio_next = NULL;
		*tail = bp;
		tail = &bp->bio_next;
		vioblk_req_put(sc, vr);
		freed = true;
	}
	spin_unlock(&sc->sc_lock);
	if (freed)
		wakeup(&sc->sc_free);
	while ((bp = done) != NULL) {
		done = bp->bio_next;
		bp->bio_next = NULL;
		bio_done(bp);
	}
}

#define VIOBLK_GETID_NS	(5ULL * 1000000000)	/* GET_ID's patience */

/*
 * Ask the device for its id string (see virtio_blkvar.h).  Sleeps, at
 * most VIOBLK_GETID_NS for the answer: a device that never answers costs
 * the attach its serial number (-ETIMEDOUT), not the boot.  The request
 * stays the device's until it completes, if it ever does.  Takes sc_lock.
 */
int
vioblk_get_id(struct vioblk_softc *sc, char *buf, size_t len)
{
	struct vioblk_req *vr;
	int error;

	if (len < VIRTIO_BLK_ID_BYTES + 1)
		return -EINVAL;
	spin_lock(&sc->sc_lock);
	for (;;) {
		if (sc->sc_dead) {
			spin_unlock(&sc->sc_lock);
			return -EIO;
		}
		if ((vr = vioblk_req_get(sc)) != NULL) {
			vr->vr_hdr.vbh_type = VIRTIO_BLK_T_GET_ID;
			vr->vr_hdr.vbh_reserved = 0;
			vr->vr_hdr.vbh_sector = 0;
			vioblk_seg(&sc->sc_segs[0], vioblk_req_pa(vr,
			    &vr->vr_hdr), sizeof(vr->vr_hdr), false);
			vioblk_seg(&sc->sc_segs[1], vioblk_req_pa(vr,
			    vr->vr_id), sizeof(vr->vr_id), true);
			vioblk_seg(&sc->sc_segs[2], vioblk_req_pa(vr,
			    &vr->vr_status), 1, true);
			if ((error = vioblk_start(sc, vr, 3)) == 0)
				break;
			vioblk_req_put(sc, vr);
			if (error != -EAGAIN) {
				spin_unlock(&sc->sc_lock);
				return error;
			}
		}
		/* No request or no room: a completion frees one. */
		tsleep(&sc->sc_free, &sc->sc_lock, "vioblkrq", 0);
	}
	sc->sc_ngetid++;
	while (!vr->vr_done) {
		if (tsleep(vr, &sc->sc_lock, "vioblkid", VIOBLK_GETID_NS) ==
		    -ETIMEDOUT && !vr->vr_done) {
			vr->vr_abandoned = true;
			spin_unlock(&sc->sc_lock);
			return -ETIMEDOUT;
		}
	}
	if ((error = vr->vr_error) == 0) {
		/* NUL-terminated only when shorter than 20 bytes (5.2.6). */
		memcpy(buf, vr->vr_id, VIRTIO_BLK_ID_BYTES);
		buf[VIRTIO_BLK_ID_BYTES] = '\0';
	}
	vioblk_req_put(sc, vr);
	spin_unlock(&sc->sc_lock);
	wakeup(&sc->sc_free);
	return error;
}

/* The first attached virtio block device, or NULL.  No lock ([B]). */
struct vioblk_softc *
vioblk_first(void)
{
	return vioblk_list;
}

/* The one attached after sc, or NULL.  No lock ([B]). */
struct vioblk_softc *
vioblk_next(struct vioblk_softc *sc)
{
	return sc->sc_next;
}

/* Read the device configuration (5.2.4) into sc: 0 or -errno. */
static int
vioblk_read_config(struct vioblk_softc *sc)
{
	struct virtio_softc *vsc = &sc->sc_vsc;
	uint32_t v;

	sc->sc_capacity = virtio_read_config64(vsc, VIRTIO_BLK_CFG_CAPACITY);
	sc->sc_blksize = VIRTIO_BLK_SECTOR_SIZE;
	if (virtio_has(vsc, VIRTIO_BLK_F_BLK_SIZE)) {
		v = virtio_read_config32(vsc, VIRTIO_BLK_CFG_BLK_SIZE);
		if (v < VIRTIO_BLK_SECTOR_SIZE || v > PAGE_SIZE ||
		    !powerof2(v)) {
			klog(vsc->vs_name, "unusable block size %u", v);
			return -ENXIO;
		}
		sc->sc_blksize = v;
	}
	sc->sc_size_max = PAGE_SIZE;
	if (virtio_has(vsc, VIRTIO_BLK_F_SIZE_MAX)) {
		v = virtio_read_config32(vsc, VIRTIO_BLK_CFG_SIZE_MAX);
		if (v < sc->sc_blksize) {
			klog(vsc->vs_name, "size_max %u below a block", v);
			return -ENXIO;
		}
		sc->sc_size_max = MIN(v, PAGE_SIZE);
	}
	sc->sc_data_segs = VIOBLK_DATA_SEGS;
	if (virtio_has(vsc, VIRTIO_BLK_F_SEG_MAX)) {
		v = virtio_read_config32(vsc, VIRTIO_BLK_CFG_SEG_MAX);
		if (v == 0) {
			klog(vsc->vs_name, "seg_max is 0");
			return -ENXIO;
		}
		sc->sc_data_segs = MIN(sc->sc_data_segs, (int)v);
	}
	if (virtio_has(vsc, VIRTIO_BLK_F_DISCARD)) {
		sc->sc_max_discard = virtio_read_config32(vsc,
		    VIRTIO_BLK_CFG_MAX_DISCARD_SECT);
		sc->sc_max_discard_seg = virtio_read_config32(vsc,
		    VIRTIO_BLK_CFG_MAX_DISCARD_SEG);
	}
	return 0;
}

/* The request array, physically contiguous, all on the free list. */
static int
vioblk_alloc_reqs(struct vioblk_softc *sc, int n)
{
	paddr_t pa;
	int i;

	sc->sc_reqs = virtio_dma_alloc(n * sizeof(struct vioblk_req), &pa,
	    &sc->sc_reqs_order);
	if (sc->sc_reqs == NULL)
		return -ENOMEM;
	sc->sc_nreqs = n;
	for (i = n - 1; i >= 0; i--) {
		sc->sc_reqs[i].vr_pa = pa + i * sizeof(struct vioblk_req);
		sc->sc_reqs[i].vr_next = sc->sc_free;
		sc->sc_free = &sc->sc_reqs[i];
	}
	return 0;
}

/* The queue: pieces per request fit the ring (indirect or not). */
static int
vioblk_setup_queue(struct vioblk_softc *sc)
{
	int error, nvec;

	if ((nvec = virtio_setup_intr(&sc->sc_vsc, 1)) < 0)
		return nvec;
	error = virtq_alloc(&sc->sc_vsc, 0, VIOBLK_QSIZE_MAX,
	    VIOBLK_DATA_SEGS + 2, &sc->sc_lock, vioblk_vq_done, sc,
	    &sc->sc_vq);
	if (error < 0) {
		klog(sc->sc_vsc.vs_name, "request queue: error %d", error);
		return error;
	}
	/* Room for a header and a status byte besides the data. */
	sc->sc_data_segs = MIN(sc->sc_data_segs,
	    virtq_max_segs(sc->sc_vq) - 2);
	if (sc->sc_data_segs < 2) {
		klog(sc->sc_vsc.vs_name, "queue of %u entries is too small",
		    sc->sc_vq->vq_size);
		return -ENXIO;
	}
	return vioblk_alloc_reqs(sc, sc->sc_vq->vq_size);
}

static void
vioblk_fill_disk(struct vioblk_softc *sc)
{
	struct disk *dp = &sc->sc_disk;
	size_t maxio;

	/* A buffer that is not page aligned takes one piece more. */
	maxio = (size_t)(sc->sc_data_segs - 1) *
	    MIN(sc->sc_size_max, PAGE_SIZE);
	maxio = MIN(maxio, VIOBLK_MAXIO);
	dp->d_prefix = "vd";
	dp->d_secsize = sc->sc_blksize;
	dp->d_nsectors = sc->sc_capacity;
	dp->d_maxio = rounddown2(maxio, sc->sc_blksize);
	dp->d_flags = 0;
	if (virtio_has(&sc->sc_vsc, VIRTIO_BLK_F_FLUSH))
		dp->d_flags |= DISK_CANFLUSH;
	if (virtio_has(&sc->sc_vsc, VIRTIO_BLK_F_DISCARD))
		dp->d_flags |= DISK_CANDISCARD;
	if (virtio_has(&sc->sc_vsc, VIRTIO_BLK_F_RO))
		dp->d_flags |= DISK_RDONLY;
	dp->d_strategy = vioblk_strategy;
	dp->d_softc = sc;
}

/*
 * After interrupts are set up nothing can be undone (a handler cannot be
 * removed): reset the device so that it stops, and keep sc.
 */
static void
vioblk_kill(struct vioblk_softc *sc)
{
	spin_lock(&sc->sc_lock);
	sc->sc_dead = true;
	spin_unlock(&sc->sc_lock);
	sc->sc_vsc.vs_ops->vop_reset(&sc->sc_vsc);
	wakeup(&sc->sc_free);
}

static int
vioblk_attach(struct device *dv)
{
	struct vioblk_softc *sc;
	int error;

	if ((sc = kmalloc(sizeof(*sc), M_ZERO)) == NULL)
		return -ENOMEM;
	sc->sc_dev = dv;
	sc->sc_vsc.vs_name = dv->dv_name;
	spin_init(&sc->sc_lock, "vioblk");
	if ((error = virtio_pci_attach(dv, &sc->sc_vsc, &sc->sc_vp)) < 0)
		goto fail;
	if (sc->sc_vsc.vs_devid != VIRTIO_ID_BLOCK) {
		klog(dv->dv_name, "virtio device %d is not a block device",
		    sc->sc_vsc.vs_devid);
		error = -ENODEV;
		goto fail;
	}
	if ((error = virtio_negotiate(&sc->sc_vsc, VIOBLK_FEATURES)) < 0 ||
	    (error = vioblk_read_config(sc)) < 0)
		goto fail_device;
	/* From here on interrupts exist: a failure keeps sc (vioblk_kill). */
	if ((error = vioblk_setup_queue(sc)) < 0)
		goto fail_dead;
	vioblk_fill_disk(sc);
	virtio_driver_ok(&sc->sc_vsc);
	if ((error = vioblk_get_id(sc, sc->sc_serial,
	    sizeof(sc->sc_serial))) < 0) {
		klog(dv->dv_name, "GET_ID: error %d", error);
		sc->sc_serial[0] = '\0';
	}
	klog(dv->dv_name, "virtio-blk: %lu sectors, %u-byte blocks, queue of "
	    "%u%s, %s, max I/O %u, serial \"%s\"%s%s%s", sc->sc_capacity,
	    sc->sc_blksize, sc->sc_vq->vq_size,
	    sc->sc_vq->vq_ind != NULL ? " (indirect)" : "",
	    sc->sc_vsc.vs_ops->vop_intr_name(&sc->sc_vsc),
	    sc->sc_disk.d_maxio, sc->sc_serial,
	    sc->sc_disk.d_flags & DISK_CANFLUSH ? ", flush" : "",
	    sc->sc_disk.d_flags & DISK_CANDISCARD ? ", discard" : "",
	    sc->sc_disk.d_flags & DISK_RDONLY ? ", read-only" : "");
	if ((error = disk_attach(&sc->sc_disk)) < 0) {
		klog(dv->dv_name, "disk_attach: error %d", error);
		goto fail_dead;
	}
	sc->sc_next = vioblk_list;
	vioblk_list = sc;
	return 0;
fail_dead:
	vioblk_kill(sc);
	return error;
fail_device:
	virtio_fail(&sc->sc_vsc);
fail:
	kfree(sc);
	return error;
}

static struct driver vioblk_driver = {
	.drv_name = "vioblk",
	.drv_bus = BUS_PCI,
	.drv_pci_ids = vioblk_ids,
	.drv_softc_size = 0,		/* ours: see vioblk_kill */
	.drv_attach = vioblk_attach,
};
DRIVER(vioblk_driver);
