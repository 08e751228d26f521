/*
 * The virtio 1.x layouts every transport and device shares: device status
 * bits, the reserved feature bits, and the split virtqueue's three areas.
 * Names follow the specification ("Virtual I/O Device (VIRTIO) Version
 * 1.1", OASIS, cited below as "virtio 1.1, <section>").  Everything here is
 * little-endian on the wire, which x86_64 is too.
 */
#ifndef _DEV_VIRTIO_VIRTIOREG_H_
#define _DEV_VIRTIO_VIRTIOREG_H_

#include <sys/types.h>

/* Device status field (virtio 1.1, 2.1). */
#define VIRTIO_CONFIG_S_ACKNOWLEDGE	0x01	/* the OS found the device */
#define VIRTIO_CONFIG_S_DRIVER		0x02	/* ... and has a driver */
#define VIRTIO_CONFIG_S_DRIVER_OK	0x04	/* the driver is ready */
#define VIRTIO_CONFIG_S_FEATURES_OK	0x08	/* features accepted */
#define VIRTIO_CONFIG_S_NEEDS_RESET	0x40	/* the device gave up */
#define VIRTIO_CONFIG_S_FAILED		0x80	/* the driver gave up */

/* Device-independent feature bits (virtio 1.1, 6). */
#define VIRTIO_F_INDIRECT_DESC		28	/* 2.6.5.3 */
#define VIRTIO_F_EVENT_IDX		29	/* 2.6.7, 2.6.8 */
#define VIRTIO_F_VERSION_1		32	/* a modern device */
#define VIRTIO_F_ACCESS_PLATFORM	33	/* behind an IOMMU */
#define VIRTIO_F_RING_PACKED		34	/* 2.7 */
#define VIRTIO_F_IN_ORDER		35
#define VIRTIO_F_ORDER_PLATFORM		36
#define VIRTIO_F_SR_IOV			37
#define VIRTIO_F_NOTIFICATION_DATA	38

#define VIRTIO_BIT(b)			(1ULL << (b))

/* Device ids (virtio 1.1, 5). */
#define VIRTIO_ID_NET			1
#define VIRTIO_ID_BLOCK			2
#define VIRTIO_ID_CONSOLE		3
#define VIRTIO_ID_RNG			4

/*
 * Split virtqueue (virtio 1.1, 2.6): the descriptor table (16-byte
 * aligned), the driver area or "available ring" (2-byte aligned) and the
 * device area or "used ring" (4-byte aligned).  The queue size is a power
 * of two, at most 32768.
 */
#define VIRTQ_DESC_F_NEXT		0x1	/* vd_next is valid */
#define VIRTQ_DESC_F_WRITE		0x2	/* device writes (else reads) */
#define VIRTQ_DESC_F_INDIRECT		0x4	/* vd_addr is a table */

struct virtq_desc {
	uint64_t	vd_addr;	/* guest-physical */
	uint32_t	vd_len;
	uint16_t	vd_flags;	/* VIRTQ_DESC_F_* */
	uint16_t	vd_next;
} __packed;
_Static_assert(sizeof(struct virtq_desc) == 16, "virtq_desc");

#define VIRTQ_AVAIL_F_NO_INTERRUPT	0x1	/* 2.6.7 */

struct virtq_avail {
	uint16_t	va_flags;
	uint16_t	va_idx;		/* where the driver puts the next */
	uint16_t	va_ring[];	/* [size] heads, then used_event */
} __packed;

#define VIRTQ_USED_F_NO_NOTIFY		0x1	/* 2.6.8 */

struct virtq_used_elem {
	uint32_t	vu_id;		/* head of the finished chain */
	uint32_t	vu_len;		/* bytes the device wrote */
} __packed;

struct virtq_used {
	uint16_t	vu_flags;
	uint16_t	vu_idx;		/* where the device puts the next */
	struct virtq_used_elem vu_ring[]; /* [queue size], then avail_event */
} __packed;

/* The areas' sizes for a queue of n entries (virtio 1.1, 2.6). */
#define VIRTQ_DESC_SIZE(n)	((size_t)(n) * sizeof(struct virtq_desc))
#define VIRTQ_AVAIL_SIZE(n)	(6 + 2 * (size_t)(n))
#define VIRTQ_USED_SIZE(n)	(6 + 8 * (size_t)(n))
#define VIRTQ_MAXSIZE		32768

#endif /* _DEV_VIRTIO_VIRTIOREG_H_ */
