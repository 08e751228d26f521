#!/usr/bin/env python3
"""Check that the tutorial's index and its chapters agree.

Every chapter the index links to must exist; every chapter file in the
folder must be linked from the index; every chapter must have the parts
the index promises (a 'Try it' section and an exercise).  Prints one line
per problem and exits 1 if there is any.
"""
import os
import re
import sys


def main(folder):
    index = os.path.join(folder, "README.md")
    with open(index, encoding="utf-8") as f:
        text = f.read()
    linked = re.findall(r"\]\(([a-z0-9-]+\.md)\)", text)
    problems = []
    for name in linked:
        if not os.path.exists(os.path.join(folder, name)):
            problems.append(f"{name}: listed in the index but missing")
    for name in sorted(os.listdir(folder)):
        if name.endswith(".md") and name != "README.md" and name not in linked:
            problems.append(f"{name}: not listed in the index")
    for name in linked:
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            chapter = f.read().lower()
        if not re.search(r"^#+ .*try it", chapter, re.M):
            problems.append(f"{name}: no 'Try it' section")
        if "exercise" not in chapter:
            problems.append(f"{name}: no exercise")
    for p in problems:
        print(f"docs: {p}")
    print(f"docs: {len(linked)} chapters, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "Documentation/tutorial"))
