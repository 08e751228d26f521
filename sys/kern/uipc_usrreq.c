/*
 * AF_UNIX sockets (unix(7)): names, connections and the queues the data
 * goes through.  The design and the locking are in <sys/socket.h>.
 *
 * Names: a path names a VSOCK node that bind(2) makes through the VFS
 * (vop_create) and whose v_socket points at the socket while it is open;
 * unlink(2) removes the name as for any file, and the socket stays bound
 * to its (now nameless) vnode.  A name whose sun_path starts with a NUL
 * byte is abstract: it lives on unp_abstract only.  An unbound socket
 * that binds with only the family (or that connects or sends while
 * SO_PASSCRED asks for a name) gets an abstract name of five hex digits
 * (autobind, unix(7)).
 *
 * Flow control: a stream or seqpacket sender waits while the receiver
 * holds so_sndbuf of its bytes or more; a datagram waits while the
 * receiver has UNP_DGRAM_QLEN records queued (Linux's max_dgram_qlen).
 *
 * Errors: a stream or seqpacket socket that closes with bytes it had
 * not read (or an embryo closed by its listener) leaves ECONNRESET in
 * its peer's so_error, as Linux's unix_release_sock does: poll says
 * POLLERR, and the next receive that finds the queue empty (seqpacket:
 * the next receive) or getsockopt(SO_ERROR) reports it once.
 *
 * Credentials: a record carries its sender's credentials (m_hascred)
 * when it claimed some (SCM_CREDENTIALS), or when the sender or the
 * receiver had SO_PASSCRED at the time of the send, or the receiver is
 * an embryo not yet accepted (Linux 3.2's rule, unix_maybe_add_creds).
 * The receiver's SO_PASSCRED at the time of the receive decides whether
 * SCM_CREDENTIALS is delivered; a record without credentials gives pid
 * 0 and the overflow ids, as Linux does.
 *
 * Garbage: descriptors in flight (SCM_RIGHTS records not yet received)
 * hold their files.  Sockets that only such records reference, queued
 * on sockets that are themselves unreachable, would never be freed:
 * unp_gc finds and frees them, as Linux's unix_gc.  It runs when a Unix
 * socket is closed while descriptors are in flight, and on a send of
 * descriptors while more than UNP_GC_TRIGGER sockets are in flight.
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/signal.h>
#include <sys/abi/stat.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/socket.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#define UNP_BUF_DEFAULT	212992		/* Linux's wmem/rmem_default */
#define UNP_DGRAM_QLEN	512		/* records a datagram queue holds */
#define UNP_CHUNK	65536		/* the most one stream record holds */
#define UNP_GC_TRIGGER	1024		/* in flight: a send collects */
#define UNP_OVERFLOWID	65534		/* Linux's overflowuid/gid */
#define UNP_ACCEPTCON	0x10000		/* /proc/net/unix: listening */

/* so_gcflags */
#define UNP_GC_CAND	0x1		/* every reference is in flight */
#define UNP_GC_LIVE	0x2		/* reachable from outside */

struct spinlock unp_lock = SPINLOCK_INIT("unp_lock");

static struct socket *unp_abstract;	/* [u] sockets with abstract names */
static unsigned int unp_autoname;	/* [u] the last autobind name */
static struct socket *unp_all;		/* [u] every Unix socket */
static uint64_t unp_nextino = 1;	/* [u] so_ino of the next socket */
static int unp_inflight_total;		/* [u] sockets' refs in flight */
static bool unp_gc_running;		/* [u] a collection is under way */
uint64_t unp_gc_collected;		/* [u] sockets collected */

/* The caller's credentials, as SO_PEERCRED and SCM_CREDENTIALS give them. */
static void
unp_curcred(struct l_ucred *uc, bool effective)
{
	struct proc *p = curproc;

	uc->pid = p->p_pid;
	uc->uid = effective ? p->p_euid : p->p_uid;
	uc->gid = effective ? p->p_egid : p->p_gid;
}

/*
 * A new Unix socket of type type, with one reference (its file's), or
 * NULL when out of memory.
 */
struct socket *
unp_alloc(int type)
{
	struct socket *so;

	if ((so = kmalloc(sizeof(*so), M_ZERO)) == NULL)
		return NULL;
	so->so_type = type;
	so->so_refs = 1;
	so->so_rcvtail = &so->so_rcv;
	mtx_init(&so->so_rcvmtx, "so_rcvmtx");
	so->so_rcvbuf = so->so_sndbuf = UNP_BUF_DEFAULT;
	so->so_peercred.pid = 0;
	so->so_peercred.uid = so->so_peercred.gid = (uint32_t)-1;
	pollhead_init(&so->so_ph);
	spin_lock(&unp_lock);
	so->so_ino = unp_nextino++;
	if ((so->so_allnext = unp_all) != NULL)
		unp_all->so_allprevp = &so->so_allnext;
	so->so_allprevp = &unp_all;
	unp_all = so;
	spin_unlock(&unp_lock);
	return so;
}

/* See sys/sys/socket.h. */
void
unp_setfile(struct socket *so, struct file *fp)
{
	spin_lock(&unp_lock);
	so->so_file = fp;
	spin_unlock(&unp_lock);
}

/*
 * Count m's descriptors that are sockets' files as in flight (delta 1)
 * or no longer (-1).  unp_lock held.
 */
static void
unp_inflight(struct file **fds, int nfds, int delta)
{
	struct socket *so;
	int i;

	KASSERT(spin_held(&unp_lock), "unp_inflight: unp_lock");
	for (i = 0; i < nfds; i++) {
		if ((so = sock_fromfile(fds[i])) == NULL)
			continue;
		so->so_inflight += delta;
		unp_inflight_total += delta;
		KASSERT(so->so_inflight >= 0, "unp_inflight: negative");
	}
}

/* Drop a reference on so, freeing it with the last; unp_lock held. */
static void
unp_rele_locked(struct socket *so)
{
	KASSERT(spin_held(&unp_lock), "unp_rele: unp_lock");
	KASSERT(so->so_refs > 0, "unp_rele: refs");
	if (--so->so_refs > 0)
		return;
	KASSERT(so->so_rcv == NULL && so->so_q == NULL, "unp_rele: queues");
	if ((*so->so_allprevp = so->so_allnext) != NULL)
		so->so_allnext->so_allprevp = so->so_allprevp;
	pollhead_detach(&so->so_ph);
	kfree(so);
}

/* Wake so's sleepers and pollers; unp_lock held. */
static void
unp_wakeup(struct socket *so, int key)
{
	wakeup(so);
	pollwakeup(&so->so_ph, key);
}

/*
 * Free a record (one that was queued) and release the descriptors in
 * flight in it.  Takes unp_lock to count them out.
 */
