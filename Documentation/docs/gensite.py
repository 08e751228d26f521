#!/usr/bin/env python3
"""Build the documentation site: Documentation/ as one HTML book.

    gensite.py [--tree DIR] [--out DIR] [--no-build]

Prepares OUT/src (MkDocs' docs_dir) and OUT/mkdocs.yml, runs
`mkdocs build --strict` into OUT/site, then checks every link of the
site.  OUT is build/docs by default; Documentation/docs/README.md says
what the site holds.

Preparation, in order:

1. The navigation.  The course's chapters in the order of the table in
   Documentation/tutorial/README.md, read now (a row added there is a
   chapter of the site), numbered as the table numbers them; then the
   design notes (Documentation/*.md: DESIGN_ORDER first, any other after
   it by name); then this site's own README.md and the source tree.
   Documentation/docs/mkdocs.yml is the template; its nav is replaced.

2. The pages.  Every .md file of Documentation/ is copied to the same
   place under OUT/src; the tree's README.md becomes the home page
   (index.md).  Two rewrites are made in the copies (the sources are never
   touched):
   - a relative link [text](target) is resolved against the file's place
     in the tree and pointed at the target's page in the site: a
     Documentation page, or the generated page of any other file or
     folder of the tree.  A target that is not in the tree is an error.
   - an inline code span naming a tree path (`sys/kern/kern_fork.c`,
     `sys/fs/procfs/`, `kern/main.c` for sys/kern/main.c, `machine/pmap.h`
     for the kernel's <machine/pmap.h>, `path:42` for a line) becomes a
     link to that path's page.  Spans in fenced code blocks and in link
     texts are left alone, as is anything that does not exist in the tree.

3. The source tree.  Every file of the tree (git ls-files, or a walk
   when there is no git) that a page names gets a page tree/PATH.md: the
   file highlighted by Pygments with numbered lines whose anchors are #L1,
   #L2, ... (the line number is a link to its own anchor), and the pages
   that name the file.  A Markdown file outside Documentation/ is rendered
   instead, with its links rewritten as above (what it names gets a page
   too).  Every folder named, and every folder above a page, gets a
   listing tree/FOLDER/index.md.  The highlighted text is put in place by
   hooks.py after MkDocs renders the page, and these pages are left out
   of the search index, which stays the book's.

After the build, check_site() reads every HTML file of the site and
fails on a link (href or src) to a missing file or to a missing #anchor.

Exit status: 0 when the site is built and every link works, 1 otherwise.
"""
import argparse
import glob
import html
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser

DEBIAN_PYTHON = "/usr/bin/python3"

try:
    import mkdocs
    import yaml
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import (
        TextLexer, get_lexer_by_name, get_lexer_for_filename)
    from pygments.util import ClassNotFound
except ImportError:
    # Debian's mkdocs and its modules live in the system Python; a python3
    # found first on PATH (pyenv, a venv) may not see them.
    if os.path.exists(DEBIAN_PYTHON) and \
            os.path.realpath(sys.executable) != \
            os.path.realpath(DEBIAN_PYTHON):
        os.execv(DEBIAN_PYTHON, [DEBIAN_PYTHON] + sys.argv)
    print("docs: Debian's mkdocs is not installed (make deps-docs)",
          file=sys.stderr)
    sys.exit(1)

HERE = os.path.dirname(os.path.abspath(__file__))

# The design notes come in this order; notes not listed follow by name.
DESIGN_ORDER = [
    "eclipsefs.md", "services.md", "porting.md", "syscalls.md",
    "conformance.md", "testing.md", "performance.md", "distro.md",
    "exec.md", "sysfs.md", "sctrace.md", "busybox-tests.md",
    "posix-tests.md",
]

# Where a code span that is not a tree path may still name one: the
# kernel's own paths are often written from sys/ (`kern/main.c`), and
# its machine headers as they are included (`machine/pmap.h`).
SPAN_PREFIXES = {
    "kern": "sys/", "vm": "sys/", "dev": "sys/", "fs": "sys/",
    "arch": "sys/", "machine": "sys/arch/x86_64/include/",
}

# Interpreters of a #! line, for files whose name says nothing.
SHEBANG_LEXERS = {"sh": "sh", "bash": "bash", "python3": "python",
                  "python": "python", "awk": "awk"}

