/*
 * The CPU's own tables: what CPUID says about the processor, the GDT with
 * the TSS, and the IDT that sends every vector to trap_stubs.S.  Also the
 * two ways this CPU stops: halting for good, and QEMU's isa-debug-exit.
 *
 * The layout of the GDT and the meaning of each selector are described in
 * machine/segments.h.  Everything here is built once, by cpu_init() on the
 * boot CPU, before pmap_bootstrap(); the tables live in the kernel image
 * (.data and .bss), which stays mapped when the boot page tables go.
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <machine/cpu.h>
#include <machine/cpufunc.h>
#include <machine/segments.h>

/*
 * Locks protecting these variables:
 *	I	written once by cpu_init() on the boot CPU, read-only after
 *	T	the CPU writes the TSS descriptor's busy bit on ltr
 */
struct cpu_features	cpu_features;			/* [I] */
static uint64_t		gdt[GDT_NSLOTS] __aligned(16);	/* [I,T] */
static struct tss64	tss __aligned(16);		/* [I] */
static struct gate64	idt[NIDT] __aligned(16);	/* [I] */

/* The interrupt stacks of #DF, NMI and #MC: IST1..IST3. */
static uint8_t	ist_stack[3][IST_STACK_SIZE] __aligned(16);

/*
 * Code and data segment descriptors (Intel SDM vol. 3A, 3.4.5 "Segment
 * Descriptors").  In 64-bit mode the base and limit are ignored except for
 * FS and GS; we still give the flat 4 GiB values so nothing depends on it.
 */
#define SEG_A		0x01		/* accessed */
#define SEG_RW		0x02		/* code: readable; data: writable */
#define SEG_CODE	0x08		/* executable */
#define SEG_S		0x10		/* code or data (not system) */
#define SEG_DPL(n)	((n) << 5)
#define SEG_P		0x80		/* present */
#define SEGF_L		0x2		/* 64-bit code */
#define SEGF_DB		0x4		/* 32-bit default operand size */
#define SEGF_G		0x8		/* limit in 4 KiB units */
#define SEGDESC(access, flags)						\
	(((uint64_t)(flags) << 52) | ((uint64_t)(access) << 40) |	\
	    0x000f00000000ffffULL)

/* The TSS descriptor's type: an available 64-bit TSS (SDM 3A, 3.5). */
#define SYSDESC_TSS64	0x09

static void
cpu_identify(void)
{
	struct cpu_features *cf = &cpu_features;
	uint32_t a, b, c, d, max, maxext, brand[12];
	const char *p;
	size_t i;

	cpuid(0, 0, &max, &b, &c, &d);
	memcpy(&cf->cf_vendor[0], &b, 4);
	memcpy(&cf->cf_vendor[4], &d, 4);
	memcpy(&cf->cf_vendor[8], &c, 4);
	cf->cf_vendor[12] = '\0';

	/* SDM vol. 2A, CPUID, tables 3-8, 3-10 and 3-11. */
	if (max >= 1) {
		cpuid(1, 0, &a, &b, &c, &d);
		cf->cf_apic = (d >> 9) & 1;
		cf->cf_pge = (d >> 13) & 1;
		cf->cf_x2apic = (c >> 21) & 1;
		cf->cf_tsc_deadline = (c >> 24) & 1;
		cf->cf_hypervisor = (c >> 31) & 1;
	}
	if (max >= 7) {
		cpuid(7, 0, &a, &b, &c, &d);
		cf->cf_smep = (b >> 7) & 1;
		cf->cf_smap = (b >> 20) & 1;
	}
	cpuid(0x80000000, 0, &maxext, &b, &c, &d);
	if (maxext >= 0x80000001) {
		cpuid(0x80000001, 0, &a, &b, &c, &d);
		cf->cf_nx = (d >> 20) & 1;
		cf->cf_1gpage = (d >> 26) & 1;
	}
	if (maxext >= 0x80000004) {
		for (i = 0; i < 3; i++)
			cpuid(0x80000002 + i, 0, &brand[4 * i],
			    &brand[4 * i + 1], &brand[4 * i + 2],
			    &brand[4 * i + 3]);
		/* The string is NUL-padded, and often starts with blanks. */
		p = (const char *)brand;
		for (i = 0; i < sizeof(brand) && p[i] == ' '; i++)
			continue;
		memcpy(cf->cf_brand, p + i, sizeof(brand) - i);
		cf->cf_brand[sizeof(brand) - i] = '\0';
	}
	if (maxext >= 0x80000007) {
		cpuid(0x80000007, 0, &a, &b, &c, &d);
		cf->cf_tsc_invariant = (d >> 8) & 1;
	}
}

