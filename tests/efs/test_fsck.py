#!/usr/bin/env python3
#
# test_fsck.py: fsck.eclipsefs on damaged images.  Prints TAP.
#
#   test_fsck.py --bin DIR [--tmp DIR] [--keep] [--show] [--flips N]
#                [--hostile N] [--seed S] [--size SIZE]
#
# An image is made with mkfs.eclipsefs -d from a small tree (files, a
# hard link, symlinks short and long, nested folders, a folder of 300
# files whose buckets have split), then damaged with precise byte edits
# that keep every other checksum right (so that exactly one thing is
# wrong): a superblock checksum, the backup superblock, a descriptor, a
# bitmap bit either way, a link count, an entry naming a free inode, an
# extent outside the disk, a directory table block whose checksum does
# not verify, a directory named twice (a loop), an unreachable folder,
# an orphan, a torn journal transaction and a good one to replay.  For
# each: fsck -n reports it (the exit code and the precise line) and
# writes nothing; fsck -y (or -p) repairs it; fsck -n -f is then clean.
# Then N images (default 500) with seeded random byte flips in metadata
# blocks: fsck -n must see every one, and no run may crash or hang (each
# runs under a timeout); -y then -n must be clean whenever -y says it
# repaired everything.  The seeds are logged.

import argparse
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile

from efstest import BLOCK, Tap, crc32c, csum

