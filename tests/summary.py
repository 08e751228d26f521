#!/usr/bin/env python3
"""The summary at the end of `make check`, `make unit` and `make check-system`.

Reads what the test steps left in the logs folder (BUILD/test-logs):

    build-failed              make targets that failed to build, one a line
    unit/test_NAME.tap        a unit test's output (TAP), .status its exit code
    DIR/NAME.tap              another TAP program's output and exit code
                              (--tap DIR/NAME.tap: tests/init/run.py's)
    groups                    the system-test groups that were to run
                              (--groups-file; tests.mk writes it)
    GROUP.results             a system-test group's results (harness.py)

and prints the boot times (also written to boot-times.txt), the failures with
their log paths, and last, alone on its line, "N passed, N failed".  Every TAP
line of a unit test counts, and so does every system test and ktest; a unit
test that did not build, crashed or lied about its plan, a group that left no
results or an empty list of them, a missing or empty list of groups, and a
failed build step each count as one failure.  Exits 1 when anything failed or
when nothing ran at all.
"""

import argparse
import json
import os
import re
import sys

RE_TAP = re.compile(r"^(not )?ok\b(?:\s+(\d+))?(?:\s*-?\s*(.*))?$")
RE_PLAN = re.compile(r"^1\.\.(\d+)")


class Tally:
    """Passes, failures, and known failures: results that fail today for a
    documented reason (tests/conformance/known-failures).  A known failure
    is neither a pass nor a failure of the run: it is counted as skipped
    and listed with its reason."""

    def __init__(self):
        self.passed = 0
        self.failures = []      # (name, why, log)
        self.known = []         # (name, why)

    def add(self, ok, name, why="", log=None, known=False):
        if known:
            self.known.append((name, why))
        elif ok:
            self.passed += 1
        else:
            self.failures.append((name, why, log))


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def unit(tally, logs, name, print_tap):
    """Count one unit test program's TAP lines."""
    tap_file(tally, "unit/test_" + name,
             os.path.join(logs, "unit", "test_%s.tap" % name), print_tap,
             "did not build (see the make output)")


def tap_file(tally, prog, tap, print_tap, missing):
    """Count the TAP lines of TAP (a program's output, its exit status in
    the .status file beside it); MISSING says why when there is none."""
    if not os.path.exists(tap):
        tally.add(False, prog, missing)
        return
    text = read(tap)
    try:
        status = int(read(tap[:-len(".tap")] + ".status").strip())
    except (OSError, ValueError):
        status = None
    if print_tap:
        print("# %s" % prog)
        sys.stdout.write(text if text.endswith("\n") or not text
                         else text + "\n")
    count = bad = 0
    plan = None
    for line in text.split("\n"):
        m = RE_TAP.match(line)
        if m:
            count += 1
            ok = m.group(1) is None
            bad += not ok
            desc = (m.group(3) or "").strip()
            tally.add(ok, prog + (" " + m.group(2) if m.group(2) else ""),
                      desc, tap)
            continue
        m = RE_PLAN.match(line)
        if m:
            plan = int(m.group(1))
    if bad:
        return                  # its failures are counted already
    if status != 0:
        if status == 124:
            how = "timed out"
        elif status is not None and status > 128:
            how = "killed by signal %d" % (status - 128)
        else:
            how = "exit status %s" % status
        tally.add(False, prog, how, tap)
    elif plan is None:
        tally.add(False, prog, "no TAP plan line (1..N)", tap)
    elif plan != count:
        tally.add(False, prog, "plan says %d tests, %d ran" % (plan, count),
                  tap)
    elif count == 0:
        tally.add(False, prog, "ran no checks", tap)


