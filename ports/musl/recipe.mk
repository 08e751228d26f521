# musl: the C library for programs compiled inside EclipseOS (by tcc,
# ports/tcc).  Built with the host's gcc as a static library only (there
# is no dynamic loader in EclipseOS) and installed as the development
# files of the image: /usr/include (musl's headers and the Linux UAPI
# headers linux/, asm/, asm-generic/ that the ports use), /usr/lib/libc.a
# with its empty companions (libm.a, libpthread.a ...) and the start files
# crt1.o, rcrt1.o, Scrt1.o, crti.o, crtn.o.  The ports themselves are
# still built on the host with musl-gcc (the host's musl-dev); nothing of
# that goes into the image.

musl_VERSION	:= 1.2.3

musl_CONFIGURE = \
	./configure --prefix=/usr --syslibdir=/lib \
	    --disable-shared --disable-wrapper CC=gcc CFLAGS=-Os

musl_BUILD = \
	$(PORT_MAKE)

# The UAPI folders are copied (not linked): the image has no host.
musl_INSTALL = \
	$(PORT_MAKE) DESTDIR=$(PORT_ROOTFS) install; \
	for d in linux asm asm-generic; do \
		rm -rf $(PORT_ROOTFS)/usr/include/$$d; \
		cp -RL $(PORT_UAPI)/$$d $(PORT_ROOTFS)/usr/include/$$d; \
	done; \
	chmod -R u+w,go-w $(PORT_ROOTFS)/usr/include
