/*
 * clone(2) used as fork (flags SIGCHLD, no new stack) and as posix_spawn
 * uses it (CLONE_VM|CLONE_VFORK|SIGCHLD on a stack of its own), through
 * the raw system call, and posix_spawn(3) itself; and clone's EINVAL
 * checks.  x86_64 argument order: flags, stack, parent_tid, child_tid, tls.
 */
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

static volatile long child_pid_seen;
static volatile int child_ran;
static char child_stack[64 * 1024] __attribute__((aligned(16)));

/* Runs in the CLONE_VM child, on child_stack. */
static int
vm_child(void *arg)
{
	child_pid_seen = conf_sys(SYS_getpid);
	child_ran = (int)(long)arg;
	return 9;
}

/*
 * clone(CLONE_VM|CLONE_VFORK|SIGCHLD) on a stack of its own: the child
 * calls fn(arg) and exits with its value through SYS_exit, never
 * returning into this function.  Returns clone's value in the parent.
 */
static long
clone_vm_vfork(int (*fn)(void *), void *arg, void *stack_top)
{
	register long r10 __asm__("r10") = 0;	/* child_tid */
	register long r8 __asm__("r8") = 0;	/* tls */
	long ret;

	__asm__ volatile (
	    "syscall\n\t"
	    "testq %%rax, %%rax\n\t"
	    "jnz 1f\n\t"
	    "xorl %%ebp, %%ebp\n\t"
	    "movq %[arg], %%rdi\n\t"
	    "call *%[fn]\n\t"
	    "movl %%eax, %%edi\n\t"
	    "movl %[nr_exit], %%eax\n\t"
	    "syscall\n\t"
	    "hlt\n"
	    "1:"
	    : "=a" (ret)
	    : "a" ((long)SYS_clone),
	      "D" ((long)(CLONE_VM | CLONE_VFORK | SIGCHLD)),
	      "S" (stack_top), "d" (0L), "r" (r10), "r" (r8),
	      [fn] "r" (fn), [arg] "r" (arg), [nr_exit] "i" (SYS_exit)
	    : "rcx", "r11", "memory");
	return ret;
}

int
main(int argc, char **argv)
{
	char self[512], missing[512];
	char *args[] = { self, "--helper", "exit", "23", NULL };
	char *env[] = { "CONF=1", NULL };
	long pid, r;
	pid_t spid, parent;
	int st, err;

	if (argc == 4 && strcmp(argv[1], "--helper") == 0 &&
	    strcmp(argv[2], "exit") == 0)
		return atoi(argv[3]);
	conf_init(argv);
	conf_path(self, sizeof(self), "clone");
	conf_path(missing, sizeof(missing), "no-such-program");

	/* Fork-like: no new stack, so the child returns here too. */
	parent = getpid();
	pid = conf_sys(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	if (pid == 0)
		_exit(getppid() == parent && getpid() != parent ? 17 : 1);
	if (!ok(pid > 0, "clone(2) with SIGCHLD only: returns the child's "
	    "pid, like fork"))
		bail_out("clone: %s", tap_errname((int)-pid));
	st = conf_wait((pid_t)pid);
	is_exit(st, 17, "clone(2) fork-like: the child runs as a separate "
	    "process and its exit status reaches wait4");

	child_ran = 0;
	child_pid_seen = 0;
	pid = clone_vm_vfork(vm_child, (void *)5L,
	    child_stack + sizeof(child_stack));
	if (!ok(pid > 0, "clone(2) CLONE_VM|CLONE_VFORK: returns the "
	    "child's pid"))
		bail_out("clone: %s", tap_errname((int)-pid));
	is_long(child_ran, 5, "clone(2) CLONE_VFORK: the parent resumes "
	    "after the child exits; CLONE_VM: the child's stores are seen");
	is_long(child_pid_seen, pid, "clone(2) CLONE_VM: the child is a "
	    "process of its own (its getpid() is clone's value)");
	st = conf_wait((pid_t)pid);
	is_exit(st, 9, "clone(2) CLONE_VM|CLONE_VFORK: the child's exit "
	    "status reaches wait4");

	err = posix_spawn(&spid, self, NULL, NULL, args, env);
	is_long(err, 0, "posix_spawn(3): starts the program (0 returned)");
	if (err == 0) {
		st = conf_wait(spid);
		is_exit(st, 23, "posix_spawn(3): the spawned program ran with "
		    "its argv and its exit status reaches wait4");
	} else {
		skip(1, "posix_spawn failed");
	}
	err = posix_spawn(&spid, missing, NULL, NULL, args, env);
	is_long(err, ENOENT, "posix_spawn(3): a missing program is "
	    "reported as ENOENT (the child's execve error)");
	if (err == 0)
		conf_wait(spid);

	r = conf_sys(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0);
	if (r == 0)
		_exit(0);
	if (r > 0)
		conf_wait((pid_t)r);
	is_syserr(r, EINVAL, "clone(2): CLONE_SIGHAND without CLONE_VM is "
	    "EINVAL");
	r = conf_sys(SYS_clone, CLONE_THREAD | SIGCHLD, 0, 0, 0, 0);
	if (r == 0)
		_exit(0);
	if (r > 0)
		conf_wait((pid_t)r);
	is_syserr(r, EINVAL, "clone(2): CLONE_THREAD without CLONE_SIGHAND "
	    "is EINVAL");
	return done_testing();
}
