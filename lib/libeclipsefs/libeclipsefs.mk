# lib/libeclipsefs: the eclipsefs format code, one source compiled three
# times: into the kernel (sys/sys.mk's $(BUILD)/klib/), and here as a
# static library for the host tools and for the EclipseOS (musl) tools
# (sbin/efs.mk links them), and into tests/unit/test_efs.
#
#   $(LIBEFS_SRCS)	the library's sources (tests/unit/test_efs.srcs
#			lists the same files)
#   $(LIBEFS_HOST_A)	$(BUILD)/libefs/host/libeclipsefs.a (HOSTCC)
#   $(LIBEFS_MUSL_A)	$(BUILD)/libefs/musl/libeclipsefs.a (MUSL_CC)
#
# Its users include "../../lib/libeclipsefs/libeclipsefs.h" (or add
# -Ilib/libeclipsefs), never -Isys on the host: our sys/types.h would
# shadow the C library's.

LIBEFS_SRCS	:= $(sort $(wildcard lib/libeclipsefs/*.c))
LIBEFS_HDRS	:= lib/libeclipsefs/libeclipsefs.h \
		   lib/libeclipsefs/efs_impl.h sys/fs/eclipsefs/efs_format.h
LIBEFS_HOST_A	:= $(BUILD)/libefs/host/libeclipsefs.a
LIBEFS_MUSL_A	:= $(BUILD)/libefs/musl/libeclipsefs.a
LIBEFS_HOST_OBJS := $(LIBEFS_SRCS:lib/libeclipsefs/%.c=$(BUILD)/libefs/host/%.o)
LIBEFS_MUSL_OBJS := $(LIBEFS_SRCS:lib/libeclipsefs/%.c=$(BUILD)/libefs/musl/%.o)

$(BUILD)/libefs/host/%.o: lib/libeclipsefs/%.c $(LIBEFS_HDRS)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(HOSTCFLAGS) -c -o $@ $<

$(BUILD)/libefs/musl/%.o: lib/libeclipsefs/%.c $(LIBEFS_HDRS) | deps
	@mkdir -p $(@D)
	@echo "  MUSLCC  $<"
	$(Q)$(MUSL_CC) $(USER_CFLAGS) -c -o $@ $<

$(LIBEFS_HOST_A): $(LIBEFS_HOST_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIBEFS_MUSL_A): $(LIBEFS_MUSL_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

libefs: $(LIBEFS_HOST_A) $(LIBEFS_MUSL_A)

.PHONY: libefs
