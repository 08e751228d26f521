#!/usr/bin/env python3
"""The course's checked exercises: run one, check them all, or check that
every solution still applies.

Exercise N is the exercise of chapter N of Documentation/tutorial/README.md's
table; its slug is the chapter's file name without .md.  Its check is
tests/exercises/<slug>/check.py, a system-test group exercise-<slug> that
tests/system/harness.py loads with --suite; its solution is
tests/exercises/solutions/<slug>.patch, made with git diff against the tree.

Usage:
    run.py --list                       the exercises: number, chapter, what
                                        the check checks
    run.py --build DIR N                build what exercise N (a number or a
                                        slug) needs, run its check in this
                                        tree: PASS or FAIL and why
    run.py --build DIR --check-all      for a scratch copy of the tree:
                                        every check fails before its
                                        solution, every solution applies,
                                        every check passes after it; a
                                        table, also in DIR/exercises/report.md
    run.py --check-apply                quick: every chapter has a check and
                                        a solution, and every solution
                                        applies (git apply --check) to the
                                        tree as it is (a make check step)

--fixtures works on tests/exercises/fixtures/ instead of the course's
chapters: exercises that test this machinery itself (fixtures/<slug>/check.py
and fixtures/solutions/<slug>.patch).
"""

import argparse
import ast
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
INDEX = os.path.join("Documentation", "tutorial", "README.md")
HARNESS = os.path.join("tests", "system", "harness.py")
EXERCISES = os.path.join("tests", "exercises")
FIXTURES = os.path.join(EXERCISES, "fixtures")

# A row of the course's table: | 7 | [Title](slug.md) | ...
RE_ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*\[([^\]]+)\]\(([a-z0-9-]+)\.md\)")

# What the harness prints for a failed test: "  [group] FAIL name: why".
RE_FAIL = re.compile(r"^\s*\[[^\]]+\] FAIL (\S+): (.*)$")


class Exercise:
    """One exercise: its number (None for a fixture), slug, chapter title,
    and the paths (relative to the tree) of its check and solution."""

    def __init__(self, number, slug, title, folder):
        self.number = number
        self.slug = slug
        self.title = title
        self.check = os.path.join(folder, slug, "check.py")
        self.patch = os.path.join(folder, "solutions", slug + ".patch")
        self.group = "exercise-" + slug

    def label(self):
        return "%s %s" % (self.number, self.slug) if self.number else \
            self.slug


def course(root):
    """The chapters of the course's table: [(number, slug, title)]."""
    rows = []
    with open(os.path.join(root, INDEX), encoding="utf-8") as f:
        for line in f:
            m = RE_ROW.match(line)
            if m:
                rows.append((int(m.group(1)), m.group(3), m.group(2)))
    return rows


def exercises(root, fixtures=False):
    """The exercises: the course's, or with FIXTURES the fixtures'."""
    if not fixtures:
        return [Exercise(n, slug, title, EXERCISES)
                for n, slug, title in course(root)]
    found = []
    folder = os.path.join(root, FIXTURES)
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else ():
        if name != "solutions" and os.path.isdir(os.path.join(folder, name)):
            found.append(Exercise(None, name, "fixture", FIXTURES))
    return found


def find(root, which):
    """The exercise WHICH names (a number or a slug, fixtures included)."""
    every = exercises(root) + exercises(root, fixtures=True)
    for ex in every:
        if which == ex.slug or (ex.number and which == str(ex.number)):
            return ex
    return None


def doc_line(path):
    """The first docstring line of the check's group function (the one
    decorated with @group), else of the module; None when unreadable."""
    try:
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), path)
    except (OSError, SyntaxError):
        return None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.decorator_list:
            doc = ast.get_docstring(node)
            if doc:
                return doc.strip().split("\n")[0]
    doc = ast.get_docstring(tree)
    return doc.strip().split("\n")[0] if doc else None


def clean_env(root):
    """The environment for commands run in a tree: no make variables from
    the make that started us (its BUILD= must not reach a copy's make),
    and git stops at the tree's parent, so that a copy inside this work
    tree's build folder is not taken for part of this repository."""
    env = dict(os.environ)
    for k in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"):
        env.pop(k, None)
    env["GIT_CEILING_DIRECTORIES"] = os.path.dirname(os.path.abspath(root))
    return env


def run_logged(cmd, cwd, log, env=None, timeout=None):
    """Run CMD in CWD, its output appended to LOG; returns (status, the
    output).  A timeout counts as status 124."""
    with open(log, "a") as f:
        f.write("$ %s\n" % " ".join(cmd))
        f.flush()
        try:
            p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=timeout)
            out, st = p.stdout.decode("utf-8", "replace"), p.returncode
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode("utf-8", "replace")
            out += "\nrun.py: timeout after %d s\n" % timeout
            st = 124
        f.write(out)
    return st, out


