/*
 * The auxiliary vector's keys (uapi linux/auxvec.h and asm/auxvec.h):
 * the (key, value) pairs exec puts on a new program's stack after envp,
 * ended by AT_NULL (System V ABI AMD64 supplement, 3.4.3).  Includes
 * nothing.
 */
#ifndef _SYS_ABI_AUXV_H_
#define _SYS_ABI_AUXV_H_

#define AT_NULL			0	/* end of the vector */
#define AT_IGNORE		1
#define AT_EXECFD		2	/* the program's file descriptor */
#define AT_PHDR			3	/* the program headers, in memory */
#define AT_PHENT		4	/* size of one program header */
#define AT_PHNUM		5	/* number of program headers */
#define AT_PAGESZ		6	/* page size */
#define AT_BASE			7	/* the interpreter's load address */
#define AT_FLAGS		8
#define AT_ENTRY		9	/* the program's entry point */
#define AT_NOTELF		10
#define AT_UID			11	/* real uid */
#define AT_EUID			12	/* effective uid */
#define AT_GID			13	/* real gid */
#define AT_EGID			14	/* effective gid */
#define AT_PLATFORM		15	/* a string: "x86_64" */
#define AT_HWCAP		16	/* CPUID.1:EDX on x86 */
#define AT_CLKTCK		17	/* times(2)'s ticks per second */
#define AT_SECURE		23	/* set-id program: 1 */
#define AT_BASE_PLATFORM	24
#define AT_RANDOM		25	/* address of 16 random bytes */
#define AT_HWCAP2		26
#define AT_EXECFN		31	/* the path given to execve */
#define AT_SYSINFO_EHDR		33	/* the vDSO's ELF header */
#define AT_MINSIGSTKSZ		51	/* smallest signal stack */

#endif /* _SYS_ABI_AUXV_H_ */
