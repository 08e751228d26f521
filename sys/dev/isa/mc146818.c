/*
 * The CMOS real-time clock (PNP0B00): read once when it attaches, to give
 * the kernel its wall-clock time (clock_set_boot_realtime).
 *
 * The clock updates its registers once a second, which takes up to about
 * 2 ms; register A's UIP bit is set shortly before and during that time.
 * A read that straddles an update can mix two seconds (23:59:59 and then
 * 00:00:00 of the next day give 00:59:59 of the wrong day), so we wait for
 * UIP to be clear, read everything, and repeat until two reads agree.
 * The values are BCD or binary and the hour 12- or 24-hour, as register B
 * says.  The clock keeps only two year digits; the century is in the CMOS
 * byte the FADT names, else we assume 20xx.
 *
 * /dev/rtc0 gives programs (BusyBox hwclock) Linux's RTC_RD_TIME and
 * RTC_SET_TIME ioctls (uapi linux/rtc.h; rtc(4)): one opener at a time
 * (EBUSY), setting for root only (EACCES, as Linux without
 * CAP_SYS_TIME).  Its major is 254, the first number Linux hands out to
 * a driver that asks for a dynamic one (the search goes down from 254),
 * which the rtc class is here, the only such driver; programs find the
 * clock by its name.  Mode 0600, root's, as Debian's udev leaves it.
 * Reads of the device (waiting for the clock's interrupts) and alarms
 * are not supported: EINVAL, with a log line.
 *
 * Locking: attach runs once during boot, before the scheduler; after it,
 * rtc_lock (a sleep mutex) serializes the CMOS ports, which no one else
 * uses, and the one-opener flag.
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/rtc.h>
#include <sys/abi/stat.h>
#include <sys/acpi.h>
#include <sys/clock.h>
#include <sys/device.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <machine/cpufunc.h>

#include <dev/acpi/acpireg.h>
#include <dev/isa/mc146818reg.h>

#include <fs/devfs/devfs.h>

#define RTC_TRIES	5	/* attempts at two equal reads */
#define RTC_UIP_WAIT_US	10000	/* UIP lasts at most ~2 ms */
#define RTC_MAJOR	254	/* see above */

/*
 * Locks protecting members of this struct:
 *	B	set by attach during boot, read-only afterwards
 *	l	rtc_lock
 */
struct rtc_softc {
	uint16_t	sc_port;	/* [B] index port */
	uint8_t		sc_century_reg;	/* [B] CMOS index, 0: none */
	int64_t		sc_boot_time;	/* [B] seconds since 1970 */
	bool		sc_open;	/* [l] /dev/rtc0 is open */
};

static struct mutex rtc_lock = MUTEX_INIT("rtc");
static struct rtc_softc *rtc_dev_sc;	/* [B] the clock of /dev/rtc0 */

/* The raw registers of one read. */
struct rtc_regs {
	uint8_t		rr_sec, rr_min, rr_hour, rr_dom, rr_month, rr_year;
	uint8_t		rr_century;
};

static uint8_t
rtc_read(struct rtc_softc *sc, uint8_t reg)
{
	outb(sc->sc_port + MC_INDEX_OFF, reg);
	return inb(sc->sc_port + MC_DATA_OFF);
}

/* Wait until no update is in progress; false after RTC_UIP_WAIT_US. */
static bool
rtc_wait_uip(struct rtc_softc *sc)
{
	int us;

	for (us = 0; us < RTC_UIP_WAIT_US; us += 10) {
		if (!(rtc_read(sc, MC_REGA) & MC_REGA_UIP))
			return true;
		delay_us(10);
	}
	return false;
}

