/*
 * Host test of the cpio "newc" reader (sys/kern/subr_cpio.c): cpio_walk on
 * archives built here, on every truncation of one and on malformed
 * headers (each copied to the end of a page followed by an inaccessible
 * page, so that reading one byte too far crashes the test); cpio_lookup's
 * path resolution; and the real initramfs of the build, written by
 * distro/mkinitramfs.py, against the program it packs.
 */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <sys/errno.h>
#include <sys/exec.h>

#include "hostbuf.h"
#include "unit.h"

#define S_DIR	0040755
#define S_REG	0100755
#define S_RO	0100644
#define S_LNK	0120777
#define S_FIFO	0010644

static const char *build_dir;

/* A growing archive. */
struct arch {
	char	*a_buf;
	size_t	 a_len;
};

static void
arch_bytes(struct arch *a, const void *p, size_t n)
{
	a->a_buf = realloc(a->a_buf, a->a_len + n);
	memcpy(a->a_buf + a->a_len, p, n);
	a->a_len += n;
}

static void
arch_pad(struct arch *a)
{
	static const char zero[4];

	arch_bytes(a, zero, (4 - a->a_len % 4) % 4);
}

/* One newc entry; namesize -1 means strlen(name) + 1. */
static void
arch_entry_ex(struct arch *a, const char *magic, unsigned ino, unsigned mode,
    unsigned nlink, const char *name, long namesize, const void *data,
    size_t size)
{
	char hdr[160];

	if (namesize < 0)
		namesize = strlen(name) + 1;
	snprintf(hdr, sizeof(hdr), "%.6s%08x%08x%08x%08x%08x%08x%08x%08x%08x"
	    "%08x%08x%08x%08x", magic, ino, mode, 0, 0, nlink, 0,
	    (unsigned)size, 0, 0, 0, 0, (unsigned)namesize, 0);
	arch_bytes(a, hdr, 110);
	arch_bytes(a, name, strlen(name) + 1);
	arch_pad(a);
	arch_bytes(a, data, size);
	arch_pad(a);
}

static void
arch_entry(struct arch *a, unsigned mode, const char *name, const char *data)
{
	static unsigned ino = 100;

	arch_entry_ex(a, "070701", ino++, mode, 1, name, -1, data,
	    data != NULL ? strlen(data) : 0);
}

static void
arch_trailer(struct arch *a)
{
	arch_entry_ex(a, "070701", 0, 0, 1, "TRAILER!!!", -1, NULL, 0);
}

/* The sample archive most tests use. */
static struct arch
sample(void)
{
	struct arch a = { NULL, 0 };

	arch_entry(&a, S_DIR, ".", NULL);
	arch_entry(&a, S_DIR, "bin", NULL);
	arch_entry(&a, S_REG, "bin/sh", "#!shell bytes");
	arch_entry(&a, S_LNK, "bin/link", "sh");
	arch_entry(&a, S_RO, "etc/motd", "welcome");	/* etc implied */
	arch_entry(&a, S_FIFO, "dev/fifo", NULL);
	arch_entry(&a, S_RO, "./x//y", "dotted");
	arch_entry(&a, S_RO, "dup", "first");
	arch_entry(&a, S_RO, "dup", "second");
	arch_entry(&a, S_RO, "up/../../escape", "never found");
	arch_entry(&a, S_DIR, "lnkdir", NULL);
	arch_entry(&a, S_LNK, "lnkdir/d", "/bin");
	/* Hard links: cpio(1) writes the bytes with the last name. */
	arch_entry_ex(&a, "070701", 7, S_RO, 2, "a/one", -1, NULL, 0);
	arch_entry_ex(&a, "070701", 7, S_RO, 2, "a/two", -1, "linked", 6);
	arch_entry(&a, S_RO, "empty", "");
	arch_trailer(&a);
	return a;
}

struct seen {
	int	n;
	char	names[32][64];
	size_t	sizes[32];
	int	stop_at;
};

