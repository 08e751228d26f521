#!/usr/bin/env python3
"""Run the try blocks of course chapters, for authors: the code of the
system-test group `course` (tests/system/suite_course.py) for one chapter,
a few, all, or a fixture file.

    tryit.py [--tree T] [--build B] [--chapter SLUG|FILE.md]...
             [--accel tcg|kvm] [--selftest]

--tree is the tree whose chapters and host commands are used (default:
this one), --build its build folder (default T/build; it needs
`make kernel image`, which the guest boot uses).  Prints one line per
block (PASS, or FAIL with the first line that differs), the boot and
per-chapter times, and exits 1 when a block failed.  Logs go to
BUILD/test-logs/course-tryit*.

--selftest runs the fixtures in tests/course/fixtures/: every block of
good.md must pass and every block of bad.md must fail.
"""

import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
import course  # noqa: E402
import harness  # noqa: E402

sys.modules.setdefault("harness", harness)
import suite_course  # noqa: E402

FIXTURES = os.path.join(HERE, "fixtures")


def context(args, name):
    ns = argparse.Namespace(build=args.build, logs=args.logs,
                            accel=args.accel)
    for n in harness.NEEDS:
        setattr(ns, n, None)
    return harness.Context(ns, name)


def run(args, chapters, name):
    ctx = context(args, name)
    t0 = time.monotonic()
    try:
        r = suite_course.run_chapters(ctx, chapters, tree=args.tree,
                                      build=args.build)
    finally:
        ctx.cleanup()
    for what, s in r.timings:
        print("tryit: %s: %.1f s" % (what, s))
    print("tryit: %d blocks, %d failed, %.1f s" % (
        len(ctx.results), sum(1 for x in ctx.results if not x["ok"]),
        time.monotonic() - t0))
    return ctx.results


def selftest(args):
    """good.md's blocks pass, bad.md's fail (each one)."""
    chapters = course.load_chapters(args.tree, [
        os.path.join(FIXTURES, "good.md"), os.path.join(FIXTURES, "bad.md")])
    results = run(args, chapters, "course-selftest")
    problems = []
    for ch in chapters:
        want_ok = ch.slug == "good"
        names = {b.name for b in ch.tries}
        got = {x["name"]: x["ok"] for x in results if x["name"] in names}
        for b in ch.tries:
            if b.name not in got:
                problems.append("%s: no result" % b.name)
            elif got[b.name] != want_ok:
                problems.append("%s: %s, want %s" % (
                    b.name, "passed" if got[b.name] else "failed",
                    "pass" if want_ok else "a failure"))
    extra = [x for x in results if not x["name"].startswith(
        ("course/good/", "course/bad/"))]
    for x in extra:
        problems.append("%s: %s" % (x["name"], x["why"]))
    for p in problems:
        print("tryit: selftest: " + p)
    print("tryit: selftest %s" % ("failed" if problems else "passed"))
    return 1 if problems else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tree", default=ROOT)
    ap.add_argument("--build", help="the build folder (TREE/build)")
    ap.add_argument("--logs", help="where logs go (BUILD/test-logs)")
    ap.add_argument("--chapter", action="append", default=[],
                    metavar="SLUG", help="a chapter of the index, or a .md "
                    "file (may be repeated; default: every chapter)")
    ap.add_argument("--accel", default="tcg", choices=("tcg", "kvm"))
    ap.add_argument("--selftest", action="store_true",
                    help="run the fixtures: good.md passes, bad.md fails")
    args = ap.parse_args()
    args.tree = os.path.abspath(args.tree)
    args.build = os.path.abspath(args.build or
                                 os.path.join(args.tree, "build"))
    if args.selftest:
        return selftest(args)
    try:
        chapters = course.load_chapters(args.tree, args.chapter)
    except (KeyError, OSError) as e:
        print("tryit: %s" % e, file=sys.stderr)
        return 2
    results = run(args, chapters, "course-tryit")
    return 1 if any(not x["ok"] for x in results) else 0


if __name__ == "__main__":
    sys.exit(main())
