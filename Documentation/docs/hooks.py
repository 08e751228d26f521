"""MkDocs hooks of the EclipseOS site (gensite.py lists this file).

A source file's page (tree/PATH.md) holds only a marker paragraph; the
file's highlighted HTML, which gensite.py wrote to srchtml/PATH.html beside
mkdocs.yml, replaces the marker in the finished page.  Doing it after the
page is rendered keeps tens of megabytes of markup out of Markdown's
parser and out of the search plugin, which is what makes the build fast.
"""
import os

MARKER = "<p>ECLIPSE-SOURCE-VIEW</p>"


def on_post_page(output, page, config):
    """Return the page's HTML with its source view put in place."""
    src = page.file.src_path.replace(os.sep, "/")
    if not src.startswith("tree/") or MARKER not in output:
        return output
    side = os.path.join(os.path.dirname(config.config_file_path), "srchtml",
                        src[len("tree/"):-len(".md")] + ".html")
    with open(side, encoding="utf-8") as f:
        return output.replace(MARKER, f.read(), 1)