INODE = 256
# A directory: its header, then its table (1023 entries and a checksum to
# a block, room for 2^20 entries), then its buckets (efs_format.h).
DIR_MAX_DEPTH = 20
DIR_TABLE_PER_BLOCK = (BLOCK - 4) // 4
DIR_TABLE_BLOCKS = -(-(1 << DIR_MAX_DEPTH) // DIR_TABLE_PER_BLOCK)
DIR_FIRST_BUCKET = 1 + DIR_TABLE_BLOCKS
DT_DIR = 4
DT_REG = 8


SB_FIELDS = [
    ("magic", 0, "Q"), ("version", 8, "I"), ("state", 28, "I"),
    ("block_count", 80, "Q"), ("inode_count", 88, "Q"),
    ("group_blocks", 112, "I"), ("group_inodes", 116, "I"),
    ("group_count", 120, "I"), ("gdt_start", 128, "Q"),
    ("gdt_blocks", 136, "I"), ("journal_blocks", 140, "I"),
    ("journal_start", 144, "Q"), ("csum_seed", 160, "I"),
    ("hash_seed", 164, "I"), ("orphan_head", 200, "Q"), ("crc", 508, "I"),
]
GD_FIELDS = [
    ("block_bitmap", 0, "Q"), ("inode_bitmap", 8, "Q"),
    ("inode_table", 16, "Q"), ("free_blocks", 24, "I"),
    ("free_inodes", 28, "I"), ("dirs", 32, "I"), ("bb_crc", 40, "I"),
    ("ib_crc", 44, "I"), ("crc", 60, "I"),
]
INO_FIELDS = [
    ("mode", 0, "H"), ("flags", 4, "I"), ("nlink", 16, "I"),
    ("generation", 20, "I"), ("size", 24, "Q"), ("blocks", 32, "Q"),
    ("parent", 96, "Q"), ("orphan_next", 104, "Q"), ("eh_magic", 112, "H"),
    ("eh_entries", 114, "H"), ("eh_max", 116, "H"), ("eh_depth", 118, "H"),
    ("crc", 252, "I"),
]


class Efs:
    """An eclipsefs image in memory: read its structures, edit bytes."""

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            self.img = bytearray(f.read())
        self.sb = self.fields(0, SB_FIELDS)

    def copy(self):
        c = Efs.__new__(Efs)
        c.path, c.img, c.sb = self.path, bytearray(self.img), self.sb
        return c

    def save(self, path=None):
        with open(path or self.path, "r+b") as f:
            f.write(self.img)

    def fields(self, off, spec):
        return {n: struct.unpack_from("<" + t, self.img, off + o)[0]
                for n, o, t in spec}

    def put(self, off, fmt, val):
        struct.pack_into("<" + fmt, self.img, off, val)

    def block(self, b):
        return self.img[b * BLOCK:(b + 1) * BLOCK]

    def seed(self, blk):
        return crc32c(self.sb["csum_seed"], struct.pack("<Q", blk))

    # -- superblock, descriptors
    def fix_sb(self, blk=0):
        off = blk * BLOCK
        self.put(off + 508, "I", csum(0xFFFFFFFF, self.img[off:off + 512],
                                      508))

    def gd_off(self, g):
        blk = self.sb["gdt_start"] + g // 64
        return blk, blk * BLOCK + (g % 64) * 64

    def gd(self, g):
        return self.fields(self.gd_off(g)[1], GD_FIELDS)

    def fix_gd(self, g):
        blk, off = self.gd_off(g)
        self.put(off + 60, "I", csum(self.seed(blk), self.img[off:off + 64],
                                     60))

    def fix_bitmap_crc(self, g, which):
        gd = self.gd(g)
        blk = gd["block_bitmap" if which == "b" else "inode_bitmap"]
        off = self.gd_off(g)[1] + (40 if which == "b" else 44)
        self.put(off, "I", crc32c(self.seed(blk), self.block(blk)))
        self.fix_gd(g)

    # -- inodes
    def ino_off(self, ino):
        gi = self.sb["group_inodes"]
        g, i = (ino - 1) // gi, (ino - 1) % gi
        return self.gd(g)["inode_table"] * BLOCK + i * INODE

    def inode(self, ino):
        return self.fields(self.ino_off(ino), INO_FIELDS)

    def set_inode(self, ino, **kw):
        off = self.ino_off(ino)
        spec = {n: (o, t) for n, o, t in INO_FIELDS}
        for k, v in kw.items():
            self.put(off + spec[k][0], spec[k][1], v)
        self.fix_inode(ino)

    def fix_inode(self, ino):
        off = self.ino_off(ino)
        seed = self.sb["csum_seed"] ^ (ino & 0xFFFFFFFF)
        self.put(off + 252, "I", csum(seed, self.img[off:off + INODE], 252))

    def extents(self, ino):
        """[(lblk, len, pblk, where-offset)] of a file (any depth)."""
        out = []

        def node(off, depth, limit=8):
            entries = struct.unpack_from("<H", self.img, off + 2)[0]
            for k in range(entries):
                e = off + 16 + 16 * k
                if depth == 0:
                    lb, ln, pb = struct.unpack_from("<IIQ", self.img, e)
                    out.append((lb, ln, pb, e))
                elif limit > 0:
                    child = struct.unpack_from("<Q", self.img, e + 8)[0]
                    node(child * BLOCK, depth - 1, limit - 1)

        off = self.ino_off(ino) + 112
        node(off, struct.unpack_from("<H", self.img, off + 6)[0])
        return out

    def nodes(self, ino):
        """The extent tree's node blocks of a file."""
        out = []

        def node(off, depth, limit=8):
            if depth == 0 or limit == 0:
                return
            entries = struct.unpack_from("<H", self.img, off + 2)[0]
            for k in range(entries):
                child = struct.unpack_from("<Q", self.img,
                                           off + 16 + 16 * k + 8)[0]
                out.append(child)
                node(child * BLOCK, depth - 1, limit - 1)

        off = self.ino_off(ino) + 112
        node(off, struct.unpack_from("<H", self.img, off + 6)[0])
        return out

    def fix_node(self, blk):
        self.put(blk * BLOCK + 12, "I", csum(self.seed(blk), self.block(blk),
                                             12))

    def bmap(self, ino, lblk):
        for lb, ln, pb, _ in self.extents(ino):
            if lb <= lblk < lb + ln:
                return pb + lblk - lb
        return 0

    # -- directories
    def entries(self, dino):
        """[(name, ino, type, bucket pblk, byte offset)] of a folder."""
        out = []
        size = self.inode(dino)["size"]
        for lblk in range(DIR_FIRST_BUCKET, size // BLOCK):
            pb = self.bmap(dino, lblk)
            if pb == 0:
                continue
            base = pb * BLOCK
            used = struct.unpack_from("<I", self.img, base + 8)[0]
            off = 24
            while off < 24 + used:
                h, ino, typ, nl = struct.unpack_from("<QQBB", self.img,
                                                     base + off)
                name = bytes(self.img[base + off + 18:base + off + 18 + nl])
                out.append((name.decode(), ino, typ, pb, off))
                off += (18 + nl + 7) & ~7
        return out

    def lookup(self, path):
        ino = 1
        for part in [p for p in path.split("/") if p]:
            for name, i, _, _, _ in self.entries(ino):
                if name == part:
                    ino = i
                    break
            else:
                raise KeyError(path)
        return ino

    def fix_bucket(self, pblk):
        base = pblk * BLOCK
        self.put(base + 12, "I", csum(self.seed(pblk), self.block(pblk), 12))

    def fix_table(self, pblk):
        """A table block's checksum, its last 4 bytes."""
        self.put(pblk * BLOCK + BLOCK - 4, "I",
                 csum(self.seed(pblk), self.block(pblk), BLOCK - 4))

    def table(self, dino):
        """The 2^depth entries of a folder's table."""
        depth = struct.unpack_from("<I", self.img,
                                   self.bmap(dino, 0) * BLOCK + 4)[0]
        n = 1 << depth
        out = []
        for k in range(-(-n // DIR_TABLE_PER_BLOCK)):
            base = self.bmap(dino, 1 + k) * BLOCK
            m = min(DIR_TABLE_PER_BLOCK, n - k * DIR_TABLE_PER_BLOCK)
            out += struct.unpack_from("<%dI" % m, self.img, base)
        return out

    def fix_dir_header(self, dino):
        pb = self.bmap(dino, 0)
        base = pb * BLOCK
        self.put(base + 60, "I", csum(self.seed(pb),
                                      self.img[base:base + 64], 60))

    def remove_entry(self, dino, name):
        """Take name out of its bucket (counts and checksums kept right)."""
        for n, _, _, pb, off in self.entries(dino):
            if n != name:
                continue
            base = pb * BLOCK
            nl = self.img[base + off + 17]
            rl = (18 + nl + 7) & ~7
            used = struct.unpack_from("<I", self.img, base + 8)[0]
            end = base + 24 + used
            self.img[base + off:end - rl] = self.img[base + off + rl:end]
            self.img[end - rl:end] = bytes(rl)
            self.put(base + 8, "I", used - rl)
            cnt = struct.unpack_from("<H", self.img, base + 6)[0]
            self.put(base + 6, "H", cnt - 1)
            self.fix_bucket(pb)
            hb = self.bmap(dino, 0) * BLOCK
            ent = struct.unpack_from("<Q", self.img, hb + 8)[0]
            self.put(hb + 8, "Q", ent - 1)
            self.fix_dir_header(dino)
            return
        raise KeyError(name)

    # -- the journal
    def jsuper_write(self, start, seq):
        j = self.sb["journal_start"]
        base = j * BLOCK
        js = bytearray(64)
        struct.pack_into("<IIQI", js, 0, 0x4A534645,
                         self.sb["journal_blocks"], seq, start)
        struct.pack_into("<I", js, 60, csum(self.seed(j), js, 60))
        self.img[base:base + BLOCK] = bytes(BLOCK)
        self.img[base:base + 64] = js

    def journal_tx(self, copies, seq=1, torn=False):
        """Log one transaction of {home blkno: 4096 bytes} at ring block 1
        and point the journal superblock at it."""
        j = self.sb["journal_start"]
        desc = bytearray(BLOCK)
        struct.pack_into("<IIQ", desc, 0, 0x44534A45, len(copies), seq)
        for k, home in enumerate(sorted(copies)):
            struct.pack_into("<QII", desc, 16 + 16 * k, home, 0, 0)
        logged = [bytes(desc)] + [bytes(copies[h]) for h in sorted(copies)]
        crc = self.sb["csum_seed"]
        for blk in logged:
            crc = crc32c(crc, blk)
        for k, blk in enumerate(logged):
            self.img[(j + 1 + k) * BLOCK:(j + 2 + k) * BLOCK] = blk
        cblk = j + 1 + len(logged)
        jc = bytearray(BLOCK)
        struct.pack_into("<IIQQI", jc, 0, 0x43534A45, len(logged), seq, 0,
                         crc ^ (1 if torn else 0))
        struct.pack_into("<I", jc, 28, crc32c(self.seed(cblk), jc[:28]))
        self.img[cblk * BLOCK:(cblk + 1) * BLOCK] = jc
        self.jsuper_write(1, seq)


def run(argv, timeout=60):
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", ""
    return p.returncode, p.stdout.decode("utf-8", "replace")


def make_tree(root):
    os.makedirs(os.path.join(root, "a", "b", "c"))
    os.makedirs(os.path.join(root, "d", "e"))
    os.makedirs(os.path.join(root, "many"))
    with open(os.path.join(root, "a", "f1"), "w") as f:
        f.write("hello\n")
    rnd = random.Random(1)
    with open(os.path.join(root, "a", "f2"), "wb") as f:
        f.write(bytes(rnd.getrandbits(8) for _ in range(3 * BLOCK + 100)))
    with open(os.path.join(root, "a", "b", "big"), "wb") as f:
        f.write(b"x" * (40 * BLOCK))
    os.link(os.path.join(root, "a", "f1"), os.path.join(root, "a", "h"))
    os.symlink("f1", os.path.join(root, "a", "short"))
    os.symlink("l" * 300, os.path.join(root, "a", "long"))
    with open(os.path.join(root, "d", "e", "g"), "w") as f:
        f.write("g\n")
    for i in range(300):
        with open(os.path.join(root, "many", "file%03d" % i), "w") as f:
            f.write("%d\n" % i)
    # 12 islands of data with holes between: an extent tree of depth 1.
    with open(os.path.join(root, "a", "sparse"), "wb") as f:
        for i in range(12):
            f.seek(2 * i * BLOCK)
            f.write(b"s" * BLOCK)


class Runner:
    def __init__(self, args, tap):
        self.bin = args.bin
        self.tmp = args.tmp
        self.tap = tap
        self.fsck = os.path.join(args.bin, "fsck.eclipsefs")
        self.mkfs = os.path.join(args.bin, "mkfs.eclipsefs")
        self.clean = os.path.join(self.tmp, "clean.img")
        self.show = args.show
        self.size = args.size

    def fsck_run(self, img, *opts):
        return run([self.fsck] + list(opts) + [img])

    def make_clean(self):
        tree = os.path.join(self.tmp, "tree")
        make_tree(tree)
        rc, out = run([self.mkfs, "-q", "-s", self.size, "-J", "1024",
                       "-d", tree, self.clean])
        if not self.tap.ok(rc == 0, "mkfs.eclipsefs -d of the test tree",
                           out):
            return False
        rc, out = self.fsck_run(self.clean, "-n", "-f")
        return self.tap.ok(rc == 0 and "clean" in out,
                           "fsck -n -f of a fresh image: clean (exit 0)",
                           "exit %s\n%s" % (rc, out))

    def case(self, name, damage, expect, fix="-y", fixed_rc=1,
             check_after=None):
        """Damage a copy of the clean image; fsck -n must exit 4 with a
        line matching expect and leave the image as it was; fix must exit
        fixed_rc; then -n -f must be clean."""
        img = os.path.join(self.tmp, name + ".img")
        shutil.copy(self.clean, img)
        e = Efs(img)
        damage(e)
        e.save()
        with open(img, "rb") as f:
            before = f.read()
        rc, out = self.fsck_run(img, "-n", "-f")
        if self.show:
            self.tap.diag("fsck -n -f:\n" + out)
        with open(img, "rb") as f:
            after = f.read()
        self.tap.ok(rc == 4 and re.search(expect, out) is not None,
                    "%s: fsck -n exits 4 and says /%s/" % (name, expect),
                    "exit %s\n%s" % (rc, out))
        self.tap.ok(before == after, "%s: fsck -n wrote nothing" % name)
        rc, out = self.fsck_run(img, fix, "-f")
        if self.show:
            self.tap.diag("fsck %s -f:\n%s" % (fix, out))
        self.tap.ok(rc == fixed_rc, "%s: fsck %s exits %d" % (name, fix,
                                                              fixed_rc),
                    "exit %s\n%s" % (rc, out))
        rc2, out2 = self.fsck_run(img, "-n", "-f")
        self.tap.ok(rc2 == 0, "%s: then fsck -n -f is clean" % name,
                    "exit %s\n%s\n(the repair said:)\n%s" % (rc2, out2, out))
        if check_after is not None:
            check_after(Efs(img))
        return out

    def cases(self):
        e0 = Efs(self.clean)
        f1 = e0.lookup("a/f1")
        f2 = e0.lookup("a/f2")
        dir_a = e0.lookup("a")
        dir_c = e0.lookup("a/b/c")
        dir_d = e0.lookup("d")
        g = e0.lookup("d/e/g")
        big = e0.lookup("a/b/big")
        last = e0.sb["block_count"] - 1
        t = self.tap

        def sb_crc(e):
            e.img[48] ^= 0x5A            # the label; crc left as it was
        self.case("superblock", sb_crc,
                  r"superblock \(block 0\): .*checksum.*backup at block %d"
                  % last,
                  check_after=lambda e: t.ok(
                      e.block(0)[:512] == e.block(last)[:512],
                      "superblock: block 0 restored from the backup"))

        def sb_backup(e):
            e.img[last * BLOCK + 48] ^= 0x5A
        self.case("backup-superblock", sb_backup,
                  r"backup superblock \(block %d\)" % last, fix="-p")

        def gd_crc(e):
            blk, off = e.gd_off(0)
            e.img[off + 50] ^= 1          # bg_reserved
        self.case("descriptor", gd_crc,
                  r"group 0: descriptor checksum \(block 1\)")

        data_blk = e0.extents(f2)[0][2]
        gd0 = e0.gd(0)

        gb = e0.sb["group_blocks"]

        def bb_clear(e):
            g, i = divmod(data_blk, gb)
            b = e.gd(g)["block_bitmap"] * BLOCK
            e.img[b + i // 8] &= ~(1 << (i % 8)) & 0xFF
            e.fix_bitmap_crc(g, "b")
        self.case("bitmap-used-free", bb_clear,
                  r"group %d: block %d in use but free in the block bitmap"
                  % (data_blk // gb, data_blk), fix="-p")

        free_blk = e0.sb["block_count"] - 10

        def bb_set(e):
            g, i = divmod(free_blk, gb)
            b = e.gd(g)["block_bitmap"] * BLOCK
            e.img[b + i // 8] |= 1 << (i % 8)
            e.fix_bitmap_crc(g, "b")
        self.case("bitmap-free-used", bb_set,
                  r"group %d: block %d marked in use in the bitmap but unused"
                  % (free_blk // gb, free_blk), fix="-p")

        def nlink(e):
            e.set_inode(f1, nlink=5)
        self.case("link-count", nlink,
                  r"inode %d \(a regular file\): link count 5, but 2 found"
                  % f1, fix="-p")

        free_ino = gd0["free_inodes"] and e0.sb["inode_count"] - 3

        def to_free(e):
            for n, _, _, pb, off in e.entries(dir_a):
                if n == "f2":
                    e.put(pb * BLOCK + off + 8, "Q", free_ino)
                    e.fix_bucket(pb)
        self.case("entry-free-inode", to_free,
                  r"directory %d: entry 'f2' names free inode %d: removing"
                  % (dir_a, free_ino))

        def ext_out(e):
            _, _, _, where = e.extents(big)[0]
            e.put(where + 8, "Q", e.sb["block_count"] + 100)
            e.fix_inode(big)
        self.case("extent-outside", ext_out,
                  r"inode %d: extent tree root entry 0 .* outside the "
                  r"filesystem" % big)

        def loop(e):
            # c's entry for nothing: make a name in c for its ancestor a.
            for n, _, _, pb, off in e.entries(e.lookup("many")):
                if n == "file000":
                    e.put(pb * BLOCK + off + 8, "Q", dir_a)
                    e.put(pb * BLOCK + off + 16, "B", DT_DIR)
                    e.fix_bucket(pb)
        self.case("directory-twice", loop,
                  r"entry 'file000' names directory %d, which already has "
                  r"a name" % dir_a)

        def unreachable(e):
            e.remove_entry(1, "d")
        self.case("unreachable", unreachable,
                  r"directory %d is not reachable from the root: naming it "
                  r"/lost\+found/#%d" % (dir_d, dir_d),
                  check_after=lambda e: t.ok(
                      e.lookup("lost+found/#%d/e/g" % dir_d) == g,
                      "unreachable: /lost+found/#%d/e/g is there" % dir_d))

        def orphan(e):
            e.remove_entry(e.lookup("d/e"), "g")
            e.set_inode(g, nlink=0)
            e.put(200, "Q", g)
            e.fix_sb()
        self.case("orphan", orphan,
                  r"inode %d: an orphan .*: freeing it" % g, fix="-p")

        home = e0.ino_off(f1) // BLOCK

        def torn(e):
            copy = bytearray(e.block(home))
            copy[e.ino_off(f1) % BLOCK] ^= 0x7   # a mode change
            e.journal_tx({home: copy}, seq=7, torn=True)
        self.case("journal-torn", torn, r"journal: needs replay",
                  check_after=lambda e: t.ok(
                      e.inode(f1)["mode"] == e0.inode(f1)["mode"],
                      "journal-torn: the torn transaction was not replayed"))

        def good(e):
            copy = bytearray(e.block(home))
            off = e.ino_off(f1) % BLOCK
            struct.pack_into("<H", copy, off, 0o100600)
            seed = e.sb["csum_seed"] ^ f1
            struct.pack_into("<I", copy, off + 252,
                             csum(seed, copy[off:off + INODE], 252))
            e.journal_tx({home: copy}, seq=3)
        self.case("journal-replay", good, r"journal: needs replay",
                  fix="-p",
                  check_after=lambda e: t.ok(
                      e.inode(f1)["mode"] == 0o100600,
                      "journal-replay: the transaction was replayed"))

        def bad_crc_inode(e):
            e.img[e.ino_off(f2) + 40] ^= 1      # atime; crc not fixed
        self.case("inode-checksum", bad_crc_inode,
                  r"inode %d: checksum mismatch" % f2)

        def bucket_crc(e):
            for n, _, _, pb, off in e.entries(dir_a):
                if n == "short":
                    e.img[pb * BLOCK + off + 18] = ord("S")
        self.case("bucket-checksum", bucket_crc,
                  r"directory %d: bucket .*checksum.*rebuilding" % dir_a)

        # A table entry of "many" (300 names, split buckets) changed to
        # name another bucket that exists: only the table block's
        # checksum tells; the rebuild keeps every name.
        many = e0.lookup("many")
        tbl = e0.table(many)
        many_names = sorted(n for n, _, _, _, _ in e0.entries(many))
        other = [i for i, b in enumerate(tbl) if b != tbl[0]]

        def table_crc(e):
            e.put(e.bmap(many, 1) * BLOCK, "I", tbl[other[0]])
        t.ok(len(tbl) > 1 and other and len(many_names) == 300,
             "table-checksum: 'many' has %d table entries, %d buckets"
             % (len(tbl), len(set(tbl))))
        self.case("table-checksum", table_crc,
                  r"directory %d: table block 1 \(block %d\): checksum "
                  r"[0-9a-f]{8}, computed [0-9a-f]{8}: rebuilding"
                  % (many, e0.bmap(many, 1)),
                  check_after=lambda e: t.ok(
                      sorted(n for n, _, _, _, _ in e.entries(many)) ==
                      many_names and e.table(many) != [] and
                      e.block(e.bmap(many, 1))[BLOCK - 4:] ==
                      struct.pack("<I", csum(e.seed(e.bmap(many, 1)),
                                             e.block(e.bmap(many, 1)),
                                             BLOCK - 4)),
                      "table-checksum: the rebuilt folder has its 300 "
                      "names and a table block that verifies"))

        sparse = e0.lookup("a/sparse")
        node = e0.nodes(sparse)[0]

        def node_crc(e):
            e.img[node * BLOCK + 40] ^= 0x10   # an extent's length
        self.case("extent-node", node_crc,
                  r"inode %d: extent tree root index 0 \(logical 0, node "
                  r"%d\): checksum mismatch" % (sparse, node))

        def dup(e):
            # big's first extent moved onto f2's blocks: claimed twice.
            _, _, _, where = e.extents(big)[0]
            e.put(where + 8, "Q", e.extents(f2)[0][2])
            e.fix_inode(big)
        self.case("block-twice", dup,
                  r"inode %d: 4 of its blocks are claimed by another "
                  r"inode too \(the first: block %d\): giving it copies"
                  % (f2, e0.extents(f2)[0][2]),
                  check_after=lambda e: t.ok(
                      e.block(e.extents(f2)[0][2]) ==
                      e0.block(e0.extents(f2)[0][2]),
                      "block-twice: the file has its data in its copy"))

        def root_crc(e):
            e.img[e.ino_off(1) + 40] ^= 1
        self.case("root", root_crc,
                  r"root directory \(inode 1\): damaged or free: making a "
                  r"new one",
                  check_after=lambda e: t.ok(
                      e.lookup("lost+found/#%d/f1" % dir_a) == f1,
                      "root: the old tree is in /lost+found"))

        # -p stops at what needs a decision.
        img = os.path.join(self.tmp, "preen.img")
        shutil.copy(self.clean, img)
        e = Efs(img)
        to_free(e)
        e.save()
        rc, out = self.fsck_run(img, "-p", "-f")
        t.ok(rc == 4 and "UNEXPECTED INCONSISTENCY" in out,
             "-p on an entry naming a free inode: exit 4, run manually",
             "exit %s\n%s" % (rc, out))
        rc, out = self.fsck_run(img, "-n")
        t.ok(rc == 0 and "clean" in out,
             "without -f, a filesystem marked clean is not checked",
             "exit %s\n%s" % (rc, out))
        # -o: a filesystem at 1 MiB into a disk image, damaged there.
        disk = os.path.join(self.tmp, "disk.img")
        e = Efs(self.clean)
        e.set_inode(f1, nlink=9)
        with open(disk, "wb") as f:
            f.write(bytes(1 << 20) + e.img + bytes(1 << 20))
        rc, out = self.fsck_run(disk, "-n", "-f", "-o", "1M")
        t.ok(rc == 4 and "inode %d (a regular file): link count 9" % f1
             in out, "-o 1M: the damage inside the partition is found",
             "exit %s\n%s" % (rc, out))
        rc, out = self.fsck_run(disk, "-p", "-f", "-o", "2048s")
        rc2, out2 = self.fsck_run(disk, "-n", "-f", "-o", "1M")
        t.ok(rc == 1 and rc2 == 0, "-o 2048s: -p repairs it, -n is then "
             "clean", "exit %s, %s\n%s\n%s" % (rc, rc2, out, out2))
        rc, out = run([self.fsck, "-x", img])
        t.ok(rc == 16, "a bad option: exit 16", "exit %s" % rc)
        rc, out = run([self.fsck, "-n", os.path.join(self.tmp, "nope")])
        t.ok(rc == 8, "a missing image: exit 8", "exit %s" % rc)

    def meta_positions(self, e):
        """Byte offsets a flip must be detected at: the superblocks, the
        descriptor table, bitmaps, inode table blocks in use (but free
        slots' i_generation), directory blocks, extent nodes, the
        journal superblock."""
        sb = e.sb
        spans = [(0, BLOCK), ((sb["block_count"] - 1) * BLOCK, BLOCK),
                 (sb["gdt_start"] * BLOCK, sb["gdt_blocks"] * BLOCK),
                 (sb["journal_start"] * BLOCK, 64)]
        gi = sb["group_inodes"]
        skip = set()
        for g in range(sb["group_count"]):
            gd = e.gd(g)
            spans.append((gd["block_bitmap"] * BLOCK, BLOCK))
            spans.append((gd["inode_bitmap"] * BLOCK, BLOCK))
            ib = gd["inode_bitmap"] * BLOCK
            used_blocks = set()
            for i in range(gi):
                ino = g * gi + i + 1
                off = e.ino_off(ino)
                if e.img[ib + i // 8] >> (i % 8) & 1:
                    used_blocks.add(off // BLOCK)
                else:
                    skip.update(range(off + 20, off + 24))
            for b in sorted(used_blocks):
                spans.append((b * BLOCK, BLOCK))
            for i in range(gi):
                ino = g * gi + i + 1
                if not e.img[ib + i // 8] >> (i % 8) & 1:
                    continue
                ino_d = e.inode(ino)
                for nb in e.nodes(ino):
                    spans.append((nb * BLOCK, BLOCK))
                if ino_d["mode"] & 0o170000 != 0o040000:
                    continue
                for lb, ln, pb, _ in e.extents(ino):
                    spans.append((pb * BLOCK, ln * BLOCK))
        return spans, skip

    def repair(self, img, seed, what, codes, bad, unrepaired):
        """fsck -y -f on a damaged image: an exit code not in codes
        goes to bad; exit 1 (all repaired) must leave fsck -n -f clean,
        or the case goes to unrepaired."""
        rc, out = self.fsck_run(img, "-y", "-f")
        if rc not in codes:
            bad.append((seed, what, rc, out))
        elif rc == 1:
            rc2, out2 = self.fsck_run(img, "-n", "-f")
            if rc2 != 0:
                unrepaired.append((seed, what, rc2,
                                   out2 + "\n(-y said:)\n" + out))

    def hostile(self, n, seed0):
        """n images with one field changed and its checksum made right."""
        t = self.tap
        e = Efs(self.clean)
        targets = [("super", 0, 0)]
        targets += [("group", g, e.gd_off(g)[1])
                    for g in range(e.sb["group_count"])]
        gi = e.sb["group_inodes"]
        for g in range(e.sb["group_count"]):
            ib = e.gd(g)["inode_bitmap"] * BLOCK
            for i in range(gi):
                if not e.img[ib + i // 8] >> (i % 8) & 1:
                    continue
                ino = g * gi + i + 1
                targets.append(("inode", ino, e.ino_off(ino)))
                targets += [("node", nb, 0) for nb in e.nodes(ino)]
                if e.inode(ino)["mode"] & 0o170000 != 0o040000:
                    continue
                targets.append(("dirhdr", e.bmap(ino, 0), 0))
                targets.append(("table", e.bmap(ino, 1), 0))
                for name, _, _, pb, _ in e.entries(ino):
                    if ("bucket", pb, 0) not in targets:
                        targets.append(("bucket", pb, 0))
        img = os.path.join(self.tmp, "hostile.img")
        bad, unrepaired = [], []
        base = e
        for k in range(n):
            seed = seed0 + k
            rnd = random.Random(seed)
            e = base.copy()
            kinds = [hostile_edit(e, rnd, targets)
                     for _ in range(rnd.randint(1, 3))]
            with open(img, "wb") as f:
                f.write(e.img)
            rc, out = self.fsck_run(img, "-n", "-f")
            if rc not in (0, 4, 8):
                bad.append((seed, kinds, rc, out))
                continue
            self.repair(img, seed, kinds, (0, 1, 4, 8), bad, unrepaired)
        t.diag("hostile fields: %d images, seeds %d..%d"
               % (n, seed0, seed0 + n - 1))
        t.ok(not bad, "hostile fields: no crash, hang or bad exit code "
             "(%d bad)" % len(bad), show_cases(bad, "(%s)"))
        t.ok(not unrepaired, "hostile fields: -y then -n -f is clean when "
             "-y exits 1 (%d not)" % len(unrepaired),
             show_cases(unrepaired, "(%s)"))

    def flips(self, n, seed0):
        t = self.tap
        e = Efs(self.clean)
        spans, skip = self.meta_positions(e)
        total = sum(s[1] for s in spans)
        img = os.path.join(self.tmp, "flip.img")
        missed, crashed, unrepaired = [], [], []
        base = e
        for k in range(n):
            seed = seed0 + k
            rnd = random.Random(seed)
            e = base.copy()
            nflip = rnd.randint(1, 4)
            where = []
            for _ in range(nflip):
                while True:
                    x = rnd.randrange(total)
                    for s, ln in spans:
                        if x < ln:
                            pos = s + x
                            break
                        x -= ln
                    if pos not in skip and pos not in where:
                        break
                e.img[pos] ^= 1 << rnd.randrange(8)
                where.append(pos)
            with open(img, "wb") as f:
                f.write(e.img)
            rc, out = self.fsck_run(img, "-n", "-f")
            if rc == 0:
                missed.append((seed, where, rc, out))
                continue
            if rc not in (4, 8):
                crashed.append((seed, where, rc, out))
                continue
            self.repair(img, seed, where, (1, 4, 8), crashed, unrepaired)
        t.diag("random flips: %d images, seeds %d..%d, %d metadata bytes"
               % (n, seed0, seed0 + n - 1, total))
        t.ok(not crashed, "random flips: no crash, hang or bad exit code "
             "(%d bad)" % len(crashed), show_cases(crashed, "at %s"))
        t.ok(not missed, "random flips: every damaged image is reported "
             "(%d missed)" % len(missed), show_cases(missed, "at %s"))
        t.ok(not unrepaired, "random flips: -y then -n -f is clean when -y "
             "exits 1 (%d not)" % len(unrepaired),
             show_cases(unrepaired, "at %s"))


def show_cases(cases, how):
    """The first five failed cases (seed, what, exit, output) for TAP:
    how formats what ("(%s)", "at %s")."""
    return "\n".join(("seed %d " + how + ": exit %s\n%s") % (s, w, r,
                                                             o[-1500:])
                      for s, w, r, o in cases[:5])


def hostile_edit(e, rnd, targets):
    """Change one random byte of a random structure and set its checksum
    right again: a hostile image, not a damaged one."""
    kind, where, off = rnd.choice(targets)
    if kind == "inode":
        e.img[off + rnd.randrange(252)] = rnd.randrange(256)
        seed = e.sb["csum_seed"] ^ (where & 0xFFFFFFFF)
        e.put(off + 252, "I", csum(seed, e.img[off:off + INODE], 252))
    elif kind == "dirhdr":
        base = where * BLOCK
        e.img[base + rnd.randrange(60)] = rnd.randrange(256)
        e.put(base + 60, "I", csum(e.seed(where), e.img[base:base + 64], 60))
    elif kind == "bucket":
        base = where * BLOCK
        used = struct.unpack_from("<I", e.img, base + 8)[0]
        pos = rnd.choice([p for p in range(min(24 + used, BLOCK))
                          if not 12 <= p < 16])
        e.img[base + pos] = rnd.randrange(256)
        e.fix_bucket(where)
    elif kind == "group":
        e.img[off + rnd.randrange(60)] = rnd.randrange(256)
        blk = off // BLOCK
        e.put(off + 60, "I", csum(e.seed(blk), e.img[off:off + 64], 60))
    elif kind == "super":
        e.img[rnd.randrange(508)] = rnd.randrange(256)
        e.fix_sb()
    elif kind == "node":
        base = where * BLOCK
        entries = struct.unpack_from("<H", e.img, base + 2)[0]
        pos = rnd.choice([p for p in range(16 + 16 * entries)
                          if not 12 <= p < 16])
        e.img[base + pos] = rnd.randrange(256)
        e.fix_node(where)
    elif kind == "table":
        base = where * BLOCK
        e.img[base + rnd.randrange(64)] = rnd.randrange(256)
        e.fix_table(where)
    return kind


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--tmp")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--show", action="store_true",
                    help="print fsck's reports as TAP comments")
    ap.add_argument("--flips", type=int, default=500)
    ap.add_argument("--hostile", type=int, default=200)
    ap.add_argument("--size", default="16M",
                    help="the test image's size (16M: one group)")
    ap.add_argument("--seed", type=int, default=1000)
    args = ap.parse_args()
    tap = Tap()
    own = args.tmp is None
    if own:
        args.tmp = tempfile.mkdtemp(prefix="test_fsck.")
    else:
        os.makedirs(args.tmp, exist_ok=True)
    try:
        r = Runner(args, tap)
        if r.make_clean():
            r.cases()
            if args.flips > 0:
                r.flips(args.flips, args.seed)
            if args.hostile > 0:
                r.hostile(args.hostile, args.seed)
    finally:
        if own and not args.keep:
            shutil.rmtree(args.tmp, ignore_errors=True)
        elif args.keep:
            tap.diag("images kept in " + args.tmp)
    print("1..%d" % tap.n)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
