"""The block layer from userland: partitions of a GPT and an MBR disk (with
an extended partition) found with Linux's names, numbers and sizes in
/proc/partitions and /dev; a pattern written to a raw partition and read
back with the same checksum (and found at the right offset of the image
on the host); the block ioctls through BusyBox blockdev; the counters of
/proc/diskstats moving; a damaged primary GPT recovered from its backup.

Disk groups of other helpers (virtio, ATA) live in their own suites; the
block layer's own ktests (memory disk, buffer cache) run in suite_ktest.
"""

import hashlib
import os
import re
import struct
import subprocess

from harness import Failure, Shell, group, want
import harness

harness.NEEDS.setdefault("initramfs", "initramfs.cpio")

MiB = 1 << 20
BOOT_TIMEOUT = 60


def gpt_image(path):
    """64 MiB, GPT by sgdisk: 16 MiB, 8 MiB, the rest."""
    with open(path, "wb") as f:
        f.truncate(64 * MiB)
    subprocess.run(["sgdisk", "-n1:2048:+16M", "-n2:0:+8M", "-n3:0:0",
                    path], check=True, stdout=subprocess.DEVNULL)


def mbr_entry(img, off, slot, typ, start, n, flag=0):
    o = off + 446 + 16 * slot
    img[o] = flag
    img[o + 4] = typ
    struct.pack_into("<II", img, o + 8, start, n)
    img[off + 510:off + 512] = b"\x55\xaa"


def mbr_image(path):
    """32 MiB, MBR by hand: 1 primary, an extended with 2 logicals."""
    img = bytearray(32 * MiB)
    mbr_entry(img, 0, 0, 0x83, 2048, 20480, 0x80)
    mbr_entry(img, 0, 1, 0x05, 22528, 20480)
    mbr_entry(img, 22528 * 512, 0, 0x83, 2048, 8192)
    mbr_entry(img, 22528 * 512, 1, 0x05, 12288, 8192)
    mbr_entry(img, (22528 + 12288) * 512, 0, 0x82, 2048, 4096)
    with open(path, "wb") as f:
        f.write(img)


def boot(ctx, name, drives):
    extra = ["-initrd", ctx.files["initramfs"]]
    for d in drives:
        extra += ["-drive", "file=%s,if=virtio,format=raw" % d]
    m = ctx.boot_pvh(name, machine="q35", timeout=300, extra=extra)
    sh = Shell(m)
    sh.prompt(BOOT_TIMEOUT)
    return m, sh


