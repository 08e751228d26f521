"""Exercise 25 (conformance): mincore(2), with its conformance case
tests/conformance/memory/mincore.c, passes in EclipseOS.

Builds the test initramfs with that one case (make initramfs-tests
CONF_SRCS=...), boots it by PVH with the runner as init, as `make
check-system TESTS=conformance` does: the program runs, every one of its
cases (at least eight) passes, and the kernel never logs mincore as a
call it does not implement.
"""

import os
import re
import subprocess

from harness import Failure, group
import suite_conformance as conf

CASE = "tests/conformance/memory/mincore.c"
NAME = "memory/mincore"
TREE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..",
                                    ".."))
TIMEOUT = 120


@group("exercise-conformance", needs=("kernel",))
def exercise_conformance(ctx):
    """mincore(2) and its case memory/mincore pass inside EclipseOS."""
    built = False
    with ctx.test("exercise-conformance/build"):
        if not os.path.exists(os.path.join(TREE, CASE)):
            raise Failure("%s: no such file (write the case)" % CASE)
        p = subprocess.run(["make", "-s", "BUILD=" + ctx.build,
                            "initramfs-tests", "CONF_SRCS=" + CASE],
                           cwd=TREE, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        if p.returncode != 0:
            raise Failure("make initramfs-tests: %s" % p.stdout[-800:])
        built = True
    if not built:
        return
    cpio = os.path.join(ctx.build, "initramfs-tests.cpio")
    m = ctx.boot_pvh("exercise-conformance", append=conf.APPEND,
                     timeout=TIMEOUT, extra=["-initrd", cpio])
    with ctx.test("exercise-conformance/run", m):
        m.expect(r"(?m)^conformance: done$", what="\"conformance: done\"")
        m.wait_exit(timeout=15)
        programs, _ = conf.parse_run(m.text)
        progs = [p for p in programs if p.name == NAME]
        if not progs:
            raise Failure("%s did not run" % NAME)
        prog = progs[0]
        if len(prog.cases) < 8:
            raise Failure("%s: %d cases, want at least 8" % (
                NAME, len(prog.cases)))
        bad = [c for c in prog.cases if not c.ok]
        if bad:
            raise Failure("%s/%d failed: %s" % (NAME, bad[0].number,
                                                bad[0].desc))
        if prog.problems:
            raise Failure("%s: %s" % (NAME, "; ".join(prog.problems)))
        if re.search(r"mincore \(27\) not implemented", m.text):
            raise Failure("the kernel logs mincore as not implemented")
