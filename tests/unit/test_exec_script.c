/*
 * Host test of exec_script_parse() (sys/kern/kern_exec_script.c): the
 * "#!" line rules of Linux's fs/binfmt_script.c, case by case, including
 * the 256-byte limit, blanks, NULs and files shorter than a line.  Each
 * image is copied to the end of a page followed by an inaccessible page,
 * so a read past the file's end crashes the test.
 */
#define _DEFAULT_SOURCE
#include <sys/mman.h>
#include <unistd.h>

#include <sys/abi/binfmts.h>
#include <sys/errno.h>
#include <sys/exec.h>

#include "unit.h"

/* Parse len bytes of s; interp and arg get the results. */
static int
parse(const char *s, size_t len, char *interp, char *arg)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	char *m;
	int r;

	m = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || len > pg) {
		perror("mmap");
		exit(2);
	}
	mprotect(m + pg, pg, PROT_NONE);
	memcpy(m + pg - len, s, len);
	strcpy(interp, "(unset)");
	strcpy(arg, "(unset)");
	r = exec_script_parse(m + pg - len, len, interp, BINPRM_BUF_SIZE, arg,
	    BINPRM_BUF_SIZE);
	munmap(m, 2 * pg);
	return r;
}

/* s for a TAP line: control characters as '?', long ones cut. */
static const char *
show(const char *s, char *buf)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i < 24; i++)
		buf[i] = (unsigned char)s[i] < ' ' ? '?' : s[i];
	strcpy(buf + i, s[i] != '\0' ? "..." : "");
	return buf;
}

static void
check(const char *what, const char *s, size_t len, int want,
    const char *want_interp, const char *want_arg)
{
	char interp[BINPRM_BUF_SIZE], arg[BINPRM_BUF_SIZE];
	char b1[32], b2[32], b3[32], b4[32];
	int r = parse(s, len, interp, arg);

	if (want != 1) {
		UNIT_CHECK(r == want, "%s: returns %d (got %d)", what, want, r);
		return;
	}
	UNIT_CHECK(r == 1 && strcmp(interp, want_interp) == 0 &&
	    strcmp(arg, want_arg) == 0, "%s: \"%s\" \"%s\" (got %d \"%s\" "
	    "\"%s\")", what, show(want_interp, b1), show(want_arg, b2), r,
	    show(interp, b3), show(arg, b4));
}

#define CHECK(what, lit, want, i, a)					\
	check(what, lit, sizeof(lit) - 1, want, i, a)

static void
test_simple(void)
{
	CHECK("no #!", "\177ELF....", 0, NULL, NULL);
	CHECK("a lone #", "#", 0, NULL, NULL);
	CHECK("empty file", "", 0, NULL, NULL);
	CHECK("#! in the middle", " #!/bin/sh\n", 0, NULL, NULL);
	CHECK("plain", "#!/bin/sh\necho hi\n", 1, "/bin/sh", "");
	CHECK("one argument", "#!/bin/sh -e\n", 1, "/bin/sh", "-e");
	CHECK("blanks before the name", "#! \t /bin/sh\n", 1, "/bin/sh", "");
	CHECK("the rest of the line is one argument",
	    "#!/usr/bin/env python3 -u -O\n", 1, "/usr/bin/env",
	    "python3 -u -O");
	CHECK("inner blanks kept, outer ones dropped",
	    "#!/bin/x \t a  b \t \n", 1, "/bin/x", "a  b");
	CHECK("trailing blanks without an argument", "#!/bin/sh \t \n", 1,
	    "/bin/sh", "");
	CHECK("a tab separates", "#!/bin/sh\t-x\n", 1, "/bin/sh", "-x");
	CHECK("CR is part of the line (DOS files fail later)",
	    "#!/bin/sh\r\n", 1, "/bin/sh\r", "");
	CHECK("no newline at all (short file)", "#!/bin/sh -x", 1, "/bin/sh",
	    "-x");
	CHECK("just #!", "#!", 1, "", "");
	CHECK("#! and a newline names nothing", "#!\n", -ENOEXEC, NULL, NULL);
	CHECK("#! and blanks names nothing", "#!   \t\n", -ENOEXEC, NULL,
	    NULL);
	CHECK("a NUL ends the name", "#!/bin/sh\0 -x\n", 1, "/bin/sh", "");
	CHECK("a NUL ends the argument", "#!/bin/sh -x\0yz\n", 1, "/bin/sh",
	    "-x");
	CHECK("an argument starting with NUL is dropped",
	    "#!/bin/sh \0yz\n", 1, "/bin/sh", "");
}

