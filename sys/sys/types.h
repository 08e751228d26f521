/*
 * Basic kernel types.
 *
 * The fixed-width integer types and size_t come from the compiler's own
 * freestanding headers (stdint.h, stddef.h, stdbool.h, stdarg.h), which
 * need no C library.  The same header compiles on the host for unit tests.
 */
#ifndef _SYS_TYPES_H_
#define _SYS_TYPES_H_

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t	paddr_t;	/* a physical address */
typedef uint64_t	vaddr_t;	/* a virtual address */
typedef int64_t		ssize_t;

/*
 * The scalar types of the system-call interface, as wide as Linux's on
 * x86_64 (and as the C libraries', so the host's headers agree when a
 * unit test includes both).
 */
typedef int		pid_t;		/* process, thread and group ids */
typedef uint32_t	uid_t;
typedef uint32_t	gid_t;
typedef uint32_t	mode_t;		/* file type and permission bits */
typedef int64_t		off_t;		/* file offsets and sizes */
typedef int		clockid_t;	/* CLOCK_*, or a CPU-time clock */
typedef int		key_t;		/* System V IPC keys */

#define __packed	__attribute__((packed))
#define __aligned(x)	__attribute__((aligned(x)))
#define __section(s)	__attribute__((section(s)))
#define __used		__attribute__((used))
#define __unused	__attribute__((unused))
#define __noreturn	__attribute__((noreturn))
#define __printflike(f, a) __attribute__((format(printf, f, a)))
#define __likely(x)	__builtin_expect(!!(x), 1)
#define __unlikely(x)	__builtin_expect(!!(x), 0)

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))
#define roundup2(x, y)	(((x) + ((y) - 1)) & ~((__typeof__(x))(y) - 1))
#define rounddown2(x, y) ((x) & ~((__typeof__(x))(y) - 1))
#define powerof2(x)	((((x) - 1) & (x)) == 0)

#endif /* _SYS_TYPES_H_ */
