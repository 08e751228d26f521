"""The course's try blocks: every ```console block of the chapters of
Documentation/tutorial/ (the markup: Documentation/course-checks.md) runs
where its marker says, and prints what the chapter says it prints.

- guest: one boot of the system as `make run` boots it, but by PVH for
  speed: the kernel with the disk image's initramfs and the command line
  of distro/grub.cfg's default entry, a copy of $(IMAGE) as the virtio
  disk (the root on eclipsefs).  Each chapter starts with `cd /`; its
  blocks run in order in the one shell.
- kmon: one PVH boot with no initramfs (the kernel monitor); booted again
  if a block ends it (poweroff, reboot).
- host: bash in the tree's root, each command under a timeout.

One result per block, named course/<slug>/<n> (n counts the chapter's
try blocks from 1); a failure names the first line that differs.
tests/course/tryit.py runs the same code for one chapter, or for a
fixture, from the command line.
"""

import os
import re
import subprocess
import sys
import time

from harness import Failure, group
import harness

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "course"))
import course  # noqa: E402

# What the guest boot loads besides the kernel (`make image` makes both).
RESCUE_INITRAMFS = "initramfs-rescue.cpio"
GRUB_CFG = os.path.join("distro", "grub.cfg")

BOOT_TIMEOUT = 60           # KVM seconds to the shell or kmon prompt
COMMAND_TIMEOUT = 30        # KVM seconds a command may take by default
HOST_TIMEOUT = 30           # real seconds a host command may take
RUN_TIMEOUT = 3600          # the whole guest run (KVM seconds)
SETTLE_TRIES = 20           # `true`s to wait for a quiet console

SHELL_PROMPT = re.compile(harness.SHELL_PROMPT)
KMON_PROMPT = re.compile(re.escape(harness.PROMPT))
# Terminal control sequences the line editors write around the echo.
RE_CSI = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|[@-Z\\-_])")


def grub_cmdline(tree):
    """The kernel command line of distro/grub.cfg's first menu entry
    (what `make run` boots by default)."""
    path = os.path.join(tree, GRUB_CFG)
    with open(path) as f:
        for line in f:
            m = re.match(r"^\s*multiboot2\s+\S+\s*(.*)$", line)
            if m:
                return m.group(1).strip()
    raise Failure("%s: no multiboot2 line" % path)


def strip_echo(text, line):
    """The output of a command from the text between typing LINE and the
    next prompt: the echo of LINE removed, however the line editor
    wrapped or redrew it (it may insert newlines, carriage returns and
    control sequences), up to the end of the echo's line."""
    text = RE_CSI.sub("", text)
    k = 0
    i = 0
    while i < len(text) and k < len(line):
        c = text[i]
        if c == line[k]:
            k += 1
        elif c not in "\n\b ":
            break
        i += 1
    nl = text.find("\n", i)
    return "" if nl < 0 else text[nl + 1:]


def first_difference(cmd, got):
    """None when the output GOT (text) matches COMMAND's expected lines,
    else the failure message: the first line that differs."""
    lines = course.normalise(got)
    diff = course.match(cmd.expect, lines)
    if diff is None:
        return None
    i, j, why = diff
    where = "line %d" % cmd.line_no
    if i is not None:
        where = "line %d" % (cmd.line_no + 1 + i)
    return "%s: %r: %s" % (where, cmd.line, why)


# ---------------------------------------------------------------------------
# The three places.

