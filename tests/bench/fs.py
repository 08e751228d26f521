#!/usr/bin/env python3
"""File throughput on eclipsefs under EclipseOS and on ext4 under Linux, in
the same QEMU (`make fs-bench`; Documentation/performance.md).

Each measurement boots one kernel with a fresh sparse raw image of
IMAGE_MIB MiB, formatted on the host (mkfs.eclipsefs for EclipseOS,
mkfs.ext4 for Linux), as a virtio-blk disk (q35, -drive if=none,
cache=none: QEMU opens it with O_DIRECT, so the host's page cache serves
nothing), -m 512M (less than the file), -smp 1, and in the guest's shell

    mount -t eclipsefs /dev/vda /mnt              (ext4 on Linux)
    dd if=/dev/zero of=/mnt/f bs=1M count=1024 conv=fsync
    sync; echo 3 > /proc/sys/vm/drop_caches
    dd if=/mnt/f of=/dev/null bs=1M
    /bench/bench -d /mnt -o create -o create0
    umount /mnt

BusyBox dd times each copy with the guest's clock (the write's time
includes the fsync); the rate is bytes / seconds in MB/s (10^6 bytes a
second).  /proc/diskstats around the read says how much of the file came
from the disk (cold) and how much from a cache.  bench (tests/bench/
bench.c) gives the create rates: create+write 4KiB+close+unlink and
create+close+unlink, in files/s, each the median of its batches.  The two
kernels alternate (which goes first changes every run), --runs times;
the table gives the medians.  It is printed with both QEMU command lines
and written to BUILD/bench/fs.md.  Numbers, not a test: nothing here
fails on timing.
"""
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
sys.path.insert(0, HERE)
from harness import Failure  # noqa: E402
import linuxref  # noqa: E402
from linuxref import KERNELS, median  # noqa: E402

MiB = 1 << 20
COUNT = 1024                    # MiB written and read by dd
IMAGE_MIB = 1536                # the image: the file and room to spare
MEM = "512M"
BOOT_TIMEOUT = 120              # KVM seconds (scaled under TCG)
DD_TIMEOUT = 600
MNT = "/mnt"

FSTYPE = {"eclipse": "eclipsefs", "linux": "ext4"}
NAME = {"eclipse": "EclipseOS", "linux": "Linux"}

DRIVE = ["-drive", "if=none,id=bench0,file={img},cache=none,format=raw",
         "-device", "virtio-blk-pci,drive=bench0"]

RE_DD = re.compile(r"^(\d+) bytes \([^)]*\) copied, ([0-9.]+) seconds",
                   re.M)
RE_BENCH = re.compile(r"^bench: (.+) ([0-9.]+) files/s \(", re.M)

# The rows of the table: key, title, unit.
ROWS = (
    ("write", "write 1 GiB, dd conv=fsync", "MB/s"),
    ("read", "read 1 GiB, cold, dd", "MB/s"),
    ("create+write 4KiB+close+unlink", "create+write 4KiB+close+unlink",
     "files/s"),
    ("create+close+unlink", "create+close+unlink", "files/s"),
)


def mkfs_ext4():
    """The host's mkfs.ext4 (e2fsprogs; /sbin is not always on PATH)."""
    path = shutil.which("mkfs.ext4") or next(
        (p for p in ("/usr/sbin/mkfs.ext4", "/sbin/mkfs.ext4")
         if os.path.exists(p)), None)
    if path is None:
        sys.exit("fs-bench: no mkfs.ext4 on the host (install e2fsprogs)")
    return path


def make_image(path, kernel, opts):
    """A fresh sparse image of IMAGE_MIB MiB with the kernel's file
    system on it."""
    if os.path.exists(path):
        os.unlink(path)
    with open(path, "wb") as f:
        f.truncate(IMAGE_MIB * MiB)
    if kernel == "eclipse":
        cmd = [opts.mkfs_eclipsefs, "-q", "-L", "fsbench", path]
    else:
        # The inode tables and the journal are written now, so that
        # ext4lazyinit does not write them in the guest during the runs.
        cmd = [opts.mkfs_ext4, "-q", "-F", "-L", "fsbench", "-E",
               "lazy_itable_init=0,lazy_journal_init=0", path]
    p = subprocess.run(["timeout", "300"] + cmd, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, errors="replace")
    if p.returncode != 0:
        raise Failure("%s exited %d: %s" % (" ".join(cmd), p.returncode,
                                           p.stdout.strip()[-400:]))
    return " ".join(os.path.basename(c) if i == 0 else c
                    for i, c in enumerate(cmd[:-1]))


