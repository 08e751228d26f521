/*
 * sctrace's parts (bin/sctrace): the decoders of decode.c.
 */
#ifndef _SCTRACE_H_
#define _SCTRACE_H_

#include <stddef.h>
#include <stdio.h>

const char *sct_signame(long sig);
const char *sct_errname(long e);
void	sct_print_quoted(FILE *f, const unsigned char *s, size_t n,
	    int trunc);
int	sct_decode_arg(FILE *f, const char *name, const char *type,
	    const char *pname, unsigned long v);

#endif /* _SCTRACE_H_ */
