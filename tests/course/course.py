"""The course's markup, shared by truth.py, tryit.py and the system-test
group `course` (tests/system/suite_course.py).

Documentation/course-checks.md describes the markup for authors; in short:

- Documentation/tutorial/README.md's table fixes the chapters: number,
  file, title (`| 3 | [Title](file.md) | ... |`).
- A chapter's `##` headings are its sections.
- A "try block" is a ```console block right after a marker comment
  `<!-- try: guest -->` (or kmon, or host; options such as timeout=60 may
  follow the place).  Its command lines start with the place's prompt
  (`root@eclipse:<cwd># `, `kmon> `, `$ `); the lines up to the next
  command line are the command's expected output.
- Expected output is matched line by line (trailing blanks ignored):
  `<words>` (lowercase letters, digits, spaces, `-`, `_`) matches any text
  within the line, `\\<` is a literal `<`, and a line that is exactly
  `...` matches any number of lines, none included.
"""

import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

INDEX = os.path.join("Documentation", "tutorial", "README.md")
TUTORIAL = os.path.join("Documentation", "tutorial")

# `| 12 | [Pipes and poll](pipes.md) | what you learn |`
RE_INDEX_ROW = re.compile(
    r"^\|\s*(\d+)\s*\|\s*\[([^\]]+)\]\(([a-z0-9-]+)\.md\)\s*\|")
RE_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)")
RE_MARKER = re.compile(r"^\s*<!--\s*try:\s*(.*?)\s*-->\s*$")
RE_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")

PLACES = ("guest", "kmon", "host")
# The prompt of each place: a line matching it is a command line; group
# "cmd" is what is typed (group "cwd" the guest shell's folder).
PROMPTS = {
    "guest": re.compile(r"^(?P<user>root)@eclipse:(?P<cwd>[^#\s]*)# ?"
                        r"(?P<cmd>.*)$"),
    "kmon": re.compile(r"^kmon> ?(?P<cmd>.*)$"),
    "host": re.compile(r"^\$ ?(?P<cmd>.*)$"),
}
# Options a marker may carry after the place: name=value.
MARKER_OPTIONS = {"timeout": int}


class Chapter:
    """A chapter file: its number and slug from the index, its lines, its
    sections, its fenced blocks and its try blocks."""

    def __init__(self, path, number=None, slug=None, title=None):
        self.path = path
        self.slug = slug or os.path.splitext(os.path.basename(path))[0]
        self.number = number
        self.title = title
        with open(path, encoding="utf-8") as f:
            self.text = f.read()
        self.lines = self.text.split("\n")
        self.problems = []          # (line number, what) found by parsing
        self.sections = []          # (line number, level, title)
        self.fences = []            # Fence
        self.tries = []             # TryBlock
        self._parse()

    def problem(self, line, what):
        self.problems.append((line, what))

    def _parse(self):
        marker = None               # (line number, place, options)
        fence = None
        for i, line in enumerate(self.lines, 1):
            if fence is not None:
                s = line.strip()
                if (s and set(s) == {fence.delim[0]} and
                        len(s) >= len(fence.delim)):
                    fence.end = i
                    self.fences.append(fence)
                    if fence.marker is not None:
                        self._try_block(fence)
                    fence = None
                else:
                    fence.body.append(line)
                continue
            m = RE_FENCE.match(line)
            if m:
                fence = Fence(i, m.group(2), m.group(3).lower())
                if marker is not None:
                    fence.marker = marker
                    marker = None
                if fence.lang == "console" and fence.marker is None:
                    self.problem(i, "a ```console block without a try "
                                 "marker (<!-- try: guest|kmon|host -->)")
                elif fence.marker is not None and fence.lang != "console":
                    self.problem(fence.marker[0], "a try marker before a "
                                 "```%s block (want ```console)"
                                 % (fence.lang or ""))
                    fence.marker = None
                continue
            mk = RE_MARKER.match(line)
            if mk:
                if marker is not None:
                    self.problem(marker[0], "a try marker not followed by "
                                 "a ```console block")
                marker = self._marker(i, mk.group(1))
                continue
            if marker is not None and line.strip():
                self.problem(marker[0], "a try marker not followed by a "
                             "```console block")
                marker = None
            h = RE_HEADING.match(line)
            if h:
                self.sections.append((i, len(h.group(1)), h.group(2)))
        if fence is not None:
            self.problem(fence.start, "a ``` block that is never closed")
        if marker is not None:
            self.problem(marker[0], "a try marker at the end of the file")

    def _marker(self, line, spec):
        words = spec.split()
        place = words[0] if words else ""
        opts = {}
        if place not in PLACES:
            self.problem(line, "try marker %r: the place must be one of %s"
                         % (spec, ", ".join(PLACES)))
            return (line, None, opts)
        for w in words[1:]:
            k, eq, v = w.partition("=")
            if not eq or k not in MARKER_OPTIONS:
                self.problem(line, "try marker option %r: known options "
                             "are %s (name=value)" % (
                                 w, ", ".join(MARKER_OPTIONS)))
                continue
            try:
                opts[k] = MARKER_OPTIONS[k](v)
            except ValueError:
                self.problem(line, "try marker option %r: bad value" % w)
        return (line, place, opts)

    def _try_block(self, fence):
        line, place, opts = fence.marker
        if place is None:
            return
        block = TryBlock(self, len(self.tries) + 1, place, line,
                         fence.start, opts)
        prompt = PROMPTS[place]
        cmd = None
        for k, text in enumerate(fence.body):
            n = fence.start + 1 + k
            m = prompt.match(text)
            if m:
                cmd = Command(n, m.group("cmd"), m.groupdict().get("cwd"))
                block.commands.append(cmd)
                if not cmd.line.strip():
                    self.problem(n, "a prompt with no command")
            elif cmd is None:
                if text.strip():
                    self.problem(n, "output before the first command of a "
                                 "try block (a %s command starts with %r)"
                                 % (place, prompt_text(place)))
            else:
                cmd.expect.append(text)
        for c in block.commands:
            # Blank lines at the end of a command's output are layout.
            while c.expect and not c.expect[-1].strip():
                c.expect.pop()
        if not block.commands:
            self.problem(fence.start, "a try block with no command")
        self.tries.append(block)

    def section_titles(self, level=2):
        return [(n, t) for n, lv, t in self.sections if lv == level]

    def prose_lines(self):
        """(line number, text) of every line outside fenced blocks."""
        inside = set()
        for f in self.fences:
            inside.update(range(f.start, f.end + 1))
        return [(i, t) for i, t in enumerate(self.lines, 1)
                if i not in inside]

    def backticked(self):
        """(line number, text) of every `code span` outside fenced blocks
        (a span may not cross lines)."""
        out = []
        for i, t in self.prose_lines():
            for m in re.finditer(r"(`+)(.+?)\1(?!`)", t):
                out.append((i, m.group(2).strip()))
        return out


