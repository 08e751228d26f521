#!/usr/bin/env python3
#
# test_mkfs.py: mkfs.eclipsefs -d of a tree holding every kind of file,
# read back with dumpe.eclipsefs (and the image's bytes), then
# fsck.eclipsefs -n when it is built.  Prints TAP.
#
#   test_mkfs.py --bin DIR [--tmp DIR] [--keep]
#
# The tree: regular files (empty, one byte, a block, many blocks of
# random bytes, executable), hard links across folders, symbolic links
# short (inline in the inode) and long (in a block), a sparse 5 GiB file
# written at 0, 4 GiB - 1 (across the 4 GiB boundary) and 5 GiB, 10,000
# files in one folder, a deep path and a 255-byte name; a manifest gives
# modes, owners and device nodes.  Then the manifest's and the tree's
# errors, -o (a partition inside a disk image) and -r (the initramfs's
# normalised modes).

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

from efstest import BLOCK, Tap, crc32c

GiB = 1 << 30


def run(argv, timeout=300):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), \
        p.stderr.decode("utf-8", "replace")


class Image:
    """dumpe.eclipsefs over one image, and its file data read back."""

    def __init__(self, dumpe, path, offset=0):
        self.dumpe = dumpe
        self.path = path
        self.offset = offset

    def dump(self, *what):
        argv = [self.dumpe]
        if self.offset:
            argv += ["-o", str(self.offset)]
        return run(argv + [self.path] + [str(w) for w in what])

    def inode(self, path):
        """{field: value} of `dumpe path PATH`, plus "ino"."""
        rc, out, err = self.dump("path", path)
        if rc != 0:
            raise RuntimeError("dumpe path %s: %d %s%s" % (path, rc, out,
                                                            err))
        info = {}
        m = re.match(r"inode (\d+) at block", out)
        info["ino"] = int(m.group(1)) if m else None
        info["crc_ok"] = "crc" in out.splitlines()[0] and \
            "(ok)" in out.splitlines()[0]
        for line in out.splitlines()[1:]:
            m = re.match(r"  (\S[\w ]*?\S)\s{2,}(.*)$", line)
            if m:
                info.setdefault(m.group(1), m.group(2))
        return info

    def extents(self, ino):
        """[(lblk, len, pblk)] of `dumpe extents INO`, and the output."""
        rc, out, err = self.dump("extents", ino)
        ext = []
        for m in re.finditer(r"extent logical (\d+)\.\.(\d+) \((\d+) blocks"
                             r"\) -> blocks (\d+)\.\.", out):
            ext.append((int(m.group(1)), int(m.group(3)), int(m.group(4))))
        return rc, ext, out + err

    def read_file(self, ino, size):
        """The file's bytes, from its extents and the image."""
        rc, ext, out = self.extents(ino)
        if rc != 0:
            raise RuntimeError("dumpe extents %d: %s" % (ino, out))
        data = bytearray(size)
        with open(self.path, "rb") as f:
            for lblk, n, pblk in ext:
                start = lblk * BLOCK
                if start >= size:
                    raise RuntimeError("extent past the size")
                f.seek(self.offset + pblk * BLOCK)
                chunk = f.read(min(n * BLOCK, size - start))
                data[start:start + len(chunk)] = chunk
        return bytes(data)


