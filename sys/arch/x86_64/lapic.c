/*
 * The local APIC: every CPU's own interrupt controller.  It receives the
 * interrupts the IOAPICs (and, later, MSI-capable devices) send, gives them
 * to the CPU by priority, and must be told when the handler is done (EOI).
 * It also has a timer, which timer.c uses for the tick.
 *
 * The registers are a 4 KiB page of memory (xAPIC mode), or MSRs when the
 * firmware has switched the CPU to x2APIC mode; lapic_read and lapic_write
 * hide the difference.  Intel SDM vol. 3A, chapter 11.
 *
 * Locking: written by intr_init() and timer_init() during boot, on the one
 * CPU; afterwards only lapic_eoi() and lapic_self_ipi() touch registers,
 * and each is a single register write.
 */
#include <sys/errno.h>
#include <sys/intr.h>
#include <sys/param.h>
#include <sys/systm.h>

#include <machine/apicreg.h>
#include <machine/apicvar.h>
#include <machine/cpufunc.h>
#include <machine/pmap.h>

static volatile uint32_t *lapic_va;	/* [B] xAPIC registers; NULL: x2APIC */
static bool lapic_x2;			/* [B] x2APIC (MSR) mode */
static bool lapic_ready;		/* [B] lapic_init() succeeded */

/* Whether CPUID says this CPU has a local APIC. */
bool
lapic_present(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	return (d & CPUID_1_EDX_APIC) != 0;
}

/* Whether the local APIC is driven through MSRs (x2APIC mode). */
bool
lapic_is_x2apic(void)
{
	return lapic_x2;
}

/* Read the register at offset reg (an LAPIC_* constant). */
uint32_t
lapic_read(uint32_t reg)
{
	if (lapic_x2)
		return (uint32_t)rdmsr(LAPIC_X2APIC_MSR(reg));
	return lapic_va[reg / 4];
}

/* Write the register at offset reg. */
void
lapic_write(uint32_t reg, uint32_t v)
{
	if (lapic_x2)
		wrmsr(LAPIC_X2APIC_MSR(reg), v);
	else
		lapic_va[reg / 4] = v;
}

/* This CPU's APIC id, as IOAPIC redirection entries name it. */
uint32_t
lapic_id(void)
{
	uint32_t id = lapic_read(LAPIC_ID);

	return lapic_x2 ? id : id >> 24;
}

/*
 * Signal the end of the interrupt being serviced (SDM 11.8.5): the next
 * one of the same or lower priority may now be delivered.  Interrupt
 * context; no lock (one register write).
 */
void
lapic_eoi(void)
{
	if (lapic_ready)
		lapic_write(LAPIC_EOI, 0);
}

/*
 * Bring up this CPU's local APIC: make sure it is globally enabled, map
 * its registers (pa from the MADT), mask every local interrupt source,
 * accept all priorities, and software-enable it with the spurious vector
 * (SDM 11.4.3, 11.9).  Called by intr_init() during boot.  Returns 0,
 * -ENODEV when the CPU has no local APIC, or -ENOMEM when it cannot be
 * mapped.
 */
int
lapic_init(paddr_t pa)
{
	uint64_t base;
	uint32_t ver, maxlvt;

	if (!lapic_present())
		return -ENODEV;
	base = rdmsr(MSR_APICBASE);
	if (base & APICBASE_X2APIC) {
		lapic_x2 = true;
	} else {
		if ((base & APICBASE_ADDR) != pa) {
			klog("lapic", "MADT says 0x%lx, IA32_APIC_BASE says "
			    "0x%lx; using the latter", pa,
			    (paddr_t)(base & APICBASE_ADDR));
			pa = base & APICBASE_ADDR;
		}
		if (!(base & APICBASE_ENABLE))
			wrmsr(MSR_APICBASE, base | APICBASE_ENABLE);
		lapic_va = pmap_mapdev(pa, PAGE_SIZE);
		if (lapic_va == NULL)
			return -ENOMEM;
	}

	lapic_write(LAPIC_TPR, 0);
	ver = lapic_read(LAPIC_VERSION);
	maxlvt = LAPIC_VERSION_MAXLVT(ver);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_LVT_ERROR, LAPIC_LVT_MASKED);
	if (maxlvt >= 4)
		lapic_write(LAPIC_LVT_PERF, LAPIC_LVT_MASKED);
	if (maxlvt >= 5)
		lapic_write(LAPIC_LVT_THERMAL, LAPIC_LVT_MASKED);
	/* LINT1 stays as the firmware set it: the NMI line. */
	lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | LAPIC_SPURIOUS_VECTOR);
	/* The ESR is latched by a write (SDM 11.5.3): clear it twice. */
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_ESR, 0);
	lapic_ready = true;
	lapic_eoi();			/* anything left in service */

	klog("lapic", "id %u, version 0x%x, %u LVT entries, %s", lapic_id(),
	    ver & 0xff, maxlvt + 1, lapic_x2 ? "x2APIC mode" : "xAPIC mode");
	return 0;
}