class Fence:
    def __init__(self, start, delim, lang):
        self.start = start
        self.end = None
        self.delim = delim
        self.lang = lang
        self.body = []
        self.marker = None


class TryBlock:
    """One ```console block with its marker: where it runs and its
    commands."""

    def __init__(self, chapter, index, place, marker_line, line, opts):
        self.chapter = chapter
        self.index = index          # 1, 2, ... within the chapter
        self.place = place
        self.marker_line = marker_line
        self.line = line            # the ``` line
        self.opts = opts
        self.commands = []

    @property
    def name(self):
        return "course/%s/%d" % (self.chapter.slug, self.index)

    @property
    def timeout(self):
        return self.opts.get("timeout")


class Command:
    def __init__(self, line, text, cwd=None):
        self.line_no = line
        self.line = text.rstrip()
        self.cwd = cwd
        self.expect = []


def prompt_text(place):
    return {"guest": "root@eclipse:/# ", "kmon": "kmon> ",
            "host": "$ "}[place]


# ---------------------------------------------------------------------------
# The index.

def read_index(tree):
    """[(number, slug, title)] from the index's table, in its order."""
    path = os.path.join(tree, INDEX)
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = RE_INDEX_ROW.match(line)
            if m:
                rows.append((int(m.group(1)), m.group(3), m.group(2)))
    return rows


def load_chapters(tree, slugs=()):
    """The chapters of the index (or only those named in SLUGS, which
    may also be paths to .md files outside the index: fixtures)."""
    rows = read_index(tree)
    if not slugs:
        return [Chapter(os.path.join(tree, TUTORIAL, s + ".md"), n, s, t)
                for n, s, t in rows]
    by_slug = {s: (n, t) for n, s, t in rows}
    out = []
    for s in slugs:
        if s.endswith(".md") and os.path.exists(s):
            slug = os.path.splitext(os.path.basename(s))[0]
            n, t = by_slug.get(slug, (None, None))
            out.append(Chapter(s, n, slug, t))
        elif s in by_slug:
            out.append(Chapter(os.path.join(tree, TUTORIAL, s + ".md"),
                               by_slug[s][0], s, by_slug[s][1]))
        else:
            raise KeyError("no chapter %r in %s (chapters: %s)" % (
                s, INDEX, " ".join(by_slug)))
    return out


# ---------------------------------------------------------------------------
# The matcher.

RE_PLACEHOLDER = re.compile(r"\\<|<[a-z0-9 _-]+>")


def line_regex(pattern):
    """The compiled regex for one expected line: literal text, `<words>`
    placeholders match any text, `\\<` is a literal `<`."""
    out = []
    pos = 0
    for m in RE_PLACEHOLDER.finditer(pattern):
        out.append(re.escape(pattern[pos:m.start()]))
        out.append(re.escape("<") if m.group(0) == "\\<" else ".*")
        pos = m.end()
    out.append(re.escape(pattern[pos:]))
    return re.compile("".join(out) + r"\Z")


def normalise(text):
    """Output as lines: \\r\\n and \\r removed, trailing blanks removed,
    blank lines at the end dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "")
    lines = [ln.rstrip() for ln in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def match(expect, got):
    """Match the expected lines EXPECT (patterns) against the output lines
    GOT.  Returns None when they match, else (expected line index or None,
    got line index or None, explanation) for the first line that differs
    (the furthest any way of matching `...` got)."""
    expect = [e.rstrip() for e in expect]
    got = [g.rstrip() for g in got]
    rx = [None if e == "..." else line_regex(e) for e in expect]
    best = [(-1, -1)]
    seen = set()

    def go(i, j):
        if (i, j) in seen:
            return False
        seen.add((i, j))
        if (i, j) > best[0]:
            best[0] = (i, j)
        if i == len(expect):
            return j == len(got)
        if rx[i] is None:
            return any(go(i + 1, k) for k in range(j, len(got) + 1))
        # A placeholder at the end may be empty, its blank then stripped.
        if j < len(got) and (rx[i].match(got[j]) or
                             rx[i].match(got[j] + " ")):
            return go(i + 1, j + 1)
        return False

    if go(0, 0):
        return None
    i, j = best[0]
    # Skip over `...` lines to the pattern that did not match.
    while i < len(expect) and rx[i] is None:
        i += 1
    if i >= len(expect):
        return (None, j, "more output than expected: %r" % got[j])
    if j >= len(got):
        return (i, None, "expected %r, got the end of the output"
                % expect[i])
    return (i, j, "expected %r, got %r" % (expect[i], got[j]))
