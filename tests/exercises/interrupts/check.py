"""Exercise 3 (Documentation/tutorial/interrupts.md): /proc/stat has
Linux's intr line: the number of interrupts since boot, then the count of
each IRQ number from 0 up to the highest one with a handler."""

import os
import re
import sys

import harness
from harness import Failure, group, want

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402


def irq_counts(text):
    """{irq: count} of /proc/interrupts' numbered lines."""
    counts = {}
    for m in re.finditer(r"^\s*(\d+):\s+(\d+)\s", text, re.M):
        counts[int(m.group(1))] = int(m.group(2))
    return counts


@group("exercise-interrupts", needs=("kernel", "initramfs"))
def exercise_interrupts(ctx):
    """/proc/stat's intr line agrees with /proc/interrupts."""
    m, sh = exlib.boot_shell(ctx, "interrupts", test="prompt", timeout=120)
    with ctx.test("exercise-interrupts/intr-line", m):
        # /proc/interrupts first: every count in /proc/stat read after it
        # is at least as large.
        out = sh.ok("cat /proc/interrupts; grep '^intr ' /proc/stat")
        before = irq_counts(out)
        if not before:
            raise Failure("no IRQ lines in /proc/interrupts: %r"
                          % out[-300:])
        line = want(out, r"^intr( \d+)+\s*$", "an intr line in /proc/stat")
        nums = [int(x) for x in line.group(0).split()[1:]]
        total, per_irq = nums[0], nums[1:]
        if len(per_irq) != max(before) + 1:
            raise Failure("intr has %d IRQ columns, want %d (IRQs 0 to %d)"
                          % (len(per_irq), max(before) + 1, max(before)))
        for irq, n in sorted(before.items()):
            if per_irq[irq] < n:
                raise Failure("IRQ %d: %d in /proc/stat, %d before in "
                              "/proc/interrupts" % (irq, per_irq[irq], n))
        if per_irq[4] == 0:
            raise Failure("IRQ 4 (the serial port we type on) counts 0")
        if total < sum(per_irq):
            raise Failure("the total %d is less than the IRQs' sum %d"
                          % (total, sum(per_irq)))
        for irq in range(len(per_irq)):
            if irq not in before and per_irq[irq] != 0:
                raise Failure("IRQ %d has no handler but counts %d"
                              % (irq, per_irq[irq]))