/* Lines around the 256-byte limit. */
static void
test_limits(void)
{
	char buf[600], name[300], arg[300];

	/* A 255-byte line plus its newline: the newline is in the buffer. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, "#!/", 3);
	memset(buf + 3, 'a', 252);
	buf[255] = '\n';
	memcpy(name, buf + 2, 253);
	name[253] = '\0';
	check("a 256-byte line with its newline", buf, 256, 1, name, "");

	/* One byte longer: no newline in 256 bytes, the name is cut. */
	memset(buf + 3, 'a', 253);
	buf[256] = '\n';
	check("a 257-byte line whose name is cut", buf, 257, -ENOEXEC,
	    NULL, NULL);

	/* The name ends within 256 bytes; the argument is cut: fine. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, "#!/bin/sh ", 10);
	memset(buf + 10, 'b', 400);
	buf[410] = '\n';
	memset(arg, 'b', 245);		/* bytes 10 to 254 */
	arg[245] = '\0';
	check("an argument cut at 255 bytes", buf, 411, 1, "/bin/sh", arg);

	/* The blank that ends the name is the 256th byte. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, "#!/", 3);
	memset(buf + 3, 'c', 252);
	buf[255] = ' ';
	memset(buf + 256, 'd', 10);
	buf[266] = '\n';
	memcpy(name, buf + 2, 253);
	name[253] = '\0';
	check("a name ended by the 256th byte", buf, 267, 1, name, "");

	/* A file of exactly 255 bytes with no newline: NUL-padded. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, "#!/", 3);
	memset(buf + 3, 'e', 252);
	memcpy(name, buf + 2, 253);
	name[253] = '\0';
	check("a 255-byte file with no newline", buf, 255, 1, name, "");

	/* Exactly 256 bytes, no newline, no blank: the name is cut. */
	memset(buf + 3, 'e', 253);
	check("a 256-byte file that is all name", buf, 256, -ENOEXEC, NULL,
	    NULL);

	/* Blanks only, past the limit. */
	memset(buf, ' ', sizeof(buf));
	memcpy(buf, "#!", 2);
	check("300 blanks", buf, 300, -ENOEXEC, NULL, NULL);
}

/* Small output buffers are refused, never overrun. */
static void
test_buffers(void)
{
	char interp[8], arg[3];
	int r;

	r = exec_script_parse("#!/bin/shell -abc\n", 18, interp,
	    sizeof(interp), arg, sizeof(arg));
	UNIT_CHECK(r == -ENAMETOOLONG, "a short interp buffer: ENAMETOOLONG "
	    "(%d)", r);
	r = exec_script_parse("#!/bin/sh -abc\n", 15, interp, sizeof(interp),
	    arg, sizeof(arg));
	UNIT_CHECK(r == -ENAMETOOLONG, "a short arg buffer: ENAMETOOLONG (%d)",
	    r);
	r = exec_script_parse("#!/bin/sh -a\n", 13, interp, sizeof(interp),
	    arg, sizeof(arg));
	UNIT_CHECK(r == 1 && strcmp(interp, "/bin/sh") == 0 &&
	    strcmp(arg, "-a") == 0, "buffers that just fit");
}

int
main(void)
{
	test_simple();
	test_limits();
	test_buffers();
	return unit_done();
}
