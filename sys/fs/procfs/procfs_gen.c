/*
 * procfs's generated files (see fs/procfs/procfs.h): the text of each,
 * from kernel state, in the formats of Linux's proc(5) (field order and
 * spacing as Linux 6.x prints them).
 */
#include <sys/abi/resource.h>
#include <sys/abi/signal.h>
#include <sys/buf.h>
#include <sys/clock.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/intr.h>
#include <sys/lease.h>
#include <sys/malloc.h>
#include <sys/msg.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/prof.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/systm.h>
#include <sys/tty.h>
#include <sys/version.h>
#include <sys/vm_map.h>
#include <sys/vm_object.h>
#include <sys/vm_phys.h>
#include <sys/vnode.h>

#include <machine/cpufunc.h>

#include <fs/procfs/procfs.h>

#define PFS_ARGS_MAX	(128 * 1024)	/* cmdline/environ bytes shown */

#define PFS_HZ		100	/* USER_HZ: clock ticks of stat's times */
#define PFS_MAPS_MAX	512	/* mappings maps lists at most */
#define PFS_KB(pages)	((unsigned long)(pages) * (PAGE_SIZE / 1024))

extern uint64_t boot_time_ns;	/* kern/main.c */

/* Grow sb to hold need more bytes; false (sb_error set) if it cannot. */
static bool
pfs_grow(struct pfsbuf *sb, size_t need)
{
	size_t cap;
	char *nb;

	if (sb->sb_error < 0)
		return false;
	if (sb->sb_len + need + 1 <= sb->sb_cap)
		return true;
	cap = MAX(sb->sb_cap * 2, sb->sb_len + need + 256);
	if ((nb = kmalloc(cap, 0)) == NULL) {
		sb->sb_error = -ENOMEM;
		return false;
	}
	if (sb->sb_buf != NULL)
		memcpy(nb, sb->sb_buf, sb->sb_len);
	kfree(sb->sb_buf);
	sb->sb_buf = nb;
	sb->sb_cap = cap;
	return true;
}

/* Append len bytes of p to sb.  Returns 0 or -ENOMEM (kept in sb). */
int
pfs_putbytes(struct pfsbuf *sb, const void *p, size_t len)
{
	if (!pfs_grow(sb, len))
		return sb->sb_error;
	memcpy(sb->sb_buf + sb->sb_len, p, len);
	sb->sb_len += len;
	return 0;
}

/* printf to the end of sb.  Returns 0 or -ENOMEM (kept in sb). */
int
pfs_printf(struct pfsbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !pfs_grow(sb, (size_t)n))
		return sb->sb_error;
	va_start(ap, fmt);
	kvsnprintf(sb->sb_buf + sb->sb_len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->sb_len += (size_t)n;
	return 0;
}

#define PFS_SEARCH_DEPTH	8	/* levels searched for a file */
#define PFS_SEARCH_DIRS		256	/* directories searched at most */
#define PFS_SEARCH_NAMES	4096	/* bytes of subdirectory names kept */

/* readdir's callback of pfs_search: the file, and the subdirectories. */
struct pfs_scan {
	uint64_t	 ino;
	char		*name;		/* NAME_MAX + 1: the file's name */
	bool		 found;
	char		*subs;		/* NUL-separated subdirectory names */
	size_t		 sublen;
};

static int
pfs_scan_fill(void *arg, const char *name, size_t len, uint64_t ino,
    int dtype, off_t next)
{
	struct pfs_scan *sc = arg;

	(void)next;
	if ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return 0;
	if (ino == sc->ino) {
		memcpy(sc->name, name, len);
		sc->name[len] = '\0';
		sc->found = true;
		return 1;
	}
	if (dtype == DT_DIR && sc->sublen + len + 1 <= PFS_SEARCH_NAMES) {
		memcpy(sc->subs + sc->sublen, name, len);
		sc->subs[sc->sublen + len] = '\0';
		sc->sublen += len + 1;
	}
	return 0;
}

/*
 * Look for the file with inode number ino below directory dir (same
 * filesystem), depth first, at most PFS_SEARCH_DEPTH levels down and
 * *budget directories; prepend its path below dir to tmp at *pos.
 * Returns 1 when found, 0 when not, or a negative errno.
 */
static int
pfs_search(struct vnode *dir, uint64_t ino, char *tmp, size_t *pos,
    int depth, int *budget)
{
	struct pfs_scan sc;
	struct vnode *sub;
	char name[NAME_MAX + 1];
	size_t i;
	off_t off = 0;
	int error;

	if (depth >= PFS_SEARCH_DEPTH || --*budget < 0)
		return 0;
	memset(&sc, 0, sizeof(sc));
	sc.ino = ino;
	sc.name = name;
	if ((sc.subs = kmalloc(PFS_SEARCH_NAMES, 0)) == NULL)
		return -ENOMEM;
	error = dir->v_ops->vop_readdir(dir, &off, pfs_scan_fill, &sc);
	if (error == 0 && sc.found) {
		error = vn_path_prepend(tmp, pos, name, strlen(name));
		error = error < 0 ? error : 1;
	}
	for (i = 0; error == 0 && i < sc.sublen; i += strlen(sc.subs + i) + 1) {
		if (dir->v_ops->vop_lookup(dir, sc.subs + i,
		    strlen(sc.subs + i), &sub) < 0)
			continue;
		if (sub->v_type == VDIR && sub->v_mount == dir->v_mount)
			error = pfs_search(sub, ino, tmp, pos, depth + 1,
			    budget);
		vrele(sub);
		if (error == 1)
			error = vn_path_prepend(tmp, pos, sc.subs + i,
			    strlen(sc.subs + i)) < 0 ? -ENAMETOOLONG : 1;
	}
	kfree(sc.subs);
	return error;
}

/*
 * The path of vp as the current process sees it, into buf (len bytes);
 * returns its length (not NUL-terminated, as readlink) or a negative
 * errno.  A directory's path is walked up from it as getcwd(2) does.
 * EclipseOS's vnodes do not remember their parent, so any other file is
 * found by a name the name cache remembers (ncache_revlookup), or else
 * by its inode number in a bounded search of its filesystem from the
 * root; a file not found (unlinked, or too deep) is named
 * "/(unreachable):ino" rather than given a wrong path.
 */
long
pfs_vnpath(struct vnode *vp, char *buf, size_t len)
{
	struct vnode *root, *dir;
	struct vattr va;
	char *tmp, name[NAME_MAX + 1];
	size_t pos;
	long error;
	int budget = PFS_SEARCH_DIRS, found;

	if ((tmp = kmalloc(PATH_MAX, 0)) == NULL)
		return -ENOMEM;
	spin_lock(&proc_lock);
	root = curproc->p_root;
	vref(root);
	spin_unlock(&proc_lock);
	dir = vp;
	vref(dir);
	pos = PATH_MAX - 1;
	tmp[pos] = '\0';
	if (vp->v_type != VDIR) {
		vrele(dir);
		dir = NULL;
		if (ncache_revlookup(vp, &dir, name) == 0) {
			error = vn_path_prepend(tmp, &pos, name, strlen(name));
			if (error < 0)
				goto out;
		} else {
			if ((error = vn_getattr(vp, &va)) < 0)
				goto out;
			dir = vp->v_mount->mnt_root;
			vref(dir);
			found = pfs_search(dir, va.va_ino, tmp, &pos, 0,
			    &budget);
			if (found < 0) {
				error = found;
				goto out;
			}
			if (found == 0) {
				error = ksnprintf(name, sizeof(name),
				    "/(unreachable):%llu",
				    (unsigned long long)va.va_ino);
				pos -= (size_t)error;
				memcpy(tmp + pos, name, (size_t)error);
				goto done;
			}
		}
	}
	error = vn_dirpath(dir, root, tmp, &pos);
	dir = NULL;
	if (error < 0)
		goto out;
	if (tmp[pos] == '\0')
		tmp[--pos] = '/';
done:
	error = (long)MIN(PATH_MAX - 1 - pos, len);
	memcpy(buf, tmp + pos, (size_t)error);
out:
	if (dir != NULL)
		vrele(dir);
	vrele(root);
	kfree(tmp);
	return error;
}

