/*
 * The kernel's symbol table, for backtraces.
 *
 * sys/kern/genksyms.sh writes it at build time from the first link of the
 * kernel (see sys/sys.mk) into the .ksyms section: every text symbol
 * (nm types t and T) at or above KERNBASE, sorted by address, one entry per
 * address.  Entry i covers [ksyms_addrs[i], ksyms_ends[i]): the end is the
 * symbol's size when the object file recorded one, else the next symbol's
 * address (or _etext for the last).  Its name is the NUL-terminated string
 * at ksyms_strtab + ksyms_names[i].  Read-only after the link.
 */
#ifndef _SYS_KSYMS_H_
#define _SYS_KSYMS_H_

#include <sys/types.h>

extern const uint64_t	ksyms_count;
extern const uint64_t	ksyms_addrs[];
extern const uint64_t	ksyms_ends[];
extern const uint32_t	ksyms_names[];
extern const char	ksyms_strtab[];

#endif /* _SYS_KSYMS_H_ */
