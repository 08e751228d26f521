#!/usr/bin/env python3
"""Turn a PSF console font into the C table the framebuffer console draws.

    psf2c.py FONT.psf[.gz]      write font8x16.c on standard output
    psf2c.py --selftest         check the PSF1 and PSF2 decoders

The font is read at build time from the console fonts a Debian package
ships (console-setup-linux: /usr/share/consolefonts/*.psf.gz), so no
font bitmap is kept in our tree.  Both PSF versions are understood, plain
or gzip-compressed, as the kbd project's font-formats document describes
them:

  PSF1: magic 36 04, a mode byte (0x01: 512 glyphs instead of 256,
        0x02/0x04: a Unicode table follows), the glyph height; glyphs are
        8 pixels wide.  The Unicode table gives, glyph by glyph, 16-bit
        little-endian code points ending with 0xFFFF; 0xFFFE starts
        sequences (combining characters), which we skip.
  PSF2: magic 72 b5 4a 86, then little-endian 32-bit version, header
        size, flags (0x01: a Unicode table follows), glyph count, bytes
        per glyph, height, width.  Its Unicode table is in UTF-8, with
        0xFF ending a glyph's entry and 0xFE starting sequences.

The kernel prints bytes, so the table has 256 glyphs indexed by byte
value read as Latin-1 (U+0000-U+00FF): ASCII and the Latin-1 letters get
the font's glyph for that code point; control codes get a blank glyph;
a code point the font lacks gets its replacement glyph (U+FFFD, else '?').
"""

import gzip
import os
import struct
import sys

PSF1_MAGIC = b"\x36\x04"
PSF1_MODE512 = 0x01
PSF1_MODEHASTAB = 0x02
PSF1_MODEHASSEQ = 0x04
PSF2_MAGIC = b"\x72\xb5\x4a\x86"
PSF2_HAS_UNICODE_TABLE = 0x01

WIDTH = 8
HEIGHT = 16

PACKAGE = "console-setup-linux"


class PsfError(Exception):
    pass


class Font:
    """A decoded font: glyph bitmaps and the code point -> glyph map."""

    def __init__(self, width, height, glyphs, unimap):
        self.width = width
        self.height = height
        self.glyphs = glyphs        # list of bytes, one per glyph
        self.unimap = unimap        # {code point: glyph index}, or None


def _add_mapping(unimap, cp, index):
    # The first glyph listed for a code point wins.
    unimap.setdefault(cp, index)


def _psf1_table(data, nglyphs):
    unimap = {}
    pos = 0
    for index in range(nglyphs):
        in_seq = False
        while True:
            if pos + 2 > len(data):
                raise PsfError("PSF1 Unicode table ends early")
            (uc,) = struct.unpack_from("<H", data, pos)
            pos += 2
            if uc == 0xFFFF:
                break
            if uc == 0xFFFE:
                in_seq = True
            elif not in_seq:
                _add_mapping(unimap, uc, index)
    return unimap


def _utf8_next(data, pos):
    """Decode one UTF-8 code point at pos; return (cp, new pos)."""
    b = data[pos]
    if b < 0x80:
        return b, pos + 1
    if b >= 0xF0:
        n, cp = 3, b & 0x07
    elif b >= 0xE0:
        n, cp = 2, b & 0x0F
    elif b >= 0xC0:
        n, cp = 1, b & 0x1F
    else:
        raise PsfError("bad UTF-8 in the PSF2 Unicode table at %d" % pos)
    if pos + 1 + n > len(data):
        raise PsfError("PSF2 Unicode table ends inside a character")
    for i in range(1, n + 1):
        c = data[pos + i]
        if c & 0xC0 != 0x80:
            raise PsfError("bad UTF-8 in the PSF2 Unicode table at %d" % pos)
        cp = (cp << 6) | (c & 0x3F)
    return cp, pos + 1 + n


