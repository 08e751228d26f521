/*
 * The kernel command line, from the boot loader: words separated by
 * spaces, each either "key" or "key=value".
 *
 *	ktest=all panic=exit debugexit=0xf4 verbose
 *
 * cmdline_init() copies it once during boot; afterwards it is read-only,
 * so lookups take no lock.
 */
#include <sys/systm.h>

#define CMDLINE_MAX	512
#define CMDLINE_VALMAX	128

static char cmdline[CMDLINE_MAX];
/* The value returned by the last cmdline_get(); boot-time use only. */
static char cmdline_val[CMDLINE_VALMAX];

/* Keep a copy of the loader's command line (truncated to 511 bytes). */
void
cmdline_init(const char *line)
{
	strlcpy(cmdline, line != NULL ? line : "", sizeof(cmdline));
}

/* The whole command line, for the boot log. */
const char *
cmdline_string(void)
{
	return cmdline;
}

/*
 * The next word of a command line: skips the spaces at *pp, then returns
 * the word there with its length in *lenp and *pp just past it; NULL at
 * the end of the line.  Takes no lock (the line is read-only after boot).
 */
const char *
cmdline_word(const char **pp, size_t *lenp)
{
	const char *p = *pp, *w;

	while (*p == ' ')
		p++;
	if (*p == '\0') {
		*pp = p;
		return NULL;
	}
	w = p;
	while (*p != '\0' && *p != ' ')
		p++;
	*pp = p;
	*lenp = (size_t)(p - w);
	return w;
}

/*
 * The value of "key=value", "" for a bare "key", NULL when the key is not
 * there.  The returned string is overwritten by the next call.
 */
const char *
cmdline_get(const char *key)
{
	size_t klen = strlen(key), wlen;
	const char *p = cmdline, *w;

	while ((w = cmdline_word(&p, &wlen)) != NULL) {
		if (wlen < klen || strncmp(w, key, klen) != 0)
			continue;
		if (wlen == klen) {
			cmdline_val[0] = '\0';
			return cmdline_val;
		}
		if (w[klen] == '=') {
			size_t vlen = MIN(wlen - klen - 1, CMDLINE_VALMAX - 1);

			memcpy(cmdline_val, w + klen + 1, vlen);
			cmdline_val[vlen] = '\0';
			return cmdline_val;
		}
	}
	return NULL;
}
