#!/usr/bin/env python3
"""Host self-test of replay.py on logs written here by hand, so that the
power-loss tests are known to catch what they claim to: a log parsed
right (a torn last entry, a log with no superblock yet, a discard), the
cut model (the durable prefix, the window), and the checker failing when
data whose fsync returned is not on the disk.  Prints TAP; exit status 0
when every case passes.

    selftest.py
"""

import hashlib
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import replay  # noqa: E402

SS = 512
BLK = 4096


class LogWriter:
    """A blklogwrites log, as QEMU writes it."""

    def __init__(self):
        self.body = bytearray()
        self.n = 0

    def entry(self, sector, nsect, flags, data=b""):
        hdr = replay.ENTRY.pack(sector, nsect, flags, 0)
        self.body += hdr + bytes(SS - len(hdr)) + data
        self.n += 1

    def write(self, blk, data):
        self.entry(blk * BLK // SS, len(data) // SS, 0, data)

    def flush(self):
        self.entry(0, 0, replay.F_FLUSH)

    def discard(self, blk, nblk):
        self.entry(blk * BLK // SS, nblk * BLK // SS, replay.F_DISCARD)

    def save(self, path, superblock=True, torn=b""):
        sb = replay.SUPER.pack(replay.MAGIC, replay.VERSION, self.n, SS)
        with open(path, "wb") as f:
            f.write((sb + bytes(SS - len(sb))) if superblock
                    else bytes(SS))
            f.write(self.body + torn)


def block(byte):
    return bytes([byte]) * BLK


def sha(data):
    return hashlib.sha256(data).hexdigest()


class Run:
    def __init__(self, tmp, log, events):
        self.dir = tempfile.mkdtemp(dir=tmp)
        with open(os.path.join(self.dir, "pristine.img"), "wb") as f:
            f.truncate(16 * BLK)
        log.save(os.path.join(self.dir, "writes.log"))
        with open(os.path.join(self.dir, "records.json"), "w") as f:
            json.dump({"mode": "raw", "events": events, "final": None}, f)

    def check(self, spec):
        log = replay.WriteLog(os.path.join(self.dir, "writes.log"))
        recs = replay.load_records(os.path.join(self.dir, "records.json"))
        work = tempfile.mkdtemp(dir=self.dir)
        rep = replay.Replayer(log, os.path.join(self.dir, "pristine.img"),
                              work)
        problems, _, checked, _ = replay.check_cut(
            log, recs, rep, replay.Cut.parse(spec), [], work)
        return problems, checked


def fsynced(path, data, flushes, entries):
    return {"kind": "fsynced", "path": path, "sha256": sha(data),
            "flushes": flushes, "entries": entries}


def main():
    results = []

    def case(name, ok, why=""):
        results.append(ok)
        print("%s %d - %s%s" % ("ok" if ok else "not ok", len(results), name,
                                "" if ok else ": " + why))

    tmp = tempfile.mkdtemp(prefix="efs-crash-selftest-")
    try:
        # 0: A@0  1: flush  2: B@1  3: C@0  4: flush  5: D@2  6: discard@1
        w = LogWriter()
        w.write(0, block(0xa))
        w.flush()
        w.write(1, block(0xb))
        w.write(0, block(0xc))
        w.flush()
        w.write(2, block(0xd) * 2)
        w.discard(1, 1)
        path = os.path.join(tmp, "a.log")
        w.save(path, torn=replay.ENTRY.pack(9, 8, 0, 0) + bytes(600))
        log = replay.WriteLog(path)
        case("parse: 7 entries, the torn one dropped",
             len(log.entries) == 7, log.summary())
        case("parse: flushes at 1 and 4", log.flushes == [1, 4],
             str(log.flushes))
        case("parse: discard has no data, D has 16 sectors",
             log.entries[6].kind() == "discard" and
             log.entries[5].nsect == 16, log.summary())
        w.save(path, superblock=False)
        case("parse: no superblock yet (no flush) reads as 512-byte sectors",
             len(replay.WriteLog(path).entries) == 7)
        tail = replay.LogTail(path)
        settled = tail.poll()
        case("tail: counts as the parser", settled and tail.entries == 7 and
             tail.flushes == 2, "%s %d %d" % (settled, tail.entries,
                                              tail.flushes))
        case("window: after flush 1 is entries 2..4",
             replay.window(log, 1) == (2, 4), str(replay.window(log, 1)))

        # A was fsync'd at flush 1 and touched (C) at entry 3.
        events = [fsynced("@0+4096", block(0xa), 1, 2),
                  {"kind": "touch", "path": "@0+4096", "entries": 3,
                   "flushes": 1}]
        run = Run(tmp, w, events)
        p, n = run.check("1:2:prefix:0")
        case("A holds right after its flush", not p and n == 1, str(p))
        p, n = run.check("1:3:drop:1")
        case("A holds with B maybe lost", not p and n == 1, str(p))
        p, n = run.check("1:4:prefix:0")
        case("A not checked once C may have landed", not p and n == 0,
             str(p))
        p, n = run.check("0:1:prefix:0")
        case("A not checked before its flush", not p and n == 0, str(p))

        # A broken filesystem: says A was fsync'd at flush 1, but A was
        # written after it.
        w2 = LogWriter()
        w2.flush()
        w2.write(0, block(0xa))
        w2.flush()
        run = Run(tmp, w2, [fsynced("@0+4096", block(0xa), 1, 1)])
        p, n = run.check("1:1:prefix:0")
        case("catches data written after the flush its fsync claimed",
             len(p) == 1 and n == 1, str(p))
        caught = sum(1 for s in range(20)
                     if run.check("1:2:drop:%d" % s)[0])
        case("drop mode loses the unflushed write some of the time",
             0 < caught < 20, "%d of 20" % caught)
        p, n = run.check("2:3:prefix:0")
        case("and holds after the next flush", not p and n == 1, str(p))

        # Reorder: two versions of one block in a window; either may win.
        w3 = LogWriter()
        w3.flush()
        w3.write(0, block(1) + block(2))
        w3.write(0, block(3))
        run = Run(tmp, w3, [])
        seen = set()
        for s in range(40):
            log3 = replay.WriteLog(os.path.join(run.dir, "writes.log"))
            rep = replay.Replayer(log3, os.path.join(run.dir,
                                                     "pristine.img"),
                                  tempfile.mkdtemp(dir=run.dir))
            img = os.path.join(run.dir, "r.img")
            rep.build(replay.Cut(1, 3, "reorder", s), img)
            with open(img, "rb") as f:
                seen.add(f.read(2 * BLK))
        want = {a + b for a in (bytes(BLK), block(1), block(3))
                for b in (bytes(BLK), block(2))}
        case("reorder: every block ends as one of its versions",
             seen <= want, "%d states" % len(seen))
        case("reorder: the older version may win over the newer",
             any(s[:BLK] == block(1) for s in seen) and
             any(s[:BLK] == block(3) for s in seen), "%d states" %
             len(seen))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % len(results))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