static int
seen_cb(const struct cpio_entry *ce, void *arg)
{
	struct seen *s = arg;

	if (s->n < 32) {
		snprintf(s->names[s->n], sizeof(s->names[0]), "%.*s",
		    (int)ce->ce_namelen, ce->ce_name);
		s->sizes[s->n] = ce->ce_size;
	}
	s->n++;
	return s->n == s->stop_at ? 42 : 0;
}

static int
walk(const void *p, size_t len, struct seen *s)
{
	void *m;
	size_t ml;
	int r;

	p = hostbuf_guarded(p, len, &m, &ml);
	r = cpio_walk(p, len, seen_cb, s);
	munmap(m, ml);
	return r;
}

static void
test_walk(void)
{
	struct arch a = sample();
	struct seen s;
	int r;

	memset(&s, 0, sizeof(s));
	r = walk(a.a_buf, a.a_len, &s);
	UNIT_CHECK(r == 0 && s.n == 15, "walk: 15 entries, then the trailer "
	    "(got %d, %d)", r, s.n);
	UNIT_STREQ(s.names[2], "bin/sh", "walk: third name");
	UNIT_CHECK(s.sizes[2] == 13, "walk: third size (%zu)", s.sizes[2]);
	UNIT_STREQ(s.names[14], "empty", "walk: last name before the trailer");

	memset(&s, 0, sizeof(s));
	s.stop_at = 3;
	r = walk(a.a_buf, a.a_len, &s);
	UNIT_CHECK(r == 42 && s.n == 3, "walk: the callback's value stops it "
	    "(%d after %d)", r, s.n);

	/* Padding after the trailer (cpio pads to 512 bytes) is ignored. */
	arch_bytes(&a, "\0\0\0\0\0\0\0\0", 8);
	memset(&s, 0, sizeof(s));
	UNIT_CHECK(walk(a.a_buf, a.a_len, &s) == 0 && s.n == 15,
	    "walk: zero padding after the trailer is ignored");
	free(a.a_buf);
}

/* Every prefix of the archive short of the whole trailer is malformed. */
static void
test_truncated(void)
{
	struct arch a = sample();
	struct seen s;
	size_t cut, bad = 0, end;
	char what[64] = "";
	int saved, null;

	/*
	 * The trailer's name ends the archive's meaning: its header and
	 * name are 121 bytes, padded with 3 to a multiple of 4.
	 */
	end = a.a_len - 3;
	/* Each cut logs a line: keep them out of the TAP output. */
	fflush(stdout);
	saved = dup(1);
	null = open("/dev/null", O_WRONLY);
	dup2(null, 1);
	for (cut = 0; cut < end; cut++) {
		memset(&s, 0, sizeof(s));
		if (walk(a.a_buf, cut, &s) != -EINVAL && bad++ == 0)
			snprintf(what, sizeof(what), ": first at %zu", cut);
	}
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	close(null);
	UNIT_CHECK(bad == 0, "every truncation (%zu of them) is -EINVAL%s",
	    end, what);
	free(a.a_buf);
}

/* One malformed entry after a good one: -EINVAL, the good one seen. */
static void
check_bad_n(struct arch *a, const char *name, int good)
{
	struct seen s;
	int r;

	memset(&s, 0, sizeof(s));
	r = walk(a->a_buf, a->a_len, &s);
	UNIT_CHECK(r == -EINVAL && s.n == good, "malformed: %s (got %d after "
	    "%d entries)", name, r, s.n);
	free(a->a_buf);
	a->a_buf = NULL;
	a->a_len = 0;
}

static void
check_bad(struct arch *a, const char *name)
{
	check_bad_n(a, name, 1);
}

