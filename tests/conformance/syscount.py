#!/usr/bin/env python3
"""Count the system calls implemented for real, by the conformance rule.

A system call counts when at least one success-path case of it passes on
the host Linux and in EclipseOS.  A case is about the calls its
description names before its first colon ("fork(2)/wait4(2): ..."); it is
a success-path case when its description names no errno (EINVAL, ...).
Inputs: BUILD/conformance/host.json (tests/conformance/run.py) and
BUILD/test-logs/conformance.results (the EclipseOS run of make check).
Prints the calls that count, the implemented ones that do not yet, and
the totals.
"""
import argparse
import json
import os
import re
import sys

RE_CALL = re.compile(r"\b([a-z_][a-z0-9_]*)\(2\)")
RE_ERRNO = re.compile(r"\bE[A-Z][A-Z0-9]+\b")


def calls_of(desc):
    head = desc.split(":", 1)[0]
    return set(RE_CALL.findall(head))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    args = ap.parse_args()
    host = json.load(open(os.path.join(args.build, "conformance",
                                       "host.json")))
    ecl = json.load(open(os.path.join(args.build, "test-logs",
                                      "conformance.results")))
    ecl_ok = {r["name"][len("conformance/"):] for r in ecl["results"]
              if r["ok"] and r["name"].startswith("conformance/")}
    counted = {}
    for prog in host["programs"]:
        for case in prog["cases"]:
            name = "%s/%d" % (prog["name"], case["n"])
            if not case["ok"] or case["skip"] or name not in ecl_ok:
                continue
            if RE_ERRNO.search(case["desc"]):
                continue
            for call in calls_of(case["desc"]):
                counted.setdefault(call, name)
    implemented = []
    with open("sys/kern/syscalls.master") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 5 and parts[0].isdigit() and parts[2] != "-":
                implemented.append(parts[1])
    real = [c for c in implemented if c in counted]
    missing = [c for c in implemented if c not in counted]
    print("counted (a success-path case passes on Linux and EclipseOS):")
    for c in real:
        print("  %-18s %s" % (c, counted[c]))
    print("implemented but without a passing success-path case:")
    for c in missing:
        print("  %s" % c)
    print("syscalls: %d implemented for real, %d implemented, %d in the "
          "table" % (len(real), len(implemented),
                     sum(1 for l in open("sys/kern/syscalls.master")
                         if l.split() and l.split()[0].isdigit())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
