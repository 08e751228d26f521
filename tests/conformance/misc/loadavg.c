/*
 * The load averages: /proc/loadavg (proc(5)) and sysinfo(2)'s loads (with
 * SI_LOAD_SHIFT, 16, fraction bits) are the same three decaying averages,
 * so with a busy process they agree to within /proc's rounding; the
 * running/total field counts at least the busy child and this process.
 */
/* conformance: timeout=120 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "proc/proc.h"

#define WAIT_SECONDS	60	/* a bound only a broken kernel reaches */

struct lavg {
	double	 l[3];
	int	 running, total;
};

static int
read_loadavg(struct lavg *la)
{
	char buf[256];

	if (slurp("/proc/loadavg", buf, sizeof(buf)) <= 0)
		return -1;
	return sscanf(buf, "%lf %lf %lf %d/%d", &la->l[0], &la->l[1],
	    &la->l[2], &la->running, &la->total) == 5 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct lavg a, b;
	struct sysinfo si;
	time_t end;
	pid_t pid;
	int i, status, agree = 0;

	(void)argc;
	conf_init(argv);
	if ((pid = fork()) == 0)
		for (;;)
			;
	/* Wait until the busy child shows in the 1-minute average. */
	end = time(NULL) + WAIT_SECONDS;
	while (read_loadavg(&a) == 0 && a.l[0] == 0.0 && time(NULL) < end)
		usleep(200000);
	ok(a.l[0] > 0.0, "proc(5): a busy process raises the 1-minute load "
	    "average");
	cmp_long(a.total, ">=", 2, "proc(5): /proc/loadavg's total counts "
	    "the busy child and this process");
	/* Compare with sysinfo between two equal readings of /proc. */
	for (i = 0; i < 50 && !agree; i++) {
		if (read_loadavg(&a) < 0 || conf_sys(SYS_sysinfo, &si) < 0 ||
		    read_loadavg(&b) < 0)
			break;
		if (memcmp(a.l, b.l, sizeof(a.l)) != 0)
			continue;	/* an update came in between */
		agree = 1;
		for (int k = 0; k < 3; k++) {
			double s = si.loads[k] / 65536.0;

			if (s - a.l[k] > 0.011 || a.l[k] - s > 0.011) {
				diag("load %d: /proc says %.2f, sysinfo %.4f",
				    k, a.l[k], s);
				agree = 0;
			}
		}
		if (!agree)
			break;
	}
	ok(agree, "sysinfo(2): loads are /proc/loadavg's averages (1 << "
	    "SI_LOAD_SHIFT is 1.0)");
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return done_testing();
}
