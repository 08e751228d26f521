/*
 * ATA ktests, on the first ATA disk (sda on -machine pc with -drive
 * if=ide).  Without one they pass after saying so ("skipped"): ktest=all
 * also runs on machines without an IDE disk.  The data tests need the
 * test image that tests/system/suite_ata.py writes, whose every sector
 * holds ATA_KT_MAGIC, its own number and bytes derived from it; on any
 * other disk they skip too, so they never write to a disk of value.  The
 * system test fails when a ktest says it skipped.
 */

#include <sys/types.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/ktest.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/systm.h>

#include <dev/ata/atareg.h>
#include <dev/ata/atavar.h>

#define ATA_KT_MAGIC		"EclipseOS-ATA-T"	/* 16 bytes with NUL */
#define ATA_KT_MAGICLEN		16
#define ATA_KT_SCRATCH		64	/* first sector the write test uses */

/* Counters of ad, read under its channel's lock. */
struct ata_kt_counts {
	uint64_t	dma, pio, lba48, error;
};

static void
ata_kt_counts(struct ata_drive *ad, struct ata_kt_counts *c)
{
	spin_lock(&ad->ad_chan->ach_lock);
	c->dma = ad->ad_ndma;
	c->pio = ad->ad_npio;
	c->lba48 = ad->ad_nlba48;
	c->error = ad->ad_nerror;
	spin_unlock(&ad->ad_chan->ach_lock);
}

/* Set the ktest knobs of ad. */
static void
ata_kt_mode(struct ata_drive *ad, bool pio, bool lba48)
{
	spin_lock(&ad->ad_chan->ach_lock);
	ad->ad_force_pio = pio;
	ad->ad_force_lba48 = lba48;
	spin_unlock(&ad->ad_chan->ach_lock);
}

/* The test image's content of sector lba (suite_ata.py writes the same). */
static void
ata_kt_fill(uint8_t *p, uint64_t lba, uint8_t salt)
{
	int j;

	memcpy(p, ATA_KT_MAGIC, ATA_KT_MAGICLEN);
	for (j = 0; j < 8; j++)
		p[ATA_KT_MAGICLEN + j] = (uint8_t)(lba >> (8 * j));
	for (j = ATA_KT_MAGICLEN + 8; j < ATA_SECSIZE; j++)
		p[j] = (uint8_t)(lba * 7 + j + salt);
}

/* Do n sectors at lba of buf hold the pattern (salt 0: the image's)? */
static bool
ata_kt_check(const uint8_t *buf, uint64_t lba, size_t n, uint8_t salt)
{
	uint8_t want[ATA_SECSIZE];
	size_t i;

	for (i = 0; i < n; i++) {
		ata_kt_fill(want, lba + i, salt);
		if (memcmp(buf + i * ATA_SECSIZE, want, ATA_SECSIZE) != 0) {
			kprintf("ktest: ata: sector %llu differs (salt %u)\n",
			    (unsigned long long)(lba + i), salt);
			return false;
		}
	}
	return true;
}

/*
 * The first ATA disk, if it carries the test image (want_image), else
 * NULL after a "skipped" line.
 */
static struct ata_drive *
ata_kt_drive(const char *test, bool want_image)
{
	struct ata_drive *ad = ata_drive_get(0);
	uint8_t *buf;
	bool ok;

	if (ad == NULL) {
		kprintf("ktest: %s: skipped: no ATA disk\n", test);
		return NULL;
	}
	if (!want_image)
		return ad;
	if ((buf = kmalloc(ATA_SECSIZE, 0)) == NULL)
		return NULL;
	ok = disk_rw(&ad->ad_disk, BIO_READ, 0, buf, ATA_SECSIZE) == 0 &&
	    memcmp(buf, ATA_KT_MAGIC, ATA_KT_MAGICLEN) == 0;
	kfree(buf);
	if (!ok) {
		kprintf("ktest: %s: skipped: %s is not the test image\n", test,
		    ad->ad_disk.d_name);
		return NULL;
	}
	return ad;
}

