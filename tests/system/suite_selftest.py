"""The harness tests itself: a kernel that faults on purpose must be
classified as failed, and its trap dump must say where it was."""

import re

from harness import Failure, group

# fault=KIND (sys/sys/ktest.h ktest_fault) and whether the dump shows CR2.
FAULTS = (("pagefault", True), ("gpf", False), ("divide", False),
          ("ud", False))


@group("fault")
def fault(ctx):
    """fault=pagefault|gpf|divide|ud: classified failed, with a trap dump."""
    for kind, want_cr2 in FAULTS:
        name = "fault-" + kind
        m = ctx.boot_pvh(name, append="fault=%s panic=exit debugexit=0xf4"
                         % kind, timeout=20)
        with ctx.test("selftest/" + name, m):
            m.wait_exit()
            passed, why = m.classify("poweroff")
            problems = []
            if passed:
                problems.append("the harness classified the run as passed")
            if m.outcome() != "debug-exit 1":
                problems.append("ended by %s, want debug-exit 1 (panic=exit)"
                                % m.outcome())
            if not re.search(r"^trap: ", m.text, re.M):
                problems.append("no \"trap:\" line")
            if not re.search(r"\bRIP 0x[0-9a-fA-F]+", m.text):
                problems.append("no RIP")
            if want_cr2 and not re.search(r"\bCR2 0x[0-9a-fA-F]+", m.text):
                problems.append("no CR2")
            if not re.search(r"^backtrace:.*\n\s+#0 \S+", m.text, re.M):
                problems.append("no backtrace (\"backtrace:\" then "
                                "\"  #0 ...\")")
            if problems:
                raise Failure("; ".join(problems))
