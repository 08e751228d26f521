/*
 * RLIMIT_FSIZE (getrlimit(2), write(2)): a write that would cross the
 * limit is cut short there; one that starts at the limit raises SIGXFSZ
 * (whose default action ends the process) or, with the signal ignored,
 * fails with EFBIG; ftruncate(2) past the limit is EFBIG too.
 */
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "fs.h"

#define LIMIT	10000

struct report {
	long	first, second, third, trunc, pwr;
	int	err3, errt, errp;
};

static struct report *rep;

static void
limit(void)
{
	struct rlimit rl = { LIMIT, LIMIT };

	if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
		_exit(90);
}

/* With SIGXFSZ ignored: short write, then EFBIG. */
static void
ignored(void *arg)
{
	char buf[8000];
	int fd;

	(void)arg;
	memset(buf, 'a', sizeof(buf));
	signal(SIGXFSZ, SIG_IGN);
	limit();
	if ((fd = open("ign", O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		_exit(91);
	rep->first = write(fd, buf, 8000);
	rep->second = write(fd, buf, 8000);
	rep->third = write(fd, buf, 1);
	rep->err3 = errno;
	rep->trunc = ftruncate(fd, LIMIT + 1);
	rep->errt = errno;
	rep->pwr = pwrite(fd, buf, 1, LIMIT);
	rep->errp = errno;
	close(fd);
	_exit(0);
}

/* With the default action: the write at the limit ends the process. */
static void
deflt(void *arg)
{
	char buf[100];
	int fd;

	(void)arg;
	memset(buf, 'b', sizeof(buf));
	signal(SIGXFSZ, SIG_DFL);	/* Python's runner ignores it */
	limit();
	if ((fd = open("def", O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		_exit(91);
	if (pwrite(fd, buf, 100, LIMIT - 100) != 100)
		_exit(92);
	write(fd, buf, 1);	/* offset 0: fine */
	pwrite(fd, buf, 1, LIMIT);
	_exit(93);
}

int
main(int argc, char **argv)
{
	struct stat st;
	int status;

	(void)argc;
	conf_init(argv);
	fs_setup("fsize", NULL);
	rep = conf_shared(sizeof(*rep));

	status = conf_in_child(ignored, NULL);
	is_exit(status, 0, "the child with SIGXFSZ ignored exits 0");
	is_long(rep->first, 8000, "write(2) under RLIMIT_FSIZE is whole");
	is_long(rep->second, LIMIT - 8000,
	    "write(2) crossing RLIMIT_FSIZE is cut short at the limit");
	is_long(rep->third, -1, "write(2) at RLIMIT_FSIZE fails");
	is_long(rep->err3, EFBIG, "write(2): ... with EFBIG (SIGXFSZ ignored)");
	is_long(rep->trunc, -1, "ftruncate(2) past RLIMIT_FSIZE fails");
	is_long(rep->errt, EFBIG, "ftruncate(2): ... with EFBIG");
	ok(rep->pwr == -1 && rep->errp == EFBIG,
	    "pwrite(2) at RLIMIT_FSIZE is EFBIG");
	is_success(stat("ign", &st), "stat(2) of the file");
	is_long(st.st_size, LIMIT, "the file stopped at the limit");

	status = conf_in_child(deflt, NULL);
	is_signal(status, SIGXFSZ, "write(2) at RLIMIT_FSIZE with SIGXFSZ's "
	    "default action ends the process by SIGXFSZ");
	is_success(stat("def", &st), "stat(2) of that file");
	is_long(st.st_size, LIMIT, "the write that crossed nothing was kept, "
	    "the one at the limit was not");
	fs_done();
	return done_testing();
}