/* What the per-process files print, copied under proc_lock. */
struct pfssnap {
	int		 ps_pid, ps_ppid, ps_pgid, ps_sid, ps_tid;
	uint32_t	 ps_ttydev;	/* controlling terminal, 0: none */
	int		 ps_tpgid;	/* its foreground group, -1: none */
	char		 ps_state;
	const char	*ps_statename;
	char		 ps_comm[PROC_NAME_MAX];
	uint32_t	 ps_uid, ps_euid, ps_suid, ps_gid, ps_egid, ps_sgid;
	uint32_t	 ps_umask;
	int		 ps_nthreads, ps_nice, ps_fdsize, ps_exitsig;
	int		 ps_sigq;	/* siginfos queued (p_nqueued) */
	int		 ps_policy, ps_rtprio;
	uint64_t	 ps_utime, ps_stime, ps_cutime, ps_cstime; /* ns */
	uint64_t	 ps_start_ns;
	uint64_t	 ps_sigpnd, ps_shdpnd, ps_sigblk, ps_sigign, ps_sigcgt;
	uint64_t	 ps_arg[4];	/* arg start/end, env start/end */
	uint64_t	 ps_rlimit[16][2];
	int		 ps_ngroups;
	uint32_t	 ps_groups[32];
	bool		 ps_nonewprivs;
	struct vmspace	*ps_vm;		/* held, or NULL (a zombie) */
};

/* One letter and name for a thread's state (Linux's). */
static char
pfs_td_state(const struct thread *td, const char **name)
{
	if (td->td_state == TDS_RUNNABLE) {
		*name = "running";
		return 'R';
	}
	*name = "sleeping";
	return 'S';
}

/*
 * Copy what pid (and thread tid, if not 0) shows into *ps, holding its
 * address space.  Returns 0 or -ESRCH; release with pfs_snap_done.
 */
static int
pfs_snap(int pid, int tid, struct pfssnap *ps)
{
	struct proc *p;
	struct thread *td;
	int i, sig;

	memset(ps, 0, sizeof(*ps));
	spin_lock(&proc_lock);
	if ((p = proc_find(pid)) == NULL) {
		spin_unlock(&proc_lock);
		return -ESRCH;
	}
	td = tid != 0 ? thread_find(tid) : p->p_threads;
	if (tid != 0 && (td == NULL || td->td_proc != p)) {
		spin_unlock(&proc_lock);
		return -ESRCH;
	}
	ps->ps_pid = p->p_pid;
	ps->ps_tid = tid != 0 ? tid : p->p_pid;
	ps->ps_ppid = p->p_parent != NULL && p->p_parent != &proc0 ?
	    p->p_parent->p_pid : 0;
	ps->ps_pgid = p->p_pgid;
	ps->ps_sid = p->p_sid;
	tty_session_info(p->p_sid, &ps->ps_ttydev, &ps->ps_tpgid);
	memcpy(ps->ps_comm, p->p_comm, sizeof(ps->ps_comm));
	ps->ps_comm[PROC_NAME_MAX - 1] = '\0';
	if (tid != 0)
		strlcpy(ps->ps_comm, td->td_name, sizeof(ps->ps_comm));
	if (p->p_state == PRS_ZOMBIE) {
		ps->ps_state = 'Z';
		ps->ps_statename = "zombie";
	} else if (p->p_stopped) {
		ps->ps_state = 'T';
		ps->ps_statename = "stopped";
	} else {
		/* A process runs if any of its threads does. */
		ps->ps_state = 'S';
		ps->ps_statename = "sleeping";
		for (td = tid != 0 ? td : p->p_threads; td != NULL;
		    td = tid != 0 ? NULL : td->td_plist_next)
			if (pfs_td_state(td, &ps->ps_statename) == 'R') {
				ps->ps_state = 'R';
				break;
			}
		if (ps->ps_state == 'S')
			ps->ps_statename = "sleeping";
	}
	td = tid != 0 ? thread_find(tid) : p->p_threads;
	ps->ps_uid = p->p_uid;
	ps->ps_euid = p->p_euid;
	ps->ps_suid = p->p_suid;
	ps->ps_gid = p->p_gid;
	ps->ps_egid = p->p_egid;
	ps->ps_sgid = p->p_sgid;
	ps->ps_umask = p->p_umask;
	ps->ps_nthreads = p->p_nthreads;
	ps->ps_nice = p->p_nice;
	ps->ps_exitsig = p->p_exitsig;
	ps->ps_fdsize = fd_proc_count(p);
	ps->ps_utime = p->p_utime_ns;
	ps->ps_stime = p->p_stime_ns;
	ps->ps_cutime = p->p_cutime_ns;
	ps->ps_cstime = p->p_cstime_ns;
	ps->ps_start_ns = p->p_start_ns;
	ps->ps_sigpnd = td != NULL ? td->td_sigq.sq_set : 0;
	ps->ps_shdpnd = p->p_sigq.sq_set;
	ps->ps_sigq = p->p_nqueued;
	ps->ps_sigblk = td != NULL ? td->td_sigmask : 0;
	if (td != NULL) {
		ps->ps_policy = td->td_policy;
		ps->ps_rtprio = td->td_rtprio;
	}
	for (sig = 1; sig <= L_NSIG; sig++) {
		uint64_t h = (uint64_t)p->p_sigacts[sig - 1].sa_handler;

		if (h == SIG_IGN)
			ps->ps_sigign |= SIGBIT(sig);
		else if (h != SIG_DFL)
			ps->ps_sigcgt |= SIGBIT(sig);
	}
	ps->ps_arg[0] = p->p_arg_start;
	ps->ps_arg[1] = p->p_arg_end;
	ps->ps_arg[2] = p->p_env_start;
	ps->ps_arg[3] = p->p_env_end;
	memcpy(ps->ps_rlimit, p->p_rlimit, sizeof(ps->ps_rlimit));
	ps->ps_ngroups = MIN(p->p_ngroups, (int)nitems(ps->ps_groups));
	for (i = 0; i < ps->ps_ngroups; i++)
		ps->ps_groups[i] = p->p_groups[i];
	ps->ps_nonewprivs = p->p_no_new_privs;
	if ((ps->ps_vm = p->p_vmspace) != NULL)
		vmspace_hold(ps->ps_vm);
	spin_unlock(&proc_lock);
	return 0;
}

static void
pfs_snap_done(struct pfssnap *ps)
{
	if (ps->ps_vm != NULL)
		vmspace_release(ps->ps_vm);
}

/* Sizes of an address space in pages: total, stack, file-backed text. */
struct pfsvmsize {
	uint64_t	 vs_total, vs_stack, vs_exec, vs_data, vs_rss;
};

static void
pfs_vmsize(struct vmspace *vm, struct pfsvmsize *vs)
{
	struct vm_mapinfo *mi;
	uint64_t pages;
	int i, n;

	memset(vs, 0, sizeof(*vs));
	if (vm == NULL)
		return;
	vs->vs_rss = vm_resident_pages(vm);
	if ((mi = kmalloc(PFS_MAPS_MAX * sizeof(*mi), 0)) == NULL)
		return;
	n = MIN(vm_map_info(vm, mi, PFS_MAPS_MAX), PFS_MAPS_MAX);
	for (i = 0; i < n; i++) {
		pages = (mi[i].mi_end - mi[i].mi_start) / PAGE_SIZE;
		vs->vs_total += pages;
		if (mi[i].mi_flags & VM_MAP_STACK)
			vs->vs_stack += pages;
		else if (mi[i].mi_prot & VM_PROT_EXEC)
			vs->vs_exec += pages;
		else if ((mi[i].mi_prot & VM_PROT_WRITE) &&
		    !(mi[i].mi_flags & VM_MAP_SHARED))
			vs->vs_data += pages;
		if (mi[i].mi_vnode != NULL)
			vrele(mi[i].mi_vnode);
	}
	kfree(mi);
}

static unsigned long
pfs_ticks(uint64_t ns)
{
	return (unsigned long)(ns / (1000000000ULL / PFS_HZ));
}

#define PFS_FSHIFT	11	/* fraction bits of the load averages */

