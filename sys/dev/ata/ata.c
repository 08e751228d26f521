/*
 * ATA disks on a parallel-ATA (IDE) channel: reset, IDENTIFY, and reads,
 * writes and cache flushes driven by the channel's interrupt, with
 * bus-master DMA or PIO.  The controller glue (dev/ata/pciide.c) finds
 * the channels; the block layer (sys/disk.h) sends the requests.
 *
 * A command's life (ATA-6 9, "protocol"): wait until the channel is not
 * busy, write the task file (device, count, LBA; for LBA48 the high-order
 * bytes first, ATA-6 6.20), write the command, and for DMA start the bus
 * master.  The device raises INTRQ when the DMA transfer is over, or, for
 * PIO, each time it has a sector for us (reads) or wants the next one
 * (writes), and once more at the end of a write.  Reading the status
 * register acknowledges the interrupt.
 *
 * Probing and IDENTIFY run at attach with the device's interrupt off
 * (nIEN) and poll the alternate status register; everything afterwards is
 * interrupt driven.  See dev/ata/atavar.h for the locking.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/callout.h>
#include <sys/clock.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>

#include <dev/ata/atareg.h>
#include <dev/ata/atavar.h>

/* Polling limits during probing and command setup, in microseconds. */
#define ATA_RESET_US		(3 * 1000 * 1000)
#define ATA_IDENTIFY_US		(1000 * 1000)
#define ATA_DRQ_US		(1000 * 1000)
#define ATA_IDLE_US		(100 * 1000)

static struct ata_drive *ata_drives[ATA_MAXDRIVES];	/* [B] */
static int ata_ndrives;					/* [B] */

/* A list of finished requests, handed to bio_done() with no lock held. */
struct ata_donelist {
	struct bio	*dl_head;
	struct bio	**dl_tail;
};

static void ata_start_next(struct ata_channel *ch, struct ata_donelist *dl);

static inline uint8_t
ata_altstatus(struct ata_channel *ch)
{
	return inb(ch->ach_ctl + ATA_ALTSTATUS);
}

/*
 * The 400 ns a device may take to show a valid status after a command or
 * a device selection (ATA-6 9.2): four reads of the alternate status.
 */
static void
ata_delay400(struct ata_channel *ch)
{
	int i;

	for (i = 0; i < 4; i++)
		(void)ata_altstatus(ch);
}

/*
 * Poll the alternate status until BSY is clear and (status & mask) ==
 * want, or an error shows.  Returns the status, or -ETIMEDOUT after us
 * microseconds.
 */
static int
ata_wait(struct ata_channel *ch, uint8_t mask, uint8_t want, uint64_t us)
{
	uint64_t waited;
	uint8_t s;

	for (waited = 0;; waited += 10) {
		s = ata_altstatus(ch);
		if ((s & ATA_S_BSY) == 0 &&
		    ((s & mask) == want || (s & (ATA_S_ERR | ATA_S_DF)) != 0))
			return s;
		if (waited >= us)
			return -ETIMEDOUT;
		delay_us(10);
	}
}

static inline void
ata_insw(uint16_t port, void *buf, size_t nwords)
{
	__asm__ volatile("rep insw" : "+D"(buf), "+c"(nwords) : "d"(port)
	    : "memory");
}

static inline void
ata_outsw(uint16_t port, const void *buf, size_t nwords)
{
	__asm__ volatile("rep outsw" : "+S"(buf), "+c"(nwords) : "d"(port)
	    : "memory");
}

static void
ata_donelist_init(struct ata_donelist *dl)
{
	dl->dl_head = NULL;
	dl->dl_tail = &dl->dl_head;
}

static void
ata_donelist_add(struct ata_donelist *dl, struct bio *bp, int error)
{
	((struct ata_drive *)bp->bio_driver)->ad_owned = false;
	bp->bio_error = error;
	bp->bio_next = NULL;
	*dl->dl_tail = bp;
	dl->dl_tail = &bp->bio_next;
}

/* Complete the listed requests; no lock may be held. */
static void
ata_donelist_run(struct ata_donelist *dl)
{
	struct bio *bp, *next;

	for (bp = dl->dl_head; bp != NULL; bp = next) {
		next = bp->bio_next;
		bp->bio_next = NULL;
		bio_done(bp);
	}
}

/* Stop the bus master and clear its error and interrupt bits. */
static uint8_t
ata_bm_stop(struct ata_channel *ch)
{
	uint8_t bms;

	outb(ch->ach_bm + BM_COMMAND, 0);
	bms = inb(ch->ach_bm + BM_STATUS);
	outb(ch->ach_bm + BM_STATUS, (bms & (BM_S_DRV0_DMA | BM_S_DRV1_DMA)) |
	    BM_S_ERR | BM_S_INTR);
	return bms;
}

