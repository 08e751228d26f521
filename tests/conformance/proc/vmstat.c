/*
 * /proc memory and system files: VmPeak and VmHWM in status (peaks that
 * stay after memory is unmapped), smaps_rollup and smaps (Rss, Pss,
 * Private_Dirty, Anonymous after touching a known amount of private
 * memory; Pss halves for pages shared with a forked child), and
 * /proc/interrupts (CPU columns, counts that grow).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"
#include "proc.h"

#define MB	(1024L * 1024)
#define AREA	(8 * MB)

static void
test_peaks(void)
{
	long size0, rss0, peak, hwm;
	char *p;

	size0 = field_kb("/proc/self/status", "VmSize");
	rss0 = field_kb("/proc/self/status", "VmRSS");
	p = mmap(NULL, AREA, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	memset(p, 1, AREA);
	munmap(p, AREA);
	peak = field_kb("/proc/self/status", "VmPeak");
	hwm = field_kb("/proc/self/status", "VmHWM");
	ok(peak >= size0 + AREA / 1024 - 64, "VmPeak (%ld kB) kept the 8 MiB "
	    "mapping after munmap (VmSize was %ld kB)", peak, size0);
	ok(hwm >= AREA / 1024 - 64 && hwm >= rss0, "VmHWM (%ld kB) kept "
	    "the 8 MiB touched (VmRSS was %ld kB)", hwm, rss0);
	ok(field_kb("/proc/self/status", "VmRSS") < hwm, "VmRSS fell below "
	    "VmHWM");
}

static void
test_smaps(void)
{
	long rss, pss, pss1, dirty, anon, rollup0, rollup1;
	int status;
	pid_t pid;
	char *p;

	rollup0 = field_kb("/proc/self/smaps_rollup", "Rss");
	p = mmap(NULL, 4 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	memset(p, 2, 4 * MB);
	rss = smaps_kb(p, "Rss");
	pss = smaps_kb(p, "Pss");
	dirty = smaps_kb(p, "Private_Dirty");
	anon = smaps_kb(p, "Anonymous");
	ok(rss >= 4096 && pss >= 4096 && dirty >= 4096 && anon >= 4096,
	    "smaps of 4 MiB written (in a mapping that may hold more): Rss "
	    "%ld Pss %ld Private_Dirty %ld Anonymous %ld (>= 4096 kB each)",
	    rss, pss, dirty, anon);
	is_long(smaps_kb(p, "Swap"), 0, "smaps: Swap 0");
	rollup1 = field_kb("/proc/self/smaps_rollup", "Rss");
	ok(rollup1 >= rollup0 + 4096, "smaps_rollup's Rss grew by 4 MiB "
	    "(%ld -> %ld kB)", rollup0, rollup1);
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	pss1 = smaps_kb(p, "Pss");
	ok(pss - pss1 >= 2048 - 64 && pss - pss1 <= 2048 + 64 &&
	    smaps_kb(p, "Shared_Dirty") >= 4096, "after fork the 4 MiB are "
	    "shared by two: Pss fell by %ld kB (2048), Shared_Dirty %ld kB",
	    pss - pss1, smaps_kb(p, "Shared_Dirty"));
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	munmap(p, 4 * MB);
}

/* Sum of every count on the numbered and LOC lines; CPU columns. */
static long
interrupts(int *ncpu)
{
	char line[1024], *s, *end;
	long sum = 0, v;
	FILE *f;
	int i;

	*ncpu = 0;
	if ((f = fopen("/proc/interrupts", "r")) == NULL)
		return -1;
	if (fgets(line, sizeof(line), f) != NULL)
		for (s = line; (s = strstr(s, "CPU")) != NULL; s += 3)
			(*ncpu)++;
	while (fgets(line, sizeof(line), f) != NULL) {
		if ((s = strchr(line, ':')) == NULL)
			continue;
		s++;
		for (i = 0; i < *ncpu; i++) {
			v = strtol(s, &end, 10);
			if (end == s)
				break;
			sum += v;
			s = end;
		}
	}
	fclose(f);
	return sum;
}

static void
test_interrupts(void)
{
	long a, b;
	int ncpu;

	a = interrupts(&ncpu);
	ok(ncpu >= 1 && a > 0, "/proc/interrupts: %d CPU columns, counts "
	    "(%ld)", ncpu, a);
	conf_spin_ms(200);
	b = interrupts(&ncpu);
	ok(b > a, "the counts grew while the CPU ran (%ld -> %ld)", a, b);
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	test_peaks();
	test_smaps();
	test_interrupts();
	return done_testing();
}
