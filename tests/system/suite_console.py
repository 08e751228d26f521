"""The console's input path under load: a paste of more than 4 KiB on the
serial line, in one write, must reach the kernel monitor whole."""

import re

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
