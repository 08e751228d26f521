/*
 * What the tests that read /proc and /sys share: reading a whole file,
 * and the number after a "key:" of a status-style text.
 */
#ifndef _CONF_PROC_H_
#define _CONF_PROC_H_

#include <fcntl.h>
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

#endif /* _CONF_PROC_H_ */
