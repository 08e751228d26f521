/*
 * read(2), write(2), lseek(2) (SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA,
 * SEEK_HOLE, ENXIO, EINVAL, ESPIPE), truncate(2) and ftruncate(2)
 * growing with zeros and shrinking, fallocate(2), fsync(2), on tmpfs.
 */
#include <sys/stat.h>

#include "fs.h"

int
main(int argc, char **argv)
{
	char buf[8192], zeros[8192];
	struct stat st;
	int fd, p[2];

	(void)argc;
	conf_init(argv);
	fs_setup("rw", NULL);
	memset(zeros, 0, sizeof(zeros));

	fd = open("f", O_RDWR | O_CREAT, 0644);
	is_long(write(fd, "0123456789", 10), 10, "write(2) 10 bytes");
	is_long(lseek(fd, 0, SEEK_CUR), 10, "lseek(2): SEEK_CUR after write");
	is_long(read(fd, buf, 10), 0, "read(2) at the end of file returns 0");
	is_long(lseek(fd, 2, SEEK_SET), 2, "lseek(2): SEEK_SET");
	is_long(read(fd, buf, 3), 3, "read(2) from the offset");
	is_mem(buf, "234", 3, "read(2): the bytes at the offset");
	is_long(lseek(fd, -1, SEEK_END), 9, "lseek(2): SEEK_END - 1");
	is_long(lseek(fd, -2, SEEK_CUR), 7, "lseek(2): SEEK_CUR backwards");
	is_errno(lseek(fd, -11, SEEK_END), EINVAL,
	    "lseek(2): a negative resulting offset is EINVAL");
	is_long(lseek(fd, 0, SEEK_CUR), 7,
	    "lseek(2): a failed seek leaves the offset alone");
	is_errno(lseek(fd, 0, 5), EINVAL,
	    "lseek(2): an unknown whence is EINVAL");
	is_long(pread(fd, buf, 4, 6), 4, "pread(2) at offset 6");
	is_mem(buf, "6789", 4, "pread(2): the bytes at offset 6");
	is_long(lseek(fd, 0, SEEK_CUR), 7, "pread(2) leaves the offset alone");
	is_long(pwrite(fd, "AB", 2, 1), 2, "pwrite(2) at offset 1");
	is_long(pread(fd, buf, 10, 0), 10, "pread(2) of the whole file");
	is_mem(buf, "0AB3456789", 10, "pwrite(2) wrote at its offset");
	is_errno(pread(fd, buf, 1, -1), EINVAL,
	    "pread(2): a negative offset is EINVAL");

	/* Writing past the end leaves zeros in between. */
	is_long(lseek(fd, 20000, SEEK_SET), 20000,
	    "lseek(2) past the end of file is allowed");
	is_long(fstat(fd, &st) == 0 ? st.st_size : -1, 10,
	    "lseek(2) past the end does not change the size");
	is_long(write(fd, "end", 3), 3, "write(2) past the end of file");
	is_long(fstat(fd, &st) == 0 ? st.st_size : -1, 20003,
	    "write(2) past the end grows the file");
	is_long(pread(fd, buf, 8192, 10), 8192, "pread(2) of the gap");
	is_mem(buf, zeros, 8192, "write(2): the gap reads as zeros");

	/* SEEK_DATA and SEEK_HOLE on a file with no holes. */
	is_long(lseek(fd, 0, SEEK_DATA), 0,
	    "lseek(2): SEEK_DATA at data is the same offset");
	is_long(lseek(fd, 20002, SEEK_DATA), 20002,
	    "lseek(2): SEEK_DATA at the last byte");
	is_errno(lseek(fd, 20003, SEEK_DATA), ENXIO,
	    "lseek(2): SEEK_DATA at the end of file is ENXIO");
	is_errno(lseek(fd, 20003, SEEK_HOLE), ENXIO,
	    "lseek(2): SEEK_HOLE at the end of file is ENXIO");
	is_errno(lseek(fd, -1, SEEK_DATA), ENXIO,
	    "lseek(2): SEEK_DATA at a negative offset is ENXIO");
	is_long(lseek(fd, 19000, SEEK_HOLE), 20003,
	    "lseek(2): SEEK_HOLE in the last data is the end of file");
	close(fd);

	/* A sparse file: tmpfs keeps the holes. */
	fd = open("sparse", O_RDWR | O_CREAT, 0644);
	is_long(pwrite(fd, "x", 1, 3 * 4096), 1,
	    "pwrite(2) one byte at 12288 of an empty file");
	is_long(lseek(fd, 0, SEEK_DATA), 3 * 4096,
	    "lseek(2): SEEK_DATA skips the hole tmpfs keeps before the data");
	is_long(lseek(fd, 0, SEEK_HOLE), 0,
	    "lseek(2): SEEK_HOLE at a hole is the same offset");
	close(fd);

	/* truncate and ftruncate */
	fd = open("t", O_RDWR | O_CREAT, 0644);
	write(fd, "abcdef", 6);
	is_success(ftruncate(fd, 3), "ftruncate(2) shrinking to 3");
	is_long(fstat(fd, &st) == 0 ? st.st_size : -1, 3,
	    "ftruncate(2): the new size");
	is_success(ftruncate(fd, 6000), "ftruncate(2) growing to 6000");
	is_long(pread(fd, buf, 6000, 0), 6000, "pread(2) of the grown file");
	ok(memcmp(buf, "abc", 3) == 0 && memcmp(buf + 3, zeros, 5997) == 0,
	    "ftruncate(2): the old bytes, then zeros (not the cut \"def\")");
	is_long(lseek(fd, 0, SEEK_CUR), 6,
	    "ftruncate(2) does not move the offset");
	is_success(truncate("t", 1), "truncate(2) by name");
	is_long(stat("t", &st) == 0 ? st.st_size : -1, 1,
	    "truncate(2): the new size");
	is_errno(ftruncate(fd, -1), EINVAL,
	    "ftruncate(2): a negative length is EINVAL");
	is_errno(truncate("t", -1), EINVAL,
	    "truncate(2): a negative length is EINVAL");
	is_errno(truncate(".", 0), EISDIR, "truncate(2): a directory is "
	    "EISDIR");
	is_errno(truncate("none", 0), ENOENT,
	    "truncate(2): a missing file is ENOENT");
	close(fd);
	fd = open("t", O_RDONLY);
	is_errno(ftruncate(fd, 0), EINVAL,
	    "ftruncate(2): a descriptor not open for writing is EINVAL");
	is_errno(fallocate(fd, 0, 0, 10), EBADF,
	    "fallocate(2): a descriptor not open for writing is EBADF");
	close(fd);
	is_errno(ftruncate(fd, 0), EBADF, "ftruncate(2): a closed fd is EBADF");
	fd = open("t", O_RDWR);
	is_success(fallocate(fd, 0, 0, 5000), "fallocate(2) mode 0");
	is_long(fstat(fd, &st) == 0 ? st.st_size : -1, 5000,
	    "fallocate(2): mode 0 grows the file");
	is_success(fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 9000),
	    "fallocate(2) with FALLOC_FL_KEEP_SIZE");
	is_long(fstat(fd, &st) == 0 ? st.st_size : -1, 5000,
	    "fallocate(2): KEEP_SIZE keeps the size");
	is_errno(fallocate(fd, 0, 0, 0), EINVAL,
	    "fallocate(2): a length of 0 is EINVAL");
	is_success(fsync(fd), "fsync(2) of a tmpfs file");
	is_success(fdatasync(fd), "fdatasync(2) of a tmpfs file");
	close(fd);

	/* ESPIPE and EBADF */
	is_success(pipe(p), "pipe(2)");
	is_errno(lseek(p[0], 0, SEEK_SET), ESPIPE,
	    "lseek(2): a pipe is ESPIPE");
	is_errno(pread(p[0], buf, 1, 0), ESPIPE,
	    "pread(2): a pipe is ESPIPE");
	is_errno(fsync(p[1]), EINVAL, "fsync(2): a pipe is EINVAL");
	close(p[0]);
	close(p[1]);
	is_errno(lseek(p[0], 0, SEEK_SET), EBADF,
	    "lseek(2): a closed descriptor is EBADF");
	is_errno(read(p[0], buf, 1), EBADF,
	    "read(2): a closed descriptor is EBADF");
	fd = open("f", O_RDONLY);
	is_errno(read(fd, (void *)1, 10), EFAULT,
	    "read(2) into address 1 is EFAULT");
	close(fd);
	fd = open("f", O_WRONLY);
	is_errno(write(fd, (void *)1, 10), EFAULT,
	    "write(2) from address 1 is EFAULT");
	close(fd);
	fs_done();
	return done_testing();
}
