/*
 * ACPI tables: find them, check them, and pull out the few facts the
 * kernel needs (sys/acpi.h).
 *
 * The firmware leaves a Root System Description Pointer (RSDP) in memory;
 * it points to the XSDT (64-bit entries, ACPI 2.0+) or the RSDT (32-bit),
 * a list of the physical addresses of all other tables.  Each table starts
 * with the same header, whose bytes (like the whole table) sum to zero.
 * A table with a bad checksum is logged and ignored, never trusted.
 *
 * From the MADT we learn where the local APIC and the IOAPICs are and how
 * ISA IRQs are wired to IOAPIC inputs; from the FADT the power-management
 * registers, the reset register and where the DSDT is, whose AML holds the
 * \_S5 sleep-type values needed to power off (decoded in acpi_aml.c); from
 * HPET and MCFG the addresses of the HPET and of PCIe configuration space.
 *
 * Section numbers are those of the ACPI Specification 6.4.
 *
 * Locking: acpi_init() runs once during boot, on one CPU, before
 * interrupts are enabled; everything it fills in ([B] below) is read-only
 * afterwards.  acpi_poweroff() and acpi_reset() only read that state.
 */
#include <sys/acpi.h>
#include <sys/bootinfo.h>
#include <sys/clock.h>
#include <sys/errno.h>
#include <sys/param.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/pmap.h>

#include <dev/acpi/acpireg.h>
#include <dev/acpi/acpivar.h>

#define ACPI_MAX_TABLES		64
#define ACPI_MAX_TABLE_LEN	(16U << 20)	/* sanity bound: 16 MiB */

struct acpi_info acpi_info;			/* [B] */

/* Every table whose checksum was right, in the order the XSDT lists them. */
static const struct acpi_sdt_header *acpi_tables[ACPI_MAX_TABLES]; /* [B] */
static int acpi_ntables;				/* [B] */

/*
 * What power-off and reset need, from the FADT and the DSDT.
 * Locks protecting members of this struct:
 *	B	written by acpi_init() during boot, read-only afterwards
 */
static struct acpi_power {
	struct acpi_gas	ap_pm1a_cnt;		/* [B] address 0: none */
	struct acpi_gas	ap_pm1b_cnt;		/* [B] address 0: none */
	struct acpi_gas	ap_sleep_cnt;		/* [B] hardware-reduced */
	bool		ap_hw_reduced;		/* [B] */
	uint8_t		ap_slp_typa;		/* [B] from \_S5 */
	uint8_t		ap_slp_typb;		/* [B] */
	bool		ap_s5_ok;		/* [B] the two above are set */
	uint32_t	ap_smi_cmd;		/* [B] 0: no legacy mode */
	uint8_t		ap_acpi_enable;		/* [B] */
	struct acpi_gas	ap_reset_reg;		/* [B] */
	uint8_t		ap_reset_value;		/* [B] */
} acpi_power;

static uint8_t
acpi_sum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len-- > 0)
		sum += *b++;
	return sum;
}

/* "io 0x604", "mem 0xfed00000" or "none", for the log. */
static const char *
acpi_gas_name(const struct acpi_gas *g, char *buf, size_t size)
{
	static const char *const spaces[] = { "mem", "io", "pci" };

	if (g->gas_address == 0)
		return "none";
	if (g->gas_space < nitems(spaces))
		ksnprintf(buf, size, "%s 0x%lx", spaces[g->gas_space],
		    g->gas_address);
	else
		ksnprintf(buf, size, "space %u 0x%lx", g->gas_space,
		    g->gas_address);
	return buf;
}

/*
 * Check an RSDP of which avail bytes are readable: the signature, the
 * ACPI 1.0 checksum and, for revision 2 and later, the length and the
 * extended checksum (5.2.5.3).
 */
static bool
acpi_rsdp_valid(const struct acpi_rsdp *r, size_t avail)
{
	if (avail < ACPI_RSDP_V1_LEN ||
	    memcmp(r->rsdp_sig, ACPI_RSDP_SIG, 8) != 0 ||
	    acpi_sum(r, ACPI_RSDP_V1_LEN) != 0)
		return false;
	if (r->rsdp_revision < 2)
		return true;
	if (avail < ACPI_RSDP_V2_LEN || r->rsdp_length < ACPI_RSDP_V2_LEN ||
	    r->rsdp_length > avail)
		return false;
	return acpi_sum(r, r->rsdp_length) == 0;
}

