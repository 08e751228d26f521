/*
 * Core dumps: the default action of SIGQUIT, SIGILL, SIGABRT, SIGSEGV and
 * the other core signals writes the dying process's memory and registers
 * to a file named "core" in its working directory (core(5)), an ELF file
 * gdb reads:
 *
 *	ELF header (ET_CORE)
 *	program headers: one PT_NOTE, then one PT_LOAD per mapping
 *	notes "CORE": NT_PRSTATUS (signal, ids, times, registers),
 *	    NT_PRPSINFO (name, ids), NT_SIGINFO (the siginfo), NT_PRFPREG
 *	    (the x87/SSE state)
 *	the mappings' bytes, each at a page-aligned file offset; pages that
 *	    were never touched are holes, which read as zeros
 *
 * As on Linux, there is no core when RLIMIT_CORE is below one page, when
 * the process is not dumpable (PR_SET_DUMPABLE 0), when "core" exists and
 * is not a regular file with one link owned by the process, or when the
 * working directory is not writable; and the wait status has the core
 * flag (WCOREDUMP) only when the whole file was written.  Here a core that
 * would not fit within RLIMIT_CORE is not written at all (Linux writes the
 * part that fits and does not set the flag either).  Only the thread that
 * took the signal is in the core: the others have already ended
 * (proc_single_thread) when the dump is written.
 */
#include <sys/abi/elf.h>
#include <sys/abi/elfcore.h>
#include <sys/abi/fcntl.h>
#include <sys/abi/resource.h>
#include <sys/abi/stat.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/malloc.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vm_map.h>
#include <sys/vnode.h>

#include <machine/cpu.h>
#include <machine/frame.h>

#define CORE_NAME	"CORE"
#define CORE_SEGS_MAX	4096	/* mappings in one core */

/* One note: header, "CORE\0" padded to 8, payload padded to 4. */
static size_t
core_note_size(size_t desc)
{
	return sizeof(struct l_elf64_nhdr) + 8 + roundup2(desc, 4);
}

/* Append a note of type and payload desc (len bytes) at buf + *off. */
static void
core_note(char *buf, size_t *off, uint32_t type, const void *desc,
    size_t len)
{
	struct l_elf64_nhdr nh;

	nh.n_namesz = sizeof(CORE_NAME);
	nh.n_descsz = (uint32_t)len;
	nh.n_type = type;
	memcpy(buf + *off, &nh, sizeof(nh));
	*off += sizeof(nh);
	memset(buf + *off, 0, 8);
	memcpy(buf + *off, CORE_NAME, sizeof(CORE_NAME));
	*off += 8;
	memset(buf + *off, 0, roundup2(len, 4));
	memcpy(buf + *off, desc, len);
	*off += roundup2(len, 4);
}

/* NT_PRSTATUS of the current thread, dying of sig. */
static void
core_prstatus(struct l_elf_prstatus *ps, int sig, const struct l_siginfo *si)
{
	struct thread *td = curthread;
	struct proc *p = td->td_proc;
	const struct trapframe *tf = td->td_frame;
	uint64_t *r = ps->pr_reg;

	memset(ps, 0, sizeof(*ps));
	ps->pr_signo = sig;
	ps->pr_code = si->si_code;
	ps->pr_cursig = (int16_t)sig;
	ps->pr_sigpend = p->p_sigq.sq_set | td->td_sigq.sq_set;
	ps->pr_sighold = td->td_sigmask;
	ps->pr_pid = td->td_tid;
	ps->pr_ppid = p->p_parent != NULL ? p->p_parent->p_pid : 0;
	ps->pr_pgrp = p->p_pgid;
	ps->pr_sid = p->p_sid;
	ps->pr_utime[0] = (int64_t)(p->p_utime_ns / 1000000000);
	ps->pr_utime[1] = (int64_t)(p->p_utime_ns / 1000 % 1000000);
	ps->pr_stime[0] = (int64_t)(p->p_stime_ns / 1000000000);
	ps->pr_stime[1] = (int64_t)(p->p_stime_ns / 1000 % 1000000);
	/* user_regs_struct: r15 ... rdi, orig_rax, rip, cs, ..., gs. */
	r[0] = tf->tf_r15;
	r[1] = tf->tf_r14;
	r[2] = tf->tf_r13;
	r[3] = tf->tf_r12;
	r[4] = tf->tf_rbp;
	r[5] = tf->tf_rbx;
	r[6] = tf->tf_r11;
	r[7] = tf->tf_r10;
	r[8] = tf->tf_r9;
	r[9] = tf->tf_r8;
	r[10] = tf->tf_rax;
	r[11] = tf->tf_rcx;
	r[12] = tf->tf_rdx;
	r[13] = tf->tf_rsi;
	r[14] = tf->tf_rdi;
	r[15] = td->td_sysnr >= 0 ? (uint64_t)td->td_sysnr : ~0ULL;
	r[16] = tf->tf_rip;
	r[17] = tf->tf_cs;
	r[18] = tf->tf_rflags;
	r[19] = tf->tf_rsp;
	r[20] = tf->tf_ss;
	r[21] = td->td_fsbase;
	r[22] = 0;			/* gs_base */
	ps->pr_fpvalid = 1;
}

