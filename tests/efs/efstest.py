#
# efstest.py: what the host tests of the eclipsefs tools share (imported
# by tests/efs/test_*.py, which run with tests/efs/ first on sys.path):
# TAP output and the format's checksum, written as libeclipsefs's
# efs_crc32c and efs_csum (Documentation/eclipsefs.md, "Checksums").

import sys

BLOCK = 4096


class Tap:
    """TAP lines on stdout, numbered; failures counted in .failed."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, desc, detail=None):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, desc))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, desc))
            if detail:
                for line in str(detail).splitlines()[:40]:
                    print("#   " + line)
        sys.stdout.flush()
        return cond

    def diag(self, msg):
        for line in str(msg).splitlines():
            print("# " + line)
        sys.stdout.flush()


def _crc_table():
    t = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ (0x82F63B78 if c & 1 else 0)
        t.append(c)
    return t


CRC_TABLE = _crc_table()


def crc32c(crc, data):
    """CRC32C continued from crc (0 for nothing), as efs_crc32c."""
    c = ~crc & 0xFFFFFFFF
    t = CRC_TABLE
    for b in data:
        c = t[(c ^ b) & 0xFF] ^ (c >> 8)
    return ~c & 0xFFFFFFFF


def csum(seed, buf, off):
    """The checksum of buf with its 4-byte crc field at off taken as 0."""
    return crc32c(seed, bytes(buf[:off]) + b"\0\0\0\0" + bytes(buf[off + 4:]))