static void
unp_msg_free(struct unp_msg *m)
{
	int i;

	if (m->m_nfds > 0) {
		spin_lock(&unp_lock);
		unp_inflight(m->m_fds, m->m_nfds, -1);
		spin_unlock(&unp_lock);
	}
	for (i = 0; i < m->m_nfds; i++)
		file_rele(m->m_fds[i]);
	kfree(m->m_fds);
	kfree(m);
}

static void
unp_msg_freelist(struct unp_msg *m)
{
	struct unp_msg *next;

	for (; m != NULL; m = next) {
		next = m->m_next;
		unp_msg_free(m);
	}
}

/* Append m to so's receive queue and wake it; unp_lock held. */
static void
unp_enqueue(struct socket *so, struct unp_msg *m)
{
	m->m_next = NULL;
	*so->so_rcvtail = m;
	so->so_rcvtail = &m->m_next;
	so->so_rcvcc += m->m_len;
	so->so_rcvcnt++;
	unp_inflight(m->m_fds, m->m_nfds, 1);
	unp_wakeup(so, POLLIN | POLLRDNORM);
}

/* Take the head record off so's queue; unp_lock held. */
static void
unp_dequeue(struct socket *so, struct unp_msg *m)
{
	KASSERT(so->so_rcv == m, "unp_dequeue: not the head");
	if ((so->so_rcv = m->m_next) == NULL)
		so->so_rcvtail = &so->so_rcv;
	so->so_rcvcc -= m->m_len - m->m_off;
	so->so_rcvcnt--;
}

/*
 * Connect a and b to each other (references both ways); unp_lock held.
 * Each sees the other's credentials as given.
 */
static void
unp_link(struct socket *a, struct socket *b)
{
	a->so_peer = b;
	b->so_peer = a;
	a->so_refs++;
	b->so_refs++;
	a->so_connected = b->so_connected = true;
}

/*
 * socketpair(2): connect two new sockets of the same type.  Returns 0.
 */
int
unp_pair(struct socket *a, struct socket *b)
{
	struct l_ucred uc;

	unp_curcred(&uc, true);
	spin_lock(&unp_lock);
	unp_link(a, b);
	a->so_peercred = b->so_peercred = uc;
	spin_unlock(&unp_lock);
	return 0;
}

/* The socket with abstract name sun (len bytes), or NULL; unp_lock held. */
static struct socket *
unp_abstract_find(const struct l_sockaddr_un *sun, int len)
{
	struct socket *so;

	for (so = unp_abstract; so != NULL; so = so->so_absnext)
		if (so->so_addrlen == len &&
		    memcmp(so->so_addr.sun_path, sun->sun_path,
		    len - sizeof(l_sa_family_t)) == 0)
			return so;
	return NULL;
}

/* Give so an abstract name (sun, len bytes); unp_lock held. */
static int
unp_bind_abstract_locked(struct socket *so, const struct l_sockaddr_un *sun,
    int len)
{
	if (so->so_addrlen != 0)
		return -EINVAL;
	if (unp_abstract_find(sun, len) != NULL)
		return -EADDRINUSE;
	memcpy(&so->so_addr, sun, len);
	so->so_addrlen = len;
	so->so_abstract = true;
	so->so_absnext = unp_abstract;
	unp_abstract = so;
	return 0;
}

/*
 * Autobind (unix(7)): a free abstract name of five hex digits; unp_lock
 * held.  Returns 0 (also when so already has a name) or -ENOSPC.
 */
static int
unp_autobind_locked(struct socket *so)
{
	struct l_sockaddr_un sun;
	unsigned int tries;
	char name[8];

	if (so->so_addrlen != 0)
		return 0;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	for (tries = 0; tries <= 0xfffff; tries++) {
		unp_autoname = (unp_autoname + 1) & 0xfffff;
		ksnprintf(name, sizeof(name), "%05x", unp_autoname);
		memcpy(sun.sun_path + 1, name, 5);
		if (unp_bind_abstract_locked(so, &sun,
		    sizeof(l_sa_family_t) + 6) == 0)
			return 0;
	}
	return -ENOSPC;
}

/* The length of the path in sun (len bytes), without a NUL. */
static size_t
unp_pathlen(const struct l_sockaddr_un *sun, int len)
{
	size_t max = len - sizeof(l_sa_family_t), n;

	for (n = 0; n < max && sun->sun_path[n] != '\0'; n++)
		;
	return n;
}

/* A kernel copy of sun's path (kmalloc'd), or NULL when out of memory. */
static char *
unp_pathdup(const struct l_sockaddr_un *sun, int len)
{
	size_t n = unp_pathlen(sun, len);
	char *path;

	if ((path = kmalloc(n + 1, 0)) == NULL)
		return NULL;
	memcpy(path, sun->sun_path, n);
	path[n] = '\0';
	return path;
}

/*
 * Make the VSOCK node for path (mode 0777 less the umask, owned by the
 * effective ids) and return it referenced.  EADDRINUSE when the name
 * exists.
 */
static int
unp_mknode(const char *path, struct vnode **vpp)
{
	struct nameidata nd;
	struct vattr va;
	struct proc *p = curproc;
	int error;

	memset(&nd, 0, sizeof(nd));
	nd.nd_dirfd = AT_FDCWD;
	nd.nd_path = path;
	nd.nd_flags = ND_PARENT;
	if ((error = namei(&nd)) < 0)
		return error == -EINVAL || error == -EBUSY ? -EADDRINUSE :
		    error;
	if (nd.nd_vp != NULL) {
		error = -EADDRINUSE;
		goto out;
	}
	if (nd.nd_slash) {
		error = -ENOENT;
		goto out;
	}
	if (vfs_mount_rdonly(nd.nd_dvp->v_mount)) {
		error = -EROFS;
		goto out;
	}
	if ((error = vn_access(nd.nd_dvp, W_OK | X_OK)) < 0)
		goto out;
	memset(&va, 0, sizeof(va));
	va.va_type = VSOCK;
	va.va_mode = 0777 & ~p->p_umask;
	va.va_uid = p->p_euid;
	va.va_gid = p->p_egid;
	error = nd.nd_dvp->v_ops->vop_create(nd.nd_dvp, nd.nd_last,
	    nd.nd_lastlen, &va, vpp);
	if (error == -EEXIST)
		error = -EADDRINUSE;
out:
	nd_release(&nd);
	return error;
}

/*
 * bind(2) so to sun (len bytes, len >= sizeof(sa_family_t), family
 * checked by the caller).  Returns 0, -EINVAL when so has a name,
 * -EADDRINUSE when the name is taken, or what making the node returns.
 */
