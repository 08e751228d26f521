/*
 * Host test of the ELF loader (sys/kern/kern_exec_elf.c).
 *
 * A small executable is built here byte by byte: two PT_LOAD segments
 * (code and headers read-execute; data read-write with a bss) and code
 * that exits with a byte of the data segment plus a word of the bss.
 * elf_check must accept it, as ET_EXEC and as ET_DYN, and refuse each of
 * many broken variants, every one copied to the end of a page followed by
 * an inaccessible page (so a read past the file is a crash).  elf_load
 * fills a fake address space (exec_fakevm.c), which the test inspects
 * page by page and then runs for real in a child process: the exit status
 * proves the bytes, the bss and the entry point.  Last, the static musl
 * programs of the build (tests/programs/hello.c, ET_EXEC and static-PIE)
 * are checked and loaded, and their segments compared with the file.
 */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sys/abi/elf.h>
#include <sys/errno.h>
#include <sys/exec.h>
#include <sys/param.h>
#include <sys/vm_map.h>

#include "exec_fakevm.h"
#include "hostbuf.h"
#include "unit.h"

#define IMG_SIZE	0x1200		/* text page + data bytes */
#define IMG_PHNUM	3
#define CODE_OFF	0x200
#define DATA_OFF	0x1000
#define DATA_FILESZ	0x100
#define DATA_MEMSZ	0x2000
#define EXIT_BYTE	0x1010		/* offset of the byte exit() returns */
#define EXIT_CODE	42

static const char *build_dir;

struct img {
	unsigned char	b[IMG_SIZE];
};

static struct elf64_ehdr *
eh_of(struct img *im)
{
	return (struct elf64_ehdr *)im->b;
}

static struct elf64_phdr *
ph_of(struct img *im, int i)
{
	return (struct elf64_phdr *)(im->b + sizeof(struct elf64_ehdr)) + i;
}

/* Put a 32-bit little-endian value at p. */
static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/*
 * The valid image, linked at base (0x400000 for ET_EXEC, 0 for ET_DYN):
 *
 *	movzbl	data_byte(%rip), %edi	0f b6 3d rel32
 *	add	bss_word(%rip), %edi	03 3d rel32
 *	mov	$60, %eax		b8 3c 00 00 00	(exit)
 *	syscall				0f 05
 */
static void
mk_image(struct img *im, int type, uint64_t base)
{
	struct elf64_ehdr *eh = eh_of(im);
	struct elf64_phdr *ph;
	unsigned char *c = im->b + CODE_OFF;

	memset(im, 0, sizeof(*im));
	memcpy(eh->e_ident, "\177ELF", 4);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = type;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = base + CODE_OFF;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = IMG_PHNUM;

	ph = ph_of(im, 0);
	ph->p_type = PT_LOAD;
	ph->p_flags = PF_R | PF_X;
	ph->p_offset = 0;
	ph->p_vaddr = ph->p_paddr = base;
	ph->p_filesz = ph->p_memsz = 0x220;
	ph->p_align = 0x1000;

	ph = ph_of(im, 1);
	ph->p_type = PT_LOAD;
	ph->p_flags = PF_R | PF_W;
	ph->p_offset = DATA_OFF;
	ph->p_vaddr = ph->p_paddr = base + DATA_OFF;
	ph->p_filesz = DATA_FILESZ;
	ph->p_memsz = DATA_MEMSZ;
	ph->p_align = 0x1000;

	ph = ph_of(im, 2);
	ph->p_type = PT_GNU_STACK;
	ph->p_flags = PF_R | PF_W;
	ph->p_align = 16;

	memcpy(c, "\x0f\xb6\x3d", 3);
	put32(c + 3, EXIT_BYTE - (CODE_OFF + 7));
	memcpy(c + 7, "\x03\x3d", 2);
	put32(c + 9, 0x2000 - (CODE_OFF + 13));
	memcpy(c + 13, "\xb8\x3c\x00\x00\x00\x0f\x05", 7);
	im->b[EXIT_BYTE] = EXIT_CODE;
	memset(im->b + DATA_OFF + 0x20, 0xa5, 0x20);	/* more data */
}

/* elf_check on a guarded copy of len bytes of p. */
static int
check_bytes(const void *p, size_t len)
{
	void *m;
	size_t ml;
	int r;

	r = elf_check(hostbuf_guarded(p, len, &m, &ml), len);
	munmap(m, ml);
	return r;
}

