/*
 * The PC keyboard controller (the Intel 8042 of the IBM PC/AT and its
 * PS/2 successors) and the keyboard behind it.  Two I/O ports: data at the
 * device's first port (0x60) and status/command four above it (0x64).
 * Facts from IBM's PS/2 Hardware Interface Technical Reference,
 * "Keyboard/Auxiliary Device Controller" and "Keyboards (101- and
 * 102-Key)"; the scan codes are those of scan code set 1, which is what the
 * controller hands us when translation is on.
 */
#ifndef _DEV_ISA_PCKBDREG_H_
#define _DEV_ISA_PCKBDREG_H_

#define KBC_DATA_OFF		0	/* read: output buffer; write: input */
#define KBC_CMD_OFF		4	/* read: status; write: command */
#define KBC_NPORTS		5

/* Status register. */
#define KBC_STS_OBF		0x01	/* output buffer full: read data */
#define KBC_STS_IBF		0x02	/* input buffer full: do not write */
#define KBC_STS_SYS		0x04	/* system flag (self-test passed) */
#define KBC_STS_CMD		0x08	/* last write was to the command port */
#define KBC_STS_UNLOCKED	0x10	/* keyboard not inhibited */
#define KBC_STS_AUXOBF		0x20	/* the data is the auxiliary port's */
#define KBC_STS_TIMEOUT		0x40
#define KBC_STS_PARITY		0x80

/* Controller commands, written to the command port. */
#define KBC_CMD_READ_CFG	0x20	/* the configuration byte -> data */
#define KBC_CMD_WRITE_CFG	0x60	/* data -> the configuration byte */
#define KBC_CMD_AUX_DISABLE	0xa7
#define KBC_CMD_SELFTEST	0xaa	/* answers KBC_SELFTEST_OK */
#define KBC_CMD_KBD_TEST	0xab	/* answers KBC_KBD_TEST_OK */
#define KBC_CMD_KBD_DISABLE	0xad
#define KBC_CMD_KBD_ENABLE	0xae

#define KBC_SELFTEST_OK		0x55
#define KBC_KBD_TEST_OK		0x00

/* The configuration ("command") byte. */
#define KBC_CFG_KBD_INT		0x01	/* IRQ 1 when keyboard data arrives */
#define KBC_CFG_AUX_INT		0x02	/* IRQ 12 for auxiliary data */
#define KBC_CFG_SYS		0x04
#define KBC_CFG_KBD_OFF		0x10	/* keyboard clock disabled */
#define KBC_CFG_AUX_OFF		0x20	/* auxiliary clock disabled */
#define KBC_CFG_XLATE		0x40	/* translate to scan code set 1 */

/* Keyboard commands, written to the data port, and its answers. */
#define KBD_CMD_SCANSET		0xf0	/* then the set: 1, 2 or 3 */
#define KBD_CMD_ENABLE		0xf4	/* start scanning */
#define KBD_CMD_DISABLE		0xf5	/* stop scanning, load defaults */
#define KBD_ACK			0xfa
#define KBD_RESEND		0xfe

/*
 * Scan code set 1.  A key's make code is below 0x80; its break code is the
 * make code with bit 7 set.  Some keys send KBD_SC_E0 first; Pause sends
 * KBD_SC_E1 1D 45 E1 9D C5 and nothing when released.
 */
#define KBD_SC_BREAK		0x80
#define KBD_SC_E0		0xe0
#define KBD_SC_E1		0xe1
#define KBD_SC_E1_LEN		2	/* bytes after E1 */

#define KBD_SC_ESC		0x01
#define KBD_SC_BACKSPACE	0x0e
#define KBD_SC_ENTER		0x1c	/* E0: the keypad's Enter */
#define KBD_SC_CTRL		0x1d	/* E0: right Ctrl */
#define KBD_SC_LSHIFT		0x2a	/* E0 2A: a "fake shift", ignored */
#define KBD_SC_SLASH		0x35	/* E0: the keypad's / */
#define KBD_SC_RSHIFT		0x36	/* E0 36: a "fake shift", ignored */
#define KBD_SC_ALT		0x38	/* E0: right Alt */
#define KBD_SC_SPACE		0x39
#define KBD_SC_CAPSLOCK		0x3a
#define KBD_SC_F1		0x3b	/* F1-F10: 0x3b-0x44 */
#define KBD_SC_F10		0x44
#define KBD_SC_F11		0x57
#define KBD_SC_F12		0x58
#define KBD_SC_NUMLOCK		0x45
/* The keypad; with E0 (or Num Lock off), the editing and arrow keys. */
#define KBD_SC_KP_HOME		0x47	/* 7 */
#define KBD_SC_KP_UP		0x48	/* 8 */
#define KBD_SC_KP_PGUP		0x49	/* 9 */
#define KBD_SC_KP_MINUS		0x4a
#define KBD_SC_KP_LEFT		0x4b	/* 4 */
#define KBD_SC_KP_5		0x4c
#define KBD_SC_KP_RIGHT		0x4d	/* 6 */
#define KBD_SC_KP_PLUS		0x4e
#define KBD_SC_KP_END		0x4f	/* 1 */
#define KBD_SC_KP_DOWN		0x50	/* 2 */
#define KBD_SC_KP_PGDN		0x51	/* 3 */
#define KBD_SC_KP_INS		0x52	/* 0 */
#define KBD_SC_KP_DEL		0x53	/* . */

#endif /* _DEV_ISA_PCKBDREG_H_ */
