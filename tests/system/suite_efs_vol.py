"""eclipsefs on a second disk: the kernel driver's operations, a
100,000-entry directory, a 1 GiB file and damaged images, each booted by
PVH with the normal initramfs as the root and the test disk(s) made on
the host by mkfs.eclipsefs as virtio disks.

    efs-ops      create, write, rename, unlink, mkdir/rmdir, symlinks,
                 hard links, chmod/chown, truncate, mknod in BusyBox's
                 shell; the host's fsck -n -f is clean and dumpe reads
                 every file back right; a second boot finds it all
    efs-bigdir   100,000 names in one folder (mkfs -d, then 1,000
                 created and 1,000 unlinked in the guest): a cold lookup
                 reads at most LOOKUP_BLOCKS blocks (the counters of
                 /proc/fs/eclipsefs/<dev>/stats); ls | wc -l; fsck
    efs-bigfile  a 1 GiB pattern file written and fsync'd, read back
                 cold and checked in the guest, md5 in the guest and on
                 the host (read from the image through dumpe's extents);
                 a sparse file written at 4 GiB-1, 4 GiB and 5 GiB; the
                 rates go to the log, never asserted
    efs-damage   17 images damaged by precise byte edits (efs_format.h's
                 offsets, checksums recomputed where the damage is not
                 the checksum), all attached at once: each is refused at
                 mount with a "eclipsefs vdX:" line, or mounts and gives
                 EIO/EUCLEAN on the damaged file and goes read-only; a
                 journal transaction with a bad commit checksum is not
                 replayed (the same one with a good checksum is); never
                 a panic or a hang: the shell answers at the end

The guest's helper, tests/efs/vol/efsvol.c (make efs-vol-tools), goes
onto the test disk through mkfs.eclipsefs -d and runs from /tmp.
"""

import hashlib
import os
import re
import struct
import subprocess
import time

from harness import Failure, Shell, group, want
import harness

harness.NEEDS.setdefault("initramfs", "initramfs.cpio")
harness.NEEDS.setdefault("efs-tools", "host/fsck.eclipsefs")
harness.NEEDS.setdefault("efs-vol-tools", "efsvol/efsvol")