# The paragraph of a source page that hooks.py replaces by the file's
# highlighted text (kept in OUT/srchtml/PATH.html).
SOURCE_MARKER = "ECLIPSE-SOURCE-VIEW"

# Files larger than this get a page without their text.
MAX_SOURCE_BYTES = 512 * 1024

SPAN_PATH = re.compile(r"^([A-Za-z0-9_.+-]+(?:/[A-Za-z0-9_.+-]+)*/?)"
                       r"(?::(\d+))?$")
LINK = re.compile(r"(!?\[(?:[^\[\]]|\[[^\[\]]*\])*\])"
                  r"\(\s*<?([^()\s<>]+)>?(\s+\"[^\"]*\")?\s*\)")
REFDEF = re.compile(r"^(\s{0,3}\[[^\]]+\]:\s*)(\S+)(.*)$")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class SiteError(Exception):
    """Something the site cannot be built without is missing."""


class Tree:
    """The files and folders of the source tree, by relative path."""

    def __init__(self, root):
        self.root = root
        self.files = self._list_files()
        self.dirs = {""}
        for f in self.files:
            d = posixpath.dirname(f)
            while d not in self.dirs:
                self.dirs.add(d)
                d = posixpath.dirname(d)

    def _list_files(self):
        try:
            out = subprocess.run(
                ["git", "-C", self.root, "ls-files", "-z", "--cached",
                 "--others", "--exclude-standard"],
                check=True, capture_output=True).stdout.decode()
            names = [n for n in out.split("\0") if n]
        except (OSError, subprocess.CalledProcessError):
            names = []
            for d, subdirs, files in os.walk(self.root):
                rel = os.path.relpath(d, self.root)
                subdirs[:] = [s for s in subdirs
                    if not s.startswith((".git", "build"))
                    and s != "__pycache__"]
                for f in files:
                    p = f if rel == "." else f"{rel}/{f}"
                    names.append(p.replace(os.sep, "/"))
        return {n for n in names
            if not n.startswith(("build/", "build-"))
            and os.path.isfile(os.path.join(self.root, n))}

    def kind(self, path):
        """Return "file", "dir" or None for a normalised relative path."""
        if path in self.files:
            return "file"
        if path.rstrip("/") in self.dirs:
            return "dir"
        return None

    def children(self, d):
        """Return (subfolders, files) directly inside folder d."""
        pre = d + "/" if d else ""
        subs = sorted({p[len(pre):].split("/")[0] for p in self.dirs
            if p.startswith(pre) and p != d and p})
        subs = [s for s in subs if "/" not in s and (pre + s) in self.dirs]
        files = sorted(p[len(pre):] for p in self.files
            if p.startswith(pre) and "/" not in p[len(pre):])
        return subs, files


def page_of(tree, path):
    """Return the docs_dir page (a .md path) that shows tree path path.

    MkDocs skips names starting with a dot and makes README.md and
    index.md a folder's index: such names get a "_" (.ci is _.ci, a file
    README is README_).
    """
    if path == "README.md":
        return "index.md"
    if path.startswith("Documentation/") and path.endswith(".md"):
        return path[len("Documentation/"):]
    parts = ["_" + p if p.startswith(".") else p
             for p in path.rstrip("/").split("/") if p]
    if tree.kind(path) == "dir":
        return "/".join(["tree"] + parts + ["index.md"])
    if parts[-1] in ("README", "index"):
        parts[-1] += "_"
    return "/".join(["tree"] + parts) + ".md"


