"""Booting the reference Linux (distro/linuxref.py) under the system-test
harness, for the benchmarks that compare EclipseOS with it
(tests/bench/disk.py; Documentation/performance.md).

    m = boot_linux(ctx, "name", LINUX_DIR, machine="q35", extra=[...])
    sh = LinuxShell(m)
    sh.prompt(timeout)
    out = sh.ok("uname -r")

The machine gets what ctx.boot_pvh gives EclipseOS (-machine, -m 512M,
-smp 1, the accelerator, the harness's serial line) and Linux's own
-kernel, -initrd and -append (LINUX_DIR/cmdline: serial console, quiet).
"""
import os

from harness import Shell

# distro/linuxref-init.sh's PS1 is 'linuxref:\w# '.
PROMPT = r"linuxref:[^\n#]*# "


class LinuxShell(Shell):
    """The reference Linux's root shell on the serial line."""

    def prompt(self, timeout=30):
        return self.m.expect(PROMPT, timeout, "the reference Linux's prompt")


def cmdline(linux_dir):
    """The reference kernel command line linuxref.py wrote."""
    with open(os.path.join(linux_dir, "cmdline")) as f:
        return f.read().strip()


def boot_linux(ctx, name, linux_dir, machine="pc", mem="512M", timeout=60,
               extra=(), initrd=None):
    """Start the reference Linux in LINUX_DIR as the harness run NAME;
    TIMEOUT is the whole run's, in KVM seconds; INITRD replaces
    LINUX_DIR/initramfs.cpio (one with more files, say).  Returns the
    Machine."""
    args = ["-machine", machine, "-m", mem, "-smp", "1",
            "-kernel", os.path.join(linux_dir, "vmlinuz"),
            "-initrd", initrd or os.path.join(linux_dir, "initramfs.cpio"),
            "-append", cmdline(linux_dir)]
    return ctx.machine(name, args + list(extra), timeout)
