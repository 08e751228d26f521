/*
 * The file offset belongs to the open file description (open(2), fork(2)):
 * a parent and child sharing one read alternately and never get the same
 * bytes; dup(2) shares it too; two opens do not.  O_APPEND writes from two
 * processes with their own opens are each atomic at the end of the file
 * (open(2): "the file offset is positioned at the end of the file ... as
 * an atomic step"): nothing is lost or overwritten.
 */
#include <sched.h>
#include <sys/stat.h>

#include "fs.h"

#define NBYTES		400	/* the shared-offset file */
#define CHUNK		4	/* bytes per turn */
#define NREC		300	/* O_APPEND records per process */
#define RECLEN		16

struct shared {
	volatile int	turn;		/* chunks read so far */
	unsigned char	got[2][NBYTES];	/* each side's bytes */
	int		ngot[2];
	int		fail;
};

static struct shared *sh;

/* Reads CHUNK bytes on each of side's turns until the file ends. */
static void
reader(int fd, int side)
{
	ssize_t n;

	for (;;) {
		while ((sh->turn & 1) != side) {
			if (sh->turn < 0)
				return;
			sched_yield();
		}
		n = read(fd, sh->got[side] + sh->ngot[side], CHUNK);
		if (n < 0)
			sh->fail = errno;
		if (n <= 0) {
			sh->turn = -2;	/* tell the other side to stop */
			return;
		}
		sh->ngot[side] += (int)n;
		sh->turn++;
	}
}

static void
appender(const char *tag)
{
	char rec[RECLEN + 1];
	int fd, i;

	if ((fd = open("log", O_WRONLY | O_APPEND)) < 0)
		_exit(10);
	for (i = 0; i < NREC; i++) {
		snprintf(rec, sizeof(rec), "%s %08d....\n", tag, i);
		if (write(fd, rec, RECLEN) != RECLEN)
			_exit(11);
		if (i % 16 == 0)
			sched_yield();
	}
	close(fd);
	_exit(0);
}

int
main(int argc, char **argv)
{
	unsigned char data[NBYTES];
	char *log, rec[RECLEN + 1];
	struct stat st;
	pid_t pid, pid2;
	int fd, fd2, i, status, status2, nrec[2], bad;

	(void)argc;
	conf_init(argv);
	fs_setup("offset", NULL);
	sh = conf_shared(sizeof(*sh));
	for (i = 0; i < NBYTES; i++)
		data[i] = (unsigned char)(i % 251);
	fd = open("data", O_RDWR | O_CREAT, 0644);
	is_long(write(fd, data, NBYTES), NBYTES, "write(2) the data file");
	lseek(fd, 0, SEEK_SET);

	pid = conf_fork();
	if (pid == 0) {
		reader(fd, 1);
		_exit(0);
	}
	reader(fd, 0);
	status = conf_wait(pid);
	is_exit(status, 0, "fork(2): the child reader exits 0");
	is_long(sh->fail, 0, "read(2) did not fail in either process");
	is_long(sh->ngot[0] + sh->ngot[1], NBYTES,
	    "fork(2): parent and child together read the file exactly once");
	cmp_long(sh->ngot[1], ">", 0, "fork(2): the child read some of it");
	cmp_long(sh->ngot[0], ">", 0, "fork(2): the parent read some of it");
	/* Chunk k (k = 0, 1, ...) went to side k & 1: offsets interleave. */
	bad = 0;
	for (i = 0; i < sh->ngot[0]; i++)
		bad += sh->got[0][i] != data[(i / CHUNK) * 2 * CHUNK +
		    i % CHUNK];
	for (i = 0; i < sh->ngot[1]; i++)
		bad += sh->got[1][i] != data[(i / CHUNK) * 2 * CHUNK + CHUNK +
		    i % CHUNK];
	is_long(bad, 0, "fork(2): each read continued where the other "
	    "process's left off (the offset is shared)");
	is_long(lseek(fd, 0, SEEK_CUR), NBYTES,
	    "fork(2): the parent's offset moved with the child's reads");

	/* dup shares the offset, a second open does not. */
	fd2 = dup(fd);
	lseek(fd, 10, SEEK_SET);
	is_long(lseek(fd2, 0, SEEK_CUR), 10, "dup(2): the offset is shared");
	close(fd2);
	fd2 = open("data", O_RDONLY);
	is_long(lseek(fd2, 0, SEEK_CUR), 0,
	    "open(2): a second open has its own offset");
	close(fd2);
	close(fd);

	/* Two processes appending. */
	fd = open("log", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	close(fd);
	pid = conf_fork();
	if (pid == 0)
		appender("A");
	pid2 = conf_fork();
	if (pid2 == 0)
		appender("B");
	status = conf_wait(pid);
	status2 = conf_wait(pid2);
	is_exit(status, 0, "O_APPEND: the first writer exits 0");
	is_exit(status2, 0, "O_APPEND: the second writer exits 0");
	is_long(stat("log", &st) == 0 ? st.st_size : -1, 2 * NREC * RECLEN,
	    "open(2): O_APPEND from two processes: no write lost or "
	    "overwritten (the size is the sum)");
	log = malloc(2 * NREC * RECLEN + 1);
	fd = open("log", O_RDONLY);
	is_long(read(fd, log, 2 * NREC * RECLEN), 2 * NREC * RECLEN,
	    "read(2) the log back");
	close(fd);
	nrec[0] = nrec[1] = 0;
	bad = 0;
	for (i = 0; i < 2 * NREC; i++) {
		int side = log[i * RECLEN] == 'B';

		snprintf(rec, sizeof(rec), "%s %08d....\n", side ? "B" : "A",
		    nrec[side]);
		if (memcmp(log + i * RECLEN, rec, RECLEN) != 0)
			bad++;
		else
			nrec[side]++;
	}
	is_long(bad, 0, "open(2): O_APPEND: every record is whole and each "
	    "writer's records are in its order");
	ok(nrec[0] == NREC && nrec[1] == NREC,
	    "open(2): O_APPEND: all %d records of each writer are there", NREC);
	free(log);
	fs_done();
	return done_testing();
}
