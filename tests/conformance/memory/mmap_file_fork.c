/*
 * File mappings across processes: after fork(2) a MAP_SHARED mapping of a
 * file is shared (both ways, and with read(2)), a MAP_PRIVATE one stays
 * copy-on-write; two processes that map the same file on their own see
 * each other's stores; the file outlives the parent's unmapping while the
 * child maps it.
 */
#include "mapfile.h"

#define P	CONF_PAGE

/* Flags in shared anonymous memory (the children cannot use libtap). */
struct flags {
	int	 step;
	int	 child_saw;
};

static struct flags *fl;

int
main(int argc, char **argv)
{
	volatile char *m, *pm;
	char c = 0;
	pid_t pid;
	int fd, st;

	(void)argc;
	conf_init(argv);
	fl = conf_shared(P);
	mf_setup("mmap_file_fork");

	/* MAP_SHARED, then fork: one set of pages, the file's. */
	fd = mf_make("forked", 2 * P, O_RDWR);
	m = mmap(NULL, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	pm = mmap(NULL, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED || pm == MAP_FAILED)
		bail_out("mmap: %s", tap_errname(errno));
	m[0] = 'S';
	pm[0] = 'p';
	pid = conf_fork();
	if (pid == 0) {
		int good = m[0] == 'S' && pm[0] == 'p';

		m[1] = 'C';		/* shared: the parent and the file */
		m[P + 1] = 'D';		/* a page the parent never touched */
		pm[0] = 'q';		/* private: only the child */
		pm[P] = 'r';
		fl->child_saw = good;
		fl->step = 1;
		conf_wait_flag(&fl->step, 2, 1, 30000);
		fl->child_saw = m[2] == 'P' && pm[0] == 'q';
		fl->step = 3;
		_exit(0);
	}
	if (conf_wait_flag(&fl->step, 1, 1, 30000) != 0)
		bail_out("the child did not run");
	ok(fl->child_saw, "fork(2): the child inherits the shared and the "
	    "private file mappings with their contents");
	ok(m[1] == 'C' && m[P + 1] == 'D', "fork(2) MAP_SHARED file: the "
	    "parent sees the child's stores");
	ok(pread(fd, &c, 1, P + 1) == 1 && c == 'D', "fork(2) MAP_SHARED "
	    "file: so does read(2)");
	ok(pm[0] == 'p' && pm[P] == MF_BYTE(P), "fork(2) MAP_PRIVATE file: "
	    "the child's stores stay in the child");
	m[2] = 'P';
	pm[0] = 'x';
	fl->step = 2;
	conf_wait_flag(&fl->step, 3, 1, 30000);
	ok(fl->child_saw, "fork(2): the child sees the parent's store to the "
	    "shared mapping, not to the private one");
	is_exit(conf_wait(pid), 0, "the child exits 0");
	munmap((void *)pm, 2 * P);

	/* Two processes map the file on their own. */
	memset(fl, 0, sizeof(*fl));
	pid = conf_fork();
	if (pid == 0) {
		volatile char *cm;
		int cfd = open("forked", O_RDWR);

		cm = mmap(NULL, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED,
		    cfd, 0);
		if (cfd < 0 || cm == MAP_FAILED)
			_exit(2);
		close(cfd);
		cm[100] = 'T';
		fl->step = 1;
		conf_wait_flag(&fl->step, 2, 1, 30000);
		fl->child_saw = cm[200] == 'U';
		/* The parent has unmapped and unlinked it by now. */
		cm[P + 5] = 'V';
		fl->step = 3;
		_exit(0);
	}
	if (conf_wait_flag(&fl->step, 1, 1, 30000) != 0)
		bail_out("the second child did not map the file");
	ok(m[100] == 'T', "mmap(2): a store in another process's own mapping "
	    "of the file shows in ours");
	m[200] = 'U';
	munmap((void *)m, 2 * P);
	ok(unlink("forked") == 0, "unlink(2) the file the child maps");
	fl->step = 2;
	conf_wait_flag(&fl->step, 3, 1, 30000);
	ok(fl->child_saw, "mmap(2): our store shows in the other process's "
	    "mapping");
	ok(pread(fd, &c, 1, P + 5) == 1 && c == 'V', "mmap(2): the child's "
	    "store after our munmap and unlink reached the file");
	st = conf_wait(pid);
	is_exit(st, 0, "the second child exits 0");
	close(fd);
	mf_done();
	return done_testing();
}
