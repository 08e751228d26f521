"""Exercise 12 (Documentation/tutorial/pipes.md): /proc/sys/fs/pipe-max-size.

The file must read the limit of F_SETPIPE_SZ for users other than root
(1048576 at boot), take a new one from root rounded up to a power-of-two
count of pages as Linux rounds it, and be listed in /proc/sys/fs.
"""

import harness
from harness import Failure, Shell, group, want

harness.NEEDS.setdefault("initramfs", "initramfs.cpio")

TIMEOUT = 300            # the whole run, KVM seconds (scaled under TCG)
BOOT_TIMEOUT = 60
FILE = "/proc/sys/fs/pipe-max-size"


@group("exercise-pipes", needs=("kernel", "initramfs"))
def exercise_pipes(ctx):
    """/proc/sys/fs/pipe-max-size reads and sets fs.pipe-max-size."""
    m = ctx.boot_pvh("exercise-pipes", timeout=TIMEOUT,
                     extra=["-initrd", ctx.files["initramfs"]])
    sh = Shell(m)
    with ctx.test("exercise-pipes/boot", m):
        sh.prompt(BOOT_TIMEOUT)
        sh.run("sleep 1")       # init's last boot messages pass
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
    m.sendline("poweroff")
    m.wait_exit(60)
