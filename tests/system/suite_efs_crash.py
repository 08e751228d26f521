"""eclipsefs power-loss tests with a volatile disk cache: QEMU's
blklogwrites driver records every write, flush and discard the guest
makes to an eclipsefs disk while tests/efs/crash/crashwl creates, writes,
renames, truncates and unlinks files and fsyncs some of them; then
tests/efs/crash/replay.py rebuilds the disk at random cut points (a prefix
of the log up to a flush, plus a random subset, maybe reordered, of the
writes after it: what a disk's write cache may have lost) and checks each
image: fsck.eclipsefs -p replays the journal with no other repair, -n -f
then says clean, and every file whose fsync had returned before that
flush holds what was written (tests/efs/crash/README.md).

    efs-crash        one boot, 30 cut points (make check)
    efs-crash-long   7 boots and seeds, 320 cut points, one boot on
                     the raw disk with no filesystem (the replay itself);
                     only listed with EFS_CRASH_LONG=1 (make check-crash)

Seeds: EFS_CRASH_SEED=N picks the workload's and the cuts' seed (the
short run uses 1 by default, the long run a random one); every seed is
in the log.  A failing cut's run folder (pristine.img, writes.log,
records.json) is kept in the logs, with the command that replays it.
"""

import json
import os
import random
import re
import shutil
import subprocess
import sys
import time

from harness import Failure, Shell, group
import harness

harness.NEEDS.setdefault("crash-tools", "crash/initramfs.cpio")

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "efs", "crash"))
import replay  # noqa: E402

DISK_MIB = 48
BOOT_TIMEOUT = 60           # KVM seconds to the shell (x6 under TCG)
LINE_TIMEOUT = 60           # KVM seconds between two workload lines
RUN_TIMEOUT = 600           # a whole recording boot
MNT = "/mnt/crash"
RE_LINE = re.compile(r"(fsynced|touch|final|crashwl:|CRASHWL-EXIT=)"
                     r" ?([^\n]*)\n")


def bins(ctx):
    return [os.path.join(ctx.build, "host"),
            os.path.join(ctx.build, "crash")]


