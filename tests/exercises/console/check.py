"""Exercise 2 (Documentation/tutorial/console.md): kvformat() prints %b,
binary, with the flags, width, precision and length modifiers of the
other integer conversions, and '#' giving a nonzero value a 0b prefix.

The formatter is pure, so the check builds sys/kern/subr_prf.c for the
host with a small driver (binfmt.c beside this file), as the unit test
tests/unit/test_subr_prf.c does, and compares what it prints."""

import os
import subprocess

from harness import ROOT, Failure, group

# Format -> what C23's printf prints for the driver's argument.
WANT = [
    ("%b|", "101|"),
    ("%b|", "0|"),
    ("%#b|", "0b101|"),
    ("%#b|", "0|"),
    ("%08b|", "00000101|"),
    ("%-6b|", "101   |"),
    ("%#10b|", "     0b101|"),
    ("%.4b|", "0001|"),
    ("%hhb|", "11111111|"),
    ("%lb|", "1" * 64 + "|"),
    ("%x %b %d|", "ff 110 -1|"),
]


@group("exercise-console", needs=())
def exercise_console(ctx):
    """%b in kvformat(): binary digits, 0b with '#', widths and lengths."""
    exe = os.path.join(ctx.build, "exercises", "console", "binfmt")
    with ctx.test("exercise-console/build"):
        os.makedirs(os.path.dirname(exe), exist_ok=True)
        cc = subprocess.run(
            ["cc", "-std=gnu11", "-O1", "-Wall", "-Wextra", "-Werror",
             "-DUNIT_TEST", "-Isys", "-Isys/arch/x86_64/include",
             "-o", exe, "tests/exercises/console/binfmt.c",
             "sys/kern/subr_prf.c"],
            cwd=ROOT, capture_output=True, text=True, timeout=120)
        if cc.returncode != 0:
            raise Failure("cc failed: " + cc.stderr[-600:])
    with ctx.test("exercise-console/binary"):
        if not os.path.exists(exe):
            raise Failure("the driver was not built")
        run = subprocess.run([exe], capture_output=True, text=True,
                             timeout=30)
        got = [ln.split("\t", 1) for ln in run.stdout.splitlines()]
        if len(got) != len(WANT):
            raise Failure("the driver printed %d lines, want %d"
                          % (len(got), len(WANT)))
        bad = ["%s printed %r, want %r" % (f, g[1] if len(g) > 1 else "",
                                          w)
               for (f, w), g in zip(WANT, got)
               if len(g) < 2 or g[1] != w]
        if bad:
            raise Failure("; ".join(bad))
