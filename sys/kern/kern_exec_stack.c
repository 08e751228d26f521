/*
 * The initial stack of a new program: what its entry point finds at rsp.
 *
 * The System V x86-64 psABI (3.4.1, "Initial Stack and Register State")
 * fixes the part below the strings; Linux (fs/exec.c, and
 * create_elf_tables() in fs/binfmt_elf.c) fixes the rest and the order.
 * From the top of the stack down (higher addresses first):
 *
 *	VM_STACK_TOP
 *	8 bytes of zero		the end marker
 *	execfn			the path exec'd, NUL-terminated (AT_EXECFN)
 *	envp strings		envp[0] lowest
 *	argv strings		argv[0] lowest: the strings are contiguous
 *	padding to 16 bytes
 *	"x86_64"		the platform string (AT_PLATFORM)
 *	16 random bytes		AT_RANDOM (libc's stack-protector seed)
 *	padding			so that rsp ends 16-byte aligned
 *	auxv			(type, value) pairs, ending with AT_NULL
 *	NULL
 *	envp[envc - 1] ... envp[0]
 *	NULL
 *	argv[argc - 1] ... argv[0]
 *	argc			<- rsp, 16-byte aligned
 *
 * Documentation/exec.md draws it byte by byte for an example.
 *
 * The limits are Linux's: each string at most MAX_ARG_STRLEN bytes with its
 * NUL, and all strings (execfn too) plus one pointer per string at most a
 * quarter of the stack limit (VM_STACK_MAX / 4 = 2 MiB, but never less
 * than 128 KiB, ARG_MAX); beyond either, -E2BIG.  An empty argv gets one
 * empty string as argv[0], as Linux does since 5.18, so argv[0] is never
 * NULL.
 *
 * Everything is written with vm_copyout into the new address space, which
 * is not active yet, through a small buffer: the stack can hold megabytes
 * of strings, and none of them is copied twice.
 */
#include <sys/abi/auxv.h>
#include <sys/abi/binfmts.h>
#include <sys/errno.h>
#include <sys/exec.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/vm_map.h>

#define STACK_PLATFORM		"x86_64"	/* Linux's ELF_PLATFORM */
#define STACK_CLKTCK		100		/* USER_HZ: times() units */
#define STACK_NAUX		19		/* auxv pairs, AT_NULL too */
/* Room mapped below the initial stack: Linux's stack_expand. */
#define STACK_EXPAND		(128UL << 10)
/* ARG_MAX: the strings may always use 32 pages. */
#define STACK_ARG_MIN		(32UL * PAGE_SIZE)

/* Where everything goes, from exec_stack_layout. */
struct stack_layout {
	size_t	sl_strlen;	/* argv + envp string bytes, NULs too */
	size_t	sl_fnlen;	/* execfn's bytes with its NUL */
	vaddr_t	sl_strings;	/* argv[0]'s first byte */
	vaddr_t	sl_execfn;
	vaddr_t	sl_platform;
	vaddr_t	sl_random;
	vaddr_t	sl_sp;		/* argc */
	size_t	sl_mapsize;	/* bytes mapped below VM_STACK_TOP */
};

/*
 * A sequential writer into the new address space: bytes are gathered in
 * sw_buf and copied out when it fills, at increasing addresses.
 */
struct stack_writer {
	struct vmspace	*sw_vm;
	vaddr_t		 sw_addr;	/* where sw_buf[0] goes */
	size_t		 sw_len;
	int		 sw_error;	/* the first vm_copyout error */
	char		 sw_buf[512];
};

static void
sw_flush(struct stack_writer *sw)
{
	int error;

	if (sw->sw_len > 0 && sw->sw_error == 0) {
		error = vm_copyout(sw->sw_vm, sw->sw_addr, sw->sw_buf,
		    sw->sw_len);
		if (error < 0)
			sw->sw_error = error;
	}
	sw->sw_addr += sw->sw_len;
	sw->sw_len = 0;
}

