/*
 * uname(2)'s structure (uapi linux/utsname.h, struct new_utsname): six
 * NUL-terminated strings of at most 64 characters each.  Includes
 * nothing.
 */
#ifndef _SYS_ABI_UTSNAME_H_
#define _SYS_ABI_UTSNAME_H_

#define L_UTS_LEN	64	/* __NEW_UTS_LEN: longest string, no NUL */

struct l_utsname {
	char	sysname[L_UTS_LEN + 1];
	char	nodename[L_UTS_LEN + 1];	/* sethostname(2) */
	char	release[L_UTS_LEN + 1];
	char	version[L_UTS_LEN + 1];
	char	machine[L_UTS_LEN + 1];
	char	domainname[L_UTS_LEN + 1];	/* setdomainname(2) */
};

_Static_assert(sizeof(struct l_utsname) == 390, "l_utsname");
_Static_assert(__builtin_offsetof(struct l_utsname, domainname) == 325,
    "domainname");

#endif /* _SYS_ABI_UTSNAME_H_ */
