/*
 * memfd_create(2)'s flags (uapi linux/memfd.h).  Includes nothing.
 */
#ifndef _SYS_ABI_MEMFD_H_
#define _SYS_ABI_MEMFD_H_

/* memfd_create(2) */
#define MFD_CLOEXEC		0x0001U
#define MFD_ALLOW_SEALING	0x0002U
#define MFD_HUGETLB		0x0004U
#define MFD_NOEXEC_SEAL		0x0008U	/* Linux 6.3 */
#define MFD_EXEC		0x0010U	/* Linux 6.3 */
/* The longest name: NAME_MAX less the "memfd:" prefix. */
#define MFD_NAME_MAX		249

#endif /* _SYS_ABI_MEMFD_H_ */
