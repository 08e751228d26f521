"""Exercise 23 (crashes): a `sequence` line in
/proc/fs/eclipsefs/<dev>/stats, the running transaction's sequence
number, which each commit advances by one.

A small eclipsefs made on the host (make efs-tools, mkfs.eclipsefs),
one PVH boot with the initramfs and the image as /dev/vda: after a write
and sync the sequence has advanced exactly as many times as the commits
count did; a read-only remount (no journal running) has no such line.
"""

import os
import re
import sys

import harness
from harness import Failure, group

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402

STATS = "/proc/fs/eclipsefs/vda/stats"


def stats(sh):
    """The stats file as a dict of name -> number."""
    out = sh.ok("cat %s" % STATS)
    return {mt.group(1): int(mt.group(2))
            for mt in re.finditer(r"^(\w+) (\d+)\s*$", out, re.M)}


@group("exercise-crashes", needs=("kernel", "initramfs"))
def exercise_crashes(ctx):
    """The journal's sequence number in /proc/fs/eclipsefs/<dev>/stats."""
    img = os.path.join(ctx.tmpdir, "j.img")
    made = False
    with ctx.test("exercise-crashes/image"):
        exlib.mkfs(exlib.efs_tools(ctx), img)
        made = True
    if not made:
        return
    m, sh = exlib.boot_shell(
        ctx, "crashes", test=None,
        extra=["-drive", "file=%s,if=virtio,format=raw" % img])
    with ctx.test("exercise-crashes/boot", m):
        sh.prompt(60)
        sh.ok("mkdir -p /mnt/j && mount -t eclipsefs /dev/vda /mnt/j")
    with ctx.test("exercise-crashes/sequence", m):
        a = stats(sh)
        if "sequence" not in a:
            raise Failure("no sequence line in %s: %r" % (STATS, a))
        sh.ok("echo one > /mnt/j/a && sync")
        sh.ok("echo two > /mnt/j/b && sync")
        b = stats(sh)
        commits = b["commits"] - a["commits"]
        if commits < 2:
            raise Failure("two write+sync made %d commits" % commits)
        if b.get("sequence", -1) - a["sequence"] != commits:
            raise Failure("sequence %d -> %s after %d commits" % (
                a["sequence"], b.get("sequence"), commits))
    with ctx.test("exercise-crashes/read-only", m):
        sh.ok("mount -o remount,ro /mnt/j")
        out = sh.ok("cat %s" % STATS)
        if re.search(r"^sequence", out, re.M):
            raise Failure("a read-only mount (no journal) shows a "
                          "sequence: %r" % out)
        sh.ok("umount /mnt/j")
