"""Exercise 7 (Documentation/tutorial/syscalls.md): getcpu(2).

A small static program, built here on the host with musl and added to a
copy of the initramfs, calls getcpu(2) in EclipseOS: with two pointers it
must return 0 and store 0 in both (one CPU, one node); with NULL pointers
0; with a pointer into an unmapped page -1 and errno EFAULT (14), as on
Linux.  Without
the exercise the call is -ENOSYS.
"""

import os
import subprocess
import sys

import harness
from harness import Failure, group, want

sys.path.insert(0, os.path.join(harness.ROOT, "distro"))
sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402
import mkinitramfs  # noqa: E402

PROBE = r"""
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main(void)
{
	unsigned int cpu = 7, node = 7;
	char *p;
	long r;

	r = syscall(SYS_getcpu, &cpu, &node, NULL);
	printf("both: %ld errno %d cpu %u node %u\n", r, r < 0 ? errno : 0,
	    cpu, node);
	r = syscall(SYS_getcpu, NULL, NULL, NULL);
	printf("null: %ld errno %d\n", r, r < 0 ? errno : 0);
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || munmap(p + 4096, 4096) != 0)
		return 1;
	r = syscall(SYS_getcpu, (unsigned int *)(p + 4096), NULL, NULL);
	printf("unmapped cpu: %ld errno %d\n", r, r < 0 ? errno : 0);
	return 0;
}
"""


def add_files(src, dst, files):
    """Copy the archive src to dst with files ({name: bytes}, mode 0755)
    added before its trailer."""
    data = open(src, "rb").read()
    end = data.rfind(mkinitramfs.MAGIC)
    if end < 0 or mkinitramfs.TRAILER.encode() not in data[end:]:
        raise Failure("%s has no trailer" % src)
    out = data[:end]
    ino = 900000
    for name, body in sorted(files.items()):
        ino += 1
        out += mkinitramfs.entry(ino, 0o100755, 1, name, body)
    out += mkinitramfs.entry(0, 0, 1, mkinitramfs.TRAILER, b"")
    with open(dst, "wb") as f:
        f.write(out)


@group("exercise-syscalls", needs=("kernel", "initramfs"))
def exercise_syscalls(ctx):
    """getcpu(2) in EclipseOS: 0 and CPU 0, node 0; EFAULT; not ENOSYS."""
    src = os.path.join(ctx.tmpdir, "getcpu.c")
    prog = os.path.join(ctx.tmpdir, "getcpu")
    cpio = os.path.join(ctx.tmpdir, "initramfs-getcpu.cpio")
    with ctx.test("exercise-syscalls/build"):
        with open(src, "w") as f:
            f.write(PROBE)
        r = subprocess.run(["musl-gcc", "-static", "-O2", "-o", prog, src],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True)
        if r.returncode != 0:
            raise Failure("musl-gcc: " + r.stdout[-400:])
        add_files(ctx.files["initramfs"], cpio,
                  {"bin/getcpu-probe": open(prog, "rb").read()})
    m, sh = exlib.boot_shell(ctx, "syscalls", test=None, initrd=cpio)
    with ctx.test("exercise-syscalls/getcpu", m):
        sh.prompt(120)
        out = sh.ok("/bin/getcpu-probe")
        want(out, r"^both: 0 errno 0 cpu 0 node 0$",
             "getcpu(&cpu, &node, NULL)")
        want(out, r"^null: 0 errno 0$", "getcpu(NULL, NULL, NULL)")
        want(out, r"^unmapped cpu: -1 errno 14$", "getcpu(unmapped page, ...)")
    exlib.poweroff(m, 30)
