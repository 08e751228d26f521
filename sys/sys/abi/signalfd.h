/*
 * signalfd(2): signalfd4's flags and the 128-byte record a read returns
 * for each signal (uapi linux/signalfd.h).  Includes nothing.
 */
#ifndef _SYS_ABI_SIGNALFD_H_
#define _SYS_ABI_SIGNALFD_H_

#define SFD_CLOEXEC	02000000	/* O_CLOEXEC */
#define SFD_NONBLOCK	00004000	/* O_NONBLOCK */

struct l_signalfd_siginfo {
	unsigned int	 ssi_signo;
	int		 ssi_errno;
	int		 ssi_code;
	unsigned int	 ssi_pid;
	unsigned int	 ssi_uid;
	int		 ssi_fd;
	unsigned int	 ssi_tid;
	unsigned int	 ssi_band;
	unsigned int	 ssi_overrun;
	unsigned int	 ssi_trapno;
	int		 ssi_status;
	int		 ssi_int;
	unsigned long	 ssi_ptr;
	unsigned long	 ssi_utime;
	unsigned long	 ssi_stime;
	unsigned long	 ssi_addr;
	unsigned short	 ssi_addr_lsb;
	unsigned short	 __pad2;
	int		 ssi_syscall;
	unsigned long	 ssi_call_addr;
	unsigned int	 ssi_arch;
	unsigned char	 __pad[28];
};

_Static_assert(sizeof(struct l_signalfd_siginfo) == 128,
    "l_signalfd_siginfo");
_Static_assert(__builtin_offsetof(struct l_signalfd_siginfo, ssi_ptr) == 48,
    "ssi_ptr");

#endif /* _SYS_ABI_SIGNALFD_H_ */