int
unp_bind(struct socket *so, const struct l_sockaddr_un *sun, int len)
{
	struct vnode *vp;
	char *path;
	int error;

	if (len == sizeof(l_sa_family_t)) {
		spin_lock(&unp_lock);
		error = so->so_addrlen != 0 ? -EINVAL :
		    unp_autobind_locked(so);
		spin_unlock(&unp_lock);
		return error;
	}
	if (sun->sun_path[0] == '\0') {
		spin_lock(&unp_lock);
		error = unp_bind_abstract_locked(so, sun, len);
		spin_unlock(&unp_lock);
		return error;
	}
	if ((path = unp_pathdup(sun, len)) == NULL)
		return -ENOMEM;
	spin_lock(&unp_lock);
	error = so->so_addrlen != 0 ? -EINVAL : 0;
	spin_unlock(&unp_lock);
	/* Linux makes the node first: a name taken is EADDRINUSE even so. */
	if (error < 0) {
		if (vfs_kern_lookup(path, &vp) == 0) {
			vrele(vp);
			error = -EADDRINUSE;
		}
		kfree(path);
		return error;
	}
	error = unp_mknode(path, &vp);
	kfree(path);
	if (error < 0)
		return error;
	spin_lock(&unp_lock);
	if (so->so_addrlen != 0) {
		/*
		 * Another thread bound it meanwhile.  The new node stays
		 * (Linux would remove it again).
		 */
		spin_unlock(&unp_lock);
		vrele(vp);
		return -EINVAL;
	}
	so->so_addrlen = sizeof(l_sa_family_t) + unp_pathlen(sun, len) + 1;
	memset(&so->so_addr, 0, sizeof(so->so_addr));
	memcpy(&so->so_addr, sun, so->so_addrlen - 1);
	so->so_vp = vp;
	vp->v_socket = so;
	spin_unlock(&unp_lock);
	return 0;
}

/*
 * listen(2): so (a bound stream or seqpacket socket) takes connections,
 * at most backlog waiting (beyond SOMAXCONN: SOMAXCONN).  The clients
 * see the caller's credentials.  Returns 0, -EOPNOTSUPP for a datagram
 * socket, -EINVAL when unbound or connected.
 */
int
unp_listen(struct socket *so, int backlog)
{
	struct l_ucred uc;
	int error = 0;

	if (so->so_type == SOCK_DGRAM)
		return -EOPNOTSUPP;
	if (backlog < 0 || backlog > SOMAXCONN)
		backlog = SOMAXCONN;
	unp_curcred(&uc, true);
	spin_lock(&unp_lock);
	if (so->so_addrlen == 0 || so->so_connected)
		error = -EINVAL;
	else {
		so->so_qlimit = backlog;
		so->so_peercred = uc;
		so->so_listening = true;
		unp_wakeup(so, 0);
	}
	spin_unlock(&unp_lock);
	return error;
}

/*
 * Sleep on chan for a socket call (unp_lock held and held again on
 * return): -EAGAIN when the timeout (ns, 0: none) passes, -EINTR on a
 * signal, else 0.
 */
static int
unp_sleep(void *chan, uint64_t timeo, const char *wmesg)
{
	int error;

	error = tsleep_sig(chan, &unp_lock, wmesg, timeo);
	return error == -ETIMEDOUT ? -EAGAIN : error;
}

/*
 * accept(2): the oldest connection waiting on listening socket so, in
 * *sop (its file reference moves to the caller).  Waits unless nonblock
 * (-EAGAIN).  Returns 0, -EINVAL when so does not listen, -EOPNOTSUPP
 * for a datagram socket, or -EINTR.
 */
int
unp_accept(struct socket *so, bool nonblock, struct socket **sop)
{
	struct socket *nso;
	int error;

	if (so->so_type == SOCK_DGRAM)
		return -EOPNOTSUPP;
	spin_lock(&unp_lock);
	for (;;) {
		if (!so->so_listening) {
			error = -EINVAL;
			goto out;
		}
		if ((nso = so->so_q) != NULL)
			break;
		if (nonblock) {
			error = -EAGAIN;
			goto out;
		}
		if ((error = unp_sleep(so, so->so_rcvtimeo, "accept")) < 0)
			goto out;
	}
	so->so_q = nso->so_qnext;
	nso->so_qnext = NULL;
	so->so_qlen--;
	/* A client waiting for room may go on. */
	wakeup(so);
	*sop = nso;
	error = 0;
out:
	spin_unlock(&unp_lock);
	return error;
}

/*
 * Put nso, just taken by unp_accept from listener so, back at the head
 * of its queue: accept(2) could not give it a descriptor (EMFILE), and
 * Linux keeps the connection waiting then.  nso loses its file (the
 * caller frees that file without closing nso).  Returns 0, or -EINVAL
 * when so no longer listens (the caller closes nso).  Takes unp_lock.
 */
int
unp_unaccept(struct socket *so, struct socket *nso)
{
	int error = 0;

	spin_lock(&unp_lock);
	if (!so->so_listening || so->so_closed)
		error = -EINVAL;
	else {
		nso->so_file = NULL;
		nso->so_qnext = so->so_q;
		so->so_q = nso;
		so->so_qlen++;
		unp_wakeup(so, POLLIN | POLLRDNORM);
	}
	spin_unlock(&unp_lock);
	return error;
}

/*
 * The socket a name leads to: a path's VSOCK node (vp, which the caller
 * looked up) or an abstract name.  unp_lock held.  Returns it, or NULL
 * with *errp -ECONNREFUSED.
 */
static struct socket *
unp_target(struct vnode *vp, const struct l_sockaddr_un *sun, int len,
    int *errp)
{
	struct socket *so;

	so = vp != NULL ? vp->v_socket : unp_abstract_find(sun, len);
	if (so == NULL || so->so_closed) {
		*errp = -ECONNREFUSED;
		return NULL;
	}
	return so;
}

/*
 * Look up the path of sun for a connect or send: the node, referenced,
 * in *vpp (NULL for an abstract name).  The caller needs write
 * permission on it (unix(7)); a file that is not a socket refuses.
 */
static int
unp_lookup(const struct l_sockaddr_un *sun, int len, struct vnode **vpp)
{
	struct nameidata nd;
	char *path;
	int error;

	*vpp = NULL;
	if (len <= (int)sizeof(l_sa_family_t))
		return -EINVAL;
	if (sun->sun_path[0] == '\0')
		return 0;
	if ((path = unp_pathdup(sun, len)) == NULL)
		return -ENOMEM;
	memset(&nd, 0, sizeof(nd));
	nd.nd_dirfd = AT_FDCWD;
	nd.nd_path = path;
	nd.nd_flags = ND_FOLLOW;
	error = namei(&nd);
	kfree(path);
	if (error < 0)
		return error;
	if ((error = vn_access(nd.nd_vp, W_OK)) < 0)
		goto fail;
	if (nd.nd_vp->v_type != VSOCK) {
		error = -ECONNREFUSED;
		goto fail;
	}
	*vpp = nd.nd_vp;
	nd_release_mnt(&nd);
	return 0;
fail:
	nd_release(&nd);
	return error;
}

