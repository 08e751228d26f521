/*
 * efsvol: the guest's side of the eclipsefs volume system tests
 * (tests/system/suite_efs_vol.py), built statically with musl for
 * EclipseOS and with the host's compiler for the host, which checks
 * what the guest wrote with the same pattern.
 *
 *	efsvol write FILE MIB SEED	write MIB MiB of SEED's pattern,
 *					fsync, print the rate
 *	efsvol read FILE MIB SEED	read FILE and check it against the
 *					pattern (the first bad block is
 *					named), print the rate
 *	efsvol create DIR FIRST COUNT	create files DIR/fNNNNNN, numbered
 *					FIRST.., with O_EXCL; print the rate
 *	efsvol unlink DIR FIRST COUNT	unlink those names; print the rate
 *	efsvol pwrite FILE OFF TEXT	write TEXT at byte OFF (no O_TRUNC),
 *					fsync
 *	efsvol pread FILE OFF LEN	print the bytes read at OFF (at
 *					most LEN, 256 at most), in hex
 *	efsvol probe PATH		read PATH whole (a folder: every
 *					entry, each one lstat'ed); print
 *					"probe: ok" or the call that failed
 *					and its errno as a number (musl has
 *					no text for EUCLEAN)
 *
 * The pattern: every 4 KiB block b holds 512 64-bit little-endian words,
 * word i being mix(SEED, b * 512 + i) (a SplitMix64 step), so a block
 * written at the wrong place, twice, or not at all is caught.  Exit
 * status 0, 1 on a mismatch or a failed call (a message says which),
 * 2 usage.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CHUNK	(1 << 20)
#define BLOCK	4096
#define WORDS	(BLOCK / 8)

static void
usage(void)
{
	fprintf(stderr, "usage: efsvol write|read FILE MIB SEED\n"
	    "       efsvol create|unlink DIR FIRST COUNT\n"
	    "       efsvol pwrite FILE OFF TEXT | pread FILE OFF LEN\n"
	    "       efsvol probe PATH\n");
	exit(2);
}

static void __attribute__((noreturn))
fail(const char *what, const char *name)
{
	fprintf(stderr, "efsvol: %s %s: %s\n", what, name, strerror(errno));
	exit(1);
}

static uint64_t
num(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *s == '\0' || *end != '\0')
		usage();
	return (v);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

static uint64_t
mix(uint64_t seed, uint64_t n)
{
	uint64_t z;

	z = seed * 0x9e3779b97f4a7c15ULL + n;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

/* Fill buf (CHUNK bytes) with the pattern of the chunk at byte off. */
static void
fill(unsigned char *buf, uint64_t off, uint64_t seed)
{
	uint64_t b, i, w;
	int k;

	for (b = 0; b < CHUNK / BLOCK; b++) {
		for (i = 0; i < WORDS; i++) {
			w = mix(seed, (off / BLOCK + b) * WORDS + i);
			for (k = 0; k < 8; k++)
				buf[b * BLOCK + i * 8 + k] = w >> (8 * k);
		}
	}
}

static void
rate(const char *what, uint64_t bytes, double t)
{
	printf("efsvol: %s %" PRIu64 " bytes in %.2f s: %.1f MB/s\n", what,
	    bytes, t, t > 0 ? bytes / t / 1e6 : 0.0);
}

