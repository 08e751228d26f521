#!/usr/bin/env python3
"""Copy a cpio "newc" archive (the initramfs) and add files to it.

    addcpio.py IN OUT NAME=FILE...

NAME is the path inside the archive (bin/crashwl), FILE the host file;
added as a regular file, mode 0755, owner root, mtime 0, after the
entries of IN (its "TRAILER!!!" moved to the end).  The folders above
NAME must be in IN already.  The format: cpio(5) "New ASCII Format", as
distro/mkinitramfs.py writes it and sys/kern/subr_cpio.c reads it.
"""

import os
import sys

MAGIC = b"070701"
HDR = 110
TRAILER = b"TRAILER!!!"


def pad4(n):
    return (4 - n % 4) % 4


def entries(data):
    """(name, raw bytes of the entry, ino) for every entry before the
    trailer."""
    off = 0
    while True:
        if data[off:off + 6] != MAGIC:
            raise SystemExit("addcpio: bad header at byte %d" % off)
        f = [int(data[off + 6 + 8 * i:off + 14 + 8 * i], 16)
             for i in range(13)]
        ino, size, namesize = f[0], f[6], f[11]
        name = data[off + HDR:off + HDR + namesize - 1]
        dstart = off + HDR + namesize + pad4(HDR + namesize)
        end = dstart + size + pad4(size)
        if name == TRAILER:
            return
        yield name, data[off:end], ino
        off = end


def header(ino, mode, size, name):
    fields = [ino, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, len(name) + 1, 0]
    h = MAGIC + b"".join(b"%08x" % v for v in fields) + name + b"\0"
    return h + bytes(pad4(len(h)))


def main(argv):
    if len(argv) < 3:
        raise SystemExit("usage: addcpio.py IN OUT NAME=FILE...")
    with open(argv[1], "rb") as f:
        data = f.read()
    out = bytearray()
    names = set()
    top = 0
    for name, raw, ino in entries(data):
        out += raw
        names.add(name)
        top = max(top, ino)
    for spec in argv[3:]:
        name, path = spec.split("=", 1)
        name = name.strip("/").encode()
        if name in names:
            raise SystemExit("addcpio: %s is in %s already" % (
                name.decode(), argv[1]))
        parent = name.rsplit(b"/", 1)[0] if b"/" in name else None
        if parent is not None and parent not in names:
            raise SystemExit("addcpio: no folder %s in %s" % (
                parent.decode(), argv[1]))
        with open(path, "rb") as f:
            body = f.read()
        top += 1
        out += header(top, 0o100755, len(body), name) + body
        out += bytes(pad4(len(body)))
        names.add(name)
    out += header(0, 0, 0, TRAILER)
    out += bytes((512 - len(out) % 512) % 512)
    with open(argv[2] + ".tmp", "wb") as f:
        f.write(out)
    os.replace(argv[2] + ".tmp", argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
