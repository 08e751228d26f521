/*
 * A bad memory access kills the process with SIGSEGV, which the parent
 * sees in its wait status (signal(7): SIGSEGV "Invalid memory reference").
 * Each access is made in a child.  Also: the stack grows on demand, and a
 * runaway recursion is stopped with SIGSEGV.
 */
/* conformance: timeout=120 */
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "conf.h"

static void
read_at(void *addr)
{
	(void)*(volatile long *)addr;
}

static void
write_at(void *addr)
{
	*(volatile long *)addr = 1;
}

static void
call_at(void *addr)
{
	((void (*)(void))addr)();
}

static const unsigned char ret_insn[8] = { 0xc3 };	/* in .rodata */

/* Uses about depth KiB of stack, touching every page of it. */
static int
deep(int depth)
{
	volatile char frame[1024];

	frame[0] = (char)depth;
	frame[sizeof(frame) - 1] = (char)depth;
	if (depth == 0)
		return frame[0];
	return deep(depth - 1) + frame[sizeof(frame) - 1];
}

static void
deep_2m(void *arg)
{
	volatile int sink;

	(void)arg;
	sink = deep(2048);
	(void)sink;
}

static void
runaway(void *arg)
{
	struct rlimit rl = { 4 << 20, 4 << 20 };

	(void)arg;
	setrlimit(RLIMIT_STACK, &rl);
	deep(1 << 30);
}

int
main(int argc, char **argv)
{
	unsigned char *data;

	(void)argc;
	conf_init(argv);
	data = mmap(NULL, CONF_PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (data == MAP_FAILED)
		bail_out("mmap: %s", tap_errname(errno));
	data[0] = 0xc3;		/* ret */

	is_signal(conf_in_child(read_at, NULL), SIGSEGV, "reading address "
	    "0 is SIGSEGV");
	is_signal(conf_in_child(write_at, (void *)16), SIGSEGV, "writing "
	    "address 16 is SIGSEGV");
	is_signal(conf_in_child(read_at, CONF_KERNEL_ADDR), SIGSEGV,
	    "reading a kernel address from user mode is SIGSEGV");
	is_signal(conf_in_child(write_at, CONF_KERNEL_ADDR), SIGSEGV,
	    "writing a kernel address from user mode is SIGSEGV");
	is_signal(conf_in_child(write_at, (void *)main), SIGSEGV, "writing "
	    "the program's text is SIGSEGV");
	is_signal(conf_in_child(write_at, (void *)ret_insn), SIGSEGV,
	    "writing read-only data (.rodata) is SIGSEGV");
	is_signal(conf_in_child(call_at, data), SIGSEGV, "jumping into "
	    "a data page (no PROT_EXEC) is SIGSEGV (NX)");
	is_signal(conf_in_child(call_at, (void *)0x1000), SIGSEGV, "jumping "
	    "to an unmapped address is SIGSEGV");
	is_exit(conf_in_child(deep_2m, NULL), 0, "the stack grows on demand: "
	    "2 MiB of recursion works");
	is_signal(conf_in_child(runaway, NULL), SIGSEGV, "a runaway "
	    "recursion is stopped with SIGSEGV");
	ok(data[0] == 0xc3, "the parent is unaffected by its children's "
	    "faults");
	return done_testing();
}
