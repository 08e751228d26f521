#!/usr/bin/env python3
"""Run the benchmark program on the host and inside EclipseOS; print both.

EclipseOS boots by PVH with the program as PID 1 (init=/bench/bench) under
the accelerator distro/qemu-accel.sh picks; its serial output carries the
"bench:" lines.  The host runs the same static binary.
"""
import argparse
import re
import subprocess
import sys

RE = re.compile(r"^bench: (.+) ([0-9.]+) (ns)/op|^bench: (.+) ([0-9.]+) (%)$")


def parse(text):
    """{name: "value unit"} of the "bench: NAME VALUE ns/op" and
    "bench: NAME VALUE %" (a CPU share) lines."""
    out = {}
    for m in map(RE.match, text.splitlines()):
        if m:
            g = m.groups()[0:3] if m.group(1) else m.groups()[3:6]
            out[g[0]] = "%.1f %s" % (float(g[1]), g[2])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--initrd", required=True)
    ap.add_argument("--host", required=True)
    args = ap.parse_args()

    host = parse(subprocess.run([args.host], capture_output=True, text=True,
                                timeout=300).stdout)
    accel = subprocess.run(["sh", "distro/qemu-accel.sh", args.build],
                           capture_output=True, text=True).stdout.strip()
    accel = accel or "tcg"
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
    ecl = parse(out)
    print("%-20s %14s %14s" % ("benchmark", "host Linux", "EclipseOS/" +
                                accel.upper()))
    for name in sorted(set(host) | set(ecl)):
        print("%-20s %14s %14s" % (name, host.get(name, "-"),
                                   ecl.get(name, "-")))
    return 0 if ecl and host else 1


if __name__ == "__main__":
    sys.exit(main())
