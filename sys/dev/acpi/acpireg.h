/*
 * ACPI table layouts, as the firmware lays them out in memory.
 *
 * Everything is little-endian and packed.  Section numbers are those of the
 * ACPI Specification 6.4; the HPET table is from the IA-PC HPET
 * specification 1.0a and the MCFG table from the PCI Firmware
 * specification 3.0.  Only the tables and fields EclipseOS reads are here.
 */
#ifndef _DEV_ACPI_ACPIREG_H_
#define _DEV_ACPI_ACPIREG_H_

#include <sys/types.h>

/*
 * The Root System Description Pointer (5.2.5.3).  ACPI 1.0 defines the
 * first 20 bytes (covered by rsdp_checksum); revision 2 and later add the
 * rest (covered by rsdp_xchecksum, over rsdp_length bytes).
 */
#define ACPI_RSDP_SIG		"RSD PTR "
#define ACPI_RSDP_V1_LEN	20
#define ACPI_RSDP_V2_LEN	36

struct acpi_rsdp {
	char		rsdp_sig[8];
	uint8_t		rsdp_checksum;
	char		rsdp_oem[6];
	uint8_t		rsdp_revision;	/* 0: ACPI 1.0; 2: 2.0 and later */
	uint32_t	rsdp_rsdt;	/* physical address of the RSDT */
	uint32_t	rsdp_length;	/* of this structure, rev >= 2 */
	uint64_t	rsdp_xsdt;	/* physical address of the XSDT */
	uint8_t		rsdp_xchecksum;
	uint8_t		rsdp_reserved[3];
} __packed;

_Static_assert(sizeof(struct acpi_rsdp) == ACPI_RSDP_V2_LEN, "rsdp size");
_Static_assert(offsetof(struct acpi_rsdp, rsdp_length) == ACPI_RSDP_V1_LEN,
    "rsdp v1 part");
_Static_assert(offsetof(struct acpi_rsdp, rsdp_xsdt) == 24, "rsdp xsdt");

/* Where to look for the RSDP on a PC BIOS machine (5.2.5.1). */
#define ACPI_EBDA_PTR		0x40e	/* 16-bit real-mode segment of EBDA */
#define ACPI_EBDA_SEARCH_LEN	1024	/* the first KiB of the EBDA */
#define ACPI_BIOS_START		0xe0000
#define ACPI_BIOS_END		0x100000
#define ACPI_RSDP_ALIGN		16

/* The header every description table starts with (5.2.6). */
struct acpi_sdt_header {
	char		sdt_sig[4];
	uint32_t	sdt_length;	/* of the whole table, with header */
	uint8_t		sdt_revision;
	uint8_t		sdt_checksum;	/* all bytes of the table sum to 0 */
	char		sdt_oem[6];
	char		sdt_oem_table[8];
	uint32_t	sdt_oem_revision;
	uint32_t	sdt_creator;
	uint32_t	sdt_creator_revision;
} __packed;

_Static_assert(sizeof(struct acpi_sdt_header) == 36, "sdt header size");

/*
 * The RSDT (5.2.7) and XSDT (5.2.8) are a header followed by 32-bit or
 * 64-bit physical addresses of the other tables.  The XSDT's entries are
 * only 4-byte aligned, so they are read with memcpy.
 */
#define ACPI_SIG_RSDT		"RSDT"
#define ACPI_SIG_XSDT		"XSDT"
#define ACPI_SIG_MADT		"APIC"
#define ACPI_SIG_FADT		"FACP"
#define ACPI_SIG_DSDT		"DSDT"
#define ACPI_SIG_HPET		"HPET"
#define ACPI_SIG_MCFG		"MCFG"

/* Generic Address Structure (5.2.3.2). */
#define ACPI_GAS_MEMORY		0	/* system memory space */
#define ACPI_GAS_IO		1	/* system I/O space */
#define ACPI_GAS_PCI		2	/* PCI configuration space */

#define ACPI_GAS_ACCESS_UNDEF	0	/* use gas_bit_width */
#define ACPI_GAS_ACCESS_BYTE	1
#define ACPI_GAS_ACCESS_WORD	2
#define ACPI_GAS_ACCESS_DWORD	3
#define ACPI_GAS_ACCESS_QWORD	4

