"""Exercise 4 (Documentation/tutorial/memory.md): /proc/buddyinfo lists
the buddy allocator's free blocks per order, 0 to 10, in Linux's format,
and they add up to MemFree."""

import os
import sys

import harness
from harness import Failure, group, want

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402

ORDERS = 11             # VM_PHYS_MAXORDER + 1


@group("exercise-memory", needs=("kernel", "initramfs"))
def exercise_memory(ctx):
    """/proc/buddyinfo: free blocks per order, summing to MemFree."""
    m, sh = exlib.boot_shell(ctx, "memory", test="prompt", timeout=120)
    with ctx.test("exercise-memory/buddyinfo", m):
        out = sh.ok("cat /proc/buddyinfo; grep MemFree /proc/meminfo")
        line = want(out, r"^Node 0, zone +Normal((?: +\d+){%d}) *$"
                    % ORDERS, "a buddyinfo line with %d orders" % ORDERS)
        counts = [int(x) for x in line.group(1).split()]
        free_kb = int(want(out, r"^MemFree: +(\d+) kB$", "MemFree")
                      .group(1))
        blocks_kb = sum(n * 4 * 2 ** o for o, n in enumerate(counts))
        # The two files are read a moment apart: allow cat's own pages.
        if abs(blocks_kb - free_kb) > 2048:
            raise Failure("the blocks hold %d kB, MemFree says %d kB"
                          % (blocks_kb, free_kb))
        if counts[ORDERS - 1] == 0:
            raise Failure("no free block of order %d in %d kB free: %r"
                          % (ORDERS - 1, free_kb, counts))
