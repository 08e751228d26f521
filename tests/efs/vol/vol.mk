# tests/efs/vol/vol.mk: the helper program of the eclipsefs volume system
# tests (tests/system/suite_efs_vol.py: groups efs-ops, efs-bigdir,
# efs-bigfile, efs-damage).  efsvol.c is built twice: statically with
# musl for the guest (the tests put it on the test disk, made by
# mkfs.eclipsefs -d) and for the host, which checks the guest's pattern
# files with it.  Included from tests/tests.mk.
#
#   make efs-vol-tools	both builds and the host eclipsefs tools

EFSVOL_DIR	:= $(BUILD)/efsvol

$(EFSVOL_DIR)/efsvol: tests/efs/vol/efsvol.c | deps
	@mkdir -p $(@D)
	@echo "  MUSLCC  $@"
	$(Q)$(MUSL_CC) $(USER_CFLAGS) -static -o $@ $<

$(EFSVOL_DIR)/efsvol-host: tests/efs/vol/efsvol.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOSTCFLAGS) -O2 -o $@ $<

efs-vol-tools: $(EFSVOL_DIR)/efsvol $(EFSVOL_DIR)/efsvol-host efs-tools

.PHONY: efs-vol-tools
