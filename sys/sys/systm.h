/*
 * What every kernel file needs: formatted output, panic and assertions, and
 * the string and memory routines (subr_string.c).
 */
#ifndef _SYS_SYSTM_H_
#define _SYS_SYSTM_H_

#include <sys/types.h>

/*
 * kvformat() is the one formatter (kern/subr_prf.c).  It understands
 * %d %i %u %x %X %o %c %s %p %% with the length modifiers hh h l ll z j t,
 * a field width (digits or *), a precision for %s and the integers, and the
 * flags '-' (left-justify), '0' (zero-pad), '+', ' ' and '#'.  It calls
 * put(c, arg) for every character and returns how many it produced.  It has
 * no state and takes no lock, so the host unit tests run it as it is.
 */
typedef void kvformat_put_t(int c, void *arg);
int	kvformat(kvformat_put_t *put, void *arg, const char *fmt, va_list ap);

/* Like snprintf(3): always terminates, returns the untruncated length. */
int	ksnprintf(char *buf, size_t size, const char *fmt, ...) __printflike(3, 4);
int	kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* Print to every console (kern/kern_cons.c); takes cons_lock. */
int	kprintf(const char *fmt, ...) __printflike(1, 2);
int	kvprintf(const char *fmt, va_list ap);

/*
 * panic(): print the message and a backtrace of the caller, then stop the
 * machine (or, when the kernel command line says panic=exit, end QEMU with
 * a failure code so test runs never hang).  Only for broken kernel
 * invariants: never for user input, a bad disk or missing hardware.
 */
void	panic(const char *fmt, ...) __printflike(1, 2) __noreturn;

/* KASSERT stays on in this teaching kernel. */
#define KASSERT(cond, msg)						\
	do {								\
		if (__unlikely(!(cond)))				\
			panic("assertion \"%s\" failed at %s:%d: %s",	\
			    #cond, __FILE__, __LINE__, msg);		\
	} while (0)

/* A log line that names the subsystem: klog("acpi", "MADT at %p", p). */
#define klog(subsys, fmt, ...)	kprintf("%s: " fmt "\n", subsys, ##__VA_ARGS__)

/* kern/subr_string.c */
void	*memcpy(void *dst, const void *src, size_t n);
void	*memmove(void *dst, const void *src, size_t n);
void	*memset(void *dst, int c, size_t n);
int	 memcmp(const void *a, const void *b, size_t n);
size_t	 strlen(const char *s);
size_t	 strnlen(const char *s, size_t max);
int	 strcmp(const char *a, const char *b);
int	 strncmp(const char *a, const char *b, size_t n);
char	*strchr(const char *s, int c);
size_t	 strlcpy(char *dst, const char *src, size_t size);

/*
 * User memory (arch/x86_64/copy.S): the only way the kernel touches it.
 * Each returns 0, or -EFAULT when any byte is not mapped for that access
 * in the current address space (the page-fault handler turns a fault in
 * these routines into the error instead of a kernel fault).  copyinstr
 * copies at most len bytes including the NUL; -ENAMETOOLONG when there is
 * no NUL within len; *done (if not NULL) gets the bytes copied with NUL.
 */
#define __user
int	copyin(const void __user *uaddr, void *kaddr, size_t len);
int	copyout(const void *kaddr, void __user *uaddr, size_t len);
int	copyinstr(const char __user *uaddr, char *kaddr, size_t len,
	    size_t *done);

/*
 * The kernel command line (kern/kern_cmdline.c): "key=value key2 ...".
 * cmdline_get("ktest") returns the value of ktest=..., "" for a bare word,
 * or NULL when absent.
 */
void		 cmdline_init(const char *line);
const char	*cmdline_get(const char *key);
const char	*cmdline_string(void);
/*
 * The word at or after *pp (spaces skipped), its length in *lenp, *pp
 * moved past it; NULL at the end.  For walking cmdline_string().
 */
const char	*cmdline_word(const char **pp, size_t *lenp);

#endif /* _SYS_SYSTM_H_ */
