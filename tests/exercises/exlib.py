"""What the course's exercise checks (tests/exercises/<slug>/check.py)
share: booting to the shell of the image's initramfs or to the kernel
monitor, running one conformance case inside EclipseOS, and building the
host's eclipsefs tools.

tests/system/harness.py loads a check with --suite, with tests/system on
the module path; a check finds this module through the harness:

    import harness
    sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
    import exlib

Every test these helpers open is named exercise-<slug>/<what>, as the
check's own tests are.
"""

import os
import re
import subprocess

import harness
from harness import Failure, Shell

import suite_conformance as conf

# The image's initramfs, which the shell boots need built.
harness.NEEDS.setdefault("initramfs", "initramfs.cpio")

MKFS_SIZE = 8 << 20      # the size of the eclipsefs images mkfs makes


def run(args, what):
    """Run ARGS in the tree; its output, or Failure naming WHAT with the
    exit status and the output's end."""
    p = subprocess.run(args, cwd=harness.ROOT, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        raise Failure("%s: exit %d: %s" % (what, p.returncode,
                                           p.stdout.strip()[-800:]))
    return p.stdout


def boot_shell(ctx, slug, test="boot", prompt=60, settle=False,
               initrd=None, machine="pc", append="", timeout=300,
               extra=()):
    """Boot the kernel by PVH with INITRD (the image's initramfs unless
    given) and the QEMU arguments EXTRA, its root shell on the serial
    line.  The test exercise-SLUG/TEST waits PROMPT seconds for the
    shell's prompt, then with SETTLE a second more, for init's last boot
    messages to pass; with TEST None there is no such test and the
    caller waits for the prompt in a test of its own.  Returns (the
    machine, its Shell)."""
    m = ctx.boot_pvh("exercise-" + slug, machine=machine, append=append,
                     timeout=timeout,
                     extra=["-initrd", initrd or ctx.files["initramfs"]] +
                     list(extra))
    sh = Shell(m)
    if test is not None:
        with ctx.test("exercise-%s/%s" % (slug, test), m):
            sh.prompt(prompt)
            if settle:
                sh.run("sleep 1")
    return m, sh


def boot_kmon(ctx, slug, test="prompt", prompt=20, append="", timeout=30):
    """Boot the kernel by PVH with no initramfs: no init, so the boot
    ends at the kernel monitor.  The test exercise-SLUG/TEST waits PROMPT
    seconds for its prompt (TEST None: the caller waits).  Returns the
    machine."""
    m = ctx.boot_pvh("exercise-" + slug, append=append, timeout=timeout)
    if test is not None:
        with ctx.test("exercise-%s/%s" % (slug, test), m):
            m.prompt(prompt)
    return m


def kmon_command(m, line):
    """Type LINE at the kernel monitor's prompt; its output, or Failure
    when the monitor does not know the command."""
    out = m.command(line)
    if re.search(r"unknown command", out):
        raise Failure("kmon does not know %s: %r"
                      % (line.split()[0], out.strip()[:160]))
    return out


def poweroff(m, timeout):
    """Type poweroff (at the shell or the kernel monitor) and wait
    TIMEOUT seconds for QEMU to exit."""
    m.sendline("poweroff")
    m.wait_exit(timeout=timeout)


def conformance_case(ctx, slug, case, cases, syscall, timeout=120):
    """Run the conformance case CASE (tests/conformance/FAMILY/NAME.c)
    inside EclipseOS as `make check-system TESTS=conformance` does.  The
    test exercise-SLUG/build builds the test initramfs with that one
    case (make initramfs-tests CONF_SRCS=CASE); exercise-SLUG/run boots
    it by PVH with the runner as init and wants the program FAMILY/NAME
    to have run at least CASES cases, every one passing and its TAP
    sound, and the kernel never to have logged SYSCALL (its name and
    number as the log says them: "mincore (27)") as not implemented."""
    name = os.path.splitext(os.path.relpath(case, "tests/conformance"))[0]
    built = False
    with ctx.test("exercise-%s/build" % slug):
        if not os.path.exists(os.path.join(harness.ROOT, case)):
            raise Failure("%s: no such file (write the case)" % case)
        run(["make", "-s", "BUILD=" + ctx.build, "initramfs-tests",
             "CONF_SRCS=" + case], "make initramfs-tests")
        built = True
    if not built:
        return
    cpio = os.path.join(ctx.build, "initramfs-tests.cpio")
    m = ctx.boot_pvh("exercise-" + slug, append=conf.APPEND,
                     timeout=timeout, extra=["-initrd", cpio])
    with ctx.test("exercise-%s/run" % slug, m):
        m.expect(r"(?m)^conformance: done$", what="\"conformance: done\"")
        m.wait_exit(timeout=15)
        programs, _ = conf.parse_run(m.text)
        progs = [p for p in programs if p.name == name]
        if not progs:
            raise Failure("%s did not run" % name)
        prog = progs[0]
        if len(prog.cases) < cases:
            raise Failure("%s: %d cases, want at least %d" % (
                name, len(prog.cases), cases))
        bad = [c for c in prog.cases if not c.ok]
        if bad:
            raise Failure("%s/%d failed: %s (and %d more)" % (
                name, bad[0].number, bad[0].desc, len(bad) - 1))
        if prog.problems:
            raise Failure("%s: %s" % (name, "; ".join(prog.problems)))
        if re.search(r"%s not implemented" % re.escape(syscall), m.text):
            raise Failure("the kernel logs %s as not implemented"
                          % syscall.split()[0])


def efs_tools(ctx):
    """Build the host's eclipsefs tools (make efs-tools: a solution may
    change them); the folder that holds them."""
    run(["make", "-s", "BUILD=" + ctx.build, "efs-tools"], "make efs-tools")
    return os.path.join(ctx.build, "host")


def mkfs(host, path, options=()):
    """Make an eclipsefs of MKFS_SIZE bytes in the file PATH with the
    tools in HOST and mkfs.eclipsefs's OPTIONS."""
    run([os.path.join(host, "mkfs.eclipsefs"), "-q"] + list(options) +
        ["-s", str(MKFS_SIZE), path],
        " ".join(["mkfs.eclipsefs"] + list(options)))
