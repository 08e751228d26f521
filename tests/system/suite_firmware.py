"""Whole-machine boots: firmware, GRUB2 (multiboot2), the kernel, init,
the root shell on the serial line, BusyBox's poweroff through init and
ACPI.  Each records its boot times (numbers, not assertions): to the
first kernel line, and to the shell's answer to echo $((6*7))."""

import re

from harness import RE_FIRST_LINE, RE_INIT, Failure, group

# The screen each firmware leaves the kernel (dev/cons): GRUB keeps VGA
# text mode under SeaBIOS and hands over a GOP framebuffer under OVMF.
RE_VGA = (r"^vga: 80x25", "\"vga: 80x25\"")
RE_FB = (r"^fb: \d+x\d+", "\"fb: WxH\"")
# bootinfo_report(): the loader line says UEFI when multiboot2 said so.
RE_UEFI = (r"^boot: loader .*\(UEFI\)",
           "\"(UEFI)\" on the \"boot: loader\" line")
# etc/profile's PS1 for root in /.
RE_SHELL = r"root@eclipse:/# "


def firmware_boot(ctx, name, media_args, machine="pc", uefi=False,
                  want=()):
    """Boot to the shell, have it compute, and power off; WANT: (regex,
    what) pairs that must match lines of the boot log."""
    args = ["-machine", machine, "-m", "512M", "-smp", "1"] + media_args
    if uefi:
        args += ctx.ovmf_args()
    m = ctx.machine(name, args, timeout=60)
    with ctx.test(name, m):
        first = m.expect(RE_FIRST_LINE, 20, "the first kernel line")
        wall = m.time_at(first.end())
        if first.group(2) != "multiboot2":
            raise Failure("booted by %s, want multiboot2 (GRUB)"
                          % first.group(2))
        init = m.expect(RE_INIT, 20, "the \"initialised\" line")
        ctx.boot_time(name, wall, float("%s.%s" % init.groups()))
        m.expect(RE_SHELL, 40, "the shell's prompt")
        m.sendline("echo $((6*7))")
        answer = m.expect(r"\n42\n", 20, "the shell's answer 42")
        ctx.boot_time(name + " to 42", m.time_at(answer.end()), None)
        m.expect(RE_SHELL, 20, "the shell's prompt")
        missing = [what for rx, what in want
                   if not re.search(rx, m.text, re.M)]
        if missing:
            raise Failure("not in the boot log: " + "; ".join(missing))
        m.sendline("poweroff")
        m.wait_exit(timeout=60)
        ok, why = m.classify("poweroff")
        if not ok:
            raise Failure(why)


def disk(ctx):
    # snapshot=on: the test never writes to the image.
    return ["-drive", "file=%s,format=raw,if=ide,snapshot=on"
            % ctx.files["image"]]


@group("boot-bios", needs=("image",))
def boot_bios(ctx):
    """The disk image under SeaBIOS: GRUB (i386-pc), kernel, init, the shell,
    poweroff."""
    firmware_boot(ctx, "boot-bios", disk(ctx), want=(RE_VGA,))


@group("boot-uefi", needs=("image",))
def boot_uefi(ctx):
    """The disk image under OVMF: GRUB (x86_64-efi), kernel, init, the shell,
    poweroff."""
    firmware_boot(ctx, "boot-uefi", disk(ctx), uefi=True,
                  want=(RE_FB, RE_UEFI))


@group("boot-iso", needs=("iso",))
def boot_iso(ctx):
    """The ISO (grub-mkrescue) under SeaBIOS from a CD-ROM."""
    firmware_boot(ctx, "boot-iso", ["-cdrom", ctx.files["iso"],
                                    "-boot", "d"])