static void
test_malformed(void)
{
	struct arch a = { NULL, 0 };
	char hdr[111];

	arch_entry(&a, S_REG, "ok", "x");
	arch_entry_ex(&a, "070707", 1, S_REG, 1, "f", -1, "x", 1);
	arch_trailer(&a);
	check_bad(&a, "the old binary/odc magic");

	arch_entry(&a, S_REG, "ok", "x");
	arch_entry_ex(&a, "070702", 1, S_REG, 1, "f", -1, "x", 1);
	arch_trailer(&a);
	check_bad(&a, "the crc variant 070702");

	arch_entry(&a, S_REG, "ok", "x");
	arch_entry(&a, S_REG, "f", "x");		/* 110 + 2 + 1 + 3 */
	a.a_buf[a.a_len - 116 + 14 + 4] = 'g';		/* in c_mode */
	arch_trailer(&a);
	check_bad(&a, "a non-hex digit");

	arch_entry(&a, S_REG, "ok", "x");
	arch_entry_ex(&a, "070701", 1, S_REG, 1, "", 0, "x", 1);
	arch_trailer(&a);
	check_bad(&a, "name size 0");

	arch_entry(&a, S_REG, "ok", "x");
	arch_entry_ex(&a, "070701", 1, S_REG, 1, "f", 0x7fffffff, "x", 1);
	arch_trailer(&a);
	check_bad(&a, "name size beyond the end");

	arch_entry(&a, S_REG, "ok", "x");
	arch_entry_ex(&a, "070701", 1, S_REG, 1, "name", 3, "x", 1);
	arch_trailer(&a);
	check_bad(&a, "name not ended by its NUL");

	arch_entry(&a, S_REG, "ok", "x");
	arch_entry_ex(&a, "070701", 1, S_REG, 1, "ab", 3, "x", 1);
	a.a_buf[a.a_len - 120 + 110 + 1] = '\0';	/* "a\0\0" */
	arch_trailer(&a);
	check_bad(&a, "a NUL inside the name");

	arch_entry(&a, S_REG, "ok", "x");
	snprintf(hdr, sizeof(hdr), "070701%08x%08x%08x%08x%08x%08x%08x%08x"
	    "%08x%08x%08x%08x%08x", 1, S_REG, 0, 0, 1, 0, 0xffffffffu, 0, 0,
	    0, 0, 2, 0);
	arch_bytes(&a, hdr, 110);
	arch_bytes(&a, "f\0", 2);
	arch_trailer(&a);
	check_bad(&a, "file size 0xffffffff");

	arch_entry(&a, S_REG, "ok", "x");
	arch_entry(&a, S_DIR, "d", "data");
	arch_trailer(&a);
	check_bad(&a, "a directory with data");

	arch_entry(&a, S_REG, "ok", "x");
	arch_entry(&a, S_LNK, "l", NULL);
	arch_trailer(&a);
	check_bad(&a, "a symbolic link with no target");

	arch_entry(&a, S_REG, "ok", "x");
	arch_entry(&a, 0000644, "t", "x");
	arch_trailer(&a);
	check_bad(&a, "a mode with no file type");

	arch_entry(&a, S_REG, "ok", "x");
	arch_entry(&a, S_REG, "f", "x");
	check_bad_n(&a, "no trailer", 2);
}

/* Look a path up in the sample archive. */
static int
lookup(const char *path, struct cpio_entry *ce)
{
	struct arch a = sample();
	char scratch[8192];
	size_t ml;
	void *m;
	const void *p;
	int r;

	p = hostbuf_guarded(a.a_buf, a.a_len, &m, &ml);
	r = cpio_lookup(p, a.a_len, path, scratch, strlen(path) + 1, ce);
	if (r == 0) {
		/* Keep the data valid for the caller: point at our copy. */
		ce->ce_data = a.a_buf + ((const char *)ce->ce_data -
		    (const char *)p);
	} else {
		free(a.a_buf);
	}
	munmap(m, ml);
	return r;
}

static void
check_found(const char *path, const char *want, unsigned mode)
{
	struct cpio_entry ce;
	int r = lookup(path, &ce);

	UNIT_CHECK(r == 0 && ce.ce_size == strlen(want) &&
	    memcmp(ce.ce_data, want, ce.ce_size) == 0 && ce.ce_mode == mode,
	    "lookup \"%s\" finds \"%s\" (error %d)", path, want, r);
}

static void
check_error(const char *path, int want, const char *errname)
{
	struct cpio_entry ce;
	int r = lookup(path, &ce);

	UNIT_CHECK(r == want, "lookup \"%.40s%s\" is %s (got %d)", path,
	    strlen(path) > 40 ? "..." : "", errname, r);
}

