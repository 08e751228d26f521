"""Exercise 24 (rootdisk): root=MAJOR:MINOR, Linux's way of naming the
root device by its number (root=252:3 is /dev/vda3).

One PVH boot of a copy of the image (make image) as the virtio disk,
with root=252:3: the kernel mounts /dev/vda3 as the root, and the shell
runs on it with the initramfs at /rescue.
"""

import os
import subprocess

from harness import Failure, Shell, group, want
import harness

harness.NEEDS.setdefault("initramfs", "initramfs.cpio")

BOOT_TIMEOUT = 60
TIMEOUT = 300


@group("exercise-rootdisk", needs=("kernel", "initramfs", "image"))
def exercise_rootdisk(ctx):
    """root=252:3 mounts /dev/vda3 as the root."""
    img = os.path.join(ctx.tmpdir, "root.img")
    subprocess.run(["cp", "--sparse=always", ctx.files["image"], img],
                   check=True)
    m = ctx.boot_pvh("exercise-rootdisk", machine="q35", timeout=TIMEOUT,
                     append="root=252:3",
                     extra=["-initrd", ctx.files["initramfs"],
                            "-drive", "file=%s,if=virtio,format=raw" % img])
    sh = Shell(m)
    with ctx.test("exercise-rootdisk/root-line", m):
        sh.prompt(BOOT_TIMEOUT)
        mt = want(m.text, r"^root: (/dev/\S+) \(eclipsefs\) on 252:3, "
                  r"read-write", "the kernel's root line")
        if mt.group(1) != "/dev/vda3":
            raise Failure("root=252:3 mounted %s" % mt.group(1))
    with ctx.test("exercise-rootdisk/on-disk", m):
        want(sh.ok("grep ' / ' /proc/mounts"),
             r"^/dev/vda3 / eclipsefs rw[ ,]", "/proc/mounts")
        want(sh.ok("grep ' /rescue ' /proc/mounts"), r"^\S+ /rescue tmpfs ",
             "the initramfs at /rescue")
