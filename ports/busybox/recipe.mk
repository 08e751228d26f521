# BusyBox: the shell and the small Unix tools (ports/busybox/README.md).
# Our full .config is ports/busybox/config; the binary is installed setuid
# root (ports/busybox/modes) and drops its privileges for every applet
# that does not need them (FEATURE_SUID).

busybox_VERSION	:= 1.35.0

# Our .config, then kconfig's oldconfig; if oldconfig changed a setting
# (a symbol this version has and the file lacks), the file is stale.
busybox_CONFIGURE = \
	cp $(PORT_RECIPE)/config .config; \
	$(PORT_MAKE) oldconfig </dev/null; \
	grep '^\(\# \)\?CONFIG_' $(PORT_RECIPE)/config >.config.want; \
	grep '^\(\# \)\?CONFIG_' .config >.config.got; \
	cmp -s .config.want .config.got || { \
		diff .config.want .config.got; \
		echo "ports/busybox/config is stale for this version:" \
		    "make menuconfig here and copy .config there" >&2; \
		exit 1; }

busybox_BUILD = \
	$(PORT_MAKE) CC=$(PORT_CC) EXTRA_CFLAGS="-isystem $(PORT_UAPI)" \
	    busybox busybox.links; \
	test "$$(readelf -lW busybox | grep -c INTERP)" = 0

# /bin/busybox and one symbolic link per applet, where busybox.links
# (written by the build) puts it: /bin, /sbin, /usr/bin, /usr/sbin.  The
# links of an earlier install go first, so that an applet turned off
# leaves no link behind; a file another port put at an applet's place
# (bc's /usr/bin/bc) is kept (--noclobber).
busybox_INSTALL = \
	for d in bin sbin usr/bin usr/sbin; do \
		test ! -d $(PORT_ROOTFS)/$$d || find $(PORT_ROOTFS)/$$d \
		    -maxdepth 1 -type l -lname '*busybox' -exec rm -f {} +; \
	done; \
	sh applets/install.sh $(PORT_ROOTFS) --symlinks --noclobber
