/*
 * Random numbers: the kernel's generator and getrandom(2).
 *
 * The generator keeps one secret, a 32-byte ChaCha20 key.  Every request
 * runs one ChaCha20 block under that key (the nonce is a request counter)
 * and splits the 64 bytes: the first half becomes the next key at once,
 * the second half is the key this request alone expands into its output.
 * This is "fast key erasure" (D. J. Bernstein, 2017): whoever later reads
 * the kernel's memory cannot recover what was handed out before.
 *
 * Entropy enters by absorption: each 32-byte piece is XORed into the key,
 * and the key is replaced by the first half of a ChaCha20 block under the
 * result (a one-way step, with a nonce of its own so the two uses never
 * meet).  The first request seeds the key from RDSEED and RDRAND when
 * CPUID says the CPU has them (Intel SDM vol. 2A, CPUID leaf 01H ECX bit
 * 30, leaf 07H EBX bit 18), from the TSC read between serializing
 * instructions (whose timing jitters, above all in a virtual machine),
 * from the boot's TSC and the clocks; later requests add the TSC and, when
 * available, one RDRAND word.  Drivers may add more with
 * random_add_entropy().  Without RDRAND the seed is only as good as the
 * TSC's jitter, which the boot log says.
 *
 * Locks protecting the variables below:
 *	r	random_lock (a spin lock; never held across a copyout)
 */
#include <sys/abi/random.h>
#include <sys/bootinfo.h>
#include <sys/chacha20.h>
#include <sys/clock.h>
#include <sys/errno.h>
#include <sys/lock.h>
#include <sys/random.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>

#include <sysproto.h>

#define CPUID1_ECX_RDRAND	(1U << 30)
#define CPUID7_EBX_RDSEED	(1U << 18)
#define RANDOM_HW_RETRIES	10	/* Intel's advice for RDRAND */
#define RANDOM_JITTER_SAMPLES	256
#define RANDOM_MAX_REQUEST	0x7ffff000UL	/* Linux's MAX_RW_COUNT */

static struct spinlock random_lock = SPINLOCK_INIT("random");
static uint8_t random_key[CHACHA20_KEY_SIZE];	/* [r] */
static uint64_t random_requests;		/* [r] output nonces */
static uint64_t random_absorbed;		/* [r] absorption counter */
static bool random_seeded;			/* [r] */
static bool random_has_rdrand, random_has_rdseed; /* [r] set at seeding */

/* One hardware random word, or false when the CPU gave none. */
static bool
random_rdrand(uint64_t *v)
{
	uint8_t ok;
	int i;

	for (i = 0; i < RANDOM_HW_RETRIES; i++) {
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return true;
	}
	return false;
}

static bool
random_rdseed(uint64_t *v)
{
	uint8_t ok;
	int i;

	for (i = 0; i < RANDOM_HW_RETRIES; i++) {
		__asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return true;
	}
	return false;
}

/* Fold data into the key, 32 bytes at a time.  random_lock held. */
static void
random_absorb_locked(const void *data, size_t len)
{
	static const uint8_t mix_nonce[CHACHA20_NONCE_SIZE] = "absorb-nonce";
	const uint8_t *p = data;
	uint8_t block[CHACHA20_BLOCK_SIZE];
	size_t i, n;

	KASSERT(spin_held(&random_lock), "random_lock");
	while (len > 0) {
		n = MIN(len, sizeof(random_key));
		for (i = 0; i < n; i++)
			random_key[i] ^= p[i];
		chacha20_block(random_key, (uint32_t)random_absorbed++,
		    mix_nonce, block);
		memcpy(random_key, block, sizeof(random_key));
		p += n;
		len -= n;
	}
	memset(block, 0, sizeof(block));
}