static int
rtc_read_regs(struct rtc_softc *sc, struct rtc_regs *rr)
{
	if (!rtc_wait_uip(sc))
		return -ETIMEDOUT;
	rr->rr_sec = rtc_read(sc, MC_SEC);
	rr->rr_min = rtc_read(sc, MC_MIN);
	rr->rr_hour = rtc_read(sc, MC_HOUR);
	rr->rr_dom = rtc_read(sc, MC_DOM);
	rr->rr_month = rtc_read(sc, MC_MONTH);
	rr->rr_year = rtc_read(sc, MC_YEAR);
	rr->rr_century = sc->sc_century_reg != 0 ?
	    rtc_read(sc, sc->sc_century_reg) : 0;
	return 0;
}

/* A BCD byte to binary; -EINVAL if a digit is not 0-9. */
static int
rtc_bcd(uint8_t v)
{
	if ((v & 0x0f) > 9 || (v >> 4) > 9)
		return -EINVAL;
	return (v >> 4) * 10 + (v & 0x0f);
}

static int
rtc_val(uint8_t v, bool binary)
{
	return binary ? v : rtc_bcd(v);
}

/* A decoded date and time. */
struct rtc_time {
	int		rt_year, rt_mon, rt_day, rt_hour, rt_min, rt_sec;
};

/*
 * Decode one consistent read into *rt and seconds since 1970, or -EIO when
 * a digit or the date is invalid.
 */
static int64_t
rtc_decode(struct rtc_softc *sc, const struct rtc_regs *rr, uint8_t regb,
    struct rtc_time *rt)
{
	bool binary = (regb & MC_REGB_DM) != 0;
	bool pm = false;
	int year, century, hour;
	int64_t t;

	hour = rr->rr_hour;
	if (!(regb & MC_REGB_24H)) {
		pm = (hour & MC_HOUR_PM) != 0;
		hour &= ~MC_HOUR_PM;
	}
	hour = rtc_val((uint8_t)hour, binary);
	if (!(regb & MC_REGB_24H) && hour >= 1 && hour <= 12)
		hour = hour % 12 + (pm ? 12 : 0);	/* 12 AM is 0 */
	year = rtc_val(rr->rr_year, binary);
	century = sc->sc_century_reg != 0 ?
	    rtc_val(rr->rr_century, binary) : 20;
	rt->rt_year = century * 100 + year;
	rt->rt_mon = rtc_val(rr->rr_month, binary);
	rt->rt_day = rtc_val(rr->rr_dom, binary);
	rt->rt_hour = hour;
	rt->rt_min = rtc_val(rr->rr_min, binary);
	rt->rt_sec = rtc_val(rr->rr_sec, binary);
	/* Invalid BCD digits gave -EINVAL, which the range checks refuse. */
	t = year < 0 || century < 0 ? -EINVAL :
	    clock_ymdhms_to_unix(rt->rt_year, rt->rt_mon, rt->rt_day,
	    rt->rt_hour, rt->rt_min, rt->rt_sec);
	if (t < 0) {
		kprintf("rtc: invalid time: %02x%02x-%02x-%02x %02x:%02x:%02x "
		    "(register B 0x%02x)\n", rr->rr_century, rr->rr_year,
		    rr->rr_month, rr->rr_dom, rr->rr_hour, rr->rr_min,
		    rr->rr_sec, regb);
		return -EIO;
	}
	return t;
}

/*
 * Read the clock: two equal reads in a row, decoded into *rt.  Returns
 * seconds since 1970, or -ETIMEDOUT or -EIO (see rtc_attach).  Boot, or
 * rtc_lock held.
 */
static int64_t
rtc_read_time(struct rtc_softc *sc, struct rtc_time *rt)
{
	struct rtc_regs r1, r2;
	int i, error;

	if ((error = rtc_read_regs(sc, &r1)) < 0)
		return error;
	for (i = 0; i < RTC_TRIES; i++) {
		if ((error = rtc_read_regs(sc, &r2)) < 0)
			return error;
		if (memcmp(&r1, &r2, sizeof(r1)) == 0)
			break;
		r1 = r2;
	}
	if (i == RTC_TRIES)
		return -EIO;
	return rtc_decode(sc, &r1, rtc_read(sc, MC_REGB), rt);
}

