/*
 * Host test of exec_stack_build() (sys/kern/kern_exec_stack.c).
 *
 * The stack is built in a fake address space (exec_fakevm.c) and read
 * back word by word against the layout of the System V psABI 3.4.1 and
 * Linux's create_elf_tables(): argc, argv, envp, the auxiliary vector in
 * Linux's order with the values given, the strings and where each pointer
 * points, the AT_RANDOM bytes, the platform string, the alignment, the end
 * marker.  Then Linux's size limits, exactly at the edge.  Last, the
 * static musl programs of the build (tests/programs/hello.c, ET_EXEC and
 * static-PIE) are loaded with elf_load and started for real on this stack
 * in a child process: what they print is what they found on it.
 */
#define _DEFAULT_SOURCE
#include <sys/wait.h>
#include <unistd.h>

#include <sys/abi/auxv.h>
#include <sys/abi/binfmts.h>
#include <sys/errno.h>
#include <sys/exec.h>
#include <sys/param.h>
#include <sys/vm_map.h>

#include "exec_fakevm.h"
#include "hostbuf.h"
#include "unit.h"

static const char *build_dir;

/* What the tests pass as the program's facts. */
static struct elf_loaded
fake_loaded(void)
{
	struct elf_loaded el;

	memset(&el, 0, sizeof(el));
	el.el_entry = 0x401234;
	el.el_phdr = 0x400040;
	el.el_phent = 56;
	el.el_phnum = 9;
	el.el_brk = 0x600000;
	return el;
}

static struct exec_auxinfo
fake_aux(const char *execfn)
{
	struct exec_auxinfo ea;
	int i;

	memset(&ea, 0, sizeof(ea));
	ea.ea_uid = 1001;
	ea.ea_euid = 1002;
	ea.ea_gid = 1003;
	ea.ea_egid = 1004;
	ea.ea_secure = true;
	ea.ea_hwcap = 0x178bfbff;
	ea.ea_execfn = execfn;
	for (i = 0; i < 16; i++)
		ea.ea_random[i] = 0xa0 + i;
	return ea;
}

/* The NUL-terminated string at va, up to size bytes; "" if unmapped. */
static char *
read_str(struct vmspace *vm, vaddr_t va, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i + 1 < size; i++) {
		if (!fvm_read(vm, va + i, &buf[i], 1)) {
			buf[0] = '\0';
			return buf;
		}
		if (buf[i] == '\0')
			return buf;
	}
	buf[i] = '\0';
	return buf;
}