/* IDENTIFY gave a model, a capacity the disk agrees with, a mode. */
KTEST(ata_identify)
{
	struct ata_drive *ad;
	size_t i, n;

	if ((ad = ata_kt_drive("ata_identify", false)) == NULL)
		return 0;
	kprintf("ktest: ata: %s model \"%s\" serial \"%s\" firmware \"%s\" "
	    "sectors %llu %s %s\n", ad->ad_disk.d_name, ad->ad_model,
	    ad->ad_serial, ad->ad_fwrev, (unsigned long long)ad->ad_nsectors,
	    ad->ad_lba48 ? "LBA48" : "LBA28", ad->ad_xfer);
	n = strlen(ad->ad_model);
	KT_ASSERT(n > 0);
	for (i = 0; i < n; i++)
		KT_ASSERT(ad->ad_model[i] >= 0x20 && ad->ad_model[i] < 0x7f);
	KT_ASSERT(ad->ad_model[n - 1] != ' ');
	KT_ASSERT(ad->ad_nsectors > 0);
	KT_ASSERT(ad->ad_disk.d_nsectors == ad->ad_nsectors);
	KT_ASSERT(strncmp(ad->ad_disk.d_name, "sd", 2) == 0);
	return 0;
}

/*
 * Read back the image's pattern: by DMA (a full 128 KiB request), by PIO,
 * with LBA48 commands, and the disk's last sector (so the capacity
 * IDENTIFY gave is the image's).
 */
KTEST(ata_pattern)
{
	struct ata_kt_counts c0, c1;
	struct ata_drive *ad;
	struct disk *dp;
	uint64_t last;
	uint8_t *buf;
	size_t nsec = ATA_MAXIO / ATA_SECSIZE;
	int error = -1;

	if ((ad = ata_kt_drive("ata_pattern", true)) == NULL)
		return 0;
	dp = &ad->ad_disk;
	if (!ad->ad_dma)
		kprintf("ktest: ata: %s has no DMA mode\n", dp->d_name);
	KT_ASSERT(ad->ad_dma);
	KT_ASSERT((buf = kmalloc(ATA_MAXIO, 0)) != NULL);
	last = ad->ad_nsectors - 1;

	ata_kt_counts(ad, &c0);
	ata_kt_mode(ad, false, false);
	if (disk_rw(dp, BIO_READ, 3, buf, ATA_MAXIO) != 0 ||
	    !ata_kt_check(buf, 3, nsec, 0))
		goto out;
	ata_kt_counts(ad, &c1);
	if (c1.dma == c0.dma || c1.pio != c0.pio)
		goto out;

	ata_kt_mode(ad, true, false);
	if (disk_rw(dp, BIO_READ, 1000, buf, 9 * ATA_SECSIZE) != 0 ||
	    !ata_kt_check(buf, 1000, 9, 0))
		goto out;
	ata_kt_counts(ad, &c0);
	if (c0.pio == c1.pio || c0.dma != c1.dma)
		goto out;

	ata_kt_mode(ad, false, ad->ad_lba48);
	if (disk_rw(dp, BIO_READ, last - 3, buf, 4 * ATA_SECSIZE) != 0 ||
	    !ata_kt_check(buf, last - 3, 4, 0))
		goto out;
	ata_kt_mode(ad, true, ad->ad_lba48);
	if (disk_rw(dp, BIO_READ, last, buf, ATA_SECSIZE) != 0 ||
	    !ata_kt_check(buf, last, 1, 0))
		goto out;
	ata_kt_counts(ad, &c1);
	if (ad->ad_lba48 && c1.lba48 < c0.lba48 + 2)
		goto out;
	KT_ASSERT(c1.error == c0.error);
	error = 0;
out:
	ata_kt_mode(ad, false, false);
	kfree(buf);
	KT_ASSERT(error == 0);
	return 0;
}

/*
 * Write and read back, crossing the modes (DMA write, PIO read and the
 * other way round; LBA28 and LBA48), flush, then put the image's pattern
 * back.
 */
