#!/usr/bin/env python3
#
# linuxref.py: the reference Linux that the benchmarks compare EclipseOS
# with, booted in the same QEMU (Documentation/performance.md).
#
#   linuxref.py --out DIR --busybox FILE --insmod FILE
#
# 1. The kernel is the distribution's own, never installed on this host:
#    the package linux-image-amd64 depends on (apt-cache depends, e.g.
#    linux-image-6.1.0-56-amd64) is fetched with `apt-get download` into
#    CACHE (~/.cache/eclipseos/linux, or $XDG_CACHE_HOME/eclipseos/linux),
#    which checks the archive's signatures and the file's hash; its
#    sha256 is printed, and compared with the one apt-cache show gives
#    when the .deb was already in the cache.  `dpkg-deb -x` unpacks it
#    once into CACHE/<release>/ (e.g. CACHE/6.1.0-56-amd64/), which later
#    runs reuse.  LINUXREF_PACKAGE=name picks another package.
# 2. An initramfs (cpio newc, through distro/mkinitramfs.py) holding our
#    static BusyBox (the port's binary), distro/linuxref-insmod (BusyBox
#    is built without insmod), the modules below with every module they
#    depend on (the "depends=" of each module's .modinfo: the package has
#    no modules.dep, depmod writes it on installation), decompressed on
#    this host when the package compresses them, and /init
#    (distro/linuxref-init.sh) with the list of modules in load order.
#
# DIR receives vmlinuz, initramfs.cpio, release (the kernel's release
# name), package (name, version, sha256) and cmdline (the kernel command
# line: serial console, quiet).  Exit status 0, or 1 with a message.

import argparse
import hashlib
import lzma
import os
import shutil
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import mkinitramfs  # noqa: E402

META = "linux-image-amd64"

# The modules /init loads, and so the initramfs holds, with their
# dependencies: virtio-blk behind the virtio PCI transport, ext4 (with the
# crc32c it asks for by a soft dependency, which modprobe would resolve
# through an alias), and for `-drive if=ide` on `pc` the PIIX IDE driver
# under libata and the SCSI disk driver that names the disk /dev/sda.
MODULES = ["virtio_pci", "virtio_blk", "crc32c_generic", "ext4",
           "ata_piix", "sd_mod"]

# The kernel command line: the serial port is the console, and the kernel
# prints only warnings and worse (quiet), as EclipseOS prints little.
# panic=-1 reboots at once on a panic, which -no-reboot turns into an exit.
CMDLINE = "console=ttyS0 quiet panic=-1"


class Error(Exception):
    pass


def say(msg):
    print("linuxref: " + msg, flush=True)


def run(argv, **kw):
    """ARGV's standard output; Error when it fails."""
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, **kw)
    except OSError as e:
        raise Error("%s: %s" % (argv[0], e.strerror))
    if p.returncode != 0:
        raise Error("%s failed (%d): %s" % (" ".join(argv), p.returncode,
                                            p.stderr.strip()[-500:]))
    return p.stdout


def cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or \
        os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "eclipseos", "linux")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def resolve_package():
    """The kernel package's name: what linux-image-amd64 depends on."""
    name = os.environ.get("LINUXREF_PACKAGE")
    if name:
        return name
    for line in run(["apt-cache", "depends", META]).splitlines():
        f = line.split()
        if len(f) == 2 and f[0] == "Depends:" and \
                f[1].startswith("linux-image-"):
            return f[1]
    raise Error("apt-cache depends %s names no linux-image package" % META)


def package_fields(name):
    """{Version, SHA256, Architecture} of the candidate version of NAME."""
    out = run(["apt-cache", "show", "--no-all-versions", name])
    fields = {}
    for line in out.splitlines():
        k, sep, v = line.partition(": ")
        if sep and k in ("Version", "SHA256", "Architecture"):
            fields.setdefault(k, v.strip())
    if "Version" not in fields:
        raise Error("apt-cache show %s gives no version" % name)
    return fields


