/*
 * "#!" scripts: the first line names the program that runs the file.
 *
 *	#!/bin/sh -e
 *
 * exec then runs "/bin/sh" with argv "/bin/sh", "-e", the script's path,
 * and the old argv[1...] (kern_exec.c builds that).  This file only reads
 * the line, with Linux's rules (fs/binfmt_script.c, execve(2) "Interpreter
 * scripts"):
 *
 *   - exec looks at the first BINPRM_BUF_SIZE (256) bytes of the file,
 *     "#!" included; a shorter file reads as if padded with NULs;
 *   - the line ends at the first newline in those bytes; blanks (space,
 *     tab) at its end are dropped;
 *   - the interpreter is the first word after "#!" and optional blanks; it
 *     ends at a blank or a NUL;
 *   - the argument is everything after the blanks that follow it, up to
 *     the end of the line (or a NUL): one string, inner blanks kept;
 *   - with no newline in the 256 bytes the line was cut: that is fine for
 *     the argument (the interpreter can read the file itself), but the
 *     interpreter's name must visibly end (a blank or NUL after it) within
 *     the bytes, or the file is rejected.
 *
 * One difference: when the argument begins with a NUL byte ("#!/bin/sh \0")
 * Linux passes an empty argument; here there is none, since an empty arg
 * means "no argument" to the caller.
 */
#include <sys/abi/binfmts.h>
#include <sys/errno.h>
#include <sys/exec.h>
#include <sys/systm.h>

/* The file's i-th byte as exec's buffer holds it: NUL past the end. */
static char
script_byte(const char *buf, size_t size, size_t i)
{
	return i < size ? buf[i] : '\0';
}

static bool
script_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The first index in [from, to] whose byte is not blank; to + 1 if none. */
static size_t
script_skip_blanks(const char *buf, size_t size, size_t from, size_t to)
{
	while (from <= to && script_blank(script_byte(buf, size, from)))
		from++;
	return from;
}

/* The first index in [from, to] holding a blank or a NUL; to + 1 if none. */
static size_t
script_word_end(const char *buf, size_t size, size_t from, size_t to)
{
	char c;

	for (; from <= to; from++) {
		c = script_byte(buf, size, from);
		if (script_blank(c) || c == '\0')
			break;
	}
	return from;
}

/* Copy [from, to) of the file, up to a NUL, into out. */
static int
script_copy(const char *buf, size_t size, size_t from, size_t to, char *out,
    size_t out_size)
{
	size_t n;

	for (n = 0; from + n < to && script_byte(buf, size, from + n) != '\0';
	    n++)
		;
	if (n + 1 > out_size)
		return -ENAMETOOLONG;
	if (n > 0)
		memcpy(out, buf + from, n);
	out[n] = '\0';
	return 0;
}

/*
 * Parse a "#!" first line (see the top of this file).  Returns 1 with the
 * interpreter in interp and the argument in arg ("" when there is none), 0
 * when the image does not start with "#!", -ENOEXEC when the line names no
 * interpreter or cuts its name off, -ENAMETOOLONG when interp or arg is
 * too small (BINPRM_BUF_SIZE bytes each always suffice).  Pure.
 */
int
exec_script_parse(const void *image, size_t size, char *interp,
    size_t interp_size, char *arg, size_t arg_size)
{
	const char *buf = image;
	const size_t last = BINPRM_BUF_SIZE - 1;	/* the last byte read */
	size_t end, name, name_end, a;
	int error;

	if (size < 2 || buf[0] != '#' || buf[1] != '!')
		return 0;

	/* The line: up to the first newline, or cut at the last byte. */
	for (end = 2; end <= last && script_byte(buf, size, end) != '\n'; end++)
		;
	if (end > last) {
		name = script_skip_blanks(buf, size, 2, last);
		if (name > last ||
		    script_word_end(buf, size, name, last) > last) {
			klog("exec", "#! line: no newline in %d bytes and the "
			    "interpreter's name does not end there",
			    BINPRM_BUF_SIZE);
			return -ENOEXEC;
		}
		end = last;
	}
	while (end > 2 && script_blank(script_byte(buf, size, end - 1)))
		end--;

	name = script_skip_blanks(buf, size, 2, end);
	if (name >= end) {
		klog("exec", "#! line names no interpreter");
		return -ENOEXEC;
	}
	name_end = script_word_end(buf, size, name, end - 1);
	if ((error = script_copy(buf, size, name, name_end, interp,
	    interp_size)) < 0)
		return error;

	/* The argument: after the blanks that end the name, if a blank did. */
	if (name_end < end && script_blank(script_byte(buf, size, name_end)))
		a = script_skip_blanks(buf, size, name_end, end - 1);
	else
		a = end;
	if ((error = script_copy(buf, size, a, end, arg, arg_size)) < 0)
		return error;
	return 1;
}
