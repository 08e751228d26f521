/*
 * In-kernel tests of what acpi_init() found.  On QEMU (the machine the
 * test harness boots) there is always a MADT with a CPU and an IOAPIC, an
 * FADT, a DSDT with \_S5; a boot without ACPI tables skips them, saying
 * so.
 */
#include <sys/acpi.h>
#include <sys/ktest.h>

#include <dev/acpi/acpireg.h>
#include <dev/acpi/acpivar.h>

static bool
ktest_acpi_sum_ok(const void *table)
{
	const struct acpi_sdt_header *h = table;
	const uint8_t *p = table;
	uint8_t sum = 0;
	uint32_t i;

	for (i = 0; i < h->sdt_length; i++)
		sum += p[i];
	return sum == 0;
}

KTEST(acpi_madt)
{
	const void *madt;
	int i;

	if (!acpi_info.ai_present) {
		kprintf("ktest: skip: no ACPI tables on this machine\n");
		return 0;
	}
	madt = acpi_find_table(ACPI_SIG_MADT, 0);
	KT_ASSERT(madt != NULL);
	KT_ASSERT(ktest_acpi_sum_ok(madt));
	KT_ASSERT(acpi_info.ai_lapic_addr != 0);
	KT_ASSERT(acpi_info.ai_ncpus >= 1);
	KT_ASSERT(acpi_info.ai_nioapics >= 1);
	for (i = 0; i < acpi_info.ai_nioapics; i++)
		KT_ASSERT(acpi_info.ai_ioapics[i].aio_addr != 0);
	for (i = 0; i < acpi_info.ai_noverrides; i++)
		KT_ASSERT(acpi_info.ai_overrides[i].ao_isa_irq < 16);
	return 0;
}

KTEST(acpi_fadt)
{
	const void *fadt, *dsdt;

	if (!acpi_info.ai_present) {
		kprintf("ktest: skip: no ACPI tables on this machine\n");
		return 0;
	}
	fadt = acpi_find_table(ACPI_SIG_FADT, 0);
	KT_ASSERT(fadt != NULL);
	KT_ASSERT(ktest_acpi_sum_ok(fadt));
	dsdt = acpi_find_table(ACPI_SIG_DSDT, 0);
	KT_ASSERT(dsdt != NULL);
	KT_ASSERT(ktest_acpi_sum_ok(dsdt));
	/* QEMU's DSDT has Name (_S5, Package ...) and a PM1a block. */
	KT_ASSERT(acpi_info.ai_can_poweroff);
	KT_ASSERT(acpi_find_table("XXXX", 0) == NULL);
	KT_ASSERT(acpi_find_table(ACPI_SIG_FADT, 1000) == NULL);
	return 0;
}

KTEST(acpi_s5_decoder)
{
	static const uint8_t good[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x08,
	    0x04, 0x0a, 0x05, 0x0a, 0x06, 0x00, 0x00 };
	uint8_t a = 0, b = 0;

	KT_ASSERT(acpi_aml_find_s5(good, sizeof(good), &a, &b) == 0);
	KT_ASSERT(a == 5 && b == 6);
	/* Cut short by one byte: the package now overruns the table. */
	KT_ASSERT(acpi_aml_find_s5(good, sizeof(good) - 3, &a, &b) < 0);
	return 0;
}