def fetch(cache):
    """The .deb's path, name, version and sha256; downloads it if needed."""
    name = resolve_package()
    f = package_fields(name)
    # apt-get download names the file NAME_VERSION_ARCH.deb, with the
    # epoch's colon written %3a.
    deb = os.path.join(cache, "%s_%s_%s.deb" % (
        name, f["Version"].replace(":", "%3a"),
        f.get("Architecture", "amd64")))
    if not os.path.exists(deb):
        say("apt-get download %s (%s)" % (name, f["Version"]))
        run(["apt-get", "download", "%s=%s" % (name, f["Version"])],
            cwd=cache)
        if not os.path.exists(deb):
            raise Error("apt-get download wrote no %s" % deb)
    digest = sha256(deb)
    if "SHA256" in f and f["SHA256"] != digest:
        raise Error("%s: sha256 %s, the archive's index says %s" % (
            deb, digest, f["SHA256"]))
    say("%s %s sha256 %s" % (name, f["Version"], digest))
    return deb, name, f["Version"], digest


def unpack(cache, deb, name):
    """CACHE/<release>, unpacked from DEB once; (folder, release)."""
    release = name[len("linux-image-"):]
    if name.endswith("-unsigned"):
        release = release[:-len("-unsigned")]
    tree = os.path.join(cache, release)
    if os.path.isfile(os.path.join(tree, ".unpacked")):
        return tree, release
    tmp = tree + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    say("dpkg-deb -x %s %s" % (os.path.basename(deb), tree))
    run(["dpkg-deb", "-x", deb, tmp])
    open(os.path.join(tmp, ".unpacked"), "w").close()
    shutil.rmtree(tree, ignore_errors=True)
    os.rename(tmp, tree)
    return tree, release


def module_files(moddir):
    """{module name: path} of every module under MODDIR (names with _)."""
    out = {}
    for dirpath, _, files in os.walk(moddir):
        for fn in files:
            for ext in (".ko", ".ko.xz", ".ko.zst", ".ko.gz"):
                if fn.endswith(ext):
                    out[fn[:-len(ext)].replace("-", "_")] = \
                        os.path.join(dirpath, fn)
    return out


def module_bytes(path):
    """The module's ELF image, decompressed."""
    if path.endswith(".xz"):
        with lzma.open(path) as f:
            return f.read()
    if path.endswith(".gz"):
        import gzip
        with gzip.open(path) as f:
            return f.read()
    if path.endswith(".zst"):
        return subprocess.run(["zstd", "-dc", path], check=True,
                              stdout=subprocess.PIPE).stdout
    with open(path, "rb") as f:
        return f.read()


def modinfo(elf):
    """The .modinfo section's "key=value" strings as [(key, value)]."""
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise Error("not a little-endian ELF64 module")
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3a)

    def section(i):
        # sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size
        return struct.unpack_from("<IIQQQQ", elf, shoff + i * shentsize)
    strtab = section(shstrndx)
    for i in range(shnum):
        s = section(i)
        off = strtab[4] + s[0]
        nm = elf[off:elf.index(b"\0", off)]
        if nm == b".modinfo":
            data = elf[s[4]:s[4] + s[5]]
            return [tuple(x.decode("utf-8", "replace").partition("=")[::2])
                    for x in data.split(b"\0") if b"=" in x]
    return []


def load_order(files, wanted):
    """WANTED and their dependencies, each after what it depends on."""
    order, state = [], {}

    def visit(name, chain):
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            raise Error("modules depend on each other: %s" %
                        " -> ".join(chain + [name]))
        if name not in files:
            raise Error("no module %s in the package (needed by %s)" %
                        (name, chain[-1] if chain else "the initramfs"))
        state[name] = "visiting"
        for k, v in modinfo(module_bytes(files[name])):
            if k == "depends":
                for dep in filter(None, v.split(",")):
                    visit(dep.replace("-", "_"), chain + [name])
        state[name] = "done"
        order.append(name)
    for w in wanted:
        visit(w, [])
    return order


