/*
 * The ATA driver's state (dev/ata/ata.c, dev/ata/pciide.c).
 *
 * A controller (pciide.c) finds the register blocks and interrupt of each
 * of its channels and hands them to ata_channel_attach(), which resets
 * the channel, identifies its two devices and attaches every ATA disk to
 * the block layer ("sda", ...).  ATAPI devices (CD-ROMs) are logged and
 * left alone.
 *
 * A channel runs one command at a time for its two devices, which share
 * its registers.  Each drive keeps at most one request with the driver
 * (ad_owned; d_strategy says -EAGAIN to the next, which stays in the block
 * layer's queue to be merged); a request whose drive's turn has come
 * waits on the channel's queue while the other drive's command runs.
 * Each command is driven by the channel's interrupt:
 * bus-master DMA when the device, the controller and the buffer allow it,
 * else PIO with one interrupt per sector.  A callout fails a command
 * that does not complete in time with -EIO and resets the channel.
 *
 * Locks protecting members of these structs:
 *	I	set before the disk is attached, then read-only
 *	c	ach_lock (a spin lock: the interrupt handler takes it)
 * Lock order: ach_lock, then callout_lock; bio_done() is called with no
 * lock held.
 */
#ifndef _DEV_ATA_ATAVAR_H_
#define _DEV_ATA_ATAVAR_H_

#include <sys/types.h>
#include <sys/param.h>
#include <sys/callout.h>
#include <sys/disk.h>
#include <sys/lock.h>

#include <dev/ata/atareg.h>

struct ata_channel;

struct ata_drive {
	struct ata_channel *ad_chan;	/* [I] */
	int		 ad_unit;	/* [I] 0 or 1 on the channel */
	bool		 ad_lba48;	/* [I] LBA48 commands supported */
	bool		 ad_dma;	/* [I] a DMA mode was set */
	bool		 ad_flush_ext;	/* [I] FLUSH CACHE EXT supported */
	char		 ad_xfer[8];	/* [I] "UDMA5", "MWDMA2", "PIO" */
	uint64_t	 ad_nsectors;	/* [I] capacity, 512-byte sectors */
	char		 ad_model[41];	/* [I] IDENTIFY's, trimmed */
	char		 ad_serial[21];	/* [I] */
	char		 ad_fwrev[9];	/* [I] */
	struct disk	 ad_disk;	/* [I] ours; the block layer's fields */
	bool		 ad_owned;	/* [c] a request of ours is with us */
	/* Knobs for the ktests (dev/ata/ata_ktest.c). */
	bool		 ad_force_pio;	/* [c] no DMA for new commands */
	bool		 ad_force_lba48; /* [c] EXT commands for every range */
	/* Commands completed, by kind, and failed (for the log, ktests). */
	uint64_t	 ad_ndma;	/* [c] */
	uint64_t	 ad_npio;	/* [c] */
	uint64_t	 ad_nlba48;	/* [c] */
	uint64_t	 ad_nerror;	/* [c] */
};

/* What the channel is doing. */
enum ata_xfer {
	ATA_XFER_NONE = 0,		/* idle */
	ATA_XFER_PIO_IN,
	ATA_XFER_PIO_OUT,
	ATA_XFER_DMA,
	ATA_XFER_NODATA,		/* FLUSH CACHE */
};

/*
 * The largest request: 1 MiB with LBA48 (a PRD table of 257 entries fits
 * its page), 256 sectors (128 KiB) with LBA28 only.  Room in a channel's
 * PRD table: a request's page pieces, and one more.
 */
#define ATA_MAXIO		(1024 * 1024)
#define ATA_MAXPRD		(ATA_MAXIO / PAGE_SIZE + 1)
/* A command that takes longer than this fails and resets the channel. */
#define ATA_TIMEOUT_NS		(10ULL * 1000 * 1000 * 1000)

struct ata_channel {
	struct spinlock	 ach_lock;
	char		 ach_name[8];	/* [I] "ata0" */
	uint16_t	 ach_cmd;	/* [I] command block base port */
	uint16_t	 ach_ctl;	/* [I] control register port */
	uint16_t	 ach_bm;	/* [I] bus master base port, 0: none */
	bool		 ach_shared;	/* [I] INTx: check BM_S_INTR first */
	struct ata_prd	*ach_prd;	/* [I] PRD table (one page), or NULL */
	paddr_t		 ach_prd_pa;	/* [I] */
	struct ata_drive *ach_drive[2];	/* [I] ATA disks, NULL: none */

	/* The command in progress. */
	enum ata_xfer	 ach_xfer;	/* [c] */
	struct bio	*ach_active;	/* [c] its request */
	struct ata_drive *ach_adrive;	/* [c] its device */
	uint8_t		*ach_pio_buf;	/* [c] PIO: the next sector's data */
	uint32_t	 ach_pio_left;	/* [c] PIO: sectors still to move */
	uint64_t	 ach_deadline;	/* [c] monotonic ns it times out at */
	struct callout	 ach_timeout;	/* [c] */
	int		 ach_selected;	/* [c] last unit selected, -1 */

	struct bio	*ach_qhead;	/* [c] waiting requests, FIFO */
	struct bio	**ach_qtail;	/* [c] */
	uint64_t	 ach_nintr;	/* [c] interrupts handled */
	uint64_t	 ach_nstray;	/* [c] with no command pending */
};

/*
 * Reset ch (its ports and bus master block filled in by the controller),
 * identify its devices and attach its ATA disks.  The controller routes
 * the interrupt to ata_intr(ch) before calling.  Boot, may sleep.
 * Returns the number of disks attached (0 is not an error).
 */
int	ata_channel_attach(struct ata_channel *ch);
/*
 * The channel's interrupt: finish or continue the command in progress,
 * start the next.  Interrupt context; takes ach_lock.
 */
void	ata_intr(void *arg);

/* Every ATA disk attached, in order (ktests, the log). */
#define ATA_MAXDRIVES		8
struct ata_drive *ata_drive_get(int i);

#endif /* _DEV_ATA_ATAVAR_H_ */