/*
 * Software reset of both devices of ch (ATA-6 9.3), leaving their
 * interrupt off; polls.  Returns 0, or -ETIMEDOUT when BSY stays set.
 */
static int
ata_reset(struct ata_channel *ch)
{
	outb(ch->ach_ctl + ATA_DEVCTL, ATA_DEVCTL_NIEN | ATA_DEVCTL_SRST);
	delay_us(10);
	outb(ch->ach_ctl + ATA_DEVCTL, ATA_DEVCTL_NIEN);
	delay_us(2000);
	ch->ach_selected = -1;
	if (ata_wait(ch, 0, 0, ATA_RESET_US) < 0)
		return -ETIMEDOUT;
	return 0;
}

/* Select unit for the next command (writes the device register). */
static void
ata_select(struct ata_channel *ch, int unit, uint8_t extra)
{
	outb(ch->ach_cmd + ATA_DEVICE, ATA_DEV_OBS | extra |
	    (unit ? ATA_DEV_DEV1 : 0));
	if (ch->ach_selected != unit) {
		ata_delay400(ch);
		ch->ach_selected = unit;
	}
}

/* Is there an ATAPI signature in LBA mid/high (ATA-6 9.12)? */
static bool
ata_atapi_signature(struct ata_channel *ch)
{
	uint8_t mid = inb(ch->ach_cmd + ATA_LBA_MID);
	uint8_t high = inb(ch->ach_cmd + ATA_LBA_HIGH);

	return (mid == ATA_SIG_ATAPI_MID && high == ATA_SIG_ATAPI_HIGH) ||
	    (mid == ATA_SIG_SATAPI_MID && high == ATA_SIG_SATAPI_HIGH);
}

/*
 * Run an IDENTIFY-style PIO-in command (IDENTIFY DEVICE or IDENTIFY
 * PACKET DEVICE) on unit by polling, with the interrupt off.  Returns 0
 * with the 256 words in id, -ENODEV when no device answers, -EMEDIUMTYPE
 * when IDENTIFY DEVICE finds a packet (ATAPI) device: its signature is
 * there after the reset, or after the aborted command; or -EIO.
 */
static int
ata_identify_cmd(struct ata_channel *ch, int unit, uint8_t cmd, uint16_t *id,
    const char **why)
{
	uint16_t port = ch->ach_cmd;
	int s;

	ata_select(ch, unit, 0);
	s = inb(port + ATA_STATUS);
	/* A packet device shows status 0 after a reset (ATA-6 9.12). */
	if (cmd == ATA_IDENTIFY_DEVICE && ata_atapi_signature(ch))
		return -EMEDIUMTYPE;
	if (s == 0xff || (s == 0 && cmd == ATA_IDENTIFY_DEVICE)) {
		*why = s ? "status 0xff: no drive" : "status 0: no drive";
		return -ENODEV;
	}
	outb(port + ATA_FEATURES, 0);
	outb(port + ATA_SECCNT, 0);
	outb(port + ATA_LBA_LOW, 0);
	outb(port + ATA_LBA_MID, 0);
	outb(port + ATA_LBA_HIGH, 0);
	outb(port + ATA_COMMAND, cmd);
	ata_delay400(ch);
	if (ata_altstatus(ch) == 0) {
		*why = "status 0 after IDENTIFY";
		return -ENODEV;
	}
	if ((s = ata_wait(ch, ATA_S_DRQ, ATA_S_DRQ, ATA_IDENTIFY_US)) < 0) {
		*why = "no data within a second of IDENTIFY";
		return -ENODEV;
	}
	if (cmd == ATA_IDENTIFY_DEVICE && ata_atapi_signature(ch)) {
		(void)inb(port + ATA_STATUS);
		return -EMEDIUMTYPE;
	}
	if ((s & (ATA_S_ERR | ATA_S_DF)) != 0) {
		(void)inb(port + ATA_STATUS);
		return -EIO;
	}
	ata_insw(port + ATA_DATA, id, ATA_ID_WORDS);
	(void)inb(port + ATA_STATUS);
	return 0;
}

/*
 * Copy an IDENTIFY string (two characters a word, the first in the high
 * byte: ATA-6 3.2.9) of nwords words into out, without the padding.
 */
static void
ata_id_string(const uint16_t *id, int word, int nwords, char *out)
{
	int i, n = 0, start = 0;

	for (i = 0; i < nwords; i++) {
		out[n++] = (char)(id[word + i] >> 8);
		out[n++] = (char)(id[word + i] & 0xff);
	}
	while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\0'))
		n--;
	while (start < n && out[start] == ' ')
		start++;
	memmove(out, out + start, n - start);
	out[n - start] = '\0';
	for (i = 0; out[i] != '\0'; i++)
		if (out[i] < 0x20 || out[i] > 0x7e)
			out[i] = '?';
}