def last_line(text):
    lines = [ln.strip() for ln in text.strip().split("\n")
             if ln.strip() and not ln.startswith("make")]
    return lines[-1] if lines else "(no output)"


def needs(root, ex, log, env=None):
    """The make targets EX's check needs (harness.py --needs); raises
    RuntimeError with the harness's complaint when it cannot say."""
    st, out = run_logged([sys.executable, HARNESS, "--suite", ex.check,
                          "--needs", ex.group], root, log, env)
    if st != 0:
        raise RuntimeError("harness.py --needs %s: %s" % (ex.group,
                                                           last_line(out)))
    return out.split()


def build(root, build_dir, targets, log, make, env=None, jobs=None):
    """make the TARGETS in ROOT with BUILD=BUILD_DIR; None or the reason
    it failed."""
    cmd = [make, "--no-print-directory", "BUILD=" + build_dir]
    if jobs:
        cmd.append("-j%d" % jobs)
    st, out = run_logged(cmd + list(targets), root, log, env)
    if st != 0:
        return "make %s failed: %s (see %s)" % (" ".join(targets),
                                                last_line(out), log)
    return None


def run_check(root, build_dir, ex, logs, accel, log, env=None):
    """Run EX's check in ROOT against BUILD_DIR, its logs into LOGS;
    returns (passed, why, number of results).  WHY names the first failed
    test and its reason."""
    os.makedirs(logs, exist_ok=True)
    results = os.path.join(logs, ex.group + ".results")
    if os.path.exists(results):
        os.remove(results)
    cmd = [sys.executable, HARNESS, "--build", build_dir, "--logs", logs,
           "--suite", ex.check, "--group", ex.group]
    if accel:
        cmd += ["--accel", accel]
    st, out = run_logged(cmd, root, log, env, timeout=1800)
    data = None
    try:
        with open(results) as f:
            data = json.load(f)
    except (OSError, ValueError):
        pass
    if data is None or not data.get("results"):
        return False, "the harness recorded no result: %s" % \
            last_line(out), 0
    res = data["results"]
    bad = [r for r in res if not r["ok"]]
    if bad:
        return False, "%s: %s" % (bad[0]["name"], bad[0]["why"]), len(res)
    if st != 0:
        return False, "harness exited %d: %s" % (st, last_line(out)), \
            len(res)
    return True, "%d tests passed" % len(res), len(res)


# ---------------------------------------------------------------------------
# make exercise

def list_exercises(root, fixtures):
    for ex in exercises(root, fixtures):
        doc = doc_line(os.path.join(root, ex.check))
        if doc is None:
            doc = "(no check yet: %s)" % ex.check
        print("%3s  %-12s %s" % (ex.number or "-", ex.slug, doc))
    print("Run one with make exercise N=<number or chapter>; "
          "Documentation/tutorial/README.md says how they work.")
    return 0


def run_one(args):
    root = ROOT
    ex = find(root, args.exercise)
    if ex is None:
        print("exercise: no exercise %r (make exercise lists them)"
              % args.exercise, file=sys.stderr)
        return 2
    if not os.path.exists(os.path.join(root, ex.check)):
        print("exercise %s: FAIL: no check (%s is missing)"
              % (ex.label(), ex.check))
        return 1
    logs = os.path.join(args.build, "exercises", "run", ex.slug)
    os.makedirs(logs, exist_ok=True)
    log = os.path.join(logs, "run.log")
    open(log, "w").close()
    print("exercise %s: %s" % (ex.label(), doc_line(
        os.path.join(root, ex.check)) or ex.check), flush=True)
    try:
        targets = needs(root, ex, log)
    except RuntimeError as e:
        print("exercise %s: FAIL: %s" % (ex.label(), e))
        return 1
    # The build's own output goes to the terminal: a compiler error in
    # the reader's change is what they need to see.
    for t in targets:
        st = subprocess.call([args.make, "--no-print-directory",
                              "BUILD=" + args.build, t], cwd=root)
        if st != 0:
            print("exercise %s: FAIL: make %s failed" % (ex.label(), t))
            return 1
    print("exercise %s: running %s (one boot under QEMU; log in %s)"
          % (ex.label(), ex.check, logs), flush=True)
    ok, why, _ = run_check(root, args.build, ex, logs, args.accel, log)
    print("exercise %s: %s: %s" % (ex.label(), "PASS" if ok else "FAIL",
                                   why))
    return 0 if ok else 1


# ---------------------------------------------------------------------------
# make check-exercises

