"""Exercise 8 (Documentation/tutorial/signals.md): SigQ in
/proc/<pid>/status.

In EclipseOS's shell, a sleep is stopped with SIGSTOP; then SIGUSR1 is
sent to it twice and signal 34 (musl's SIGRTMIN) three times.  A
standard signal is queued once, a real-time one each time: its status
must say "SigQ:\t4/" and the limit, RLIMIT_SIGPENDING's soft value (what
`ulimit -i` prints), and ShdPnd must have the bits of signals 10 and 34.
"""

import re
import time

import harness
from harness import Failure, Shell, group, want

harness.NEEDS.setdefault("initramfs", "initramfs.cpio")


@group("exercise-signals", needs=("kernel", "initramfs"))
def exercise_signals(ctx):
    """SigQ counts the signals queued to a process, out of its limit."""
    m = ctx.boot_pvh("exercise-signals", timeout=300,
                     extra=["-initrd", ctx.files["initramfs"]])
    sh = Shell(m)
    with ctx.test("exercise-signals/sigq", m):
        sh.prompt(120)
        limit = want(sh.ok("ulimit -i"), r"^(\d+)$", "ulimit -i").group(1)
        want(sh.ok("grep SigQ /proc/self/status"), r"^SigQ:\t0/%s$" % limit,
             "SigQ of a process with nothing queued")
        sh.ok("sleep 1000 & echo $! > /tmp/sigq.pid")
        pid = want(sh.ok("cat /tmp/sigq.pid"), r"^(\d+)$", "$!").group(1)
        sh.ok("kill -STOP %s" % pid)
        for _ in range(20):
            if re.search(r"^State:\tT", sh.ok("cat /proc/%s/status" % pid),
                         re.M):
                break
            time.sleep(0.2)
        else:
            raise Failure("pid %s never stopped" % pid)
        sh.ok("kill -USR1 %s; kill -USR1 %s" % (pid, pid))
        sh.ok("kill -34 %s; kill -34 %s; kill -34 %s" % (pid, pid, pid))
        out = sh.ok("cat /proc/%s/status" % pid)
        want(out, r"^ShdPnd:\t0*200000200$", "ShdPnd: signals 10 and 34")
        want(out, r"^SigQ:\t4/%s$" % limit, "SigQ: SIGUSR1 once and "
             "SIGRTMIN three times, out of the limit")
        sh.ok("kill -KILL %s; wait" % pid)
    m.sendline("poweroff")
    m.wait_exit(timeout=30)
