# Documentation: `make docs` checks that the tutorial's index and its
# chapters agree: every chapter the index lists exists, and every chapter
# file is listed.

docs:
	$(Q)$(PYTHON) Documentation/tutorial/check-index.py Documentation/tutorial

.PHONY: docs
