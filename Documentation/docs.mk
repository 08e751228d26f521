# Documentation (Documentation/docs/README.md says how the site is made).
#
#   make docs       check that the tutorial's index and its chapters agree
#                   (every chapter the index lists exists, every chapter
#                   file is listed), then build the HTML book of all of
#                   Documentation/ with MkDocs into $(BUILD)/docs/site
#   make docs-test  load every page of the site in headless Chromium:
#                   pages, links, #anchors, search, screenshots in
#                   $(BUILD)/docs/screenshots (tests/docs/browser.py)
#   make docs-site  both; make check runs it as its docs-site step
#
# The site is built again only when a file of the tree changed (every
# page may name any file).  The tools are Debian packages, DOCS_PACKAGES,
# installed by distro/hostdeps.sh as `make deps` installs HOST_PACKAGES,
# with their own stamp: `make run` does not need a browser.

DOCS_OUT	:= $(BUILD)/docs
DOCS_STAMP	:= $(DOCS_OUT)/site/.built
DOCS_PACKAGES	:= mkdocs chromium chromium-driver python3-selenium
DOCS_DEPS_STAMP	:= $(BUILD)/.deps-docs-ok

# Debian's mkdocs, Pygments and Selenium are the system Python's modules;
# a python3 found first on PATH (pyenv, a venv) may not have them.
DOCS_PYTHON	?= $(if $(wildcard /usr/bin/python3),/usr/bin/python3,$(PYTHON))

# The tree's files, listed only when a docs goal is asked for.
ifneq ($(filter docs docs-site check,$(MAKECMDGOALS)),)
DOCS_INPUTS	:= $(wildcard $(shell git ls-files --cached --others \
		   --exclude-standard 2>/dev/null || \
		   find Documentation README.md -type f))
endif

docs: $(DOCS_STAMP)
	$(Q)$(PYTHON) Documentation/tutorial/check-index.py Documentation/tutorial

$(DOCS_STAMP): $(DOCS_INPUTS) | deps-docs
	@echo "  DOCS    $(DOCS_OUT)/site"
	$(Q)$(DOCS_PYTHON) Documentation/docs/gensite.py --tree . \
		--out $(DOCS_OUT)
	$(Q)touch $@

docs-test:
	$(Q)$(DOCS_PYTHON) tests/docs/browser.py --site $(DOCS_OUT)/site \
		--shots $(DOCS_OUT)/screenshots

docs-site: docs
	+$(Q)$(MAKE) --no-print-directory docs-test

ifeq ($(strip $(file <$(DOCS_DEPS_STAMP))),$(strip $(DOCS_PACKAGES)))
deps-docs:
else
deps-docs:
	$(Q)sh distro/hostdeps.sh $(DOCS_DEPS_STAMP) $(DOCS_PACKAGES)
endif

.PHONY: docs docs-test docs-site deps-docs
