/*
 * Host buffers for the tests of the kernel's readers of untrusted bytes
 * (test_exec_elf.c, test_exec_stack.c, test_subr_cpio.c): guarded copies,
 * which end where an inaccessible page begins, so that one byte read past
 * the end is a crash and not a silent pass; and the files of the build
 * (the programs, the initramfs), read whole.
 */
#ifndef _TESTS_UNIT_HOSTBUF_H_
#define _TESTS_UNIT_HOSTBUF_H_

#include <stddef.h>

void		*hostbuf_guarded(const void *p, size_t len, void **mapping,
		    size_t *maplen);
const char	*hostbuf_build_dir(const char *argv0);
char		*hostbuf_read(const char *dir, const char *name, size_t *len);

#endif /* _TESTS_UNIT_HOSTBUF_H_ */
