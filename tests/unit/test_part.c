/*
 * Host test of the partition-table parsers (sys/kern/subr_part.c) on
 * tables built by hand in a memory disk: the CRC-32 against its check
 * value, a valid GPT, a GPT whose primary header or entry array is
 * damaged (the backup is used), one with both copies damaged (refused),
 * an MBR with primaries and an extended chain, an MBR with a bad boot
 * flag, a looping EBR chain, entries past the disk's end, 4096-byte
 * sectors, and a disk with no table.
 */
#include <stdint.h>
#include <string.h>

#include <sys/abi/errno.h>
#include <sys/part.h>

#include "unit.h"

#define NBLK	2048		/* 1 MiB of 512-byte blocks */

static uint8_t disk[NBLK * 512];
static uint32_t ss = 512;
static uint64_t nblk = NBLK;
static int nreads;

static int
mem_read(void *arg, uint64_t lba, void *buf)
{
	(void)arg;
	nreads++;
	if ((lba + 1) * ss > sizeof(disk))
		return -EIO;
	memcpy(buf, disk + lba * ss, ss);
	return 0;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void
put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static void
mbr_entry(uint8_t *blk, int slot, uint8_t flag, uint8_t type, uint32_t start,
    uint32_t n)
{
	uint8_t *e = blk + 446 + 16 * slot;

	e[0] = flag;
	e[4] = type;
	put32(e + 8, start);
	put32(e + 12, n);
	blk[510] = 0x55;
	blk[511] = 0xaa;
}

/* One GPT copy: header at hdr, entries at ent, two partitions. */
static void
gpt_copy(uint64_t hdr, uint64_t alt, uint64_t ent)
{
	uint8_t *h = disk + hdr * ss, *e = disk + ent * ss;
	uint32_t nent = 128, esz = 128;
	int i;

	memset(e, 0, (size_t)nent * esz);
	for (i = 0; i < 2; i++) {
		uint8_t *p = e + (i == 0 ? 0 : 2) * esz;	/* slots 1, 3 */

		memset(p, 0x11 + i, 16);	/* type GUID */
		memset(p + 16, 0x21 + i, 16);	/* unique GUID */
		put64(p + 32, i == 0 ? 34 : 1034);
		put64(p + 40, i == 0 ? 1033 : nblk - 40);
		if (i == 0) {
			/* 96b46383-c107-583d-99c8-42ebc0b24fb5, on disk */
			static const uint8_t g[16] = { 0x83, 0x63, 0xb4,
			    0x96, 0x07, 0xc1, 0x3d, 0x58, 0x99, 0xc8, 0x42,
			    0xeb, 0xc0, 0xb2, 0x4f, 0xb5 };
			const char *n = "eclipse-root";
			int k;

			memcpy(p + 16, g, 16);
			for (k = 0; n[k] != '\0'; k++)
				p[56 + 2 * k] = (uint8_t)n[k];
		} else {
			/* "é" (U+00E9), U+1F600 as a surrogate pair, "x" */
			static const uint8_t n[] = { 0xe9, 0, 0x3d, 0xd8,
			    0x00, 0xde, 'x', 0 };

			memcpy(p + 56, n, sizeof(n));
		}
	}
	memset(h, 0, ss);
	memcpy(h, "EFI PART", 8);
	put32(h + 8, 0x00010000);
	put32(h + 12, 92);
	put64(h + 24, hdr);
	put64(h + 32, alt);
	put64(h + 40, 34);
	put64(h + 48, nblk - 34);
	put64(h + 72, ent);
	put32(h + 80, nent);
	put32(h + 84, esz);
	put32(h + 88, part_crc32(0, e, (size_t)nent * esz));
	put32(h + 16, part_crc32(0, h, 92));
}

static void
gpt_build(void)
{
	memset(disk, 0, sizeof(disk));
	mbr_entry(disk, 0, 0, 0xee, 1, (uint32_t)(nblk - 1));
	gpt_copy(1, nblk - 1, 2);
	gpt_copy(nblk - 1, 1, nblk - 33);
}

static int
scan(struct part_table *pt)
{
	static uint8_t buf[4096];

	return part_scan(mem_read, NULL, ss, nblk, buf, pt);
}

static void
test_crc(void)
{
	UNIT_CHECK(part_crc32(0, "123456789", 9) == 0xcbf43926,
	    "crc32 check value of \"123456789\"");
	UNIT_CHECK(part_crc32(part_crc32(0, "1234", 4), "56789", 5) ==
	    0xcbf43926, "crc32 continues across pieces");
}

static void
test_gpt(void)
{
	struct part_table pt;
	int error;

	gpt_build();
	error = scan(&pt);
	UNIT_CHECK(error == 0 && pt.pt_scheme == PART_GPT && pt.pt_count == 2 &&
	    !pt.pt_gpt_backup, "GPT: two partitions from the primary");
	UNIT_CHECK(pt.pt_part[0].pe_index == 1 && pt.pt_part[0].pe_start ==
	    34 && pt.pt_part[0].pe_nsectors == 1000, "GPT: entry 1's range");
	UNIT_CHECK(pt.pt_part[1].pe_index == 3 && pt.pt_part[1].pe_start ==
	    1034 && pt.pt_part[1].pe_nsectors == nblk - 40 - 1034 + 1,
	    "GPT: entry 3 keeps its number");
	UNIT_CHECK(strcmp(pt.pt_part[0].pe_uuid,
	    "96b46383-c107-583d-99c8-42ebc0b24fb5") == 0,
	    "GPT: PARTUUID text, mixed-endian fields (got %s)",
	    pt.pt_part[0].pe_uuid);
	UNIT_CHECK(strcmp(pt.pt_part[1].pe_uuid,
	    "22222222-2222-2222-2222-222222222222") == 0,
	    "GPT: second PARTUUID (got %s)", pt.pt_part[1].pe_uuid);
	UNIT_CHECK(strcmp(pt.pt_part[0].pe_name, "eclipse-root") == 0,
	    "GPT: PARTLABEL from UTF-16LE (got %s)", pt.pt_part[0].pe_name);
	UNIT_CHECK(strcmp(pt.pt_part[1].pe_name,
	    "\xc3\xa9\xf0\x9f\x98\x80x") == 0,
	    "GPT: PARTLABEL with a BMP letter and a surrogate pair in UTF-8");

	gpt_build();
	disk[512 + 30] ^= 1;		/* primary header: CRC now wrong */
	error = scan(&pt);
	UNIT_CHECK(error == 0 && pt.pt_count == 2 && pt.pt_gpt_backup,
	    "GPT: bad primary header CRC, backup used");

	gpt_build();
	disk[2 * 512 + 40] ^= 1;	/* primary entries: array CRC wrong */
	error = scan(&pt);
	UNIT_CHECK(error == 0 && pt.pt_count == 2 && pt.pt_gpt_backup,
	    "GPT: bad primary entry array, backup used");

	gpt_build();
	disk[512 + 30] ^= 1;
	disk[(nblk - 1) * 512 + 30] ^= 1;
	error = scan(&pt);
	UNIT_CHECK(error == -EINVAL && pt.pt_count == 0,
	    "GPT: both headers damaged, refused");

	gpt_build();
	memcpy(disk + 512, "EFI PARX", 8);
	disk[(nblk - 33) * 512 + 100] ^= 1;
	error = scan(&pt);
	UNIT_CHECK(error == -EINVAL && pt.pt_count == 0,
	    "GPT: bad signature and bad backup entries, refused");

	/* A header whose MyLBA lies: CRC right, content wrong. */
	gpt_build();
	put64(disk + 512 + 24, 5);
	put32(disk + 512 + 16, 0);
	put32(disk + 512 + 16, part_crc32(0, disk + 512, 92));
	error = scan(&pt);
	UNIT_CHECK(error == 0 && pt.pt_gpt_backup,
	    "GPT: primary with a wrong MyLBA is not trusted");
}

static void
test_gpt_4k(void)
{
	struct part_table pt;
	int error;

	ss = 4096;
	nblk = sizeof(disk) / 4096;
	memset(disk, 0, sizeof(disk));
	mbr_entry(disk, 0, 0, 0xee, 1, (uint32_t)(nblk - 1));
	/* 128 entries of 128 bytes: 4 blocks of 4096; usable 6..nblk-6 */
	{
		uint8_t *h = disk + 4096, *e = disk + 2 * 4096;

		memset(e, 0x33, 16);
		put64(e + 32, 6);
		put64(e + 40, 9);
		memcpy(h, "EFI PART", 8);
		put32(h + 12, 92);
		put64(h + 24, 1);
		put64(h + 32, nblk - 1);
		put64(h + 40, 6);
		put64(h + 48, nblk - 6);
		put64(h + 72, 2);
		put32(h + 80, 128);
		put32(h + 84, 128);
		put32(h + 88, part_crc32(0, e, 128 * 128));
		put32(h + 16, part_crc32(0, h, 92));
	}
	error = scan(&pt);
	UNIT_CHECK(error == 0 && pt.pt_count == 1 &&
	    pt.pt_part[0].pe_start == 48 && pt.pt_part[0].pe_nsectors == 32,
	    "GPT on 4096-byte sectors: reported in 512-byte sectors");
	ss = 512;
	nblk = NBLK;
}

/* An EBR at block at: a logical at +rel, n blocks; link to next. */
static void
ebr(uint32_t at, uint32_t rel, uint32_t n, uint32_t next)
{
	uint8_t *b = disk + (size_t)at * 512;

	mbr_entry(b, 0, 0, 0x83, rel, n);
	if (next != 0)
		mbr_entry(b, 1, 0, 0x05, next, 100);
}

static void
test_mbr(void)
{
	struct part_table pt;
	int error;

	memset(disk, 0, sizeof(disk));
	put32(disk + 440, 0x1234abcd);	/* the disk signature */
	mbr_entry(disk, 0, 0x80, 0x83, 2, 100);
	mbr_entry(disk, 1, 0, 0x05, 200, 1000);
	mbr_entry(disk, 3, 0, 0x82, 1500, 500);
	ebr(200, 1, 99, 100);		/* logical 5: 201..299 */
	ebr(300, 2, 50, 400);		/* logical 6: 302..351 */
	ebr(600, 1, 10, 0);		/* logical 7: 601..610 */
	error = scan(&pt);
	UNIT_CHECK(error == 0 && pt.pt_scheme == PART_MBR && pt.pt_count == 6,
	    "MBR: 3 primaries and 3 logicals (got %d, %d)", error,
	    pt.pt_count);
	UNIT_CHECK(pt.pt_part[0].pe_index == 1 && pt.pt_part[0].pe_start == 2 &&
	    pt.pt_part[0].pe_nsectors == 100, "MBR: primary 1");
	UNIT_CHECK(pt.pt_part[1].pe_index == 2 &&
	    pt.pt_part[1].pe_nsectors == 2, "MBR: extended shown as 1 KiB");
	UNIT_CHECK(pt.pt_part[2].pe_index == 4 &&
	    pt.pt_part[2].pe_start == 1500, "MBR: primary 4");
	UNIT_CHECK(pt.pt_part[3].pe_index == 5 &&
	    pt.pt_part[3].pe_start == 201 && pt.pt_part[4].pe_index == 6 &&
	    pt.pt_part[4].pe_start == 302 && pt.pt_part[5].pe_index == 7 &&
	    pt.pt_part[5].pe_start == 601 && pt.pt_part[5].pe_nsectors == 10,
	    "MBR: logicals 5-7 follow the EBR chain");
	UNIT_CHECK(strcmp(pt.pt_part[0].pe_uuid, "1234abcd-01") == 0 &&
	    strcmp(pt.pt_part[3].pe_uuid, "1234abcd-05") == 0 &&
	    pt.pt_part[0].pe_name[0] == '\0',
	    "MBR: PARTUUID is signature-number, no name (got %s, %s)",
	    pt.pt_part[0].pe_uuid, pt.pt_part[3].pe_uuid);

	ebr(600, 1, 10, 100);		/* links back to 300: a loop */
	error = scan(&pt);
	UNIT_CHECK(error == -EINVAL && pt.pt_count == 0,
	    "MBR: an EBR chain that loops is refused");

	memset(disk, 0, sizeof(disk));
	mbr_entry(disk, 0, 0, 0x83, 2, 100);
	mbr_entry(disk, 1, 0, 0x83, 1000, 5000);	/* past the end */
	error = scan(&pt);
	UNIT_CHECK(error == 0 && pt.pt_count == 1,
	    "MBR: a partition past the disk's end is skipped");

	mbr_entry(disk, 2, 0x12, 0x83, 300, 10);
	error = scan(&pt);
	UNIT_CHECK(error == -EINVAL && pt.pt_count == 0,
	    "MBR: a bad boot flag means no valid table");

	memset(disk, 0, sizeof(disk));
	error = scan(&pt);
	UNIT_CHECK(error == 0 && pt.pt_scheme == PART_NONE && pt.pt_count == 0,
	    "no signature: no table");

	mbr_entry(disk, 0, 0, 0xee, 1, NBLK - 1);
	nreads = 0;
	error = scan(&pt);
	UNIT_CHECK(error == -EINVAL && nreads == 3,
	    "protective MBR without GPT: refused after 3 reads");
}

int
main(void)
{
	test_crc();
	test_gpt();
	test_gpt_4k();
	test_mbr();
	return unit_done();
}
