/*
 * Host test of the \_S5 decoder (sys/dev/acpi/acpi_aml.c): the encodings
 * firmware uses, then malformed and truncated AML that it must refuse
 * without reading past the end (run it under AddressSanitizer to check
 * that part: every case is copied into a buffer of exactly its size).
 */
#include <sys/errno.h>
#include <sys/types.h>

#include <dev/acpi/acpivar.h>

#include "unit.h"

static int
decode(const uint8_t *aml, size_t len, uint8_t *a, uint8_t *b)
{
	uint8_t *copy = malloc(len ? len : 1);
	int error;

	memcpy(copy, aml, len);
	*a = *b = 0xee;
	error = acpi_aml_find_s5(copy, len, a, b);
	free(copy);
	return error;
}

#define CASE(name, want_err, want_a, want_b, ...)			\
	do {								\
		static const uint8_t aml_[] = { __VA_ARGS__ };		\
		uint8_t a_, b_;						\
		int e_ = decode(aml_, sizeof(aml_), &a_, &b_);		\
		UNIT_CHECK(e_ == (want_err) && (e_ != 0 ||		\
		    (a_ == (want_a) && b_ == (want_b))),		\
		    "%s: error %d (want %d), SLP_TYP %u/%u (want %u/%u)", \
		    (name), e_, (want_err), a_, b_, (want_a), (want_b)); \
	} while (0)

#define S5	'_', 'S', '5', '_'

/* The encodings firmware uses. */
static void
test_good(void)
{
	/* QEMU: Name (_S5, Package (0x04) { Zero, Zero, Zero, Zero }) */
	CASE("QEMU, all Zero", 0, 0, 0,
	    0x10, 0x20, 0x08, S5, 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00,
	    0x14);
	CASE("BytePrefix 5, 5 after a root prefix", 0, 5, 5,
	    0x08, '\\', S5, 0x12, 0x08, 0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00,
	    0x00);
	CASE("One and WordPrefix", 0, 1, 7,
	    0x08, S5, 0x12, 0x06, 0x02, 0x01, 0x0b, 0x07, 0x00);
	CASE("two-byte PkgLength", 0, 7, 0,
	    0x08, S5, 0x12, 0x47, 0x00, 0x04, 0x0a, 0x07, 0x00, 0x00);
	CASE("DWord and QWord prefixes", 0, 3, 4,
	    0x08, S5, 0x12, 0x10, 0x02, 0x0c, 0x03, 0x00, 0x00, 0x00, 0x0e,
	    0x04, 0, 0, 0, 0, 0, 0, 0);
	CASE("a bad candidate, then a good one", 0, 6, 6,
	    0x08, S5, 0x12, 0x05, 0x02, 0x0d, 'x', 0x00,
	    0x08, S5, 0x12, 0x06, 0x02, 0x0a, 0x06, 0x0a, 0x06);
}

/* What must be refused, and how. */
static void
test_bad(void)
{
	uint8_t a, b;

	CASE("no _S5 at all", -ENOENT, 0, 0,
	    0x08, '_', 'S', '4', '_', 0x12, 0x04, 0x02, 0x00, 0x00);
	CASE("_S5_ not after NameOp (a method)", -ENOENT, 0, 0,
	    0x14, 0x0a, S5, 0x00, 0xa4, 0x12, 0x04, 0x02, 0x00, 0x00);
	CASE("_S5_ at the very start", -ENOENT, 0, 0, S5, 0x12, 0x04, 0x02,
	    0x00, 0x00);
	CASE("ends right after the name", -EINVAL, 0, 0, 0x08, S5);
	CASE("not a package", -EINVAL, 0, 0, 0x08, S5, 0x0a, 0x05);
	CASE("package longer than the table", -EINVAL, 0, 0,
	    0x08, S5, 0x12, 0x0a, 0x04, 0x00, 0x00);
	CASE("PkgLength bytes missing", -EINVAL, 0, 0, 0x08, S5, 0x12, 0xc0);
	CASE("PkgLength reserved bits set", -EINVAL, 0, 0,
	    0x08, S5, 0x12, 0x76, 0x00, 0x02, 0x00, 0x00);
	CASE("PkgLength shorter than its own encoding", -EINVAL, 0, 0,
	    0x08, S5, 0x12, 0x01, 0x02, 0x00, 0x00);
	CASE("one element only", -EINVAL, 0, 0,
	    0x08, S5, 0x12, 0x03, 0x01, 0x00);
	CASE("element cut off by the package end", -EINVAL, 0, 0,
	    0x08, S5, 0x12, 0x04, 0x02, 0x00, 0x0a, 0x05);
	CASE("SLP_TYP wider than 3 bits", -EINVAL, 0, 0,
	    0x08, S5, 0x12, 0x06, 0x02, 0x0a, 0x08, 0x0a, 0x05);
	CASE("Ones is not a sleep type", -EINVAL, 0, 0,
	    0x08, S5, 0x12, 0x04, 0x02, 0xff, 0x00);
	CASE("a string element", -EINVAL, 0, 0,
	    0x08, S5, 0x12, 0x06, 0x02, 0x0d, 'a', 0x00, 0x00);
	UNIT_CHECK(decode(&a, 0, &a, &b) == -ENOENT, "empty AML");
}

static void
test_random(void)
{
	uint8_t buf[64], a, b;
	unsigned int seed = 1, i, j, pos;

	/*
	 * Random bytes around NameOp "_S5_" PackageOp: whatever comes out,
	 * the decoder must stay inside the buffer (ASan) and only accept
	 * 3-bit values.
	 */
	for (i = 0; i < 20000; i++) {
		size_t len = 8 + i % 40;
		int e;

		for (j = 0; j < len; j++) {
			seed = seed * 1103515245 + 12345;
			buf[j] = (uint8_t)(seed >> 16);
		}
		pos = i % (len - 6);
		memcpy(buf + pos, "\x08_S5_\x12", 6);
		e = decode(buf, len, &a, &b);
		if (e == 0 && (a > 7 || b > 7))
			break;
		if (e != 0 && e != -EINVAL && e != -ENOENT)
			break;
	}
	UNIT_CHECK(i == 20000, "20000 random buffers: no bad result "
	    "(stopped at %u)", i);
}

int
main(void)
{
	test_good();
	test_bad();
	test_random();
	return unit_done();
}
