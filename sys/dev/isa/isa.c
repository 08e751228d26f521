/*
 * The ISA "bus": the legacy devices every PC-compatible machine has at fixed
 * I/O ports, described as the platform devices ACPI would name them (by
 * their PNP hardware ids).  Without an AML interpreter we cannot read the
 * DSDT's device list, so this bus offers the standard set; each driver's
 * probe then checks that the hardware really answers before it attaches.
 */
#include <sys/device.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/systm.h>

struct isa_legacy {
	const char	*il_hid;
	const char	*il_desc;
	uint16_t	 il_ioport;
	uint16_t	 il_iosize;
	int		 il_irq;
};

/* The IBM PC/AT assignments (also QEMU's pc and q35 machines). */
static const struct isa_legacy isa_legacy_devices[] = {
	{ "PNP0501", "COM1", 0x3f8, 8, 4 },
	{ "PNP0501", "COM2", 0x2f8, 8, 3 },
	{ "PNP0501", "COM3", 0x3e8, 8, 4 },
	{ "PNP0501", "COM4", 0x2e8, 8, 3 },
	{ "PNP0303", "i8042 keyboard controller", 0x60, 5, 1 },
	{ "PNP0B00", "CMOS real-time clock", 0x70, 2, 8 },
};

/* Add a struct device for each legacy device. */
static int
isa_enumerate(void)
{
	size_t i;

	for (i = 0; i < nitems(isa_legacy_devices); i++) {
		const struct isa_legacy *il = &isa_legacy_devices[i];
		struct device *dv;

		if ((dv = kmalloc(sizeof(*dv), M_ZERO)) == NULL)
			return -ENOMEM;
		dv->dv_bus = BUS_ISA;
		dv->dv_hid = il->il_hid;
		dv->dv_desc = il->il_desc;
		dv->dv_ioport = il->il_ioport;
		dv->dv_iosize = il->il_iosize;
		dv->dv_irq = il->il_irq;
		device_add(dv);
	}
	return 0;
}

static struct bus isa_bus = {
	.bus_name = "isa",
	.bus_type = BUS_ISA,
	.bus_order = 10,
	.bus_enumerate = isa_enumerate,
};
BUS(isa_bus);
