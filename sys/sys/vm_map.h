/*
 * Address spaces (sys/vm/vm_map.c, vm_fault.c; page tables in
 * arch/x86_64/pmap.c).
 *
 * A struct vmspace is one process's user address space: its page tables
 * (a PML4 whose upper half is the kernel's, shared by every process) and a
 * sorted list of mappings, each a range of pages with protections and a
 * kind: private anonymous memory (demand-zero, copy-on-write across fork),
 * shared anonymous memory (the same pages in every process that inherits
 * it), a stack that grows down on faults, or a file: shared (its page
 * cache itself) or private (copy-on-write over the page cache).  Physical
 * pages are counted (struct vm_page's reference count) so that
 * copy-on-write and shared mappings free each page exactly when its last
 * mapping goes.
 *
 * User addresses are [VM_USER_MIN, VM_USER_MAX).  All functions return 0
 * or a negative errno.
 *
 * Locking: vm_lock (a spin lock for now; a sleeping lock when the scheduler
 * allows faults to sleep) protects a vmspace's map and page tables.
 */
#ifndef _SYS_VM_MAP_H_
#define _SYS_VM_MAP_H_

#include <sys/types.h>

#define VM_USER_MIN	0x0000000000010000UL	/* mmap_min_addr, as Linux */
#define VM_USER_MAX	0x00007ffffffff000UL	/* Linux's TASK_SIZE */
#define VM_STACK_TOP	0x00007ffffffde000UL	/* below it: the stack */
#define VM_STACK_MAX	(8UL << 20)		/* default RLIMIT_STACK */
#define VM_MMAP_BASE	0x00007f0000000000UL	/* mmap searches down */

/* Protections: the Linux PROT_* values. */
#define VM_PROT_NONE	0x0
#define VM_PROT_READ	0x1
#define VM_PROT_WRITE	0x2
#define VM_PROT_EXEC	0x4

/* Mapping kinds and flags. */
#define VM_MAP_PRIVATE	0x01	/* anonymous, copy-on-write across fork */
#define VM_MAP_SHARED	0x02	/* anonymous, shared across fork */
#define VM_MAP_STACK	0x04	/* grows down on faults below it */
#define VM_MAP_FIXED	0x08	/* exactly at *addr, replacing what is there */
#define VM_MAP_FIXED_NOREPLACE 0x10 /* exactly at *addr, -EEXIST if taken */
#define VM_MAP_LOCKED	0x20	/* MAP_LOCKED: counts against RLIMIT_MEMLOCK */

struct vmspace;
struct vnode;

/* A new, empty address space (kernel half only); -ENOMEM. */
int	vmspace_create(struct vmspace **vmp);
/* A copy for fork: private mappings copy-on-write, shared ones shared. */
int	vmspace_fork(struct vmspace *src, struct vmspace **vmp);
/* Drop a reference; the last one frees every mapping and page table. */
void	vmspace_release(struct vmspace *vm);
void	vmspace_hold(struct vmspace *vm);
/* Load vm's page tables on this CPU (CR3); NULL: the kernel's alone. */
void	vmspace_activate(struct vmspace *vm);
/* The vmspace last activated on this CPU (the kernel's faults use it). */
struct vmspace *vmspace_active(void);

/*
 * Map len bytes (rounded up to pages) of anonymous memory.  Without
 * VM_MAP_FIXED*, *addr is a hint; the chosen address is returned in *addr.
 */
int	vm_map_anon(struct vmspace *vm, vaddr_t *addr, size_t len, int prot,
	    int flags);
/*
 * Map len bytes of the regular file vp from byte offset off (page-aligned)
 * with VM_MAP_SHARED or VM_MAP_PRIVATE and the FIXED flags as above;
 * maxprot is what mprotect may give later (no VM_PROT_WRITE for a shared
 * mapping of a file not open for writing).  On success the mapping keeps
 * the caller's reference on vp.  -EINVAL, -EPERM, -EEXIST, -ENOMEM as
 * vm_map_anon, -EACCES when prot exceeds maxprot, -EOVERFLOW when the
 * range of the file does not fit in an offset.
 */
int	vm_map_file(struct vmspace *vm, vaddr_t *addr, size_t len, int prot,
	    int maxprot, int flags, struct vnode *vp, uint64_t off);
