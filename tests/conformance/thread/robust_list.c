/*
 * set_robust_list(2), get_robust_list(2), and what the kernel does with
 * the list when its thread dies (futex(2), "Robust futexes"; Linux's
 * Documentation/locking/robust-futex-ABI): every futex word on it that the
 * thread owns gets FUTEX_OWNER_DIED with the owner cleared and
 * FUTEX_WAITERS kept, and a waiter is woken.  One-thread processes here:
 * a process's exit is its thread's death.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "conf.h"
#include "futex_util.h"

struct rhead {
	uint64_t	 next;		/* struct robust_list_head */
	long		 off;
	uint64_t	 pending;
};

struct ent {
	uint64_t	 next;
	uint32_t	 word;
};

#define NENT	2100

struct shared {
	struct rhead	 head;
	uint32_t	 go;
	uint32_t	 tid;
	struct ent	 e[NENT];
};

static struct shared *s;

static long
set_list(void *head, size_t len)
{
	return conf_sys(SYS_set_robust_list, head, len);
}

static long
get_list(int pid, uint64_t *head, size_t *len)
{
	return conf_sys(SYS_get_robust_list, pid, head, len);
}

/* Link s->e[0..n-1] into s->head; entries at stride 1. */
static void
build(int n)
{
	int i;

	s->head.off = __builtin_offsetof(struct ent, word);
	s->head.pending = 0;
	s->head.next = (uint64_t)(uintptr_t)&s->head;
	for (i = n - 1; i >= 0; i--) {
		s->e[i].next = s->head.next;
		s->head.next = (uint64_t)(uintptr_t)&s->e[i];
	}
}

static void
calls(void)
{
	struct rhead mine;
	uint64_t h = 1;
	size_t len = 0;
	pid_t pid;

	is_syserr(set_list(&mine, sizeof(mine) - 1), EINVAL,
	    "set_robust_list(2): a length other than the head's is EINVAL");
	is_syserr(set_list(&mine, sizeof(mine) + 1), EINVAL,
	    "set_robust_list(2): ... larger too");
	is_long(set_list(&mine, sizeof(mine)), 0,
	    "set_robust_list(2): the head's size (24) is accepted");
	is_long(get_list(0, &h, &len), 0, "get_robust_list(2): pid 0 is us");
	is_hex(h, (uint64_t)(uintptr_t)&mine,
	    "get_robust_list(2): ... and gives the head we set");
	is_long(len, 24, "get_robust_list(2): ... and its length 24");
	h = 0;
	is_long(get_list(getpid(), &h, &len), 0,
	    "get_robust_list(2): our own pid");
	is_hex(h, (uint64_t)(uintptr_t)&mine, "get_robust_list(2): ... the "
	    "same head");
	is_syserr(get_list(0, (void *)1, &len), EFAULT,
	    "get_robust_list(2): a bad head pointer is EFAULT");
	is_syserr(get_list(0, &h, (void *)1), EFAULT,
	    "get_robust_list(2): a bad length pointer is EFAULT");
	is_syserr(get_list(-1, &h, &len), ESRCH,
	    "get_robust_list(2): pid -1 is ESRCH");
	pid = conf_fork();
	if (pid == 0) {
		h = 1;
		_exit(get_list(0, &h, &len) != 0 ? 1 : h != 0 ? 2 : 0);
	}
	is_exit(conf_wait(pid), 0,
	    "get_robust_list(2): a forked child starts with no list");
	is_syserr(get_list(pid, &h, &len), ESRCH,
	    "get_robust_list(2): a reaped child's pid is ESRCH");

	/* Another process of the same user: its head. */
	s->go = 0;
	pid = conf_fork();
	if (pid == 0) {
		set_list((void *)0x123450, 24);
		fx(&s->go, FX_WAIT, 0, NULL, NULL, 0);
		_exit(0);
	}
	fx_await(&s->go, 1);
	h = 0;
	is_long(get_list(pid, &h, &len), 0,
	    "get_robust_list(2): another process of ours");
	is_hex(h, 0x123450, "get_robust_list(2): ... gives its head");
	s->go = 1;
	fx(&s->go, FX_WAKE, 1, NULL, NULL, 0);
	conf_wait(pid);

	/* Unprivileged, of a root process: EPERM. */
	pid = conf_fork();
	if (pid == 0) {
		conf_drop_privileges();
		_exit(get_list(getppid(), &h, &len) == -EPERM ? 0 :
		    get_list(0, &h, &len) != 0 ? 2 : 1);
	}
	is_exit(conf_wait(pid), 0, "get_robust_list(2): an unprivileged "
	    "process may not read a root process's list (EPERM)");
}

