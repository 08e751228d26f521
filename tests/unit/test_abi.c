/*
 * Host test of the Linux ABI as EclipseOS writes it down.
 *
 *  1. Every constant, structure and field of sys/sys/abi/ listed in
 *     abi_list.h against the host's Linux UAPI headers (abi_ours.c and
 *     abi_host.c evaluate the list on each side): one result per header
 *     for the constants, one per structure for its size, alignment and
 *     fields.
 *  2. Completeness: every #define of those headers is in the list, and
 *     every errno the host knows is in errno.h.
 *  3. sys/kern/syscalls.master against the host's asm/unistd_64.h, both
 *     ways: the same numbers with the same names, nothing missing.
 *
 * The files are read at run time; paths are relative to the repository
 * root, where `make unit` runs the tests.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_test.h"
#include "unit.h"

#define ABI_DIR		"sys/sys/abi/"
#define MASTER		"sys/kern/syscalls.master"
#define MAXNAMES	1024

static const char *const unistd_paths[] = {
	"/usr/include/x86_64-linux-gnu/asm/unistd_64.h",
	"/usr/include/asm/unistd_64.h",
};
static const char *const errno_paths[] = {
	"/usr/include/asm-generic/errno-base.h",
	"/usr/include/asm-generic/errno.h",
};

struct name_list {
	char	*nl_name[MAXNAMES];
	long	 nl_value[MAXNAMES];
	int	 nl_n;
};

static void
names_add(struct name_list *nl, const char *name, long value)
{
	if (nl->nl_n < MAXNAMES) {
		nl->nl_name[nl->nl_n] = strdup(name);
		nl->nl_value[nl->nl_n] = value;
		nl->nl_n++;
	}
}

/* The "#define NAME ..." lines of path; -1 if it cannot be read. */
static int
read_defines(const char *path, struct name_list *nl, const char *prefix)
{
	char line[512], name[128];
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, " #define %127[A-Za-z0-9_]", name) != 1)
			continue;
		if (prefix != NULL &&
		    strncmp(name, prefix, strlen(prefix)) != 0)
			continue;
		names_add(nl, name, 0);
	}
	fclose(f);
	return 0;
}

/* 1. Constants, by group, and structures, each with its fields. */
static void
test_values(void)
{
	const struct abi_entry *o, *h;
	const char *group = NULL, *type_host = NULL;
	unsigned int i;
	int n = 0, bad = 0, kind = -1;

	UNIT_CHECK(abi_ours_count == abi_host_count,
	    "both sides evaluated the same list (%u, %u entries)",
	    abi_ours_count, abi_host_count);
	for (i = 0; i <= abi_ours_count && i <= abi_host_count; i++) {
		o = i < abi_ours_count ? &abi_ours[i] : NULL;
		h = i < abi_host_count ? &abi_host[i] : NULL;
		/* A new group or structure closes the previous one. */
		if (o == NULL || o->ae_kind == ABI_K_GROUP ||
		    o->ae_kind == ABI_K_TYPE) {
			if (kind == ABI_K_GROUP)
				UNIT_CHECK(bad == 0, "%s: %d constants match "
				    "the host's (%d differ)", group, n, bad);
			else if (kind == ABI_K_TYPE)
				UNIT_CHECK(bad == 0, "%s: size, alignment and "
				    "%d fields match %s (%d differ)", group,
				    n - 1, type_host, bad);
			if (o == NULL)
				break;
			kind = o->ae_kind;
			group = o->ae_name;
			type_host = h->ae_host;
			n = bad = 0;
			if (kind == ABI_K_GROUP)
				continue;
		}
		n++;
		if (o->ae_a == h->ae_a && o->ae_b == h->ae_b)
			continue;
		bad++;
		if (o->ae_kind == ABI_K_CONST)
			printf("# %s: ours %lld (%#llx), host %s %lld "
			    "(%#llx)\n", o->ae_name, o->ae_a, o->ae_a,
			    h->ae_host, h->ae_a, h->ae_a);
		else
			printf("# %s: ours %lld/%lld, host %s %lld/%lld "
			    "(%s)\n", o->ae_name, o->ae_a, o->ae_b,
			    h->ae_host, h->ae_a, h->ae_b,
			    o->ae_kind == ABI_K_TYPE ? "size/alignment" :
			    "offset/size");
	}
}

/* Is name a constant listed in group file (or anywhere, if NULL)? */
static int
listed(const char *file, const char *name)
{
	const char *group = NULL;
	unsigned int i;

	for (i = 0; i < abi_ours_count; i++) {
		if (abi_ours[i].ae_kind == ABI_K_GROUP)
			group = abi_ours[i].ae_name;
		else if (abi_ours[i].ae_kind == ABI_K_CONST &&
		    strcmp(abi_ours[i].ae_name, name) == 0 &&
		    (file == NULL || strcmp(group, file) == 0))
			return 1;
	}
	return 0;
}

