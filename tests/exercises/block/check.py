"""Exercise 20 (block): /sys/block/<disk>/stat, Linux's I/O counters of
one block device, for a disk and for each of its partitions.

One PVH boot with the initramfs and a small GPT disk of two partitions
as /dev/vda: each stat file has Linux's 17 fields (iostats.rst), the
disk's agree with its row of /proc/diskstats, and reading 1 MiB of the
second partition adds 2048 sectors read to the partition's file and to
the disk's.
"""

import os
import re
import subprocess
import sys

import harness
from harness import Failure, group, want

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402

DISK_MB = 16


def make_disk(ctx):
    """A sparse 16 MiB image with a GPT: 4 MiB at 1 MiB, then 8 MiB."""
    path = os.path.join(ctx.tmpdir, "block.img")
    with open(path, "wb") as f:
        f.truncate(DISK_MB << 20)
    p = subprocess.run(["sgdisk", "-n1:2048:+4M", "-n2:0:+8M", path],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if p.returncode != 0:
        raise Failure("sgdisk: %s" % p.stdout.strip())
    return path


def stat_fields(sh, path):
    """The numbers of the stat file at path (17 of them, on one line;
    the kernel's log may print lines of its own around it)."""
    out = sh.ok("cat %s" % path)
    mt = re.search(r"^\s*((\d+\s+){16}\d+)\s*$", out, re.M)
    if mt is None:
        raise Failure("%s: want a line of 17 numbers, got %r" % (path,
                                                                  out))
    return [int(x) for x in mt.group(1).split()]


@group("exercise-block", needs=("kernel", "initramfs"))
def exercise_block(ctx):
    """/sys/block/<disk>/stat and <disk>/<part>/stat: Linux's counters."""
    img = make_disk(ctx)
    m, sh = exlib.boot_shell(
        ctx, "block", extra=["-drive", "file=%s,if=virtio,format=raw" % img])
    with ctx.test("exercise-block/disk-stat", m):
        d = stat_fields(sh, "/sys/block/vda/stat")
        row = want(sh.ok("grep ' vda ' /proc/diskstats"),
                   r"^\s*252\s+0 vda ((\d+ ?)+)$", "vda's diskstats row")
        r = [int(x) for x in row.group(1).split()]
        # Reads, merges, sectors read; writes, merges, sectors written.
        if d[0:3] != r[0:3] or d[4:7] != r[4:7]:
            raise Failure("stat %r and diskstats %r disagree" % (d, r))
        if d[0] == 0 or d[2] == 0:
            raise Failure("no reads counted (the partition table was "
                          "read at attach): %r" % d)
    with ctx.test("exercise-block/partition-stat", m):
        p1 = stat_fields(sh, "/sys/block/vda/vda2/stat")
        d1 = stat_fields(sh, "/sys/block/vda/stat")
        sh.ok("dd if=/dev/vda2 of=/dev/null bs=64k count=16 2>/dev/null")
        p2 = stat_fields(sh, "/sys/class/block/vda2/stat")
        d2 = stat_fields(sh, "/sys/block/vda/stat")
        if p2[2] - p1[2] != 2048:
            raise Failure("vda2: %d sectors read by 1 MiB, want 2048"
                          % (p2[2] - p1[2]))
        if d2[2] - d1[2] != 2048:
            raise Failure("vda: %d sectors read by 1 MiB of vda2, want "
                          "2048" % (d2[2] - d1[2]))
        if p2[0] <= p1[0] or p2[8] != 0:
            raise Failure("vda2: reads %d -> %d, in flight %d" % (
                p1[0], p2[0], p2[8]))