static void
death(void)
{
	pid_t owner, waiter;
	int i, marked = 0, status;

	/* Owned, owned with waiters, someone else's, and the pending one. */
	owner = conf_fork();
	if (owner == 0) {
		uint32_t tid = (uint32_t)syscall(SYS_gettid);

		build(3);
		s->e[0].word = tid;
		s->e[1].word = tid | FX_WAITERS;
		s->e[2].word = 12345;
		s->e[3].word = tid;
		s->head.pending = (uint64_t)(uintptr_t)&s->e[3];
		set_list(&s->head, 24);
		_exit(0);
	}
	is_exit(conf_wait(owner), 0, "robust futexes: the owner exits");
	is_hex(s->e[0].word, FX_OWNER_DIED, "robust futexes: an owned word "
	    "becomes FUTEX_OWNER_DIED with the TID cleared");
	is_hex(s->e[1].word, FX_OWNER_DIED | FX_WAITERS,
	    "robust futexes: FUTEX_WAITERS is kept");
	is_hex(s->e[2].word, 12345,
	    "robust futexes: another thread's word is left alone");
	is_hex(s->e[3].word, FX_OWNER_DIED,
	    "robust futexes: list_op_pending is handled too");

	/* A waiter on an owned word is woken. */
	s->go = 0;
	s->tid = 0;
	owner = conf_fork();
	if (owner == 0) {
		uint32_t tid = (uint32_t)syscall(SYS_gettid);

		build(1);
		s->e[0].word = tid | FX_WAITERS;
		set_list(&s->head, 24);
		__atomic_store_n(&s->tid, tid, __ATOMIC_SEQ_CST);
		fx(&s->go, FX_WAIT, 0, NULL, NULL, 0);
		_exit(0);
	}
	fx_await(&s->go, 1);
	waiter = fx_child_wait(&s->e[0].word, FX_WAIT, s->tid | FX_WAITERS,
	    NULL, 0);
	fx_await(&s->e[0].word, 1);
	s->go = 1;
	fx(&s->go, FX_WAKE, 1, NULL, NULL, 0);
	conf_wait(owner);
	is_exit(conf_wait(waiter), 0, "robust futexes: the owner's death "
	    "wakes a waiter (FUTEX_WAITERS was set)");
	is_hex(s->e[0].word, FX_OWNER_DIED | FX_WAITERS,
	    "robust futexes: ... and the word says the owner died");

	/* A pending word already unlocked (0): its waiter is woken. */
	s->go = 0;
	owner = conf_fork();
	if (owner == 0) {
		build(0);
		s->e[0].word = 0;
		s->head.pending = (uint64_t)(uintptr_t)&s->e[0];
		set_list(&s->head, 24);
		fx(&s->go, FX_WAIT, 0, NULL, NULL, 0);
		_exit(0);
	}
	fx_await(&s->go, 1);
	waiter = fx_child_wait(&s->e[0].word, FX_WAIT, 0, NULL, 0);
	fx_await(&s->e[0].word, 1);
	s->go = 1;
	fx(&s->go, FX_WAKE, 1, NULL, NULL, 0);
	conf_wait(owner);
	is_exit(conf_wait(waiter), 0, "robust futexes: a pending word that is "
	    "0 has one waiter woken");
	is_hex(s->e[0].word, 0, "robust futexes: ... and stays 0");

	/* At most 2048 entries are walked. */
	owner = conf_fork();
	if (owner == 0) {
		uint32_t tid = (uint32_t)syscall(SYS_gettid);

		build(NENT);
		for (i = 0; i < NENT; i++)
			s->e[i].word = tid;
		set_list(&s->head, 24);
		_exit(0);
	}
	is_exit(conf_wait(owner), 0, "robust futexes: an owner of %d exits",
	    NENT);
	for (i = 0; i < NENT; i++)
		if (s->e[i].word == FX_OWNER_DIED)
			marked++;
	is_long(marked, 2048, "robust futexes: the kernel walks at most 2048 "
	    "entries (ROBUST_LIST_LIMIT)");
	ok(s->e[2047].word == FX_OWNER_DIED && s->e[2048].word !=
	    FX_OWNER_DIED, "robust futexes: ... the first 2048");

	/* A list that loops on itself does not hang the exit. */
	owner = conf_fork();
	if (owner == 0) {
		s->head.off = __builtin_offsetof(struct ent, word);
		s->head.pending = 0;
		s->head.next = (uint64_t)(uintptr_t)&s->e[0];
		s->e[0].next = (uint64_t)(uintptr_t)&s->e[0];
		s->e[0].word = (uint32_t)syscall(SYS_gettid);
		set_list(&s->head, 24);
		_exit(7);
	}
	status = conf_wait(owner);
	is_exit(status, 7, "robust futexes: a circular list ends the walk");
	is_hex(s->e[0].word, FX_OWNER_DIED,
	    "robust futexes: ... after handling its entry");

	/* A list pointing nowhere is ignored. */
	owner = conf_fork();
	if (owner == 0) {
		set_list((void *)16, 24);
		_exit(3);
	}
	is_exit(conf_wait(owner), 3,
	    "robust futexes: an unreadable list head is ignored at exit");
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	s = conf_shared((sizeof(*s) + CONF_PAGE - 1) & ~(CONF_PAGE - 1));
	calls();
	death();
	return done_testing();
}
