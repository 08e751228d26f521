/*
 * Host stand-ins for the kernel pieces under the tests of the page
 * allocator, the heap and address spaces (test_vm_phys.c, test_kmalloc.c,
 * test_vm_map.c): the boot information, spin locks, and an arena that
 * stands for physical memory.
 *
 * The spin locks are for a single-threaded host: a lock is a flag, and
 * taking a held lock or releasing a free one, or not the last one taken,
 * is a bug the test reports ("not ok") before it exits.  A panic longjmps
 * out of the code that held a lock, so a test drops what is still held
 * after each expected panic with kshim_drop_locks().
 *
 * The tests' pseudo-random numbers come from ktest_rand() of
 * <sys/ktest.h>, the generator of the in-kernel tests.
 */
#ifndef _TESTS_UNIT_KSHIM_H_
#define _TESTS_UNIT_KSHIM_H_

#include <stddef.h>
#include <stdint.h>

#include <sys/ktest.h>

int	 kshim_locks_held(void);
void	 kshim_drop_locks(void);
uint8_t	*kshim_arena(size_t size);
uint8_t	*kshim_vm_phys_boot(size_t size, int *errorp);

#endif /* _TESTS_UNIT_KSHIM_H_ */
