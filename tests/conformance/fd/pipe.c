/*
 * pipe(2), pipe2(2) and pipe(7): bytes come out in the order they went
 * in; a read returns what is there; end of file once every writer is
 * closed; EPIPE (and SIGPIPE) once every reader is closed; O_NONBLOCK's
 * EAGAIN; the 64 KiB capacity; PIPE_BUF (4096) atomic writes from two
 * writers; FIONREAD; a blocked reader and writer woken by the other side;
 * a pipeline parent -> child -> parent; EINTR for a blocked read.
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "conf.h"

#define PIPE_CAP	65536
#define ROUNDS		64

static char big[PIPE_CAP + 1];

/* Reads exactly n bytes (through short reads); returns n or what read gave. */
static long
readn(int fd, void *buf, size_t n)
{
	size_t done = 0;
	ssize_t k;

	while (done < n) {
		if ((k = read(fd, (char *)buf + done, n - done)) <= 0)
			return k;
		done += k;
	}
	return done;
}

/* A writer of ROUNDS blocks of PIPE_BUF bytes, all the byte c. */
static void
atomic_writer(int fd, char c)
{
	static char blk[PIPE_BUF];
	int i;

	memset(blk, c, sizeof(blk));
	for (i = 0; i < ROUNDS; i++)
		if (write(fd, blk, sizeof(blk)) != (ssize_t)sizeof(blk))
			_exit(1);
	_exit(0);
}

/* The child of the pipeline: upper-cases stdin to stdout. */
static void
upcase_filter(int in, int out)
{
	char buf[512];
	ssize_t n, i;

	while ((n = read(in, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++)
			if (buf[i] >= 'a' && buf[i] <= 'z')
				buf[i] -= 'a' - 'A';
		if (write(out, buf, n) != n)
			_exit(1);
	}
	_exit(n == 0 ? 0 : 2);
}

static void
test_basic(void)
{
	char buf[64];
	int p[2], n;

	is_success(pipe(p), "pipe(2): makes a pipe");
	is_long(write(p[1], "hello, ", 7), 7, "pipe(7): write");
	is_long(write(p[1], "world", 5), 5, "pipe(7): second write");
	n = -1;
	is_success(ioctl(p[0], FIONREAD, &n), "ioctl(2): FIONREAD");
	is_long(n, 12, "ioctl(2): FIONREAD counts the unread bytes");
	memset(buf, 0, sizeof(buf));
	is_long(read(p[0], buf, 3), 3, "pipe(7): a read takes no more than "
	    "asked");
	is_long(read(p[0], buf + 3, sizeof(buf)), 9, "pipe(7): a read "
	    "returns what is there without waiting for more");
	is_str(buf, "hello, world", "pipe(7): bytes come out in order");
	is_long(read(p[0], buf, 0), 0, "read(2): zero bytes from a pipe is 0");
	is_errno(write(p[0], "x", 1), EBADF, "write(2): the read end is not "
	    "open for writing: EBADF");
	is_errno(read(p[1], buf, 1), EBADF, "read(2): the write end is not "
	    "open for reading: EBADF");
	is_long(write(p[1], "x", 1), 1, "pipe(7): one more byte");
	is_errno(read(p[0], (void *)1, 1), EFAULT, "read(2): a bad buffer is "
	    "EFAULT");
	is_long(read(p[0], buf, sizeof(buf)), 1, "pipe(7): a read that "
	    "faulted took nothing");
	close(p[1]);
	is_long(read(p[0], buf, sizeof(buf)), 0, "pipe(7): an empty pipe with "
	    "no writer left reads as end of file");
	close(p[0]);
}

static void
test_flags(void)
{
	char buf[8];
	int p[2];

	is_syserr(conf_sys(SYS_pipe2, p, O_APPEND), EINVAL, "pipe2(2): a flag "
	    "other than O_CLOEXEC, O_NONBLOCK, O_DIRECT is EINVAL");
	is_syserr(conf_sys(SYS_pipe, (void *)1), EFAULT, "pipe(2): a bad "
	    "array is EFAULT");
	is_success(pipe2(p, O_CLOEXEC | O_NONBLOCK), "pipe2(2): O_CLOEXEC | "
	    "O_NONBLOCK");
	is_long(fcntl(p[0], F_GETFD), FD_CLOEXEC, "pipe2(2): O_CLOEXEC on the "
	    "read end");
	is_long(fcntl(p[1], F_GETFD), FD_CLOEXEC, "pipe2(2): O_CLOEXEC on the "
	    "write end");
	ok(fcntl(p[0], F_GETFL) & O_NONBLOCK, "pipe2(2): O_NONBLOCK on the "
	    "read end");
	ok(fcntl(p[1], F_GETFL) & O_NONBLOCK, "pipe2(2): O_NONBLOCK on the "
	    "write end");
	is_errno(read(p[0], buf, sizeof(buf)), EAGAIN, "pipe(7): reading an "
	    "empty O_NONBLOCK pipe with a writer is EAGAIN");
	memset(big, 'b', sizeof(big));
	is_long(write(p[1], big, sizeof(big)), PIPE_CAP, "pipe(7): a "
	    "non-blocking write fills the 64 KiB pipe and returns the part "
	    "that fitted");
	is_errno(write(p[1], big, 1), EAGAIN, "pipe(7): writing a full "
	    "O_NONBLOCK pipe is EAGAIN");
	is_long(read(p[0], big, 100), 100, "pipe(7): read 100 bytes of a full "
	    "pipe");
	is_errno(write(p[1], big, 101), EAGAIN, "pipe(7): a non-blocking write "
	    "of at most PIPE_BUF that does not fit whole is EAGAIN");
	is_long(read(p[0], big, PIPE_BUF - 100), PIPE_BUF - 100, "pipe(7): "
	    "read the rest of the first 4096 bytes");
	is_long(write(p[1], big, PIPE_BUF), PIPE_BUF, "pipe(7): a PIPE_BUF "
	    "write that fits goes in whole");
	is_errno(write(p[1], big, 1), EAGAIN, "pipe(7): and fills the pipe "
	    "again");
	is_long(readn(p[0], big, PIPE_CAP), PIPE_CAP, "pipe(7): all 64 KiB "
	    "come back");
	close(p[0]);
	close(p[1]);
}

static void
test_epipe(void)
{
	struct sigaction sa, old;
	int p[2], st;
	pid_t pid;

	if (pipe(p) < 0)
		tap_bail("pipe: %s", tap_errname(errno));
	close(p[0]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &old);
	is_errno(write(p[1], "x", 1), EPIPE, "pipe(7): writing with no reader "
	    "left is EPIPE (SIGPIPE ignored)");
	sigaction(SIGPIPE, &old, NULL);
	pid = conf_fork();
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		(void)write(p[1], "x", 1);
		_exit(0);
	}
	st = conf_wait(pid);
	is_signal(st, SIGPIPE, "pipe(7): writing with no reader left sends "
	    "SIGPIPE, which kills by default");
	close(p[1]);
}

