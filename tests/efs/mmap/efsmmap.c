/*
 * efsmmap: the guest side of the efs-mmap system test
 * (tests/system/suite_efs_mmap.py): mmap(2) of files on a mounted
 * eclipsefs, checked with read(2).  Built statically with musl for the
 * guest (tests/efs/mmap/mmap.mk); the test puts it on the test disk.
 *
 *	efsmmap run DIR		make the files in DIR, map and check them;
 *				leaves "nosync" with stores no msync or
 *				fsync wrote (the unmount must)
 *	efsmmap check DIR	after an unmount and a mount: every store
 *				of "run" is in the files
 *	efsmmap big DIR		a sparse file too large to cache: ENOMEM
 *
 * Each check prints "efsmmap: ok NAME" or "efsmmap: FAIL NAME: why";
 * the exit status is the number of failures.  The contents are a
 * function of the offset (pat()), so the host recomputes them too.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PG	4096
#define BASE_SIZE (3 * PG + 1000)	/* "base", "nosync" */
#define SPARSE_SIZE (8 * PG)

static int nfail;

static void
result(const char *name, int ok, const char *why)
{
	if (ok)
		printf("efsmmap: ok %s\n", name);
	else {
		printf("efsmmap: FAIL %s: %s\n", name, why);
		nfail++;
	}
	fflush(stdout);
}

static unsigned char
pat(long off)
{
	return (unsigned char)('a' + (off * 7 + off / 251) % 26);
}