def system(tally, logs, group, times):
    """Count one group's results."""
    path = os.path.join(logs, group + ".results")
    try:
        res = json.loads(read(path))
    except (OSError, ValueError) as e:
        tally.add(False, group, "no results from the harness (%s)" % e,
                  os.path.join(logs, group + ".log"))
        return
    results = res.get("results") if isinstance(res, dict) else None
    if not isinstance(results, list) or not results:
        tally.add(False, group, "the harness recorded no result",
                  os.path.join(logs, group + ".log"))
        return
    for r in results:
        tally.add(r["ok"], r["name"], r.get("why", ""), r.get("log"),
                  known=r.get("known", False))
    for t in res.get("boot_times", []):
        times.append((t, res.get("accel", "?")))


def read_groups(tally, path):
    """The groups named in PATH; a missing or empty list is a failure (a
    check that ran no system test must not pass)."""
    try:
        groups = read(path).split()
    except OSError as e:
        tally.add(False, "system-tests", "no list of system-test groups "
                  "(%s): `harness.py --list` did not run or failed" % e)
        return []
    if not groups:
        tally.add(False, "system-tests", "the list of system-test groups "
                  "is empty (`harness.py --list` printed nothing)", path)
    return groups


def boot_times(logs, times):
    """Print the boot times and write them to boot-times.txt."""
    if not times:
        return
    lines = ["boot times (wall: QEMU start to the first kernel line, or "
             "to the shell's answer for \"to 42\"; kernel: its own "
             "\"initialised in\" figure):"]
    for t, accel in times:
        wall = ("%.3f s" % t["wall_s"]) if t["wall_s"] is not None else "?"
        kms = ("%.3f ms" % t["kernel_ms"]) if t["kernel_ms"] is not None \
            else "-"
        lines.append("  %-20s wall %9s   kernel %12s   (%s)" % (
            t["name"], wall, kms, accel.upper()))
    with open(os.path.join(logs, "boot-times.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def show(path):
    """A log path as the user can open it: relative to here when inside."""
    if path is None:
        return None
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--logs", required=True, help="BUILD/test-logs")
    ap.add_argument("--unit", nargs="*", default=[], metavar="NAME",
                    help="unit tests (tests/unit/test_NAME.c)")
    ap.add_argument("--groups", nargs="*", default=[], metavar="GROUP",
                    help="system-test groups")
    ap.add_argument("--groups-file", metavar="FILE",
                    help="more system-test groups, read from FILE; a "
                    "missing or empty FILE is a failure")
    ap.add_argument("--tap", nargs="*", default=[], metavar="FILE",
                    help="other TAP outputs, relative to LOGS (with a "
                    ".status file beside each)")
    ap.add_argument("--print-tap", action="store_true",
                    help="print each unit test's TAP output first")
    args = ap.parse_args()

    tally = Tally()
    failed_builds = os.path.join(args.logs, "build-failed")
    if os.path.exists(failed_builds):
        for target in read(failed_builds).split():
            tally.add(False, "build/" + target, "`make %s` failed (see the "
                      "make output above)" % target)
    for name in args.unit:
        unit(tally, args.logs, name, args.print_tap)
    for rel in args.tap:
        tap_file(tally, rel[:-len(".tap")] if rel.endswith(".tap") else rel,
                 os.path.join(args.logs, rel), args.print_tap,
                 "did not run (see the make output)")
    groups = list(args.groups)
    if args.groups_file is not None:
        groups += read_groups(tally, args.groups_file)
    times = []
    for group in groups:
        system(tally, args.logs, group, times)
    if tally.passed == 0 and not tally.failures:
        tally.add(False, "tests", "no test ran")

    print()
    boot_times(args.logs, times)
    if tally.failures:
        print("failures:")
        for name, why, log in tally.failures:
            line = "  FAIL %s" % name
            if why:
                line += ": " + why
            if log:
                line += "\n       log: " + show(log)
            print(line)
    if tally.known:
        print("known failures (counted as skipped; see "
              "tests/conformance/known-failures):")
        for name, why in tally.known:
            print("  KNOWN %s: %s" % (name, why))
    line = "%d passed, %d failed" % (tally.passed, len(tally.failures))
    if tally.known:
        line += ", %d skipped" % len(tally.known)
    print(line)
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
