#!/usr/bin/env python3
"""Run the benchmark program on the host and inside EclipseOS; print both.

EclipseOS boots by PVH with the program as PID 1 (init=/bench/bench) under
the accelerator distro/qemu-accel.sh picks (or --accel); its serial output
carries the "bench:" lines.  The host runs the same static binary directly,
pinned to one CPU (the lowest it may use) as EclipseOS runs with -smp 1:
unpinned, the round trips between two processes or threads on the host
measure cross-CPU wake-ups, which in a virtual machine vary tenfold from
run to run (--host-unpinned runs it so anyway).
With --runs N each side runs N times and the table shows the median of the
N values of each benchmark.

The ratio column is how many times slower EclipseOS is than the host: the
time ratio (EclipseOS / host) for ns/op and ns/fault, the rate ratio
(host / EclipseOS) for MB/s and files/s; none for the CPU shares.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

RE = re.compile(r"^bench: (.+) ([0-9.]+) (ns/op|ns/fault|MB/s|files/s)"
                r" \(|^bench: (.+) ([0-9.]+) (%)$")
RATES = ("MB/s", "files/s")


def parse(text):
    """{name: (value, unit)} of the "bench: NAME VALUE UNIT (batches ...)"
    and "bench: NAME VALUE %" (a CPU share) lines."""
    out = {}
    for m in map(RE.match, text.splitlines()):
        if m:
            g = m.groups()[0:3] if m.group(1) else m.groups()[3:6]
            out[g[0]] = (float(g[1]), g[2])
    return out


def median(runs):
    """{name: (median value, unit)} over the dicts of several runs."""
    out = {}
    names = [n for r in runs for n in r]
    for name in dict.fromkeys(names):
        vals = [r[name][0] for r in runs if name in r]
        unit = next(r[name][1] for r in runs if name in r)
        out[name] = (statistics.median(vals), unit)
    return out


def run_host(binary, pin):
    cpu = min(os.sched_getaffinity(0))

    def pin_one():
        os.sched_setaffinity(0, {cpu})

    return parse(subprocess.run([binary], capture_output=True, text=True,
                                preexec_fn=pin_one if pin else None,
                                timeout=300).stdout)


def run_eclipse(args, accel):
    qemu = ["qemu-system-x86_64", "-accel", accel, "-machine", "pc",
            "-m", "512M", "-smp", "1", "-display", "none", "-serial",
            "stdio", "-no-reboot", "-kernel", args.kernel, "-initrd",
            args.initrd, "-append", "init=/bench/bench"]
    try:
        out = subprocess.run(qemu, capture_output=True, text=True,
                             timeout=600).stdout
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else ""
        print("bench: EclipseOS run timed out", file=sys.stderr)
    if "bench: done" not in out:
        print("bench: EclipseOS run did not finish; its last lines:",
              file=sys.stderr)
        print("\n".join(out.splitlines()[-15:]), file=sys.stderr)
    return parse(out)


def fmt(entry):
    return "%.1f %s" % entry if entry else "-"


def ratio(h, e):
    if not h or not e or h[1] == "%" or h[0] <= 0 or e[0] <= 0:
        return "-"
    r = h[0] / e[0] if h[1] in RATES else e[0] / h[0]
    return "%.1f" % r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--initrd", required=True)
    ap.add_argument("--host", required=True)
    ap.add_argument("--accel", help="kvm or tcg (default: "
                    "distro/qemu-accel.sh decides)")
    ap.add_argument("--runs", type=int, default=1,
                    help="runs of each side; the table shows medians")
    ap.add_argument("--host-unpinned", action="store_true",
                    help="let the host run use every CPU")
    args = ap.parse_args()

    accel = args.accel
    if not accel:
        accel = subprocess.run(["sh", "distro/qemu-accel.sh", args.build],
                               capture_output=True,
                               text=True).stdout.strip() or "tcg"
    hruns, eruns = [], []
    for _ in range(max(1, args.runs)):
        hruns.append(run_host(args.host, not args.host_unpinned))
        eruns.append(run_eclipse(args, accel))
    host, ecl = median(hruns), median(eruns)
    hname = "host Linux" + ("" if args.host_unpinned else "/1CPU")
    print("%-32s %16s %16s %7s" % ("benchmark", hname, "EclipseOS/" +
                                     accel.upper(), "ratio"))
    for name in dict.fromkeys(list(host) + list(ecl)):
        h, e = host.get(name), ecl.get(name)
        print("%-32s %16s %16s %7s" % (name, fmt(h), fmt(e), ratio(h, e)))
    if args.runs > 1:
        print("(medians of %d runs on each side)" % args.runs)
    return 0 if ecl and host else 1


if __name__ == "__main__":
    sys.exit(main())
