/*
 * openat2(2)'s argument structure and its resolve flags (uapi
 * linux/openat2.h).  Includes only <sys/types.h>.
 */
#ifndef _SYS_ABI_OPENAT2_H_
#define _SYS_ABI_OPENAT2_H_

#include <sys/types.h>

/*
 * How to open: open(2)'s flags and mode (mode only with O_CREAT or
 * O_TMPFILE), and how the path may be resolved.  A caller passes its
 * size; a larger one is accepted when the bytes past ours are zero.
 */
struct l_open_how {
	uint64_t	flags;
	uint64_t	mode;
	uint64_t	resolve;
};

#define OPEN_HOW_SIZE_VER0	24	/* the first published size */
#define OPEN_HOW_SIZE_LATEST	OPEN_HOW_SIZE_VER0

/* resolve */
#define RESOLVE_NO_XDEV		0x01	/* no mount point crossings */
#define RESOLVE_NO_MAGICLINKS	0x02	/* no procfs-style magic links */
#define RESOLVE_NO_SYMLINKS	0x04	/* no symbolic links at all */
#define RESOLVE_BENEATH		0x08	/* never leave dirfd's subtree */
#define RESOLVE_IN_ROOT		0x10	/* dirfd is "/" for this lookup */
#define RESOLVE_CACHED		0x20	/* fail with EAGAIN rather than I/O */

_Static_assert(sizeof(struct l_open_how) == OPEN_HOW_SIZE_VER0,
    "l_open_how");
_Static_assert(__builtin_offsetof(struct l_open_how, resolve) == 16,
    "resolve");

#endif /* _SYS_ABI_OPENAT2_H_ */
