"""Exercise 19 (Documentation/tutorial/virtio.md): a virtio-rng driver.

One boot (PVH, the image's initramfs) with -device virtio-rng-pci:
/dev/hwrng must be character device 10, 183, mode 0600, and reads of it
must give the bytes asked for (the device's random bytes: two reads
differ), with the driver's attach line in the kernel log.
"""

import os
import sys

import harness
from harness import Failure, group, want

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402


@group("exercise-virtio", needs=("kernel", "initramfs"))
def exercise_virtio(ctx):
    """/dev/hwrng reads random bytes from a virtio-rng device."""
    m, sh = exlib.boot_shell(ctx, "virtio",
                             extra=["-device", "virtio-rng-pci"])
    with ctx.test("exercise-virtio/node", m):
        want(sh.ok("ls -l /dev/hwrng | cat"),
             r"^crw-------\s+1 root\s+root\s+10,\s+183 .*/dev/hwrng$",
             "ls -l /dev/hwrng")
        want(sh.ok("dmesg | grep virtio-rng"), r"virtio-rng: .*/dev/hwrng",
             "the driver's attach line")
    with ctx.test("exercise-virtio/read", m):
        n = int(want(sh.ok("dd if=/dev/hwrng bs=4096 count=4 2>/dev/null"
                           " | wc -c"), r"^\s*(\d+)$", "dd | wc -c").group(1))
        if not 0 < n <= 16384:
            raise Failure("4 reads of 4096 bytes gave %d bytes" % n)
        a = want(sh.ok("head -c 16 /dev/hwrng | od -An -tx1 | tr -d ' '"),
                 r"^([0-9a-f]{32})$", "16 bytes of /dev/hwrng").group(1)
        b = want(sh.ok("head -c 16 /dev/hwrng | od -An -tx1 | tr -d ' '"),
                 r"^([0-9a-f]{32})$", "16 more bytes").group(1)
        if a == b:
            raise Failure("two reads gave the same 16 bytes: %s" % a)
