"""Exercise 11 (Documentation/tutorial/pagecache.md): Cached in
/proc/meminfo.

Cached must count the pages the page caches hold: writing 2 MiB into a
tmpfs file makes it grow by about that much, removing the file gives
the pages back.
"""

import harness
from harness import Failure, Shell, group, want

harness.NEEDS.setdefault("initramfs", "initramfs.cpio")

TIMEOUT = 300            # the whole run, KVM seconds (scaled under TCG)
BOOT_TIMEOUT = 60
KB = 2048                # the file's size


def cached(sh):
    out = sh.ok("grep Cached: /proc/meminfo")
    return int(want(out, r"^Cached:\s+(\d+) kB\r?$", "Cached").group(1))


@group("exercise-pagecache", needs=("kernel", "initramfs"))
def exercise_pagecache(ctx):
    """/proc/meminfo's Cached follows the pages of the page caches."""
    m = ctx.boot_pvh("exercise-pagecache", timeout=TIMEOUT,
                     extra=["-initrd", ctx.files["initramfs"]])
    sh = Shell(m)
    with ctx.test("exercise-pagecache/boot", m):
        sh.prompt(BOOT_TIMEOUT)
        sh.run("sleep 1")       # init's last boot messages pass
    with ctx.test("exercise-pagecache/cached", m):
        before = cached(sh)
        sh.ok("dd if=/dev/zero of=/tmp/ex-pc bs=4096 count=%d 2>/dev/null"
              % (KB // 4))
        during = cached(sh)
        sh.ok("rm /tmp/ex-pc")
        after = cached(sh)
        # Other pages come and go meanwhile (the shell's own): allow a
        # little, but the file's 2048 kB must show.
        if during - before < KB - 64:
            raise Failure("Cached grew from %d to %d kB for a %d kB file"
                          % (before, during, KB))
        if during - after < KB - 64:
            raise Failure("Cached went from %d to %d kB when the %d kB "
                          "file was removed" % (during, after, KB))
    with ctx.test("exercise-pagecache/truncate", m):
        sh.ok("dd if=/dev/zero of=/tmp/ex-pc bs=4096 count=%d 2>/dev/null"
              % (KB // 4))
        during = cached(sh)
        sh.ok("truncate -s 4096 /tmp/ex-pc")
        after = cached(sh)
        sh.ok("rm /tmp/ex-pc")
        if during - after < KB - 64:
            raise Failure("Cached went from %d to %d kB when the file "
                          "shrank from %d kB to 4 kB"
                          % (during, after, KB))
    m.sendline("poweroff")
    m.wait_exit(60)
