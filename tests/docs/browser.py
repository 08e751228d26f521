#!/usr/bin/env python3
"""Test the documentation site in a real browser: every page, every link.

    browser.py [--site build/docs/site] [--shots build/docs/screenshots]

Serves the site (`make docs` builds it) with Python's http.server on
127.0.0.1 at a free port and drives Debian's headless Chromium through
chromedriver (python3-selenium):

- every page of the site is loaded: the server answered 200 for it and
  for everything it pulled in (styles, scripts, fonts), it has a title,
  and the browser logged no severe console error;
- every link of every page to the site itself (href; the #anchor too) is
  followed: the target page must exist and hold an element with that id,
  a file that is not a page must be served;
- the search box works: a word typed into it on the home page leads to
  search results, and the first result is a page of the site;
- screenshots of the home page and of the procfs chapter are written to
  SHOTS/index.png and SHOTS/procfs.png.

Prints one TAP line per page and per check, then a summary.  Exit status
1 on any failure.  Chromium runs as root in CI: it is started with
--no-sandbox, --headless=new, --disable-gpu and a throwaway profile.
"""
import argparse
import functools
import http.server
import os
import queue
import shutil
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

DEBIAN_PYTHON = "/usr/bin/python3"

try:
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
except ImportError:
    # Debian's python3-selenium lives in the system Python; a python3
    # found first on PATH (pyenv, a venv) may not see it.
    if os.path.exists(DEBIAN_PYTHON) and \
            os.path.realpath(sys.executable) != \
            os.path.realpath(DEBIAN_PYTHON):
        os.execv(DEBIAN_PYTHON, [DEBIAN_PYTHON] + sys.argv)
    print("Bail out! python3-selenium is not installed (make deps-docs)")
    sys.exit(1)

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SEARCH_WORD = "vnode"
CHAPTER = "tutorial/procfs.html"
PAGE_TIMEOUT = 30

# The JavaScript that reads a loaded page: its title, its ids and names
# (one string), every distinct link out of it (resolved URLs), and its
# links to itself: how many, and those whose #anchor is not on the page.
READ_PAGE = """
var ids = new Set();
document.querySelectorAll('[id]').forEach(function (e) { ids.add(e.id); });
document.querySelectorAll('a[name]').forEach(function (e) {
    ids.add(e.getAttribute('name'));
});
var here = location.href.split('#')[0];
var links = new Set(), self = 0, missing = [];
document.querySelectorAll('a[href]').forEach(function (a) {
    var h = a.href, cut = h.indexOf('#');
    if (cut >= 0 && h.slice(0, cut) === here) {
        self++;
        if (!ids.has(decodeURIComponent(h.slice(cut + 1))))
            missing.push(h);
    } else {
        links.add(h);
    }
});
return [document.title, Array.from(ids).join('\\n'), Array.from(links),
        self, missing];
"""


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site and remembers the status of every request."""

    def log_message(self, fmt, *args):
        pass

    def log_request(self, code="-", size="-"):
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        ref = self.headers.get("Referer", "").split("#")[0]
        self.server.statuses.append((ref, path, int(code)))


class Tap:
    """Numbered TAP lines, and the count of failures."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def result(self, ok, what, why=""):
        self.n += 1
        if not ok:
            self.failed += 1
        line = f"{'ok' if ok else 'not ok'} {self.n} - {what}"
        print(line + (f": {why}" if why else ""), flush=True)


def start_server(site):
    """Serve site on 127.0.0.1 at a free port; return (server, base URL)."""
    handler = functools.partial(Handler, directory=site)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.statuses = []
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def start_browser(profile):
    """Return a WebDriver for headless Chromium with a throwaway profile."""
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
              "--disable-dev-shm-usage", f"--user-data-dir={profile}",
              "--window-size=1280,900", "--no-first-run",
              "--disable-extensions", "--disable-background-networking"):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(PAGE_TIMEOUT)
    return driver


