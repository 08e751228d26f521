#!/usr/bin/env python3
"""Unit tests of tests/course/course.py (the chapter parser and the
output matcher) and of truth.py's name rules, on fixtures; prints TAP.

Run by make check's course-truth step, or by hand:
    python3 tests/course/test_course.py
"""

import os
import sys
import tempfile
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import course  # noqa: E402
import truth  # noqa: E402

FIXTURES = os.path.join(HERE, "fixtures")
TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def eq(got, want, what=""):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


def matches(expect, got):
    return course.match(expect, got) is None


# ---------------------------------------------------------------------------
# The matcher.

@test
def literal_lines():
    eq(matches(["hi"], ["hi"]), True, "same line")
    eq(matches(["hi"], ["ho"]), False, "other line")
    eq(matches(["hi"], ["hi", "there"]), False, "more output")
    eq(matches(["hi", "there"], ["hi"]), False, "less output")
    eq(matches([], []), True, "no output expected, none printed")
    eq(matches([], ["x"]), False, "no output expected, some printed")


@test
def trailing_blanks_ignored():
    eq(matches(["hi   "], ["hi"]), True, "expected has trailing blanks")
    eq(matches(["hi"], ["hi \t"]), True, "output has trailing blanks")
    eq(matches(["  hi"], ["hi"]), False, "leading blanks count")


@test
def placeholders():
    eq(matches(["<pid> (cat) R <ppid> ..."],
               ["42 (cat) R 1 ..."]), True, "two placeholders")
    eq(matches(["pid <pid>"], ["pid 1234"]), True, "at the end")
    eq(matches(["pid <pid>"], ["pid "]), True, "matches empty text")
    eq(matches(["<a b-c_d 1>x"], ["anything x"]), True, "spaces, - and _")
    eq(matches(["a <pid> b"], ["a 1\n2 b"]), False, "not across lines")
    eq(matches(["<Ctrl-D>"], ["<Ctrl-D>"]), True, "capitals: literal")
    eq(matches(["<Ctrl-D>"], ["x"]), False, "capitals: not a placeholder")
    eq(matches(["\\<pid>"], ["<pid>"]), True, "\\< is a literal <")
    eq(matches(["\\<pid>"], ["42"]), False, "\\<pid> is not a placeholder")
    eq(matches(["a.b*c"], ["a.b*c"]), True, "regex characters literal")
    eq(matches(["a.b*c"], ["axbbc"]), False, "regex characters literal 2")


@test
def ellipsis_lines():
    eq(matches(["...", "end"], ["end"]), True, "... matches no line")
    eq(matches(["...", "end"], ["a", "b", "end"]), True, "... many lines")
    eq(matches(["start", "..."], ["start"]), True, "... at the end")
    eq(matches(["start", "..."], ["start", "x", "y"]), True, "tail")
    eq(matches(["a", "...", "b", "...", "c"],
               ["a", "1", "b", "2", "b", "c"]), True, "two ...")
    eq(matches(["...", "x"], ["a", "b"]), False, "no x")
    eq(matches(["..."], []), True, "only ...")
    eq(matches([" ..."], ["..."]), False, "only exactly ... is special")
    eq(matches(["a ..."], ["a ..."]), True, "... inside a line: literal")


@test
def first_difference():
    eq(course.match(["a", "b", "c"], ["a", "x", "c"]),
       (1, 1, "expected 'b', got 'x'"), "second line differs")
    eq(course.match(["a"], ["a", "more"]),
       (None, 1, "more output than expected: 'more'"), "more output")
    eq(course.match(["a", "b"], ["a"]),
       (1, None, "expected 'b', got the end of the output"), "less")
    eq(course.match(["a", "...", "z"], ["a", "b", "c"])[0], 2,
       "after ...: the line that never came")


@test
def normalise_serial_text():
    eq(course.normalise("a\r\nb  \r\n\r\n"), ["a", "b"], "\\r\\n, blanks")
    eq(course.normalise(""), [], "nothing")


# ---------------------------------------------------------------------------
# The parser.

CHAPTER = """# A chapter

## The problem

Text with `kmain()` in it.

<!-- try: guest -->
```console
root@eclipse:/# echo hi
hi
root@eclipse:/# cd /tmp
root@eclipse:/tmp# ls /nonexistent
ls: /nonexistent: No such file or directory

```

<!-- try: kmon timeout=20 -->
```console
kmon> echo x
x
```

<!-- try: host -->
```console
$ true
```

```console
$ not marked
```

<!-- try: sky -->
```console
root@eclipse:/# x
```

<!-- try: host -->
Some prose.

```c
int x;
```
"""


def parse(text):
    fd, path = tempfile.mkstemp(suffix=".md")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    try:
        return course.Chapter(path, 7, "example")
    finally:
        os.unlink(path)


