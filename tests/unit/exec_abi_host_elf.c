/* The host's <elf.h> values for test_exec_abi.c (see exec_abi.h). */
#include <elf.h>
#include <stddef.h>

#include "exec_abi.h"

#define VAL(n)	{ #n, (long)(n) },
#define EOFF(f)	{ #f, (long)offsetof(Elf64_Ehdr, f) },
#define POFF(f)	{ #f, (long)offsetof(Elf64_Phdr, f) },

const struct abi_val abi_host_elf[] = { ABI_ELF_CONSTS(VAL) { NULL, 0 } };
const struct abi_val abi_host_ehdr[] = { ABI_EHDR_FIELDS(EOFF) { NULL, 0 } };
const struct abi_val abi_host_phdr[] = { ABI_PHDR_FIELDS(POFF) { NULL, 0 } };
const long abi_host_ehdr_size = sizeof(Elf64_Ehdr);
const long abi_host_phdr_size = sizeof(Elf64_Phdr);