/* A variant of the valid ET_EXEC image that must be refused. */
#define BAD(name, stmt)							\
	do {								\
		struct img im_;						\
		struct elf64_ehdr *eh = eh_of(&im_);			\
		struct elf64_phdr *p0 = ph_of(&im_, 0);			\
		struct elf64_phdr *p1 = ph_of(&im_, 1);			\
		size_t len = IMG_SIZE;					\
		int r_;							\
									\
		mk_image(&im_, ET_EXEC, 0x400000);			\
		(void)eh;						\
		(void)p0;						\
		(void)p1;						\
		stmt;							\
		r_ = check_bytes(im_.b, len);				\
		UNIT_CHECK(r_ == -ENOEXEC, "refused: %s (got %d)",	\
		    name, r_);						\
	} while (0)

static void
test_check_valid(void)
{
	struct img im;

	mk_image(&im, ET_EXEC, 0x400000);
	UNIT_CHECK(check_bytes(im.b, IMG_SIZE) == 0, "accepted: ET_EXEC");
	mk_image(&im, ET_DYN, 0);
	UNIT_CHECK(check_bytes(im.b, IMG_SIZE) == 0, "accepted: ET_DYN");
	/* A PT_INTERP (the caller loads it): Linux's short read past EOF. */
	mk_image(&im, ET_EXEC, 0x400000);
	ph_of(&im, 1)->p_type = PT_INTERP;
	ph_of(&im, 1)->p_offset = 0x300;
	ph_of(&im, 1)->p_filesz = 25;
	memcpy(im.b + 0x300, "/lib/ld-musl-x86_64.so.1", 25);
	UNIT_CHECK(check_bytes(im.b, IMG_SIZE) == 0, "accepted: PT_INTERP");
	ph_of(&im, 1)->p_offset = ~0UL;
	UNIT_CHECK(check_bytes(im.b, IMG_SIZE) == -EIO,
	    "PT_INTERP outside the file is -EIO");
	mk_image(&im, ET_EXEC, 0x400000);
	ph_of(&im, 2)->p_type = PT_NOTE;	/* no PT_GNU_STACK */
	UNIT_CHECK(check_bytes(im.b, IMG_SIZE) == 0,
	    "accepted: no PT_GNU_STACK");
	mk_image(&im, ET_EXEC, 0x400000);
	ph_of(&im, 1)->p_align = 0;
	UNIT_CHECK(check_bytes(im.b, IMG_SIZE) == 0, "accepted: p_align 0");
	mk_image(&im, ET_EXEC, 0x400000);
	ph_of(&im, 2)->p_type = PT_LOAD;	/* an empty PT_LOAD */
	ph_of(&im, 2)->p_offset = 0x10;		/* (and not congruent) */
	ph_of(&im, 2)->p_vaddr = 0x123;
	ph_of(&im, 2)->p_memsz = 0;
	ph_of(&im, 2)->p_align = 0;
	UNIT_CHECK(check_bytes(im.b, 0x1100) == 0,
	    "accepted: a PT_LOAD with no bytes is ignored");
}