/* The first seed, from everything the machine offers.  random_lock held. */
static void
random_seed_locked(void)
{
	uint32_t a, b, c, d, maxleaf;
	uint64_t v[8], t;
	int i, nhw = 0;

	cpuid(0, 0, &maxleaf, &b, &c, &d);
	cpuid(1, 0, &a, &b, &c, &d);
	random_has_rdrand = (c & CPUID1_ECX_RDRAND) != 0;
	if (maxleaf >= 7) {
		cpuid(7, 0, &a, &b, &c, &d);
		random_has_rdseed = (b & CPUID7_EBX_RDSEED) != 0;
	}
	for (i = 0; i < 8; i++) {
		v[i] = 0;
		if (random_has_rdseed && random_rdseed(&v[i]))
			nhw++;
		else if (random_has_rdrand && random_rdrand(&v[i]))
			nhw++;
	}
	random_absorb_locked(v, sizeof(v));
	for (i = 0; i < RANDOM_JITTER_SAMPLES; i++) {
		cpuid(0, 0, &a, &b, &c, &d);
		t = rdtsc();
		random_absorb_locked(&t, sizeof(t));
	}
	v[0] = bootinfo.bi_entry_tsc;
	v[1] = (uint64_t)clock_realtime_ns();
	v[2] = clock_monotonic_ns();
	v[3] = ticks;
	v[4] = rdtsc();
	random_absorb_locked(v, 5 * sizeof(v[0]));
	memset(v, 0, sizeof(v));
	random_seeded = true;
	klog("random", "seeded: %d hardware words (%s), %d TSC samples", nhw,
	    random_has_rdseed ? "RDSEED" : random_has_rdrand ? "RDRAND" :
	    "no RDRAND: the TSC's jitter only", RANDOM_JITTER_SAMPLES);
}

/*
 * A fresh key for one request, and a new generator key: fast key
 * erasure.  Seeds the generator on its first use.  Takes random_lock.
 */
static void
random_take_key(uint8_t key[CHACHA20_KEY_SIZE])
{
	uint8_t block[CHACHA20_BLOCK_SIZE], nonce[CHACHA20_NONCE_SIZE];
	uint64_t extra[2];

	spin_lock(&random_lock);
	if (!random_seeded)
		random_seed_locked();
	extra[0] = rdtsc();
	extra[1] = 0;
	if (random_has_rdrand)
		(void)random_rdrand(&extra[1]);
	random_absorb_locked(extra, sizeof(extra));
	memset(nonce, 0, sizeof(nonce));
	memcpy(nonce, &random_requests, sizeof(random_requests));
	memcpy(nonce + 8, "out", 4);
	random_requests++;
	chacha20_block(random_key, 0, nonce, block);
	memcpy(random_key, block, CHACHA20_KEY_SIZE);
	spin_unlock(&random_lock);
	memcpy(key, block + CHACHA20_KEY_SIZE, CHACHA20_KEY_SIZE);
	memset(block, 0, sizeof(block));
}

/* Fill buf with len random bytes.  Takes random_lock briefly. */
void
random_bytes(void *buf, size_t len)
{
	static const uint8_t zero_nonce[CHACHA20_NONCE_SIZE];
	uint8_t key[CHACHA20_KEY_SIZE];

	random_take_key(key);
	memset(buf, 0, len);
	chacha20_xor(key, 0, zero_nonce, buf, len);
	memset(key, 0, sizeof(key));
}

/* Absorb len bytes of data into the key.  Takes random_lock. */
void
random_add_entropy(const void *data, size_t len)
{
	spin_lock(&random_lock);
	random_absorb_locked(data, len);
	spin_unlock(&random_lock);
}

/*
 * getrandom(2): up to count random bytes into buf.  GRND_RANDOM and
 * GRND_NONBLOCK change nothing here, as in Linux since 5.6 once the
 * generator is seeded, and ours is seeded before the first byte leaves
 * (synchronously, on first use); GRND_INSECURE with GRND_RANDOM, or any
 * unknown flag, is EINVAL.  Returns the count copied (at most Linux's
 * MAX_RW_COUNT per call), or -EFAULT when not even the first byte could be
 * written.
 */
long
sys_getrandom(void __user *buf, size_t count, unsigned int flags)
{
	static const uint8_t zero_nonce[CHACHA20_NONCE_SIZE];
	uint8_t key[CHACHA20_KEY_SIZE], chunk[256];
	uint8_t __user *ubuf = buf;
	uint32_t counter = 0;
	size_t done = 0, n;
	long ret;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & (GRND_INSECURE | GRND_RANDOM)) ==
	    (GRND_INSECURE | GRND_RANDOM))
		return -EINVAL;
	count = MIN(count, RANDOM_MAX_REQUEST);
	if (count == 0)
		return 0;
	random_take_key(key);
	while (done < count) {
		n = MIN(count - done, sizeof(chunk));
		memset(chunk, 0, n);
		chacha20_xor(key, counter, zero_nonce, chunk, n);
		counter += sizeof(chunk) / CHACHA20_BLOCK_SIZE;
		if (copyout(chunk, ubuf + done, n) < 0)
			break;
		done += n;
	}
	ret = done > 0 ? (long)done : -EFAULT;
	memset(key, 0, sizeof(key));
	memset(chunk, 0, sizeof(chunk));
	return ret;
}
