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
import sys

import harness
from harness import group

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402


@group("exercise-pagecache", needs=("kernel",))
def exercise_pagecache(ctx):
    """readahead(2) and its case fd/readahead pass inside EclipseOS."""
    exlib.conformance_case(ctx, "pagecache",
                           "tests/conformance/fd/readahead.c", 15,
                           "readahead (187)")
