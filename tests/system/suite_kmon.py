"""The kernel monitor over the serial line: input by interrupt, the clock,
the RTC, ACPI power-off and reset."""

import re
import time

from harness import RE_FIRST_LINE, RE_INIT, Failure, group

KMON_COMMANDS = ("help", "echo", "mem", "uptime", "date", "poweroff",
                 "reboot")


def boot_to_prompt(ctx, m):
    """Wait for the first line, the end of init and the prompt; returns the
    wall time to the first kernel line and the kernel's own figure (ms)."""
    first = m.expect(RE_FIRST_LINE, 15, "the first kernel line")
    wall = m.time_at(first.end())
    init = m.expect(RE_INIT, 15, "the \"initialised\" line")
    m.prompt(15)
    return wall, float("%s.%s" % init.groups())


def answer(m, line):
    """Run LINE at the prompt; fail on an unknown command or no output."""
    out = m.command(line)
    if re.search(r"unknown command", out) or not out.strip():
        raise Failure("%r printed %r" % (line, out.strip()[:160]))
    return out


def first_number(out):
    m = re.search(r"\d+(?:\.\d+)?", out)
    if m is None:
        raise Failure("no number in %r" % out.strip()[:160])
    return float(m.group(0))


@group("kmon")
def kmon(ctx):
    """kmon over serial: help, echo, mem, uptime, date, then poweroff."""
    m = ctx.boot_pvh("kmon", machine="pc", timeout=30)
    with ctx.test("kmon/boot", m):
        wall, kernel_ms = boot_to_prompt(ctx, m)
        ctx.boot_time("pvh (kmon)", wall, kernel_ms)

    with ctx.test("kmon/help", m):
        out = answer(m, "help")
        missing = [c for c in KMON_COMMANDS
                   if not re.search(r"\b%s\b" % c, out)]
        if missing:
            raise Failure("help does not list " + ", ".join(missing))

    with ctx.test("kmon/echo", m):
        out = answer(m, "echo hello-123")
        if out.strip().split("\n")[0].strip() != "hello-123":
            raise Failure("echo hello-123 printed %r" % out.strip()[:160])

    with ctx.test("kmon/mem", m):
        if first_number(answer(m, "mem")) <= 0:
            raise Failure("mem reports no memory")

    with ctx.test("kmon/uptime", m):
        # Two readings 1.5 s apart: the first number (the uptime) grows.
        a = answer(m, "uptime")
        time.sleep(1.5)
        b = answer(m, "uptime")
        if not first_number(b) > first_number(a):
            raise Failure("uptime did not advance: %r then %r" % (
                a.strip(), b.strip()))

    with ctx.test("kmon/date", m):
        out = answer(m, "date")
        years = [int(y) for y in re.findall(r"\b(\d{4})-\d\d-\d\d\b", out)]
        if not years or years[0] < 2020:
            raise Failure("date printed %r, want a year >= 2020"
                          % out.strip())

    with ctx.test("kmon/poweroff", m):
        m.sendline("poweroff")
        m.wait_exit(timeout=10)
        ok, why = m.classify("poweroff")
        if not ok:
            raise Failure(why)


@group("kmon-reboot")
def kmon_reboot(ctx):
    """kmon's reboot resets the machine (QEMU -no-reboot then exits)."""
    m = ctx.boot_pvh("kmon-reboot", machine="pc", timeout=30)
    with ctx.test("kmon/reboot", m):
        boot_to_prompt(ctx, m)
        m.sendline("reboot")
        m.wait_exit(timeout=10)
        ok, why = m.classify("reset")
        if not ok:
            raise Failure(why)
