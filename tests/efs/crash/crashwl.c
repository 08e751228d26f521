/*
 * crashwl: the write-heavy workload of the eclipsefs power-loss tests
 * (tests/efs/crash/README.md), run in EclipseOS on a filesystem whose
 * disk QEMU's blklogwrites records, then replayed cut by cut on the host.
 *
 *	crashwl [-p] [-s seed] [-n ops] [-d disk] DIR
 *	crashwl [-p] [-s seed] [-n ops] [-d disk] -r DEVICE
 *
 * DIR mode: creates, writes, appends, overwrites, truncates, renames
 * (over files too), unlinks, makes and removes folders under DIR/w, and
 * now and then fsyncs (or fdatasyncs) a file.  After each fsync returns
 * it prints
 *
 *	fsynced PATH SHA256 FLUSHES
 *
 * PATH relative to DIR, SHA256 of the whole file as the program wrote
 * it, FLUSHES the disk's completed flush count (/proc/diskstats, field
 * 18 of the line of -d disk, "vdb" by default).  Before it changes a
 * file that has such a line (write, truncate, rename from or over it,
 * unlink) it prints
 *
 *	touch PATH
 *
 * and the file's fsync line no longer holds from then on.  With -p it
 * waits after each of these lines for a line on stdin: the host reads
 * the write log while the workload stands still, so that it knows which
 * logged writes came before the line.  At the end it syncs and prints
 * "final PATH SHA256" for every file, then "crashwl: done N ops".
 *
 * -r DEVICE mode (before a filesystem exists, to test the log replay
 * itself): the same with 4 KiB-aligned pwrites to a raw disk, and
 * "fsynced @OFFSET+LENGTH SHA256 FLUSHES" for the region written.
 *
 * Seeded: the same seed makes the same operations.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NDIRS		4
#define NFILES		24
#define MAXSIZE		(256 * 1024)
#define NREGIONS	16
#define REGION_MAX	(64 * 1024)

struct file {
	int		 exists;
	int		 synced;	/* an fsync line holds for it */
	size_t		 size;
	unsigned char	*data;		/* MAXSIZE bytes */
};

static struct file files[NFILES];
static const char *topdir;
static const char *disk = "vdb";
static int pause_mode;
static uint64_t rng;
static unsigned long nops;

/* SHA-256, FIPS 180-4. */
struct sha256 {
	uint32_t	h[8];
	uint64_t	len;
	unsigned char	buf[64];
	size_t		nbuf;
};

static const uint32_t sha_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b,
	0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
	0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7,
	0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152,
	0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
	0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
	0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
	0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

static uint32_t
ror(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

static void
sha_block(struct sha256 *s, const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, h, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 64; i++)
		w[i] = (ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^
		    (w[i - 2] >> 10)) + w[i - 7] + (ror(w[i - 15], 7) ^
		    ror(w[i - 15], 18) ^ (w[i - 15] >> 3)) + w[i - 16];
	a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
	e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
	for (i = 0; i < 64; i++) {
		t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) +
		    ((e & f) ^ (~e & g)) + sha_k[i] + w[i];
		t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) +
		    ((a & b) ^ (a & c) ^ (b & c));
		h = g, g = f, f = e, e = d + t1;
		d = c, c = b, b = a, a = t1 + t2;
	}
	s->h[0] += a, s->h[1] += b, s->h[2] += c, s->h[3] += d;
	s->h[4] += e, s->h[5] += f, s->h[6] += g, s->h[7] += h;
}

static void
sha256_hex(const unsigned char *data, size_t len, char out[65])
{
	static const uint32_t init[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
	};
	struct sha256 s;
	unsigned char tail[128];
	size_t ntail, i;
	uint64_t bits = (uint64_t)len * 8;

	memcpy(s.h, init, sizeof(init));
	for (i = 0; i + 64 <= len; i += 64)
		sha_block(&s, data + i);
	ntail = len - i;
	memset(tail, 0, sizeof(tail));
	memcpy(tail, data + i, ntail);
	tail[ntail] = 0x80;
	ntail = ntail + 1 + 8 <= 64 ? 64 : 128;
	for (i = 0; i < 8; i++)
		tail[ntail - 1 - i] = (unsigned char)(bits >> (8 * i));
	sha_block(&s, tail);
	if (ntail == 128)
		sha_block(&s, tail + 64);
	for (i = 0; i < 8; i++)
		sprintf(out + 8 * i, "%08x", s.h[i]);
}

