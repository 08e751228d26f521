/*
 * The names test_exec_abi.c compares between EclipseOS's sys/sys/abi
 * headers (elf.h, auxv.h, binfmts.h) and the host's (<elf.h>,
 * <linux/auxvec.h>, <asm/auxvec.h>, <linux/binfmts.h>): each list is
 * expanded once against each side, in separate files, since both sides
 * define the same macro names.
 */
#ifndef _TESTS_UNIT_EXEC_ABI_H_
#define _TESTS_UNIT_EXEC_ABI_H_

struct abi_val {
	const char	*av_name;
	long		 av_value;
};

#define ABI_ELF_CONSTS(X)						\
	X(EI_MAG0) X(EI_MAG1) X(EI_MAG2) X(EI_MAG3) X(EI_CLASS)		\
	X(EI_DATA) X(EI_VERSION) X(EI_OSABI) X(EI_NIDENT) X(ELFMAG0)	\
	X(ELFMAG1) X(ELFMAG2) X(ELFMAG3) X(ELFCLASS64) X(ELFDATA2LSB)	\
	X(EV_CURRENT) X(ET_EXEC) X(ET_DYN) X(EM_X86_64) X(PN_XNUM)	\
	X(PT_NULL) X(PT_LOAD) X(PT_DYNAMIC) X(PT_INTERP) X(PT_NOTE)	\
	X(PT_SHLIB) X(PT_PHDR) X(PT_TLS) X(PT_GNU_STACK)		\
	X(PT_GNU_RELRO) X(PF_X) X(PF_W) X(PF_R)

#define ABI_EHDR_FIELDS(X)						\
	X(e_ident) X(e_type) X(e_machine) X(e_version) X(e_entry)	\
	X(e_phoff) X(e_shoff) X(e_flags) X(e_ehsize) X(e_phentsize)	\
	X(e_phnum) X(e_shentsize) X(e_shnum) X(e_shstrndx)

#define ABI_PHDR_FIELDS(X)						\
	X(p_type) X(p_flags) X(p_offset) X(p_vaddr) X(p_paddr)		\
	X(p_filesz) X(p_memsz) X(p_align)

#define ABI_AUXV(X)							\
	X(AT_NULL) X(AT_IGNORE) X(AT_EXECFD) X(AT_PHDR) X(AT_PHENT)	\
	X(AT_PHNUM) X(AT_PAGESZ) X(AT_BASE) X(AT_FLAGS) X(AT_ENTRY)	\
	X(AT_NOTELF) X(AT_UID) X(AT_EUID) X(AT_GID) X(AT_EGID)		\
	X(AT_PLATFORM) X(AT_HWCAP) X(AT_CLKTCK) X(AT_SECURE)		\
	X(AT_BASE_PLATFORM) X(AT_RANDOM) X(AT_HWCAP2) X(AT_EXECFN)	\
	X(AT_SYSINFO_EHDR) X(AT_MINSIGSTKSZ)

#define ABI_BINFMTS(X)							\
	X(MAX_ARG_STRLEN) X(MAX_ARG_STRINGS) X(BINPRM_BUF_SIZE)

/* The host's values (exec_abi_host_elf.c, exec_abi_host_linux.c). */
extern const struct abi_val abi_host_elf[], abi_host_ehdr[], abi_host_phdr[];
extern const struct abi_val abi_host_auxv[], abi_host_binfmts[];
extern const long abi_host_ehdr_size, abi_host_phdr_size;

#endif /* _TESTS_UNIT_EXEC_ABI_H_ */