def make_disk(ctx, rundir, mode):
    """The pristine image (mkfs'd, or zeros for raw mode), the disk QEMU
    writes (a copy) and an empty log."""
    os.makedirs(rundir)
    pristine = os.path.join(rundir, "pristine.img")
    with open(pristine, "wb") as f:
        f.truncate(DISK_MIB << 20)
    if mode == "fs":
        p = subprocess.run([os.path.join(ctx.build, "host",
                                         "mkfs.eclipsefs"), "-q", "-L",
                            "crash", pristine], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        if p.returncode != 0:
            raise Failure("mkfs.eclipsefs exited %d: %s" % (
                p.returncode, p.stdout.strip()[-300:]))
    disk = os.path.join(rundir, "disk.img")
    subprocess.run(["cp", "--sparse=always", pristine, disk], check=True)
    log = os.path.join(rundir, "writes.log")
    open(log, "wb").close()
    return disk, log


def qemu_disk_args(disk, log):
    """virtio-blk over blklogwrites over the image, the log beside it.
    The host files are not fsync'd (cache.no-flush): the log's order is
    the truth, not the host's page cache."""
    return ["-blockdev", "driver=file,node-name=crimg,filename=%s,"
            "cache.no-flush=on" % disk,
            "-blockdev", "driver=file,node-name=crlog,filename=%s,"
            "cache.no-flush=on" % log,
            "-blockdev", "driver=blklogwrites,node-name=crdisk,file=crimg,"
            "log=crlog,log-sector-size=%d" % replay.DEFAULT_SS,
            "-device", "virtio-blk-pci,drive=crdisk"]


class LogRef:
    """Stands for a machine in ctx.result: the log a result points to."""

    def __init__(self, path):
        self.log_path = path


def settle(tail, m):
    """Read the log until QEMU is not in the middle of an entry (the
    workload stands still; the kernel's own writes may go on)."""
    end = time.monotonic() + 10
    while not tail.poll():
        if time.monotonic() > end:
            m.note("log did not settle; counting what is complete")
            return
        time.sleep(0.02)


def record(ctx, name, rundir, mode, seed, ops):
    """Boot, run crashwl on the logged disk, answer its pauses, cut the
    power; write rundir/records.json.  Returns (the machine, how many
    fsync lines, (the guest's and the log's flush counts at the last))."""
    disk, log = make_disk(ctx, rundir, mode)
    extra = ["-initrd", os.path.join(ctx.build, "crash", "initramfs.cpio")]
    m = ctx.boot_pvh(name, machine="q35", timeout=RUN_TIMEOUT,
                     extra=extra + qemu_disk_args(disk, log))
    sh = Shell(m)
    sh.prompt(BOOT_TIMEOUT)
    if mode == "fs":
        sh.ok("mkdir -p %s && mount -t eclipsefs /dev/vda %s" % (MNT, MNT),
              timeout=60)
        cmd = "crashwl -p -s %d -n %d -d vda %s" % (seed, ops, MNT)
    else:
        cmd = "crashwl -p -s %d -n %d -d vda -r /dev/vda" % (seed, ops)
    tail = replay.LogTail(log)
    events, final, done = [], {}, None
    # The echo of the line must not look like the exit line.
    m.sendline(cmd + '; echo CRASHWL-EXIT""=$?')
    m.expect(r"\n", 30, "the echo of the workload's command")
    while True:
        mt = m.expect(RE_LINE, LINE_TIMEOUT, "crashwl's next line")
        kind, rest = mt.group(1), mt.group(2).strip()
        if kind in ("fsynced", "touch"):
            settle(tail, m)
            f = rest.split()
            ev = {"kind": kind, "path": f[0], "entries": tail.entries,
                  "flushes": tail.flushes}
            if kind == "fsynced":
                ev["sha256"] = f[1]
                ev["guest_flushes"] = int(f[2]) if f[2].isdigit() else -1
            events.append(ev)
            m.send("\r")
        elif kind == "final":
            f = rest.split()
            final[f[0]] = f[1]
        elif kind == "crashwl:":
            if rest.startswith("done"):
                done = rest
            else:
                raise Failure("crashwl failed: crashwl: %s" % rest)
        else:
            st = re.match(r"\d+", rest)
            if st is None:
                continue        # the echo of the command line
            if int(st.group(0)) != 0 or done is None:
                raise Failure("crashwl exited %s (%s)" % (
                    st.group(0), done or "no done line"))
            break
    # Let the kernel's journal and write-back run a moment, then cut.
    sh.prompt(30)
    time.sleep(1)
    m.power_cut()
    mark = m.marks()
    if mark is not None:
        raise Failure("the guest said %r" % mark)
    nf = sum(1 for e in events if e["kind"] == "fsynced")
    if nf == 0:
        raise Failure("crashwl fsynced nothing (%s)" % done)
    with open(os.path.join(rundir, "records.json"), "w") as f:
        json.dump({"mode": mode, "seed": seed, "ops": ops, "prefix": "",
                   "events": events, "final": final if mode == "fs"
                   else None}, f, indent=0)
    last = [e for e in events if e["kind"] == "fsynced"][-1]
    return m, nf, (last["guest_flushes"], last["flushes"])


def crash_run(ctx, tag, mode, seed, ops, ncuts):
    """One boot and its cuts; each cut is one result."""
    rundir = os.path.join(ctx.tmpdir, "%s-%s-%d" % (tag, mode, seed))
    name = "%s-%s-s%d" % (tag, mode, seed)
    m = gflush = None
    with ctx.test("%s/%s: record (seed %d, %d ops)" % (tag, mode, seed,
                                                     ops)):
        m, nf, gflush = record(ctx, name, rundir, mode, seed, ops)
    if m is None or not os.path.exists(os.path.join(rundir,
                                                     "records.json")):
        return 0
    log = replay.WriteLog(os.path.join(rundir, "writes.log"))
    # The machine's log is closed (the power cut): the cuts have their
    # own, LOGS/<run>.cuts.
    cutlog = open(os.path.join(ctx.logdir, name + ".cuts"), "w")

    def say(text):
        cutlog.write(text + "\n")
        cutlog.flush()

    say("log: %s; superblock says %d; %d fsync records; cut seed %d" % (
        log.summary(), log.nr_super, nf, seed))
    say("flushes at the last fsync: the guest's /proc/diskstats counted "
        "%d, the log held %d (QEMU logs no flush when nothing was written "
        "since the last)" % gflush)
    print("  [%s] seed %d: %s; %d fsync records; flushes at the last "
          "fsync: %d counted by the guest, %d in the log" % (
              ctx.group, seed, log.summary(), nf, gflush[0], gflush[1]),
          flush=True)
    if len(log.flushes) < 2:
        ctx.result("%s/%s: cuts" % (tag, mode), False, "the log has %d "
                   "flush(es): nothing to cut (%s)" % (
                       len(log.flushes), log.summary()), m)
        cutlog.close()
        return 0
    work = replay.scratch_dir()
    with ctx.test("%s/%s: seed %d: the log replays to QEMU's image" % (
            tag, mode, seed), m):
        bad = replay.replay_differs(log, os.path.join(rundir,
                                                      "pristine.img"),
                                    os.path.join(rundir, "disk.img"), work)
        if bad:
            raise Failure("%d block(s) differ, first %s: the log is not "
                          "read right" % (len(bad), bad[:8]))
    cuts = replay.random_cuts(log, ncuts, seed)
    npass, nfail, failures = replay.run_cuts(rundir, bins(ctx), cuts,
                                             say=say, workdir=work)
    shutil.rmtree(work, ignore_errors=True)
    keep = None
    if failures:
        keep = os.path.join(ctx.logdir, name)
        shutil.rmtree(keep, ignore_errors=True)
        os.makedirs(keep)
        for f in ("pristine.img", "writes.log", "records.json"):
            subprocess.run(["cp", "--sparse=always",
                            os.path.join(rundir, f), keep], check=True)
    bad = dict(failures)
    cutref = LogRef(cutlog.name)
    for cut in sorted(cuts, key=lambda c: (c.k, c.c)):
        spec = cut.spec()
        why = ""
        if spec in bad:
            why = "; ".join(bad[spec])[:500] + (
                " [replay: tests/efs/crash/replay.py --run %s --bin "
                "%s/host --bin %s/crash --cut %s]" % (
                    keep, ctx.build, ctx.build, spec))
        ctx.result("%s/%s: seed %d cut %s" % (tag, mode, seed, spec),
                   spec not in bad, why, cutref)
    shutil.rmtree(rundir, ignore_errors=True)
    say("%d cut points, %d passed, %d failed" % (len(cuts), npass, nfail))
    cutlog.close()
    print("  [%s] seed %d: %d cut points, %d passed, %d failed [%s]" % (
        ctx.group, seed, len(cuts), npass, nfail, cutlog.name), flush=True)
    return len(cuts)


def selftest(ctx, tag):
    """replay.py's own test on logs made by hand (selftest.py)."""
    with ctx.test("%s/replay self-test (tests/efs/crash/selftest.py)" %
                  tag):
        p = subprocess.run([sys.executable, os.path.join(
            harness.ROOT, "tests", "efs", "crash", "selftest.py")],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            timeout=300)
        with open(os.path.join(ctx.logdir, tag + "-selftest.tap"),
                  "w") as f:
            f.write(p.stdout)
        if p.returncode != 0:
            bad = [ln for ln in p.stdout.splitlines()
                   if not ln.startswith("ok ")]
            raise Failure("exit %d: %s" % (p.returncode,
                                           "; ".join(bad)[-500:]))


def env_seed(default):
    s = os.environ.get("EFS_CRASH_SEED")
    return int(s) if s else default


@group("efs-crash", needs=("kernel", "crash-tools"))
def efs_crash(ctx):
    """eclipsefs power loss: one logged boot, 30 cut points replayed"""
    seed = env_seed(1)
    selftest(ctx, "efs-crash")
    crash_run(ctx, "efs-crash", "fs", seed, 200, 30)


if os.environ.get("EFS_CRASH_LONG"):
    @group("efs-crash-long", needs=("kernel", "crash-tools"))
    def efs_crash_long(ctx):
        """eclipsefs power loss, long: 6 boots x 50 cuts, 1 raw x 20"""
        seed = env_seed(random.SystemRandom().randrange(1, 1 << 30))
        print("  [%s] seeds %d..%d (EFS_CRASH_SEED=%d repeats them)" % (
            ctx.group, seed, seed + 6, seed), flush=True)
        selftest(ctx, "efs-crash-long")
        total = crash_run(ctx, "efs-crash-long", "raw", seed, 150, 20)
        for i in range(6):
            total += crash_run(ctx, "efs-crash-long", "fs", seed + 1 + i,
                               250, 50)
        print("  [%s] %d cut points in all" % (ctx.group, total),
              flush=True)
