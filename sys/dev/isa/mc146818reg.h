/*
 * The Motorola MC146818 real-time clock and its CMOS RAM, as every PC
 * chipset still provides it: an index port (0x70 on the PC; bit 7 of the
 * index byte masks NMI) and a data port right after it.  Register numbers
 * and bits from the MC146818A datasheet; the century byte's index comes
 * from the ACPI FADT (ACPI 6.4, 5.2.9, field CENTURY).
 */
#ifndef _DEV_ISA_MC146818REG_H_
#define _DEV_ISA_MC146818REG_H_

#define MC_INDEX_OFF	0	/* from the device's first port */
#define MC_DATA_OFF	1
#define MC_NMI_MASK	0x80	/* in the index byte: mask NMI */

#define MC_SEC		0x00
#define MC_MIN		0x02
#define MC_HOUR		0x04	/* 12-hour mode: bit 7 is PM */
#define MC_DOW		0x06
#define MC_DOM		0x07
#define MC_MONTH	0x08
#define MC_YEAR		0x09	/* two digits */
#define MC_REGA		0x0a
#define MC_REGB		0x0b
#define MC_REGC		0x0c
#define MC_REGD		0x0d

#define MC_REGA_UIP	0x80	/* update in progress: do not read */
#define MC_REGB_SET	0x80	/* updates inhibited */
#define MC_REGB_DM	0x04	/* 1: binary, 0: BCD */
#define MC_REGB_24H	0x02	/* 1: 24-hour, 0: 12-hour */
#define MC_REGD_VRT	0x80	/* valid RAM and time: the battery is good */
#define MC_HOUR_PM	0x80

#endif /* _DEV_ISA_MC146818REG_H_ */