static void
test_atomic(void)
{
	static char buf[PIPE_BUF];
	int p[2], i, counts[2] = { 0, 0 }, bad = 0;
	pid_t a, b;

	if (pipe(p) < 0)
		tap_bail("pipe: %s", tap_errname(errno));
	if ((a = conf_fork()) == 0) {
		close(p[0]);
		atomic_writer(p[1], 'A');
	}
	if ((b = conf_fork()) == 0) {
		close(p[0]);
		atomic_writer(p[1], 'B');
	}
	close(p[1]);
	for (i = 0; i < 2 * ROUNDS; i++) {
		if (readn(p[0], buf, sizeof(buf)) != (long)sizeof(buf)) {
			bad++;
			break;
		}
		if (buf[0] != 'A' && buf[0] != 'B') {
			bad++;
			continue;
		}
		if (memchr(buf, buf[0] == 'A' ? 'B' : 'A', sizeof(buf)) != NULL)
			bad++;
		counts[buf[0] == 'B']++;
	}
	is_long(bad, 0, "pipe(7): writes of PIPE_BUF bytes from two writers "
	    "never interleave (%d blocks of each)", ROUNDS);
	ok(counts[0] == ROUNDS && counts[1] == ROUNDS, "pipe(7): every block "
	    "of both writers arrives");
	is_exit(conf_wait(a), 0, "pipe(7): the first writer wrote in whole "
	    "blocks");
	is_exit(conf_wait(b), 0, "pipe(7): the second writer too");
	is_long(read(p[0], buf, 1), 0, "pipe(7): end of file once both "
	    "writers exited");
	close(p[0]);
}

