/*
 * Address-to-name lookup in the kernel's symbol table (sys/sys/ksyms.h).
 *
 * The table is pure data and the lookup takes no lock and touches nothing
 * else, so backtraces may call it from a trap or a panic, and the host unit
 * test (tests/unit/test_subr_ksyms.c) runs it against a table of its own.
 */
#include <sys/types.h>
#include <sys/ksyms.h>
#include <machine/cpu.h>

/*
 * Return the name of the function that contains addr and store the offset
 * of addr into it in *offset (when offset is not NULL).  Return NULL, and
 * leave *offset alone, when addr is before the first function, past the
 * end of the one below it (padding between functions, data, the boot
 * code), or when the table is empty.  Binary search; no lock.
 */
const char *
ksym_lookup(uint64_t addr, uint64_t *offset)
{
	uint64_t lo, hi, mid;

	/* Find the last entry whose start is <= addr. */
	lo = 0;
	hi = ksyms_count;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ksyms_addrs[mid] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	lo--;
	if (addr >= ksyms_ends[lo])
		return NULL;
	if (offset != NULL)
		*offset = addr - ksyms_addrs[lo];
	return &ksyms_strtab[ksyms_names[lo]];
}
