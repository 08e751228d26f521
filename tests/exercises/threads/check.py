"""Exercise 9 (Documentation/tutorial/threads.md): the kernel monitor's
threads command.

Boots the kernel with no initramfs, so the monitor runs, and types
`threads`: it must list every thread, one a line, with its id, its
name and its state, and a sleeping thread's wait channel: the idle thread
(a kernel thread, negative id), the monitor's own thread, and vfsreap,
asleep on "vfsreap".  help must list the command.
"""

import os
import re
import sys

import harness
from harness import RE_FIRST_LINE, RE_INIT, Failure, group

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402


@group("exercise-threads", needs=("kernel",))
def exercise_threads(ctx):
    """kmon's threads: every thread with its id, name, state, channel."""
    m = exlib.boot_kmon(ctx, "threads", test=None, timeout=60)
    with ctx.test("exercise-threads/threads", m):
        m.expect(RE_FIRST_LINE, 30, "the first kernel line")
        m.expect(RE_INIT, 30, "the \"initialised\" line")
        m.prompt(30)
        if not re.search(r"^\s*threads\b", m.command("help"), re.M):
            raise Failure("help does not list threads")
        out = exlib.kmon_command(m, "threads")
        lines = out.strip().split("\n")
        idle = [l for l in lines if re.search(r"-\d+\b.*\bidle\b", l)]
        if not idle:
            raise Failure("no line for the idle thread (a negative id "
                          "and its name) in %r" % out[-600:])
        reap = [l for l in lines if re.search(r"-\d+\b.*\bvfsreap\b", l)]
        if not reap or not re.search(r"\bvfsreap\b.*\S+.*\bvfsreap\s*$",
                                     reap[0]):
            raise Failure("no line for vfsreap with its state and its "
                          "channel, vfsreap, last: %r" % out[-600:])
        if len(lines) < 3:
            raise Failure("want a line for every thread: %r" % out)
    exlib.poweroff(m, 10)
