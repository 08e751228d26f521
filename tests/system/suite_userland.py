"""The userland: the image's initramfs booted to BusyBox's shell on the
serial line, started by our init (sbin/init) from /etc/eclipse/services,
then a session a user would have - pipes, job control, ps, top, vi, tar,
su, svc, the ports - and poweroff.  Every test asserts on what the
commands print, not only on their exit status.

One boot for the whole group (PVH, the same initramfs the image carries),
so a failing test leaves the shell in whatever state it left; each test
starts from a fresh prompt and a test that loses the prompt ends the
group's remaining tests with a clear reason.
"""

import re
import time

from harness import Failure, Shell, group, want
import harness

harness.NEEDS.setdefault("initramfs", "initramfs.cpio")

BOOT_TIMEOUT = 60         # KVM seconds, scaled under TCG
TIMEOUT = 600             # the whole run


def kb(line_rx, out, what):
    return int(want(out, line_rx, what).group(1))


def boot(ctx, name):
    m = ctx.boot_pvh(name, timeout=TIMEOUT,
                     extra=["-initrd", ctx.files["initramfs"]])
    m.expect(harness.RE_FIRST_LINE, 20, "the first kernel line")
    return m


@group("userland", needs=("kernel", "initramfs"))
def userland(ctx):
    """BusyBox's shell from our init: a user's session, then poweroff."""
    m = boot(ctx, "userland")
    sh = Shell(m)
    with ctx.test("userland/boot-to-prompt", m):
        p = sh.prompt(BOOT_TIMEOUT)
        if p.group(1) != "root" or p.group(2) != "/":
            raise Failure("prompt %r, want root@eclipse:/# "
                          % p.group(0))
        # An answer, not only a prompt: the shell computes 6*7.
        out = sh.ok("echo $((6*7))")
        want(out, r"^42$", "echo $((6*7))")
        ctx.boot_time("pvh to 42", m.time_at(m.pos), None)

    def test(name):
        return ctx.test("userland/" + name, m)

    with test("shell-language"):
        sh.ok("cd /tmp && mkdir -p sess && cd sess")
        sh.ok("printf 'b\\na\\nc\\n' > f1.txt; echo x >> f1.txt")
        want(sh.ok("sort f1.txt | head -n 2 | tr a-z A-Z"),
             r"^A\nB$", "pipe")
        sh.ok("touch g1.c g2.c g3.h")
        want(sh.ok("echo g*.c"), r"^g1\.c g2\.c$", "globbing")
        want(sh.ok('echo "n=$(wc -l < f1.txt) $((3*(4+5)))"'),
             r"^n=4 27$", "command substitution, arithmetic")
        sh.m.sendline("cat <<EOF > here.txt")
        sh.m.sendline("line $((1+1))")
        sh.m.sendline("EOF")
        sh.prompt()
        want(sh.ok("cat here.txt"), r"^line 2$", "here-document")
        want(sh.ok("ls /nonexistent 2>&1 >/dev/null | wc -l"),
             r"^1$", "redirection of stderr into a pipe")
        sh.ok("cd /")

    with test("dynamic-hello"):
        # Linked with plain musl-gcc: the kernel loads its PT_INTERP,
        # musl's /lib/ld-musl-x86_64.so.1, and starts there (AT_BASE is
        # where; %#lx of 0 would print "0").
        want(sh.ok("/bin/hello-dyn world"),
             r"^hello from a dynamically linked musl program, argc=2\n"
             r"the dynamic linker is at 0x[1-9a-f][0-9a-f]*\n"
             r"argv\[0\]: /bin/hello-dyn\nargv\[1\]: world$",
             "a dynamically linked program's output")

    with test("ps-background"):
        sh.ok("sleep 4321 &")
        pid = want(sh.ok("echo $!"), r"^(\d+)$", "$!").group(1)
        # The child may not have called execve yet (ps would show the
        # shell it was forked from, as on Linux): wait until it has.
        for _ in range(20):
            out = sh.ok("ps")
            if re.search(r"^\s*%s\s+.*sleep 4321" % pid, out, re.M):
                break
            time.sleep(0.5)
        want(out, r"^\s*%s\s+.*sleep 4321" % pid,
             "ps shows the background sleep with its pid")
        sh.run("kill %s; wait %s" % (pid, pid))

    with test("top-busy"):
        sh.ok("(while :; do :; done) &")
        pid = want(sh.ok("echo $!"), r"^(\d+)$", "$!").group(1)
        time.sleep(2)
        out = sh.ok("top -b -n1")
        want(out, r"^\s*%s\s.*\bR\b" % pid,
             "top lists the busy process as running")
        mt = want(out, r"^\s*%s\s.*?(\d+(?:\.\d+)?)%%?\s+\S*sh" % pid,
                  "top's line of the busy process")
        sh.run("kill %s; wait %s" % (pid, pid))
        del mt

    with test("free-meminfo"):
        free = sh.ok("free")
        total = kb(r"^Mem:\s+(\d+)", free, "free")
        meminfo = sh.ok("cat /proc/meminfo")
        mt = kb(r"^MemTotal:\s+(\d+) kB", meminfo, "meminfo")
        if total != mt:
            raise Failure("free says %d kB total, meminfo %d" %
                          (total, mt))

    with test("df-statfs"):
        df = sh.ok("df -k /")
        blocks = kb(r"^\S+\s+(\d+)\s+\d+\s+\d+\s+\d+%\s+/$", df, "df")
        st = sh.ok("stat -f -c '%b %S' /")
        b, s = (int(x) for x in want(st, r"^(\d+) (\d+)$",
                                     "stat -f").groups())
        if blocks != b * s // 1024:
            raise Failure("df says %d KiB, statfs %d blocks of %d" %
                          (blocks, b, s))

    with test("mount-uptime-dmesg"):
        want(sh.ok("mount"), r"^proc on /proc type proc", "mount")
        want(sh.ok("uptime"), r"up .*load average: [\d.]+, [\d.]+, "
             r"[\d.]+", "uptime")
        want(sh.ok("dmesg"), r"EclipseOS \S+ x86_64: booted by PVH",
             "dmesg holds the first kernel line")

    with test("vi"):
        # vi takes an Esc followed at once by more keys for the start of an
        # escape sequence (an arrow key), as on Linux: pause after each Esc,
        # as a typist does.
        sh.m.sendline("vi /tmp/vi.txt")
        m.expect(r"/tmp/vi\.txt", 20, "vi's status line")
        time.sleep(1)
        for keys in ("ihello from vi\x1b", "o2nd line\x1b", ":wq\r"):
            sh.m.send(keys)
            time.sleep(1)
        try:
            sh.prompt(20)
        except Failure:
            sh.m.send("\x1b")              # leave vi, keep the shell
            time.sleep(1)
            sh.m.send(":q!\r")
            raise
        want(sh.ok("cat /tmp/vi.txt"), r"^hello from vi\n2nd line$",
             "the file vi wrote")

    with test("tar-gzip"):
        sh.ok("mkdir -p /tmp/t/a/b && seq 1 5000 > /tmp/t/a/b/n")
        sh.ok("echo hi > /tmp/t/a/h")
        want1 = sh.ok("cd /tmp/t && find a -type f | sort | "
                      "xargs sha256sum")
        sh.ok("tar czf /tmp/a.tgz a && rm -r a && tar xzf /tmp/a.tgz")
        want2 = sh.ok("find a -type f | sort | xargs sha256sum")
        if want1.strip() != want2.strip() or "a/b/n" not in want2:
            raise Failure("checksums differ: %r then %r" %
                          (want1, want2))
        sh.ok("gzip -t /tmp/a.tgz")
        want(sh.ok("gunzip -c /tmp/a.tgz | tar tf - | sort"), r"^a/b/n$",
             "gunzip | tar t")
        sh.ok("cd /")

    with test("find-xargs"):
        out = sh.ok("find /tmp/t -name '*' -type f | xargs wc -l | "
                    "sort -n | tail -n 1")
        want(out, r"^\s*5001 total$", "find | xargs wc -l")

    with test("awk-sed"):
        out = sh.ok("seq 1 10 | awk '{s+=$1} END {print s}'")
        want(out, r"^55$", "awk")
        out = sh.ok("echo hello world | sed -e 's/o/0/g; s/^h/H/'")
        want(out, r"^Hell0 w0rld$", "sed")

    with test("su-shadow"):
        sh.m.sendline("su user")
        p = sh.prompt()
        if p.group(1) != "user":
            raise Failure("prompt after su is %r" % p.group(0))
        out, st = sh.run("cat /etc/shadow")
        if st == 0:
            raise Failure("user could read /etc/shadow")
        want(out, r"Permission denied", "cat /etc/shadow as user")
        want(sh.ok("id"), r"uid=1000\(user\)", "id as user")
        sh.m.sendline("exit")
        p = sh.prompt()
        if p.group(1) != "root":
            raise Failure("prompt after exit is %r" % p.group(0))

    with test("job-control"):
        sh.ok("sleep 100 &")
        want(sh.ok("jobs"), r"^\[1\]\+?\s+Running\s+sleep 100",
             "jobs")
        sh.m.sendline("sleep 200")
        time.sleep(1)
        sh.m.send("\x1a")                   # ^Z
        m.expect(r"\[2\]\+\s+Stopped\s+sleep 200", 10, "^Z's report")
        sh.prompt()
        want(sh.ok("bg"), r"\[2\]\+? sleep 200", "bg")
        want(sh.ok("jobs"), r"^\[2\]\+?\s+Running\s+sleep 200",
             "jobs after bg")
        sh.m.sendline("fg %2")
        time.sleep(1)
        sh.m.send("\x03")                   # ^C
        sh.prompt()
        out = sh.ok("jobs")
        if "sleep 200" in out:
            raise Failure("sleep 200 survived ^C: %r" % out)
        sh.ok("kill %1")

    with test("svc"):
        out = sh.ok("svc status syslogd")
        want(out, r"running", "svc status syslogd")
        pid = want(out, r"pid\D*(\d+)", "syslogd's pid").group(1)
        sh.ok("svc stop syslogd")
        want(sh.ok("svc status syslogd"), r"stopped",
             "svc status after stop")
        out, st = sh.run("kill -0 %s" % pid)
        if st == 0:
            raise Failure("syslogd (pid %s) still runs after stop" % pid)
        sh.ok("svc start syslogd")
        want(sh.ok("svc status syslogd"), r"running",
             "svc status after start")

    with test("logread"):
        # syslogd -C keeps the log in a System V shared memory ring that
        # two semaphores guard (key 0x414e4547), which logread reads.  It
        # logs there instead of to a file, so the image's service keeps
        # /var/log/messages; it is stopped meanwhile, as both would bind
        # /dev/log.
        key = r"^ *1095648583 "
        sh.ok("svc stop syslogd")
        try:
            sh.ok("syslogd -n -C16 &")
            pid = want(sh.ok("echo $!"), r"^(\d+)$", "$!").group(1)
            sh.ok("for i in $(seq 300); do grep -q '%s' /proc/sysvipc/sem"
                  " && break; sleep 0.1; done" % key)
            want(sh.ok("cat /proc/sysvipc/sem"),
                 key + r"\s+\d+\s+777\s+2\s",
                 "syslogd -C's set of 2 in /proc/sysvipc/sem")
            sh.ok("logger -t semtest 'through the ring'")
            out = sh.ok("for i in $(seq 100); do logread | grep -q 'semtest:"
                        " through the ring' && break; sleep 0.1; done; "
                        "logread")
            want(out, r"semtest: through the ring$", "logread")
            sh.ok("kill %s; wait %s; true" % (pid, pid))
            out = sh.ok("cat /proc/sysvipc/sem /proc/sysvipc/shm")
            if re.search(key, out, re.M):
                raise Failure("syslogd left its set or segment: %r" % out)
        finally:
            sh.ok("svc start syslogd")

    with test("lua"):
        want(sh.ok("lua -e 'local t = {} for i = 1, 10 do t[i] = i*i "
                   "end print(#t, t[7])'"), r"^10\s+49$", "lua")

    with test("tcc"):
        # A hello world, then a program of two files and a header,
        # compiled inside EclipseOS by tcc (ports/tcc) against musl
        # (ports/musl), linked statically.
        sh.ok("mkdir -p /tmp/cc && cd /tmp/cc")
        sh.ok("printf '#include <stdio.h>\\nint main(void){puts(\"hello, "
              "tcc\");return 0;}\\n' > hello.c")
        sh.ok("tcc -o hello hello.c", timeout=60)
        want(sh.ok("./hello"), r"^hello, tcc$", "tcc's hello")
        sh.ok("echo 'int twice(int);' > util.h")
        sh.ok("printf '#include \"util.h\"\\nint twice(int x){return 2*x;}"
              "\\n' > util.c")
        sh.ok("printf '#include <stdio.h>\\n#include <stdlib.h>\\n"
              "#include \"util.h\"\\nint main(int c,char**v){printf("
              "\"%%d\\\\n\",twice(atoi(v[1])));return c;}\\n' > main.c")
        sh.ok("cc -o prog main.c util.c", timeout=60)
        out, st = sh.run("./prog 21")
        want(out, r"^42$", "the two-file program's output")
        if st != 2:
            raise Failure("./prog 21 exited %d, want 2 (argc)" % st)
        sh.ok("cd /")

    with test("bc"):
        want(sh.ok("echo '2^100' | bc"),
             r"^1267650600228229401496703205376$", "bc")

    with test("poweroff", ):
        sh.m.sendline("poweroff")
        m.wait_exit(timeout=60)
        ok, why = m.classify("poweroff")
        if not ok:
            raise Failure(why)