struct vm_object;
struct vm_object_watch;
/*
 * shmat(2): map len bytes of obj from its first page, VM_MAP_SHARED with
 * the FIXED flags as above; maxprot as for vm_map_file.  On success the
 * mapping keeps the caller's reference on obj.
 */
int	vm_map_object(struct vmspace *vm, vaddr_t *addr, size_t len, int prot,
	    int maxprot, int flags, struct vm_object *obj);
/*
 * shmdt(2): unmap the attachment at addr of an object watched by w (and
 * the pieces of it that follow); -EINVAL when there is none at addr.
 */
int	vm_unmap_watched(struct vmspace *vm, vaddr_t addr,
	    const struct vm_object_watch *w);
int	vm_unmap(struct vmspace *vm, vaddr_t addr, size_t len);
int	vm_protect(struct vmspace *vm, vaddr_t addr, size_t len, int prot);
/* Move/grow a mapping (mremap); flags are Linux's MREMAP_* values. */
int	vm_remap(struct vmspace *vm, vaddr_t old, size_t oldlen, size_t newlen,
	    int flags, vaddr_t newaddr, vaddr_t *result);
/*
 * MADV_DONTNEED: drop the pages of [addr, addr + len); private memory reads
 * as zeros again, shared memory from its object.  The mapped parts are
 * dropped; -ENOMEM when some part is not mapped (Linux), -EINVAL when addr
 * is not page-aligned.
 */
int	vm_discard(struct vmspace *vm, vaddr_t addr, size_t len);
/* 0 when all of [addr, addr + len) is mapped, else -ENOMEM (msync). */
int	vm_check_mapped(struct vmspace *vm, vaddr_t addr, size_t len);
/*
 * msync(2) on [addr, addr + len): with sync, the files mapped shared
 * there are written back (vop_fsync); -EINVAL (addr not page-aligned),
 * -ENOMEM (part of it is not mapped; the mapped parts are synced), or the
 * filesystem's error.
 */
int	vm_msync(struct vmspace *vm, vaddr_t addr, size_t len, bool sync);
/* -EBUSY when part of [addr, addr + len) is locked (MS_INVALIDATE), else 0. */
int	vm_check_unlocked(struct vmspace *vm, vaddr_t addr, size_t len);
/*
 * The owner's RLIMIT_MEMLOCK in bytes (~0: none, as for root, which
 * Linux's CAP_IPC_LOCK exempts); mmap with VM_MAP_LOCKED and mremap of a
 * locked mapping are -EAGAIN beyond it.  Takes vm_lock.
 */
void	vm_set_memlock(struct vmspace *vm, uint64_t lim);
/*
 * MADV_REMOVE's checks (madvise(2)) on the mapping at addr: -ENOMEM
 * when [addr, addr + len) is not all mapped, -EINVAL for locked or
 * private anonymous memory, -EACCES for a mapping that is not shared and
 * writable; freeing the backing store is not supported (-EINVAL, logged).
 */
int	vm_madv_remove(struct vmspace *vm, vaddr_t addr, size_t len);
/*
 * MADV_POPULATE_READ and _WRITE (access VM_PROT_READ or VM_PROT_WRITE):
 * fault in every page of [addr, addr + len).  -ENOMEM for a hole,
 * -EINVAL for a mapping that does not allow the access, -EFAULT for a
 * page whose access would be SIGBUS (past the end of a file).
 */
int	vm_populate(struct vmspace *vm, vaddr_t addr, size_t len, int access);
int	vm_mlock(struct vmspace *vm, vaddr_t start, vaddr_t end, bool lock);
int	vm_mlockall(struct vmspace *vm, bool lock, bool future);
int	vm_mlock_future(struct vmspace *vm, bool future);
void	vm_mlock_populate(struct vmspace *vm, vaddr_t start, vaddr_t end);
/* The program break: set it to brk (0 queries); returns the new break. */
vaddr_t	vm_brk(struct vmspace *vm, vaddr_t brk);
/* Where the break starts (after the program's last segment); exec sets it. */
void	vm_brk_init(struct vmspace *vm, vaddr_t start);

/*
 * Resolve a fault at addr for the given access (VM_PROT_*): demand-zero,
 * copy-on-write, stack growth, a file's page.  0 when the access may now
 * be retried, -EFAULT when it is not allowed (no mapping, wrong
 * protection: SIGSEGV), -ENXIO when the page lies past the end of the
 * file or object it maps (SIGBUS, BUS_ADRERR), -ENOMEM.
 */
