# tests/efs/crash/crash.mk: eclipsefs's power-loss tests (README.md beside
# this file): QEMU's blklogwrites records every write the guest makes to
# an eclipsefs disk while tests/efs/crash/crashwl runs, then
# tests/efs/crash/replay.py rebuilds the disk at cut points that model a
# lost volatile write cache and checks each (fsck clean, every fsync'd
# file intact).  Included from tests/tests.mk.
#
#   make crash-tools	what the tests need: crashwl (musl), efsextract
#			(host), the test initramfs (the normal one plus
#			/bin/crashwl) and the host eclipsefs tools
#   make check-crash	the long run (system-test group efs-crash-long,
#			>= 200 cut points over several boots), ending in
#			"N passed, N failed"
#
# The short run (>= 20 cut points, one boot) is the system-test group
# efs-crash, which `make check` runs with the others.

CRASH_DIR	:= $(BUILD)/crash
CRASH_INITRD	:= $(CRASH_DIR)/initramfs.cpio
CRASH_WL	:= $(CRASH_DIR)/crashwl
CRASH_EXTRACT	:= $(CRASH_DIR)/efsextract
CRASH_LOGS	:= $(BUILD)/test-logs-crash

$(CRASH_WL): tests/efs/crash/crashwl.c | deps
	@mkdir -p $(@D)
	@echo "  MUSLCC  $@"
	$(Q)$(MUSL_CC) $(USER_CFLAGS) -static -o $@ $<

$(CRASH_DIR)/efsextract.o: tests/efs/crash/efsextract.c $(EFS_HEADERS)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(HOSTCFLAGS) -c -o $@ $<

$(CRASH_EXTRACT): $(CRASH_DIR)/efsextract.o \
	$(BUILD)/efs-obj/host/sbin/efsutil/efsutil.o $(LIBEFS_HOST_A)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) $(HOSTCFLAGS) -o $@ $^

$(CRASH_INITRD): $(INITRAMFS) $(CRASH_WL) tests/efs/crash/addcpio.py
	@echo "  CPIO    $@"
	$(Q)$(PYTHON) tests/efs/crash/addcpio.py $(INITRAMFS) $@ \
		bin/crashwl=$(CRASH_WL)

crash-tools: $(CRASH_INITRD) $(CRASH_EXTRACT) efs-tools

# Its own log folder, so that it neither empties nor is emptied by
# make check's.
check-crash:
	$(Q)rm -rf $(CRASH_LOGS)
	$(Q)mkdir -p $(CRASH_LOGS)
	+$(Q)$(MAKE) --no-print-directory kernel crash-tools
	$(Q)echo efs-crash-long > $(CRASH_LOGS)/groups
	$(Q)EFS_CRASH_LONG=1 $(PYTHON) $(HARNESS) --build $(BUILD) \
		--logs $(CRASH_LOGS) $(if $(ACCEL),--accel $(ACCEL)) \
		--group efs-crash-long || true
	$(Q)$(PYTHON) $(SUMMARY) --logs $(CRASH_LOGS) \
		--groups-file $(CRASH_LOGS)/groups

.PHONY: crash-tools check-crash
