"""The console's input path under load: a paste of more than 4 KiB on the
serial line, in one write, must reach the kernel monitor whole."""

import re

from harness import Failure, group

PASTE_LINES = 64
PASTE_FILL = 60         # each line: "echo Lnn-" + 60 x's + CR = 70 bytes


def paste_line(i):
    return "L%02d-%s" % (i, "x" * PASTE_FILL)


@group("console-paste")
def console_paste(ctx):
    """A 4.4 KiB paste over serial: every line echoed, no byte dropped."""
    m = ctx.boot_pvh("console-paste", machine="pc", timeout=60)
    with ctx.test("console/paste", m):
        m.prompt(30)
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
        out = m.command("intr")
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