/* NT_PRPSINFO of the current process. */
static void
core_prpsinfo(struct l_elf_prpsinfo *pi)
{
	struct proc *p = curproc;

	memset(pi, 0, sizeof(*pi));
	pi->pr_state = 0;		/* running */
	pi->pr_sname = 'R';
	pi->pr_nice = (char)p->p_nice;
	pi->pr_uid = p->p_uid;
	pi->pr_gid = p->p_gid;
	pi->pr_pid = p->p_pid;
	pi->pr_ppid = p->p_parent != NULL ? p->p_parent->p_pid : 0;
	pi->pr_pgrp = p->p_pgid;
	pi->pr_sid = p->p_sid;
	strlcpy(pi->pr_fname, p->p_comm, sizeof(pi->pr_fname));
	strlcpy(pi->pr_psargs, p->p_comm, sizeof(pi->pr_psargs));
}

/*
 * Open "core" in the working directory for writing, as core(5) allows:
 * made 0600 if missing; an existing one only if it is a regular file with
 * one link owned by the process (then truncated).  Returns 0 with *vpp.
 */
static int
core_open(struct vnode **vpp)
{
	struct proc *p = curproc;
	struct nameidata nd;
	struct vattr va;
	struct vnode *vp;
	int error;

	nd.nd_dirfd = AT_FDCWD;
	nd.nd_path = "core";
	nd.nd_flags = ND_PARENT;
	if ((error = namei(&nd)) < 0)
		return error;
	if ((error = vn_access(nd.nd_dvp, W_OK | X_OK)) < 0 ||
	    vfs_mount_rdonly(nd.nd_dvp->v_mount))
		goto out;
	if (nd.nd_vp != NULL) {
		vp = nd.nd_vp;
		if ((error = vn_getattr(vp, &va)) < 0)
			goto out;
		if (va.va_type != VREG || va.va_nlink != 1 ||
		    va.va_uid != p->p_euid) {
			error = -EPERM;
			goto out;
		}
		memset(&va, 0, sizeof(va));
		mtx_lock(&vp->v_iolock);
		error = vp->v_ops->vop_setattr(vp, &va, VA_SIZE);
		mtx_unlock(&vp->v_iolock);
		if (error < 0)
			goto out;
		vref(vp);
	} else {
		memset(&va, 0, sizeof(va));
		va.va_type = VREG;
		va.va_mode = 0600 & ~p->p_umask;
		va.va_uid = p->p_euid;
		va.va_gid = p->p_egid;
		if ((error = nd.nd_dvp->v_ops->vop_create(nd.nd_dvp, "core", 4,
		    &va, &vp)) < 0)
			goto out;
	}
	*vpp = vp;
out:
	nd_release(&nd);
	return error;
}

/* Write len bytes of buf at offset off of vp (v_iolock held). */
static int
core_write(struct vnode *vp, const void *buf, size_t len, off_t off)
{
	struct l_iovec iov;
	struct uio uio;
	long n;

	uio_init_kernel(&uio, &iov, (void *)(uintptr_t)buf, len, off, true);
	n = vp->v_ops->vop_write(vp, &uio, 0);
	if (n < 0)
		return (int)n;
	return (size_t)n == len ? 0 : -ENOSPC;
}

/*
 * Write the core file of the current process, which is dying of sig (info
 * si) and has no other thread left.  Returns 0 when a whole core was
 * written (the wait status then has the core flag), else a negative errno
 * saying why not.
 */
