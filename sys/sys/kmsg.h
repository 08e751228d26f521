/*
 * The kernel log (kern/kern_kmsg.c): every line the kernel prints
 * (kprintf, klog) is also kept as a record in a ring buffer, which
 * /dev/kmsg (1:11) and syslog(2) read, as Linux's printk buffer.
 *
 * A record is one line: a sequence number (0, 1, 2... for the life of
 * the system), the time since boot in microseconds, a priority
 * (facility << 3 | level, <sys/abi/syslog.h>) and its text without the
 * newline.  When the ring is full the oldest records go; a reader that
 * still wanted one of them learns it (EPIPE on /dev/kmsg).
 *
 * Lock order: cons_lock (kprintf's), then kmsg_lock, then callout_lock
 * and poll_lock.  Nothing under kmsg_lock prints.
 */
#ifndef _SYS_KMSG_H_
#define _SYS_KMSG_H_

#include <sys/types.h>

/*
 * kprintf's feed (kern/subr_prf.c): one more character of the message
 * being printed; a newline ends the record.  Called with cons_lock held
 * (through cons_output_lock), from any context; takes kmsg_lock.
 */
void	kmsg_putc(int c);

/*
 * Register /dev/kmsg (character device 1:11, mode 0644, as Linux and
 * Debian's udev rules have it).  Called by mem_cdev_init at boot; a
 * failure is logged.
 */
void	kmsg_cdev_init(void);

#endif /* _SYS_KMSG_H_ */
