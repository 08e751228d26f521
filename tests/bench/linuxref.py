"""Booting EclipseOS and the reference Linux (distro/linuxref.py) under the
system-test harness, and what the benchmarks that compare the two
(tests/bench/disk.py, tests/bench/fs.py; Documentation/performance.md)
share: their common options, the harness context, the alternating runs,
two attempts per measurement, medians and the written report.

    m = boot_linux(ctx, "name", LINUX_DIR, machine="q35", extra=[...])
    sh = LinuxShell(m)
    sh.prompt(timeout)
    out = sh.ok("uname -r")

The machine gets what ctx.boot_pvh gives EclipseOS (-machine, -m 512M,
-smp 1, the accelerator, the harness's serial line) and Linux's own
-kernel, -initrd and -append (LINUX_DIR/cmdline: serial console, quiet).
"""
import argparse
import os
import shlex
import statistics
import subprocess

import harness
from harness import Failure, Shell

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

# distro/linuxref-init.sh's PS1 is 'linuxref:\w# '.
PROMPT = r"linuxref:[^\n#]*# "

KERNELS = ("eclipse", "linux")


class LinuxShell(Shell):
    """The reference Linux's root shell on the serial line."""

    def prompt(self, timeout=30):
        return self.m.expect(PROMPT, timeout, "the reference Linux's prompt")


def cmdline(linux_dir):
    """The reference kernel command line linuxref.py wrote."""
    with open(os.path.join(linux_dir, "cmdline")) as f:
        return f.read().strip()


def boot_linux(ctx, name, linux_dir, machine="pc", mem="512M", timeout=60,
               extra=(), initrd=None):
    """Start the reference Linux in LINUX_DIR as the harness run NAME;
    TIMEOUT is the whole run's, in KVM seconds; INITRD replaces
    LINUX_DIR/initramfs.cpio (one with more files, say).  Returns the
    Machine."""
    args = ["-machine", machine, "-m", mem, "-smp", "1",
            "-kernel", os.path.join(linux_dir, "vmlinuz"),
            "-initrd", initrd or os.path.join(linux_dir, "initramfs.cpio"),
            "-append", cmdline(linux_dir)]
    return ctx.machine(name, args + list(extra), timeout)


def boot(ctx, kernel, tag, opts, machine, mem, timeout, drive,
         linux_initrd=None):
    """Start KERNEL ("eclipse" or "linux") as the harness run TAG with the
    QEMU arguments DRIVE: EclipseOS by PVH with opts.initrd, Linux from
    opts.linux (LINUX_INITRD replacing its initramfs when given); MEM is
    Linux's -m (ctx.boot_pvh's is the same 512M).  Returns (machine,
    shell)."""
    if kernel == "eclipse":
        m = ctx.boot_pvh(tag, machine=machine, timeout=timeout,
                         extra=["-initrd", opts.initrd] + drive)
        return m, Shell(m)
    m = boot_linux(ctx, tag, opts.linux, machine=machine, mem=mem,
                   timeout=timeout, extra=drive, initrd=linux_initrd)
    return m, LinuxShell(m)


def power_off(m, kernel):
    """Shut KERNEL's machine M down from its shell and wait for QEMU."""
    m.sendline("poweroff" if kernel == "eclipse" else "exit")
    m.wait_exit(timeout=60)


def command_line(m, kcmdline):
    """The QEMU command line the harness wrote into M's log, with the
    kernel command line KCMDLINE quoted for a shell."""
    with open(m.log_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("### harness: run: "):
                return line[len("### harness: run: "):].strip().replace(
                    "-append " + kcmdline, "-append " + shlex.quote(kcmdline))
    return "(not in %s)" % m.log_path


def arg_parser(doc, initrd_help):
    """The options every comparison takes (--build, --kernel, --initrd,
    --linux, --runs, --accel); DOC's first line describes the program."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--kernel", required=True, help="EclipseOS's kernel")
    ap.add_argument("--initrd", required=True, help=initrd_help)
    ap.add_argument("--linux", required=True,
                    help="distro/linuxref.py's output folder")
    return ap


def add_run_args(ap):
    """--runs and --accel, the last options of every comparison."""
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--accel", choices=("kvm", "tcg"))


class Bench:
    """One comparison's setting: the accelerator (opts.accel, found by
    distro/qemu-accel.sh when not given), opts.linux_cmdline, the Linux
    package, the output folder BUILD/bench, the harness context (logs in
    BUILD/bench/NAME-logs) and the host's load average at the start.
    PROG prefixes the lines it prints."""

    def __init__(self, opts, prog, name):
        if not opts.accel:
            p = subprocess.run(["sh", os.path.join(ROOT, "distro",
                                                   "qemu-accel.sh"),
                                opts.build],
                               stdout=subprocess.PIPE, text=True)
            opts.accel = p.stdout.strip() if p.returncode == 0 else "tcg"
        opts.linux_cmdline = cmdline(opts.linux)
        with open(os.path.join(opts.linux, "package")) as f:
            self.package = f.read().strip()
        self.opts, self.prog, self.name = opts, prog, name
        self.outdir = os.path.join(opts.build, "bench")
        os.makedirs(self.outdir, exist_ok=True)
        self.logs = os.path.join(self.outdir, name + "-logs")
        args = argparse.Namespace(build=opts.build, accel=opts.accel,
                                  logs=self.logs, kernel=opts.kernel,
                                  image=None, iso=None)
        self.ctx = harness.Context(args, prog)
        self.failures = []      # measurements that failed (tried twice)
        self.load0 = os.getloadavg()
        self.load1 = None
        print("%s: %s, %d run(s), %s; load average %.2f %.2f %.2f" % (
            prog, opts.accel, opts.runs, self.package, *self.load0),
            flush=True)

    def runs(self):
        """(run, kernels in this run's order) for each of the --runs
        runs: which kernel goes first changes every run."""
        for run in range(1, self.opts.runs + 1):
            yield run, KERNELS if run % 2 else KERNELS[::-1]

    def attempts(self, what, once):
        """once(attempt) for attempt 0, then 1 if it raised Failure; its
        result, or None when both failed (each failure, WHAT: why, is
        printed and kept in self.failures)."""
        for attempt in range(2):
            try:
                return once(attempt)
            except Failure as e:
                why = "%s: %s" % (what, str(e)[-300:])
                self.failures.append(why)
                print("%s: failed: %s" % (self.prog, why), flush=True)
        return None

    def finish(self, img):
        """After the runs: the harness cleaned up, the image IMG removed,
        the load average at the end kept."""
        self.ctx.cleanup()
        if os.path.exists(img):
            os.unlink(img)
        self.load1 = os.getloadavg()

    def failure_lines(self):
        """The report's list of failed measurements; [] when none."""
        if not self.failures:
            return []
        return ["", "Failed boots (each measurement is tried twice; the "
                "logs are in %s):" % self.logs, ""] + [
                    "- " + f.replace("\n", " ") for f in self.failures]

    def write(self, lines):
        """Write the report LINES to BUILD/bench/NAME.md and print it."""
        path = os.path.join(self.outdir, self.name + ".md")
        text = "\n".join(lines).rstrip() + "\n"
        with open(path, "w") as f:
            f.write(text)
        print(text, end="")
        print("%s: written to %s" % (self.prog, path))


def median(values):
    """The median of VALUES, None when there are none."""
    values = list(values)
    return statistics.median(values) if values else None
