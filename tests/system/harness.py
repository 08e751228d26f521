#!/usr/bin/env python3
"""The EclipseOS system-test harness: boots QEMU and talks to the serial line.

A system test is a small Python function in one of the files
tests/system/suite_*.py, registered with @group.  A *group* is the unit of
work: it boots QEMU once (or a few times when its tests must end the machine,
such as the fault self-tests) and records one result per test.  The harness
runs one group per process, so `make -j2 check` runs two groups at a time.

Every QEMU run is headless (-display none), its serial line on QEMU's
stdin/stdout (pipes the harness reads and writes), -no-reboot, with an
isa-debug-exit device at port 0xf4 and a QMP socket the harness reads to learn
why QEMU stopped (a power-off and a reset both make QEMU exit with status 0).
A run ends in one of three ways:

    poweroff    ACPI power-off (QMP SHUTDOWN, reason "guest-shutdown")
    debug-exit  the guest wrote V to port 0xf4; QEMU exits with (V << 1) | 1
    timeout     the harness killed QEMU at the run's deadline (a failure,
                written into the log as "timeout")

(and "reset" when the guest reset the machine, which -no-reboot turns into an
exit).  A run whose serial output contains "panic:" or "trap:" is failed
whatever its ending.

Timeouts are written in seconds under KVM and multiplied by TCG_SCALE under
TCG; the accelerator comes from distro/qemu-accel.sh BUILD (tcg when that
script is missing or fails), or from --accel.

Each run's serial output is written as it arrives to LOGS/<run>.log, followed
by lines starting with "### harness:" (what ended the run, QEMU's own error
output).  The results of a group go to LOGS/<group>.results (JSON), which
tests/summary.py turns into the summary at the end of `make check`.

Usage:
    harness.py --list                       the groups, in order
    harness.py --needs GROUP...             what they need built (kernel ...)
    harness.py --accel-info --build DIR     say which accelerator is used
    harness.py --build DIR --group GROUP    run one group
"""

import argparse
import codecs
import contextlib
import glob
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

QEMU = os.environ.get("QEMU", "qemu-system-x86_64")
TCG_SCALE = 6

# The kernel's side of the contract (sys/kern/main.c, kern_ktest.c, trap.c).
RE_FIRST_LINE = re.compile(
    r"EclipseOS (\S+) x86_64: booted by (multiboot2|PVH)")
RE_INIT = re.compile(r"boot: kernel initialised in (\d+)\.(\d{3}) ms")
RE_KTEST = re.compile(r"^ktest: (ok|not ok) (\d+) - (\S+)")
RE_KTEST_DONE = re.compile(r"^ktest: done: (\d+) passed, (\d+) failed")
PROMPT = "kmon> "
FAILURE_MARKS = ("panic:", "trap:")

# What a group may need built: the make target and the file it makes.
NEEDS = {
    "kernel": "kernel.elf",
    "image": "eclipseos.img",
    "iso": "eclipseos.iso",
}

# Where the ovmf package puts the UEFI firmware: one file for -bios, or a
# code/variables pair for two pflash drives.
OVMF_BIOS = ("/usr/share/ovmf/OVMF.fd", "/usr/share/OVMF/OVMF.fd",
             "/usr/share/qemu/OVMF.fd")
OVMF_PAIRS = (("/usr/share/OVMF/OVMF_CODE_4M.fd",
               "/usr/share/OVMF/OVMF_VARS_4M.fd"),
              ("/usr/share/OVMF/OVMF_CODE.fd",
               "/usr/share/OVMF/OVMF_VARS.fd"))


# ---------------------------------------------------------------------------
# Small file helpers, shared with the suite runners that import this module
# (tests/posix/posixtests.py, tests/busybox/bbtests.py).

