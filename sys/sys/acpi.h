/*
 * ACPI tables (dev/acpi/acpi.c): the root pointer, the MADT (which APICs
 * exist and how ISA IRQs map onto IOAPIC inputs), the FADT (power-off and
 * reset), and the MCFG and HPET tables for the drivers that want them.
 * There is no AML interpreter: the one AML object we need, \_S5, is decoded
 * from the DSDT by hand.
 *
 * Locking: everything here is filled in once by acpi_init() during boot and
 * read-only afterwards.
 */
#ifndef _SYS_ACPI_H_
#define _SYS_ACPI_H_

#include <sys/types.h>

#define ACPI_MAX_IOAPICS	8
#define ACPI_MAX_OVERRIDES	16
#define ACPI_MAX_CPUS		64

struct acpi_ioapic {
	uint8_t		aio_id;
	paddr_t		aio_addr;
	uint32_t	aio_gsi_base;
};

struct acpi_override {			/* MADT interrupt source override */
	uint8_t		ao_isa_irq;
	uint32_t	ao_gsi;
	uint16_t	ao_flags;	/* MPS INTI flags: polarity, trigger */
};

struct acpi_info {
	bool		ai_present;		/* tables were found */
	uint8_t		ai_revision;		/* of the RSDP */
	char		ai_oem[7];
	paddr_t		ai_lapic_addr;
	bool		ai_has_8259;		/* MADT PCAT_COMPAT */
	int		ai_ncpus;
	uint8_t		ai_cpu_apic_ids[ACPI_MAX_CPUS];
	int		ai_nioapics;
	struct acpi_ioapic ai_ioapics[ACPI_MAX_IOAPICS];
	int		ai_noverrides;
	struct acpi_override ai_overrides[ACPI_MAX_OVERRIDES];
	paddr_t		ai_hpet_addr;		/* 0: no HPET table */
	paddr_t		ai_mcfg_addr;		/* 0: no MCFG (ECAM) */
	uint8_t		ai_mcfg_bus_start, ai_mcfg_bus_end;
	uint16_t	ai_sci_irq;
	bool		ai_can_poweroff;	/* FADT PM1 + \_S5 decoded */
	bool		ai_can_reset;		/* FADT reset register */
};

extern struct acpi_info acpi_info;

/* Find and check the tables; 0, or -ENODEV when there is no ACPI. */
int	acpi_init(void);
/* The index-th table with this signature ("APIC", "FACP"), or NULL. */
const void *acpi_find_table(const char *sig, int index);
/* Both return only on failure, with -errno. */
int	acpi_poweroff(void);
int	acpi_reset(void);

#endif /* _SYS_ACPI_H_ */
