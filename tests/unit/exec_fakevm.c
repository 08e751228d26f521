/*
 * The fake address space of exec_fakevm.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sys/param.h>
#include <sys/vm_map.h>

#include "exec_fakevm.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static void
fvm_misuse(struct vmspace *vm, const char *fmt, ...)
{
	va_list ap;

	if (vm->fv_why[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(vm->fv_why, sizeof(vm->fv_why), fmt, ap);
	va_end(ap);
}

/* Count a call; true when this one is to fail. */
static bool
fvm_call(struct vmspace *vm)
{
	return ++vm->fv_calls == vm->fv_fail_at;
}

void
fvm_init(struct vmspace *vm)
{
	memset(vm, 0, sizeof(*vm));
}

void
fvm_free(struct vmspace *vm)
{
	int i;

	for (i = 0; i < vm->fv_nmap; i++) {
		free(vm->fv_map[i].fm_mem);
		free(vm->fv_map[i].fm_prot);
	}
	vm->fv_nmap = 0;
}

struct fvm_map *
fvm_find(struct vmspace *vm, vaddr_t uaddr)
{
	int i;

	for (i = 0; i < vm->fv_nmap; i++)
		if (uaddr >= vm->fv_map[i].fm_start &&
		    uaddr < vm->fv_map[i].fm_end)
			return &vm->fv_map[i];
	return NULL;
}

int
fvm_prot(struct vmspace *vm, vaddr_t uaddr)
{
	struct fvm_map *m = fvm_find(vm, uaddr);

	if (m == NULL)
		return -1;
	return m->fm_prot[(uaddr - m->fm_start) / PAGE_SIZE];
}

int
vm_map_anon(struct vmspace *vm, vaddr_t *addr, size_t len, int prot,
    int flags)
{
	struct fvm_map *m;
	vaddr_t a = *addr;
	size_t i, npages;

	if (fvm_call(vm))
		return -ENOMEM;
	if ((flags & VM_MAP_FIXED) == 0) {
		fvm_misuse(vm, "vm_map_anon without VM_MAP_FIXED");
		return -EINVAL;
	}
	/* vm_map.c: exactly one kind; a stack is private. */
	if (((flags & VM_MAP_PRIVATE) != 0) == ((flags & VM_MAP_SHARED) != 0) ||
	    ((flags & VM_MAP_STACK) && (flags & VM_MAP_SHARED))) {
		fvm_misuse(vm, "vm_map_anon flags %#x: not one kind", flags);
		return -EINVAL;
	}
	if ((a & PAGE_MASK) != 0 || len == 0 || (len & PAGE_MASK) != 0) {
		fvm_misuse(vm, "vm_map_anon(%#lx, %#zx): not whole pages", a,
		    len);
		return -EINVAL;
	}
	if (a < VM_USER_MIN || a >= VM_USER_MAX || len > VM_USER_MAX - a) {
		fvm_misuse(vm, "vm_map_anon(%#lx, %#zx): outside user space",
		    a, len);
		return -EINVAL;
	}
	for (i = 0; i < (size_t)vm->fv_nmap; i++) {
		m = &vm->fv_map[i];
		if (a < m->fm_end && a + len > m->fm_start) {
			fvm_misuse(vm, "vm_map_anon(%#lx, %#zx) over the "
			    "mapping %#lx-%#lx", a, len, m->fm_start,
			    m->fm_end);
			return -EEXIST;
		}
	}
	if (vm->fv_nmap == FVM_MAXMAP) {
		fvm_misuse(vm, "more than %d mappings", FVM_MAXMAP);
		return -ENOMEM;
	}
	npages = len / PAGE_SIZE;
	m = &vm->fv_map[vm->fv_nmap];
	m->fm_mem = calloc(1, len);
	m->fm_prot = calloc(npages, sizeof(int));
	if (m->fm_mem == NULL || m->fm_prot == NULL) {
		free(m->fm_mem);
		free(m->fm_prot);
		return -ENOMEM;
	}
	vm->fv_nmap++;
	m->fm_start = a;
	m->fm_end = a + len;
	m->fm_flags = flags;
	for (i = 0; i < npages; i++)
		m->fm_prot[i] = prot;
	return 0;
}

/*
 * The program loader unmaps nothing; only the placement of an ET_DYN
 * interpreter (elf_load_interp) reserves and unmaps a range, and these
 * tests do not load interpreters.  So any call is a misuse.
 */
int
vm_unmap(struct vmspace *vm, vaddr_t addr, size_t len)
{
	fvm_misuse(vm, "vm_unmap(%#lx, %#zx)", addr, len);
	return -EINVAL;
}

int
vm_protect(struct vmspace *vm, vaddr_t addr, size_t len, int prot)
{
	struct fvm_map *m;
	vaddr_t a;

	if (fvm_call(vm))
		return -ENOMEM;
	if ((addr & PAGE_MASK) != 0 || (len & PAGE_MASK) != 0) {
		fvm_misuse(vm, "vm_protect(%#lx, %#zx): not whole pages", addr,
		    len);
		return -EINVAL;
	}
	for (a = addr; a < addr + len; a += PAGE_SIZE)
		if (fvm_find(vm, a) == NULL) {
			fvm_misuse(vm, "vm_protect of unmapped %#lx", a);
			return -ENOMEM;
		}
	for (a = addr; a < addr + len; a += PAGE_SIZE) {
		m = fvm_find(vm, a);
		m->fm_prot[(a - m->fm_start) / PAGE_SIZE] = prot;
	}
	return 0;
}