/* The index of the highest bit set in the low nbits of v, or -1. */
static int
ata_highest_mode(uint16_t v, int nbits)
{
	int i;

	for (i = nbits - 1; i >= 0; i--)
		if (v & (1u << i))
			return i;
	return -1;
}

/*
 * Choose and set the fastest DMA mode both ad and its channel support
 * (SET FEATURES, "set transfer mode": ACS-2 7.45.8), by polling.  The
 * controller's timing registers are left as the firmware set them.
 * Leaves ad->ad_dma false and ad_xfer "PIO" when there is no DMA.
 */
static void
ata_set_dma_mode(struct ata_drive *ad, const uint16_t *id)
{
	struct ata_channel *ch = ad->ad_chan;
	uint16_t port = ch->ach_cmd;
	int mode, s;
	uint8_t xfer, bms;

	strlcpy(ad->ad_xfer, "PIO", sizeof(ad->ad_xfer));
	if (ch->ach_bm == 0 || ch->ach_prd == NULL ||
	    (id[ATA_ID_CAPS] & ATA_ID_CAPS_DMA) == 0)
		return;
	if ((id[ATA_ID_VALID] & ATA_ID_VALID_88) != 0 &&
	    (mode = ata_highest_mode(id[ATA_ID_UDMA], 7)) >= 0) {
		xfer = ATA_XFER_UDMA | mode;
		ksnprintf(ad->ad_xfer, sizeof(ad->ad_xfer), "UDMA%d", mode);
	} else if ((mode = ata_highest_mode(id[ATA_ID_MWDMA], 3)) >= 0) {
		xfer = ATA_XFER_MWDMA | mode;
		ksnprintf(ad->ad_xfer, sizeof(ad->ad_xfer), "MWDMA%d", mode);
	} else {
		strlcpy(ad->ad_xfer, "PIO", sizeof(ad->ad_xfer));
		return;
	}

	ata_select(ch, ad->ad_unit, 0);
	outb(port + ATA_FEATURES, ATA_SF_XFER_MODE);
	outb(port + ATA_SECCNT, xfer);
	outb(port + ATA_COMMAND, ATA_SET_FEATURES);
	ata_delay400(ch);
	s = ata_wait(ch, 0, 0, ATA_IDENTIFY_US);
	(void)inb(port + ATA_STATUS);
	if (s < 0 || (s & (ATA_S_ERR | ATA_S_DF)) != 0) {
		klog(ch->ach_name, "unit %d refused transfer mode %s: PIO only",
		    ad->ad_unit, ad->ad_xfer);
		strlcpy(ad->ad_xfer, "PIO", sizeof(ad->ad_xfer));
		return;
	}
	/* Tell the controller this device is set up for DMA (SFF-8038i). */
	bms = inb(ch->ach_bm + BM_STATUS) & (BM_S_DRV0_DMA | BM_S_DRV1_DMA);
	outb(ch->ach_bm + BM_STATUS,
	    bms | (ad->ad_unit ? BM_S_DRV1_DMA : BM_S_DRV0_DMA));
	ad->ad_dma = true;
}

/*
 * Make a drive of an ATA device's IDENTIFY data, or refuse it (logged):
 * returns the drive or NULL with *errp set.
 */
