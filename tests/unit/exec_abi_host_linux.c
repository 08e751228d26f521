/*
 * The host's Linux UAPI values for test_exec_abi.c (see exec_abi.h).
 * <linux/binfmts.h> writes MAX_ARG_STRLEN with the kernel's PAGE_SIZE,
 * which user space does not have: x86_64's is 4096.
 */
#include <stddef.h>

#include <asm/auxvec.h>
#include <linux/auxvec.h>
#define PAGE_SIZE	4096
#include <linux/binfmts.h>

#include "exec_abi.h"

#define VAL(n)	{ #n, (long)(n) },

const struct abi_val abi_host_auxv[] = { ABI_AUXV(VAL) { NULL, 0 } };
const struct abi_val abi_host_binfmts[] = { ABI_BINFMTS(VAL) { NULL, 0 } };
