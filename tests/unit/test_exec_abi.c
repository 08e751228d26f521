/*
 * Host test of the exec ABI headers: every constant, size and field
 * offset of sys/sys/abi/elf.h, auxv.h and binfmts.h against the host's
 * <elf.h> and Linux UAPI headers, which are the reference (the headers
 * were written from the specifications, not copied; this checks them).
 */
#include <stddef.h>

#include <sys/abi/auxv.h>
#include <sys/abi/binfmts.h>
#include <sys/abi/elf.h>

#include "exec_abi.h"
#include "unit.h"

#define VAL(n)	{ #n, (long)(n) },
#define EOFF(f)	{ #f, (long)offsetof(struct elf64_ehdr, f) },
#define POFF(f)	{ #f, (long)offsetof(struct elf64_phdr, f) },

static const struct abi_val our_elf[] = { ABI_ELF_CONSTS(VAL) { NULL, 0 } };
static const struct abi_val our_ehdr[] = {
	ABI_EHDR_FIELDS(EOFF) { NULL, 0 } };
static const struct abi_val our_phdr[] = {
	ABI_PHDR_FIELDS(POFF) { NULL, 0 } };
static const struct abi_val our_auxv[] = { ABI_AUXV(VAL) { NULL, 0 } };
static const struct abi_val our_binfmts[] = {
	ABI_BINFMTS(VAL) { NULL, 0 } };

static void
compare(const char *what, const struct abi_val *ours,
    const struct abi_val *host)
{
	int i;

	for (i = 0; ours[i].av_name != NULL; i++)
		UNIT_CHECK(ours[i].av_value == host[i].av_value,
		    "%s %s: %ld (host %ld)", what, ours[i].av_name,
		    ours[i].av_value, host[i].av_value);
}

int
main(void)
{
	compare("elf.h", our_elf, abi_host_elf);
	UNIT_CHECK(sizeof(struct elf64_ehdr) == (size_t)abi_host_ehdr_size,
	    "sizeof(struct elf64_ehdr) %zu (host %ld)",
	    sizeof(struct elf64_ehdr), abi_host_ehdr_size);
	compare("offset of", our_ehdr, abi_host_ehdr);
	UNIT_CHECK(sizeof(struct elf64_phdr) == (size_t)abi_host_phdr_size,
	    "sizeof(struct elf64_phdr) %zu (host %ld)",
	    sizeof(struct elf64_phdr), abi_host_phdr_size);
	compare("offset of", our_phdr, abi_host_phdr);
	compare("auxv.h", our_auxv, abi_host_auxv);
	compare("binfmts.h", our_binfmts, abi_host_binfmts);
	return unit_done();
}
