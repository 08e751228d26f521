/*
 * ELF core files (gABI ET_CORE; Linux's note types, uapi linux/elf.h; the
 * note payloads as Linux writes them for x86_64, which gdb and musl's
 * <sys/procfs.h> read: struct elf_prstatus and struct elf_prpsinfo are
 * not in the UAPI headers, so their layout is pinned by the
 * _Static_asserts below and by signal/core.c, which reads a core with
 * musl's definitions on Linux and on EclipseOS).
 */
#ifndef _SYS_ABI_ELFCORE_H_
#define _SYS_ABI_ELFCORE_H_

#include <sys/types.h>

#define ET_CORE		4
#define NT_PRSTATUS	1		/* struct l_elf_prstatus */
#define NT_PRFPREG	2		/* the 512-byte fxsave area */
#define NT_PRPSINFO	3		/* struct l_elf_prpsinfo */
#define NT_AUXV		6
#define NT_SIGINFO	0x53494749	/* "SIGI": the siginfo, 128 bytes */

/* A note's header; the name and the payload follow, each 4-aligned. */
struct l_elf64_nhdr {
	uint32_t	n_namesz;
	uint32_t	n_descsz;
	uint32_t	n_type;
};

/* x86_64 user_regs_struct order: the 27 general registers of a core. */
#define L_ELF_NGREG	27

struct l_elf_prstatus {
	int32_t		pr_signo;	/* struct elf_siginfo */
	int32_t		pr_code;
	int32_t		pr_errno;
	int16_t		pr_cursig;
	uint64_t	pr_sigpend;
	uint64_t	pr_sighold;
	int32_t		pr_pid, pr_ppid, pr_pgrp, pr_sid;
	int64_t		pr_utime[2], pr_stime[2], pr_cutime[2], pr_cstime[2];
	uint64_t	pr_reg[L_ELF_NGREG];
	int32_t		pr_fpvalid;
};

struct l_elf_prpsinfo {
	char		pr_state;
	char		pr_sname;
	char		pr_zomb;
	char		pr_nice;
	uint64_t	pr_flag;
	uint32_t	pr_uid, pr_gid;
	int32_t		pr_pid, pr_ppid, pr_pgrp, pr_sid;
	char		pr_fname[16];
	char		pr_psargs[80];
};

_Static_assert(sizeof(struct l_elf_prstatus) == 336, "elf_prstatus");
_Static_assert(__builtin_offsetof(struct l_elf_prstatus, pr_reg) == 112,
    "elf_prstatus.pr_reg");
_Static_assert(sizeof(struct l_elf_prpsinfo) == 136, "elf_prpsinfo");
_Static_assert(__builtin_offsetof(struct l_elf_prpsinfo, pr_fname) == 40,
    "elf_prpsinfo.pr_fname");

#endif /* _SYS_ABI_ELFCORE_H_ */
