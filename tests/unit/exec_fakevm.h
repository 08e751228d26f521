/*
 * A stand-in for the address-space calls the program loader makes
 * (sys/sys/vm_map.h: vm_map_anon, vm_protect, vm_copyout, vm_zero), for
 * host tests of kern_exec_elf.c and kern_exec_stack.c.
 *
 * A fake vmspace is a list of mappings, each with its bytes in host memory
 * and a protection per page.  It is strict where the real one may be
 * lenient, so that the tests catch a loader that relies on luck: mappings
 * must be page-aligned and must not overlap (the loader maps each page
 * once), copies must land in mapped, writable pages.  fvm_fail_at makes
 * the N-th call fail with -ENOMEM, to test that errors come back.
 *
 * fvm_run() runs the loaded program for real: in a child process, each
 * mapping is recreated at its address with mmap(MAP_FIXED_NOREPLACE), the
 * registers are set as Linux sets them for a new program, and the child
 * jumps to the entry point.  Its standard output comes back in a buffer.
 */
#ifndef _TESTS_UNIT_EXEC_FAKEVM_H_
#define _TESTS_UNIT_EXEC_FAKEVM_H_

#include <sys/types.h>

#define FVM_MAXMAP	64

struct fvm_map {
	vaddr_t		 fm_start, fm_end;
	int		 fm_flags;	/* VM_MAP_* */
	unsigned char	*fm_mem;
	int		*fm_prot;	/* one VM_PROT_* per page */
};

struct vmspace {
	struct fvm_map	 fv_map[FVM_MAXMAP];
	int		 fv_nmap;
	int		 fv_calls;	/* vm_* calls so far */
	int		 fv_fail_at;	/* fail call N (from 1); 0: none */
	char		 fv_why[256];	/* the first misuse, "" if none */
};

void	fvm_init(struct vmspace *vm);
void	fvm_free(struct vmspace *vm);
/* Copy len bytes at uaddr out of vm; false if any is not mapped. */
bool	fvm_read(struct vmspace *vm, vaddr_t uaddr, void *buf, size_t len);
uint64_t fvm_word(struct vmspace *vm, vaddr_t uaddr);
/* The protection of the page holding uaddr; -1 when it is not mapped. */
int	fvm_prot(struct vmspace *vm, vaddr_t uaddr);
/* The mapping holding uaddr, or NULL. */
struct fvm_map *fvm_find(struct vmspace *vm, vaddr_t uaddr);

/*
 * Run the program: returns 0 with the exit status in *status and its
 * output in out (NUL-terminated), 1 when an address it needs is taken in
 * this process (the test should skip), -1 on a host error.
 */
int	fvm_run(struct vmspace *vm, vaddr_t entry, vaddr_t sp, char *out,
	    size_t outsize, int *status);

#endif /* _TESTS_UNIT_EXEC_FAKEVM_H_ */