int	vm_fault(struct vmspace *vm, vaddr_t addr, int access);

/*
 * Copy into another (not necessarily active) address space: for exec,
 * which fills the new image before switching to it.  Faults pages in.
 */
int	vm_copyout(struct vmspace *vm, vaddr_t uaddr, const void *kaddr,
	    size_t len);
int	vm_zero(struct vmspace *vm, vaddr_t uaddr, size_t len);

/*
 * The limits vm enforces, in bytes (~0: none), from its process's
 * RLIMIT_AS, RLIMIT_DATA and RLIMIT_STACK (getrlimit(2)): mappings, the
 * break and mremap fail with -ENOMEM past the first two, and the stack
 * does not grow past the third (the fault becomes SIGSEGV).  A new
 * vmspace has no limit but the default 8 MiB stack (VM_STACK_MAX); exec
 * and the memory system calls set them (vm_rlimit_sync).
 */
void	vm_set_limits(struct vmspace *vm, uint64_t as, uint64_t data,
	    uint64_t stack);
struct proc;
/* vm_syscalls.c: copy p's limits into its vmspace; takes proc_lock. */
void	vm_rlimit_sync(struct proc *p);

/* Pages of memory resident in vm, for getrusage/sysinfo. */
uint64_t vm_resident_pages(struct vmspace *vm);

/* A mapping as a core dump lists it (kern/kern_coredump.c). */
struct vm_coreseg {
	vaddr_t		 cs_start, cs_end;
	int		 cs_prot;	/* VM_PROT_* */
};
/* vm's mappings into segs (up to max); returns how many there are. */
int	vm_core_segments(struct vmspace *vm, struct vm_coreseg *segs, int max);
/* A mapping as /proc/pid/maps lists it. */
struct vm_mapinfo {
	vaddr_t		 mi_start, mi_end;
	int		 mi_prot;	/* VM_PROT_* */
	int		 mi_flags;	/* VM_MAP_SHARED, _STACK, _LOCKED */
	uint64_t	 mi_offset;	/* bytes into the file or object */
	struct vnode	*mi_vnode;	/* a file's, referenced, or NULL */
};
/*
 * vm's mappings into infos (up to max, the vnodes referenced: vrele
 * them); returns how many there are.  Takes vm_lock.
 */
int	vm_map_info(struct vmspace *vm, struct vm_mapinfo *infos, int max);
/*
 * Size and resident set of an address space, now and at their peaks,
 * and the size of its locked mappings (VM_MAP_LOCKED).
 */
struct vm_memstat {
	uint64_t	 ms_size, ms_peak;	/* pages: VmSize, VmPeak */
	uint64_t	 ms_rss, ms_hwm;	/* pages: VmRSS, VmHWM */
	uint64_t	 ms_locked;		/* pages: VmLck */
};
/* vm's, into *ms.  Takes vm_lock. */
void	vm_mem_stat(struct vmspace *vm, struct vm_memstat *ms);

/*
 * The resident pages of a range, by kind, in bytes (smaps(5)): a page
 * mapped more than once (its references) is shared; anonymous pages are
 * those not of a file or shared object (private memory and private
 * copies) and count as dirty, as does an object's page mapped writable.
 * sm_pss is in bytes << VM_PSS_SHIFT (a page shared n ways adds 1/n);
 * sm_pss_locked is the part of it in locked mappings (smaps' Locked).
 */
#define VM_PSS_SHIFT	12
struct vm_smaps {
	uint64_t	 sm_rss, sm_pss, sm_anon;
	uint64_t	 sm_pss_anon, sm_pss_dirty;	/* << VM_PSS_SHIFT */
	uint64_t	 sm_pss_locked;			/* << VM_PSS_SHIFT */
	uint64_t	 sm_shared_clean, sm_shared_dirty;
	uint64_t	 sm_private_clean, sm_private_dirty;
};
/* Add vm's resident pages in [start, end) to *sm.  Takes vm_lock. */
void	vm_map_smaps(struct vmspace *vm, vaddr_t start, vaddr_t end,
	    struct vm_smaps *sm);
/* The page at va into buf if it exists (1), without faulting; else 0. */
int	vm_core_read_page(struct vmspace *vm, vaddr_t va, void *buf);

#endif /* _SYS_VM_MAP_H_ */
