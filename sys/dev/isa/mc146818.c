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
 * Locking: attach runs once during boot, before the scheduler; the CMOS
 * ports are used by no one else.
 */
#include <sys/acpi.h>
#include <sys/clock.h>
#include <sys/device.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>

#include <dev/acpi/acpireg.h>
#include <dev/isa/mc146818reg.h>

#define RTC_TRIES	5	/* attempts at two equal reads */
#define RTC_UIP_WAIT_US	10000	/* UIP lasts at most ~2 ms */

/*
 * Locks protecting members of this struct:
 *	B	set by attach during boot, read-only afterwards
 */
struct rtc_softc {
	uint16_t	sc_port;	/* [B] index port */
	uint8_t		sc_century_reg;	/* [B] CMOS index, 0: none */
	int64_t		sc_boot_time;	/* [B] seconds since 1970 */
};

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
	struct rtc_regs r1, r2;
	struct rtc_time rt;
	uint8_t regb;
	int64_t t;
	int i, error;

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

	if ((error = rtc_read_regs(sc, &r1)) < 0)
		goto fail;
	for (i = 0; i < RTC_TRIES; i++) {
		if ((error = rtc_read_regs(sc, &r2)) < 0)
			goto fail;
		if (memcmp(&r1, &r2, sizeof(r1)) == 0)
			break;
		r1 = r2;
	}
	if (i == RTC_TRIES) {
		error = -EIO;
		goto fail;
	}
	regb = rtc_read(sc, MC_REGB);
	if ((t = rtc_decode(sc, &r1, regb, &rt)) < 0) {
		error = (int)t;
		goto fail;
	}
	sc->sc_boot_time = t;
	clock_set_boot_realtime(t);
	kprintf("rtc%d: %04d-%02d-%02d %02d:%02d:%02d UTC%s\n", dv->dv_unit,
	    rt.rt_year, rt.rt_mon, rt.rt_day, rt.rt_hour, rt.rt_min, rt.rt_sec,
	    sc->sc_century_reg != 0 ? "" : " (century assumed)");
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