@test
def parse_try_blocks():
    ch = parse(CHAPTER)
    eq([b.place for b in ch.tries], ["guest", "kmon", "host"], "places")
    g = ch.tries[0]
    eq([c.line for c in g.commands], ["echo hi", "cd /tmp",
                                      "ls /nonexistent"], "commands")
    eq([c.cwd for c in g.commands], ["/", "/", "/tmp"], "prompt folders")
    eq(g.commands[0].expect, ["hi"], "output")
    eq(g.commands[1].expect, [], "no output")
    eq(g.commands[2].expect, ["ls: /nonexistent: No such file or "
                              "directory"], "trailing blank line dropped")
    eq(ch.tries[1].timeout, 20, "timeout option")
    eq(ch.tries[1].name, "course/example/2", "block name")


@test
def parse_problems():
    ch = parse(CHAPTER)
    what = [w for _, w in ch.problems]
    eq(len(what), 3, "problems %r" % what)
    eq("without a try marker" in what[0], True, "unmarked console block")
    eq("the place must be" in what[1], True, "unknown place")
    eq("not followed by" in what[2], True, "marker before prose")


@test
def parse_sections_and_names():
    ch = parse(CHAPTER)
    eq(ch.section_titles(), [(3, "The problem")], "sections")
    eq(ch.backticked(), [(5, "kmain()")], "backticked names")


# ---------------------------------------------------------------------------
# truth.py's name rules.

@test
def names_rule():
    eq(truth.names_in("make BUILD=build-x run-pvh"),
       [("target", "make run-pvh")], "make with a variable")
    eq(truth.names_in("make kernel && make -j2 image"),
       [("target", "make kernel"), ("target", "make image")], "two makes")
    eq(truth.names_in("kmain()"), [("function", "kmain()")], "function")
    eq(truth.names_in("read(2)"), [("syscall", "read(2)")], "system call")
    eq(truth.names_in("signal(7)"), [], "other manual sections")
    eq(truth.names_in("struct proc *p"), [("struct", "struct proc")],
       "structure")
    eq(truth.names_in("sys/kern/main.c:42"),
       [("path", "sys/kern/main.c")], "path with a line")
    eq(truth.names_in("/proc/self/stat"), [], "guest path")
    eq(truth.names_in("tests/exercises/<slug>/check.py"), [],
       "path with a placeholder")
    eq(truth.braces("sys/kern/uipc_{a,b}.c"),
       ["sys/kern/uipc_a.c", "sys/kern/uipc_b.c"], "braces")


@test
def names_checked_in_this_tree():
    tree = truth.Tree(course.ROOT)
    for kind, key in (("function", "kmain()"), ("struct", "struct proc"),
                      ("syscall", "read(2)"), ("target", "make run-pvh"),
                      ("path", "sys/kern/main.c"), ("path", "kern/tty.c"),
                      ("function", "load_chapters()"),
                      ("path", "tests/system/suite_*.py")):
        eq(truth.check_name(tree, kind, key), None, key)
    for kind, key in (("function", "no_such_function_xyz()"),
                      ("struct", "struct no_such_struct_xyz"),
                      ("syscall", "no_such_call(2)"),
                      ("target", "make no-such-target-xyz"),
                      ("path", "sys/kern/no_such_file.c"),
                      ("path", "kern/no_such_file.c")):
        eq(truth.check_name(tree, kind, key) is not None, True, key)


# ---------------------------------------------------------------------------
# The fixtures: truth.py's verdict on them (the runner's is tryit.py
# --selftest, which boots QEMU).

@test
def fixtures_truth():
    tree = truth.Tree(course.ROOT)
    good = course.Chapter(os.path.join(FIXTURES, "good.md"))
    bad = course.Chapter(os.path.join(FIXTURES, "bad.md"))
    eq([p for p in truth.check_chapter(good, tree)
        if "exercise" not in p[1].lower()], [], "good.md's names and blocks")
    got = [w for _, w in truth.check_chapter(bad, tree)]
    for want in ("without a try marker", "no_such_function_xyz",
                 "struct no_such_struct_xyz", "no_such_call",
                 "no-such-target-xyz", "sys/kern/no_such_file.c",
                 "uses sudo", "## Exercise"):
        eq(any(want in w for w in got), True, "bad.md reports %r in %r"
           % (want, got))


def main():
    print("1..%d" % len(TESTS))
    failed = 0
    for k, fn in enumerate(TESTS, 1):
        try:
            fn()
        except Exception as e:
            failed += 1
            print("not ok %d - %s" % (k, fn.__name__))
            for line in (str(e) if isinstance(e, AssertionError) else
                         traceback.format_exc()).strip().split("\n"):
                print("# " + line)
        else:
            print("ok %d - %s" % (k, fn.__name__))
    print("# test_course: %d passed, %d failed" % (len(TESTS) - failed,
                                                   failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
