"""The console's input path: a paste of more than 4 KiB on the serial line,
in one write, must reach the kernel monitor whole (console-paste); and keys
typed on the PS/2 keyboard through QEMU's monitor (sendkey) reach a
process reading the screen console /dev/tty1 as a terminal, with echo and
^C (console-key)."""

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time

from harness import Failure, group

PASTE_LINES = 64
PASTE_FILL = 60         # each line: "echo Lnn-" + 60 x's + CR = 70 bytes


# intr_establish_isa()'s log line names the vector of com0's interrupt.
RE_COM0_VECTOR = re.compile(
    r"^intr: ISA IRQ \d+ -> .* -> vector (\d+): com0$", re.M)


def paste_line(i):
    return "L%02d-%s" % (i, "x" * PASTE_FILL)


def intr_count(m, vector):
    """Run kmon's intr and return the count of VECTOR (0 when intr does
    not list it: it lists only the vectors that fired)."""
    out = m.command("intr")
    if "console input bytes dropped" not in out:
        raise Failure("intr printed %r" % out.strip()[:160])
    found = re.search(r"^\s*vector\s+%d: (\d+)$" % vector, out, re.M)
    return (int(found.group(1)) if found else 0), out


@group("console-paste")
def console_paste(ctx):
    """A 4.4 KiB paste over serial: every line echoed, no byte dropped."""
    m = ctx.boot_pvh("console-paste", machine="pc", timeout=60)
    with ctx.test("console/paste", m):
        m.prompt(30)
        found = RE_COM0_VECTOR.search(m.text)
        if found is None:
            raise Failure("the boot log does not say com0's vector")
        vector = int(found.group(1))
        before, _ = intr_count(m, vector)
        paste = "".join("echo %s\r" % paste_line(i)
                        for i in range(PASTE_LINES))
        if len(paste) < 4096:
            raise Failure("the paste is only %d bytes" % len(paste))
        m.send(paste)
        # The output of each echo is the line alone, after a newline (its
        # input line starts with "kmon> echo ").
        for i in range(PASTE_LINES):
            m.expect(r"\n%s\n" % re.escape(paste_line(i)), 30,
                     "the output of paste line %d" % i)
        m.prompt(30)
        after, out = intr_count(m, vector)
        # Typing "intr\r" itself takes at most one interrupt a byte; the
        # paste must account for more than that.
        if after - before <= len("intr\r"):
            raise Failure("com0 (vector %d) took %d interrupts across the "
                          "paste (%d before, %d after)" % (
                              vector, after - before, before, after))
        found = re.search(r"console input bytes dropped: (\d+)", out)
        if found is None:
            raise Failure("intr printed no drop count: %r"
                          % out.strip()[:160])
        if int(found.group(1)) != 0:
            raise Failure("%s input bytes dropped" % found.group(1))
    with ctx.test("console/poweroff", m):
        m.sendline("poweroff")
        m.wait_exit(timeout=10)
        ok, why = m.classify("poweroff")
        if not ok:
            raise Failure(why)


# -- console-key: the screen console as a terminal, typed on through sendkey

HERE = os.path.dirname(os.path.abspath(__file__))
KEY_SRC = os.path.join(HERE, "console_key.c")
MKINITRAMFS = os.path.join(HERE, "..", "..", "distro", "mkinitramfs.py")
KEY_APPEND = "init=/init panic=exit debugexit=0xf4"


def build_key_initramfs(ctx, workdir):
    """Compile console_key.c as /init of a fresh initramfs; its path."""
    root = os.path.join(workdir, "root")
    os.makedirs(root)
    try:
        subprocess.run(["musl-gcc", "-static", "-O2", "-Wall", "-Werror",
                        "-o", os.path.join(root, "init"), KEY_SRC],
                       check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as e:
        raise Failure("cannot build %s: %s" % (
            KEY_SRC, getattr(e, "stderr", b"").decode() or e))
    cpio = os.path.join(workdir, "initramfs.cpio")
    subprocess.run(["python3", MKINITRAMFS, root, cpio],
                   check=True)
    return cpio


class Hmp:
    """QEMU's human monitor on a Unix socket: sendkey."""

    def __init__(self, path):
        give_up = time.monotonic() + 30
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        while True:
            try:
                self.sock.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() > give_up:
                    raise Failure("no HMP monitor at %s" % path)
                time.sleep(0.05)
        self.sock.settimeout(5)

    def keys(self, names):
        """Press and release each key of NAMES ("h", "ret", "ctrl-c")."""
        for name in names:
            self.sock.sendall(("sendkey %s\n" % name).encode())
            # Pacing only: the guest's keyboard buffer is small.
            time.sleep(0.2)

    def close(self):
        self.sock.close()


@group("console-key")
def console_key(ctx):
    """Keys typed on the PS/2 keyboard reach /dev/tty1 as a terminal."""
    workdir = tempfile.mkdtemp(prefix="eclipse-key-")
    try:
        cpio = build_key_initramfs(ctx, workdir)
        hmp_path = os.path.join(workdir, "hmp")
        m = ctx.boot_pvh("console-key", append=KEY_APPEND, timeout=60,
                         extra=["-initrd", cpio, "-monitor",
                                "unix:%s,server=on,wait=off" % hmp_path])
        hmp = Hmp(hmp_path)
        try:
            run_console_key(m, hmp)
        finally:
            hmp.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run_console_key(m, hmp):
    with m.ctx.test("console/tty-setup", m):
        m.expect(r"console-key: /dev/tty without a controlling terminal: "
                 r"ENXIO\n", 30, "ENXIO from /dev/tty without a ctty")
        m.expect(r"console-key: tty1 rdev 4:1\n", 10, "tty1's number")
        found = m.expect(r"console-key: winsize (\d+)x(\d+)\n", 10,
                         "the window size")
        rows, cols = int(found.group(1)), int(found.group(2))
        screen = re.search(r"^vga: (\d+)x(\d+) text", m.text, re.M)
        if screen is None:
            screen = re.search(r"^fb: .*, (\d+)x(\d+) text", m.text, re.M)
            want = screen and (int(screen.group(2)), int(screen.group(1)))
        else:
            want = (int(screen.group(2)), int(screen.group(1)))
        if want is None or (rows, cols) != want:
            raise Failure("TIOCGWINSZ says %dx%d, the screen is %s"
                          % (rows, cols, want))
        m.expect(r"console-key: canonical echo 1\n", 10, "ICANON|ECHO")
        m.expect(r"console-key: /dev/tty with a controlling terminal: "
                 r"opens\n", 10, "/dev/tty after TIOCSCTTY")
    with m.ctx.test("console/sendkey-line", m):
        m.expect(r"console-key: ready\n", 10, "the reader")
        hmp.keys(["h", "e", "y", "backspace", "i", "shift-1", "ret"])
        # The echo (with the erase) comes first, then the line read.
        m.expect(r"hey\x08 \x08i!\n", 30, "the echo of the typed line")
        m.expect(r"console-key: line \[hei!\]\n", 30, "the line read")
    with m.ctx.test("console/sendkey-ctrl-c", m):
        m.expect(r"console-key: child reading\n", 30, "the child reader")
        hmp.keys(["x", "ctrl-c"])
        m.expect(r"console-key: child killed by signal 2\n", 30,
                 "SIGINT for the foreground group")
        m.expect(r"console-key: done\n", 10, "the end")
    with m.ctx.test("console/key-poweroff", m):
        m.wait_exit(timeout=15)
        ok, why = m.classify("poweroff")
        if not ok:
            raise Failure(why)
