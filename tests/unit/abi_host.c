/*
 * tests/unit/abi_list.h evaluated against the host's Linux UAPI headers
 * (the linux-libc-dev package): the reference.  Only kernel headers, no C
 * library, so that nothing redefines their names.
 */
#include <asm/param.h>
#include <asm/prctl.h>
#include <asm/sigcontext.h>
#include <asm/siginfo.h>
#include <asm/signal.h>
#include <asm/socket.h>
#include <asm/stat.h>
#include <asm/statfs.h>
#include <asm/termios.h>
#include <asm/ucontext.h>
#include <linux/auxvec.h>
#include <linux/close_range.h>
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/eventpoll.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/futex.h>
#include <linux/magic.h>
#include <linux/memfd.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include <linux/mqueue.h>
#include <linux/openat2.h>
#include <linux/pidfd.h>
#include <linux/poll.h>
#include <linux/posix_types.h>
#include <linux/prctl.h>
#include <linux/random.h>
#include <linux/reboot.h>
#include <linux/resource.h>
#include <linux/rtc.h>
#include <linux/sched.h>
#include <linux/sched/types.h>
#include <linux/signal.h>
#include <linux/signalfd.h>
#include <linux/stat.h>
#include <linux/sysinfo.h>
#include <linux/time.h>
#include <linux/time_types.h>
#include <linux/un.h>
#include <linux/timerfd.h>
#include <linux/times.h>
#include <linux/uio.h>
#include <linux/utime.h>
#include <linux/utsname.h>
#include <linux/wait.h>
/*
 * Last: linux/shm.h includes the C library's unistd.h, after which
 * linux/stat.h would no longer define the S_* constants.
 */
#include <linux/sem.h>
#include <linux/shm.h>
#include <linux/msg.h>

#include "abi_test.h"

#define ABI_GROUP(f)		{ ABI_K_GROUP, f, f, 0, 0 },
#define ABI_CONST(n)		{ ABI_K_CONST, #n, #n, (long long)(n), 0 },
#define ABI_CONST_AS(o, h)	{ ABI_K_CONST, #o, #h, (long long)(h), 0 },
#define ABI_CONST_VAL(o, v)	{ ABI_K_CONST, #o, #v, (long long)(v), 0 },
#define ABI_TYPE(o, h)		{ ABI_K_TYPE, #o, #h, sizeof(h), _Alignof(h) },
#define ABI_FIELD(o, h, of, hf)						\
	{ ABI_K_FIELD, #o "." #of, #h "." #hf, offsetof(h, hf),		\
	    sizeof(((h *)0)->hf) },

const struct abi_entry abi_host[] = {
#include "abi_list.h"
};
const unsigned int abi_host_count = sizeof(abi_host) / sizeof(abi_host[0]);