static struct ata_drive *
ata_drive_create(struct ata_channel *ch, int unit, const uint16_t *id,
    int *errp)
{
	struct ata_drive *ad;
	uint32_t words;
	uint16_t ss;

	if ((id[ATA_ID_CONFIG] & ATA_ID_CONFIG_ATAPI) != 0) {
		klog(ch->ach_name, "unit %d: not an ATA device (word 0 %#x)",
		    unit, id[ATA_ID_CONFIG]);
		*errp = -ENODEV;
		return NULL;
	}
	if ((id[ATA_ID_CAPS] & ATA_ID_CAPS_LBA) == 0) {
		klog(ch->ach_name, "unit %d: CHS-only device not supported",
		    unit);
		*errp = -EOPNOTSUPP;
		return NULL;
	}
	ss = id[ATA_ID_SECSIZE];
	if ((ss & 0xc000) == ATA_ID_SECSIZE_VALID &&
	    (ss & ATA_ID_SECSIZE_LARGE) != 0) {
		words = id[ATA_ID_LSECSIZE] | (uint32_t)id[ATA_ID_LSECSIZE + 1]
		    << 16;
		if (words != ATA_SECSIZE / 2) {
			klog(ch->ach_name, "unit %d: %u-byte logical sectors "
			    "not supported", unit, words * 2);
			*errp = -EOPNOTSUPP;
			return NULL;
		}
	}
	if ((ad = kmalloc(sizeof(*ad), M_ZERO)) == NULL) {
		*errp = -ENOMEM;
		return NULL;
	}
	ad->ad_chan = ch;
	ad->ad_unit = unit;
	ata_id_string(id, ATA_ID_MODEL, 20, ad->ad_model);
	ata_id_string(id, ATA_ID_SERIAL, 10, ad->ad_serial);
	ata_id_string(id, ATA_ID_FWREV, 4, ad->ad_fwrev);
	ad->ad_lba48 = (id[ATA_ID_CMDSET2] & ATA_ID_CMDSET2_LBA48) != 0 &&
	    (id[ATA_ID_CMDSET2_EN] & ATA_ID_CMDSET2_LBA48) != 0;
	if (ad->ad_lba48)
		ad->ad_nsectors = (uint64_t)id[ATA_ID_LBA48_SECS] |
		    (uint64_t)id[ATA_ID_LBA48_SECS + 1] << 16 |
		    (uint64_t)id[ATA_ID_LBA48_SECS + 2] << 32 |
		    (uint64_t)id[ATA_ID_LBA48_SECS + 3] << 48;
	else
		ad->ad_nsectors = (uint64_t)id[ATA_ID_LBA28_SECS] |
		    (uint64_t)id[ATA_ID_LBA28_SECS + 1] << 16;
	if (ad->ad_nsectors == 0) {
		klog(ch->ach_name, "unit %d: \"%s\" reports no sectors", unit,
		    ad->ad_model);
		kfree(ad);
		*errp = -ENODEV;
		return NULL;
	}
	ad->ad_flush_ext = ad->ad_lba48 &&
	    (id[ATA_ID_CMDSET2] & ATA_ID_CMDSET2_FLUSHX) != 0;
	if ((id[ATA_ID_CMDSET1] & ATA_ID_CMDSET1_WCACHE) != 0 &&
	    (id[ATA_ID_CMDSET2] & ATA_ID_CMDSET2_FLUSH) != 0)
		ad->ad_disk.d_flags |= DISK_CANFLUSH;
	ata_set_dma_mode(ad, id);
	*errp = 0;
	return ad;
}

/*
 * Identify unit of ch; log what is there.  Returns a new drive for an ATA
 * disk, else NULL (nothing there, an ATAPI device, or one we refuse).
 */
static struct ata_drive *
ata_probe_unit(struct ata_channel *ch, int unit, uint16_t *id)
{
	const char *which = unit ? "slave" : "master", *why = NULL;
	char model[41];
	int error;

	error = ata_identify_cmd(ch, unit, ATA_IDENTIFY_DEVICE, id, &why);
	if (error == -EMEDIUMTYPE) {
		if (ata_identify_cmd(ch, unit, ATA_IDENTIFY_PACKET, id,
		    &why) == 0)
			ata_id_string(id, ATA_ID_MODEL, 20, model);
		else
			strlcpy(model, "?", sizeof(model));
		klog(ch->ach_name, "%s: ATAPI device \"%s\" ignored (packet "
		    "commands are not supported)", which, model);
		return NULL;
	}
	if (error == -ENODEV) {
		/* Said, so that a drive too slow to answer is not silent. */
		klog(ch->ach_name, "%s: nothing (%s)", which, why);
		return NULL;
	}
	if (error < 0) {
		klog(ch->ach_name, "%s: IDENTIFY DEVICE failed (error %d)",
		    which, error);
		return NULL;
	}
	return ata_drive_create(ch, unit, id, &error);
}

/* Does va lie in memory the bus master can reach?  Its address in *pa. */
static int
ata_vtophys(uintptr_t va, paddr_t *pa)
{
	if (va >= DMAP_BASE && va - DMAP_BASE < DMAP_MAXSIZE)
		*pa = DMAP_TO_PHYS(va);
	else if (va >= KERNBASE)
		*pa = KVA_TO_PHYS(va);
	else
		return -EFAULT;
	return 0;
}

/*
 * Describe bp's buffer in ch's PRD table, one entry per physically
 * contiguous run that stays within a 64 KiB block (SFF-8038i 1.2).
 * Returns 0, or -EINVAL when the buffer cannot be reached by a 32-bit
 * bus master (the request then goes by PIO).
 */
