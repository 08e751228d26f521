/*
 * The kernel's random numbers (kern/kern_random.c): a ChaCha20 generator
 * (sys/sys/chacha20.h) with fast key erasure, seeded on first use from
 * RDSEED and RDRAND when the CPU has them, the TSC's jitter and the boot
 * timing.  It never blocks.
 *
 * Locking: random_lock, a spin lock taken briefly inside these functions;
 * both may be called from any thread context.
 */
#ifndef _SYS_RANDOM_H_
#define _SYS_RANDOM_H_

#include <sys/types.h>

/* Fill buf with len random bytes (for AT_RANDOM, stack canaries, ...). */
void	random_bytes(void *buf, size_t len);

/*
 * Mix len bytes of data into the generator's key: entropy from drivers
 * (interrupt timing, a virtio-rng device).  Credits nothing: the data
 * cannot make the output worse, only better.
 */
void	random_add_entropy(const void *data, size_t len);

#endif /* _SYS_RANDOM_H_ */
