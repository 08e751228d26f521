# Conformance tests: system calls checked on the host Linux (the reference)
# and inside EclipseOS (Documentation/conformance.md).
#
#   make conformance		the whole run: build the suite, run it on
#				this Linux (as root) and inside EclipseOS
#				under QEMU, and write the report,
#				$(BUILD)/conformance/report.md and .json
#				(tests/conformance/report.py); fails when a
#				case fails on Linux or EclipseOS fails one
#				that known-failures does not list
#   make conformance-build	build every test program, the runner and the
#				list into $(BUILD)/conformance
#   make conformance-host	run them on this Linux, isolated (namespaces,
#				rlimits, nobody where a case could harm the
#				host); writes $(BUILD)/conformance/host.json
#   make conformance-report	the report again, from the last two runs
#   make initramfs-tests	$(BUILD)/initramfs-tests.cpio: /tests/runner
#				(PID 1), /tests/list and every test, for
#				`make check-system TESTS=conformance`
#
# A test is tests/conformance/<family>/<name>.c, built with musl-gcc -static
# against lib/libtap and tests/conformance/conf.c into
# $(BUILD)/conformance/<family>/<name>.  A line "/* conformance: WORD... */"
# in its source gives run.py its tags (unprivileged, timeout=S, nproc=N).
# Data files the tests execve, <family>/<name>.in and .hex, are made by
# mkdata.py, once for the host and once for the initramfs (paths differ).
# CONF_EXTRA: programs other makefiles build into $(CONF_DIR) for the tests
# (<family>/<file>), copied into the initramfs beside them.
# Helpers under tests/conformance/<family>/helpers/ are not tests: this
# makefile builds each as it needs (process/execve_dyn is dynamically
# linked, and the test initramfs gets musl's dynamic linker for it).

CONF_CC		:= musl-gcc
CONF_CFLAGS	:= -std=gnu11 -O1 -g -Wall -Wextra -Werror -static \
		   -D_GNU_SOURCE -Ilib/libtap -Itests/conformance -MMD -MP
CONF_DIR	:= $(BUILD)/conformance
CONF_ROOT	:= $(BUILD)/initramfs-tests-root
CONF_CPIO	:= $(BUILD)/initramfs-tests.cpio
MKINITRAMFS	?= distro/mkinitramfs.py