struct acpi_gas {
	uint8_t		gas_space;	/* ACPI_GAS_* */
	uint8_t		gas_bit_width;
	uint8_t		gas_bit_offset;
	uint8_t		gas_access_size; /* ACPI_GAS_ACCESS_* */
	uint64_t	gas_address;
} __packed;

_Static_assert(sizeof(struct acpi_gas) == 12, "gas size");

/*
 * A PCI configuration-space GAS address (5.2.3.2): bus 0,
 * device in bits 32-47, function in bits 16-31, register in bits 0-15.
 */
#define ACPI_GAS_PCI_DEV(a)	(((a) >> 32) & 0xffff)
#define ACPI_GAS_PCI_FUNC(a)	(((a) >> 16) & 0xffff)
#define ACPI_GAS_PCI_REG(a)	((a) & 0xffff)

/*
 * The Multiple APIC Description Table (5.2.12): a header, the local APIC
 * address and flags, then variable-length entries that each start with a
 * type and a length byte.
 */
#define ACPI_MADT_PCAT_COMPAT	0x00000001	/* there is an 8259 pair too */

struct acpi_madt {
	struct acpi_sdt_header madt_hdr;
	uint32_t	madt_lapic_addr;
	uint32_t	madt_flags;
} __packed;

_Static_assert(sizeof(struct acpi_madt) == 44, "madt size");

struct acpi_madt_entry {
	uint8_t		me_type;
	uint8_t		me_length;	/* of the entry, these two included */
} __packed;

#define ACPI_MADT_LAPIC		0	/* 5.2.12.2 */
#define ACPI_MADT_IOAPIC	1	/* 5.2.12.3 */
#define ACPI_MADT_OVERRIDE	2	/* 5.2.12.5 */
#define ACPI_MADT_NMI_SRC	3	/* 5.2.12.6 */
#define ACPI_MADT_LAPIC_NMI	4	/* 5.2.12.7 */
#define ACPI_MADT_LAPIC_ADDR	5	/* 5.2.12.8 */
#define ACPI_MADT_X2APIC	9	/* 5.2.12.12 */

#define ACPI_MADT_LAPIC_ENABLED		0x1
#define ACPI_MADT_LAPIC_ONLINE_CAPABLE	0x2

struct acpi_madt_lapic {
	struct acpi_madt_entry ml_entry;
	uint8_t		ml_uid;		/* ACPI processor UID */
	uint8_t		ml_apic_id;
	uint32_t	ml_flags;	/* ACPI_MADT_LAPIC_* */
} __packed;

_Static_assert(sizeof(struct acpi_madt_lapic) == 8, "madt lapic");

struct acpi_madt_ioapic {
	struct acpi_madt_entry mi_entry;
	uint8_t		mi_id;
	uint8_t		mi_reserved;
	uint32_t	mi_addr;
	uint32_t	mi_gsi_base;
} __packed;

_Static_assert(sizeof(struct acpi_madt_ioapic) == 12, "madt ioapic");

struct acpi_madt_override {
	struct acpi_madt_entry mo_entry;
	uint8_t		mo_bus;		/* 0: ISA */
	uint8_t		mo_source;	/* the ISA IRQ */
	uint32_t	mo_gsi;
	uint16_t	mo_flags;	/* MPS INTI flags, below */
} __packed;

_Static_assert(sizeof(struct acpi_madt_override) == 10, "madt override");

/* MPS INTI flags (5.2.12.5). */
#define ACPI_INTI_POLARITY_MASK	0x0003
#define ACPI_INTI_POLARITY_BUS	0x0000	/* conforms to the bus: ISA high */
#define ACPI_INTI_POLARITY_HIGH	0x0001
#define ACPI_INTI_POLARITY_RSVD	0x0002
#define ACPI_INTI_POLARITY_LOW	0x0003
#define ACPI_INTI_TRIGGER_MASK	0x000c
#define ACPI_INTI_TRIGGER_BUS	0x0000	/* conforms to the bus: ISA edge */
#define ACPI_INTI_TRIGGER_EDGE	0x0004
#define ACPI_INTI_TRIGGER_RSVD	0x0008
#define ACPI_INTI_TRIGGER_LEVEL	0x000c

struct acpi_madt_lapic_addr {
	struct acpi_madt_entry mla_entry;
	uint16_t	mla_reserved;
	uint64_t	mla_addr;
} __packed;

_Static_assert(sizeof(struct acpi_madt_lapic_addr) == 12, "madt lapic addr");

