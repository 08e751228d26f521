"""Exercise 5 (Documentation/tutorial/vm.md): /proc/<pid>/status's VmLck
is the size of the process's locked mappings (mlock(2), mlockall(2),
MAP_LOCKED), as Linux's: 64 kB after mlock of 16 pages, 0 after munlock.

The test program is compiled inside EclipseOS with tcc."""

from harness import Failure, Shell, group, want
import harness

harness.NEEDS.setdefault("initramfs", "initramfs.cpio")

# /tmp/lck.c, one line per printf argument (no single quotes in it).
SOURCE = [
    "#include <stdio.h>",
    "#include <string.h>",
    "#include <sys/mman.h>",
    "static void vmlck(const char *when) {",
    "  char l[256]; FILE *f = fopen(\"/proc/self/status\", \"r\");",
    "  while (f != NULL && fgets(l, sizeof(l), f) != NULL)",
    "    if (strncmp(l, \"VmLck:\", 6) == 0) printf(\"%s %s\", when, l);",
    "  if (f != NULL) fclose(f);",
    "}",
    "int main(void) {",
    "  size_t len = 16 * 4096;",
    "  char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,",
    "      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);",
    "  if (p == MAP_FAILED) return 1;",
    "  vmlck(\"before\");",
    "  if (mlock(p, len) != 0) return 2;",
    "  vmlck(\"locked\");",
    "  if (munlock(p, len) != 0) return 3;",
    "  vmlck(\"unlocked\");",
    "  return 0;",
    "}",
]


@group("exercise-vm", needs=("kernel", "initramfs"))
def exercise_vm(ctx):
    """VmLck in /proc/self/status follows mlock and munlock."""
    m = ctx.boot_pvh("exercise-vm", timeout=180,
                     extra=["-initrd", ctx.files["initramfs"]])
    sh = Shell(m)
    with ctx.test("exercise-vm/prompt", m):
        sh.prompt(60)
    with ctx.test("exercise-vm/vmlck", m):
        sh.ok("printf '%%s\\n' %s > /tmp/lck.c"
              % " ".join("'%s'" % ln for ln in SOURCE))
        sh.ok("tcc -o /tmp/lck /tmp/lck.c", timeout=120)
        out = sh.ok("/tmp/lck")
        for when, kb in (("before", 0), ("locked", 64), ("unlocked", 0)):
            got = int(want(out, r"^%s VmLck:\s+(\d+) kB$" % when,
                           "VmLck %s mlock" % when).group(1))
            if got != kb:
                raise Failure("VmLck %s: %d kB, want %d kB (%r)"
                              % (when, got, kb, out.strip()))
