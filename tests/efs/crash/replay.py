#!/usr/bin/env python3
"""Replay a blklogwrites write log at cut points that model a lost disk
write cache, and check each resulting image (tests/efs/crash/README.md).

The log is QEMU's blklogwrites format, which is Linux's dm-log-writes
format (QEMU block/blklogwrites.c; every number little-endian):

    sector 0        struct log_write_super: magic u64 (0x6a736677736872),
                    version u64 (1), nr_entries u64, sectorsize u32
    then entries    one sector each: struct log_write_entry: sector u64,
                    nr_sectors u64, flags u64, data_len u64 (0 here),
                    then nr_sectors sectors of data (none for a discard)

sectors of `sectorsize` bytes (512 unless log-sector-size said else);
entry sector and nr_sectors count in the same unit.  Flags: 1 FLUSH,
2 FUA, 4 DISCARD, 8 MARK.  QEMU appends an entry when the request has
reached the image file (a write's data, a flush's fdatasync), in that
order, so the log is the order in which the disk completed requests.
nr_entries in the superblock is only brought up to date at a flush: the
entries after the last flush are found by reading on while the headers
are sound and their data is in the file.

A cut point (k, c, mode) is the state of a disk with a volatile write
cache when the power goes: every write before the k-th flush is on the
platter, and of the writes after it (up to entry c, before the next
flush) any subset may be, in any order:

    prefix   all of them, in log order (a plain prefix of the log)
    drop     a random subset of the writes, in log order
    reorder  a random subset of their 4 KiB pieces, in random order (the
             cache writes back block by block, in any order; a later
             version of a block may land while an earlier one is lost)

A FUA write is on the platter when it completes: it is always applied.

What must hold at a cut (checked by `check`): fsck.eclipsefs -p replays
the journal (and orphans) and needs no other repair, then -n -f says
clean; and every fsync record holds: a file whose fsync returned when the
log held K flushes, and that the workload did not touch again before the
log held L entries, has its content when k >= K and every applied entry
is before L.  At the cut that applies the whole log, the files are
exactly the workload's final list.

Usage (by hand, to replay a failure the test printed):
    replay.py --run DIR --cut K:C:MODE:SEED [--keep IMG]
    replay.py --run DIR --cuts N --seed S
    replay.py --log LOG --dump
where DIR is a run folder the test left (pristine.img, writes.log,
records.json) and --bin the folder of fsck.eclipsefs and efsextract.
"""

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile

MAGIC = 0x6a736677736872
VERSION = 1
F_FLUSH, F_FUA, F_DISCARD, F_MARK = 1, 2, 4, 8
F_KNOWN = F_FLUSH | F_FUA | F_DISCARD | F_MARK
SUPER = struct.Struct("<QQQI")
ENTRY = struct.Struct("<QQQQ")
PIECE = 4096
MODES = ("prefix", "drop", "reorder")
# The log-sector-size the test gives QEMU; the superblock says it, once
# the first flush has written one.
DEFAULT_SS = 512


class LogError(Exception):
    pass


class Entry:
    __slots__ = ("index", "sector", "nsect", "flags", "data_off")

    def __init__(self, index, sector, nsect, flags, data_off):
        self.index = index
        self.sector = sector
        self.nsect = nsect
        self.flags = flags
        self.data_off = data_off

    def kind(self):
        if self.flags & F_FLUSH:
            return "flush"
        if self.flags & F_DISCARD:
            return "discard"
        if self.flags & F_MARK:
            return "mark"
        return "fua" if self.flags & F_FUA else "write"


