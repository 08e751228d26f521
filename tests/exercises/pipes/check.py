"""Exercise 12 (Documentation/tutorial/pipes.md): /proc/sys/fs/pipe-max-size.

The file must read the limit of F_SETPIPE_SZ for users other than root
(1048576 at boot), take a new one from root rounded up to a power-of-two
count of pages as Linux rounds it, and be listed in /proc/sys/fs.
"""

import os
import sys

import harness
from harness import Failure, group, want

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402

FILE = "/proc/sys/fs/pipe-max-size"


@group("exercise-pipes", needs=("kernel", "initramfs"))
def exercise_pipes(ctx):
    """/proc/sys/fs/pipe-max-size reads and sets fs.pipe-max-size."""
    m, sh = exlib.boot_shell(ctx, "pipes", settle=True)
    with ctx.test("exercise-pipes/read", m):
        want(sh.ok("cat " + FILE), r"^1048576\r?$", FILE)
        want(sh.ok("ls /proc/sys/fs"), r"pipe-max-size", "ls /proc/sys/fs")
        want(sh.ok("sysctl fs.pipe-max-size"),
             r"^fs\.pipe-max-size = 1048576\r?$", "sysctl")
    with ctx.test("exercise-pipes/write", m):
        for value, rounded in (("100000", "131072"), ("65536", "65536"),
                               ("1", "4096"), ("1048576", "1048576")):
            sh.ok("echo %s > %s" % (value, FILE))
            want(sh.ok("cat " + FILE), r"^%s\r?$" % rounded,
                 "%s after writing %s" % (FILE, value))
        out, st = sh.run("echo 4294967296 > " + FILE)
        if st == 0:
            raise Failure("2^32 was taken: %r" % out)
        want(sh.ok("cat " + FILE), r"^1048576\r?$", "after a refused write")
    with ctx.test("exercise-pipes/root-only", m):
        out, st = sh.run("su nobody -s /bin/sh -c 'echo 8192 > %s'" % FILE)
        if st == 0:
            raise Failure("nobody could write it: %r" % out)
        want(sh.ok("cat " + FILE), r"^1048576\r?$", "after nobody's write")
    exlib.poweroff(m, 60)
