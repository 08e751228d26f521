"""Whole-machine boots: firmware, GRUB2 (multiboot2), the kernel, kmon,
ACPI power-off.  Each records its boot times (numbers, not assertions)."""

from harness import RE_FIRST_LINE, RE_INIT, Failure, group


def firmware_boot(ctx, name, media_args, machine="pc", uefi=False):
    args = ["-machine", machine, "-m", "512M", "-smp", "1"] + media_args
    if uefi:
        args += ctx.ovmf_args()
    m = ctx.machine(name, args, timeout=30)
    with ctx.test(name, m):
        first = m.expect(RE_FIRST_LINE, 20, "the first kernel line")
        wall = m.time_at(first.end())
        if first.group(2) != "multiboot2":
            raise Failure("booted by %s, want multiboot2 (GRUB)"
                          % first.group(2))
        init = m.expect(RE_INIT, 20, "the \"initialised\" line")
        ctx.boot_time(name, wall, float("%s.%s" % init.groups()))
        m.prompt(20)
        m.sendline("poweroff")
        m.wait_exit(timeout=10)
        ok, why = m.classify("poweroff")
        if not ok:
            raise Failure(why)


def disk(ctx):
    # snapshot=on: the test never writes to the image.
    return ["-drive", "file=%s,format=raw,if=ide,snapshot=on"
            % ctx.files["image"]]


@group("boot-bios", needs=("image",))
def boot_bios(ctx):
    """The disk image under SeaBIOS: GRUB (i386-pc), kernel, poweroff."""
    firmware_boot(ctx, "boot-bios", disk(ctx))


@group("boot-uefi", needs=("image",))
def boot_uefi(ctx):
    """The disk image under OVMF: GRUB (x86_64-efi), kernel, poweroff."""
    firmware_boot(ctx, "boot-uefi", disk(ctx), uefi=True)


@group("boot-iso", needs=("iso",))
def boot_iso(ctx):
    """The ISO (grub-mkrescue) under SeaBIOS from a CD-ROM."""
    firmware_boot(ctx, "boot-iso", ["-cdrom", ctx.files["iso"],
                                    "-boot", "d"])
