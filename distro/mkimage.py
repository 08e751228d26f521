#!/usr/bin/env python3
#
# mkimage.py: build EclipseOS's bootable disk image, a raw GPT disk that
# boots through GRUB 2 under a PC BIOS and under UEFI.
#
# No root, no loop devices, no mounting: the partition table is written
# here byte by byte, the EFI system partition is a FAT file system made by
# mtools in a separate file and copied in at its offset, and GRUB's images
# come from grub-mkimage.  Documentation/distro.md describes the layout.
#
#   LBA 0		protective MBR; its first 440 bytes are GRUB's boot.img,
#			patched to load core.img from partition 1
#   LBA 1, 2-33		primary GPT header and partition entries
#   partition 1		BIOS boot partition: GRUB's core.img (i386-pc)
#   partition 2		EFI system partition (FAT32): /EFI/BOOT/BOOTX64.EFI,
#			/boot/grub/grub.cfg, /boot/eclipseos/kernel.elf,
#			/boot/eclipseos/initramfs.cpio
#   partition 3		"eclipse-root": the root filesystem, an eclipsefs
#			labelled "eclipse-root" that mkfs.eclipsefs (--mkfs)
#			makes at the partition's offset into the image from
#			the staging root (--rootfs) and the modes files
#			(--manifest, any number); without --rootfs, zero
#   last 33 LBAs	backup partition entries and backup GPT header
#
# The image is sparse: unwritten regions (free space of the root, free FAT
# space) are holes.  Every GUID derives from --seed, the filesystem's UUID
# too, so the same inputs give the same layout (the directory hash seed of
# the filesystem is random: mkfs's).

import argparse
import math
import os
import struct
import subprocess
import sys
import tempfile
import uuid
import zlib

SECTOR = 512
MIB = 1024 * 1024
MIB_SECTORS = MIB // SECTOR

# UEFI 2.10, 5.3.2 "GPT Header" and 5.3.3 "GPT Partition Entry Array".
GPT_SIGNATURE = b"EFI PART"
GPT_REVISION = 0x00010000
GPT_HEADER_SIZE = 92
GPT_ENTRIES = 128
GPT_ENTRY_SIZE = 128
GPT_ENTRY_SECTORS = GPT_ENTRIES * GPT_ENTRY_SIZE // SECTOR	# 32

# UEFI 2.10, 5.3.3, table 5.7 (ESP); the BIOS boot partition's GUID is
# GRUB's ("Hah!IdontNeedEFI"); ours is documented in Documentation/distro.md.
TYPE_BIOS_BOOT = uuid.UUID("21686148-6449-6e6f-744e-656564454649")
TYPE_ESP = uuid.UUID("c12a7328-f81f-11d2-ba4b-00a0c93ec93b")
TYPE_ECLIPSE_ROOT = uuid.UUID("33e5d20b-816f-4147-b9c6-609d0774d81d")

# The namespace from which the disk's and partitions' own GUIDs derive.
GUID_NAMESPACE = uuid.UUID("e71af21e-29dd-4694-ade1-54a70f6c2359")

# UEFI 2.10, 5.2.3 "Protective MBR".
MBR_BOOT_CODE_SIZE = 440
MBR_PART_OFFSET = 446
MBR_TYPE_GPT_PROTECTIVE = 0xEE

# GRUB's boot.img (grub-core/boot/i386/pc/boot.S, include/grub/i386/pc/
# boot.h): the 64-bit LBA of core.img's first sector is at 0x5c; the byte
# at 0x64 names the drive (0xff: the drive the BIOS booted from); at 0x66 a
# 2-byte jump skips the "BIOS passed a bogus drive number" fix-up, which
# grub-setup replaces by two NOPs when installing to a hard disk.
BOOT_KERNEL_SECTOR = 0x5C
BOOT_DRIVE = 0x64
BOOT_DRIVE_CHECK = 0x66