/* /proc/pid/stat (proc(5)): 52 fields, Linux's order. */
static int
pfs_pid_stat(struct pfsbuf *sb, int pid, int tid)
{
	struct pfssnap ps;
	struct pfsvmsize vs;
	int error;

	if ((error = pfs_snap(pid, tid, &ps)) < 0)
		return error;
	pfs_vmsize(ps.ps_vm, &vs);
	pfs_printf(sb, "%d (%s) %c %d %d %d %lu %d %u 0 0 0 0 %lu %lu %ld %ld "
	    "%ld %ld %d 0 %lu %lu %lu %lu 0 0 0 0 0 0 0 0 0 0 0 0 %d 0 %d %d "
	    "0 0 0 0 0 0 %lu %lu %lu %lu 0\n",
	    ps.ps_tid, ps.ps_comm, ps.ps_state, ps.ps_ppid, ps.ps_pgid,
	    ps.ps_sid, (unsigned long)(ps.ps_ttydev != 0 ?
	    DEV_ENCODE(ps.ps_ttydev) : 0), ps.ps_tpgid, 0x400000U,
	    pfs_ticks(ps.ps_utime), pfs_ticks(ps.ps_stime),
	    (long)pfs_ticks(ps.ps_cutime), (long)pfs_ticks(ps.ps_cstime),
	    (long)(ps.ps_rtprio ? -1 - ps.ps_rtprio : 20 + ps.ps_nice),
	    (long)ps.ps_nice, ps.ps_nthreads,
	    pfs_ticks(ps.ps_start_ns),
	    (unsigned long)(vs.vs_total * PAGE_SIZE),
	    (unsigned long)vs.vs_rss,
	    (unsigned long)ps.ps_rlimit[RLIMIT_RSS][0],
	    ps.ps_exitsig, ps.ps_rtprio, ps.ps_policy,
	    (unsigned long)ps.ps_arg[0], (unsigned long)ps.ps_arg[1],
	    (unsigned long)ps.ps_arg[2], (unsigned long)ps.ps_arg[3]);
	pfs_snap_done(&ps);
	return 0;
}

/* /proc/pid/statm: size resident shared text lib data dt, in pages. */
static int
pfs_pid_statm(struct pfsbuf *sb, int pid, int tid)
{
	struct pfssnap ps;
	struct pfsvmsize vs;
	int error;

	if ((error = pfs_snap(pid, tid, &ps)) < 0)
		return error;
	pfs_vmsize(ps.ps_vm, &vs);
	pfs_printf(sb, "%lu %lu 0 %lu 0 %lu 0\n", (unsigned long)vs.vs_total,
	    (unsigned long)vs.vs_rss, (unsigned long)vs.vs_exec,
	    (unsigned long)(vs.vs_data + vs.vs_stack));
	pfs_snap_done(&ps);
	return 0;
}

/* /proc/pid/status: the lines EclipseOS knows, in Linux's order. */
static int
pfs_pid_status(struct pfsbuf *sb, int pid, int tid)
{
	struct pfssnap ps;
	struct pfsvmsize vs;
	struct vm_memstat ms;
	int i, error;

	if ((error = pfs_snap(pid, tid, &ps)) < 0)
		return error;
	pfs_vmsize(ps.ps_vm, &vs);
	memset(&ms, 0, sizeof(ms));
	if (ps.ps_vm != NULL)
		vm_mem_stat(ps.ps_vm, &ms);
	pfs_printf(sb, "Name:\t%s\nUmask:\t%04o\nState:\t%c (%s)\n"
	    "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n"
	    "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nFDSize:\t%d\n"
	    "Groups:\t", ps.ps_comm, ps.ps_umask, ps.ps_state,
	    ps.ps_statename, ps.ps_pid, ps.ps_tid, ps.ps_ppid,
	    ps.ps_uid, ps.ps_euid, ps.ps_suid, ps.ps_euid,
	    ps.ps_gid, ps.ps_egid, ps.ps_sgid, ps.ps_egid, ps.ps_fdsize);
	for (i = 0; i < ps.ps_ngroups; i++)
		pfs_printf(sb, "%u ", ps.ps_groups[i]);
	pfs_printf(sb, "\nNStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n",
	    ps.ps_pid, ps.ps_tid, ps.ps_pgid, ps.ps_sid);
	if (ps.ps_vm != NULL)
		pfs_printf(sb, "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\n"
		    "VmLck:\t%8lu kB\nVmHWM:\t%8lu kB\n"
		    "VmRSS:\t%8lu kB\nVmData:\t%8lu kB\nVmStk:\t%8lu kB\n"
		    "VmExe:\t%8lu kB\nVmSwap:\t%8d kB\n",
		    PFS_KB(MAX(ms.ms_peak, vs.vs_total)), PFS_KB(vs.vs_total),
		    PFS_KB(ms.ms_locked), PFS_KB(MAX(ms.ms_hwm, vs.vs_rss)),
		    PFS_KB(vs.vs_rss),
		    PFS_KB(vs.vs_data), PFS_KB(vs.vs_stack),
		    PFS_KB(vs.vs_exec), 0);
	pfs_printf(sb, "Threads:\t%d\nSigQ:\t%d/%lu\nSigPnd:\t%016lx\n"
	    "ShdPnd:\t%016lx\nSigBlk:\t%016lx\nSigIgn:\t%016lx\n"
	    "SigCgt:\t%016lx\nNoNewPrivs:\t%d\nCpus_allowed:\t1\n"
	    "Cpus_allowed_list:\t0\n", ps.ps_nthreads, ps.ps_sigq,
	    (unsigned long)ps.ps_rlimit[RLIMIT_SIGPENDING][0],
	    (unsigned long)ps.ps_sigpnd, (unsigned long)ps.ps_shdpnd,
	    (unsigned long)ps.ps_sigblk, (unsigned long)ps.ps_sigign,
	    (unsigned long)ps.ps_sigcgt, ps.ps_nonewprivs ? 1 : 0);
	pfs_snap_done(&ps);
	return 0;
}

/*
 * The bytes [start, end) of ps's address space (cmdline, environ), read
 * page by page without faulting: a page never touched reads as zeros.
 * At most PFS_ARGS_MAX bytes are shown (Linux shows all of them; the
 * area can be as large as exec's 2 MiB of strings): a longer one is cut
 * there, not dropped.
 */
static int
pfs_user_range(struct pfsbuf *sb, struct vmspace *vm, uint64_t start,
    uint64_t end)
{
	uint8_t *page;
	uint64_t va, off, n;

	if (vm == NULL || start >= end)
		return 0;
	if (end - start > PFS_ARGS_MAX)
		end = start + PFS_ARGS_MAX;
	if ((page = kmalloc(PAGE_SIZE, 0)) == NULL)
		return -ENOMEM;
	for (va = start; va < end; va += n) {
		off = va & (PAGE_SIZE - 1);
		n = MIN(PAGE_SIZE - off, end - va);
		if (vm_core_read_page(vm, va - off, page) == 0)
			memset(page, 0, PAGE_SIZE);
		pfs_putbytes(sb, page + off, (size_t)n);
	}
	kfree(page);
	return 0;
}

/* cmdline (which 0) or environ (which 2): a bounds pair of ps_arg. */
static int
pfs_pid_strings(struct pfsbuf *sb, int pid, int tid, int which)
{
	struct pfssnap ps;
	int error;

	if ((error = pfs_snap(pid, tid, &ps)) < 0)
		return error;
	error = pfs_user_range(sb, ps.ps_vm, ps.ps_arg[which],
	    ps.ps_arg[which + 1]);
	pfs_snap_done(&ps);
	return error;
}

static int
pfs_pid_cmdline(struct pfsbuf *sb, int pid, int tid)
{
	return pfs_pid_strings(sb, pid, tid, 0);
}

static int
pfs_pid_environ(struct pfsbuf *sb, int pid, int tid)
{
	return pfs_pid_strings(sb, pid, tid, 2);
}

static int
pfs_pid_comm(struct pfsbuf *sb, int pid, int tid)
{
	struct pfssnap ps;
	int error;

	if ((error = pfs_snap(pid, tid, &ps)) < 0)
		return error;
	pfs_printf(sb, "%s\n", ps.ps_comm);
	pfs_snap_done(&ps);
	return 0;
}

/*
 * Writing comm (PR_SET_NAME's effect): the thread's name becomes the
 * first 15 bytes written, kept as they are (a newline too, as Linux
 * does); the main thread's is the process's.  Only a thread of the
 * writer's own process may be renamed (-EINVAL, as Linux).
 */
