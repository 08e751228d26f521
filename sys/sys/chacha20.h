/*
 * The ChaCha20 stream cipher (RFC 8439, section 2), as the kernel's
 * random-number generator uses it (kern/kern_random.c).  Pure functions
 * of their arguments, no state and no lock; tests/unit/test_chacha20.c
 * checks them against the RFC's test vectors.
 */
#ifndef _SYS_CHACHA20_H_
#define _SYS_CHACHA20_H_

#include <sys/types.h>

#define CHACHA20_KEY_SIZE	32
#define CHACHA20_NONCE_SIZE	12
#define CHACHA20_BLOCK_SIZE	64

/*
 * One 64-byte block of key stream: the block function of RFC 8439 2.3
 * for key, block counter and nonce, serialized little-endian.
 */
void	chacha20_block(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
	    const uint8_t nonce[CHACHA20_NONCE_SIZE],
	    uint8_t out[CHACHA20_BLOCK_SIZE]);

/*
 * XOR len bytes of key stream, starting at block counter, into buf
 * (RFC 8439 2.4: encryption and decryption are the same operation; on
 * zeroed bytes it writes the key stream itself).  The counter must not
 * wrap: len is at most (2^32 - counter) blocks.
 */
void	chacha20_xor(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
	    const uint8_t nonce[CHACHA20_NONCE_SIZE], uint8_t *buf,
	    size_t len);

#endif /* _SYS_CHACHA20_H_ */