# GRUB's diskboot.img, the first sector of core.img: it reads the rest of
# core.img as a list of 12-byte blocks that grows down from the end of the
# sector; each is (u64 first LBA, u16 sector count, u16 load segment), and
# a count of 0 ends the list.  The first block starts at 0x200 - 12.
BLOCKLIST_OFFSET = SECTOR - 12
BLOCKLIST_SEGMENT = 0x820		# core.img's second sector at 0x8200

# The GRUB modules each core image carries.  The prefix names the ESP, so
# GRUB loads /boot/grub/grub.cfg from there (normal.mod); nothing else is
# read from disk, so every module grub.cfg uses is in the image.
COMMON_MODULES = [
    "part_gpt", "fat", "normal", "configfile", "multiboot2", "boot",
    "serial", "terminal", "keystatus", "test", "echo", "sleep", "search",
    "ls", "cat", "help", "halt", "reboot", "smbios",
]
BIOS_MODULES = ["biosdisk"] + COMMON_MODULES
EFI_MODULES = COMMON_MODULES + ["efi_gop", "efi_uga", "video", "video_fb"]

# On BIOS, "(,gpt2)" is completed by GRUB with the disk it booted from; on
# UEFI, a prefix without a device means the partition BOOTX64.EFI came from.
BIOS_PREFIX = "(,gpt2)/boot/grub"
EFI_PREFIX = "/boot/grub"


class ImageError(Exception):
    pass


def run(cmd, env=None):
    """Runs cmd; raises ImageError with its output if it fails."""
    try:
        p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    except FileNotFoundError:
        raise ImageError("%s not found (run `make deps`)" % cmd[0])
    if p.returncode != 0:
        raise ImageError("%s failed (exit %d):\n%s" %
                         (" ".join(cmd), p.returncode, p.stdout.rstrip()))


def guid(seed, what):
    """The GUID named `what` of the image made from `seed`."""
    return uuid.uuid5(GUID_NAMESPACE, "%s/%s" % (seed, what))


def grub_images(grubdir, work):
    """Makes GRUB's BIOS core.img and UEFI BOOTX64.EFI; returns paths."""
    core = os.path.join(work, "core.img")
    efi = os.path.join(work, "BOOTX64.EFI")
    run(["grub-mkimage", "-O", "i386-pc", "-d",
         os.path.join(grubdir, "i386-pc"), "-p", BIOS_PREFIX, "-o", core] +
        BIOS_MODULES)
    run(["grub-mkimage", "-O", "x86_64-efi", "-d",
         os.path.join(grubdir, "x86_64-efi"), "-p", EFI_PREFIX, "-o", efi] +
        EFI_MODULES)
    return core, efi


def make_esp(path, size_mib, start_lba, serial, files):
    """Formats a FAT32 file system of size_mib in the file path, with
    mtools, and copies files (a list of (host path, FAT path)) into it.
    The geometry is 64 heads x 32 sectors, one MiB a cylinder, and the
    hidden-sectors field is the partition's first LBA."""
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1", MTOOLSRC="/dev/null")
    with open(path, "wb") as f:
        f.truncate(size_mib * MIB)
    run(["mformat", "-i", path, "-F", "-t", str(size_mib), "-h", "64",
         "-n", "32", "-H", str(start_lba), "-N", "%08x" % serial,
         "-v", "ECLIPSE-ESP", "::"], env)
    dirs = set()
    for _, dst in files:
        parts = dst.strip("/").split("/")[:-1]
        for i in range(1, len(parts) + 1):
            dirs.add("/".join(parts[:i]))
    for d in sorted(dirs, key=lambda d: d.count("/")):
        run(["mmd", "-i", path, "::/" + d], env)
    for src, dst in files:
        run(["mcopy", "-i", path, src, "::" + dst], env)


