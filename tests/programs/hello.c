/*
 * hello: the first program EclipseOS runs.  Built with musl-gcc -static
 * (as /bin/hello in the initramfs) and as a static-PIE (/bin/hello-pie);
 * /bin/hello.sh runs it as a "#!" interpreter.  It prints its argument
 * count and its arguments, one a line, and exits 0:
 *
 *	hello from a static musl program, argc=2
 *	argv[0]: /bin/hello
 *	argv[1]: world
 *
 * The loader's unit tests (tests/unit/test_exec_stack.c) run it on the
 * host from the stack the kernel's exec_stack_build() makes and compare
 * this output.
 */
#include <stdio.h>

int
main(int argc, char *argv[])
{
	int i;

	printf("hello from a static musl program, argc=%d\n", argc);
	for (i = 0; i < argc; i++)
		printf("argv[%d]: %s\n", i, argv[i]);
	return fflush(stdout) == 0 ? 0 : 1;
}
