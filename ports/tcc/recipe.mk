# TinyCC: a C compiler that runs inside EclipseOS.  /usr/bin/tcc (and
# /usr/bin/cc, a link to it) is a static musl program configured for musl
# (--config-musl): it looks for headers in /usr/lib/tcc/include (its own
# stdarg.h, stddef.h ...) then /usr/include, for crt1.o, crti.o, crtn.o
# and libraries in /usr/lib, all of which ports/musl installs.  EclipseOS
# has no dynamic loader, so patches/01 makes tcc link statically by
# default when CONFIG_TCC_STATIC_LINK is defined, which the configure
# step adds to config.h: `tcc -o hello hello.c` needs no -static; and
# patches/02 searches libc.a again after libtcc1.a, which a static link
# needs (libtcc1.a's va_list.o calls abort).  libtcc1.a (tcc's run-time
# helpers) is compiled by the tcc just built, against musl's headers
# from the staging root rather than the host's.  The host's triplet
# (x86_64-linux-gnu), which configure finds on its own, is dropped: the
# paths are given in full.

tcc_VERSION	:= 0.9.27+git20200814.62c30a4a

# musl's headers, libc.a and start files must be in the staging root.
$(PORT_STAMPS)/port-tcc.configured: $(PORT_STAMPS)/port-musl

tcc_CONFIGURE = \
	./configure --prefix=/usr --cc="$(PORT_CC)" --config-musl \
	    --extra-cflags="-Os" --extra-ldflags="$(PORT_LDFLAGS)" \
	    --sysincludepaths="{B}/include:/usr/include" \
	    --libpaths=/usr/lib --crtprefix=/usr/lib; \
	sed -i -e '/CONFIG_TRIPLET/d' config.mak; \
	echo "\#define CONFIG_TCC_STATIC_LINK 1" >>config.h

tcc_BUILD = \
	$(PORT_MAKE) tcc; \
	test "$$(readelf -lW tcc | grep -c INTERP)" = 0; \
	$(PORT_MAKE) libtcc1.a XFLAGS="-B$(PORT_SRC) -I$(PORT_SRC) \
	    -nostdinc -I$(PORT_SRC)/include -I$(PORT_ROOTFS)/usr/include"

tcc_INSTALL = \
	install -D -m 0755 -s tcc $(PORT_ROOTFS)/usr/bin/tcc; \
	ln -sf tcc $(PORT_ROOTFS)/usr/bin/cc; \
	mkdir -p $(PORT_ROOTFS)/usr/lib/tcc/include; \
	install -m 0644 libtcc1.a bt-exe.o bt-log.o $(PORT_ROOTFS)/usr/lib/tcc; \
	install -m 0644 include/*.h tcclib.h $(PORT_ROOTFS)/usr/lib/tcc/include
