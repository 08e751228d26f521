/*
 * epoll(7): epoll_create's and epoll_ctl's errors (EINVAL, EBADF, EPERM
 * for a regular file, EEXIST, ENOENT, ELOOP, EPOLLEXCLUSIVE's rules);
 * level-triggered events repeat, edge-triggered ones come once per
 * change; EPOLLONESHOT disables the item until EPOLL_CTL_MOD; the data is
 * returned as given; maxevents limits a call; POLLHUP for a pipe whose
 * writer closed; closing the last descriptor of a file removes it from
 * the set (a dup keeps it); an epoll set is itself pollable and nests;
 * a sleeping epoll_wait is woken by a writer in another process.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"

static int
ep_add(int ep, int fd, unsigned int events, unsigned long data)
{
	struct epoll_event ev;

	ev.events = events;
	ev.data.u64 = data;
	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static void
test_errors(void)
{
	struct epoll_event ev = { EPOLLIN, { 0 } }, out[1];
	char path[64];
	int ep, ep2, fds[2], f;

	is_long(conf_sys(SYS_epoll_create, 0), -EINVAL,
	    "epoll_create(2): size 0 is EINVAL");
	is_errno(epoll_create1(1), EINVAL,
	    "epoll_create1(2): an unknown flag is EINVAL");
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) < 0)
		bail_out("epoll_create1");
	is_long(fcntl(ep, F_GETFD), FD_CLOEXEC,
	    "epoll_create1(2): EPOLL_CLOEXEC sets close-on-exec");
	if (pipe(fds) < 0)
		bail_out("pipe");
	is_errno(epoll_ctl(ep, EPOLL_CTL_ADD, 999, &ev), EBADF,
	    "epoll_ctl(2): a closed fd is EBADF");
	is_errno(epoll_ctl(999, EPOLL_CTL_ADD, fds[0], &ev), EBADF,
	    "epoll_ctl(2): a closed epfd is EBADF");
	is_errno(epoll_ctl(fds[1], EPOLL_CTL_ADD, fds[0], &ev), EINVAL,
	    "epoll_ctl(2): an epfd that is not an epoll set is EINVAL");
	is_errno(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL,
	    "epoll_ctl(2): a set added to itself is EINVAL");
	snprintf(path, sizeof(path), "/tmp/epoll-reg.%d", (int)getpid());
	if ((f = open(path, O_CREAT | O_RDWR, 0600)) < 0)
		bail_out("open %s", path);
	unlink(path);
	is_errno(epoll_ctl(ep, EPOLL_CTL_ADD, f, &ev), EPERM,
	    "epoll_ctl(2): a regular file is EPERM");
	close(f);
	is_long(ep_add(ep, fds[0], EPOLLIN, 1), 0,
	    "epoll_ctl(2): EPOLL_CTL_ADD");
	is_errno(ep_add(ep, fds[0], EPOLLIN, 1), EEXIST,
	    "epoll_ctl(2): adding it again is EEXIST");
	is_errno(epoll_ctl(ep, EPOLL_CTL_MOD, fds[1], &ev), ENOENT,
	    "epoll_ctl(2): EPOLL_CTL_MOD of a file not in the set: ENOENT");
	is_errno(epoll_ctl(ep, EPOLL_CTL_DEL, fds[1], NULL), ENOENT,
	    "epoll_ctl(2): EPOLL_CTL_DEL of a file not in the set: ENOENT");
	is_errno(epoll_ctl(ep, 99, fds[0], &ev), EINVAL,
	    "epoll_ctl(2): an unknown op is EINVAL");
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	is_errno(epoll_ctl(ep, EPOLL_CTL_MOD, fds[0], &ev), EINVAL,
	    "epoll_ctl(2): EPOLLEXCLUSIVE with EPOLL_CTL_MOD is EINVAL");
	ev.events = EPOLLOUT | EPOLLEXCLUSIVE;
	is_long(epoll_ctl(ep, EPOLL_CTL_ADD, fds[1], &ev), 0,
	    "epoll_ctl(2): EPOLLEXCLUSIVE is accepted with EPOLL_CTL_ADD");
	if ((ep2 = epoll_create1(0)) < 0)
		bail_out("epoll_create1");
	is_long(ep_add(ep2, ep, EPOLLIN, 7), 0,
	    "epoll_ctl(2): a set may watch another set");
	is_errno(ep_add(ep, ep2, EPOLLIN, 8), ELOOP,
	    "epoll_ctl(2): a cycle of sets is ELOOP");
	is_long(epoll_ctl(ep, EPOLL_CTL_DEL, fds[0], NULL), 0,
	    "epoll_ctl(2): EPOLL_CTL_DEL");
	is_errno(epoll_wait(ep, out, 0, 0), EINVAL,
	    "epoll_wait(2): maxevents 0 is EINVAL");
	is_errno(epoll_wait(fds[0], out, 1, 0), EINVAL,
	    "epoll_wait(2): an fd that is not a set is EINVAL");
	is_errno(epoll_wait(999, out, 1, 0), EBADF,
	    "epoll_wait(2): a closed fd is EBADF");
	close(ep2);
	close(ep);
	close(fds[0]);
	close(fds[1]);
}

static void
test_triggers(void)
{
	struct epoll_event out[4], ev;
	char c;
	int lt, et, fds[2];

	if (pipe(fds) < 0)
		bail_out("pipe");
	if ((lt = epoll_create1(0)) < 0 || (et = epoll_create1(0)) < 0)
		bail_out("epoll_create1");
	ep_add(lt, fds[0], EPOLLIN, 0x1122334455667788UL);
	ep_add(et, fds[0], EPOLLIN | EPOLLET, 42);
	is_long(epoll_wait(lt, out, 4, 0), 0,
	    "epoll_wait(2): an empty pipe: no events");
	is_long(epoll_wait(lt, out, 4, 30), 0,
	    "epoll_wait(2): returns 0 after the timeout");
	if (write(fds[1], "ab", 2) != 2)
		bail_out("write");
	is_long(epoll_wait(lt, out, 4, 0), 1,
	    "epoll(7): level triggered: data is an event");
	is_hex(out[0].events, EPOLLIN, "epoll(7): ... EPOLLIN");
	is_hex(out[0].data.u64, 0x1122334455667788UL,
	    "epoll(7): ... with the data given to EPOLL_CTL_ADD");
	is_long(epoll_wait(lt, out, 4, 0), 1,
	    "epoll(7): level triggered: again while data is left");
	is_long(epoll_wait(et, out, 4, 0), 1,
	    "epoll(7): edge triggered: the write is an event");
	is_long(out[0].data.u64, 42, "epoll(7): ... with its data");
	is_long(epoll_wait(et, out, 4, 0), 0,
	    "epoll(7): edge triggered: not again without a change");
	if (read(fds[0], &c, 1) != 1)
		bail_out("read");
	is_long(epoll_wait(et, out, 4, 0), 0,
	    "epoll(7): edge triggered: a read is no new event");
	if (write(fds[1], "c", 1) != 1)
		bail_out("write");
	is_long(epoll_wait(et, out, 4, 0), 1,
	    "epoll(7): edge triggered: a new write is a new event");
	while (read(fds[0], &c, 1) == 1 && c != 'c')
		continue;
	is_long(epoll_wait(lt, out, 4, 0), 0,
	    "epoll(7): level triggered: drained: no event");

	ev.events = EPOLLIN | EPOLLONESHOT;
	ev.data.u64 = 5;
	epoll_ctl(lt, EPOLL_CTL_MOD, fds[0], &ev);
	if (write(fds[1], "d", 1) != 1)
		bail_out("write");
	is_long(epoll_wait(lt, out, 4, 0), 1,
	    "epoll(7): EPOLLONESHOT: one event");
	is_long(out[0].data.u64, 5, "epoll_ctl(2): MOD changed the data");
	is_long(epoll_wait(lt, out, 4, 0), 0,
	    "epoll(7): EPOLLONESHOT: then disabled, data or not");
	if (write(fds[1], "e", 1) != 1)
		bail_out("write");
	is_long(epoll_wait(lt, out, 4, 0), 0,
	    "epoll(7): EPOLLONESHOT: a new write does not arm it");
	is_long(epoll_ctl(lt, EPOLL_CTL_MOD, fds[0], &ev), 0,
	    "epoll_ctl(2): MOD rearms a oneshot item");
	is_long(epoll_wait(lt, out, 4, 0), 1,
	    "epoll(7): EPOLLONESHOT: an event again after MOD");

	close(fds[1]);
	ev.events = EPOLLIN;
	epoll_ctl(lt, EPOLL_CTL_MOD, fds[0], &ev);
	while (read(fds[0], &c, 1) == 1)
		continue;
	is_long(epoll_wait(lt, out, 4, 0), 1,
	    "epoll(7): writer gone: an event");
	is_hex(out[0].events, EPOLLHUP,
	    "epoll(7): ... EPOLLHUP, without asking");
	close(fds[0]);
	close(lt);
	close(et);
}

static void
test_close_and_nest(void)
{
	struct epoll_event out[4];
	struct pollfd p;
	int ep, outer, fds[2], fds2[2], d, status;
	pid_t pid;

	if (pipe(fds) < 0 || pipe(fds2) < 0)
		bail_out("pipe");
	if ((ep = epoll_create1(0)) < 0 || (outer = epoll_create1(0)) < 0)
		bail_out("epoll_create1");
	ep_add(ep, fds[1], EPOLLOUT, 1);
	ep_add(ep, fds2[1], EPOLLOUT, 2);
	is_long(epoll_wait(ep, out, 1, 0), 1,
	    "epoll_wait(2): maxevents 1 gives one of two ready files");
	is_long(epoll_wait(ep, out, 4, 0), 2,
	    "epoll_wait(2): ... both with room for them");
	d = dup(fds[1]);
	close(fds[1]);
	is_long(epoll_wait(ep, out, 4, 0), 2,
	    "epoll(7): closing one descriptor of a dup'ed file keeps it");
	close(d);
	is_long(epoll_wait(ep, out, 4, 0), 1,
	    "epoll(7): closing the last descriptor removes it from the set");
	is_long(out[0].data.u64, 2, "... the other file is left");
	epoll_ctl(ep, EPOLL_CTL_DEL, fds2[1], NULL);
	ep_add(ep, fds[0], EPOLLIN, 3);
	close(fds[0]);
	if (pipe(fds) < 0)
		bail_out("pipe");
	ep_add(ep, fds[0], EPOLLIN, 4);
	ep_add(outer, ep, EPOLLIN, 9);
	p.fd = ep;
	p.events = POLLIN;
	is_long(poll(&p, 1, 0), 0, "epoll(7): an idle set is not readable");
	if ((pid = conf_fork()) == 0) {
		conf_sleep_ms(100);
		_exit(write(fds2[1], "q", 1) == 1 &&
		    write(fds[1], "q", 1) == 1 ? 0 : 1);
	}
	is_long(epoll_wait(outer, out, 4, -1), 1,
	    "epoll(7): a nested set wakes its outer set's sleeper");
	is_long(out[0].data.u64, 9, "... with the outer item's data");
	is_long(poll(&p, 1, 0), 1, "epoll(7): a set with events is "
	    "readable with poll");
	is_long(epoll_wait(ep, out, 4, 0), 1, "epoll(7): the inner set has "
	    "the pipe's event");
	is_long(out[0].data.u64, 4, "... the new pipe's, not the closed one's");
	status = conf_wait(pid);
	is_exit(status, 0, "the writer child");
	close(outer);
	close(ep);
	close(fds[0]);
	close(fds[1]);
	close(fds2[0]);
	close(fds2[1]);
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	/* EclipseOS's test root starts without /tmp. */
	if (mkdir("/tmp", 01777) != 0 && errno != EEXIST)
		bail_out("mkdir /tmp");
	test_errors();
	test_triggers();
	test_close_and_nest();
	return done_testing();
}