/* Scan [start, start + len) on 16-byte boundaries for a valid RSDP. */
static paddr_t
acpi_rsdp_scan(paddr_t start, size_t len)
{
	const uint8_t *va;
	size_t off;

	va = pmap_mapdev(start, len);
	if (va == NULL)
		return 0;
	for (off = 0; off + ACPI_RSDP_V1_LEN <= len; off += ACPI_RSDP_ALIGN) {
		if (acpi_rsdp_valid((const void *)(va + off), len - off))
			return start + off;
	}
	return 0;
}

/*
 * Find the RSDP and copy it to *rsdp: the loader's copy (multiboot2), the
 * address the loader gave (PVH), or a search of the EBDA's first KiB and
 * of the BIOS area 0xe0000-0xfffff (5.2.5.1).  Returns where it came
 * from, for the log, or NULL.
 */
static const char *
acpi_find_rsdp(struct acpi_rsdp *rsdp)
{
	const uint16_t *ebda_seg;
	const void *va;
	paddr_t pa = 0, ebda;
	const char *from;

	memset(rsdp, 0, sizeof(*rsdp));
	if (bootinfo.bi_rsdp_copy_len > 0) {
		if (acpi_rsdp_valid((const void *)bootinfo.bi_rsdp_copy,
		    bootinfo.bi_rsdp_copy_len)) {
			memcpy(rsdp, bootinfo.bi_rsdp_copy,
			    MIN((size_t)bootinfo.bi_rsdp_copy_len,
			    sizeof(*rsdp)));
			return "the loader's copy";
		}
		klog("acpi", "the loader's copy of the RSDP is invalid; "
		    "searching");
	}
	if (bootinfo.bi_rsdp != 0) {
		va = pmap_mapdev(bootinfo.bi_rsdp, sizeof(*rsdp));
		if (va != NULL && acpi_rsdp_valid(va, sizeof(*rsdp))) {
			pa = bootinfo.bi_rsdp;
			from = "the loader's address";
			goto found;
		}
		klog("acpi", "no valid RSDP at 0x%lx (from the loader); "
		    "searching", bootinfo.bi_rsdp);
	}
	ebda_seg = pmap_mapdev(ACPI_EBDA_PTR, sizeof(*ebda_seg));
	if (ebda_seg != NULL) {
		ebda = (paddr_t)*ebda_seg << 4;
		/* A sane EBDA lies in conventional memory below 640 KiB. */
		if (ebda >= 0x80000 && ebda < 0xa0000 &&
		    (pa = acpi_rsdp_scan(ebda, ACPI_EBDA_SEARCH_LEN)) != 0) {
			from = "the EBDA";
			goto found;
		}
	}
	pa = acpi_rsdp_scan(ACPI_BIOS_START, ACPI_BIOS_END - ACPI_BIOS_START);
	if (pa != 0) {
		from = "the BIOS area";
		goto found;
	}
	return NULL;
found:
	va = pmap_mapdev(pa, sizeof(*rsdp));
	if (va == NULL)
		return NULL;
	memcpy(rsdp, va, ((const struct acpi_rsdp *)va)->rsdp_revision >= 2 ?
	    sizeof(*rsdp) : ACPI_RSDP_V1_LEN);
	return from;
}

/*
 * Map the table at physical address pa and check its length and checksum;
 * if sig is not NULL the signature must match too.  Logs one line for the
 * table either way.  Returns the table, or NULL when it must be ignored.
 */
