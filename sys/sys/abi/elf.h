/*
 * The ELF64 file format as the x86_64 program loader reads it: the file
 * header and the program headers, with the constants the loader needs.
 * Written from the System V gABI ("ELF-64 Object File Format", chapters
 * "ELF Header" and "Program Header") and the x86-64 psABI (e_machine 62);
 * PT_GNU_STACK is the GNU extension Linux honours.  A host test
 * (tests/unit/test_exec_abi.c) compares every value, size and offset with
 * the host's <elf.h>.  Includes nothing.
 */
#ifndef _SYS_ABI_ELF_H_
#define _SYS_ABI_ELF_H_

/* e_ident[]: gABI, "ELF Identification". */
#define EI_MAG0		0
#define EI_MAG1		1
#define EI_MAG2		2
#define EI_MAG3		3
#define EI_CLASS	4
#define EI_DATA		5
#define EI_VERSION	6
#define EI_OSABI	7
#define EI_NIDENT	16

#define ELFMAG0		0x7f
#define ELFMAG1		'E'
#define ELFMAG2		'L'
#define ELFMAG3		'F'
#define ELFCLASS64	2
#define ELFDATA2LSB	1		/* little-endian */
#define EV_CURRENT	1

/* e_type */
#define ET_EXEC		2		/* fixed-address executable */
#define ET_DYN		3		/* position-independent */

/* e_machine: x86-64 psABI, 4.1.1 */
#define EM_X86_64	62

/* e_phnum escape: the count is elsewhere (never accepted here). */
#define PN_XNUM		0xffff

/* p_type */
#define PT_NULL		0
#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PT_INTERP	3
#define PT_NOTE		4
#define PT_SHLIB	5
#define PT_PHDR		6
#define PT_TLS		7
#define PT_GNU_STACK	0x6474e551	/* p_flags: is the stack executable */
#define PT_GNU_RELRO	0x6474e552

/* p_flags */
#define PF_X		0x1
#define PF_W		0x2
#define PF_R		0x4

/* The file header, at offset 0. */
struct elf64_ehdr {
	unsigned char	e_ident[EI_NIDENT];
	unsigned short	e_type;
	unsigned short	e_machine;
	unsigned int	e_version;
	unsigned long	e_entry;	/* virtual address of the entry */
	unsigned long	e_phoff;	/* file offset of the program headers */
	unsigned long	e_shoff;
	unsigned int	e_flags;
	unsigned short	e_ehsize;
	unsigned short	e_phentsize;	/* 56 for ELF64 */
	unsigned short	e_phnum;
	unsigned short	e_shentsize;
	unsigned short	e_shnum;
	unsigned short	e_shstrndx;
};

/* One program header: a segment, or a note for the loader. */
struct elf64_phdr {
	unsigned int	p_type;
	unsigned int	p_flags;
	unsigned long	p_offset;	/* where its bytes are in the file */
	unsigned long	p_vaddr;	/* where they go in memory */
	unsigned long	p_paddr;
	unsigned long	p_filesz;	/* bytes from the file */
	unsigned long	p_memsz;	/* bytes in memory (the rest zero) */
	unsigned long	p_align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "elf64_ehdr");
_Static_assert(__builtin_offsetof(struct elf64_ehdr, e_entry) == 24,
    "e_entry");
_Static_assert(__builtin_offsetof(struct elf64_ehdr, e_phoff) == 32,
    "e_phoff");
_Static_assert(__builtin_offsetof(struct elf64_ehdr, e_phentsize) == 54,
    "e_phentsize");
_Static_assert(sizeof(struct elf64_phdr) == 56, "elf64_phdr");
_Static_assert(__builtin_offsetof(struct elf64_phdr, p_offset) == 8,
    "p_offset");
_Static_assert(__builtin_offsetof(struct elf64_phdr, p_align) == 48,
    "p_align");

#endif /* _SYS_ABI_ELF_H_ */