class GuestSession:
    """The root shell of the guest on the serial line."""

    def __init__(self, ctx, tree, build):
        self.ctx = ctx
        self.tree = tree
        self.build = build
        self.m = None
        self.lost = None

    def boot(self):
        img = os.path.join(self.build, "eclipseos.img")
        cpio = os.path.join(self.build, RESCUE_INITRAMFS)
        for f in (img, cpio, self.ctx.kernel):
            if not os.path.exists(f):
                raise Failure("%s is missing (make image)" % f)
        copy = os.path.join(self.ctx.tmpdir, "course.img")
        subprocess.run(["cp", "--sparse=always", img, copy], check=True)
        t0 = time.monotonic()
        self.m = self.ctx.boot_pvh(
            "course-guest", machine="pc", append=grub_cmdline(self.tree),
            timeout=RUN_TIMEOUT,
            extra=["-initrd", cpio,
                   "-drive", "file=%s,if=virtio,format=raw" % copy])
        self.m.expect(SHELL_PROMPT, BOOT_TIMEOUT, "the shell's prompt")
        self.settle()
        self.boot_seconds = time.monotonic() - t0
        return self.m

    def settle(self):
        """Wait until init and the services it starts have said their
        lines (they come after the first prompt): until `true` prints
        nothing, twice in a row, a second apart."""
        quiet = 0
        for _ in range(SETTLE_TRIES):
            time.sleep(1)
            start = len(self.m.text)
            self.m.sendline("true")
            p = self.m.expect(SHELL_PROMPT, COMMAND_TIMEOUT,
                              "the prompt after true")
            if strip_echo(self.m.text[start:p.start()], "true").strip() \
                    or self.m.text[start:p.start()].find("true") != 0:
                quiet = 0
            else:
                quiet += 1
                if quiet == 2:
                    return
        raise Failure("the console never went quiet after the boot: %r"
                      % self.m.text[-300:])

    def run(self, cmd, timeout):
        """Type the command; returns (its output, the folder of the
        prompt after it)."""
        if self.lost:
            raise Failure("the shell was lost earlier: " + self.lost)
        m = self.m
        start = len(m.text)
        m.sendline(cmd.line)
        try:
            m.pos = start
            p = m.expect(SHELL_PROMPT, timeout, "the prompt after %r"
                         % cmd.line)
        except Failure as e:
            self.recover(cmd, e)
            raise Failure("line %d: %r: %s" % (cmd.line_no, cmd.line, e))
        return strip_echo(m.text[start:p.start()], cmd.line), p.group(2)

    def recover(self, cmd, e):
        """After a command that did not come back: Ctrl-C, and the prompt
        again, or the shell is lost."""
        if self.m.eof:
            self.lost = "%r: %s" % (cmd.line, e)
            return
        self.m.send("\x03")
        try:
            self.m.expect(SHELL_PROMPT, 10, "the prompt after Ctrl-C")
        except Failure:
            self.lost = "%r did not come back, nor after Ctrl-C" % cmd.line

    def reset(self):
        """A fresh `cd /` before each chapter."""
        if self.lost:
            return
        m = self.m
        m.pos = len(m.text)
        m.sendline("cd /")
        try:
            m.expect(SHELL_PROMPT, COMMAND_TIMEOUT, "the prompt after cd /")
        except Failure as e:
            self.lost = "cd /: %s" % e

    def leftovers(self):
        """Background jobs a chapter left behind (its output of jobs)."""
        if self.lost:
            return ""
        m = self.m
        start = len(m.text)
        m.sendline("jobs")
        try:
            p = m.expect(SHELL_PROMPT, COMMAND_TIMEOUT, "jobs")
        except Failure as e:
            self.lost = "jobs: %s" % e
            return ""
        return strip_echo(m.text[start:p.start()], "jobs").strip()

    def close(self):
        if self.m is not None:
            self.m.kill("the course's blocks are done")