static const struct acpi_sdt_header *
acpi_map_table(paddr_t pa, const char *sig)
{
	const struct acpi_sdt_header *h;
	uint32_t len;

	if (pa == 0)
		return NULL;
	h = pmap_mapdev(pa, sizeof(*h));
	if (h == NULL) {
		klog("acpi", "cannot map the table at 0x%lx", pa);
		return NULL;
	}
	len = h->sdt_length;
	if (sig != NULL && memcmp(h->sdt_sig, sig, 4) != 0) {
		klog("acpi", "table at 0x%lx is \"%.4s\", expected %s; ignored",
		    pa, h->sdt_sig, sig);
		return NULL;
	}
	if (len < sizeof(*h) || len > ACPI_MAX_TABLE_LEN) {
		klog("acpi", "%.4s at 0x%lx has a bad length %u; ignored",
		    h->sdt_sig, pa, len);
		return NULL;
	}
	h = pmap_mapdev(pa, len);
	if (h == NULL) {
		klog("acpi", "cannot map %u bytes at 0x%lx", len, pa);
		return NULL;
	}
	if (acpi_sum(h, len) != 0) {
		klog("acpi", "%.4s at 0x%lx has a bad checksum; ignored",
		    h->sdt_sig, pa);
		return NULL;
	}
	klog("acpi", "%.4s at 0x%08lx len %5u rev %u %.6s %.8s", h->sdt_sig,
	    pa, len, h->sdt_revision, h->sdt_oem, h->sdt_oem_table);
	return h;
}

/*
 * Map the XSDT (preferred, 5.2.8) or the RSDT (5.2.7) and every table it
 * lists; keep those that pass their checks.
 */
static int
acpi_load_tables(const struct acpi_rsdp *rsdp)
{
	const struct acpi_sdt_header *root = NULL, *t;
	const uint8_t *entries;
	size_t esize, n, i;
	uint64_t pa;
	uint32_t pa32;

	if (rsdp->rsdp_revision >= 2 && rsdp->rsdp_xsdt != 0) {
		root = acpi_map_table(rsdp->rsdp_xsdt, ACPI_SIG_XSDT);
		esize = 8;
	}
	if (root == NULL) {
		root = acpi_map_table(rsdp->rsdp_rsdt, ACPI_SIG_RSDT);
		esize = 4;
	}
	if (root == NULL)
		return -ENODEV;
	entries = (const uint8_t *)(root + 1);
	n = (root->sdt_length - sizeof(*root)) / esize;
	for (i = 0; i < n; i++) {
		if (esize == 8) {
			memcpy(&pa, entries + i * 8, 8);
		} else {
			memcpy(&pa32, entries + i * 4, 4);
			pa = pa32;
		}
		if ((t = acpi_map_table(pa, NULL)) == NULL)
			continue;
		if (acpi_ntables == ACPI_MAX_TABLES) {
			klog("acpi", "more than %d tables; %.4s and later "
			    "ignored", ACPI_MAX_TABLES, t->sdt_sig);
			break;
		}
		acpi_tables[acpi_ntables++] = t;
	}
	return 0;
}

/*
 * Return the index-th table (counting from 0) whose signature is sig, or
 * NULL.  The DSDT, which the FADT points to, is found here too.  Needs no
 * lock: the list is read-only after acpi_init().
 */
const void *
acpi_find_table(const char *sig, int index)
{
	int i;

	for (i = 0; i < acpi_ntables; i++) {
		if (memcmp(acpi_tables[i]->sdt_sig, sig, 4) == 0 &&
		    index-- == 0)
			return acpi_tables[i];
	}
	return NULL;
}

static void
acpi_madt_override(const struct acpi_madt_override *mo)
{
	struct acpi_override *ao;

	if (mo->mo_bus != 0) {
		klog("acpi", "MADT: override for bus %u ignored (not ISA)",
		    mo->mo_bus);
		return;
	}
	if (acpi_info.ai_noverrides == ACPI_MAX_OVERRIDES) {
		klog("acpi", "MADT: too many overrides; IRQ %u ignored",
		    mo->mo_source);
		return;
	}
	ao = &acpi_info.ai_overrides[acpi_info.ai_noverrides++];
	ao->ao_isa_irq = mo->mo_source;
	ao->ao_gsi = mo->mo_gsi;
	ao->ao_flags = mo->mo_flags;
}

static void
acpi_madt_cpu(uint32_t apic_id, uint32_t flags)
{
	if (!(flags & ACPI_MADT_LAPIC_ENABLED))
		return;
	if (apic_id > 0xff || acpi_info.ai_ncpus == ACPI_MAX_CPUS) {
		klog("acpi", "MADT: CPU with APIC id %u not recorded", apic_id);
		return;
	}
	acpi_info.ai_cpu_apic_ids[acpi_info.ai_ncpus++] = (uint8_t)apic_id;
}

