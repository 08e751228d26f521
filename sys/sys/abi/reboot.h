/*
 * reboot(2)'s magic numbers and commands (uapi linux/reboot.h).  The
 * first magic must be LINUX_REBOOT_MAGIC1, the second one of the four
 * MAGIC2 values (dates in hexadecimal), or the call is EINVAL.  Includes
 * nothing.
 */
#ifndef _SYS_ABI_REBOOT_H_
#define _SYS_ABI_REBOOT_H_

#define LINUX_REBOOT_MAGIC1		0xfee1dead
#define LINUX_REBOOT_MAGIC2		672274793	/* 0x28121969 */
#define LINUX_REBOOT_MAGIC2A		85072278	/* 0x05121996 */
#define LINUX_REBOOT_MAGIC2B		369367448	/* 0x16041998 */
#define LINUX_REBOOT_MAGIC2C		537993216	/* 0x20112000 */

#define LINUX_REBOOT_CMD_RESTART	0x01234567	/* reset now */
#define LINUX_REBOOT_CMD_HALT		0xCDEF0123	/* stop the machine */
#define LINUX_REBOOT_CMD_CAD_ON		0x89ABCDEF	/* C-A-D resets */
#define LINUX_REBOOT_CMD_CAD_OFF	0x00000000	/* ... signals init */
#define LINUX_REBOOT_CMD_POWER_OFF	0x4321FEDC	/* power off now */
#define LINUX_REBOOT_CMD_RESTART2	0xA1B2C3D4	/* reset, a string */
#define LINUX_REBOOT_CMD_SW_SUSPEND	0xD000FCE2	/* hibernate */
#define LINUX_REBOOT_CMD_KEXEC		0x45584543	/* a loaded kernel */

#endif /* _SYS_ABI_REBOOT_H_ */
