"""ATA on -machine pc (sys/dev/ata): the in-kernel ATA ktests against
disk images written here.

The images carry the pattern sys/dev/ata/ata_ktest.c checks: every
512-byte sector starts with a magic, then its number (8 bytes, little
endian), then bytes (number * 7 + offset) & 0xff.  The first disk's size
is odd on purpose (64 MiB + 7 sectors), so a wrong capacity shows.  The
second disk sits under QEMU's blkdebug driver, which fails reads of
sector 2000 with EIO.
"""

import os
import re
import struct

from harness import Failure, check_ktest_run, group, wait_ktests

SECTORS = 64 * 2048 + 7
MAGIC = b"EclipseOS-ATA-T\0"
EIO_MAGIC = b"EclipseOS-ATA-E\0"
EIO_SECTOR = 2000
ATA_KTESTS = ("ata_identify", "ata_pattern", "ata_write", "ata_eio")


def write_image(path, sectors, magic0=MAGIC):
    """The test pattern, sector by sector (sector 0 starts with magic0)."""
    tail = bytes(range(256)) * 4
    with open(path, "wb") as f:
        for i in range(sectors):
            head = (magic0 if i == 0 else MAGIC) + struct.pack("<Q", i)
            k = (i * 7 + 24) & 0xff
            f.write(head + tail[k:k + 512 - 24])


@group("ata")
def ata(ctx):
    """IDENTIFY's model, the capacity, pattern reads, writes, DMA and PIO,
    EIO from an injected error, the DVD-ROM logged and left alone."""
    disk = os.path.join(ctx.tmpdir, "ata0.img")
    bad = os.path.join(ctx.tmpdir, "ata1.img")
    cfg = os.path.join(ctx.tmpdir, "blkdebug.cfg")
    write_image(disk, SECTORS)
    write_image(bad, 4096, EIO_MAGIC)
    with open(cfg, "w") as f:
        f.write('[inject-error]\nevent = "read_aio"\nerrno = "5"\n'
                'sector = "%d"\nonce = "off"\n' % EIO_SECTOR)
    extra = ["-drive", "file=%s,if=ide,format=raw,index=0" % disk,
             "-drive", "file=blkdebug:%s:%s,if=ide,format=raw,index=1"
             % (cfg, bad)]
    m = ctx.boot_pvh("ata", machine="pc", extra=extra, timeout=60,
                     append="ktest=%s panic=exit debugexit=0xf4"
                     % ",".join(ATA_KTESTS))
    tests, done = wait_ktests(m)
    problems = check_ktest_run(m, tests, done)
    for _, name, ok, why in tests:
        ctx.result("ata/" + name, ok, why or "not ok", m)
    if sorted(name for _, name, _, _ in tests) != sorted(ATA_KTESTS):
        problems.append("ktests run: %s" % [t[1] for t in tests])
    for line in re.findall(r"ktest: \S+: skipped: .*", m.text):
        problems.append("a ktest skipped: " + line.strip())
    ident = re.search(r'ktest: ata: sda model "([^"]*)" .* sectors (\d+) '
                      r'LBA48 UDMA\d', m.text)
    if ident is None:
        problems.append("no IDENTIFY line for sda (LBA48, UDMA)")
    else:
        if ident.group(1) != "QEMU HARDDISK":
            problems.append("model %r" % ident.group(1))
        if int(ident.group(2)) != SECTORS:
            problems.append("capacity %s sectors, the image has %d"
                            % (ident.group(2), SECTORS))
    if not re.search(r'ata1: master: ATAPI device "QEMU DVD-ROM" ignored',
                     m.text):
        problems.append("no log line for the ignored DVD-ROM")
    if re.search(r"ata\d: unit \d: command timed out", m.text):
        problems.append("a command timed out")
    if problems:
        raise Failure("; ".join(problems))
    ctx.result("ata", True, "%d ktests" % len(tests), m)
