"""Exercise 1 (Documentation/tutorial/boot.md): the kernel monitor's
`cmdline` command prints the kernel command line, then each word's key
and the value cmdline_get() finds for it."""

import re

from harness import Failure, group, want

APPEND = "hello=world verbose answer=42"


@group("exercise-boot", needs=("kernel",))
def exercise_boot(ctx):
    """kmon's cmdline: the line QEMU passed, then key and value per word."""
    # No initramfs: no init, so the boot ends at the kernel monitor.
    m = ctx.boot_pvh("exercise-boot", append=APPEND, timeout=30)
    with ctx.test("exercise-boot/prompt", m):
        m.prompt(20)
    with ctx.test("exercise-boot/cmdline", m):
        out = m.command("cmdline")
        if re.search(r"unknown command", out):
            raise Failure("kmon does not know cmdline: %r"
                          % out.strip()[:160])
        want(out, r"^%s$" % re.escape(APPEND), "the whole command line")
        want(out, r'^\s+hello\s+"world"$', "hello's value")
        want(out, r'^\s+verbose\s+""$', "verbose, a bare word")
        want(out, r'^\s+answer\s+"42"$', "answer's value")
    with ctx.test("exercise-boot/poweroff", m):
        m.sendline("poweroff")
        m.wait_exit(timeout=10)