def build_initramfs(out, tree, release, busybox, insmod):
    """OUT/initramfs.cpio; returns the modules in load order."""
    moddir = os.path.join(tree, "lib", "modules", release)
    if not os.path.isdir(moddir):
        raise Error("%s: no such folder in the package" % moddir)
    files = module_files(moddir)
    order = load_order(files, MODULES)
    root = os.path.join(out, "root")
    shutil.rmtree(root, ignore_errors=True)
    for d in ("bin", "sbin", "usr/bin", "usr/sbin", "dev", "proc", "sys",
              "tmp", "lib/modules"):
        os.makedirs(os.path.join(root, d))
    shutil.copy(busybox, os.path.join(root, "bin", "busybox"))
    shutil.copy(insmod, os.path.join(root, "sbin", "insmod"))
    shutil.copy(os.path.join(HERE, "linuxref-init.sh"),
                os.path.join(root, "init"))
    for d in ("bin/busybox", "sbin/insmod", "init"):
        os.chmod(os.path.join(root, d), 0o755)
    for name in order:
        with open(os.path.join(root, "lib", "modules", name + ".ko"),
                  "wb") as f:
            f.write(module_bytes(files[name]))
    with open(os.path.join(root, "lib", "modules", "order"), "w") as f:
        f.write("".join(n + "\n" for n in order))
    data = mkinitramfs.build(root, [])
    # /dev/console, a character device (5, 1), so that the kernel can
    # give /init its standard input and output before devtmpfs is
    # mounted; mkinitramfs.py writes only files, folders and links.
    trailer = mkinitramfs.entry(0, 0, 1, mkinitramfs.TRAILER, b"")
    assert data.endswith(trailer)
    console = bytearray(mkinitramfs.entry(0x7fffffff, 0o20600, 1,
                                          "dev/console", b""))
    console[6 + 9 * 8:6 + 11 * 8] = b"%08x%08x" % (5, 1)    # rdev
    data = data[:-len(trailer)] + bytes(console) + trailer
    tmp = os.path.join(out, "initramfs.cpio.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, os.path.join(out, "initramfs.cpio"))
    return order


def main():
    ap = argparse.ArgumentParser(
        description="Fetch the distribution's Linux kernel and build its "
        "initramfs for the benchmarks.")
    ap.add_argument("--out", required=True, help="the output folder")
    ap.add_argument("--busybox", required=True,
                    help="our static BusyBox binary")
    ap.add_argument("--insmod", required=True,
                    help="the static linuxref-insmod binary")
    args = ap.parse_args()
    try:
        cache = cache_dir()
        os.makedirs(cache, exist_ok=True)
        os.makedirs(args.out, exist_ok=True)
        deb, name, version, digest = fetch(cache)
        tree, release = unpack(cache, deb, name)
        vmlinuz = os.path.join(tree, "boot", "vmlinuz-" + release)
        if not os.path.isfile(vmlinuz):
            raise Error("%s: no such file in the package" % vmlinuz)
        shutil.copy(vmlinuz, os.path.join(args.out, "vmlinuz.tmp"))
        os.replace(os.path.join(args.out, "vmlinuz.tmp"),
                   os.path.join(args.out, "vmlinuz"))
        order = build_initramfs(args.out, tree, release, args.busybox,
                                args.insmod)
        for fn, text in (("release", release),
                         ("package", "%s %s sha256 %s" % (name, version,
                                                          digest)),
                         ("cmdline", CMDLINE)):
            with open(os.path.join(args.out, fn), "w") as f:
                f.write(text + "\n")
        say("Linux %s, initramfs %s with modules %s" % (
            release, os.path.join(args.out, "initramfs.cpio"),
            " ".join(order)))
    except (Error, OSError, mkinitramfs.ArchiveError,
            subprocess.CalledProcessError) as e:
        print("linuxref: %s" % e, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
