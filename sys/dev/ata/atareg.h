/*
 * ATA/ATAPI registers and commands, as the specifications name them.
 *
 * Sources: ATA/ATAPI-6 (T13/1410D) and ACS-2 (T13/2015-D) for the task
 * file, the commands and the IDENTIFY DEVICE data; "Programming Interface
 * for Bus Master IDE Controller" (SFF-8038i rev 1.0) and the Intel
 * 82371SB (PIIX3) datasheet for the bus master registers and the PRD
 * format; "PCI IDE Controller Specification" rev 1.0 for the programming
 * interface byte and the compatibility-mode addresses.
 */
#ifndef _DEV_ATA_ATAREG_H_
#define _DEV_ATA_ATAREG_H_

#include <sys/types.h>

/* Command block registers: offsets from the channel's command base. */
#define ATA_DATA		0	/* 16-bit PIO data */
#define ATA_ERROR		1	/* read */
#define ATA_FEATURES		1	/* write */
#define ATA_SECCNT		2
#define ATA_LBA_LOW		3
#define ATA_LBA_MID		4
#define ATA_LBA_HIGH		5
#define ATA_DEVICE		6
#define ATA_STATUS		7	/* read: clears the pending interrupt */
#define ATA_COMMAND		7	/* write */
#define ATA_CMDBLK_SIZE		8

/* Control block: one register at the control base. */
#define ATA_ALTSTATUS		0	/* read: status, without side effect */
#define ATA_DEVCTL		0	/* write */
#define  ATA_DEVCTL_NIEN	0x02	/* the device's INTRQ disabled */
#define  ATA_DEVCTL_SRST	0x04	/* software reset of both devices */
#define  ATA_DEVCTL_HOB		0x80	/* read the high-order LBA48 bytes */

/* Status register (ATA-6 7.15.6). */
#define ATA_S_ERR		0x01
#define ATA_S_DRQ		0x08
#define ATA_S_DF		0x20	/* device fault */
#define ATA_S_DRDY		0x40
#define ATA_S_BSY		0x80

/* Error register. */
#define ATA_E_ABRT		0x04	/* command aborted */
#define ATA_E_IDNF		0x10	/* address not found */
#define ATA_E_UNC		0x40	/* uncorrectable data */
#define ATA_E_ICRC		0x80	/* interface CRC (Ultra DMA) */

/* Device register. */
#define ATA_DEV_OBS		0xa0	/* bits 7 and 5, set by old habit */
#define ATA_DEV_LBA		0x40
#define ATA_DEV_DEV1		0x10	/* device 1 (the "slave") */

/* Commands (ACS-2 annex A). */
#define ATA_READ_SECTORS	0x20
#define ATA_READ_SECTORS_EXT	0x24
#define ATA_READ_DMA_EXT	0x25
#define ATA_WRITE_SECTORS	0x30
#define ATA_WRITE_SECTORS_EXT	0x34
#define ATA_WRITE_DMA_EXT	0x35
#define ATA_IDENTIFY_PACKET	0xa1
#define ATA_READ_DMA		0xc8
#define ATA_WRITE_DMA		0xca
#define ATA_FLUSH_CACHE		0xe7
#define ATA_IDENTIFY_DEVICE	0xec
#define ATA_FLUSH_CACHE_EXT	0xea
#define ATA_SET_FEATURES	0xef
#define  ATA_SF_XFER_MODE	0x03	/* subcommand in FEATURES */
#define  ATA_XFER_MWDMA		0x20	/* | mode, in SECCNT */
#define  ATA_XFER_UDMA		0x40	/* | mode, in SECCNT */

/* LBA28 reaches sectors 0 .. 2^28 - 1; one command moves up to 256. */
#define ATA_LBA28_LIMIT		(1ULL << 28)
#define ATA_LBA28_MAXSECS	256
#define ATA_SECSIZE		512

/*
 * Signatures left in LBA mid/high after a reset or an aborted IDENTIFY
 * DEVICE (ATA-6 9.12, "device signatures").
 */
#define ATA_SIG_ATAPI_MID	0x14
#define ATA_SIG_ATAPI_HIGH	0xeb
#define ATA_SIG_SATAPI_MID	0x69
#define ATA_SIG_SATAPI_HIGH	0x96

