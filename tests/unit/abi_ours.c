/*
 * tests/unit/abi_list.h evaluated against EclipseOS's sys/sys/abi/
 * headers (and nothing of the C library, whose names would clash).
 */
#include <sys/abi/auxv.h>
#include <sys/abi/close_range.h>
#include <sys/abi/elfcore.h>
#include <sys/abi/errno.h>
#include <sys/abi/eventfd.h>
#include <sys/abi/eventpoll.h>
#include <sys/abi/fcntl.h>
#include <sys/abi/futex.h>
#include <sys/abi/ioctl.h>
#include <sys/abi/ipc.h>
#include <sys/abi/memfd.h>
#include <sys/abi/mman.h>
#include <sys/abi/mqueue.h>
#include <sys/abi/msg.h>
#include <sys/abi/openat2.h>
#include <sys/abi/pidfd.h>
#include <sys/abi/poll.h>
#include <sys/abi/prctl.h>
#include <sys/abi/random.h>
#include <sys/abi/reboot.h>
#include <sys/abi/resource.h>
#include <sys/abi/rtc.h>
#include <sys/abi/sched.h>
#include <sys/abi/sem.h>
#include <sys/abi/shm.h>
#include <sys/abi/signal.h>
#include <sys/abi/signalfd.h>
#include <sys/abi/socket.h>
#include <sys/abi/stat.h>
#include <sys/abi/sysinfo.h>
#include <sys/abi/syslog.h>
#include <sys/abi/termios.h>
#include <sys/abi/time.h>
#include <sys/abi/timerfd.h>
#include <sys/abi/times.h>
#include <sys/abi/uio.h>
#include <sys/abi/utsname.h>
#include <sys/abi/wait.h>

#include "abi_test.h"

#define ABI_GROUP(f)		{ ABI_K_GROUP, f, f, 0, 0 },
#define ABI_CONST(n)		{ ABI_K_CONST, #n, #n, (long long)(n), 0 },
#define ABI_CONST_AS(o, h)	{ ABI_K_CONST, #o, #h, (long long)(o), 0 },
#define ABI_CONST_VAL(o, v)	{ ABI_K_CONST, #o, #v, (long long)(o), 0 },
#define ABI_TYPE(o, h)		{ ABI_K_TYPE, #o, #h, sizeof(o), _Alignof(o) },
#define ABI_FIELD(o, h, of, hf)						\
	{ ABI_K_FIELD, #o "." #of, #h "." #hf, offsetof(o, of),		\
	    sizeof(((o *)0)->of) },

const struct abi_entry abi_ours[] = {
#include "abi_list.h"
};
const unsigned int abi_ours_count = sizeof(abi_ours) / sizeof(abi_ours[0]);
