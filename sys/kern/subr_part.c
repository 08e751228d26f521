/*
 * Partition tables: GPT (UEFI 2.10, chapter 5.3) with its header and
 * entry-array CRCs and the backup header at the disk's last block, else
 * the MBR (four primary slots at byte 446, the 0x55 0xAA signature at
 * 510) with the chain of extended boot records of one extended
 * partition.  Pure code: the disk is read through a callback, so the
 * host unit tests drive it with tables built in memory.
 */
#include <sys/errno.h>
#include <sys/part.h>
#include <sys/systm.h>

#define GPT_SIG		"EFI PART"
#define GPT_HDR_MIN	92	/* UEFI 2.10, table 5.5: HeaderSize >= 92 */
#define GPT_ENT_MIN	128	/* SizeOfPartitionEntry: 128 * 2^n */
#define GPT_ENT_MAX	4096	/* entries we accept in one array */

#define MBR_DISKSIG_OFF	440	/* the disk signature (Linux's PARTUUID) */
#define MBR_PART_OFF	446
#define MBR_SIG_OFF	510
#define MBR_TYPE_GPT	0xee	/* the protective MBR's one partition */
#define MBR_MAXEBR	64	/* logical partitions we follow at most */

/* The GPT header fields we use (UEFI 2.10, table 5.5). */
struct gpt_hdr {
	uint64_t	gh_mylba;
	uint64_t	gh_first;	/* FirstUsableLBA */
	uint64_t	gh_last;	/* LastUsableLBA */
	uint64_t	gh_entlba;	/* PartitionEntryLBA */
	uint32_t	gh_nent;	/* NumberOfPartitionEntries */
	uint32_t	gh_entsize;	/* SizeOfPartitionEntry */
	uint32_t	gh_entcrc;	/* PartitionEntryArrayCRC32 */
};

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t
le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/*
 * The reflected CRC-32 of polynomial 0x04C11DB7 (0xEDB88320 reflected),
 * initial value and final xor all ones, bit by bit: tables are a speed
 * a partition scan does not need.  crc is a previous result (0 to
 * start), so a long array can be summed a block at a time.  No lock.
 */
uint32_t
part_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	int k;

	crc = ~crc;
	while (len-- > 0) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320U & -(crc & 1));
	}
	return ~crc;
}

/* Add a partition numbered idx; NULL (logged) when past PART_MAX. */
static struct part_entry *
part_add(struct part_table *pt, int idx, uint64_t start, uint64_t n,
    uint8_t type)
{
	struct part_entry *pe;

	if (idx > PART_MAX || pt->pt_count >= PART_MAX) {
		klog("part", "partition %d ignored: at most %d per disk", idx,
		    PART_MAX);
		return NULL;
	}
	pe = &pt->pt_part[pt->pt_count++];
	memset(pe, 0, sizeof(*pe));
	pe->pe_index = idx;
	pe->pe_start = start;
	pe->pe_nsectors = n;
	pe->pe_mbrtype = type;
	return pe;
}

/* Write v as n lower-case hex digits at p; returns p + n. */
static char *
part_hex(char *p, uint64_t v, int n)
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = n - 1; i >= 0; i--) {
		p[i] = digits[v & 0xf];
		v >>= 4;
	}
	return p + n;
}

/*
 * A GUID's 16 bytes g as text (UEFI 2.10, appendix A): three fields
 * little-endian (4, 2, 2 bytes), then 2 and 6 bytes in order.
 */
static void
part_guid_text(const uint8_t *g, char *out)
{
	char *p = out;
	int i;

	p = part_hex(p, le32(g), 8);
	*p++ = '-';
	p = part_hex(p, (uint64_t)g[4] | (uint64_t)g[5] << 8, 4);
	*p++ = '-';
	p = part_hex(p, (uint64_t)g[6] | (uint64_t)g[7] << 8, 4);
	*p++ = '-';
	for (i = 8; i < 16; i++) {
		if (i == 10)
			*p++ = '-';
		p = part_hex(p, g[i], 2);
	}
	*p = '\0';
}

