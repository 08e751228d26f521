/*
 * dup(2), dup2(2), dup3(2), close(2) and fcntl(2)'s descriptor commands:
 * the lowest free descriptor, shared open file descriptions (status flags
 * seen through every copy), the close-on-exec bit belonging to the
 * descriptor, the error cases, and EMFILE at RLIMIT_NOFILE.
 */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "conf.h"

/* A descriptor number far above anything the test opens. */
#define HIGHFD	200

static void
emfile_child(void *arg)
{
	struct rlimit rl = { 16, 16 };
	int fd, last = -1;

	(void)arg;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		_exit(10);
	while ((fd = dup(0)) >= 0)
		last = fd;
	if (errno != EMFILE)
		_exit(11);
	if (last != 15)
		_exit(12);
	if (fcntl(0, F_DUPFD, 3) != -1 || errno != EMFILE)
		_exit(13);
	if (fcntl(0, F_DUPFD, 16) != -1 || errno != EINVAL)
		_exit(14);
	if (dup2(0, 16) != -1 || errno != EBADF)
		_exit(15);
	if (close(15) < 0 || dup(0) != 15)
		_exit(16);
	_exit(0);
}

int
main(int argc, char **argv)
{
	int p[2], fd, fd2, on;

	(void)argc;
	conf_init(argv);
	if (pipe(p) < 0)
		tap_bail("pipe: %s", tap_errname(errno));

	/* dup */
	fd = dup(p[1]);
	cmp_long(fd, ">", p[1], "dup(2): returns a new descriptor");
	close(p[0]);
	fd2 = dup(p[1]);
	is_long(fd2, p[0], "dup(2): takes the lowest free descriptor");
	close(fd2);
	if (pipe(p) < 0)
		tap_bail("pipe: %s", tap_errname(errno));
	is_long(fcntl(fd, F_GETFD), 0, "dup(2): the copy has close-on-exec "
	    "clear");
	is_errno(dup(-1), EBADF, "dup(2): a negative descriptor is EBADF");
	is_errno(dup(HIGHFD), EBADF, "dup(2): a descriptor not open is EBADF");
	close(fd);

	/* Shared status flags, per-descriptor close-on-exec. */
	fd = dup(p[0]);
	is_success(fcntl(p[0], F_SETFL, O_NONBLOCK), "fcntl(2): F_SETFL "
	    "O_NONBLOCK");
	ok(fcntl(fd, F_GETFL) & O_NONBLOCK, "fcntl(2): the status flags "
	    "belong to the open file description, seen through a dup");
	ok((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY, "fcntl(2): F_GETFL "
	    "of a pipe's read end has O_RDONLY");
	ok((fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY, "fcntl(2): F_GETFL "
	    "of a pipe's write end has O_WRONLY");
	is_success(fcntl(p[0], F_SETFL, 0), "fcntl(2): F_SETFL 0");
	is_long(fcntl(fd, F_GETFL) & O_NONBLOCK, 0, "fcntl(2): F_SETFL "
	    "clears O_NONBLOCK");
	is_success(fcntl(p[0], F_SETFL, O_RDWR | O_NONBLOCK), "fcntl(2): "
	    "F_SETFL ignores the access mode");
	ok((fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY, "fcntl(2): F_SETFL "
	    "leaves the access mode alone");
	is_success(fcntl(p[0], F_SETFD, FD_CLOEXEC), "fcntl(2): F_SETFD");
	is_long(fcntl(p[0], F_GETFD), FD_CLOEXEC, "fcntl(2): F_GETFD reads "
	    "back FD_CLOEXEC");
	is_long(fcntl(fd, F_GETFD), 0, "fcntl(2): close-on-exec belongs to "
	    "the descriptor, not the description");
	is_success(fcntl(p[0], F_SETFD, 0), "fcntl(2): F_SETFD 0");
	is_long(fcntl(p[0], F_GETFD), 0, "fcntl(2): F_SETFD 0 clears it");

	/* ioctl's generic requests. */
	on = 1;
	is_success(ioctl(fd, FIONBIO, &on), "ioctl(2): FIONBIO 1");
	ok(fcntl(p[0], F_GETFL) & O_NONBLOCK, "ioctl(2): FIONBIO sets "
	    "O_NONBLOCK on the description");
	on = 0;
	is_success(ioctl(fd, FIONBIO, &on), "ioctl(2): FIONBIO 0");
	is_long(fcntl(p[0], F_GETFL) & O_NONBLOCK, 0, "ioctl(2): FIONBIO 0 "
	    "clears it");
	is_success(ioctl(fd, FIOCLEX), "ioctl(2): FIOCLEX");
	is_long(fcntl(fd, F_GETFD), FD_CLOEXEC, "ioctl(2): FIOCLEX sets "
	    "close-on-exec");
	is_success(ioctl(fd, FIONCLEX), "ioctl(2): FIONCLEX");
	is_long(fcntl(fd, F_GETFD), 0, "ioctl(2): FIONCLEX clears it");
	is_errno(ioctl(fd, TIOCGWINSZ, &on), ENOTTY, "ioctl(2): a terminal "
	    "request on a pipe is ENOTTY");
	is_errno(ioctl(HIGHFD, FIONBIO, &on), EBADF, "ioctl(2): a descriptor "
	    "not open is EBADF");
	close(fd);

	/* F_DUPFD, F_DUPFD_CLOEXEC */
	fd = fcntl(p[1], F_DUPFD, 50);
	cmp_long(fd, ">=", 50, "fcntl(2): F_DUPFD takes a descriptor >= arg");
	is_long(fcntl(p[1], F_DUPFD, 50), fd + 1, "fcntl(2): F_DUPFD takes "
	    "the lowest free one >= arg");
	is_long(fcntl(fd, F_GETFD), 0, "fcntl(2): F_DUPFD clears "
	    "close-on-exec");
	close(fd + 1);
	is_long(fcntl(p[1], F_DUPFD_CLOEXEC, 50), fd + 1, "fcntl(2): "
	    "F_DUPFD_CLOEXEC");
	is_long(fcntl(fd + 1, F_GETFD), FD_CLOEXEC, "fcntl(2): "
	    "F_DUPFD_CLOEXEC sets close-on-exec");
	close(fd);
	close(fd + 1);
	is_errno(fcntl(p[1], F_DUPFD, -1), EINVAL, "fcntl(2): F_DUPFD with a "
	    "negative arg is EINVAL");
	is_errno(fcntl(HIGHFD, F_GETFD), EBADF, "fcntl(2): a descriptor not "
	    "open is EBADF");
	is_errno(fcntl(p[1], 9999), EINVAL, "fcntl(2): an unknown command is "
	    "EINVAL");

	/* dup2, dup3 */
	is_long(dup2(p[1], HIGHFD), HIGHFD, "dup2(2): returns newfd");
	is_long(fcntl(HIGHFD, F_GETFL) & O_ACCMODE, O_WRONLY, "dup2(2): newfd "
	    "is the same file");
	is_long(dup2(p[0], HIGHFD), HIGHFD, "dup2(2): an open newfd is closed "
	    "first");
	is_long(fcntl(HIGHFD, F_GETFL) & O_ACCMODE, O_RDONLY, "dup2(2): and "
	    "then refers to oldfd's file");
	is_long(dup2(HIGHFD, HIGHFD), HIGHFD, "dup2(2): oldfd == newfd returns "
	    "newfd");
	close(HIGHFD);
	is_errno(dup2(HIGHFD, HIGHFD), EBADF, "dup2(2): oldfd == newfd, not "
	    "open, is EBADF");
	is_errno(dup2(HIGHFD, HIGHFD + 1), EBADF, "dup2(2): oldfd not open is "
	    "EBADF");
	is_errno(fcntl(HIGHFD + 1, F_GETFD), EBADF, "dup2(2): a failed call "
	    "leaves newfd closed");
	is_errno(dup2(p[0], -1), EBADF, "dup2(2): a negative newfd is EBADF");
	is_errno(dup2(p[0], 1 << 30), EBADF, "dup2(2): newfd past "
	    "RLIMIT_NOFILE is EBADF");
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	is_long(dup2(p[0], HIGHFD), HIGHFD, "dup2(2): from a close-on-exec "
	    "descriptor");
	is_long(fcntl(HIGHFD, F_GETFD), 0, "dup2(2): newfd has close-on-exec "
	    "clear");
	is_long(conf_sys(SYS_dup3, p[0], HIGHFD, O_CLOEXEC), HIGHFD,
	    "dup3(2): O_CLOEXEC");
	is_long(fcntl(HIGHFD, F_GETFD), FD_CLOEXEC, "dup3(2): O_CLOEXEC sets "
	    "close-on-exec on newfd");
	is_syserr(conf_sys(SYS_dup3, p[0], p[0], 0), EINVAL, "dup3(2): "
	    "oldfd == newfd is EINVAL");
	is_syserr(conf_sys(SYS_dup3, p[0], HIGHFD, O_NONBLOCK), EINVAL,
	    "dup3(2): a flag other than O_CLOEXEC is EINVAL");
	is_syserr(conf_sys(SYS_dup3, HIGHFD + 1, HIGHFD, 0), EBADF,
	    "dup3(2): oldfd not open is EBADF");

	/* close */
	is_success(close(HIGHFD), "close(2): an open descriptor");
	is_errno(close(HIGHFD), EBADF, "close(2): twice is EBADF");
	is_errno(close(-1), EBADF, "close(2): a negative descriptor is EBADF");
	is_errno(fcntl(HIGHFD, F_GETFD), EBADF, "close(2): the descriptor is "
	    "gone");

	/* No position on a pipe. */
	is_errno(lseek(p[0], 0, SEEK_CUR), ESPIPE, "lseek(2): a pipe is "
	    "ESPIPE");
	is_errno(lseek(p[0], 0, 99), EINVAL, "lseek(2): an unknown whence is "
	    "EINVAL");
	is_errno(lseek(HIGHFD, 0, SEEK_SET), EBADF, "lseek(2): a descriptor "
	    "not open is EBADF");
	is_errno(pread(p[0], &on, 1, 0), ESPIPE, "pread(2): a pipe is ESPIPE");
	is_errno(pwrite(p[1], &on, 1, 0), ESPIPE, "pwrite(2): a pipe is "
	    "ESPIPE");
	is_errno(pread(p[0], &on, 1, -1), EINVAL, "pread(2): a negative "
	    "offset is EINVAL");
	is_errno(pread(HIGHFD, &on, 1, 0), EBADF, "pread(2): a descriptor not "
	    "open is EBADF");

	is_exit(conf_in_child(emfile_child, NULL), 0, "dup(2), fcntl(2), "
	    "dup2(2): EMFILE at RLIMIT_NOFILE (16): fd 15 is the last, F_DUPFD "
	    "past it is EINVAL, dup2 past it EBADF, a freed slot is reused");
	return done_testing();
}