/* One line: "ISA IRQ 0->GSI 2, 9->9 level" (5.2.12.5). */
static void
acpi_log_overrides(void)
{
	const struct acpi_override *ao;
	char line[200];
	size_t n = 0;
	int i;

	if (acpi_info.ai_noverrides == 0)
		return;
	for (i = 0; i < acpi_info.ai_noverrides && n < sizeof(line); i++) {
		ao = &acpi_info.ai_overrides[i];
		n += ksnprintf(line + n, sizeof(line) - n, "%s%u->%u%s%s",
		    i == 0 ? "" : ", ", ao->ao_isa_irq, ao->ao_gsi,
		    (ao->ao_flags & ACPI_INTI_TRIGGER_MASK) ==
		    ACPI_INTI_TRIGGER_LEVEL ? " level" : "",
		    (ao->ao_flags & ACPI_INTI_POLARITY_MASK) ==
		    ACPI_INTI_POLARITY_LOW ? " low" : "");
	}
	klog("acpi", "MADT overrides, ISA IRQ->GSI: %s", line);
}

/* One MADT entry (5.2.12.2-5.2.12.12); me_length is already checked. */
static void
acpi_madt_entry(const struct acpi_madt_entry *me)
{
	const struct acpi_madt_ioapic *mi = (const void *)me;
	const struct acpi_madt_lapic_addr *mla = (const void *)me;
	const struct acpi_madt_lapic *ml = (const void *)me;
	const struct acpi_madt_x2apic *mx = (const void *)me;
	struct acpi_ioapic *aio;

	switch (me->me_type) {
	case ACPI_MADT_LAPIC:
		if (me->me_length >= sizeof(*ml))
			acpi_madt_cpu(ml->ml_apic_id, ml->ml_flags);
		break;
	case ACPI_MADT_X2APIC:
		if (me->me_length >= sizeof(*mx))
			acpi_madt_cpu(mx->mx_apic_id, mx->mx_flags);
		break;
	case ACPI_MADT_IOAPIC:
		if (me->me_length < sizeof(*mi))
			break;
		if (acpi_info.ai_nioapics == ACPI_MAX_IOAPICS) {
			klog("acpi", "MADT: too many IOAPICs; id %u ignored",
			    mi->mi_id);
			break;
		}
		aio = &acpi_info.ai_ioapics[acpi_info.ai_nioapics++];
		aio->aio_id = mi->mi_id;
		aio->aio_addr = mi->mi_addr;
		aio->aio_gsi_base = mi->mi_gsi_base;
		break;
	case ACPI_MADT_OVERRIDE:
		if (me->me_length >= sizeof(struct acpi_madt_override))
			acpi_madt_override((const void *)me);
		break;
	case ACPI_MADT_LAPIC_ADDR:
		if (me->me_length >= sizeof(*mla))
			acpi_info.ai_lapic_addr = mla->mla_addr;
		break;
	default:
		break;
	}
}

/* Walk the MADT's entries (5.2.12), every one checked against the end. */
static void
acpi_parse_madt(const struct acpi_madt *madt)
{
	const uint8_t *p = (const uint8_t *)(madt + 1);
	const uint8_t *end = (const uint8_t *)madt + madt->madt_hdr.sdt_length;
	const struct acpi_madt_entry *me;

	if (madt->madt_hdr.sdt_length < sizeof(*madt)) {
		klog("acpi", "MADT too short; ignored");
		return;
	}
	acpi_info.ai_lapic_addr = madt->madt_lapic_addr;
	acpi_info.ai_has_8259 = (madt->madt_flags & ACPI_MADT_PCAT_COMPAT) != 0;
	for (; p + sizeof(*me) <= end; p += me->me_length) {
		me = (const struct acpi_madt_entry *)p;
		if (me->me_length < sizeof(*me) || p + me->me_length > end) {
			klog("acpi", "MADT: malformed entry at offset %zu; "
			    "rest ignored",
			    (size_t)(p - (const uint8_t *)madt));
			break;
		}
		acpi_madt_entry(me);
	}
	acpi_log_overrides();
	klog("acpi", "MADT: %d CPU%s, %d IOAPIC%s, %d override%s, "
	    "local APIC at 0x%lx%s", acpi_info.ai_ncpus,
	    acpi_info.ai_ncpus == 1 ? "" : "s", acpi_info.ai_nioapics,
	    acpi_info.ai_nioapics == 1 ? "" : "s", acpi_info.ai_noverrides,
	    acpi_info.ai_noverrides == 1 ? "" : "s", acpi_info.ai_lapic_addr,
	    acpi_info.ai_has_8259 ? ", 8259 pair present" : "");
}

