/*
 * Limits of execve(2) that user space can see (Linux's
 * include/uapi/linux/binfmts.h, and execve(2) "Limits on size of arguments
 * and environment").  A host test compares them with the host's headers.
 * Includes nothing.
 */
#ifndef _SYS_ABI_BINFMTS_H_
#define _SYS_ABI_BINFMTS_H_

/* The longest single argv or envp string, with its NUL: 32 pages. */
#define MAX_ARG_STRLEN	(4096 * 32)
/* The most argv (or envp) strings. */
#define MAX_ARG_STRINGS	0x7FFFFFFF
/* Bytes of a file exec reads to decide its format; a "#!" line's limit. */
#define BINPRM_BUF_SIZE	256

#endif /* _SYS_ABI_BINFMTS_H_ */
