/*
 * The host stand-ins of kshim.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <sys/bootinfo.h>
#include <sys/lock.h>
#include <sys/param.h>
#include <sys/vm_page.h>
#include <sys/vm_phys.h>

#include "kshim.h"
#include "unit.h"

struct bootinfo bootinfo;

/* The locks held, in the order they were taken. */
static struct spinlock *locks_held[8];
static int nlocks_held;

/* The spin lock calls of <sys/lock.h>, checked as kshim.h describes. */
void
spin_init(struct spinlock *sl, const char *name)
{
	sl->sl_locked = 0;
	sl->sl_name = name;
}

void
spin_lock(struct spinlock *sl)
{
	if (sl->sl_locked || nlocks_held == (int)nitems(locks_held)) {
		printf("not ok - spin_lock: %s already held\n", sl->sl_name);
		exit(1);
	}
	sl->sl_locked = 1;
	locks_held[nlocks_held++] = sl;
}

bool
spin_trylock(struct spinlock *sl)
{
	if (sl->sl_locked)
		return false;
	spin_lock(sl);
	return true;
}

void
spin_unlock(struct spinlock *sl)
{
	if (!sl->sl_locked || nlocks_held == 0 ||
	    locks_held[nlocks_held - 1] != sl) {
		printf("not ok - spin_unlock: %s not held last\n",
		    sl->sl_name);
		exit(1);
	}
	sl->sl_locked = 0;
	nlocks_held--;
}

bool
spin_held(const struct spinlock *sl)
{
	return sl->sl_locked != 0;
}

/*
 * Returns how many spin locks are held right now.
 */
int
kshim_locks_held(void)
{
	return nlocks_held;
}

/*
 * Release every spin lock still held, as if their holders had returned;
 * for after a panic the test expected.
 */
void
kshim_drop_locks(void)
{
	while (nlocks_held > 0)
		locks_held[--nlocks_held]->sl_locked = 0;
}

/*
 * Allocate size bytes aligned to 4 MiB to stand for physical memory:
 * physical address pa lives at arena + pa (vm_phys_dmap_base points at
 * the arena).  Returns the arena, or NULL after a "not ok" line when the
 * host is out of memory.
 */
uint8_t *
kshim_arena(size_t size)
{
	uint8_t *arena;

	arena = aligned_alloc(4UL << 20, size);
	if (arena == NULL) {
		printf("not ok - out of host memory\n");
		return NULL;
	}
	vm_phys_dmap_base = (uintptr_t)arena;
	return arena;
}

/*
 * Allocate an arena of size bytes (kshim_arena) and give it to the page
 * allocator as RAM, all but its first MiB, which stays reserved as on a
 * PC; a test checks that this succeeds, and *errorp is set to
 * vm_phys_init_ranges()'s result.  Returns the arena, or NULL when the
 * host is out of memory (*errorp is then unchanged).
 */
uint8_t *
kshim_vm_phys_boot(size_t size, int *errorp)
{
	struct bootmem map[] = {
		{ 0, size, BOOTMEM_AVAILABLE },
	};
	uint8_t *arena;
	int error;

	if ((arena = kshim_arena(size)) == NULL)
		return NULL;
	vm_phys_reserve(0, 1UL << 20, "first MiB");
	error = vm_phys_init_ranges(map, nitems(map));
	UNIT_CHECK(error == 0, "vm_phys_init_ranges (got %d)", error);
	*errorp = error;
	return arena;
}