/*
 * Put LINT0 back in "virtual wire" mode, so the 8259's interrupts reach
 * the CPU through the local APIC (SDM 11.5.1, ExtINT), and LINT1 on NMI.
 * Used when intr_init() falls back to the 8259 after lapic_init().
 */
void
lapic_virtual_wire(void)
{
	if (!lapic_ready)
		return;
	lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_DM_EXTINT);
	lapic_write(LAPIC_LVT_LINT1, LAPIC_LVT_DM_NMI);
}

/* The local APIC found an error (SDM 11.5.3): say which. */
static void
lapic_error_intr(void *arg __unused)
{
	uint32_t esr;

	lapic_write(LAPIC_ESR, 0);
	esr = lapic_read(LAPIC_ESR);
	klog("lapic", "error interrupt, ESR 0x%x", esr);
}

/*
 * Give the local APIC's error interrupt a vector and unmask it.  Called by
 * intr_init() once vectors can be allocated.  Returns 0 or -errno.
 */
int
lapic_enable_error_intr(void)
{
	int vector;

	vector = intr_alloc_vector(lapic_error_intr, NULL, "lapic error");
	if (vector < 0)
		return vector;
	lapic_write(LAPIC_LVT_ERROR, (uint32_t)vector);
	return 0;
}

/*
 * Send an interrupt with this vector to this CPU (SDM 11.6.1, the "self"
 * shorthand; 11.12.11 in x2APIC mode).  Used by the interrupt ktests.
 */
void
lapic_self_ipi(int vector)
{
	if (!lapic_ready)
		return;
	if (lapic_x2) {
		wrmsr(LAPIC_X2APIC_MSR(LAPIC_SELF_IPI), (uint32_t)vector);
		return;
	}
	while (lapic_read(LAPIC_ICR_LO) & LAPIC_ICR_BUSY)
		cpu_pause();
	lapic_write(LAPIC_ICR_HI, 0);
	lapic_write(LAPIC_ICR_LO, (uint32_t)vector | LAPIC_ICR_DM_FIXED |
	    LAPIC_ICR_LEVEL_ASSERT | LAPIC_ICR_DEST_SELF);
}

/*
 * Start the timer counting down from count, once, with its interrupt
 * masked and the divider at 1: timer_init() reads how far it got.
 */
void
lapic_timer_oneshot_masked(uint32_t count)
{
	lapic_write(LAPIC_TIMER_DCR, LAPIC_DCR_DIV1);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED |
	    LAPIC_LVT_TIMER_ONESHOT);
	lapic_write(LAPIC_TIMER_ICR, count);
}

/* The timer's current count. */
uint32_t
lapic_timer_current(void)
{
	return lapic_read(LAPIC_TIMER_CCR);
}

/* Interrupt on vector every count bus cycles (SDM 11.5.4, periodic mode). */
void
lapic_timer_periodic(int vector, uint32_t count)
{
	lapic_write(LAPIC_TIMER_DCR, LAPIC_DCR_DIV1);
	lapic_write(LAPIC_LVT_TIMER, (uint32_t)vector |
	    LAPIC_LVT_TIMER_PERIODIC);
	lapic_write(LAPIC_TIMER_ICR, count);
}

/* Stop the timer and mask its interrupt. */
void
lapic_timer_stop(void)
{
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_TIMER_ICR, 0);
}
