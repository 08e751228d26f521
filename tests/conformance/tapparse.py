"""Reading the TAP output of one conformance program.

Shared by tests/conformance/run.py (the host runner) and
tests/system/suite_conformance.py (the run inside EclipseOS), so that both
judge a program the same way:

  - each "ok N - ..." / "not ok N - ..." line is one case, named
    <family>/<name>/<N>; "ok N # SKIP why" is a skipped case;
  - indented "#" lines after a case ("#   got: ...", which libtap prints
    for a failure) are its diagnostics; other "#" lines are notes;
  - cases the plan promised but the program never printed fail as "not
    reached";
  - the program as a whole (<family>/<name>) fails, once, when something
    no case accounts for went wrong: it bailed out, was killed or timed
    out, exited non-zero with every case passing, printed no plan or
    more cases than planned, or numbered them out of order.
"""

import re

RE_CASE = re.compile(r"^(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?(.*)$")
RE_PLAN = re.compile(r"^1\.\.(\d+)\s*$")
RE_BAIL = re.compile(r"^Bail out!\s*(.*)$")
RE_SKIP = re.compile(r"#\s*SKIP\b\s*(.*)$", re.IGNORECASE)


class Case:
    def __init__(self, number, ok, desc, skip=None):
        self.number = number
        self.ok = ok
        self.desc = desc
        self.skip = skip        # the reason, or None
        self.diag = []

    def as_dict(self):
        return {"n": self.number, "ok": self.ok, "skip": self.skip,
                "desc": self.desc, "diag": self.diag}


class Program:
    """What one program printed, and the verdict on it as a whole."""

    def __init__(self, name):
        self.name = name
        self.cases = []
        self.plan = None
        self.bail = None
        self.other = []         # lines that are not TAP
        self.notes = []         # "#" lines that belong to no case
        self.ended = ""         # how the program ended, in words
        self.problems = []      # why the program as a whole failed

    @property
    def family(self):
        return self.name.split("/", 1)[0]

    def feed(self, text):
        last = None
        for line in text.split("\n"):
            line = line.rstrip("\r")
            m = RE_CASE.match(line)
            if m:
                number = int(m.group(2)) if m.group(2) else \
                    len(self.cases) + 1
                desc = m.group(3).strip()
                skip = None
                sm = RE_SKIP.search(desc)
                if sm and m.group(1) == "ok":
                    skip = sm.group(1).strip() or "skipped"
                    desc = desc[:sm.start()].strip()
                last = Case(number, m.group(1) == "ok", desc, skip)
                self.cases.append(last)
                continue
            m = RE_PLAN.match(line)
            if m:
                self.plan = int(m.group(1))
                continue
            m = RE_BAIL.match(line)
            if m:
                self.bail = m.group(1).strip()
                continue
            if line.startswith("#  ") and last is not None:
                last.diag.append(line[1:].strip())
            elif line.startswith("#"):
                self.notes.append(line[1:].strip())
                last = None
            elif line.strip():
                self.other.append(line)

    def judge(self, how_ended, exit_code):
        """Set self.problems from the output and how the program ended:
        how_ended in words ("exit 1", "killed by signal 11 ..."), exit_code
        its exit status, or None if it did not exit normally."""
        p = []
        self.ended = how_ended
        explained = any(not c.ok for c in self.cases) or self.missing()
        if self.bail is not None:
            p.append("bailed out: " + self.bail)
        if exit_code is None:
            p.append(how_ended)
        elif exit_code != 0 and not (exit_code == 1 and explained):
            p.append(how_ended)
        numbers = [c.number for c in self.cases]
        if numbers != list(range(1, len(numbers) + 1)):
            p.append("cases numbered %s, not 1..%d" % (
                _ranges(numbers), len(numbers)))
        if self.plan is None:
            p.append("no plan (1..N) printed")
        elif self.plan < len(self.cases):
            p.append("plan 1..%d but %d cases" % (self.plan,
                                                  len(self.cases)))
        if not self.cases and self.plan != 0:
            p.append("no case ran")
        self.problems = p
        return p

    def missing(self):
        """Case numbers the plan promised but the program never printed."""
        if self.plan is None:
            return []
        seen = {c.number for c in self.cases}
        return [n for n in range(1, self.plan + 1) if n not in seen]

    def results(self):
        """(name, ok, skip, why) for every case, every missing case and,
        when the program failed as a whole, the program itself."""
        out = []
        for c in self.cases:
            why = c.desc
            if not c.ok and c.diag:
                why += " [" + "; ".join(c.diag) + "]"
            if c.skip is not None:
                why = "skipped: " + c.skip
            out.append(("%s/%d" % (self.name, c.number), c.ok, c.skip, why))
        for n in self.missing():
            out.append(("%s/%d" % (self.name, n), False, None,
                        "not reached (the program ended: %s)" % self.ended))
        if self.problems:
            out.append((self.name, False, None, "; ".join(self.problems)))
        return out


def _ranges(numbers):
    if len(numbers) > 8:
        return "%s ... %s" % (numbers[:4], numbers[-2:])
    return str(numbers)