int
coredump(int sig, const struct l_siginfo *si)
{
	struct thread *td = curthread;
	struct proc *p = td->td_proc;
	struct vmspace *vm = p->p_vmspace;
	struct l_elf_prstatus ps;
	struct l_elf_prpsinfo pi;
	struct elf64_ehdr eh;
	struct elf64_phdr ph;
	struct vm_coreseg *segs = NULL;
	struct vnode *vp = NULL;
	char *hdr = NULL, *page = NULL;
	size_t hdrsize, notesize, off;
	off_t dataoff, pos, end = 0;
	uint64_t limit = p->p_rlimit[RLIMIT_CORE][0], total;
	vaddr_t va;
	int i, nsegs, error;

	/* The quiet refusals: no core wanted. */
	if (limit < PAGE_SIZE)
		return -EFBIG;
	if (!p->p_dumpable || vm == NULL)
		return -EPERM;
	nsegs = vm_core_segments(vm, NULL, 0);
	if (nsegs > CORE_SEGS_MAX)
		return -E2BIG;
	if ((segs = kmalloc(((size_t)nsegs + 1) * sizeof(*segs), 0)) == NULL)
		return -ENOMEM;
	nsegs = MIN(vm_core_segments(vm, segs, nsegs), nsegs);

	notesize = core_note_size(sizeof(ps)) + core_note_size(sizeof(pi)) +
	    core_note_size(sizeof(*si)) + core_note_size(sizeof(td->td_fpu));
	hdrsize = sizeof(eh) + (size_t)(nsegs + 1) * sizeof(ph) + notesize;
	dataoff = (off_t)roundup2(hdrsize, PAGE_SIZE);
	total = (uint64_t)dataoff;
	for (i = 0; i < nsegs; i++)
		total += segs[i].cs_end - segs[i].cs_start;
	if (total > limit) {
		error = -EFBIG;
		goto out;
	}
	if ((hdr = kmalloc(hdrsize, M_ZERO)) == NULL ||
	    (page = kmalloc(PAGE_SIZE, 0)) == NULL) {
		error = -ENOMEM;
		goto out;
	}

	/* The ELF header, then the program headers. */
	memset(&eh, 0, sizeof(eh));
	eh.e_ident[EI_MAG0] = ELFMAG0;
	eh.e_ident[EI_MAG1] = ELFMAG1;
	eh.e_ident[EI_MAG2] = ELFMAG2;
	eh.e_ident[EI_MAG3] = ELFMAG3;
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_CORE;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(ph);
	eh.e_phnum = (uint16_t)(nsegs + 1);
	memcpy(hdr, &eh, sizeof(eh));
	off = sizeof(eh);
	memset(&ph, 0, sizeof(ph));
	ph.p_type = PT_NOTE;
	ph.p_offset = sizeof(eh) + (size_t)(nsegs + 1) * sizeof(ph);
	ph.p_filesz = notesize;
	memcpy(hdr + off, &ph, sizeof(ph));
	off += sizeof(ph);
	pos = dataoff;
	for (i = 0; i < nsegs; i++) {
		memset(&ph, 0, sizeof(ph));
		ph.p_type = PT_LOAD;
		ph.p_offset = (uint64_t)pos;
		ph.p_vaddr = segs[i].cs_start;
		ph.p_memsz = segs[i].cs_end - segs[i].cs_start;
		/* Unreadable memory has no bytes in the file (Linux). */
		ph.p_filesz = (segs[i].cs_prot & VM_PROT_READ) ? ph.p_memsz : 0;
		ph.p_flags = ((segs[i].cs_prot & VM_PROT_READ) ? PF_R : 0) |
		    ((segs[i].cs_prot & VM_PROT_WRITE) ? PF_W : 0) |
		    ((segs[i].cs_prot & VM_PROT_EXEC) ? PF_X : 0);
		ph.p_align = PAGE_SIZE;
		memcpy(hdr + off, &ph, sizeof(ph));
		off += sizeof(ph);
		pos += (off_t)ph.p_filesz;
	}

	/* The notes. */
	cpu_fpu_save(td);		/* the live x87/SSE registers */
	core_prstatus(&ps, sig, si);
	core_prpsinfo(&pi);
	core_note(hdr, &off, NT_PRSTATUS, &ps, sizeof(ps));
	core_note(hdr, &off, NT_PRPSINFO, &pi, sizeof(pi));
	core_note(hdr, &off, NT_SIGINFO, si, sizeof(*si));
	core_note(hdr, &off, NT_PRFPREG, td->td_fpu, sizeof(td->td_fpu));
	KASSERT(off == hdrsize, "coredump: header size");

	if ((error = core_open(&vp)) < 0)
		goto out;
	mtx_lock(&vp->v_iolock);
	if ((error = core_write(vp, hdr, hdrsize, 0)) < 0)
		goto out_unlock;
	end = (off_t)hdrsize;
	/* The memory, a page at a time; untouched pages stay holes. */
	pos = dataoff;
	for (i = 0; i < nsegs; i++) {
		if (!(segs[i].cs_prot & VM_PROT_READ))
			continue;
		for (va = segs[i].cs_start; va < segs[i].cs_end;
		    va += PAGE_SIZE, pos += PAGE_SIZE) {
			if (vm_core_read_page(vm, va, page) == 0)
				continue;
			if ((error = core_write(vp, page, PAGE_SIZE, pos)) < 0)
				goto out_unlock;
		}
		end = pos;
	}
	if (end > (off_t)hdrsize) {
		/* A final hole still counts in the file's size. */
		struct vattr va_size;

		memset(&va_size, 0, sizeof(va_size));
		va_size.va_size = end;
		error = vp->v_ops->vop_setattr(vp, &va_size, VA_SIZE);
	}
out_unlock:
	mtx_unlock(&vp->v_iolock);
out:
	if (vp != NULL)
		vrele(vp);
	kfree(page);
	kfree(hdr);
	kfree(segs);
	if (error < 0)
		klog("core", "pid %d (%s): no core dump for signal %d (error "
		    "%d)", p->p_pid, p->p_comm, sig, error);
	return error;
}