def rel_link(from_page, to_page):
    """Return the relative link from one docs_dir page to another."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


class Rewriter:
    """Rewrites the links and path code spans of Markdown pages."""

    def __init__(self, tree):
        self.tree = tree
        self.errors = []
        # tree path -> {page that names it: that page's title}
        self.named_by = {}

    def _note(self, target, page):
        self.named_by.setdefault(target, set()).add(page)

    def link(self, src, page, target):
        """Return target (a link of tree file src, shown on page) rewritten,
        or None when it is not a relative link into the tree."""
        if SCHEME.match(target) or target.startswith(("#", "/")):
            return None
        path, _, frag = target.partition("#")
        if not path:
            return None
        resolved = posixpath.normpath(
            posixpath.join(posixpath.dirname(src), path))
        if resolved == ".":
            resolved = ""
        if resolved.startswith("../") or self.tree.kind(resolved) is None:
            self.errors.append(f"{src}: link to {target}: {resolved} "
                "is not in the tree")
            return None
        self._note(resolved.rstrip("/"), page)
        out = rel_link(page, page_of(self.tree, resolved))
        return out + ("#" + frag if frag else "")

    def span_target(self, text):
        """Return (tree path, line or None) a code span names, or None."""
        m = SPAN_PATH.match(text)
        if not m:
            return None
        path, line = m.group(1), m.group(2)
        if "/" not in path and path != "GNUmakefile":
            return None
        bare = path.rstrip("/")
        candidates = [bare]
        first = bare.split("/")[0]
        if first in SPAN_PREFIXES:
            candidates.append(SPAN_PREFIXES[first] + bare)
        for c in candidates:
            k = self.tree.kind(c)
            if k == "file" and not path.endswith("/"):
                return c, line
            if k == "dir" and line is None and c:
                return c, None
        return None

    def spans(self, page, line):
        """Return line with its path code spans made links."""
        masked = [False] * len(line)
        for m in LINK.finditer(line):
            for i in range(m.start(), m.end()):
                masked[i] = True
        out = []
        i = 0
        while i < len(line):
            if line[i] != "`" or (i > 0 and line[i - 1] == "\\"):
                out.append(line[i])
                i += 1
                continue
            j = i
            while j < len(line) and line[j] == "`":
                j += 1
            ticks = line[i:j]
            end = re.compile(r"(?<!`)" + ticks + r"(?!`)").search(line, j)
            if end is None:
                out.append(ticks)
                i = j
                continue
            span = line[i:end.end()]
            body = line[j:end.start()].strip()
            hit = None if masked[i] else self.span_target(body)
            if hit is None:
                out.append(span)
            else:
                path, lineno = hit
                self._note(path, page)
                url = rel_link(page, page_of(self.tree, path))
                if lineno and self.tree.kind(path) == "file":
                    url += f"#L{lineno}"
                out.append(f"[{span}]({url})")
            i = end.end()
        return "".join(out)

    def markdown(self, src, page, text):
        """Return Markdown text of tree file src, rewritten for page."""
        lines = []
        fence = None
        for line in text.split("\n"):
            m = FENCE.match(line)
            if fence is not None:
                if m and m.group(1)[0] == fence[0] and \
                    len(m.group(1)) >= len(fence) and \
                    line.strip() == m.group(1):
                    fence = None
                lines.append(line)
                continue
            if m:
                fence = m.group(1)
                lines.append(line)
                continue
            d = REFDEF.match(line)
            if d:
                new = self.link(src, page, d.group(2))
                if new is not None:
                    line = d.group(1) + new + d.group(3)
                lines.append(line)
                continue

            def sub(m):
                new = self.link(src, page, m.group(2))
                if new is None:
                    return m.group(0)
                return f"{m.group(1)}({new}{m.group(3) or ''})"
            line = LINK.sub(sub, line)
            lines.append(self.spans(page, line))
        return "\n".join(lines)


class SourceFormatter(HtmlFormatter):
    """Pygments' HTML, one <span id="LN"> per line with its number."""

    def wrap(self, source):
        yield 0, '<div class="srcview highlight"><pre>'
        n = 0
        for t, line in source:
            if t != 1:
                yield t, line
                continue
            n += 1
            yield 1, (f'<span class="srcline" id="L{n}">'
                f'<a class="lineno" href="#L{n}">{n}</a>'
                f'{line.rstrip(chr(10))}</span>\n')
        yield 0, "</pre></div>"


def lexer_for(path, text):
    """Return a Pygments lexer for tree file path holding text."""
    name = posixpath.basename(path)
    if name.endswith(".mk") or name == "GNUmakefile":
        return get_lexer_by_name("make")
    try:
        return get_lexer_for_filename(name, text)
    except ClassNotFound:
        pass
    m = re.match(r"#!\s*(?:/usr)?/bin/(?:env\s+)?(\S+)", text)
    if m and m.group(1) in SHEBANG_LEXERS:
        return get_lexer_by_name(SHEBANG_LEXERS[m.group(1)])
    return TextLexer()


