"""Exercise 16 (Documentation/tutorial/init.md): a service for init.

One boot (PVH, the image's initramfs): init must have started the
oneshot service boot-id, which wrote 32 hex digits to /run/boot-id;
`svc status` must say it is done with status 0, and `svc restart` must
run it again and write a new identifier.
"""

import os
import re
import sys

import harness
from harness import Failure, group, want

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402

HEX32 = r"^([0-9a-f]{32})$"


@group("exercise-init", needs=("kernel", "initramfs"))
def exercise_init(ctx):
    """init starts the oneshot boot-id; svc status and restart see it."""
    m, sh = exlib.boot_shell(ctx, "init")
    with ctx.test("exercise-init/status", m):
        out, st = sh.run("svc status boot-id")
        if st != 0:
            raise Failure("svc status boot-id exited %d: %r" % (st, out))
        want(out, r"^\s*state:\s+done$", "svc status: state done")
        want(out, r"^\s*last exit:\s+status 0$", "svc status: last exit")
        want(out, r"file:\s+/etc/eclipse/services/boot-id\.service$",
             "svc status: the service file")
    with ctx.test("exercise-init/boot-id", m):
        first = want(sh.ok("cat /run/boot-id"), HEX32,
                     "/run/boot-id: 32 hex digits").group(1)
        want(sh.ok("grep boot-id /var/log/init.log"),
             r"init: boot-id: started, pid \d+", "init.log")
    with ctx.test("exercise-init/restart", m):
        sh.ok("svc restart boot-id")
        second = want(sh.ok("cat /run/boot-id"), HEX32,
                      "/run/boot-id after svc restart").group(1)
        if second == first:
            raise Failure("svc restart did not write a new id (%s)" % first)
        out = sh.ok("svc status boot-id")
        want(out, r"^\s*state:\s+done$", "state after the restart")
        if not re.search(r"^\s*last exit:\s+status 0$", out, re.M):
            raise Failure("after the restart: %r" % out)