/*
 * A PM1x control block from the FADT: the 64-bit GAS when the table has
 * one that is filled in, else the legacy 32-bit I/O port field.
 */
static void
acpi_pm1_block(const struct acpi_fadt *f, const struct acpi_gas *xgas,
    bool has_x, uint32_t port, struct acpi_gas *out)
{
	memset(out, 0, sizeof(*out));
	if (has_x && xgas->gas_address != 0) {
		*out = *xgas;
		return;
	}
	if (port == 0)
		return;
	out->gas_space = ACPI_GAS_IO;
	out->gas_bit_width = f->fadt_pm1_cnt_len >= 4 ? 32 : 16;
	out->gas_address = port;
}

/* Decode \_S5 from the DSDT's AML (7.4.2; the decoder is acpi_aml.c). */
static void
acpi_parse_dsdt(const struct acpi_sdt_header *dsdt)
{
	const uint8_t *aml = (const uint8_t *)(dsdt + 1);
	int error;

	error = acpi_aml_find_s5(aml, dsdt->sdt_length - sizeof(*dsdt),
	    &acpi_power.ap_slp_typa, &acpi_power.ap_slp_typb);
	if (error == -ENOENT)
		klog("acpi", "DSDT: no \\_S5 package (or not a plain "
		    "Name); ACPI power-off unavailable");
	else if (error < 0)
		klog("acpi", "DSDT: \\_S5 is malformed (%d); ACPI power-off "
		    "unavailable", error);
	else
		klog("acpi", "DSDT: \\_S5 SLP_TYPa=%u SLP_TYPb=%u",
		    acpi_power.ap_slp_typa, acpi_power.ap_slp_typb);
	acpi_power.ap_s5_ok = error == 0;
	/* The DSDT is not in the XSDT; list it so acpi_find_table sees it. */
	if (acpi_ntables < ACPI_MAX_TABLES)
		acpi_tables[acpi_ntables++] = dsdt;
}

/* The FADT (5.2.9): SCI, PM1 control, reset register, DSDT. */
static void
acpi_parse_fadt(const struct acpi_fadt *f)
{
	uint32_t len = f->fadt_hdr.sdt_length;
	const struct acpi_sdt_header *dsdt = NULL;
	struct acpi_power *ap = &acpi_power;
	char pm1a[32], pm1b[32], reset[32];
	uint32_t flags;

	if (!ACPI_FADT_HAS(len, fadt_flags)) {
		klog("acpi", "FADT too short (%u bytes); ignored", len);
		return;
	}
	flags = f->fadt_flags;
	acpi_info.ai_sci_irq = f->fadt_sci_int;
	ap->ap_smi_cmd = f->fadt_smi_cmd;
	ap->ap_acpi_enable = f->fadt_acpi_enable;
	acpi_pm1_block(f, &f->fadt_x_pm1a_cnt_blk,
	    ACPI_FADT_HAS(len, fadt_x_pm1a_cnt_blk), f->fadt_pm1a_cnt_blk,
	    &ap->ap_pm1a_cnt);
	acpi_pm1_block(f, &f->fadt_x_pm1b_cnt_blk,
	    ACPI_FADT_HAS(len, fadt_x_pm1b_cnt_blk), f->fadt_pm1b_cnt_blk,
	    &ap->ap_pm1b_cnt);
	if ((flags & ACPI_FADT_HW_REDUCED) &&
	    ACPI_FADT_HAS(len, fadt_sleep_control_reg)) {
		ap->ap_hw_reduced = true;
		ap->ap_sleep_cnt = f->fadt_sleep_control_reg;
	}
	if ((flags & ACPI_FADT_RESET_REG_SUP) &&
	    ACPI_FADT_HAS(len, fadt_reset_value) &&
	    f->fadt_reset_reg.gas_address != 0) {
		ap->ap_reset_reg = f->fadt_reset_reg;
		ap->ap_reset_value = f->fadt_reset_value;
		acpi_info.ai_can_reset = true;
	}

	if (ACPI_FADT_HAS(len, fadt_x_dsdt) && f->fadt_x_dsdt != 0)
		dsdt = acpi_map_table(f->fadt_x_dsdt, ACPI_SIG_DSDT);
	if (dsdt == NULL && f->fadt_dsdt != 0)
		dsdt = acpi_map_table(f->fadt_dsdt, ACPI_SIG_DSDT);
	if (dsdt != NULL)
		acpi_parse_dsdt(dsdt);
	else
		klog("acpi", "FADT: no usable DSDT");

	acpi_info.ai_can_poweroff = ap->ap_s5_ok &&
	    (ap->ap_pm1a_cnt.gas_address != 0 ||
	    (ap->ap_hw_reduced && ap->ap_sleep_cnt.gas_address != 0));
	klog("acpi", "FADT rev %u: SCI IRQ %u, PM1a_CNT %s, PM1b_CNT %s, "
	    "reset register %s, CMOS century index 0x%x",
	    f->fadt_hdr.sdt_revision, acpi_info.ai_sci_irq,
	    acpi_gas_name(&ap->ap_pm1a_cnt, pm1a, sizeof(pm1a)),
	    acpi_gas_name(&ap->ap_pm1b_cnt, pm1b, sizeof(pm1b)),
	    acpi_info.ai_can_reset ? acpi_gas_name(&ap->ap_reset_reg, reset,
	    sizeof(reset)) : "none", f->fadt_century);
}