def patch_core(core, first_lba, max_sectors):
    """Returns core.img set up to run from first_lba: the blocklist in its
    first sector names the rest of it, which follows on the disk."""
    nsect = (len(core) + SECTOR - 1) // SECTOR
    if nsect > max_sectors:
        raise ImageError("core.img is %d sectors; the BIOS boot partition "
                         "holds %d" % (nsect, max_sectors))
    core = bytearray(core.ljust(nsect * SECTOR, b"\0"))
    start, count, seg = struct.unpack_from("<QHH", core, BLOCKLIST_OFFSET)
    nxt = struct.unpack_from("<QHH", core, BLOCKLIST_OFFSET - 12)
    # What grub-mkimage leaves there: the count of the sectors after the
    # first, the load segment, and an empty second block.
    if count != nsect - 1 or seg != BLOCKLIST_SEGMENT or nxt[1] != 0:
        raise ImageError("core.img's blocklist is not the expected one "
                         "(start %d count %d segment %#x; %d sectors); is "
                         "this GRUB's i386-pc diskboot.img?" %
                         (start, count, seg, nsect))
    struct.pack_into("<QHH", core, BLOCKLIST_OFFSET, first_lba + 1,
                     nsect - 1, BLOCKLIST_SEGMENT)
    return bytes(core)


def protective_mbr(boot_img, total_sectors, core_lba):
    """LBA 0: boot.img's code, patched to load core.img's first sector from
    core_lba, and one partition of type 0xEE over the whole disk."""
    if len(boot_img) != SECTOR or boot_img[510:512] != b"\x55\xaa":
        raise ImageError("boot.img is not a 512-byte boot sector")
    mbr = bytearray(SECTOR)
    mbr[0:MBR_BOOT_CODE_SIZE] = boot_img[0:MBR_BOOT_CODE_SIZE]
    struct.pack_into("<Q", mbr, BOOT_KERNEL_SECTOR, core_lba)
    mbr[BOOT_DRIVE] = 0xFF
    mbr[BOOT_DRIVE_CHECK:BOOT_DRIVE_CHECK + 2] = b"\x90\x90"
    # UEFI 2.10, table 5.4: not bootable, CHS 0/0/2 to 0xffffff (beyond
    # what CHS can say), LBA 1 to the end of the disk, or 0xffffffff.
    size = min(total_sectors - 1, 0xFFFFFFFF)
    struct.pack_into("<B3sB3sII", mbr, MBR_PART_OFFSET, 0x00,
                     b"\x00\x02\x00", MBR_TYPE_GPT_PROTECTIVE,
                     b"\xff\xff\xff", 1, size)
    mbr[510:512] = b"\x55\xaa"
    return bytes(mbr)


def gpt_entries(parts):
    """The partition entry array: parts is a list of (type GUID, unique
    GUID, first LBA, last LBA, attributes, name)."""
    arr = bytearray(GPT_ENTRIES * GPT_ENTRY_SIZE)
    for i, (ptype, puniq, first, last, attrs, name) in enumerate(parts):
        uname = name.encode("utf-16-le")
        if len(uname) > 72:
            raise ImageError("partition name %r is too long" % name)
        struct.pack_into("<16s16sQQQ72s", arr, i * GPT_ENTRY_SIZE,
                         ptype.bytes_le, puniq.bytes_le, first, last, attrs,
                         uname)
    return bytes(arr)


def gpt_header(my_lba, alt_lba, first_usable, last_usable, disk_guid,
               entries_lba, entries_crc):
    """One GPT header sector, its CRC32 computed over its 92 bytes with the
    CRC field zero (UEFI 2.10, 5.3.2)."""
    fmt = "<8sIIIIQQQQ16sQIII"
    fields = [GPT_SIGNATURE, GPT_REVISION, GPT_HEADER_SIZE, 0, 0, my_lba,
              alt_lba, first_usable, last_usable, disk_guid.bytes_le,
              entries_lba, GPT_ENTRIES, GPT_ENTRY_SIZE, entries_crc]
    hdr = struct.pack(fmt, *fields)
    fields[3] = zlib.crc32(hdr) & 0xFFFFFFFF
    hdr = struct.pack(fmt, *fields)
    return hdr.ljust(SECTOR, b"\0")


def write_sparse(f, offset, data, chunk=64 * 1024):
    """Writes data at offset, skipping all-zero chunks (left as holes)."""
    zero = bytes(chunk)
    for i in range(0, len(data), chunk):
        piece = data[i:i + chunk]
        if piece != zero[:len(piece)]:
            f.seek(offset + i)
            f.write(piece)


