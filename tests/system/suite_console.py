"""The console's input path: a paste of more than 4 KiB on the serial line,
in one write, must reach the kernel monitor whole (console-paste); keys
typed on the PS/2 keyboard through QEMU's monitor (sendkey) reach a
process reading the virtual console /dev/tty1 as a terminal, with echo on
the screen and ^C (console-key); and the serial port and the virtual
consoles are terminals of their own: readers on ttyS0 and tty1 get only
their own input, and Alt+F2 shows tty2 and types into it
(console-ttys)."""

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
    """Compile console_key.c as /init and /ttys of a fresh initramfs; its
    path."""
    root = os.path.join(workdir, "root")
    os.makedirs(root)
    try:
        subprocess.run(["musl-gcc", "-static", "-O2", "-Wall", "-Werror",
                        "-o", os.path.join(root, "init"), KEY_SRC],
                       check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as e:
        raise Failure("cannot build %s: %s" % (
            KEY_SRC, getattr(e, "stderr", b"").decode() or e))
    shutil.copy(os.path.join(root, "init"), os.path.join(root, "ttys"))
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

    def _drain(self):
        """Throw away what the monitor said so far (echo, prompts)."""
        self.sock.settimeout(0.2)
        try:
            while self.sock.recv(65536):
                pass
        except (socket.timeout, BlockingIOError):
            pass
        finally:
            self.sock.settimeout(5)

    def screen(self):
        """The VGA text screen (80x25 at 0xb8000) as 25 strings, read
        with the monitor's xp."""
        self._drain()
        self.sock.sendall(b"xp /2000hx 0xb8000\n")
        text, cells = "", []
        give_up = time.monotonic() + 20
        while len(cells) < 2000 and time.monotonic() < give_up:
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            if not data:
                break
            text += data.decode("latin-1")
            cells = [int(v, 16) for line in text.split("\n")
                     if re.match(r"^\s*[0-9a-f]{8,}: ", line)
                     for v in re.findall(r"0x([0-9a-f]{4})",
                                         line.split(":", 1)[1])]
        if len(cells) < 2000:
            raise Failure("xp gave %d cells of 2000" % len(cells))
        chars = "".join(chr(c & 0xff) for c in cells[:2000])
        return [chars[i:i + 80] for i in range(0, 2000, 80)]

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
        m.expect(r"console-key: line \[hei!\]\n", 30, "the line read")
        # The echo (with the erase) went to tty1's screen, not to the
        # serial line, which is another terminal.
        if "hey\x08 \x08i!" in m.text:
            raise Failure("tty1's echo came out on the serial line")
        rows = hmp.screen()
        if not any(r.rstrip() == "hei!" for r in rows):
            raise Failure("no line 'hei!' on the screen: %r"
                          % [r.rstrip() for r in rows if r.strip()])
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


# -- console-ttys: ttyS0 and tty1 are separate terminals; VC switching

TTYS_APPEND = "init=/ttys panic=exit debugexit=0xf4"


def expect_each(m, patterns, timeout):
    """Wait for every (regex, what) of PATTERNS after the last match, in
    any order; the next expect starts after the last of them."""
    start, end = m.pos, m.pos
    for pattern, what in patterns:
        m.pos = start
        end = max(end, m.expect(pattern, timeout, what).end())
    m.pos = end


def screen_has(hmp, text):
    return any(text in row for row in hmp.screen())


@group("console-ttys")
def console_ttys(ctx):
    """ttyS0 and tty1 read only their own input; Alt+F2 shows tty2."""
    workdir = tempfile.mkdtemp(prefix="eclipse-ttys-")
    try:
        cpio = build_key_initramfs(ctx, workdir)
        hmp_path = os.path.join(workdir, "hmp")
        m = ctx.boot_pvh("console-ttys", append=TTYS_APPEND, timeout=90,
                         extra=["-initrd", cpio, "-monitor",
                                "unix:%s,server=on,wait=off" % hmp_path])
        hmp = Hmp(hmp_path)
        try:
            run_console_ttys(m, hmp)
        finally:
            hmp.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run_console_ttys(m, hmp):
    p = "console-ttys: "
    with m.ctx.test("console/ttys-nodes", m):
        m.expect(p + r"console rdev 5:1\n", 30, "/dev/console")
        m.expect(p + r"ttyS0 rdev 4:64\n", 10, "/dev/ttyS0")
        m.expect(p + r"ttyS1: open: ENXIO\n", 10,
                 "ENXIO for a port that did not answer")
        m.expect(p + r"tty1 rdev 4:1\n", 10, "/dev/tty1")
        if not re.search(r"^tty: /dev/console is ttyS0$", m.text, re.M):
            raise Failure("the boot log does not say /dev/console is ttyS0")
    with m.ctx.test("console/ttys-separate", m):
        # The two readers run at once: their lines come in either order.
        expect_each(m, [(p + r"ttyS0 ctty yes\n", "ttyS0 as controlling tty"),
                        (p + r"tty1 ctty yes\n", "tty1 as controlling tty"),
                        (p + r"ttyS0 ready\n", "the ttyS0 reader"),
                        (p + r"tty1 ready\n", "the tty1 reader")], 30)
        # Both read at once: each line must reach its own reader only.
        hmp.keys(["k", "e", "y", "s"])
        m.send("serial-words\r")
        m.expect(p + r"ttyS0 \[serial-words\]\n", 30, "ttyS0's line")
        hmp.keys(["ret"])
        m.expect(p + r"tty1 \[keys\]\n", 30, "tty1's line")
        m.expect(p + r"readers done\n", 10, "both readers")
        # ttyS0 echoed its line on the serial line; tty1's went to the
        # screen only.
        if "serial-words\n" not in m.text:
            raise Failure("no echo of ttyS0's line on the serial line")
        if re.search(r"(?<!\[)keys\r?\n", m.text):
            raise Failure("tty1's echo came out on the serial line")
        if not screen_has(hmp, "keys"):
            raise Failure("tty1's echo is not on the screen")
    with m.ctx.test("console/vc-switch", m):
        m.expect(p + r"marks written\n", 10, "the marks")
        if not screen_has(hmp, "VC1-MARK") or screen_has(hmp, "VC2-MARK"):
            raise Failure("tty1 is not the one shown: %r"
                          % [r.rstrip() for r in hmp.screen() if r.strip()])
        hmp.keys(["alt-f2"])
        rows = hmp.screen()
        if not any("VC2-MARK" in r for r in rows) or \
                any("VC1-MARK" in r for r in rows):
            raise Failure("Alt+F2 did not show tty2: %r"
                          % [r.rstrip() for r in rows if r.strip()])
        # The keyboard types into the one shown; tty0 is that one.
        hmp.keys(["x", "ret"])
        m.expect(p + r"tty2 line \[x\]\n", 30, "tty2's line")
        m.expect(p + r"tty0 written\n", 10, "the tty0 mark")
        if not screen_has(hmp, "TTY0-MARK"):
            raise Failure("/dev/tty0 did not write on tty2, the one shown")
        hmp.keys(["ctrl-alt-f1"])
        rows = hmp.screen()
        if not any("VC1-MARK" in r for r in rows) or \
                any("TTY0-MARK" in r for r in rows):
            raise Failure("Ctrl+Alt+F1 did not show tty1: %r"
                          % [r.rstrip() for r in rows if r.strip()])
        hmp.keys(["y", "ret"])
        m.expect(p + r"tty1 line \[y\]\n", 30, "tty1's line")
        m.expect(p + r"done\n", 10, "the end")
    with m.ctx.test("console/ttys-poweroff", m):
        m.wait_exit(timeout=15)
        ok, why = m.classify("poweroff")
        if not ok:
            raise Failure(why)
