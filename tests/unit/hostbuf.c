/*
 * The host buffers of hostbuf.h.
 */
#define _DEFAULT_SOURCE
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hostbuf.h"

/*
 * Copy len bytes of p to the end of fresh pages followed by an
 * inaccessible page.  Returns the copy; *mapping and *maplen are what to
 * munmap() when done.  Exits the test (status 2) when mmap fails.
 */
void *
hostbuf_guarded(const void *p, size_t len, void **mapping, size_t *maplen)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t data = (len + pg - 1) / pg * pg;
	char *m;

	*maplen = data + pg;
	m = mmap(NULL, *maplen, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	mprotect(m + data, pg, PROT_NONE);
	memcpy(m + data - len, p, len);
	*mapping = m;
	return m + data - len;
}

/*
 * Returns the build folder of a test program whose argv[0] is argv0
 * ($(BUILD)/unit/test_NAME, so $(BUILD)).  The string is never freed.
 */
const char *
hostbuf_build_dir(const char *argv0)
{
	char *self = strdup(argv0);

	return dirname(dirname(self));
}

/*
 * Read the whole file dir/name into a buffer of malloc with one spare
 * byte, and set *len to its size.  Returns the buffer, or NULL when the
 * file cannot be read (*len is then unchanged).
 */
char *
hostbuf_read(const char *dir, const char *name, size_t *len)
{
	char path[4096];
	char *buf = NULL;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc(n + 1)) != NULL &&
	    fread(buf, 1, n, f) == (size_t)n)
		*len = n;
	else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}
