include tests/conformance/conformance.mk
include tests/posix/posix.mk
include tests/bench/bench.mk
include tests/profile/profile.mk
include tests/efs/crash/crash.mk
include tests/efs/vol/vol.mk
include tests/efs/mmap/mmap.mk

# Tests (Documentation/testing.md says how they are organised).
#
#   make unit                       build and run the unit tests (host TAP)
#   make check-system [TESTS=g,..]  build what the system tests need and run
#                                   them (all groups, or the groups named)
#   make check                      deps, kernel, image, iso, unit tests,
#                                   init's host tests, BusyBox's testsuite,
#                                   the conformance cases on this Linux,
#                                   system tests (the conformance cases in
#                                   EclipseOS among them), the conformance
#                                   report, errnocov.py --check and
#                                   syscalls-doc-check, then one summary
#                                   ending in "N passed, N failed"
#   make check-list                 the system-test groups
#
# check keeps going when a step fails (a build, a test) and counts the step
# as a failure in the summary, whose exit status is the verdict.  Logs,
# results and boot times go to $(BUILD)/test-logs, emptied by make check.
# ACCEL=tcg (or kvm) overrides distro/qemu-accel.sh for the system tests.

TEST_LOGS	:= $(BUILD)/test-logs
HARNESS		:= tests/system/harness.py
SUMMARY		:= tests/summary.py
UNIT_TIMEOUT	:= 120
ACCEL		?=
TESTS		?=
comma		:= ,

# ---------------------------------------------------------------------------
# Unit tests: tests/unit/test_NAME.c, plus the kernel sources listed one per
# line in tests/unit/test_NAME.srcs, plus tests/unit/shim.c, built for the
# host into $(BUILD)/unit/test_NAME.  Objects are per test (the flags may
# differ) under $(BUILD)/unit/test_NAME.obj/, with -MMD dependencies.

UNIT_NAMES	:= $(patsubst tests/unit/test_%.c,%,\
		   $(sort $(wildcard tests/unit/test_*.c)))
UNIT_BINS	:= $(UNIT_NAMES:%=$(BUILD)/unit/test_%)
UNIT_TAPS	:= $(UNIT_NAMES:%=$(TEST_LOGS)/unit/test_%.tap)
UNIT_CPPFLAGS	:= -DUNIT_TEST -Isys -Isys/arch/x86_64/include -Itests/unit \
		   -MMD -MP

# $(1) = NAME: the objects, flags and link of tests/unit/test_NAME.
define UNIT_RULES
UNIT_LIST_$(1)	:= $$(wildcard tests/unit/test_$(1).srcs)
UNIT_SRCS_$(1)	:= $$(strip $$(if $$(UNIT_LIST_$(1)),\
		   $$(file <$$(UNIT_LIST_$(1)))))
UNIT_OBJS_$(1)	:= $$(patsubst %.c,$$(BUILD)/unit/test_$(1).obj/%.o,\
		   tests/unit/test_$(1).c tests/unit/shim.c $$(UNIT_SRCS_$(1)))
UNIT_DEFS_$(1)	:= $$(if $$(filter sys/kern/subr_prf.c,$$(UNIT_SRCS_$(1))),\
		   -DUNIT_HAVE_KPRINTF)

$$(UNIT_OBJS_$(1)): $$(BUILD)/unit/test_$(1).obj/%.o: %.c $$(UNIT_LIST_$(1))
	@mkdir -p $$(@D)
	@echo "  HOSTCC  $$< (test_$(1))"
	$$(Q)$$(HOSTCC) $$(HOSTCFLAGS) $$(UNIT_CPPFLAGS) $$(UNIT_DEFS_$(1)) \
		-c -o $$@ $$<

$$(BUILD)/unit/test_$(1): $$(UNIT_OBJS_$(1)) $$(UNIT_LIST_$(1))
	@echo "  HOSTLD  $$@"
	$$(Q)$$(HOSTCC) $$(HOSTCFLAGS) -o $$@ $$(UNIT_OBJS_$(1))

-include $$(UNIT_OBJS_$(1):.o=.d)
endef

$(foreach n,$(UNIT_NAMES),$(eval $(call UNIT_RULES,$(n))))

# Running one: the TAP output to test_NAME.tap, the exit status to
# test_NAME.status.  It always succeeds; the summary judges.
$(TEST_LOGS)/unit/test_%.tap: $(BUILD)/unit/test_% tests-force
	@mkdir -p $(@D)
	@echo "  UNIT    test_$*"
	$(Q)timeout $(UNIT_TIMEOUT) $< > $@.tmp 2>&1; \
		echo $$? > $(@:.tap=.status); mv -f $@.tmp $@

unit-build: $(UNIT_BINS)

unit-run: $(UNIT_TAPS)

# A test that does not build counts as a failure; the others still run.
unit:
	$(Q)rm -rf $(TEST_LOGS)/unit $(TEST_LOGS)/build-failed
	+$(Q)$(MAKE) --no-print-directory -k unit-run || true
	$(Q)$(PYTHON) $(SUMMARY) --logs $(TEST_LOGS) --print-tap \
		--unit $(UNIT_NAMES)

