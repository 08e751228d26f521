/*
 * System V shared memory (sys/kern/sysv_shm.c): what the rest of the
 * kernel sees of it.  The system calls are in sysproto.h; the ABI in
 * sys/abi/shm.h.
 */
#ifndef _SYS_SHM_H_
#define _SYS_SHM_H_

struct pfsbuf;

/* /proc/sysvipc/shm: every segment, as Linux lists them.  shm_lock. */
int	shm_pfs_print(struct pfsbuf *sb, int pid, int tid);

#endif /* _SYS_SHM_H_ */