def make_tree(root, rng):
    """Fill root; return {relative path: description} to check."""
    files = {}
    os.makedirs(os.path.join(root, "etc"))
    os.makedirs(os.path.join(root, "bin"))
    os.makedirs(os.path.join(root, "home/user"))
    os.makedirs(os.path.join(root, "dev"))
    os.makedirs(os.path.join(root, "data/a"))
    os.makedirs(os.path.join(root, "data/b"))

    def write(rel, data, mode=0o644):
        p = os.path.join(root, rel)
        with open(p, "wb") as f:
            f.write(data)
        os.chmod(p, mode)
        files[rel] = data

    write("etc/shadow", b"root:*:0:0:99999:7:::\n", 0o644)
    write("etc/empty", b"")
    write("etc/one", b"x")
    write("etc/block", bytes(rng.getrandbits(8) for _ in range(BLOCK)))
    write("bin/busybox", os.urandom(300 * BLOCK + 123), 0o755)
    write("data/a/linked", os.urandom(5 * BLOCK + 7))
    os.link(os.path.join(root, "data/a/linked"),
            os.path.join(root, "data/b/linked2"))
    os.link(os.path.join(root, "data/a/linked"),
            os.path.join(root, "data/linked3"))
    os.symlink("busybox", os.path.join(root, "bin/sh"))
    long_target = "/" + "/".join(["long-symlink-component"] * 9)
    assert len(long_target) > 96
    os.symlink(long_target, os.path.join(root, "data/longlink"))
    # A sparse 5 GiB file: data at 0, across 4 GiB and at 5 GiB.
    big = os.path.join(root, "data/sparse")
    with open(big, "wb") as f:
        f.write(b"head")
        f.seek(4 * GiB - 1)
        f.write(b"AB")
        f.seek(5 * GiB)
        f.write(b"Z")
    # 20 data regions apart: more extents than the inode holds (5), so
    # the tree grows an index level.
    frag = os.path.join(root, "data/fragmented")
    with open(frag, "wb") as f:
        for i in range(20):
            f.seek(i * (1 << 20))
            f.write(b"%02d" % i * 2048)
    with open(frag, "rb") as f:
        files["data/fragmented"] = f.read()
    # 10,000 files in one folder.
    many = os.path.join(root, "many")
    os.makedirs(many)
    for i in range(10000):
        with open(os.path.join(many, "file-%05d" % i), "wb") as f:
            if i % 1000 == 0:
                f.write(b"%d\n" % i)
    # A deep path and the longest name.
    deep = os.path.join(root, *(["d"] * 40))
    os.makedirs(deep)
    with open(os.path.join(deep, "bottom"), "wb") as f:
        f.write(b"deep\n")
    with open(os.path.join(root, "n" * 255), "wb") as f:
        f.write(b"long name\n")
    return files, long_target


MANIFEST = """\
# modes: path mode [uid gid]
etc/shadow	0600
home/user	0750	1000	1000
bin/busybox	4755
data/a/linked	0640	5	6
# device nodes: path c|b major minor mode uid gid
dev/console	c	5	1	0600	0	0
dev/null	c	1	3	0666	0	0
dev/sda		b	8	0	0660	0	6
"""