def copy_sparse(f, offset, path, chunk=1024 * 1024):
    """Copies the file path into f at offset, leaving zero chunks as holes."""
    zero = bytes(chunk)
    with open(path, "rb") as src:
        pos = 0
        while True:
            piece = src.read(chunk)
            if not piece:
                break
            if piece != zero[:len(piece)]:
                f.seek(offset + pos)
                f.write(piece)
            pos += len(piece)


def tree_bytes(root):
    """What the files under root take, rounded up to 4 KiB each."""
    total = 0
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            st = os.lstat(os.path.join(dirpath, name))
            total += (st.st_size + 4095) // 4096 * 4096 + 4096
    return total


def root_size_mib(args):
    """The root partition's size: --root-mib, or more when the staging
    root needs it (its files twice over, plus the journal and the inode
    tables: about 16 MiB at these sizes)."""
    if not args.rootfs:
        return args.root_mib
    need = math.ceil(2 * tree_bytes(args.rootfs) / MIB) + 16
    return max(args.root_mib, need)


def make_rootfs(args, image, first_lba, nsectors, fs_uuid):
    """Formats the root partition (nsectors from first_lba) of image with
    mkfs.eclipsefs and fills it from the staging root."""
    cmd = [args.mkfs, "-q", "-r", "-L", args.root_label, "-U", str(fs_uuid),
           "-o", str(first_lba * SECTOR), "-s", str(nsectors * SECTOR),
           "-d", args.rootfs]
    for m in args.manifest:
        cmd += ["-m", m]
    run(cmd + [image])


