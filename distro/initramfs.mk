# The initramfs: $(BUILD)/initramfs.cpio, a cpio "newc" archive that GRUB
# (module2, from the image) and QEMU's PVH loader (-initrd, make run-pvh)
# give the kernel as a boot module; the kernel finds its programs there
# (sys/kern/kern_initramfs.c, Documentation/exec.md).
#
#   make initramfs	build it
#
# distro/mkinitramfs.py packs the files named as prerequisites of
# $(INITRAMFS) that lie under the staging folder $(INITRAMFS_ROOT), and the
# folders above them, deterministically.  To put a file in the initramfs,
# a fragment writes a rule that makes $(INITRAMFS_ROOT)/path/of/file and
# adds it:
#
#	$(INITRAMFS): $(INITRAMFS_ROOT)/sbin/init
#
# For now it holds the first test programs (tests/programs/):
#	/bin/hello	hello.c, musl-gcc -static (ET_EXEC)
#	/bin/hello-pie	hello.c as a static-PIE (ET_DYN with no PT_INTERP)
#	/bin/hello.sh	a "#!/bin/hello script-argument" script
#
# User programs are linked statically with musl.  musl-gcc's -static-pie
# alone links a dynamic PIE (its specs ask for the dynamic linker), so the
# static-PIE is linked by hand: musl's rcrt1.o (which relocates the program
# itself) and -static -pie --no-dynamic-linker; the rule then checks with
# readelf that it has no PT_INTERP.

INITRAMFS	:= $(BUILD)/initramfs.cpio
INITRAMFS_ROOT	:= $(BUILD)/initramfs-root
MUSL_CC		?= musl-gcc
READELF		?= readelf
USER_CFLAGS	:= -std=gnu11 -O2 -Wall -Wextra -Werror
# musl's own start files: the folder of the specs file musl-gcc uses.
MUSL_LIBDIR	?= $(patsubst %/,%,$(dir $(shell sed -n \
		   's/.*-specs "\([^"]*\)".*/\1/p' \
		   "$$(command -v $(MUSL_CC))" 2>/dev/null)))

initramfs: $(INITRAMFS)

$(INITRAMFS): distro/mkinitramfs.py | deps
	@echo "  CPIO    $@"
	$(Q)$(PYTHON) distro/mkinitramfs.py $(INITRAMFS_ROOT) $@ \
		$(filter $(INITRAMFS_ROOT)/%,$^)

$(INITRAMFS): $(INITRAMFS_ROOT)/bin/hello $(INITRAMFS_ROOT)/bin/hello-pie \
	$(INITRAMFS_ROOT)/bin/hello.sh

$(BUILD)/programs/hello: tests/programs/hello.c | deps
	@mkdir -p $(@D)
	@echo "  MUSLCC  $@"
	$(Q)$(MUSL_CC) $(USER_CFLAGS) -static -o $@ $<

$(BUILD)/programs/hello-pie: tests/programs/hello.c | deps
	@mkdir -p $(@D)
	@echo "  MUSLCC  $@ (static-PIE)"
	$(Q)test -f "$(MUSL_LIBDIR)/rcrt1.o" || { echo "$@: no rcrt1.o in" \
		"'$(MUSL_LIBDIR)' (set MUSL_LIBDIR to musl's lib folder)"; \
		exit 1; }
	$(Q)$(MUSL_CC) $(USER_CFLAGS) -fPIE -pie -nostartfiles -o $@.tmp \
		$(MUSL_LIBDIR)/rcrt1.o $(MUSL_LIBDIR)/crti.o \
		"$$($(MUSL_CC) -print-file-name=crtbeginS.o)" $< \
		"$$($(MUSL_CC) -print-file-name=crtendS.o)" \
		$(MUSL_LIBDIR)/crtn.o \
		-Wl,-static -Wl,--no-dynamic-linker -Wl,-z,text
	$(Q)if $(READELF) -lW $@.tmp | grep -q INTERP || \
	    ! $(READELF) -hW $@.tmp | grep -q 'DYN'; then \
		echo "$@: not a static-PIE (ET_DYN without PT_INTERP)"; \
		rm -f $@.tmp; exit 1; fi
	$(Q)mv -f $@.tmp $@

$(INITRAMFS_ROOT)/bin/%: $(BUILD)/programs/%
	$(Q)install -D -m 0755 $< $@

$(INITRAMFS_ROOT)/bin/hello.sh: tests/programs/hello.sh
	$(Q)install -D -m 0755 $< $@

# The loader's and the archive reader's unit tests read these (their logs
# are under $(TEST_LOGS) of tests/tests.mk, included later).
$(BUILD)/test-logs/unit/test_exec_elf.tap \
$(BUILD)/test-logs/unit/test_exec_stack.tap: $(BUILD)/programs/hello \
	$(BUILD)/programs/hello-pie
$(BUILD)/test-logs/unit/test_subr_cpio.tap: $(INITRAMFS) \
	$(BUILD)/programs/hello

.PHONY: initramfs