/* 2a. Every #define of each listed header is in the list. */
static void
test_complete_ours(void)
{
	struct name_list nl;
	char path[256];
	unsigned int i;
	int j, missing;

	for (i = 0; i < abi_ours_count; i++) {
		if (abi_ours[i].ae_kind != ABI_K_GROUP)
			continue;
		memset(&nl, 0, sizeof(nl));
		snprintf(path, sizeof(path), ABI_DIR "%s", abi_ours[i].ae_name);
		if (read_defines(path, &nl, NULL) < 0) {
			UNIT_CHECK(0, "%s: cannot be read", path);
			continue;
		}
		missing = 0;
		for (j = 0; j < nl.nl_n; j++) {
			if (strncmp(nl.nl_name[j], "_SYS_ABI_", 9) == 0)
				continue;
			if (!listed(abi_ours[i].ae_name, nl.nl_name[j])) {
				printf("# %s: %s is not in abi_list.h\n", path,
				    nl.nl_name[j]);
				missing++;
			}
			free(nl.nl_name[j]);
		}
		UNIT_CHECK(missing == 0 && nl.nl_n > 0, "%s: every constant "
		    "is checked against the host (%d missing)", path,
		    missing);
	}
}

/* 2b. Every errno of the host is in errno.h. */
static void
test_complete_errno(void)
{
	struct name_list nl;
	unsigned int i;
	int j, missing = 0, unread = 0;

	memset(&nl, 0, sizeof(nl));
	for (i = 0; i < sizeof(errno_paths) / sizeof(errno_paths[0]); i++)
		if (read_defines(errno_paths[i], &nl, "E") < 0)
			unread++;
	for (j = 0; j < nl.nl_n; j++) {
		if (!listed("errno.h", nl.nl_name[j])) {
			printf("# host errno %s is missing from errno.h\n",
			    nl.nl_name[j]);
			missing++;
		}
		free(nl.nl_name[j]);
	}
	UNIT_CHECK(unread == 0 && missing == 0 && nl.nl_n >= 130,
	    "errno.h has all %d errno names of the host (%d missing, %d "
	    "files unread)", nl.nl_n, missing, unread);
}

/* The host's __NR_name numbers. */
static int
read_unistd(struct name_list *nl, const char **pathp)
{
	char line[256], name[128];
	unsigned int i;
	long nr;
	FILE *f = NULL;

	for (i = 0; i < sizeof(unistd_paths) / sizeof(unistd_paths[0]); i++)
		if ((f = fopen(unistd_paths[i], "r")) != NULL)
			break;
	if (f == NULL)
		return -1;
	*pathp = unistd_paths[i];
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, " #define __NR_%127s %ld", name, &nr) == 2)
			names_add(nl, name, nr);
	fclose(f);
	return 0;
}

/* syscalls.master's rows: number and name; -1 if unreadable. */
static int
read_master(struct name_list *nl)
{
	char line[1024], name[128], *p;
	long nr;
	FILE *f;

	if ((f = fopen(MASTER, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		for (p = line; isspace((unsigned char)*p); p++)
			;
		if (*p == '#' || *p == '\0')
			continue;
		if (sscanf(p, "%ld %127s", &nr, name) != 2) {
			printf("# unparsable row: %s", line);
			names_add(nl, "?", -1);
			continue;
		}
		names_add(nl, name, nr);
	}
	fclose(f);
	return 0;
}

static int
find_name(const struct name_list *nl, const char *name)
{
	int i;

	for (i = 0; i < nl->nl_n; i++)
		if (strcmp(nl->nl_name[i], name) == 0)
			return i;
	return -1;
}

/* 3. syscalls.master and unistd_64.h agree, both ways. */
static void
test_syscalls(void)
{
	struct name_list host, ours;
	const char *path = "asm/unistd_64.h";
	int i, j, bad = 0, missing = 0, order = 0;

	memset(&host, 0, sizeof(host));
	memset(&ours, 0, sizeof(ours));
	i = read_unistd(&host, &path);
	UNIT_CHECK(i == 0 && host.nl_n > 300, "%s read: %d system calls",
	    path, host.nl_n);
	i = read_master(&ours);
	UNIT_CHECK(i == 0 && ours.nl_n > 300, MASTER " read: %d rows",
	    ours.nl_n);
	for (i = 0; i < ours.nl_n; i++) {
		if (i > 0 && ours.nl_value[i] <= ours.nl_value[i - 1])
			order++;
		j = find_name(&host, ours.nl_name[i]);
		if (j < 0 || host.nl_value[j] != ours.nl_value[i]) {
			printf("# %s row %ld %s: the host says %ld\n", MASTER,
			    ours.nl_value[i], ours.nl_name[i],
			    j < 0 ? -1L : host.nl_value[j]);
			bad++;
		}
	}
	for (i = 0; i < host.nl_n; i++) {
		if (find_name(&ours, host.nl_name[i]) < 0) {
			printf("# __NR_%s (%ld) has no row in " MASTER "\n",
			    host.nl_name[i], host.nl_value[i]);
			missing++;
		}
	}
	UNIT_CHECK(bad == 0, "every row of " MASTER " has Linux's number for "
	    "its name (%d differ)", bad);
	UNIT_CHECK(missing == 0 && host.nl_n == ours.nl_n, "every system "
	    "call of %s has a row (%d missing; %d and %d)", path, missing,
	    host.nl_n, ours.nl_n);
	UNIT_CHECK(order == 0, MASTER " is in increasing number order");
	for (i = 0; i < host.nl_n; i++)
		free(host.nl_name[i]);
	for (i = 0; i < ours.nl_n; i++)
		free(ours.nl_name[i]);
}

int
main(void)
{
	test_values();
	test_complete_ours();
	test_complete_errno();
	test_syscalls();
	return unit_done();
}