static void
test_check_refused(void)
{
	BAD("empty file", len = 0);
	BAD("63 bytes, less than a header", len = 63);
	BAD("program headers cut off", len = 64 + 56);
	BAD("bad magic", eh->e_ident[1] = 'e');
	BAD("ELFCLASS32", eh->e_ident[EI_CLASS] = 1);
	BAD("big-endian", eh->e_ident[EI_DATA] = 2);
	BAD("e_ident version 0", eh->e_ident[EI_VERSION] = 0);
	BAD("e_version 2", eh->e_version = 2);
	BAD("machine i386", eh->e_machine = 3);
	BAD("machine AArch64", eh->e_machine = 183);
	BAD("ET_REL", eh->e_type = 1);
	BAD("ET_CORE", eh->e_type = 4);
	BAD("e_phentsize 32", eh->e_phentsize = 32);
	BAD("no program headers", eh->e_phnum = 0);
	BAD("PN_XNUM program headers", eh->e_phnum = PN_XNUM);
	BAD("1171 program headers (over 64 KiB)", eh->e_phnum = 1171);
	BAD("e_phoff past the end", eh->e_phoff = IMG_SIZE);
	BAD("e_phoff + table wraps around", eh->e_phoff = ~0UL - 8);
	BAD("PT_INTERP of 1 byte (Linux wants 2 to PATH_MAX)", {
		p1->p_type = PT_INTERP;
		p1->p_offset = 0x300;
		p1->p_filesz = 1;
	});
	BAD("PT_INTERP of PATH_MAX + 1 bytes", {
		p1->p_type = PT_INTERP;
		p1->p_offset = 0x300;
		p1->p_filesz = 4097;
	});
	BAD("p_filesz > p_memsz", p1->p_filesz = p1->p_memsz + 1);
	BAD("segment bytes past the end", p1->p_filesz = 0x300);
	BAD("p_offset + p_filesz wraps around", {
		p1->p_offset = ~0UL - 0xfff;
		p1->p_vaddr = 0x400000 + 0x1000;
	});
	BAD("overlapping segments", {
		p1->p_offset = 0;
		p1->p_vaddr = 0x400000;
	});
	BAD("overlap by one byte", {
		p0->p_memsz = 0x1001;
	});
	BAD("segments out of order", {
		struct elf64_phdr t = *p0;
		*p0 = *p1;
		*p1 = t;
	});
	BAD("a kernel address", {
		p1->p_vaddr = 0xffffffff80001000UL;
	});
	BAD("non-canonical address", p1->p_vaddr = 0x0000800000001000UL);
	BAD("below VM_USER_MIN (page 0)", {
		p0->p_vaddr = 0;
		eh->e_entry = CODE_OFF;
	});
	BAD("ending past VM_USER_MAX", p1->p_memsz = VM_USER_MAX);
	BAD("p_vaddr + p_memsz wraps around", p1->p_memsz = ~0UL - 0xfff);
	BAD("alignment not a power of two", p1->p_align = 0x3000);
	BAD("address and offset differ modulo p_align", {
		p1->p_vaddr += 0x800;
	});
	BAD("address and offset differ within a page (p_align 1)", {
		p1->p_vaddr += 8;
		p1->p_align = 1;
	});
	BAD("address and offset differ by a page, p_align 2 MiB", {
		p1->p_vaddr += 0x1000;
		p1->p_align = 0x200000;
	});
	BAD("no PT_LOAD", {
		p0->p_type = PT_NOTE;
		p1->p_type = PT_NOTE;
	});
	BAD("entry point in kernel space", eh->e_entry = 0xffffffff80000000UL);
	BAD("program headers not in any segment", {
		p0->p_filesz = p0->p_memsz = 0x40;
	});
	BAD("ET_DYN aligned to 2^63 lands below VM_USER_MIN", {
		eh->e_type = ET_DYN;
		p0->p_vaddr = 0;
		p1->p_vaddr = DATA_OFF;
		eh->e_entry = CODE_OFF;
		p1->p_align = 1UL << 63;
		p1->p_offset = 0;
		p1->p_filesz = 0;
	});
}

/* Load an image into a fresh fake address space. */
static int
load(struct vmspace *vm, const void *b, size_t len, struct elf_loaded *el,
    int fail_at)
{
	fvm_init(vm);
	vm->fv_fail_at = fail_at;
	memset(el, 0xee, sizeof(*el));
	return elf_load(vm, b, len, el);
}

/* Does [va, va + n) hold the n bytes at p? */
static bool
same_bytes(struct vmspace *vm, vaddr_t va, const void *p, size_t n)
{
	unsigned char *got = malloc(n ? n : 1);
	bool same = fvm_read(vm, va, got, n) && memcmp(got, p, n) == 0;

	free(got);
	return same;
}

static bool
all_zero(struct vmspace *vm, vaddr_t va, size_t n)
{
	unsigned char *want = calloc(1, n ? n : 1);
	bool z = same_bytes(vm, va, want, n);

	free(want);
	return z;
}