def tree_files(root, skip):
    """The files git tracks plus the untracked ones it does not ignore,
    that exist (a tracked file deleted in the tree is left out), except
    those under SKIP (a build folder inside the tree)."""
    out = subprocess.run(["git", "ls-files", "-z", "-co",
                          "--exclude-standard"], cwd=root, check=True,
                         stdout=subprocess.PIPE).stdout.decode()
    skip = os.path.relpath(os.path.abspath(skip), root) + os.sep
    files = set()
    for p in out.split("\0"):
        if p and not (p + os.sep).startswith(skip) and \
           os.path.lexists(os.path.join(root, p)):
            files.add(p)
    return sorted(files)


def copy_tree(root, files, dest):
    """Copy FILES (relative to ROOT) to DEST, keeping modes, times and
    symbolic links."""
    for p in files:
        dst = os.path.join(dest, p)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(os.path.join(root, p), dst, follow_symlinks=False)


def fresh_copy(base):
    """Empty BASE for a new copy of the tree, but keep its build folder
    from an earlier run: the copies keep the tree's file times, so make
    rebuilds only what changed since."""
    os.makedirs(base, exist_ok=True)
    for name in os.listdir(base):
        path = os.path.join(base, name)
        if name == "build":
            continue
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.remove(path)


class Row:
    def __init__(self, ex):
        self.ex = ex
        self.before = "-"
        self.applies = "-"
        self.after = "-"
        self.seconds = 0.0
        self.problems = []
        self.before_why = ""

    def ok(self):
        return not self.problems


def check_one(ex, base, work, logdir, accel, make, lock):
    """The whole test of one exercise in its own copy of BASE: the check
    fails, the solution applies, the check passes.  Returns its Row."""
    row = Row(ex)
    t0 = time.monotonic()
    shutil.rmtree(logdir, ignore_errors=True)
    os.makedirs(logdir)
    log = os.path.join(logdir, "steps.log")
    try:
        if not os.path.exists(os.path.join(base, ex.check)):
            row.problems.append("no check (%s)" % ex.check)
        if not os.path.exists(os.path.join(base, ex.patch)):
            row.problems.append("no solution (%s)" % ex.patch)
        if row.problems:
            return row
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(os.path.dirname(work), exist_ok=True)
        # cp -a keeps the build's times, so the rebuild after the patch is
        # incremental.
        st, out = run_logged(["cp", "-a", base, work], None, log)
        if st != 0:
            row.problems.append("cp -a failed: " + last_line(out))
            return row
        env = clean_env(work)
        try:
            targets = needs(work, ex, log, env)
        except RuntimeError as e:
            row.problems.append(str(e))
            return row
        why = build(work, "build", targets, log, make, env)
        if why:
            row.problems.append("before: " + why)
            return row
        ok, why, n = run_check(work, "build", ex,
                               os.path.join(logdir, "before"), accel, log,
                               env)
        row.before = "pass" if ok else "fail"
        if ok:
            row.problems.append("the check passes without the solution")
        elif n == 0:
            row.problems.append("before: the check did not run: " + why)
        row.before_why = why
        st, out = run_logged(["git", "apply", "--verbose",
                              os.path.abspath(os.path.join(base, ex.patch))],
                             work, log, env)
        row.applies = "yes" if st == 0 else "no"
        if st != 0:
            row.problems.append("the solution does not apply: " +
                                last_line(out))
            return row
        why = build(work, "build", targets, log, make, env)
        if why:
            row.after = "build failed"
            row.problems.append("after: " + why)
            return row
        ok, why, _ = run_check(work, "build", ex,
                               os.path.join(logdir, "after"), accel, log,
                               env)
        row.after = "pass" if ok else "fail"
        if not ok:
            row.problems.append("after: " + why)
        return row
    except Exception as e:          # a bug here must not hide the others
        row.problems.append("run.py error: %r" % e)
        return row
    finally:
        row.seconds = time.monotonic() - t0
        if row.ok():
            shutil.rmtree(work, ignore_errors=True)
        with lock:
            print("  %-4s %-28s before %-4s applies %-3s after %-4s %4.0f s"
                  "%s" % ("ok" if row.ok() else "FAIL", ex.label(),
                          row.before, row.applies, row.after, row.seconds,
                          "" if row.ok() else ": " + "; ".join(row.problems)),
                  flush=True)


def report(rows, base_problem, seconds):
    """The summary as Markdown lines, ending in "N passed, N failed"."""
    lines = ["# make check-exercises", "",
             "Each exercise in its own copy of the tree: its check must "
             "fail, its solution apply, its check then pass.", ""]
    if base_problem:
        lines += ["The tree's copy did not build: %s" % base_problem, ""]
    lines += ["| # | exercise | before | applies | after | time | problem, "
              "or why the check failed before |",
              "|---|----------|--------|---------|-------|------|---------"
              "-------------------------------|"]
    for r in rows:
        why = "; ".join(r.problems) or "before: " + r.before_why[:120]
        why = why.replace("|", "\\|").replace("\n", " ")
        lines.append("| %s | %s | %s | %s | %s | %.0f s | %s |" % (
            r.ex.number or "-", r.ex.slug, r.before, r.applies, r.after,
            r.seconds, why))
    npass = sum(1 for r in rows if r.ok())
    nfail = len(rows) - npass + (1 if base_problem else 0)
    lines += ["", "Wall time: %.0f s." % seconds, "",
              "%d passed, %d failed" % (npass, nfail)]
    return lines