static int
pfs_pid_comm_write(const char *buf, size_t len, int pid, int tid)
{
	struct thread *td;
	struct proc *p;
	char name[PROC_NAME_MAX];
	int error = 0;

	memset(name, 0, sizeof(name));
	memcpy(name, buf, MIN(len, sizeof(name) - 1));
	spin_lock(&proc_lock);
	p = proc_find(pid);
	td = thread_find(tid != 0 ? tid : pid);
	if (p == NULL || p != curproc) {
		error = -EINVAL;
	} else if (td != NULL && td->td_proc == p) {
		strlcpy(td->td_name, name, sizeof(td->td_name));
		if (td->td_tid == p->p_pid)
			strlcpy(p->p_comm, name, sizeof(p->p_comm));
	} else if (tid == 0) {
		strlcpy(p->p_comm, name, sizeof(p->p_comm));
	} else {
		error = -ESRCH;
	}
	spin_unlock(&proc_lock);
	return error;
}

/* One line of maps (and smaps' header): path is a PATH_MAX buffer. */
static void
pfs_maps_line(struct pfsbuf *sb, const struct vm_mapinfo *mi, char *path)
{
	struct vattr va;
	const char *name;
	size_t start;
	long plen = 0;

	memset(&va, 0, sizeof(va));
	if (mi->mi_vnode != NULL) {
		(void)vn_getattr(mi->mi_vnode, &va);
		plen = pfs_vnpath(mi->mi_vnode, path, PATH_MAX - 1);
		if (plen < 0)
			plen = 0;
	}
	start = sb->sb_len;
	pfs_printf(sb, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu",
	    (unsigned long)mi->mi_start, (unsigned long)mi->mi_end,
	    (mi->mi_prot & VM_PROT_READ) ? 'r' : '-',
	    (mi->mi_prot & VM_PROT_WRITE) ? 'w' : '-',
	    (mi->mi_prot & VM_PROT_EXEC) ? 'x' : '-',
	    (mi->mi_flags & VM_MAP_SHARED) ? 's' : 'p',
	    mi->mi_vnode != NULL ? (unsigned long)mi->mi_offset : 0UL,
	    mi->mi_vnode != NULL ? MAJOR(mi->mi_vnode->v_mount->mnt_dev) : 0,
	    mi->mi_vnode != NULL ? MINOR(mi->mi_vnode->v_mount->mnt_dev) : 0,
	    (unsigned long)va.va_ino);
	/* Linux pads the line to 72 columns before a name. */
	name = NULL;
	if (plen > 0) {
		path[plen] = '\0';
		name = path;
	} else if (mi->mi_flags & VM_MAP_STACK) {
		name = "[stack]";
	}
	if (name != NULL)
		pfs_printf(sb, "%*s%s", (int)MAX(0, 73 -
		    (long)(sb->sb_len - start)), "", name);
	else
		pfs_printf(sb, " ");
	pfs_printf(sb, "\n");
}

/* The mappings of ps (vm_map_info), into a new array; NULL: none. */
static struct vm_mapinfo *
pfs_mapinfo(struct pfssnap *ps, int *np)
{
	struct vm_mapinfo *mi;

	*np = 0;
	if (ps->ps_vm == NULL)
		return NULL;
	if ((mi = kmalloc(PFS_MAPS_MAX * sizeof(*mi), 0)) == NULL)
		return NULL;
	*np = MIN(vm_map_info(ps->ps_vm, mi, PFS_MAPS_MAX), PFS_MAPS_MAX);
	return mi;
}

/* Drop the vnode references of n mappings and free them. */
static void
pfs_mapinfo_free(struct vm_mapinfo *mi, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (mi[i].mi_vnode != NULL)
			vrele(mi[i].mi_vnode);
	kfree(mi);
}

/* /proc/pid/maps: start-end perms offset dev inode path. */
static int
pfs_pid_maps(struct pfsbuf *sb, int pid, int tid)
{
	struct pfssnap ps;
	struct vm_mapinfo *mi;
	char *path;
	int i, n, error;

	if ((error = pfs_snap(pid, tid, &ps)) < 0)
		return error;
	mi = pfs_mapinfo(&ps, &n);
	if ((path = kmalloc(PATH_MAX, 0)) == NULL ||
	    (mi == NULL && ps.ps_vm != NULL)) {
		error = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++)
		pfs_maps_line(sb, &mi[i], path);
out:
	if (mi != NULL)
		pfs_mapinfo_free(mi, n);
	kfree(path);
	pfs_snap_done(&ps);
	return error;
}

/* One "Name:   value kB" line of smaps (Linux's widths). */
static void
pfs_kb(struct pfsbuf *sb, const char *name, uint64_t bytes)
{
	pfs_printf(sb, "%-16s%8lu kB\n", name, (unsigned long)(bytes >> 10));
}

/*
 * The resident lines of smaps and smaps_rollup from sm; rollup adds
 * Pss_Anon/File/Shmem (non-anonymous Pss of a file's mapping is File's,
 * of a shared anonymous one Shmem's).  Locked is, as Linux computes it
 * (proc(5) says only "whether the mapping is locked"), the Pss of a
 * locked mapping and 0 for others: its resident pages, each divided by
 * the processes that map it, so a locked mapping of pages not touched
 * yet (MLOCK_ONFAULT) or shared with another process shows less than
 * its Size, while status's VmLck counts locked mappings whole.
 */
static void
pfs_smaps_body(struct pfsbuf *sb, const struct vm_smaps *sm,
    const uint64_t *pssx)
{
	pfs_kb(sb, "Rss:", sm->sm_rss);
	pfs_kb(sb, "Pss:", sm->sm_pss >> VM_PSS_SHIFT);
	pfs_kb(sb, "Pss_Dirty:", sm->sm_pss_dirty >> VM_PSS_SHIFT);
	if (pssx != NULL) {
		pfs_kb(sb, "Pss_Anon:", pssx[0] >> VM_PSS_SHIFT);
		pfs_kb(sb, "Pss_File:", pssx[1] >> VM_PSS_SHIFT);
		pfs_kb(sb, "Pss_Shmem:", pssx[2] >> VM_PSS_SHIFT);
	}
	pfs_kb(sb, "Shared_Clean:", sm->sm_shared_clean);
	pfs_kb(sb, "Shared_Dirty:", sm->sm_shared_dirty);
	pfs_kb(sb, "Private_Clean:", sm->sm_private_clean);
	pfs_kb(sb, "Private_Dirty:", sm->sm_private_dirty);
	pfs_kb(sb, "Referenced:", sm->sm_rss);
	pfs_kb(sb, "Anonymous:", sm->sm_anon);
	pfs_kb(sb, "KSM:", 0);
	pfs_kb(sb, "LazyFree:", 0);
	pfs_kb(sb, "AnonHugePages:", 0);
	pfs_kb(sb, "ShmemPmdMapped:", 0);
	pfs_kb(sb, "FilePmdMapped:", 0);
	pfs_kb(sb, "Shared_Hugetlb:", 0);
	pfs_kb(sb, "Private_Hugetlb:", 0);
	pfs_kb(sb, "Swap:", 0);
	pfs_kb(sb, "SwapPss:", 0);
	pfs_kb(sb, "Locked:", sm->sm_pss_locked >> VM_PSS_SHIFT);
}

/*
 * /proc/pid/smaps (rollup false) and smaps_rollup (true): the resident
 * memory of each mapping, or of all, from the page tables (vm_map_smaps;
 * "Referenced" is the resident set: no accessed bit is kept).  No swap.
 */