def diskstats(sh):
    """vda's reads completed, sectors read, writes completed, sectors
    written (/proc/diskstats)."""
    st = re.search(r"^\s*\d+\s+\d+\s+vda\s+(\d+)\s+\d+\s+(\d+)\s+\d+"
                   r"\s+(\d+)\s+\d+\s+(\d+)", sh.ok("cat /proc/diskstats"),
                   re.M)
    if st is None:
        raise Failure("no vda in /proc/diskstats")
    return [int(x) for x in st.groups()]


def kib_per_request(d0, d1, i):
    """KiB a request between the diskstats D0 and D1: reads (I=0) or
    writes (I=2)."""
    return (d1[i + 1] - d0[i + 1]) / 2 / max(d1[i] - d0[i], 1)


def dd(sh, line):
    """Run the dd LINE; (bytes, seconds) from its last line."""
    out = sh.ok(line, timeout=DD_TIMEOUT)
    mt = RE_DD.search(out)
    if mt is None:
        raise Failure("no rate in dd's output %r" % out[-300:])
    nbytes, secs = int(mt.group(1)), float(mt.group(2))
    if nbytes != COUNT * MiB:
        raise Failure("dd copied %d bytes, not %d" % (nbytes, COUNT * MiB))
    return nbytes, secs


def measure(ctx, kernel, img, opts, run):
    """One boot on a fresh image: {row key: value}, plus "cold" (the
    share of the read's bytes that the disk read) and "cmd"."""
    got = {}
    m, sh = linuxref.boot(
        ctx, kernel, "fs-%s-%d" % (kernel, run), opts, "q35", MEM,
        BOOT_TIMEOUT + 3 * DD_TIMEOUT,
        [a.replace("{img}", img) for a in DRIVE], opts.linux_initrd)
    try:
        sh.prompt(BOOT_TIMEOUT)
        sh.ok("mkdir -p %s && mount -t %s /dev/vda %s" % (
            MNT, FSTYPE[kernel], MNT), timeout=120)
        d0 = diskstats(sh)
        nbytes, secs = dd(sh, "dd if=/dev/zero of=%s/f bs=1M count=%d "
                          "conv=fsync" % (MNT, COUNT))
        got["write"] = nbytes / secs / 1e6
        got["write_kib"] = kib_per_request(d0, diskstats(sh), 2)
        sh.ok("sync; echo 3 > /proc/sys/vm/drop_caches", timeout=120)
        d0 = diskstats(sh)
        t0 = time.monotonic()
        nbytes, secs = dd(sh, "dd if=%s/f of=/dev/null bs=1M" % MNT)
        got["read_wall"] = nbytes / (time.monotonic() - t0) / 1e6
        got["read"] = nbytes / secs / 1e6
        d1 = diskstats(sh)
        got["cold"] = (d1[1] - d0[1]) * 512 / nbytes
        got["read_kib"] = kib_per_request(d0, d1, 0)
        out = sh.ok("/bench/bench -d %s -o create -o create0" % MNT,
                    timeout=300)
        for name, rate in RE_BENCH.findall(out):
            got[name] = float(rate)
        for key, _, unit in ROWS:
            if unit == "files/s" and key not in got:
                raise Failure("no %r in bench's output %r" % (
                    key, out[-300:]))
        sh.ok("rm %s/f && umount %s" % (MNT, MNT), timeout=300)
        linuxref.power_off(m, kernel)
    finally:
        m.kill("benchmark over")
    got["cmd"] = linuxref.command_line(m, opts.linux_cmdline)
    return got


def fmt(x, unit):
    if x is None:
        return "-"
    return "%.1f" % x if unit == "MB/s" else "%.0f" % x


