/*
 * mmap(2) of a regular file: a MAP_SHARED mapping is the file's page
 * cache, so a store through it is what read(2) returns and a write(2) is
 * what the mapping shows; MAP_PRIVATE is copy-on-write over the file; the
 * errors of mmap and mprotect for descriptors; mremap keeps the file and
 * offset; a mapping keeps an unlinked, closed file alive.
 */
#include "mapfile.h"

#define P	CONF_PAGE

/* Shared mappings: coherence with read and write, both ways. */
static void
shared_cases(void)
{
	char *m, buf[8];
	int fd;

	fd = mf_make("shared", 3 * P, O_RDWR);
	m = mmap(NULL, 3 * P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (!ok(m != MAP_FAILED, "mmap(2): MAP_SHARED of a file open O_RDWR"))
		bail_out("mmap: %s", tap_errname(errno));
	ok(m[0] == MF_BYTE(0) && m[P + 7] == MF_BYTE(P + 7) &&
	    m[3 * P - 1] == MF_BYTE(3 * P - 1), "mmap(2): the mapping shows "
	    "the file's bytes");
	memcpy(m + P + 10, "STORE", 5);
	ok(pread(fd, buf, 5, P + 10) == 5 && memcmp(buf, "STORE", 5) == 0,
	    "mmap(2) MAP_SHARED: read(2) returns what was stored through the "
	    "mapping");
	ok(pwrite(fd, "WRITE", 5, 2 * P + 3) == 5 &&
	    memcmp(m + 2 * P + 3, "WRITE", 5) == 0, "mmap(2) MAP_SHARED: the "
	    "mapping shows what write(2) wrote");
	munmap(m, 3 * P);

	/* A second mapping at an offset sees the same pages. */
	m = mmap(NULL, P, PROT_READ, MAP_SHARED, fd, P);
	ok(m != MAP_FAILED && memcmp(m + 10, "STORE", 5) == 0, "mmap(2): a "
	    "mapping from offset one page starts at the file's second page");
	if (m != MAP_FAILED)
		munmap(m, P);
	close(fd);
}

/* Private mappings: reads see the file, writes stay in the process. */
static void
private_cases(void)
{
	char *m, buf[8];
	int fd;

	fd = mf_make("private", 2 * P, O_RDONLY);
	m = mmap(NULL, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (!ok(m != MAP_FAILED, "mmap(2): MAP_PRIVATE writable of a file "
	    "open O_RDONLY"))
		bail_out("mmap: %s", tap_errname(errno));
	ok(m[5] == MF_BYTE(5), "mmap(2) MAP_PRIVATE: reads see the file");
	memcpy(m, "PRIV", 4);
	ok(memcmp(m, "PRIV", 4) == 0 && m[4] == MF_BYTE(4), "mmap(2) "
	    "MAP_PRIVATE: the process sees its own store");
	ok(pread(fd, buf, 4, 0) == 4 && memcmp(buf, "abcd", 4) == 0,
	    "mmap(2) MAP_PRIVATE: the file does not change");
	close(fd);

	/* A page not written yet still follows the file (as on Linux). */
	fd = open("private", O_RDWR);
	ok(fd >= 0 && pwrite(fd, "NEW", 3, P) == 3 && pwrite(fd, "X", 1,
	    8) == 1, "write(2) to the privately mapped file");
	ok(memcmp(m + P, "NEW", 3) == 0, "mmap(2) MAP_PRIVATE: a page not "
	    "written shows later writes to the file");
	ok(m[8] == MF_BYTE(8), "mmap(2) MAP_PRIVATE: a written page does not");
	munmap(m, 2 * P);
	close(fd);
}

/* The errors of mmap(2) for descriptors, and mprotect(2)'s EACCES. */
static void
error_cases(void)
{
	int rd, wr, rw, dir, pfd[2], opath;
	char *m, c;

	rd = mf_make("err", P, O_RDONLY);
	wr = open("err", O_WRONLY);
	rw = open("err", O_RDWR);
	dir = open(".", O_RDONLY | O_DIRECTORY);
	opath = open("err", O_PATH);
	if (wr < 0 || rw < 0 || dir < 0 || opath < 0 || pipe(pfd) != 0)
		bail_out("open: %s", tap_errname(errno));

	is_errno((long)mmap(NULL, P, PROT_READ, MAP_SHARED, rd, 1), EINVAL,
	    "mmap(2): an offset that is not page-aligned is EINVAL");
	is_errno((long)mmap(NULL, P, PROT_READ, MAP_SHARED, 1000, 0), EBADF,
	    "mmap(2): a descriptor that is not open is EBADF");
	is_errno((long)mmap(NULL, P, PROT_READ, MAP_SHARED, opath, 0), EBADF,
	    "mmap(2): an O_PATH descriptor is EBADF");
	is_errno((long)mmap(NULL, P, PROT_READ, MAP_SHARED, dir, 0), ENODEV,
	    "mmap(2): a directory is ENODEV");
	is_errno((long)mmap(NULL, P, PROT_READ, MAP_SHARED, pfd[0], 0),
	    ENODEV, "mmap(2): a pipe is ENODEV");
	is_errno((long)mmap(NULL, P, PROT_READ, MAP_PRIVATE, wr, 0), EACCES,
	    "mmap(2): a descriptor open O_WRONLY is EACCES (MAP_PRIVATE)");
	is_errno((long)mmap(NULL, P, PROT_READ, MAP_SHARED, wr, 0), EACCES,
	    "mmap(2): a descriptor open O_WRONLY is EACCES (MAP_SHARED)");
	is_errno((long)mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_SHARED, rd,
	    0), EACCES, "mmap(2): MAP_SHARED with PROT_WRITE of a file open "
	    "O_RDONLY is EACCES");
	is_errno((long)mmap(NULL, P, PROT_READ, MAP_SHARED_VALIDATE |
	    MAP_SYNC, rw, 0), EOPNOTSUPP, "mmap(2): MAP_SHARED_VALIDATE with "
	    "a flag the file does not support (MAP_SYNC) is EOPNOTSUPP");
	m = mmap(NULL, P, PROT_READ, MAP_SHARED | MAP_SYNC, rw, 0);
	ok(m != MAP_FAILED, "mmap(2): plain MAP_SHARED ignores MAP_SYNC");
	if (m != MAP_FAILED)
		munmap(m, P);
	is_errno((long)mmap(NULL, 0, PROT_READ, MAP_SHARED, rd, 0), EINVAL,
	    "mmap(2): length 0 is EINVAL");
	is_errno((long)mmap(NULL, P, PROT_READ, MAP_SHARED | MAP_GROWSDOWN,
	    rd, 0), EINVAL, "mmap(2): MAP_GROWSDOWN of a file is EINVAL");
	is_errno((long)mmap(NULL, P, PROT_READ, MAP_SHARED, rd,
	    0x7ffffffffffff000L), EOVERFLOW, "mmap(2): a range past the "
	    "largest offset is EOVERFLOW");

	m = mmap(NULL, P, PROT_READ, MAP_SHARED_VALIDATE, rd, 0);
	if (ok(m != MAP_FAILED, "mmap(2): MAP_SHARED_VALIDATE read-only of a "
	    "file open O_RDONLY")) {
		is_errno(mprotect(m, P, PROT_READ | PROT_WRITE), EACCES,
		    "mprotect(2): PROT_WRITE on a shared mapping of a file "
		    "open O_RDONLY is EACCES");
		is_success(mprotect(m, P, PROT_NONE), "mprotect(2): "
		    "PROT_NONE on it succeeds");
		munmap(m, P);
	}
	m = mmap(NULL, P, PROT_READ, MAP_PRIVATE, rd, 0);
	if (ok(m != MAP_FAILED, "mmap(2): MAP_PRIVATE read-only")) {
		is_success(mprotect(m, P, PROT_READ | PROT_WRITE),
		    "mprotect(2): PROT_WRITE on a private mapping of a file "
		    "open O_RDONLY succeeds");
		m[0] = 'Z';
		munmap(m, P);
	}
	m = mmap(NULL, P, PROT_READ, MAP_SHARED, rw, 0);
	if (ok(m != MAP_FAILED, "mmap(2): MAP_SHARED read-only of a file "
	    "open O_RDWR")) {
		is_success(mprotect(m, P, PROT_READ | PROT_WRITE),
		    "mprotect(2): PROT_WRITE on it succeeds");
		m[0] = 'W';
		munmap(m, P);
	}
	ok(pread(rd, &c, 1, 0) == 1 && c == 'W', "mmap(2): the store after "
	    "mprotect reached the file (not the private one)");
	close(rd);
	close(wr);
	close(rw);
	close(dir);
	close(opath);
	close(pfd[0]);
	close(pfd[1]);
}

/* mremap keeps the file and the offset; a mapping keeps the file alive. */
static void
lifetime_cases(void)
{
	char *m, *n;
	int fd;

	fd = mf_make("moved", 4 * P, O_RDWR);
	m = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 2 * P);
	if (!ok(m != MAP_FAILED, "mmap(2): one page at offset 2 pages"))
		bail_out("mmap: %s", tap_errname(errno));
	n = mremap(m, P, 2 * P, MREMAP_MAYMOVE);
	ok(n != MAP_FAILED && n[0] == MF_BYTE(2 * P) &&
	    n[P + 1] == MF_BYTE(3 * P + 1), "mremap(2): a grown file mapping "
	    "goes on with the file's next page");
	close(fd);
	ok(unlink("moved") == 0, "unlink(2) the mapped file");
	n[P] = '!';
	ok(n[P] == '!' && n[1] == MF_BYTE(2 * P + 1), "mmap(2): the mapping "
	    "of a closed, unlinked file still works");
	munmap(n, 2 * P);
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	mf_setup("mmap_file");
	shared_cases();
	private_cases();
	error_cases();
	lifetime_cases();
	mf_done();
	return done_testing();
}
