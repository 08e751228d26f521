/*
 * getrandom(2)'s flags (uapi linux/random.h).  Includes nothing.
 */
#ifndef _SYS_ABI_RANDOM_H_
#define _SYS_ABI_RANDOM_H_

#define GRND_NONBLOCK	0x0001	/* EAGAIN instead of waiting for a seed */
#define GRND_RANDOM	0x0002	/* the "blocking pool"; today no effect */
#define GRND_INSECURE	0x0004	/* never wait, even unseeded */

#endif /* _SYS_ABI_RANDOM_H_ */
