/*
 * The ELF loader: check an ELF64 x86_64 executable held in kernel memory,
 * then map its loadable segments into a new address space.
 *
 * The file comes from user space (whoever wrote it), so every field is
 * checked before anything is mapped, and the checks are arithmetic on
 * copies of the headers: the image may be unaligned, truncated or hostile
 * and still never makes the kernel read outside it.  What is accepted:
 *
 *   - a little-endian ELF64 file, version 1, for x86-64 (gABI "ELF
 *     Identification"; x86-64 psABI 4.1.1), of type ET_EXEC (linked for a
 *     fixed address) or ET_DYN (position-independent: a static-PIE, loaded
 *     at a bias);
 *   - program headers of 56 bytes, 1 to 1170 of them (at most 64 KiB of
 *     table, Linux's load_elf_phdrs() bound), inside the file;
 *   - the first PT_INTERP, if any (Linux ignores the others): its path,
 *     2 to PATH_MAX bytes (else -ENOEXEC) inside the file (else -EIO,
 *     Linux's short read), which the caller reads, opens and loads as
 *     the program's interpreter (see below);
 *   - PT_LOAD segments with p_filesz <= p_memsz, file bytes inside the file,
 *     p_align 0 or a power of two, p_vaddr congruent to p_offset modulo
 *     p_align and modulo the page size (gABI "Program Header"; Linux maps
 *     file pages, so it needs the latter too), sorted by address (gABI:
 *     "loadable segment entries ... appear in ascending order, sorted on
 *     the p_vaddr member"), not overlapping, and, with the bias added,
 *     inside [VM_USER_MIN, VM_USER_MAX); at least one of them;
 *   - an entry point below VM_USER_MAX (Linux's BAD_ADDR check: sysret to
 *     a non-canonical address would fault in the kernel).
 *
 * Every refusal is -ENOEXEC (a PT_INTERP outside the file -EIO) with one
 * log line saying why.
 *
 * A dynamically linked program names its interpreter (musl's
 * /lib/ld-musl-x86_64.so.1, which is its libc.so) in PT_INTERP; execve
 * opens that file as it opens a program and loads it beside the program,
 * as Linux's load_elf_binary and load_elf_interp do, and the process
 * starts at the interpreter's entry, which finds the program through the
 * auxiliary vector (AT_PHDR, AT_ENTRY; AT_BASE is the interpreter's load
 * address).  The interpreter passes the same checks, with three
 * differences: a refusal is -ELIBBAD (execve(2): "An ELF interpreter was
 * not in a recognized format"), a file shorter than an ELF header is
 * -EIO (Linux's short read), and its own PT_INTERP is ignored (Linux's
 * load_elf_interp maps the PT_LOADs alone).  An ET_DYN interpreter goes
 * where mmap would put its whole span (the mmap area, top down, aligned
 * to its largest p_align), as Linux maps its first segment with address
 * 0 and the rest after it; an ET_EXEC one at its own addresses.  Linux
 * checks the interpreter's segments only after the point of no return,
 * killing the process with SIGSEGV when they are bad; EclipseOS checks
 * them before and fails the execve instead.
 *
 * Loading has two ways.  elf_load_mapped, what execve uses, maps each
 * segment's pages from the file's page cache, privately (as mmap with
 * MAP_PRIVATE: a write copies the page), zeroes the part of the last file
 * page past the segment's file bytes when a bss follows, and maps the rest
 * of the bss as anonymous memory, which is demand-zero; only the headers
 * are read.  This is how Linux loads a program, and it costs no copy
 * (issue 11: copying the file was most of an exec).  elf_load copies the
 * file's bytes, from an image in kernel memory, into fresh anonymous
 * memory: each segment's pages are mapped writable, filled with
 * vm_copyout (the rest of a page, and the bss, are already zero), then
 * given the segment's protection.  It serves the images that are not
 * files and the programs whose segments share a page (the end of one and
 * the start of the next: that page is mapped once and gets both
 * protections), which a mapping per segment cannot express.
 */
