"""The root on eclipsefs: the image's third partition ("eclipse-root", made
by mkfs.eclipsefs from the staging root) mounted as / by the kernel's
root= (PARTLABEL, PARTUUID, LABEL, UUID), through GRUB and SeaBIOS and by
PVH, on virtio-blk and on ATA; files written in the shell survive a reboot
and a fresh QEMU; power cuts (QEMU killed with no shutdown, in the middle
of a write-heavy loop) lose no fsync'd file, the journal replays, and the
host's fsck.eclipsefs -n then says clean; a root that cannot be mounted
(bad superblock magic, no such partition) falls back to the initramfs
with a clear log line.

Every group works on a copy of the image (a sparse cp), never on
$(BUILD)/eclipseos.img itself.  A power cut is SIGKILL to QEMU: the
guest's writes that QEMU had made reach the image file (the host's page
cache), the rest are lost, as when the power goes and the disk's cache
was flushed at the guest's last flush; the crash tests with a volatile
disk cache (blklogwrites) are helper e's ktests and issue 9's longer run.
"""

import os
import re
import struct
import subprocess
import time

from harness import Failure, Shell, group, want
import harness

harness.NEEDS.setdefault("initramfs", "initramfs.cpio")
harness.NEEDS.setdefault("efs-tools", "host/fsck.eclipsefs")

SECTOR = 512
ROOT_LABEL = "eclipse-root"
BOOT_TIMEOUT = 60           # KVM seconds to the shell (x6 under TCG)
RUN_TIMEOUT = 400           # a whole QEMU run
EFS_MAGIC = 0x53465350494C4345
# efs_format.h, struct efs_super: sb_uuid at byte 32, sb_label at 48.
SB_UUID_OFF = 32
SB_LABEL_OFF = 48
RE_ROOT_OK = r"^root: (/dev/\S+) \(eclipsefs\) on (\S+), (read-write|read-only)"
RE_ROOT_FAIL = r"^root: ROOT NOT MOUNTED: staying on the initramfs"
RE_REPLAYED = r"eclipsefs (\S+): journal: (\d+) transaction\(s\) replayed"


# ---------------------------------------------------------------------------
# The image, on the host.

def gpt_root(path):
    """(first byte, length in bytes, PARTUUID text) of the GPT partition
    named ROOT_LABEL in the image at path."""
    with open(path, "rb") as f:
        f.seek(SECTOR)
        hdr = f.read(92)
        if hdr[:8] != b"EFI PART":
            raise Failure("%s: no GPT header" % path)
        ent_lba, nent, esize = struct.unpack_from("<QII", hdr, 72)
        f.seek(ent_lba * SECTOR)
        arr = f.read(nent * esize)
    for i in range(nent):
        e = arr[i * esize:(i + 1) * esize]
        if e[:16] == bytes(16):
            continue
        name = e[56:128].decode("utf-16-le").rstrip("\0")
        if name != ROOT_LABEL:
            continue
        first, last = struct.unpack_from("<QQ", e, 32)
        g = e[16:32]
        puuid = "%08x-%04x-%04x-%s-%s" % (
            struct.unpack_from("<I", g, 0)[0],
            struct.unpack_from("<H", g, 4)[0],
            struct.unpack_from("<H", g, 6)[0], g[8:10].hex(), g[10:16].hex())
        return first * SECTOR, (last - first + 1) * SECTOR, puuid
    raise Failure("%s: no partition named %s" % (path, ROOT_LABEL))


def fs_ids(path, offset):
    """(UUID text, label) of the eclipsefs at offset of path."""
    with open(path, "rb") as f:
        f.seek(offset)
        sb = f.read(512)
    if struct.unpack_from("<Q", sb, 0)[0] != EFS_MAGIC:
        raise Failure("no eclipsefs superblock at %#x of %s" % (offset,
                                                                 path))
    u = sb[SB_UUID_OFF:SB_UUID_OFF + 16].hex()
    uuid = "%s-%s-%s-%s-%s" % (u[:8], u[8:12], u[12:16], u[16:20], u[20:])
    label = sb[SB_LABEL_OFF:SB_LABEL_OFF + 32].rstrip(b"\0").decode()
    return uuid, label


def image_copy(ctx, name):
    """A private copy of the image (sparse), for a group to write."""
    dst = os.path.join(ctx.tmpdir, name + ".img")
    subprocess.run(["cp", "--sparse=always", ctx.files["image"], dst],
                   check=True)
    return dst


