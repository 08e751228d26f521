"""Exercise 22 (eclipsefs): the read-only feature flag, set by
`mkfs.eclipsefs -O read-only`, shown by dumpe.eclipsefs and honoured by
the kernel: the volume mounts read-only whatever the mount asks, and a
remount read-write fails with EROFS.

The host's tools are rebuilt first (make efs-tools), then two small
images are made: one with the feature, one without.  One PVH boot with
the initramfs and both images as virtio disks (vda with the feature,
vdb without).
"""

import os
import sys

import harness
from harness import Failure, group, want

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402


@group("exercise-eclipsefs", needs=("kernel", "initramfs"))
def exercise_eclipsefs(ctx):
    """mkfs -O read-only: dumpe shows it, the kernel mounts read-only."""
    ro = os.path.join(ctx.tmpdir, "ro.img")
    rw = os.path.join(ctx.tmpdir, "rw.img")
    made = False
    with ctx.test("exercise-eclipsefs/tools"):
        host = exlib.efs_tools(ctx)
        exlib.mkfs(host, ro, ["-O", "read-only"])
        exlib.mkfs(host, rw)
        dumpe = os.path.join(host, "dumpe.eclipsefs")
        out = exlib.run([dumpe, ro, "super"], "dumpe.eclipsefs super")
        want(out, r"^\s*features .*ro_compat 0x[0-9a-f]+ \(read-only\)",
             "dumpe's features line")
        want(out, r"^\s*check\s+ok$", "dumpe's check line")
        out = exlib.run([dumpe, rw, "super"],
                        "dumpe.eclipsefs super (no feature)")
        if "read-only" in out:
            raise Failure("an image made without -O says read-only")
        made = True
    if not made:
        return
    m, sh = exlib.boot_shell(
        ctx, "eclipsefs",
        extra=["-drive", "file=%s,if=virtio,format=raw" % ro,
               "-drive", "file=%s,if=virtio,format=raw" % rw])
    with ctx.test("exercise-eclipsefs/mounted-read-only", m):
        sh.ok("mkdir -p /mnt/ro /mnt/rw")
        sh.ok("mount -t eclipsefs /dev/vda /mnt/ro")
        want(sh.ok("grep ' /mnt/ro ' /proc/mounts"),
             r"^/dev/vda /mnt/ro eclipsefs ro[ ,]", "/proc/mounts")
        out, st = sh.run("touch /mnt/ro/x")
        if st == 0:
            raise Failure("touch on the read-only volume succeeded")
        want(out, r"Read-only file system", "touch's error")
    with ctx.test("exercise-eclipsefs/remount-refused", m):
        out, st = sh.run("mount -o remount,rw /mnt/ro")
        if st == 0:
            raise Failure("mount -o remount,rw succeeded")
        want(sh.ok("grep ' /mnt/ro ' /proc/mounts"),
             r"^/dev/vda /mnt/ro eclipsefs ro[ ,]", "still read-only")
        sh.ok("umount /mnt/ro")
    with ctx.test("exercise-eclipsefs/others-read-write", m):
        sh.ok("mount -t eclipsefs /dev/vdb /mnt/rw")
        want(sh.ok("grep ' /mnt/rw ' /proc/mounts"),
             r"^/dev/vdb /mnt/rw eclipsefs rw[ ,]", "/proc/mounts")
        sh.ok("touch /mnt/rw/x && umount /mnt/rw")
