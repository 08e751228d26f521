/*
 * The socket system calls (socket(2), socket(7)): descriptors, addresses
 * and messages copied between user space and the protocol, which is
 * AF_UNIX alone (kern/uipc_usrreq.c, <sys/socket.h>).  Other families
 * fail with EAFNOSUPPORT (logged once each).
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/ioctl.h>
#include <sys/abi/stat.h>
#include <sys/abi/time.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/socket.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <sysproto.h>

#define SOCK_CTL_MAX	20480		/* Linux's optmem_max: ENOBUFS */
#define SOCK_BUF_MIN	4608		/* SO_RCVBUF/SO_SNDBUF floor, doubled */
#define SOCK_BUF_MAX	212992		/* net.core.[rw]mem_max */
#define MAX_RW_COUNT	0x7ffff000L	/* Linux: INT_MAX & PAGE_MASK */
#define SOCK_NFAMILY	46		/* Linux's AF_MAX (NPROTO) */

static long sock_read(struct file *fp, struct uio *uio);
static long sock_write(struct file *fp, struct uio *uio);
static long sock_ioctl(struct file *fp, unsigned int cmd, unsigned long arg);
static void sock_close(struct file *fp);
static int sock_stat(struct file *fp, struct l_stat *st);
static int sock_poll(struct file *fp, int events, struct poll_table *pt);

static const struct fileops sock_fileops = {
	.fo_name = "socket",
	.fo_read = sock_read,
	.fo_write = sock_write,
	.fo_ioctl = sock_ioctl,
	.fo_close = sock_close,
	.fo_seek = NULL,
	.fo_stat = sock_stat,
	.fo_poll = sock_poll,
};

static bool sock_logged_family[64];

static bool
sock_nonblock(struct file *fp, int flags)
{
	return (flags & MSG_DONTWAIT) || (file_getflags(fp) & O_NONBLOCK);
}

static long
sock_read(struct file *fp, struct uio *uio)
{
	struct unp_ctl ctl;
	long n;

	memset(&ctl, 0, sizeof(ctl));
	n = unp_recv(fp->f_data, uio, 0, sock_nonblock(fp, 0), &ctl);
	unp_ctl_free(&ctl);
	return n;
}

static long
sock_write(struct file *fp, struct uio *uio)
{
	return unp_send(fp->f_data, uio, NULL, 0, NULL, NULL, 0, 0,
	    sock_nonblock(fp, 0));
}

/* FIONREAD (SIOCINQ): the bytes (a datagram: the next one's) waiting. */
static long
sock_ioctl(struct file *fp, unsigned int cmd, unsigned long arg)
{
	struct socket *so = fp->f_data;
	int n;

	if (cmd != FIONREAD)
		return -ENOTTY;
	spin_lock(&unp_lock);
	if (so->so_listening)
		n = -EINVAL;
	else if (so->so_type == SOCK_STREAM)
		n = so->so_rcvcc;
	else
		n = so->so_rcv != NULL ? (int)so->so_rcv->m_len : 0;
	spin_unlock(&unp_lock);
	if (n < 0)
		return n;
	return copyout(&n, (void __user *)arg, sizeof(n));
}

static void
sock_close(struct file *fp)
{
	/* NULL: accept4 gave the socket back to its listener. */
	if (fp->f_data != NULL)
		unp_detach(fp->f_data);
}

/* fstat: a socket, 0777, owned by the caller (Linux's sockfs inode). */
static int
sock_stat(struct file *fp, struct l_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFSOCK | 0777;
	st->st_nlink = 1;
	st->st_ino = ((struct socket *)fp->f_data)->so_ino;
	st->st_uid = curproc->p_euid;
	st->st_gid = curproc->p_egid;
	st->st_blksize = PAGE_SIZE;
	return 0;
}

static int
sock_poll(struct file *fp, int events, struct poll_table *pt)
{
	(void)events;
	return unp_poll(fp->f_data, pt);
}

/*
 * The socket behind descriptor fd, with a reference on its file (for
 * file_rele): -EBADF when fd is not open, -ENOTSOCK when it is no
 * socket.
 */
static int
sock_getfile(int fd, struct file **fpp, struct socket **sop)
{
	int error;

	if ((error = fd_getfile_ops(fd, &sock_fileops, -ENOTSOCK, fpp)) < 0)
		return error;
	*sop = (*fpp)->f_data;
	return 0;
}

/*
 * The checks of socket(2) and socketpair(2), in Linux's order: the type's
 * flags (EINVAL), a type beyond SOCK_PACKET in a family number Linux
 * could have (EINVAL), the family (AF_UNIX only: EAFNOSUPPORT, logged
 * once per family), the protocol (0 or PF_UNIX: EPROTONOSUPPORT), the type
 * (ESOCKTNOSUPPORT; SOCK_RAW is a datagram socket, unix_create).
 * Returns the socket type.
 */
