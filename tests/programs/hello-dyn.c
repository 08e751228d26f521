/*
 * hello-dyn: a dynamically linked program, built with plain musl-gcc (no
 * -static) as /bin/hello-dyn in the image.  Its PT_INTERP names musl's
 * dynamic linker, /lib/ld-musl-x86_64.so.1 (musl's libc.so, also in the
 * image), which the kernel loads beside it and starts first
 * (Documentation/exec.md).  It prints where that loader was put (AT_BASE)
 * and its arguments, and exits 0:
 *
 *	hello from a dynamically linked musl program, argc=1
 *	the dynamic linker is at 0x7effff...
 *	argv[0]: /bin/hello-dyn
 */
#include <stdio.h>
#include <sys/auxv.h>

int
main(int argc, char *argv[])
{
	int i;

	printf("hello from a dynamically linked musl program, argc=%d\n",
	    argc);
	printf("the dynamic linker is at %#lx\n", getauxval(AT_BASE));
	for (i = 0; i < argc; i++)
		printf("argv[%d]: %s\n", i, argv[i]);
	return fflush(stdout) == 0 ? 0 : 1;
}