/* xorshift64*: the workload's only source of randomness. */
static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static size_t
rnd_below(size_t n)
{
	return n == 0 ? 0 : (size_t)(rnd() % n);
}

static void
fill(unsigned char *p, size_t n)
{
	uint64_t x = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (i % 8 == 0)
			x = rnd();
		p[i] = (unsigned char)x;
		x >>= 8;
	}
}

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "crashwl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (after %lu ops)\n", nops);
	exit(1);
}

/* Print a line; with -p, wait for the host's go-ahead. */
static void __attribute__((format(printf, 1, 2)))
say(const char *fmt, ...)
{
	char line[64];
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
	if (pause_mode && fgets(line, sizeof(line), stdin) == NULL)
		die("stdin closed while waiting for the host");
}

/*
 * The disk's completed flushes: /proc/diskstats's 16th counter (Linux's
 * iostats.rst "flush requests completed") on the line of disk.
 */
static unsigned long
flushes(void)
{
	char line[512], name[64];
	unsigned long f[17];
	unsigned int ma, mi;
	unsigned long n = (unsigned long)-1;
	FILE *fp;

	if ((fp = fopen("/proc/diskstats", "r")) == NULL)
		return n;
	while (fgets(line, sizeof(line), fp) != NULL) {
		memset(f, 0, sizeof(f));
		if (sscanf(line, "%u %u %63s %lu %lu %lu %lu %lu %lu %lu %lu "
		    "%lu %lu %lu %lu %lu %lu %lu %lu %lu", &ma, &mi, name,
		    &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7],
		    &f[8], &f[9], &f[10], &f[11], &f[12], &f[13], &f[14],
		    &f[15], &f[16]) >= 3 + 16 && strcmp(name, disk) == 0)
			n = f[15];
	}
	fclose(fp);
	return n;
}

static void
path_of(int i, char *buf, size_t len)
{
	snprintf(buf, len, "w/d%d/f%02d", i % NDIRS, i);
}

static void
full(int i, char *buf, size_t len)
{
	char rel[64];

	path_of(i, rel, sizeof(rel));
	snprintf(buf, len, "%s/%s", topdir, rel);
}

/* File i is about to change: its fsync line stops holding. */
static void
touch(int i)
{
	char rel[64];

	if (!files[i].synced)
		return;
	path_of(i, rel, sizeof(rel));
	say("touch %s\n", rel);
	files[i].synced = 0;
}

static void
write_all(int fd, const unsigned char *p, size_t n, off_t off,
    const char *what)
{
	ssize_t r;

	while (n > 0) {
		r = pwrite(fd, p, n, off);
		if (r <= 0)
			die("pwrite %s: %s", what, r < 0 ? strerror(errno) :
			    "wrote nothing");
		p += r, n -= (size_t)r, off += r;
	}
}

static size_t
pick_size(void)
{
	switch (rnd_below(4)) {
	case 0:
		return rnd_below(200);
	case 1:
		return rnd_below(8192);
	case 2:
		return 4096 * (1 + rnd_below(16));
	default:
		return rnd_below(MAXSIZE);
	}
}