/*
 * A GPT partition name (36 UTF-16LE units, NUL-padded) as UTF-8 into
 * out (PART_NAME_LEN + 1 bytes).  An unpaired surrogate becomes '?'.
 */
static void
part_name_text(const uint8_t *u, char *out)
{
	uint32_t c, lo;
	size_t o = 0;
	int i;

	for (i = 0; i < 36; i++) {
		c = (uint32_t)u[2 * i] | (uint32_t)u[2 * i + 1] << 8;
		if (c == 0)
			break;
		if (c >= 0xd800 && c < 0xdc00 && i + 1 < 36) {
			lo = (uint32_t)u[2 * i + 2] |
			    (uint32_t)u[2 * i + 3] << 8;
			if (lo >= 0xdc00 && lo < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (lo - 0xdc00);
				i++;
			} else
				c = '?';
		} else if (c >= 0xd800 && c < 0xe000)
			c = '?';
		if (c < 0x80)
			out[o++] = (char)c;
		else if (c < 0x800) {
			out[o++] = (char)(0xc0 | c >> 6);
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000) {
			out[o++] = (char)(0xe0 | c >> 12);
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else {
			out[o++] = (char)(0xf0 | c >> 18);
			out[o++] = (char)(0x80 | ((c >> 12) & 0x3f));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		}
	}
	out[o] = '\0';
}

/* An MBR partition's PARTUUID: the disk signature, "-", its number. */
static void
part_mbr_uuid(struct part_entry *pe, uint32_t sig)
{
	char *p;

	if (pe == NULL)
		return;
	p = part_hex(pe->pe_uuid, sig, 8);
	*p++ = '-';
	p = part_hex(p, (uint64_t)pe->pe_index, 2);
	*p = '\0';
}

/*
 * Check the GPT header in buf, read from block at: signature, size,
 * CRC (computed with its own field as zero), MyLBA and the ranges.
 * 0 with *gh filled, or -EINVAL.
 */
static int
gpt_hdr_check(const uint8_t *buf, uint32_t secsize, uint64_t nblocks,
    uint64_t at, struct gpt_hdr *gh)
{
	static const uint8_t zero[4];
	uint32_t hsize, crc;
	uint64_t entblocks;

	if (memcmp(buf, GPT_SIG, 8) != 0)
		return -EINVAL;
	hsize = le32(buf + 12);
	if (hsize < GPT_HDR_MIN || hsize > secsize)
		return -EINVAL;
	crc = part_crc32(0, buf, 16);
	crc = part_crc32(crc, zero, 4);
	crc = part_crc32(crc, buf + 20, hsize - 20);
	if (crc != le32(buf + 16))
		return -EINVAL;
	gh->gh_mylba = le64(buf + 24);
	gh->gh_first = le64(buf + 40);
	gh->gh_last = le64(buf + 48);
	gh->gh_entlba = le64(buf + 72);
	gh->gh_nent = le32(buf + 80);
	gh->gh_entsize = le32(buf + 84);
	gh->gh_entcrc = le32(buf + 88);
	if (gh->gh_mylba != at || gh->gh_first > gh->gh_last ||
	    gh->gh_last >= nblocks || gh->gh_first < 2)
		return -EINVAL;
	/* 128 * 2^n, and whole entries per block so a block sums alone. */
	if (gh->gh_entsize < GPT_ENT_MIN ||
	    (gh->gh_entsize & (gh->gh_entsize - 1)) != 0 ||
	    gh->gh_entsize > secsize || gh->gh_nent == 0 ||
	    gh->gh_nent > GPT_ENT_MAX)
		return -EINVAL;
	entblocks = ((uint64_t)gh->gh_nent * gh->gh_entsize + secsize - 1) /
	    secsize;
	/* The array lies outside the usable range, inside the disk. */
	if (gh->gh_entlba < 2 || gh->gh_entlba + entblocks > nblocks ||
	    (gh->gh_entlba <= gh->gh_last &&
	    gh->gh_entlba + entblocks > gh->gh_first))
		return -EINVAL;
	return 0;
}

/*
 * Read the entry array gh names, check its CRC and collect the used
 * entries into pt (which the caller emptied).  0 or -errno.
 */
static int
gpt_entries(part_read_t *rd, void *arg, uint32_t secsize, uint8_t *buf,
    const struct gpt_hdr *gh, struct part_table *pt)
{
	static const uint8_t nulguid[16];
	struct part_entry *pe;
	uint32_t crc = 0, i = 0, per, j;
	uint64_t lba, first, last, mul = secsize / PART_BSIZE;
	size_t left;
	int error;

	per = secsize / gh->gh_entsize;
	left = (size_t)gh->gh_nent * gh->gh_entsize;
	for (lba = gh->gh_entlba; i < gh->gh_nent; lba++) {
		if ((error = rd(arg, lba, buf)) < 0)
			return error;
		crc = part_crc32(crc, buf, MIN(left, (size_t)secsize));
		left -= MIN(left, (size_t)secsize);
		for (j = 0; j < per && i < gh->gh_nent; j++, i++) {
			const uint8_t *e = buf + (size_t)j * gh->gh_entsize;

			if (memcmp(e, nulguid, 16) == 0)
				continue;
			first = le64(e + 32);
			last = le64(e + 40);
			if (first > last || first < gh->gh_first ||
			    last > gh->gh_last) {
				klog("part", "GPT entry %u outside the usable "
				    "blocks: ignored", i + 1);
				continue;
			}
			pe = part_add(pt, (int)i + 1, first * mul,
			    (last - first + 1) * mul, 0);
			if (pe != NULL) {
				/* UEFI 2.10, table 5.7: the unique GUID at
				 * 16, the name at 56 (72 bytes). */
				part_guid_text(e + 16, pe->pe_uuid);
				part_name_text(e + 56, pe->pe_name);
			}
		}
	}
	if (crc != gh->gh_entcrc) {
		pt->pt_count = 0;
		return -EINVAL;
	}
	return 0;
}

/* One GPT header at block at and its array: 0 or -errno. */
static int
gpt_try(part_read_t *rd, void *arg, uint32_t secsize, uint64_t nblocks,
    uint8_t *buf, uint64_t at, struct part_table *pt)
{
	struct gpt_hdr gh;
	int error;

	pt->pt_count = 0;
	if ((error = rd(arg, at, buf)) < 0)
		return error;
	if ((error = gpt_hdr_check(buf, secsize, nblocks, at, &gh)) < 0)
		return error;
	return gpt_entries(rd, arg, secsize, buf, &gh, pt);
}

/*
 * GPT: the primary header at block 1, else the backup at the last block
 * (UEFI 2.10, 5.3.2: software checks the primary and falls back to the
 * backup when it is damaged).
 */
static int
gpt_scan(part_read_t *rd, void *arg, uint32_t secsize, uint64_t nblocks,
    uint8_t *buf, struct part_table *pt)
{
	int error;

	pt->pt_scheme = PART_GPT;
	if ((error = gpt_try(rd, arg, secsize, nblocks, buf, 1, pt)) == 0)
		return 0;
	if (error != -EINVAL)
		return error;
	klog("part", "primary GPT header or entries damaged; trying the "
	    "backup at block %llu", (unsigned long long)(nblocks - 1));
	error = gpt_try(rd, arg, secsize, nblocks, buf, nblocks - 1, pt);
	if (error == 0)
		pt->pt_gpt_backup = true;
	else if (error == -EINVAL)
		klog("part", "backup GPT damaged too: no partitions");
	return error;
}

static bool
mbr_is_ext(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

/*
 * The extended partition's chain of EBRs, from its first block ext of
 * next blocks: each holds a logical partition (relative to itself) and
 * the link to the next (relative to ext).  Links must go forwards, so a
 * loop is -EINVAL rather than an endless walk.
 */
static int
mbr_logical(part_read_t *rd, void *arg, uint32_t secsize, uint8_t *buf,
    uint64_t ext, uint64_t next, uint32_t sig, struct part_table *pt)
{
	uint64_t ebr = ext, start, n, link, mul = secsize / PART_BSIZE;
	const uint8_t *e;
	int idx = 5, hops, error;

	for (hops = 0; hops < MBR_MAXEBR; hops++) {
		if ((error = rd(arg, ebr, buf)) < 0)
			return error;
		if (buf[MBR_SIG_OFF] != 0x55 || buf[MBR_SIG_OFF + 1] != 0xaa) {
			klog("part", "EBR at block %llu has no signature",
			    (unsigned long long)ebr);
			return 0;
		}
		e = buf + MBR_PART_OFF;
		start = ebr + le32(e + 8);
		n = le32(e + 12);
		if (e[4] != 0 && n != 0) {
			if (start <= ebr || start + n > ext + next)
				klog("part", "logical partition %d outside its "
				    "extended partition: ignored", idx);
			else
				part_mbr_uuid(part_add(pt, idx, start * mul,
				    n * mul, e[4]), sig);
			idx++;
		}
		e += 16;
		if (!mbr_is_ext(e[4]) || le32(e + 12) == 0)
			return 0;
		link = ext + le32(e + 8);
		if (link <= ebr || link >= ext + next) {
			klog("part", "EBR chain goes backwards at block %llu",
			    (unsigned long long)ebr);
			return -EINVAL;
		}
		ebr = link;
	}
	klog("part", "more than %d logical partitions", MBR_MAXEBR);
	return -EINVAL;
}

/* The MBR in buf (block 0, already read): primaries, then logicals. */
static int
mbr_scan(part_read_t *rd, void *arg, uint32_t secsize, uint64_t nblocks,
    uint8_t *buf, struct part_table *pt)
{
	uint64_t start[4], n[4], mul = secsize / PART_BSIZE;
	uint32_t sig = le32(buf + MBR_DISKSIG_OFF);
	uint8_t type[4];
	int i, ext = -1;

	for (i = 0; i < 4; i++) {
		const uint8_t *e = buf + MBR_PART_OFF + 16 * i;

		/* A boot flag other than 0 or 0x80: not a partition table. */
		if (e[0] != 0 && e[0] != 0x80)
			return -EINVAL;
		type[i] = e[4];
		start[i] = le32(e + 8);
		n[i] = le32(e + 12);
	}
	pt->pt_scheme = PART_MBR;
	for (i = 0; i < 4; i++) {
		if (type[i] == 0 || n[i] == 0)
			continue;
		if (start[i] == 0 || start[i] + n[i] > nblocks) {
			klog("part", "MBR partition %d outside the disk: "
			    "ignored", i + 1);
			continue;
		}
		if (mbr_is_ext(type[i])) {
			/* Linux shows an extended partition as 1 KiB. */
			part_mbr_uuid(part_add(pt, i + 1, start[i] * mul,
			    MAX(2, mul), type[i]), sig);
			if (ext < 0)
				ext = i;
			continue;
		}
		part_mbr_uuid(part_add(pt, i + 1, start[i] * mul, n[i] * mul,
		    type[i]), sig);
	}
	if (ext < 0)
		return 0;
	return mbr_logical(rd, arg, secsize, buf, start[ext], n[ext], sig,
	    pt);
}

/*
 * Find and parse the disk's partition table (see <sys/part.h>): a
 * protective MBR (a 0xEE partition) means GPT, another valid MBR means
 * MBR partitions.  No lock.
 */
int
part_scan(part_read_t *rd, void *arg, uint32_t secsize, uint64_t nblocks,
    void *buf, struct part_table *pt)
{
	uint8_t *b = buf;
	int i, error;

	memset(pt, 0, sizeof(*pt));
	if (secsize < PART_BSIZE || (secsize & (secsize - 1)) != 0 ||
	    nblocks < 3)
		return 0;
	if ((error = rd(arg, 0, b)) < 0)
		return error;
	if (b[MBR_SIG_OFF] != 0x55 || b[MBR_SIG_OFF + 1] != 0xaa)
		return 0;
	for (i = 0; i < 4; i++)
		if (b[MBR_PART_OFF + 16 * i + 4] == MBR_TYPE_GPT)
			break;
	if (i < 4)
		error = gpt_scan(rd, arg, secsize, nblocks, b, pt);
	else
		error = mbr_scan(rd, arg, secsize, nblocks, b, pt);
	if (error < 0)
		pt->pt_count = 0;
	return error;
}
