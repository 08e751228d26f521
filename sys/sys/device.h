/*
 * The driver model.
 *
 * A bus finds devices and describes each with a struct device; a driver
 * says what it matches (a table of PCI ids, or the ACPI/PNP hardware ids of
 * platform devices such as "PNP0501", the 16550 UART) and how to attach.
 * Buses and drivers are collected at link time through the set_buses and
 * set_drivers sections, so adding a driver never touches kern/main.c:
 *
 *	static const char *const com_hids[] = { "PNP0501", NULL };
 *	static struct driver com_driver = {
 *		.drv_name = "com", .drv_bus = BUS_ISA, .drv_hids = com_hids,
 *		.drv_softc_size = sizeof(struct com_softc),
 *		.drv_probe = com_probe, .drv_attach = com_attach,
 *	};
 *	DRIVER(com_driver);
 *
 * device_init() asks every bus, in bus_order, to enumerate; each device it
 * adds is offered to the drivers of its bus until one probes it (returns 0)
 * and attaches.  A probe or attach that fails logs why; the device stays
 * unattached and boot goes on.
 *
 * Locking: the device list is built during boot, on one CPU, before the
 * scheduler starts; it is read-only afterwards ([B] below).
 */
#ifndef _SYS_DEVICE_H_
#define _SYS_DEVICE_H_

#include <sys/types.h>

enum bus_type {
	BUS_ISA = 1,		/* legacy PC / ACPI platform devices */
	BUS_PCI,
};

#define PCI_ANY		0xffff
struct pci_id {
	uint16_t	pid_vendor;	/* PCI_ANY matches any */
	uint16_t	pid_device;	/* PCI_ANY matches any */
};

struct driver;
struct pci_func;

struct device {
	struct device	*dv_next;	/* [B] all devices */
	enum bus_type	 dv_bus;	/* [B] */
	char		 dv_name[16];	/* [B] "com0" once attached */
	const struct driver *dv_driver;	/* [B] NULL: unattached */
	void		*dv_softc;	/* [B] driver state, zeroed */
	int		 dv_unit;	/* [B] */

	/* BUS_ISA: platform devices. */
	const char	*dv_hid;	/* [B] PNP id, "PNP0501" */
	const char	*dv_desc;	/* [B] "COM1", for the log */
	uint16_t	 dv_ioport;	/* [B] first I/O port, 0 none */
	uint16_t	 dv_iosize;	/* [B] */
	int		 dv_irq;	/* [B] ISA IRQ, -1 none */

	/* BUS_PCI */
	uint8_t		 dv_pci_bus, dv_pci_slot, dv_pci_func;
	uint16_t	 dv_pci_vendor, dv_pci_device;
	uint8_t		 dv_pci_class, dv_pci_subclass, dv_pci_progif;
	struct pci_func	*dv_pci;	/* [B] dev/pci's state: ECAM, BARs,
					   interrupts (dev/pci/pcivar.h) */
};

struct driver {
	const char	*drv_name;	/* unit numbers are appended */
	enum bus_type	 drv_bus;
	const char *const *drv_hids;	/* BUS_ISA: NULL-terminated */
	const struct pci_id *drv_pci_ids; /* BUS_PCI: ends with {0, 0} */
	size_t		 drv_softc_size;
	int		(*drv_probe)(struct device *);	/* optional */
	int		(*drv_attach)(struct device *);
};

struct bus {
	const char	*bus_name;
	enum bus_type	 bus_type;
	int		 bus_order;	/* lower enumerates first */
	int		(*bus_enumerate)(void);
};

#define DRIVER(sym)							\
	static const struct driver *const __driver_##sym		\
	    __section("set_drivers") __used = &(sym)
#define BUS(sym)							\
	static const struct bus *const __bus_##sym			\
	    __section("set_buses") __used = &(sym)

/* Called by a bus's enumerate function for every device it finds. */
int	device_add(struct device *dv);
/* Boot: enumerate every bus and attach drivers; returns devices attached. */
int	device_init(void);
/* Iterate: device_first(), then device_next(dv) until NULL. */
struct device *device_first(void);
struct device *device_next(struct device *dv);

#endif /* _SYS_DEVICE_H_ */