static void
sw_put(struct stack_writer *sw, const void *p, size_t n)
{
	const char *s = p;
	size_t chunk;

	while (n > 0) {
		if (sw->sw_len == sizeof(sw->sw_buf))
			sw_flush(sw);
		chunk = MIN(n, sizeof(sw->sw_buf) - sw->sw_len);
		memcpy(sw->sw_buf + sw->sw_len, s, chunk);
		sw->sw_len += chunk;
		s += chunk;
		n -= chunk;
	}
}

static void
sw_word(struct stack_writer *sw, uint64_t w)
{
	sw_put(sw, &w, sizeof(w));
}

/* Zero bytes up to the address to (padding). */
static void
sw_pad(struct stack_writer *sw, vaddr_t to)
{
	static const char zero[16];
	vaddr_t at = sw->sw_addr + sw->sw_len;

	KASSERT(to >= at && to - at < sizeof(zero), "stack padding");
	sw_put(sw, zero, to - at);
}

/* Bytes of n strings with their NULs; -E2BIG if one is too long. */
static int
stack_strings(char *const *v, int n, size_t *total)
{
	size_t len;
	int i;

	for (i = 0; i < n; i++) {
		len = strnlen(v[i], MAX_ARG_STRLEN);
		if (len >= MAX_ARG_STRLEN)
			return -E2BIG;
		*total += len + 1;
	}
	return 0;
}

/*
 * Measure the strings, apply Linux's limits, and place everything below
 * VM_STACK_TOP.  argc is at least 1 (see the top of the file).
 */
static int
exec_stack_layout(const struct exec_strings *es, int argc,
    char *const *argv, const char *execfn, struct stack_layout *sl)
{
	size_t limit, ptrs, used;
	vaddr_t p;
	int error;

	memset(sl, 0, sizeof(*sl));
	if ((error = stack_strings(argv, argc, &sl->sl_strlen)) < 0 ||
	    (error = stack_strings(es->es_envp, es->es_envc,
	    &sl->sl_strlen)) < 0)
		return error;
	sl->sl_fnlen = strnlen(execfn, MAX_ARG_STRLEN) + 1;
	if (sl->sl_fnlen > MAX_ARG_STRLEN)
		return -E2BIG;

	/* Linux's bprm_stack_limits(): a quarter of the stack limit. */
	limit = MAX(VM_STACK_MAX / 4, STACK_ARG_MIN);
	ptrs = ((size_t)argc + (size_t)es->es_envc) * sizeof(uint64_t);
	if (ptrs >= limit || sl->sl_strlen + sl->sl_fnlen > limit - ptrs)
		return -E2BIG;

	p = VM_STACK_TOP - sizeof(uint64_t);
	p -= sl->sl_fnlen;
	sl->sl_execfn = p;
	p -= sl->sl_strlen;
	sl->sl_strings = p;
	p = rounddown2(p, 16);
	p -= sizeof(STACK_PLATFORM);
	sl->sl_platform = p;
	p -= 16;
	sl->sl_random = p;
	p -= (2 * STACK_NAUX + (size_t)argc + 1 + (size_t)es->es_envc + 1 +
	    1) * sizeof(uint64_t);
	sl->sl_sp = rounddown2(p, 16);

	used = round_page(VM_STACK_TOP - sl->sl_sp);
	if (used > VM_STACK_MAX)
		return -E2BIG;
	sl->sl_mapsize = MIN(used + STACK_EXPAND, VM_STACK_MAX);
	return 0;
}

/* argc, argv[], NULL, envp[], NULL: the pointers point at the strings. */
static void
exec_stack_vectors(struct stack_writer *sw, const struct exec_strings *es,
    int argc, char *const *argv, const struct stack_layout *sl)
{
	vaddr_t s = sl->sl_strings;
	int i;

	sw_word(sw, (uint64_t)argc);
	for (i = 0; i < argc; i++) {
		sw_word(sw, s);
		s += strlen(argv[i]) + 1;
	}
	sw_word(sw, 0);
	for (i = 0; i < es->es_envc; i++) {
		sw_word(sw, s);
		s += strlen(es->es_envp[i]) + 1;
	}
	sw_word(sw, 0);
}