/*
 * The TSS descriptor: 16 bytes, two GDT slots (SDM vol. 3A, 7.2.3 "TSS
 * Descriptor in 64-bit mode", figure 7-4).
 */
static void
gdt_set_tss(int slot, const struct tss64 *t)
{
	uint64_t base = (uint64_t)t, limit = sizeof(*t) - 1;

	gdt[slot] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
	    ((uint64_t)(SEG_P | SYSDESC_TSS64) << 40) |
	    (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[slot + 1] = base >> 32;
}

static void
gdt_init(void)
{
	struct region_desc gdtr;
	int i;

	gdt[GSEL_NULL / 8] = 0;
	gdt[GSEL_KCODE / 8] = SEGDESC(SEG_P | SEG_S | SEG_CODE | SEG_RW,
	    SEGF_G | SEGF_L);
	gdt[GSEL_KDATA / 8] = SEGDESC(SEG_P | SEG_S | SEG_RW, SEGF_G | SEGF_DB);
	gdt[GSEL_UDATA / 8] = SEGDESC(SEG_P | SEG_DPL(SEL_UPL) | SEG_S |
	    SEG_RW, SEGF_G | SEGF_DB);
	gdt[GSEL_UCODE / 8] = SEGDESC(SEG_P | SEG_DPL(SEL_UPL) | SEG_S |
	    SEG_CODE | SEG_RW, SEGF_G | SEGF_L);

	/*
	 * RSP0 stays zero until the user-mode issue sets it for each thread:
	 * until then no interrupt comes from user mode.  The I/O bitmap
	 * offset points past the TSS's limit: no bitmap, so user mode gets
	 * no port (SDM vol. 1, "I/O Permission Bit Map").
	 */
	memset(&tss, 0, sizeof(tss));
	for (i = 0; i < 3; i++)
		tss.tss_ist[i] = (uint64_t)&ist_stack[i][IST_STACK_SIZE];
	_Static_assert(IST_DF == 1 && IST_NMI == 2 && IST_MC == 3,
	    "ist_stack[i] is IST slot i + 1");
	tss.tss_iomap = sizeof(tss);
	gdt_set_tss(GSEL_TSS / 8, &tss);

	gdtr.rd_limit = sizeof(gdt) - 1;
	gdtr.rd_base = (uint64_t)gdt;
	/*
	 * Load the new table, then every segment register: CS only by a far
	 * transfer, here a far return to the next instruction.
	 */
	__asm__ volatile(
	    "lgdt %0\n\t"
	    "pushq %1\n\t"
	    "leaq 1f(%%rip), %%rax\n\t"
	    "pushq %%rax\n\t"
	    "lretq\n"
	    "1:\n\t"
	    "movw %w2, %%ds\n\t"
	    "movw %w2, %%es\n\t"
	    "movw %w2, %%ss\n\t"
	    "xorl %%eax, %%eax\n\t"
	    "movw %%ax, %%fs\n\t"
	    "movw %%ax, %%gs\n\t"
	    : : "m"(gdtr), "i"(GSEL_KCODE), "r"((uint64_t)GSEL_KDATA)
	    : "rax", "memory");
	__asm__ volatile("ltr %w0" : : "r"((uint64_t)GSEL_TSS) : "memory");
}

static void
idt_set_gate(int vec, uint64_t handler, int ist, int dpl)
{
	struct gate64 *g = &idt[vec];

	g->gd_off_lo = handler & 0xffff;
	g->gd_sel = GSEL_KCODE;
	g->gd_ist = ist;
	g->gd_type = GATE_P | GATE_DPL(dpl) | GATE_INTR64;
	g->gd_off_mid = (handler >> 16) & 0xffff;
	g->gd_off_hi = handler >> 32;
	g->gd_rsvd = 0;
}

static void
idt_init(void)
{
	struct region_desc idtr;
	int vec, ist, dpl;

	/*
	 * Interrupt gates everywhere, so every handler starts with
	 * interrupts off.  Only the breakpoint vector may be raised by user
	 * code (int3); from user mode, int $n on any other vector raises #GP.
	 */
	for (vec = 0; vec < NIDT; vec++) {
		switch (vec) {
		case 2:
			ist = IST_NMI;
			break;
		case 8:
			ist = IST_DF;
			break;
		case 18:
			ist = IST_MC;
			break;
		default:
			ist = 0;
			break;
		}
		dpl = vec == 3 ? SEL_UPL : SEL_KPL;
		idt_set_gate(vec, trap_stub_table[vec], ist, dpl);
	}
	idtr.rd_limit = sizeof(idt) - 1;
	idtr.rd_base = (uint64_t)idt;
	__asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
}

/*
 * Identify the CPU into cpu_features, then load the kernel's GDT (with the
 * TSS and its interrupt stacks) and the IDT: from here on every exception
 * reaches trap().  Prints nothing, so it may run before any console exists;
 * cpu_log_features() prints what it found.  Called once, first thing in
 * kmain(), with interrupts off; takes no lock.
 */
void
cpu_init(void)
{
	cpu_identify();
	gdt_init();
	idt_init();
}

/*
 * Print the features line ("cpu: GenuineIntel ...: nx pge ...") from what
 * cpu_init() found.  Called once by kmain() when the console is up; takes
 * the console's lock through kprintf().
 */
void
cpu_log_features(void)
{
	const struct cpu_features *cf = &cpu_features;

	klog("cpu", "%s \"%s\":%s%s%s%s%s%s%s%s%s%s", cf->cf_vendor,
	    cf->cf_brand[0] != '\0' ? cf->cf_brand : "no brand string",
	    cf->cf_nx ? " nx" : "", cf->cf_pge ? " pge" : "",
	    cf->cf_1gpage ? " 1gpage" : "", cf->cf_smep ? " smep" : "",
	    cf->cf_smap ? " smap" : "", cf->cf_apic ? " apic" : "",
	    cf->cf_x2apic ? " x2apic" : "",
	    cf->cf_tsc_invariant ? " tsc-invariant" : "",
	    cf->cf_tsc_deadline ? " tsc-deadline" : "",
	    cf->cf_hypervisor ? " hypervisor" : "");
}

/*
 * Stop this CPU for good: interrupts off, then halt (an NMI may still wake
 * it; it halts again).  Never returns.
 */
void
cpu_halt_forever(void)
{
	intr_disable();
	for (;;)
		cpu_halt();
}

/*
 * Parse "0x3f4", "0xf4" or "244" as an I/O port number into *portp.
 * Returns 0, or -EINVAL when s is not a number or is above 0xffff.
 */
static int
cpu_parse_port(const char *s, uint16_t *portp)
{
	uint32_t v = 0, base = 10, digit;
	const char *p = s;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (*p == '\0')
		return -EINVAL;
	for (; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9')
			digit = *p - '0';
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			digit = *p - 'a' + 10;
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			digit = *p - 'A' + 10;
		else
			return -EINVAL;
		v = v * base + digit;
		if (v > 0xffff)
			return -EINVAL;
	}
	*portp = v;
	return 0;
}

/*
 * End the QEMU run with status code * 2 + 1, when the kernel command line
 * names the port of an isa-debug-exit device (debugexit=0xf4).  Returns
 * when there is no such option, when its value is not a port number (and
 * says so), or when nothing at that port ended the machine.  Takes no
 * lock, so panic() may call it.
 */
void
cpu_debug_exit(int code)
{
	const char *s;
	uint16_t port;

	if ((s = cmdline_get("debugexit")) == NULL)
		return;
	if (cpu_parse_port(s, &port) < 0) {
		klog("cpu", "debugexit=%s is not an I/O port number", s);
		return;
	}
	outb(port, (uint8_t)code);
}

/*
 * Set the stack the CPU loads on an interrupt or exception from user mode
 * (TSS RSP0): the top of the running thread's kernel stack.  Called by the
 * scheduler with interrupts off.
 */
void
cpu_set_kstack(uint64_t rsp0)
{
	tss.tss_rsp[0] = rsp0;
}