# Our init inside EclipseOS, against a test root of its own (the host
# tests, tests/init/run.py, cover every case in a PID namespace; this
# group checks that the same behaviours hold on our kernel).  The image's
# staging root plus /tests/init-root, booted with
# "init=/sbin/init -- -c /tests/init-root".
INIT_ROOT = "/tests/init-root"
STOPPER = ("Exec=/bin/sh -c \"trap 'echo stopped-%s > /dev/console; "
           "exit 0' TERM; while :; do sleep 1; done\"\n")
INIT_SERVICES = {
    "crash.service": "Exec=/bin/sh -c 'exit 3'\nRestart=on-failure\n"
                     "RestartMax=3\n",
    "a.service": "Type=oneshot\nExec=/bin/sh -c 'echo a >> /tmp/order'\n",
    "b.service": "Type=oneshot\nRequires=a\n"
                 "Exec=/bin/sh -c 'echo b >> /tmp/order'\n",
    "c.service": "Type=oneshot\nAfter=b\n"
                 "Exec=/bin/sh -c 'echo c >> /tmp/order'\n",
    "x.service": "After=y\nExec=/bin/sh -c 'echo x > /tmp/x'\n",
    "y.service": "Requires=x\nExec=/bin/sh -c 'echo y > /tmp/y'\n",
    "bad.service": "Exec=/bin/true\nBogus=1\n",
    "orphans.service": "Type=oneshot\nExec=/bin/sh -c 'for i in 1 2 3 4; "
                       "do (sleep 2 &); done'\n",
    "s1.service": STOPPER % "s1",
    "s2.service": STOPPER % "s2" + "Requires=s1\n",
    "shell.service": "Exec=/bin/sh -l\nTTY=/dev/ttyS0\nAfter=c\n"
                     "Restart=always\nRestartMax=0\n",
}


