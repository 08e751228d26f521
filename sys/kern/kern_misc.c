/*
 * System identity and state: uname(2), sethostname(2), setdomainname(2),
 * sysinfo(2), umask(2) and reboot(2).
 *
 * Locks protecting the variables below:
 *	u	uts_lock (a spin lock; never held across copyin/copyout)
 *	a	none: changed with atomic operations
 */
#include <sys/abi/reboot.h>
#include <sys/abi/sysinfo.h>
#include <sys/abi/utsname.h>
#include <sys/buf.h>
#include <sys/clock.h>
#include <sys/errno.h>
#include <sys/lock.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/version.h>
#include <sys/vm_object.h>
#include <sys/vm_phys.h>

#include <machine/cpu.h>

#include <sysproto.h>

#include <fs/procfs/procfs.h>

#define UTS_SYSNAME	"EclipseOS"
#define UTS_RELEASE	ECLIPSE_VERSION
#define UTS_VERSION	"#1 EclipseOS " UTS_RELEASE
#define UTS_MACHINE	"x86_64"
#define UTS_UNSET	"(none)"	/* Linux's name before one is set */
#define REBOOT_CMD_MAX	256		/* RESTART2's string, with its NUL */

static struct spinlock uts_lock = SPINLOCK_INIT("uts");
static struct l_utsname uts = {			/* [u] */
	.sysname = UTS_SYSNAME,
	.nodename = UTS_UNSET,
	.release = UTS_RELEASE,
	.version = UTS_VERSION,
	.machine = UTS_MACHINE,
	.domainname = UTS_UNSET,
};
static int reboot_cad_on = 1;			/* [a] LINUX_REBOOT_CMD_CAD_* */

/* Linux: CAP_SYS_ADMIN, CAP_SYS_BOOT; for EclipseOS, euid 0. */
static bool
misc_is_root(void)
{
	struct proc *p = curproc;

	return p != NULL && p->p_euid == 0;
}

/* uname(2): the system's names into *buf.  -EFAULT for a bad buf. */
long
sys_uname(struct l_utsname __user *buf)
{
	struct l_utsname u;

	spin_lock(&uts_lock);
	u = uts;
	spin_unlock(&uts_lock);
	return copyout(&u, buf, sizeof(u));
}

/*
 * Set one uts field from user memory, as Linux does: root only
 * (-EPERM, checked first), len 0..64 (-EINVAL), the bytes copied as
 * they are and the rest of the field zeroed; -EFAULT for a bad name.
 */
static long
misc_set_uts(char *field, const char __user *name, int len)
{
	char tmp[L_UTS_LEN];
	int error;

	if (!misc_is_root())
		return -EPERM;
	if (len < 0 || len > L_UTS_LEN)
		return -EINVAL;
	if (len > 0 && (error = copyin(name, tmp, (size_t)len)) < 0)
		return error;
	spin_lock(&uts_lock);
	memcpy(field, tmp, (size_t)len);
	memset(field + len, 0, L_UTS_LEN + 1 - (size_t)len);
	spin_unlock(&uts_lock);
	return 0;
}

/* sethostname(2): see misc_set_uts.  Takes uts_lock. */
long
sys_sethostname(const char __user *name, int len)
{
	return misc_set_uts(uts.nodename, name, len);
}

/*
 * procfs's /proc/sys/kernel/hostname: the node name into buf (len bytes,
 * NUL-terminated), and setting it from a kernel string of len bytes as
 * sethostname(2) does (root: the caller checked; -EINVAL past 64 bytes).
 * Take uts_lock.
 */
void
misc_hostname_get(char *buf, size_t len)
{
	spin_lock(&uts_lock);
	strlcpy(buf, uts.nodename, len);
	spin_unlock(&uts_lock);
}

int
misc_hostname_set(const char *name, size_t len)
{
	if (len > L_UTS_LEN)
		return -EINVAL;
	spin_lock(&uts_lock);
	memcpy(uts.nodename, name, len);
	memset(uts.nodename + len, 0, L_UTS_LEN + 1 - len);
	spin_unlock(&uts_lock);
	return 0;
}

/* setdomainname(2): see misc_set_uts.  Takes uts_lock. */
long
sys_setdomainname(const char __user *name, int len)
{
	return misc_set_uts(uts.domainname, name, len);
}

