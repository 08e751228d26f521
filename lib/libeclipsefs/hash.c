/*
 * The directory hash: SipHash-2-4 (Aumasson and Bernstein, "SipHash: a
 * fast short-input PRF", 2012) of the name, keyed by the superblock's
 * sb_hash_seed, reduced to 63 bits and to the range 2..2^63-1 that the
 * directory format uses (0 and 1 are the readdir positions of "." and
 * "..").  Written from the paper's description.
 */
#include "efs_impl.h"

#define ROTL(x, b)	(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND(v0, v1, v2, v3) do {					\
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);	\
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);	\
} while (0)

static uint64_t
le64(const uint8_t *p, size_t n)
{
	uint64_t m = 0;
	size_t i;

	for (i = 0; i < n; i++)
		m |= (uint64_t)p[i] << (8 * i);
	return m;
}

/*
 * SipHash-2-4 of len bytes with the 128-bit key (k0, k1) (k0 is the
 * key's first 8 bytes read little-endian).  The paper's 2.1 and 2.2:
 * initialise with the constants "somepseudorandomlygeneratedbytes", two
 * rounds per 8-byte word, the last word padded with zeros and len mod 256
 * in its top byte, then 0xff into v2 and four rounds.
 */
uint64_t
efs_siphash24(uint64_t k0, uint64_t k1, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t v0 = k0 ^ 0x736f6d6570736575ULL;
	uint64_t v1 = k1 ^ 0x646f72616e646f6dULL;
	uint64_t v2 = k0 ^ 0x6c7967656e657261ULL;
	uint64_t v3 = k1 ^ 0x7465646279746573ULL;
	uint64_t m;
	size_t left;

	for (left = len; left >= 8; left -= 8, p += 8) {
		m = le64(p, 8);
		v3 ^= m;
		SIPROUND(v0, v1, v2, v3);
		SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	m = le64(p, left) | (uint64_t)(len & 0xff) << 56;
	v3 ^= m;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	v0 ^= m;
	v2 ^= 0xff;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

/*
 * The hash of a directory entry's name: SipHash-2-4 keyed with
 * k0 = seed and k1 = ~seed (both as 64-bit numbers), shifted right by one
 * bit, and 2 added when the result is below 2.
 */
uint64_t
efs_dir_hash(uint32_t seed, const char *name, size_t len)
{
	uint64_t h;

	h = efs_siphash24(seed, ~(uint64_t)seed, name, len) >> 1;
	if (h < EFS_DIR_HASH_MIN)
		h += EFS_DIR_HASH_MIN;
	return h;
}
