/*
 * Inline access to x86_64 instructions that C cannot express: port I/O,
 * model-specific registers, control registers, the TSC, CPUID, and the
 * interrupt flag.
 */
#ifndef _MACHINE_CPUFUNC_H_
#define _MACHINE_CPUFUNC_H_

#include <sys/types.h>
#include <machine/specialreg.h>

static inline void
outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void
outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void
outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t
inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t
inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t
inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* A write to an unused port: about 1 us on real hardware. */
static inline void
io_delay(void)
{
	outb(0x80, 0);
}

static inline uint64_t
rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void
wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
	    "d"((uint32_t)(v >> 32)));
}

static inline uint64_t
rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void
cpuid(uint32_t leaf, uint32_t subleaf, uint32_t *a, uint32_t *b,
    uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid"
	    : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
	    : "a"(leaf), "c"(subleaf));
}

static inline uint64_t
rcr0(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline uint64_t
rcr2(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t
rcr3(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void
lcr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint64_t
rcr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void
lcr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline void
invlpg(vaddr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline uint64_t
read_rflags(void)
{
	uint64_t v;

	__asm__ volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

static inline void
write_rflags(uint64_t v)
{
	__asm__ volatile("pushq %0; popfq" : : "r"(v) : "memory", "cc");
}

#define PSL_I		0x200		/* rflags: interrupts enabled */

static inline void
intr_disable(void)
{
	__asm__ volatile("cli" : : : "memory");
}

static inline void
intr_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

static inline void
cpu_halt(void)
{
	__asm__ volatile("hlt" : : : "memory");
}

/* Enable interrupts and halt in one step, so no wake-up is lost. */
static inline void
cpu_idle(void)
{
	__asm__ volatile("sti; hlt" : : : "memory");
}

static inline void
cpu_pause(void)
{
	__asm__ volatile("pause");
}

static inline uint64_t
read_rbp(void)
{
	uint64_t v;

	__asm__ volatile("mov %%rbp, %0" : "=r"(v));
	return v;
}

#endif /* _MACHINE_CPUFUNC_H_ */