/* Write (or zero, when src is NULL) len bytes at uaddr. */
static int
fvm_write(struct vmspace *vm, vaddr_t uaddr, const void *src, size_t len,
    const char *what)
{
	struct fvm_map *m;
	size_t i;

	if (fvm_call(vm))
		return -ENOMEM;
	for (i = 0; i < len; i++) {
		m = fvm_find(vm, uaddr + i);
		if (m == NULL) {
			fvm_misuse(vm, "%s to unmapped %#lx", what, uaddr + i);
			return -EFAULT;
		}
		if ((m->fm_prot[(uaddr + i - m->fm_start) / PAGE_SIZE] &
		    VM_PROT_WRITE) == 0) {
			fvm_misuse(vm, "%s to read-only %#lx", what,
			    uaddr + i);
			return -EFAULT;
		}
		m->fm_mem[uaddr + i - m->fm_start] =
		    src != NULL ? ((const unsigned char *)src)[i] : 0;
	}
	return 0;
}

int
vm_copyout(struct vmspace *vm, vaddr_t uaddr, const void *kaddr, size_t len)
{
	return fvm_write(vm, uaddr, kaddr, len, "vm_copyout");
}

int
vm_zero(struct vmspace *vm, vaddr_t uaddr, size_t len)
{
	return fvm_write(vm, uaddr, NULL, len, "vm_zero");
}

bool
fvm_read(struct vmspace *vm, vaddr_t uaddr, void *buf, size_t len)
{
	struct fvm_map *m;
	size_t i;

	for (i = 0; i < len; i++) {
		if ((m = fvm_find(vm, uaddr + i)) == NULL)
			return false;
		((unsigned char *)buf)[i] = m->fm_mem[uaddr + i - m->fm_start];
	}
	return true;
}

uint64_t
fvm_word(struct vmspace *vm, vaddr_t uaddr)
{
	uint64_t w = 0xdeadbeefdeadbeefULL;

	fvm_read(vm, uaddr, &w, sizeof(w));
	return w;
}

static int
fvm_host_prot(int prot)
{
	return ((prot & VM_PROT_READ) ? PROT_READ : 0) |
	    ((prot & VM_PROT_WRITE) ? PROT_WRITE : 0) |
	    ((prot & VM_PROT_EXEC) ? PROT_EXEC : 0);
}

/* In the child: recreate the mappings; 0, or 1 when an address is taken. */
static int
fvm_child_map(struct vmspace *vm)
{
	struct fvm_map *m;
	size_t len, pg;
	void *p;
	int i;

	for (i = 0; i < vm->fv_nmap; i++) {
		m = &vm->fv_map[i];
		len = m->fm_end - m->fm_start;
		p = mmap((void *)m->fm_start, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (p == MAP_FAILED || p != (void *)m->fm_start)
			return 1;
		memcpy(p, m->fm_mem, len);
		for (pg = 0; pg < len / PAGE_SIZE; pg++)
			if (mprotect((char *)p + pg * PAGE_SIZE, PAGE_SIZE,
			    fvm_host_prot(m->fm_prot[pg])) != 0)
				return 1;
	}
	return 0;
}

int
fvm_run(struct vmspace *vm, vaddr_t entry, vaddr_t sp, char *out,
    size_t outsize, int *status)
{
	size_t got = 0;
	ssize_t n;
	int fds[2], st;
	pid_t pid;

	if (pipe(fds) != 0)
		return -1;
	fflush(stdout);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		close(fds[0]);
		if (dup2(fds[1], 1) < 0)
			_exit(125);
		if (fvm_child_map(vm) != 0)
			_exit(124);
		/*
		 * As Linux starts a program: rsp at argc, rdx 0 (no function
		 * for atexit, psABI 3.4.1), the other registers 0.
		 */
		register uint64_t r_sp __asm__("r10") = sp;
		register uint64_t r_entry __asm__("r11") = entry;
		__asm__ volatile(
		    "mov %%r10, %%rsp\n\t"
		    "xor %%eax, %%eax\n\t"
		    "xor %%ebx, %%ebx\n\t"
		    "xor %%ecx, %%ecx\n\t"
		    "xor %%edx, %%edx\n\t"
		    "xor %%esi, %%esi\n\t"
		    "xor %%edi, %%edi\n\t"
		    "xor %%ebp, %%ebp\n\t"
		    "xor %%r8d, %%r8d\n\t"
		    "xor %%r9d, %%r9d\n\t"
		    "xor %%r10d, %%r10d\n\t"
		    "jmp *%%r11"
		    : : "r"(r_sp), "r"(r_entry) : "memory");
		_exit(126);
	}
	close(fds[1]);
	while (got + 1 < outsize &&
	    (n = read(fds[0], out + got, outsize - 1 - got)) > 0)
		got += n;
	out[got] = '\0';
	close(fds[0]);
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 124)
		return 1;
	*status = st;
	return 0;
}