static void
rtc_write(struct rtc_softc *sc, uint8_t reg, uint8_t v)
{
	outb(sc->sc_port + MC_INDEX_OFF, reg);
	outb(sc->sc_port + MC_DATA_OFF, v);
}

/* v (0-99) as the clock keeps it: binary or BCD. */
static uint8_t
rtc_enc(int v, bool binary)
{
	return binary ? (uint8_t)v : (uint8_t)(((v / 10) << 4) | (v % 10));
}

/*
 * Set the clock to rt, an already valid date, in the clock's own format
 * (register B): updates are inhibited (SET) while the registers are
 * written, so the clock restarts from the new second.  Returns 0, or
 * -EINVAL for a year the clock cannot hold.  rtc_lock held.
 */
static int
rtc_set_time(struct rtc_softc *sc, const struct rtc_time *rt, int wday)
{
	uint8_t regb = rtc_read(sc, MC_REGB), hour;
	bool binary = (regb & MC_REGB_DM) != 0;

	if (sc->sc_century_reg == 0 && rt->rt_year / 100 != 20) {
		klog("rtc", "the clock has no century: only 2000-2099 can be "
		    "set, not %d", rt->rt_year);
		return -EINVAL;
	}
	if (regb & MC_REGB_24H) {
		hour = rtc_enc(rt->rt_hour, binary);
	} else {
		/* 0 is 12 AM, 12 is 12 PM. */
		hour = rtc_enc(rt->rt_hour % 12 == 0 ? 12 : rt->rt_hour % 12,
		    binary);
		if (rt->rt_hour >= 12)
			hour |= MC_HOUR_PM;
	}
	rtc_write(sc, MC_REGB, regb | MC_REGB_SET);
	rtc_write(sc, MC_SEC, rtc_enc(rt->rt_sec, binary));
	rtc_write(sc, MC_MIN, rtc_enc(rt->rt_min, binary));
	rtc_write(sc, MC_HOUR, hour);
	rtc_write(sc, MC_DOW, rtc_enc(wday + 1, binary));	/* Sunday 1 */
	rtc_write(sc, MC_DOM, rtc_enc(rt->rt_day, binary));
	rtc_write(sc, MC_MONTH, rtc_enc(rt->rt_mon, binary));
	rtc_write(sc, MC_YEAR, rtc_enc(rt->rt_year % 100, binary));
	if (sc->sc_century_reg != 0)
		rtc_write(sc, sc->sc_century_reg, rtc_enc(rt->rt_year / 100,
		    binary));
	rtc_write(sc, MC_REGB, regb & ~MC_REGB_SET);
	return 0;
}

/* RTC_RD_TIME: the clock as struct rtc_time (tm_year from 1900). */
static long
rtc_ioctl_read(struct rtc_softc *sc, void __user *arg)
{
	struct l_rtc_time tm;
	struct rtc_time rt;
	int64_t t, days;

	mtx_lock(&rtc_lock);
	t = rtc_read_time(sc, &rt);
	mtx_unlock(&rtc_lock);
	if (t < 0)
		return t;
	days = t / 86400;
	memset(&tm, 0, sizeof(tm));
	tm.tm_sec = rt.rt_sec;
	tm.tm_min = rt.rt_min;
	tm.tm_hour = rt.rt_hour;
	tm.tm_mday = rt.rt_day;
	tm.tm_mon = rt.rt_mon - 1;
	tm.tm_year = rt.rt_year - 1900;
	tm.tm_wday = (int)((days + 4) % 7);	/* 1970-01-01: Thursday */
	tm.tm_yday = (int)(days - clock_ymdhms_to_unix(rt.rt_year, 1, 1, 0,
	    0, 0) / 86400);
	return copyout(&tm, arg, sizeof(tm));
}

/*
 * RTC_SET_TIME: root only (-EACCES), a valid date (-EINVAL: as Linux's
 * rtc_valid_tm, and within the years kern_time.c converts, 1970-2199).
 */
