/*
 * The virtio block driver's state (dev/virtio/virtio_blk.c).
 *
 * Locks protecting members of these structs:
 *	B	set during attach, on one CPU; read-only afterwards
 *	s	sc_lock (a spin lock: the completion interrupt takes it)
 */
#ifndef _DEV_VIRTIO_VIRTIO_BLKVAR_H_
#define _DEV_VIRTIO_VIRTIO_BLKVAR_H_

#include <sys/types.h>
#include <sys/disk.h>
#include <sys/lock.h>

#include <dev/virtio/virtio_blkreg.h>
#include <dev/virtio/virtiovar.h>
#include <dev/virtio/virtio_pcivar.h>

#define VIOBLK_QSIZE_MAX	256	/* ring entries we ask for at most */
#define VIOBLK_DATA_SEGS	129	/* data pieces per request: 512 KiB */
#define VIOBLK_MAXIO		(512 * 1024)
#define VIOBLK_DISCARD_SEGS	4	/* ranges per DISCARD request */

/*
 * One request as the device sees it: header, data pieces, status byte.
 * These live in one physically contiguous array (vr_pa is this one's
 * address), so the header, discard ranges, id and status need no
 * translation.
 */
struct vioblk_req {
	struct virtio_blk_outhdr vr_hdr;	/* [s] device reads */
	struct virtio_blk_discard_write_zeroes
			 vr_discard[VIOBLK_DISCARD_SEGS]; /* [s] device reads */
	uint8_t		 vr_id[VIRTIO_BLK_ID_BYTES];	/* [s] device writes */
	uint8_t		 vr_status;		/* [s] device writes last */
	/* The driver's own. */
	paddr_t		 vr_pa;			/* [B] */
	struct bio	*vr_bio;		/* [s] NULL: a waiter's */
	struct vioblk_req *vr_next;		/* [s] free list */
	bool		 vr_fua;		/* [s] a flush must follow */
	bool		 vr_done;		/* [s] a waiter's: finished */
	int		 vr_error;		/* [s] a waiter's: result */
	bool		 vr_abandoned;		/* [s] its waiter gave up: the
						   completion frees it */
};

struct vioblk_softc {
	struct vioblk_softc *sc_next;		/* [B] all vioblk disks */
	struct device	*sc_dev;		/* [B] */
	struct virtio_softc sc_vsc;		/* [B] */
	struct virtio_pci_softc sc_vp;		/* [B] */
	struct spinlock	 sc_lock;
	struct virtqueue *sc_vq;		/* [B] its ring: [s] */
	struct disk	 sc_disk;		/* [B] */
	char		 sc_serial[VIRTIO_BLK_ID_BYTES + 1]; /* [B] */
	uint64_t	 sc_capacity;		/* [B] 512-byte sectors */
	uint32_t	 sc_blksize;		/* [B] logical block size */
	uint32_t	 sc_size_max;		/* [B] bytes per piece */
	int		 sc_data_segs;		/* [B] pieces per request */
	uint32_t	 sc_max_discard;	/* [B] sectors per range */
	uint32_t	 sc_max_discard_seg;	/* [B] ranges per request */
	bool		 sc_dead;		/* [s] reset after a failure */
	struct vioblk_req *sc_reqs;		/* [B] the array */
	unsigned	 sc_reqs_order;		/* [B] */
	int		 sc_nreqs;		/* [B] */
	struct vioblk_req *sc_free;		/* [s] free requests */
	struct virtq_seg sc_segs[VIOBLK_DATA_SEGS + 2]; /* [s] scratch */
	/* Counters (for the ktests and the log). */
	uint64_t	 sc_nreq[BIO_DISCARD + 1]; /* [s] started, by bio_cmd */
	uint64_t	 sc_nerr;		/* [s] device errors */
	uint64_t	 sc_ngetid;		/* [s] GET_ID requests */
	unsigned	 sc_inflight;		/* [s] requests on the ring */
	unsigned	 sc_maxinflight;	/* [s] its high-water mark */
};

/* The first attached virtio block device, then the next; NULL at the end. */
struct vioblk_softc *vioblk_first(void);
struct vioblk_softc *vioblk_next(struct vioblk_softc *sc);
/*
 * Ask the device for its id string (VIRTIO_BLK_T_GET_ID: the serial of
 * QEMU's -drive ...,serial=X) into buf (NUL-terminated, len >= 21).
 * Sleeps until the device answers; takes sc_lock.  0 or -errno (-EIO,
 * -EOPNOTSUPP when the device does not know the request).
 */
int	vioblk_get_id(struct vioblk_softc *sc, char *buf, size_t len);

#endif /* _DEV_VIRTIO_VIRTIO_BLKVAR_H_ */
