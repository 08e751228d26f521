/*
 * The kernel heap (kern/kern_malloc.c): kmalloc() and kfree().
 *
 * Small requests come from size-class caches (16 bytes to 2 KiB) carved
 * out of whole pages; larger ones take whole pages from vm_phys.  With
 * KMALLOC_DEBUG (on by default in this teaching kernel) every block carries
 * a header and a red zone: kfree() panics on a double free, on a pointer
 * it never returned, and on a write past the end of the block.
 *
 * Locking: kmalloc_lock (a spin lock) protects the caches; both functions
 * may be called with interrupts off.
 */
#ifndef _SYS_MALLOC_H_
#define _SYS_MALLOC_H_

#include <sys/types.h>

#define M_ZERO		0x0001		/* zero the block */

int	kmalloc_init(void);
void	*kmalloc(size_t size, int flags);	/* NULL when out of memory */
void	kfree(void *p);				/* kfree(NULL) is allowed */

#endif /* _SYS_MALLOC_H_ */
