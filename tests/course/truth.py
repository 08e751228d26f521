#!/usr/bin/env python3
"""The course check: the chapters of Documentation/tutorial/ say only true
things about the tree (Documentation/course-checks.md).

For each chapter of the index (or each --chapter):

- its layout: the `##` sections The problem, The data structures, The
  code, (extra sections), Try it, Questions, Exercise, (Going further), in
  that order, exactly one `## Exercise`, which names `make exercise N=<n>`
  (n: the chapter's number in the index) and
  tests/exercises/solutions/<slug>.patch; tests/exercises/<slug>/check.py
  and the patch exist, and `git apply --check` accepts the patch;
- its ```console blocks: each has a try marker, each command a prompt;
- its names, in backticks outside code blocks: a tree path, `name()`,
  `struct name`, `name(2)` and `make target` must exist in the tree (a
  definition, a row of sys/kern/syscalls.master, a make target), or be
  listed in tests/course/external-names with a reason.

Prints one TAP line per chapter, each problem before it as a diagnostic
line "# FILE:LINE: what", and exits 1 when there is any problem.

Usage: truth.py [--tree T] [--chapter SLUG]... [--list-names]
"""

import argparse
import fnmatch
import os
import re
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import course  # noqa: E402

SECTIONS_BEFORE = ("The problem", "The data structures", "The code")
SECTIONS_AFTER = ("Try it", "Questions", "Exercise")
SECTION_LAST = "Going further"

# A path's last component with one of these endings is a file of ours
# even when its folder is left out (`kern/tty.c`).
PATH_EXTS = (".c", ".h", ".S", ".py", ".mk", ".md", ".sh", ".ld", ".cfg",
             ".modes", ".master", ".patch", ".srcs", ".txt", ".json",
             ".conf", ".in")
# Make targets a try block must not run (they boot QEMU or take minutes).
SLOW_TARGETS = {"run", "run-pvh", "debug", "check", "check-system",
                "check-system-run", "check-exercises", "exercise", "image",
                "iso", "boot-time", "boot-mem", "conformance-run"}


# ---------------------------------------------------------------------------
# What the tree defines.

