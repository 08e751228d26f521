/*
 * Sockets as user space sees them: socket(2), unix(7), socket(7),
 * cmsg(3).  The SO_* options are uapi asm-generic/socket.h's; the
 * families, types, message flags, struct msghdr, struct cmsghdr and
 * struct ucred are glibc's <sys/socket.h> (the uapi headers have none of
 * them); struct sockaddr_un is uapi linux/un.h's.  Includes nothing.
 */
#ifndef _SYS_ABI_SOCKET_H_
#define _SYS_ABI_SOCKET_H_

/* Address families (socket(2)'s domain) */
#define AF_UNSPEC	0
#define AF_UNIX		1
#define AF_INET		2
#define AF_INET6	10
#define AF_NETLINK	16

/* Types, and the flags socket(2) and socketpair(2) take with them */
#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#define SOCK_RAW	3
#define SOCK_RDM	4
#define SOCK_SEQPACKET	5
#define SOCK_PACKET	10
#define SOCK_TYPE_MASK	0xf
#define SOCK_NONBLOCK	04000
#define SOCK_CLOEXEC	02000000

/* setsockopt(2) levels and socket(7) options */
#define SOL_SOCKET	1
#define SO_DEBUG	1
#define SO_REUSEADDR	2
#define SO_TYPE		3
#define SO_ERROR	4
#define SO_DONTROUTE	5
#define SO_BROADCAST	6
#define SO_SNDBUF	7
#define SO_RCVBUF	8
#define SO_KEEPALIVE	9
#define SO_PASSCRED	16
#define SO_PEERCRED	17
#define SO_RCVLOWAT	18
#define SO_SNDLOWAT	19
#define SO_RCVTIMEO_OLD	20
#define SO_SNDTIMEO_OLD	21
#define SO_RCVTIMEO	SO_RCVTIMEO_OLD
#define SO_SNDTIMEO	SO_SNDTIMEO_OLD
#define SO_ACCEPTCONN	30
#define SO_SNDBUFFORCE	32
#define SO_RCVBUFFORCE	33
#define SO_PROTOCOL	38
#define SO_DOMAIN	39

/* Ancillary message types (level SOL_SOCKET) */
#define SCM_RIGHTS	1
#define SCM_CREDENTIALS	2
#define SCM_MAX_FD	253	/* descriptors in one SCM_RIGHTS (Linux) */

/* send(2) and recv(2) flags */
#define MSG_OOB		0x1
#define MSG_PEEK	0x2
#define MSG_DONTROUTE	0x4
#define MSG_CTRUNC	0x8
#define MSG_TRUNC	0x20
#define MSG_DONTWAIT	0x40
#define MSG_EOR		0x80
#define MSG_WAITALL	0x100
#define MSG_NOSIGNAL	0x4000
#define MSG_MORE	0x8000
#define MSG_WAITFORONE	0x10000
#define MSG_CMSG_CLOEXEC 0x40000000

/* shutdown(2) */
#define SHUT_RD		0
#define SHUT_WR		1
#define SHUT_RDWR	2

/* listen(2): the largest backlog (net.core.somaxconn's default) */
#define SOMAXCONN	4096

#define UNIX_PATH_MAX	108

typedef unsigned short l_sa_family_t;

/* The generic address: family, then data of the family's length. */
struct l_sockaddr {
	l_sa_family_t	 sa_family;
	char		 sa_data[14];
};

/* unix(7) */
struct l_sockaddr_un {
	l_sa_family_t	 sun_family;	/* AF_UNIX */
	char		 sun_path[UNIX_PATH_MAX];
};

/* sendmsg(2) and recvmsg(2) */
struct l_msghdr {
	void		*msg_name;	/* user addresses */
	int		 msg_namelen;
	struct l_iovec	*msg_iov;
	unsigned long	 msg_iovlen;
	void		*msg_control;
	unsigned long	 msg_controllen;
	unsigned int	 msg_flags;
};

/* sendmmsg(2) and recvmmsg(2) */
struct l_mmsghdr {
	struct l_msghdr	 msg_hdr;
	unsigned int	 msg_len;
};

/* One ancillary message: the header, then its data, 8-byte aligned. */
struct l_cmsghdr {
	unsigned long	 cmsg_len;	/* header and data */
	int		 cmsg_level;
	int		 cmsg_type;
};

/* SCM_CREDENTIALS and SO_PEERCRED */
struct l_ucred {
	int		 pid;
	unsigned int	 uid;
	unsigned int	 gid;
};

_Static_assert(sizeof(struct l_sockaddr_un) == 110, "sockaddr_un");
_Static_assert(sizeof(struct l_msghdr) == 56, "msghdr");
_Static_assert(__builtin_offsetof(struct l_msghdr, msg_control) == 32,
    "msg_control");
_Static_assert(__builtin_offsetof(struct l_msghdr, msg_flags) == 48,
    "msg_flags");
_Static_assert(sizeof(struct l_mmsghdr) == 64, "mmsghdr");
_Static_assert(sizeof(struct l_cmsghdr) == 16, "cmsghdr");
_Static_assert(sizeof(struct l_ucred) == 12, "ucred");

#endif /* _SYS_ABI_SOCKET_H_ */
