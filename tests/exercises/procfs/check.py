"""Exercise 15 (Documentation/tutorial/procfs.md): /proc/<pid>/wchan.

One boot (PVH, the image's initramfs): a background `sleep` must show a
wait message in its wchan that is not "0", and a process that runs (the
`cat` reading its own wchan) must show "0".
"""

import os
import sys

import harness
from harness import Failure, group, want

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402


@group("exercise-procfs", needs=("kernel", "initramfs"))
def exercise_procfs(ctx):
    """/proc/<pid>/wchan names what a sleeping process waits for."""
    m, sh = exlib.boot_shell(ctx, "procfs")
    with ctx.test("exercise-procfs/sleeping", m):
        sh.ok("sleep 1000 &")
        pid = want(sh.ok("echo $!"), r"^(\d+)$", "$!").group(1)
        # Until the child has reached its sleep it may still run: wait
        # for ps's S, then read wchan (as Linux, it has no newline).
        sh.ok("for i in 1 2 3 4 5 6 7 8 9 10; do "
              "grep -q '^State:.*S' /proc/%s/status && break; "
              "sleep 0.2; done" % pid)
        out, st = sh.run('echo "[$(cat /proc/%s/wchan)]"' % pid)
        sh.run("kill %s; wait %s" % (pid, pid))
        mt = want(out, r"^\[(.*)\]$", "the wchan of a sleeping process")
        if st != 0 or mt.group(1) in ("", "0"):
            raise Failure("wchan of a sleeping sleep is %r (status %d); "
                          "want its wait message" % (mt.group(1), st))
    with ctx.test("exercise-procfs/running", m):
        out = sh.ok('echo "[$(cat /proc/self/wchan)]"')
        want(out, r"^\[0\]$", "the wchan of the running cat")
    with ctx.test("exercise-procfs/listed", m):
        want(sh.ok("ls /proc/self/ | cat"), r"^wchan$",
             "wchan among the files of /proc/self")
