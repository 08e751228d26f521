/*
 * proc(5): /proc/meminfo's cache fields follow the memory they count.
 * A file written into a tmpfs of its own is page cache and shared
 * memory: Cached and Shmem grow by its size, and give it back when it is
 * truncated and removed; a shared anonymous mapping counts in Shmem too;
 * sysinfo(2)'s sharedram and bufferram are Shmem and Buffers.  Needs
 * root (mount).  Other programs' memory moves meanwhile on a busy host,
 * so the bounds leave room: Shmem within a MiB, Cached within half the
 * file (Linux may reclaim other cache while the file is written).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "conf.h"
#include "proc.h"

#define FILE_KB		8192	/* the file's size */
#define SLACK_KB	1024	/* what others may change meanwhile */

static char buf[8192];

/* The field key of /proc/meminfo now, in kB; bails out without it. */
static long
meminfo(const char *key)
{
	long v;

	if (slurp("/proc/meminfo", buf, sizeof(buf)) <= 0)
		bail_out("read /proc/meminfo: %s", tap_errname(errno));
	if ((v = field(buf, key)) < 0)
		bail_out("/proc/meminfo has no %s", key);
	return v;
}

int
main(int argc, char **argv)
{
	static char block[64 * 1024];
	char dir[64], path[96];
	struct sysinfo si;
	long cached, shmem, c2, s2, d;
	unsigned char *p;
	int fd, i;

	(void)argc;
	conf_init(argv);
	if (mkdir("/tmp", 01777) != 0 && errno != EEXIST)
		bail_out("mkdir /tmp: %s", tap_errname(errno));
	snprintf(dir, sizeof(dir), "/tmp/conf-meminfo-%d", (int)getpid());
	snprintf(path, sizeof(path), "%s/f", dir);
	if (mkdir(dir, 0755) != 0)
		bail_out("mkdir %s: %s", dir, tap_errname(errno));
	if (mount("conf-meminfo", dir, "tmpfs", 0, NULL) != 0)
		bail_out("mount tmpfs on %s: %s", dir, tap_errname(errno));

	cmp_long(meminfo("Buffers:"), ">=", 0, "proc(5): Buffers");
	cmp_long(meminfo("Cached:"), ">=", meminfo("Shmem:") - SLACK_KB,
	    "proc(5): Cached includes Shmem (tmpfs and shared memory)");
	cmp_long(meminfo("MemAvailable:"), "<=", meminfo("MemTotal:"),
	    "proc(5): MemAvailable <= MemTotal");

	cached = meminfo("Cached:");
	shmem = meminfo("Shmem:");
	memset(block, 'c', sizeof(block));
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		bail_out("create %s: %s", path, tap_errname(errno));
	for (i = 0; i < FILE_KB / 64; i++)
		if (write(fd, block, sizeof(block)) != (ssize_t)sizeof(block))
			bail_out("write %s: %s", path, tap_errname(errno));
	c2 = meminfo("Cached:");
	s2 = meminfo("Shmem:");
	cmp_long(s2 - shmem, ">=", FILE_KB - SLACK_KB, "proc(5): Shmem grows "
	    "by the %d kB written into a tmpfs file", FILE_KB);
	cmp_long(s2 - shmem, "<=", FILE_KB + SLACK_KB, "proc(5): ... and not "
	    "by much more");
	cmp_long(c2 - cached, ">=", FILE_KB / 2, "proc(5): Cached grows with "
	    "the tmpfs file");

	is_success(ftruncate(fd, 4096), "ftruncate the file to one page");
	d = s2 - meminfo("Shmem:");
	cmp_long(d, ">=", FILE_KB - 4 - SLACK_KB, "proc(5): truncating the "
	    "file gives its pages back (Shmem)");
	close(fd);
	is_success(unlink(path), "unlink the file");

	shmem = meminfo("Shmem:");
	p = mmap(NULL, (size_t)FILE_KB * 1024, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		bail_out("mmap: %s", tap_errname(errno));
	for (i = 0; i < FILE_KB / 4; i++)
		p[(size_t)i * CONF_PAGE] = 1;
	s2 = meminfo("Shmem:");
	cmp_long(s2 - shmem, ">=", FILE_KB - SLACK_KB, "proc(5): touching "
	    "%d kB of shared anonymous memory grows Shmem", FILE_KB);
	ok(sysinfo(&si) == 0, "sysinfo");
	d = (long)(si.sharedram * si.mem_unit / 1024) - meminfo("Shmem:");
	cmp_long(d < 0 ? -d : d, "<=", SLACK_KB, "sysinfo(2): sharedram is "
	    "Shmem");
	d = (long)(si.bufferram * si.mem_unit / 1024) - meminfo("Buffers:");
	cmp_long(d < 0 ? -d : d, "<=", SLACK_KB, "sysinfo(2): bufferram is "
	    "Buffers");
	munmap(p, (size_t)FILE_KB * 1024);
	cmp_long(s2 - meminfo("Shmem:"), ">=", FILE_KB - SLACK_KB,
	    "proc(5): unmapping it gives the pages back");

	if (umount2(dir, MNT_DETACH) != 0)
		diag("umount2 %s: %s", dir, tap_errname(errno));
	if (rmdir(dir) != 0)
		diag("rmdir %s: %s", dir, tap_errname(errno));
	return done_testing();
}
