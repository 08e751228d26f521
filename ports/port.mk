# Ports: third-party programs built from their Debian source package
# against musl, statically, and installed into the image's staging root
# $(ROOTFS) (distro/initramfs.mk).  ports/README.md describes a recipe.
#
#   make ports            build and install every port
#   make port-NAME        one port (e.g. make port-busybox)
#   make cc SRC="a.c b.c" [OUT=file] [CFLAGS=...]
#                         compile a small C program for EclipseOS
#
# Each port is a folder ports/NAME/ with recipe.mk, source.sha256 (the pin
# of the upstream tarball, in distro/hostsrc.sh's format), optional
# patches/*.patch (applied in name order with patch -p1), optional modes
# (a modes file for ROOTFS_MODES: setuid bits ...) and whatever
# configuration the recipe copies in.  The steps, each behind a stamp so
# that a second `make` does nothing:
#
#   fetch      distro/hostsrc.sh puts the tarball into PORTS_CACHE (outside
#              the build tree: a clean rebuild does not fetch again)
#                                              stamps/port-NAME.fetched
#   unpack     checks the tarball against the pin again, unpacks it into
#              $(BUILD)/ports/NAME/src (without its top folder when it has
#              a single one) and applies the patches
#                                              stamps/port-NAME.unpacked
#   configure  NAME_CONFIGURE                  stamps/port-NAME.configured
#   build      NAME_BUILD                      stamps/port-NAME.built
#   install    NAME_INSTALL, into $(ROOTFS)    stamps/port-NAME
#
# and the initramfs depends on the last stamp.  A step's output goes to
# $(BUILD)/ports/NAME/<step>.log (V=1 shows it); a failing step prints the
# end of its log.  Editing the recipe, the pin or a patch unpacks afresh;
# editing another file of the port's folder (its configuration)
# configures again.
#
# The commands run in the unpacked source with `sh -e` and may use:
#   $(PORT_SRC)      the unpacked source (absolute)
#   $(PORT_RECIPE)   the port's folder ports/NAME (absolute)
#   $(PORT_ROOTFS)   the staging root (absolute)
#   $(PORT_CC)       musl-gcc
#   $(PORT_CFLAGS)   -Os, static, and the kernel UAPI headers
#   $(PORT_LDFLAGS)  -static
#   $(PORT_UAPI)     the include folder holding only the kernel's UAPI
#                    headers (musl-gcc does not look into /usr/include)
#   $(PORT_MAKE)     $(MAKE), in parallel (-j$(PORT_JOBS) unless this make
#                    already runs with -j), without our command line's
#                    variables (BUILD=, V= ...)

PORTS_CACHE	?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/eclipseos/sources
PORT_JOBS	?= $(shell nproc 2>/dev/null || echo 2)
PORT_UAPI	:= $(abspath $(BUILD))/ports/include
PORT_STAMPS	:= $(BUILD)/stamps
# The UAPI folders of linux-libc-dev that ports include: asm comes from
# the multiarch folder.
PORT_UAPI_DIRS	:= /usr/include/linux /usr/include/asm-generic \
		   /usr/include/mtd /usr/include/x86_64-linux-gnu/asm

PORT_CC		= $(MUSL_CC)
PORT_CFLAGS	= -Os -static -isystem $(PORT_UAPI)
PORT_LDFLAGS	= -static
PORT_ROOTFS	= $(abspath $(ROOTFS))
PORT_MAKE	= $(MAKE) $(if $(findstring --jobserver,$(MAKEFLAGS)),, \
		  -j$(PORT_JOBS))