def fsck(ctx, img, offset, *opts):
    """Run the host's fsck.eclipsefs on the filesystem at offset of img;
    returns (exit status, output)."""
    tool = os.path.join(ctx.build, "host", "fsck.eclipsefs")
    p = subprocess.run(["timeout", "300", tool] + list(opts) +
                       ["-o", str(offset), img], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    return p.returncode, p.stdout


def fsck_clean(ctx, img, offset, what):
    st, out = fsck(ctx, img, offset, "-n", "-f")
    if st != 0:
        raise Failure("%s: fsck.eclipsefs -n -f exited %d: %s" % (
            what, st, out.strip()[-600:]))


# ---------------------------------------------------------------------------
# Booting.

def boot_root(ctx, name, img, root, machine="q35", disk_if="virtio",
              extra_append=""):
    """Boot the kernel by PVH with the initramfs and img as the one disk,
    root=ROOT (None: no root=); returns (machine, shell) at the prompt."""
    append = "root=%s %s" % (root, extra_append) if root else extra_append
    extra = ["-initrd", ctx.files["initramfs"],
             "-drive", "file=%s,if=%s,format=raw" % (img, disk_if)]
    m = ctx.boot_pvh(name, machine=machine, append=append.strip(),
                     timeout=RUN_TIMEOUT, extra=extra)
    sh = Shell(m)
    sh.prompt(BOOT_TIMEOUT)
    return m, sh


def boot_grub(ctx, name, img, disk_if="virtio"):
    """Boot img through SeaBIOS and GRUB's default entry."""
    args = ["-machine", "pc", "-m", "512M", "-smp", "1",
            "-drive", "file=%s,format=raw,if=%s" % (img, disk_if)]
    m = ctx.machine(name, args, timeout=RUN_TIMEOUT)
    m.expect(harness.RE_FIRST_LINE, BOOT_TIMEOUT, "the first kernel line")
    sh = Shell(m)
    sh.prompt(BOOT_TIMEOUT)
    return m, sh


def check_root_mounted(m, sh, dev, kernel_rdonly=False):
    """The kernel said it mounted dev as the root (read-only when
    kernel_rdonly: then init's fstab remounted it), and / is eclipsefs,
    read-write, with the initramfs at /rescue."""
    mt = want(m.text, RE_ROOT_OK, "the kernel's root line")
    if mt.group(1) != dev:
        raise Failure("root is %s, want %s" % (mt.group(1), dev))
    if mt.group(3) != ("read-only" if kernel_rdonly else "read-write"):
        raise Failure("the kernel mounted the root %s" % mt.group(3))
    if kernel_rdonly:
        want(m.text, r"init: remounted / \(eclipsefs\) read-write",
             "init's remount read-write (fstab)")
    out = sh.ok("grep ' / ' /proc/mounts")
    want(out, r"^%s / eclipsefs rw[ ,]" % re.escape(dev),
         "/proc/mounts: eclipsefs on /")
    want(sh.ok("mount"), r"^%s on / type eclipsefs \(rw" % re.escape(dev),
         "mount: eclipsefs on /")
    want(sh.ok("grep ' /rescue ' /proc/mounts"), r"^\S+ /rescue tmpfs ",
         "the initramfs at /rescue")
    sh.ok("test -x /rescue/bin/busybox")
    for d, t in (("/dev", "devtmpfs"), ("/proc", "proc"),
                 ("/sys", "sysfs"), ("/tmp", "tmpfs")):
        want(sh.ok("grep ' %s ' /proc/mounts" % d),
             r"^\S+ %s %s " % (d, t), "%s on the new root" % d)


def shutdown(m, sh, how="poweroff"):
    """poweroff or reboot through init; QEMU (-no-reboot) then ends."""
    sh.m.sendline(how)
    m.expect(r"init: / is read-only", 60, "init's read-only remount")
    m.wait_exit(timeout=60)
    want_how = "poweroff" if how == "poweroff" else "reset"
    ok, why = m.classify(want_how)
    if not ok:
        raise Failure(why)


def replayed(m):
    """The number of journal transactions the kernel says it replayed."""
    return sum(int(x.group(2)) for x in re.finditer(RE_REPLAYED, m.text,
                                                    re.M))


# ---------------------------------------------------------------------------
# The groups.

@group("efs-root-pvh", needs=("kernel", "initramfs", "image", "efs-tools"))
def efs_root_pvh(ctx):
    """Root on eclipsefs, virtio, PVH: root= four ways; files persist.

    root= by PARTLABEL, PARTUUID, LABEL and UUID in four boots, each ended
    by reboot or poweroff; what each wrote is there in the next; the
    host's fsck -n is clean after."""
    img = image_copy(ctx, "pvh")
    off, _, puuid = gpt_root(img)
    uuid, label = fs_ids(img, off)
    if label != ROOT_LABEL:
        raise Failure("the root's label is %r, want %r" % (label, ROOT_LABEL))
    # The last boot mounts the root read-only (ro); init's fstab line
    # (rw) remounts it read-write.
    roots = [("PARTLABEL=" + ROOT_LABEL, "reboot", ""),
             ("PARTUUID=" + puuid.upper(), "poweroff", ""),
             ("LABEL=" + ROOT_LABEL, "reboot", ""),
             ("UUID=" + uuid, "poweroff", "ro")]
    lines = []
    for i, (root, how, opts) in enumerate(roots):
        kind = root.split("=")[0].lower()
        m, sh = boot_root(ctx, "efs-root-pvh-%d" % i, img, root,
                          extra_append=opts)
        with ctx.test("efs/pvh-root-%s%s" % (kind, "-" + opts if opts
                                              else ""), m):
            check_root_mounted(m, sh, "/dev/vda3", kernel_rdonly=bool(opts))
        with ctx.test("efs/pvh-persist-%s" % kind, m):
            out = sh.ok("cat /root/persist.txt 2>/dev/null; true")
            got = [ln for ln in out.split("\n") if ln.startswith("line ")]
            if got != lines:
                raise Failure("/root/persist.txt has %r, want %r" %
                              (got, lines))
            lines.append("line %d by %s" % (i, kind))
            sh.ok("echo '%s' >> /root/persist.txt" % lines[-1])
            sh.ok("mkdir -p /root/d%d && cp /rescue/bin/busybox "
                  "/root/d%d/bb && sync" % (i, i))
        with ctx.test("efs/pvh-%s-%s" % (how, kind), m):
            shutdown(m, sh, how)
    with ctx.test("efs/pvh-fsck-clean"):
        fsck_clean(ctx, img, off, "after four boots")


def persist_twice(ctx, tag, img, boot, dev, how, first_check=None):
    """Two boots of img, boot(n) giving (machine, shell): the root is
    dev, a file written in the first (ended by how) is there in the
    second, and the host's fsck -n is clean after.  Tests efs/TAG-root,
    -write, -persist and -fsck-clean; first_check(m) adds to -root."""
    off, _, _ = gpt_root(img)
    m, sh = boot(1)
    with ctx.test("efs/%s-root" % tag, m):
        if first_check is not None:
            first_check(m)
        check_root_mounted(m, sh, dev)
    with ctx.test("efs/%s-write" % tag, m):
        sh.ok("echo %s-persists > /root/%s.txt" % (tag, tag))
        shutdown(m, sh, how)
    m, sh = boot(2)
    with ctx.test("efs/%s-persist" % tag, m):
        want(sh.ok("cat /root/%s.txt" % tag), r"^%s-persists$" % tag,
             "the file written in the first boot (ended by %s)" % how)
        shutdown(m, sh, "poweroff")
    with ctx.test("efs/%s-fsck-clean" % tag):
        fsck_clean(ctx, img, off, "after the %s boots" % tag.upper())


@group("efs-root-ata", needs=("kernel", "initramfs", "image", "efs-tools"))
def efs_root_ata(ctx):
    """Root on eclipsefs, ATA (pc, if=ide), PVH: a file persists."""
    img = image_copy(ctx, "ata")
    persist_twice(ctx, "ata", img, lambda n: boot_root(
        ctx, "efs-root-ata-%d" % n, img, "PARTLABEL=" + ROOT_LABEL,
        machine="pc", disk_if="ide"), "/dev/sda3", "reboot")


@group("efs-root-grub", needs=("image", "efs-tools"))
def efs_root_grub(ctx):
    """Root on eclipsefs through SeaBIOS and GRUB, virtio: persists."""
    img = image_copy(ctx, "grub")

    def grub_entry(m):
        want(m.text, r"^boot: loader .*root=PARTLABEL=%s" % ROOT_LABEL,
             "GRUB's default entry gives root=PARTLABEL")
    persist_twice(ctx, "grub", img, lambda n: boot_grub(
        ctx, "efs-root-grub-%d" % n, img), "/dev/vda3", "poweroff",
        first_check=grub_entry)


# The power cuts: seconds (KVM; scaled under TCG) of the write loop before
# each cut.  The first (0) runs no loop: it cuts right after an fsync'd
# write, whose commit is in the journal and not yet checkpointed (a
# commit checkpoints only past half the ring, efs_jcommit), so the next
# boot must replay it.  Whether a cut inside the loop finds a committed
# transaction not yet checkpointed is chance.
CUTS = (0, 1, 3, 6, 10)
WRITE_LOOP = ("(i=0; while :; do dd if=/dev/urandom of=/root/junk$((i %% 8)) "
              "bs=4k count=%d 2>/dev/null; mkdir -p /root/dir$i; "
              "rmdir /root/dir$((i - 1)) 2>/dev/null; i=$((i + 1)); "
              "done) >/dev/null 2>&1 &")


@group("efs-powercut", needs=("kernel", "initramfs", "image", "efs-tools"))
def efs_powercut(ctx):
    """Power cuts in a write loop: fsync'd files whole, journal replays.

    QEMU killed at several points of a write-heavy loop; after each, the
    next boot replays the journal and every fsync'd file is whole; the
    host's fsck -n is clean at the end."""
    img = image_copy(ctx, "cut")
    off, _, _ = gpt_root(img)
    root = "PARTLABEL=" + ROOT_LABEL
    saved = {}                  # path -> md5 of what was fsync'd
    replays = []
    for i, delay in enumerate(CUTS + (None,)):
        m, sh = boot_root(ctx, "efs-powercut-%d" % i, img, root)
        with ctx.test("efs/cut-%d-boot" % i, m):
            if re.search(RE_ROOT_FAIL, m.text, re.M):
                raise Failure("the root did not mount after the cut")
            check_root_mounted(m, sh, "/dev/vda3")
            if i > 0:
                replays.append(replayed(m))
        with ctx.test("efs/cut-%d-fsynced-whole" % i, m):
            for path, md5 in sorted(saved.items()):
                out = sh.ok("md5sum %s" % path)
                got = want(out, r"^([0-9a-f]{32}) ", "md5 of " + path)
                if got.group(1) != md5:
                    raise Failure("%s: md5 %s, want %s (fsync'd before "
                                  "a cut)" % (path, got.group(1), md5))
        if delay is None:
            with ctx.test("efs/cut-poweroff", m):
                shutdown(m, sh, "poweroff")
            break
        with ctx.test("efs/cut-%d-write" % i, m):
            path = "/root/saved%d" % i
            sh.ok("dd if=/dev/urandom of=%s bs=4k count=%d conv=fsync "
                  "2>/dev/null" % (path, 64 + 37 * i))
            saved[path] = want(sh.ok("md5sum %s" % path),
                               r"^([0-9a-f]{32}) ", "md5").group(1)
            if delay > 0:
                sh.ok(WRITE_LOOP % (16 + 8 * i))
                time.sleep(ctx.scaled(delay))
            m.power_cut()
    with ctx.test("efs/cut-journal-replayed"):
        if not replays or replays[0] == 0:
            raise Failure("the boot after a cut right after an fsync "
                          "replayed no transaction (per boot: %r)" % replays)
        print("  [%s] transactions replayed after each cut: %r" % (
            ctx.group, replays), flush=True)
    with ctx.test("efs/cut-fsck-clean"):
        fsck_clean(ctx, img, off, "after %d power cuts" % len(CUTS))


@group("efs-root-fallback", needs=("kernel", "initramfs", "image"))
def efs_root_fallback(ctx):
    """A root that does not mount falls back to the initramfs's shell.

    Bad superblock magic (by PARTLABEL and by LABEL), no such partition,
    and no root= at all: a clear log line, the initramfs as /, a shell."""
    img = image_copy(ctx, "bad")
    off, _, _ = gpt_root(img)
    with open(img, "r+b") as f:
        f.seek(off)
        f.write(b"NOTEFS!!")
    cases = (("bad-magic", "PARTLABEL=" + ROOT_LABEL,
              r"^root: cannot mount PARTLABEL=%s \(eclipsefs\) from "
              r"/dev/vda3 \(error -\d+\)" % ROOT_LABEL),
             ("bad-magic-label", "LABEL=" + ROOT_LABEL,
              r"^root: root=LABEL=%s: no such block device" % ROOT_LABEL),
             ("no-partition", "PARTUUID=00000000-0000-0000-0000-000000000001",
              r"^root: root=PARTUUID=\S+: no such block device"),
             ("no-root", None, r"^root: no root= on the command line"))
    for name, root, why in cases:
        m, sh = boot_root(ctx, "efs-fallback-" + name, img, root)
        with ctx.test("efs/fallback-" + name, m):
            want(m.text, why, "the reason in the log")
            if root is not None:
                want(m.text, RE_ROOT_FAIL, "the fallback line")
            want(sh.ok("grep ' / ' /proc/mounts"), r"^rootfs / tmpfs ",
                 "the initramfs is the root")
            want(m.text, r"init: / is tmpfs, not eclipsefs",
                 "init skips fstab's root line")
            sh.ok("test -x /bin/busybox && echo shell-works")
            m.sendline("poweroff")
            m.wait_exit(timeout=60)
            ok, why2 = m.classify("poweroff")
            if not ok:
                raise Failure(why2)