class WriteLog:
    """A parsed log: .entries, .flushes (indexes of flush entries),
    .sectorsize, .nr_super (the superblock's count)."""

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            self.data = f.read()
        self.entries = []
        self.flushes = []
        self._parse()

    def _parse(self):
        d = self.data
        if len(d) < SUPER.size:
            raise LogError("%s: %d bytes, no superblock" % (self.path,
                                                            len(d)))
        magic, version, nr, ss = SUPER.unpack_from(d, 0)
        if magic == 0 and version == 0:
            # Written at the first flush only: none yet.
            magic, version, nr, ss = MAGIC, VERSION, 0, DEFAULT_SS
        if magic != MAGIC or version != VERSION:
            raise LogError("%s: not a blklogwrites log (magic %#x, "
                           "version %d)" % (self.path, magic, version))
        if ss < 512 or ss & (ss - 1) or ss > 1 << 20:
            raise LogError("%s: sector size %d" % (self.path, ss))
        self.sectorsize = ss
        self.nr_super = nr
        off = ss
        while True:
            e = parse_entry(d, off, ss, len(self.entries))
            if e is None:
                break
            if e.flags & F_FLUSH:
                self.flushes.append(e.index)
            self.entries.append(e)
            off = e.data_off + (0 if e.flags & F_DISCARD else
                                e.nsect * ss)
        if len(self.entries) < nr:
            raise LogError("%s: the superblock counts %d entries, %d "
                           "found" % (self.path, nr, len(self.entries)))
        self.end = off

    def data_of(self, e):
        n = e.nsect * self.sectorsize
        return self.data[e.data_off:e.data_off + n]

    def flushes_before(self, n):
        """How many flush entries are among the first n entries."""
        return sum(1 for i in self.flushes if i < n)

    def summary(self):
        kinds = {}
        for e in self.entries:
            kinds[e.kind()] = kinds.get(e.kind(), 0) + 1
        return "%d entries (%s), %d bytes" % (
            len(self.entries), ", ".join("%d %s" % (v, k) for k, v in
                                         sorted(kinds.items())),
            self.end)


def parse_entry(d, off, ss, index):
    """The entry at byte off of log data d, or None where the log ends
    (the file's end, a header that is not sound, data not all there)."""
    if off + ENTRY.size > len(d):
        return None
    sector, nsect, flags, _ = ENTRY.unpack_from(d, off)
    if flags & ~F_KNOWN:
        return None
    if flags == 0 and nsect == 0:
        return None                 # zeros: not written (yet)
    if not flags & (F_FLUSH | F_MARK) and nsect == 0:
        return None
    if nsect > (1 << 32) or sector > (1 << 48):
        return None
    data_off = off + ss
    if not flags & F_DISCARD and data_off + nsect * ss > len(d):
        return None
    return Entry(index, sector, nsect, flags, data_off)


class LogTail:
    """Counts a log's entries and flushes while QEMU is still writing it:
    poll() reads on from where it stopped."""

    def __init__(self, path):
        self.path = path
        self.off = None
        self.ss = None
        self.entries = 0
        self.flushes = 0

    def poll(self):
        """Read the complete entries QEMU has added; returns True when the
        file ends exactly after the last one (nothing half-written)."""
        try:
            with open(self.path, "rb") as f:
                if self.ss is None:
                    d = f.read(SUPER.size)
                    if len(d) < SUPER.size:
                        return len(d) == 0
                    magic, version, _, ss = SUPER.unpack_from(d, 0)
                    if magic == 0 and version == 0:
                        ss = DEFAULT_SS         # no flush yet
                    elif magic != MAGIC:
                        return False
                    self.ss = ss
                    self.off = ss
                f.seek(self.off)
                d = f.read()
        except OSError:
            return False
        pos = 0
        while True:
            e = parse_entry(d, pos, self.ss, self.entries)
            if e is None:
                break
            self.entries += 1
            if e.flags & F_FLUSH:
                self.flushes += 1
            pos = e.data_off + (0 if e.flags & F_DISCARD else
                                e.nsect * self.ss)
        self.off += pos
        return pos >= len(d)


# ---------------------------------------------------------------------------
# Records: what the workload said (built by the test from its output).

def load_records(path):
    with open(path) as f:
        return json.load(f)


def fsync_checks(records):
    """[(path, sha256, K, L)]: each fsync line with the flush count K the
    log had then and the entry count L at the next touch of its path
    (None: never touched again)."""
    out = []
    live = {}
    for r in records["events"]:
        if r["kind"] == "fsynced":
            live.setdefault(r["path"], []).append(
                (r["path"], r["sha256"], r["flushes"]))
        elif r["kind"] == "touch":
            out += [v + (r["entries"],) for v in live.pop(r["path"], [])]
    out += [v + (None,) for vs in live.values() for v in vs]
    return out


# ---------------------------------------------------------------------------
# Cuts.

class Cut:
    """One cut point: k flushes durable, the log considered up to entry c
    (exclusive), the window's fate by mode and seed."""

    def __init__(self, k, c, mode, seed):
        self.k, self.c, self.mode, self.seed = k, c, mode, seed

    def spec(self):
        return "%d:%d:%s:%d" % (self.k, self.c, self.mode, self.seed)

    @staticmethod
    def parse(text):
        k, c, mode, seed = text.split(":")
        if mode not in MODES:
            raise ValueError("mode %r" % mode)
        return Cut(int(k), int(c), mode, int(seed))