def read_text(path):
    """Return the text of file path, or None if it is not UTF-8 text."""
    with open(path, "rb") as f:
        data = f.read()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def heading_path(tree, page, path, dirs):
    """Return the start of path's page: its title, as metadata, and a
    level-1 heading with each folder a link to its listing (dirs: the
    folders that have one)."""
    parts = path.split("/") if path else []
    title = path or "The source tree"
    crumbs = [f"[EclipseOS]({rel_link(page, 'tree/index.md')})"]
    for i, p in enumerate(parts):
        sub = "/".join(parts[:i + 1])
        if (i == len(parts) - 1 and tree.kind(sub) == "file") or \
                sub not in dirs:
            crumbs.append(p)
        else:
            crumbs.append(f"[{p}]({rel_link(page, page_of(tree, sub))})")
    # MkDocs would take the title from the heading's Markdown, links and
    # all: the page's metadata gives it.
    return f"---\ntitle: {json.dumps(title)}\n---\n\n# " + " / ".join(crumbs)


def named_by_md(rw, titles, page, path):
    """Return Markdown listing the pages that name tree path path."""
    pages = sorted(rw.named_by.get(path, ()),
        key=lambda p: (not p.startswith("tutorial/"), titles.get(p, p)))
    pages = [p for p in pages if not p.startswith("tree/")]
    if not pages:
        return ""
    items = ", ".join(f"[{titles.get(p, p)}]({rel_link(page, p)})"
        for p in pages)
    return f"Named in: {items}.\n\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def first_heading(text, default):
    m = re.search(r"^#\s+(.+?)\s*#*\s*$", text, re.M)
    return m.group(1) if m else default


def read_course(docdir):
    """Return [(number, title, file)] from the tutorial's table, in order."""
    with open(os.path.join(docdir, "tutorial", "README.md"),
        encoding="utf-8") as f:
        text = f.read()
    rows = re.findall(r"^\|\s*(\d+)\s*\|\s*\[([^\]]+)\]\(([^)#\s]+\.md)\)",
        text, re.M)
    if not rows:
        raise SiteError("Documentation/tutorial/README.md: no chapter "
            "table")
    return [(int(n), t, f) for n, t, f in rows]


def build_nav(tree, docdir, titles):
    """Return MkDocs' nav: home, the course, the notes, the tree."""
    course = [{"Introduction": "tutorial/README.md"}]
    for n, title, f in read_course(docdir):
        course.append({f"{n}. {title}": f"tutorial/{f}"})
    notes = [n for n in DESIGN_ORDER
        if os.path.exists(os.path.join(docdir, n))]
    notes += sorted(n for n in os.listdir(docdir)
        if n.endswith(".md") and n not in notes)
    design = [{titles[n]: n} for n in notes]
    design.append({titles["docs/README.md"]: "docs/README.md"})
    return [{"Home": "index.md"}, {"The course": course},
        {"Design notes": design}, {"Source tree": "tree/index.md"}]


def select_tree(tree, rw, books):
    """Return (files, folders, {md file: (page, body)}) of the tree to show.

    A file gets a page when a page names it; a Markdown file among them
    is rewritten as the book is, and what it names is added too.  A folder
    gets a listing when a page names it or it holds something that gets a
    page (its path's links).  Pages for every file of the tree would make
    a site of a thousand pages, too many for the browser test to load in
    its two minutes; a listing shows the other files without a link.
    """
    files = set()
    tree_md = {}
    while True:
        named = set(rw.named_by)
        want = {p for p in named if tree.kind(p) == "file"} - set(books)
        new = want - files
        if not new:
            break
        files |= new
        for f in sorted(new):
            if f.endswith(".md"):
                page = page_of(tree, f)
                with open(os.path.join(tree.root, f),
                          encoding="utf-8") as fh:
                    tree_md[f] = (page, rw.markdown(f, page, fh.read()))
    dirs = {d for d in rw.named_by if tree.kind(d) == "dir"} | {""}
    for p in files | set(dirs):
        d = posixpath.dirname(p)
        while d not in dirs:
            dirs.add(d)
            d = posixpath.dirname(d)
    return files, dirs, tree_md


def source_body(tree, out, fmt, f, page):
    """Return the Markdown of file f's page; write its highlighted text."""
    full = os.path.join(tree.root, f)
    size = os.path.getsize(full)
    text = read_text(full) if size <= MAX_SOURCE_BYTES else None
    if text is None:
        return f"*{size} bytes, not shown (binary or too large).*\n"
    side = page[len("tree/"):-len(".md")] + ".html"
    write(os.path.join(out, "srchtml", side),
          highlight(text, lexer_for(f, text), fmt))
    return f"{text.count(chr(10))} lines\n\n{SOURCE_MARKER}\n"


