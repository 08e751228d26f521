# GNU bc: /usr/bin/bc, the arbitrary precision calculator, and
# /usr/bin/dc, its reverse-polish sibling; no readline (the shell's line
# editing is BusyBox's).  The build runs a first bc (fbc, a static musl
# program the host can run) to turn the math library libmath.b into
# libmath.h; our patch makes the script that formats it use sed instead
# of ed(1), which build hosts seldom have.

bc_VERSION	:= 1.07.1

bc_CONFIGURE = \
	./configure --prefix=/usr --without-readline --without-libedit \
	    CC="$(PORT_CC)" CFLAGS="$(PORT_CFLAGS)" \
	    LDFLAGS="$(PORT_LDFLAGS)" MAKEINFO=true

bc_BUILD = \
	$(PORT_MAKE) MAKEINFO=true; \
	for p in bc/bc dc/dc; do \
		test "$$(readelf -lW $$p | grep -c INTERP)" = 0; \
	done

# BusyBox's bc and dc applets are links at the same paths: install after
# BusyBox, replacing them.
$(PORT_STAMPS)/port-bc: $(PORT_STAMPS)/port-busybox

bc_INSTALL = \
	rm -f $(PORT_ROOTFS)/usr/bin/bc $(PORT_ROOTFS)/usr/bin/dc; \
	install -D -m 0755 -s bc/bc $(PORT_ROOTFS)/usr/bin/bc; \
	install -D -m 0755 -s dc/dc $(PORT_ROOTFS)/usr/bin/dc
