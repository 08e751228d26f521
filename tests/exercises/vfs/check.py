"""Exercise 10 (Documentation/tutorial/vfs.md): /dev/fd and /dev/stdin,
/dev/stdout, /dev/stderr, symbolic links that devtmpfs makes.

Every devtmpfs mount must hold the four links, as udev makes them on
Linux: fd -> /proc/self/fd, stdin -> /proc/self/fd/0, stdout -> ... /1,
stderr -> ... /2; and a path through them must reach the caller's own
descriptors.
"""

import re

import os
import sys

import harness
from harness import group, want

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402

LINKS = (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
         ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2"))


@group("exercise-vfs", needs=("kernel", "initramfs"))
def exercise_vfs(ctx):
    """devtmpfs makes /dev/fd, /dev/stdin, /dev/stdout and /dev/stderr."""
    m, sh = exlib.boot_shell(ctx, "vfs", settle=True)
    with ctx.test("exercise-vfs/links", m):
        for name, target in LINKS:
            want(sh.ok("readlink /dev/%s" % name),
                 r"^%s\r?$" % re.escape(target), "readlink /dev/" + name)
            want(sh.ok("stat -c %%F /dev/%s" % name), r"^symbolic link\r?$",
                 "/dev/%s's type" % name)
    with ctx.test("exercise-vfs/through", m):
        sh.ok("echo through stdin > /tmp/ex-vfs")
        want(sh.ok("cat /dev/stdin < /tmp/ex-vfs"), r"^through stdin\r?$",
             "cat /dev/stdin < file")
        want(sh.ok("cat /dev/fd/3 3< /tmp/ex-vfs"), r"^through stdin\r?$",
             "cat /dev/fd/3 3< file")
        sh.ok("sh -c 'echo to stdout > /dev/stdout' > /tmp/ex-vfs")
        want(sh.ok("cat /tmp/ex-vfs"), r"^to stdout\r?$",
             "echo > /dev/stdout, stdout a file")
        sh.ok("rm /tmp/ex-vfs")
    with ctx.test("exercise-vfs/new-mount", m):
        # A devtmpfs mounted later holds them too.
        sh.ok("mkdir -p /tmp/ex-dev && mount -t devtmpfs none /tmp/ex-dev")
        out = sh.ok("readlink /tmp/ex-dev/stderr")
        sh.ok("umount /tmp/ex-dev && rmdir /tmp/ex-dev")
        want(out, r"^/proc/self/fd/2\r?$", "stderr in a new devtmpfs")
    exlib.poweroff(m, 60)
