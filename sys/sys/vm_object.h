/*
 * Memory objects (sys/vm/vm_object.c): a table from page index to
 * physical page, shared by the map entries of MAP_SHARED anonymous memory
 * and holding the data of tmpfs files (the page cache that read, write
 * and mmap of the file share).  sys/vm/vm_mapvar.h has the structure; the
 * rest of the kernel uses these functions.
 */
#ifndef _SYS_VM_OBJECT_H_
#define _SYS_VM_OBJECT_H_

#include <sys/types.h>

struct uio;
struct vm_object;

/*
 * vm_object_create's flags: the object is memory itself (a tmpfs file,
 * shared anonymous memory), not the cache of a file that lives on a
 * disk; its pages count in /proc/meminfo's Shmem as well as Cached.
 */
#define VM_OBJECT_SHMEM	0x1

/*
 * Told each time a map entry starts or stops mapping an object: an
 * attach (shmat, or an entry copied by fork or split from one) or a
 * detach (munmap, shmdt, exec, exit).  System V shared memory counts its
 * attachments so (kern/sysv_shm.c).  The functions run with obj_lock
 * held, and the entry's vm_lock unless its address space is being freed:
 * they may take only locks that come after those, and must not map,
 * unmap or drop what may be the object's last reference.
 */
struct vm_object_watch {
	void	(*ow_map)(void *arg);
	void	(*ow_unmap)(void *arg);
};

/* A new object of npages pages, none allocated, one reference; NULL. */
struct vm_object *vm_object_create(uint64_t npages, int flags);
void	vm_object_hold(struct vm_object *obj);
/* Set obj's watcher and its argument, before obj is first mapped. */
void	vm_object_set_watch(struct vm_object *obj,
	    const struct vm_object_watch *w, void *arg);
/* Drop a reference; the last one releases its pages and frees it. */
void	vm_object_release(struct vm_object *obj);
/*
 * Grow or shrink obj to npages: pages past the end leave it and every
 * mapping of it (a later access there is SIGBUS).  Callers serialize.
 */
int	vm_object_resize(struct vm_object *obj, uint64_t npages);
/* The page at idx, held for the caller; a hole is 0 unless alloc. */
int	vm_object_lookup(struct vm_object *obj, uint64_t idx, bool alloc,
	    paddr_t *pap);
/*
 * Move n bytes between uio and page idx from byte off (a hole reads as
 * zeros unless alloc); bytes moved or -errno.
 */
long	vm_object_uiomove(struct vm_object *obj, uint64_t idx, size_t off,
	    size_t n, struct uio *uio, bool alloc);
/*
 * Read a file's bytes from uio_offset up to size out of its page cache
 * obj into uio (holes read as zeros); bytes moved or -errno.
 */
long	vm_object_read(struct vm_object *obj, off_t size, struct uio *uio);
/* How many pages obj holds that its filesystem allocated (counted). */
uint64_t vm_object_resident(const struct vm_object *obj);
/* How many pages obj holds, however allocated.  Lock-free. */
uint64_t vm_object_pages(const struct vm_object *obj);
/*
 * Pages held by all objects together (/proc/meminfo's Cached), and by
 * the VM_OBJECT_SHMEM ones among them (Shmem).  Lock-free reads.
 */
uint64_t vm_object_total_pages(void);
uint64_t vm_object_shmem_pages(void);

#endif /* _SYS_VM_OBJECT_H_ */
