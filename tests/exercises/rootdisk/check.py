"""Exercise 24 (rootdisk): root=MAJOR:MINOR, Linux's way of naming the
root device by its number (root=252:3 is /dev/vda3).

One PVH boot of a copy of the image (make image) as the virtio disk,
with root=252:3: the kernel mounts /dev/vda3 as the root, and the shell
runs on it with the initramfs at /rescue.
"""

import os
import subprocess
import sys

import harness
from harness import Failure, group, want

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402


@group("exercise-rootdisk", needs=("kernel", "initramfs", "image"))
def exercise_rootdisk(ctx):
    """root=252:3 mounts /dev/vda3 as the root."""
    img = os.path.join(ctx.tmpdir, "root.img")
    subprocess.run(["cp", "--sparse=always", ctx.files["image"], img],
                   check=True)
    m, sh = exlib.boot_shell(
        ctx, "rootdisk", test=None, machine="q35", append="root=252:3",
        extra=["-drive", "file=%s,if=virtio,format=raw" % img])
    with ctx.test("exercise-rootdisk/root-line", m):
        sh.prompt(60)
        mt = want(m.text, r"^root: (/dev/\S+) \(eclipsefs\) on 252:3, "
                  r"read-write", "the kernel's root line")
        if mt.group(1) != "/dev/vda3":
            raise Failure("root=252:3 mounted %s" % mt.group(1))
    with ctx.test("exercise-rootdisk/on-disk", m):
        want(sh.ok("grep ' / ' /proc/mounts"),
             r"^/dev/vda3 / eclipsefs rw[ ,]", "/proc/mounts")
        want(sh.ok("grep ' /rescue ' /proc/mounts"), r"^\S+ /rescue tmpfs ",
             "the initramfs at /rescue")