@group("disk-partitions", needs=("kernel", "initramfs"))
def disk_partitions(ctx):
    """GPT and MBR partitions, raw I/O, ioctls and /proc/diskstats."""
    gpt = os.path.join(ctx.tmpdir, "gpt.img")
    mbr = os.path.join(ctx.tmpdir, "mbr.img")
    gpt_image(gpt)
    mbr_image(mbr)
    m, sh = boot(ctx, "disk-partitions", [gpt, mbr])

    with ctx.test("disk/proc-partitions", m):
        out = sh.ok("cat /proc/partitions")
        for ma, mi, kib, name in ((252, 0, 65536, "vda"),
                                  (252, 1, 16384, "vda1"),
                                  (252, 2, 8192, "vda2"),
                                  (252, 3, 39919, "vda3"),
                                  (252, 16, 32768, "vdb"),
                                  (252, 17, 10240, "vdb1"),
                                  (252, 18, 1, "vdb2"),
                                  (252, 21, 4096, "vdb5"),
                                  (252, 22, 2048, "vdb6")):
            want(out, r"^\s*%d\s+%d\s+%d %s$" % (ma, mi, kib, name),
                 "/proc/partitions row of " + name)
        if re.search(r"vdb[34]$", out, re.M):
            raise Failure("empty MBR slots listed: %r" % out)

    with ctx.test("disk/dev-nodes", m):
        out = sh.ok("ls -l /dev/vda2 /dev/vdb5")
        want(out, r"^b.* 252,\s+2 .*/dev/vda2", "/dev/vda2 is 252:2")
        want(out, r"^b.* 252,\s+21 .*/dev/vdb5", "/dev/vdb5 is 252:21")

    with ctx.test("disk/ioctls", m):
        want(sh.ok("blockdev --getsize64 /dev/vda2"), r"^8388608$",
             "BLKGETSIZE64 of vda2")
        want(sh.ok("blockdev --getss /dev/vdb"), r"^512$", "BLKSSZGET")
        want(sh.ok("blockdev --getsz /dev/vdb5"), r"^8192$", "BLKGETSIZE")
        sh.ok("blockdev --flushbufs /dev/vda")

    with ctx.test("disk/raw-pattern", m):
        sh.ok("dd if=/dev/urandom of=/tmp/pat bs=64k count=64 2>/dev/null")
        sh.ok("dd if=/tmp/pat of=/dev/vda2 bs=64k conv=fsync 2>/dev/null")
        a = want(sh.ok("md5sum /tmp/pat"), r"^([0-9a-f]{32})", "md5")
        b = want(sh.ok("dd if=/dev/vda2 bs=1M count=4 2>/dev/null | "
                       "md5sum"), r"^([0-9a-f]{32})", "md5 of vda2")
        if a.group(1) != b.group(1):
            raise Failure("vda2 read back %s, wrote %s" % (b.group(1),
                                                           a.group(1)))
        sh.ok("sync")
        with open(gpt, "rb") as f:
            f.seek(34816 * 512)
            host = hashlib.md5(f.read(4 * MiB)).hexdigest()
        if host != a.group(1):
            raise Failure("the image holds %s at vda2's offset, want %s"
                          % (host, a.group(1)))

    with ctx.test("disk/unaligned-and-end", m):
        sh.ok("printf 'hello' | dd of=/dev/vdb6 bs=1 seek=1000 "
              "conv=notrunc 2>/dev/null")
        # (echo: the prompt must start a line of its own)
        want(sh.ok("dd if=/dev/vdb6 bs=1 skip=1000 count=5 2>/dev/null; "
                   "echo"),
             r"^hello$", "5 bytes at an unaligned offset")
        out, st = sh.run("echo x | dd of=/dev/vdb6 bs=512 seek=4096 "
                         "2>&1")
        if st == 0 or "space" not in out:
            raise Failure("a write past the end: %r (status %d)" % (out, st))
        want(sh.ok("dd if=/dev/vdb6 bs=512 skip=4096 2>&1 | head -n 1"),
             r"^0\+0 records in$", "a read at the end reads nothing")

    with ctx.test("disk/diskstats", m):
        out = sh.ok("cat /proc/diskstats")
        row = want(out, r"^\s*252\s+2 vda2 (.*)$", "diskstats of vda2")
        f = [int(x) for x in row.group(1).split()]
        if len(f) != 17:
            raise Failure("vda2 has %d fields, want 17" % len(f))
        if f[0] < 1 or f[2] < 8192 or f[4] < 1 or f[6] < 8192:
            raise Failure("vda2 counters too small: %r" % f)
        whole = [int(x) for x in want(out, r"^\s*252\s+0 vda (.*)$",
                                      "vda").group(1).split()]
        if whole[2] < f[2] or whole[6] < f[6] or whole[8] != 0:
            raise Failure("vda does not include vda2: %r" % whole)

    with ctx.test("disk/sysfs-block", m):
        want(sh.ok("cat /sys/block/vda/size"), r"^131072$",
             "/sys/block/vda/size (512-byte sectors)")
        want(sh.ok("cat /sys/block/vda/dev"), r"^252:0$", "its dev")
        want(sh.ok("cat /sys/block/vda/vda2/start /sys/block/vda/vda2/size"),
             r"^34816\n16384$", "vda2's start and size")
        want(sh.ok("readlink /sys/dev/block/252:21"), r"vdb/vdb5$",
             "/sys/dev/block/252:21 names vdb5")
        want(sh.ok("cat /sys/block/vdb/queue/logical_block_size"),
             r"^512$", "logical_block_size")

    with ctx.test("disk/lspci", m):
        out = sh.ok("lspci")
        want(out, r"^00:00\.0 .*8086:29c0", "lspci: q35's host bridge")
        if len(re.findall(r"1af4:1001", out)) != 2:
            raise Failure("lspci does not list the two virtio-blk "
                          "functions: %r" % out)

    with ctx.test("disk/interrupts", m):
        want(sh.ok("grep vioblk /proc/interrupts"), r"^\s*\d+:\s+[1-9]\d*\s",
             "vioblk's completions counted in /proc/interrupts")
    sh.m.sendline("poweroff")