#include <sys/abi/elf.h>
#include <sys/errno.h>
#include <sys/exec.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/vm_map.h>

/*
 * Where an ET_DYN program goes: Linux's ELF_ET_DYN_BASE on x86_64 (two
 * thirds of the 47-bit user space), the address it uses with address-space
 * randomisation off.  (Linux loads a static-PIE without PT_INTERP in the
 * mmap area instead; a fixed base far below VM_MMAP_BASE is simpler to
 * read in a debugger and leaves the mmap area to mmap.)
 */
#define ELF_ET_DYN_BASE		0x555555554000UL
/* Linux's bound on the program header table (load_elf_phdrs). */
#define ELF_PHDRS_MAX_BYTES	65536

/* Linux's bound on PT_INTERP's size (PATH_MAX), and its least (2). */
#define ELF_INTERP_MAX		4096
#define ELF_INTERP_MIN		2

/* What elf_parse learned about a checked image. */
struct elf_image {
	struct elf64_ehdr	ei_eh;
	bool			ei_interp;	/* an interpreter is checked */
	vaddr_t			ei_bias;	/* added to every p_vaddr */
	vaddr_t			ei_end;		/* end of the last segment */
	vaddr_t			ei_phdr;	/* AT_PHDR */
	bool			ei_exec_stack;
};

