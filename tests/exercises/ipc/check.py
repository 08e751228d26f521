"""Exercise 26 (Documentation/tutorial/ipc.md): /proc/sys/kernel/shmmni.

The file must read the number of System V shared memory segments that
may exist at once (4096 at boot, as IPC_INFO reports it to ipcs -l),
take a new one from root only (0 to 4096), and shmget must refuse a new
segment with ENOSPC once that many exist.  A small C program compiled
in the guest by tcc makes segments until shmget fails.
"""

import os
import sys

import harness
from harness import Failure, group, want

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "exercises"))
import exlib  # noqa: E402

FILE = "/proc/sys/kernel/shmmni"

# Make up to argv[1] private segments, print how many shmget made and
# how the next one failed, then remove them all.
PROGRAM = r"""#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
int main(int argc, char **argv) {
	int ids[16], n, max = atoi(argv[1]), err = 0;
	for (n = 0; n < max; n++)
		if ((ids[n] = shmget(IPC_PRIVATE, 4096, 0600)) < 0) {
			err = errno;
			break;
		}
	printf("made %d: %s\n", n, err ? strerror(err) : "no error");
	while (n-- > 0)
		shmctl(ids[n], IPC_RMID, NULL);
	return 0;
}
"""


def put_program(sh):
    """Write PROGRAM to /tmp/shmmni.c line by line and compile it."""
    sh.ok(": > /tmp/shmmni.c")
    for line in PROGRAM.splitlines():
        quoted = "'" + line.replace("'", "'\\''") + "'"
        sh.ok("printf '%%s\\n' %s >> /tmp/shmmni.c" % quoted)
    sh.ok("cc -o /tmp/shmmni /tmp/shmmni.c", timeout=60)


@group("exercise-ipc", needs=("kernel", "initramfs"))
def exercise_ipc(ctx):
    """/proc/sys/kernel/shmmni: the segment limit, set by root, for shmget."""
    m, sh = exlib.boot_shell(ctx, "ipc", settle=True)
    with ctx.test("exercise-ipc/read", m):
        want(sh.ok("cat " + FILE), r"^4096\r?$", FILE)
        want(sh.ok("ls /proc/sys/kernel"), r"shmmni", "ls /proc/sys/kernel")
        want(sh.ok("ipcs -l"), r"max number of segments = 4096",
             "ipcs -l (IPC_INFO's shmmni)")
    with ctx.test("exercise-ipc/shmget", m):
        put_program(sh)
        want(sh.ok("/tmp/shmmni 5"), r"^made 5: no error\r?$",
             "5 segments under the default limit")
        sh.ok("echo 2 > " + FILE)
        want(sh.ok("cat " + FILE), r"^2\r?$", FILE + " after writing 2")
        want(sh.ok("ipcs -l"), r"max number of segments = 2",
             "ipcs -l after writing 2")
        want(sh.ok("/tmp/shmmni 5"),
             r"^made 2: No space left on device\r?$",
             "shmget with shmmni 2")
        sh.ok("echo 4096 > " + FILE)
        want(sh.ok("/tmp/shmmni 5"), r"^made 5: no error\r?$",
             "5 segments once the limit is 4096 again")
    with ctx.test("exercise-ipc/bounds", m):
        for bad in ("4097", "-1", "many"):
            out, st = sh.run("echo %s > %s" % (bad, FILE))
            if st == 0:
                raise Failure("%s was taken: %r" % (bad, out))
        want(sh.ok("cat " + FILE), r"^4096\r?$", "after refused writes")
        out, st = sh.run("su nobody -s /bin/sh -c 'echo 8 > %s'" % FILE)
        if st == 0:
            raise Failure("nobody could write it: %r" % out)
        want(sh.ok("cat " + FILE), r"^4096\r?$", "after nobody's write")
    sh.ok("rm -f /tmp/shmmni /tmp/shmmni.c")
    exlib.poweroff(m, 60)