static void
test_lookup(void)
{
	char longname[300], longpath[5000];
	struct arch a = sample();
	struct cpio_entry ce;
	char scratch[4];

	check_found("/bin/sh", "#!shell bytes", S_REG);
	check_found("bin/sh", "#!shell bytes", S_REG);
	check_found("//bin//./sh", "#!shell bytes", S_REG);
	check_found("/bin/../bin/sh", "#!shell bytes", S_REG);
	check_found("/../../bin/sh", "#!shell bytes", S_REG);
	check_found("/etc/motd", "welcome", S_RO);
	check_found("/x/y", "dotted", S_RO);
	check_found("/dup", "second", S_RO);
	check_found("/a/two", "linked", S_RO);
	check_found("/a/one", "linked", S_RO);
	check_found("/empty", "", S_RO);

	check_error("", -ENOENT, "ENOENT (empty)");
	check_error("/nope", -ENOENT, "ENOENT");
	check_error("/bin/nope", -ENOENT, "ENOENT");
	check_error("/nope/../bin/sh", -ENOENT,
	    "ENOENT (.. after a missing directory)");
	check_error("/escape", -ENOENT, "ENOENT (an archive name with ..)");
	check_error("/up/../../escape", -ENOENT, "ENOENT");
	check_error("/bin/link", -ENOENT, "ENOENT (a symlink, not followed)");
	check_error("/lnkdir/d/sh", -ENOENT,
	    "ENOENT (a symlink on the way)");
	check_error("/", -EISDIR, "EISDIR");
	check_error("/bin", -EISDIR, "EISDIR");
	check_error("/bin/", -EISDIR, "EISDIR");
	check_error("/etc", -EISDIR, "EISDIR (a directory implied by names)");
	check_error("/bin/sh/", -ENOTDIR, "ENOTDIR (trailing slash)");
	check_error("/bin/sh/.", -ENOTDIR, "ENOTDIR (file/.)");
	check_error("/bin/sh/x", -ENOTDIR, "ENOTDIR (file/x)");
	check_error("/bin/sh/../sh", -ENOTDIR, "ENOTDIR (file/..)");
	check_error("/dev/fifo", -EACCES, "EACCES (not a regular file)");

	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	check_error(longname, -ENAMETOOLONG, "ENAMETOOLONG (a 299-byte name)");
	memset(longpath, 0, sizeof(longpath));
	while (strlen(longpath) < 4092)
		strcat(longpath, "/.");
	strcat(longpath, "/bin");
	check_error(longpath, -ENAMETOOLONG, "ENAMETOOLONG (a 4096-byte path)");
	memmove(longpath, longpath + 2, strlen(longpath + 2) + 1);
	check_error(longpath, -EISDIR, "EISDIR (a 4094-byte path)");

	UNIT_CHECK(cpio_lookup(a.a_buf, a.a_len, "/bin/sh", scratch,
	    sizeof(scratch), &ce) == -ENAMETOOLONG,
	    "a scratch buffer shorter than the path is refused");
	a.a_len -= 20;
	UNIT_CHECK(cpio_lookup(a.a_buf, a.a_len, "/bin/sh", longpath,
	    sizeof(longpath), &ce) == -EINVAL,
	    "a truncated archive is -EINVAL");
	free(a.a_buf);
}

/*
 * Each header's mtime is 0 and its uid and gid are root's: mkinitramfs.py
 * writes them so, except where a modes file gives an owner (etc/modes:
 * the users' homes, under home/).
 */
static int
zero_fields_cb(const struct cpio_entry *ce, void *arg)
{
	const char *hdr = ce->ce_name - 110;
	int *bad = arg;

	if (memcmp(hdr + 46, "00000000", 8) != 0 ||
	    (strncmp(ce->ce_name, "home/", 5) != 0 &&
	    (ce->ce_uid != 0 || ce->ce_gid != 0)))
		(*bad)++;
	return 0;
}

/* *arg becomes home/user's uid and gid (uid << 16 | gid), if there. */
static int
home_owner_cb(const struct cpio_entry *ce, void *arg)
{
	long *owner = arg;

	if (strcmp(ce->ce_name, "home/user") == 0)
		*owner = (long)ce->ce_uid << 16 | ce->ce_gid;
	return 0;
}

