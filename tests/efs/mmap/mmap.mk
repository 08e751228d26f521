# tests/efs/mmap/mmap.mk: the guest program of the efs-mmap system test
# (tests/system/suite_efs_mmap.py): efsmmap.c, built statically with
# musl; the test puts it on the test disk with mkfs.eclipsefs -d.
# Included from tests/tests.mk.
#
#   make efs-mmap-tools	the program and the host eclipsefs tools

EFSMMAP_DIR	:= $(BUILD)/efsmmap

$(EFSMMAP_DIR)/efsmmap: tests/efs/mmap/efsmmap.c | deps
	@mkdir -p $(@D)
	@echo "  MUSLCC  $@"
	$(Q)$(MUSL_CC) $(USER_CFLAGS) -static -o $@ $<

efs-mmap-tools: $(EFSMMAP_DIR)/efsmmap efs-tools

.PHONY: efs-mmap-tools