static int
pfs_smaps_common(struct pfsbuf *sb, int pid, int tid, bool rollup)
{
	struct vm_smaps sm, sum;
	struct pfssnap ps;
	struct vm_mapinfo *mi;
	uint64_t pssx[3] = { 0, 0, 0 };
	size_t start;
	char *path;
	int i, n, error;

	if ((error = pfs_snap(pid, tid, &ps)) < 0)
		return error;
	mi = pfs_mapinfo(&ps, &n);
	if ((path = kmalloc(PATH_MAX, 0)) == NULL ||
	    (mi == NULL && ps.ps_vm != NULL)) {
		error = -ENOMEM;
		goto out;
	}
	memset(&sum, 0, sizeof(sum));
	for (i = 0; i < n; i++) {
		memset(&sm, 0, sizeof(sm));
		vm_map_smaps(ps.ps_vm, mi[i].mi_start, mi[i].mi_end, &sm);
		if (rollup) {
			sum.sm_rss += sm.sm_rss;
			sum.sm_pss += sm.sm_pss;
			sum.sm_pss_dirty += sm.sm_pss_dirty;
			sum.sm_pss_locked += sm.sm_pss_locked;
			sum.sm_anon += sm.sm_anon;
			sum.sm_shared_clean += sm.sm_shared_clean;
			sum.sm_shared_dirty += sm.sm_shared_dirty;
			sum.sm_private_clean += sm.sm_private_clean;
			sum.sm_private_dirty += sm.sm_private_dirty;
			pssx[0] += sm.sm_pss_anon;
			pssx[mi[i].mi_vnode != NULL ? 1 : 2] += sm.sm_pss -
			    sm.sm_pss_anon;
			continue;
		}
		pfs_maps_line(sb, &mi[i], path);
		pfs_kb(sb, "Size:", mi[i].mi_end - mi[i].mi_start);
		pfs_kb(sb, "KernelPageSize:", PAGE_SIZE);
		pfs_kb(sb, "MMUPageSize:", PAGE_SIZE);
		pfs_smaps_body(sb, &sm, NULL);
		pfs_printf(sb, "THPeligible:    %8d\nVmFlags:%s%s%s%s%s%s \n",
		    0, (mi[i].mi_prot & VM_PROT_READ) ? " rd" : "",
		    (mi[i].mi_prot & VM_PROT_WRITE) ? " wr" : "",
		    (mi[i].mi_prot & VM_PROT_EXEC) ? " ex" : "",
		    (mi[i].mi_flags & VM_MAP_SHARED) ? " sh" : "",
		    (mi[i].mi_flags & VM_MAP_STACK) ? " gd" : "",
		    (mi[i].mi_flags & VM_MAP_LOCKED) ? " lo" : "");
	}
	if (rollup && n > 0) {
		/* Linux: first start to last end, "---p", "[rollup]". */
		start = sb->sb_len;
		pfs_printf(sb, "%08lx-%08lx ---p 00000000 00:00 0",
		    (unsigned long)mi[0].mi_start,
		    (unsigned long)mi[n - 1].mi_end);
		pfs_printf(sb, "%*s[rollup]\n", (int)MAX(0, 73 -
		    (long)(sb->sb_len - start)), "");
		pfs_smaps_body(sb, &sum, pssx);
	}
out:
	if (mi != NULL)
		pfs_mapinfo_free(mi, n);
	kfree(path);
	pfs_snap_done(&ps);
	return error;
}

static int
pfs_pid_smaps(struct pfsbuf *sb, int pid, int tid)
{
	return pfs_smaps_common(sb, pid, tid, false);
}

static int
pfs_pid_smaps_rollup(struct pfsbuf *sb, int pid, int tid)
{
	return pfs_smaps_common(sb, pid, tid, true);
}

/* /proc/pid/limits: Linux's table. */
static int
pfs_pid_limits(struct pfsbuf *sb, int pid, int tid)
{
	static const struct {
		const char *name, *unit;
	} lim[16] = {
		{ "Max cpu time", "seconds" }, { "Max file size", "bytes" },
		{ "Max data size", "bytes" }, { "Max stack size", "bytes" },
		{ "Max core file size", "bytes" },
		{ "Max resident set", "bytes" },
		{ "Max processes", "processes" },
		{ "Max open files", "files" },
		{ "Max locked memory", "bytes" },
		{ "Max address space", "bytes" },
		{ "Max file locks", "locks" },
		{ "Max pending signals", "signals" },
		{ "Max msgqueue size", "bytes" },
		{ "Max nice priority", "" },
		{ "Max realtime priority", "" },
		{ "Max realtime timeout", "us" },
	};
	struct pfssnap ps;
	char cur[24], max[24];
	int i, error;

	if ((error = pfs_snap(pid, tid, &ps)) < 0)
		return error;
	pfs_printf(sb, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit",
	    "Hard Limit", "Units");
	for (i = 0; i < 16; i++) {
		if (ps.ps_rlimit[i][0] == ~0ULL)
			strlcpy(cur, "unlimited", sizeof(cur));
		else
			ksnprintf(cur, sizeof(cur), "%lu",
			    (unsigned long)ps.ps_rlimit[i][0]);
		if (ps.ps_rlimit[i][1] == ~0ULL)
			strlcpy(max, "unlimited", sizeof(max));
		else
			ksnprintf(max, sizeof(max), "%lu",
			    (unsigned long)ps.ps_rlimit[i][1]);
		pfs_printf(sb, "%-25s %-20s %-20s %-10s\n", lim[i].name, cur,
		    max, lim[i].unit);
	}
	pfs_snap_done(&ps);
	return 0;
}

/* /proc/pid/oom_score_adj: the value last written. */
static int
pfs_pid_oom(struct pfsbuf *sb, int pid, int tid)
{
	struct proc *p;
	int v;

	(void)tid;
	spin_lock(&proc_lock);
	if ((p = proc_find(pid)) == NULL) {
		spin_unlock(&proc_lock);
		return -ESRCH;
	}
	v = p->p_oom_score_adj;
	spin_unlock(&proc_lock);
	return pfs_printf(sb, "%d\n", v);
}

/*
 * Parse a decimal int with an optional sign, blanks around it allowed
 * (Linux's kstrtoint of the stripped text): 0 or -EINVAL.
 */
static int
pfs_parse_int(const char *buf, size_t len, int *vp)
{
	size_t i = 0;
	long v = 0;
	bool neg = false, any = false;

	while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\n' ||
	    buf[len - 1] == '\t'))
		len--;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n'))
		i++;
	if (i < len && (buf[i] == '-' || buf[i] == '+'))
		neg = buf[i++] == '-';
	for (; i < len; i++) {
		if (buf[i] < '0' || buf[i] > '9')
			return -EINVAL;
		v = v * 10 + (buf[i] - '0');
		if (v > 0x7fffffffL + 1)
			return -EINVAL;
		any = true;
	}
	if (!any || (!neg && v > 0x7fffffffL))
		return -EINVAL;
	*vp = (int)(neg ? -v : v);
	return 0;
}

/*
 * Writing oom_score_adj: -1000..1000, else -EINVAL.  As Linux's
 * oom_score_adj_min rule has it, only root may set a value below the
 * last one root set (-EACCES); root's write sets that floor.  EclipseOS
 * has no OOM killer that reads the value: it is kept for programs (and
 * their children) that set and read it.
 */
static int
pfs_pid_oom_write(const char *buf, size_t len, int pid, int tid)
{
	struct proc *p;
	int v, error;

	(void)tid;
	if ((error = pfs_parse_int(buf, len, &v)) < 0)
		return error;
	if (v < -1000 || v > 1000)
		return -EINVAL;
	spin_lock(&proc_lock);
	if ((p = proc_find(pid)) == NULL) {
		error = -ESRCH;
	} else if (curproc->p_euid != 0 && v < p->p_oom_score_adj_min) {
		error = -EACCES;
	} else {
		p->p_oom_score_adj = v;
		if (curproc->p_euid == 0)
			p->p_oom_score_adj_min = v;
	}
	spin_unlock(&proc_lock);
	return error;
}

/*
 * /proc/pid/fdinfo/fd: position and flags of the open file (Linux's
 * mnt_id and ino lines are left out: not every file here has them).
 */
int
pfs_print_fdinfo(struct pfsbuf *sb, int pid, int fd)
{
	struct file *fp;

	if (pfs_fd_getfile(pid, fd, &fp) < 0)
		return -ENOENT;
	pfs_printf(sb, "pos:\t%lld\nflags:\t0%o\n",
	    (long long)fp->f_offset, (unsigned int)file_getflags(fp));
	file_rele(fp);
	return 0;
}