def check_main(t, args, tmp, rng):
    mkfs = os.path.join(args.bin, "mkfs.eclipsefs")
    dumpe = os.path.join(args.bin, "dumpe.eclipsefs")
    fsck = os.path.join(args.bin, "fsck.eclipsefs")
    root = os.path.join(tmp, "tree")
    files, long_target = make_tree(root, rng)
    manifest = os.path.join(tmp, "manifest")
    with open(manifest, "w") as f:
        f.write(MANIFEST)
    img = os.path.join(tmp, "fs.img")
    uuid = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f0"
    rc, out, err = run([mkfs, "-L", "testroot", "-U", uuid, "-s", "1G",
                        "-d", root, "-m", manifest, img])
    if not t.ok(rc == 0, "mkfs -d of the tree with a manifest",
                out + err):
        return
    t.diag(out.strip())
    t.ok(re.search(r"copied \d+ files", out) is not None,
         "mkfs prints a summary", out)
    t.ok(os.path.getsize(img) == 1 * GiB, "-s made a 1 GiB image")
    im = Image(dumpe, img)

    rc, out, err = im.dump("super")
    t.ok(rc == 0 and "check          ok" in out and uuid in out and
         '"testroot"' in out and "backup at block" in out and
         "identical" in out,
         "dumpe super: checks, UUID, label, identical backup", out + err)
    rc, out, err = im.dump("groups")
    t.ok(rc == 0 and len(out.splitlines()) >= 2, "dumpe groups", out + err)
    rc, out, err = im.dump("group", 0)
    t.ok(rc == 0 and "BAD" not in out and "(ok)" in out,
         "dumpe group 0: descriptor and bitmap checksums verify", out + err)

    # Modes and owners from the manifest, root elsewhere.
    info = im.inode("/etc/shadow")
    t.ok(info["mode"].startswith("100600") and info["owner"] == "0:0" and
         info["crc_ok"], "etc/shadow 0600 root from the manifest",
         info)
    info = im.inode("/home/user")
    t.ok(info["mode"].startswith("040750") and info["owner"] == "1000:1000",
         "home/user 0750 1000:1000", info)
    info = im.inode("/bin/busybox")
    t.ok(info["mode"].startswith("104755") and info["owner"] == "0:0",
         "bin/busybox setuid 4755", info)
    info = im.inode("/etc/one")
    t.ok(info["mode"].startswith("100644") and info["owner"] == "0:0",
         "a file no line names: its own mode, owner root", info)

    # Device nodes.
    info = im.inode("/dev/console")
    t.ok(info["mode"].startswith("020600") and
         info.get("device") == "5:1" and info["owner"] == "0:0",
         "dev/console: character device 5:1 0600", info)
    info = im.inode("/dev/sda")
    t.ok(info["mode"].startswith("060660") and
         info.get("device") == "8:0" and info["owner"] == "0:6",
         "dev/sda: block device 8:0 0660 0:6", info)

    # Regular files' data, read back through their extents.
    bad = []
    for rel, data in sorted(files.items()):
        info = im.inode("/" + rel)
        if int(info["size"]) != len(data):
            bad.append("%s: size %s, expected %d" % (rel, info["size"],
                                                     len(data)))
            continue
        got = im.read_file(info["ino"], len(data))
        if got != data:
            bad.append("%s: data differs" % rel)
    t.ok(not bad, "%d regular files read back byte for byte" % len(files),
         "\n".join(bad))
    info = im.inode("/bin/busybox")
    rc, ext, out = im.extents(info["ino"])
    t.ok(rc == 0 and len(ext) == 1 and ext[0][1] == 301,
         "a 301-block file is one contiguous extent", out)

    info = im.inode("/data/fragmented")
    rc, ext, out = im.extents(info["ino"])
    t.ok(rc == 0 and len(ext) == 20 and
         re.search(r"node at block \d+: magic 0xef5e entries 20 .*\(ok\)",
                   out) and "BAD" not in out and "!!" not in out,
         "a 20-extent file: an index node whose checksum verifies", out)

    # Hard links.
    a = im.inode("/data/a/linked")
    b = im.inode("/data/b/linked2")
    c = im.inode("/data/linked3")
    t.ok(a["ino"] == b["ino"] == c["ino"] and a["links"] == "3",
         "three names of one file: one inode, 3 links", (a, b, c))
    t.ok(a["mode"].startswith("100640") and a["owner"] == "5:6",
         "the manifest's mode for a hard-linked path", a)

    # Symbolic links.
    info = im.inode("/bin/sh")
    t.ok(info["mode"].startswith("120777") and
         info.get("target") == '"busybox" (inline)',
         "short symlink kept inline", info)
    info = im.inode("/data/longlink")
    t.ok(info.get("target") == '"%s" (in a block)' % long_target and
         int(info["size"]) == len(long_target),
         "long symlink (%d bytes) in a block" % len(long_target), info)

    # The sparse file.
    info = im.inode("/data/sparse")
    size = 5 * GiB + 1
    t.ok(int(info["size"]) == size, "sparse file: size 5 GiB + 1", info)
    rc, ext, out = im.extents(info["ino"])
    lblks = sorted(set(l + i for l, n, p in ext for i in range(n)))
    t.ok(rc == 0 and lblks == [0, (4 * GiB - 1) // BLOCK, 4 * GiB // BLOCK,
                               5 * GiB // BLOCK],
         "sparse file: data blocks 0, 4 GiB - 1, 4 GiB, 5 GiB only", out)
    t.ok(int(info["blocks"]) <= 8,
         "sparse file holds %s blocks" % info["blocks"], info)
    with open(img, "rb") as f:
        want = {0: b"head", (4 * GiB - 1) // BLOCK: b"A",
                4 * GiB // BLOCK: b"B", 5 * GiB // BLOCK: b"Z"}
        offs = {0: 0, (4 * GiB - 1) // BLOCK: BLOCK - 1,
                4 * GiB // BLOCK: 0, 5 * GiB // BLOCK: 0}
        bad = []
        for lblk, data in want.items():
            pblk = [p + (lblk - l) for l, n, p in ext if l <= lblk < l + n]
            if not pblk:
                bad.append("block %d unmapped" % lblk)
                continue
            f.seek(pblk[0] * BLOCK + offs[lblk])
            got = f.read(len(data))
            if got != data:
                bad.append("block %d: %r, expected %r" % (lblk, got, data))
        t.ok(not bad, "sparse file: the bytes at 0, 4 GiB - 1, 4 GiB and "
             "5 GiB", "\n".join(bad))

    # 10,000 names in one folder, with their hashes and buckets.
    info = im.inode("/many")
    rc, out, err = im.dump("dir", info["ino"])
    names = re.findall(r"^  [0-9a-f]{16} +\d+ reg +(file-\d{5})$", out,
                       re.M)
    t.ok(rc == 0 and sorted(names) == ["file-%05d" % i
                                       for i in range(10000)],
         "dumpe dir: the 10,000 names, each once (%d found)" % len(names),
         (out + err)[-3000:])
    t.ok("!!" not in out and "BAD" not in out and "entries 10000" in out,
         "dumpe dir: header, buckets and hashes all verify",
         "\n".join(l for l in out.splitlines() if "!!" in l or "BAD" in l
                   or "entries" in l)[:3000])
    t.ok(out.count("bucket at logical") > 1,
         "dumpe dir: the names are spread over %d buckets" %
         out.count("bucket at logical"))
    t.ok(info["links"] == "2", "many/ has 2 links (no subfolders)", info)
    info = im.inode("/many/file-07000")
    t.ok(im.read_file(info["ino"], int(info["size"])) == b"7000\n",
         "many/file-07000 holds its data", info)

    # Deep path and long name.
    info = im.inode("/" + "/".join(["d"] * 40) + "/bottom")
    t.ok(im.read_file(info["ino"], int(info["size"])) == b"deep\n",
         "a file 40 folders deep")
    info = im.inode("/" + "n" * 255)
    t.ok(int(info["size"]) == 10, "a 255-byte name")
    rinfo = im.inode("/")
    nsub = len([n for n in os.listdir(root)
                if os.path.isdir(os.path.join(root, n)) and
                not os.path.islink(os.path.join(root, n))])
    t.ok(rinfo["links"] == str(2 + nsub) and rinfo["ino"] == 1,
         "root: inode 1, %d links (2 + %d folders)" % (2 + nsub, nsub),
         rinfo)
    rc, out, err = im.dump("block", 0)
    t.ok(rc == 0 and "|ECLIPSFS" in out and out.startswith("block 0"),
         "dumpe block 0: a hexdump with the magic", out[:400])
    rc, out, err = im.dump("journal")
    t.ok(rc == 0 and "(EFSJ)" in out and "nothing to replay" in out,
         "dumpe journal: a fresh, empty journal", out + err)

    if os.path.exists(fsck):
        rc, out, err = run([fsck, "-n", img])
        t.ok(rc == 0, "fsck -n: clean (exit 0)", out + err)
    else:
        t.diag("no %s: skipping the fsck check" % fsck)


def check_errors(t, args, tmp):
    mkfs = os.path.join(args.bin, "mkfs.eclipsefs")
    root = os.path.join(tmp, "small")
    os.makedirs(os.path.join(root, "etc"))
    with open(os.path.join(root, "etc/f"), "w") as f:
        f.write("x")
    os.symlink("f", os.path.join(root, "etc/l"))
    img = os.path.join(tmp, "err.img")

    def mkfs_with(lines, tree=root):
        mf = os.path.join(tmp, "mf")
        with open(mf, "w") as f:
            f.write(lines)
        if os.path.exists(img):
            os.unlink(img)
        return run([mkfs, "-q", "-s", "64M", "-d", tree, "-m", mf, img])

    rc, out, err = mkfs_with("etc/missing 0600\n")
    t.ok(rc == 1 and "etc/missing" in err and "not in the tree" in err,
         "a manifest line naming a path not in the tree is an error", err)
    rc, out, err = mkfs_with("etc/l 0600\n")
    t.ok(rc == 1 and "symbolic link" in err,
         "a manifest mode for a symbolic link is an error", err)
    rc, out, err = mkfs_with("etc/f 0600 1\n")
    t.ok(rc == 1 and "mf:1" in err, "a 3-field line is an error "
         "(with file:line)", err)
    rc, out, err = mkfs_with("etc/f 0888\n")
    t.ok(rc == 1 and "octal" in err, "a mode not in octal is an error", err)
    rc, out, err = mkfs_with("etc/f c 1 3 0666 0 0\n")
    t.ok(rc == 1 and "etc/f" in err,
         "a device node over a file of the tree is an error", err)
    rc, out, err = mkfs_with("nodir/null c 1 3 0666 0 0\n")
    t.ok(rc == 1 and "nodir" in err,
         "a device node in a folder not in the tree is an error", err)
    fifo = os.path.join(tmp, "withfifo")
    shutil.copytree(root, fifo, symlinks=True)
    os.mkfifo(os.path.join(fifo, "etc/pipe"))
    rc, out, err = mkfs_with("", fifo)
    t.ok(rc == 1 and "etc/pipe" in err and "not a regular file" in err,
         "a fifo in the tree is an error", err)
    rc, out, err = run([mkfs, "-q", "-s", "64K", img])
    t.ok(rc == 1 and "too few" in err, "a 64 KiB filesystem is refused",
         err)


def check_offset_repro(t, args, tmp):
    mkfs = os.path.join(args.bin, "mkfs.eclipsefs")
    dumpe = os.path.join(args.bin, "dumpe.eclipsefs")
    fsck = os.path.join(args.bin, "fsck.eclipsefs")
    root = os.path.join(tmp, "repro")
    os.makedirs(os.path.join(root, "bin"))
    with open(os.path.join(root, "bin/tool"), "w") as f:
        f.write("#!/bin/sh\n")
    os.chmod(os.path.join(root, "bin/tool"), 0o700)
    with open(os.path.join(root, "private"), "w") as f:
        f.write("p\n")
    os.chmod(os.path.join(root, "private"), 0o600)
    os.chmod(os.path.join(root, "bin"), 0o700)
    disk = os.path.join(tmp, "disk.img")
    # A "disk" with a partition at 1 MiB: the bytes before it stay.
    with open(disk, "wb") as f:
        f.write(b"\xAA" * (1 << 20))
        f.truncate(1 << 20)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1000000000")
    p = subprocess.run([mkfs, "-q", "-r", "-o", "1M", "-s", "32M", "-d",
                        root, disk], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=env, timeout=60)
    t.ok(p.returncode == 0 and os.path.getsize(disk) == (33 << 20),
         "mkfs -o 1M -s 32M into a disk image", p.stderr.decode())
    with open(disk, "rb") as f:
        t.ok(f.read(1 << 20) == b"\xAA" * (1 << 20),
             "the bytes before the offset are untouched")
    im = Image(dumpe, disk, 1 << 20)
    rc, out, err = im.dump("super")
    t.ok(rc == 0 and "check          ok" in out, "dumpe -o 1M reads it",
         out + err)
    tool = im.inode("/bin/tool")
    priv = im.inode("/private")
    binf = im.inode("/bin")
    t.ok(tool["mode"].startswith("100755") and
         priv["mode"].startswith("100644") and
         binf["mode"].startswith("040755"),
         "-r: modes normalised as the initramfs's (0755, 0644, folders "
         "0755)", (tool, priv, binf))
    t.ok(tool["modified"].startswith("1000000000.") and
         binf["modified"].startswith("1000000000."),
         "-r: times from SOURCE_DATE_EPOCH", (tool, binf))
    if os.path.exists(fsck):
        rc, out, err = run([fsck, "-n", "-o", str(1 << 20), disk])
        t.ok(rc == 0, "fsck -n -o 1M: clean", out + err)


def check_journal(t, args, tmp):
    """A transaction written into the log by hand, as the kernel would
    (efs_format.h), and dumpe's account of it, whole then torn."""
    import struct
    mkfs = os.path.join(args.bin, "mkfs.eclipsefs")
    dumpe = os.path.join(args.bin, "dumpe.eclipsefs")
    img = os.path.join(tmp, "journal.img")
    rc, out, err = run([mkfs, "-q", "-s", "32M", img])
    im = Image(dumpe, img)
    rc, out, err = im.dump("super")
    seed = int(re.search(r"csum seed +(0x[0-9a-f]+)", out).group(1), 16)
    jstart = int(re.search(r"journal +blocks (\d+)\.\.", out).group(1))

    def block_seed(blkno):
        return crc32c(seed, struct.pack("<Q", blkno))

    with open(img, "r+b") as f:
        f.seek(jstart * BLOCK)
        js = bytearray(f.read(64))
        struct.pack_into("<QI", js, 8, 1, 1)     # js_sequence 1, js_start 1
        struct.pack_into("<I", js, 60, 0)
        struct.pack_into("<I", js, 60, crc32c(block_seed(jstart), js))
        f.seek(jstart * BLOCK)
        f.write(js)
        f.seek(0)
        home = f.read(BLOCK)                     # log block 0 as it is
        desc = bytearray(BLOCK)
        struct.pack_into("<IIQQII", desc, 0, 0x44534A45, 1, 1, 0, 0, 0)
        crc = crc32c(seed, bytes(desc))
        crc = crc32c(crc, home)
        commit = bytearray(BLOCK)
        struct.pack_into("<IIQQI", commit, 0, 0x43534A45, 2, 1,
                         1234 * 10**9, crc)
        struct.pack_into("<I", commit, 28,
                         crc32c(block_seed(jstart + 3), bytes(commit[:28])))
        f.seek((jstart + 1) * BLOCK)
        f.write(bytes(desc) + home + bytes(commit))
    rc, out, err = im.dump("journal")
    t.ok(rc == 0 and "transaction 1 from ring block 1" in out and
         "ring block 2 -> block 0" in out and
         re.search(r"commit at ring block 3: blocks 2 sequence 1 crc "
                   r"0x[0-9a-f]+ \(ok\) self 0x[0-9a-f]+ \(ok\)", out) and
         "1 complete transaction to replay" in out,
         "dumpe journal: a committed transaction, its tags and checksums",
         out + err)
    with open(img, "r+b") as f:
        f.seek((jstart + 2) * BLOCK + 100)
        f.write(b"torn")
    rc, out, err = im.dump("journal")
    t.ok(rc == 1 and "(BAD)" in out and "torn or corrupt" in out and
         "0 complete transactions" in out,
         "dumpe journal: a copy that changed after the commit: torn",
         out + err)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True,
                    help="the folder of mkfs.eclipsefs and dumpe.eclipsefs")
    ap.add_argument("--tmp", default=None, help="where the images go")
    ap.add_argument("--keep", action="store_true", help="keep them")
    args = ap.parse_args()
    rng = random.Random(9)
    tmp = tempfile.mkdtemp(prefix="efs-mkfs-", dir=args.tmp)
    t = Tap()
    try:
        check_main(t, args, tmp, rng)
        check_errors(t, args, tmp)
        check_offset_repro(t, args, tmp)
        check_journal(t, args, tmp)
    except Exception as e:      # a crash is a failure, with its story
        import traceback
        t.ok(False, "the test ran to its end", traceback.format_exc())
    finally:
        if args.keep:
            t.diag("images kept in %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % t.n)
    sys.exit(1 if t.failed else 0)


if __name__ == "__main__":
    main()