/*
 * connect(2) for a stream or seqpacket socket to listener lso: make the
 * server's end, queue it and connect so to it.  unp_lock held; may
 * sleep in it (the lookup is redone by the caller then: returns
 * -ERESTART... no: returns 1 to ask for it).
 */
static int
unp_connect_stream(struct socket *so, struct socket *lso,
    struct socket *nso, const struct l_ucred *uc)
{
	if (so->so_type != lso->so_type)
		return -EPROTOTYPE;
	if (!lso->so_listening)
		return -ECONNREFUSED;
	nso->so_refs = 1;		/* the listener's queue */
	nso->so_addrlen = lso->so_addrlen;
	nso->so_addr = lso->so_addr;
	nso->so_rcvbuf = lso->so_rcvbuf;
	nso->so_sndbuf = lso->so_sndbuf;
	nso->so_passcred = lso->so_passcred;
	nso->so_peercred = *uc;
	so->so_peercred = lso->so_peercred;
	unp_link(so, nso);
	nso->so_qnext = NULL;
	if (lso->so_q == NULL)
		lso->so_q = nso;
	else {
		struct socket *t;

		for (t = lso->so_q; t->so_qnext != NULL; t = t->so_qnext)
			;
		t->so_qnext = nso;
	}
	lso->so_qlen++;
	unp_wakeup(lso, POLLIN | POLLRDNORM);
	unp_wakeup(so, POLLOUT | POLLWRNORM);
	return 0;
}

/*
 * connect(2): a stream or seqpacket socket connects to the listener
 * named by sun (waiting, unless nonblock: -EAGAIN, while its backlog is
 * full); a datagram socket sets its default destination (AF_UNSPEC
 * drops it).  Returns 0, -EISCONN, -ECONNREFUSED, -EPROTOTYPE, -ENOENT,
 * -EACCES, -EINTR or -ENOMEM.
 */
int
unp_connect(struct socket *so, const struct l_sockaddr_un *sun, int len,
    bool nonblock)
{
	struct socket *target, *old, *nso = NULL;
	struct vnode *vp = NULL;
	struct l_ucred uc;
	int error;

	if (so->so_type == SOCK_DGRAM && len >= (int)sizeof(l_sa_family_t) &&
	    sun->sun_family == AF_UNSPEC) {
		spin_lock(&unp_lock);
		old = so->so_peer;
		so->so_peer = NULL;
		if (old != NULL)
			unp_rele_locked(old);
		spin_unlock(&unp_lock);
		return 0;
	}
	if (sun->sun_family != AF_UNIX)
		return -EINVAL;
	if ((error = unp_lookup(sun, len, &vp)) < 0)
		return error;
	unp_curcred(&uc, true);
	if (so->so_type != SOCK_DGRAM &&
	    (nso = unp_alloc(so->so_type)) == NULL) {
		error = -ENOMEM;
		goto out;
	}
	spin_lock(&unp_lock);
	if (so->so_passcred && (error = unp_autobind_locked(so)) < 0)
		goto out_unlock;
	for (;;) {
		if ((target = unp_target(vp, sun, len, &error)) == NULL)
			goto out_unlock;
		if (so->so_type == SOCK_DGRAM)
			break;
		if (so->so_listening) {
			error = -EINVAL;
			goto out_unlock;
		}
		if (so->so_peer != NULL || so->so_connected) {
			error = -EISCONN;
			goto out_unlock;
		}
		if (!target->so_listening || target->so_type != so->so_type)
			break;
		/* Linux lets backlog + 1 connections wait. */
		if (target->so_qlen <= target->so_qlimit)
			break;
		if (nonblock) {
			error = -EAGAIN;
			goto out_unlock;
		}
		if ((error = unp_sleep(target, so->so_sndtimeo, "connect")) < 0)
			goto out_unlock;
	}
	if (so->so_type == SOCK_DGRAM) {
		if (target->so_type != so->so_type) {
			error = -EPROTOTYPE;
			goto out_unlock;
		}
		old = so->so_peer;
		so->so_peer = target;
		target->so_refs++;
		if (old != NULL)
			unp_rele_locked(old);
		error = 0;
		goto out_unlock;
	}
	if ((error = unp_connect_stream(so, target, nso, &uc)) == 0)
		nso = NULL;
out_unlock:
	if (nso != NULL)
		unp_rele_locked(nso);	/* unused: off unp_all, freed */
	spin_unlock(&unp_lock);
out:
	if (vp != NULL)
		vrele(vp);
	return error;
}

/*
 * The last file reference to so went (or a listener dropped the embryo):
 * close it.  Its name goes, its peer sees end of file (a datagram socket
 * connected to it, ECONNREFUSED at its next send), embryos waiting on it
 * are closed, and its queued records are freed with their descriptors.
 * A stream or seqpacket peer gets ECONNRESET (so_error) when so had
 * unread records or is an embryo (embryo: its listener closed).  Takes
 * unp_lock; collects garbage after when descriptors are in flight.
 */
static void
unp_close(struct socket *so, bool embryo)
{
	struct socket *peer, *q, *next, **pp;
	struct unp_msg *msgs;
	struct vnode *vp;
	bool collect;

	spin_lock(&unp_lock);
	so->so_closed = true;
	so->so_file = NULL;
	so->so_listening = false;
	if ((vp = so->so_vp) != NULL) {
		vp->v_socket = NULL;
		so->so_vp = NULL;
	}
	if (so->so_abstract) {
		for (pp = &unp_abstract; *pp != so; pp = &(*pp)->so_absnext)
			;
		*pp = so->so_absnext;
		so->so_abstract = false;
	}
	q = so->so_q;
	so->so_q = NULL;
	so->so_qlen = 0;
	if ((peer = so->so_peer) != NULL) {
		so->so_peer = NULL;
		/*
		 * A datagram peer keeps pointing here: its next send is
		 * ECONNREFUSED (so_closed), and then it is unconnected.
		 */
		if (peer->so_peer == so && so->so_type != SOCK_DGRAM) {
			peer->so_peer = NULL;
			peer->so_shut = SO_SHUT_RCV | SO_SHUT_SEND;
			if (so->so_rcv != NULL || embryo)
				peer->so_error = -ECONNRESET;
			unp_rele_locked(so);
		}
		unp_wakeup(peer, 0);
		unp_rele_locked(peer);
	}
	msgs = so->so_rcv;
	so->so_rcv = NULL;
	so->so_rcvtail = &so->so_rcv;
	so->so_rcvcc = 0;
	so->so_rcvcnt = 0;
	unp_wakeup(so, 0);
	spin_unlock(&unp_lock);

	/* Nothing is locked: closing in-flight files may come back here. */
	for (; q != NULL; q = next) {
		next = q->so_qnext;
		q->so_qnext = NULL;
		unp_close(q, true);
	}
	unp_msg_freelist(msgs);
	if (vp != NULL)
		vrele(vp);
	spin_lock(&unp_lock);
	unp_rele_locked(so);
	collect = unp_inflight_total > 0 && !unp_gc_running;
	spin_unlock(&unp_lock);
	if (collect)
		(void)unp_gc();
}