CONF_SRCS	:= $(sort $(wildcard tests/conformance/*/*.c))
CONF_NAMES	:= $(patsubst tests/conformance/%.c,%,$(CONF_SRCS))
CONF_BINS	:= $(CONF_NAMES:%=$(CONF_DIR)/%)
CONF_DATA_SRCS	:= $(sort $(wildcard tests/conformance/*/*.in \
		   tests/conformance/*/*.hex))
CONF_DATA	:= $(basename $(patsubst tests/conformance/%,%,\
		   $(CONF_DATA_SRCS)))
CONF_LIBOBJS	:= $(CONF_DIR)/obj/tap.o $(CONF_DIR)/obj/conf.o

$(CONF_DIR)/obj/tap.o: lib/libtap/tap.c | deps
	@mkdir -p $(@D)
	@echo "  MUSLCC  $<"
	$(Q)$(CONF_CC) $(CONF_CFLAGS) -c -o $@ $<

$(CONF_DIR)/obj/conf.o: tests/conformance/conf.c | deps
	@mkdir -p $(@D)
	@echo "  MUSLCC  $<"
	$(Q)$(CONF_CC) $(CONF_CFLAGS) -c -o $@ $<

$(CONF_BINS): $(CONF_DIR)/%: tests/conformance/%.c $(CONF_LIBOBJS)
	@mkdir -p $(@D)
	@echo "  MUSLCC  $<"
	$(Q)$(CONF_CC) $(CONF_CFLAGS) -o $@ $< $(CONF_LIBOBJS)

# process/execve_interp's helper: linked with plain musl-gcc (no -static),
# so it names /lib/ld-musl-x86_64.so.1 in PT_INTERP; the host has that
# file, and the test initramfs gets musl's libc.so there (CONF_LDSO), as
# the image does (distro/initramfs.mk).
CONF_DYN	:= $(CONF_DIR)/process/execve_dyn
CONF_LDSO	:= lib/ld-musl-x86_64.so.1

$(CONF_DYN): tests/conformance/process/helpers/execve_dyn.c | deps
	@mkdir -p $(@D)
	@echo "  MUSLCC  $< (dynamic)"
	$(Q)$(CONF_CC) $(filter-out -static -MMD -MP,$(CONF_CFLAGS)) -o $@ $<

$(CONF_DIR)/process/execve_interp: $(CONF_DYN)
CONF_EXTRA	+= process/execve_dyn

# $(CONF_DIR)/names holds the names this run builds, rewritten only when
# they change (CONF_SRCS="..." picks a subset): the list and the
# initramfs follow a subset, and the whole suite after it.
CONF_NAMES_FILE	:= $(CONF_DIR)/names

$(CONF_NAMES_FILE): conf-names-force
	@mkdir -p $(@D)
	$(Q)echo "$(CONF_NAMES)" > $@.tmp
	$(Q)if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi

conf-names-force:

# The list: one test a line, "<family>/<name> [tag...]".
$(CONF_DIR)/list: $(CONF_SRCS) $(CONF_NAMES_FILE) \
	tests/conformance/conformance.mk
	@mkdir -p $(@D)
	@echo "  LIST    $@"
	$(Q)for n in $(CONF_NAMES); do \
		tags=$$(sed -n 's|^/\* conformance: \(.*\) \*/$$|\1|p' \
		    tests/conformance/$$n.c | head -n 1); \
		echo "$$n$${tags:+ $$tags}"; \
	done > $@.tmp
	$(Q)mv -f $@.tmp $@

# The runner carries the list too, for a kernel that cannot open files yet.
$(CONF_DIR)/runner_list.h: $(CONF_DIR)/list
	@echo "  GEN     $@"
	$(Q){ echo "/* DO NOT EDIT: made from $< by conformance.mk. */"; \
		sed 's|^\([^ ]*\).*|	"\1",|' $<; } > $@.tmp
	$(Q)mv -f $@.tmp $@

$(CONF_DIR)/runner: tests/conformance/runner.c $(CONF_DIR)/runner_list.h \
	| deps
	@echo "  MUSLCC  $<"
	$(Q)$(CONF_CC) $(CONF_CFLAGS) -I$(CONF_DIR) -o $@ $<

# Data files for the host: their paths name $(CONF_DIR).
$(CONF_DATA:%=$(CONF_DIR)/%): $(CONF_DIR)/%: tests/conformance/mkdata.py
	@echo "  DATA    $@"
	$(Q)$(PYTHON) tests/conformance/mkdata.py \
		$(firstword $(wildcard tests/conformance/$*.in \
		tests/conformance/$*.hex)) $@ $(abspath $(CONF_DIR))

$(foreach d,$(CONF_DATA),$(eval $(CONF_DIR)/$(d): \
	$(filter tests/conformance/$(d).%,$(CONF_DATA_SRCS))))

conformance-build: $(CONF_BINS) $(CONF_DIR)/list $(CONF_DIR)/runner \
	$(CONF_DATA:%=$(CONF_DIR)/%)

conformance-host: conformance-build
	$(Q)$(PYTHON) tests/conformance/run.py --build $(BUILD)

# The EclipseOS half is the conformance system-test group (what it needs
# built: `harness.py --needs conformance`), which writes
# $(CONF_DIR)/eclipseos.json beside its results in $(TEST_LOGS).  Both
# runs go on when the other fails; the report judges.
CONF_RUNS	:= $(CONF_DIR)/host.json $(CONF_DIR)/eclipseos.json \
		   $(CONF_DIR)/report.json $(CONF_DIR)/report.md

conformance:
	+$(Q)$(MAKE) --no-print-directory conformance-build
	+$(Q)needs=$$($(PYTHON) $(HARNESS) --needs conformance) || exit 1; \
	for t in $$needs; do \
		$(MAKE) --no-print-directory $$t || exit 1; \
	done
	$(Q)rm -f $(CONF_RUNS)
	@echo "  HOST    conformance on this Linux ($(CONF_DIR)/host.log)"
	$(Q)$(PYTHON) tests/conformance/run.py --build $(BUILD) --quiet \
		2>&1 | tee $(CONF_DIR)/host.log
	@echo "  QEMU    conformance in EclipseOS ($(CONF_DIR)/eclipseos.log)"
	$(Q)mkdir -p $(TEST_LOGS)
	$(Q)$(PYTHON) $(HARNESS) $(HARNESS_ARGS) --group conformance \
		> $(CONF_DIR)/eclipseos.log 2>&1 || true
	$(Q)tail -n 1 $(CONF_DIR)/eclipseos.log
	$(Q)$(PYTHON) tests/conformance/report.py --build $(BUILD)

conformance-report:
	$(Q)$(PYTHON) tests/conformance/report.py --build $(BUILD)

# The initramfs of the in-EclipseOS run: /tests/runner, /tests/list, the
# tests and their data (whose paths name /tests), packed by the
# initramfs's own tool.
$(CONF_CPIO): $(CONF_DYN) $(MUSL_LIBDIR)/libc.so
$(CONF_CPIO): $(CONF_BINS) $(CONF_DIR)/list $(CONF_DIR)/runner \
	$(CONF_DATA_SRCS) tests/conformance/mkdata.py $(MKINITRAMFS)
	@echo "  CPIO    $@"
	$(Q)rm -rf $(CONF_ROOT)
	$(Q)mkdir -p $(CONF_ROOT)/tests
	$(Q)cp $(CONF_DIR)/runner $(CONF_DIR)/list $(CONF_ROOT)/tests/
	$(Q)for n in $(CONF_NAMES); do \
		mkdir -p $(CONF_ROOT)/tests/$${n%/*} && \
		cp $(CONF_DIR)/$$n $(CONF_ROOT)/tests/$$n || exit 1; \
	done
	$(Q)for f in $(CONF_EXTRA); do \
		mkdir -p $(CONF_ROOT)/tests/$${f%/*} && \
		cp $(CONF_DIR)/$$f $(CONF_ROOT)/tests/$$f || exit 1; \
	done
	$(Q)install -D -m 0755 $(MUSL_LIBDIR)/libc.so $(CONF_ROOT)/$(CONF_LDSO)
	$(Q)for s in $(CONF_DATA_SRCS); do \
		d=$${s#tests/conformance/}; \
		$(PYTHON) tests/conformance/mkdata.py $$s \
		    $(CONF_ROOT)/tests/$${d%.*} /tests || exit 1; \
	done
	$(Q)$(PYTHON) $(MKINITRAMFS) $(CONF_ROOT) $@

initramfs-tests: $(CONF_CPIO)

-include $(CONF_BINS:=.d) $(CONF_LIBOBJS:.o=.d) $(CONF_DIR)/runner.d

.PHONY: conformance conformance-build conformance-host conformance-report \
	initramfs-tests conf-names-force