/*
 * sysinfo(2): uptime (whole seconds, rounded up as Linux does), memory
 * in bytes (mem_unit 1, as Linux reports on 64-bit): sharedram and
 * bufferram are /proc/meminfo's Shmem and Buffers; the process count.
 * EclipseOS has no swap and no high memory (0).
 * The load averages have SI_LOAD_SHIFT (16) fraction bits.  -EFAULT for
 * a bad info.
 */
long
sys_sysinfo(struct l_sysinfo __user *info)
{
	struct l_sysinfo si;
	struct buf_stats bs;
	uint64_t up = clock_monotonic_ns();
	int n;

	memset(&si, 0, sizeof(si));
	si.uptime = (long)(up / 1000000000ULL + (up % 1000000000ULL != 0));
	si.totalram = vm_phys_total_pages() * PAGE_SIZE;
	si.freeram = vm_phys_free_pages() * PAGE_SIZE;
	si.sharedram = vm_object_shmem_pages() * PAGE_SIZE;
	buf_stats(&bs);
	si.bufferram = bs.bs_bytes;
	sched_loadavg(si.loads, 16);
	n = proc_count();
	si.procs = (unsigned short)MIN(n, 0xffff);
	si.mem_unit = 1;
	return copyout(&si, info, sizeof(si));
}

/*
 * umask(2): set the file-creation mask to mask & 0777; returns the old
 * one.  Never fails for a process (-ESRCH only for a kernel thread).
 */
long
sys_umask(int mask)
{
	struct proc *p = curproc;
	uint32_t old;

	if (p == NULL)
		return -ESRCH;
	old = p->p_umask;
	p->p_umask = (uint32_t)mask & 0777;
	return old;
}

/* The second reboot magic: one of four dates. */
static bool
reboot_magic2_ok(unsigned int magic2)
{
	return magic2 == LINUX_REBOOT_MAGIC2 ||
	    magic2 == LINUX_REBOOT_MAGIC2A ||
	    magic2 == LINUX_REBOOT_MAGIC2B ||
	    magic2 == LINUX_REBOOT_MAGIC2C;
}

/*
 * reboot(2), in Linux's order (kernel/reboot.c): not root is -EPERM, bad
 * magic -EINVAL, then the command.  POWER_OFF and HALT power the machine
 * off through ACPI (cpu_poweroff; if that fails, the CPU halts, which is
 * what Linux's halt does anyway); RESTART and RESTART2 (whose string is
 * logged; -EFAULT if it cannot be read) reset it (cpu_reset).  CAD_ON and
 * CAD_OFF record what Ctrl-Alt-Del should do (nothing reads it until a
 * keyboard driver does).  KEXEC and SW_SUSPEND are not supported: -EINVAL
 * with a log line, as in a Linux built without them.  The machine-stopping
 * commands do not return.
 */
long
sys_reboot(int magic1, int magic2, unsigned int cmd, void __user *arg)
{
	char buf[REBOOT_CMD_MAX];
	int error;

	if (!misc_is_root())
		return -EPERM;
	if ((unsigned int)magic1 != LINUX_REBOOT_MAGIC1 ||
	    !reboot_magic2_ok((unsigned int)magic2))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_CAD_ON:
		__atomic_store_n(&reboot_cad_on, 1, __ATOMIC_RELAXED);
		return 0;
	case LINUX_REBOOT_CMD_CAD_OFF:
		__atomic_store_n(&reboot_cad_on, 0, __ATOMIC_RELAXED);
		return 0;
	case LINUX_REBOOT_CMD_RESTART2:
		memset(buf, 0, sizeof(buf));
		if ((error = copyinstr(arg, buf, sizeof(buf), NULL)) < 0 &&
		    error != -ENAMETOOLONG)
			return -EFAULT;
		buf[sizeof(buf) - 1] = '\0';
		klog("reboot", "restarting system with command '%s'", buf);
		cpu_reset();
		break;
	case LINUX_REBOOT_CMD_RESTART:
		klog("reboot", "restarting system");
		cpu_reset();
		break;
	case LINUX_REBOOT_CMD_HALT:
	case LINUX_REBOOT_CMD_POWER_OFF:
		klog("reboot", "power down");
		cpu_poweroff();
		klog("reboot", "power-off failed: system halted");
		break;
	case LINUX_REBOOT_CMD_KEXEC:
	case LINUX_REBOOT_CMD_SW_SUSPEND:
		klog("reboot", "command %#x (%s) is not supported", cmd,
		    cmd == LINUX_REBOOT_CMD_KEXEC ? "kexec" : "suspend");
		return -EINVAL;
	default:
		return -EINVAL;
	}
	cpu_halt_forever();
}