/*
 * The file of so went (sock_close): close it as unp_close says, then
 * collect garbage if descriptors are in flight.  Takes unp_lock.
 */
void
unp_detach(struct socket *so)
{
	unp_close(so, false);
}

/* A write on a shut or broken connection: SIGPIPE unless asked not. */
static long
unp_epipe(int flags, struct uio *uio)
{
	if (!(flags & MSG_NOSIGNAL) && !uio->uio_kernel) {
		spin_lock(&proc_lock);
		sig_post_thread(curthread, SIGPIPE, NULL);
		spin_unlock(&proc_lock);
	}
	return -EPIPE;
}

/* A new record of len bytes from uio, with the sender's name and cred. */
static struct unp_msg *
unp_msg_alloc(struct socket *so, size_t len, struct uio *uio,
    const struct l_ucred *cred, int *errp)
{
	struct unp_msg *m;
	long n;

	if ((m = kmalloc(sizeof(*m) + len, M_ZERO)) == NULL) {
		*errp = -ENOMEM;
		return NULL;
	}
	m->m_len = len;
	m->m_cred = *cred;
	if (len > 0 && (n = uio_move(m->m_data, len, uio)) != (long)len) {
		kfree(m);
		*errp = -EFAULT;
		return NULL;
	}
	spin_lock(&unp_lock);
	m->m_fromlen = so->so_addrlen;
	m->m_from = so->so_addr;
	spin_unlock(&unp_lock);
	return m;
}

/*
 * The checks of a connected send, unp_lock held: the peer, or NULL with
 * *errp (-EPIPE: shut or gone; -ENOTCONN: never connected).
 */
static struct socket *
unp_send_peer(struct socket *so, int *errp)
{
	if (so->so_shut & SO_SHUT_SEND) {
		*errp = -EPIPE;
		return NULL;
	}
	if (so->so_peer == NULL) {
		*errp = so->so_connected ? -EPIPE : -ENOTCONN;
		return NULL;
	}
	return so->so_peer;
}

/* A stream send: uio in records of at most UNP_CHUNK bytes. */
/*
 * Whether m carries its sender's credentials, decided as it is queued
 * from so on to (see the top of this file).  unp_lock held.
 */
static void
unp_msg_attach(struct unp_msg *m, struct socket *so, struct socket *to,
    bool claimed)
{
	m->m_hascred = claimed || so->so_passcred || to->so_passcred ||
	    to->so_file == NULL;
}

static long
unp_send_stream(struct socket *so, struct uio *uio, struct file **fds,
    int nfds, const struct l_ucred *cred, bool claimed, int flags,
    bool nonblock)
{
	size_t done = 0, room, chunk;
	struct socket *peer;
	struct unp_msg *m;
	int error = 0;

	while (uio->uio_resid > 0 || (done == 0 && nfds > 0)) {
		spin_lock(&unp_lock);
		for (;;) {
			if ((peer = unp_send_peer(so, &error)) == NULL)
				goto fail_unlock;
			room = peer->so_rcvcc < so->so_sndbuf ?
			    so->so_sndbuf - peer->so_rcvcc : 0;
			if (room > 0)
				break;
			if (nonblock) {
				error = -EAGAIN;
				goto fail_unlock;
			}
			if ((error = unp_sleep(peer, so->so_sndtimeo,
			    "unpsnd")) < 0)
				goto fail_unlock;
		}
		spin_unlock(&unp_lock);
		chunk = MIN(MIN(uio->uio_resid, room), (size_t)UNP_CHUNK);
		if ((m = unp_msg_alloc(so, chunk, uio, cred, &error)) == NULL)
			goto fail;
		spin_lock(&unp_lock);
		if ((peer = unp_send_peer(so, &error)) == NULL) {
			spin_unlock(&unp_lock);
			kfree(m);
			goto fail;
		}
		if (done == 0 && nfds > 0) {
			/* The descriptors go with the first record. */
			m->m_fds = fds;
			m->m_nfds = nfds;
			fds = NULL;
			nfds = 0;
		}
		unp_msg_attach(m, so, peer, claimed);
		unp_enqueue(peer, m);
		spin_unlock(&unp_lock);
		done += chunk;
	}
	return done;

fail_unlock:
	spin_unlock(&unp_lock);
fail:
	if (done > 0)
		return done;
	if (error == -EPIPE)
		return unp_epipe(flags, uio);
	return error;
}

/*
 * A datagram or seqpacket send: one record, to the peer or (datagram)
 * to the socket named by to.
 */
static long
unp_send_dgram(struct socket *so, struct uio *uio, struct file **fds,
    int nfds, const struct l_ucred *cred, bool claimed,
    const struct l_sockaddr_un *to, int tolen, int flags, bool nonblock)
{
	size_t len = uio->uio_resid;
	struct socket *target;
	struct vnode *vp = NULL;
	struct unp_msg *m;
	bool full;
	int error;

	if (so->so_type == SOCK_SEQPACKET)
		to = NULL;
	if (to != NULL && (error = unp_lookup(to, tolen, &vp)) < 0)
		return error;
	if (len > so->so_sndbuf) {
		error = -EMSGSIZE;
		goto out;
	}
	if ((m = unp_msg_alloc(so, len, uio, cred, &error)) == NULL)
		goto out;
	spin_lock(&unp_lock);
	if (so->so_passcred && (error = unp_autobind_locked(so)) < 0)
		goto fail_unlock;
	m->m_fromlen = so->so_addrlen;
	m->m_from = so->so_addr;
	for (;;) {
		/*
		 * Linux's sock_alloc_send_pskb: a seqpacket peer that closed
		 * with records unread left ECONNRESET, reported once.
		 */
		if (so->so_type == SOCK_SEQPACKET && so->so_error != 0) {
			error = so->so_error;
			so->so_error = 0;
			goto fail_unlock;
		}
		if (to != NULL) {
			if (so->so_shut & SO_SHUT_SEND) {
				error = -EPIPE;
				goto fail_unlock;
			}
			if ((target = unp_target(vp, to, tolen, &error)) ==
			    NULL)
				goto fail_unlock;
			if (target->so_type != so->so_type) {
				error = -EPROTOTYPE;
				goto fail_unlock;
			}
		} else if (so->so_type == SOCK_DGRAM && so->so_peer != NULL &&
		    so->so_peer->so_closed) {
			/* Its peer closed: refused once, then unconnected. */
			target = so->so_peer;
			so->so_peer = NULL;
			unp_rele_locked(target);
			error = -ECONNREFUSED;
			goto fail_unlock;
		} else if ((target = unp_send_peer(so, &error)) == NULL)
			goto fail_unlock;
		if (target->so_type == SOCK_DGRAM)
			full = target->so_rcvcnt >= UNP_DGRAM_QLEN;
		else
			full = target->so_rcvcc > 0 &&
			    target->so_rcvcc + len > so->so_sndbuf;
		if ((target->so_shut & SO_SHUT_RCV) &&
		    so->so_type == SOCK_DGRAM) {
			error = -EPIPE;
			goto fail_unlock;
		}
		if (!full)
			break;
		if (nonblock) {
			error = -EAGAIN;
			goto fail_unlock;
		}
		if ((error = unp_sleep(target, so->so_sndtimeo, "unpdg")) < 0)
			goto fail_unlock;
	}
	m->m_fds = fds;
	m->m_nfds = nfds;
	unp_msg_attach(m, so, target, claimed);
	unp_enqueue(target, m);
	spin_unlock(&unp_lock);
	error = len;
	goto out;

fail_unlock:
	spin_unlock(&unp_lock);
	kfree(m);
out:
	if (vp != NULL)
		vrele(vp);
	/* Linux sends SIGPIPE for streams only (unix_dgram_sendmsg). */
	(void)flags;
	return error;
}