def main():
    ap = linuxref.arg_parser(__doc__,
                             "EclipseOS's initramfs, with /bench/bench")
    ap.add_argument("--linux-initrd", required=True,
                    help="the reference initramfs, with /bench/bench")
    ap.add_argument("--mkfs-eclipsefs", required=True,
                    help="the host's mkfs.eclipsefs")
    linuxref.add_run_args(ap)
    opts = ap.parse_args()
    opts.mkfs_ext4 = mkfs_ext4()
    b = linuxref.Bench(opts, "fs-bench", "fs")
    img = os.path.join(b.outdir, "fs.img")

    def once(kernel, run, attempt):
        mkfs = make_image(img, kernel, opts)
        got = measure(b.ctx, kernel, img, opts, run + 10 * attempt)
        got["mkfs"] = mkfs
        return got

    results = {k: [] for k in KERNELS}      # kernel -> [measure()'s dict]
    try:
        for run, order in b.runs():
            for kernel in order:
                got = b.attempts("%s, run %d" % (kernel, run),
                                 lambda a: once(kernel, run, a))
                if got is None:
                    continue
                results[kernel].append(got)
                print("fs-bench: run %d %-7s write %.1f MB/s (%.0f KiB a "
                      "request), read %.1f MB/s (%.0f%% from the disk, "
                      "%.0f KiB a request; host wall clock %.1f), "
                      "%s %.0f, %s %.0f files/s" % (
                          run, kernel, got["write"], got["write_kib"],
                          got["read"], 100 * got["cold"], got["read_kib"],
                          got["read_wall"],
                          ROWS[2][0], got[ROWS[2][0]], ROWS[3][0],
                          got[ROWS[3][0]]), flush=True)
    finally:
        b.finish(img)

    def med(kernel, key):
        return median(g[key] for g in results[kernel])

    lines = ["# File throughput: eclipsefs on EclipseOS, ext4 on Linux", "",
             "`make fs-bench`: a 1 GiB file written with `dd if=/dev/zero "
             "of=/mnt/f bs=1M count=%d conv=fsync` (the time includes the "
             "fsync), read after `sync; echo 3 > /proc/sys/vm/drop_caches` "
             "with `dd if=/mnt/f of=/dev/null bs=1M`, then `bench -d /mnt "
             "-o create -o create0` (tests/bench/bench.c), on a fresh %d MiB "
             "sparse image per boot, virtio-blk, cache=none, q35, -m %s, "
             "-smp 1, %s, medians of %d run(s) (MB/s = 10^6 bytes/s, timed "
             "by BusyBox dd with the guest's clock).  Linux: %s.  Host load "
             "average %.2f at the start, %.2f at the end (%d CPUs)."
             % (COUNT, IMAGE_MIB, MEM, opts.accel, opts.runs, b.package,
                b.load0[0], b.load1[0], os.cpu_count()), "",
             "| benchmark | EclipseOS (eclipsefs) | Linux (ext4) | ratio |",
             "|---|---|---|---|"]
    for key, title, unit in ROWS:
        e, lx = med("eclipse", key), med("linux", key)
        ratio = "%.2f" % (e / lx) if e and lx else "-"
        lines.append("| %s, %s | %s | %s | %s |" % (
            title, unit, fmt(e, unit), fmt(lx, unit), ratio))
    ec, lc = med("eclipse", "cold"), med("linux", "cold")
    ew, lw = med("eclipse", "read_wall"), med("linux", "read_wall")
    lines += ["", "Ratio: EclipseOS's / Linux's (above 1: EclipseOS is "
              "faster).", "",
              "Cold read: the disk read %s of the file's bytes during the "
              "read on EclipseOS and %s on Linux (/proc/diskstats' sectors "
              "read around dd, medians; 100%% is a fully cold read).  The "
              "read by the host's wall clock, command to prompt: %s MB/s on "
              "EclipseOS, %s on Linux." % (
                  "%.0f%%" % (100 * ec) if ec is not None else "-",
                  "%.0f%%" % (100 * lc) if lc is not None else "-",
                  fmt(ew, "MB/s"), fmt(lw, "MB/s")), "",
              "Request sizes (/proc/diskstats: sectors / requests around "
              "each dd, medians): the write %s KiB a request on EclipseOS, "
              "%s on Linux; the read %s and %s." % tuple(
                  fmt(med(k, key), "KiB") for key in ("write_kib",
                                                          "read_kib")
                  for k in KERNELS), "",
              "Every run:", ""]
    for kernel in KERNELS:
        for key, title, unit in ROWS:
            lines.append("- %s %s: %s" % (NAME[kernel], title, ", ".join(
                fmt(g[key], unit) for g in results[kernel])))
    lines += b.failure_lines()
    lines += ["", "Images: %s; QEMU command lines (-qmp, isa-debug-exit, "
              "-display and -monitor are the system-test harness's; the "
              "image is made afresh before each boot):" % "; ".join(
                  "`%s IMG` (%s)" % (results[k][0]["mkfs"], NAME[k])
                  for k in KERNELS if results[k]), ""]
    for kernel in KERNELS:
        if results[kernel]:
            lines += ["- %s:" % NAME[kernel], "",
                      "      " + results[kernel][0]["cmd"], ""]
    b.write(lines)
    missing = [NAME[k] for k in KERNELS if not results[k]]
    if missing:
        print("fs-bench: no measurement for %s" % ", ".join(missing),
              file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
