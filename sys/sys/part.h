/*
 * Partition tables (kern/subr_part.c): GPT, else MBR with its extended
 * partitions.  Pure code over a read callback, so the host unit tests
 * (tests/unit/test_part.c) run it on hand-built tables.
 *
 * The parser reads one logical block at a time through the callback
 * into a buffer of one block the caller gives, and reports partitions in
 * 512-byte sectors (struct bio's unit) with Linux's numbers: a GPT entry
 * at index i is partition i + 1; MBR primaries are 1-4 by slot, logical
 * partitions 5, 6, ... in chain order, and an extended partition is
 * listed with a size of two sectors, as Linux shows it.
 *
 * Each entry also carries what root=PARTUUID= and root=PARTLABEL= match
 * (Linux's kernel-parameters.rst, "root="): a GPT partition's unique
 * GUID in its usual text form (the first three fields little-endian on
 * disk, UEFI 2.10 appendix A) and its name (UTF-16LE on disk, here
 * UTF-8); an MBR partition's "SSSSSSSS-PP", the disk signature at byte
 * 440 and the partition number in hex, and no name.  Lower case.
 */
#ifndef _SYS_PART_H_
#define _SYS_PART_H_

#include <sys/types.h>

#define PART_MAX	15	/* partitions per disk: minors 1..15 */
#define PART_BSIZE	512	/* the unit of pe_start, pe_nsectors */
#define PART_UUID_LEN	36	/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" */
#define PART_NAME_LEN	108	/* GPT's 36 UTF-16 units, 3 bytes each */

enum part_scheme {
	PART_NONE = 0,
	PART_MBR,
	PART_GPT,
};

struct part_entry {
	int		 pe_index;	/* Linux's partition number, 1.. */
	uint64_t	 pe_start;	/* first 512-byte sector */
	uint64_t	 pe_nsectors;	/* length in 512-byte sectors */
	uint8_t		 pe_mbrtype;	/* MBR system id; 0 for GPT */
	char		 pe_uuid[PART_UUID_LEN + 1];	/* PARTUUID, text */
	char		 pe_name[PART_NAME_LEN + 1];	/* PARTLABEL; GPT */
};

/*
 * Read logical block lba (secsize bytes) into buf: 0 or -errno.
 */
typedef int part_read_t(void *arg, uint64_t lba, void *buf);

struct part_table {
	enum part_scheme	 pt_scheme;
	int			 pt_count;	/* entries used in pt_part */
	bool			 pt_gpt_backup;	/* the backup GPT was used */
	struct part_entry	 pt_part[PART_MAX];
};

/*
 * Scan a disk of nblocks logical blocks of secsize bytes (512 to 4096,
 * a power of two) for a partition table, reading it with rd(arg, ...)
 * into buf (secsize bytes).  Fills *pt.  Returns 0 (pt_scheme PART_NONE
 * when the disk has no table), -EINVAL for a damaged table (a GPT whose
 * primary and backup headers or entry arrays fail their checks, an MBR
 * with an invalid boot flag or an extended chain that loops), or the
 * callback's error.  Entries past the disk's end are skipped with a log
 * line.  Takes no lock.
 */
int	part_scan(part_read_t *rd, void *arg, uint32_t secsize,
	    uint64_t nblocks, void *buf, struct part_table *pt);

/* The IEEE 802.3 CRC-32 (as GPT uses: UEFI 2.10, 5.3.2), continued. */
uint32_t part_crc32(uint32_t crc, const void *buf, size_t len);

#endif /* _SYS_PART_H_ */