/* The auxiliary vector, in the order of Linux's create_elf_tables(). */
static void
exec_stack_auxv(struct stack_writer *sw, const struct elf_loaded *el,
    const struct exec_auxinfo *ea, const struct stack_layout *sl)
{
	const uint64_t aux[STACK_NAUX][2] = {
		{ AT_HWCAP, ea->ea_hwcap },
		{ AT_PAGESZ, PAGE_SIZE },
		{ AT_CLKTCK, STACK_CLKTCK },
		{ AT_PHDR, el->el_phdr },
		{ AT_PHENT, el->el_phent },
		{ AT_PHNUM, el->el_phnum },
		{ AT_BASE, el->el_base },	/* the interpreter's */
		{ AT_FLAGS, 0 },
		{ AT_ENTRY, el->el_entry },
		{ AT_UID, ea->ea_uid },
		{ AT_EUID, ea->ea_euid },
		{ AT_GID, ea->ea_gid },
		{ AT_EGID, ea->ea_egid },
		{ AT_SECURE, ea->ea_secure ? 1 : 0 },
		{ AT_RANDOM, sl->sl_random },
		{ AT_HWCAP2, 0 },
		{ AT_EXECFN, sl->sl_execfn },
		{ AT_PLATFORM, sl->sl_platform },
		{ AT_NULL, 0 },
	};

	sw_put(sw, aux, sizeof(aux));
}

/*
 * Build the initial stack of a new program in vm (not active yet; see the
 * top of this file for the layout and limits): map private VM_MAP_STACK
 * memory below VM_STACK_TOP, executable if el asks for it, and fill it.  *sp gets
 * the initial rsp.  Returns 0, -E2BIG, or the vm layer's error; after an
 * error the caller throws vm away.  Takes vm's lock through vm_* calls.
 */
int
exec_stack_build(struct vmspace *vm, const struct exec_strings *es,
    const struct elf_loaded *el, const struct exec_auxinfo *ea,
    vaddr_t *sp)
{
	static char empty[] = "";
	static char *const empty_argv[] = { empty, NULL };
	struct stack_layout sl;
	struct stack_writer sw;
	char *const *argv = es->es_argv;
	int argc = es->es_argc, prot, i, error;
	vaddr_t addr;

	KASSERT(es->es_argc >= 0 && es->es_envc >= 0, "negative count");
	KASSERT(ea->ea_execfn != NULL, "no execfn");
	if (argc == 0) {
		klog("exec", "%s: started with an empty argv; argv[0] is \"\", "
		    "as on Linux", ea->ea_execfn);
		argv = empty_argv;
		argc = 1;
	}
	if ((error = exec_stack_layout(es, argc, argv, ea->ea_execfn,
	    &sl)) < 0)
		return error;

	addr = VM_STACK_TOP - sl.sl_mapsize;
	prot = VM_PROT_READ | VM_PROT_WRITE |
	    (el->el_exec_stack ? VM_PROT_EXEC : 0);
	if ((error = vm_map_anon(vm, &addr, sl.sl_mapsize, prot,
	    VM_MAP_PRIVATE | VM_MAP_STACK | VM_MAP_FIXED)) < 0)
		return error;

	/* Everything from rsp up to the end marker, in address order. */
	memset(&sw, 0, sizeof(sw));
	sw.sw_vm = vm;
	sw.sw_addr = sl.sl_sp;
	exec_stack_vectors(&sw, es, argc, argv, &sl);
	exec_stack_auxv(&sw, el, ea, &sl);
	sw_pad(&sw, sl.sl_random);
	sw_put(&sw, ea->ea_random, sizeof(ea->ea_random));
	sw_put(&sw, STACK_PLATFORM, sizeof(STACK_PLATFORM));
	sw_pad(&sw, sl.sl_strings);
	for (i = 0; i < argc; i++)
		sw_put(&sw, argv[i], strlen(argv[i]) + 1);
	for (i = 0; i < es->es_envc; i++)
		sw_put(&sw, es->es_envp[i], strlen(es->es_envp[i]) + 1);
	sw_put(&sw, ea->ea_execfn, sl.sl_fnlen);
	sw_word(&sw, 0);
	sw_flush(&sw);
	if (sw.sw_error < 0)
		return sw.sw_error;
	KASSERT(sw.sw_addr == VM_STACK_TOP, "stack layout");
	*sp = sl.sl_sp;
	return 0;
}