/* The HPET table (IA-PC HPET 1.0a, 3.2.4): where the timer block is. */
static void
acpi_parse_hpet(const struct acpi_hpet *h)
{
	if (h->hpet_hdr.sdt_length < sizeof(*h) ||
	    h->hpet_base.gas_space != ACPI_GAS_MEMORY) {
		klog("acpi", "HPET table unusable; ignored");
		return;
	}
	acpi_info.ai_hpet_addr = h->hpet_base.gas_address;
	klog("acpi", "HPET: timer block at 0x%lx", acpi_info.ai_hpet_addr);
}

/* MCFG (PCI Firmware 3.0, 4.1.2): the ECAM region of PCI segment 0. */
static void
acpi_parse_mcfg(const struct acpi_mcfg *m)
{
	const struct acpi_mcfg_entry *e = (const void *)(m + 1);
	const uint8_t *end = (const uint8_t *)m + m->mcfg_hdr.sdt_length;

	for (; (const uint8_t *)(e + 1) <= end; e++) {
		if (e->mce_segment != 0 || e->mce_bus_start > e->mce_bus_end)
			continue;
		acpi_info.ai_mcfg_addr = e->mce_base;
		acpi_info.ai_mcfg_bus_start = e->mce_bus_start;
		acpi_info.ai_mcfg_bus_end = e->mce_bus_end;
		klog("acpi", "MCFG: ECAM at 0x%lx for buses %u-%u",
		    e->mce_base, e->mce_bus_start, e->mce_bus_end);
		return;
	}
	klog("acpi", "MCFG: no usable entry for PCI segment 0");
}

/*
 * Find the RSDP, check and list every table, and decode the MADT, FADT
 * (with the DSDT's \_S5), HPET and MCFG into acpi_info.  Called once
 * during boot, after kmalloc_init().  Returns 0, or -ENODEV when there is
 * no usable RSDP or root table (acpi_info.ai_present stays false and the
 * kernel goes on with the 8259 and no ACPI power control).
 */
int
acpi_init(void)
{
	struct acpi_rsdp rsdp;
	const void *t;
	const char *from;
	int error;

	if ((from = acpi_find_rsdp(&rsdp)) == NULL) {
		klog("acpi", "no RSDP found: no ACPI tables");
		return -ENODEV;
	}
	klog("acpi", "RSDP rev %u (%.6s) from %s", rsdp.rsdp_revision,
	    rsdp.rsdp_oem, from);
	if ((error = acpi_load_tables(&rsdp)) < 0) {
		klog("acpi", "no usable RSDT or XSDT: no ACPI tables");
		return error;
	}
	acpi_info.ai_present = true;
	acpi_info.ai_revision = rsdp.rsdp_revision;
	memcpy(acpi_info.ai_oem, rsdp.rsdp_oem, 6);
	acpi_info.ai_oem[6] = '\0';

	if ((t = acpi_find_table(ACPI_SIG_MADT, 0)) != NULL)
		acpi_parse_madt(t);
	else
		klog("acpi", "no MADT: the 8259 PIC will be used");
	if ((t = acpi_find_table(ACPI_SIG_FADT, 0)) != NULL)
		acpi_parse_fadt(t);
	else
		klog("acpi", "no FADT: no ACPI power-off or reset");
	if ((t = acpi_find_table(ACPI_SIG_HPET, 0)) != NULL)
		acpi_parse_hpet(t);
	if ((t = acpi_find_table(ACPI_SIG_MCFG, 0)) != NULL)
		acpi_parse_mcfg(t);
	return 0;
}

