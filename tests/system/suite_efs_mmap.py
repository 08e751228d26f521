"""mmap(2) of eclipsefs files (the page cache vop_mmap gives a file on its
first mapping, sys/fs/eclipsefs/efs_pcache.c) and /proc/sys/vm/drop_caches,
booted by PVH with the normal initramfs and a test disk made on the host
by mkfs.eclipsefs.

    efs-mmap    tests/efs/mmap/efsmmap.c in the guest: shared stores,
                msync, munmap, read(2) back; write(2) and stores seen
                both ways; a private mapping leaves the file alone; a
                store into a hole gets one block; truncation under a
                mapping (SIGBUS past the end, zeros after growth); a
                file too large to cache is ENOMEM with a log line;
                after umount and mount every store is there, stores no
                msync wrote included; the host's fsck is clean and
                reads the same bytes; drop_caches 3 drops the clean
                buffers (the next read of a file reads the disk again)
"""

import os
import re

from harness import Failure, group, want
import harness

harness.NEEDS.setdefault("initramfs", "initramfs.cpio")
harness.NEEDS.setdefault("efs-tools", "host/fsck.eclipsefs")
harness.NEEDS.setdefault("efs-mmap-tools", "efsmmap/efsmmap")

MiB = 1 << 20
MNT = "/mnt/v"
PG = 4096
BASE_SIZE = 3 * PG + 1000
SPARSE_SIZE = 8 * PG
BIG = 64 << 30          # a sparse 64 GiB file: too large to cache


def pat(off):
    return ord("a") + (off * 7 + off // 251) % 26


def expected():
    """What efsmmap's run leaves in each file (its expect_*)."""
    base = bytearray(pat(i) for i in range(BASE_SIZE))
    nosync = bytearray(base)
    for off, s in ((10, b"SHARED-STORE"), (PG + 100, b"SECOND-PAGE"),
                   (3 * PG + 990, b"LASTBYTES!"), (300, b"WRITE(2)"),
                   (2 * PG + 50, b"AFTERWRITE")):
        base[off:off + len(s)] = s
    nosync[2 * PG + 7:2 * PG + 15] = b"NO-MSYNC"
    sparse = bytearray(SPARSE_SIZE)
    sparse[5 * PG + 1:5 * PG + 10] = b"IN-A-HOLE"
    return {"base": bytes(base), "nosync": bytes(nosync),
            "sparse": bytes(sparse)}


def efsmmap(sh, args, timeout=120):
    """Run the guest program; fail on any FAIL line or a bad status."""
    out, st = sh.run("%s/bin/efsmmap %s" % (MNT, args), timeout=timeout)
    bad = re.findall(r"^efsmmap: FAIL .*$", out, re.M)
    if bad:
        raise Failure("; ".join(bad))
    if st != 0:
        raise Failure("efsmmap %s exited %d: %s" % (args, st, out[-600:]))
    return out


@group("efs-mmap", needs=("kernel", "initramfs", "efs-tools",
                          "efs-mmap-tools"))
def efs_mmap(ctx):
    """mmap of eclipsefs files; drop_caches"""
    # suite_efs_vol's helpers: load_suites has imported it by now (an
    # import at the top would register its groups a second time).
    from suite_efs_vol import (boot, disk_blocks_read, fsck_clean,
                               host_inode, host_read, mkfs, mount,
                               poweroff, umount)
    tree = os.path.join(ctx.tmpdir, "tree")
    os.makedirs(os.path.join(tree, "bin"))
    dst = os.path.join(tree, "bin", "efsmmap")
    with open(os.path.join(ctx.build, "efsmmap", "efsmmap"), "rb") as s, \
            open(dst, "wb") as d:
        d.write(s.read())
    os.chmod(dst, 0o755)
    img = os.path.join(ctx.tmpdir, "mmap.img")
    mkfs(ctx, img, 64 * MiB, tree)
    m, sh = boot(ctx, "efs-mmap", [img])
    with ctx.test("efs-mmap/mount", m):
        mount(sh)
        sh.ok("mkdir -p %s/t" % MNT)
    with ctx.test("efs-mmap/run", m):
        out = efsmmap(sh, "run %s/t" % MNT)
        n = len(re.findall(r"^efsmmap: ok ", out, re.M))
        if n < 20:
            raise Failure("only %d checks ran: %s" % (n, out[-600:]))
    with ctx.test("efs-mmap/too-big-enomem", m):
        efsmmap(sh, "big %s/t %d" % (MNT, BIG))
        want(m.text, r"eclipsefs vda: inode \d+: mmap needs \d+ pages",
             "the log line of the refused mmap")
    with ctx.test("efs-mmap/drop-caches", m):
        sh.ok("dd if=/dev/urandom of=%s/dc bs=4096 count=64 && sync" % MNT,
              timeout=120)
        # What the disk read (/proc/diskstats, read-ahead included):
        # the filesystem's own counter calls a block that read-ahead
        # brought in a cache hit.
        sh.ok("cat %s/dc > /dev/null" % MNT)
        d0 = disk_blocks_read(sh)
        sh.ok("cat %s/dc > /dev/null" % MNT)
        d1 = disk_blocks_read(sh)
        if d1 != d0:
            raise Failure("a warm read read %d blocks from the disk" % (
                d1 - d0))
        sh.ok("echo 3 > /proc/sys/vm/drop_caches")
        want(m.text, r"drop_caches: 3 \((\d+) buffers dropped\)",
             "the drop_caches log line")
        sh.ok("cat %s/dc > /dev/null" % MNT)
        d2 = disk_blocks_read(sh)
        if d2 - d1 < 64:
            raise Failure("after drop_caches a read of 64 blocks read %d "
                          "from the disk" % (d2 - d1))
        print("  [efs-mmap] after drop_caches the disk read %d blocks "
              "again" % (d2 - d1), flush=True)
        sh.ok("echo 5 > /proc/sys/vm/drop_caches")
        out, st = sh.run("echo 0 > /proc/sys/vm/drop_caches")
        if st == 0:
            raise Failure("drop_caches took 0")
    with ctx.test("efs-mmap/persist-after-remount", m):
        umount(sh)
        mount(sh)
        efsmmap(sh, "check %s/t" % MNT)
        umount(sh)
        poweroff(m)
    with ctx.test("efs-mmap/host-fsck-and-bytes"):
        fsck_clean(ctx, img, "after the mmap tests")
        for name, data in expected().items():
            ino = host_inode(ctx, img, "/t/" + name)
            if ino is None:
                raise Failure("/t/%s: not on the disk" % name)
            got = host_read(img, ino)
            if got != data:
                i = next((i for i in range(min(len(got), len(data)))
                          if got[i] != data[i]), min(len(got), len(data)))
                raise Failure("/t/%s on the disk differs at byte %d "
                              "(size %d, want %d)" % (name, i, len(got),
                                                      len(data)))
