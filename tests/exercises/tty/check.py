"""Exercise 13 (Documentation/tutorial/tty.md): IUCLC and OLCUC.

On the serial console's shell, `stty olcuc` must make output upper case
and `stty iuclc` must make typed upper case arrive in lower case (as
Linux's line discipline does, IUCLC only with IEXTEN, which is on).
"""

import os
import sys

import harness
from harness import Failure, group, want

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402



@group("exercise-tty", needs=("kernel", "initramfs"))
def exercise_tty(ctx):
    """IUCLC and OLCUC: stty on the serial console changes the case."""
    m, sh = exlib.boot_shell(ctx, "tty", settle=True)
    with ctx.test("exercise-tty/olcuc", m):
        # One line: olcuc is off again before the next prompt.
        out, st = sh.run("stty olcuc; echo hello, world; stty -olcuc")
        want(out, r"^HELLO, WORLD\r?$", "echo under olcuc")
        if st != 0:
            raise Failure("stty olcuc exited %d: %r" % (st, out))
        want(sh.ok("echo hello"), r"^hello\r?$", "echo after -olcuc")
    with ctx.test("exercise-tty/iuclc", m):
        sh.ok("stty iuclc")
        # Typed in upper case, the shell must read "echo abc".
        out, st = sh.run("ECHO ABC")
        sh.ok("stty -iuclc")
        if st != 0:
            raise Failure("ECHO ABC under iuclc exited %d: %r" % (st, out))
        want(out, r"^abc\r?$", "ECHO ABC under iuclc")
    with ctx.test("exercise-tty/sane", m):
        # Without the flags nothing changes case.
        want(sh.ok("echo MiXeD"), r"^MiXeD\r?$", "echo MiXeD")
    exlib.poweroff(m, 60)
