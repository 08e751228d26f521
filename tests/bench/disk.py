#!/usr/bin/env python3
"""Sequential read throughput of the raw disk: EclipseOS and Linux in the
same QEMU (`make disk-bench`; Documentation/performance.md).

For each device, virtio-blk (q35: -drive if=none,cache=none + -device
virtio-blk-pci) and ATA (pc: -drive if=ide,cache=none), each kernel boots
with a fresh raw image of DISK_MIB MiB filled with a pattern (no holes,
so the host reads real blocks; cache=none opens it with O_DIRECT, so the
host's page cache does not serve it either), and in the guest's shell

    echo 3 > /proc/sys/vm/drop_caches
    dd if=/dev/vda of=/dev/null bs=1M count=256      (sda for ATA)

BusyBox dd times the copy with the guest's clock and prints the bytes and
the seconds; the rate is bytes / seconds in MB/s (10^6 bytes a second).
The host's wall time from sending the command to the next prompt is kept
beside it as a check on the guest's clock, and /proc/diskstats after dd
gives the size of the requests the reads became.  EclipseOS boots by PVH with
its normal initramfs, Linux (distro/linuxref.py) by -kernel with its own,
with the same -machine, -m, -smp 1 and accelerator as the system tests.
The two kernels alternate (which goes first changes every run), --runs
times; the table gives the medians.  It is printed with both QEMU command
lines and written to BUILD/bench/disk.md.  Numbers, not a test: nothing
here fails on timing.
"""
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
sys.path.insert(0, HERE)
from harness import Failure  # noqa: E402
import linuxref  # noqa: E402
from linuxref import median  # noqa: E402

MiB = 1 << 20
COUNT = 256                     # MiB read by dd
DISK_MIB = 288                  # the image: a little more than COUNT
MEM = "512M"
BOOT_TIMEOUT = 120              # KVM seconds (scaled under TCG)
DD_TIMEOUT = 300

DEVICES = (
    # name, machine, device node, QEMU drive arguments ({img})
    ("virtio-blk", "q35", "vda",
     ["-drive", "if=none,id=bench0,file={img},cache=none,format=raw",
      "-device", "virtio-blk-pci,drive=bench0"]),
    ("ATA", "pc", "sda",
     ["-drive", "if=ide,index=0,file={img},cache=none,format=raw"]),
)

RE_DD = re.compile(r"^(\d+) bytes \([^)]*\) copied, ([0-9.]+) seconds",
                   re.M)


# What "cold" means on each kernel (sys/fs/procfs/procfs_gen.c,
# sys/kern/subr_disk.c).
COLD = ("Cold cache: every measurement is a fresh boot, and nothing reads "
        "the disk before dd but the partition-table scan.  On Linux "
        "drop_caches then empties the page cache, through which /dev/vda "
        "is read.  On EclipseOS drop_caches accepts the value and drops "
        "nothing (procfs_gen.c), but a read of the raw device does not go "
        "through the buffer cache: bdev_read sends one 64 KiB request at "
        "a time straight to the driver (subr_disk.c), so its reads are "
        "cold anyway.")


def make_image(path):
    """A raw image of DISK_MIB MiB, every block written (no holes)."""
    block = bytes((i * 2654435761 >> 11) & 0xff for i in range(MiB))
    with open(path + ".tmp", "wb") as f:
        for i in range(DISK_MIB):
            f.write(i.to_bytes(8, "little") + block[8:])
        f.flush()
        os.fsync(f.fileno())
    os.replace(path + ".tmp", path)


def measure(ctx, kernel, dev, img, opts, run):
    """One boot, one cold read; (MB/s by the guest's clock, MB/s by the
    host's wall clock, KiB per read request from /proc/diskstats, QEMU
    command line)."""
    name, machine, node, drive = dev
    m, sh = linuxref.boot(
        ctx, kernel, "disk-%s-%s-%d" % (kernel, name.lower(), run), opts,
        machine, MEM, BOOT_TIMEOUT + DD_TIMEOUT,
        [a.replace("{img}", img) for a in drive])
    try:
        sh.prompt(BOOT_TIMEOUT)
        # Linux's SCSI layer finds the ATA disk asynchronously.
        sh.ok("i=0; while [ ! -b /dev/%s ] && [ $i -lt 300 ]; do "
              "sleep 0.1; i=$((i + 1)); done; [ -b /dev/%s ]" % (node, node),
              timeout=60)
        sh.ok("sync; echo 3 > /proc/sys/vm/drop_caches")
        t0 = time.monotonic()
        out = sh.ok("dd if=/dev/%s of=/dev/null bs=1M count=%d"
                    % (node, COUNT), timeout=DD_TIMEOUT)
        wall = time.monotonic() - t0
        mt = RE_DD.search(out)
        if mt is None:
            raise Failure("no rate in dd's output %r" % out[-300:])
        nbytes, secs = int(mt.group(1)), float(mt.group(2))
        if nbytes != COUNT * MiB:
            raise Failure("dd copied %d bytes, not %d" % (nbytes,
                                                          COUNT * MiB))
        # Reads completed, merged, sectors: the requests dd's reads
        # became (with the few of the partition scan before them).
        st = re.search(r"^\s*\d+\s+\d+\s+%s\s+(\d+)\s+(\d+)\s+(\d+)"
                       % node, sh.ok("cat /proc/diskstats"), re.M)
        if st is None:
            raise Failure("no %s in /proc/diskstats" % node)
        kib = int(st.group(3)) / 2 / max(int(st.group(1)), 1)
        linuxref.power_off(m, kernel)
    finally:
        m.kill("benchmark over")
    return nbytes / secs / 1e6, nbytes / wall / 1e6, kib, \
        linuxref.command_line(m, opts.linux_cmdline)