static int
sock_check(int domain, int type, int protocol)
{
	int t = type & SOCK_TYPE_MASK;

	if (type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	/* Linux's __sock_create: a type beyond SOCK_PACKET is EINVAL. */
	if (domain >= 0 && domain < SOCK_NFAMILY && t > SOCK_PACKET)
		return -EINVAL;
	if (domain != AF_UNIX) {
		if (domain >= 0 && domain < 64 && !sock_logged_family[domain]) {
			sock_logged_family[domain] = true;
			kprintf("socket: address family %d not supported\n",
			    domain);
		}
		return -EAFNOSUPPORT;
	}
	if (protocol != 0 && protocol != AF_UNIX)
		return -EPROTONOSUPPORT;
	switch (t) {
	case SOCK_STREAM:
	case SOCK_DGRAM:
	case SOCK_SEQPACKET:
		return t;
	case SOCK_RAW:
		return SOCK_DGRAM;
	default:
		return -ESOCKTNOSUPPORT;
	}
}

/* A file for socket so (its reference moves to the file), or NULL. */
static struct file *
sock_file(struct socket *so, int flags)
{
	struct file *fp;

	fp = file_alloc(&sock_fileops, so, O_RDWR |
	    ((flags & SOCK_NONBLOCK) ? O_NONBLOCK : 0));
	if (fp != NULL)
		unp_setfile(so, fp);
	return fp;
}

/* The socket of fp if it is a socket's file, else NULL.  No lock. */
struct socket *
sock_fromfile(struct file *fp)
{
	return fp->f_ops == &sock_fileops ? fp->f_data : NULL;
}

/* socket(2) */
long
sys_socket(int domain, int type, int protocol)
{
	struct socket *so;
	struct file *fp;
	int error, fd;

	if ((error = sock_check(domain, type, protocol)) < 0)
		return error;
	if ((so = unp_alloc(error)) == NULL)
		return -ENOMEM;
	if ((fp = sock_file(so, type)) == NULL) {
		unp_detach(so);
		return -ENOMEM;
	}
	fd = fd_install(fp, 0, (type & SOCK_CLOEXEC) != 0);
	file_rele(fp);
	return fd;
}

/* socketpair(2): AF_UNIX only. */
long
sys_socketpair(int domain, int type, int protocol, int __user *usv)
{
	struct socket *so[2];
	struct file *fp[2];
	int error, fds[2];

	if ((error = sock_check(domain, type, protocol)) < 0)
		return error;
	if ((so[0] = unp_alloc(error)) == NULL)
		return -ENOMEM;
	if ((so[1] = unp_alloc(so[0]->so_type)) == NULL) {
		unp_detach(so[0]);
		return -ENOMEM;
	}
	unp_pair(so[0], so[1]);
	if ((fp[0] = sock_file(so[0], type)) == NULL) {
		unp_detach(so[0]);
		unp_detach(so[1]);
		return -ENOMEM;
	}
	if ((fp[1] = sock_file(so[1], type)) == NULL) {
		file_rele(fp[0]);
		unp_detach(so[1]);
		return -ENOMEM;
	}
	if ((error = fd_install_pair(fp, fds, (type & SOCK_CLOEXEC) != 0)) <
	    0)
		goto out;
	if (copyout(fds, usv, sizeof(fds)) < 0) {
		(void)sys_close(fds[0]);
		(void)sys_close(fds[1]);
		error = -EFAULT;
	}
out:
	file_rele(fp[0]);
	file_rele(fp[1]);
	return error;
}

/*
 * Copy in a Unix address of len bytes: -EINVAL when shorter than the
 * family or longer than struct sockaddr_un, or of another family (the
 * caller decides about AF_UNSPEC).
 */
static int
sock_getaddr(const struct l_sockaddr __user *uaddr, int len,
    struct l_sockaddr_un *sun)
{
	if (len < (int)sizeof(l_sa_family_t) ||
	    len > (int)sizeof(struct l_sockaddr_un))
		return -EINVAL;
	memset(sun, 0, sizeof(*sun));
	if (copyin(uaddr, sun, len) < 0)
		return -EFAULT;
	return 0;
}

/*
 * Copy out an address of len bytes to uaddr with room *ulen says (at
 * most that much is written); *ulen gets the whole length.
 */
static int
sock_putaddr(const struct l_sockaddr_un *sun, int len,
    struct l_sockaddr __user *uaddr, int __user *ulen)
{
	int room;

	if (uaddr == NULL || ulen == NULL)
		return 0;
	if (copyin(ulen, &room, sizeof(room)) < 0)
		return -EFAULT;
	if (room < 0)
		return -EINVAL;
	if (len > 0 && copyout(sun, uaddr, MIN(room, len)) < 0)
		return -EFAULT;
	return copyout(&len, ulen, sizeof(len));
}

/* bind(2) */
long
sys_bind(int fd, const struct l_sockaddr __user *addr, int addrlen)
{
	struct l_sockaddr_un sun;
	struct socket *so;
	struct file *fp;
	int error;

	if ((error = sock_getfile(fd, &fp, &so)) < 0)
		return error;
	if ((error = sock_getaddr(addr, addrlen, &sun)) == 0)
		error = sun.sun_family != AF_UNIX ? -EINVAL :
		    unp_bind(so, &sun, addrlen);
	file_rele(fp);
	return error;
}

/* listen(2) */
long
sys_listen(int fd, int backlog)
{
	struct socket *so;
	struct file *fp;
	int error;

	if ((error = sock_getfile(fd, &fp, &so)) < 0)
		return error;
	error = unp_listen(so, backlog);
	file_rele(fp);
	return error;
}

/* accept4(2): flags SOCK_CLOEXEC and SOCK_NONBLOCK for the new socket. */
long
sys_accept4(int fd, struct l_sockaddr __user *addr, int __user *addrlen,
    int flags)
{
	struct l_sockaddr_un sun;
	struct socket *so, *nso;
	struct file *fp, *nfp;
	int error, nfd, len;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	if ((error = sock_getfile(fd, &fp, &so)) < 0)
		return error;
	if ((error = unp_accept(so, sock_nonblock(fp, 0), &nso)) < 0)
		goto out;
	if ((nfp = sock_file(nso, flags)) == NULL) {
		unp_detach(nso);
		error = -ENOMEM;
		goto out;
	}
	if ((len = unp_sockaddr(nso, true, &sun)) < 0) {
		/* The client went already: the name is unnamed. */
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		len = sizeof(l_sa_family_t);
	}
	if ((error = sock_putaddr(&sun, len, addr, addrlen)) < 0) {
		file_rele(nfp);
		goto out;
	}
	nfd = fd_install(nfp, 0, (flags & SOCK_CLOEXEC) != 0);
	error = nfd;
	/* No descriptor: the connection waits on, as in Linux. */
	if (nfd == -EMFILE && unp_unaccept(so, nso) == 0)
		nfp->f_data = NULL;
	file_rele(nfp);
out:
	file_rele(fp);
	return error;
}

/* accept(2) */
long
sys_accept(int fd, struct l_sockaddr __user *addr, int __user *addrlen)
{
	return sys_accept4(fd, addr, addrlen, 0);
}

/* connect(2) */
long
sys_connect(int fd, const struct l_sockaddr __user *addr, int addrlen)
{
	struct l_sockaddr_un sun;
	struct socket *so;
	struct file *fp;
	int error;

	if ((error = sock_getfile(fd, &fp, &so)) < 0)
		return error;
	if ((error = sock_getaddr(addr, addrlen, &sun)) == 0)
		error = unp_connect(so, &sun, addrlen, sock_nonblock(fp, 0));
	file_rele(fp);
	return error;
}

/* getsockname(2) and getpeername(2) */
static long
sock_name(int fd, struct l_sockaddr __user *addr, int __user *addrlen,
    bool peer)
{
	struct l_sockaddr_un sun;
	struct socket *so;
	struct file *fp;
	int error, len;

	if ((error = sock_getfile(fd, &fp, &so)) < 0)
		return error;
	if ((len = unp_sockaddr(so, peer, &sun)) < 0)
		error = len;
	else
		error = sock_putaddr(&sun, len, addr, addrlen);
	file_rele(fp);
	return error;
}

/* getsockname(2) */
long
sys_getsockname(int fd, struct l_sockaddr __user *addr, int __user *addrlen)
{
	return sock_name(fd, addr, addrlen, false);
}

/* getpeername(2) */
long
sys_getpeername(int fd, struct l_sockaddr __user *addr, int __user *addrlen)
{
	return sock_name(fd, addr, addrlen, true);
}

/*
 * A message being sent: the ancillary data parsed (cmsg(3)): the files
 * of SCM_RIGHTS (referenced) and the credentials of SCM_CREDENTIALS.
 */
struct sock_sendctl {
	struct file	**sc_fds;
	int		 sc_nfds;
	bool		 sc_hascred;
	struct l_ucred	 sc_cred;
};

static void
sock_sendctl_free(struct sock_sendctl *sc)
{
	int i;

	for (i = 0; i < sc->sc_nfds; i++)
		file_rele(sc->sc_fds[i]);
	kfree(sc->sc_fds);
	sc->sc_fds = NULL;
	sc->sc_nfds = 0;
}

/* SCM_RIGHTS: the descriptors in data (n of them) as held files. */
static int
sock_cmsg_rights(const int *data, int n, struct sock_sendctl *sc)
{
	struct file **fds;
	int i, error;

	if (n <= 0 || sc->sc_nfds + n > SCM_MAX_FD)
		return -EINVAL;
	if ((fds = kmalloc((sc->sc_nfds + n) * sizeof(*fds), 0)) == NULL)
		return -ENOMEM;
	for (i = 0; i < sc->sc_nfds; i++)
		fds[i] = sc->sc_fds[i];
	kfree(sc->sc_fds);
	sc->sc_fds = fds;
	for (i = 0; i < n; i++) {
		if ((error = fd_getfile(data[i], &fds[sc->sc_nfds])) < 0)
			return error;
		sc->sc_nfds++;
	}
	return 0;
}

/*
 * SCM_CREDENTIALS: a process may claim its own pid and any of its ids;
 * root (CAP_SYS_ADMIN, CAP_SETUID, CAP_SETGID) any.
 */
static int
sock_cmsg_cred(const struct l_ucred *uc, struct sock_sendctl *sc)
{
	struct proc *p = curproc;

	if (p->p_euid != 0 && (uc->pid != p->p_pid ||
	    (uc->uid != p->p_uid && uc->uid != p->p_euid) ||
	    (uc->gid != p->p_gid && uc->gid != p->p_egid)))
		return -EPERM;
	sc->sc_cred = *uc;
	sc->sc_hascred = true;
	return 0;
}

/* Parse the control buffer of a sendmsg (len bytes at uctl). */
static int
sock_sendctl_parse(const void __user *uctl, size_t len,
    struct sock_sendctl *sc)
{
	struct l_cmsghdr *cm;
	size_t off = 0, dlen;
	char *buf;
	int error = 0;

	if (len == 0)
		return 0;
	if (len > SOCK_CTL_MAX)
		return -ENOBUFS;
	if ((buf = kmalloc(len, 0)) == NULL)
		return -ENOMEM;
	if (copyin(uctl, buf, len) < 0) {
		error = -EFAULT;
		goto out;
	}
	while (off + sizeof(*cm) <= len) {
		cm = (struct l_cmsghdr *)(buf + off);
		if (cm->cmsg_len < sizeof(*cm) || cm->cmsg_len > len - off) {
			error = -EINVAL;
			goto out;
		}
		dlen = cm->cmsg_len - sizeof(*cm);
		if (cm->cmsg_level != SOL_SOCKET) {
			error = -EINVAL;
			goto out;
		}
		switch (cm->cmsg_type) {
		case SCM_RIGHTS:
			error = sock_cmsg_rights((const int *)(cm + 1),
			    dlen / sizeof(int), sc);
			break;
		case SCM_CREDENTIALS:
			error = dlen != sizeof(struct l_ucred) ? -EINVAL :
			    sock_cmsg_cred((const struct l_ucred *)(cm + 1),
			    sc);
			break;
		default:
			error = -EINVAL;
			break;
		}
		if (error < 0)
			goto out;
		off += L_CMSG_ALIGN(cm->cmsg_len);
	}
out:
	kfree(buf);
	return error;
}

/*
 * Copy in a user iovec array (at most UIO_MAXIOV) as a uio for writing
 * (a send) or reading; *iovp is kmalloc'd for the caller to free.
 */
static int
sock_uio(const struct l_iovec __user *uiov, unsigned long iovcnt,
    bool writing, struct uio *uio, struct l_iovec **iovp)
{
	struct l_iovec *iov;
	size_t total = 0;
	unsigned long i;

	*iovp = NULL;
	if (iovcnt > UIO_MAXIOV)
		return -EMSGSIZE;
	if ((iov = kmalloc((iovcnt + 1) * sizeof(*iov), 0)) == NULL)
		return -ENOMEM;
	if (iovcnt > 0 && copyin(uiov, iov, iovcnt * sizeof(*iov)) < 0) {
		kfree(iov);
		return -EFAULT;
	}
	for (i = 0; i < iovcnt; i++) {
		if ((ssize_t)iov[i].iov_len < 0) {
			kfree(iov);
			return -EINVAL;
		}
		iov[i].iov_len = MIN(iov[i].iov_len,
		    (size_t)MAX_RW_COUNT - total);
		total += iov[i].iov_len;
	}
	memset(uio, 0, sizeof(*uio));
	uio->uio_iov = iov;
	uio->uio_iovcnt = iovcnt;
	uio->uio_resid = total;
	uio->uio_write = writing;
	*iovp = iov;
	return 0;
}

/*
 * The heart of sendto and sendmsg: uio to the socket of fd, to address
 * (tolen bytes) if not NULL, with ancillary data sc.
 */
static long
sock_send(int fd, struct uio *uio, const struct l_sockaddr __user *uto,
    int tolen, struct sock_sendctl *sc, unsigned int flags)
{
	struct l_sockaddr_un to;
	struct socket *so;
	struct file *fp;
	long n;

	if ((n = sock_getfile(fd, &fp, &so)) < 0)
		return n;
	if (uto != NULL) {
		if ((n = sock_getaddr(uto, tolen, &to)) < 0)
			goto out;
		if (to.sun_family != AF_UNIX) {
			n = -EINVAL;
			goto out;
		}
	}
	if (flags & MSG_OOB) {
		n = -EOPNOTSUPP;
		goto out;
	}
	n = unp_send(so, uio, sc->sc_fds, sc->sc_nfds,
	    sc->sc_hascred ? &sc->sc_cred : NULL, uto != NULL ? &to : NULL,
	    tolen, flags, sock_nonblock(fp, flags));
	if (n >= 0 && sc->sc_nfds > 0) {
		/* The receiver's queue owns the files now. */
		sc->sc_fds = NULL;
		sc->sc_nfds = 0;
	}
out:
	file_rele(fp);
	return n;
}

/* sendto(2) and send(2) */
long
sys_sendto(int fd, const void __user *buf, size_t len, unsigned int flags,
    const struct l_sockaddr __user *addr, int addrlen)
{
	struct sock_sendctl sc;
	struct l_iovec iov;
	struct uio uio;

	if ((ssize_t)len < 0)
		return -EINVAL;
	memset(&sc, 0, sizeof(sc));
	iov.iov_base = (void __user *)buf;
	iov.iov_len = MIN(len, (size_t)MAX_RW_COUNT);
	memset(&uio, 0, sizeof(uio));
	uio.uio_iov = &iov;
	uio.uio_iovcnt = 1;
	uio.uio_resid = iov.iov_len;
	uio.uio_write = true;
	return sock_send(fd, &uio, addr, addrlen, &sc, flags);
}

/* sendmsg(2) with msg already copied in. */
static long
sock_sendmsg(int fd, struct l_msghdr *msg, unsigned int flags)
{
	struct sock_sendctl sc;
	struct l_iovec *iov;
	struct file *fp;
	struct socket *so;
	struct uio uio;
	long n;

	/* ENOTSOCK and EBADF come first. */
	if ((n = sock_getfile(fd, &fp, &so)) < 0)
		return n;
	file_rele(fp);
	memset(&sc, 0, sizeof(sc));
	if ((n = sock_uio(msg->msg_iov, msg->msg_iovlen, true, &uio,
	    &iov)) < 0)
		return n;
	if ((n = sock_sendctl_parse(msg->msg_control, msg->msg_controllen,
	    &sc)) < 0)
		goto out;
	n = sock_send(fd, &uio, msg->msg_name, msg->msg_namelen, &sc, flags);
out:
	sock_sendctl_free(&sc);
	kfree(iov);
	return n;
}

/* sendmsg(2) */
long
sys_sendmsg(int fd, const struct l_msghdr __user *umsg, unsigned int flags)
{
	struct l_msghdr msg;

	if (copyin(umsg, &msg, sizeof(msg)) < 0)
		return -EFAULT;
	return sock_sendmsg(fd, &msg, flags);
}

/*
 * Write the ancillary data of a receive to the user's control buffer
 * (msg's msg_control, msg_controllen): SCM_CREDENTIALS, then
 * SCM_RIGHTS with the descriptors installed (close-on-exec with
 * MSG_CMSG_CLOEXEC).  What does not fit is MSG_CTRUNC, and descriptors
 * that do not fit are closed.  Updates msg_controllen and msg_flags.
 */
static int
sock_recvctl(struct l_msghdr *msg, struct unp_ctl *ctl, unsigned int flags)
{
	char __user *p = msg->msg_control;
	size_t room = p != NULL ? msg->msg_controllen : 0, used = 0, space;
	struct l_cmsghdr cm;
	int i, n, fd;

	if (ctl->uc_hascred) {
		if (room < L_CMSG_LEN(sizeof(struct l_ucred)))
			msg->msg_flags |= MSG_CTRUNC;
		else {
			cm.cmsg_len = L_CMSG_LEN(sizeof(struct l_ucred));
			cm.cmsg_level = SOL_SOCKET;
			cm.cmsg_type = SCM_CREDENTIALS;
			if (copyout(&cm, p, sizeof(cm)) < 0 ||
			    copyout(&ctl->uc_cred, p + sizeof(cm),
			    sizeof(ctl->uc_cred)) < 0)
				return -EFAULT;
			space = MIN(room,
			    L_CMSG_SPACE(sizeof(struct l_ucred)));
			used += space;
			room -= space;
		}
	}
	if (ctl->uc_nfds > 0) {
		n = room < sizeof(cm) ? 0 : (int)MIN((size_t)ctl->uc_nfds,
		    (room - sizeof(cm)) / sizeof(int));
		if (n < ctl->uc_nfds)
			msg->msg_flags |= MSG_CTRUNC;
		if (n > 0) {
			cm.cmsg_len = L_CMSG_LEN(n * sizeof(int));
			cm.cmsg_level = SOL_SOCKET;
			cm.cmsg_type = SCM_RIGHTS;
			if (copyout(&cm, p + used, sizeof(cm)) < 0)
				return -EFAULT;
			for (i = 0; i < n; i++) {
				fd = fd_install(ctl->uc_fds[i], 0,
				    (flags & MSG_CMSG_CLOEXEC) != 0);
				if (fd < 0) {
					msg->msg_flags |= MSG_CTRUNC;
					break;
				}
				file_rele(ctl->uc_fds[i]);
				ctl->uc_fds[i] = NULL;
				if (copyout(&fd, p + used + sizeof(cm) +
				    i * sizeof(int), sizeof(int)) < 0)
					return -EFAULT;
			}
			cm.cmsg_len = L_CMSG_LEN(i * sizeof(int));
			(void)copyout(&cm, p + used, sizeof(cm));
			used += MIN(room, L_CMSG_SPACE(i * sizeof(int)));
		}
	}
	msg->msg_controllen = used;
	return 0;
}

/*
 * The heart of recvfrom and recvmsg: into uio from the socket of fd;
 * msg (may be NULL for recvfrom) gets the control data and flags.
 */
static long
sock_recv(int fd, struct uio *uio, unsigned int flags,
    struct l_sockaddr_un *from, int *fromlen, struct l_msghdr *msg)
{
	struct unp_ctl ctl;
	struct socket *so;
	struct file *fp;
	long n;
	int error;

	if ((n = sock_getfile(fd, &fp, &so)) < 0)
		return n;
	if (flags & MSG_OOB) {
		n = -EOPNOTSUPP;
		goto out;
	}
	memset(&ctl, 0, sizeof(ctl));
	n = unp_recv(so, uio, flags, sock_nonblock(fp, flags), &ctl);
	if (n >= 0) {
		/* Linux: an unnamed sender gives no address at all. */
		*fromlen = ctl.uc_fromlen;
		*from = ctl.uc_from;
		if (msg != NULL) {
			msg->msg_flags = ctl.uc_flags;
			if ((error = sock_recvctl(msg, &ctl, flags)) < 0)
				n = error;
		}
	}
	unp_ctl_free(&ctl);
out:
	file_rele(fp);
	return n;
}

/* recvfrom(2) and recv(2) */
long
sys_recvfrom(int fd, void __user *buf, size_t len, unsigned int flags,
    struct l_sockaddr __user *addr, int __user *addrlen)
{
	struct l_sockaddr_un from;
	struct l_iovec iov;
	struct uio uio;
	int fromlen = 0;
	long n, error;

	if ((ssize_t)len < 0)
		return -EINVAL;
	iov.iov_base = buf;
	iov.iov_len = MIN(len, (size_t)MAX_RW_COUNT);
	memset(&uio, 0, sizeof(uio));
	uio.uio_iov = &iov;
	uio.uio_iovcnt = 1;
	uio.uio_resid = iov.iov_len;
	uio.uio_write = false;
	n = sock_recv(fd, &uio, flags, &from, &fromlen, NULL);
	if (n >= 0 && addr != NULL &&
	    (error = sock_putaddr(&from, fromlen, addr, addrlen)) < 0)
		return error;
	return n;
}

/* recvmsg(2) with msg copied in (and its results left in it). */
static long
sock_recvmsg(int fd, struct l_msghdr *msg, unsigned int flags)
{
	struct l_sockaddr_un from;
	struct l_iovec *iov;
	struct file *fp;
	struct socket *so;
	struct uio uio;
	int fromlen = 0;
	long n;

	if ((n = sock_getfile(fd, &fp, &so)) < 0)
		return n;
	file_rele(fp);
	if (msg->msg_namelen < 0)
		return -EINVAL;
	if ((n = sock_uio(msg->msg_iov, msg->msg_iovlen, false, &uio,
	    &iov)) < 0)
		return n;
	n = sock_recv(fd, &uio, flags, &from, &fromlen, msg);
	kfree(iov);
	if (n < 0)
		return n;
	if (msg->msg_name != NULL) {
		if (copyout(&from, msg->msg_name,
		    MIN(fromlen, msg->msg_namelen)) < 0)
			return -EFAULT;
		msg->msg_namelen = fromlen;
	} else
		msg->msg_namelen = 0;
	return n;
}

/* recvmsg(2) */
long
sys_recvmsg(int fd, struct l_msghdr __user *umsg, unsigned int flags)
{
	struct l_msghdr msg;
	long n;

	if (copyin(umsg, &msg, sizeof(msg)) < 0)
		return -EFAULT;
	if ((n = sock_recvmsg(fd, &msg, flags)) < 0)
		return n;
	if (copyout(&msg.msg_namelen, &umsg->msg_namelen,
	    sizeof(msg.msg_namelen)) < 0 ||
	    copyout(&msg.msg_controllen, &umsg->msg_controllen,
	    sizeof(msg.msg_controllen)) < 0 ||
	    copyout(&msg.msg_flags, &umsg->msg_flags,
	    sizeof(msg.msg_flags)) < 0)
		return -EFAULT;
	return n;
}

/* sendmmsg(2): each message in turn; the count sent, or the first error. */
long
sys_sendmmsg(int fd, struct l_mmsghdr __user *vec, unsigned int vlen,
    unsigned int flags)
{
	struct l_mmsghdr mm;
	unsigned int i;
	long n = 0;

	vlen = MIN(vlen, (unsigned int)UIO_MAXIOV);
	for (i = 0; i < vlen; i++) {
		if (copyin(&vec[i], &mm, sizeof(mm)) < 0) {
			n = -EFAULT;
			break;
		}
		if ((n = sock_sendmsg(fd, &mm.msg_hdr, flags)) < 0)
			break;
		mm.msg_len = n;
		if (copyout(&mm.msg_len, &vec[i].msg_len,
		    sizeof(mm.msg_len)) < 0) {
			n = -EFAULT;
			break;
		}
	}
	return i > 0 ? (long)i : n;
}

/*
 * recvmmsg(2): each message in turn (MSG_WAITFORONE: only the first
 * waits).  A timeout is not supported (EINVAL, logged).
 */
long
sys_recvmmsg(int fd, struct l_mmsghdr __user *vec, unsigned int vlen,
    unsigned int flags, struct l_timespec __user *timeout)
{
	struct l_mmsghdr mm;
	unsigned int i;
	long n = 0;

	if (timeout != NULL) {
		kprintf("recvmmsg: timeout not supported\n");
		return -EINVAL;
	}
	vlen = MIN(vlen, (unsigned int)UIO_MAXIOV);
	for (i = 0; i < vlen; i++) {
		if (copyin(&vec[i], &mm, sizeof(mm)) < 0) {
			n = -EFAULT;
			break;
		}
		if ((n = sock_recvmsg(fd, &mm.msg_hdr, flags)) < 0)
			break;
		mm.msg_len = n;
		if (copyout(&mm, &vec[i], sizeof(mm)) < 0) {
			n = -EFAULT;
			break;
		}
		if (flags & MSG_WAITFORONE)
			flags |= MSG_DONTWAIT;
	}
	return i > 0 ? (long)i : n;
}

/* shutdown(2) */
long
sys_shutdown(int fd, int how)
{
	struct socket *so;
	struct file *fp;
	int error;

	if ((error = sock_getfile(fd, &fp, &so)) < 0)
		return error;
	error = unp_shutdown(so, how);
	file_rele(fp);
	return error;
}

/* A buffer size as Linux stores it: doubled, within its bounds. */
static uint32_t
sock_bufsize(int v)
{
	uint32_t u = v < 0 ? 0 : (uint32_t)v;

	u = MIN(u, (uint32_t)SOCK_BUF_MAX);
	return MAX(u * 2, (uint32_t)SOCK_BUF_MIN);
}

/* A struct timeval of SO_RCVTIMEO/SO_SNDTIMEO as ns. */
static int
sock_timeo_in(const void __user *optval, int optlen, uint64_t *ns)
{
	struct l_timeval tv;

	if (optlen < (int)sizeof(tv))
		return -EINVAL;
	if (copyin(optval, &tv, sizeof(tv)) < 0)
		return -EFAULT;
	if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return -EDOM;
	if (tv.tv_sec < 0) {
		*ns = 0;
		return 0;
	}
	*ns = (uint64_t)tv.tv_sec * 1000000000ULL + tv.tv_usec * 1000ULL;
	return 0;
}

/*
 * setsockopt(2): SOL_SOCKET options (an unknown one -ENOPROTOOPT); other
 * levels -EOPNOTSUPP.
 */
long
sys_setsockopt(int fd, int level, int optname, const void __user *optval,
    int optlen)
{
	struct socket *so;
	struct file *fp;
	uint64_t ns = 0;
	int error, v = 0;

	if ((error = sock_getfile(fd, &fp, &so)) < 0)
		return error;
	if (level != SOL_SOCKET) {
		/* Unix sockets have no protocol options (Linux: no ops). */
		error = -EOPNOTSUPP;
		goto out;
	}
	if (optname != SO_RCVTIMEO && optname != SO_SNDTIMEO) {
		if (optlen < (int)sizeof(int)) {
			error = -EINVAL;
			goto out;
		}
		if (copyin(optval, &v, sizeof(v)) < 0) {
			error = -EFAULT;
			goto out;
		}
	} else if ((error = sock_timeo_in(optval, optlen, &ns)) < 0)
		goto out;
	spin_lock(&unp_lock);
	switch (optname) {
	case SO_PASSCRED:
		so->so_passcred = v != 0;
		break;
	case SO_RCVBUF:
	case SO_RCVBUFFORCE:
		so->so_rcvbuf = sock_bufsize(v);
		break;
	case SO_SNDBUF:
	case SO_SNDBUFFORCE:
		so->so_sndbuf = sock_bufsize(v);
		break;
	case SO_RCVTIMEO:
		so->so_rcvtimeo = ns;
		break;
	case SO_SNDTIMEO:
		so->so_sndtimeo = ns;
		break;
	case SO_REUSEADDR:
	case SO_KEEPALIVE:
	case SO_DEBUG:
		/* Flags with no meaning for AF_UNIX: Linux keeps them too. */
		break;
	default:
		error = -ENOPROTOOPT;
		break;
	}
	spin_unlock(&unp_lock);
	if (error == -ENOPROTOOPT)
		kprintf("setsockopt: option %d not supported\n", optname);
out:
	file_rele(fp);
	return error;
}

/* The value of an int-sized SOL_SOCKET option; unp_lock held. */
static int
sock_intopt(struct socket *so, int optname, int *v)
{
	switch (optname) {
	case SO_TYPE:
		*v = so->so_type;
		return 0;
	case SO_DOMAIN:
		*v = AF_UNIX;
		return 0;
	case SO_PROTOCOL:
		*v = 0;
		return 0;
	case SO_ERROR:
		*v = -so->so_error;
		so->so_error = 0;
		return 0;
	case SO_ACCEPTCONN:
		*v = so->so_listening;
		return 0;
	case SO_PASSCRED:
		*v = so->so_passcred;
		return 0;
	case SO_RCVBUF:
		*v = so->so_rcvbuf;
		return 0;
	case SO_SNDBUF:
		*v = so->so_sndbuf;
		return 0;
	case SO_REUSEADDR:
	case SO_KEEPALIVE:
	case SO_DEBUG:
		*v = 0;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

/*
 * getsockopt(2): SOL_SOCKET options (an unknown one -ENOPROTOOPT); other
 * levels -EOPNOTSUPP.
 */
long
sys_getsockopt(int fd, int level, int optname, void __user *optval,
    int __user *optlen)
{
	struct l_ucred uc;
	struct l_timeval tv;
	struct socket *so;
	struct file *fp;
	uint64_t ns;
	const void *src;
	int error, len, size, v;

	if ((error = sock_getfile(fd, &fp, &so)) < 0)
		return error;
	if (copyin(optlen, &len, sizeof(len)) < 0) {
		error = -EFAULT;
		goto out;
	}
	if (len < 0) {
		error = -EINVAL;
		goto out;
	}
	if (level != SOL_SOCKET) {
		error = -EOPNOTSUPP;
		goto out;
	}
	spin_lock(&unp_lock);
	switch (optname) {
	case SO_PEERCRED:
		uc = so->so_peercred;
		src = &uc;
		size = sizeof(uc);
		break;
	case SO_RCVTIMEO:
	case SO_SNDTIMEO:
		ns = optname == SO_RCVTIMEO ? so->so_rcvtimeo :
		    so->so_sndtimeo;
		tv.tv_sec = ns / 1000000000ULL;
		tv.tv_usec = ns % 1000000000ULL / 1000;
		src = &tv;
		size = sizeof(tv);
		break;
	default:
		error = sock_intopt(so, optname, &v);
		src = &v;
		size = sizeof(v);
		break;
	}
	spin_unlock(&unp_lock);
	if (error < 0) {
		kprintf("getsockopt: option %d not supported\n", optname);
		goto out;
	}
	len = MIN(len, size);
	if (copyout(src, optval, len) < 0 ||
	    copyout(&len, optlen, sizeof(len)) < 0)
		error = -EFAULT;
out:
	file_rele(fp);
	return error;
}
