#!/usr/bin/env python3
"""Make one data file of the conformance suite from its source.

    mkdata.py SOURCE OUTPUT TESTS_DIR

SOURCE is tests/conformance/<family>/<name>.in (text: every "@TESTS@" is
replaced by TESTS_DIR, the folder holding the suite: $(BUILD)/conformance
on the host, /tests in EclipseOS) or <name>.hex (bytes written as pairs of
hexadecimal digits; spaces, newlines and "#" comments are ignored).
OUTPUT gets mode 0755: data files are things the tests try to execve.
"""

import os
import re
import sys


def main():
    if len(sys.argv) != 4:
        print(__doc__.strip().split("\n")[2].strip(), file=sys.stderr)
        return 2
    src, out, tests_dir = sys.argv[1:]
    with open(src, "rb") as f:
        raw = f.read()
    if src.endswith(".in"):
        data = raw.replace(b"@TESTS@", tests_dir.encode())
    elif src.endswith(".hex"):
        text = re.sub(r"#[^\n]*", "", raw.decode("ascii"))
        digits = "".join(text.split())
        if len(digits) % 2 or not re.fullmatch(r"[0-9a-fA-F]*", digits):
            print("mkdata: %s: not pairs of hex digits" % src,
                  file=sys.stderr)
            return 1
        data = bytes.fromhex(digits)
    else:
        print("mkdata: %s: neither .in nor .hex" % src, file=sys.stderr)
        return 1
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(out + ".tmp", "wb") as f:
        f.write(data)
    os.chmod(out + ".tmp", 0o755)
    os.replace(out + ".tmp", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
