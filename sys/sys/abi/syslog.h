/*
 * syslog(2)'s actions (the kernel's include/linux/syslog.h, which is not
 * exported as uapi; syslog(2) lists the numbers) and the log levels and
 * facilities of a /dev/kmsg record's priority (syslog(3), glibc's
 * sys/syslog.h).  Includes nothing.
 */
#ifndef _SYS_ABI_SYSLOG_H_
#define _SYS_ABI_SYSLOG_H_

#define SYSLOG_ACTION_CLOSE		0	/* nothing */
#define SYSLOG_ACTION_OPEN		1	/* nothing */
#define SYSLOG_ACTION_READ		2	/* wait, take unread text */
#define SYSLOG_ACTION_READ_ALL		3	/* the newest text that fits */
#define SYSLOG_ACTION_READ_CLEAR	4	/* READ_ALL, then CLEAR */
#define SYSLOG_ACTION_CLEAR		5	/* READ_ALL starts after now */
#define SYSLOG_ACTION_CONSOLE_OFF	6
#define SYSLOG_ACTION_CONSOLE_ON	7
#define SYSLOG_ACTION_CONSOLE_LEVEL	8	/* len: the level, 1..8 */
#define SYSLOG_ACTION_SIZE_UNREAD	9	/* bytes READ would return */
#define SYSLOG_ACTION_SIZE_BUFFER	10	/* the log's size */

/* A record's priority is facility << 3 | level. */
#define LOG_EMERG	0
#define LOG_ALERT	1
#define LOG_CRIT	2
#define LOG_ERR		3
#define LOG_WARNING	4
#define LOG_NOTICE	5
#define LOG_INFO	6
#define LOG_DEBUG	7
#define LOG_PRIMASK	0x07
#define LOG_KERN	(0 << 3)
#define LOG_USER	(1 << 3)

#endif /* _SYS_ABI_SYSLOG_H_ */