/*
 * Send uio from so with flags (MSG_NOSIGNAL; MSG_DONTWAIT folded into
 * nonblock), the descriptors fds[nfds] (SCM_RIGHTS: their references
 * move to the receiver when this returns a count, else stay the
 * caller's) and the credentials cred (SCM_CREDENTIALS, or the caller's),
 * to the peer or, for a datagram socket, to (tolen bytes; NULL: the
 * peer).  Returns the bytes sent or a negative errno; -EPIPE comes with
 * SIGPIPE unless MSG_NOSIGNAL.
 */
long
unp_send(struct socket *so, struct uio *uio, struct file **fds, int nfds,
    const struct l_ucred *cred, const struct l_sockaddr_un *to, int tolen,
    int flags, bool nonblock)
{
	struct l_ucred own;
	bool claimed = cred != NULL, collect;
	long n;

	if (cred == NULL) {
		unp_curcred(&own, false);
		cred = &own;
	}
	if (nfds > 0) {
		spin_lock(&unp_lock);
		collect = unp_inflight_total > UNP_GC_TRIGGER &&
		    !unp_gc_running;
		spin_unlock(&unp_lock);
		if (collect)
			(void)unp_gc();
	}
	if (so->so_type == SOCK_STREAM) {
		if (to != NULL) {
			spin_lock(&unp_lock);
			n = so->so_connected ? -EISCONN : -EOPNOTSUPP;
			spin_unlock(&unp_lock);
			return n;
		}
		return unp_send_stream(so, uio, fds, nfds, cred, claimed,
		    flags, nonblock);
	}
	return unp_send_dgram(so, uio, fds, nfds, cred, claimed, to, tolen,
	    flags, nonblock);
}

/*
 * Wait until so has a record to read, unp_lock held.  Returns 1 with one
 * there, 0 at end of file, or a negative errno.
 */
static int
unp_recv_wait(struct socket *so, bool nonblock)
{
	int error;

	for (;;) {
		/* A seqpacket's error comes first; a stream's after data. */
		if (so->so_error != 0 && (so->so_type != SOCK_STREAM ||
		    so->so_rcv == NULL)) {
			error = so->so_error;
			so->so_error = 0;
			return error;
		}
		if (so->so_rcv != NULL)
			return 1;
		if (so->so_listening)
			return -EINVAL;
		if (so->so_shut & SO_SHUT_RCV)
			return 0;
		if (so->so_type != SOCK_DGRAM && so->so_connected &&
		    so->so_peer == NULL)
			return 0;
		/* Linux: a stream never connected is EINVAL, not ENOTCONN. */
		if (so->so_type == SOCK_STREAM && !so->so_connected)
			return -EINVAL;
		if (so->so_type == SOCK_SEQPACKET && !so->so_connected)
			return -ENOTCONN;
		if (nonblock)
			return -EAGAIN;
		if ((error = unp_sleep(so, so->so_rcvtimeo, "unprcv")) < 0)
			return error;
	}
}

/* The credentials m delivers: its sender's, or pid 0 and the overflow ids. */
static void
unp_msg_cred(const struct unp_msg *m, struct l_ucred *uc)
{
	if (m->m_hascred) {
		*uc = m->m_cred;
	} else {
		uc->pid = 0;
		uc->uid = uc->gid = UNP_OVERFLOWID;
	}
}

/*
 * What a record carries beside its data, into ctl: its descriptors
 * (moved out of the record, or held again for a peek), its sender's
 * credentials (with SO_PASSCRED) and name.
 */
static void
unp_recv_ctl(struct socket *so, struct unp_msg *m, bool peek,
    struct unp_ctl *ctl)
{
	int i;

	ctl->uc_fromlen = m->m_fromlen;
	ctl->uc_from = m->m_from;
	if (so->so_passcred) {
		ctl->uc_hascred = true;
		unp_msg_cred(m, &ctl->uc_cred);
	}
	if (m->m_nfds == 0)
		return;
	if (peek) {
		if ((ctl->uc_fds = kmalloc(m->m_nfds * sizeof(struct file *),
		    0)) == NULL) {
			ctl->uc_flags |= MSG_CTRUNC;
			return;
		}
		for (i = 0; i < m->m_nfds; i++) {
			file_hold(m->m_fds[i]);
			ctl->uc_fds[i] = m->m_fds[i];
		}
	} else {
		spin_lock(&unp_lock);
		unp_inflight(m->m_fds, m->m_nfds, -1);
		spin_unlock(&unp_lock);
		ctl->uc_fds = m->m_fds;
		m->m_fds = NULL;
	}
	ctl->uc_nfds = m->m_nfds;
	if (!peek)
		m->m_nfds = 0;
}

/* Room was made in so's queue: its senders may go on. */
static void
unp_recv_room(struct socket *so)
{
	unp_wakeup(so, 0);
	if (so->so_peer != NULL)
		pollwakeup(&so->so_peer->so_ph, POLLOUT | POLLWRNORM);
}