def read_text(path):
    """PATH's text (UTF-8; undecodable bytes replaced)."""
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def write_json(path, obj):
    """Write OBJ to PATH as JSON, replacing the file in one step."""
    with open(path + ".tmp", "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True)
    os.replace(path + ".tmp", path)


def load_json(path):
    """PATH's JSON, or None when it is missing or not JSON."""
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


class Failure(Exception):
    """A test's expectation was not met; the message says which."""


# ---------------------------------------------------------------------------
# BusyBox's shell on the serial line (the image's userland: the groups
# that boot the initramfs with our init and its root shell on ttyS0).

# etc/profile's PS1 '\u@\h:\w\$ ': user, host, working folder.
SHELL_PROMPT = r"(\w+)@eclipse:([^\n#$]*)[#$] "


class Shell:
    """The shell on a machine's serial line: run a command, get its output
    and exit status.  After a command that loses the prompt, every later
    one fails at once with the first reason (the group's remaining tests
    then say why they could not run)."""

    def __init__(self, m):
        self.m = m
        self.lost = None

    def prompt(self, timeout=30):
        return self.m.expect(SHELL_PROMPT, timeout, "the shell's prompt")

    def run(self, line, timeout=30):
        """Type LINE, wait for the next prompt; returns (output, status).
        The output is what the command printed (its echo removed)."""
        if self.lost:
            raise Failure("the shell was lost earlier: " + self.lost)
        try:
            self.m.sendline(line)
            self.m.expect(r"\n", timeout, "the echo of %r" % line)
            start = self.m.pos
            p = self.prompt(timeout)
            out = self.m.text[start:p.start()]
            self.m.sendline('echo "@@$?@@"')
            st = self.m.expect(r"@@(\d+)@@\n", timeout, "the exit status")
            self.prompt(timeout)
        except Failure as e:
            self.lost = "%r: %s" % (line, e)
            raise
        return out, int(st.group(1))

    def ok(self, line, timeout=30):
        """Run LINE; it must exit 0.  Returns its output."""
        out, st = self.run(line, timeout)
        if st != 0:
            raise Failure("%r exited %d, printed %r" % (line, st,
                                                        out[-300:]))
        return out


def want(out, pattern, what):
    """Fail unless PATTERN (a regex, multiline) is in OUT; the match."""
    mt = re.search(pattern, out, re.M)
    if mt is None:
        raise Failure("%s: no /%s/ in %r" % (what, pattern, out[-400:]))
    return mt


# ---------------------------------------------------------------------------
# The registry of groups.

GROUPS = {}


class Group:
    def __init__(self, name, fn, needs):
        self.name = name
        self.fn = fn
        self.needs = tuple(needs)
        self.doc = (fn.__doc__ or "").strip().split("\n")[0]


def group(name, needs=("kernel",)):
    """Register fn(ctx) as the group NAME, which needs NEEDS built."""
    def register(fn):
        if name in GROUPS:
            raise RuntimeError("group %s defined twice" % name)
        for n in needs:
            if n not in NEEDS:
                raise RuntimeError("group %s needs unknown %s" % (name, n))
        GROUPS[name] = Group(name, fn, needs)
        return fn
    return register


def load_suites(extra=()):
    """Import every tests/system/suite_*.py, which registers its groups,
    then the files in EXTRA (--suite: an exercise's check, say, which is
    not part of make check)."""
    # The suites import "harness": let that be this module even when it
    # runs as __main__, so that they register into this GROUPS.
    sys.modules.setdefault("harness", sys.modules[__name__])
    sys.path.insert(0, HERE)
    paths = sorted(glob.glob(os.path.join(HERE, "suite_*.py")))
    for path in paths + list(extra):
        modname = os.path.splitext(os.path.basename(path))[0]
        if path in extra:
            modname = "extra_" + re.sub(r"\W", "_", path)
        spec = importlib.util.spec_from_file_location(modname, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[modname] = mod
        spec.loader.exec_module(mod)


# ---------------------------------------------------------------------------
# One QEMU run.

class Machine:
    """A QEMU process, its serial line, its log and its deadline.

    All waits end at the deadline at the latest: a timer kills QEMU then, which
    ends the serial stream and wakes every waiter.
    """

    def __init__(self, ctx, name, args, timeout):
        self.ctx = ctx
        self.name = name
        self.args = list(args)
        self.timeout = timeout
        self.log_path = os.path.join(ctx.logdir, name + ".log")
        self.text = ""          # serial output, "\r" removed
        self.pos = 0            # where the next expect() starts looking
        self.chunks = []        # (end offset in text, arrival time)
        self.eof = False
        self.timed_out = False
        self.killed = False
        self.status = None
        self.shutdown_reason = None
        self.stderr = b""
        self.finished = False
        self.cond = threading.Condition()
        self.loglock = threading.Lock()
        self.log_nl = True
        self.proc = None

    # -- starting and stopping

    def start(self):
        os.makedirs(self.ctx.logdir, exist_ok=True)
        self.logf = open(self.log_path, "wb")
        self.qmp_dir = tempfile.mkdtemp(prefix="eclipse-qmp-")
        qmp_path = os.path.join(self.qmp_dir, "qmp")
        # timeout(1) is a second guard should this process die; it runs
        # QEMU in its own process group, which _kill() relies on.
        cmd = ["timeout", "-k", "5", "%d" % (self.timeout + 30), QEMU,
               "-display", "none", "-monitor", "none",
               "-serial", "stdio", "-no-reboot",
               "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
               "-qmp", "unix:%s,server=on,wait=on" % qmp_path]
        cmd += self.ctx.accel_args() + self.args
        self.note("run: " + " ".join(cmd[4:]))
        self.t0 = time.monotonic()
        self.deadline = self.t0 + self.timeout
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.threads = [
            threading.Thread(target=self._read_serial, daemon=True),
            threading.Thread(target=self._read_stderr, daemon=True),
            threading.Thread(target=self._qmp_loop, args=(qmp_path,),
                             daemon=True),
        ]
        for t in self.threads:
            t.start()
        self.timer = threading.Timer(self.timeout, self._on_deadline)
        self.timer.daemon = True
        self.timer.start()
        return self

    def _on_deadline(self):
        if self.proc.poll() is None:
            self.timed_out = True
            self.note("timeout: QEMU still running after %d s; killed"
                      % self.timeout)
            self._kill()

    def _kill(self):
        try:
            self.proc.send_signal(signal.SIGTERM)   # timeout(1) passes it on
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        except OSError:
            pass

    def kill(self, why):
        """End a run that is still going (the group is over)."""
        if self.proc is not None and self.proc.poll() is None:
            self.note("killed: " + why)
            self.killed = True
            self._kill()
        self.finish()

    def power_cut(self):
        """SIGKILL to QEMU's process group at once: no shutdown, no flush
        of the guest's disk (a power cut).  The run counts as killed."""
        self.note("power cut: SIGKILL")
        with contextlib.suppress(OSError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.killed = True
        self.finish()

    def wait_exit(self, timeout=None):
        """Wait until QEMU exits; returns how (see outcome()).  After
        TIMEOUT KVM seconds, or at the run's deadline, QEMU is killed and
        the outcome is "timeout"."""
        limit = self.deadline
        if timeout is not None:
            limit = min(limit, time.monotonic() + self.ctx.scaled(timeout))
        try:
            self.proc.wait(timeout=max(limit - time.monotonic(), 0))
        except subprocess.TimeoutExpired:
            if self.proc.poll() is None:
                self.timed_out = True
                self.note("timeout: QEMU still running after %.0f s; "
                          "killed" % (time.monotonic() - self.t0))
                self._kill()
        self.finish()
        return self.outcome()

    def finish(self):
        """Collect QEMU's status and close the log; idempotent."""
        if self.finished:
            return
        self.proc.wait()
        self.timer.cancel()
        for t in self.threads:
            t.join(timeout=5)
        self.status = self.proc.returncode
        self.finished = True
        self.note("ended: %s (QEMU status %d%s) after %.2f s" % (
            self.outcome(), self.status,
            ", QMP shutdown reason " + self.shutdown_reason
            if self.shutdown_reason else "", time.monotonic() - self.t0))
        err = self.stderr.decode("utf-8", "replace").strip()
        for line in err.splitlines():
            if "QEMU waiting for connection" not in line:
                self.note("qemu: " + line)
        self.logf.close()
        shutil.rmtree(self.qmp_dir, ignore_errors=True)

    # -- the readers

    def _read_serial(self):
        dec = codecs.getincrementaldecoder("utf-8")("replace")
        fd = self.proc.stdout.fileno()
        while True:
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b""
            now = time.monotonic()
            if data:
                with self.loglock:
                    self.logf.write(data)
                    self.logf.flush()
                    self.log_nl = data.endswith(b"\n")
            s = dec.decode(data, final=not data).replace("\r", "")
            with self.cond:
                if s:
                    self.text += s
                    self.chunks.append((len(self.text), now))
                if not data:
                    self.eof = True
                self.cond.notify_all()
            if not data:
                return

    def _read_stderr(self):
        self.stderr = self.proc.stderr.read()

    def _qmp_loop(self, path):
        """Connect to QMP (QEMU waits for us) and keep the SHUTDOWN reason."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        give_up = time.monotonic() + 30
        while True:
            try:
                sock.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if (self.proc.poll() is not None or
                        time.monotonic() > give_up):
                    sock.close()
                    return
                time.sleep(0.005)
        f = sock.makefile("rwb")
        try:
            f.readline()                            # the greeting
            f.write(b'{"execute": "qmp_capabilities"}\n')
            f.flush()
            for line in f:
                with contextlib.suppress(ValueError):
                    msg = json.loads(line)
                    if msg.get("event") == "SHUTDOWN":
                        self.shutdown_reason = msg.get(
                            "data", {}).get("reason", "unknown")
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                f.close()
                sock.close()

    # -- the log

    def note(self, msg):
        """Append a "### harness:" line to the log (not to the serial text)."""
        with self.loglock:
            if self.logf.closed:
                return
            self.logf.write(("%s### harness: %s\n" % (
                "" if self.log_nl else "\n", msg)).encode())
            self.logf.flush()
            self.log_nl = True

    # -- the serial line

    def expect(self, pattern, timeout=None, what=None):
        """Wait for PATTERN (a regex) in the output after the last match.

        TIMEOUT is in KVM seconds (scaled under TCG); the run's deadline
        bounds it anyway.  Returns the match; raises Failure on a timeout or
        when QEMU ends first.
        """
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        what = what or "/%s/" % rx.pattern
        limit = self.deadline
        if timeout is not None:
            limit = min(limit, time.monotonic() + self.ctx.scaled(timeout))
        with self.cond:
            while True:
                m = rx.search(self.text, self.pos)
                if m:
                    self.pos = m.end()
                    return m
                if self.eof:
                    break
                left = limit - time.monotonic()
                if left <= 0:
                    break
                self.cond.wait(left)
        if self.eof:
            self.finish()
            raise Failure("QEMU ended (%s) before %s%s" % (
                self.outcome(), what, self.last_words()))
        self.note("timeout: no %s within %.0f s" % (
            what, time.monotonic() - self.t0))
        raise Failure("timeout waiting for %s%s" % (what, self.last_words()))

    def send(self, text):
        """Type TEXT on the serial line."""
        try:
            self.proc.stdin.write(text.encode())
            self.proc.stdin.flush()
        except OSError:
            raise Failure("QEMU ended (%s) before we could send %r" % (
                self.wait_exit(), text))

    def sendline(self, text):
        """Type TEXT and Enter (a carriage return, as a terminal sends)."""
        self.send(text + "\r")

    def prompt(self, timeout=None):
        """Wait for the kernel monitor's prompt."""
        return self.expect(re.escape(PROMPT), timeout, "the prompt %r"
                           % PROMPT)

    def command(self, line, timeout=10):
        """Run LINE at the kmon prompt; returns its output (up to the next
        prompt).  The prompt must have been seen already."""
        self.sendline(line)
        self.expect(re.escape(line) + r"\n", timeout,
                    "the echo of %r" % line)
        start = self.pos
        m = self.prompt(timeout)
        return self.text[start:m.start()]

    def time_at(self, offset):
        """Seconds from QEMU's start until output offset OFFSET arrived."""
        with self.cond:
            for end, t in self.chunks:
                if end >= offset:
                    return t - self.t0
        return None

    def last_words(self):
        """The last lines of output, to explain a failure."""
        tail = [ln for ln in self.text.rstrip().split("\n") if ln.strip()]
        if not tail:
            return "; no output"
        return "; last output: %r" % tail[-1][-120:]

    # -- the verdict

    def outcome(self):
        """How the run ended: poweroff, reset, debug-exit N, timeout, ..."""
        if self.timed_out:
            return "timeout"
        if self.killed:
            return "killed by the harness"
        st = self.proc.poll() if self.status is None else self.status
        if st is None:
            return "running"
        if st == 0:
            return {"guest-shutdown": "poweroff",
                    "guest-reset": "reset",
                    "host-signal": "killed by a signal",
                    None: "exit 0 without a QMP shutdown event"}.get(
                        self.shutdown_reason,
                        "exit 0 (" + str(self.shutdown_reason) + ")")
        if st < 0:
            return "QEMU died of signal %d" % -st
        if st in (124, 137):
            return "killed by timeout(1), status %d" % st
        if st & 1 and st > 1:
            return "debug-exit %d" % (st >> 1)
        return "QEMU status %d" % st

    def marks(self):
        """The first output line holding "panic:" or "trap:", or None."""
        for line in self.text.split("\n"):
            if any(mark in line for mark in FAILURE_MARKS):
                return line.strip()
        return None

    def classify(self, expect="poweroff"):
        """(passed, why) for the whole run: no panic or trap, and QEMU
        ended the way EXPECT says.  Call after the run has ended."""
        problems = []
        mark = self.marks()
        if mark is not None:
            problems.append("output has %r" % mark[:160])
        how = self.outcome()
        if how != expect:
            problems.append("ended by %s, expected %s" % (how, expect))
        return (not problems, "; ".join(problems))


# ---------------------------------------------------------------------------
# A group's context: paths, accelerator, machines, results.

class Context:
    def __init__(self, args, group):
        self.build = args.build
        self.logdir = args.logs or os.path.join(args.build, "test-logs")
        self.group = group
        self.accel = args.accel
        self.scale = float(os.environ.get("TEST_TIMEOUT_SCALE") or
                           (TCG_SCALE if self.accel == "tcg" else 1))
        self.files = {n: os.path.join(args.build, f)
                      for n, f in NEEDS.items()}
        for n in NEEDS:
            if getattr(args, n, None):
                self.files[n] = getattr(args, n)
        self.results = []
        self.boot_times = []
        self.machines = []
        self.tmpdir = tempfile.mkdtemp(prefix="eclipse-test-")

    @property
    def kernel(self):
        return self.files["kernel"]

    def accel_args(self):
        if self.accel == "kvm":
            return ["-accel", "kvm"]
        return ["-accel", "tcg"]

    def scaled(self, seconds):
        return seconds * self.scale

    def machine(self, name, args, timeout):
        """Start QEMU with ARGS; TIMEOUT is the whole run's, in KVM seconds."""
        m = Machine(self, name, args, self.scaled(timeout))
        self.machines.append(m)
        return m.start()

    def boot_pvh(self, name, machine="pc", append="", timeout=20,
                 extra=()):
        """Boot the kernel through its PVH entry (QEMU's -kernel)."""
        args = ["-machine", machine, "-m", "512M", "-smp", "1",
                "-kernel", self.kernel]
        if append:
            args += ["-append", append]
        return self.machine(name, args + list(extra), timeout)

    def ovmf_args(self):
        """QEMU arguments for UEFI firmware from the ovmf package."""
        for path in OVMF_BIOS:
            if os.path.exists(path):
                return ["-bios", path]
        for code, vars_ in OVMF_PAIRS:
            if os.path.exists(code) and os.path.exists(vars_):
                copy = os.path.join(self.tmpdir, "OVMF_VARS.fd")
                shutil.copyfile(vars_, copy)
                return ["-drive", "if=pflash,format=raw,readonly=on,file="
                        + code, "-drive", "if=pflash,format=raw,file=" + copy]
        raise Failure("no OVMF firmware (install the ovmf package)")

    def result(self, name, ok, why="", machine=None, known=False):
        """Record one result; known=True: a known failure (it failed, for
        the documented reason in why), counted as skipped."""
        log = machine.log_path if machine is not None else None
        self.results.append({"name": name, "ok": bool(ok) and not known,
                             "why": why, "log": log, "known": known})
        tag = "KNOWN" if known else "PASS" if ok else "FAIL"
        line = "[%s] %s %s" % (self.group, tag, name)
        if known:
            line += ": " + why
        elif not ok:
            line += ": " + why
            if log:
                line += " [%s]" % log
        print("  " + line, flush=True)

    @contextlib.contextmanager
    def test(self, name, machine=None):
        """Run the body as the test NAME: it passes unless it raises
        Failure."""
        try:
            yield
        except Failure as e:
            self.result(name, False, str(e), machine)
        else:
            self.result(name, True, "", machine)

    def boot_time(self, name, wall, kernel_ms):
        self.boot_times.append({"name": name, "wall_s": wall,
                                "kernel_ms": kernel_ms})

    def cleanup(self):
        for m in self.machines:
            if m.proc is not None:
                m.kill("still running when the group ended")
        shutil.rmtree(self.tmpdir, ignore_errors=True)


# ---------------------------------------------------------------------------
# Helpers the suites share.

def wait_ktests(m):
    """Wait for machine m's ktest run to end and the power-off after it
    (a run that stops early, a panic, still reports the ktests it ran);
    returns parse_ktests of its output."""
    try:
        m.expect(r"ktest: done: ", what="the ktest done line")
        m.wait_exit(timeout=10)
    except Failure:
        m.wait_exit()
    return parse_ktests(m.text)


def parse_ktests(text):
    """Read ktest lines: ([(number, name, ok, why)], (passed, failed) or
    None).  WHY is the assertion lines printed before a "not ok"."""
    tests, done, pending = [], None, []
    for line in text.split("\n"):
        line = line.strip()
        m = RE_KTEST.match(line)
        if m:
            ok = m.group(1) == "ok"
            tests.append((int(m.group(2)), m.group(3), ok,
                          "; ".join(pending) if not ok else ""))
            pending = []
            continue
        m = RE_KTEST_DONE.match(line)
        if m:
            done = (int(m.group(1)), int(m.group(2)))
        elif line.startswith("ktest: "):
            pending.append(line[len("ktest: "):])
    return tests, done


def check_ktest_run(m, tests, done):
    """Problems with a ktest=... run as a whole (not its single tests)."""
    problems = []
    ok, why = m.classify("poweroff")
    if not ok:
        problems.append(why)
    if not tests:
        problems.append("no ktest ran")
    numbers = [t[0] for t in tests]
    if numbers != list(range(1, len(tests) + 1)):
        problems.append("ktest numbers are not 1..%d: %s" % (
            len(tests), numbers))
    if done is None:
        problems.append("no \"ktest: done\" line")
    else:
        npass = sum(1 for t in tests if t[2])
        if done != (npass, len(tests) - npass):
            problems.append("done line says %d passed, %d failed; the "
                            "lines say %d, %d" % (done + (
                                npass, len(tests) - npass)))
    return problems


# ---------------------------------------------------------------------------
# The command line.

def find_accel(build):
    """kvm or tcg, from distro/qemu-accel.sh BUILD; tcg if that fails."""
    script = os.path.join(ROOT, "distro", "qemu-accel.sh")
    if not os.path.exists(script):
        return "tcg", "distro/qemu-accel.sh is missing"
    try:
        out = subprocess.run(["sh", script, build], stdout=subprocess.PIPE,
                             timeout=60, check=False).stdout.decode().strip()
    except (OSError, subprocess.TimeoutExpired) as e:
        return "tcg", "distro/qemu-accel.sh failed: %s" % e
    if out in ("kvm", "tcg"):
        return out, "distro/qemu-accel.sh"
    return "tcg", "distro/qemu-accel.sh printed %r" % out


def run_group(args, g):
    ctx = Context(args, g.name)
    broken = set()
    if args.broken_file and os.path.exists(args.broken_file):
        with open(args.broken_file) as f:
            broken = set(f.read().split())
    t0 = time.monotonic()
    print("%s: %s (%s, timeouts x%g)" % (g.name, g.doc, ctx.accel,
                                         ctx.scale), flush=True)
    missing = []
    for n in g.needs:
        if n in broken:
            missing.append("`make %s` failed" % n)
        elif not os.path.exists(ctx.files[n]):
            missing.append("%s is missing" % ctx.files[n])
    try:
        if missing:
            ctx.result(g.name, False, "not run: " + "; ".join(missing))
        else:
            g.fn(ctx)
    except Failure as e:
        last = ctx.machines[-1] if ctx.machines else None
        ctx.result(g.name, False, str(e), last)
    except Exception:
        last = ctx.machines[-1] if ctx.machines else None
        ctx.result(g.name, False, "harness error: " +
                   traceback.format_exc().strip().replace("\n", " | "), last)
    finally:
        ctx.cleanup()
    out = {"group": g.name, "accel": ctx.accel, "scale": ctx.scale,
           "seconds": round(time.monotonic() - t0, 3),
           "results": ctx.results, "boot_times": ctx.boot_times}
    path = os.path.join(ctx.logdir, g.name + ".results")
    os.makedirs(ctx.logdir, exist_ok=True)
    with open(path + ".tmp", "w") as f:
        json.dump(out, f, indent=1)
    os.replace(path + ".tmp", path)
    return all(r["ok"] for r in ctx.results)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build", help="the build folder")
    ap.add_argument("--logs", help="where logs go (BUILD/test-logs)")
    ap.add_argument("--accel", help="kvm or tcg (default: ask "
                    "distro/qemu-accel.sh)")
    ap.add_argument("--broken-file", help="a file naming targets that "
                    "failed to build (one per line)")
    for n in NEEDS:
        ap.add_argument("--" + n, help="use this file as the " + n)
    ap.add_argument("--list", action="store_true", help="list the groups")
    ap.add_argument("--describe", action="store_true",
                    help="list the groups with what they test")
    ap.add_argument("--needs", nargs="*", metavar="GROUP",
                    help="print the make targets these groups need")
    ap.add_argument("--accel-info", action="store_true",
                    help="print the accelerator the tests will use")
    ap.add_argument("--group", action="append", default=[],
                    help="run this group (may be repeated)")
    ap.add_argument("--suite", action="append", default=[], metavar="FILE",
                    help="also load the groups of this file (may be "
                    "repeated; tests/exercises/*/check.py)")
    args = ap.parse_args()

    load_suites(args.suite)
    if args.list or args.describe:
        for g in GROUPS.values():
            print("%-12s %s" % (g.name, g.doc) if args.describe else g.name)
        return 0
    if args.needs is not None:
        unknown = [n for n in args.needs if n not in GROUPS]
        if unknown:
            print("harness: no such group: %s (groups: %s)" % (
                " ".join(unknown), " ".join(GROUPS)), file=sys.stderr)
            return 2
        want = {n for g in args.needs for n in GROUPS[g].needs}
        print(" ".join(n for n in NEEDS if n in want))
        return 0

    why = "--accel"
    if not args.accel:
        args.accel, why = find_accel(args.build)
    if args.accel not in ("kvm", "tcg"):
        print("harness: --accel must be kvm or tcg", file=sys.stderr)
        return 2
    if args.accel_info:
        scale = os.environ.get("TEST_TIMEOUT_SCALE") or (
            TCG_SCALE if args.accel == "tcg" else 1)
        print("system tests: QEMU with %s (from %s), timeouts x%s" % (
            args.accel.upper(), why, scale))
        return 0

    if not args.group:
        ap.error("which group? (--list shows them)")
    ok = True
    for name in args.group:
        if name not in GROUPS:
            print("harness: no such group: %s" % name, file=sys.stderr)
            return 2
        ok = run_group(args, GROUPS[name]) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    # A make interrupted by ^C or SIGTERM: end our QEMUs through cleanup().
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(130))
    sys.exit(main())
