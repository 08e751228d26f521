/*
 * Faults become signals with si_addr and si_code (sigaction(2), "The
 * siginfo_t argument"): SIGSEGV for unmapped memory (SEGV_MAPERR) and for
 * memory without access (SEGV_ACCERR, after mprotect), SIGFPE for an
 * integer division by zero (FPE_INTDIV), SIGILL for ud2 (ILL_ILLOPN),
 * SIGTRAP for int3; a handler leaves with siglongjmp; a blocked or
 * ignored fault signal still kills.
 */
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conf.h"

static sigjmp_buf env;
static volatile int got_sig, got_code;
static volatile unsigned long got_addr;

static void
on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_addr = (unsigned long)si->si_addr;
	siglongjmp(env, 1);
}

static void
catch(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) < 0)
		bail_out("sigaction: %s", tap_errname(errno));
}

static void
blocked_fault(void *arg)
{
	sigset_t s;

	(void)arg;
	sigemptyset(&s);
	sigaddset(&s, SIGSEGV);
	sigprocmask(SIG_BLOCK, &s, NULL);
	*(volatile int *)8 = 1;
}

static void
ignored_fault(void *arg)
{
	(void)arg;
	signal(SIGSEGV, SIG_IGN);
	*(volatile int *)8 = 1;
}

int
main(int argc, char **argv)
{
	volatile int zero = 0, r = 0;
	unsigned char *p;
	sigset_t s;

	(void)argc;
	conf_init(argv);
	catch(SIGSEGV);
	catch(SIGFPE);
	catch(SIGILL);
	catch(SIGTRAP);
	p = mmap(NULL, 2 * CONF_PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		bail_out("mmap: %s", tap_errname(errno));
	munmap(p + CONF_PAGE, CONF_PAGE);

	got_sig = 0;
	if (sigsetjmp(env, 1) == 0)
		*(volatile int *)(p + CONF_PAGE + 24) = 1;
	is_long(got_sig, SIGSEGV, "a write to unmapped memory is SIGSEGV");
	is_long(got_code, SEGV_MAPERR, "si_code is SEGV_MAPERR");
	is_hex(got_addr, (unsigned long)(p + CONF_PAGE + 24), "si_addr is the "
	    "faulting address");

	mprotect(p, CONF_PAGE, PROT_READ);
	got_sig = 0;
	if (sigsetjmp(env, 1) == 0)
		p[100] = 1;
	is_long(got_sig, SIGSEGV, "a write to a read-only page is SIGSEGV");
	is_long(got_code, SEGV_ACCERR, "si_code is SEGV_ACCERR");
	is_hex(got_addr, (unsigned long)(p + 100), "si_addr is the faulting "
	    "address");
	mprotect(p, CONF_PAGE, PROT_NONE);
	got_sig = 0;
	if (sigsetjmp(env, 1) == 0)
		r = p[200];
	is_long(got_code, SEGV_ACCERR, "a read of a PROT_NONE page is "
	    "SEGV_ACCERR");
	is_hex(got_addr, (unsigned long)(p + 200), "si_addr is the faulting "
	    "address");

	sigprocmask(SIG_BLOCK, NULL, &s);
	ok(sigismember(&s, SIGSEGV) == 0, "siglongjmp restored the mask");
	got_sig = 0;
	if (sigsetjmp(env, 1) == 0)
		r = 7 / zero;
	is_long(got_sig, SIGFPE, "dividing by zero is SIGFPE");
	is_long(got_code, FPE_INTDIV, "si_code is FPE_INTDIV");
	got_sig = 0;
	if (sigsetjmp(env, 1) == 0)
		__asm__ volatile("ud2");
	is_long(got_sig, SIGILL, "ud2 is SIGILL");
	is_long(got_code, ILL_ILLOPN, "si_code is ILL_ILLOPN");
	got_sig = 0;
	if (sigsetjmp(env, 1) == 0)
		__asm__ volatile("int3");
	is_long(got_sig, SIGTRAP, "int3 is SIGTRAP");
	is_long(got_code, SI_KERNEL, "si_code is SI_KERNEL");

	is_signal(conf_in_child(blocked_fault, NULL), SIGSEGV, "a fault with "
	    "SIGSEGV blocked still kills by SIGSEGV");
	is_signal(conf_in_child(ignored_fault, NULL), SIGSEGV, "a fault with "
	    "SIGSEGV ignored still kills by SIGSEGV");
	(void)r;
	return done_testing();
}
