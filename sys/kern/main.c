/*
 * kmain(): the boot sequence, from the first C the kernel runs to the
 * point where it has something to do.
 *
 * Each step names itself in the boot log.  Steps that everything after
 * them needs (memory) panic when they fail; the others (ACPI, a device)
 * log the failure and boot goes on without them.  This file names no
 * device: drivers attach through the driver model (kern/kern_device.c).
 */
#include <sys/acpi.h>
#include <sys/bootinfo.h>
#include <sys/clock.h>
#include <sys/cons.h>
#include <sys/device.h>
#include <sys/exec.h>
#include <sys/file.h>
#include <sys/intr.h>
#include <sys/ktest.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/version.h>
#include <sys/vm_phys.h>
#include <sys/vnode.h>

#include <machine/cpu.h>
#include <machine/cpufunc.h>
#include <machine/pmap.h>

#include <fs/devfs/devfs.h>
#include <fs/mqueue/mqueue.h>
#include <fs/procfs/procfs.h>

int	bootinfo_report(void);		/* arch/x86_64/bootinfo.c */
void	kmon_run(void) __noreturn;	/* kern/kern_monitor.c */
void	kmain(void) __noreturn;

/* The kernel's boot time, from the first instruction to the end of kmain. */
uint64_t boot_time_ns;

/*
 * Keep the low megabyte out of the allocator.  vm_phys_init() itself keeps
 * out the kernel image and the loader's modules (from bootinfo).
 */
static void
kmain_reserve_memory(void)
{
	/* Real-mode data, the BIOS, and (later) the AP trampoline. */
	vm_phys_reserve(0, 1UL << 20, "first megabyte");
}

/* Copy the value of a command-line option; false when it is absent. */
static bool
kmain_option(const char *key, char *buf, size_t size)
{
	const char *v = cmdline_get(key);

	if (v == NULL)
		return false;
	strlcpy(buf, v, size);
	return true;
}

/*
 * Start the first user process: the root filesystem (a tmpfs) is set up
 * and the initramfs unpacked into it, then init=PATH from the command
 * line runs, else /sbin/init when there is one.  The boot thread then has nothing
 * left to do and sleeps for good.  Without an initramfs or an init, the
 * kernel monitor runs instead.
 */
static void
kmain_start_init(void)
{
	char path[128];
	struct vnode *vp;
	int error;

	if ((error = vfs_init()) < 0) {
		klog("boot", "no root filesystem (error %d)", error);
		return;
	}
	cons_cdev_init();
	if (initramfs_init() < 0 || initramfs_unpack() < 0)
		return;
	(void)devfs_init();	/* /dev, over the initramfs's; logs failures */
	(void)mqfs_init();	/* /dev/mqueue; logs failures */
	vfs_boot_dirs();	/* /tmp and /dev/shm; logs failures */
	(void)procfs_init();	/* /proc; logs failures */
	if (!kmain_option("init", path, sizeof(path))) {
		strlcpy(path, "/sbin/init", sizeof(path));
		if (vfs_kern_lookup(path, &vp) < 0)
			return;
		vrele(vp);
	}
	if ((error = exec_start_init(path)) < 0) {
		klog("boot", "cannot start %s (error %d); kernel monitor instead",
		    path, error);
		return;
	}
	for (;;)
		tsleep(&boot_time_ns, NULL, "idle-boot", 0);
}

/*
 * The boot sequence.  Called by machdep_boot() with interrupts off, on the
 * boot stack, once bootinfo is filled in.
 */
void
kmain(void)
{
	char opt[128];
	int error, n;

	/* The CPU's own tables first: a fault from here on is reported. */
	cpu_init();
	consinit();
	kprintf("EclipseOS %s x86_64: booted by %s\n", ECLIPSE_VERSION,
	    bootinfo.bi_protocol == BOOT_PVH ? "PVH" :
	    bootinfo.bi_protocol == BOOT_MULTIBOOT2 ? "multiboot2" :
	    "an unknown loader");
	if (bootinfo_report() < 0)
		panic("boot: no usable memory map from the loader");
	cpu_log_features();
	pmap_bootstrap();

	kmain_reserve_memory();
	if ((error = vm_phys_init()) < 0)
		panic("boot: physical memory: error %d", error);
	if ((error = kmalloc_init()) < 0)
		panic("boot: kernel heap: error %d", error);
	sched_init();

	if ((error = acpi_init()) < 0)
		klog("boot", "ACPI: not available (error %d); no power-off",
		    error);
	if ((error = intr_init()) < 0)
		panic("boot: interrupt controllers: error %d", error);
	if ((error = timer_init()) < 0)
		panic("boot: timer: error %d", error);
	intr_enable();

	n = device_init();
	klog("boot", "%d device(s) attached", n);

	boot_time_ns = tsc_to_ns(rdtsc() - bootinfo.bi_entry_tsc);
	kprintf("boot: kernel initialised in %lu.%03lu ms\n",
	    boot_time_ns / 1000000, (boot_time_ns / 1000) % 1000);

	if (kmain_option("fault", opt, sizeof(opt)))
		ktest_fault(opt);
	if (kmain_option("ktest", opt, sizeof(opt))) {
		/* ktest_run's result is in its summary line; then stop. */
		ktest_run(opt);
		cpu_poweroff();
		/* No ACPI power-off: a test run must still end. */
		cpu_debug_exit(0);
		cpu_halt_forever();
	}
	kmain_start_init();
	kmon_run();
}