static int
ata_prd_load(struct ata_channel *ch, struct bio *bp)
{
	uintptr_t va = (uintptr_t)bp->bio_data;
	size_t left = bp->bio_len;
	uint32_t start = 0, count = 0, piece;
	paddr_t pa;
	size_t n = 0;

	KASSERT(spin_held(&ch->ach_lock), "ata_prd_load: ach_lock");
	while (left > 0) {
		piece = PAGE_SIZE - (va & PAGE_MASK);
		if (piece > left)
			piece = left;
		if (ata_vtophys(va, &pa) < 0 || (pa & 1) != 0 ||
		    pa + piece > (1ULL << 32))
			return -EINVAL;
		if (count > 0 && start + count == pa &&
		    (start >> 16) == ((pa + piece - 1) >> 16)) {
			count += piece;
		} else {
			if (count > 0) {
				ch->ach_prd[n].prd_addr = start;
				ch->ach_prd[n].prd_count = count & 0xffff;
				ch->ach_prd[n].prd_flags = 0;
				n++;
			}
			if (n >= ATA_MAXPRD)
				return -EINVAL;
			start = pa;
			count = piece;
		}
		va += piece;
		left -= piece;
	}
	ch->ach_prd[n].prd_addr = start;
	ch->ach_prd[n].prd_count = count & 0xffff;
	ch->ach_prd[n].prd_flags = PRD_EOT;
	return 0;
}

/*
 * Write the task file for a transfer of nsec sectors at lba (ATA-6 6.20:
 * for the EXT commands, the previous content of each register is the
 * high-order byte, so those go first) and the command.
 */
static void
ata_taskfile(struct ata_channel *ch, int unit, bool ext, uint64_t lba,
    uint32_t nsec, uint8_t cmd)
{
	uint16_t port = ch->ach_cmd;

	if (ext) {
		ata_select(ch, unit, ATA_DEV_LBA);
		outb(port + ATA_SECCNT, (nsec >> 8) & 0xff);
		outb(port + ATA_LBA_LOW, (lba >> 24) & 0xff);
		outb(port + ATA_LBA_MID, (lba >> 32) & 0xff);
		outb(port + ATA_LBA_HIGH, (lba >> 40) & 0xff);
	} else {
		ata_select(ch, unit, ATA_DEV_LBA | ((lba >> 24) & 0x0f));
	}
	outb(port + ATA_SECCNT, nsec & 0xff);
	outb(port + ATA_LBA_LOW, lba & 0xff);
	outb(port + ATA_LBA_MID, (lba >> 8) & 0xff);
	outb(port + ATA_LBA_HIGH, (lba >> 16) & 0xff);
	outb(port + ATA_COMMAND, cmd);
}

/* Pick the command for a transfer. */
static uint8_t
ata_rw_command(bool write, bool ext, bool dma)
{
	if (dma)
		return write ? (ext ? ATA_WRITE_DMA_EXT : ATA_WRITE_DMA) :
		    (ext ? ATA_READ_DMA_EXT : ATA_READ_DMA);
	return write ? (ext ? ATA_WRITE_SECTORS_EXT : ATA_WRITE_SECTORS) :
	    (ext ? ATA_READ_SECTORS_EXT : ATA_READ_SECTORS);
}

/*
 * Start a read or write of bp on ch.  Returns 0 when the command is
 * running, or -errno (nothing running).
 */
static int
ata_start_rw(struct ata_channel *ch, struct ata_drive *ad, struct bio *bp)
{
	bool write = bp->bio_cmd == BIO_WRITE;
	uint32_t nsec = bp->bio_len / ATA_SECSIZE;
	uint64_t lba = bp->bio_sector;
	bool ext, dma;
	int s;

	KASSERT(spin_held(&ch->ach_lock), "ata_start_rw: ach_lock");
	KASSERT(bp->bio_len % ATA_SECSIZE == 0 && nsec > 0 &&
	    bp->bio_len <= ATA_MAXIO && lba + nsec <= ad->ad_nsectors,
	    "ata: request outside the disk or unaligned");
	ext = ad->ad_force_lba48 || lba + nsec > ATA_LBA28_LIMIT ||
	    nsec > ATA_LBA28_MAXSECS;
	if (ext && !ad->ad_lba48)
		return -EIO;
	dma = ad->ad_dma && !ad->ad_force_pio && ata_prd_load(ch, bp) == 0;

	if (dma) {
		(void)ata_bm_stop(ch);
		outl(ch->ach_bm + BM_PRD_ADDR, (uint32_t)ch->ach_prd_pa);
		outb(ch->ach_bm + BM_COMMAND, write ? 0 : BM_CMD_READ);
	}
	ata_taskfile(ch, ad->ad_unit, ext, lba, nsec,
	    ata_rw_command(write, ext, dma));
	if (ext)
		ad->ad_nlba48++;
	if (dma) {
		outb(ch->ach_bm + BM_COMMAND, (write ? 0 : BM_CMD_READ) |
		    BM_CMD_START);
		ch->ach_xfer = ATA_XFER_DMA;
		return 0;
	}
	ch->ach_pio_buf = bp->bio_data;
	ch->ach_pio_left = nsec;
	if (!write) {
		ch->ach_xfer = ATA_XFER_PIO_IN;
		return 0;
	}
	/* PIO out: the first sector goes when DRQ shows (ATA-6 9.8). */
	ata_delay400(ch);
	s = ata_wait(ch, ATA_S_DRQ, ATA_S_DRQ, ATA_DRQ_US);
	if (s < 0 || (s & (ATA_S_ERR | ATA_S_DF)) != 0) {
		klog(ch->ach_name, "unit %d: no DRQ for a write at %llu "
		    "(status %#x)", ad->ad_unit, (unsigned long long)lba,
		    s < 0 ? 0xff : s);
		(void)inb(ch->ach_cmd + ATA_STATUS);
		return -EIO;
	}
	ata_outsw(ch->ach_cmd + ATA_DATA, ch->ach_pio_buf, ATA_SECSIZE / 2);
	ch->ach_pio_buf += ATA_SECSIZE;
	ch->ach_pio_left--;
	ch->ach_xfer = ATA_XFER_PIO_OUT;
	return 0;
}

