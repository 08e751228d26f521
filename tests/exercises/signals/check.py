"""Exercise 8 (Documentation/tutorial/signals.md): RLIMIT_SIGPENDING per
real user, as Linux counts it.

In EclipseOS's shell, as root: a stopped sleep A gets signal 34 (musl's
SIGRTMIN) three times.  SigQ in /proc/<pid>/status counts the signals
queued for the process's real user, so any other process of root - the
grep that reads its own status - says 3 too.  A second stopped sleep B,
whose RLIMIT_SIGPENDING is 5 (`ulimit -i 5`), gets signal 34 three
times: the user's count reaches B's limit after two, so the third is
pending without a siginfo of its own and SigQ says 5/5.  Once A is gone,
the user has B's two left: 2/5.
"""

import os
import re
import sys
import time

import harness
from harness import Failure, group, want

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402


def start_stopped(sh, pidfile, limit=None):
    """Start a sleep that is not the shell's job (its subshell ends at
    once, init adopts it), optionally with RLIMIT_SIGPENDING LIMIT, stop
    it; its pid."""
    pre = "ulimit -i %d; " % limit if limit is not None else ""
    sh.ok("(%ssleep 1000 & echo $! > %s)" % (pre, pidfile))
    pid = want(sh.ok("cat %s" % pidfile), r"^(\d+)$", "$!").group(1)
    sh.ok("kill -STOP %s" % pid)
    for _ in range(20):
        if re.search(r"^State:\tT", sh.ok("cat /proc/%s/status" % pid),
                     re.M):
            return pid
        time.sleep(0.2)
    raise Failure("pid %s never stopped" % pid)


def want_sigq(sh, what, path, expect):
    """SigQ of the status file PATH must read EXPECT.  Read a few times: a
    SIGCHLD queued to another of root's processes (init reaping) counts
    for a moment too."""
    for _ in range(10):
        out = sh.ok("grep SigQ %s" % path)
        if re.search(r"^SigQ:\t%s$" % re.escape(expect), out, re.M):
            return
        time.sleep(0.2)
    raise Failure("%s: wanted SigQ:\\t%s, got %r" % (what, expect,
                                                     out.strip()))


def gone(sh, pid):
    sh.ok("kill -KILL %s; while [ -e /proc/%s ]; do sleep 0.1; done"
          % (pid, pid))


@group("exercise-signals", needs=("kernel", "initramfs"))
def exercise_signals(ctx):
    """RLIMIT_SIGPENDING and SigQ count per real user, not per process."""
    m, sh = exlib.boot_shell(ctx, "signals", test=None)
    with ctx.test("exercise-signals/per-user", m):
        sh.prompt(120)
        limit = want(sh.ok("ulimit -i"), r"^(\d+)$", "ulimit -i").group(1)
        want_sigq(sh, "nothing queued yet", "/proc/self/status",
                  "0/" + limit)
        a = start_stopped(sh, "/tmp/sqa.pid")
        sh.ok("kill -34 %s; kill -34 %s; kill -34 %s" % (a, a, a))
        want_sigq(sh, "A, three instances of signal 34",
                  "/proc/%s/status" % a, "3/" + limit)
        want_sigq(sh, "grep, another process of root, counts A's three",
                  "/proc/self/status", "3/" + limit)
        b = start_stopped(sh, "/tmp/sqb.pid", 5)
        sh.ok("kill -34 %s; kill -34 %s; kill -34 %s" % (b, b, b))
        want_sigq(sh, "B (limit 5): root's count stops at B's limit",
                  "/proc/%s/status" % b, "5/5")
        gone(sh, a)
        want_sigq(sh, "B once A is gone: two queued, the third had no "
                  "room", "/proc/%s/status" % b, "2/5")
        gone(sh, b)
        sh.ok("rm /tmp/sqa.pid /tmp/sqb.pid")
    exlib.poweroff(m, 30)