def init_cpio(ctx):
    """The staging root plus the test root, packed into a new archive."""
    import os
    import shutil
    import subprocess
    root = os.path.join(ctx.tmpdir, "root")
    shutil.copytree(os.path.join(ctx.build, "rootfs"), root, symlinks=True)
    svcdir = os.path.join(root, INIT_ROOT.lstrip("/"), "etc", "eclipse",
                          "services")
    os.makedirs(svcdir)
    for name, text in INIT_SERVICES.items():
        with open(os.path.join(svcdir, name), "w") as f:
            f.write(text)
    # The prompt names the host (etc/profile's PS1), as in the image.
    with open(os.path.join(root, INIT_ROOT.lstrip("/"), "etc", "hostname"),
              "w") as f:
        f.write("eclipse\n")
    out = os.path.join(ctx.tmpdir, "init.cpio")
    subprocess.run([harness.sys.executable,
                    os.path.join(harness.ROOT, "distro", "mkinitramfs.py"),
                    root, out], check=True)
    return out


@group("init", needs=("kernel", "initramfs"))
def init_group(ctx):
    """Our init in EclipseOS: crash loop given up, order, a cycle, a
    malformed file, orphans reaped, shutdown in reverse order."""
    cpio = init_cpio(ctx)
    m = ctx.boot_pvh("init", timeout=TIMEOUT, extra=["-initrd", cpio],
                     append="init=/sbin/init -- -c %s" % INIT_ROOT)
    sh = Shell(m)

    def test(name):
        return ctx.test("init/" + name, m)

    with test("boot"):
        sh.prompt(BOOT_TIMEOUT)
    with test("crash-loop-given-up"):
        log = "%s/var/log/init.log" % INIT_ROOT
        for _ in range(30):
            out = sh.ok("cat %s" % log)
            if "crash: gave up" in out:
                break
            time.sleep(1)
        want(out, r"crash: gave up after 3 restarts in 60 s \(exited with "
             r"status 3\)", "the give-up line")
        # init's console lines may land inside the output too: count
        # distinct pids.
        starts = len(set(re.findall(r"crash: started, pid (\d+)", out)))
        if starts != 4:
            raise Failure("crash started %d times, want 4" % starts)
    with test("order"):
        want(sh.ok("cat /tmp/order"), r"\Aa\nb\nc\n\Z", "a, b, c")
    with test("cycle-refused"):
        out = sh.ok("cat %s/var/log/init.log" % INIT_ROOT)
        want(out, r"dependency cycle: (x -> y -> x|y -> x -> y)",
             "the cycle's line")
        out, st = sh.run("ls /tmp/x /tmp/y")
        if st == 0:
            raise Failure("a service in the cycle ran: %r" % out)
    with test("malformed-skipped"):
        out = sh.ok("cat %s/var/log/init.log" % INIT_ROOT)
        want(out, r"bad\.service:2: Bogus: unknown key", "file:line")
        out, st = sh.run("svc -s %s/run/init.sock status bad" % INIT_ROOT)
        if st == 0:
            raise Failure("bad.service was loaded: %r" % out)
    with test("orphans-reaped"):
        time.sleep(3)
        out = sh.ok("ps -o pid,ppid,stat,comm")
        zombies = [ln for ln in out.split("\n")
                   if re.match(r"\s*\d+\s+1\s+Z", ln)]
        if zombies:
            raise Failure("zombies under init: %r" % zombies)
        if re.search(r"^\s*\d+\s+1\s+\S+\s+sleep$", out, re.M):
            raise Failure("the orphaned sleeps are still there: %r" % out)
    with test("shutdown-reverse-order"):
        sh.m.sendline("poweroff")
        s2 = m.expect(r"stopped-s2", 60, "s2 stopping")
        s1 = m.expect(r"stopped-s1", 60, "s1 stopping after s2")
        del s2, s1
        m.wait_exit(timeout=60)
        ok, why = m.classify("poweroff")
        if not ok:
            raise Failure(why)


@group("userland-reboot", needs=("kernel", "initramfs"))
def userland_reboot(ctx):
    """BusyBox's reboot: init stops the services and resets the machine
    (QEMU's -no-reboot then ends the run, as with Linux)."""
    m = boot(ctx, "userland-reboot")
    sh = Shell(m)
    with ctx.test("userland/reboot", m):
        sh.prompt(BOOT_TIMEOUT)
        sh.m.sendline("reboot")
        m.expect(r"init: rebooting", 60, "init's reboot line")
        m.wait_exit(timeout=60)
        ok, why = m.classify("reset")
        if not ok:
            raise Failure(why)