/* The access width of a GAS, in bits (5.2.3.2); 0 if unusable. */
static unsigned int
acpi_gas_width(const struct acpi_gas *g)
{
	if (g->gas_access_size >= ACPI_GAS_ACCESS_BYTE &&
	    g->gas_access_size <= ACPI_GAS_ACCESS_QWORD)
		return 8U << (g->gas_access_size - 1);
	switch (g->gas_bit_width) {
	case 8:
	case 16:
	case 32:
	case 64:
		return g->gas_bit_width;
	default:
		return g->gas_bit_width < 8 && g->gas_bit_width > 0 ? 8 : 0;
	}
}

/* Select a PCI configuration register by the legacy 0xcf8 mechanism. */
static uint16_t
acpi_pci_select(uint64_t addr)
{
	uint32_t dev = ACPI_GAS_PCI_DEV(addr), func = ACPI_GAS_PCI_FUNC(addr);
	uint32_t reg = ACPI_GAS_PCI_REG(addr);

	outl(0xcf8, 0x80000000U | (dev & 0x1f) << 11 | (func & 0x7) << 8 |
	    (reg & 0xfc));
	return 0xcfc + (reg & 3);
}

/*
 * Read (write false: into *vp) or write (write true: *vp) a register
 * described by a GAS: memory, I/O port, or PCI configuration space.
 * Returns 0, -ENOMEM, or -EOPNOTSUPP for other spaces and widths.
 */
static int
acpi_gas_access(const struct acpi_gas *g, bool write, uint64_t *vp)
{
	unsigned int width = acpi_gas_width(g);
	volatile void *va;
	uint16_t port;

	if (g->gas_space == ACPI_GAS_MEMORY && width != 0) {
		if ((va = pmap_mapdev(g->gas_address, width / 8)) == NULL)
			return -ENOMEM;
		if (width == 8 && write)
			*(volatile uint8_t *)va = (uint8_t)*vp;
		else if (width == 8)
			*vp = *(volatile uint8_t *)va;
		else if (width == 16 && write)
			*(volatile uint16_t *)va = (uint16_t)*vp;
		else if (width == 16)
			*vp = *(volatile uint16_t *)va;
		else if (width == 32 && write)
			*(volatile uint32_t *)va = (uint32_t)*vp;
		else if (width == 32)
			*vp = *(volatile uint32_t *)va;
		else if (write)
			*(volatile uint64_t *)va = *vp;
		else
			*vp = *(volatile uint64_t *)va;
		return 0;
	}
	if ((g->gas_space == ACPI_GAS_IO || g->gas_space == ACPI_GAS_PCI) &&
	    width != 0 && width <= 32) {
		port = g->gas_space == ACPI_GAS_IO ?
		    (uint16_t)g->gas_address : acpi_pci_select(g->gas_address);
		if (width == 8 && write)
			outb(port, (uint8_t)*vp);
		else if (width == 8)
			*vp = inb(port);
		else if (width == 16 && write)
			outw(port, (uint16_t)*vp);
		else if (width == 16)
			*vp = inw(port);
		else if (write)
			outl(port, (uint32_t)*vp);
		else
			*vp = inl(port);
		return 0;
	}
	klog("acpi", "register in space %u, width %u: not supported",
	    g->gas_space, width);
	return -EOPNOTSUPP;
}

/* Read a register described by a GAS (acpi_gas_access). */
static int
acpi_gas_read(const struct acpi_gas *g, uint64_t *vp)
{
	return acpi_gas_access(g, false, vp);
}