PORTS		:= $(sort $(patsubst ports/%/recipe.mk,%, \
		   $(wildcard ports/*/recipe.mk)))

# Runs step $(2) of port $(1) from its source folder, logged.  The
# command line's variable assignments are cut from MAKEFLAGS (after
# " -- ") so that the port's own makefiles do not see them; the
# jobserver stays.
define port_step
	$(Q)mkdir -p $(BUILD)/ports/$(1)
	+$(Q)mf=" $$$$MAKEFLAGS"; MAKEFLAGS="$$$${mf%% -- *}"; \
	export MAKEFLAGS; \
	log=$(abspath $(BUILD))/ports/$(1)/$(2).log; \
	if [ "$(V)" = 1 ]; then \
		(cd $$(PORT_SRC) && sh -ec '$$(subst ','\'',$$($(1)_$(3)))'); \
	else \
		(cd $$(PORT_SRC) && sh -ec '$$(subst ','\'',$$($(1)_$(3)))') \
		    >$$$$log 2>&1 || { tail -n 40 $$$$log; \
		    echo "port $(1): $(2) failed, see $$$$log"; exit 1; }; \
	fi
endef

# The rules of port $(1); its recipe.mk is already included.
define port_rules
$(1)_PIN	:= ports/$(1)/source.sha256
$(1)_TARBALL	:= $$(filter %.orig.tar.gz %.orig.tar.xz %.orig.tar.bz2, \
		   $$(file <ports/$(1)/source.sha256))
$(1)_PATCHES	:= $$(sort $$(wildcard ports/$(1)/patches/*.patch))
$(1)_FILES	:= $$(filter-out ports/$(1)/patches ports/$(1)/README.md \
		   ports/$(1)/modes,$$(wildcard ports/$(1)/*))
$(1)_MODES	:= $$(wildcard ports/$(1)/modes)
ROOTFS_MODES	+= $$($(1)_MODES)

$$(PORT_STAMPS)/port-$(1) $$(PORT_STAMPS)/port-$(1).built \
$$(PORT_STAMPS)/port-$(1).configured: \
	PORT_SRC = $$(abspath $$(BUILD))/ports/$(1)/src
$$(PORT_STAMPS)/port-$(1) $$(PORT_STAMPS)/port-$(1).built \
$$(PORT_STAMPS)/port-$(1).configured: \
	PORT_RECIPE = $$(abspath ports/$(1))

$$(PORT_STAMPS)/port-$(1).fetched: $$($(1)_PIN) | deps
	$$(Q)mkdir -p $$(@D)
	$$(Q)sh distro/hostsrc.sh $$< $$(PORTS_CACHE) $$(BUILD)/.deps-src-ok
	$$(Q)touch $$@

$$(PORT_STAMPS)/port-$(1).unpacked: $$(PORT_STAMPS)/port-$(1).fetched \
	$$($(1)_PIN) $$($(1)_PATCHES) ports/$(1)/recipe.mk
	@echo "  UNPACK  $(1) $$($(1)_VERSION)"
	$$(Q)cd $$(PORTS_CACHE) && sed -e '/^[[:space:]]*#/d' \
		-e '/^[[:space:]]*$$$$/d' $$(abspath $$($(1)_PIN)) | \
		sha256sum -c --quiet - || \
		{ echo "port $(1): $$($(1)_TARBALL) differs from its pin"; \
		exit 1; }
	$$(Q)rm -rf $$(BUILD)/ports/$(1)/src $$(BUILD)/ports/$(1)/unpack
	$$(Q)mkdir -p $$(BUILD)/ports/$(1)/unpack $$(@D)
	$$(Q)tar -xf $$(PORTS_CACHE)/$$($(1)_TARBALL) \
		-C $$(BUILD)/ports/$(1)/unpack
	$$(Q)cd $$(BUILD)/ports/$(1) && top=$$$$(ls -A unpack) && \
	if [ "$$$$(echo "$$$$top" | wc -l)" = 1 ] && [ -d "unpack/$$$$top" ]; \
	then mv "unpack/$$$$top" src && rmdir unpack; else mv unpack src; fi
	$$(Q)for p in $$($(1)_PATCHES); do \
		echo "  PATCH   $$$$p"; \
		patch -d $$(BUILD)/ports/$(1)/src -p1 --batch --forward \
		    --no-backup-if-mismatch -s <$$$$p || exit 1; \
	done
	$$(Q)touch $$@

$$(PORT_STAMPS)/port-$(1).configured: $$(PORT_STAMPS)/port-$(1).unpacked \
	$$($(1)_FILES) $$(PORT_UAPI)/.stamp
	@echo "  CONFIG  $(1)"
$(call port_step,$(1),configure,CONFIGURE)
	$$(Q)touch $$@

$$(PORT_STAMPS)/port-$(1).built: $$(PORT_STAMPS)/port-$(1).configured
	@echo "  BUILD   $(1) (musl, static)"
$(call port_step,$(1),build,BUILD)
	$$(Q)touch $$@

$$(PORT_STAMPS)/port-$(1): $$(PORT_STAMPS)/port-$(1).built
	@echo "  INSTALL $(1) -> $$(ROOTFS)"
	$$(Q)mkdir -p $$(ROOTFS)
$(call port_step,$(1),install,INSTALL)
	$$(Q)touch $$@

$$(INITRAMFS): $$(PORT_STAMPS)/port-$(1) $$($(1)_MODES)

port-$(1): $$(PORT_STAMPS)/port-$(1)

.PHONY: port-$(1)
endef

include $(wildcard ports/*/recipe.mk)
$(foreach p,$(PORTS),$(eval $(call port_rules,$(p))))

ports: $(foreach p,$(PORTS),$(PORT_STAMPS)/port-$(p))

# The include folder of the kernel's UAPI headers: links to the host's
# linux-libc-dev folders, never /usr/include itself (whose glibc headers
# would clash with musl's).
$(PORT_UAPI)/.stamp: ports/port.mk | deps
	$(Q)for d in $(PORT_UAPI_DIRS); do \
		test -d $$d || { echo "$$d: missing (linux-libc-dev)"; \
		exit 1; }; done
	$(Q)rm -rf $(PORT_UAPI)
	$(Q)mkdir -p $(PORT_UAPI)
	$(Q)for d in $(PORT_UAPI_DIRS); do \
		ln -s $$d $(PORT_UAPI)/$$(basename $$d); done
	$(Q)touch $@

# One command for a small C program: static, musl, the UAPI headers.
CC_OUT		= $(or $(OUT),$(BUILD)/cc/$(basename $(notdir \
		  $(firstword $(SRC)))))

cc: $(PORT_UAPI)/.stamp
	$(Q)test -n "$(SRC)" || { echo "usage: make cc SRC=\"file.c ...\"" \
		"[OUT=program] [CFLAGS=...]"; exit 2; }
	$(Q)mkdir -p $(dir $(CC_OUT))
	@echo "  MUSLCC  $(CC_OUT)"
	$(Q)$(PORT_CC) -std=gnu11 -O2 -Wall -static -isystem $(PORT_UAPI) \
		$(CFLAGS) -o $(CC_OUT) $(SRC) $(LDLIBS)

.PHONY: ports cc
