/*
 * The kernel's address-space layout and page size.
 *
 *	0x0000000000000000 - 0x00007fffffffffff	user space (later issues)
 *	0xffff800000000000 - ...		direct map of physical memory
 *	0xffffffff80000000 - ...		the kernel image (-mcmodel=kernel),
 *						mapping physical 0 upwards
 *
 * The kernel is loaded at physical 1 MiB; its 32-bit boot code runs there
 * with paging off and builds the first page tables (see
 * arch/x86_64/locore.S).
 */
#ifndef _SYS_PARAM_H_
#define _SYS_PARAM_H_

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(PAGE_SIZE - 1)
#define LARGE_PAGE_SIZE	(1UL << 21)		/* a 2 MiB page */

#define KERNBASE	0xffffffff80000000UL	/* virtual base of the image */
#define KERNLOAD	0x100000UL		/* physical load address */
#define DMAP_BASE	0xffff800000000000UL	/* direct map of all RAM */
#define DMAP_MAXSIZE	(64UL << 40)		/* 64 TiB of direct map */

#ifndef __ASSEMBLY__
#include <sys/types.h>

/* The direct map: every physical address has one kernel virtual alias. */
#define PHYS_TO_DMAP(pa)	((void *)((uint64_t)(pa) + DMAP_BASE))
#define DMAP_TO_PHYS(va)	((paddr_t)((uint64_t)(va) - DMAP_BASE))
/* Kernel-image addresses (functions, static data) to physical. */
#define KVA_TO_PHYS(va)		((paddr_t)((uint64_t)(va) - KERNBASE))

#define trunc_page(x)		rounddown2((uint64_t)(x), PAGE_SIZE)
#define round_page(x)		roundup2((uint64_t)(x), PAGE_SIZE)
#endif

#endif /* _SYS_PARAM_H_ */
