"""Exercise 17 (Documentation/tutorial/userland.md): a program of our own
in the image.

One boot (PVH, the image's initramfs): /bin/osinfo must be there, a
program the build made static with musl, and print one line about the
system that agrees with uname and /proc.
"""

import os
import subprocess
import sys

import harness
from harness import Failure, group, want

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402

LINE = (r"^(\S+) (\S+) (\S+) \(host (\S+)\), up (\d+) s, (\d+) processes, "
        r"(\d+) MiB free of (\d+) MiB$")


@group("exercise-userland", needs=("kernel", "initramfs"))
def exercise_userland(ctx):
    """/bin/osinfo: a static musl program of bin/ installed in the image."""
    with ctx.test("exercise-userland/static"):
        path = os.path.join(ctx.build, "rootfs", "bin", "osinfo")
        if not os.path.exists(path):
            raise Failure("%s is missing: not installed into the staging "
                          "root" % path)
        out = subprocess.run(["readelf", "-lW", path], check=False,
                             stdout=subprocess.PIPE).stdout.decode()
        if "INTERP" in out or "LOAD" not in out:
            raise Failure("%s is not a static executable" % path)
    m, sh = exlib.boot_shell(ctx, "userland")
    with ctx.test("exercise-userland/osinfo", m):
        want(sh.ok("ls -l /bin/osinfo | cat"), r"^-rwxr-xr-x\s.*/bin/osinfo$",
             "ls -l /bin/osinfo")
        line = want(sh.ok("osinfo"), LINE, "what osinfo prints")
        uname = sh.ok("uname -s -r -m").strip()
        if " ".join(line.group(1, 2, 3)) != uname:
            raise Failure("osinfo says %r, uname -s -r -m %r" %
                          (" ".join(line.group(1, 2, 3)), uname))
        host = sh.ok("hostname").strip()
        if line.group(4) != host:
            raise Failure("osinfo says host %r, hostname %r" %
                          (line.group(4), host))
        total = int(want(sh.ok("cat /proc/meminfo"),
                         r"^MemTotal:\s+(\d+) kB", "meminfo").group(1))
        if int(line.group(8)) != total >> 10:
            raise Failure("osinfo says %s MiB in all, meminfo %d kB" %
                          (line.group(8), total))
