/*
 * The virtio block device's layouts (virtio 1.1, 5.2): its feature bits,
 * its configuration structure and its requests.
 */
#ifndef _DEV_VIRTIO_VIRTIO_BLKREG_H_
#define _DEV_VIRTIO_VIRTIO_BLKREG_H_

#include <sys/types.h>

/* Feature bits (5.2.3). */
#define VIRTIO_BLK_F_SIZE_MAX		1	/* size_max is valid */
#define VIRTIO_BLK_F_SEG_MAX		2	/* seg_max is valid */
#define VIRTIO_BLK_F_GEOMETRY		4
#define VIRTIO_BLK_F_RO			5	/* read-only */
#define VIRTIO_BLK_F_BLK_SIZE		6	/* blk_size is valid */
#define VIRTIO_BLK_F_FLUSH		9	/* VIRTIO_BLK_T_FLUSH */
#define VIRTIO_BLK_F_TOPOLOGY		10
#define VIRTIO_BLK_F_CONFIG_WCE		11
#define VIRTIO_BLK_F_MQ			12
#define VIRTIO_BLK_F_DISCARD		13	/* VIRTIO_BLK_T_DISCARD */
#define VIRTIO_BLK_F_WRITE_ZEROES	14

/* struct virtio_blk_config (5.2.4): offsets in the device config. */
#define VIRTIO_BLK_CFG_CAPACITY		0	/* le64, 512-byte sectors */
#define VIRTIO_BLK_CFG_SIZE_MAX		8	/* le32 */
#define VIRTIO_BLK_CFG_SEG_MAX		12	/* le32 */
#define VIRTIO_BLK_CFG_BLK_SIZE		20	/* le32 */
#define VIRTIO_BLK_CFG_WRITEBACK	32	/* u8 */
#define VIRTIO_BLK_CFG_NUM_QUEUES	34	/* le16 */
#define VIRTIO_BLK_CFG_MAX_DISCARD_SECT	36	/* le32 */
#define VIRTIO_BLK_CFG_MAX_DISCARD_SEG	40	/* le32 */
#define VIRTIO_BLK_CFG_DISCARD_ALIGN	44	/* le32 */

/* Request types (5.2.6). */
#define VIRTIO_BLK_T_IN			0
#define VIRTIO_BLK_T_OUT		1
#define VIRTIO_BLK_T_FLUSH		4
#define VIRTIO_BLK_T_GET_ID		8
#define VIRTIO_BLK_T_DISCARD		11
#define VIRTIO_BLK_T_WRITE_ZEROES	13

/* The status byte the device writes last (5.2.6). */
#define VIRTIO_BLK_S_OK			0
#define VIRTIO_BLK_S_IOERR		1
#define VIRTIO_BLK_S_UNSUPP		2

#define VIRTIO_BLK_SECTOR_SIZE		512	/* vbh_sector's unit */
#define VIRTIO_BLK_ID_BYTES		20	/* GET_ID's answer */

/* What the driver puts first in every request (5.2.6). */
struct virtio_blk_outhdr {
	uint32_t	vbh_type;	/* VIRTIO_BLK_T_* */
	uint32_t	vbh_reserved;
	uint64_t	vbh_sector;	/* in 512-byte sectors */
} __packed;
_Static_assert(sizeof(struct virtio_blk_outhdr) == 16, "virtio_blk_outhdr");

/* One range of a DISCARD or WRITE_ZEROES request (5.2.6). */
struct virtio_blk_discard_write_zeroes {
	uint64_t	vbd_sector;
	uint32_t	vbd_num_sectors;
	uint32_t	vbd_flags;	/* bit 0: unmap (WRITE_ZEROES) */
} __packed;
_Static_assert(sizeof(struct virtio_blk_discard_write_zeroes) == 16,
    "virtio_blk_discard_write_zeroes");

#endif /* _DEV_VIRTIO_VIRTIO_BLKREG_H_ */