/* Build a stack and run the loaded image; its exit status or -1. */
static int
run(struct vmspace *vm, const struct elf_loaded *el, char *out, size_t size,
    const char *what)
{
	static char a0[] = "prog";
	char *argv[] = { a0, NULL }, *envp[] = { NULL };
	struct exec_strings es = { argv, envp, 1, 0 };
	struct exec_auxinfo ea;
	vaddr_t sp;
	int r, status;

	memset(&ea, 0, sizeof(ea));
	ea.ea_execfn = "prog";
	if ((r = exec_stack_build(vm, &es, el, &ea, &sp)) != 0) {
		UNIT_CHECK(0, "%s: exec_stack_build: %d", what, r);
		return -1;
	}
	r = fvm_run(vm, el->el_entry, sp, out, size, &status);
	if (r == 1) {
		printf("ok %d - %s # SKIP an address it needs is taken here\n",
		    ++unit_count, what);
		return -2;
	}
	if (r != 0 || !WIFEXITED(status)) {
		UNIT_CHECK(0, "%s: ran (fvm_run %d, status %#x)", what, r,
		    status);
		return -1;
	}
	return WEXITSTATUS(status);
}

static void
test_load_exec(void)
{
	struct vmspace vm;
	struct elf_loaded el;
	struct img im;
	char out[64];
	int r, calls, fails;

	mk_image(&im, ET_EXEC, 0x400000);
	r = load(&vm, im.b, IMG_SIZE, &el, 0);
	UNIT_CHECK(r == 0 && vm.fv_why[0] == '\0', "ET_EXEC loads (%d%s%s)",
	    r, vm.fv_why[0] ? ": " : "", vm.fv_why);
	UNIT_CHECK(el.el_entry == 0x400000 + CODE_OFF && el.el_load_bias == 0,
	    "ET_EXEC: entry %#lx, bias 0", el.el_entry);
	UNIT_CHECK(el.el_phdr == 0x400040 && el.el_phent == 56 &&
	    el.el_phnum == IMG_PHNUM, "ET_EXEC: AT_PHDR %#lx, AT_PHENT %u, "
	    "AT_PHNUM %u", el.el_phdr, el.el_phent, el.el_phnum);
	UNIT_CHECK(el.el_brk == 0x403000, "ET_EXEC: brk after the bss "
	    "(%#lx)", el.el_brk);
	UNIT_CHECK(!el.el_exec_stack, "ET_EXEC: PT_GNU_STACK RW: no "
	    "executable stack");
	UNIT_CHECK(same_bytes(&vm, 0x400000, im.b, 0x220) &&
	    all_zero(&vm, 0x400220, 0x1000 - 0x220),
	    "ET_EXEC: text page = file bytes, then zeros");
	UNIT_CHECK(same_bytes(&vm, 0x401000, im.b + DATA_OFF, DATA_FILESZ) &&
	    all_zero(&vm, 0x401000 + DATA_FILESZ, DATA_MEMSZ - DATA_FILESZ),
	    "ET_EXEC: data = file bytes, bss zero");
	UNIT_CHECK(fvm_prot(&vm, 0x400000) == (VM_PROT_READ | VM_PROT_EXEC) &&
	    fvm_prot(&vm, 0x401000) == (VM_PROT_READ | VM_PROT_WRITE) &&
	    fvm_prot(&vm, 0x402000) == (VM_PROT_READ | VM_PROT_WRITE) &&
	    fvm_prot(&vm, 0x403000) == -1 && fvm_prot(&vm, 0x3ff000) == -1,
	    "ET_EXEC: protections r-x, rw-, rw-, nothing around");
	r = run(&vm, &el, out, sizeof(out), "ET_EXEC runs");
	if (r != -2)
		UNIT_CHECK(r == EXIT_CODE, "ET_EXEC runs: exit(data byte + bss "
		    "word) = %d (want %d)", r, EXIT_CODE);
	calls = vm.fv_calls;
	fvm_free(&vm);

	/* Every vm call failing in turn: the error comes back. */
	fails = 0;
	for (int i = 1; i <= calls; i++) {
		r = load(&vm, im.b, IMG_SIZE, &el, i);
		if (r != -ENOMEM && vm.fv_calls >= i)
			fails++;
		fvm_free(&vm);
	}
	UNIT_CHECK(fails == 0 && calls >= 4, "ET_EXEC: each of the %d vm "
	    "calls failing makes elf_load fail", calls);

	/* PT_GNU_STACK with PF_X asks for an executable stack. */
	mk_image(&im, ET_EXEC, 0x400000);
	ph_of(&im, 2)->p_flags |= PF_X;
	r = load(&vm, im.b, IMG_SIZE, &el, 0);
	UNIT_CHECK(r == 0 && el.el_exec_stack, "PT_GNU_STACK RWX: executable "
	    "stack");
	fvm_free(&vm);
}