class Tree:
    """The names a tree defines: files, functions, structures, system
    calls, make targets."""

    def __init__(self, root):
        self.root = os.path.abspath(root)
        self.files = self._files()
        self.dirs = set()
        for f in self.files:
            parts = f.split("/")
            for k in range(1, len(parts)):
                self.dirs.add("/".join(parts[:k]))
        self.top = {f.split("/")[0] for f in self.files}
        self.functions = set()
        self.structs = set()
        self._scan()
        self.syscalls = self._syscalls()
        self.targets, self.target_patterns = self._targets()
        self.external = self._external()

    def _files(self):
        try:
            out = subprocess.run(
                ["git", "-C", self.root, "ls-files", "-z", "--cached",
                 "--others", "--exclude-standard"],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                check=True).stdout.decode("utf-8", "replace")
            names = [n for n in out.split("\0") if n]
        except (OSError, subprocess.CalledProcessError):
            names = []
            for d, subs, fs in os.walk(self.root):
                subs[:] = [s for s in subs if not s.startswith(".") and
                           not s.startswith("build")]
                rel = os.path.relpath(d, self.root)
                for f in fs:
                    names.append(f if rel == "." else rel + "/" + f)
        return {n for n in names
                if os.path.exists(os.path.join(self.root, n))}

    def read(self, rel):
        try:
            with open(os.path.join(self.root, rel), encoding="utf-8",
                      errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    # C: the BSD style puts a function's name at the start of a line; a
    # line with the type in front of the name, not ending in ';', is a
    # definition too; macros; function pointers (members of an ops
    # table).  Assembly: labels and .globl.  Python: def.  Shell:
    # name().  Make: define NAME ($(call NAME)).
    RE_C_BSD = re.compile(r"^([A-Za-z_]\w*)\s*\(", re.M)
    RE_C_ONELINE = re.compile(
        r"^(?!return\b|if\b|else\b|while\b|for\b|switch\b|case\b|#)"
        r"[A-Za-z_][\w \t\*]*?[\s\*]([A-Za-z_]\w*)\s*\([^;\n]*$", re.M)
    RE_C_MACRO = re.compile(r"^\s*#\s*define\s+([A-Za-z_]\w*)", re.M)
    RE_C_FNPTR = re.compile(r"\(\s*\*\s*([A-Za-z_]\w*)\s*\)\s*\(")
    RE_C_STRUCT = re.compile(r"\bstruct\s+([A-Za-z_]\w*)\s*\{")
    RE_ASM_LABEL = re.compile(r"^\s*([A-Za-z_.][\w.]*):", re.M)
    RE_ASM_GLOBL = re.compile(r"^\s*\.glob(?:a)?l\s+([A-Za-z_]\w*)", re.M)
    RE_ASM_ENTRY = re.compile(r"^\s*[A-Z_]*ENTRY\(\s*([A-Za-z_]\w*)", re.M)
    RE_PY_DEF = re.compile(r"^\s*(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(",
                           re.M)
    RE_PY_CLASS = re.compile(r"^\s*class\s+([A-Za-z_]\w*)\b", re.M)
    RE_SH_FUNC = re.compile(r"^\s*(?:function\s+)?([A-Za-z_][\w-]*)\s*"
                            r"\(\s*\)", re.M)
    RE_MK_DEFINE = re.compile(r"^\s*define\s+([A-Za-z_]\w*)", re.M)

    def _scan(self):
        for rel in self.files:
            base = os.path.basename(rel)
            ext = os.path.splitext(base)[1]
            if ext in (".c", ".h"):
                text = self.read(rel)
                for rx in (self.RE_C_BSD, self.RE_C_ONELINE,
                           self.RE_C_MACRO, self.RE_C_FNPTR):
                    self.functions.update(rx.findall(text))
                self.structs.update(self.RE_C_STRUCT.findall(text))
            elif ext in (".S", ".s"):
                text = self.read(rel)
                for rx in (self.RE_ASM_LABEL, self.RE_ASM_GLOBL,
                           self.RE_ASM_ENTRY, self.RE_C_MACRO):
                    self.functions.update(rx.findall(text))
            elif ext == ".py":
                text = self.read(rel)
                self.functions.update(self.RE_PY_DEF.findall(text))
                self.functions.update(self.RE_PY_CLASS.findall(text))
            elif ext == ".mk" or base in ("GNUmakefile", "Makefile",
                                          "makefile"):
                self.functions.update(self.RE_MK_DEFINE.findall(
                    self.read(rel)))
            elif ext == ".sh" or self._is_shell(rel):
                self.functions.update(self.RE_SH_FUNC.findall(
                    self.read(rel)))

    def _is_shell(self, rel):
        if "." in os.path.basename(rel):
            return False
        try:
            with open(os.path.join(self.root, rel), "rb") as f:
                first = f.readline(80)
        except OSError:
            return False
        return first.startswith(b"#!") and b"sh" in first

    def _syscalls(self):
        text = self.read(os.path.join("sys", "kern", "syscalls.master"))
        return set(re.findall(r"^\d+\s+(\w+)", text, re.M))

    def _targets(self):
        """Targets from make's database (make -pRrq), and the makefiles'
        `target:` lines besides (a target make could not list)."""
        targets, patterns = set(), set()
        try:
            out = subprocess.run(
                ["make", "-C", self.root, "-pRrq", "-f", "GNUmakefile",
                 ":"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                timeout=60).stdout.decode("utf-8", "replace")
        except (OSError, subprocess.TimeoutExpired):
            out = ""
        skip = False
        for line in out.split("\n"):
            if line.startswith("# Not a target"):
                skip = True
                continue
            m = re.match(r"^([^#\s=:][^=:]*?)::?(?:\s|$)", line)
            if m and not line.startswith("\t"):
                if not skip:
                    for t in m.group(1).split():
                        (patterns if "%" in t else targets).add(t)
                skip = False
        for rel in self.files:
            base = os.path.basename(rel)
            if base.endswith(".mk") or base in ("GNUmakefile", "Makefile"):
                for m in re.finditer(r"^([\w./-]+(?:[ \t]+[\w./-]+)*)[ \t]*"
                                     r"::?(?!=)", self.read(rel), re.M):
                    targets.update(m.group(1).split())
        return targets, patterns

    def _external(self):
        """tests/course/external-names: NAME REASON per line; the tree's
        file, and this tool's when it checks another tree."""
        path = os.path.join("tests", "course", "external-names")
        names, problems = {}, []
        text = self.read(path)
        own = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "external-names")
        if os.path.abspath(os.path.join(self.root, path)) != own:
            try:
                with open(own, encoding="utf-8") as f:
                    text += "\n" + f.read()
            except OSError:
                pass
        for n, line in enumerate(text.split("\n"), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            m = re.match(r"^(struct \w+|make [\w./-]+|\S+)\s+(\S.*)$", line)
            if not m:
                problems.append((n, "%r: no reason given (NAME REASON)"
                                 % line))
                continue
            names[m.group(1)] = m.group(2)
        self.external_problems = problems
        return names

    # -- questions

    def has_path(self, p):
        p = p.rstrip("/")
        if any(c in p for c in "*?["):
            return any(fnmatch.fnmatch(f, p) for f in self.files) or \
                any(fnmatch.fnmatch(d, p) for d in self.dirs)
        return p in self.files or p in self.dirs

    def has_path_suffix(self, p):
        p = p.rstrip("/")
        if self.has_path(p):
            return True
        if any(c in p for c in "*?["):
            return any(fnmatch.fnmatch(f, "*/" + p) for f in self.files)
        tail = "/" + p
        return any(f.endswith(tail) for f in self.files) or \
            any(d.endswith(tail) for d in self.dirs)

    def has_target(self, t):
        if t in self.targets:
            return True
        return any(re.fullmatch(re.escape(pat).replace("%", ".+"), t)
                   for pat in self.target_patterns)


# ---------------------------------------------------------------------------
# Names in a chapter.

def braces(token):
    """Shell-like brace expansion of one {a,b} group (recursively)."""
    m = re.search(r"\{([^{}]*,[^{}]*)\}", token)
    if not m:
        return [token]
    out = []
    for alt in m.group(1).split(","):
        out.extend(braces(token[:m.start()] + alt + token[m.end():]))
    return out


def make_targets(command):
    """The targets of one `make ...` command line (words split as the
    shell splits them, so VAR="a b" is one assignment)."""
    try:
        words = shlex.split(command)[1:]
    except ValueError:
        words = command.split()[1:]
    out = []
    skip = False
    for w in words:
        if skip:
            skip = False
            continue
        if w in ("-C", "-f", "-j", "-o", "-W", "-I", "-l"):
            skip = True
            continue
        if w.startswith("-") or "=" in w:
            continue
        out.append(w)
    return out


def names_in(span):
    """[(kind, key)] the names rule checks in one backticked span: kind is
    path, function, struct, syscall or target; key is what
    external-names lists."""
    out = []
    for seg in re.split(r"\s*(?:&&|\|\||;|\|)\s*", span):
        seg = seg.strip()
        if re.match(r"^make(\s|$)", seg):
            for t in make_targets(seg):
                if "<" not in t and "$" not in t:
                    out.append(("target", "make " + t))
    m = re.fullmatch(r"([A-Za-z_]\w*)\(\)", span)
    if m:
        out.append(("function", span))
    m = re.fullmatch(r"([A-Za-z_]\w*)\(2\)", span)
    if m:
        out.append(("syscall", span))
    for m in re.finditer(r"(?<![\w-])struct\s+([A-Za-z_]\w*)", span):
        out.append(("struct", "struct " + m.group(1)))
    if (not re.search(r"\s", span) and "/" in span and
            not span.startswith(("/", "~", "$", "-", ".", "<")) and
            "://" not in span and "<" not in span and
            not span.startswith(("build/", "build-"))):
        p = re.sub(r":\d+(?:-\d+)?$", "", span)
        p = p.rstrip(".,;:")
        if re.fullmatch(r"[\w.*?\[\]{},+-]+(?:/[\w.*?\[\]{},+-]*)+", p):
            out.append(("path", p))
    return out


def check_name(tree, kind, key):
    """None when KEY exists (or is an allowed external name), else what is
    wrong."""
    if key in tree.external:
        return None
    if kind == "target":
        t = key[len("make "):]
        if tree.has_target(t):
            return None
        return "`%s`: no make target %s in the tree" % (key, t)
    if kind == "function":
        if key[:-2] in tree.functions:
            return None
        return "`%s`: no definition of %s in the tree (C, asm, Python, " \
            "shell, make)" % (key, key[:-2])
    if kind == "syscall":
        if key[:-3] in tree.syscalls:
            return None
        return "`%s`: no row %s in sys/kern/syscalls.master" % (key,
                                                               key[:-3])
    if kind == "struct":
        if key.split()[1] in tree.structs:
            return None
        return "`%s`: no definition of %s { in the tree" % (key, key)
    if kind == "path":
        bad = []
        for p in braces(key):
            first = p.split("/")[0]
            if first in tree.top:
                if not tree.has_path(p):
                    bad.append(p)
            elif p.endswith(PATH_EXTS) or re.search(r"\.[ch]\*?$", p):
                if not tree.has_path_suffix(p):
                    bad.append(p)
        if bad:
            return "`%s`: no such file in the tree: %s" % (key,
                                                           " ".join(bad))
        return None
    return None


# ---------------------------------------------------------------------------
# One chapter.

def check_layout(ch, tree, problems):
    titles = ch.section_titles(2)
    names = [t for _, t in titles]
    where = {t: n for n, t in reversed(titles)}

    def want_order():
        return ", ".join("## " + t for t in SECTIONS_BEFORE +
                         ("...",) + SECTIONS_AFTER +
                         ("(## %s)" % SECTION_LAST,))

    for t in SECTIONS_BEFORE + SECTIONS_AFTER:
        k = names.count(t)
        if k == 0:
            near = [n for n in names if n.lower().startswith(t.lower())]
            problems.append((1, "no `## %s` section%s" % (
                t, " (found `## %s`)" % near[0] if near else "")))
        elif k > 1:
            problems.append((where[t], "%d `## %s` sections (want one)"
                             % (k, t)))
    if names.count(SECTION_LAST) > 1:
        problems.append((where[SECTION_LAST], "more than one `## %s`"
                         % SECTION_LAST))
    # The order: the fixed ones where present, extras only between The
    # code and Try it, Going further last.
    fixed = SECTIONS_BEFORE + SECTIONS_AFTER + (SECTION_LAST,)
    seen = [t for t in names if t in fixed]
    expect = [t for t in fixed if t in seen]
    if seen != expect:
        problems.append((titles[0][0] if titles else 1,
                         "sections out of order: %s; want %s" % (
                             ", ".join(seen), want_order())))
    if "The code" in where and "Try it" in where:
        lo, hi = where["The code"], where["Try it"]
    else:
        lo = hi = None
    for n, t in titles:
        if t in fixed:
            continue
        if lo is None or not lo < n < hi:
            problems.append((n, "`## %s`: extra sections go between "
                             "`## The code` and `## Try it`" % t))

    # The exercise.
    if names.count("Exercise") != 1:
        return
    start = where["Exercise"]
    end = len(ch.lines) + 1
    for n, level, _ in ch.sections:
        if n > start and n < end and level <= 2:
            end = n
            break
    body = "\n".join(ch.lines[start:end - 1])
    if ch.number is None:
        problems.append((start, "the chapter is not in the index, so its "
                         "exercise has no number"))
    else:
        want = "make exercise N=%d" % ch.number
        found = re.findall(r"make exercise N=(\S+?)`", body)
        if want not in body:
            problems.append((start, "`## Exercise` does not name `%s`%s" %
                             (want, " (it names N=%s)" % ", ".join(found)
                              if found else "")))
    patch = "tests/exercises/solutions/%s.patch" % ch.slug
    check = "tests/exercises/%s/check.py" % ch.slug
    if patch not in body:
        problems.append((start, "`## Exercise` does not name `%s`" % patch))
    pc = os.path.join(tree.root, check)
    if not os.path.exists(pc):
        problems.append((start, "%s does not exist" % check))
    elif ('"exercise-%s"' % ch.slug) not in tree.read(check):
        problems.append((start, "%s does not define the group "
                         "exercise-%s" % (check, ch.slug)))
    pp = os.path.join(tree.root, patch)
    if not os.path.exists(pp):
        problems.append((start, "%s does not exist" % patch))
    else:
        r = subprocess.run(["git", "apply", "--check", pp], cwd=tree.root,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=60)
        if r.returncode != 0:
            why = r.stdout.decode("utf-8", "replace").strip().split("\n")
            problems.append((start, "git apply --check %s fails: %s" % (
                patch, why[0] if why else "status %d" % r.returncode)))


def check_tries(ch, problems):
    for b in ch.tries:
        for c in b.commands:
            if b.place != "host":
                continue
            if re.search(r"(^|[\s;&|])sudo\s", c.line):
                problems.append((c.line_no, "host command %r uses sudo (the "
                                 "tests run as root: say so in the prose)"
                                 % c.line))
            if re.search(r"(^|[\s;&|])qemu-system", c.line):
                problems.append((c.line_no, "host command %r runs QEMU: "
                                 "name it in the prose" % c.line))
            for seg in re.split(r"\s*(?:&&|\|\||;|\|)\s*", c.line):
                if re.match(r"^make(\s|$)", seg.strip()):
                    slow = [t for t in make_targets(seg)
                            if t in SLOW_TARGETS]
                    if slow:
                        problems.append((c.line_no, "host command %r: make "
                                         "%s boots QEMU or takes minutes; "
                                         "name it in the prose"
                                         % (c.line, slow[0])))


def check_chapter(ch, tree):
    """The problems of one chapter: [(line, what)]."""
    problems = list(ch.problems)
    check_layout(ch, tree, problems)
    check_tries(ch, problems)
    seen = set()
    for n, span in ch.backticked():
        for kind, key in names_in(span):
            # Checked once for the tree, in main().
            if key == "make exercise" or (n, key) in seen:
                continue
            seen.add((n, key))
            why = check_name(tree, kind, key)
            if why:
                problems.append((n, why))
    problems.sort(key=lambda p: p[0])
    return problems


def check_index(tree):
    """Problems of the index itself: [(file, line, what)]."""
    problems = []
    rows = course.read_index(tree.root)
    if not rows:
        problems.append((course.INDEX, 1, "no chapter table"))
    for k, (n, slug, _) in enumerate(rows, 1):
        if n != k:
            problems.append((course.INDEX, 1, "row %d has number %d" %
                             (k, n)))
        if not os.path.exists(os.path.join(tree.root, course.TUTORIAL,
                                           slug + ".md")):
            problems.append((course.INDEX, 1, "%s.md is listed but "
                             "missing" % slug))
    for n, what in tree.external_problems:
        problems.append(("tests/course/external-names", n, what))
    return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tree", default=course.ROOT,
                    help="the tree to check (default: this one)")
    ap.add_argument("--chapter", action="append", default=[],
                    metavar="SLUG", help="check only this chapter (a slug "
                    "of the index, or a .md file); may be repeated")
    ap.add_argument("--list-names", action="store_true",
                    help="print every checked name and its verdict")
    args = ap.parse_args(argv)

    tree = Tree(args.tree)
    try:
        chapters = course.load_chapters(tree.root, args.chapter)
    except (KeyError, OSError) as e:
        print("truth: %s" % e, file=sys.stderr)
        return 2
    total = 0
    print("1..%d" % len(chapters))
    if not args.chapter:
        for f, n, what in check_index(tree):
            print("# %s:%d: %s" % (f, n, what))
            total += 1
    exercise_target = tree.has_target("exercise")
    for k, ch in enumerate(chapters, 1):
        rel = os.path.relpath(ch.path, tree.root)
        if args.list_names:
            for n, span in ch.backticked():
                for kind, key in names_in(span):
                    print("# %s:%d: %s %s: %s" % (
                        rel, n, kind, key,
                        check_name(tree, kind, key) or "ok"))
        problems = check_chapter(ch, tree)
        for n, what in problems:
            print("# %s:%d: %s" % (rel, n, what))
        total += len(problems)
        print("%s %d - %s%s" % ("not ok" if problems else "ok", k, ch.slug,
                                " (%d problems)" % len(problems)
                                if problems else ""))
    if not exercise_target:
        print("# the tree has no make target `exercise` (every chapter's "
              "## Exercise names `make exercise N=<n>`)")
        total += 1
    print("# course-truth: %d chapters, %d problems" % (len(chapters),
                                                      total))
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
