"""Exercise 11 (Documentation/tutorial/pagecache.md): readahead(2), with
its conformance case tests/conformance/fd/readahead.c, passes in EclipseOS.

Builds the test initramfs with that one case (make initramfs-tests
CONF_SRCS=...), boots it by PVH with the runner as init, as `make
check-system TESTS=conformance` does: every case of the program passes
(a regular file is read ahead, also past its end, its data and offset
unchanged; EBADF and EINVAL as the manual page says), and the kernel
never logs readahead as a call it does not implement.
"""

import os
import re
import subprocess

from harness import Failure, group
import suite_conformance as conf

CASE = "tests/conformance/fd/readahead.c"
NAME = "fd/readahead"
CASES = 15
TREE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..",
                                    ".."))
TIMEOUT = 120


@group("exercise-pagecache", needs=("kernel",))
def exercise_pagecache(ctx):
    """readahead(2) and its case fd/readahead pass inside EclipseOS."""
    built = False
    with ctx.test("exercise-pagecache/build"):
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
    m = ctx.boot_pvh("exercise-pagecache", append=conf.APPEND,
                     timeout=TIMEOUT, extra=["-initrd", cpio])
    with ctx.test("exercise-pagecache/run", m):
        m.expect(r"(?m)^conformance: done$", what="\"conformance: done\"")
        m.wait_exit(timeout=15)
        programs, _ = conf.parse_run(m.text)
        progs = [p for p in programs if p.name == NAME]
        if not progs:
            raise Failure("%s did not run" % NAME)
        prog = progs[0]
        if len(prog.cases) < CASES:
            raise Failure("%s: %d cases, want %d" % (
                NAME, len(prog.cases), CASES))
        bad = [c for c in prog.cases if not c.ok]
        if bad:
            raise Failure("%s/%d failed: %s (and %d more)" % (
                NAME, bad[0].number, bad[0].desc, len(bad) - 1))
        if prog.problems:
            raise Failure("%s: %s" % (NAME, "; ".join(prog.problems)))
        if re.search(r"readahead \(187\) not implemented", m.text):
            raise Failure("the kernel logs readahead as not implemented")
