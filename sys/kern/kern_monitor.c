/*
 * kmon: a small kernel monitor on the console.
 *
 * When the initramfs has no /sbin/init (until the userland issue brings
 * init and the BusyBox shell) and the command line names no init=, this
 * is what `make run` ends at: a prompt that reads
 * a line with interrupt-driven console input and runs one of a few
 * commands that look at the running kernel.  The test harness drives it
 * too (echo proves serial input; poweroff proves ACPI power-off).
 *
 * Runs on the boot thread only; it takes no lock of its own.
 */
#include <sys/clock.h>
#include <sys/cons.h>
#include <sys/device.h>
#include <sys/intr.h>
#include <sys/ktest.h>
#include <sys/systm.h>
#include <sys/vm_phys.h>

#include <machine/cpu.h>

#define KMON_LINE	256
#define KMON_MAXARGS	8

extern uint64_t boot_time_ns;		/* kern/main.c */
void	kmon_run(void) __noreturn;

struct kmon_cmd {
	const char	*kc_name;
	const char	*kc_help;
	void		(*kc_fn)(int argc, char **argv);
};

static const struct kmon_cmd kmon_cmds[];

static void
kmon_help(int argc __unused, char **argv __unused)
{
	const struct kmon_cmd *kc;

	for (kc = kmon_cmds; kc->kc_name != NULL; kc++)
		kprintf("  %-10s %s\n", kc->kc_name, kc->kc_help);
}

static void
kmon_echo(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		kprintf("%s%s", i > 1 ? " " : "", argv[i]);
	kprintf("\n");
}

static void
kmon_mem(int argc __unused, char **argv __unused)
{
	uint64_t total = vm_phys_total_pages(), free = vm_phys_free_pages();

	kprintf("physical memory: %lu pages (%lu KiB) total, %lu pages "
	    "(%lu KiB) free\n", total, total * 4, free, free * 4);
}

static void
kmon_uptime(int argc __unused, char **argv __unused)
{
	uint64_t ns = clock_monotonic_ns();

	kprintf("up %lu.%03lu s, %lu ticks at %d Hz; kernel booted in "
	    "%lu.%03lu ms\n", ns / 1000000000, (ns / 1000000) % 1000,
	    (uint64_t)ticks, HZ, boot_time_ns / 1000000,
	    (boot_time_ns / 1000) % 1000);
}

/*
 * Civil date from days since 1970-01-01 (proleptic Gregorian): count
 * 400-year eras of 146097 days from 0000-03-01, so that the leap day is
 * the last day of each computed year.
 */
static void
kmon_civil(int64_t days, int *y, int *m, int *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;			/* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;		/* March = 0 */

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static void
kmon_date(int argc __unused, char **argv __unused)
{
	int64_t s = clock_realtime_ns() / 1000000000;
	int64_t days = s / 86400, rem = s % 86400;
	int y, m, d;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	kmon_civil(days, &y, &m, &d);
	kprintf("%04d-%02d-%02d %02ld:%02ld:%02ld UTC\n", y, m, d, rem / 3600,
	    (rem / 60) % 60, rem % 60);
}

static void
kmon_devices(int argc __unused, char **argv __unused)
{
	struct device *dv;

	for (dv = device_first(); dv != NULL; dv = device_next(dv)) {
		const char *name = dv->dv_driver != NULL ? dv->dv_name : "-";

		if (dv->dv_bus == BUS_PCI)
			kprintf("  %-8s pci %02x:%02x.%x %04x:%04x class "
			    "%02x.%02x\n", name, dv->dv_pci_bus,
			    dv->dv_pci_slot, dv->dv_pci_func,
			    dv->dv_pci_vendor, dv->dv_pci_device,
			    dv->dv_pci_class, dv->dv_pci_subclass);
		else
			kprintf("  %-8s isa %s (%s) port %#x irq %d\n", name,
			    dv->dv_hid, dv->dv_desc, dv->dv_ioport,
			    dv->dv_irq);
	}
}

static void
kmon_intr(int argc __unused, char **argv __unused)
{
	int v;

	for (v = 32; v < 256; v++)
		if (intr_count(v) != 0)
			kprintf("  vector %3d: %lu\n", v, intr_count(v));
	kprintf("  console input bytes dropped: %lu\n", cons_input_dropped());
}

static void
kmon_ktest(int argc, char **argv)
{
	ktest_run(argc > 1 ? argv[1] : "all");
}

static void
kmon_poweroff(int argc __unused, char **argv __unused)
{
	cpu_poweroff();
	kprintf("poweroff failed\n");
}

static void
kmon_reboot(int argc __unused, char **argv __unused)
{
	cpu_reset();
	kprintf("reboot failed\n");
}

static const struct kmon_cmd kmon_cmds[] = {
	{ "help", "list the commands", kmon_help },
	{ "echo", "print the arguments", kmon_echo },
	{ "mem", "physical memory in use", kmon_mem },
	{ "uptime", "time since boot, timer ticks, boot time", kmon_uptime },
	{ "date", "wall-clock time from the RTC", kmon_date },
	{ "devices", "devices found and their drivers", kmon_devices },
	{ "intr", "interrupt counts", kmon_intr },
	{ "ktest", "run in-kernel tests: ktest [all|name,...]", kmon_ktest },
	{ "poweroff", "ACPI power-off", kmon_poweroff },
	{ "reboot", "reset the machine", kmon_reboot },
	{ NULL, NULL, NULL },
};

/* Read a line with echo, backspace and ^U; returns its length. */
static size_t
kmon_readline(char *buf, size_t size)
{
	size_t len = 0;

	for (;;) {
		int c = cons_getc_wait();

		if (c == '\r' || c == '\n') {
			cons_putc('\n');
			buf[len] = '\0';
			return len;
		}
		if (c == 0x7f || c == '\b') {
			if (len > 0) {
				len--;
				cons_write("\b \b", 3);
			}
		} else if (c == 0x15) {			/* ^U */
			while (len > 0) {
				len--;
				cons_write("\b \b", 3);
			}
		} else if (c >= ' ' && c < 0x7f && len + 1 < size) {
			buf[len++] = c;
			cons_putc(c);
		}
	}
}

/* Split a line into words in place; returns the word count. */
static int
kmon_split(char *line, char **argv, int max)
{
	int argc = 0;

	while (*line != '\0' && argc < max) {
		while (*line == ' ')
			*line++ = '\0';
		if (*line == '\0')
			break;
		argv[argc++] = line;
		while (*line != '\0' && *line != ' ')
			line++;
	}
	return argc;
}

/*
 * The monitor's loop: prompt, read, run.  Never returns.
 */
void
kmon_run(void)
{
	char line[KMON_LINE], *argv[KMON_MAXARGS];
	const struct kmon_cmd *kc;
	int argc;

	kprintf("kmon: no /sbin/init to start; this is the kernel monitor. "
	    "Type help.\n");
	kprintf("kmon: (boot with init=/bin/hello on the kernel command line "
	    "to run a program from the initramfs)\n");
	for (;;) {
		kprintf("kmon> ");
		kmon_readline(line, sizeof(line));
		if ((argc = kmon_split(line, argv, KMON_MAXARGS)) == 0)
			continue;
		for (kc = kmon_cmds; kc->kc_name != NULL; kc++)
			if (strcmp(kc->kc_name, argv[0]) == 0)
				break;
		if (kc->kc_name == NULL)
			kprintf("kmon: %s: unknown command (try help)\n",
			    argv[0]);
		else
			kc->kc_fn(argc, argv);
	}
}
