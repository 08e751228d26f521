/*
 * What the tests that read /proc and /sys share: reading a whole file,
 * the number after a "key:" of a status-style text, and the kB value of a
 * "name:" line of a status-style file or of one mapping in smaps.
 */
#ifndef _CONF_PROC_H_
#define _CONF_PROC_H_

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The whole of a file into buf (NUL-terminated); its length or -1. */
static inline long
slurp(const char *path, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0)
		return -1;
	while (got < len - 1 && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	return (long)got;
}

/* The number after "key:" in a status-style text, or -1. */
static inline long
field(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	if (p == NULL)
		return -1;
	p += strlen(key);
	while (*p == ' ' || *p == '\t')
		p++;
	return strtol(p, NULL, 10);
}

/*
 * The number after "name:" at the start of line (a kB value in status,
 * meminfo, smaps), or -1 when line is another line.
 */
static inline long
line_kb(const char *line, const char *name)
{
	size_t len = strlen(name);

	if (strncmp(line, name, len) != 0 || line[len] != ':')
		return -1;
	return strtol(line + len + 1, NULL, 10);
}

/* The kB value of the first "name:" line of file, or -1. */
static inline long
field_kb(const char *file, const char *name)
{
	char line[512];
	long v = -1;
	FILE *f;

	if ((f = fopen(file, "r")) == NULL)
		return -1;
	while (v < 0 && fgets(line, sizeof(line), f) != NULL)
		v = line_kb(line, name);
	fclose(f);
	return v;
}

/*
 * The kB value of "name:" of the mapping of /proc/self/smaps that
 * contains addr, or -1.
 */
static inline long
smaps_kb(const void *addr, const char *name)
{
	char line[512];
	unsigned long lo, hi, a = (unsigned long)addr;
	bool in = false;
	long v = -1;
	FILE *f;

	if ((f = fopen("/proc/self/smaps", "r")) == NULL)
		return -1;
	while (v < 0 && fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 &&
		    strchr(line, ' ') > strchr(line, '-'))
			in = lo <= a && a < hi;
		else if (in)
			v = line_kb(line, name);
	}
	fclose(f);
	return v;
}

#endif /* _CONF_PROC_H_ */