KTEST(ata_write)
{
	static const struct {
		bool	wpio, rpio, lba48;
	} rounds[] = {
		{ false, true, false },
		{ true, false, false },
		{ false, false, true },
		{ true, true, true },
	};
	struct ata_kt_counts c0, c1;
	struct ata_drive *ad;
	struct disk *dp;
	uint8_t *buf;
	size_t nsec = ATA_MAXIO / ATA_SECSIZE, i, r;
	int error = -1;

	if ((ad = ata_kt_drive("ata_write", true)) == NULL)
		return 0;
	dp = &ad->ad_disk;
	KT_ASSERT((buf = kmalloc(ATA_MAXIO, 0)) != NULL);
	ata_kt_counts(ad, &c0);
	for (r = 0; r < nitems(rounds); r++) {
		if (rounds[r].lba48 && !ad->ad_lba48)
			continue;
		for (i = 0; i < nsec; i++)
			ata_kt_fill(buf + i * ATA_SECSIZE,
			    ATA_KT_SCRATCH + i, (uint8_t)(r + 1));
		ata_kt_mode(ad, rounds[r].wpio, rounds[r].lba48);
		if (disk_rw(dp, BIO_WRITE, ATA_KT_SCRATCH, buf, ATA_MAXIO) !=
		    0)
			goto out;
		memset(buf, 0, ATA_MAXIO);
		ata_kt_mode(ad, rounds[r].rpio, rounds[r].lba48);
		if (disk_rw(dp, BIO_READ, ATA_KT_SCRATCH, buf, ATA_MAXIO) !=
		    0 || !ata_kt_check(buf, ATA_KT_SCRATCH, nsec,
		    (uint8_t)(r + 1)))
			goto out;
	}
	ata_kt_mode(ad, false, false);
	if (disk_rw(dp, BIO_FLUSH, 0, NULL, 0) != 0)
		goto out;
	for (i = 0; i < nsec; i++)
		ata_kt_fill(buf + i * ATA_SECSIZE, ATA_KT_SCRATCH + i, 0);
	if (disk_rw(dp, BIO_WRITE, ATA_KT_SCRATCH, buf, ATA_MAXIO) != 0)
		goto out;
	ata_kt_counts(ad, &c1);
	/* Both directions went both ways. */
	if (c1.dma < c0.dma + 3 || c1.pio < c0.pio + 2 ||
	    c1.error != c0.error)
		goto out;
	error = 0;
out:
	ata_kt_mode(ad, false, false);
	kfree(buf);
	KT_ASSERT(error == 0);
	return 0;
}

/*
 * A device error reaches the caller as -EIO, by DMA and by PIO, and the
 * channel works afterwards.  Runs on a disk whose sector 0 starts with
 * ATA_KT_EIO_MAGIC: suite_ata.py puts QEMU's blkdebug under it, failing
 * reads of sector ATA_KT_EIO_SECTOR.
 */
#define ATA_KT_EIO_MAGIC	"EclipseOS-ATA-E"
#define ATA_KT_EIO_SECTOR	2000

KTEST(ata_eio)
{
	struct ata_kt_counts c0, c1;
	struct ata_drive *ad = NULL;
	uint8_t *buf;
	int i, e_dma, e_pio, e_ok;

	KT_ASSERT((buf = kmalloc(4 * ATA_SECSIZE, 0)) != NULL);
	for (i = 0; (ad = ata_drive_get(i)) != NULL; i++)
		if (disk_rw(&ad->ad_disk, BIO_READ, 0, buf, ATA_SECSIZE) ==
		    0 && memcmp(buf, ATA_KT_EIO_MAGIC, ATA_KT_MAGICLEN) == 0)
			break;
	if (ad == NULL) {
		kprintf("ktest: ata_eio: skipped: no disk with errors "
		    "injected\n");
		kfree(buf);
		return 0;
	}
	ata_kt_counts(ad, &c0);
	ata_kt_mode(ad, false, false);
	e_dma = disk_rw(&ad->ad_disk, BIO_READ, ATA_KT_EIO_SECTOR - 1, buf,
	    4 * ATA_SECSIZE);
	ata_kt_mode(ad, true, false);
	e_pio = disk_rw(&ad->ad_disk, BIO_READ, ATA_KT_EIO_SECTOR, buf,
	    ATA_SECSIZE);
	ata_kt_mode(ad, false, false);
	e_ok = disk_rw(&ad->ad_disk, BIO_READ, ATA_KT_EIO_SECTOR + 1, buf,
	    ATA_SECSIZE);
	ata_kt_counts(ad, &c1);
	kfree(buf);
	kprintf("ktest: ata_eio: %s: dma %d pio %d after %d\n",
	    ad->ad_disk.d_name, e_dma, e_pio, e_ok);
	KT_ASSERT(e_dma == -EIO);
	KT_ASSERT(e_pio == -EIO);
	KT_ASSERT(e_ok == 0);
	KT_ASSERT(c1.error == c0.error + 2);
	return 0;
}
