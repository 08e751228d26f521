/*
 * ChaCha20 (RFC 8439, "ChaCha20 and Poly1305 for IETF Protocols",
 * section 2), written from the RFC's description.
 *
 * The state is sixteen 32-bit words: four constants, the eight words of
 * the 256-bit key, a 32-bit block counter and the three words of the
 * 96-bit nonce, all little-endian.  Twenty rounds (ten "double rounds" of
 * four column and four diagonal quarter rounds) scramble a copy of it;
 * adding the original state word by word makes the result one-way.
 *
 * Pure: the host unit test builds this file as it is.
 */
#include <sys/chacha20.h>
#include <sys/systm.h>

#define ROTL32(v, n)	((uint32_t)((v) << (n)) | ((v) >> (32 - (n))))

/* RFC 8439 2.1: the quarter round on state words a, b, c, d. */
#define QUARTERROUND(x, a, b, c, d) do {				\
	x[a] += x[b]; x[d] ^= x[a]; x[d] = ROTL32(x[d], 16);		\
	x[c] += x[d]; x[b] ^= x[c]; x[b] = ROTL32(x[b], 12);		\
	x[a] += x[b]; x[d] ^= x[a]; x[d] = ROTL32(x[d], 8);		\
	x[c] += x[d]; x[b] ^= x[c]; x[b] = ROTL32(x[b], 7);		\
} while (0)

static uint32_t
chacha20_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/*
 * RFC 8439 2.3: the block function.  The constants spell "expand 32-byte
 * k" in ASCII, little-endian.  Pure; no lock.
 */
void
chacha20_block(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
    const uint8_t nonce[CHACHA20_NONCE_SIZE],
    uint8_t out[CHACHA20_BLOCK_SIZE])
{
	uint32_t in[16], x[16];
	int i;

	in[0] = 0x61707865;
	in[1] = 0x3320646e;
	in[2] = 0x79622d32;
	in[3] = 0x6b206574;
	for (i = 0; i < 8; i++)
		in[4 + i] = chacha20_le32(key + 4 * i);
	in[12] = counter;
	for (i = 0; i < 3; i++)
		in[13 + i] = chacha20_le32(nonce + 4 * i);

	memcpy(x, in, sizeof(x));
	for (i = 0; i < 10; i++) {
		/* Column rounds. */
		QUARTERROUND(x, 0, 4, 8, 12);
		QUARTERROUND(x, 1, 5, 9, 13);
		QUARTERROUND(x, 2, 6, 10, 14);
		QUARTERROUND(x, 3, 7, 11, 15);
		/* Diagonal rounds. */
		QUARTERROUND(x, 0, 5, 10, 15);
		QUARTERROUND(x, 1, 6, 11, 12);
		QUARTERROUND(x, 2, 7, 8, 13);
		QUARTERROUND(x, 3, 4, 9, 14);
	}
	for (i = 0; i < 16; i++) {
		x[i] += in[i];
		out[4 * i] = (uint8_t)x[i];
		out[4 * i + 1] = (uint8_t)(x[i] >> 8);
		out[4 * i + 2] = (uint8_t)(x[i] >> 16);
		out[4 * i + 3] = (uint8_t)(x[i] >> 24);
	}
	memset(x, 0, sizeof(x));
	memset(in, 0, sizeof(in));
}

/*
 * RFC 8439 2.4: XOR the key stream of blocks counter, counter + 1, ...
 * into buf.  Pure; no lock.
 */
void
chacha20_xor(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
    const uint8_t nonce[CHACHA20_NONCE_SIZE], uint8_t *buf, size_t len)
{
	uint8_t ks[CHACHA20_BLOCK_SIZE];
	size_t i, n;

	while (len > 0) {
		chacha20_block(key, counter++, nonce, ks);
		n = MIN(len, sizeof(ks));
		for (i = 0; i < n; i++)
			buf[i] ^= ks[i];
		buf += n;
		len -= n;
	}
	memset(ks, 0, sizeof(ks));
}