static char *
path(const char *dir, const char *name)
{
	static char buf[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

/* Write size bytes of pat() to a new file name. */
static int
make(const char *p, long size)
{
	unsigned char *b = malloc(size);
	long i;
	int fd;

	for (i = 0; i < size; i++)
		b[i] = pat(i);
	if ((fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644)) < 0 ||
	    write(fd, b, size) != size || fsync(fd) < 0) {
		perror(p);
		exit(100);
	}
	free(b);
	return fd;
}

/* The whole file p as read(2) sees it; *sizep its size. */
static unsigned char *
slurp(const char *p, long *sizep)
{
	struct stat st;
	unsigned char *b;
	int fd;

	if ((fd = open(p, O_RDONLY)) < 0 || fstat(fd, &st) < 0) {
		perror(p);
		exit(100);
	}
	b = calloc(1, st.st_size + 1);
	if (pread(fd, b, st.st_size, 0) != st.st_size) {
		perror(p);
		exit(100);
	}
	close(fd);
	*sizep = st.st_size;
	return b;
}

/* The expected bytes of a file: pat(), with the stores of "run". */
static void
expect_base(unsigned char *b, long size)
{
	long i;

	for (i = 0; i < size; i++)
		b[i] = pat(i);
	memcpy(b + 10, "SHARED-STORE", 12);
	memcpy(b + PG + 100, "SECOND-PAGE", 11);
	memcpy(b + 3 * PG + 990, "LASTBYTES!", 10);
	memcpy(b + 300, "WRITE(2)", 8);
	memcpy(b + 2 * PG + 50, "AFTERWRITE", 10);
}

static void
expect_nosync(unsigned char *b, long size)
{
	long i;

	for (i = 0; i < size; i++)
		b[i] = pat(i);
	memcpy(b + 2 * PG + 7, "NO-MSYNC", 8);
}

static void
expect_sparse(unsigned char *b)
{
	memset(b, 0, SPARSE_SIZE);
	memcpy(b + 5 * PG + 1, "IN-A-HOLE", 9);
}

/* Compare file p with want; name the first difference. */
static void
compare(const char *name, const char *p, const unsigned char *want,
    long size)
{
	char why[160];
	unsigned char *b;
	long got, i;

	b = slurp(p, &got);
	if (got != size) {
		snprintf(why, sizeof(why), "size %ld, not %ld", got, size);
		result(name, 0, why);
	} else {
		for (i = 0; i < size && b[i] == want[i]; i++)
			continue;
		snprintf(why, sizeof(why), "byte %ld is 0x%02x, not 0x%02x",
		    i, i < size ? b[i] : 0, i < size ? want[i] : 0);
		result(name, i == size, why);
	}
	free(b);
}

static sigjmp_buf bus_jmp;

static void
on_bus(int sig)
{
	(void)sig;
	siglongjmp(bus_jmp, 1);
}

/* Does a read of p raise SIGBUS? */
static int
faults(const unsigned char *p)
{
	volatile int bus = 0;

	signal(SIGBUS, on_bus);
	if (sigsetjmp(bus_jmp, 1) == 0)
		(void)*(const volatile unsigned char *)p;
	else
		bus = 1;
	signal(SIGBUS, SIG_DFL);
	return bus;
}

static void
run(const char *dir)
{
	unsigned char *want = malloc(BASE_SIZE), *m, *m2;
	struct stat st;
	int fd, fd2;

	/* Shared: stores, msync, munmap, read back. */
	fd = make(path(dir, "base"), BASE_SIZE);
	m = mmap(NULL, BASE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	result("mmap-shared", m != MAP_FAILED, strerror(errno));
	if (m == MAP_FAILED)
		exit(nfail);
	result("mapped-data", m[5] == pat(5) && m[3 * PG + 999] ==
	    pat(3 * PG + 999), "the mapping does not show the file");
	memcpy(m + 10, "SHARED-STORE", 12);
	memcpy(m + PG + 100, "SECOND-PAGE", 11);
	memcpy(m + 3 * PG + 990, "LASTBYTES!", 10);
	/* Past the end of the file in its last page: not file data. */
	memcpy(m + BASE_SIZE + 5, "BEYOND-EOF", 10);
	result("msync", msync(m, BASE_SIZE, MS_SYNC) == 0, strerror(errno));
	/* write(2) shows in the mapping, stores show in read(2). */
	result("pwrite", pwrite(fd, "WRITE(2)", 8, 300) == 8,
	    strerror(errno));
	result("write-seen-by-mapping", memcmp(m + 300, "WRITE(2)", 8) == 0,
	    "the mapping does not show write(2)'s bytes");
	memcpy(m + 2 * PG + 50, "AFTERWRITE", 10);
	{
		char b[10];

		result("store-seen-by-read", pread(fd, b, 10, 2 * PG + 50) ==
		    10 && memcmp(b, "AFTERWRITE", 10) == 0,
		    "read(2) does not show a store");
	}
	result("fdatasync", fdatasync(fd) == 0, strerror(errno));
	result("munmap", munmap(m, BASE_SIZE) == 0, strerror(errno));
	close(fd);
	expect_base(want, BASE_SIZE);
	compare("read-back-shared", path(dir, "base"), want, BASE_SIZE);

	/* Private: copy-on-write, the file does not change. */
	fd = open(path(dir, "base"), O_RDONLY);
	m = mmap(NULL, BASE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	result("mmap-private", m != MAP_FAILED, strerror(errno));
	if (m != MAP_FAILED) {
		memcpy(m + 10, "PRIVATE-STORE", 13);
		memcpy(m + 2 * PG, "PRIV", 4);
		result("private-msync", msync(m, BASE_SIZE, MS_SYNC) == 0,
		    strerror(errno));
		result("private-sees-own", memcmp(m + 10, "PRIVATE-STORE",
		    13) == 0, "the private mapping lost its store");
		munmap(m, BASE_SIZE);
	}
	close(fd);
	compare("private-leaves-file", path(dir, "base"), want, BASE_SIZE);

	/* A sparse file: a store into a hole gets one block. */
	fd = open(path(dir, "sparse"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, SPARSE_SIZE) < 0) {
		perror("sparse");
		exit(100);
	}
	m = mmap(NULL, SPARSE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
	    0);
	result("mmap-sparse", m != MAP_FAILED, strerror(errno));
	if (m == MAP_FAILED)
		exit(nfail);
	result("hole-reads-zero", m[3 * PG] == 0 && m[7 * PG + 4095] == 0,
	    "a hole is not zeros");
	memcpy(m + 5 * PG + 1, "IN-A-HOLE", 9);
	result("sparse-fsync", fsync(fd) == 0, strerror(errno));
	fstat(fd, &st);
	{
		char why[80];

		snprintf(why, sizeof(why), "st_blocks %ld, not 8",
		    (long)st.st_blocks);
		result("store-in-hole-one-block", st.st_blocks == 8, why);
	}
	/* Truncation: a page past the new end is gone (SIGBUS). */
	result("ftruncate-mapped", ftruncate(fd, 6 * PG) == 0,
	    strerror(errno));
	result("sigbus-past-end", faults(m + 7 * PG),
	    "no SIGBUS past the new end");
	result("ftruncate-grow", ftruncate(fd, SPARSE_SIZE) == 0,
	    strerror(errno));
	result("grown-reads-zero", m[7 * PG] == 0 && m[6 * PG + 1] == 0,
	    "a page past the old end is not zeros");
	munmap(m, SPARSE_SIZE);
	close(fd);
	free(want);
	want = malloc(SPARSE_SIZE);
	expect_sparse(want);
	compare("read-back-sparse", path(dir, "sparse"), want, SPARSE_SIZE);

	/* Two mappings of one file, and one left for the unmount. */
	fd = make(path(dir, "nosync"), BASE_SIZE);
	fd2 = open(path(dir, "nosync"), O_RDWR);
	m = mmap(NULL, BASE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	m2 = mmap(NULL, BASE_SIZE, PROT_READ, MAP_SHARED, fd2, 0);
	result("mmap-twice", m != MAP_FAILED && m2 != MAP_FAILED,
	    strerror(errno));
	if (m == MAP_FAILED || m2 == MAP_FAILED)
		exit(nfail);
	memcpy(m + 2 * PG + 7, "NO-MSYNC", 8);
	result("both-see-store", memcmp(m2 + 2 * PG + 7, "NO-MSYNC", 8) == 0,
	    "the second mapping does not see the first's store");
	munmap(m, BASE_SIZE);
	munmap(m2, BASE_SIZE);
	close(fd);
	close(fd2);
	free(want);
}

static void
check(const char *dir)
{
	unsigned char *want = malloc(SPARSE_SIZE);
	struct stat st;

	expect_base(want, BASE_SIZE);
	compare("persist-shared", path(dir, "base"), want, BASE_SIZE);
	expect_nosync(want, BASE_SIZE);
	compare("persist-nosync", path(dir, "nosync"), want, BASE_SIZE);
	expect_sparse(want);
	compare("persist-sparse", path(dir, "sparse"), want, SPARSE_SIZE);
	if (stat(path(dir, "sparse"), &st) == 0) {
		char why[80];

		snprintf(why, sizeof(why), "st_blocks %ld, not 8",
		    (long)st.st_blocks);
		result("persist-sparse-blocks", st.st_blocks == 8, why);
	}
	free(want);
}

/* A sparse file whose page cache would not fit: ENOMEM. */
static void
big(const char *dir, long long size)
{
	char why[80];
	void *m;
	int fd;

	fd = open(path(dir, "big"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, size) < 0) {
		perror("big");
		exit(100);
	}
	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	snprintf(why, sizeof(why), "mmap gave %s",
	    m == MAP_FAILED ? strerror(errno) : "a mapping");
	result("too-big-enomem", m == MAP_FAILED && errno == ENOMEM, why);
	close(fd);
	unlink(path(dir, "big"));
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "run") == 0)
		run(argv[2]);
	else if (argc == 3 && strcmp(argv[1], "check") == 0)
		check(argv[2]);
	else if (argc == 4 && strcmp(argv[1], "big") == 0)
		big(argv[2], atoll(argv[3]));
	else {
		fprintf(stderr, "usage: efsmmap run|check DIR | "
		    "big DIR BYTES\n");
		return 100;
	}
	return nfail;
}