def window(log, k):
    """(first, last): the entries after the k-th flush, up to and
    including the next flush (or the log's end)."""
    first = log.flushes[k - 1] + 1 if k > 0 else 0
    last = log.flushes[k] if k < len(log.flushes) else len(log.entries)
    return first, last


def random_cuts(log, n, seed, whole=True):
    """n cuts chosen with seed; the first is the whole log when whole."""
    rng = random.Random(seed)
    cuts = []
    if whole:
        cuts.append(Cut(len(log.flushes), len(log.entries), "prefix", 0))
    while len(cuts) < n:
        k = rng.randint(0, len(log.flushes))
        first, last = window(log, k)
        c = rng.randint(first, last)
        cuts.append(Cut(k, c, rng.choice(MODES), rng.randrange(1 << 30)))
    return cuts


def apply_entry(f, log, e, lo=None, hi=None):
    """Write entry e (or its bytes [lo, hi) of the disk) to the open
    image f."""
    ss = log.sectorsize
    start = e.sector * ss
    end = start + e.nsect * ss
    if lo is None:
        lo, hi = start, end
    if e.flags & F_DISCARD:
        data = bytes(hi - lo)
    else:
        data = log.data[e.data_off + lo - start:e.data_off + hi - start]
    f.seek(lo)
    f.write(data)


