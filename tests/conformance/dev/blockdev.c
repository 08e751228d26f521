/*
 * Block devices (open(2) of a VBLK node, read, write, lseek, fsync and
 * the ioctls of linux/fs.h): fstat says S_ISBLK; BLKGETSIZE64 agrees
 * with lseek(SEEK_END) and with BLKGETSIZE in 512-byte sectors;
 * BLKSSZGET is a power of two from 512 to 4096; bytes written at an
 * unaligned offset read back, with their neighbours untouched; fsync
 * succeeds; a read at the end returns 0 and a write there is ENOSPC.
 * BLKROGET says 0; BLKROSET (root only: EACCES for nobody) makes it 1,
 * and then write(2) is EPERM while open(2) for writing and read(2)
 * still work, until BLKROSET 0.  The flag outlives the file (on Linux
 * even the loop device's detach), so the program clears it again.
 *
 * It writes, so it only runs on a scratch disk: the block device named
 * in /proc/partitions whose first bytes are the label "EclipseOS scratch
 * disk\n".  Without one every case is skipped.  The tag below makes
 * both runners give it one: run.py on the host a loop device over a
 * labelled 8 MiB file (as root), the conformance system group a virtio
 * disk of the same.
 */
/* conformance: scratchdisk */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "dev.h"

/* linux/fs.h, which musl's headers do not have. */
#define BLKROSET	_IO(0x12, 93)
#define BLKROGET	_IO(0x12, 94)
#define BLKGETSIZE	_IO(0x12, 96)
#define BLKSSZGET	_IO(0x12, 104)
#define BLKGETSIZE64	_IOR(0x12, 114, size_t)

#define NCASES	23
#define LABEL	"EclipseOS scratch disk\n"

/* The scratch disk's path in buf, or 0 when there is none. */
static int
find_scratch(char *path, size_t len)
{
	char line[256], name[64], head[sizeof(LABEL) - 1];
	unsigned int ma, mi;
	unsigned long long kib;
	FILE *f;
	int fd, found = 0;

	if ((f = fopen("/proc/partitions", "r")) == NULL)
		return 0;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%u %u %llu %63s", &ma, &mi, &kib, name) != 4)
			continue;
		snprintf(path, len, "/dev/%s", name);
		if ((fd = open(path, O_RDONLY)) < 0)
			continue;
		found = read(fd, head, sizeof(head)) == (ssize_t)sizeof(head) &&
		    memcmp(head, LABEL, sizeof(head)) == 0;
		close(fd);
	}
	fclose(f);
	return found;
}

static int blk_fd;

/* As nobody: BLKROSET is EACCES, BLKROGET still works (child). */
static void
nobody_roset(void *arg)
{
	int ro = 0;

	(void)arg;
	conf_drop_privileges();
	if (ioctl(blk_fd, BLKROSET, &ro) == 0)
		_exit(1);
	if (errno != EACCES)
		_exit(2);
	_exit(ioctl(blk_fd, BLKROGET, &ro) == 0 && ro == 1 ? 0 : 3);
}