# ---------------------------------------------------------------------------
# The eclipsefs tools' host tests: each tests/efs/test_NAME.py runs as
# `test_NAME.py --bin DIR` (DIR holds mkfs.eclipsefs, dumpe.eclipsefs and
# fsck.eclipsefs, sbin/efs.mk's host builds) and prints TAP; its output
# goes to $(TEST_LOGS)/efs/test_NAME.tap and its exit status beside it.

# EFS_TESTS=name,... runs only those; make check runs EFS_CHECK_TESTS
# (both: test_fsck, with its 500 damaged images, takes about 35 s).

EFS_TEST_NAMES	:= $(patsubst tests/efs/test_%.py,%,\
		   $(sort $(wildcard tests/efs/test_*.py)))
EFS_TESTS	?= $(EFS_TEST_NAMES)
EFS_RUN_NAMES	:= $(subst $(comma), ,$(EFS_TESTS))
EFS_CHECK_TESTS	:= mkfs fsck
EFS_TEST_TIMEOUT := 600

# Run them (make check does this step; a tool that does not build leaves
# no TAP, which the summary counts as a failure).
efs-tests-run:
	$(Q)rm -rf $(TEST_LOGS)/efs
	@mkdir -p $(TEST_LOGS)/efs
	+$(Q)$(MAKE) --no-print-directory efs-tools || exit 0; \
	for t in $(EFS_RUN_NAMES); do \
		echo "  EFS     tests/efs/test_$$t.py"; \
		timeout $(EFS_TEST_TIMEOUT) $(PYTHON) tests/efs/test_$$t.py \
			--bin $(EFS_HOST_DIR) > $(TEST_LOGS)/efs/test_$$t.tap 2>&1; \
		echo $$? > $(TEST_LOGS)/efs/test_$$t.status; \
	done

efs-tests: efs-tests-run
	$(Q)$(PYTHON) $(SUMMARY) --logs $(TEST_LOGS) --print-tap \
		--tap $(EFS_RUN_NAMES:%=efs/test_%.tap)

.PHONY: efs-tests efs-tests-run

# ---------------------------------------------------------------------------
# System tests: groups of tests, each group one harness process that boots
# QEMU (tests/system/suite_*.py).
#
# The list of groups is asked for inside the recipes, after `make deps`
# (which may be what installs python3): check and check-system write it to
# $(GROUPS_FILE), TESTS or else `harness.py --list`, and the later steps
# and the summary read it there.  The summary counts an empty or missing
# list as a failure, so a check that ran no system test cannot pass.

GROUPS_FILE	:= $(TEST_LOGS)/groups
HARNESS_ARGS	:= --build $(BUILD) --logs $(TEST_LOGS) \
		   --broken-file $(TEST_LOGS)/build-failed \
		   $(if $(ACCEL),--accel $(ACCEL))

# check-system-run is the step check and check-system call with TESTS
# set; run by hand without TESTS, it runs every group.
ifneq ($(filter check-system-run,$(MAKECMDGOALS)),)
SYSTEM_RUN	:= $(if $(TESTS),$(subst $(comma), ,$(TESTS)),\
		   $(shell $(PYTHON) $(HARNESS) --list))
endif

check-list:
	$(Q)$(PYTHON) $(HARNESS) --describe

check-accel:
	$(Q)$(PYTHON) $(HARNESS) $(HARNESS_ARGS) --accel-info

$(TEST_LOGS)/%.results: tests-force | check-accel
	$(Q)$(PYTHON) $(HARNESS) $(HARNESS_ARGS) --group $* || true

check-system-run: $(SYSTEM_RUN:%=$(TEST_LOGS)/%.results)

# deps first, then the group list into $(GROUPS_FILE), then what those
# groups need built, each step on its own so that a failure is known by
# name: it goes to build-failed, and the groups that need it report "not
# run".  When the harness cannot list the groups, no list is written and
# the summary reports that; a group it does not know (TESTS=...) stops
# the run.
define TESTS_BUILD
	+$(Q)$(MAKE) --no-print-directory deps || \
		echo deps >> $(TEST_LOGS)/build-failed
	$(Q)if [ -n "$(TESTS)" ]; then \
		echo "$(subst $(comma), ,$(TESTS))" > $(GROUPS_FILE); \
	elif $(PYTHON) $(HARNESS) --list > $(GROUPS_FILE).tmp; then \
		mv -f $(GROUPS_FILE).tmp $(GROUPS_FILE); \
	else \
		rm -f $(GROUPS_FILE).tmp; \
		echo "tests: harness.py --list failed" >&2; \
	fi
	+$(Q)[ -f $(GROUPS_FILE) ] || exit 0; \
	needs=$$($(PYTHON) $(HARNESS) --needs $$(cat $(GROUPS_FILE))) \
		|| exit 1; \
	for t in $$needs; do \
		$(MAKE) --no-print-directory $$t || \
		    echo $$t >> $(TEST_LOGS)/build-failed; \
	done
