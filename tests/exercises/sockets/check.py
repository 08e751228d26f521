"""Exercise 14 (Documentation/tutorial/sockets.md): SO_PEEK_OFF.

tests/exercises/sockets/peekoff.c (built here with musl-gcc, as the only
program of a small initramfs, its init) sets and reads a Unix stream
socket's peek offset and checks what MSG_PEEK and plain reads return
around it, as on Linux.  Every line it prints must start with "ok".
"""

import os
import re
import subprocess
import sys

import harness
from harness import Failure, group

TIMEOUT = 120            # the whole run, KVM seconds (scaled under TCG)
SRC = os.path.join(harness.ROOT, "tests", "exercises", "sockets",
                   "peekoff.c")


def init_cpio(ctx):
    """An initramfs whose /init is peekoff.c, built static with musl."""
    root = os.path.join(ctx.tmpdir, "root")
    os.makedirs(root)
    try:
        subprocess.run(["musl-gcc", "-static", "-O2", "-Wall", "-Wextra",
                        "-Werror", "-o", os.path.join(root, "init"), SRC],
                       check=True, capture_output=True, text=True)
    except subprocess.CalledProcessError as e:
        raise Failure("musl-gcc %s: %s" % (SRC, e.stderr.strip()))
    out = os.path.join(ctx.tmpdir, "peekoff.cpio")
    subprocess.run([sys.executable,
                    os.path.join(harness.ROOT, "distro", "mkinitramfs.py"),
                    root, out], check=True)
    return out


@group("exercise-sockets", needs=("kernel",))
def exercise_sockets(ctx):
    """SO_PEEK_OFF: MSG_PEEK from a Unix stream socket's peek offset."""
    cpio = None
    with ctx.test("exercise-sockets/build"):
        cpio = init_cpio(ctx)
    if cpio is None:
        return
    m = ctx.boot_pvh("exercise-sockets", timeout=TIMEOUT,
                     extra=["-initrd", cpio], append="init=/init")
    with ctx.test("exercise-sockets/peekoff", m):
        m.expect(r"\n(PASSED|FAILED)\r?\n", 60, "peekoff's last line")
        lines = re.findall(r"^((?:not )?ok .*?)\r?$", m.text, re.M)
        bad = [ln for ln in lines if ln.startswith("not ok")]
        if not lines:
            raise Failure("peekoff printed no result")
        if bad:
            raise Failure("; ".join(bad))
    m.kill("peekoff is done")