static void
test_load_dyn(void)
{
	struct vmspace vm;
	struct elf_loaded el;
	struct img im;
	char out[64];
	vaddr_t b = 0x555555554000UL;
	int r;

	mk_image(&im, ET_DYN, 0);
	r = load(&vm, im.b, IMG_SIZE, &el, 0);
	UNIT_CHECK(r == 0 && vm.fv_why[0] == '\0', "ET_DYN loads (%d%s%s)",
	    r, vm.fv_why[0] ? ": " : "", vm.fv_why);
	UNIT_CHECK(el.el_load_bias == b && el.el_entry == b + CODE_OFF &&
	    el.el_phdr == b + 64 && el.el_brk == b + 0x3000,
	    "ET_DYN: bias %#lx (ELF_ET_DYN_BASE), entry, AT_PHDR, brk moved",
	    el.el_load_bias);
	UNIT_CHECK(same_bytes(&vm, b, im.b, 0x220) &&
	    same_bytes(&vm, b + DATA_OFF, im.b + DATA_OFF, DATA_FILESZ),
	    "ET_DYN: bytes at the bias");
	r = run(&vm, &el, out, sizeof(out), "ET_DYN runs");
	if (r != -2)
		UNIT_CHECK(r == EXIT_CODE, "ET_DYN runs: exit %d (want %d)", r,
		    EXIT_CODE);
	fvm_free(&vm);

	/* A 2 MiB p_align keeps the segments 2 MiB-aligned. */
	mk_image(&im, ET_DYN, 0);
	ph_of(&im, 0)->p_align = 0x200000;
	r = load(&vm, im.b, IMG_SIZE, &el, 0);
	UNIT_CHECK(r == 0 && el.el_load_bias == 0x555555400000UL,
	    "ET_DYN, p_align 2 MiB: bias %#lx is 2 MiB-aligned",
	    el.el_load_bias);
	fvm_free(&vm);
}

/* Two segments sharing a page: mapped once, both protections. */
static void
test_load_shared_page(void)
{
	struct vmspace vm;
	struct elf_loaded el;
	struct img im;
	struct elf64_phdr *p1;
	char out[64];
	int r;

	mk_image(&im, ET_EXEC, 0x400000);
	p1 = ph_of(&im, 1);
	/* The data at file offset 0x300, at 0x400300: text's page. */
	memcpy(im.b + 0x300, im.b + DATA_OFF, DATA_FILESZ);
	p1->p_offset = 0x300;
	p1->p_vaddr = 0x400300;
	/* The code reads 0x400310 and 0x401300 (bss): patch the rel32s. */
	put32(im.b + CODE_OFF + 3, 0x310 - (CODE_OFF + 7));
	put32(im.b + CODE_OFF + 9, 0x1300 - (CODE_OFF + 13));
	r = load(&vm, im.b, IMG_SIZE, &el, 0);
	UNIT_CHECK(r == 0 && vm.fv_why[0] == '\0', "shared page: loads "
	    "(%d%s%s)", r, vm.fv_why[0] ? ": " : "", vm.fv_why);
	UNIT_CHECK(fvm_prot(&vm, 0x400000) ==
	    (VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXEC) &&
	    fvm_prot(&vm, 0x401000) == (VM_PROT_READ | VM_PROT_WRITE) &&
	    fvm_prot(&vm, 0x402000) == (VM_PROT_READ | VM_PROT_WRITE),
	    "shared page: rwx (both segments), then rw-");
	UNIT_CHECK(same_bytes(&vm, 0x400000, im.b, 0x220) &&
	    all_zero(&vm, 0x400220, 0xe0) &&
	    same_bytes(&vm, 0x400300, im.b + 0x300, DATA_FILESZ) &&
	    all_zero(&vm, 0x400400, DATA_MEMSZ - DATA_FILESZ),
	    "shared page: both segments' bytes, zeros between and after");
	r = run(&vm, &el, out, sizeof(out), "shared page runs");
	if (r != -2)
		UNIT_CHECK(r == EXIT_CODE, "shared page runs: exit %d", r);
	fvm_free(&vm);
}