MiB = 1 << 20
GiB = 1 << 30
BLOCK = 4096
BOOT_TIMEOUT = 60           # KVM seconds to the shell (x6 under TCG)
MNT = "/mnt/v"
READAHEAD_BLOCKS = 8        # BUF_READAHEAD in sys/sys/buf.h
LOOKUP_BLOCKS = 8           # a cold lookup in a big folder reads at most
BIGDIR_N = 100000
BIGFILE_MIB = 1024
ERR_DAMAGE = (5, 117)        # EIO, EUCLEAN
# A folder's logical blocks: its header, its hash table (1023 entries and
# a checksum to a block, room for 2^20 entries), its buckets.
DIR_TABLE_PER_BLOCK = (4096 - 4) // 4
DIR_FIRST_BUCKET = 1 + -(-(1 << 20) // DIR_TABLE_PER_BLOCK)
DAMAGE_PER_BOOT = 9


# ---------------------------------------------------------------------------
# The host side: the tools, and reading an image through dumpe.

def tool(ctx, name):
    return os.path.join(ctx.build, "host", name + ".eclipsefs")


def run(cmd, timeout=600):
    p = subprocess.run(["timeout", str(timeout)] + cmd,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, errors="replace")
    return p.returncode, p.stdout


def mkfs(ctx, img, size, tree=None, opts=()):
    """A sparse image of SIZE bytes, formatted (from TREE when given)."""
    with open(img, "wb") as f:
        f.truncate(size)
    cmd = [tool(ctx, "mkfs"), "-q", "-L", "vol"] + list(opts)
    if tree is not None:
        cmd += ["-d", tree]
    st, out = run(cmd + [img])
    if st != 0:
        raise Failure("mkfs.eclipsefs %s exited %d: %s" % (
            " ".join(cmd[1:]), st, out.strip()[-400:]))


def fsck_clean(ctx, img, what):
    st, out = run([tool(ctx, "fsck"), "-n", "-f", img])
    if st != 0:
        raise Failure("%s: fsck.eclipsefs -n -f exited %d: %s" % (
            what, st, out.strip()[:800]))
    return out


def dumpe(ctx, img, *what):
    return run([tool(ctx, "dumpe"), img] + [str(w) for w in what])


def host_inode(ctx, img, path):
    """What dumpe says of PATH: a dict (ino, disk byte of the inode,
    mode, uid, gid, links, size, flags, device, target, extents as
    [(logical, count, physical)]), or None when dumpe finds no such
    path."""
    st, out = dumpe(ctx, img, "path", path)
    mt = re.search(r"^inode (\d+) at block \d+ byte \d+ \(disk byte "
                   r"(\d+)\)", out, re.M)
    if st != 0 or mt is None:
        return None
    ino = {"ino": int(mt.group(1)), "disk_byte": int(mt.group(2)),
           "text": out}
    for key, rx in (("mode", r"^\s+mode\s+([0-7]+)"),
                    ("links", r"^\s+links\s+(\d+)"),
                    ("size", r"^\s+size\s+(\d+)"),
                    ("flags", r"^\s+flags\s+(0x[0-9a-f]+|0)")):
        m = re.search(rx, out, re.M)
        ino[key] = int(m.group(1), 8 if key == "mode" else 0) if m else None
    m = re.search(r"^\s+owner\s+(\d+):(\d+)", out, re.M)
    ino["uid"], ino["gid"] = (int(m.group(1)), int(m.group(2))) if m \
        else (None, None)
    m = re.search(r"^\s+device\s+(\d+):(\d+)", out, re.M)
    ino["device"] = (int(m.group(1)), int(m.group(2))) if m else None
    m = re.search(r'^\s+target\s+"(.*)" \((inline|in a block)\)', out,
                  re.M)
    ino["target"] = m.group(1) if m else None
    ino["extents"] = []
    if ino["mode"] is not None and (ino["mode"] & 0o170000) in (
            0o100000, 0o040000, 0o120000) and not ino["flags"] & 1:
        st, ext = dumpe(ctx, img, "extents", ino["ino"])
        if st != 0:
            raise Failure("dumpe extents %d exited %d: %s" % (
                ino["ino"], st, ext.strip()[-300:]))
        for e in re.finditer(r"extent logical (\d+)\.\.(\d+) \((\d+) "
                             r"blocks\) -> blocks (\d+)\.\.", ext):
            ino["extents"].append((int(e.group(1)), int(e.group(3)),
                                   int(e.group(4))))
    return ino


def host_read(img, ino, start=0, length=None, sink=None):
    """Bytes START..START+LENGTH of the file ino (host_inode's) read from
    the image by its extents (holes are zeros); with SINK, each piece is
    passed to it instead and nothing is returned."""
    size = ino["size"]
    if length is None:
        length = size - start
    end = min(start + length, size)
    exts = sorted(ino["extents"])
    parts = []
    with open(img, "rb") as f:
        pos = start
        while pos < end:
            lblk = pos // BLOCK
            n = min(end - pos, 16 * MiB - pos % BLOCK)
            piece = None
            for lo, cnt, pb in exts:
                if lo <= lblk < lo + cnt:
                    n = min(n, (lo + cnt) * BLOCK - pos)
                    f.seek((pb + lblk - lo) * BLOCK + pos % BLOCK)
                    piece = f.read(n)
                    break
                if lo > lblk:
                    n = min(n, lo * BLOCK - pos)
                    break
            if piece is None:
                piece = bytes(n)
            if sink is not None:
                sink(piece)
            else:
                parts.append(piece)
            pos += n
    return None if sink is not None else b"".join(parts)


# ---------------------------------------------------------------------------
# The guest side.

def boot(ctx, name, disks, timeout=600, mem=None):
    """Boot by PVH (q35, the initramfs) with DISKS as virtio disks vda,
    vdb...; returns (machine, shell) at the prompt."""
    extra = ["-initrd", ctx.files["initramfs"]]
    if mem:
        extra += ["-m", mem]
    for d in disks:
        extra += ["-drive", "file=%s,if=virtio,format=raw" % d]
    m = ctx.boot_pvh(name, machine="q35", timeout=timeout, extra=extra)
    sh = Shell(m)
    sh.prompt(BOOT_TIMEOUT)
    # Long command lines must not wrap (the echo would be cut).
    sh.run("stty cols 1000")
    return m, sh


def mount(sh, dev="/dev/vda", mnt=MNT, opts=""):
    sh.ok("mkdir -p %s && mount -t eclipsefs %s%s %s" % (
        mnt, "-o %s " % opts if opts else "", dev, mnt), timeout=120)
    want(sh.ok("grep ' %s ' /proc/mounts" % mnt),
         r"^%s %s eclipsefs rw[ ,]" % (re.escape(dev), re.escape(mnt)),
         "/proc/mounts: eclipsefs on " + mnt)


def umount(sh, mnt=MNT):
    sh.ok("umount %s" % mnt, timeout=300)
    out = sh.ok("grep ' %s ' /proc/mounts; true" % mnt)
    if mnt in out:
        raise Failure("%s still mounted after umount" % mnt)


def remount_cold(sh, dev="/dev/vda", mnt=MNT):
    """Unmount, drop the device's blocks from the buffer cache (BLKFLSBUF:
    the kernel's cache outlives a mount), mount again."""
    umount(sh, mnt)
    sh.ok("blockdev --flushbufs %s" % dev, timeout=300)
    mount(sh, dev, mnt)


def poweroff(m):
    m.sendline("poweroff")
    m.wait_exit(timeout=60)
    ok, why = m.classify("poweroff")
    if not ok:
        raise Failure(why)


def stats(sh, dev="vda"):
    """/proc/fs/eclipsefs/DEV/stats as a dict of counters."""
    out = sh.ok("cat /proc/fs/eclipsefs/%s/stats" % dev)
    got = {k: int(v) for k, v in re.findall(r"^(\w+) (\d+)$", out, re.M)}
    if "blocks_read" not in got:
        raise Failure("no blocks_read in the stats: %r" % out[-300:])
    return got


def disk_blocks_read(sh, dev="vda"):
    """4 KiB blocks the disk has read (/proc/diskstats' sectors read / 8):
    what the device did, readahead included."""
    out = sh.ok("cat /proc/diskstats")
    mt = want(out, r"^\s*\d+\s+\d+ %s (\d+) (\d+) (\d+) " % dev,
              "the diskstats line of " + dev)
    return int(mt.group(3)) // 8


def md5_of(sh, path, timeout=60):
    return want(sh.ok("md5sum %s" % path, timeout=timeout),
                r"^([0-9a-f]{32}) ", "md5sum of " + path).group(1)


def tree_with_efsvol(ctx, tree):
    """A host folder with bin/efsvol (the guest's helper) in it."""
    os.makedirs(os.path.join(tree, "bin"), exist_ok=True)
    dst = os.path.join(tree, "bin", "efsvol")
    with open(os.path.join(ctx.build, "efsvol", "efsvol"), "rb") as s, \
            open(dst, "wb") as d:
        d.write(s.read())
    os.chmod(dst, 0o755)


def note(ctx, text):
    """A number for the report, never asserted: on stdout and in a file
    LOGS/<group>.numbers."""
    print("  [%s] %s" % (ctx.group, text), flush=True)
    with open(os.path.join(ctx.logdir, ctx.group + ".numbers"), "a") as f:
        f.write(text + "\n")


# ---------------------------------------------------------------------------
# efs-ops

# What the first boot makes, checked in the guest (second boot) and on
# the host: path -> (type, mode, uid, gid, links, size or target).
LONG_TARGET = "/".join(["long-symlink-target-%02d" % i for i in range(8)])
OPS = [
    # Made by mkfs -d, changed in the guest.
    "echo appended >> pre/hello.txt",
    # Create and write.
    "echo 'first file' > f1",
    "dd if=/dev/urandom of=rand bs=1k count=300 2>/dev/null",
    "cp /bin/busybox bb",
    # Rename: in a folder, across folders, over an existing file.
    "mv f1 f1r",
    "mkdir -p d1/d2/d3",
    "mv rand d1/rand",
    "echo old > tgt && echo new > src && mv src tgt",
    "mv d1/d2 moved",
    # Unlink.
    "echo doomed > gone && rm gone",
    "cp bb bb2 && rm bb2",
    # mkdir/rmdir, and rmdir of a folder that is not empty fails.
    "mkdir e1 e2 && rmdir e1",
    "! rmdir moved 2>/dev/null",
    "rmdir moved/d3 && mkdir moved/d4",
    # Symbolic links: short (inline) and long (in a block).
    "ln -s f1r sl",
    "ln -s %s sl-long" % LONG_TARGET,
    # Hard links.
    "ln d1/rand hl && ln d1/rand e2/hl2",
    # chmod/chown.
    "chmod 640 f1r && chown 12:34 f1r",
    # truncate: shrink, grow with a hole.
    "cat bb > tr && truncate -s 5000 tr",
    "echo x > sparse && truncate -s 3000000 sparse",
    "chmod 4751 bb && chown 7:8 d1",
    # mknod: character, block devices and a FIFO.
    "mknod cdev c 1 3 && mknod bdev b 252 16 && mknod fifo p",
    "sync",
]

# path -> what stat says: "%F %a %u %g %h %s".
OPS_WANT = {
    "pre/hello.txt": "regular file 644 0 0 1 %d" % len("hello\nappended\n"),
    "f1r": "regular file 640 12 34 1 11",
    "d1/rand": "regular file 644 0 0 3 307200",
    "hl": "regular file 644 0 0 3 307200",
    "e2/hl2": "regular file 644 0 0 3 307200",
    "tgt": "regular file 644 0 0 1 4",
    "tr": "regular file 644 0 0 1 5000",
    "sparse": "regular file 644 0 0 1 3000000",
    "moved": "directory 755 0 0 3",
    "moved/d4": "directory 755 0 0 2",
    "d1": "directory 755 7 8 2",
    "e2": "directory 755 0 0 2",
    "sl": "symbolic link 777 0 0 1 3",
    "sl-long": "symbolic link 777 0 0 1 %d" % len(LONG_TARGET),
    "cdev": "character special file 644 0 0 1 0",
    "bdev": "block special file 644 0 0 1 0",
    "fifo": "fifo 644 0 0 1 0",
}
OPS_GONE = ("gone", "bb2", "src", "e1", "f1", "rand", "d1/d2",
            "moved/d3")
HOST_TYPE = {"regular file": 0o100000, "directory": 0o040000,
             "symbolic link": 0o120000, "character special file": 0o020000,
             "block special file": 0o060000, "fifo": 0o010000}


def ops_check_guest(sh, md5s):
    """Everything OPS made, as the guest sees it."""
    for path, w in sorted(OPS_WANT.items()):
        out = sh.ok("stat -c '%%F %%a %%u %%g %%h %%s' %s/%s" % (MNT, path))
        got = out.strip()
        if w.startswith("directory"):
            got = " ".join(got.split()[:-1])   # a folder's size is its own
        if got != w:
            raise Failure("stat %s: %r, want %r" % (path, got, w))
    want(sh.ok("stat -c '%%A' %s/bb" % MNT), r"^-rwsr-x--x$", "bb's mode")
    want(sh.ok("stat -c '%%t %%T' %s/cdev %s/bdev" % (MNT, MNT)),
         r"^1 3\nfc 10$", "the devices' numbers")
    want(sh.ok("readlink %s/sl" % MNT), r"^f1r$", "sl's target")
    if sh.ok("readlink %s/sl-long" % MNT).strip() != LONG_TARGET:
        raise Failure("sl-long's target is wrong")
    want(sh.ok("cat %s/sl" % MNT), r"^first file$", "reading through sl")
    want(sh.ok("cat %s/pre/hello.txt" % MNT), r"^hello\nappended$",
         "pre/hello.txt")
    want(sh.ok("cat %s/tgt" % MNT), r"^new$", "tgt (renamed over)")
    for path in OPS_GONE:
        sh.ok("! test -e %s/%s && ! test -L %s/%s" % (MNT, path, MNT,
                                                       path))
    for path, md5 in sorted(md5s.items()):
        got = md5_of(sh, "%s/%s" % (MNT, path))
        if got != md5:
            raise Failure("%s: md5 %s, want %s" % (path, got, md5))
    want(sh.ok("ls %s/moved | cat" % MNT), r"^d4$", "moved/ holds d4 only")
    sh.ok("cmp %s/bb /bin/busybox" % MNT)
    want(sh.ok("dd if=%s/sparse bs=1 skip=2999990 count=10 2>/dev/null | "
               "od -An -tx1" % MNT), r"^\s*(00 ){9}00\s*$",
         "the end of sparse reads zeros")


def ops_check_host(ctx, img, md5s):
    """Everything OPS made, as dumpe reads it from the image."""
    for path, w in sorted(OPS_WANT.items()):
        ino = host_inode(ctx, img, "/" + path)
        if ino is None:
            raise Failure("dumpe path /%s: not found" % path)
        typ = [t for t in HOST_TYPE if w.startswith(t + " ")][0]
        f = w[len(typ) + 1:].split()
        if ino["mode"] != HOST_TYPE[typ] | int(f[0], 8):
            raise Failure("/%s: mode %o, want %o" % (
                path, ino["mode"], HOST_TYPE[typ] | int(f[0], 8)))
        if (ino["uid"], ino["gid"], ino["links"]) != (int(f[1]), int(f[2]),
                                                      int(f[3])):
            raise Failure("/%s: owner %d:%d links %d, want %s" % (
                path, ino["uid"], ino["gid"], ino["links"], f[1:4]))
        if len(f) > 4 and ino["size"] != int(f[4]):
            raise Failure("/%s: size %d, want %s" % (path, ino["size"],
                                                     f[4]))
    for path in OPS_GONE:
        if host_inode(ctx, img, "/" + path) is not None:
            raise Failure("dumpe finds /%s, which was removed" % path)
    if host_inode(ctx, img, "/sl")["target"] != "f1r":
        raise Failure("/sl's target on the host is wrong")
    if host_inode(ctx, img, "/sl-long")["target"] != LONG_TARGET:
        raise Failure("/sl-long's target on the host is wrong: %r" %
                      host_inode(ctx, img, "/sl-long")["target"])
    if host_inode(ctx, img, "/cdev")["device"] != (1, 3):
        raise Failure("/cdev's device on the host is wrong")
    if host_inode(ctx, img, "/bdev")["device"] != (252, 16):
        raise Failure("/bdev's device on the host is wrong")
    if (host_inode(ctx, img, "/hl")["ino"] !=
            host_inode(ctx, img, "/d1/rand")["ino"]):
        raise Failure("/hl and /d1/rand are not one inode")
    with open(os.path.join(ctx.build, "rootfs", "bin", "busybox"),
              "rb") as f:
        bb = f.read()
    contents = {"pre/hello.txt": b"hello\nappended\n",
                "f1r": b"first file\n", "tgt": b"new\n", "bb": bb,
                "tr": bb[:5000], "sparse": b"x\n" + bytes(3000000 - 2)}
    for path, data in sorted(contents.items()):
        got = host_read(img, host_inode(ctx, img, "/" + path))
        if got != data:
            raise Failure("/%s read on the host: %d bytes, md5 %s; want "
                          "%d bytes, md5 %s" % (
                              path, len(got), hashlib.md5(got).hexdigest(),
                              len(data), hashlib.md5(data).hexdigest()))
    for path, md5 in sorted(md5s.items()):
        got = hashlib.md5(host_read(img, host_inode(ctx, img, "/" + path))
                          ).hexdigest()
        if got != md5:
            raise Failure("/%s read on the host: md5 %s, the guest said "
                          "%s" % (path, got, md5))


@group("efs-ops", needs=("kernel", "initramfs", "efs-tools"))
def efs_ops(ctx):
    """eclipsefs on a second disk: every operation; fsck, dumpe, reboot"""
    tree = os.path.join(ctx.tmpdir, "tree")
    os.makedirs(os.path.join(tree, "pre"))
    with open(os.path.join(tree, "pre", "hello.txt"), "w") as f:
        f.write("hello\n")
    img = os.path.join(ctx.tmpdir, "ops.img")
    mkfs(ctx, img, 64 * MiB, tree)
    md5s = {}
    m, sh = boot(ctx, "efs-ops-1", [img])
    with ctx.test("efs-ops/mount", m):
        mount(sh)
        sh.ok("cd %s" % MNT)
    with ctx.test("efs-ops/operations", m):
        for line in OPS:
            sh.ok(line, timeout=120)
        for path in ("d1/rand", "bb", "tr"):
            md5s[path] = md5_of(sh, path)
        sh.ok("cd /")
    with ctx.test("efs-ops/check-before-umount", m):
        ops_check_guest(sh, md5s)
    with ctx.test("efs-ops/statfs", m):
        out = sh.ok("df -k %s" % MNT)
        mt = want(out, r"^/dev/vda\s+(\d+)\s+(\d+)\s+(\d+)", "df's line")
        if int(mt.group(1)) != 65536 or int(mt.group(2)) < 1500:
            raise Failure("df says %s" % mt.group(0))
    with ctx.test("efs-ops/umount", m):
        umount(sh)
        want(m.text, r"eclipsefs vda: unmounted", "the unmount line")
        poweroff(m)
    with ctx.test("efs-ops/host-fsck-clean"):
        fsck_clean(ctx, img, "after the first boot")
    with ctx.test("efs-ops/host-dumpe-reads-back"):
        ops_check_host(ctx, img, md5s)
    m, sh = boot(ctx, "efs-ops-2", [img])
    with ctx.test("efs-ops/persist-after-reboot", m):
        mount(sh)
        ops_check_guest(sh, md5s)
    with ctx.test("efs-ops/second-boot-changes", m):
        sh.ok("cd %s && rm -r d1 e2 moved hl sl && mv bb bb-renamed && "
              "cd /" % MNT, timeout=120)
        umount(sh)
        poweroff(m)
    with ctx.test("efs-ops/host-fsck-clean-2"):
        fsck_clean(ctx, img, "after the second boot")
        for path in ("d1", "e2", "moved", "hl", "sl", "bb"):
            if host_inode(ctx, img, "/" + path) is not None:
                raise Failure("/%s still there after rm" % path)
        if host_inode(ctx, img, "/bb-renamed")["mode"] != 0o104751:
            raise Failure("/bb-renamed has the wrong mode")


# ---------------------------------------------------------------------------
# efs-bigdir

# Names that are there, and names that are not (unlinked, never made).
BIGDIR_THERE = ("f001000", "f050000", "f099999", "f100500", "f100999")
BIGDIR_LOOKUPS = BIGDIR_THERE + ("f000999", "nosuchname")


@group("efs-bigdir", needs=("kernel", "initramfs", "efs-tools",
                            "efs-vol-tools"))
def efs_bigdir(ctx):
    """eclipsefs: 100,000 names in a folder, a lookup reads few blocks"""
    tree = os.path.join(ctx.tmpdir, "tree")
    big = os.path.join(tree, "big")
    os.makedirs(big)
    tree_with_efsvol(ctx, tree)
    t0 = time.monotonic()
    for i in range(BIGDIR_N):
        os.close(os.open(os.path.join(big, "f%06d" % i),
                         os.O_CREAT | os.O_WRONLY, 0o644))
    img = os.path.join(ctx.tmpdir, "bigdir.img")
    mkfs(ctx, img, 512 * MiB, tree, ("-N", "131072"))
    note(ctx, "host: %d files made and mkfs -d in %.1f s" % (
        BIGDIR_N, time.monotonic() - t0))
    m, sh = boot(ctx, "efs-bigdir", [img], timeout=1800)
    with ctx.test("efs-bigdir/mount", m):
        mount(sh)
        sh.ok("cp %s/bin/efsvol /tmp/efsvol" % MNT)
    with ctx.test("efs-bigdir/create-unlink-1000", m):
        out = sh.ok("/tmp/efsvol create %s/big 100000 1000" % MNT,
                    timeout=600)
        note(ctx, "guest: " + want(out, r"^efsvol: created .*$",
                                   "the rate").group(0))
        out = sh.ok("/tmp/efsvol unlink %s/big 0 1000" % MNT, timeout=600)
        note(ctx, "guest: " + want(out, r"^efsvol: unlinked .*$",
                                   "the rate").group(0))
        remount_cold(sh)
    with ctx.test("efs-bigdir/cold-lookups", m):
        per, hits = [], []
        # The way to the folder first: the root's blocks and big's inode.
        sh.ok("stat %s/big >/dev/null" % MNT)
        before = stats(sh)
        disk0, disk = disk_blocks_read(sh), []
        for name in BIGDIR_LOOKUPS:
            out, st = sh.run("stat -c '%%n %%s' %s/big/%s" % (MNT, name))
            if (st == 0) != (name in BIGDIR_THERE):
                raise Failure("stat %s exited %d: %r" % (name, st, out))
            after = stats(sh)
            disk1 = disk_blocks_read(sh)
            disk.append(disk1 - disk0)
            disk0 = disk1
            per.append(after["blocks_read"] - before["blocks_read"])
            hits.append(after["cache_hits"] - before["cache_hits"])
            before = after
        note(ctx, "cold lookups (%s): blocks read %s, cache hits %s; "
             "the disk read %s blocks" % (" ".join(BIGDIR_LOOKUPS), per,
                                          hits, disk))
        if max(per) > LOOKUP_BLOCKS:
            raise Failure("a lookup read %d blocks (at most %d): %s" % (
                max(per), LOOKUP_BLOCKS, per))
        # The disk may read one read-ahead window more than eclipsefs
        # asked for: when two reads in a row happen to be of neighbouring
        # blocks (where the hashes put the names, which differs from one
        # mkfs to the next), the buffer cache reads the next
        # BUF_READAHEAD blocks too (bread_hit in sys/kern/vfs_bio.c).
        extra = [d - p for d, p in zip(disk, per)]
        if max(extra) > READAHEAD_BLOCKS:
            i = extra.index(max(extra))
            raise Failure("the disk read %d blocks for a lookup whose "
                          "counter says %d (at most one read-ahead of %d "
                          "more): %s, %s" % (disk[i], per[i],
                                             READAHEAD_BLOCKS, disk, per))
    with ctx.test("efs-bigdir/ls-wc", m):
        t = time.monotonic()
        out = sh.ok("ls %s/big | wc -l" % MNT, timeout=1200)
        want(out, r"^\s*%d\s*$" % BIGDIR_N, "ls | wc -l")
        note(ctx, "guest: ls | wc -l of %d names in %.1f s" % (
            BIGDIR_N, time.monotonic() - t))
        umount(sh)
        poweroff(m)
    with ctx.test("efs-bigdir/host-fsck-clean"):
        fsck_clean(ctx, img, "after the big folder")
        for name in ("f001000", "f100999"):
            if host_inode(ctx, img, "/big/" + name) is None:
                raise Failure("dumpe finds no /big/" + name)
        if host_inode(ctx, img, "/big/f000999") is not None:
            raise Failure("dumpe finds /big/f000999, unlinked")


# ---------------------------------------------------------------------------
# efs-bigfile

SPARSE_WRITES = ((4 * GiB - 1, "a"), (4 * GiB, "b"), (5 * GiB, "efs5g"))
SPARSE_SIZE = 5 * GiB + 5


@group("efs-bigfile", needs=("kernel", "initramfs", "efs-tools",
                             "efs-vol-tools"))
def efs_bigfile(ctx):
    """eclipsefs: a 1 GiB file checksummed; writes at 4 GiB-1..5 GiB"""
    seed = 20261122
    tree = os.path.join(ctx.tmpdir, "tree")
    tree_with_efsvol(ctx, tree)
    img = os.path.join(ctx.tmpdir, "bigfile.img")
    mkfs(ctx, img, 2 * GiB, tree)
    m, sh = boot(ctx, "efs-bigfile", [img], timeout=3600)
    path = MNT + "/big"
    guest_md5 = None
    with ctx.test("efs-bigfile/write-1g-fsync", m):
        mount(sh)
        sh.ok("cp %s/bin/efsvol /tmp/efsvol" % MNT)
        out = sh.ok("/tmp/efsvol write %s %d %d" % (path, BIGFILE_MIB,
                                                    seed), timeout=1800)
        for line in re.findall(r"^efsvol: wrote.*$", out, re.M):
            note(ctx, "guest: " + line)
        want(sh.ok("stat -c %%s %s" % path), r"^%d$" % (BIGFILE_MIB * MiB),
             "the size")
    with ctx.test("efs-bigfile/read-cold-check", m):
        remount_cold(sh)
        s0, d0 = stats(sh), disk_blocks_read(sh)
        out = sh.ok("/tmp/efsvol read %s %d %d" % (path, BIGFILE_MIB, seed),
                    timeout=1800)
        s1, d1 = stats(sh), disk_blocks_read(sh)
        note(ctx, "guest (cold): " + want(out, r"^efsvol: read .*$",
                                          "the rate").group(0))
        note(ctx, "the counters for it: blocks_read +%d, cache_hits +%d; "
             "the disk read %d blocks" % (
                 s1["blocks_read"] - s0["blocks_read"],
                 s1.get("cache_hits", 0) - s0.get("cache_hits", 0),
                 d1 - d0))
    with ctx.test("efs-bigfile/md5-guest", m):
        t = time.monotonic()
        guest_md5 = md5_of(sh, path, timeout=1800)
        note(ctx, "guest: md5sum of 1 GiB in %.1f s (wall)" % (
            time.monotonic() - t))
    with ctx.test("efs-bigfile/sparse-4g-5g", m):
        sp = MNT + "/sparse"
        for off, text in SPARSE_WRITES:
            sh.ok("/tmp/efsvol pwrite %s %d %s" % (sp, off, text))
        want(sh.ok("stat -c '%%s %%b' %s" % sp), r"^%d (\d+)$" % SPARSE_SIZE,
             "the sparse file's size")
        blocks = int(sh.ok("stat -c %%b %s" % sp).strip())
        if blocks > 64:
            raise Failure("the sparse file holds %d sectors" % blocks)
        umount(sh)
        mount(sh)
        for off, text in SPARSE_WRITES + ((4 * GiB - 2, "\0"),
                                          (2 * GiB, "\0")):
            want(sh.ok("/tmp/efsvol pread %s %d %d" % (sp, off, len(text))),
                 r"^pread %d:%s$" % (len(text), "".join(
                     " %02x" % ord(c) for c in text)),
                 "the bytes at %d" % off)
        want(sh.ok("/tmp/efsvol pread %s %d 8" % (sp, SPARSE_SIZE - 2)),
             r"^pread 2: 35 67$", "the last two bytes, nothing past them")
    with ctx.test("efs-bigfile/umount", m):
        umount(sh)
        poweroff(m)
    with ctx.test("efs-bigfile/host-fsck-clean"):
        fsck_clean(ctx, img, "after the big file")
    with ctx.test("efs-bigfile/host-read-back"):
        ino = host_inode(ctx, img, "/big")
        if ino is None or ino["size"] != BIGFILE_MIB * MiB:
            raise Failure("dumpe: /big is %r" % (ino and ino["size"]))
        note(ctx, "the 1 GiB file has %d extents" % len(ino["extents"]))
        h = hashlib.md5()
        chk = subprocess.Popen(
            ["timeout", "600", os.path.join(ctx.build, "efsvol",
                                            "efsvol-host"),
             "read", "/dev/stdin", str(BIGFILE_MIB), str(seed)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT)

        def sink(piece):
            h.update(piece)
            chk.stdin.write(piece)
        try:
            host_read(img, ino, sink=sink)
        except BrokenPipeError:
            pass
        chk.stdin.close()
        out = chk.stdout.read().decode(errors="replace")
        if chk.wait() != 0:
            raise Failure("the host's check of the data read through "
                          "dumpe's extents: %s" % out.strip())
        if guest_md5 is not None and h.hexdigest() != guest_md5:
            raise Failure("md5 on the host %s, in the guest %s" % (
                h.hexdigest(), guest_md5))
        sp = host_inode(ctx, img, "/sparse")
        if sp["size"] != SPARSE_SIZE:
            raise Failure("/sparse's size on the host: %d" % sp["size"])
        for off, text in SPARSE_WRITES:
            got = host_read(img, sp, off, len(text))
            if got != text.encode():
                raise Failure("/sparse at %d on the host: %r" % (off, got))


# ---------------------------------------------------------------------------
# efs-damage: byte edits, with efs_format.h's offsets.

def crc32c_table():
    t = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        t.append(c)
    return t


CRC_TABLE = crc32c_table()


def crc32c(crc, data):
    """libeclipsefs's efs_crc32c: continue CRC crc over data."""
    crc ^= 0xffffffff
    for b in data:
        crc = CRC_TABLE[(crc ^ b) & 0xff] ^ (crc >> 8)
    return crc ^ 0xffffffff


def csum(seed, buf, crc_off):
    return crc32c(crc32c(crc32c(seed, buf[:crc_off]), bytes(4)),
                  buf[crc_off + 4:])


class Img:
    """An image in memory, edited by byte offsets; written back."""

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            self.b = bytearray(f.read())
        sb = self.b[:512]
        self.csum_seed = struct.unpack_from("<I", sb, 160)[0]
        self.block_count = struct.unpack_from("<Q", sb, 80)[0]
        self.journal_blocks, self.journal_start = struct.unpack_from(
            "<IQ", sb, 140)

    def u(self, fmt, off):
        return struct.unpack_from(fmt, self.b, off)[0]

    def put(self, fmt, off, v):
        struct.pack_into(fmt, self.b, off, v)

    def block_seed(self, blkno):
        return crc32c(self.csum_seed, struct.pack("<Q", blkno))

    def fix_super(self):
        self.put("<I", 508, csum(0xffffffff, self.b[:512], 508))

    def fix_inode(self, ino, off):
        i = self.b[off:off + 256]
        self.put("<I", off + 252, csum(self.csum_seed ^ (ino & 0xffffffff),
                                       i, 252))

    def fix_bucket(self, blk):
        o = blk * BLOCK
        self.put("<I", o + 12, csum(self.block_seed(blk),
                                    self.b[o:o + BLOCK], 12))

    def block(self, blk):
        return bytes(self.b[blk * BLOCK:(blk + 1) * BLOCK])

    def save(self):
        with open(self.path, "wb") as f:
            f.write(self.b)


# The folder tree of every damage image.
def damage_tree(ctx, tree):
    tree_with_efsvol(ctx, tree)
    os.makedirs(os.path.join(tree, "d", "sub", "inner"))
    with open(os.path.join(tree, "d", "f.txt"), "w") as f:
        f.write("the damaged file\n")
    with open(os.path.join(tree, "big.bin"), "wb") as f:
        f.write(bytes(range(256)) * 800)
    with open(os.path.join(tree, "ok.txt"), "w") as f:
        f.write("an undamaged file\n")


def bucket_entries(im, blk):
    """[(offset in the image, hash, ino, type, name)] of a bucket."""
    o = blk * BLOCK
    magic, depth, count, used = struct.unpack_from("<IHHI", im.b, o)
    if magic != 0x42534645:
        raise Failure("block %d is no bucket" % blk)
    out, p = [], o + 24
    for _ in range(count):
        h, ino, typ, nl = struct.unpack_from("<QQBB", im.b, p)
        out.append((p, h, ino, typ, bytes(im.b[p + 18:p + 18 + nl]
                                          ).decode()))
        p += (18 + nl + 7) & ~7
    return out


def find_bucket(ctx, img, im, dirpath, name):
    """(bucket block, entry offset, its ino) of NAME in DIRPATH: the
    folder's blocks from dumpe's extents, searched for a bucket that
    holds it."""
    d = host_inode(ctx, img, dirpath)
    for lo, cnt, pb in d["extents"]:
        for k in range(cnt):
            if lo + k < DIR_FIRST_BUCKET:
                continue
            blk = pb + k
            if im.u("<I", blk * BLOCK) != 0x42534645:
                continue
            for off, h, ino, typ, nm in bucket_entries(im, blk):
                if nm == name:
                    return blk, off, ino
    raise Failure("no bucket of %s holds %s" % (dirpath, name))


def dmg_magic(ctx, img, im):
    im.b[0:8] = b"NOTEFS!!"


def dmg_sb_crc(ctx, img, im):
    im.b[48] ^= 0x20                    # the label; sb_crc left as it was


def dmg_sizes(ctx, img, im):
    im.put("<Q", 80, im.block_count * 4)    # past the device's end
    im.fix_super()


def dmg_gd_crc(ctx, img, im):
    im.put("<I", BLOCK + 24, im.u("<I", BLOCK + 24) + 1)    # bg_free_blocks


def dmg_inode_crc(ctx, img, im):
    ino = host_inode(ctx, img, "/d/f.txt")
    im.put("<Q", ino["disk_byte"] + 24, 1 << 40)   # i_size; i_crc as was


def dmg_extent_out(ctx, img, im):
    ino = host_inode(ctx, img, "/big.bin")
    # i_eh at byte 112, the first extent at 128: ee_pblk at 136.
    im.put("<Q", ino["disk_byte"] + 136, im.block_count + 1000)
    im.fix_inode(ino["ino"], ino["disk_byte"])


def dmg_eh_entries(ctx, img, im):
    ino = host_inode(ctx, img, "/big.bin")
    o = ino["disk_byte"] + 112
    im.put("<H", o + 2, im.u("<H", o + 4) + 1)     # eh_entries > eh_max
    im.fix_inode(ino["ino"], ino["disk_byte"])


def dmg_extent_loop(ctx, img, im):
    """/big.bin's extent root made an index (depth 2) whose child node,
    checksum right, points at itself: a loop in the extent tree."""
    ino = host_inode(ctx, img, "/big.bin")
    x = im.block_count - 64            # free, inside the filesystem
    node = bytearray(BLOCK)
    struct.pack_into("<HHHHII", node, 0, 0xEF5E, 1, 255, 1, 0, 0)
    struct.pack_into("<IIQ", node, 16, 0, 0, x)
    struct.pack_into("<I", node, 12, csum(im.block_seed(x), node, 12))
    im.b[x * BLOCK:(x + 1) * BLOCK] = node
    o = ino["disk_byte"] + 112
    struct.pack_into("<HHHHII", im.b, o, 0xEF5E, 1, 5, 2, 0, 0)
    struct.pack_into("<IIQ", im.b, o + 16, 0, 0, x)
    im.fix_inode(ino["ino"], ino["disk_byte"])


def dmg_dir_depth(ctx, img, im):
    """/d's header with a global depth past EFS_DIR_MAX_DEPTH (20), its
    checksum right."""
    d = host_inode(ctx, img, "/d")
    blk = [pb for lo, cnt, pb in d["extents"] if lo == 0][0]
    o = blk * BLOCK
    if im.u("<I", o) != 0x44534645:
        raise Failure("block %d is no folder header" % blk)
    im.put("<I", o + 4, 40)
    im.put("<I", o + 60, csum(im.block_seed(blk), im.b[o:o + 64], 60))


def dir_table_block(ctx, img, im):
    """The disk block of /d's first hash table block (logical 1)."""
    d = host_inode(ctx, img, "/d")
    return [pb + 1 - lo for lo, cnt, pb in d["extents"]
            if lo <= 1 < lo + cnt][0]


def dmg_dir_table(ctx, img, im):
    """/d's hash table naming logical block 0, the folder's header, as
    the bucket of every name, the table block's checksum right: the
    entry's range check must catch it."""
    blk = dir_table_block(ctx, img, im)
    o = blk * BLOCK
    im.put("<I", o, 0)
    im.put("<I", o + BLOCK - 4, csum(im.block_seed(blk),
                                     im.b[o:o + BLOCK], BLOCK - 4))


def dmg_dir_table_crc(ctx, img, im):
    """A byte of /d's hash table block past its one entry changed, the
    checksum left as it was: only the checksum can tell."""
    blk = dir_table_block(ctx, img, im)
    if im.u("<I", blk * BLOCK + 4) != 0:
        raise Failure("/d's table has more than one entry")
    im.b[blk * BLOCK + 100] ^= 0x40


def dmg_bucket_crc(ctx, img, im):
    blk, off, _ = find_bucket(ctx, img, im, "/d", "f.txt")
    im.b[off + 18] ^= 0x01              # a name byte; db_crc as was


def dmg_dir_loop(ctx, img, im):
    # /d/sub/inner -> /d: a subfolder entry naming an ancestor.
    d = host_inode(ctx, img, "/d")
    blk, off, _ = find_bucket(ctx, img, im, "/d/sub", "inner")
    im.put("<Q", off + 8, d["ino"])
    im.fix_bucket(blk)


def dmg_torn_jsuper(ctx, img, im):
    o = im.journal_start * BLOCK
    im.put("<Q", o + 8, im.u("<Q", o + 8) + 5)     # js_sequence; js_crc
    im.b[o + 32:o + 64] = b"\xa5" * 32             # half a write


def journal_tx(ctx, img, im, good):
    """Log one transaction by hand: the inode block of /d/f.txt with its
    mode made 0600; its commit checksum right when GOOD."""
    ino = host_inode(ctx, img, "/d/f.txt")
    home = ino["disk_byte"] // BLOCK
    copy = bytearray(im.block(home))
    io = ino["disk_byte"] % BLOCK
    struct.pack_into("<H", copy, io, 0o100600)
    i = copy[io:io + 256]
    struct.pack_into("<I", copy, io + 252,
                     csum(im.csum_seed ^ ino["ino"], i, 252))
    js = im.journal_start * BLOCK
    seq = im.u("<Q", js + 8)
    if im.u("<I", js) != 0x4A534645 or im.u("<I", js + 16) != 0:
        raise Failure("the journal is not an empty one")
    desc = bytearray(BLOCK)
    struct.pack_into("<IIQQII", desc, 0, 0x44534A45, 1, seq, home, 0, 0)
    crc = crc32c(crc32c(im.csum_seed, desc), copy)
    if not good:
        crc ^= 0x00010000
    cblk = im.journal_start + 3
    commit = bytearray(BLOCK)
    struct.pack_into("<IIQQI", commit, 0, 0x43534A45, 2, seq,
                     int(time.time() * 1e9), crc)
    struct.pack_into("<I", commit, 28, crc32c(im.block_seed(cblk),
                                              commit[:28]))
    for r, blk in ((1, desc), (2, copy), (3, commit)):
        o = (im.journal_start + r) * BLOCK
        im.b[o:o + BLOCK] = blk
    struct.pack_into("<I", im.b, js + 16, 1)       # js_start: ring block 1
    jsb = im.b[js:js + 64]
    struct.pack_into("<I", im.b, js + 60,
                     csum(im.block_seed(im.journal_start), jsb, 60))


def dmg_commit_bad(ctx, img, im):
    journal_tx(ctx, img, im, False)


def dmg_commit_good(ctx, img, im):
    journal_tx(ctx, img, im, True)


def dmg_incompat(ctx, img, im):
    im.put("<I", 20, im.u("<I", 20) | 0x80000)   # sb_feature_incompat
    im.fix_super()


# name, damage, the path efsvol probe reads when it mounts, expected:
# "refuse" (must be refused), "damage" (refused, or mounts and the probe
# fails with EIO or EUCLEAN and the mount goes read-only; "damage:RE":
# and an "eclipsefs vdX:" line matches the regular expression RE), "clean"
# (mounts, the probe works, stays read-write; with the mode of d/f.txt
# in the last field).  The paths are under the mount point.
DAMAGES = (
    ("pristine", None, "", "clean 644"),
    ("bad-magic", dmg_magic, None, "refuse"),
    ("sb-crc", dmg_sb_crc, "ok.txt", "damage"),
    ("sizes", dmg_sizes, None, "refuse"),
    ("gd-crc", dmg_gd_crc, "ok.txt", "damage"),
    ("inode-crc", dmg_inode_crc, "d/f.txt", "damage"),
    ("extent-out", dmg_extent_out, "big.bin", "damage"),
    ("eh-entries", dmg_eh_entries, "big.bin", "damage"),
    ("extent-loop", dmg_extent_loop, "big.bin", "damage"),
    ("dir-depth", dmg_dir_depth, "d", "damage"),
    ("dir-table", dmg_dir_table, "d/f.txt",
     "damage:table entry 0 names block 0, not a bucket"),
    ("dir-table-crc", dmg_dir_table_crc, "d/f.txt",
     r"damage:table block 1 \(block \d+\): checksum mismatch"),
    ("bucket-crc", dmg_bucket_crc, "d", "damage"),
    ("dir-loop", dmg_dir_loop, "d/sub/inner", "damage"),
    ("torn-jsuper", dmg_torn_jsuper, "ok.txt", "damage"),
    ("commit-bad", dmg_commit_bad, "d/f.txt", "clean 644"),
    ("commit-good", dmg_commit_good, "d/f.txt", "clean 600"),
    ("incompat", dmg_incompat, None, "refuse"),
)


def damage_case(ctx, m, sh, dev, mnt, name, touch, expect):
    """Mount one damaged disk and judge what happens (see DAMAGES); the
    caller unmounts."""
    start = len(m.text)
    out, st = sh.run("mkdir -p %s && mount -t eclipsefs /dev/%s %s" % (
        mnt, dev, mnt), timeout=120)
    said = re.findall(r"^eclipsefs %s: .*$" % dev, m.text[start:], re.M)
    if st != 0:
        if expect.startswith("clean"):
            raise Failure("refused: %r" % out.strip()[-300:])
        if not said:
            raise Failure("refused with no \"eclipsefs %s:\" line: %r" %
                          (dev, out[-300:]))
        note(ctx, "%s: refused: %s" % (name, said[-1]))
        return False
    if expect == "refuse":
        raise Failure("mounted: %r" % said)
    start = len(m.text)
    tout, tst = sh.run("timeout 60 /tmp/efsvol probe %s/%s" % (mnt, touch),
                       timeout=120)
    said = re.findall(r"^eclipsefs %s: .*$" % dev, m.text[start:], re.M)
    mounts = sh.ok("grep ' %s ' /proc/mounts" % mnt)
    if expect.startswith("clean"):
        if tst != 0:
            raise Failure("probe %s failed: %r" % (touch, tout[-300:]))
        mode = expect.split()[1]
        want(sh.ok("stat -c %%a %s/d/f.txt" % mnt), r"^%s$" % mode,
             "d/f.txt's mode (the journal %s)" % (
                 "replayed" if mode == "600" else "not replayed"))
        want(mounts, r" eclipsefs rw[ ,]", "still read-write")
        note(ctx, "%s: mounted, probe %s works" % (name, touch or "/"))
        return True
    if tst == 0:
        raise Failure("mounted, and probe %s works: the damage went "
                      "unseen (%r)" % (touch, tout.strip()))
    err = want(tout, r"^probe: (\w+) \S+: errno (\d+)$", "the probe's error")
    if int(err.group(2)) not in ERR_DAMAGE:
        raise Failure("probe %s: %s gave errno %s, want EIO or EUCLEAN" % (
            touch, err.group(1), err.group(2)))
    if not said:
        raise Failure("no \"eclipsefs %s:\" line says why" % dev)
    why = expect.partition(":")[2]
    if why and not any(re.search(why, line) for line in said):
        raise Failure("no \"eclipsefs %s:\" line matches /%s/: %r" % (
            dev, why, said))
    want(mounts, r" eclipsefs ro[ ,]", "remounted read-only after the damage")
    note(ctx, "%s: mounted, %s of %s: errno %s; %s" % (
        name, err.group(1), touch, err.group(2), " / ".join(said)))
    return True


@group("efs-damage", needs=("kernel", "initramfs", "efs-tools",
                            "efs-vol-tools"))
def efs_damage(ctx):
    """eclipsefs: 17 damaged images mount without a panic or a hang"""
    tree = os.path.join(ctx.tmpdir, "tree")
    damage_tree(ctx, tree)
    base = os.path.join(ctx.tmpdir, "base.img")
    mkfs(ctx, base, 16 * MiB, tree)
    imgs = []
    for i, (name, fn, _, _) in enumerate(DAMAGES):
        img = os.path.join(ctx.tmpdir, "%02d-%s.img" % (i, name))
        subprocess.run(["cp", base, img], check=True)
        if fn is not None:
            with ctx.test("efs-damage/%s: make" % name):
                im = Img(img)
                fn(ctx, img, im)
                im.save()
        imgs.append(img)
    # The kernel names at most 16 virtio disks (vda..vdp): a few boots,
    # each with an undamaged copy as vda (efsvol comes from it).
    cases = list(enumerate(DAMAGES))
    for b in range(0, len(cases), DAMAGE_PER_BOOT):
        part = cases[b:b + DAMAGE_PER_BOOT]
        helper = os.path.join(ctx.tmpdir, "helper-%d.img" % b)
        subprocess.run(["cp", base, helper], check=True)
        m, sh = boot(ctx, "efs-damage-%d" % (b // DAMAGE_PER_BOOT),
                     [helper] + [imgs[i] for i, _ in part], timeout=900)
        with ctx.test("efs-damage/boot %d: helper" % (
                b // DAMAGE_PER_BOOT), m):
            mount(sh, "/dev/vda", "/mnt/x")
            sh.ok("cp /mnt/x/bin/efsvol /tmp/efsvol && umount /mnt/x")
        for k, (i, (name, fn, touch, expect)) in enumerate(part):
            dev = "vd" + chr(ord("b") + k)
            mnt = "/mnt/x%d" % i
            with ctx.test("efs-damage/%s" % name, m):
                try:
                    mounted = damage_case(ctx, m, sh, dev, mnt, name,
                                          touch, expect)
                finally:
                    if not sh.lost:
                        sh.run("umount %s" % mnt, timeout=120)
                if mounted:
                    want(sh.ok("grep -c ' %s ' /proc/mounts; true" % mnt),
                         r"^0$", "unmounted")
        with ctx.test("efs-damage/boot %d: the shell answers" % (
                b // DAMAGE_PER_BOOT), m):
            want(sh.ok("echo still-alive"), r"^still-alive$", "the shell")
            if m.marks():
                raise Failure(m.marks())
            poweroff(m)
    with ctx.test("efs-damage/host-fsck-after-clean-ones"):
        for i, (name, fn, touch, expect) in enumerate(DAMAGES):
            if expect.startswith("clean"):
                fsck_clean(ctx, imgs[i], name)