def _psf2_table(data, nglyphs):
    unimap = {}
    pos = 0
    for index in range(nglyphs):
        in_seq = False
        while True:
            if pos >= len(data):
                raise PsfError("PSF2 Unicode table ends early")
            b = data[pos]
            if b == 0xFF:
                pos += 1
                break
            if b == 0xFE:
                in_seq = True
                pos += 1
                continue
            cp, pos = _utf8_next(data, pos)
            if not in_seq:
                _add_mapping(unimap, cp, index)
    return unimap


def decode(data):
    """Decode a PSF1 or PSF2 font, gzip-compressed or not."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data[:2] == PSF1_MAGIC:
        if len(data) < 4:
            raise PsfError("PSF1 header is cut short")
        mode, charsize = data[2], data[3]
        nglyphs = 512 if mode & PSF1_MODE512 else 256
        end = 4 + nglyphs * charsize
        if charsize == 0 or len(data) < end:
            raise PsfError("PSF1 glyphs are cut short")
        glyphs = [data[4 + i * charsize:4 + (i + 1) * charsize]
                  for i in range(nglyphs)]
        unimap = None
        if mode & (PSF1_MODEHASTAB | PSF1_MODEHASSEQ):
            unimap = _psf1_table(data[end:], nglyphs)
        return Font(8, charsize, glyphs, unimap)
    if data[:4] == PSF2_MAGIC:
        if len(data) < 32:
            raise PsfError("PSF2 header is cut short")
        (version, hsize, flags, nglyphs, charsize, height,
         width) = struct.unpack_from("<7I", data, 4)
        if version != 0:
            raise PsfError("PSF2 version %d is unknown" % version)
        if charsize != height * ((width + 7) // 8) or charsize == 0:
            raise PsfError("PSF2 glyph size %d does not match %dx%d" %
                           (charsize, width, height))
        end = hsize + nglyphs * charsize
        if hsize < 32 or len(data) < end:
            raise PsfError("PSF2 glyphs are cut short")
        glyphs = [data[hsize + i * charsize:hsize + (i + 1) * charsize]
                  for i in range(nglyphs)]
        unimap = None
        if flags & PSF2_HAS_UNICODE_TABLE:
            unimap = _psf2_table(data[end:], nglyphs)
        return Font(width, height, glyphs, unimap)
    raise PsfError("not a PSF1 or PSF2 font (bad magic number)")


def latin1_table(font):
    """The 256 glyphs for bytes 0-255 read as Latin-1."""
    if font.width != WIDTH or font.height != HEIGHT:
        raise PsfError("the font is %dx%d; the console needs %dx%d" %
                       (font.width, font.height, WIDTH, HEIGHT))
    blank = bytes(HEIGHT)
    if font.unimap is None:
        # No table: the glyph index is the byte (the font's own order).
        return [font.glyphs[b] if b < len(font.glyphs) else blank
                for b in range(256)]
    fallback = font.unimap.get(0xFFFD, font.unimap.get(ord("?")))
    table = []
    for b in range(256):
        if b < 0x20 or 0x7F <= b < 0xA0:
            table.append(blank)
        elif b in font.unimap:
            table.append(font.glyphs[font.unimap[b]])
        elif fallback is not None:
            table.append(font.glyphs[fallback])
        else:
            table.append(blank)
    return table


def _char_comment(b):
    if 0x20 <= b < 0x7F and chr(b) not in "*/\\":
        return "'%s'" % chr(b)
    return "0x%02x" % b


def emit(table, source, out):
    name = os.path.basename(source)
    out.write("/*\n * DO NOT EDIT: generated by sys/dev/cons/psf2c.py from\n"
              " * %s (Debian package %s).\n */\n" % (source, PACKAGE))
    out.write("#include <dev/cons/font.h>\n\n")
    out.write("const char font8x16_name[] = \"%s\";\n\n" % name)
    out.write("const uint8_t font8x16_glyphs[256][FONT_HEIGHT] = {\n")
    for b, glyph in enumerate(table):
        rows = ", ".join("0x%02x" % r for r in glyph)
        out.write("\t/* %s */\n" % _char_comment(b))
        out.write("\t{ %s },\n" % rows)
    out.write("};\n")


def _encode_psf1(glyphs, table_entries, mode=PSF1_MODEHASTAB):
    data = PSF1_MAGIC + bytes([mode, HEIGHT]) + b"".join(glyphs)
    for cps in table_entries:
        for cp in cps:
            data += struct.pack("<H", cp)
        data += struct.pack("<H", 0xFFFF)
    return data


def _encode_psf2(glyphs, table_entries, hsize=32):
    head = PSF2_MAGIC + struct.pack("<7I", 0, hsize, PSF2_HAS_UNICODE_TABLE,
                                    len(glyphs), HEIGHT, HEIGHT, WIDTH)
    data = head + bytes(hsize - len(head)) + b"".join(glyphs)
    for cps in table_entries:
        for cp in cps:
            data += (b"\xfe" if cp == 0xFFFE else chr(cp).encode("utf-8"))
        data += b"\xff"
    return data


def selftest():
    """Encode one synthetic font four ways; every decoding must agree."""
    # Glyph i is 16 distinct rows, so a wrong index shows.
    glyphs = [bytes((i * 7 + r * 13) & 0xFF for r in range(HEIGHT))
              for i in range(256)]
    # Glyph i shows code point 255 - i, plus some aliases and a sequence.
    entries = [[255 - i] for i in range(256)]
    entries[10] = [0xFFFD]              # the replacement glyph
    entries[11] = [0x2500, 0xFFFE, 0x41, 0x300]     # a sequence: skipped
    entries[12] = [0x263A, 0xAB]        # two code points, one glyph
    expected = []
    for b in range(256):
        if b < 0x20 or 0x7F <= b < 0xA0:
            expected.append(bytes(HEIGHT))
        elif b in (255 - 10, 255 - 11, 255 - 12):
            expected.append(glyphs[10])     # lost its glyph: U+FFFD
        elif b == 0xAB:
            expected.append(glyphs[12])     # first listed wins (12 < 0x54)
        else:
            expected.append(glyphs[255 - b])
    fonts = {
        "psf1": _encode_psf1(glyphs, entries),
        "psf1.gz": gzip.compress(_encode_psf1(glyphs, entries)),
        "psf2": _encode_psf2(glyphs, entries),
        "psf2.gz (header 40)": gzip.compress(_encode_psf2(glyphs, entries,
                                                          40)),
    }
    failed = 0
    n = 0
    for name, data in fonts.items():
        n += 1
        got = latin1_table(decode(data))
        ok = got == expected
        failed += not ok
        print("%sok %d - psf2c decodes %s" % ("" if ok else "not ", n, name))
    bad = [("bad magic", b"\x00" * 64),
           ("short PSF1", PSF1_MAGIC + b"\x02\x10" + bytes(100)),
           ("short PSF2", _encode_psf2(glyphs, entries)[:200]),
           ("an 8x8 font", PSF1_MAGIC + bytes([0, 8]) + bytes(8 * 256))]
    for name, data in bad:
        n += 1
        try:
            latin1_table(decode(data))
            ok = False
        except PsfError:
            ok = True
        failed += not ok
        print("%sok %d - psf2c rejects %s" % ("" if ok else "not ", n, name))
    print("1..%d" % n)
    return 1 if failed else 0


def main(argv):
    if len(argv) == 2 and argv[1] == "--selftest":
        return selftest()
    if len(argv) != 2:
        sys.stderr.write("usage: psf2c.py FONT.psf[.gz] | --selftest\n")
        return 2
    path = argv[1]
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        sys.stderr.write("psf2c: cannot read %s: %s (the font comes from "
                         "the Debian package %s)\n" %
                         (path, e.strerror, PACKAGE))
        return 1
    try:
        table = latin1_table(decode(data))
    except (PsfError, OSError, EOFError) as e:
        sys.stderr.write("psf2c: %s: %s\n" % (path, e))
        return 1
    emit(table, path, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
