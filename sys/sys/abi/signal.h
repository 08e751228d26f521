/*
 * Linux signal numbers on x86_64 (uapi asm/signal.h; signal(7)): the
 * standard signals 1-31 and the real-time signals 32-64.  The signal
 * issue adds the handler structures here.  Includes nothing.
 */
#ifndef _SYS_ABI_SIGNAL_H_
#define _SYS_ABI_SIGNAL_H_

#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGIOT		SIGABRT
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGXCPU		24
#define SIGXFSZ		25
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define SIGIO		29
#define SIGPOLL		SIGIO
#define SIGPWR		30
#define SIGSYS		31
#define SIGRTMIN	32	/* the kernel's; the C libraries keep 2-3 */
#define SIGRTMAX	64
#define L_NSIG		64	/* the kernel's _NSIG: signals 1..64 */

#endif /* _SYS_ABI_SIGNAL_H_ */
