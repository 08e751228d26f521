/*
 * A memory object as a file's data (sys/sys/vm_object.h): copies between
 * an object's pages and a struct uio, for the filesystems whose page
 * cache an object is (tmpfs, and eclipsefs files once mapped).  Apart
 * from vm_object.c so that the VM itself needs no file layer.
 */
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/vm_object.h>
#include <sys/vm_page.h>

/*
 * Move n bytes between uio and page idx of obj from byte off of the page
 * (off + n at most PAGE_SIZE): a hole reads as zeros unless alloc is
 * true, which gives it a zeroed page first (vm_object_lookup).  Takes
 * obj_lock only inside vm_object_lookup; the caller serializes against
 * a resize.  Returns the bytes moved (uio_move) or -errno.
 */
long
vm_object_uiomove(struct vm_object *obj, uint64_t idx, size_t off, size_t n,
    struct uio *uio, bool alloc)
{
	static const char zeros[PAGE_SIZE];
	paddr_t pa;
	long moved;
	int error;

	if ((error = vm_object_lookup(obj, idx, alloc, &pa)) < 0)
		return error;
	if (pa == 0)
		return uio_move((void *)(zeros + off), n, uio);
	moved = uio_move((char *)PHYS_TO_DMAP(pa) + off, n, uio);
	vm_page_release(pa);
	return moved;
}

/*
 * Read a file's data out of its page cache obj into uio: the bytes from
 * uio_offset up to size, the file's size (a hole reads as zeros), a page
 * at a time.  The caller holds what keeps obj and size stable (the
 * vnode's v_iolock or the filesystem's lock).  Returns the bytes moved,
 * short when a page or the user's buffer fails after some moved, or
 * -errno when nothing moved.
 */
long
vm_object_read(struct vm_object *obj, off_t size, struct uio *uio)
{
	size_t done = 0, chunk, off;
	long moved;

	while (uio->uio_resid > 0 && uio->uio_offset < size) {
		off = (size_t)(uio->uio_offset & PAGE_MASK);
		chunk = MIN(PAGE_SIZE - off, uio->uio_resid);
		chunk = MIN(chunk, (size_t)(size - uio->uio_offset));
		moved = vm_object_uiomove(obj, (uint64_t)uio->uio_offset >>
		    PAGE_SHIFT, off, chunk, uio, false);
		if (moved < 0) {
			if (done == 0)
				return moved;
			break;
		}
		done += (size_t)moved;
		if ((size_t)moved < chunk)
			break;
	}
	return (long)done;
}