struct acpi_madt_x2apic {
	struct acpi_madt_entry mx_entry;
	uint16_t	mx_reserved;
	uint32_t	mx_apic_id;
	uint32_t	mx_flags;	/* ACPI_MADT_LAPIC_* */
	uint32_t	mx_uid;
} __packed;

_Static_assert(sizeof(struct acpi_madt_x2apic) == 16, "madt x2apic");

/*
 * The Fixed ACPI Description Table (5.2.9).  Revision 1 tables
 * end after fadt_flags (116 bytes); revision 3 added the reset register
 * and the 64-bit X_ fields; later revisions add the sleep registers.  A
 * field may only be read when the table's length covers it
 * (ACPI_FADT_HAS below).
 */
struct acpi_fadt {
	struct acpi_sdt_header fadt_hdr;
	uint32_t	fadt_facs;
	uint32_t	fadt_dsdt;
	uint8_t		fadt_reserved1;
	uint8_t		fadt_pm_profile;
	uint16_t	fadt_sci_int;
	uint32_t	fadt_smi_cmd;
	uint8_t		fadt_acpi_enable;
	uint8_t		fadt_acpi_disable;
	uint8_t		fadt_s4bios_req;
	uint8_t		fadt_pstate_cnt;
	uint32_t	fadt_pm1a_evt_blk;
	uint32_t	fadt_pm1b_evt_blk;
	uint32_t	fadt_pm1a_cnt_blk;
	uint32_t	fadt_pm1b_cnt_blk;
	uint32_t	fadt_pm2_cnt_blk;
	uint32_t	fadt_pm_tmr_blk;
	uint32_t	fadt_gpe0_blk;
	uint32_t	fadt_gpe1_blk;
	uint8_t		fadt_pm1_evt_len;
	uint8_t		fadt_pm1_cnt_len;
	uint8_t		fadt_pm2_cnt_len;
	uint8_t		fadt_pm_tmr_len;
	uint8_t		fadt_gpe0_blk_len;
	uint8_t		fadt_gpe1_blk_len;
	uint8_t		fadt_gpe1_base;
	uint8_t		fadt_cst_cnt;
	uint16_t	fadt_p_lvl2_lat;
	uint16_t	fadt_p_lvl3_lat;
	uint16_t	fadt_flush_size;
	uint16_t	fadt_flush_stride;
	uint8_t		fadt_duty_offset;
	uint8_t		fadt_duty_width;
	uint8_t		fadt_day_alrm;
	uint8_t		fadt_mon_alrm;
	uint8_t		fadt_century;	/* CMOS index of the century, 0: none */
	uint16_t	fadt_iapc_boot_arch;
	uint8_t		fadt_reserved2;
	uint32_t	fadt_flags;
	struct acpi_gas	fadt_reset_reg;
	uint8_t		fadt_reset_value;
	uint16_t	fadt_arm_boot_arch;
	uint8_t		fadt_minor_version;
	uint64_t	fadt_x_facs;
	uint64_t	fadt_x_dsdt;
	struct acpi_gas	fadt_x_pm1a_evt_blk;
	struct acpi_gas	fadt_x_pm1b_evt_blk;
	struct acpi_gas	fadt_x_pm1a_cnt_blk;
	struct acpi_gas	fadt_x_pm1b_cnt_blk;
	struct acpi_gas	fadt_x_pm2_cnt_blk;
	struct acpi_gas	fadt_x_pm_tmr_blk;
	struct acpi_gas	fadt_x_gpe0_blk;
	struct acpi_gas	fadt_x_gpe1_blk;
	struct acpi_gas	fadt_sleep_control_reg;
	struct acpi_gas	fadt_sleep_status_reg;
	uint64_t	fadt_hypervisor_id;
} __packed;

_Static_assert(offsetof(struct acpi_fadt, fadt_dsdt) == 40, "fadt dsdt");
_Static_assert(offsetof(struct acpi_fadt, fadt_sci_int) == 46, "fadt sci");
_Static_assert(offsetof(struct acpi_fadt, fadt_pm1a_cnt_blk) == 64,
    "fadt pm1a_cnt");
_Static_assert(offsetof(struct acpi_fadt, fadt_pm1_cnt_len) == 89,
    "fadt pm1_cnt_len");
_Static_assert(offsetof(struct acpi_fadt, fadt_century) == 108,
    "fadt century");