static void
test_layout(void)
{
	static char a0[] = "/bin/prog", a1[] = "arg one", a2[] = "";
	static char e0[] = "HOME=/", e1[] = "EMPTY=";
	char *argv[] = { a0, a1, a2, NULL }, *envp[] = { e0, e1, NULL };
	struct exec_strings es = { argv, envp, 3, 2 };
	struct elf_loaded el = fake_loaded();
	struct exec_auxinfo ea = fake_aux("/bin/prog-path");
	static const uint64_t want_types[] = { AT_HWCAP, AT_PAGESZ,
	    AT_CLKTCK, AT_PHDR, AT_PHENT, AT_PHNUM, AT_BASE, AT_FLAGS,
	    AT_ENTRY, AT_UID, AT_EUID, AT_GID, AT_EGID, AT_SECURE, AT_RANDOM,
	    AT_HWCAP2, AT_EXECFN, AT_PLATFORM, AT_NULL };
	uint64_t want_vals[19];
	struct vmspace vm;
	struct fvm_map *m;
	char s[64];
	unsigned char rnd[16];
	vaddr_t sp = 1, p, str, auxv, prev_end;
	uint64_t w;
	int r, i, bad;

	fvm_init(&vm);
	r = exec_stack_build(&vm, &es, &el, &ea, &sp);
	UNIT_CHECK(r == 0 && vm.fv_why[0] == '\0', "builds (%d%s%s)", r,
	    vm.fv_why[0] ? ": " : "", vm.fv_why);
	UNIT_CHECK(sp % 16 == 0 && sp < VM_STACK_TOP &&
	    sp > VM_STACK_TOP - 4096, "rsp %#lx is 16-byte aligned, just "
	    "below VM_STACK_TOP", sp);
	m = fvm_find(&vm, sp);
	UNIT_CHECK(vm.fv_nmap == 1 && m != NULL &&
	    m->fm_end == VM_STACK_TOP &&
	    m->fm_end - m->fm_start >= (128UL << 10) &&
	    (m->fm_flags & VM_MAP_STACK) != 0,
	    "one VM_MAP_STACK mapping ending at VM_STACK_TOP, >= 128 KiB");
	UNIT_CHECK(fvm_prot(&vm, sp) == (VM_PROT_READ | VM_PROT_WRITE),
	    "the stack is rw- (PT_GNU_STACK without PF_X)");

	UNIT_CHECK(fvm_word(&vm, sp) == 3, "argc = 3");
	p = sp + 8;
	UNIT_STREQ(read_str(&vm, fvm_word(&vm, p), s, sizeof(s)), "/bin/prog",
	    "argv[0]");
	UNIT_STREQ(read_str(&vm, fvm_word(&vm, p + 8), s, sizeof(s)),
	    "arg one", "argv[1]");
	UNIT_STREQ(read_str(&vm, fvm_word(&vm, p + 16), s, sizeof(s)), "",
	    "argv[2] (empty)");
	UNIT_CHECK(fvm_word(&vm, p + 24) == 0, "argv[3] = NULL");
	p += 32;
	UNIT_STREQ(read_str(&vm, fvm_word(&vm, p), s, sizeof(s)), "HOME=/",
	    "envp[0]");
	UNIT_STREQ(read_str(&vm, fvm_word(&vm, p + 8), s, sizeof(s)), "EMPTY=",
	    "envp[1]");
	UNIT_CHECK(fvm_word(&vm, p + 16) == 0, "envp[2] = NULL");
	auxv = p + 24;

	/* The strings: contiguous, argv first, then envp, then execfn. */
	str = fvm_word(&vm, sp + 8);
	UNIT_CHECK(fvm_word(&vm, sp + 16) == str + 10 &&
	    fvm_word(&vm, sp + 24) == str + 18 &&
	    fvm_word(&vm, sp + 40) == str + 19 &&
	    fvm_word(&vm, sp + 48) == str + 26,
	    "argv and envp strings are contiguous, in order");
	UNIT_CHECK(str + 33 + sizeof("/bin/prog-path") + 8 == VM_STACK_TOP &&
	    fvm_word(&vm, VM_STACK_TOP - 8) == 0,
	    "execfn, then 8 zero bytes, end at VM_STACK_TOP");

	/* The auxiliary vector. */
	want_vals[0] = 0x178bfbff;
	want_vals[1] = 4096;
	want_vals[2] = 100;
	want_vals[3] = 0x400040;
	want_vals[4] = 56;
	want_vals[5] = 9;
	want_vals[6] = 0;
	want_vals[7] = 0;
	want_vals[8] = 0x401234;
	want_vals[9] = 1001;
	want_vals[10] = 1002;
	want_vals[11] = 1003;
	want_vals[12] = 1004;
	want_vals[13] = 1;
	want_vals[14] = 0;		/* AT_RANDOM: checked below */
	want_vals[15] = 0;
	want_vals[16] = 0;		/* AT_EXECFN: below */
	want_vals[17] = 0;		/* AT_PLATFORM: below */
	want_vals[18] = 0;
	bad = -1;
	for (i = 0; i < 19; i++) {
		w = fvm_word(&vm, auxv + 16 * i);
		if (w != want_types[i] || (i != 14 && i != 16 && i != 17 &&
		    fvm_word(&vm, auxv + 16 * i + 8) != want_vals[i])) {
			bad = i;
			break;
		}
	}
	UNIT_CHECK(bad == -1, "auxv: 19 pairs in Linux's order with the given "
	    "values (first wrong: %d)", bad);
	w = fvm_word(&vm, auxv + 16 * 16 + 8);
	UNIT_STREQ(read_str(&vm, w, s, sizeof(s)), "/bin/prog-path",
	    "AT_EXECFN points at the path");
	UNIT_CHECK(w == str + 33, "AT_EXECFN is the string after envp");
	w = fvm_word(&vm, auxv + 16 * 17 + 8);
	UNIT_STREQ(read_str(&vm, w, s, sizeof(s)), "x86_64",
	    "AT_PLATFORM points at \"x86_64\"");
	UNIT_CHECK(w + 7 <= str && str - (w + 7) < 16 && (w + 7) % 16 == 0,
	    "the platform string ends 16-aligned below the strings");
	p = fvm_word(&vm, auxv + 16 * 14 + 8);
	UNIT_CHECK(fvm_read(&vm, p, rnd, 16) &&
	    memcmp(rnd, ea.ea_random, 16) == 0 && p + 16 == w,
	    "AT_RANDOM: the 16 bytes, just below the platform string");
	prev_end = auxv + 16 * 19;
	UNIT_CHECK(prev_end <= p && p - prev_end < 16,
	    "less than 16 bytes of padding between auxv and AT_RANDOM");
	fvm_free(&vm);

	/* An executable stack when the program asks for one. */
	el.el_exec_stack = true;
	fvm_init(&vm);
	r = exec_stack_build(&vm, &es, &el, &ea, &sp);
	UNIT_CHECK(r == 0 && fvm_prot(&vm, sp) ==
	    (VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXEC),
	    "PT_GNU_STACK with PF_X: the stack is rwx");
	fvm_free(&vm);
}

