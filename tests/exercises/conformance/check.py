"""Exercise 25 (conformance): mincore(2), with its conformance case
tests/conformance/memory/mincore.c, passes in EclipseOS.

Builds the test initramfs with that one case (make initramfs-tests
CONF_SRCS=...), boots it by PVH with the runner as init, as `make
check-system TESTS=conformance` does: the program runs, every one of its
cases (at least eight) passes, and the kernel never logs mincore as a
call it does not implement.
"""

import os
import sys

import harness
from harness import group

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402


@group("exercise-conformance", needs=("kernel",))
def exercise_conformance(ctx):
    """mincore(2) and its case memory/mincore pass inside EclipseOS."""
    exlib.conformance_case(ctx, "conformance",
                           "tests/conformance/memory/mincore.c", 8,
                           "mincore (27)")
