/*
 * The memory devices of Linux's major 1 (Documentation/admin-guide/
 * devices.txt of Linux gives the numbers, Debian's udev the modes):
 *
 *	/dev/null	1:3	0666	reads end of file, writes vanish
 *	/dev/zero	1:5	0666	reads zeros, writes vanish
 *	/dev/full	1:7	0666	reads zeros, writes fail with ENOSPC
 *	/dev/random	1:8	0666	the kernel's generator (kern_random.c);
 *	/dev/urandom	1:9	0666	  writes mix the bytes into it
 *
 * /dev/mem (1:1), /dev/port (1:4) and /dev/kmem are left out: nothing
 * needs user access to physical memory or I/O ports.  /dev/kmsg (1:11),
 * the kernel log, is kern/kern_kmsg.c's; mem_cdev_init registers it.
 *
 * Each open is a new struct file whose f_data is the device number.  As
 * on Linux, none keeps a position: lseek always returns 0 and pread and
 * pwrite behave as read and write.  A write to null or zero succeeds
 * without touching the buffer, as Linux's does.  The files have no
 * state, so need no lock; random's has its own (kern_random.c).
 */
#include <sys/abi/fcntl.h>
#include <sys/abi/stat.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/kmsg.h>
#include <sys/random.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <fs/devfs/devfs.h>

#define MEM_MAJOR	1
#define MEM_NULL	3
#define MEM_ZERO	5
#define MEM_FULL	7
#define MEM_RANDOM	8
#define MEM_URANDOM	9
#define MEM_CHUNK	256

static char mem_zeros[MEM_CHUNK];	/* [I] never written */

static uint32_t
mem_dev(struct file *fp)
{
	return (uint32_t)(uintptr_t)fp->f_data;
}

/* Reads of /dev/null: always end of file. */
static long
mem_read_null(struct file *fp, struct uio *uio)
{
	(void)fp;
	(void)uio;
	return 0;
}

/* Writes to /dev/null and /dev/zero: all of it, untouched. */
static long
mem_write_null(struct file *fp, struct uio *uio)
{
	(void)fp;
	return (long)uio->uio_resid;
}

/* Reads of /dev/zero and /dev/full: zeros, a chunk at a time. */
static long
mem_read_zero(struct file *fp, struct uio *uio)
{
	long done = 0, n;

	(void)fp;
	while (uio->uio_resid > 0) {
		n = uio_move(mem_zeros, MIN(uio->uio_resid, sizeof(mem_zeros)),
		    uio);
		if (n <= 0)
			return done > 0 ? done : n;
		done += n;
	}
	return done;
}

/* Writes to /dev/full: the disk is always full. */
static long
mem_write_full(struct file *fp, struct uio *uio)
{
	(void)fp;
	(void)uio;
	return -ENOSPC;
}

/*
 * Reads of /dev/random and /dev/urandom: the kernel's generator never
 * blocks once seeded, and seeds itself on first use, so both are the
 * same (as on Linux since 5.6).
 */
static long
mem_read_random(struct file *fp, struct uio *uio)
{
	uint8_t buf[MEM_CHUNK];
	long done = 0, n;
	size_t len;

	(void)fp;
	while (uio->uio_resid > 0) {
		len = MIN(uio->uio_resid, sizeof(buf));
		random_bytes(buf, len);
		n = uio_move(buf, len, uio);
		if (n <= 0) {
			if (done == 0)
				done = n;
			break;
		}
		done += n;
	}
	memset(buf, 0, sizeof(buf));
	return done;
}

/* Writes to /dev/random and /dev/urandom: mixed into the generator. */
static long
mem_write_random(struct file *fp, struct uio *uio)
{
	uint8_t buf[MEM_CHUNK];
	long done = 0, n;

	(void)fp;
	while (uio->uio_resid > 0) {
		n = uio_move(buf, MIN(uio->uio_resid, sizeof(buf)), uio);
		if (n <= 0) {
			if (done == 0)
				done = n;
			break;
		}
		random_add_entropy(buf, (size_t)n);
		done += n;
	}
	memset(buf, 0, sizeof(buf));
	return done;
}

/* lseek: these devices have no position; every seek lands on 0. */
static off_t
mem_seek(struct file *fp, off_t offset, int whence)
{
	(void)offset;
	(void)whence;
	fp->f_offset = 0;
	return 0;
}

/* fstat: the character device, owned by root, 0666. */
static int
mem_stat(struct file *fp, struct l_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0666;
	st->st_nlink = 1;
	st->st_rdev = DEV_ENCODE(mem_dev(fp));
	st->st_blksize = 4096;
	return 0;
}

static const struct fileops mem_null_ops = {
	.fo_name = "null",
	.fo_read = mem_read_null,
	.fo_write = mem_write_null,
	.fo_seek = mem_seek,
	.fo_stat = mem_stat,
};

static const struct fileops mem_zero_ops = {
	.fo_name = "zero",
	.fo_read = mem_read_zero,
	.fo_write = mem_write_null,
	.fo_seek = mem_seek,
	.fo_stat = mem_stat,
};

static const struct fileops mem_full_ops = {
	.fo_name = "full",
	.fo_read = mem_read_zero,
	.fo_write = mem_write_full,
	.fo_seek = mem_seek,
	.fo_stat = mem_stat,
};

static const struct fileops mem_random_ops = {
	.fo_name = "random",
	.fo_read = mem_read_random,
	.fo_write = mem_write_random,
	.fo_seek = mem_seek,
	.fo_stat = mem_stat,
};

static const struct {
	const char		*md_name;
	uint32_t		 md_minor;
	const struct fileops	*md_ops;
} mem_devs[] = {
	{ "null",	MEM_NULL,	&mem_null_ops },
	{ "zero",	MEM_ZERO,	&mem_zero_ops },
	{ "full",	MEM_FULL,	&mem_full_ops },
	{ "random",	MEM_RANDOM,	&mem_random_ops },
	{ "urandom",	MEM_URANDOM,	&mem_random_ops },
};

/* Open one of them: a new file with its operations. */
static int
mem_open(uint32_t dev, int flags, struct file **fpp)
{
	size_t i;

	for (i = 0; i < nitems(mem_devs); i++) {
		if (MKDEV(MEM_MAJOR, mem_devs[i].md_minor) != dev)
			continue;
		*fpp = file_alloc(mem_devs[i].md_ops, (void *)(uintptr_t)dev,
		    flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC |
		    O_CLOEXEC));
		return *fpp != NULL ? 0 : -ENOMEM;
	}
	return -ENXIO;
}

static const struct cdevsw mem_cdevsw = {
	.d_name = "mem",
	.d_open = mem_open,
};

/*
 * Register the memory devices and their nodes (devfs_init, at boot).
 * A failure is logged; the device is then missing.
 */
void
mem_cdev_init(void)
{
	uint32_t dev;
	size_t i;
	int error;

	for (i = 0; i < nitems(mem_devs); i++) {
		dev = MKDEV(MEM_MAJOR, mem_devs[i].md_minor);
		if ((error = cdev_register(dev, &mem_cdevsw)) < 0 ||
		    (error = devfs_create(mem_devs[i].md_name, 0666, VCHR,
		    dev)) < 0)
			klog("mem", "no /dev/%s (error %d)",
			    mem_devs[i].md_name, error);
	}
	kmsg_cdev_init();
}