/*
 * /proc/meminfo, the fields that free(1) and top read, each counted:
 * MemTotal and MemFree from the physical allocator; Buffers, the bytes
 * of the buffer cache's blocks (disk metadata and the data of unmapped
 * eclipsefs files); Cached, the pages of every vm_object (tmpfs files,
 * shared anonymous memory, mapped eclipsefs files: as on Linux, shmem is
 * part of it); Shmem, the tmpfs and shared anonymous ones among them;
 * MemAvailable, free memory plus the clean buffers that vm_page_alloc
 * drops when memory runs out (object pages are never dropped: there is
 * no swap and no eviction).  There is no swap, so its fields are 0.
 * Each figure is read on its own (atomics, buf_lock, vm_phys_lock), so
 * they may disagree by a few pages while memory is changing hands.
 */
static int
pfs_meminfo(struct pfsbuf *sb, int pid, int tid)
{
	struct buf_stats bs;
	unsigned long total = PFS_KB(vm_phys_total_pages());
	unsigned long free = PFS_KB(vm_phys_free_pages());
	unsigned long avail = free + buf_clean_bytes() / 1024;
	unsigned long cached = PFS_KB(vm_object_total_pages());
	unsigned long shmem = PFS_KB(vm_object_shmem_pages());

	(void)pid, (void)tid;
	buf_stats(&bs);
	pfs_printf(sb, "MemTotal:       %8lu kB\nMemFree:        %8lu kB\n"
	    "MemAvailable:   %8lu kB\nBuffers:        %8lu kB\n"
	    "Cached:         %8lu kB\nSwapCached:     %8lu kB\n",
	    total, free, avail, (unsigned long)(bs.bs_bytes / 1024), cached,
	    0UL);
	pfs_printf(sb, "SwapTotal:      %8lu kB\nSwapFree:       %8lu kB\n"
	    "Shmem:          %8lu kB\n", 0UL, 0UL, shmem);
	return 0;
}

/* /proc/uptime: seconds up, and seconds the CPU idled (cpu0's idle). */
static int
pfs_uptime(struct pfsbuf *sb, int pid, int tid)
{
	uint64_t up = clock_monotonic_ns(), idle;

	(void)pid, (void)tid;
	spin_lock(&sched_lock);
	idle = cpu0.ci_idle != NULL ? cpu0.ci_idle->td_runtime_ns : 0;
	spin_unlock(&sched_lock);
	return pfs_printf(sb, "%lu.%02lu %lu.%02lu\n",
	    (unsigned long)(up / 1000000000),
	    (unsigned long)(up / 10000000 % 100),
	    (unsigned long)(idle / 1000000000),
	    (unsigned long)(idle / 10000000 % 100));
}

/* Threads that are runnable now, threads in all, and the newest pid. */
static void
pfs_counts(int *running, int *total, int *lastpid)
{
	struct proc *p;
	struct thread *td;

	*running = *total = *lastpid = 0;
	spin_lock(&proc_lock);
	for (p = proc_first(); p != NULL; p = proc_next(p)) {
		if (p->p_pid > *lastpid)
			*lastpid = p->p_pid;
		for (td = p->p_threads; td != NULL; td = td->td_plist_next) {
			(*total)++;
			if (td->td_state == TDS_RUNNABLE)
				(*running)++;
		}
	}
	spin_unlock(&proc_lock);
}

/*
 * /proc/loadavg: the 1, 5 and 15 minute load averages (kern_sched.c) with
 * two decimals, the threads runnable now and in all, and the highest pid
 * alive.
 */
static int
pfs_loadavg(struct pfsbuf *sb, int pid, int tid)
{
	unsigned long loads[3], hundredths[3];
	int running, total, lastpid, i;

	(void)pid, (void)tid;
	pfs_counts(&running, &total, &lastpid);
	sched_loadavg(loads, PFS_FSHIFT);
	for (i = 0; i < 3; i++)	/* rounded to the nearest hundredth */
		hundredths[i] = (loads[i] * 100 + (1UL << (PFS_FSHIFT - 1))) >>
		    PFS_FSHIFT;
	return pfs_printf(sb, "%lu.%02lu %lu.%02lu %lu.%02lu %d/%d %d\n",
	    hundredths[0] / 100, hundredths[0] % 100, hundredths[1] / 100,
	    hundredths[1] % 100, hundredths[2] / 100, hundredths[2] % 100,
	    running, total, lastpid);
}

/*
 * /proc/stat.  The cpu line counts the CPU time of the processes alive
 * (with their reaped children's) as user and system, and cpu0's idle
 * thread as idle, in USER_HZ ticks.
 */
static int
pfs_stat(struct pfsbuf *sb, int pid, int tid)
{
	struct proc *p;
	uint64_t user = 0, sys = 0, idle, bt;
	int running, total, lastpid, nprocs;

	(void)pid, (void)tid;
	spin_lock(&proc_lock);
	for (p = proc_first(); p != NULL; p = proc_next(p)) {
		user += p->p_utime_ns + (p->p_pid == 1 ? p->p_cutime_ns : 0);
		sys += p->p_stime_ns + (p->p_pid == 1 ? p->p_cstime_ns : 0);
	}
	spin_unlock(&proc_lock);
	spin_lock(&sched_lock);
	idle = cpu0.ci_idle != NULL ? cpu0.ci_idle->td_runtime_ns : 0;
	spin_unlock(&sched_lock);
	pfs_counts(&running, &total, &lastpid);
	nprocs = proc_count();
	bt = (uint64_t)((clock_realtime_ns() - (int64_t)clock_monotonic_ns()) /
	    1000000000);
	pfs_printf(sb, "cpu  %lu 0 %lu %lu 0 0 0 0 0 0\n"
	    "cpu0 %lu 0 %lu %lu 0 0 0 0 0 0\n",
	    pfs_ticks(user), pfs_ticks(sys), pfs_ticks(idle),
	    pfs_ticks(user), pfs_ticks(sys), pfs_ticks(idle));
	return pfs_printf(sb, "btime %lu\nprocesses %d\nprocs_running %d\n"
	    "procs_blocked 0\n", (unsigned long)bt, nprocs, running);
}

static int
pfs_version(struct pfsbuf *sb, int pid, int tid)
{
	(void)pid, (void)tid;
	return pfs_printf(sb, "EclipseOS version %s (gcc) #1 EclipseOS %s\n",
	    ECLIPSE_VERSION, ECLIPSE_VERSION);
}

/* /proc/cpuinfo: the one CPU, from CPUID. */
static int
pfs_cpuinfo(struct pfsbuf *sb, int pid, int tid)
{
	uint32_t a, b, c, d, vendor[4];

	(void)pid, (void)tid;
	cpuid(0, 0, &a, &vendor[0], &vendor[2], &vendor[1]);
	vendor[3] = 0;
	cpuid(1, 0, &a, &b, &c, &d);
	return pfs_printf(sb, "processor\t: 0\nvendor_id\t: %s\n"
	    "cpu family\t: %u\nmodel\t\t: %u\nstepping\t: %u\n"
	    "cpu cores\t: 1\n\n", (const char *)vendor,
	    ((a >> 8) & 0xf) + ((a >> 20) & 0xff),
	    ((a >> 4) & 0xf) | ((a >> 12) & 0xf0), a & 0xf);
}

static int
pfs_cmdline(struct pfsbuf *sb, int pid, int tid)
{
	(void)pid, (void)tid;
	return pfs_printf(sb, "%s\n", cmdline_string());
}

/*
 * The filesystem types registered; all are "nodev" (none needs a block
 * device).
 */
static int
pfs_filesystems(struct pfsbuf *sb, int pid, int tid)
{
	const char *name;
	int i;

	(void)pid, (void)tid;
	for (i = 0; (name = vfs_type_name(i)) != NULL; i++)
		pfs_printf(sb, "nodev\t%s\n", name);
	return 0;
}

#define PFS_MOUNTS_MAX	64

/* Mount options as both mount tables spell them: rw or ro, and the rest. */
static int
pfs_mount_opts(struct pfsbuf *sb, int flags)
{
	return pfs_printf(sb, "%s%s%s%s%s",
	    (flags & MS_RDONLY) ? "ro" : "rw",
	    (flags & MS_NOSUID) ? ",nosuid" : "",
	    (flags & MS_NODEV) ? ",nodev" : "",
	    (flags & MS_NOEXEC) ? ",noexec" : "",
	    (flags & MS_NOATIME) ? ",noatime" : ",relatime");
}