def raw_pattern(ctx, name, machine, drive, dev):
    """64 MiB through the raw device both ways: the guest reads the host's
    pattern with dd, then writes its own, which the host reads back."""
    img = os.path.join(ctx.tmpdir, name + ".img")
    pat = bytes((i * 2654435761 >> 13) & 0xff for i in range(1 << 16))
    with open(img, "wb") as f:
        for _ in range(64 * MiB // len(pat)):
            f.write(pat)
    with open(img, "rb") as f:
        host_md5 = hashlib.md5(f.read()).hexdigest()
    m = ctx.boot_pvh(name, machine=machine, timeout=600, extra=[
        "-initrd", ctx.files["initramfs"],
        "-drive", "file=%s,if=%s,format=raw" % (img, drive)])
    sh = Shell(m)
    sh.prompt(BOOT_TIMEOUT)
    with ctx.test(name + "/read-64m", m):
        out = sh.ok("dd if=/dev/%s bs=1M count=64 | md5sum" % dev,
                    timeout=120)
        if want(out, r"^([0-9a-f]{32})", "md5").group(1) != host_md5:
            raise Failure("read %r, the image's md5 is %s" % (out,
                                                              host_md5))
    with ctx.test(name + "/write-64m", m):
        sh.ok("dd if=/dev/urandom of=/tmp/r bs=1M count=64 2>/dev/null",
              timeout=120)
        sh.ok("dd if=/tmp/r of=/dev/%s bs=1M conv=fsync 2>/dev/null" % dev,
              timeout=120)
        a = want(sh.ok("md5sum /tmp/r", timeout=60), r"^([0-9a-f]{32})",
                 "md5").group(1)
        b = want(sh.ok("dd if=/dev/%s bs=1M count=64 2>/dev/null | md5sum"
                       % dev, timeout=120), r"^([0-9a-f]{32})",
                 "md5 of the device").group(1)
        if a != b:
            raise Failure("the device read back %s, %s was written" %
                          (b, a))
        sh.m.sendline("poweroff")
        m.wait_exit(timeout=60)
        with open(img, "rb") as f:
            host = hashlib.md5(f.read()).hexdigest()
        if host != a:
            raise Failure("the image holds %s after poweroff, want %s" %
                          (host, a))


@group("disk-raw-virtio", needs=("kernel", "initramfs"))
def disk_raw_virtio(ctx):
    """64 MiB with dd through /dev/vda (virtio-blk, q35, MSI-X)."""
    raw_pattern(ctx, "disk-raw-virtio", "q35", "virtio", "vda")


@group("disk-raw-ata", needs=("kernel", "initramfs"))
def disk_raw_ata(ctx):
    """64 MiB with dd through /dev/sda (ATA, pc, bus-master DMA)."""
    raw_pattern(ctx, "disk-raw-ata", "pc", "ide", "sda")


@group("disk-gpt-backup", needs=("kernel", "initramfs"))
def disk_gpt_backup(ctx):
    """A GPT whose primary header is damaged: the backup's partitions."""
    gpt = os.path.join(ctx.tmpdir, "gpt-bad.img")
    gpt_image(gpt)
    with open(gpt, "r+b") as f:
        f.seek(512 + 24)            # MyLBA: the header CRC no longer holds
        f.write(b"\x07")
    m, sh = boot(ctx, "disk-gpt-backup", [gpt])
    with ctx.test("disk/gpt-backup", m):
        if "from the backup GPT" not in m.text:
            raise Failure("no log line for the backup GPT")
        out = sh.ok("cat /proc/partitions")
        want(out, r"^\s*252\s+3\s+39919 vda3$", "vda3 from the backup")
    sh.m.sendline("poweroff")

