/*
 * A filesystem's UUID (sb_uuid) as text: the 16 bytes in the order they
 * are stored, as 32 hex digits "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".
 * mkfs -U parses it, dumpe and mkfs print it, the kernel's root=UUID=
 * parses it: the same code, so all three agree on what names a volume.
 */
#include "efs_impl.h"

static int
efs_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Parse a textual UUID into its 16 bytes.  Strict (loose false): the
 * canonical 8-4-4-4-12 form, dashes at those places only; loose: 32 hex
 * digits with dashes anywhere between pairs (or none).  Either case of
 * hex digit.  Returns 0, or -EINVAL (uuid then holds garbage).
 */
int
efs_uuid_parse(const char *s, uint8_t uuid[16], bool loose)
{
	int n, hi, lo;

	for (n = 0; n < 16; n++) {
		if (loose) {
			while (*s == '-')
				s++;
		} else if (n == 4 || n == 6 || n == 8 || n == 10) {
			if (*s++ != '-')
				return -EINVAL;
		}
		if ((hi = efs_hexval(s[0])) < 0 || (lo = efs_hexval(s[1])) < 0)
			return -EINVAL;
		uuid[n] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	if (loose)
		while (*s == '-')
			s++;
	return *s == '\0' ? 0 : -EINVAL;
}

/*
 * Format 16 bytes as the canonical text (lower-case hex, 36 characters
 * and a NUL into out).  No locks, no errors.
 */
void
efs_uuid_format(const uint8_t uuid[16], char out[EFS_UUID_STRLEN])
{
	static const char hex[] = "0123456789abcdef";
	char *o = out;
	int n;

	for (n = 0; n < 16; n++) {
		if (n == 4 || n == 6 || n == 8 || n == 10)
			*o++ = '-';
		*o++ = hex[uuid[n] >> 4];
		*o++ = hex[uuid[n] & 0xf];
	}
	*o = '\0';
}