def build(args):
    """Builds the image described in the header of this file."""
    for p in (args.kernel, args.initramfs, args.grub_cfg):
        if not os.path.isfile(p):
            raise ImageError("%s: no such file" % p)
    if args.rootfs and not os.path.isdir(args.rootfs):
        raise ImageError("%s: no such folder" % args.rootfs)
    for p in args.manifest:
        if not os.path.isfile(p):
            raise ImageError("%s: no such file" % p)
    boot_img_path = os.path.join(args.grub_dir, "i386-pc", "boot.img")
    with open(boot_img_path, "rb") as f:
        boot_img = f.read()

    # The layout, in sectors; everything is aligned to 1 MiB.
    bios_first = 1 * MIB_SECTORS
    bios_last = bios_first + args.bios_boot_mib * MIB_SECTORS - 1
    esp_first = bios_last + 1
    esp_last = esp_first + args.esp_mib * MIB_SECTORS - 1
    root_first = esp_last + 1
    root_last = root_first + root_size_mib(args) * MIB_SECTORS - 1
    total = root_last + 1 + MIB_SECTORS
    first_usable = 2 + GPT_ENTRY_SECTORS
    last_usable = total - 2 - GPT_ENTRY_SECTORS
    backup_entries_lba = total - 1 - GPT_ENTRY_SECTORS
    assert root_last <= last_usable

    parts = [
        (TYPE_BIOS_BOOT, guid(args.seed, "bios-boot"), bios_first,
         bios_last, 0, "BIOS boot"),
        (TYPE_ESP, guid(args.seed, "esp"), esp_first, esp_last, 0,
         "EFI system"),
        (TYPE_ECLIPSE_ROOT, guid(args.seed, "root"), root_first, root_last,
         0, args.root_label),
    ]
    disk_guid = guid(args.seed, "disk")
    fat_serial = guid(args.seed, "esp-fat").int & 0xFFFFFFFF

    out_dir = os.path.dirname(os.path.abspath(args.output))
    os.makedirs(out_dir, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir,
                                     prefix=".mkimage.") as work:
        core_path, efi_path = grub_images(args.grub_dir, work)
        with open(core_path, "rb") as f:
            core = patch_core(f.read(), bios_first,
                              bios_last - bios_first + 1)
        esp_path = os.path.join(work, "esp.img")
        make_esp(esp_path, args.esp_mib, esp_first, fat_serial, [
            (efi_path, "/EFI/BOOT/BOOTX64.EFI"),
            (args.grub_cfg, "/boot/grub/grub.cfg"),
            (args.kernel, "/boot/eclipseos/kernel.elf"),
            (args.initramfs, "/boot/eclipseos/initramfs.cpio"),
        ])

        entries = gpt_entries(parts)
        ecrc = zlib.crc32(entries) & 0xFFFFFFFF
        primary = gpt_header(1, total - 1, first_usable, last_usable,
                             disk_guid, 2, ecrc)
        backup = gpt_header(total - 1, 1, first_usable, last_usable,
                            disk_guid, backup_entries_lba, ecrc)

        tmp = os.path.join(work, "disk.img")
        with open(tmp, "wb") as f:
            f.truncate(total * SECTOR)
            f.seek(0)
            f.write(protective_mbr(boot_img, total, bios_first))
            f.write(primary)
            write_sparse(f, 2 * SECTOR, entries)
            write_sparse(f, bios_first * SECTOR, core)
            copy_sparse(f, esp_first * SECTOR, esp_path)
            write_sparse(f, backup_entries_lba * SECTOR, entries)
            f.seek((total - 1) * SECTOR)
            f.write(backup)
        if args.rootfs:
            make_rootfs(args, tmp, root_first, root_last - root_first + 1,
                        guid(args.seed, "root-fs"))
        os.replace(tmp, args.output)

    if args.verbose:
        print("%s: %d sectors (%d MiB), disk GUID %s" %
              (args.output, total, total // MIB_SECTORS, disk_guid))
        for i, (ptype, puniq, first, last, _, name) in enumerate(parts):
            print("  p%d %-15s LBA %7d-%7d  offset %#10x  %5d KiB  %s" %
                  (i + 1, name, first, last, first * SECTOR,
                   (last - first + 1) // 2, ptype))
        print("  core.img %d sectors, FAT serial %08x" %
              (len(core) // SECTOR, fat_serial))
        if args.rootfs:
            print("  root: eclipsefs \"%s\", UUID %s, from %s" %
                  (args.root_label, guid(args.seed, "root-fs"),
                   args.rootfs))


def main():
    ap = argparse.ArgumentParser(
        description="Build EclipseOS's GPT disk image (BIOS and UEFI GRUB).")
    ap.add_argument("-o", "--output", required=True, help="the image")
    ap.add_argument("--kernel", required=True, help="the kernel ELF")
    ap.add_argument("--initramfs", required=True,
                    help="the initramfs (cpio newc) grub.cfg loads")
    ap.add_argument("--grub-cfg", required=True, help="grub.cfg to install")
    ap.add_argument("--grub-dir", default="/usr/lib/grub",
                    help="GRUB's platform folders (default %(default)s)")
    ap.add_argument("--bios-boot-mib", type=int, default=1)
    ap.add_argument("--esp-mib", type=int, default=64)
    ap.add_argument("--root-mib", type=int, default=64,
                    help="the root partition's size at least (MiB)")
    ap.add_argument("--root-label", default="eclipse-root",
                    help="the root partition's GPT name and its "
                    "filesystem's label (default %(default)s)")
    ap.add_argument("--rootfs", help="the staging root: format the root "
                    "partition with mkfs.eclipsefs and copy it in")
    ap.add_argument("--manifest", action="append", default=[],
                    help="a modes file for mkfs.eclipsefs -m (repeatable)")
    ap.add_argument("--mkfs", default="mkfs.eclipsefs",
                    help="the host's mkfs.eclipsefs (default %(default)s)")
    ap.add_argument("--seed", default="eclipseos",
                    help="the GUIDs and the FAT serial derive from it")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    if args.esp_mib < 33:
        ap.error("--esp-mib must be at least 33 (FAT32's minimum)")
    if args.bios_boot_mib < 1 or args.root_mib < 1:
        ap.error("partition sizes are at least 1 MiB")
    if len(args.root_label) > 32:
        ap.error("--root-label: at most 32 characters (eclipsefs labels)")
    try:
        build(args)
    except (ImageError, OSError) as e:
        print("mkimage: %s" % e, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