static void ata_timeout(void *arg);

/*
 * Start bp on the idle channel ch.  Returns 0 when a command runs, 1 when
 * bp is finished already (a flush with no cache to flush), or -errno.
 */
static int
ata_start(struct ata_channel *ch, struct bio *bp)
{
	struct ata_drive *ad = bp->bio_driver;
	int error;

	KASSERT(spin_held(&ch->ach_lock), "ata_start: ach_lock");
	KASSERT(ch->ach_xfer == ATA_XFER_NONE, "ata_start: channel busy");
	if ((ata_altstatus(ch) & (ATA_S_BSY | ATA_S_DRQ)) != 0 &&
	    ata_wait(ch, ATA_S_DRQ, 0, ATA_IDLE_US) < 0) {
		klog(ch->ach_name, "channel stays busy (status %#x)",
		    ata_altstatus(ch));
		return -EIO;
	}
	switch (bp->bio_cmd) {
	case BIO_READ:
	case BIO_WRITE:
		if ((error = ata_start_rw(ch, ad, bp)) < 0)
			return error;
		break;
	case BIO_FLUSH:
		if ((ad->ad_disk.d_flags & DISK_CANFLUSH) == 0)
			return 1;
		ata_select(ch, ad->ad_unit, 0);
		outb(ch->ach_cmd + ATA_COMMAND, ad->ad_flush_ext ?
		    ATA_FLUSH_CACHE_EXT : ATA_FLUSH_CACHE);
		ch->ach_xfer = ATA_XFER_NODATA;
		break;
	default:
		return -EOPNOTSUPP;
	}
	ch->ach_active = bp;
	ch->ach_adrive = ad;
	ch->ach_deadline = clock_monotonic_ns() + ATA_TIMEOUT_NS;
	callout_reset(&ch->ach_timeout, ch->ach_deadline, ata_timeout, ch);
	return 0;
}

/* Start waiting requests until one runs or none is left. */
static void
ata_start_next(struct ata_channel *ch, struct ata_donelist *dl)
{
	struct bio *bp;
	int error;

	KASSERT(spin_held(&ch->ach_lock), "ata_start_next: ach_lock");
	while (ch->ach_xfer == ATA_XFER_NONE && ch->ach_qhead != NULL) {
		bp = ch->ach_qhead;
		if ((ch->ach_qhead = bp->bio_next) == NULL)
			ch->ach_qtail = &ch->ach_qhead;
		bp->bio_next = NULL;
		if ((error = ata_start(ch, bp)) != 0) {
			if (error < 0)
				((struct ata_drive *)bp->bio_driver)->
				    ad_nerror++;
			ata_donelist_add(dl, bp, error < 0 ? error : 0);
		}
	}
}

/* The command in progress ended with error (0 or -EIO): on to the next. */
static void
ata_finish(struct ata_channel *ch, int error, struct ata_donelist *dl)
{
	struct ata_drive *ad = ch->ach_adrive;
	struct bio *bp = ch->ach_active;

	KASSERT(spin_held(&ch->ach_lock), "ata_finish: ach_lock");
	if (error < 0) {
		ad->ad_nerror++;
		klog(ch->ach_name, "unit %d: %s of %zu bytes at sector %llu "
		    "failed: status %#x error %#x", ad->ad_unit,
		    bp->bio_cmd == BIO_WRITE ? "write" : bp->bio_cmd ==
		    BIO_READ ? "read" : "flush", bp->bio_len,
		    (unsigned long long)bp->bio_sector,
		    ata_altstatus(ch), inb(ch->ach_cmd + ATA_ERROR));
	} else if (ch->ach_xfer == ATA_XFER_DMA) {
		ad->ad_ndma++;
	} else if (ch->ach_xfer != ATA_XFER_NODATA) {
		ad->ad_npio++;
	}
	(void)callout_stop(&ch->ach_timeout);
	ch->ach_xfer = ATA_XFER_NONE;
	ch->ach_active = NULL;
	ch->ach_adrive = NULL;
	ata_donelist_add(dl, bp, error);
	ata_start_next(ch, dl);
}

