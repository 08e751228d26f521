"""The legacy PC: a machine without ACPI tables, where the kernel must take
its interrupts from the 8259 PIC pair and its tick from the PIT."""

import re

from harness import Failure, group, wait_ktests

KTEST_APPEND = "ktest=all panic=exit debugexit=0xf4"

# Without ACPI there is no S5 power-off: after the ktests the kernel ends
# the run through isa-debug-exit with code 0, which QEMU turns into exit
# status (0 << 1) | 1.
LEGACY_STATUS = 1

# The lines that show the legacy path was taken (intr.c, timer.c).
LEGACY_LINES = (
    (r"^intr: 8259 PIC pair on vectors \d+-\d+", "the 8259 in use"),
    (r"^timer: .*PIT tick on IRQ 0", "the PIT as the tick"),
    (r"^intr: ISA IRQ 0 -> 8259 IRQ 0 .* -> vector \d+: timer",
     "the tick routed through the 8259"),
)


def legacy_end(m):
    """Problems with how the run ended: a panic or trap mark, or any end
    but the debug-exit that follows the failed ACPI power-off."""
    problems = []
    mark = m.marks()
    if mark is not None:
        problems.append("output has %r" % mark[:160])
    if m.timed_out or m.killed or m.status != LEGACY_STATUS:
        problems.append("ended by %s, expected debug-exit 0 (QEMU status "
                        "%d)" % (m.outcome(), LEGACY_STATUS))
    return problems


def ktest_problems(tests, done):
    """Problems with the ktest lines as a whole: none ran, numbers out of
    order, no "ktest: done" line, or one that disagrees with the lines."""
    problems = []
    if not tests:
        problems.append("no ktest ran")
    numbers = [t[0] for t in tests]
    if numbers != list(range(1, len(tests) + 1)):
        problems.append("ktest numbers are not 1..%d: %s" % (
            len(tests), numbers))
    npass = sum(1 for t in tests if t[2])
    if done is None:
        problems.append("no \"ktest: done\" line")
    elif done != (npass, len(tests) - npass):
        problems.append("done line says %d passed, %d failed; the lines "
                        "say %d, %d" % (done + (npass, len(tests) - npass)))
    bad = ["%s (%s)" % (name, why) if why else name
           for _, name, ok, why in tests if not ok]
    if bad:
        problems.insert(0, "ktests not ok: " + ", ".join(bad))
    return problems


@group("pvh-legacy")
def pvh_legacy(ctx):
    """ktest=all on -machine pc,acpi=off: the 8259 and PIT path."""
    m = ctx.boot_pvh("pvh-legacy", machine="pc,acpi=off",
                     append=KTEST_APPEND, timeout=30)
    tests, done = wait_ktests(m)

    with ctx.test("legacy/8259-pit", m):
        missing = [what for rx, what in LEGACY_LINES
                   if not re.search(rx, m.text, re.M)]
        if missing:
            raise Failure("no sign of " + ", ".join(missing))

    with ctx.test("legacy/ktests", m):
        problems = ktest_problems(tests, done) + legacy_end(m)
        if problems:
            raise Failure("; ".join(problems))