static int
do_write(const char *name, uint64_t mib, uint64_t seed)
{
	unsigned char *buf;
	uint64_t off;
	double t0, t1;
	int fd;

	if ((buf = malloc(CHUNK)) == NULL)
		fail("malloc", name);
	if ((fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		fail("open", name);
	t0 = now();
	for (off = 0; off < mib * CHUNK; off += CHUNK) {
		fill(buf, off, seed);
		if (write(fd, buf, CHUNK) != CHUNK)
			fail("write", name);
	}
	t1 = now();
	if (fsync(fd) != 0)
		fail("fsync", name);
	if (close(fd) != 0)
		fail("close", name);
	rate("wrote (before fsync)", mib * CHUNK, t1 - t0);
	rate("wrote and fsynced", mib * CHUNK, now() - t0);
	return (0);
}

/* Read a whole chunk (a pipe gives less at a time); bytes read or -1. */
static ssize_t
fill_read(int fd, unsigned char *buf)
{
	ssize_t n, got = 0;

	while (got < CHUNK) {
		n = read(fd, buf + got, CHUNK - got);
		if (n < 0)
			return (-1);
		if (n == 0)
			break;
		got += n;
	}
	return (got);
}

static int
do_read(const char *name, uint64_t mib, uint64_t seed)
{
	unsigned char *buf, *want;
	uint64_t off, b;
	double t0;
	ssize_t n;
	int fd;

	if ((buf = malloc(CHUNK)) == NULL || (want = malloc(CHUNK)) == NULL)
		fail("malloc", name);
	if ((fd = open(name, O_RDONLY)) < 0)
		fail("open", name);
	t0 = now();
	for (off = 0; off < mib * CHUNK; off += CHUNK) {
		n = fill_read(fd, buf);
		if (n < 0)
			fail("read", name);
		if (n != CHUNK) {
			printf("efsvol: %s: short read %zd at byte %" PRIu64
			    "\n", name, n, off);
			return (1);
		}
		fill(want, off, seed);
		if (memcmp(buf, want, CHUNK) == 0)
			continue;
		for (b = 0; b < CHUNK / BLOCK; b++)
			if (memcmp(buf + b * BLOCK, want + b * BLOCK,
			    BLOCK) != 0)
				break;
		printf("efsvol: %s: block %" PRIu64 " (byte %" PRIu64
		    ") does not hold the pattern\n", name,
		    off / BLOCK + b, off + b * BLOCK);
		return (1);
	}
	if (read(fd, buf, 1) != 0) {
		printf("efsvol: %s: longer than %" PRIu64 " MiB\n", name, mib);
		return (1);
	}
	close(fd);
	rate("read and checked", mib * CHUNK, now() - t0);
	return (0);
}

static int
do_names(int make, const char *dir, uint64_t first, uint64_t count)
{
	char path[4096];
	uint64_t i;
	double t0;
	int fd;

	t0 = now();
	for (i = first; i < first + count; i++) {
		snprintf(path, sizeof(path), "%s/f%06" PRIu64, dir, i);
		if (make) {
			fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
			if (fd < 0 || close(fd) != 0)
				fail("create", path);
		} else if (unlink(path) != 0)
			fail("unlink", path);
	}
	t0 = now() - t0;
	printf("efsvol: %s %" PRIu64 " files in %.2f s: %.0f/s\n",
	    make ? "created" : "unlinked", count, t0,
	    t0 > 0 ? count / t0 : 0.0);
	return (0);
}

static int
do_pwrite(const char *name, uint64_t off, const char *text)
{
	size_t len = strlen(text);
	int fd;

	if ((fd = open(name, O_WRONLY | O_CREAT, 0644)) < 0)
		fail("open", name);
	if (pwrite(fd, text, len, off) != (ssize_t)len)
		fail("pwrite", name);
	if (fsync(fd) != 0)
		fail("fsync", name);
	close(fd);
	return (0);
}

static int
do_pread(const char *name, uint64_t off, uint64_t len)
{
	unsigned char buf[256];
	ssize_t n, i;
	int fd;

	if (len > sizeof(buf))
		usage();
	if ((fd = open(name, O_RDONLY)) < 0)
		fail("open", name);
	if ((n = pread(fd, buf, len, off)) < 0)
		fail("pread", name);
	printf("pread %zd:", n);
	for (i = 0; i < n; i++)
		printf(" %02x", buf[i]);
	printf("\n");
	close(fd);
	return (0);
}

static int
probe_fail(const char *call, const char *name)
{
	printf("probe: %s %s: errno %d\n", call, name, errno);
	return (1);
}

static int
do_probe(const char *name)
{
	char path[4096], buf[4096];
	struct dirent *de;
	struct stat st;
	uint64_t n = 0;
	ssize_t got;
	DIR *d;
	int fd;

	if (lstat(name, &st) != 0)
		return (probe_fail("lstat", name));
	if (S_ISDIR(st.st_mode)) {
		if ((d = opendir(name)) == NULL)
			return (probe_fail("opendir", name));
		for (;;) {
			errno = 0;
			if ((de = readdir(d)) == NULL)
				break;
			snprintf(path, sizeof(path), "%s/%s", name,
			    de->d_name);
			if (lstat(path, &st) != 0)
				return (probe_fail("lstat", path));
			n++;
		}
		if (errno != 0)
			return (probe_fail("readdir", name));
		closedir(d);
		printf("probe: ok, %" PRIu64 " entries\n", n);
		return (0);
	}
	if ((fd = open(name, O_RDONLY)) < 0)
		return (probe_fail("open", name));
	while ((got = read(fd, buf, sizeof(buf))) > 0)
		n += got;
	if (got < 0)
		return (probe_fail("read", name));
	close(fd);
	printf("probe: ok, %" PRIu64 " bytes\n", n);
	return (0);
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && strcmp(argv[1], "probe") == 0)
		return (do_probe(argv[2]));
	if (argc != 5)
		usage();
	if (strcmp(argv[1], "write") == 0)
		return (do_write(argv[2], num(argv[3]), num(argv[4])));
	if (strcmp(argv[1], "read") == 0)
		return (do_read(argv[2], num(argv[3]), num(argv[4])));
	if (strcmp(argv[1], "create") == 0)
		return (do_names(1, argv[2], num(argv[3]), num(argv[4])));
	if (strcmp(argv[1], "unlink") == 0)
		return (do_names(0, argv[2], num(argv[3]), num(argv[4])));
	if (strcmp(argv[1], "pwrite") == 0)
		return (do_pwrite(argv[2], num(argv[3]), argv[4]));
	if (strcmp(argv[1], "pread") == 0)
		return (do_pread(argv[2], num(argv[3]), num(argv[4])));
	usage();
	return (2);
}
