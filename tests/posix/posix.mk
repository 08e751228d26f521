# The Open POSIX Test Suite (Documentation/posix-tests.md).
#
#   make posix-tests      fetch the suite (once), build it with musl, run it
#                         on the host Linux (isolated, as root) and in
#                         EclipseOS, print both side by side
#   make posix-baseline   write tests/posix/baseline from the last
#                         posix-tests run (FORCE=1 to lower the EclipseOS
#                         pass count)
#   make posix-check      make check's step: the tests the baseline says
#                         pass in EclipseOS still pass there
#   make posix-source     only fetch and check the suite's source
#
# The source package is cached outside the build tree, in POSIX_CACHE
# (default $XDG_CACHE_HOME/eclipseos/sources, or ~/.cache/...), and checked
# against the sha256 in tests/posix/source.sha256.  Knobs: POSIX_TIMEOUT
# (seconds per test, default 60), POSIX_JOBS (host shards), ACCEL.

POSIX_PIN	:= tests/posix/source.sha256
POSIX_BASELINE	:= tests/posix/baseline
POSIX_CACHE	?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/eclipseos/sources
POSIX_TARBALL	:= $(POSIX_CACHE)/$(filter %.orig.tar.gz %.orig.tar.xz \
		   %.orig.tar.bz2,$(file <$(POSIX_PIN)))
POSIX_TIMEOUT	?=
POSIX_JOBS	?=
POSIX_ARGS	= --build $(BUILD) --tarball $(POSIX_TARBALL) \
		  --baseline $(POSIX_BASELINE) $(if $(ACCEL),--accel $(ACCEL)) \
		  $(if $(POSIX_TIMEOUT),--timeout $(POSIX_TIMEOUT)) \
		  $(if $(POSIX_JOBS),--jobs $(POSIX_JOBS))

posix-source:
	$(Q)sh distro/hostsrc.sh $(POSIX_PIN) $(POSIX_CACHE) \
		$(BUILD)/.deps-src-ok

posix-tests: posix-source kernel | deps
	$(Q)$(PYTHON) tests/posix/posixtests.py tests $(POSIX_ARGS)

posix-baseline:
	$(Q)$(PYTHON) tests/posix/posixtests.py baseline $(POSIX_ARGS) \
		$(if $(FORCE),--force)

# The suite is fetched only when the baseline names tests to run.
posix-check: kernel | deps
	$(Q)if grep -q '^pass ' $(POSIX_BASELINE); then \
		sh distro/hostsrc.sh $(POSIX_PIN) $(POSIX_CACHE) \
		    $(BUILD)/.deps-src-ok || exit 1; \
	fi
	$(Q)$(PYTHON) tests/posix/posixtests.py check $(POSIX_ARGS) \
		--logs $(TEST_LOGS)

.PHONY: posix-source posix-tests posix-baseline posix-check