def site_pages(site):
    """Return the site's HTML pages, relative paths with '/', sorted."""
    pages = []
    for d, _, files in os.walk(site):
        for f in files:
            if f.endswith(".html"):
                rel = os.path.relpath(os.path.join(d, f), site)
                pages.append(rel.replace(os.sep, "/"))
    return sorted(pages)


def load_page(driver, base, page):
    """Load one page; return (problems, title, ids, links out, number of
    links to itself, all checked).  Its HTTP statuses are judged later,
    from the server's record."""
    problems = []
    try:
        driver.get(base + page)
        title, ids, links, nself, missing = driver.execute_script(READ_PAGE)
    except WebDriverException as e:
        return [f"not loaded: {e.msg}"], "", set(), [], 0
    if not title.strip():
        problems.append("no title")
    for entry in driver.get_log("browser"):
        if entry.get("level") == "SEVERE":
            problems.append("console: " + entry.get("message", "")[:200])
    for m in missing[:5]:
        problems.append(f"link {m}: no such anchor on the page")
    return problems, title, set(ids.split("\n")), links, nself


def load_all(base, pages, profiles, jobs):
    """Load every page, jobs browsers at a time; return {page: result of
    load_page}."""
    todo = queue.Queue()
    for p in pages:
        todo.put(p)
    results = {}
    errors = []

    def worker(profile):
        try:
            driver = start_browser(profile)
        except WebDriverException as e:
            errors.append(e.msg)
            return
        try:
            while True:
                try:
                    page = todo.get_nowait()
                except queue.Empty:
                    return
                results[page] = load_page(driver, base, page)
        finally:
            driver.quit()

    threads = [threading.Thread(target=worker, args=(profiles[i],))
               for i in range(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors and len(results) < len(pages):
        raise WebDriverException(errors[0])
    return results


def http_problems(server, base, page):
    """Return what went wrong serving page and what it pulled in."""
    path = "/" + page
    url = base + page
    problems = []
    mine = [c for _, p, c in server.statuses if p == path]
    if 200 not in mine or any(c >= 400 for c in mine):
        problems.append(f"HTTP {mine or 'no request'}")
    for ref, p, c in server.statuses:
        if ref == url and c >= 400:
            problems.append(f"{p}: HTTP {c}")
    return problems


def check_requests(tap, server):
    """Every request the browsers made was served."""
    bad = [(ref, p, c) for ref, p, c in server.statuses if c >= 400]
    for ref, p, c in bad[:10]:
        print(f"# HTTP {c} for {p} (from {ref or 'no referer'})")
    tap.result(not bad, f"requests: {len(server.statuses)} made, every one "
               "served", f"{len(bad)} failed" if bad else "")


def check_links(tap, base, pages, loaded, nself):
    """Check the links between pages (those within a page were checked as
    it was loaded: nself of them); return (links, anchors)."""
    broken = []
    others = {}
    nlinks = nself
    nanchors = nself
    for page in pages:
        for link in loaded[page][1]:
            if not link.startswith(base):
                continue
            nlinks += 1
            url = urllib.parse.urlsplit(link)
            target = urllib.parse.unquote(url.path[1:])
            if target == "" or target.endswith("/"):
                target += "index.html"
            if target in loaded:
                if url.fragment:
                    nanchors += 1
                    frag = urllib.parse.unquote(url.fragment)
                    if frag not in loaded[target][0]:
                        broken.append(f"{page}: {link}: no #{frag}")
            elif target.endswith(".html"):
                broken.append(f"{page}: {link}: no such page")
            else:
                others.setdefault(target, []).append(page)
    for target, where in sorted(others.items()):
        try:
            with urllib.request.urlopen(base + urllib.parse.quote(target),
                                        timeout=PAGE_TIMEOUT) as r:
                ok = r.status == 200
        except urllib.error.URLError:
            ok = False
        if not ok:
            broken.append(f"{where[0]}: {target}: not served")
    for b in broken[:20]:
        print(f"# broken link: {b}")
    tap.result(not broken, f"links: {nlinks} links to the site "
               f"({nself} within a page), {nanchors} with an #anchor",
               f"{len(broken)} broken" if broken else "")
    return nlinks, nanchors


def check_search(tap, driver, base):
    """Type a word into the home page's search box, wait for results."""
    try:
        driver.get(base + "index.html")
        box = driver.find_element(By.CSS_SELECTOR,
                                  "#rtd-search-form input[name=q]")
        box.send_keys(SEARCH_WORD)
        box.send_keys(Keys.RETURN)
        results = []
        deadline = time.monotonic() + PAGE_TIMEOUT
        while time.monotonic() < deadline and not results:
            results = driver.find_elements(
                By.CSS_SELECTOR, "#mkdocs-search-results article h3 a")
            time.sleep(0.2)
        if not results:
            text = driver.find_element(By.ID, "mkdocs-search-results").text
            tap.result(False, f"search '{SEARCH_WORD}'",
                       f"no results ({text.strip()[:80]!r})")
            return
        first = results[0].get_attribute("href")
        n = len(results)
        driver.get(first)
        ok = first.startswith(base) and SEARCH_WORD in \
            driver.page_source.lower()
        tap.result(ok, f"search '{SEARCH_WORD}': {n} results, the first "
                   f"({first[len(base):]}) names it")
    except WebDriverException as e:
        tap.result(False, f"search '{SEARCH_WORD}'", e.msg)


def screenshot(tap, driver, base, page, path):
    """Save a screenshot of page into path."""
    try:
        driver.get(base + page)
        ok = driver.save_screenshot(path) and os.path.getsize(path) > 0
        tap.result(ok, f"screenshot of {page}: {path}")
    except WebDriverException as e:
        tap.result(False, f"screenshot of {page}", e.msg)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--site", default="build/docs/site")
    ap.add_argument("--shots", default="build/docs/screenshots")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                    help="browsers loading pages at once (default: 2, or "
                    "1 on one CPU)")
    args = ap.parse_args()
    start = time.monotonic()
    site = os.path.abspath(args.site)
    if not os.path.isfile(os.path.join(site, "index.html")):
        print(f"Bail out! no site in {site} (make docs)")
        return 1
    for f in (CHROMIUM, CHROMEDRIVER):
        if not os.path.exists(f):
            print(f"Bail out! {f} is missing (chromium, chromium-driver)")
            return 1
    pages = site_pages(site)
    print(f"1..{len(pages) + 5}")
    server, base = start_server(site)
    jobs = max(1, args.jobs)
    profiles = [tempfile.mkdtemp(prefix="eclipse-docs-chromium-")
                for _ in range(jobs)]
    tap = Tap()
    driver = None
    try:
        results = load_all(base, pages, profiles, jobs)
        loaded = {}
        nself = 0
        for page in pages:
            problems, title, ids, links, n = results[page]
            problems = http_problems(server, base, page) + problems
            loaded[page] = (ids, links)
            nself += n
            tap.result(not problems, f"page {page} ({title})",
                       "; ".join(problems))
        nlinks, nanchors = check_links(tap, base, pages, loaded, nself)
        driver = start_browser(profiles[0])
        check_search(tap, driver, base)
        os.makedirs(args.shots, exist_ok=True)
        screenshot(tap, driver, base, "index.html",
                   os.path.join(args.shots, "index.png"))
        screenshot(tap, driver, base, CHAPTER,
                   os.path.join(args.shots, "procfs.png"))
        check_requests(tap, server)
    except WebDriverException as e:
        print(f"Bail out! the browser: {e.msg}")
        return 1
    finally:
        if driver is not None:
            driver.quit()
        server.shutdown()
        for p in profiles:
            shutil.rmtree(p, ignore_errors=True)
    secs = time.monotonic() - start
    print(f"# {len(pages)} pages, {nlinks} links ({nanchors} with an "
          f"anchor), {tap.n - tap.failed} passed, {tap.failed} failed, "
          f"{secs:.0f} s")
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
