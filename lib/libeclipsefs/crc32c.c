/*
 * CRC32C (Castagnoli): polynomial 0x1EDC6F41, reflected 0x82F63B78,
 * the checksum of every eclipsefs metadata structure.  Table-driven, one
 * byte at a time; the table is computed at compile time by the
 * recurrence below written out as a macro, so the code has no
 * initialisation step and no writable state.
 */
#include "efs_impl.h"

#define P	0x82F63B78U
#define B1(c)	(((c) >> 1) ^ (((c) & 1) ? P : 0))
#define B8(c)	B1(B1(B1(B1(B1(B1(B1(B1(c))))))))
#define R2(n)	B8(n), B8(n + 1)
#define R4(n)	R2(n), R2(n + 2)
#define R8(n)	R4(n), R4(n + 4)
#define R16(n)	R8(n), R8(n + 8)
#define R32(n)	R16(n), R16(n + 16)
#define R64(n)	R32(n), R32(n + 32)
#define R128(n)	R64(n), R64(n + 64)

static const uint32_t crc32c_table[256] = {
	R128(0U), R128(128U)
};

/*
 * Continue a CRC32C: crc is the checksum of what came before (0 for
 * nothing), so efs_crc32c(efs_crc32c(0, a), b) is the CRC32C of a then
 * b, and efs_crc32c(0, "123456789", 9) is the check value 0xE3069283.
 * Internally the register starts at ~crc and the result is inverted
 * (initial value ~0, final xor ~0 for crc 0).
 */
uint32_t
efs_crc32c(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	crc = ~crc;
	while (len-- > 0)
		crc = crc32c_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/*
 * The seed of the checksum of a block-sized structure at disk block
 * blkno: the CRC32C of the block number (8 bytes, little-endian),
 * continuing from sb_csum_seed.
 */
uint32_t
efs_block_seed(const struct efs_super *sb, uint64_t blkno)
{
	uint8_t le[8];
	int i;

	for (i = 0; i < 8; i++)
		le[i] = blkno >> (8 * i);
	return efs_crc32c(sb->sb_csum_seed, le, sizeof(le));
}

/*
 * The checksum of len bytes at buf with the 4-byte crc field at crc_off
 * taken as zero, continuing from seed.
 */
uint32_t
efs_csum(uint32_t seed, const void *buf, size_t len, size_t crc_off)
{
	static const uint8_t zero[4];
	const uint8_t *p = buf;
	uint32_t crc;

	crc = efs_crc32c(seed, p, crc_off);
	crc = efs_crc32c(crc, zero, 4);
	return efs_crc32c(crc, p + crc_off + 4, len - crc_off - 4);
}
