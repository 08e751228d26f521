/*
 * Backtraces: walk the chain of saved frame pointers and print each return
 * address with the function it falls in (see machine/db_machdep.h).
 *
 * A backtrace is printed when something already went wrong, so the walk
 * trusts nothing it reads: a frame pointer must be 8-byte aligned, lie in
 * the kernel image or the direct map (where kernel stacks live), and be
 * mapped in the current page tables, which are checked by hand before the
 * frame is read; a return address must lie in the kernel's text.  The walk
 * stops at the first frame that fails a check, at a zero frame pointer
 * (locore.S starts the boot stack with one), or after DB_MAXFRAMES.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>

#include <machine/cpu.h>
#include <machine/cpufunc.h>
#include <machine/db_machdep.h>
#include <machine/pmap.h>

/* kernel.ld */
extern char _text[], _etext[], _data[], _end[];

/*
 * Is va mapped in the page tables in CR3?  Walk them through the direct
 * map (Intel SDM vol. 3A, 4.5 "4-Level Paging"), which covers the page
 * tables from the first instruction on.
 */
static bool
db_kva_mapped(uint64_t va)
{
	const uint64_t *table;
	uint64_t entry;
	paddr_t pa;
	int level, shift;

	pa = rcr3() & PG_FRAME;
	for (level = 3; level >= 0; level--) {
		shift = PAGE_SHIFT + 9 * level;
		table = PHYS_TO_DMAP(pa);
		entry = table[(va >> shift) & 511];
		if ((entry & PG_V) == 0)
			return false;
		/* A 1 GiB page in the PDPT, a 2 MiB page in the PD. */
		if (level == 0 || ((level == 1 || level == 2) &&
		    (entry & PG_PS) != 0))
			return true;
		pa = entry & PG_FRAME;
	}
	return false;
}

static bool
db_frame_ok(uint64_t rbp)
{
	if (rbp == 0 || (rbp & 7) != 0)
		return false;
	if (!(rbp >= (uint64_t)_data && rbp + 16 <= (uint64_t)_end) &&
	    !(rbp >= DMAP_BASE && rbp + 16 <= DMAP_BASE + DMAP_MAXSIZE))
		return false;
	/* Both words are in one page: rbp is 8-aligned. */
	return db_kva_mapped(rbp) && db_kva_mapped(rbp + 8);
}

static bool
db_pc_in_text(uint64_t pc)
{
	return pc >= (uint64_t)_text && pc < (uint64_t)_etext;
}

/*
 * Print one frame.  A return address points past its call instruction,
 * which may be the last one of a function that never returns, so it is
 * looked up one byte back; a trapped RIP (exact) is looked up as it is.
 */
static void
db_print_frame(int n, uint64_t pc, bool exact)
{
	const char *name;
	uint64_t off;

	name = ksym_lookup(exact ? pc : pc - 1, &off);
	if (name == NULL)
		kprintf("  #%d 0x%016lx <?>\n", n, pc);
	else
		kprintf("  #%d 0x%016lx <%s+0x%lx>\n", n, pc, name,
		    exact ? off : off + 1);
}

/* Does pc return into trap_common, whose caller's frame is a trap's? */
static bool
db_pc_in_trap(uint64_t pc)
{
	const char *name;
	uint64_t off;

	name = ksym_lookup(pc - 1, &off);
	return name != NULL && strcmp(name, "trap_common") == 0;
}

/*
 * Walk the frames from rbp and call db_print_frame (print) or store the
 * return addresses into pcs.  Returns the number of frames.
 */
static int
db_walk(uint64_t rbp, int first, uint64_t *pcs, int max, bool print)
{
	const uint64_t *frame;
	uint64_t pc;
	bool exact = false;
	int n = 0;

	while (n < max && db_frame_ok(rbp)) {
		frame = (const uint64_t *)rbp;
		pc = frame[1];
		if (!db_pc_in_text(pc))
			break;
		if (print)
			db_print_frame(first + n, pc, exact);
		else
			pcs[n] = pc;
		n++;
		/* The trap stubs' frame holds the trapped RIP, not a call's. */
		exact = db_pc_in_trap(pc);
		if (frame[0] == rbp)
			break;
		rbp = frame[0];
	}
	return n;
}

/*
 * Print "backtrace:" and one line per frame, starting from the frame
 * pointer rbp: "  #0 0xffffffff80101234 <kmain+0x24>".  Takes no lock
 * (kprintf takes the console's); never faults on a bad frame.
 */
void
db_backtrace(uint64_t rbp)
{
	kprintf("backtrace:\n");
	db_walk(rbp, 0, NULL, DB_MAXFRAMES, true);
}

/*
 * Print "backtrace:", pc (the RIP of a trap) as frame #0, then the frames
 * from rbp.  Takes no lock; never faults on a bad frame.
 */
void
db_backtrace_pc(uint64_t pc, uint64_t rbp)
{
	kprintf("backtrace:\n");
	db_print_frame(0, pc, true);
	db_walk(rbp, 1, NULL, DB_MAXFRAMES - 1, true);
}

/*
 * Store the return addresses of up to max frames from rbp into pcs, for
 * code that checks a stack rather than printing it.  Returns how many
 * were stored.  Takes no lock; never faults on a bad frame.
 */
int
db_stack_pcs(uint64_t rbp, uint64_t *pcs, int max)
{
	return db_walk(rbp, 0, pcs, max, false);
}
