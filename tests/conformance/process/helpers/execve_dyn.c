/*
 * execve_dyn: the dynamically linked helper of process/execve_interp,
 * built by conformance.mk with musl-gcc without -static, so that its
 * PT_INTERP names musl's dynamic linker, /lib/ld-musl-x86_64.so.1 (on the
 * host and in the test initramfs).  It prints "dynamic: hello" and exits
 * 0 when the kernel started it through its interpreter as Linux does:
 * AT_BASE, the interpreter's load address, is not 0, and AT_ENTRY is this
 * program's own entry point (_start); otherwise 2 or 3.
 */
#include <stdio.h>
#include <sys/auxv.h>

extern char _start[];

int
main(void)
{
	unsigned long base = getauxval(AT_BASE);
	unsigned long entry = getauxval(AT_ENTRY);

	printf("dynamic: hello\n");
	if (fflush(stdout) != 0)
		return 1;
	if (base == 0)
		return 2;
	if (entry != (unsigned long)_start)
		return 3;
	return 0;
}