static long
rtc_ioctl_set(struct rtc_softc *sc, const void __user *arg)
{
	struct l_rtc_time tm;
	struct rtc_time rt;
	int64_t t;
	long error;

	if (curproc->p_euid != 0)
		return -EACCES;
	if ((error = copyin(arg, &tm, sizeof(tm))) < 0)
		return error;
	if (tm.tm_year < 70 || tm.tm_year > 2199 - 1900)
		return -EINVAL;		/* before the addition can overflow */
	rt.rt_year = tm.tm_year + 1900;
	rt.rt_mon = tm.tm_mon + 1;
	rt.rt_day = tm.tm_mday;
	rt.rt_hour = tm.tm_hour;
	rt.rt_min = tm.tm_min;
	rt.rt_sec = tm.tm_sec;
	if ((t = clock_ymdhms_to_unix(rt.rt_year, rt.rt_mon, rt.rt_day,
	    rt.rt_hour, rt.rt_min, rt.rt_sec)) < 0)
		return -EINVAL;
	mtx_lock(&rtc_lock);
	error = rtc_set_time(sc, &rt, (int)((t / 86400 + 4) % 7));
	mtx_unlock(&rtc_lock);
	return error;
}

static long
rtc_file_ioctl(struct file *fp, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case RTC_RD_TIME:
		return rtc_ioctl_read(fp->f_data, (void __user *)arg);
	case RTC_SET_TIME:
		return rtc_ioctl_set(fp->f_data, (const void __user *)arg);
	default:
		return -ENOTTY;
	}
}

/* Reading waits for the clock's interrupts, which are not supported. */
static long
rtc_file_read(struct file *fp, struct uio *uio)
{
	(void)fp;
	(void)uio;
	klog("rtc", "pid %d: reading /dev/rtc0 (interrupts) is not "
	    "supported", curproc->p_pid);
	return -EINVAL;
}

static void
rtc_file_close(struct file *fp)
{
	struct rtc_softc *sc = fp->f_data;

	mtx_lock(&rtc_lock);
	sc->sc_open = false;
	mtx_unlock(&rtc_lock);
}

/* fstat: /dev/rtc0's number and mode. */
static int
rtc_file_stat(struct file *fp, struct l_stat *st)
{
	(void)fp;
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0600;
	st->st_nlink = 1;
	st->st_rdev = DEV_ENCODE(MKDEV(RTC_MAJOR, 0));
	st->st_blksize = 4096;
	return 0;
}

static const struct fileops rtc_fileops = {
	.fo_name = "rtc",
	.fo_read = rtc_file_read,
	.fo_ioctl = rtc_file_ioctl,
	.fo_close = rtc_file_close,
	.fo_seek = NULL,	/* Linux's rtc has no position: ESPIPE */
	.fo_stat = rtc_file_stat,
};

/* Open /dev/rtc0: one opener at a time (-EBUSY), as Linux. */
static int
rtc_dev_open(uint32_t dev, int flags, struct file **fpp)
{
	struct rtc_softc *sc = rtc_dev_sc;

	(void)dev;
	mtx_lock(&rtc_lock);
	if (sc->sc_open) {
		mtx_unlock(&rtc_lock);
		return -EBUSY;
	}
	sc->sc_open = true;
	mtx_unlock(&rtc_lock);
	if ((*fpp = file_alloc(&rtc_fileops, sc, flags & ~(O_CREAT | O_EXCL |
	    O_NOCTTY | O_TRUNC | O_CLOEXEC))) == NULL) {
		mtx_lock(&rtc_lock);
		sc->sc_open = false;
		mtx_unlock(&rtc_lock);
		return -ENOMEM;
	}
	return 0;
}

static const struct cdevsw rtc_cdevsw = {
	.d_name = "rtc",
	.d_open = rtc_dev_open,
};