endef

# Run the groups $(GROUPS_FILE) names (none: nothing to run; the summary
# says so).
define TESTS_RUN
	+$(Q)groups="$$(cat $(GROUPS_FILE) 2>/dev/null)"; \
	[ -z "$$groups" ] || $(MAKE) --no-print-directory check-system-run \
		TESTS="$$groups" || true
endef

check-system:
	$(Q)mkdir -p $(TEST_LOGS)
	$(Q)rm -f $(TEST_LOGS)/build-failed $(GROUPS_FILE)
	$(TESTS_BUILD)
	$(Q)for g in $$(cat $(GROUPS_FILE) 2>/dev/null); do \
		rm -f $(TEST_LOGS)/$$g.results; \
	done
	$(TESTS_RUN)
	$(Q)$(PYTHON) $(SUMMARY) --logs $(TEST_LOGS) \
		--groups-file $(GROUPS_FILE)

# $(call CHECK_STEP,NAME,COMMAND): run COMMAND as one result of make
# check.  Its output goes to $(TEST_LOGS)/steps/NAME.log; steps/NAME.tap
# holds one TAP line, "ok" when it exits 0, else "not ok" with the last
# line it printed that is not make's own (the summary reads it with --tap
# steps/NAME.tap).
define CHECK_STEP
	$(Q)mkdir -p $(TEST_LOGS)/steps; \
	log=$(TEST_LOGS)/steps/$(1).log; \
	echo "  STEP    $(1) ($$log)"; \
	if $(2) > $$log 2>&1; then \
		line="ok 1 - $(1)"; \
	else \
		line="not ok 1 - $(1): $$(grep -v '^make' $$log | \
		    tail -n 1) (see $$log)"; \
	fi; \
	printf '1..1\n%s\n' "$$line" > $(TEST_LOGS)/steps/$(1).tap; \
	echo 0 > $(TEST_LOGS)/steps/$(1).status; \
	tail -n 1 $$log
endef

# The conformance steps, after the system tests (whose conformance group
# is the EclipseOS run): the host run (root; a case failing on Linux is
# broken), the report from both runs (Documentation/conformance.md), the
# documented errnos without a case or a reason, and
# Documentation/syscalls.md against the report of this run; then the
# course: its chapters' names and layout (course-truth), its exercises'
# patches and checkpoints (exercises-apply), and the documentation site,
# built and loaded page by page in Chromium (docs-site).
CHECK_STEPS	:= conformance-host conformance-report errnocov \
		   syscalls-doc-check course-truth docs-site
include tests/exercises/exercises.mk

check:
	$(Q)rm -rf $(TEST_LOGS) $(CONF_RUNS)
	$(Q)mkdir -p $(TEST_LOGS)
	$(TESTS_BUILD)
	+$(Q)$(MAKE) --no-print-directory docs || \
		echo docs >> $(TEST_LOGS)/build-failed
	+$(Q)$(MAKE) --no-print-directory posix-check || \
		echo posix-check >> $(TEST_LOGS)/build-failed
	+$(Q)$(MAKE) --no-print-directory init-tests || true
	+$(Q)$(MAKE) --no-print-directory efs-tests-run \
		EFS_TESTS="$(EFS_CHECK_TESTS)" || true
	+$(Q)$(MAKE) --no-print-directory busybox-check || true
	+$(Q)$(MAKE) --no-print-directory -k unit-run || true
	+$(Q)$(MAKE) --no-print-directory conformance-build || \
		echo conformance-build >> $(TEST_LOGS)/build-failed
	$(call CHECK_STEP,conformance-host,$(PYTHON) tests/conformance/run.py \
		--build $(BUILD) --quiet)
	$(TESTS_RUN)
	$(call CHECK_STEP,conformance-report,$(PYTHON) \
		tests/conformance/report.py --build $(BUILD) --inputs-only)
	$(call CHECK_STEP,errnocov,$(PYTHON) tests/conformance/errnocov.py \
		--build $(BUILD) --check)
	$(call CHECK_STEP,syscalls-doc-check,$(MAKE) --no-print-directory \
		syscalls-doc-check)
	$(call CHECK_STEP,course-truth,{ $(PYTHON) tests/course/test_course.py \
		&& $(PYTHON) tests/course/truth.py; })
	$(call CHECK_STEP,exercises-apply,$(MAKE) --no-print-directory \
		exercises-apply)
	$(call CHECK_STEP,docs-site,$(MAKE) --no-print-directory docs-site)
	$(Q)$(PYTHON) $(SUMMARY) --logs $(TEST_LOGS) --unit $(UNIT_NAMES) \
		--tap init/init.tap busybox/busybox.tap \
		$(EFS_CHECK_TESTS:%=efs/test_%.tap) \
		$(CHECK_STEPS:%=steps/%.tap) \
		--groups-file $(GROUPS_FILE)

tests-force:

.PHONY: unit unit-build unit-run check check-system check-system-run \
	check-list check-accel tests-force