/* The build's initramfs (distro/mkinitramfs.py) and what it packs. */
static void
test_real_initramfs(void)
{
	struct cpio_entry ce;
	struct seen s;
	char scratch[64];
	char *cpio, *prog;
	size_t clen = 0, plen = 0;
	int r, i, sorted = 1, bad = 0;
	long owner = -1;

	cpio = hostbuf_read(build_dir, "initramfs.cpio", &clen);
	prog = hostbuf_read(build_dir, "programs/hello", &plen);
	if (cpio == NULL || prog == NULL) {
		UNIT_CHECK(0, "read %s/initramfs.cpio and programs/hello",
		    build_dir);
		return;
	}
	memset(&s, 0, sizeof(s));
	r = cpio_walk(cpio, clen, seen_cb, &s);
	UNIT_CHECK(r == 0 && s.n >= 4, "initramfs.cpio: walks (%d, %d entries)",
	    r, s.n);
	for (i = 1; i < s.n && i < 32; i++)
		if (strcmp(s.names[i - 1], s.names[i]) >= 0)
			sorted = 0;
	UNIT_CHECK(sorted, "initramfs.cpio: names sorted, none twice");
	UNIT_STREQ(s.names[0], "bin", "initramfs.cpio: the folder comes first");
	cpio_walk(cpio, clen, zero_fields_cb, &bad);
	UNIT_CHECK(bad == 0, "initramfs.cpio: mtime 0; uid and gid 0 outside "
	    "home/");
	cpio_walk(cpio, clen, home_owner_cb, &owner);
	UNIT_CHECK(owner == (1000L << 16 | 1000), "initramfs.cpio: etc/modes "
	    "gives /home/user to uid 1000, gid 1000 (%#lx)", owner);
	r = cpio_lookup(cpio, clen, "/etc/shadow", scratch, sizeof(scratch),
	    &ce);
	UNIT_CHECK(r == 0 && ce.ce_mode == 0100600 && ce.ce_uid == 0,
	    "initramfs.cpio: etc/modes makes /etc/shadow 0600, root's (%o)",
	    ce.ce_mode);
	r = cpio_lookup(cpio, clen, "/bin/busybox", scratch, sizeof(scratch),
	    &ce);
	UNIT_CHECK(r == 0 && ce.ce_mode == 0104755,
	    "initramfs.cpio: /bin/busybox is set-user-ID root (%o)",
	    ce.ce_mode);

	r = cpio_lookup(cpio, clen, "/bin/hello", scratch, sizeof(scratch),
	    &ce);
	UNIT_CHECK(r == 0 && ce.ce_size == plen &&
	    memcmp(ce.ce_data, prog, plen) == 0,
	    "initramfs.cpio: /bin/hello is programs/hello, byte for byte");
	UNIT_CHECK(r == 0 && ce.ce_mode == 0100755,
	    "initramfs.cpio: /bin/hello has mode 0100755 (%o)", ce.ce_mode);
	r = cpio_lookup(cpio, clen, "/bin/hello.sh", scratch, sizeof(scratch),
	    &ce);
	UNIT_CHECK(r == 0 && ce.ce_size > 13 &&
	    memcmp(ce.ce_data, "#!/bin/hello ", 13) == 0,
	    "initramfs.cpio: /bin/hello.sh starts with #!/bin/hello");
	r = cpio_lookup(cpio, clen, "/bin/hello-pie", scratch,
	    sizeof(scratch), &ce);
	UNIT_CHECK(r == 0 && ce.ce_size > 4 &&
	    memcmp(ce.ce_data, "\177ELF", 4) == 0,
	    "initramfs.cpio: /bin/hello-pie is an ELF file");
	free(cpio);
	free(prog);
}

int
main(int argc, char *argv[])
{
	(void)argc;
	build_dir = hostbuf_build_dir(argv[0]);
	test_walk();
	test_truncated();
	test_malformed();
	test_lookup();
	test_real_initramfs();
	return unit_done();
}
