"""Exercise 1 (Documentation/tutorial/boot.md): the kernel monitor's
`cmdline` command prints the kernel command line, then each word's key
and the value cmdline_get() finds for it."""

import os
import re
import sys

import harness
from harness import group, want

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402

APPEND = "hello=world verbose answer=42"


@group("exercise-boot", needs=("kernel",))
def exercise_boot(ctx):
    """kmon's cmdline: the line QEMU passed, then key and value per word."""
    m = exlib.boot_kmon(ctx, "boot", append=APPEND)
    with ctx.test("exercise-boot/cmdline", m):
        out = exlib.kmon_command(m, "cmdline")
        want(out, r"^%s$" % re.escape(APPEND), "the whole command line")
        want(out, r'^\s+hello\s+"world"$', "hello's value")
        want(out, r'^\s+verbose\s+""$', "verbose, a bare word")
        want(out, r'^\s+answer\s+"42"$', "answer's value")
    with ctx.test("exercise-boot/poweroff", m):
        exlib.poweroff(m, 10)
