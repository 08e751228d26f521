/*
 * devfs: /dev (sys/fs/devfs/devfs.c).
 *
 * As Linux's devtmpfs, /dev is a tmpfs into which drivers put the nodes
 * of their devices: the filesystem type "devtmpfs" is a tmpfs instance
 * (fs/tmpfs/ does all the work) whose root is 0755 and which, when
 * mounted, already holds every node drivers asked for.  Drivers call
 * devfs_create() when they attach, before or after /dev is mounted:
 * devfs remembers the nodes and makes them in every devtmpfs mount, the
 * one at /dev that devfs_init() makes at boot and any a user mounts
 * later.  Users may then mknod, chmod and rm in it as in any tmpfs; a
 * node a user removed stays removed.
 *
 * Device numbers and modes follow Linux and Debian's udev rules; the
 * drivers' files list theirs (dev/mem/mem.c, kern/tty_dev.c,
 * dev/isa/mc146818.c).
 */
#ifndef _FS_DEVFS_DEVFS_H_
#define _FS_DEVFS_DEVFS_H_

#include <sys/types.h>
#include <sys/vnode.h>

#define DEVFS_NAME_MAX	64	/* a node's path under /dev, with the NUL */

/*
 * Make the node name (a path relative to /dev such as "null" or
 * "input/event0"; missing directories are made 0755) of type VCHR or
 * VBLK, permission bits mode and device number dev (MKDEV), owned by
 * root, in every devtmpfs mount now and later.  Sleeps (devfs_lock).
 * Returns 0, -EINVAL for a bad name or type, -EEXIST when a driver
 * already made that name, -ENOMEM.
 */
int	devfs_create(const char *name, uint32_t mode, enum vtype type,
	    uint32_t dev);

/*
 * At boot, once the root is unpacked: register "devtmpfs", set up the
 * devices every system has (memory devices, the console's names), make
 * /dev if it is missing and mount devtmpfs there.  Returns 0 or a
 * negative errno (logged).
 */
int	devfs_init(void);

/* dev/mem/mem.c: null, zero, full, random and urandom (major 1). */
void	mem_cdev_init(void);

/* kern/tty_dev.c: /dev/console, tty, tty0-tty4 (the virtual consoles). */
void	tty_dev_init(void);
/*
 * kern/tty_dev.c: the 16550 UART at iobase attached (dev/ic/ns16550.c):
 * give it its Linux name, ttyS0 to ttyS3 by the PC's port order
 * (0x3f8, 0x2f8, 0x3e8, 0x2e8).  Returns 0, or -ENODEV for a port at
 * another address (no node).
 */
int	tty_dev_uart_attach(uint16_t iobase);

#endif /* _FS_DEVFS_DEVFS_H_ */