/* argv may be empty: Linux puts "" in argv[0]. */
static void
test_empty_argv(void)
{
	char *argv[] = { NULL }, *envp[] = { NULL };
	struct exec_strings es = { argv, envp, 0, 0 };
	struct elf_loaded el = fake_loaded();
	struct exec_auxinfo ea = fake_aux("/x");
	struct vmspace vm;
	char s[8];
	vaddr_t sp;
	int r;

	fvm_init(&vm);
	r = exec_stack_build(&vm, &es, &el, &ea, &sp);
	UNIT_CHECK(r == 0 && fvm_word(&vm, sp) == 1 &&
	    strcmp(read_str(&vm, fvm_word(&vm, sp + 8), s, sizeof(s)), "") ==
	    0 && fvm_word(&vm, sp + 16) == 0 && fvm_word(&vm, sp + 24) == 0,
	    "an empty argv: argc 1, argv[0] \"\", as Linux 5.18+");
	fvm_free(&vm);
}

/* Build with n strings of len bytes each (NUL excluded) in argv. */
static int
build_many(int n, size_t len, size_t last_len, size_t *mapped)
{
	struct elf_loaded el = fake_loaded();
	struct exec_auxinfo ea = fake_aux("/x");	/* 3 bytes */
	struct exec_strings es;
	struct vmspace vm;
	char **argv, *envp[] = { NULL };
	char *body;
	vaddr_t sp;
	int i, r;

	argv = calloc(n + 1, sizeof(*argv));
	body = malloc(MAX(len, last_len) + 1);
	memset(body, 'x', MAX(len, last_len));
	body[MAX(len, last_len)] = '\0';
	for (i = 0; i < n; i++)
		argv[i] = body + MAX(len, last_len) -
		    (i == n - 1 ? last_len : len);
	es.es_argv = argv;
	es.es_envp = envp;
	es.es_argc = n;
	es.es_envc = 0;
	fvm_init(&vm);
	r = exec_stack_build(&vm, &es, &el, &ea, &sp);
	*mapped = vm.fv_nmap == 1 ? vm.fv_map[0].fm_end -
	    vm.fv_map[0].fm_start : 0;
	if (r == 0 && (fvm_word(&vm, sp) != (uint64_t)n || vm.fv_why[0]))
		r = -1000;
	fvm_free(&vm);
	free(body);
	free(argv);
	return r;
}

static void
test_limits(void)
{
	const size_t limit = VM_STACK_MAX / 4;		/* 2 MiB */
	size_t mapped, per, n, last, strings;
	int r;

	r = build_many(1, MAX_ARG_STRLEN - 1, MAX_ARG_STRLEN - 1, &mapped);
	UNIT_CHECK(r == 0, "one string of MAX_ARG_STRLEN bytes with its NUL "
	    "(%d)", r);
	r = build_many(1, MAX_ARG_STRLEN, MAX_ARG_STRLEN, &mapped);
	UNIT_CHECK(r == -E2BIG, "one string longer than MAX_ARG_STRLEN: E2BIG "
	    "(%d)", r);

	/*
	 * Strings (execfn "/x" is 3 bytes) plus 8 bytes per string exactly
	 * at the limit: 4096-byte strings (4097 with NUL), n of them.
	 */
	per = 4097 + 8;
	n = (limit - 3) / per;
	last = limit - 3 - n * per;	/* what is left for one more */
	strings = n + 1;
	r = build_many(strings, 4096, last - 8 - 1, &mapped);
	UNIT_CHECK(r == 0 && mapped > limit && mapped <= VM_STACK_MAX,
	    "strings + pointers exactly a quarter of the stack limit: fits "
	    "(%d; %zu KiB mapped)", r, mapped >> 10);
	r = build_many(strings, 4096, last - 8, &mapped);
	UNIT_CHECK(r == -E2BIG, "one byte more: E2BIG (%d)", r);
	r = build_many(200000, 0, 0, &mapped);
	UNIT_CHECK(r == 0 && mapped > (1800UL << 10), "200000 empty strings "
	    "(1.8 MiB with their pointers) fit (%d)", r);
	r = build_many(270000, 0, 0, &mapped);
	UNIT_CHECK(r == -E2BIG, "270000 empty strings: E2BIG, the pointers "
	    "count (%d)", r);
	r = build_many(240000, 1, 1, &mapped);
	UNIT_CHECK(r == -E2BIG, "240000 one-byte strings: E2BIG (%d)", r);
}