static void
op_create(int i)
{
	struct file *f = &files[i];
	char p[256];
	int fd;

	touch(i);
	full(i, p, sizeof(p));
	if ((fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		die("create %s: %s", p, strerror(errno));
	f->size = pick_size();
	fill(f->data, f->size);
	write_all(fd, f->data, f->size, 0, p);
	close(fd);
	f->exists = 1;
}

static void
op_write(int i)
{
	struct file *f = &files[i];
	size_t off, n;
	char p[256];
	int fd;

	touch(i);
	full(i, p, sizeof(p));
	if ((fd = open(p, O_WRONLY)) < 0)
		die("open %s: %s", p, strerror(errno));
	if (rnd_below(2)) {
		off = f->size;			/* append */
	} else {
		off = rnd_below(f->size + 1);	/* overwrite, maybe past */
		if (rnd_below(4) == 0)
			off += rnd_below(3 * 4096);	/* a hole */
	}
	if (off >= MAXSIZE)
		off = MAXSIZE / 2;
	n = 1 + rnd_below(rnd_below(2) ? 512 : 20000);
	if (off + n > MAXSIZE)
		n = MAXSIZE - off;
	if (off > f->size)
		memset(f->data + f->size, 0, off - f->size);
	fill(f->data + off, n);
	write_all(fd, f->data + off, n, (off_t)off, p);
	if (off + n > f->size)
		f->size = off + n;
	close(fd);
}

static void
op_truncate(int i)
{
	struct file *f = &files[i];
	size_t n;
	char p[256];

	touch(i);
	full(i, p, sizeof(p));
	n = rnd_below(2) ? rnd_below(f->size + 1) : rnd_below(MAXSIZE);
	if (truncate(p, (off_t)n) < 0)
		die("truncate %s: %s", p, strerror(errno));
	if (n > f->size)
		memset(f->data + f->size, 0, n - f->size);
	f->size = n;
}

static void
op_rename(int i, int j)
{
	unsigned char *tmp;
	char p[256], q[256];

	touch(i);
	touch(j);
	full(i, p, sizeof(p));
	full(j, q, sizeof(q));
	if (rename(p, q) < 0)
		die("rename %s %s: %s", p, q, strerror(errno));
	tmp = files[j].data;
	files[j] = files[i];
	files[i].data = tmp;
	files[i].exists = 0;
	files[i].synced = 0;
	files[i].size = 0;
}

static void
op_unlink(int i)
{
	char p[256];

	touch(i);
	full(i, p, sizeof(p));
	if (unlink(p) < 0)
		die("unlink %s: %s", p, strerror(errno));
	files[i].exists = 0;
	files[i].size = 0;
}

static void
op_fsync(int i)
{
	struct file *f = &files[i];
	char p[256], rel[64], sum[65];
	int fd;

	full(i, p, sizeof(p));
	if ((fd = open(p, O_RDONLY)) < 0)
		die("open %s: %s", p, strerror(errno));
	if ((rnd_below(3) == 0 ? fdatasync(fd) : fsync(fd)) < 0)
		die("fsync %s: %s", p, strerror(errno));
	close(fd);
	path_of(i, rel, sizeof(rel));
	sha256_hex(f->data, f->size, sum);
	f->synced = 1;
	say("fsynced %s %s %lu\n", rel, sum, flushes());
}

/* Empty folders made and removed beside the files. */
static void
op_folder(void)
{
	char p[256];
	int k = (int)rnd_below(6);

	snprintf(p, sizeof(p), "%s/w/d%d/sub%d", topdir, k % NDIRS, k);
	if (mkdir(p, 0755) < 0) {
		if (errno != EEXIST)
			die("mkdir %s: %s", p, strerror(errno));
		if (rmdir(p) < 0)
			die("rmdir %s: %s", p, strerror(errno));
	}
}

static void
fs_workload(unsigned long n)
{
	char p[256], rel[64], sum[65];
	int i, j, d;

	snprintf(p, sizeof(p), "%s/w", topdir);
	if (mkdir(p, 0755) < 0)
		die("mkdir %s: %s", p, strerror(errno));
	for (d = 0; d < NDIRS; d++) {
		snprintf(p, sizeof(p), "%s/w/d%d", topdir, d);
		if (mkdir(p, 0755) < 0)
			die("mkdir %s: %s", p, strerror(errno));
	}
	for (nops = 0; nops < n; nops++) {
		i = (int)rnd_below(NFILES);
		if (!files[i].exists) {
			op_create(i);
			continue;
		}
		switch (rnd_below(12)) {
		case 0: case 1:
			op_write(i);
			break;
		case 2:
			op_truncate(i);
			break;
		case 3:
			j = (int)rnd_below(NFILES);
			if (j != i)
				op_rename(i, j);
			break;
		case 4:
			op_unlink(i);
			break;
		case 5:
			op_folder();
			break;
		case 6:
			if (rnd_below(4) == 0)
				sync();
			break;
		default:
			op_fsync(i);
			break;
		}
	}
	sync();
	for (i = 0; i < NFILES; i++) {
		if (!files[i].exists)
			continue;
		path_of(i, rel, sizeof(rel));
		sha256_hex(files[i].data, files[i].size, sum);
		printf("final %s %s\n", rel, sum);
	}
}

/* -r: regions of a raw disk, rewritten and fsynced. */
static void
raw_workload(const char *dev, unsigned long n)
{
	static unsigned char buf[REGION_MAX];
	size_t len[NREGIONS], rlen;
	int synced[NREGIONS];
	char sum[65];
	off_t off;
	int fd, r;

	if ((fd = open(dev, O_RDWR)) < 0)
		die("open %s: %s", dev, strerror(errno));
	memset(synced, 0, sizeof(synced));
	for (r = 0; r < NREGIONS; r++)
		len[r] = 0;
	for (nops = 0; nops < n; nops++) {
		r = (int)rnd_below(NREGIONS);
		off = (off_t)r * REGION_MAX;
		if (len[r] == 0 || rnd_below(3) != 0) {
			if (synced[r]) {
				say("touch @%lld+%zu\n", (long long)off,
				    len[r]);
				synced[r] = 0;
			}
			rlen = 4096 * (1 + rnd_below(REGION_MAX / 4096));
			fill(buf, rlen);
			write_all(fd, buf, rlen, off, dev);
			/* Our record: the region as now written. */
			if (pread(fd, buf, rlen, off) != (ssize_t)rlen)
				die("pread %s: %s", dev, strerror(errno));
			len[r] = rlen;
			continue;
		}
		if (fsync(fd) < 0)
			die("fsync %s: %s", dev, strerror(errno));
		if (pread(fd, buf, len[r], off) != (ssize_t)len[r])
			die("pread %s: %s", dev, strerror(errno));
		sha256_hex(buf, len[r], sum);
		synced[r] = 1;
		say("fsynced @%lld+%zu %s %lu\n", (long long)off, len[r], sum,
		    flushes());
	}
	if (fsync(fd) < 0)
		die("fsync %s: %s", dev, strerror(errno));
	close(fd);
}

static void
usage(void)
{
	fprintf(stderr, "usage: crashwl [-p] [-s seed] [-n ops] [-d disk] "
	    "DIR | -r DEVICE\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *raw = NULL;
	unsigned long n = 200;
	int c, i;

	rng = 1;
	while ((c = getopt(argc, argv, "pn:s:d:r:")) != -1) {
		switch (c) {
		case 'p':
			pause_mode = 1;
			break;
		case 'n':
			n = strtoul(optarg, NULL, 0);
			break;
		case 's':
			rng = strtoull(optarg, NULL, 0) * 0x9e3779b97f4a7c15ULL
			    + 1;
			break;
		case 'd':
			disk = optarg;
			break;
		case 'r':
			raw = optarg;
			break;
		default:
			usage();
		}
	}
	if (rng == 0)
		rng = 1;
	if (raw != NULL) {
		if (optind != argc)
			usage();
		raw_workload(raw, n);
	} else {
		if (optind != argc - 1)
			usage();
		topdir = argv[optind];
		for (i = 0; i < NFILES; i++)
			if ((files[i].data = calloc(1, MAXSIZE)) == NULL)
				die("out of memory");
		fs_workload(n);
	}
	printf("crashwl: done %lu ops\n", nops);
	return 0;
}
