/*
 * Inside the ACPI code: what acpi.c, its ktests and the unit tests share.
 * Drivers use <sys/acpi.h> instead.
 */
#ifndef _DEV_ACPI_ACPIVAR_H_
#define _DEV_ACPI_ACPIVAR_H_

#include <sys/types.h>

/*
 * Find the \_S5 object in a block of AML (a DSDT or SSDT body) and decode
 * its first two elements, SLP_TYPa and SLP_TYPb (ACPI 6.4, 7.4.2).  Only
 * the plain form "Name (_S5, Package (n) { a, b, ... })" is understood.
 * Pure: no kernel state, so the host unit tests run it as it is.
 * Returns 0, -ENOENT when there is no Name(_S5), or -EINVAL when there is
 * one but it is malformed or out of bounds.
 */
int	acpi_aml_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa,
	    uint8_t *slp_typb);

#endif /* _DEV_ACPI_ACPIVAR_H_ */