static void
test_pipeline(void)
{
	static char in[200000], out[sizeof(in)];
	int down[2], up[2], st, bad = 0;
	pid_t pid;
	size_t i, done = 0;
	ssize_t n;

	if (pipe(down) < 0 || pipe(up) < 0)
		tap_bail("pipe: %s", tap_errname(errno));
	if ((pid = conf_fork()) == 0) {
		close(down[1]);
		close(up[0]);
		upcase_filter(down[0], up[1]);
	}
	close(down[0]);
	close(up[1]);
	for (i = 0; i < sizeof(in); i++)
		in[i] = 'a' + i % 26;
	/*
	 * 200000 bytes through both pipes: more than the two hold, so the
	 * parent must read while it writes; write in PIPE_BUF pieces and
	 * drain with O_NONBLOCK reads between them.
	 */
	fcntl(up[0], F_SETFL, O_NONBLOCK);
	for (i = 0; i < sizeof(in); i += PIPE_BUF) {
		n = sizeof(in) - i < PIPE_BUF ? sizeof(in) - i : PIPE_BUF;
		if (write(down[1], in + i, n) != n) {
			bad++;
			break;
		}
		while ((n = read(up[0], out + done, sizeof(out) - done)) > 0)
			done += n;
	}
	close(down[1]);
	fcntl(up[0], F_SETFL, 0);
	while ((n = read(up[0], out + done, sizeof(out) - done)) > 0)
		done += n;
	is_long(bad, 0, "pipe(7): the parent's writes into the pipeline");
	is_long(done, sizeof(in), "pipe(7): a pipeline parent -> child -> "
	    "parent carries every byte");
	for (i = 0; i < done; i++)
		if (out[i] != in[i] - ('a' - 'A'))
			break;
	is_long(i, done, "pipe(7): in order, filtered by the child");
	is_long(read(up[0], out, 1), 0, "pipe(7): end of file when the child "
	    "exits");
	st = conf_wait(pid);
	is_exit(st, 0, "pipe(7): the child saw end of file on its input");
	close(up[0]);
}

static void
on_usr1(int sig)
{
	(void)sig;
}

static void
test_eintr(void)
{
	struct sigaction sa, old;
	char c;
	int p[2];
	pid_t pid, parent = getpid();

	if (pipe(p) < 0)
		tap_bail("pipe: %s", tap_errname(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, &old);
	if ((pid = conf_fork()) == 0) {
		conf_sleep_ms(100);
		kill(parent, SIGUSR1);
		conf_sleep_ms(100);
		_exit(0);
	}
	is_errno(read(p[0], &c, 1), EINTR, "pipe(7): a signal handled without "
	    "SA_RESTART ends a blocked read with EINTR");
	conf_wait(pid);
	sigaction(SIGUSR1, &old, NULL);
	close(p[0]);
	close(p[1]);
}

static void
test_wakeups(void)
{
	char c = 0;
	int p[2];
	pid_t pid;

	if (pipe(p) < 0)
		tap_bail("pipe: %s", tap_errname(errno));
	if ((pid = conf_fork()) == 0) {
		conf_sleep_ms(100);
		(void)write(p[1], "z", 1);
		conf_sleep_ms(100);
		_exit(0);
	}
	is_long(read(p[0], &c, 1), 1, "pipe(7): a blocked read is woken by a "
	    "write");
	is_long(c, 'z', "pipe(7): and gets the byte");
	close(p[1]);
	is_long(read(p[0], &c, 1), 0, "pipe(7): a blocked read is woken by the "
	    "last writer's exit, with end of file");
	conf_wait(pid);
	close(p[0]);

	if (pipe(p) < 0)
		tap_bail("pipe: %s", tap_errname(errno));
	memset(big, 'w', sizeof(big));
	if ((pid = conf_fork()) == 0) {
		close(p[1]);
		conf_sleep_ms(100);
		if (readn(p[0], big, sizeof(big)) != sizeof(big))
			_exit(1);
		_exit(0);
	}
	close(p[0]);
	is_long(write(p[1], big, sizeof(big)), sizeof(big), "pipe(7): a write "
	    "larger than the pipe blocks until the reader makes room, then "
	    "completes");
	is_exit(conf_wait(pid), 0, "pipe(7): the reader got all of it");
	close(p[1]);
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	test_basic();
	test_flags();
	test_epipe();
	test_atomic();
	test_pipeline();
	test_wakeups();
	test_eintr();
	return done_testing();
}
