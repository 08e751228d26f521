/*
 * sysinfo(2)'s structure (uapi linux/sysinfo.h).  Memory sizes are in
 * units of mem_unit bytes; load averages are fixed point with
 * SI_LOAD_SHIFT fraction bits.  Includes nothing.
 */
#ifndef _SYS_ABI_SYSINFO_H_
#define _SYS_ABI_SYSINFO_H_

#define SI_LOAD_SHIFT	16

struct l_sysinfo {
	long		uptime;		/* seconds since boot */
	unsigned long	loads[3];	/* 1, 5 and 15 minute load averages */
	unsigned long	totalram;	/* usable RAM */
	unsigned long	freeram;	/* free RAM */
	unsigned long	sharedram;	/* shared memory */
	unsigned long	bufferram;	/* buffers (the buffer cache) */
	unsigned long	totalswap;
	unsigned long	freeswap;
	unsigned short	procs;		/* processes */
	unsigned short	pad;
	unsigned long	totalhigh;	/* high memory: 0 on 64-bit */
	unsigned long	freehigh;
	unsigned int	mem_unit;	/* bytes per unit above */
	/* Linux's libc5 padding, _f, is 0 bytes long on 64-bit. */
};

_Static_assert(sizeof(struct l_sysinfo) == 112, "l_sysinfo");
_Static_assert(__builtin_offsetof(struct l_sysinfo, procs) == 80, "procs");
_Static_assert(__builtin_offsetof(struct l_sysinfo, totalhigh) == 88,
    "totalhigh");
_Static_assert(__builtin_offsetof(struct l_sysinfo, mem_unit) == 104,
    "mem_unit");

#endif /* _SYS_ABI_SYSINFO_H_ */
