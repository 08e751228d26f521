/*
 * Host test of ChaCha20 (sys/kern/subr_chacha20.c) against the test
 * vectors of RFC 8439: the block function (2.3.2), the encryption of the
 * "sunscreen" text (2.4.2) and the all-zero key stream (A.1, vector #1);
 * then that the stream is the same however it is cut into calls.
 */
#include <sys/chacha20.h>

#include "unit.h"

/* Parse a hex string into out; returns the byte count. */
static size_t
unhex(const char *s, uint8_t *out)
{
	size_t n = 0;
	unsigned int v;

	while (s[0] != '\0' && s[1] != '\0') {
		sscanf(s, "%2x", &v);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static void
key_0_to_31(uint8_t key[32])
{
	int i;

	for (i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
}

/* RFC 8439 2.3.2: key 00..1f, nonce 000000090000004a00000000, count 1. */
static void
test_block(void)
{
	static const char want_hex[] =
	    "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
	    "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e";
	uint8_t key[32], nonce[12], want[64], got[64];

	key_0_to_31(key);
	unhex("000000090000004a00000000", nonce);
	unhex(want_hex, want);
	chacha20_block(key, 1, nonce, got);
	UNIT_CHECK(memcmp(got, want, 64) == 0,
	    "RFC 8439 2.3.2: block function test vector");
}

/* RFC 8439 2.4.2: the sunscreen plaintext, counter 1. */
static void
test_encrypt(void)
{
	static const char plain[] = "Ladies and Gentlemen of the class of "
	    "'99: If I could offer you only one tip for the future, "
	    "sunscreen would be it.";
	static const char cipher_hex[] =
	    "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
	    "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
	    "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
	    "5af90bbf74a35be6b40b8eedf2785e42874d";
	uint8_t key[32], nonce[12], want[128], buf[128];
	size_t len = sizeof(plain) - 1, n;

	key_0_to_31(key);
	unhex("000000000000004a00000000", nonce);
	n = unhex(cipher_hex, want);
	UNIT_CHECK(n == len && len == 114, "2.4.2: 114 bytes (%zu, %zu)", n,
	    len);
	memcpy(buf, plain, len);
	chacha20_xor(key, 1, nonce, buf, len);
	UNIT_CHECK(memcmp(buf, want, len) == 0,
	    "RFC 8439 2.4.2: encryption test vector");
	chacha20_xor(key, 1, nonce, buf, len);
	UNIT_CHECK(memcmp(buf, plain, len) == 0,
	    "decrypting the ciphertext gives the plaintext back");
}

/* RFC 8439 A.1 #1: zero key, zero nonce, counter 0. */
static void
test_zero_key(void)
{
	static const char want_hex[] =
	    "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
	    "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586";
	uint8_t key[32], nonce[12], want[64], got[64];

	memset(key, 0, sizeof(key));
	memset(nonce, 0, sizeof(nonce));
	memset(got, 0, sizeof(got));
	unhex(want_hex, want);
	chacha20_xor(key, 0, nonce, got, sizeof(got));
	UNIT_CHECK(memcmp(got, want, 64) == 0,
	    "RFC 8439 A.1 #1: all-zero key stream");
}

/* One call, or many calls on whole blocks, give the same stream. */
static void
test_split(void)
{
	uint8_t key[32], nonce[12], one[300], parts[300];
	int i;

	for (i = 0; i < 32; i++)
		key[i] = (uint8_t)(7 * i + 3);
	memset(nonce, 0x5a, sizeof(nonce));
	memset(one, 0, sizeof(one));
	memset(parts, 0, sizeof(parts));
	chacha20_xor(key, 5, nonce, one, sizeof(one));
	chacha20_xor(key, 5, nonce, parts, 64);
	chacha20_xor(key, 6, nonce, parts + 64, 128);
	chacha20_xor(key, 8, nonce, parts + 192, 108);
	UNIT_CHECK(memcmp(one, parts, sizeof(one)) == 0,
	    "the stream continues across calls at block boundaries");
	UNIT_CHECK(memcmp(one, one + 64, 64) != 0,
	    "consecutive blocks differ");
	chacha20_xor(key, 5, nonce, one, 0);
	UNIT_CHECK(memcmp(one, parts, sizeof(one)) == 0,
	    "a zero-length call changes nothing");
}

int
main(void)
{
	test_block();
	test_encrypt();
	test_zero_key();
	test_split();
	return unit_done();
}