/* A musl program of the build: checked, loaded, segments compared. */
static void
test_real(const char *name, int type)
{
	const struct elf64_ehdr *eh;
	struct elf64_phdr ph;
	struct vmspace vm;
	struct elf_loaded el;
	unsigned char tab[56 * 16];
	vaddr_t bias;
	size_t len = 0, need;
	char *b;
	int r, i, bad = 0, interp = 0, saved, null;

	if ((b = hostbuf_read(build_dir, name, &len)) == NULL) {
		UNIT_CHECK(0, "%s: read %s/%s", name, build_dir, name);
		return;
	}
	eh = (const struct elf64_ehdr *)b;
	for (i = 0; i < eh->e_phnum; i++) {
		memcpy(&ph, b + eh->e_phoff + i * sizeof(ph), sizeof(ph));
		interp += ph.p_type == PT_INTERP;
	}
	UNIT_CHECK(eh->e_type == type && interp == 0, "%s: type %u, no "
	    "PT_INTERP", name, eh->e_type);
	UNIT_CHECK(check_bytes(b, len) == 0, "%s: elf_check accepts it", name);
	r = load(&vm, b, len, &el, 0);
	UNIT_CHECK(r == 0 && vm.fv_why[0] == '\0', "%s: elf_load (%d%s%s)",
	    name, r, vm.fv_why[0] ? ": " : "", vm.fv_why);
	if (r != 0) {
		fvm_free(&vm);
		free(b);
		return;
	}
	bias = el.el_load_bias;
	UNIT_CHECK(bias == (type == ET_DYN ? 0x555555554000UL : 0) &&
	    el.el_entry == eh->e_entry + bias, "%s: bias %#lx, entry %#lx",
	    name, bias, el.el_entry);
	for (i = 0; i < eh->e_phnum; i++) {
		memcpy(&ph, b + eh->e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD)
			continue;
		if (!same_bytes(&vm, ph.p_vaddr + bias, b + ph.p_offset,
		    ph.p_filesz) || !all_zero(&vm, ph.p_vaddr + bias +
		    ph.p_filesz, ph.p_memsz - ph.p_filesz))
			bad++;
		if ((fvm_prot(&vm, ph.p_vaddr + bias) & VM_PROT_EXEC) !=
		    ((ph.p_flags & PF_X) ? VM_PROT_EXEC : 0))
			bad++;
	}
	UNIT_CHECK(bad == 0, "%s: every PT_LOAD holds its file bytes, its bss "
	    "is zero, its pages have its PF_X", name);
	UNIT_CHECK(eh->e_phnum <= 16 && fvm_read(&vm, el.el_phdr, tab,
	    56 * eh->e_phnum) && memcmp(tab, b + eh->e_phoff,
	    56 * eh->e_phnum) == 0, "%s: AT_PHDR %#lx holds the program "
	    "headers", name, el.el_phdr);
	fvm_free(&vm);

	/*
	 * Every prefix that cuts into a segment's bytes is refused (quietly);
	 * the ones that only lose what follows (section headers) load.
	 */
	need = eh->e_phoff + 56 * eh->e_phnum;
	for (i = 0; i < eh->e_phnum; i++) {
		memcpy(&ph, b + eh->e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_LOAD && ph.p_offset + ph.p_filesz > need)
			need = ph.p_offset + ph.p_filesz;
	}
	fflush(stdout);
	saved = dup(1);
	null = open("/dev/null", O_WRONLY);
	dup2(null, 1);
	for (size_t cut = 0; cut < need; cut += (cut < 4096 ? 1 : 509))
		if (check_bytes(b, cut) != -ENOEXEC)
			bad++;
	if (check_bytes(b, need - 1) != -ENOEXEC || check_bytes(b, need) != 0)
		bad++;
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	close(null);
	UNIT_CHECK(bad == 0, "%s: every truncation into its segments is "
	    "refused; at %#zx of %#zx bytes it loads", name, need, len);
	free(b);
}

int
main(int argc, char *argv[])
{
	(void)argc;
	build_dir = hostbuf_build_dir(argv[0]);
	test_check_valid();
	test_check_refused();
	test_load_exec();
	test_load_dyn();
	test_load_shared_page();
	test_real("programs/hello", ET_EXEC);
	test_real("programs/hello-pie", ET_DYN);
	return unit_done();
}
