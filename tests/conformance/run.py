#!/usr/bin/env python3
"""Run the conformance tests on the host Linux, the reference.

    run.py --build BUILD [--only NAME,...] [--json FILE] [--verbose|--quiet]

Reads BUILD/conformance/list (one test a line: "<family>/<name> [tag...]",
made by tests/conformance/conformance.mk) and runs each program isolated:

  - in new PID, mount and UTS namespaces (unshare --fork --pid --mount-proc
    --mount --uts), where this script, started again with --inner, is PID 1
    and leads a new session: it starts the test as its child, in a process
    group of its own (a job, never an orphaned group, so that the stop
    signals work however run.py was started), reaps every process of the
    namespace (orphans are re-parented to it, as to init), and reports the
    test's wait status; when it exits the kernel ends whatever is left;
  - with RLIMIT_NPROC (tag nproc=N, default 1024), RLIMIT_AS (1 GiB) and
    RLIMIT_CORE 0 (a test that checks core dumps raises its soft limit
    and makes them in a tmpfs of its own);
  - as the user nobody when tagged "unprivileged" (the cases that would
    harm the host if they ran with privilege: fork bombs, clocks, host
    name, reboot), with no supplementary groups;
  - for at most its timeout (tag timeout=S, default 60 s);
  - with a scratch block device when tagged "scratchdisk": a loop device
    over an 8 MiB file that starts with the label the test looks for
    ("EclipseOS scratch disk\n"), detached afterwards (root only; without
    losetup the test skips its cases).

It needs root (to switch to nobody, and for the cases that need real
privilege, which the namespaces keep away from the host).  With --userns a
normal user can run it in user namespaces instead (mapped to root for the
privileged tests, to the user for the unprivileged ones); then the cases
that need privilege outside the namespace (setpriority lowering the nice
value, and changing PID 1's, which is the user's own there) fail.

Prints one line per case ("ok process/fork/3 - fork(2): ..."; with
--quiet only the failures), the diagnostics of failures, one line per
program that failed as a whole, a count per family and in total, and
writes everything to BUILD/conformance/host.json (make conformance's
report, tests/conformance/report.py, reads it).  Exits 1 if anything failed: on the host every
case must pass; a case that fails on Linux is a broken case.
"""

import argparse
import json
import os
import platform
import pwd
import grp
import resource
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import tapparse  # noqa: E402

DEFAULT_TIMEOUT = 60
DEFAULT_NPROC = 1024
RLIMIT_AS_BYTES = 1 << 30
# The same small environment as tests/conformance/runner.c gives them.
TEST_ENV = {"HOME": "/", "PATH": "/bin:/usr/bin"}


# ---------------------------------------------------------------------------
# The inner half: PID 1 of the test's namespaces.

def nobody_ids():
    try:
        uid = pwd.getpwnam("nobody").pw_uid
    except KeyError:
        uid = 65534
    for name in ("nogroup", "nobody"):
        try:
            return uid, grp.getgrnam(name).gr_gid
        except KeyError:
            pass
    return uid, 65534