def listing(tree, rw, titles, d, page, shown, dirs):
    """Return the Markdown listing of folder d; shown and dirs are the
    files and folders that have pages (the others are not links)."""
    subs, files = tree.children(d)
    lines = [heading_path(tree, page, d, dirs), "",
             named_by_md(rw, titles, page, d), "| name | |", "|------|-|"]
    for s in subs:
        p = f"{d}/{s}" if d else s
        name = f"[{s}/]({rel_link(page, page_of(tree, p))})" \
            if p in dirs else f"{s}/"
        lines.append(f"| {name} | folder |")
    for f in files:
        p = f"{d}/{f}" if d else f
        if p in shown:
            name = f"[{f}]({rel_link(page, page_of(tree, p))})"
            what = "page" if p.startswith("Documentation/") and \
                p.endswith(".md") else "file"
        else:
            name, what = f, "file (no page: not named in the book)"
        lines.append(f"| {name} | {what} |")
    return "\n".join(lines) + "\n"


def prepare(tree, out):
    """Write out/src and out/mkdocs.yml; return the Rewriter used."""
    src = os.path.join(out, "src")
    for d in (src, os.path.join(out, "srchtml")):
        if os.path.exists(d):
            shutil.rmtree(d)
    rw = Rewriter(tree)

    # The book: Documentation's Markdown, and the home page.
    books = {"README.md": "index.md"}
    for f in sorted(tree.files):
        if f.startswith("Documentation/") and f.endswith(".md"):
            books[f] = page_of(tree, f)
    titles = {}
    texts = {}
    for f, page in books.items():
        with open(os.path.join(tree.root, f), encoding="utf-8") as fh:
            texts[f] = fh.read()
        titles[page] = first_heading(texts[f], f)
    for f, page in books.items():
        write(os.path.join(src, page), rw.markdown(f, page, texts[f]))

    # The tree: the files and folders the book names, and what they name.
    files, dirs, tree_md = select_tree(tree, rw, books)
    for page, body in tree_md.values():
        titles[page] = page
    fmt = SourceFormatter()
    for f in sorted(files):
        page = page_of(tree, f)
        head = heading_path(tree, page, f, dirs) + "\n\n"
        named = named_by_md(rw, titles, page, f)
        if f in tree_md:
            body = "---\n\n" + tree_md[f][1]
        else:
            body = source_body(tree, out, fmt, f, page)
        write(os.path.join(src, page), head + named + body)
    for d in sorted(dirs):
        page = page_of(tree, d)
        write(os.path.join(src, page),
              listing(tree, rw, titles, d, page, files | set(books), dirs))

    # Styles: Pygments' classes, and the site's own.
    write(os.path.join(src, "css", "pygments.css"),
        HtmlFormatter().get_style_defs(".highlight") + "\n")
    shutil.copy(os.path.join(HERE, "eclipse.css"),
        os.path.join(src, "css", "eclipse.css"))

    # The configuration, from the template.
    with open(os.path.join(HERE, "mkdocs.yml"), encoding="utf-8") as fh:
        conf = yaml.safe_load(fh)
    conf["nav"] = build_nav(tree, os.path.join(tree.root,
        "Documentation"), titles)
    theme_dir = os.path.join(out, "theme")
    if os.path.exists(theme_dir):
        shutil.rmtree(theme_dir)
    shutil.copytree(os.path.join(HERE, "theme"), theme_dir)
    conf["theme"]["custom_dir"] = "theme"
    shutil.copy(os.path.join(HERE, "hooks.py"), os.path.join(out, "hooks.py"))
    conf["hooks"] = ["hooks.py"]
    conf["theme"]["jquery"] = find_jquery(conf["theme"]["name"])
    with open(os.path.join(out, "mkdocs.yml"), "w", encoding="utf-8") as fh:
        fh.write("# Written by Documentation/docs/gensite.py from "
            "Documentation/docs/mkdocs.yml.\n")
        yaml.safe_dump(conf, fh, sort_keys=False, allow_unicode=True)
    return rw