def pieces(log, e):
    """Entry e cut at 4 KiB boundaries of the disk: [(lo, hi)]."""
    ss = log.sectorsize
    start = e.sector * ss
    end = start + e.nsect * ss
    out = []
    while start < end:
        nxt = min(end, (start // PIECE + 1) * PIECE)
        out.append((start, nxt))
        start = nxt
    return out


def apply_window(f, log, cut):
    """Apply cut's window to image f; returns the highest entry index
    applied (-1: none) and a description."""
    first, last = window(log, cut.k)
    c = max(first, min(cut.c, last))
    rng = random.Random(cut.seed)
    ents = [e for e in log.entries[first:c]
            if not e.flags & (F_FLUSH | F_MARK)]
    high = first - 1 if cut.k > 0 else -1
    if cut.mode == "prefix":
        chosen = [(e, None, None) for e in ents]
    elif cut.mode == "drop":
        chosen = [(e, None, None) for e in ents
                  if e.flags & F_FUA or rng.random() < 0.5]
    else:
        units = [(e, lo, hi) for e in ents for lo, hi in pieces(log, e)]
        keep = [u for u in units if u[0].flags & F_FUA or
                rng.random() < 0.5]
        rng.shuffle(keep)
        # A FUA write is durable when it completes: nothing older
        # overwrites it, so it goes after the others it overlaps.
        keep.sort(key=lambda u: 1 if u[0].flags & F_FUA else 0)
        chosen = keep
    for e, lo, hi in chosen:
        apply_entry(f, log, e, lo, hi)
        high = max(high, e.index)
    return high, "%d of %d writes%s after flush %d" % (
        len(set(u[0].index for u in chosen)), len(ents),
        " (%d pieces)" % len(chosen) if cut.mode == "reorder" else "",
        cut.k)


def replay_differs(log, pristine, disk, workdir):
    """Apply the whole log, in order, to a copy of pristine and compare
    with disk (what QEMU wrote through to its image): the 4 KiB blocks
    that differ.  The check that the log is read right."""
    img = os.path.join(workdir, "whole.img")
    shutil.copyfile(pristine, img)
    with open(img, "r+b") as f:
        for e in log.entries:
            if not e.flags & (F_FLUSH | F_MARK):
                apply_entry(f, log, e)
    bad = []
    with open(img, "rb") as a, open(disk, "rb") as b:
        blk = 0
        while True:
            x, y = a.read(1 << 20), b.read(1 << 20)
            if not x and not y:
                break
            if x != y:
                for i in range(0, max(len(x), len(y)), PIECE):
                    if x[i:i + PIECE] != y[i:i + PIECE]:
                        bad.append(blk + i // PIECE)
            blk += (1 << 20) // PIECE
    os.unlink(img)
    return bad


class Replayer:
    """Builds cut images from a pristine image and a log, incrementally:
    a base image is advanced flush by flush (cuts in increasing k)."""

    def __init__(self, log, pristine, workdir):
        self.log = log
        self.pristine = pristine
        self.workdir = workdir
        self.base = os.path.join(workdir, "base.img")
        shutil.copyfile(pristine, self.base)
        self.base_k = 0

    def _advance(self, k):
        if k < self.base_k:
            shutil.copyfile(self.pristine, self.base)
            self.base_k = 0
        if k == self.base_k:
            return
        lo = window(self.log, self.base_k)[0]
        hi = self.log.flushes[k - 1] + 1
        with open(self.base, "r+b") as f:
            for e in self.log.entries[lo:hi]:
                if not e.flags & (F_FLUSH | F_MARK):
                    apply_entry(f, self.log, e)
        self.base_k = k

    def build(self, cut, out):
        """Write cut's image to out; returns (highest entry applied,
        description)."""
        self._advance(cut.k)
        shutil.copyfile(self.base, out)
        with open(out, "r+b") as f:
            return apply_window(f, self.log, cut)


# ---------------------------------------------------------------------------
# Checking a cut's image.

# fsck -p repairs that a crash may legitimately leave for it.
ALLOWED_FIXES = re.compile(r"journal: needs replay|orphan", re.I)


def tool(bins, name):
    """The path of tool name in the first of the folders bins that has
    it."""
    for d in bins:
        if os.path.exists(os.path.join(d, name)):
            return os.path.join(d, name)
    raise LogError("no %s in %s" % (name, " ".join(bins)))


def run(cmd, timeout=300):
    p = subprocess.run(["timeout", str(timeout)] + cmd,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, errors="replace")
    return p.returncode, p.stdout


def check_fs(img, bins, problems, notes):
    """fsck -p (replay, no unexpected repair), then -n -f clean."""
    fsck = tool(bins, "fsck.eclipsefs")
    st, out = run([fsck, "-p", "-f", img])
    if st not in (0, 1):
        problems.append("fsck -p -f exited %d: %s" % (st, tail(out)))
        return False
    for line in out.splitlines():
        if line.endswith(": repaired"):
            if ALLOWED_FIXES.search(line):
                notes.append(line.split(": ", 1)[-1])
            else:
                problems.append("fsck -p repaired: " +
                                line.split(": ", 1)[-1])
    st, out = run([fsck, "-n", "-f", img])
    if st != 0:
        problems.append("fsck -n -f after -p exited %d: %s" % (
            st, tail(out)))
        return False
    return True


def tail(text, n=600):
    text = text.strip()
    return text if len(text) <= n else "..." + text[-n:]


def extract(img, bins, outdir, problems):
    """{path: sha256} of the regular files of img (efsextract)."""
    shutil.rmtree(outdir, ignore_errors=True)
    st, out = run([tool(bins, "efsextract"), img, outdir])
    if st != 0:
        problems.append("efsextract exited %d: %s" % (st, tail(out)))
        return None
    files = {}
    for line in out.splitlines():
        p = line.split(" ")
        if p[0] == "f" and len(p) >= 3:
            path = p[1].lstrip("/")
            with open(os.path.join(outdir, path), "rb") as f:
                files[path] = hashlib.sha256(f.read()).hexdigest()
    return files


def raw_region(img, path):
    """sha256 of a raw-mode region "@OFF+LEN" of img."""
    m = re.match(r"@(\d+)\+(\d+)$", path)
    with open(img, "rb") as f:
        f.seek(int(m.group(1)))
        return hashlib.sha256(f.read(int(m.group(2)))).hexdigest()


def check_cut(log, records, replayer, cut, bins, workdir, keep=None):
    """Build and check one cut: (problems, notes, checked, description).
    checked counts the fsync records that applied."""
    img = keep or os.path.join(workdir, "cut.img")
    high, desc = replayer.build(cut, img)
    problems, notes = [], []
    raw = records.get("mode") == "raw"
    files = None
    prefix = records.get("prefix", "")
    if not raw:
        if not check_fs(img, bins, problems, notes):
            return problems, notes, 0, desc
        files = extract(img, bins, os.path.join(workdir, "x"), problems)
        if files is None:
            return problems, notes, 0, desc
    checked = 0
    for path, sha, kf, lt in fsync_checks(records):
        if kf > cut.k or (lt is not None and high >= lt):
            continue
        checked += 1
        got = raw_region(img, path) if raw else files.get(prefix + path)
        if got != sha:
            problems.append("%s: fsync returned (flush %d) but it is %s" % (
                path, kf, "missing" if got is None else
                "different (sha256 %s, want %s)" % (got[:16], sha[:16])))
    if (cut.k == len(log.flushes) and cut.c >= len(log.entries) and
            cut.mode == "prefix" and records.get("final") is not None and
            not raw):
        # The whole log, after the workload's last sync: exactly its
        # files, no more.
        checked += 1
        want = records["final"]
        have = {p[len(prefix):]: s for p, s in files.items()
                if p.startswith(prefix + "w/")}
        for p in sorted(set(want) | set(have)):
            if want.get(p) != have.get(p):
                problems.append("whole log: %s is %s, want %s" % (
                    p, (have.get(p) or "missing")[:16],
                    (want.get(p) or "absent")[:16]))
    return problems, notes, checked, desc


def scratch_dir():
    """A private folder for cut images: in /dev/shm (memory) when there
    is one, as every cut copies a whole image."""
    shm = "/dev/shm" if os.path.isdir("/dev/shm") and os.access(
        "/dev/shm", os.W_OK) else None
    return tempfile.mkdtemp(prefix="efs-crash-", dir=shm)


def run_cuts(rundir, bins, cuts, say=print, workdir=None):
    """Check cuts against the run in rundir; returns (passed, failed,
    failures [(cut spec, problems)])."""
    log = WriteLog(os.path.join(rundir, "writes.log"))
    records = load_records(os.path.join(rundir, "records.json"))
    tmp = workdir or scratch_dir()
    rep = Replayer(log, os.path.join(rundir, "pristine.img"), tmp)
    npass = nfail = 0
    failures = []
    try:
        for cut in sorted(cuts, key=lambda c: (c.k, c.c)):
            problems, notes, checked, desc = check_cut(
                log, records, rep, cut, bins, tmp)
            tag = "ok" if not problems else "FAIL"
            say("cut %s: %s: %s; %d fsync record(s) checked%s" % (
                cut.spec(), tag, desc, checked,
                "; fsck -p: " + ", ".join(sorted(set(notes)))
                if notes else ""))
            for p in problems:
                say("    " + p)
            if problems:
                nfail += 1
                failures.append((cut.spec(), problems))
            else:
                npass += 1
    finally:
        if workdir is None:
            shutil.rmtree(tmp, ignore_errors=True)
    return npass, nfail, failures


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--run", help="a run folder (pristine.img, "
                    "writes.log, records.json)")
    ap.add_argument("--bin", action="append", default=[],
                    help="a folder holding fsck.eclipsefs or efsextract "
                    "(repeat: BUILD/host and BUILD/crash)")
    ap.add_argument("--log", help="a log to --dump")
    ap.add_argument("--dump", action="store_true", help="list the log")
    ap.add_argument("--cut", action="append", default=[],
                    metavar="K:C:MODE:SEED", help="replay this cut")
    ap.add_argument("--cuts", type=int, default=0, help="random cuts")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", help="leave the (one) cut image here")
    a = ap.parse_args()
    if a.dump:
        log = WriteLog(a.log or os.path.join(a.run, "writes.log"))
        print("%s; superblock says %d; %d flushes" % (
            log.summary(), log.nr_super, len(log.flushes)))
        for e in log.entries:
            print("%6d %-7s sector %d +%d" % (e.index, e.kind(), e.sector,
                                              e.nsect))
        return 0
    if not a.run or not a.bin:
        ap.error("--run and --bin are needed")
    log = WriteLog(os.path.join(a.run, "writes.log"))
    cuts = [Cut.parse(c) for c in a.cut]
    if a.cuts:
        cuts += random_cuts(log, a.cuts, a.seed)
    if a.keep and len(cuts) == 1:
        records = load_records(os.path.join(a.run, "records.json"))
        tmp = scratch_dir()
        rep = Replayer(log, os.path.join(a.run, "pristine.img"), tmp)
        problems, _, checked, desc = check_cut(log, records, rep, cuts[0],
                                               a.bin, tmp, keep=a.keep)
        print("cut %s: %s; %d checked; %s" % (
            cuts[0].spec(), desc, checked, "; ".join(problems) or "ok"))
        shutil.rmtree(tmp, ignore_errors=True)
        return 1 if problems else 0
    npass, nfail, _ = run_cuts(a.run, a.bin, cuts)
    print("%d passed, %d failed" % (npass, nfail))
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
