/*
 * The smallest useful piece of AML decoding: the \_S5 package.
 *
 * Powering off through ACPI means writing the S5 "sleep type" values to
 * the PM1 control registers, and the firmware only tells us those values in
 * AML, as a named package in the DSDT:
 *
 *	08 '_S5_'		NameOp, NameSeg (maybe after a '\')
 *	12 <PkgLength>		PackageOp and the package's length
 *	<NumElements>		one byte
 *	<element> ...		integer constants: SLP_TYPa, SLP_TYPb, ...
 *
 * Rather than interpret AML we search the bytes for that one shape.  Every
 * read is bounds-checked against the table, so a malformed table yields
 * -EINVAL, never a read past its end.  (ACPI 6.4: 20.2.3 data objects,
 * 20.2.4 PkgLength, 20.2.5.2 DefName, 20.2.5.4 DefPackage.)
 */
#include <sys/errno.h>
#include <sys/systm.h>

#include <dev/acpi/acpireg.h>
#include <dev/acpi/acpivar.h>

/*
 * Decode a PkgLength at p (avail bytes readable).  Bits 7-6 of the first
 * byte count the bytes that follow (0-3).  With none, bits 5-0 are the
 * length; otherwise bits 3-0 are its low nibble and each following byte
 * adds the next 8 bits.  Returns the bytes the encoding used, or -EINVAL.
 */
static int
aml_pkglength(const uint8_t *p, size_t avail, uint32_t *lenp)
{
	unsigned int nfollow, i;
	uint32_t len;

	if (avail < 1)
		return -EINVAL;
	nfollow = p[0] >> 6;
	if (avail < 1 + nfollow)
		return -EINVAL;
	if (nfollow == 0) {
		*lenp = p[0] & 0x3f;
		return 1;
	}
	if (p[0] & 0x30)		/* must be zero in the long forms */
		return -EINVAL;
	len = p[0] & 0x0f;
	for (i = 0; i < nfollow; i++)
		len |= (uint32_t)p[1 + i] << (4 + 8 * i);
	*lenp = len;
	return 1 + nfollow;
}

/*
 * Decode an integer constant (ZeroOp, OneOp, OnesOp or a Byte/Word/DWord/
 * QWord prefix and its little-endian value) at p.  Returns the bytes used,
 * or -EINVAL for anything else (a method call, a string, ...).
 */
static int
aml_integer(const uint8_t *p, size_t avail, uint64_t *vp)
{
	size_t n, i;
	uint64_t v;

	if (avail < 1)
		return -EINVAL;
	switch (p[0]) {
	case AML_ZERO_OP:
		*vp = 0;
		return 1;
	case AML_ONE_OP:
		*vp = 1;
		return 1;
	case AML_ONES_OP:
		*vp = ~(uint64_t)0;
		return 1;
	case AML_BYTE_PREFIX:
		n = 1;
		break;
	case AML_WORD_PREFIX:
		n = 2;
		break;
	case AML_DWORD_PREFIX:
		n = 4;
		break;
	case AML_QWORD_PREFIX:
		n = 8;
		break;
	default:
		return -EINVAL;
	}
	if (avail < 1 + n)
		return -EINVAL;
	v = 0;
	for (i = 0; i < n; i++)
		v |= (uint64_t)p[1 + i] << (8 * i);
	*vp = v;
	return 1 + n;
}

/*
 * Decode the package that follows the name "_S5_": p points at the byte
 * after the name, avail bytes are left in the table.
 */
static int
aml_s5_package(const uint8_t *p, size_t avail, uint8_t *typa, uint8_t *typb)
{
	uint64_t val[2];
	uint32_t pkglen;
	size_t pos, end;
	int n, i;

	if (avail < 1 || p[0] != AML_PACKAGE_OP)
		return -EINVAL;
	n = aml_pkglength(p + 1, avail - 1, &pkglen);
	if (n < 0)
		return n;
	/* PkgLength counts itself and the package body, not PackageOp. */
	if (pkglen < (uint32_t)n + 1 || pkglen > avail - 1)
		return -EINVAL;
	end = 1 + (size_t)pkglen;
	pos = 1 + (size_t)n;
	if (p[pos++] < 2)		/* NumElements */
		return -EINVAL;
	for (i = 0; i < 2; i++) {
		n = aml_integer(p + pos, end - pos, &val[i]);
		if (n < 0)
			return n;
		pos += n;
	}
	/* SLP_TYPx is a 3-bit field of PM1x_CNT. */
	if (val[0] > 7 || val[1] > 7)
		return -EINVAL;
	*typa = (uint8_t)val[0];
	*typb = (uint8_t)val[1];
	return 0;
}

/*
 * Search aml (len bytes) for NameOp [\] "_S5_" and decode its package.
 * Returns 0 with the values, -ENOENT if no such name exists, or -EINVAL
 * if the only candidates are malformed.
 */
int
acpi_aml_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa,
    uint8_t *slp_typb)
{
	int error = -ENOENT;
	size_t i;

	for (i = 1; i + 4 <= len; i++) {
		if (aml[i] != '_' || memcmp(aml + i, "_S5_", 4) != 0)
			continue;
		if (aml[i - 1] != AML_NAME_OP &&
		    !(i >= 2 && aml[i - 1] == AML_ROOT_CHAR &&
		    aml[i - 2] == AML_NAME_OP))
			continue;
		error = aml_s5_package(aml + i + 4, len - i - 4, slp_typa,
		    slp_typb);
		if (error == 0)
			return 0;
	}
	return error;
}