def check_all(args):
    root = ROOT
    t0 = time.monotonic()
    exs = exercises(root, args.fixtures)
    if args.only:
        only = args.only.split(",")
        exs = [e for e in exs if e.slug in only or str(e.number) in only]
    top = os.path.abspath(os.path.join(args.build, "exercises"))
    base = os.path.join(top, "base")
    os.makedirs(top, exist_ok=True)
    print("check-exercises: copying the tree to %s" % base, flush=True)
    fresh_copy(base)
    copy_tree(root, tree_files(root, args.build), base)
    log = os.path.join(top, "base-build.log")
    open(log, "w").close()
    env = clean_env(base)
    targets, base_problem = [], None
    have = [e for e in exs if os.path.exists(os.path.join(base, e.check))]
    for ex in have:
        try:
            targets += [t for t in needs(base, ex, log, env)
                        if t not in targets]
        except RuntimeError as e:
            print("  %s: %s" % (ex.label(), e))
    if targets:
        print("check-exercises: building %s in the copy (log: %s)"
              % (" ".join(targets), log), flush=True)
        base_problem = build(base, "build", targets, log, args.make, env,
                             jobs=args.jobs)
    rows = []
    if base_problem:
        print("check-exercises: " + base_problem)
        for ex in exs:
            r = Row(ex)
            r.problems.append("not run: the tree's copy did not build")
            rows.append(r)
    else:
        print("check-exercises: %d exercises, %d at a time" % (
            len(exs), args.jobs), flush=True)
        lock = threading.Lock()
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            futs = [pool.submit(check_one, ex, base,
                                os.path.join(top, "work", ex.slug),
                                os.path.join(top, "logs", ex.slug),
                                args.accel, args.make, lock) for ex in exs]
            rows = [f.result() for f in futs]
    lines = report(rows, base_problem, time.monotonic() - t0)
    with open(os.path.join(top, "report.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print()
    print("\n".join(lines[4:]))
    print("(report: %s; logs: %s/logs/<exercise>/)" % (
        os.path.join(top, "report.md"), top))
    return 0 if all(r.ok() for r in rows) and not base_problem else 1


# ---------------------------------------------------------------------------
# make check's exercises-apply step

def check_apply(args):
    root = ROOT
    exs = exercises(root, args.fixtures)
    problems = []
    if not exs:
        problems.append("no exercises: %s has no chapter table" % INDEX)
    for ex in exs:
        if not os.path.exists(os.path.join(root, ex.check)):
            problems.append("%s: no check (%s)" % (ex.label(), ex.check))
        else:
            st, out = run_logged_quiet([sys.executable, HARNESS, "--suite",
                                        ex.check, "--needs", ex.group], root)
            if st != 0:
                problems.append("%s: %s does not define the group %s: %s"
                                % (ex.label(), ex.check, ex.group,
                                   last_line(out)))
        if not os.path.exists(os.path.join(root, ex.patch)):
            problems.append("%s: no solution (%s)" % (ex.label(), ex.patch))
            continue
        st, out = run_logged_quiet(["git", "apply", "--check", ex.patch],
                                   root)
        if st != 0:
            problems.append("%s: %s does not apply: %s" % (
                ex.label(), ex.patch, last_line(out)))
    for p in problems:
        print("exercises: " + p)
    print("exercises: %d exercises, %d problems" % (len(exs), len(problems)))
    return 1 if problems else 0


def run_logged_quiet(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("exercise", nargs="?", help="a number or a slug: run "
                    "that exercise's check in this tree")
    ap.add_argument("--build", default="build", help="the build folder")
    ap.add_argument("--accel", help="kvm or tcg (default: the harness's "
                    "choice)")
    ap.add_argument("--make", default="make", help="the make to run")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--check-all", action="store_true")
    ap.add_argument("--check-apply", action="store_true")
    ap.add_argument("--fixtures", action="store_true",
                    help="the fixtures' exercises instead of the course's")
    ap.add_argument("--only", help="--check-all: only these (numbers or "
                    "slugs, comma-separated)")
    ap.add_argument("--jobs", type=int, default=2,
                    help="--check-all: exercises at a time")
    args = ap.parse_args()
    if args.accel == "":
        args.accel = None
    if args.check_apply:
        return check_apply(args)
    if args.check_all:
        return check_all(args)
    if args.list or not args.exercise:
        return list_exercises(ROOT, args.fixtures)
    return run_one(args)


if __name__ == "__main__":
    sys.exit(main())