/* A stream receive; so_rcvmtx held. */
static long
unp_recv_stream(struct socket *so, struct uio *uio, int flags,
    bool nonblock, struct unp_ctl *ctl)
{
	size_t copied = 0, peekoff, n, off;
	struct unp_msg *m, *freeme;
	struct l_ucred uc;
	bool peek = flags & MSG_PEEK, first = true, hadfds;
	long k;
	int error;

	spin_lock(&unp_lock);
	m = so->so_rcv;
	/* A peek starts where reads left the first record. */
	peekoff = m != NULL ? m->m_off : 0;
	for (;;) {
		if (m == NULL) {
			/* MSG_WAITALL waits on, unless it may not. */
			if (copied > 0 && (!(flags & MSG_WAITALL) || peek ||
			    nonblock))
				break;
			error = unp_recv_wait(so, nonblock);
			if (error <= 0) {
				spin_unlock(&unp_lock);
				return copied > 0 ? (long)copied : error;
			}
			m = so->so_rcv;
			peekoff = m != NULL ? m->m_off : 0;
			continue;
		}
		/* Descriptors end a read: they go with the bytes before. */
		if (!first && m->m_nfds > 0)
			break;
		if (!first && so->so_passcred) {
			unp_msg_cred(m, &uc);
			if (uc.pid != ctl->uc_cred.pid ||
			    uc.uid != ctl->uc_cred.uid ||
			    uc.gid != ctl->uc_cred.gid)
				break;
		}
		spin_unlock(&unp_lock);
		hadfds = m->m_nfds > 0;
		if (first)
			unp_recv_ctl(so, m, peek, ctl);
		first = false;
		off = peek ? peekoff : m->m_off;
		n = MIN(m->m_len - off, uio->uio_resid);
		k = n > 0 ? uio_move(m->m_data + off, n, uio) : 0;
		if (k < 0)
			return copied > 0 ? (long)copied : k;
		copied += k;
		freeme = NULL;
		spin_lock(&unp_lock);
		if (peek) {
			peekoff += k;
			if (peekoff == m->m_len) {
				m = m->m_next;
				peekoff = 0;
			}
		} else {
			m->m_off += k;
			so->so_rcvcc -= k;
			if (m->m_off == m->m_len) {
				if ((so->so_rcv = m->m_next) == NULL)
					so->so_rcvtail = &so->so_rcv;
				so->so_rcvcnt--;
				freeme = m;
			}
			unp_recv_room(so);
			m = so->so_rcv;
		}
		if (freeme != NULL) {
			spin_unlock(&unp_lock);
			unp_msg_free(freeme);
			spin_lock(&unp_lock);
			m = so->so_rcv;
		}
		if ((size_t)k < n || uio->uio_resid == 0 || hadfds)
			break;
	}
	spin_unlock(&unp_lock);
	return copied;
}

/* A datagram or seqpacket receive: one record; so_rcvmtx held. */
static long
unp_recv_dgram(struct socket *so, struct uio *uio, int flags,
    bool nonblock, struct unp_ctl *ctl)
{
	bool peek = flags & MSG_PEEK;
	struct unp_msg *m;
	size_t n;
	long k;
	int error;

	spin_lock(&unp_lock);
	if ((error = unp_recv_wait(so, nonblock)) <= 0) {
		spin_unlock(&unp_lock);
		return error;
	}
	m = so->so_rcv;
	if (!peek) {
		unp_dequeue(so, m);
		unp_recv_room(so);
	}
	spin_unlock(&unp_lock);
	unp_recv_ctl(so, m, peek, ctl);
	n = MIN(m->m_len, uio->uio_resid);
	k = n > 0 ? uio_move(m->m_data, n, uio) : 0;
	if (m->m_len > n)
		ctl->uc_flags |= MSG_TRUNC;
	if (k >= 0 && (flags & MSG_TRUNC))
		k = m->m_len;
	if (!peek)
		unp_msg_free(m);
	return k;
}

/*
 * Receive into uio from so with flags (MSG_PEEK, MSG_WAITALL, MSG_TRUNC;
 * MSG_DONTWAIT folded into nonblock); what comes beside the data goes to
 * ctl (zeroed by the caller, freed with unp_ctl_free).  Returns the
 * bytes (MSG_TRUNC: a datagram's whole length), 0 at end of file, or
 * -EAGAIN, -EINTR, -EINVAL (listening), -ENOTCONN, -EFAULT.
 */
long
unp_recv(struct socket *so, struct uio *uio, int flags, bool nonblock,
    struct unp_ctl *ctl)
{
	long n;

	mtx_lock(&so->so_rcvmtx);
	if (so->so_type == SOCK_STREAM)
		n = unp_recv_stream(so, uio, flags, nonblock, ctl);
	else
		n = unp_recv_dgram(so, uio, flags, nonblock, ctl);
	mtx_unlock(&so->so_rcvmtx);
	return n;
}

/* Release what a receive left in ctl and the caller did not take. */
void
unp_ctl_free(struct unp_ctl *ctl)
{
	int i;

	for (i = 0; i < ctl->uc_nfds; i++)
		if (ctl->uc_fds[i] != NULL)
			file_rele(ctl->uc_fds[i]);
	kfree(ctl->uc_fds);
	ctl->uc_fds = NULL;
	ctl->uc_nfds = 0;
}

/*
 * shutdown(2) of so: how is SHUT_RD, SHUT_WR or SHUT_RDWR (else
 * -EINVAL); a connected peer sees the other side of it (its reads end,
 * its writes fail).  Returns 0.
 */
int
unp_shutdown(struct socket *so, int how)
{
	struct socket *peer;
	int mode, pmode = 0;

	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	mode = how + 1;		/* SO_SHUT_RCV, SO_SHUT_SEND or both */
	spin_lock(&unp_lock);
	/* Unconnected too, as Linux's unix_shutdown: no ENOTCONN. */
	so->so_shut |= mode;
	unp_wakeup(so, 0);
	peer = so->so_peer;
	if (peer != NULL && so->so_type != SOCK_DGRAM) {
		if (mode & SO_SHUT_RCV)
			pmode |= SO_SHUT_SEND;
		if (mode & SO_SHUT_SEND)
			pmode |= SO_SHUT_RCV;
		peer->so_shut |= pmode;
		unp_wakeup(peer, 0);
	}
	spin_unlock(&unp_lock);
	return 0;
}

/*
 * poll(2) and epoll: the events of so (Linux's unix_poll and
 * unix_dgram_poll): POLLIN with data or a connection to accept,
 * POLLRDHUP with its reading shut, POLLHUP with both ways shut or an
 * unconnected connection-oriented socket, POLLOUT while the peer has
 * room.
 */
