# The initramfs: $(BUILD)/initramfs.cpio, a cpio "newc" archive that GRUB
# (module2, from the image) and QEMU's PVH loader (-initrd, make run-pvh)
# give the kernel as a boot module; the kernel unpacks it into the tmpfs
# that is its root (sys/kern/kern_initramfs.c, Documentation/exec.md).
# Until the disk issues land, it is the root filesystem.
#
#   make initramfs	build it
#
# The staging root $(ROOTFS) is the image's "/": distro/mkinitramfs.py
# packs everything under it, deterministically.  Whatever installs into
# it (a port, init, etc/) does so in a rule of its own that ends by
# touching a stamp, and makes the archive depend on the stamp:
#
#	$(BUILD)/stamps/rootfs-init: ...
#		install -D -m 0755 $(BUILD)/sbin/init $(ROOTFS)/sbin/init
#		touch $@
#	$(INITRAMFS): $(BUILD)/stamps/rootfs-init
#
# or, for a single file, makes the archive depend on the file itself.
# Modes and owners are normalised (root, 0755 or 0644, see the tool); a
# file that needs another mode or owner (setuid busybox, /etc/shadow,
# /home/user) says so in a modes file added to ROOTFS_MODES (and to the
# archive's prerequisites):
#
#	path	mode	[uid gid]	e.g.	etc/shadow 0600
#
# The first test programs (tests/programs/) are in it too:
#	/bin/hello	hello.c, musl-gcc -static (ET_EXEC)
#	/bin/hello-pie	hello.c as a static-PIE (ET_DYN with no PT_INTERP)
#	/bin/hello.sh	a "#!/bin/hello script-argument" script
#	/bin/hello-dyn	hello-dyn.c, plain musl-gcc: dynamically linked
#
# User programs are linked statically with musl.  Dynamically linked ones
# run too: /lib/ld-musl-x86_64.so.1, their PT_INTERP, is musl's libc.so,
# which is both the dynamic linker and the C library (the kernel loads it
# beside the program, Documentation/exec.md).  musl-gcc's -static-pie
# alone links a dynamic PIE (its specs ask for the dynamic linker), so the
# static-PIE is linked by hand: musl's rcrt1.o (which relocates the program
# itself) and -static -pie --no-dynamic-linker; the rule then checks with
# readelf that it has no PT_INTERP.

INITRAMFS	:= $(BUILD)/initramfs.cpio
ROOTFS		:= $(BUILD)/rootfs
ROOTFS_MODES	:=
MUSL_CC		?= musl-gcc
READELF		?= readelf
USER_CFLAGS	:= -std=gnu11 -O2 -Wall -Wextra -Werror
# musl's own start files: the folder of the specs file musl-gcc uses.
MUSL_LIBDIR	?= $(patsubst %/,%,$(dir $(shell sed -n \
		   's/.*-specs "\([^"]*\)".*/\1/p' \
		   "$$(command -v $(MUSL_CC))" 2>/dev/null)))

initramfs: $(INITRAMFS)

# The disk image's initramfs, $(RESCUE_INITRAMFS): there the root is on
# the disk, and the initramfs is only the rescue system (at /rescue, or
# the root when the disk's cannot be mounted): BusyBox, init and the
# eclipsefs tools.  It leaves out what the disk has and a repair does not
# need (RESCUE_EXCLUDE): the C compiler's headers and libraries (11 of
# the 14 MiB of the staging root), the programs of the tcc, lua and bc
# ports, and musl's dynamic linker with the one program that uses it.  A smaller archive is read by GRUB and unpacked by the kernel
# sooner, and takes less memory (Documentation/performance.md, "Boot
# time and memory").
RESCUE_INITRAMFS := $(BUILD)/initramfs-rescue.cpio
RESCUE_EXCLUDE	:= usr/include usr/lib usr/bin/tcc usr/bin/cc \
		   usr/bin/lua usr/bin/luac usr/bin/bc usr/bin/dc \
		   lib/ld-musl-x86_64.so.1 bin/hello-dyn

$(RESCUE_INITRAMFS): $(INITRAMFS) distro/initramfs.mk
	@echo "  CPIO    $@"
	$(Q)$(PYTHON) distro/mkinitramfs.py \
		$(foreach m,$(ROOTFS_MODES),--modes $(m)) \
		$(foreach x,$(RESCUE_EXCLUDE),--exclude $(x)) $(ROOTFS) $@

# ROOTFS_MODES is read when the rule runs, so fragments included later
# can add to it.
$(INITRAMFS): distro/mkinitramfs.py | deps
	@echo "  CPIO    $@"
	$(Q)mkdir -p $(ROOTFS)
	$(Q)$(PYTHON) distro/mkinitramfs.py \
		$(foreach m,$(ROOTFS_MODES),--modes $(m)) $(ROOTFS) $@

$(INITRAMFS): $(ROOTFS)/bin/hello $(ROOTFS)/bin/hello-pie \
	$(ROOTFS)/bin/hello.sh $(ROOTFS)/bin/hello-dyn \
	$(ROOTFS)/lib/ld-musl-x86_64.so.1

# musl's dynamic linker: its libc.so (a file, not a link: simplest to pack).
$(ROOTFS)/lib/ld-musl-x86_64.so.1: $(MUSL_LIBDIR)/libc.so
	$(Q)install -D -m 0755 $< $@

$(BUILD)/programs/hello-dyn: tests/programs/hello-dyn.c | deps
	@mkdir -p $(@D)
	@echo "  MUSLCC  $@ (dynamic)"
	$(Q)$(MUSL_CC) $(USER_CFLAGS) -o $@.tmp $<
	$(Q)if ! $(READELF) -lW $@.tmp | \
	    grep -q 'interpreter: /lib/ld-musl-x86_64.so.1'; then \
		echo "$@: no PT_INTERP naming /lib/ld-musl-x86_64.so.1"; \
		rm -f $@.tmp; exit 1; fi
	$(Q)mv -f $@.tmp $@

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

$(ROOTFS)/bin/%: $(BUILD)/programs/%
	$(Q)install -D -m 0755 $< $@

$(ROOTFS)/bin/hello.sh: tests/programs/hello.sh
	$(Q)install -D -m 0755 $< $@

# The loader's and the archive reader's unit tests read these (their logs
# are under $(TEST_LOGS) of tests/tests.mk, included later).
$(BUILD)/test-logs/unit/test_exec_elf.tap \
$(BUILD)/test-logs/unit/test_exec_stack.tap: $(BUILD)/programs/hello \
	$(BUILD)/programs/hello-pie
$(BUILD)/test-logs/unit/test_subr_cpio.tap: $(INITRAMFS) \
	$(BUILD)/programs/hello

.PHONY: initramfs
