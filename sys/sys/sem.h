/*
 * System V semaphores (sys/kern/sysv_sem.c): what the rest of the kernel
 * sees of them.  The system calls are in sysproto.h; the ABI in
 * sys/abi/sem.h.
 */
#ifndef _SYS_SEM_H_
#define _SYS_SEM_H_

struct pfsbuf;
struct sem_undolist;
struct thread;

/*
 * clone: the adjustment list the new thread or process starts with in
 * *ulp: with CLONE_SYSVSEM the caller's, shared; else NULL.  The caller
 * stores it in the new thread's td_semundo once the clone is certain, or
 * gives it back with sem_undo_release.  Takes sem_lock.  0 or -ENOMEM.
 */
int	sem_fork(unsigned long flags, struct sem_undolist **ulp);
/*
 * Drop a reference to an adjustment list (NULL: nothing); the last one
 * applies the SEM_UNDO adjustments.  Takes sem_lock.
 */
void	sem_undo_release(struct sem_undolist *ul);
/* A thread ends: it lets go of its adjustment list.  Takes sem_lock. */
void	sem_exit(struct thread *td);
/* /proc/sysvipc/sem: every set, as Linux lists them.  Takes sem_lock. */
int	sem_pfs_print(struct pfsbuf *sb, int pid, int tid);

#endif /* _SYS_SEM_H_ */
