/*
 * open(2) flags, the *at(2) directory and flag arguments, and the basic
 * fcntl(2) commands (uapi asm-generic/fcntl.h and linux/fcntl.h; the
 * values are octal, as Linux writes them), and struct flock.
 */
#ifndef _SYS_ABI_FCNTL_H_
#define _SYS_ABI_FCNTL_H_

#include <sys/types.h>

#define O_ACCMODE	00000003
#define O_RDONLY	00000000
#define O_WRONLY	00000001
#define O_RDWR		00000002
#define O_CREAT		00000100
#define O_EXCL		00000200
#define O_NOCTTY	00000400
#define O_TRUNC		00001000
#define O_APPEND	00002000
#define O_NONBLOCK	00004000
#define O_NDELAY	O_NONBLOCK
#define O_DSYNC		00010000
#define FASYNC		00020000
#define O_DIRECT	00040000
#define O_LARGEFILE	00100000	/* always on for 64-bit programs */
#define O_DIRECTORY	00200000
#define O_NOFOLLOW	00400000
#define O_NOATIME	01000000
#define O_CLOEXEC	02000000
#define __O_SYNC	04000000
#define O_SYNC		(__O_SYNC | O_DSYNC)
#define O_PATH		010000000
#define __O_TMPFILE	020000000
#define O_TMPFILE	(__O_TMPFILE | O_DIRECTORY)

/* The *at(2) calls. */
#define AT_FDCWD		(-100)	/* dirfd: the working directory */
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_EACCESS		0x200	/* faccessat: effective ids */
#define AT_REMOVEDIR		0x200	/* unlinkat: rmdir */
#define AT_SYMLINK_FOLLOW	0x400	/* linkat */
#define AT_NO_AUTOMOUNT		0x800
#define AT_EMPTY_PATH		0x1000	/* "" names dirfd itself */
#define AT_RECURSIVE		0x8000

/* fcntl(2) */
#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_GETLK		5
#define F_SETLK		6
#define F_SETLKW	7
#define F_SETOWN	8
#define F_GETOWN	9
#define F_SETSIG	10		/* a lease break's signal (SIGIO) */
#define F_GETSIG	11
#define F_SETLEASE	1024		/* F_LINUX_SPECIFIC_BASE: leases */
#define F_GETLEASE	1025
#define F_NOTIFY	1026		/* F_LINUX_SPECIFIC_BASE + 2 */
#define F_DUPFD_CLOEXEC	1030		/* F_LINUX_SPECIFIC_BASE + 6 */
#define F_SETPIPE_SZ	1031
#define F_GETPIPE_SZ	1032
#define F_ADD_SEALS	1033		/* file seals (memfd_create(2)) */
#define F_GET_SEALS	1034
#define F_SEAL_SEAL	0x0001		/* no more seals */
#define F_SEAL_SHRINK	0x0002		/* no truncation to less */
#define F_SEAL_GROW	0x0004		/* no growth */
#define F_SEAL_WRITE	0x0008		/* no writes */
#define F_SEAL_FUTURE_WRITE 0x0010	/* no new writable mappings, writes */
#define FD_CLOEXEC	1
#define F_OFD_GETLK	36		/* open file description locks */
#define F_OFD_SETLK	37
#define F_OFD_SETLKW	38

/* Record locks: fcntl(2) F_GETLK/F_SETLK/F_SETLKW and the OFD forms. */
struct l_flock {
	int16_t		l_type;		/* F_RDLCK, F_WRLCK, F_UNLCK */
	int16_t		l_whence;	/* SEEK_SET, SEEK_CUR, SEEK_END */
	int64_t		l_start;
	int64_t		l_len;		/* 0: to the end, for ever */
	int32_t		l_pid;		/* F_GETLK: the holder; OFD: 0 */
};

#define F_RDLCK		0
#define F_WRLCK		1
#define F_UNLCK		2

/* flock(2) */
#define LOCK_SH		1
#define LOCK_EX		2
#define LOCK_NB		4
#define LOCK_UN		8

/* lseek(2) */
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#define SEEK_DATA	3
#define SEEK_HOLE	4
#define SEEK_MAX	SEEK_HOLE

/* The pipe's capacity (pipe(7)) and its atomic write size (limits.h). */
#define L_PIPE_SIZE	65536
#define L_PIPE_BUF	4096

#endif /* _SYS_ABI_FCNTL_H_ */