/*
 * /proc/mounts and /proc/pid/mounts (fstab's format, Linux's options),
 * or with info /proc/pid/mountinfo (proc(5)): id, parent's id,
 * major:minor, the root within the filesystem (a bind's directory),
 * the mount point, its options, no optional fields (every mount is
 * private), "-", the type, the source and the filesystem's options.
 */
static int
pfs_mounts_list(struct pfsbuf *sb, bool info)
{
	struct vfs_mountinfo *mi;
	char *path;
	long plen;
	int i, n;

	mi = kmalloc(PFS_MOUNTS_MAX * sizeof(*mi), 0);
	path = kmalloc(PATH_MAX, 0);
	if (mi == NULL || path == NULL) {
		kfree(mi);
		kfree(path);
		return -ENOMEM;
	}
	n = vfs_mount_list(mi, PFS_MOUNTS_MAX);
	for (i = 0; i < n; i++) {
		if (mi[i].mi_covered == NULL) {
			strlcpy(path, "/", PATH_MAX);
			plen = 1;
		} else {
			plen = pfs_vnpath(mi[i].mi_covered, path,
			    PATH_MAX - 1);
			vrele(mi[i].mi_covered);
			if (plen >= 0)
				path[plen] = '\0';
		}
		/* A mount outside the caller's view is not listed. */
		if (plen >= 0 && info) {
			pfs_printf(sb, "%d %d %u:%u %s %s ", mi[i].mi_id,
			    mi[i].mi_parent, MAJOR(mi[i].mi_dev),
			    MINOR(mi[i].mi_dev), mi[i].mi_root != NULL ?
			    mi[i].mi_root : "(unknown)", path);
			pfs_mount_opts(sb, mi[i].mi_flags);
			pfs_printf(sb, " - %s %s %s\n", mi[i].mi_type,
			    mi[i].mi_source[0] != '\0' ? mi[i].mi_source :
			    "none", (mi[i].mi_sbflags & MS_RDONLY) ? "ro" :
			    "rw");
		} else if (plen >= 0) {
			pfs_printf(sb, "%s %s %s ",
			    mi[i].mi_source[0] != '\0' ? mi[i].mi_source :
			    "none", path, mi[i].mi_type);
			pfs_mount_opts(sb, mi[i].mi_flags);
			pfs_printf(sb, " 0 0\n");
		}
		kfree(mi[i].mi_root);
	}
	kfree(mi);
	kfree(path);
	return 0;
}

static int
pfs_mounts(struct pfsbuf *sb, int pid, int tid)
{
	(void)pid, (void)tid;
	return pfs_mounts_list(sb, false);
}

static int
pfs_mountinfo(struct pfsbuf *sb, int pid, int tid)
{
	(void)pid, (void)tid;
	return pfs_mounts_list(sb, true);
}

/*
 * /proc/devices: the majors of the registered character devices with
 * their drivers' names, by major, then the block devices (none).
 */
static int
pfs_devices(struct pfsbuf *sb, int pid, int tid)
{
	const struct cdevsw *sw, *sw2;
	uint32_t dev, dev2, major, last = 0, next;
	int i, j;
	bool dup;

	(void)pid, (void)tid;
	pfs_printf(sb, "Character devices:\n");
	for (;;) {
		/* The smallest major above the last one printed. */
		next = UINT32_MAX;
		for (i = 0; cdev_nth(i, &dev, NULL) != NULL; i++)
			if (MAJOR(dev) >= last && MAJOR(dev) < next)
				next = MAJOR(dev);
		if (next == UINT32_MAX)
			break;
		major = next;
		for (i = 0; (sw = cdev_nth(i, &dev, NULL)) != NULL; i++) {
			if (MAJOR(dev) != major)
				continue;
			dup = false;
			for (j = 0; j < i && !dup; j++) {
				sw2 = cdev_nth(j, &dev2, NULL);
				dup = MAJOR(dev2) == major &&
				    strcmp(sw2->d_name, sw->d_name) == 0;
			}
			if (!dup)
				pfs_printf(sb, "%3u %s\n", major, sw->d_name);
		}
		last = major + 1;
	}
	return pfs_printf(sb, "\nBlock devices:\n");
}

/* No swap: the header alone, as Linux prints it with none. */
static int
pfs_swaps(struct pfsbuf *sb, int pid, int tid)
{
	(void)pid, (void)tid;
	return pfs_printf(sb, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\t"
	    "Priority\n");
}

static int
pfs_hostname(struct pfsbuf *sb, int pid, int tid)
{
	char name[65];

	(void)pid, (void)tid;
	misc_hostname_get(name, sizeof(name));
	return pfs_printf(sb, "%s\n", name);
}

/* Writing hostname: sethostname with the text, less a final newline. */
static int
pfs_hostname_write(const char *buf, size_t len, int pid, int tid)
{
	(void)pid, (void)tid;
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	return misc_hostname_set(buf, len);
}

static int
pfs_osrelease(struct pfsbuf *sb, int pid, int tid)
{
	(void)pid, (void)tid;
	return pfs_printf(sb, "%s\n", ECLIPSE_VERSION);
}

static int
pfs_ostype(struct pfsbuf *sb, int pid, int tid)
{
	(void)pid, (void)tid;
	return pfs_printf(sb, "EclipseOS\n");
}

static int
pfs_pidmax(struct pfsbuf *sb, int pid, int tid)
{
	(void)pid, (void)tid;
	return pfs_printf(sb, "%d\n", proc_pid_max_get());
}

/* Writing pid_max: an int in Linux's bounds (proc_pid_max_set). */
static int
pfs_pidmax_write(const char *buf, size_t len, int pid, int tid)
{
	int v, error;

	(void)pid, (void)tid;
	if ((error = pfs_parse_int(buf, len, &v)) < 0)
		return error;
	return proc_pid_max_set(v);
}

static int
pfs_ptymax(struct pfsbuf *sb, int pid, int tid)
{
	(void)pid, (void)tid;
	return pfs_printf(sb, "%d\n", pty_max_get());
}

/* Writing pty/max: an int from 0 (pty_max_set). */
static int
pfs_ptymax_write(const char *buf, size_t len, int pid, int tid)
{
	int v, error;

	(void)pid, (void)tid;
	if ((error = pfs_parse_int(buf, len, &v)) < 0)
		return error;
	return pty_max_set(v);
}

/* /proc/sys/fs/lease-break-time: seconds a lease break may last. */
static int
pfs_leasetime(struct pfsbuf *sb, int pid, int tid)
{
	(void)pid, (void)tid;
	return pfs_printf(sb, "%d\n", lease_break_time());
}

/* Writing it: an int from 0 (lease_set_break_time). */
static int
pfs_leasetime_write(const char *buf, size_t len, int pid, int tid)
{
	int v, error;

	(void)pid, (void)tid;
	if ((error = pfs_parse_int(buf, len, &v)) < 0)
		return error;
	return lease_set_break_time(v);
}

static int
pfs_ptynr(struct pfsbuf *sb, int pid, int tid)
{
	(void)pid, (void)tid;
	return pfs_printf(sb, "%d\n", pty_nr());
}

/*
 * /proc/interrupts, as Linux lays it out for one CPU: a header of CPU
 * columns, then a line per interrupt line that has a handler (its IRQ
 * number, the count, the controller, its input and trigger, the
 * handlers), then the local APIC's own interrupts (LOC: its timer) and
 * the spurious and error counts.  The counts are intr_dispatch's.
 */
