/*
 * What abi_ours.c and abi_host.c export to test_abi.c: the entries of
 * abi_list.h, evaluated once against sys/sys/abi/ and once against the
 * host's Linux UAPI headers, in the same order.
 */
#ifndef _TESTS_ABI_TEST_H_
#define _TESTS_ABI_TEST_H_

#include <stddef.h>

enum abi_kind {
	ABI_K_GROUP,		/* name: a file of sys/sys/abi/ */
	ABI_K_CONST,		/* a: the value */
	ABI_K_TYPE,		/* a: size, b: alignment */
	ABI_K_FIELD,		/* a: offset, b: size */
};

struct abi_entry {
	enum abi_kind	 ae_kind;
	const char	*ae_name;	/* ours: "EPERM", "struct l_tms" */
	const char	*ae_host;	/* the host's spelling */
	long long	 ae_a;
	long long	 ae_b;
};

extern const struct abi_entry abi_ours[];
extern const unsigned int abi_ours_count;
extern const struct abi_entry abi_host[];
extern const unsigned int abi_host_count;

#endif /* _TESTS_ABI_TEST_H_ */
