#!/usr/bin/env python3
"""The course's checkpoints: the commit of main recorded for each chapter,
at which the system as the course has it up to that chapter first existed.

The commits are the `checkpoint` column of Documentation/tutorial/README.md's
table.  Two uses:

    checkpoints.py --list-check         quick (make check, in the step
                                        exercises-apply): every chapter has
                                        a checkpoint, a commit of this
                                        repository that is an ancestor of
                                        HEAD, holds the chapter's file, and
                                        is at or after the one before it
    checkpoints.py --build DIR --boot   for each distinct commit: export it
                                        (git archive) to DIR/checkpoints/
                                        <hash>, build it with its own
                                        makefiles (make kernel, and make
                                        initramfs where that target exists),
                                        boot it by PVH under QEMU and talk
                                        to it; a table, also in
                                        DIR/checkpoints/report.md

The boot test, per commit: the kernel alone must reach the kernel
monitor's prompt and answer `echo`; with its initramfs (when the commit
has one) it must reach a shell's prompt and answer `echo $((6*7))` with
42, or, before the userland existed, the monitor's prompt again.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import types

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
INDEX = os.path.join("Documentation", "tutorial", "README.md")

RE_ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*\[([^\]]+)\]\(([a-z0-9-]+)\.md\)")
RE_HASH = re.compile(r"^`?([0-9a-f]{7,40})`?$")


def table(root):
    """The course's chapters: [(number, slug, checkpoint or None)], the
    checkpoint read from the column headed `checkpoint`."""
    rows, col = [], None
    with open(os.path.join(root, INDEX), encoding="utf-8") as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if col is None and "checkpoint" in cells and "#" in cells:
                col = cells.index("checkpoint")
                continue
            m = RE_ROW.match(line)
            if not m:
                continue
            cp = None
            if col is not None and col < len(cells):
                h = RE_HASH.match(cells[col])
                cp = h.group(1) if h else None
            rows.append((int(m.group(1)), m.group(3), cp))
    return rows


def git(root, *args):
    """(status, output) of git ARGS in ROOT."""
    p = subprocess.run(["git"] + list(args), cwd=root,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return p.returncode, p.stdout.decode("utf-8", "replace").strip()


def list_check(root):
    problems = []
    rows = table(root)
    if not rows:
        problems.append("%s has no chapter table" % INDEX)
    st, _ = git(root, "rev-parse", "--git-dir")
    if st != 0:
        problems.append("not a git work tree: the checkpoints cannot be "
                        "checked")
        rows = []
    prev = None
    for n, slug, cp in rows:
        what = "chapter %d (%s)" % (n, slug)
        if cp is None:
            problems.append("%s: no checkpoint in the index" % what)
            continue
        st, full = git(root, "rev-parse", "--verify", "--quiet",
                       cp + "^{commit}")
        if st != 0:
            problems.append("%s: checkpoint %s is not a commit here (a "
                            "shallow clone?)" % (what, cp))
            continue
        st, _ = git(root, "merge-base", "--is-ancestor", full, "HEAD")
        if st != 0:
            problems.append("%s: checkpoint %s is not an ancestor of HEAD"
                            % (what, cp))
        st, _ = git(root, "cat-file", "-e", "%s:Documentation/tutorial/"
                    "%s.md" % (full, slug))
        if st != 0:
            problems.append("%s: checkpoint %s does not have "
                            "Documentation/tutorial/%s.md" % (what, cp, slug))
        if prev is not None:
            st, _ = git(root, "merge-base", "--is-ancestor", prev[1], full)
            if st != 0:
                problems.append("%s: checkpoint %s is before chapter %d's "
                                "%s" % (what, cp, prev[0], prev[2]))
        prev = (n, full, cp)
    for p in problems:
        print("checkpoints: " + p)
    print("checkpoints: %d chapters, %d distinct commits, %d problems" % (
        len(rows), len({r[2] for r in rows if r[2]}), len(problems)))
    return 1 if problems else 0


# ---------------------------------------------------------------------------
# Building and booting a checkpoint.

def clean_env(tree):
    """No make variables from a make that started us; git stops above the
    exported tree (it is inside this repository's build folder)."""
    env = dict(os.environ)
    for k in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"):
        env.pop(k, None)
    env["GIT_CEILING_DIRECTORIES"] = os.path.dirname(tree)
    return env


def export(root, commit, dest):
    """DEST becomes COMMIT's tree (git archive: the repository's worktree
    list is not touched)."""
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    arch = subprocess.Popen(["git", "archive", "--format=tar", commit],
                            cwd=root, stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", dest], stdin=arch.stdout, check=True)
    if arch.wait() != 0:
        raise RuntimeError("git archive %s failed" % commit)


def has_target(tree, target):
    """Whether one of TREE's makefiles defines TARGET."""
    rx = re.compile(r"^%s\s*:(?!=)" % re.escape(target), re.M)
    for dirpath, dirnames, files in os.walk(tree):
        dirnames[:] = [d for d in dirnames if d != "build"]
        for name in files:
            if name == "GNUmakefile" or name.endswith(".mk"):
                with open(os.path.join(dirpath, name), errors="replace") as f:
                    if rx.search(f.read()):
                        return True
    return False


def make(tree, target, log, jobs):
    with open(log, "a") as f:
        f.write("$ make -j%d %s\n" % (jobs, target))
        f.flush()
        return subprocess.call(["make", "-j%d" % jobs, "--no-print-directory",
                                "BUILD=build", target], cwd=tree,
                               env=clean_env(tree), stdout=f,
                               stderr=subprocess.STDOUT)


def load_harness():
    """This tree's tests/system/harness.py as a module (its Machine talks
    to QEMU's serial line)."""
    sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
    import harness
    return harness


def boot(h, build, logs, accel, name, kernel, initrd):
    """Boot KERNEL (and INITRD) by PVH; returns (ok, what it reached or why
    not, seconds)."""
    args = types.SimpleNamespace(build=build, logs=logs, accel=accel,
                                 kernel=kernel)
    ctx = h.Context(args, name)
    t0 = time.monotonic()
    extra = ["-initrd", initrd] if initrd else []
    try:
        m = ctx.boot_pvh(name, timeout=120, extra=extra)
        mt = m.expect(r"(kmon> )|%s" % h.SHELL_PROMPT, 90,
                      "the monitor's or a shell's prompt")
        if mt.group(1):
            out = m.command("echo checkpoint 6x7", timeout=20)
            if out.strip() != "checkpoint 6x7":
                raise h.Failure("kmon's echo printed %r" % out.strip())
            reached = "kmon> answers echo"
            m.sendline("poweroff")
        else:
            sh = h.Shell(m)
            out = sh.ok("echo $((6*7))", timeout=30)
            h.want(out, r"^42$", "echo $((6*7))")
            reached = "shell %r answers echo $((6*7)) = 42" % \
                mt.group(0).strip()
            m.sendline("poweroff")
        m.wait_exit(timeout=20)
        mark = m.marks()
        if mark:
            raise h.Failure("output has %r" % mark[:120])
        return True, reached, time.monotonic() - t0
    except h.Failure as e:
        return False, str(e), time.monotonic() - t0
    finally:
        ctx.cleanup()


def boot_all(args):
    root = ROOT
    h = load_harness()
    accel = args.accel
    if not accel:
        accel, _ = h.find_accel(args.build)
    rows = table(root)
    commits = []
    for n, slug, cp in rows:
        if cp and cp not in [c for c, _ in commits]:
            commits.append((cp, [n]))
        elif cp:
            commits[-1][1].append(n)
    if args.only:
        commits = [c for c in commits if c[0] in args.only.split(",")]
    top = os.path.abspath(os.path.join(args.build, "checkpoints"))
    os.makedirs(top, exist_ok=True)
    results = []
    for cp, chapters in commits:
        t0 = time.monotonic()
        tree = os.path.join(top, cp)
        log = os.path.join(top, cp + ".build.log")
        open(log, "w").close()
        chap = "%d-%d" % (chapters[0], chapters[-1]) if len(chapters) > 1 \
            else "%d" % chapters[0]
        print("checkpoint %s (chapters %s): exporting and building"
              % (cp, chap), flush=True)
        r = {"commit": cp, "chapters": chap, "built": "no",
             "kmon": "-", "initramfs": "-", "problems": []}
        try:
            export(root, cp, tree)
            targets = ["kernel"]
            if has_target(tree, "initramfs"):
                targets.append("initramfs")
            for t in targets:
                if make(tree, t, log, args.jobs) != 0:
                    r["problems"].append("make %s failed (see %s)" % (t, log))
                    break
            else:
                r["built"] = " ".join(targets)
            r["build_s"] = time.monotonic() - t0
            kernel = os.path.join(tree, "build", "kernel.elf")
            initrd = os.path.join(tree, "build", "initramfs.cpio")
            if not r["problems"] and not os.path.exists(kernel):
                r["problems"].append("no build/kernel.elf after make kernel")
            if not r["problems"]:
                logs = os.path.join(top, cp + ".logs")
                ok, why, s = boot(h, os.path.join(tree, "build"), logs,
                                  accel, "kernel", kernel, None)
                r["kmon"] = "%s (%.0f s)" % (why if ok else "FAIL", s)
                if not ok:
                    r["problems"].append("kernel alone: " + why)
                if "initramfs" in targets:
                    ok, why, s = boot(h, os.path.join(tree, "build"), logs,
                                      accel, "initramfs", kernel, initrd)
                    r["initramfs"] = "%s (%.0f s)" % (
                        why if ok else "FAIL", s)
                    if not ok:
                        r["problems"].append("with its initramfs: " + why)
        except (OSError, RuntimeError, subprocess.CalledProcessError) as e:
            r["problems"].append(str(e))
        r["seconds"] = time.monotonic() - t0
        if not r["problems"] and not args.keep:
            shutil.rmtree(tree, ignore_errors=True)
        print("  %s %s: built %s in %.0f s; kernel alone: %s; initramfs: "
              "%s%s" % ("ok" if not r["problems"] else "FAIL", cp,
                        r["built"], r.get("build_s", 0), r["kmon"],
                        r["initramfs"],
                        "" if not r["problems"] else "; " +
                        "; ".join(r["problems"])), flush=True)
        results.append(r)
    lines = ["# make check-checkpoints", "",
             "Each chapter's checkpoint commit, exported, built with its "
             "own makefiles and booted by PVH under QEMU (%s)." % accel, "",
             "| commit | chapters | built | build time | kernel alone "
             "| with its initramfs | total |",
             "|--------|----------|-------|------------|--------------"
             "|--------------------|-------|"]
    for r in results:
        lines.append("| %s | %s | %s | %.0f s | %s | %s | %.0f s |" % (
            r["commit"], r["chapters"], r["built"], r.get("build_s", 0),
            r["kmon"].replace("|", "\\|"), r["initramfs"].replace("|", "\\|"),
            r["seconds"]))
    npass = sum(1 for r in results if not r["problems"])
    lines += ["", "%d passed, %d failed" % (npass, len(results) - npass)]
    with open(os.path.join(top, "report.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print()
    print("\n".join(lines[4:]))
    return 0 if npass == len(results) and results else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build", help="the build folder")
    ap.add_argument("--accel", help="kvm or tcg")
    ap.add_argument("--list-check", action="store_true")
    ap.add_argument("--boot", action="store_true")
    ap.add_argument("--only", help="--boot: only these commits")
    ap.add_argument("--jobs", type=int, default=2, help="make -j")
    ap.add_argument("--keep", action="store_true",
                    help="--boot: keep the trees that passed")
    args = ap.parse_args()
    if args.list_check:
        return list_check(ROOT)
    if args.boot:
        return boot_all(args)
    ap.error("--list-check or --boot")


if __name__ == "__main__":
    sys.exit(main())
