"""Exercise 5 (Documentation/tutorial/vm.md): the kernel monitor's `pt`
command walks the kernel's page tables for a virtual address as the MMU
does and prints each level's entry, then the physical address, page size
and rights, or where the walk stopped.

The addresses asked: a function of the kernel's text (its address from
the kernel's symbol table; the image is mapped at KERNBASE + its physical
address with 4 KiB pages, read and execute), a byte of the direct map
(DMAP_BASE + physical, writable, no execute), a low address the kernel
does not map, and an address that is not canonical."""

import os
import subprocess
import sys

import harness
from harness import Failure, group, want

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402

KERNBASE = 0xffffffff80000000
DMAP_BASE = 0xffff800000000000
SYMBOL = "kmon_run"


def symbol_address(kernel, name):
    """The address of NAME in the kernel's symbol table (nm)."""
    out = subprocess.run(["nm", kernel], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[2] == name:
            return int(f[0], 16)
    raise Failure("no symbol %s in %s" % (name, kernel))


def run_pt(m, va):
    """`pt` of VA at the prompt; its output, or Failure if unknown."""
    return exlib.kmon_command(m, "pt %#x" % va)


def translated(out, va):
    """The physical address and the rest of pt's line for VA."""
    got = want(out, r"^%#x -> (0x[0-9a-f]+) \((.*)\)$" % va,
               "the line '%#x -> PHYSICAL (SIZE page, RIGHTS)'" % va)
    return int(got.group(1), 16), got.group(2)


@group("exercise-vm", needs=("kernel",))
def exercise_vm(ctx):
    """kmon's pt: the levels, the physical address, or where it stops."""
    text = symbol_address(ctx.kernel, SYMBOL) + 0x5
    m = exlib.boot_kmon(ctx, "vm")
    with ctx.test("exercise-vm/text", m):
        out = run_pt(m, text)
        for name, shift in (("PML4", 39), ("PDPT", 30), ("PD", 21),
                            ("PT", 12)):
            want(out, r"^%s\[%d\] " % (name, (text >> shift) & 511),
                 "the %s entry of %s" % (name, SYMBOL))
        pa, rest = translated(out, text)
        if pa != text - KERNBASE:
            raise Failure("%s at %#x: physical %#x, want %#x"
                          % (SYMBOL, text, pa, text - KERNBASE))
        if rest != "4 KiB page, r-x":
            raise Failure("%s: %r, want '4 KiB page, r-x'" % (SYMBOL, rest))
    with ctx.test("exercise-vm/dmap", m):
        va = DMAP_BASE + 0x123456
        pa, rest = translated(run_pt(m, va), va)
        if pa != 0x123456 or not rest.endswith(" page, rw-"):
            raise Failure("direct map %#x: %#x (%s), want 0x123456 "
                          "(... page, rw-)" % (va, pa, rest))
    with ctx.test("exercise-vm/unmapped", m):
        want(run_pt(m, 0x1000),
             r"^0x1000: not mapped \((PML4|PDPT|PD|PT) entry not present\)$",
             "'0x1000: not mapped (LEVEL entry not present)'")
    with ctx.test("exercise-vm/noncanonical", m):
        want(run_pt(m, 0x0000800000000000), r"^0x800000000000: not canonical$",
             "'0x800000000000: not canonical'")
    with ctx.test("exercise-vm/poweroff", m):
        exlib.poweroff(m, 10)