/* Make sc the clock of /dev/rtc0 (attach, at boot). */
static void
rtc_dev_attach(struct rtc_softc *sc)
{
	int error;

	rtc_dev_sc = sc;
	if ((error = cdev_register(MKDEV(RTC_MAJOR, 0), &rtc_cdevsw)) < 0 ||
	    (error = devfs_create("rtc0", 0600, VCHR,
	    MKDEV(RTC_MAJOR, 0))) < 0)
		kprintf("rtc: no /dev/rtc0 (error %d)\n", error);
}

/*
 * Is there a clock?  The FADT may say there is none; otherwise register D
 * must read as the MC146818's (bits 6-0 always zero), not as the 0xff of
 * an empty port.
 */
static int
rtc_probe(struct device *dv)
{
	const struct acpi_fadt *f = acpi_find_table(ACPI_SIG_FADT, 0);
	struct rtc_softc probe_sc = { .sc_port = dv->dv_ioport };

	if (f != NULL && ACPI_FADT_HAS(f->fadt_hdr.sdt_length,
	    fadt_iapc_boot_arch) &&
	    (f->fadt_iapc_boot_arch & ACPI_IAPC_CMOS_RTC_ABSENT)) {
		kprintf("rtc: the FADT says there is no CMOS clock\n");
		return -ENODEV;
	}
	if (dv->dv_ioport == 0 ||
	    (rtc_read(&probe_sc, MC_REGD) & ~MC_REGD_VRT) != 0) {
		kprintf("rtc: no MC146818 at port %#x\n", dv->dv_ioport);
		return -ENODEV;
	}
	return 0;
}

/*
 * Read the time, consistently, and make it the kernel's wall-clock time.
 * Returns 0, or -ETIMEDOUT (stuck in an update) or -EIO (the clock lost
 * power or is stopped, no two equal reads, or an invalid date).
 */
static int
rtc_attach(struct device *dv)
{
	struct rtc_softc *sc = dv->dv_softc;
	const struct acpi_fadt *f = acpi_find_table(ACPI_SIG_FADT, 0);
	struct rtc_time rt;
	int64_t t;
	int error;

	sc->sc_port = dv->dv_ioport;
	/* Only an index into the user bytes of CMOS RAM makes sense. */
	if (f != NULL && ACPI_FADT_HAS(f->fadt_hdr.sdt_length, fadt_century) &&
	    f->fadt_century > MC_REGD && f->fadt_century < MC_NMI_MASK)
		sc->sc_century_reg = f->fadt_century;
	if (!(rtc_read(sc, MC_REGD) & MC_REGD_VRT)) {
		kprintf("rtc%d: the clock lost power: its time is invalid\n",
		    dv->dv_unit);
		error = -EIO;
		goto fail;
	}
	if (rtc_read(sc, MC_REGB) & MC_REGB_SET) {
		kprintf("rtc%d: the clock is stopped (register B SET)\n",
		    dv->dv_unit);
		error = -EIO;
		goto fail;
	}

	if ((t = rtc_read_time(sc, &rt)) < 0) {
		error = (int)t;
		goto fail;
	}
	sc->sc_boot_time = t;
	clock_set_boot_realtime(t);
	kprintf("rtc%d: %04d-%02d-%02d %02d:%02d:%02d UTC%s\n", dv->dv_unit,
	    rt.rt_year, rt.rt_mon, rt.rt_day, rt.rt_hour, rt.rt_min, rt.rt_sec,
	    sc->sc_century_reg != 0 ? "" : " (century assumed)");
	if (dv->dv_unit == 0)
		rtc_dev_attach(sc);
	return 0;
fail:
	kprintf("rtc%d: cannot read the clock (%d)\n", dv->dv_unit, error);
	return error;
}

static const char *const rtc_hids[] = { "PNP0B00", NULL };

static struct driver rtc_driver = {
	.drv_name = "rtc",
	.drv_bus = BUS_ISA,
	.drv_hids = rtc_hids,
	.drv_softc_size = sizeof(struct rtc_softc),
	.drv_probe = rtc_probe,
	.drv_attach = rtc_attach,
};
DRIVER(rtc_driver);
