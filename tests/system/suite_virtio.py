"""virtio-blk: the driver's ktests against a prepared disk image.

Each group writes a raw image whose sector 0 describes it (the layout is
in sys/dev/virtio/virtio_blk_ktest.c), boots the kernel with the vioblk_*
ktests and a virtio-blk-pci device whose serial is known, checks the
driver's attach line (interrupt kind, block size, indirect descriptors),
then reads the image back on the host: the ktest's write must be there,
and the range it discarded must read as zeros (discard=unmap on a raw
file punches a hole).
"""

import os
import re
import struct

from harness import Failure, check_ktest_run, group, wait_ktests

KTESTS = ("vioblk_read_pattern,vioblk_parallel,vioblk_write_readback,"
          "vioblk_flush,vioblk_get_id,vioblk_bad_requests,vioblk_discard")
APPEND = "ktest=%s panic=exit debugexit=0xf4" % KTESTS

IMAGE_BYTES = 64 << 20
PAT, NPAT = 8, 2048             # 512-byte sectors, aligned for 4 KiB disks
SCR, NSCR = 4096, 64
DSC, NDSC = 6144, 64
WSEED = 0x5a5a5a5a


def word(sector, i):
    return ((sector << 7 | i) * 2654435761) & 0xffffffff


def sectors(first, n, seed=0):
    return b"".join(struct.pack("<128I", *[word((s ^ seed), i)
                                           for i in range(128)])
                    for s in range(first, first + n))


def make_image(path, serial):
    with open(path, "wb") as f:
        f.truncate(IMAGE_BYTES)
        hdr = b"ECLIPSE-VIOBLK-KTEST".ljust(32, b"\0")
        hdr += serial.encode().ljust(32, b"\0")
        hdr += struct.pack("<6Q", PAT, NPAT, SCR, NSCR, DSC, NDSC)
        f.write(hdr.ljust(512, b"\0"))
        f.seek(PAT * 512)
        f.write(sectors(PAT, NPAT))
        f.seek(DSC * 512)
        f.write(b"\xab" * (NDSC * 512))


def read_range(path, first, n):
    with open(path, "rb") as f:
        f.seek(first * 512)
        return f.read(n * 512)


def run(ctx, name, machine, serial, device_opts="", expect_attach=(),
        discard=True):
    img = os.path.join(ctx.tmpdir, name + ".img")
    make_image(img, serial)
    drive = "file=%s,if=none,id=vd0,format=raw,cache=writeback" % img
    if discard:
        drive += ",discard=unmap"
    dev = "virtio-blk-pci,drive=vd0,serial=%s%s" % (serial, device_opts)
    m = ctx.boot_pvh(name, machine=machine, append=APPEND, timeout=60,
                     extra=["-drive", drive, "-device", dev])
    tests, done = wait_ktests(m)
    problems = check_ktest_run(m, tests, done)
    attach = re.search(r"vioblk0: virtio-blk: .*", m.text)
    if attach is None:
        problems.append("no vioblk0 attach line")
    else:
        for pat in expect_attach:
            if not re.search(pat, attach.group(0)):
                problems.append("attach line %r lacks %r" % (
                    attach.group(0), pat))
    if "ktest: skip: no virtio-blk disk" in m.text:
        problems.append("the ktests did not find the test disk")
    for _, tname, ok, why in tests:
        ctx.result("%s/%s" % (name, tname), ok, why or "not ok", m)
    if read_range(img, SCR, NSCR) != sectors(SCR, NSCR, WSEED):
        problems.append("the scratch sectors on the host do not hold what "
                        "vioblk_write_readback wrote")
    if discard and "does not offer DISCARD" not in m.text and \
            read_range(img, DSC, NDSC) != b"\0" * (NDSC * 512):
        problems.append("the discarded sectors do not read as zeros on the "
                        "host")
    if problems:
        raise Failure("; ".join(problems))
    ctx.result(name, True, attach.group(0), m)


@group("virtio-q35")
def virtio_q35(ctx):
    """virtio-blk on q35 with MSI-X: read, write, flush, GET_ID, discard."""
    run(ctx, "virtio-q35", "q35", "EOS-Q35-MSIX",
        expect_attach=(r"MSI-X", r"\(indirect\)", r"512-byte blocks",
                       r"serial \"EOS-Q35-MSIX\"", r"131072 sectors"))


@group("virtio-pc-intx")
def virtio_pc_intx(ctx):
    """virtio-blk on pc with INTx (vectors=0): the same ktests."""
    run(ctx, "virtio-pc-intx", "pc", "EOS-PC-INTX", ",vectors=0",
        expect_attach=(r"INTx", r"serial \"EOS-PC-INTX\""))


@group("virtio-q35-intx")
def virtio_q35_intx(ctx):
    """INTx on q35 (vectors=0): the pin's GSI from the Interrupt Line the
    firmware wrote (the ACPI _PRT is not evaluated: see the PCI chapter)."""
    run(ctx, "virtio-q35-intx", "q35", "EOS-Q35-INTX", ",vectors=0",
        expect_attach=(r"INTx", r"serial \"EOS-Q35-INTX\""))


@group("virtio-4k-direct")
def virtio_4k_direct(ctx):
    """4 KiB logical blocks, no indirect descriptors, a 64-entry ring."""
    run(ctx, "virtio-4k-direct", "q35", "EOS-4K",
        ",indirect_desc=off,queue-size=64,logical_block_size=4096,"
        "physical_block_size=4096",
        expect_attach=(r"4096-byte blocks", r"queue of 64,", r"MSI-X"))


@group("virtio-legacy")
def virtio_legacy(ctx):
    """A legacy-only device (disable-modern=on) is refused with a log line."""
    img = os.path.join(ctx.tmpdir, "legacy.img")
    make_image(img, "EOS-LEGACY")
    m = ctx.boot_pvh("virtio-legacy", machine="q35",
                     append="ktest=vioblk_get_id panic=exit debugexit=0xf4",
                     timeout=30,
                     extra=["-drive", "file=%s,if=none,id=vd0,format=raw"
                            % img, "-device", "virtio-blk-pci,drive=vd0,"
                            "disable-modern=on,disable-legacy=off"])
    wait_ktests(m)
    ok, why = m.classify("poweroff")
    if not ok:
        raise Failure(why)
    if not re.search(r"vioblk0: .*legacy-only device, not supported", m.text):
        raise Failure("no refusal line for the legacy-only device")
    if "vioblk0: virtio-blk:" in m.text:
        raise Failure("the legacy-only device was attached")
    ctx.result("virtio-legacy", True, "", m)
