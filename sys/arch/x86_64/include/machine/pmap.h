/*
 * The kernel's page tables (arch/x86_64/pmap.c).
 *
 * The 32-bit boot code maps the first 4 GiB twice (identity and at
 * DMAP_BASE) and the first 1 GiB at KERNBASE with 2 MiB pages, just enough
 * to reach C.  pmap_bootstrap() then builds the real kernel page tables:
 * the direct map of all RAM and of the first 4 GiB (where the APICs and
 * most device memory live), and the kernel image at KERNBASE with its text
 * read-only and its data no-execute.  The identity map is dropped.
 *
 * Locking: pmap_lock protects the kernel page tables after boot.
 */
#ifndef _MACHINE_PMAP_H_
#define _MACHINE_PMAP_H_

#include <sys/types.h>

/* Page-table entry bits (Intel SDM vol. 3, 4.5). */
#define PG_V		0x001ULL	/* present */
#define PG_RW		0x002ULL	/* writable */
#define PG_U		0x004ULL	/* user */
#define PG_PWT		0x008ULL
#define PG_PCD		0x010ULL	/* cache disable */
#define PG_A		0x020ULL
#define PG_M		0x040ULL
#define PG_PS		0x080ULL	/* 2 MiB / 1 GiB page */
#define PG_G		0x100ULL	/* global */
#define PG_NX		(1ULL << 63)
#define PG_FRAME	0x000ffffffffff000ULL

void	pmap_bootstrap(void);
/*
 * Make sure [pa, pa+size) is in the direct map (device memory above what
 * the boot map covers) and return its virtual address.
 */
void	*pmap_mapdev(paddr_t pa, size_t size);
/* The physical address of the kernel's top-level page table. */
paddr_t	pmap_kernel_pml4(void);

#endif /* _MACHINE_PMAP_H_ */