/* Write a register described by a GAS (acpi_gas_access). */
static int
acpi_gas_write(const struct acpi_gas *g, uint64_t v)
{
	return acpi_gas_access(g, true, &v);
}

/*
 * Switch the chipset from legacy to ACPI mode if it is not there yet
 * (4.8.3.2.1, SCI_EN; 5.2.9, SMI_CMD and ACPI_ENABLE): write ACPI_ENABLE to
 * SMI_CMD and wait up to a second for SCI_EN to come on.
 */
static void
acpi_enable_mode(void)
{
	struct acpi_power *ap = &acpi_power;
	uint64_t v;
	int i;

	if (acpi_gas_read(&ap->ap_pm1a_cnt, &v) < 0 || (v & ACPI_PM1_SCI_EN))
		return;
	if (ap->ap_smi_cmd == 0 || ap->ap_acpi_enable == 0)
		return;
	klog("acpi", "entering ACPI mode (SMI_CMD 0x%x <- 0x%x)",
	    ap->ap_smi_cmd, ap->ap_acpi_enable);
	outb((uint16_t)ap->ap_smi_cmd, ap->ap_acpi_enable);
	for (i = 0; i < 1000; i++) {
		if (acpi_gas_read(&ap->ap_pm1a_cnt, &v) == 0 &&
		    (v & ACPI_PM1_SCI_EN))
			return;
		delay_us(1000);
	}
	klog("acpi", "SCI_EN did not come on; trying anyway");
}

/* Write SLP_TYP and SLP_EN to one PM1 control block (4.8.3.2.1). */
static int
acpi_pm1_sleep(const struct acpi_gas *cnt, uint8_t slp_typ)
{
	uint64_t v;
	int error;

	if ((error = acpi_gas_read(cnt, &v)) < 0)
		return error;
	v &= ~(uint64_t)(ACPI_PM1_SLP_TYP_MASK | ACPI_PM1_SLP_EN);
	v |= (uint64_t)slp_typ << ACPI_PM1_SLP_TYP_SHIFT | ACPI_PM1_SLP_EN;
	return acpi_gas_write(cnt, v);
}

/*
 * Enter S5 (soft off): write SLP_TYPa|SLP_EN to PM1a_CNT and SLP_TYPb|
 * SLP_EN to PM1b_CNT, or use the sleep control register on
 * hardware-reduced platforms (7.4.2; chapter 16).  Takes no lock.  Returns
 * only if the machine is still running 100 ms later: -ENODEV when ACPI
 * cannot power off, else -EIO.
 */
int
acpi_poweroff(void)
{
	struct acpi_power *ap = &acpi_power;
	int error;

	if (!acpi_info.ai_can_poweroff) {
		klog("acpi", "power-off: no FADT PM1 block or \\_S5");
		return -ENODEV;
	}
	if (ap->ap_pm1a_cnt.gas_address != 0) {
		acpi_enable_mode();
		if ((error = acpi_pm1_sleep(&ap->ap_pm1a_cnt,
		    ap->ap_slp_typa)) < 0)
			return error;
		if (ap->ap_pm1b_cnt.gas_address != 0 &&
		    (error = acpi_pm1_sleep(&ap->ap_pm1b_cnt,
		    ap->ap_slp_typb)) < 0)
			return error;
	} else {
		if ((error = acpi_gas_write(&ap->ap_sleep_cnt,
		    (uint64_t)ap->ap_slp_typa << ACPI_SLEEP_TYP_SHIFT |
		    ACPI_SLEEP_EN)) < 0)
			return error;
	}
	delay_us(100000);
	klog("acpi", "power-off: the machine is still running");
	return -EIO;
}

/*
 * Reset the machine through the FADT reset register (4.8.3.6): write
 * RESET_VALUE to it.  Takes no lock.  Returns only if the machine is
 * still running 100 ms later: -ENODEV when there is no reset register,
 * else -EIO or the GAS access error.
 */
int
acpi_reset(void)
{
	int error;

	if (!acpi_info.ai_can_reset) {
		klog("acpi", "reset: the FADT has no reset register");
		return -ENODEV;
	}
	if ((error = acpi_gas_write(&acpi_power.ap_reset_reg,
	    acpi_power.ap_reset_value)) < 0)
		return error;
	delay_us(100000);
	klog("acpi", "reset: the machine is still running");
	return -EIO;
}
