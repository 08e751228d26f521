"""Exercise 6 (Documentation/tutorial/processes.md): /proc/schedstat.

Reads /proc/schedstat twice in EclipseOS's shell, with commands run in
between, and checks Linux's format version 15 for one CPU: a "version
15" line, a timestamp that grows, and a cpu0 line of nine numbers whose
legacy field is 0, whose local wake-ups equal all wake-ups (one CPU), and
whose switches, wake-ups, run time and time slices grow, with never more
switches to idle than switches.
"""

import os
import re
import sys

import harness
from harness import Failure, group, want

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402

NAMES = ("yld_count", "legacy", "sched_count", "sched_goidle",
         "ttwu_count", "ttwu_local", "rq_cpu_time", "run_delay", "pcount")


def parse(out):
    """{"timestamp": n, name: n for NAMES} from a read of the file."""
    want(out, r"^version 15$", "the version line")
    ts = want(out, r"^timestamp (\d+)$", "the timestamp line")
    cpu = want(out, r"^cpu0((?: \d+)*)$", "the cpu0 line")
    fields = cpu.group(1).split()
    if len(fields) != len(NAMES):
        raise Failure("cpu0 has %d fields, want %d: %r"
                      % (len(fields), len(NAMES), cpu.group(0)))
    if re.search(r"^cpu[1-9]|^domain", out, re.M):
        raise Failure("lines for CPUs or domains EclipseOS lacks: %r" % out)
    st = dict(zip(NAMES, (int(f) for f in fields)))
    st["timestamp"] = int(ts.group(1))
    return st


@group("exercise-processes", needs=("kernel", "initramfs"))
def exercise_processes(ctx):
    """/proc/schedstat: version 15, one cpu0 line whose counters grow."""
    m, sh = exlib.boot_shell(ctx, "processes", test=None)
    with ctx.test("exercise-processes/schedstat", m):
        sh.prompt(120)
        a = parse(sh.ok("cat /proc/schedstat"))
        sh.ok("ls -R /proc/self > /dev/null; sleep 0.2; ls /sys > /dev/null")
        b = parse(sh.ok("cat /proc/schedstat"))
        if a["legacy"] != 0 or b["legacy"] != 0:
            raise Failure("the second field (legacy) must be 0: %r" % b)
        if b["ttwu_local"] != b["ttwu_count"]:
            raise Failure("one CPU: every wake-up is local, yet %d != %d"
                          % (b["ttwu_local"], b["ttwu_count"]))
        if b["sched_goidle"] > b["sched_count"]:
            raise Failure("more switches to idle (%d) than switches (%d)"
                          % (b["sched_goidle"], b["sched_count"]))
        for k in ("timestamp", "sched_count", "sched_goidle", "ttwu_count",
                  "rq_cpu_time", "pcount"):
            if not b[k] > a[k]:
                raise Failure("%s did not grow between two reads with "
                              "commands run in between: %d then %d"
                              % (k, a[k], b[k]))
        if b["run_delay"] < a["run_delay"]:
            raise Failure("run_delay went back: %d then %d"
                          % (a["run_delay"], b["run_delay"]))
    exlib.poweroff(m, 30)
