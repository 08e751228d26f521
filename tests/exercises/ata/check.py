"""Exercise 21 (ata): /sys/block/sda/device/model, the model name the
drive gave in IDENTIFY DEVICE, as Linux shows it.

One PVH boot on -machine pc with the initramfs and a small raw disk on
the IDE channel (/dev/sda, QEMU's "QEMU HARDDISK"): the file says so,
and a virtio disk beside it, whose driver has no model, has no such
file.
"""

import os
import sys

import harness
from harness import Failure, group, want

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402


@group("exercise-ata", needs=("kernel", "initramfs"))
def exercise_ata(ctx):
    """/sys/block/sda/device/model: IDENTIFY's model string."""
    disks = []
    for name in ("ide", "virtio"):
        path = os.path.join(ctx.tmpdir, name + ".img")
        with open(path, "wb") as f:
            f.truncate(8 << 20)
        disks.append(path)
    m, sh = exlib.boot_shell(
        ctx, "ata", test=None,
        extra=["-drive", "file=%s,if=ide,format=raw" % disks[0],
               "-drive", "file=%s,if=virtio,format=raw" % disks[1]])
    with ctx.test("exercise-ata/boot", m):
        sh.prompt(60)
        want(m.text, r'sda: "QEMU HARDDISK"', "the ATA attach line")
    with ctx.test("exercise-ata/model", m):
        # The kernel's log may print lines of its own around the answer.
        out = sh.ok("cat /sys/block/sda/device/model")
        want(out, r"^QEMU HARDDISK\s*$", "/sys/block/sda/device/model")
        out = sh.ok("cat /sys/class/block/sda/device/model")
        want(out, r"^QEMU HARDDISK\s*$", "through /sys/class/block")
    with ctx.test("exercise-ata/no-model-for-virtio", m):
        out, st = sh.run("cat /sys/block/vda/device/model")
        if st == 0:
            raise Failure("vda (virtio, no model) has a model file: %r"
                          % out)