def fmt(x):
    return "%.1f" % x if x is not None else "-"


def main():
    ap = linuxref.arg_parser(__doc__, "EclipseOS's initramfs")
    linuxref.add_run_args(ap)
    opts = ap.parse_args()
    b = linuxref.Bench(opts, "disk-bench", "disk")
    img = os.path.join(b.outdir, "disk.img")
    rates = {}          # (device, kernel) -> [(MB/s, wall MB/s, KiB/req)]
    cmds = {}

    def once(kernel, dev, run, attempt):
        make_image(img)
        return measure(b.ctx, kernel, dev, img, opts, run + 10 * attempt)

    try:
        for run, order in b.runs():
            for dev in DEVICES:
                for kernel in order:
                    got = b.attempts(
                        "%s on %s, run %d" % (kernel, dev[0], run),
                        lambda a: once(kernel, dev, run, a))
                    if got is None:
                        continue
                    r, w, kib, cmd = got
                    rates.setdefault((dev[0], kernel), []).append(
                        (r, w, kib))
                    cmds.setdefault((dev[0], kernel), cmd)
                    print("disk-bench: run %d %-10s %-7s %7.1f MB/s "
                          "(host wall clock %.1f), %.0f KiB a request" % (
                              run, dev[0], kernel, r, w, kib), flush=True)
    finally:
        b.finish(img)

    def med(dev, kernel, i=0):
        return median(x[i] for x in rates.get((dev, kernel), ()))

    lines = ["# Raw-device sequential read: EclipseOS and Linux", "",
             "`make disk-bench`: `dd if=/dev/DEV of=/dev/null bs=1M "
             "count=%d` after `echo 3 > /proc/sys/vm/drop_caches`, one "
             "fresh boot per measurement, %s, medians of %d run(s) "
             "(MB/s = 10^6 bytes/s, timed by BusyBox dd with the guest's "
             "clock; the host's wall clock from command to prompt in "
             "brackets).  Linux: %s.  Host load average %.2f at the start, "
             "%.2f at the end (%d CPUs)."
             % (COUNT, opts.accel, opts.runs, b.package, b.load0[0],
                b.load1[0], os.cpu_count()), "",
             "| device | EclipseOS MB/s | Linux MB/s | ratio | "
             "KiB/request EclipseOS, Linux |",
             "|---|---|---|---|---|"]
    for dev in DEVICES:
        e, lx = med(dev[0], "eclipse"), med(dev[0], "linux")
        ew, lw = med(dev[0], "eclipse", 1), med(dev[0], "linux", 1)
        ek, lk = med(dev[0], "eclipse", 2), med(dev[0], "linux", 2)
        ratio = "%.2f" % (e / lx) if e and lx else "-"
        lines.append("| %s | %s (%s) | %s (%s) | %s | %s, %s |" % (
            dev[0], fmt(e), fmt(ew), fmt(lx), fmt(lw), ratio,
            "%.0f" % ek if ek else "-", "%.0f" % lk if lk else "-"))
    lines += ["", "Ratio: EclipseOS's rate / Linux's (above 1: EclipseOS "
              "is faster).  KiB/request: sectors read / reads completed "
              "in /proc/diskstats after dd (the partition scan's few "
              "small reads included).", "", COLD, "", "Every run:", ""]
    for (dev, kernel), v in sorted(rates.items()):
        lines.append("- %s %s: %s" % (dev, kernel, ", ".join(
            "%.1f" % x[0] for x in v)))
    lines += b.failure_lines()
    lines += ["", "QEMU command lines (-qmp, isa-debug-exit, -display "
              "and -monitor are the system-test harness's; the image is "
              "rewritten before each boot):", ""]
    for (dev, kernel), cmd in sorted(cmds.items()):
        lines += ["- %s, %s:" % (dev, kernel), "", "      " + cmd, ""]
    b.write(lines)
    missing = [(d[0], k) for d in DEVICES for k in linuxref.KERNELS
               if (d[0], k) not in rates]
    if missing:
        print("disk-bench: no measurement for %s" % ", ".join(
            "%s on %s" % m for m in missing), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