/*
 * One interrupt for the command in progress, status s (already read,
 * which acknowledged it).  Returns true when the command is over, with
 * *errorp set.
 */
static bool
ata_intr_step(struct ata_channel *ch, uint8_t s, int *errorp)
{
	uint16_t data = ch->ach_cmd + ATA_DATA;
	uint8_t bms;

	*errorp = (s & (ATA_S_ERR | ATA_S_DF)) != 0 ? -EIO : 0;
	switch (ch->ach_xfer) {
	case ATA_XFER_DMA:
		/* SFF-8038i 3: stop the engine, then look at both statuses. */
		bms = ata_bm_stop(ch);
		if ((bms & (BM_S_ERR | BM_S_ACTIVE)) != 0)
			*errorp = -EIO;
		return true;
	case ATA_XFER_PIO_IN:
		if (*errorp < 0)
			return true;
		if ((s & ATA_S_DRQ) == 0) {
			*errorp = -EIO;
			return true;
		}
		ata_insw(data, ch->ach_pio_buf, ATA_SECSIZE / 2);
		ch->ach_pio_buf += ATA_SECSIZE;
		return --ch->ach_pio_left == 0;
	case ATA_XFER_PIO_OUT:
		if (*errorp < 0 || ch->ach_pio_left == 0)
			return true;
		if ((s & ATA_S_DRQ) == 0) {
			*errorp = -EIO;
			return true;
		}
		ata_outsw(data, ch->ach_pio_buf, ATA_SECSIZE / 2);
		ch->ach_pio_buf += ATA_SECSIZE;
		ch->ach_pio_left--;
		return false;
	case ATA_XFER_NODATA:
	case ATA_XFER_NONE:
		break;
	}
	return true;
}

/*
 * The channel's interrupt handler (see atavar.h).  On a shared INTx line
 * the bus master's interrupt bit tells whether the interrupt is ours.
 */
void
ata_intr(void *arg)
{
	struct ata_channel *ch = arg;
	struct ata_donelist dl;
	uint8_t s, bms = 0;
	int error;

	ata_donelist_init(&dl);
	spin_lock(&ch->ach_lock);
	if (ch->ach_bm != 0) {
		bms = inb(ch->ach_bm + BM_STATUS);
		if (ch->ach_shared && (bms & BM_S_INTR) == 0)
			goto out;
	}
	if ((ata_altstatus(ch) & ATA_S_BSY) != 0)
		goto out;
	s = inb(ch->ach_cmd + ATA_STATUS);
	ch->ach_nintr++;
	if (ch->ach_bm != 0 && ch->ach_xfer != ATA_XFER_DMA)
		outb(ch->ach_bm + BM_STATUS, (bms & (BM_S_DRV0_DMA |
		    BM_S_DRV1_DMA)) | BM_S_INTR);
	if (ch->ach_xfer == ATA_XFER_NONE) {
		ch->ach_nstray++;
		goto out;
	}
	if (ata_intr_step(ch, s, &error))
		ata_finish(ch, error, &dl);
out:
	spin_unlock(&ch->ach_lock);
	ata_donelist_run(&dl);
}

/*
 * A command ran past its deadline: fail it with -EIO, reset the channel
 * (the devices keep their transfer modes across a software reset unless
 * told otherwise, ACS-2 7.45.14) and go on.  Callout context.
 */
static void
ata_timeout(void *arg)
{
	struct ata_channel *ch = arg;
	struct ata_donelist dl;

	ata_donelist_init(&dl);
	spin_lock(&ch->ach_lock);
	/* A late run for a command that finished: a newer one is armed. */
	if (ch->ach_xfer == ATA_XFER_NONE ||
	    clock_monotonic_ns() < ch->ach_deadline)
		goto out;
	klog(ch->ach_name, "unit %d: command timed out (status %#x); "
	    "resetting the channel", ch->ach_adrive->ad_unit,
	    ata_altstatus(ch));
	if (ch->ach_bm != 0)
		(void)ata_bm_stop(ch);
	if (ata_reset(ch) < 0)
		klog(ch->ach_name, "reset failed: the channel stays busy");
	outb(ch->ach_ctl + ATA_DEVCTL, 0);
	ata_finish(ch, -EIO, &dl);
out:
	spin_unlock(&ch->ach_lock);
	ata_donelist_run(&dl);
}