static int
pfs_interrupts(struct pfsbuf *sb, int pid, int tid)
{
	struct intr_info ii;
	uint64_t loc = 0, err = 0;
	int v, irq, next, last = -1;

	(void)pid, (void)tid;
	pfs_printf(sb, "%*sCPU%-8d\n", 3 + 8, "", 0);
	/* Lines by IRQ number: the smallest above the last printed. */
	for (;;) {
		next = -1;
		for (v = 0; v < 256; v++) {
			if (intr_info(v, &ii) < 0 || ii.ii_direct)
				continue;
			irq = ii.ii_irq;
			if (irq > last && (next < 0 || irq < next))
				next = irq;
		}
		if (next < 0)
			break;
		for (v = 0; v < 256; v++) {
			if (intr_info(v, &ii) < 0 || ii.ii_direct ||
			    ii.ii_irq != next)
				continue;
			pfs_printf(sb, "%3d: %10lu  %8s %3u-%-8s  %s\n", next,
			    (unsigned long)ii.ii_count, ii.ii_chip,
			    ii.ii_hwirq, ii.ii_level ? "fasteoi" : "edge",
			    ii.ii_names);
		}
		last = next;
	}
	for (v = 0; v < 256; v++) {
		if (intr_info(v, &ii) < 0 || !ii.ii_direct)
			continue;
		if (strcmp(ii.ii_names, "timer") == 0)
			loc += ii.ii_count;
		else if (strcmp(ii.ii_names, "lapic error") == 0)
			err += ii.ii_count;
		else
			pfs_printf(sb, "%3d: %10lu  %8s %3d-%-8s  %s\n", v,
			    (unsigned long)ii.ii_count, ii.ii_chip, v,
			    "edge", ii.ii_names);
	}
	pfs_printf(sb, "%3s: %10lu   Local timer interrupts\n", "LOC",
	    (unsigned long)loc);
	pfs_printf(sb, "%3s: %10lu   Spurious interrupts\n", "SPU",
	    (unsigned long)intr_spurious());
	return pfs_printf(sb, "%3s: %10lu\n", "ERR", (unsigned long)err);
}

/*
 * drop_caches reads as nothing (Linux: the file is write-only, 0200).
 * partitions and diskstats come from the block layer (kern/subr_disk.c).
 */
static int
pfs_empty(struct pfsbuf *sb, int pid, int tid)
{
	(void)sb, (void)pid, (void)tid;
	return 0;
}

/*
 * Writing drop_caches: 1 (page cache), 2 (inodes and dentries), 3 (both),
 * with 4 (quiet) as Linux allows; 0 or anything not a number is
 * -EINVAL.  1 drops every clean buffer of the buffer cache that nobody
 * holds and no journal has pinned (buf_drop_clean): the disk filesystems'
 * cached blocks, which the next read takes from the disk again.  As on
 * Linux nothing is written, so dirty buffers stay.  tmpfs's pages are
 * its files and the page caches of mapped eclipsefs files are their data
 * while the vnode lives: neither is dropped.  2 drops nothing (no inode
 * or name cache here can be dropped without its files' references).
 * The drop is logged unless 4 is set, as on Linux.
 */
static int
pfs_drop_caches_write(const char *buf, size_t len, int pid, int tid)
{
	uint64_t n = 0;
	int val;

	(void)pid, (void)tid;
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	if (len != 1 || buf[0] < '1' || buf[0] > '7')
		return -EINVAL;
	val = buf[0] - '0';
	if (val & 1)
		n = buf_drop_clean();
	if (!(val & 4))
		klog("vm", "%s (%d): drop_caches: %d (%llu buffers dropped)",
		    curproc->p_comm, curproc->p_pid, val,
		    (unsigned long long)n);
	return 0;
}

/* The filesystems with directories in /proc/fs; NULL ends it. */
const struct pfs_fstype *const pfs_fstypes[] = {
	&efs_pfs_fstype,
	NULL,
};

const struct pfsgen pfs_root_files[] = {
	{ "meminfo", 0444, pfs_meminfo, NULL },
	{ "cpuinfo", 0444, pfs_cpuinfo, NULL },
	{ "uptime", 0444, pfs_uptime, NULL },
	{ "loadavg", 0444, pfs_loadavg, NULL },
	{ "stat", 0444, pfs_stat, NULL },
	{ "version", 0444, pfs_version, NULL },
	{ "filesystems", 0444, pfs_filesystems, NULL },
	{ "cmdline", 0444, pfs_cmdline, NULL },
	{ "devices", 0444, pfs_devices, NULL },
	{ "partitions", 0444, disk_pfs_partitions, NULL },
	{ "diskstats", 0444, disk_pfs_diskstats, NULL },
	{ "swaps", 0444, pfs_swaps, NULL },
	{ "interrupts", 0444, pfs_interrupts, NULL },
	{ "profile", 0644, prof_pfs_print, prof_pfs_write },
	{ NULL, 0, NULL, NULL },
};

const struct pfsgen pfs_pid_files[] = {
	{ "stat", 0444, pfs_pid_stat, NULL },
	{ "status", 0444, pfs_pid_status, NULL },
	{ "statm", 0444, pfs_pid_statm, NULL },
	{ "cmdline", 0444, pfs_pid_cmdline, NULL },
	{ "environ", 0400, pfs_pid_environ, NULL },
	{ "comm", 0644, pfs_pid_comm, pfs_pid_comm_write },
	{ "maps", 0444, pfs_pid_maps, NULL },
	{ "mountinfo", 0444, pfs_mountinfo, NULL },
	{ "smaps", 0444, pfs_pid_smaps, NULL },
	{ "smaps_rollup", 0444, pfs_pid_smaps_rollup, NULL },
	{ "limits", 0444, pfs_pid_limits, NULL },
	{ "oom_score_adj", 0644, pfs_pid_oom, pfs_pid_oom_write },
	{ "mounts", 0444, pfs_mounts, NULL },
	{ NULL, 0, NULL, NULL },
};

const struct pfsgen pfs_sys_kernel_files[] = {
	{ "hostname", 0644, pfs_hostname, pfs_hostname_write },
	{ "osrelease", 0444, pfs_osrelease, NULL },
	{ "ostype", 0444, pfs_ostype, NULL },
	{ "pid_max", 0644, pfs_pidmax, pfs_pidmax_write },
	{ NULL, 0, NULL, NULL },
};

/*
 * /proc/net/unix: every Unix socket, as Linux lists them (the address
 * column is zeros, as Linux shows it to users without CAP_SYSLOG; the
 * inode is the socket's fstat st_ino; an abstract name starts with @
 * and its NUL bytes print as @).
 */
static int
pfs_net_unix(struct pfsbuf *sb, int pid, int tid)
{
	struct unp_netinfo *ni;
	int i, j, n, max = 256, plen;

	(void)pid, (void)tid;
	for (;;) {
		if ((ni = kmalloc(max * sizeof(*ni), 0)) == NULL)
			return -ENOMEM;
		if ((n = unp_netinfo(ni, max)) <= max)
			break;
		kfree(ni);
		max = n + 64;
	}
	pfs_printf(sb, "Num       RefCount Protocol Flags    Type St Inode "
	    "Path\n");
	for (i = 0; i < n; i++) {
		pfs_printf(sb, "%016lx: %08X %08X %08X %04X %02X %5lu", 0UL,
		    ni[i].ni_refs, 0, ni[i].ni_flags, ni[i].ni_type,
		    ni[i].ni_state, (unsigned long)ni[i].ni_ino);
		plen = ni[i].ni_addrlen - (int)sizeof(l_sa_family_t);
		if (plen > 0) {
			pfs_printf(sb, " ");
			for (j = 0; j < plen; j++) {
				char c = ni[i].ni_addr.sun_path[j];

				if (c == '\0' && j > 0 &&
				    ni[i].ni_addr.sun_path[0] != '\0')
					break;	/* a path's NUL */
				pfs_printf(sb, "%c", c == '\0' ? '@' : c);
			}
		}
		pfs_printf(sb, "\n");
	}
	kfree(ni);
	return 0;
}

const struct pfsgen pfs_net_files[] = {
	{ "unix", 0444, pfs_net_unix, NULL },
	{ NULL, 0, NULL, NULL },
};

const struct pfsgen pfs_sysvipc_files[] = {
	{ "msg", 0444, msg_pfs_print, NULL },
	{ "sem", 0444, sem_pfs_print, NULL },
	{ "shm", 0444, shm_pfs_print, NULL },
	{ NULL, 0, NULL, NULL },
};

const struct pfsgen pfs_sys_kernel_pty_files[] = {
	{ "max", 0644, pfs_ptymax, pfs_ptymax_write },
	{ "nr", 0444, pfs_ptynr, NULL },
	{ NULL, 0, NULL, NULL },
};

const struct pfsgen pfs_sys_fs_files[] = {
	{ "lease-break-time", 0644, pfs_leasetime, pfs_leasetime_write },
	{ NULL, 0, NULL, NULL },
};

const struct pfsgen pfs_sys_vm_files[] = {
	{ "drop_caches", 0200, pfs_empty, pfs_drop_caches_write },
	{ NULL, 0, NULL, NULL },
};