/* Every vm call failing in turn: the error comes back. */
static void
test_failures(void)
{
	static char a0[] = "p";
	char *argv[] = { a0, NULL }, *envp[] = { NULL };
	struct exec_strings es = { argv, envp, 1, 0 };
	struct elf_loaded el = fake_loaded();
	struct exec_auxinfo ea = fake_aux("/p");
	struct vmspace vm;
	vaddr_t sp;
	int i, calls, bad = 0, r;

	fvm_init(&vm);
	exec_stack_build(&vm, &es, &el, &ea, &sp);
	calls = vm.fv_calls;
	fvm_free(&vm);
	for (i = 1; i <= calls; i++) {
		fvm_init(&vm);
		vm.fv_fail_at = i;
		r = exec_stack_build(&vm, &es, &el, &ea, &sp);
		if (r != -ENOMEM)
			bad++;
		fvm_free(&vm);
	}
	UNIT_CHECK(bad == 0 && calls >= 2, "each of the %d vm calls failing "
	    "makes it fail", calls);
}

/* Load a program of the build and start it on our stack. */
static void
test_run(const char *name)
{
	static char a0[] = "/bin/hello", a1[] = "two words", a2[] = "";
	static char a3[] = "last";
	static char e0[] = "TERM=linux";
	char *argv[] = { a0, a1, a2, a3, NULL }, *envp[] = { e0, NULL };
	struct exec_strings es = { argv, envp, 4, 1 };
	struct exec_auxinfo ea = fake_aux("/bin/hello");
	const char *want = "hello from a static musl program, argc=4\n"
	    "argv[0]: /bin/hello\nargv[1]: two words\nargv[2]: \n"
	    "argv[3]: last\n";
	struct elf_loaded el;
	struct vmspace vm;
	char out[512];
	size_t len = 0;
	vaddr_t sp;
	char *b;
	int r, status = 0;

	if ((b = hostbuf_read(build_dir, name, &len)) == NULL) {
		UNIT_CHECK(0, "%s: read %s/%s", name, build_dir, name);
		return;
	}
	ea.ea_secure = false;
	ea.ea_uid = ea.ea_euid = getuid();
	ea.ea_gid = ea.ea_egid = getgid();
	fvm_init(&vm);
	r = elf_load(&vm, b, len, &el);
	if (r == 0)
		r = exec_stack_build(&vm, &es, &el, &ea, &sp);
	UNIT_CHECK(r == 0, "%s: elf_load and exec_stack_build (%d)", name, r);
	if (r == 0) {
		r = fvm_run(&vm, el.el_entry, sp, out, sizeof(out), &status);
		if (r == 1)
			printf("ok %d - %s runs # SKIP an address it needs is "
			    "taken in this process\n", ++unit_count, name);
		else
			UNIT_CHECK(r == 0 && WIFEXITED(status) &&
			    WEXITSTATUS(status) == 0 && strcmp(out, want) == 0,
			    "%s runs on the stack we built, prints its argv, "
			    "exits 0 (status %#x)", name, status);
		if (r == 0 && strcmp(out, want) != 0)
			printf("# got:\n%s# want:\n%s", out, want);
	}
	fvm_free(&vm);
	free(b);
}

int
main(int argc, char *argv[])
{
	(void)argc;
	build_dir = hostbuf_build_dir(argv[0]);
	test_layout();
	test_empty_argv();
	test_limits();
	test_failures();
	test_run("programs/hello");
	test_run("programs/hello-pie");
	return unit_done();
}