class KmonSession:
    """The kernel monitor of a PVH boot with no initramfs."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.m = None
        self.boots = 0

    def boot(self):
        self.boots += 1
        t0 = time.monotonic()
        self.m = self.ctx.boot_pvh("course-kmon-%d" % self.boots,
                                   machine="pc", timeout=RUN_TIMEOUT)
        self.m.expect(KMON_PROMPT, BOOT_TIMEOUT, "the kmon prompt")
        self.boot_seconds = time.monotonic() - t0

    def run(self, cmd, timeout):
        if self.m is None or self.m.eof:
            if self.m is not None:
                self.m.kill("ended")
            self.boot()
        m = self.m
        start = len(m.text)
        m.sendline(cmd.line)
        m.pos = start
        try:
            p = m.expect(KMON_PROMPT, timeout, "the kmon prompt after %r"
                         % cmd.line)
            end = p.start()
        except Failure:
            # poweroff and reboot end the machine: their output is what
            # came before the end.
            if not m.eof:
                raise
            m.wait_exit(timeout=10)
            end = len(m.text)
        return strip_echo(m.text[start:end], cmd.line), None

    def close(self):
        if self.m is not None:
            self.m.kill("the course's blocks are done")


# What make hands its children: a reader's shell has none of it, and a
# make run inside make check would otherwise print "make[2]:".
MAKE_ENV = ("MAKELEVEL", "MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES")


def run_host(tree, cmd, timeout):
    """bash -c COMMAND in the tree's root, in the environment of a reader's
    shell (none of make's own variables); its standard output and error
    together."""
    env = {k: v for k, v in os.environ.items() if k not in MAKE_ENV}
    try:
        p = subprocess.run(["timeout", "-k", "5", str(timeout), "bash",
                            "-c", cmd.line], cwd=tree, env=env,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
    except OSError as e:
        raise Failure("line %d: %r: %s" % (cmd.line_no, cmd.line, e))
    if p.returncode == 124:
        raise Failure("line %d: %r: still running after %d s" % (
            cmd.line_no, cmd.line, timeout))
    return p.stdout.decode("utf-8", "replace"), None


# ---------------------------------------------------------------------------
# Running chapters.

class Runner:
    """Runs the try blocks of chapters in a harness context; records one
    result per block and the time each chapter took."""

    def __init__(self, ctx, tree=ROOT, build=None):
        self.ctx = ctx
        self.tree = tree
        self.build = build or ctx.build
        self.guest = None
        self.kmon = None
        self.timings = []       # (what, seconds)

    def scaled(self, t):
        return self.ctx.scaled(t)

    def block(self, b, session):
        """Run block B's commands; the first failure fails the block."""
        machine = getattr(session, "m", None) if session else None
        with self.ctx.test(b.name, machine):
            if not b.commands:
                raise Failure("line %d: a try block with no command"
                              % b.line)
            for cmd in b.commands:
                if b.place == "host":
                    got, cwd = run_host(self.tree, cmd,
                                        b.timeout or HOST_TIMEOUT)
                else:
                    got, cwd = session.run(cmd, b.timeout or
                                           COMMAND_TIMEOUT)
                why = first_difference(cmd, got)
                if why:
                    raise Failure(why)
                self.check_prompt(b, cmd, cwd)

    def check_prompt(self, b, cmd, cwd):
        """The folder in the chapter's next prompt is the shell's."""
        if b.place != "guest" or cwd is None:
            return
        cmds = b.commands
        k = cmds.index(cmd)
        if k + 1 < len(cmds):
            want = cmds[k + 1].cwd
            where = cmds[k + 1].line_no
        else:
            return
        if want is not None and want != cwd:
            raise Failure("line %d: the prompt shows %r after %r, the "
                          "chapter %r" % (where, cwd, cmd.line, want))

    def guest_session(self):
        if self.guest is None:
            self.guest = GuestSession(self.ctx, self.tree, self.build)
            try:
                self.guest.boot()
            except Failure as e:
                self.guest.lost = "the boot failed: %s" % e
                self.ctx.result("course/guest-boot", False, str(e),
                                self.guest.m)
            else:
                self.timings.append(("guest boot",
                                     self.guest.boot_seconds))
        return self.guest

    def kmon_session(self):
        if self.kmon is None:
            self.kmon = KmonSession(self.ctx)
            try:
                self.kmon.boot()
            except Failure as e:
                self.ctx.result("course/kmon-boot", False, str(e),
                                self.kmon.m)
                self.kmon.m and self.kmon.m.kill("no prompt")
                self.kmon.m = None
            else:
                self.timings.append(("kmon boot", self.kmon.boot_seconds))
        return self.kmon

    def chapter(self, ch):
        """Run every try block of chapter CH, guest blocks in one shell
        after a `cd /`."""
        t0 = time.monotonic()
        if ch.problems:
            self.ctx.result("course/%s/markup" % ch.slug, False, "; ".join(
                "line %d: %s" % p for p in ch.problems))
        places = {b.place for b in ch.tries}
        if "guest" in places:
            self.guest_session().reset()
        for b in ch.tries:
            if b.place == "guest":
                self.block(b, self.guest)
            elif b.place == "kmon":
                self.block(b, self.kmon_session())
            else:
                self.block(b, None)
        if "guest" in places and self.guest and not self.guest.lost:
            left = self.guest.leftovers()
            if left:
                self.ctx.result("course/%s/jobs" % ch.slug, False,
                                "the chapter left background jobs: %r"
                                % left[:200], self.guest.m)
        self.timings.append((ch.slug, time.monotonic() - t0))

    def close(self):
        for s in (self.guest, self.kmon):
            if s is not None:
                s.close()


def run_chapters(ctx, chapters, tree=ROOT, build=None):
    """Run the try blocks of CHAPTERS; returns the runner (its timings)."""
    r = Runner(ctx, tree, build)
    try:
        for ch in chapters:
            r.chapter(ch)
    finally:
        r.close()
    return r


@group("course", needs=("kernel", "image"))
def course_blocks(ctx):
    """Every try block of the course prints what its chapter says.

    One result a block, course/<slug>/<n>; guest blocks in one boot,
    kmon blocks in another, host blocks in bash in the tree."""
    chapters = course.load_chapters(ROOT)
    if not any(ch.tries for ch in chapters):
        raise Failure("no try block in any chapter of %s" % course.INDEX)
    r = run_chapters(ctx, chapters)
    for what, s in r.timings:
        print("  [course] %s: %.1f s" % (what, s), flush=True)
