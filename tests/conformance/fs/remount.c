/*
 * mount(2) MS_REMOUNT|MS_RDONLY of a tmpfs while files are open: EBUSY
 * while any file on that filesystem is open for writing (through a dup,
 * in a child after fork, an O_TMPFILE file, a shared writable mapping of
 * a closed descriptor), fine with files open only for reading or with
 * O_PATH, or with a private mapping of a file open for reading, or
 * open for writing on another mount below it; a refused
 * remount leaves the mount writable.
 */
#include <sys/mman.h>
#include <sys/wait.h>

#include "fs.h"

/* Remount "m" read-only; the errno (0: done, and back to read-write). */
static int
remount_ro(void)
{
	if (mount(NULL, "m", NULL, MS_REMOUNT | MS_RDONLY, NULL) != 0)
		return errno;
	if (mount(NULL, "m", NULL, MS_REMOUNT, NULL) != 0)
		tap_bail("remount read-write: %s", tap_errname(errno));
	return 0;
}

int
main(int argc, char **argv)
{
	int fd, fd2, p[2], status;
	char *map;
	pid_t pid;

	(void)argc;
	conf_init(argv);
	fs_setup("remount", NULL);

	is_success(mkdir("m", 0755), "mkdir(2) a mount point");
	is_success(mount("m", "m", "tmpfs", 0, NULL), "mount(2) a tmpfs");
	fs_mkfile("m/f", "data");
	is_long(remount_ro(), 0, "mount(2) MS_REMOUNT|MS_RDONLY of an idle "
	    "tmpfs works");

	fd = open("m/f", O_RDONLY);
	is_long(remount_ro(), 0, "mount(2): a file open for reading only does "
	    "not keep it writable");
	close(fd);
	fd = open("m/f", O_PATH | O_RDWR);
	is_long(remount_ro(), 0, "mount(2): an O_PATH file is no writer");
	close(fd);

	fd = open("m/f", O_WRONLY);
	fd2 = dup(fd);
	close(fd);
	is_long(remount_ro(), EBUSY, "mount(2): a dup of a file open for "
	    "writing keeps it busy (EBUSY)");
	is_long(write(fd2, "x", 1), 1, "write(2): the refused remount left the "
	    "mount writable");
	close(fd2);
	is_long(remount_ro(), 0, "mount(2): works once the last descriptor "
	    "is closed");

	mkdir("m/sub", 0755);
	fd = open("m/sub/g", O_RDWR | O_CREAT, 0644);
	is_long(remount_ro(), EBUSY, "mount(2): a writer anywhere in the "
	    "filesystem is EBUSY");
	close(fd);

	/* A writer in a child, after the parent closed its descriptor. */
	if (pipe(p) != 0)
		tap_bail("pipe: %s", tap_errname(errno));
	fd = open("m/f", O_WRONLY);
	if ((pid = fork()) == 0) {
		char c;

		close(p[1]);
		(void)read(p[0], &c, 1);
		_exit(0);
	}
	close(p[0]);
	close(fd);
	is_long(remount_ro(), EBUSY, "mount(2): a descriptor inherited by a "
	    "child keeps it busy");
	close(p[1]);
	waitpid(pid, &status, 0);
	is_long(remount_ro(), 0, "mount(2): works once the child exited");

	fd = open("m", O_TMPFILE | O_RDWR, 0600);
	cmp_long(fd, ">=", 0, "open(2) O_TMPFILE in the mount");
	is_long(remount_ro(), EBUSY, "mount(2): an O_TMPFILE file is a "
	    "writer");
	close(fd);

	/* A writer on the filesystem mounted below is not one of m's. */
	is_success(mount("inner", "m/sub", "tmpfs", 0, NULL),
	    "mount(2) another tmpfs below it");
	fd = open("m/sub/h", O_WRONLY | O_CREAT, 0644);
	is_long(remount_ro(), 0, "mount(2): a writer on another mount does "
	    "not count");
	close(fd);
	is_success(umount("m/sub"), "umount2(2) the inner tmpfs");

	/* A shared writable mapping holds the file open for writing. */
	fd = open("m/f", O_RDWR);
	map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ok(map != MAP_FAILED, "mmap(2) MAP_SHARED read-write");
	close(fd);
	is_long(remount_ro(), EBUSY, "mount(2): a shared writable mapping of a "
	    "closed descriptor keeps it busy");
	munmap(map, 4096);
	fd = open("m/f", O_RDONLY);
	map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	ok(map != MAP_FAILED, "mmap(2) MAP_PRIVATE read-write of a read-only "
	    "descriptor");
	close(fd);
	is_long(remount_ro(), 0, "mount(2): a private mapping of a file open "
	    "for reading is no writer");
	munmap(map, 4096);

	is_success(umount("m"), "umount2(2)");
	fs_done();
	return done_testing();
}
