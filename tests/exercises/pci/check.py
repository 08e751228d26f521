"""Exercise 18 (Documentation/tutorial/pci.md): a driver for QEMU's edu.

One boot (PVH, the image's initramfs) with -device edu: the driver
model must attach a driver named edu to 1234:11e8, which logs the
device's version, its liveness check and the factorial of 5 that the
device computed, and /sys/bus/pci/drivers/edu must link to the device.
"""

import os
import sys

import harness
from harness import Failure, group, want

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402


@group("exercise-pci", needs=("kernel", "initramfs"))
def exercise_pci(ctx):
    """An edu driver attached through the driver model, 5! = 120."""
    m, sh = exlib.boot_shell(ctx, "pci", extra=["-device", "edu"])
    with ctx.test("exercise-pci/log", m):
        out = sh.ok("dmesg | grep ' edu0: '")
        want(out, r"^\[ *[0-9.]+\] edu0: QEMU edu device 1\.0 at "
             r"[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]: liveness ok, 5! = 120$",
             "edu0's attach line")
    with ctx.test("exercise-pci/sysfs", m):
        slot = want(sh.ok("grep -l 0x11e8 /sys/bus/pci/devices/*/device"),
                    r"^/sys/bus/pci/devices/([^/]+)/device$",
                    "the edu device in /sys").group(1)
        out, st = sh.run("ls /sys/bus/pci/drivers/edu | cat")
        if st != 0 or slot not in out.split():
            raise Failure("/sys/bus/pci/drivers/edu does not list %s: %r"
                          % (slot, out))