/* BLKROGET and BLKROSET on the scratch disk fd (named path). */
static void
ro_cases(int fd, const char *path)
{
	char buf[512], head[512];
	int ro = -1, one = 1, zero = 0, fd2, r;

	memset(buf, 0x5a, sizeof(buf));
	r = ioctl(fd, BLKROGET, &ro);
	ok(r == 0 && ro == 0, "BLKROGET: the scratch disk is read-write "
	    "(%d)", ro);
	is_errno(ioctl(fd, BLKROGET, (int *)8), EFAULT, "BLKROGET to a "
	    "bad address is EFAULT");
	is_errno(ioctl(fd, BLKROSET, (int *)8), EFAULT, "BLKROSET from a "
	    "bad address is EFAULT");
	is_success(ioctl(fd, BLKROSET, &one), "ioctl BLKROSET 1");
	ro = -1;
	r = ioctl(fd, BLKROGET, &ro);
	ok(r == 0 && ro == 1, "BLKROGET then says read-only (%d)", ro);
	is_errno(pwrite(fd, buf, sizeof(buf), 8192), EPERM, "pwrite(2) to "
	    "a read-only block device is EPERM");
	ok(pread(fd, head, sizeof(head), 0) == (ssize_t)sizeof(head) &&
	    memcmp(head, LABEL, sizeof(LABEL) - 1) == 0, "pread(2) of a "
	    "read-only block device works");
	fd2 = open(path, O_WRONLY);
	ok(fd2 >= 0, "open(2) for writing still succeeds (%s)",
	    fd2 < 0 ? tap_errname(errno) : "ok");
	if (fd2 >= 0) {
		is_errno(write(fd2, buf, sizeof(buf)), EPERM, "write(2) "
		    "through it is EPERM");
		close(fd2);
	} else
		skip(1, "no second descriptor");
	blk_fd = fd;
	is_exit(conf_in_child(nobody_roset, NULL), 0, "BLKROSET as nobody "
	    "is EACCES, BLKROGET works");
	is_success(ioctl(fd, BLKROSET, &zero), "ioctl BLKROSET 0");
	ok(ioctl(fd, BLKROGET, &ro) == 0 && ro == 0 &&
	    pwrite(fd, buf, sizeof(buf), 8192) == (ssize_t)sizeof(buf),
	    "then the device is read-write again and pwrite(2) works");
}

int
main(int argc, char **argv)
{
	char path[80], buf[4096], back[4096];
	unsigned long nsect = 0;
	uint64_t size = 0;
	struct stat st;
	off_t end;
	int fd, ssz = 0, i;

	(void)argc;
	conf_init(argv);
	if (!find_scratch(path, sizeof(path))) {
		skip(NCASES, "no scratch block device here (see the comment "
		    "in tests/conformance/dev/blockdev.c)");
		return done_testing();
	}
	fd = dev_open(path, O_RDWR);
	ok(fstat(fd, &st) == 0 && S_ISBLK(st.st_mode), "fstat(2): %s is a "
	    "block device", path);
	is_success(ioctl(fd, BLKGETSIZE64, &size), "ioctl BLKGETSIZE64");
	end = lseek(fd, 0, SEEK_END);
	ok(end > 0 && (uint64_t)end == size, "lseek(SEEK_END) is the size "
	    "BLKGETSIZE64 gives (%lld, %llu)", (long long)end,
	    (unsigned long long)size);
	ok(ioctl(fd, BLKGETSIZE, &nsect) == 0 && (uint64_t)nsect * 512 ==
	    size, "BLKGETSIZE counts 512-byte sectors");
	is_success(ioctl(fd, BLKSSZGET, &ssz), "ioctl BLKSSZGET");
	ok(ssz >= 512 && ssz <= 4096 && (ssz & (ssz - 1)) == 0,
	    "BLKSSZGET is a sector size (%d)", ssz);
	for (i = 0; i < (int)sizeof(buf); i++)
		buf[i] = (char)(i * 13 + 5);
	ok(pwrite(fd, buf, 1000, 65536 + 77) == 1000, "pwrite(2) of 1000 "
	    "bytes at an unaligned offset");
	memset(back, 0, sizeof(back));
	ok(pread(fd, back, 1200, 65536 - 23) == 1200 &&
	    memcmp(back + 100, buf, 1000) == 0, "pread(2) reads them back "
	    "at the same offset");
	is_success(fsync(fd), "fsync(2) of a block device");
	ok(lseek(fd, 0, SEEK_END) == end && read(fd, back, 512) == 0,
	    "read(2) at the end returns 0");
	is_errno(write(fd, buf, 512), ENOSPC, "write(2) at the end is "
	    "ENOSPC");
	ro_cases(fd, path);
	close(fd);
	return done_testing();
}
