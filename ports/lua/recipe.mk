# Lua 5.4: the interpreter /usr/bin/lua and the compiler /usr/bin/luac,
# built by Lua's own makefile for a plain POSIX system (LUA_USE_POSIX: no
# readline, no dlopen, so no C modules loaded at run time).

lua_VERSION	:= 5.4.4

lua_CONFIGURE	= :

lua_BUILD = \
	$(PORT_MAKE) -C src posix CC="$(PORT_CC) -std=gnu99" \
	    MYCFLAGS="$(PORT_CFLAGS)" MYLDFLAGS="$(PORT_LDFLAGS) -s"

lua_INSTALL = \
	install -D -m 0755 src/lua $(PORT_ROOTFS)/usr/bin/lua; \
	install -D -m 0755 src/luac $(PORT_ROOTFS)/usr/bin/luac