/*
 * The block layer's entry (struct disk's d_strategy).  Each drive has at
 * most one request with us, running or waiting for the channel: while it
 * has one, -EAGAIN keeps the rest in the block layer's queue, where they
 * can still be merged, and its completion asks again.  A request of the
 * other drive waits its turn on the channel queue (it would never be
 * asked for again if we refused it: its drive has nothing in flight).
 */
static int
ata_strategy(struct disk *dp, struct bio *bp)
{
	struct ata_drive *ad = dp->d_softc;
	struct ata_channel *ch = ad->ad_chan;
	struct ata_donelist dl;

	ata_donelist_init(&dl);
	spin_lock(&ch->ach_lock);
	if (ad->ad_owned) {
		spin_unlock(&ch->ach_lock);
		return -EAGAIN;
	}
	ad->ad_owned = true;
	bp->bio_driver = ad;
	bp->bio_next = NULL;
	*ch->ach_qtail = bp;
	ch->ach_qtail = &bp->bio_next;
	ata_start_next(ch, &dl);
	spin_unlock(&ch->ach_lock);
	ata_donelist_run(&dl);
	return 0;
}

/* Hand ad to the block layer and log it.  Returns 0 or -errno. */
static int
ata_drive_attach(struct ata_drive *ad)
{
	struct ata_channel *ch = ad->ad_chan;
	struct disk *dp = &ad->ad_disk;
	int error;

	if (ata_ndrives >= ATA_MAXDRIVES) {
		klog(ch->ach_name, "unit %d: too many ATA disks", ad->ad_unit);
		return -ENOSPC;
	}
	dp->d_prefix = "sd";
	dp->d_secsize = ATA_SECSIZE;
	dp->d_nsectors = ad->ad_nsectors;
	dp->d_maxio = ad->ad_lba48 ? ATA_MAXIO :
	    ATA_LBA28_MAXSECS * ATA_SECSIZE;
	dp->d_strategy = ata_strategy;
	dp->d_softc = ad;
	if ((error = disk_attach(dp)) < 0) {
		klog(ch->ach_name, "unit %d: disk_attach failed (error %d)",
		    ad->ad_unit, error);
		return error;
	}
	ata_drives[ata_ndrives++] = ad;
	klog(ch->ach_name, "%s: %s: \"%s\" %llu sectors (%llu MiB), %s, %s%s",
	    ad->ad_unit ? "slave" : "master", dp->d_name, ad->ad_model,
	    (unsigned long long)ad->ad_nsectors,
	    (unsigned long long)(ad->ad_nsectors >> 11),
	    ad->ad_lba48 ? "LBA48" : "LBA28", ad->ad_xfer,
	    (dp->d_flags & DISK_CANFLUSH) ? ", write cache" : "");
	return 0;
}

/* See atavar.h. */
int
ata_channel_attach(struct ata_channel *ch)
{
	struct ata_drive *found[2] = { NULL, NULL };
	uint16_t *id;
	int unit, n = 0;
	uint8_t s;

	spin_init(&ch->ach_lock, "ach_lock");
	ch->ach_qhead = NULL;
	ch->ach_qtail = &ch->ach_qhead;
	ch->ach_selected = -1;
	outb(ch->ach_ctl + ATA_DEVCTL, ATA_DEVCTL_NIEN);
	if ((s = inb(ch->ach_cmd + ATA_STATUS)) == 0xff) {
		klog(ch->ach_name, "no devices (floating bus)");
		return 0;
	}
	if (ata_reset(ch) < 0) {
		klog(ch->ach_name, "stays busy after a reset (status %#x): "
		    "channel ignored", ata_altstatus(ch));
		return 0;
	}
	if ((id = kmalloc(ATA_ID_WORDS * sizeof(*id), 0)) == NULL)
		return -ENOMEM;
	for (unit = 0; unit < 2; unit++)
		found[unit] = ata_probe_unit(ch, unit, id);
	kfree(id);

	/* From here the channel runs on interrupts. */
	(void)inb(ch->ach_cmd + ATA_STATUS);
	outb(ch->ach_ctl + ATA_DEVCTL, 0);
	for (unit = 0; unit < 2; unit++) {
		if (found[unit] == NULL)
			continue;
		ch->ach_drive[unit] = found[unit];
		if (ata_drive_attach(found[unit]) < 0) {
			ch->ach_drive[unit] = NULL;
			kfree(found[unit]);
			continue;
		}
		n++;
	}
	if (n == 0 && found[0] == NULL && found[1] == NULL)
		klog(ch->ach_name, "no ATA disks");
	return n;
}

/* See atavar.h.  NULL past the last. */
struct ata_drive *
ata_drive_get(int i)
{
	if (i < 0 || i >= ata_ndrives)
		return NULL;
	return ata_drives[i];
}
