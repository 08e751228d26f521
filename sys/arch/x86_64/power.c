/*
 * Turning the machine off and restarting it (machine/cpu.h).
 *
 * Power-off has one proper way on a PC, ACPI's S5 state (dev/acpi).  Reset
 * has several, tried from the most to the least polite, each logged:
 *
 *  1. the ACPI reset register named by the FADT (ACPI 6.4, 4.8.3.6);
 *  2. the chipset's reset control register, port 0xcf9 (PIIX3/PIIX4 and
 *     ICH datasheets: bit 1 selects a hard reset, bit 2 starts it);
 *  3. the keyboard controller's "pulse output port" command 0xfe, which
 *     pulses the CPU's reset line (the IBM PC/AT's way);
 *  4. a triple fault: with an empty IDT any exception cannot be delivered,
 *     nor can the double fault that follows, and the CPU shuts down, which
 *     the chipset turns into a reset (Intel SDM vol. 3A, 6.15, "Interrupt
 *     8 -- Double Fault Exception").
 *
 * Locking: none; these run at the very end, with interrupts off.
 */
#include <sys/acpi.h>
#include <sys/clock.h>
#include <sys/systm.h>

#include <machine/cpu.h>
#include <machine/cpufunc.h>

#define RST_CNT		0xcf9	/* chipset reset control */
#define RST_CNT_SYS_RST	0x02	/* hard (system) reset, not just the CPU */
#define RST_CNT_RST_CPU	0x04	/* 0 -> 1 starts the reset */
#define KBC_STATUS	0x64
#define KBC_CMD		0x64
#define KBC_STATUS_IBF	0x02	/* input buffer full: not ready */
#define KBC_CMD_PULSE_RESET 0xfe

/*
 * Power the machine off through ACPI (S5).  Interrupts are turned off for
 * the attempt and restored afterwards.  Returns only if power-off failed,
 * after saying so.
 */
void
cpu_poweroff(void)
{
	uint64_t rflags = read_rflags();
	int error;

	intr_disable();
	klog("power", "powering off (ACPI S5)");
	error = acpi_poweroff();
	klog("power", "ACPI power-off failed (%d); the machine is still on",
	    error);
	write_rflags(rflags);
}

/* Reset through the keyboard controller; returns if nothing happened. */
static void
cpu_reset_kbc(void)
{
	int i;

	for (i = 0; i < 100000 && (inb(KBC_STATUS) & KBC_STATUS_IBF); i++)
		delay_us(1);
	outb(KBC_CMD, KBC_CMD_PULSE_RESET);
	delay_us(100000);
}

/*
 * Reset the machine: the ACPI reset register, port 0xcf9, the keyboard
 * controller, and last a triple fault, logging each method as it tries
 * it.  Turns interrupts off.  Does not return: the triple fault cannot
 * fail on a working CPU.
 */
void
cpu_reset(void)
{
	static const struct {
		uint16_t	limit;
		uint64_t	base;
	} __packed empty_idt = { 0, 0 };
	int error;

	intr_disable();
	klog("power", "reset: trying the ACPI reset register");
	error = acpi_reset();
	klog("power", "reset: ACPI failed (%d); trying port 0xcf9", error);
	outb(RST_CNT, RST_CNT_SYS_RST);
	delay_us(10);
	outb(RST_CNT, RST_CNT_SYS_RST | RST_CNT_RST_CPU);
	delay_us(100000);
	klog("power", "reset: port 0xcf9 failed; trying the keyboard "
	    "controller");
	cpu_reset_kbc();
	klog("power", "reset: the keyboard controller failed; triple fault");
	__asm__ volatile("lidt %0; int3" : : "m"(empty_idt) : "memory");
	cpu_halt_forever();
}
