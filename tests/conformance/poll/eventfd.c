/*
 * eventfd(2): the counter starts at the initial value; a read returns it
 * and resets it (EFD_SEMAPHORE: returns 1 and decrements); an empty
 * counter is EAGAIN with EFD_NONBLOCK and blocks otherwise until a
 * write; writes add; 0xffffffffffffffff is EINVAL; a sum above
 * 0xfffffffffffffffe is EAGAIN; buffers under 8 bytes are EINVAL; bad
 * flags are EINVAL; EFD_CLOEXEC; poll follows the counter; epoll sees it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "conf.h"

static int
revents(int fd)
{
	struct pollfd p = { fd, POLLIN | POLLOUT, 0 };

	if (poll(&p, 1, 0) < 0)
		return -1;
	return p.revents;
}

int
main(int argc, char **argv)
{
	uint64_t v, big = 0xfffffffffffffffeULL, max = UINT64_MAX;
	struct epoll_event ev = { EPOLLIN, { 0 } }, out;
	int fd, sfd, ep, status;
	char small[4];
	pid_t pid;

	(void)argc;
	conf_init(argv);
	is_long(conf_sys(SYS_eventfd2, 0, 0x10), -EINVAL,
	    "eventfd2(2): an unknown flag is EINVAL");
	if ((fd = eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC)) < 0)
		bail_out("eventfd");
	is_long(fcntl(fd, F_GETFD), FD_CLOEXEC, "eventfd(2): EFD_CLOEXEC");
	ok(fcntl(fd, F_GETFL) & O_NONBLOCK, "eventfd(2): EFD_NONBLOCK");
	is_hex(revents(fd), POLLIN | POLLOUT,
	    "eventfd(2): a counter of 3 is readable and writable");
	is_errno(read(fd, small, sizeof(small)), EINVAL,
	    "eventfd(2): a 4-byte read is EINVAL");
	is_errno(write(fd, small, sizeof(small)), EINVAL,
	    "eventfd(2): a 4-byte write is EINVAL");
	is_long(read(fd, &v, 8), 8, "eventfd(2): a read of 8 bytes");
	is_long(v, 3, "eventfd(2): ... returns the initial value");
	is_errno(read(fd, &v, 8), EAGAIN,
	    "eventfd(2): the counter is 0 now: EAGAIN");
	is_hex(revents(fd), POLLOUT, "eventfd(2): 0 is not readable");
	v = 5;
	write(fd, &v, 8);
	v = 6;
	write(fd, &v, 8);
	is_long(read(fd, &v, 16), 8, "eventfd(2): a 16-byte read gives 8");
	is_long(v, 11, "eventfd(2): writes add up");
	is_errno(write(fd, &max, 8), EINVAL,
	    "eventfd(2): writing 0xffffffffffffffff is EINVAL");
	is_long(write(fd, &big, 8), 8,
	    "eventfd(2): the counter may reach 0xfffffffffffffffe");
	is_hex(revents(fd), POLLIN, "eventfd(2): then it is not writable");
	v = 1;
	is_errno(write(fd, &v, 8), EAGAIN,
	    "eventfd(2): one more would overflow: EAGAIN");
	read(fd, &v, 8);

	if ((sfd = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK)) < 0)
		bail_out("eventfd");
	read(sfd, &v, 8);
	is_long(v, 1, "eventfd(2): EFD_SEMAPHORE: a read returns 1");
	read(sfd, &v, 8);
	is_long(v, 1, "eventfd(2): EFD_SEMAPHORE: ... and again 1");
	is_errno(read(sfd, &v, 8), EAGAIN,
	    "eventfd(2): EFD_SEMAPHORE: after two reads of 2: EAGAIN");
	close(sfd);

	if ((ep = epoll_create1(0)) < 0)
		bail_out("epoll_create1");
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	is_long(epoll_wait(ep, &out, 1, 0), 0,
	    "eventfd(2): epoll: 0 is no event");
	close(fd);
	if ((fd = eventfd(0, 0)) < 0)
		bail_out("eventfd");
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	if ((pid = conf_fork()) == 0) {
		conf_sleep_ms(100);
		v = 9;
		_exit(write(fd, &v, 8) == 8 ? 0 : 1);
	}
	is_long(epoll_wait(ep, &out, 1, -1), 1,
	    "eventfd(2): a write in another process wakes epoll_wait");
	is_long(read(fd, &v, 8), 8,
	    "eventfd(2): a blocking read then succeeds");
	is_long(v, 9, "eventfd(2): ... with the written value");
	status = conf_wait(pid);
	is_exit(status, 0, "the writer child");
	if ((pid = conf_fork()) == 0) {
		conf_sleep_ms(100);
		v = 4;
		_exit(write(fd, &v, 8) == 8 ? 0 : 1);
	}
	is_long(read(fd, &v, 8), 8,
	    "eventfd(2): a blocking read waits for a write");
	is_long(v, 4, "eventfd(2): ... and returns its value");
	status = conf_wait(pid);
	is_exit(status, 0, "the writer child");
	close(fd);
	close(ep);
	return done_testing();
}