def find_jquery(theme):
    """Return the jQuery file the installed MkDocs theme ships.

    Debian's readthedocs theme links js/jquery-*.min.js to its own jQuery
    under another version's name than the template asks for; the site's
    main.html loads the file that is there.
    """
    tdir = os.path.join(os.path.dirname(mkdocs.__file__), "themes", theme)
    found = sorted(glob.glob(os.path.join(tdir, "js", "jquery*.js")))
    if not found:
        raise SiteError(f"no jQuery in MkDocs' {theme} theme ({tdir}/js)")
    return "js/" + os.path.basename(found[-1])


def trim_search(site):
    """Drop the source tree's pages from the search index."""
    path = os.path.join(site, "search", "search_index.json")
    with open(path, encoding="utf-8") as f:
        index = json.load(f)
    before = len(index["docs"])
    index["docs"] = [d for d in index["docs"]
        if not d["location"].startswith("tree/")]
    with open(path, "w", encoding="utf-8") as f:
        json.dump(index, f)
    return before, len(index["docs"])


class PageLinks(HTMLParser):
    """The ids and the links (href, src) of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = set()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("id", "name") and v is not None:
                self.ids.add(v)
            if v and ((k == "href" and tag in ("a", "link")) or
                (k == "src" and tag in ("script", "img"))):
                self.links.append(v)


def check_site(site):
    """Return (pages, links checked, [problems]) for the built site."""
    pages = {}
    for d, _, files in os.walk(site):
        for f in files:
            if f.endswith(".html"):
                p = os.path.relpath(os.path.join(d, f), site)
                parser = PageLinks()
                with open(os.path.join(d, f), encoding="utf-8") as fh:
                    parser.feed(fh.read())
                pages[p.replace(os.sep, "/")] = parser
    problems = []
    checked = 0
    for p, parser in sorted(pages.items()):
        for link in parser.links:
            if SCHEME.match(link) or link.startswith("//"):
                continue
            checked += 1
            path, _, frag = link.partition("#")
            path = path.split("?")[0]
            if path.startswith("/"):
                target = posixpath.normpath(html.unescape(path)[1:] or ".")
            elif path:
                target = posixpath.normpath(posixpath.join(
                    posixpath.dirname(p), html.unescape(path)))
                if os.path.isdir(os.path.join(site, target)):
                    target = posixpath.join(target, "index.html")
            else:
                target = p
            if not os.path.isfile(os.path.join(site, target)):
                problems.append(f"{p}: link {link}: no {target}")
            elif frag and target.endswith(".html") and \
                frag not in pages[target].ids:
                problems.append(f"{p}: link {link}: no #{frag} "
                    f"in {target}")
    return len(pages), checked, problems


def print_mkdocs_log(log):
    """Print MkDocs' output but its INFO lines (the source pages are not
    in the nav, by design; that is all they would say)."""
    info = False
    for line in log.splitlines():
        plain = re.sub(r"\x1b\[[0-9;]*m", "", line)
        if plain.startswith("INFO"):
            info = True
        elif not (info and plain.startswith(("  - ", "   "))):
            info = False
            print(f"docs: mkdocs: {plain}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tree", default=".", help="the source tree")
    ap.add_argument("--out", default="build/docs", help="output folder")
    ap.add_argument("--no-build", action="store_true",
        help="only write OUT/src and OUT/mkdocs.yml")
    args = ap.parse_args()
    tree = Tree(os.path.abspath(args.tree))
    out = os.path.abspath(args.out)
    try:
        rw = prepare(tree, out)
    except SiteError as e:
        print(f"docs: {e}", file=sys.stderr)
        return 1
    for e in rw.errors:
        print(f"docs: {e}", file=sys.stderr)
    if rw.errors:
        print(f"docs: {len(rw.errors)} broken links", file=sys.stderr)
        return 1
    if args.no_build:
        return 0
    site = os.path.join(out, "site")
    r = subprocess.run(["mkdocs", "build", "--strict", "--clean",
                        "--config-file", os.path.join(out, "mkdocs.yml")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    print_mkdocs_log(r.stdout)
    if r.returncode != 0:
        print("docs: mkdocs build --strict failed", file=sys.stderr)
        return 1
    before, after = trim_search(site)
    npages, nlinks, problems = check_site(site)
    for p in problems:
        print(f"docs: broken link: {p}", file=sys.stderr)
    print(f"docs: {npages} pages ({after} search entries; "
          f"{before - after} of source pages left out), {nlinks} links "
          f"checked, {len(problems)} broken; site in {site}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
