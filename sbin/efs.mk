# sbin/efs.mk: the eclipsefs tools, mkfs.eclipsefs, dumpe.eclipsefs and
# fsck.eclipsefs, built twice from the same source: for the host (the
# image build formats the root partition with them; the tests run them)
# and, statically with musl, for EclipseOS's /sbin.  They share the
# format code (lib/libeclipsefs, lib/libeclipsefs/libeclipsefs.mk builds
# it as a library for each) and the I/O layer sbin/efsutil/.
#
#   make efs-tools	the host tools in $(BUILD)/host/
#   make efs-tests	tests/efs/*.py on the host (tests/tests.mk)
#
# The musl builds go into $(ROOTFS)/sbin through
# $(BUILD)/stamps/rootfs-efs (distro/initramfs.mk's header).  Sources
# include their headers by relative path ("../efsutil/efsutil.h", which
# includes "../../lib/libeclipsefs/libeclipsefs.h"): no -Isys on the host,
# where our sys/types.h would shadow the libc's.

EFS_HOST_DIR	:= $(BUILD)/host
EFS_MUSL_DIR	:= $(BUILD)/sbin/efs
LIBEFS_HOST_A	?= $(BUILD)/libefs/host/libeclipsefs.a
LIBEFS_MUSL_A	?= $(BUILD)/libefs/musl/libeclipsefs.a

EFSU_SRCS	:= sbin/efsutil/efsutil.c
EFS_SRCS_mkfs	:= sbin/mkfs.eclipsefs/mkfs.c
EFS_SRCS_dumpe	:= sbin/dumpe.eclipsefs/dumpe.c
EFS_SRCS_fsck	:= $(sort $(wildcard sbin/fsck.eclipsefs/*.c))
EFS_TOOLS	:= mkfs dumpe $(if $(EFS_SRCS_fsck),fsck)
EFS_HOST_BINS	:= $(EFS_TOOLS:%=$(EFS_HOST_DIR)/%.eclipsefs)
EFS_MUSL_BINS	:= $(EFS_TOOLS:%=$(EFS_MUSL_DIR)/%.eclipsefs)
EFS_HEADERS	:= sbin/efsutil/efsutil.h lib/libeclipsefs/libeclipsefs.h \
		   sys/fs/eclipsefs/efs_format.h

$(BUILD)/efs-obj/host/%.o: %.c $(EFS_HEADERS)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(HOSTCFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/efs-obj/musl/%.o: %.c $(EFS_HEADERS) | deps
	@mkdir -p $(@D)
	@echo "  MUSLCC  $<"
	$(Q)$(MUSL_CC) $(USER_CFLAGS) -MMD -MP -c -o $@ $<

# $(1) = the tool (mkfs, dumpe, fsck): its host and musl links.
define EFS_TOOL_RULES
EFS_OBJS_$(1)	:= $$(EFSU_SRCS) $$(EFS_SRCS_$(1))

$$(EFS_HOST_DIR)/$(1).eclipsefs: \
	$$(EFS_OBJS_$(1):%.c=$$(BUILD)/efs-obj/host/%.o) $$(LIBEFS_HOST_A)
	@mkdir -p $$(@D)
	@echo "  HOSTLD  $$@"
	$$(Q)$$(HOSTCC) $$(HOSTCFLAGS) -o $$@ $$^

$$(EFS_MUSL_DIR)/$(1).eclipsefs: \
	$$(EFS_OBJS_$(1):%.c=$$(BUILD)/efs-obj/musl/%.o) $$(LIBEFS_MUSL_A)
	@mkdir -p $$(@D)
	@echo "  MUSLLD  $$@"
	$$(Q)$$(MUSL_CC) $$(USER_CFLAGS) -static -o $$@ $$^

-include $$(EFS_OBJS_$(1):%.c=$$(BUILD)/efs-obj/host/%.d)
-include $$(EFS_OBJS_$(1):%.c=$$(BUILD)/efs-obj/musl/%.d)
endef

$(foreach t,$(EFS_TOOLS),$(eval $(call EFS_TOOL_RULES,$(t))))

$(BUILD)/stamps/rootfs-efs: $(EFS_MUSL_BINS)
	$(Q)for f in $(EFS_MUSL_BINS); do \
		install -D -m 0755 $$f $(ROOTFS)/sbin/$${f##*/} || exit 1; \
	done
	@mkdir -p $(@D)
	$(Q)touch $@

$(INITRAMFS): $(BUILD)/stamps/rootfs-efs

# How distro/ makes the root partition from the staging root:
#	$(EFS_MKFS) $(EFS_ROOT_MKFS_FLAGS) -L eclipse-root -o OFFSET \
#	    -s SIZE -d $(ROOTFS) IMAGE
# -r applies the initramfs's rules (modes normalised, owner root, times
# 0 or $$SOURCE_DATE_EPOCH), then every modes file of ROOTFS_MODES and
# sbin/mkfs.eclipsefs/root.manifest (mount points, the console).
# Recursive (=): fragments included later add to ROOTFS_MODES.
EFS_MKFS	:= $(EFS_HOST_DIR)/mkfs.eclipsefs
EFS_ROOT_MANIFEST := sbin/mkfs.eclipsefs/root.manifest
EFS_ROOT_MKFS_FLAGS = -r -m $(EFS_ROOT_MANIFEST) \
		   $(foreach m,$(ROOTFS_MODES),-m $(m))

efs-tools: $(EFS_HOST_BINS)

efs-tools-musl: $(EFS_MUSL_BINS)

.PHONY: efs-tools efs-tools-musl