_Static_assert(offsetof(struct acpi_fadt, fadt_flags) == 112, "fadt flags");
_Static_assert(offsetof(struct acpi_fadt, fadt_reset_reg) == 116,
    "fadt reset_reg");
_Static_assert(offsetof(struct acpi_fadt, fadt_reset_value) == 128,
    "fadt reset_value");
_Static_assert(offsetof(struct acpi_fadt, fadt_x_dsdt) == 140, "fadt x_dsdt");
_Static_assert(offsetof(struct acpi_fadt, fadt_x_pm1a_cnt_blk) == 172,
    "fadt x_pm1a_cnt");
_Static_assert(offsetof(struct acpi_fadt, fadt_sleep_control_reg) == 244,
    "fadt sleep_control");
_Static_assert(sizeof(struct acpi_fadt) == 276, "fadt size");

/* Whether table f (of length len) is long enough to hold field. */
#define ACPI_FADT_HAS(len, field)					\
	((len) >= offsetof(struct acpi_fadt, field) +			\
	    sizeof(((struct acpi_fadt *)0)->field))

/* fadt_flags (5.2.9.1) */
#define ACPI_FADT_RESET_REG_SUP	(1U << 10)
#define ACPI_FADT_HW_REDUCED	(1U << 20)

/* fadt_iapc_boot_arch (5.2.9.3) */
#define ACPI_IAPC_LEGACY_DEVICES	0x0001
#define ACPI_IAPC_8042			0x0002
#define ACPI_IAPC_CMOS_RTC_ABSENT	0x0020

/* The PM1 control register (4.8.3.2.1). */
#define ACPI_PM1_SCI_EN		0x0001
#define ACPI_PM1_SLP_TYP_SHIFT	10
#define ACPI_PM1_SLP_TYP_MASK	(0x7 << ACPI_PM1_SLP_TYP_SHIFT)
#define ACPI_PM1_SLP_EN		0x2000

/* The sleep control register of hardware-reduced ACPI (4.8.3.7). */
#define ACPI_SLEEP_TYP_SHIFT	2
#define ACPI_SLEEP_TYP_MASK	(0x7 << ACPI_SLEEP_TYP_SHIFT)
#define ACPI_SLEEP_EN		0x20

/* The HPET description table (IA-PC HPET specification 1.0a, 3.2.4). */
struct acpi_hpet {
	struct acpi_sdt_header hpet_hdr;
	uint32_t	hpet_block_id;
	struct acpi_gas	hpet_base;
	uint8_t		hpet_number;
	uint16_t	hpet_min_tick;
	uint8_t		hpet_attributes;
} __packed;

_Static_assert(sizeof(struct acpi_hpet) == 56, "hpet table size");
_Static_assert(offsetof(struct acpi_hpet, hpet_base) == 40, "hpet base");

/*
 * The PCI Express memory-mapped configuration table (PCI Firmware
 * specification 3.0, 4.1.2): a header, 8 reserved bytes, then one entry per
 * ECAM region.
 */
struct acpi_mcfg {
	struct acpi_sdt_header mcfg_hdr;
	uint8_t		mcfg_reserved[8];
} __packed;

struct acpi_mcfg_entry {
	uint64_t	mce_base;
	uint16_t	mce_segment;
	uint8_t		mce_bus_start;
	uint8_t		mce_bus_end;
	uint32_t	mce_reserved;
} __packed;

_Static_assert(sizeof(struct acpi_mcfg) == 44, "mcfg size");
_Static_assert(sizeof(struct acpi_mcfg_entry) == 16, "mcfg entry size");

/*
 * The few AML encodings the \_S5 decoder understands (20.2): a named
 * object (DefName := NameOp NameString DataRefObject) whose value is a
 * package (DefPackage := PackageOp PkgLength NumElements PackageElementList)
 * of integer constants.
 */
#define AML_ZERO_OP		0x00
#define AML_ONE_OP		0x01
#define AML_NAME_OP		0x08
#define AML_BYTE_PREFIX		0x0a
#define AML_WORD_PREFIX		0x0b
#define AML_DWORD_PREFIX	0x0c
#define AML_QWORD_PREFIX	0x0e
#define AML_PACKAGE_OP		0x12
#define AML_ROOT_CHAR		0x5c	/* '\' */
#define AML_ONES_OP		0xff

#endif /* _DEV_ACPI_ACPIREG_H_ */