int
unp_poll(struct socket *so, struct poll_table *pt)
{
	struct socket *peer;
	int mask = 0;
	bool room;

	spin_lock(&unp_lock);
	poll_wait(&so->so_ph, pt);
	if (so->so_error != 0)
		mask |= POLLERR;
	if (so->so_shut == (SO_SHUT_RCV | SO_SHUT_SEND))
		mask |= POLLHUP;
	if (so->so_shut & SO_SHUT_RCV)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (so->so_rcv != NULL || so->so_q != NULL)
		mask |= POLLIN | POLLRDNORM;
	if (so->so_listening)
		goto out;
	if (so->so_type != SOCK_DGRAM && so->so_peer == NULL)
		mask |= POLLHUP;
	peer = so->so_peer;
	if (peer == NULL)
		room = true;
	else if (so->so_type == SOCK_DGRAM)
		room = peer->so_rcvcnt < UNP_DGRAM_QLEN;
	else
		room = peer->so_rcvcc < so->so_sndbuf;
	if (room && so->so_type == SOCK_DGRAM && peer != NULL &&
	    peer->so_peer != so)
		poll_wait(&peer->so_ph, pt);
	if (room || (so->so_shut & SO_SHUT_SEND))
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
out:
	spin_unlock(&unp_lock);
	return mask;
}

/*
 * getsockname(2) (peer false) and getpeername(2) (peer true): the name
 * into sun; returns its length (sizeof(sa_family_t) when unnamed), or
 * -ENOTCONN for a peer that is not there.
 */
int
unp_sockaddr(struct socket *so, bool peer, struct l_sockaddr_un *sun)
{
	struct socket *s = so;
	int len;

	spin_lock(&unp_lock);
	if (peer && (s = so->so_peer) == NULL) {
		spin_unlock(&unp_lock);
		return -ENOTCONN;
	}
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	len = sizeof(l_sa_family_t);
	if (s->so_addrlen != 0) {
		*sun = s->so_addr;
		len = s->so_addrlen;
	}
	spin_unlock(&unp_lock);
	return len;
}

/*
 * Subtract from the so_gcrefs of each candidate (delta -1), or mark live
 * (delta 0), the candidates that so's queued records (and its embryos')
 * hold.  Returns whether a candidate became live.  unp_lock held.
 */
static bool
unp_gc_scan(struct socket *so, int delta)
{
	struct socket *s, *t;
	struct unp_msg *m;
	bool changed = false;
	int i;

	for (s = so; s != NULL; s = s == so ? so->so_q : s->so_qnext) {
		for (m = s->so_rcv; m != NULL; m = m->m_next) {
			for (i = 0; i < m->m_nfds; i++) {
				if ((t = sock_fromfile(m->m_fds[i])) == NULL ||
				    !(t->so_gcflags & UNP_GC_CAND))
					continue;
				if (delta != 0) {
					t->so_gcrefs += delta;
				} else if (!(t->so_gcflags & UNP_GC_LIVE)) {
					t->so_gcflags |= UNP_GC_LIVE;
					changed = true;
				}
			}
		}
	}
	return changed;
}

/*
 * Take the records of a dead socket (and of its embryos) off their
 * queues onto *list; unp_lock held.
 */
static void
unp_gc_steal(struct socket *so, struct unp_msg ***tailp)
{
	struct socket *s;

	for (s = so; s != NULL; s = s == so ? so->so_q : s->so_qnext) {
		if (s->so_rcv == NULL)
			continue;
		**tailp = s->so_rcv;
		*tailp = s->so_rcvtail;
		s->so_rcv = NULL;
		s->so_rcvtail = &s->so_rcv;
		s->so_rcvcc = 0;
		s->so_rcvcnt = 0;
	}
}

/*
 * The collector, as Linux's unix_gc (a mark and sweep over the sockets
 * in flight), under unp_lock:
 *
 *  1. Candidates: open sockets whose file's every reference is in a
 *     queued record (f_count == so_inflight).  Nobody can take a new
 *     reference to such a file but by receiving it, from a queue.
 *  2. Each candidate's queue (and its embryos') holds references on
 *     other candidates: subtract them.  A candidate left with a count
 *     above 0 is referenced from elsewhere: live.
 *  3. What a live candidate's queue holds is live too, to a fixed point.
 *  4. The rest is garbage: its queues are emptied, and freeing those
 *     records (without the lock) releases the files, which closes the
 *     sockets as their last references go.
 *
 * f_count is read without file_lock: a candidate's cannot change while
 * unp_lock is held (step 1), and another's is above its so_inflight.
 * Returns how many garbage sockets it found.
 */
int
unp_gc(void)
{
	struct unp_msg *list = NULL, **tail = &list;
	struct socket *so;
	bool changed;
	int n = 0;

	spin_lock(&unp_lock);
	if (unp_gc_running) {
		spin_unlock(&unp_lock);
		return 0;
	}
	unp_gc_running = true;
	for (so = unp_all; so != NULL; so = so->so_allnext) {
		so->so_gcflags = 0;
		if (so->so_inflight > 0 && so->so_file != NULL &&
		    __atomic_load_n(&so->so_file->f_count,
		    __ATOMIC_RELAXED) == so->so_inflight) {
			so->so_gcflags = UNP_GC_CAND;
			so->so_gcrefs = so->so_inflight;
		}
	}
	for (so = unp_all; so != NULL; so = so->so_allnext)
		if (so->so_gcflags & UNP_GC_CAND)
			(void)unp_gc_scan(so, -1);
	for (so = unp_all; so != NULL; so = so->so_allnext)
		if ((so->so_gcflags & UNP_GC_CAND) && so->so_gcrefs > 0)
			so->so_gcflags |= UNP_GC_LIVE;
	do {
		changed = false;
		for (so = unp_all; so != NULL; so = so->so_allnext)
			if ((so->so_gcflags & (UNP_GC_CAND | UNP_GC_LIVE)) ==
			    (UNP_GC_CAND | UNP_GC_LIVE) &&
			    unp_gc_scan(so, 0))
				changed = true;
	} while (changed);
	for (so = unp_all; so != NULL; so = so->so_allnext) {
		if (so->so_gcflags != UNP_GC_CAND)
			continue;
		unp_gc_steal(so, &tail);
		n++;
	}
	unp_gc_collected += n;
	spin_unlock(&unp_lock);

	/* Nothing is locked: the files' last references close sockets. */
	unp_msg_freelist(list);
	spin_lock(&unp_lock);
	unp_gc_running = false;
	spin_unlock(&unp_lock);
	if (n > 0)
		klog("unix", "collected %d sockets in flight", n);
	return n;
}

/* See sys/sys/socket.h. */
int
unp_netinfo(struct unp_netinfo *out, int max)
{
	struct socket *so;
	int n = 0;

	spin_lock(&unp_lock);
	for (so = unp_all; so != NULL; so = so->so_allnext, n++) {
		if (n >= max)
			continue;
		out[n].ni_refs = so->so_refs;
		out[n].ni_type = so->so_type;
		out[n].ni_flags = so->so_listening ? UNP_ACCEPTCON : 0;
		out[n].ni_state = so->so_peer != NULL ? 3 : 1;
		out[n].ni_ino = so->so_ino;
		out[n].ni_addrlen = so->so_addrlen;
		out[n].ni_addr = so->so_addr;
	}
	spin_unlock(&unp_lock);
	return n;
}