/* IDENTIFY DEVICE data: word numbers (ACS-2 7.16.7). */
#define ATA_ID_CONFIG		0	/* bit 15: 1 = not an ATA device */
#define  ATA_ID_CONFIG_ATAPI	0x8000
#define ATA_ID_SERIAL		10	/* 10-19: 20 characters */
#define ATA_ID_FWREV		23	/* 23-26: 8 characters */
#define ATA_ID_MODEL		27	/* 27-46: 40 characters */
#define ATA_ID_CAPS		49
#define  ATA_ID_CAPS_DMA	0x0100
#define  ATA_ID_CAPS_LBA	0x0200
#define ATA_ID_VALID		53
#define  ATA_ID_VALID_88	0x0004	/* word 88 is valid */
#define ATA_ID_LBA28_SECS	60	/* 60-61: sectors, LBA28 */
#define ATA_ID_MWDMA		63	/* bits 0-2: modes supported */
#define ATA_ID_CMDSET1		82
#define  ATA_ID_CMDSET1_WCACHE	0x0020	/* volatile write cache */
#define ATA_ID_CMDSET2		83
#define  ATA_ID_CMDSET2_LBA48	0x0400
#define  ATA_ID_CMDSET2_FLUSH	0x1000
#define  ATA_ID_CMDSET2_FLUSHX	0x2000
#define ATA_ID_CMDSET2_EN	86	/* enabled, same bits as 83 */
#define ATA_ID_UDMA		88	/* bits 0-6: modes supported */
#define ATA_ID_LBA48_SECS	100	/* 100-103: sectors, LBA48 */
#define ATA_ID_SECSIZE		106
#define  ATA_ID_SECSIZE_VALID	0x4000	/* with bit 15 clear */
#define  ATA_ID_SECSIZE_LARGE	0x1000	/* words 117-118 are valid */
#define ATA_ID_LSECSIZE		117	/* 117-118: words per sector */
#define ATA_ID_WORDS		256

/* PCI IDE programming interface byte (PCI IDE spec, 2). */
#define PCIIDE_IF_NATIVE(ch)	(0x01 << (2 * (ch)))	/* native-PCI mode */
#define PCIIDE_IF_BUSMASTER	0x80
/* Compatibility-mode resources of the two channels. */
#define PCIIDE_COMPAT_CMD(ch)	((ch) == 0 ? 0x1f0 : 0x170)
#define PCIIDE_COMPAT_CTL(ch)	((ch) == 0 ? 0x3f6 : 0x376)
#define PCIIDE_COMPAT_IRQ(ch)	((ch) == 0 ? 14 : 15)
/* In native mode the control block BAR points 2 below the register. */
#define PCIIDE_NATIVE_CTL_OFF	2
/* The bus master block: BAR4, 8 ports per channel. */
#define PCIIDE_BAR_BM		4
#define PCIIDE_BM_CHAN_OFF(ch)	(8 * (ch))

/* Bus master IDE registers (SFF-8038i 2), from the channel's base. */
#define BM_COMMAND		0
#define  BM_CMD_START		0x01
#define  BM_CMD_READ		0x08	/* the controller writes memory */
#define BM_STATUS		2
#define  BM_S_ACTIVE		0x01
#define  BM_S_ERR		0x02	/* write 1 to clear */
#define  BM_S_INTR		0x04	/* the device raised INTRQ; w1c */
#define  BM_S_DRV0_DMA		0x20	/* firmware: device 0 can DMA */
#define  BM_S_DRV1_DMA		0x40
#define BM_PRD_ADDR		4	/* 32-bit, 4-byte aligned */

/*
 * A Physical Region Descriptor (SFF-8038i 1.2): a 32-bit physical
 * address, a byte count (0 means 64 KiB) that must not cross a 64 KiB
 * boundary, and EOT on the last.  The table itself must be 4-byte
 * aligned and must not cross a 64 KiB boundary either.
 */
struct ata_prd {
	uint32_t	prd_addr;
	uint16_t	prd_count;
	uint16_t	prd_flags;
};
#define PRD_EOT			0x8000
#define PRD_MAXCOUNT		0x10000
_Static_assert(sizeof(struct ata_prd) == 8, "struct ata_prd");

#endif /* _DEV_ATA_ATAREG_H_ */