/* A refusal: one log line; -ELIBBAD for an interpreter, else -ENOEXEC. */
#define ELF_REJECT(ei, fmt, ...)					\
	(klog("exec", "not a loadable ELF %s: " fmt,			\
	    (ei)->ei_interp ? "interpreter" : "executable",		\
	    ##__VA_ARGS__), (ei)->ei_interp ? -ELIBBAD : -ENOEXEC)

/* Copy the i-th program header (the table is known to be in the file). */
static void
elf_phdr(const void *image, const struct elf64_ehdr *eh, unsigned int i,
    struct elf64_phdr *ph)
{
	memcpy(ph, (const char *)image + eh->e_phoff +
	    (size_t)i * sizeof(*ph), sizeof(*ph));
}

/*
 * The file header: identification, type, machine, the header table; the
 * file has size bytes, of which image holds the first avail.
 */
static int
elf_check_ehdr(const void *image, size_t avail, size_t size,
    struct elf_image *ei)
{
	struct elf64_ehdr *eh = &ei->ei_eh;
	const unsigned char *id = eh->e_ident;
	size_t table;

	if (size < sizeof(*eh) && ei->ei_interp) {
		klog("exec", "interpreter of %zu bytes, less than an ELF "
		    "header", size);
		return -EIO;
	}
	if (size < sizeof(*eh))
		return ELF_REJECT(ei, "%zu bytes, less than an ELF header",
		    size);
	if (avail < sizeof(*eh))
		return ELF_REJECT(ei, "only %zu bytes read, less than an ELF "
		    "header", avail);
	memcpy(eh, image, sizeof(*eh));
	if (id[EI_MAG0] != ELFMAG0 || id[EI_MAG1] != ELFMAG1 ||
	    id[EI_MAG2] != ELFMAG2 || id[EI_MAG3] != ELFMAG3)
		return ELF_REJECT(ei, "no ELF magic");
	if (id[EI_CLASS] != ELFCLASS64)
		return ELF_REJECT(ei, "class %u, not ELF64", id[EI_CLASS]);
	if (id[EI_DATA] != ELFDATA2LSB)
		return ELF_REJECT(ei, "data encoding %u, not little-endian",
		    id[EI_DATA]);
	if (id[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return ELF_REJECT(ei, "version %u/%u, not 1", id[EI_VERSION],
		    eh->e_version);
	if (eh->e_machine != EM_X86_64)
		return ELF_REJECT(ei, "machine %u, not x86-64 (%d)",
		    eh->e_machine, EM_X86_64);
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return ELF_REJECT(ei, "type %u, not an executable (ET_EXEC or "
		    "ET_DYN)", eh->e_type);
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		return ELF_REJECT(ei, "program headers of %u bytes, not %zu",
		    eh->e_phentsize, sizeof(struct elf64_phdr));
	if (eh->e_phnum == 0)
		return ELF_REJECT(ei, "no program headers");
	table = (size_t)eh->e_phnum * sizeof(struct elf64_phdr);
	if (table > ELF_PHDRS_MAX_BYTES)
		return ELF_REJECT(ei, "%u program headers, more than %d bytes",
		    eh->e_phnum, ELF_PHDRS_MAX_BYTES);
	if (eh->e_phoff > size || table > size - eh->e_phoff)
		return ELF_REJECT(ei, "program headers at %#lx+%#zx, outside "
		    "the %#zx-byte file", eh->e_phoff, table, size);
	if (eh->e_phoff > avail || table > avail - eh->e_phoff)
		return ELF_REJECT(ei, "program headers at %#lx+%#zx, past the "
		    "%#zx bytes read", eh->e_phoff, table, avail);
	return 0;
}

/*
 * The load bias: 0 for ET_EXEC; for ET_DYN, what moves the first PT_LOAD
 * to ELF_ET_DYN_BASE, keeping every segment's alignment (the largest
 * power-of-two p_align of the PT_LOADs, at least a page).
 */
static vaddr_t
elf_bias(const void *image, const struct elf64_ehdr *eh)
{
	struct elf64_phdr ph;
	vaddr_t first = 0, align = PAGE_SIZE;
	bool found = false;
	unsigned int i;

	if (eh->e_type != ET_DYN)
		return 0;
	for (i = 0; i < eh->e_phnum; i++) {
		elf_phdr(image, eh, i, &ph);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (!found) {
			first = ph.p_vaddr;
			found = true;
		}
		if (powerof2(ph.p_align) && ph.p_align > align)
			align = ph.p_align;
	}
	return rounddown2(ELF_ET_DYN_BASE, align) - rounddown2(first, align);
}

/*
 * One PT_LOAD (number i): sizes, file bounds, alignment, and, biased, its
 * place in user space after the segment before it, which ended at *prev.
 */
static int
elf_check_load(const struct elf_image *ei, const struct elf64_phdr *ph,
    unsigned int i, size_t size, vaddr_t *prev)
{
	vaddr_t start;

	if (ph->p_filesz > ph->p_memsz)
		return ELF_REJECT(ei, "segment %u: %#lx bytes in the file but "
		    "%#lx in memory", i, ph->p_filesz, ph->p_memsz);
	if (ph->p_memsz == 0)
		return 0;		/* nothing to map */
	if (ph->p_filesz > 0 &&
	    (ph->p_offset > size || ph->p_filesz > size - ph->p_offset))
		return ELF_REJECT(ei, "segment %u: bytes %#lx+%#lx outside the "
		    "%#zx-byte file", i, ph->p_offset, ph->p_filesz, size);
	if (!powerof2(ph->p_align))
		return ELF_REJECT(ei, "segment %u: alignment %#lx is not a "
		    "power of two", i, ph->p_align);
	if (ph->p_align > 1 &&
	    ((ph->p_vaddr - ph->p_offset) & (ph->p_align - 1)) != 0)
		return ELF_REJECT(ei, "segment %u: address %#lx and offset "
		    "%#lx differ modulo the alignment %#lx", i, ph->p_vaddr,
		    ph->p_offset, ph->p_align);
	if (((ph->p_vaddr - ph->p_offset) & PAGE_MASK) != 0)
		return ELF_REJECT(ei, "segment %u: address %#lx and offset "
		    "%#lx differ modulo the page size", i, ph->p_vaddr,
		    ph->p_offset);
	start = ph->p_vaddr + ei->ei_bias;
	if (start < VM_USER_MIN || start >= VM_USER_MAX ||
	    ph->p_memsz > VM_USER_MAX - start)
		return ELF_REJECT(ei, "segment %u: %#lx+%#lx is outside user "
		    "space [%#lx, %#lx)", i, start, ph->p_memsz, VM_USER_MIN,
		    VM_USER_MAX);
	if (start < *prev)
		return ELF_REJECT(ei, "segment %u at %#lx overlaps or precedes "
		    "the one before it (which ends at %#lx)", i, start, *prev);
	*prev = start + ph->p_memsz;
	return 0;
}

/*
 * AT_PHDR: where the program headers are in memory.  Linux computes it
 * from the PT_LOAD whose file bytes hold them; failing that we take
 * PT_PHDR's address if a segment maps it.  If nothing maps them the
 * program could not find its own headers (libc looks for PT_TLS there):
 * -ENOEXEC, where Linux would pass an unmapped address.
 */
static int
elf_find_phdr(const void *image, const struct elf_image *ei, vaddr_t *phdr)
{
	const struct elf64_ehdr *eh = &ei->ei_eh;
	vaddr_t bias = ei->ei_bias;
	struct elf64_phdr ph, load;
	size_t table = (size_t)eh->e_phnum * sizeof(struct elf64_phdr);
	vaddr_t pt_phdr = 0;
	bool have_pt_phdr = false;
	unsigned int i, j;

	for (i = 0; i < eh->e_phnum; i++) {
		elf_phdr(image, eh, i, &ph);
		if (ph.p_type == PT_PHDR) {
			pt_phdr = ph.p_vaddr;
			have_pt_phdr = true;
		}
		if (ph.p_type != PT_LOAD || ph.p_offset > eh->e_phoff ||
		    ph.p_filesz < table ||
		    eh->e_phoff - ph.p_offset > ph.p_filesz - table)
			continue;
		*phdr = ph.p_vaddr + (eh->e_phoff - ph.p_offset) + bias;
		return 0;
	}
	for (j = 0; have_pt_phdr && j < eh->e_phnum; j++) {
		elf_phdr(image, eh, j, &load);
		if (load.p_type == PT_LOAD && pt_phdr >= load.p_vaddr &&
		    load.p_memsz >= table &&
		    pt_phdr - load.p_vaddr <= load.p_memsz - table) {
			*phdr = pt_phdr + bias;
			return 0;
		}
	}
	return ELF_REJECT(ei, "no loaded segment holds the program headers "
	    "(nothing for AT_PHDR)");
}

/*
 * The program's PT_INTERP, the first one (Linux's load_elf_binary takes
 * it and stops looking): its path must be ELF_INTERP_MIN to
 * ELF_INTERP_MAX bytes, inside the file.  Its terminating NUL is checked
 * by the caller, which reads it (it may lie past the head).
 */
static int
elf_check_interp(const struct elf_image *ei, const struct elf64_phdr *ph,
    size_t size)
{
	if (ph->p_filesz < ELF_INTERP_MIN || ph->p_filesz > ELF_INTERP_MAX)
		return ELF_REJECT(ei, "PT_INTERP of %#lx bytes, not %d to %d",
		    ph->p_filesz, ELF_INTERP_MIN, ELF_INTERP_MAX);
	if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset) {
		klog("exec", "PT_INTERP at %#lx+%#lx is outside the %#zx-byte "
		    "file", ph->p_offset, ph->p_filesz, size);
		return -EIO;
	}
	return 0;
}

/*
 * The file header (elf_check_ehdr), then what the program headers say
 * besides the PT_LOADs: the PT_INTERP of a program (an interpreter's is
 * ignored) and PT_GNU_STACK.  0 or the refusal.
 */
static int
elf_parse_head(const void *image, size_t avail, size_t size,
    struct elf_image *ei)
{
	const struct elf64_ehdr *eh = &ei->ei_eh;
	struct elf64_phdr ph;
	bool interp = false;
	unsigned int i;
	int error;

	if ((error = elf_check_ehdr(image, avail, size, ei)) < 0)
		return error;
	for (i = 0; i < eh->e_phnum; i++) {
		elf_phdr(image, eh, i, &ph);
		if (ph.p_type == PT_GNU_STACK)
			ei->ei_exec_stack = (ph.p_flags & PF_X) != 0;
		if (ph.p_type != PT_INTERP || ei->ei_interp || interp)
			continue;
		if ((error = elf_check_interp(ei, &ph, size)) < 0)
			return error;
		interp = true;
	}
	return 0;
}

/*
 * The PT_LOADs with the bias in ei, the entry point, and for a program
 * where its headers are mapped (AT_PHDR), filling the rest of *ei.
 */
static int
elf_parse_loads(const void *image, size_t size, struct elf_image *ei)
{
	const struct elf64_ehdr *eh = &ei->ei_eh;
	struct elf64_phdr ph;
	vaddr_t end = 0;
	unsigned int i, nload = 0;
	int error;

	for (i = 0; i < eh->e_phnum; i++) {
		elf_phdr(image, eh, i, &ph);
		if (ph.p_type != PT_LOAD)
			continue;
		if ((error = elf_check_load(ei, &ph, i, size, &end)) < 0)
			return error;
		if (ph.p_memsz > 0)
			nload++;
	}
	if (nload == 0)
		return ELF_REJECT(ei, "no PT_LOAD segment with memory");
	ei->ei_end = end;
	if (eh->e_entry + ei->ei_bias >= VM_USER_MAX)
		return ELF_REJECT(ei, "entry point %#lx outside user space",
		    eh->e_entry + ei->ei_bias);
	if (ei->ei_interp)
		return 0;
	return elf_find_phdr(image, ei, &ei->ei_phdr);
}

/*
 * Every check of the file comment, filling *ei, for a program file of
 * size bytes of which image holds the first avail.  0, -ENOEXEC or
 * -EIO (PT_INTERP outside the file).
 */
static int
elf_parse(const void *image, size_t avail, size_t size, struct elf_image *ei)
{
	int error;

	memset(ei, 0, sizeof(*ei));
	if ((error = elf_parse_head(image, avail, size, ei)) < 0)
		return error;
	ei->ei_bias = elf_bias(image, &ei->ei_eh);
	return elf_parse_loads(image, size, ei);
}

/*
 * Check an executable without touching any address space (see the top of
 * this file for what is checked).  Returns 0, -ENOEXEC, or -EIO (its
 * PT_INTERP lies outside the file), with one log line.  Pure: no
 * allocation, no locks.
 */
int
elf_check(const void *image, size_t size)
{
	struct elf_image ei;

	return elf_parse(image, size, size, &ei);
}

/*
 * elf_check of a file of size bytes whose first avail bytes are in head
 * (the headers must be among them).  0, -ENOEXEC or -EIO.  Pure.
 */
int
elf_check_head(const void *head, size_t avail, size_t size)
{
	struct elf_image ei;

	return elf_parse(head, avail, size, &ei);
}

static int
elf_prot(uint32_t flags)
{
	return ((flags & PF_R) ? VM_PROT_READ : 0) |
	    ((flags & PF_W) ? VM_PROT_WRITE : 0) |
	    ((flags & PF_X) ? VM_PROT_EXEC : 0);
}

/* Map every PT_LOAD's pages writable and copy its file bytes in. */
static int
elf_fill(struct vmspace *vm, const void *image, const struct elf_image *ei)
{
	struct elf64_phdr ph;
	vaddr_t start, end, mapped = 0, addr;
	unsigned int i;
	int error;

	for (i = 0; i < ei->ei_eh.e_phnum; i++) {
		elf_phdr(image, &ei->ei_eh, i, &ph);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		start = trunc_page(ph.p_vaddr + ei->ei_bias);
		end = round_page(ph.p_vaddr + ei->ei_bias + ph.p_memsz);
		/* A first page shared with the segment before is mapped. */
		if (start < mapped)
			start = mapped;
		if (start < end) {
			addr = start;
			error = vm_map_anon(vm, &addr, end - start,
			    VM_PROT_READ | VM_PROT_WRITE,
			    VM_MAP_PRIVATE | VM_MAP_FIXED);
			if (error < 0)
				return error;
			mapped = end;
		}
		if (ph.p_filesz > 0 && (error = vm_copyout(vm,
		    ph.p_vaddr + ei->ei_bias,
		    (const char *)image + ph.p_offset, ph.p_filesz)) < 0)
			return error;
	}
	return 0;
}

/*
 * Give every PT_LOAD's pages its protection.  A page shared by segments
 * (the last page of one, the first of the next) gets the union of theirs.
 */
static int
elf_protect(struct vmspace *vm, const void *image, const struct elf_image *ei)
{
	struct elf64_phdr ph;
	vaddr_t start, end, last_page = 0;
	int prot, last_prot = 0, error;
	bool have_last = false;
	unsigned int i;

	for (i = 0; i < ei->ei_eh.e_phnum; i++) {
		elf_phdr(image, &ei->ei_eh, i, &ph);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		prot = elf_prot(ph.p_flags);
		start = trunc_page(ph.p_vaddr + ei->ei_bias);
		end = round_page(ph.p_vaddr + ei->ei_bias + ph.p_memsz);
		if ((error = vm_protect(vm, start, end - start, prot)) < 0)
			return error;
		if (have_last && start == last_page) {
			if ((error = vm_protect(vm, start, PAGE_SIZE,
			    prot | last_prot)) < 0)
				return error;
			if (end - start == PAGE_SIZE)
				prot |= last_prot;
		}
		last_page = end - PAGE_SIZE;
		last_prot = prot;
		have_last = true;
	}
	return 0;
}

/* What elf_load and elf_load_mapped tell the caller. */
static void
elf_loaded_set(const struct elf_image *ei, struct elf_loaded *el)
{
	el->el_entry = ei->ei_eh.e_entry + ei->ei_bias;
	el->el_start = el->el_entry;
	el->el_base = 0;
	el->el_phdr = ei->ei_phdr;
	el->el_phent = ei->ei_eh.e_phentsize;
	el->el_phnum = ei->ei_eh.e_phnum;
	el->el_load_bias = ei->ei_bias;
	el->el_brk = round_page(ei->ei_end);
	el->el_exec_stack = ei->ei_exec_stack;
}

/* What elf_load_interp and elf_load_interp_mapped add to *el. */
static void
elf_loaded_interp_set(const struct elf_image *ei, struct elf_loaded *el)
{
	el->el_start = ei->ei_eh.e_entry + ei->ei_bias;
	el->el_base = ei->ei_bias;
}

/* elf_load's work once the image is parsed: fill, then protect. */
static int
elf_load_parsed(struct vmspace *vm, const void *image,
    const struct elf_image *ei)
{
	int error;

	if ((error = elf_fill(vm, image, ei)) < 0)
		return error;
	return elf_protect(vm, image, ei);
}

/*
 * Check the image (elf_check), then map its segments into vm, which must
 * be a new address space that no thread runs in yet.  Fills *el for the
 * initial stack and the program break.  Returns 0, -ENOEXEC, -EIO, or an
 * error of the vm layer (-ENOMEM); after an error vm may hold some of the
 * segments, and the caller, which has not committed to the exec, throws
 * it away.  Takes vm's lock through the vm_* calls; the image is read
 * only.
 */
int
elf_load(struct vmspace *vm, const void *image, size_t size,
    struct elf_loaded *el)
{
	struct elf_image ei;
	int error;

	if ((error = elf_parse(image, size, size, &ei)) < 0)
		return error;
	if ((error = elf_load_parsed(vm, image, &ei)) < 0)
		return error;
	elf_loaded_set(&ei, el);
	return 0;
}

/* Whether two PT_LOADs with memory share a page (elf_parse passed). */
static bool
elf_shares_page(const void *head, const struct elf_image *ei)
{
	struct elf64_phdr ph;
	vaddr_t mapped = 0;
	unsigned int i;

	for (i = 0; i < ei->ei_eh.e_phnum; i++) {
		elf_phdr(head, &ei->ei_eh, i, &ph);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (trunc_page(ph.p_vaddr + ei->ei_bias) < mapped)
			return true;
		mapped = round_page(ph.p_vaddr + ei->ei_bias + ph.p_memsz);
	}
	return false;
}

/*
 * Map one PT_LOAD (elf_load_mapped): its file pages with map, the rest of
 * the last one past the file bytes zeroed when memory follows, and the
 * pages after them as anonymous memory.
 */
static int
elf_map_segment(struct vmspace *vm, const struct elf64_phdr *ph,
    vaddr_t bias, elf_map_fn *map, void *arg)
{
	vaddr_t start = trunc_page(ph->p_vaddr + bias);
	vaddr_t fend = ph->p_vaddr + bias + ph->p_filesz;
	vaddr_t mend = ph->p_vaddr + bias + ph->p_memsz;
	vaddr_t anon = start;
	int error;

	if (ph->p_filesz > 0) {
		if ((error = map(arg, vm, start, round_page(fend) - start,
		    trunc_page(ph->p_offset))) < 0)
			return error;
		anon = round_page(fend);
		/* The bss starts inside the last file page: zero it there. */
		if (mend > fend && (fend & PAGE_MASK) != 0 &&
		    (error = vm_zero(vm, fend, MIN(anon, mend) - fend)) < 0)
			return error;
	}
	if (round_page(mend) > anon)
		return vm_map_anon(vm, &anon, round_page(mend) - anon,
		    VM_PROT_READ | VM_PROT_WRITE,
		    VM_MAP_PRIVATE | VM_MAP_FIXED);
	return 0;
}

/* elf_load_mapped's work once the head is parsed. */
static int
elf_map_parsed(struct vmspace *vm, const void *head,
    const struct elf_image *ei, elf_map_fn *map, void *arg)
{
	struct elf64_phdr ph;
	unsigned int i;
	int error;

	for (i = 0; i < ei->ei_eh.e_phnum; i++) {
		elf_phdr(head, &ei->ei_eh, i, &ph);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if ((error = elf_map_segment(vm, &ph, ei->ei_bias, map,
		    arg)) < 0)
			return error;
	}
	return elf_protect(vm, head, ei);
}

/*
 * Check the program from its head (a file of size bytes, the first avail
 * of them in head), then map its segments into vm, a new address space
 * no thread runs in yet, with map (see sys/exec.h).  Returns 0 and *el,
 * -ENOEXEC, -EIO, -EOPNOTSUPP (two segments share a page; vm untouched),
 * or an error of map or the vm layer, after which the caller throws vm
 * away.
 */
int
elf_load_mapped(struct vmspace *vm, const void *head, size_t avail,
    size_t size, elf_map_fn *map, void *arg, struct elf_loaded *el)
{
	struct elf_image ei;
	int error;

	if ((error = elf_parse(head, avail, size, &ei)) < 0)
		return error;
	if (elf_shares_page(head, &ei))
		return -EOPNOTSUPP;
	if ((error = elf_map_parsed(vm, head, &ei, map, arg)) < 0)
		return error;
	elf_loaded_set(&ei, el);
	return 0;
}

/*
 * Where the program's interpreter path is in its file: *offp and *lenp
 * (the bytes of PT_INTERP, the NUL included), and 1; 0 when the program
 * has no PT_INTERP.  head holds the program's first avail bytes, which
 * elf_check_head has passed.  Pure.
 */
int
elf_interp_find(const void *head, size_t avail, uint64_t *offp, size_t *lenp)
{
	struct elf64_ehdr eh;
	struct elf64_phdr ph;
	unsigned int i;

	KASSERT(avail >= sizeof(eh), "elf_interp_find before elf_check_head");
	memcpy(&eh, head, sizeof(eh));
	for (i = 0; i < eh.e_phnum; i++) {
		elf_phdr(head, &eh, i, &ph);
		if (ph.p_type != PT_INTERP)
			continue;
		*offp = ph.p_offset;
		*lenp = (size_t)ph.p_filesz;
		return 1;
	}
	return 0;
}

/*
 * Where an ET_DYN interpreter goes: the PT_LOADs' span (from the first
 * one's address, rounded down to the largest alignment, to the end of
 * the highest), placed by vm_map_anon as mmap(NULL, span) would place it,
 * aligned; the range is reserved only to be found and is unmapped again.
 * Sets ei->ei_bias.  0, -ELIBBAD, or -ENOMEM (no room).
 */
static int
elf_interp_place(struct vmspace *vm, const void *image, struct elf_image *ei)
{
	struct elf64_phdr ph;
	vaddr_t first = 0, end = 0, align = PAGE_SIZE, lo, addr;
	size_t span, len;
	bool found = false;
	unsigned int i;
	int error;

	for (i = 0; i < ei->ei_eh.e_phnum; i++) {
		elf_phdr(image, &ei->ei_eh, i, &ph);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_vaddr >= VM_USER_MAX ||
		    ph.p_memsz > VM_USER_MAX - ph.p_vaddr)
			return ELF_REJECT(ei, "segment %u: %#lx+%#lx is larger "
			    "than user space", i, ph.p_vaddr, ph.p_memsz);
		if (!found)
			first = ph.p_vaddr;
		found = true;
		end = MAX(end, ph.p_vaddr + ph.p_memsz);
		if (powerof2(ph.p_align) && ph.p_align > align &&
		    ph.p_align <= VM_USER_MAX / 2)
			align = ph.p_align;
	}
	if (!found)
		return ELF_REJECT(ei, "no PT_LOAD segment with memory");
	lo = rounddown2(first, align);
	span = round_page(end) - lo;
	if (span > VM_USER_MAX - align)
		return ELF_REJECT(ei, "segments span %#zx bytes, more than "
		    "user space", span);
	len = span + align - PAGE_SIZE;
	addr = 0;
	if ((error = vm_map_anon(vm, &addr, len, VM_PROT_NONE,
	    VM_MAP_PRIVATE)) < 0)
		return error;
	if ((error = vm_unmap(vm, addr, len)) < 0)
		return error;
	ei->ei_bias = roundup2(addr, align) - lo;
	return 0;
}

/*
 * The checks of an interpreter (the file comment), filling *ei; an
 * ET_DYN one is placed in vm (elf_interp_place).  0, -ELIBBAD, -EIO or
 * -ENOMEM.
 */
static int
elf_interp_parse(struct vmspace *vm, const void *image, size_t avail,
    size_t size, struct elf_image *ei)
{
	int error;

	memset(ei, 0, sizeof(*ei));
	ei->ei_interp = true;
	if ((error = elf_parse_head(image, avail, size, ei)) < 0)
		return error;
	if (ei->ei_eh.e_type == ET_DYN &&
	    (error = elf_interp_place(vm, image, ei)) < 0)
		return error;
	return elf_parse_loads(image, size, ei);
}

/*
 * elf_load for a program's interpreter, an image of size bytes in kernel
 * memory: check it (a refusal is -ELIBBAD, a file shorter than an ELF
 * header -EIO), place it (an ET_DYN one in the mmap area), copy its
 * segments into vm, and set el's el_start (its entry) and el_base
 * (AT_BASE), leaving the rest of *el, the program's, alone.  Locks and
 * errors otherwise as elf_load.
 */
int
elf_load_interp(struct vmspace *vm, const void *image, size_t size,
    struct elf_loaded *el)
{
	struct elf_image ei;
	int error;

	if ((error = elf_interp_parse(vm, image, size, size, &ei)) < 0)
		return error;
	if ((error = elf_load_parsed(vm, image, &ei)) < 0)
		return error;
	elf_loaded_interp_set(&ei, el);
	return 0;
}

/*
 * elf_load_mapped for a program's interpreter: as elf_load_interp, with
 * its pages mapped by map from the first avail of its size bytes in head.
 * -EOPNOTSUPP, with vm untouched, when two segments share a page.
 */
int
elf_load_interp_mapped(struct vmspace *vm, const void *head, size_t avail,
    size_t size, elf_map_fn *map, void *arg, struct elf_loaded *el)
{
	struct elf_image ei;
	int error;

	if ((error = elf_interp_parse(vm, head, avail, size, &ei)) < 0)
		return error;
	if (elf_shares_page(head, &ei))
		return -EOPNOTSUPP;
	if ((error = elf_map_parsed(vm, head, &ei, map, arg)) < 0)
		return error;
	elf_loaded_interp_set(&ei, el);
	return 0;
}