def inner_child(args, report_fd):
    """In the forked child: limits, identity, then exec the test."""
    try:
        os.close(report_fd)
        devnull = os.open("/dev/null", os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        resource.setrlimit(resource.RLIMIT_CORE,
                           (0, resource.RLIM_INFINITY))
        resource.setrlimit(resource.RLIMIT_AS,
                           (RLIMIT_AS_BYTES, RLIMIT_AS_BYTES))
        resource.setrlimit(resource.RLIMIT_NPROC, (args.nproc, args.nproc))
        os.umask(0o022)
        # Its own process group in PID 1's session, as a shell's job (and
        # as tests/conformance/runner.c does in EclipseOS): not orphaned
        # (POSIX XBD 3.265), so that SIGTSTP, SIGTTIN and SIGTTOU stop
        # the test's children instead of being discarded.
        os.setpgid(0, 0)
        if args.unprivileged and os.geteuid() == 0:
            uid, gid = nobody_ids()
            os.setgroups([])
            os.setresgid(gid, gid, gid)
            os.setresuid(uid, uid, uid)
            if os.geteuid() == 0 or os.getuid() == 0:
                raise OSError("still root after setresuid")
        os.execve(args.program, [args.program], TEST_ENV)
    except OSError as e:
        os.write(2, ("conformance-host: cannot run %s: %s\n" % (
            args.program, e)).encode())
    os._exit(127)


class Timeout(Exception):
    pass


def inner(args):
    """PID 1: run the test, reap everything, report on --report-fd."""
    if os.getpid() != 1:
        print("run.py --inner must be PID 1 of a new PID namespace",
              file=sys.stderr)
        return 2
    report = {"status": None, "timeout": False, "orphans_reaped": 0,
              "left_running": 0}
    # A session of our own: whatever started run.py (a terminal, a
    # background job, CI) does not change whether the test's process
    # group is orphaned.
    try:
        os.setsid()
    except OSError:
        pass
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        inner_child(args, args.report_fd)

    def on_alarm(signum, frame):
        raise Timeout()
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(args.timeout)
    try:
        while report["status"] is None:
            got, status = os.waitpid(-1, 0)
            if got == pid:
                report["status"] = status
            else:
                report["orphans_reaped"] += 1
    except Timeout:
        report["timeout"] = True
    signal.alarm(0)
    report["seconds"] = round(time.monotonic() - t0, 3)
    # Give orphans that are finishing a moment, then count the rest; they
    # die with this process.
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        try:
            got, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if got == 0:
            time.sleep(0.01)
        else:
            report["orphans_reaped"] += 1
    report["left_running"] = sum(
        1 for d in os.listdir("/proc") if d.isdigit() and d != "1")
    os.write(args.report_fd, json.dumps(report).encode())
    os.close(args.report_fd)
    return 0


# ---------------------------------------------------------------------------
# The outer half.

def read_list(path):
    tests = []
    with open(path) as f:
        for line in f:
            words = line.split()
            if not words or words[0].startswith("#"):
                continue
            tags = {}
            for w in words[1:]:
                k, _, v = w.partition("=")
                tags[k] = v or True
            tests.append((words[0], tags))
    return tests


def how_ended(report):
    """(words, exit code or None) for the inner runner's report."""
    if report is None:
        return "the runner in the namespace reported nothing", None
    if report["timeout"]:
        return "timed out", None
    st = report["status"]
    if os.WIFEXITED(st):
        code = os.WEXITSTATUS(st)
        return "exit %d" % code, code
    if os.WIFSIGNALED(st):
        sig = os.WTERMSIG(st)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = "?"
        return "killed by signal %d (%s)" % (sig, name), None
    return "wait status %#x" % st, None


def unshare_cmd(unprivileged, userns):
    cmd = ["unshare", "--fork", "--pid", "--mount-proc", "--mount", "--uts",
           "--kill-child"]
    if userns:
        cmd += ["--map-current-user" if unprivileged else "--map-root-user"]
    return cmd


SCRATCH_LABEL = b"EclipseOS scratch disk\n"
SCRATCH_BYTES = 8 << 20


def scratch_attach(conf_dir):
    """A loop device over a new labelled scratch file: (device, file), or
    (None, why)."""
    path = os.path.join(conf_dir, "scratch.img")
    with open(path, "wb") as f:
        f.write(SCRATCH_LABEL)
        f.truncate(SCRATCH_BYTES)
    try:
        dev = subprocess.run(["losetup", "-f", "--show", path],
                             capture_output=True, text=True, check=True,
                             timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError) as e:
        os.unlink(path)
        return None, "losetup: %s" % e
    return dev, path


def scratch_detach(dev, path):
    subprocess.run(["losetup", "-d", dev], check=False, timeout=30)
    os.unlink(path)


def run_one(name, tags, conf_dir, verbose, userns):
    scratch = None
    if "scratchdisk" in tags and not userns:
        dev, path = scratch_attach(conf_dir)
        if dev is None:
            print("# %s: no scratch disk (%s)" % (name, path))
        else:
            scratch = (dev, path)
    try:
        return run_one_isolated(name, tags, conf_dir, verbose, userns)
    finally:
        if scratch is not None:
            scratch_detach(*scratch)


def run_one_isolated(name, tags, conf_dir, verbose, userns):
    program = os.path.join(conf_dir, name)
    timeout = int(tags.get("timeout", DEFAULT_TIMEOUT))
    nproc = int(tags.get("nproc", DEFAULT_NPROC))
    unpriv = "unprivileged" in tags
    rfd, wfd = os.pipe()
    cmd = unshare_cmd(unpriv, userns) + [
        "--", sys.executable, os.path.abspath(__file__), "--inner",
        "--report-fd", str(wfd), "--timeout", str(timeout),
        "--nproc", str(nproc)] + (["--unprivileged"] if unpriv else []) + [
        "--program", program]
    t0 = time.monotonic()
    out = b""
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, pass_fds=(wfd,))
    except OSError as e:
        os.close(rfd)
        os.close(wfd)
        return None, "cannot start unshare: %s" % e, 0.0
    os.close(wfd)
    try:
        out, _ = proc.communicate(timeout=timeout + 30)
    except subprocess.TimeoutExpired:
        proc.kill()             # --kill-child takes the namespace down
        out, _ = proc.communicate()
    report_raw = b""
    while True:
        chunk = os.read(rfd, 65536)
        if not chunk:
            break
        report_raw += chunk
    os.close(rfd)
    seconds = time.monotonic() - t0
    try:
        report = json.loads(report_raw.decode()) if report_raw else None
    except ValueError:
        report = None
    text = out.decode("utf-8", "replace")
    if verbose:
        sys.stdout.write(text)
    return report, text, seconds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build", help="the build folder")
    ap.add_argument("--only", help="comma-separated tests (family/name) "
                    "or families to run")
    ap.add_argument("--json", help="where the results go (default "
                    "BUILD/conformance/host.json)")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="print each program's whole output")
    ap.add_argument("--quiet", "-q", action="store_true",
                    help="print only the failures and the counts")
    ap.add_argument("--userns", action="store_true",
                    help="not root: use user namespaces (the cases that "
                    "need real privilege fail)")
    # The inner half (run by unshare; not for people).
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--report-fd", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--timeout", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--nproc", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--unprivileged", action="store_true",
                    help=argparse.SUPPRESS)
    ap.add_argument("--program", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.inner:
        return inner(args)

    if os.geteuid() != 0 and not args.userns:
        print("run.py: the host run needs root (it makes namespaces and "
              "runs some tests as nobody): sudo make conformance-host, or "
              "run.py --userns for a partial run as this user",
              file=sys.stderr)
        return 2
    conf_dir = os.path.abspath(os.path.join(args.build, "conformance"))
    list_path = os.path.join(conf_dir, "list")
    if not os.path.exists(list_path):
        print("run.py: %s is missing (make conformance)" % list_path,
              file=sys.stderr)
        return 2
    tests = read_list(list_path)
    if args.only:
        want = args.only.split(",")
        tests = [(n, t) for n, t in tests
                 if n in want or n.split("/")[0] in want]
        if not tests:
            print("run.py: nothing matches --only %s" % args.only,
                  file=sys.stderr)
            return 2

    print("conformance on the host: %s %s, %d programs, as %s" % (
        platform.system(), platform.release(), len(tests),
        "uid %d in user namespaces" % os.geteuid() if args.userns
        else "root"), flush=True)
    families = {}
    programs = []
    t_all = time.monotonic()
    for name, tags in tests:
        report, text, seconds = run_one(name, tags, conf_dir, args.verbose,
                                        args.userns)
        prog = tapparse.Program(name)
        if report is None and not text.strip():
            text = ""
        prog.feed(text)
        words, code = how_ended(report)
        prog.judge(words, code)
        fam = families.setdefault(prog.family, {"passed": 0, "failed": 0,
                                                "skipped": 0, "programs": 0})
        fam["programs"] += 1
        for rname, ok, skip, why in prog.results():
            if skip is not None:
                fam["skipped"] += 1
                if not args.quiet:
                    print("ok %s # SKIP %s" % (rname, skip))
            elif ok:
                fam["passed"] += 1
                if not args.quiet:
                    print("ok %s - %s" % (rname, why))
            else:
                fam["failed"] += 1
                print("not ok %s - %s" % (rname, why))
        if prog.problems and not args.verbose:
            for line in prog.other[-10:]:
                print("#   | " + line)
        if report and report.get("left_running"):
            print("# %s: %d processes were still running when it ended" % (
                name, report["left_running"]))
        sys.stdout.flush()
        programs.append({
            "name": name, "tags": tags, "ended": words,
            "seconds": round(seconds, 3), "report": report,
            "problems": prog.problems, "plan": prog.plan,
            "cases": [c.as_dict() for c in prog.cases],
            "missing": prog.missing(), "other_output": prog.other[-50:]})

    total = {"passed": 0, "failed": 0, "skipped": 0, "programs": 0}
    print("")
    for fam in sorted(families):
        f = families[fam]
        for k in total:
            total[k] += f[k]
        print("%-10s %4d passed, %d failed, %d skipped (%d programs)" % (
            fam + ":", f["passed"], f["failed"], f["skipped"],
            f["programs"]))
    elapsed = time.monotonic() - t_all

    out_path = args.json or os.path.join(conf_dir, "host.json")
    with open(out_path + ".tmp", "w") as f:
        json.dump({"host": {"system": platform.system(),
                            "release": platform.release(),
                            "euid": os.geteuid()},
                   "seconds": round(elapsed, 3), "total": total,
                   "families": families, "programs": programs}, f, indent=1)
    os.replace(out_path + ".tmp", out_path)
    print("results: %s" % out_path)
    # Last, so that make check's step shows it as the verdict.
    print("%-10s %4d passed, %d failed, %d skipped (%d programs, %.1f s)" % (
        "total:", total["passed"], total["failed"], total["skipped"],
        total["programs"], elapsed))
    return 1 if total["failed"] else 0


if __name__ == "__main__":
    # A case starts from the default dispositions, as on a fresh login:
    # a runner started under nohup (SIGHUP ignored) or from a shell that
    # ignores job-control signals would hand those on through exec, and
    # a case that waits for a SIGHUP to kill a process would time out.
    for _sig in (signal.SIGHUP, signal.SIGQUIT, signal.SIGTERM,
                 signal.SIGTSTP, signal.SIGTTIN, signal.SIGTTOU):
        if signal.getsignal(_sig) == signal.SIG_IGN:
            signal.signal(_sig, signal.SIG_DFL)
    sys.exit(main())
