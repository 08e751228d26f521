/*
 * The mqueue filesystem (mq_overview(7)): mount -t mqueue on a scratch
 * directory, twice; both mounts show the queues mq_open makes.  The root
 * is a sticky directory of root's; a queue is a regular file with its
 * queue's mode and owner and st_size 80, listed by getdents64; open(2)
 * of it gives a descriptor mq_timedsend and friends take, reading which
 * gives the status line; creat(2) makes a queue with the default
 * attributes, unlink(2) is mq_unlink (and the other way round), chmod
 * and chown work, mkdir, symlink, link, rename and mknod of a FIFO are
 * EPERM, statfs says MQUEUE_MAGIC.  Queue names carry the pid: on the
 * host the queues are the host's.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"

#define MQUEUE_MAGIC_	0x19800202	/* linux/magic.h */

static char scratch[128];	/* /tmp/confmqfs-<pid> */
static char m1[160], m2[160];	/* its mounts */
static char qa[64], qb[64], qc[64];	/* queue names, without '/' */

/* path = dir "/" name */
static const char *
pathof(char *buf, size_t len, const char *dir, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
	return buf;
}

/* "/" name, as musl's mq_open wants it */
static const char *
slash(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "/%s", name);
	return buf;
}

/* Is name an entry of directory dir (and is its d_type DT_REG)? */
static int
listed(const char *dir, const char *name, int *dtype)
{
	struct dirent *de;
	DIR *d;
	int found = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, name) == 0) {
			found = 1;
			if (dtype != NULL)
				*dtype = de->d_type;
		}
	}
	closedir(d);
	return found;
}

static void
setup(void)
{
	struct statfs sf;
	struct stat st;

	if (mkdir("/tmp", 01777) != 0 && errno != EEXIST)
		tap_bail("mkdir /tmp: %s", tap_errname(errno));
	snprintf(scratch, sizeof(scratch), "/tmp/confmqfs-%d", (int)getpid());
	snprintf(m1, sizeof(m1), "%s/m1", scratch);
	snprintf(m2, sizeof(m2), "%s/m2", scratch);
	if (mkdir(scratch, 0755) != 0 || mkdir(m1, 0755) != 0 ||
	    mkdir(m2, 0755) != 0)
		tap_bail("mkdir %s: %s", scratch, tap_errname(errno));
	is_success(mount("none", m1, "mqueue", 0, NULL),
	    "mount(2) -t mqueue on a directory");
	is_success(mount("mqueue", m2, "mqueue", 0, NULL),
	    "mount(2) -t mqueue a second time elsewhere");
	is_success(statfs(m1, &sf), "statfs(2) of the mount");
	is_hex((unsigned long)sf.f_type, MQUEUE_MAGIC_,
	    "statfs(2): f_type is MQUEUE_MAGIC");
	is_success(stat(m1, &st), "stat(2) of the root");
	is_long(st.st_mode, S_IFDIR | 01777,
	    "the root is a directory, mode 1777");
	is_long(st.st_uid, 0, "the root belongs to root");
}

static void
cleanup(void)
{
	char b[80];

	mq_unlink(slash(b, sizeof(b), qa));
	mq_unlink(slash(b, sizeof(b), qb));
	mq_unlink(slash(b, sizeof(b), qc));
	is_success(umount(m1), "umount(2) the first mount");
	is_success(umount(m2), "umount(2) the second mount");
	rmdir(m1);
	rmdir(m2);
	rmdir(scratch);
}

/* A queue mq_open made, seen through both mounts. */
static void
test_listed(void)
{
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 16 }, got;
	struct stat st, st2, fst;
	char p[256], b[80], buf[128];
	mqd_t q;
	int fd, dtype = -1, n;
	unsigned int prio;

	umask(022);
	q = mq_open(slash(b, sizeof(b), qa), O_CREAT | O_EXCL | O_RDWR, 0640,
	    &attr);
	cmp_long(q, ">=", 0, "mq_open(3) makes a queue");
	is_long(listed(m1, qa, &dtype), 1, "getdents64 lists it");
	is_long(dtype, DT_REG, "its d_type is DT_REG");
	is_long(listed(m2, qa, NULL), 1, "the second mount lists it too");
	is_success(stat(pathof(p, sizeof(p), m1, qa), &st),
	    "stat(2) of the queue's file");
	is_long(st.st_mode, S_IFREG | 0640,
	    "a regular file with the queue's mode");
	is_long(st.st_uid, geteuid(), "owned by its creator");
	is_long(st.st_nlink, 1, "one link");
	is_long(st.st_size, 80, "st_size is 80, as Linux says");
	is_success(stat(pathof(p, sizeof(p), m2, qa), &st2),
	    "stat(2) through the second mount");
	is_long(st2.st_ino, st.st_ino, "the same inode number");
	is_success(fstat(q, &fst), "fstat(2) of mq_open's descriptor");
	is_long(fst.st_ino, st.st_ino, "the file the mount shows");
	is_long(fst.st_mode, S_IFREG | 0640, "with its mode");

	fd = open(pathof(p, sizeof(p), m1, qa), O_RDWR);
	cmp_long(fd, ">=", 0, "open(2) of the queue's file");
	is_success(mq_send(fd, "hello", 5, 3),
	    "mq_send(3) on open(2)'s descriptor");
	is_success(mq_getattr(fd, &got), "mq_getattr(3) on it");
	is_long(got.mq_maxmsg, 4, "the queue's mq_maxmsg");
	is_long(got.mq_curmsgs, 1, "one message queued");
	n = read(fd, buf, sizeof(buf) - 1);
	cmp_long(n, ">", 6, "read(2) gives the status line");
	buf[n > 0 ? n : 0] = '\0';
	ok(strncmp(buf, "QSIZE:5 ", 8) == 0, "QSIZE:5 (got \"%.20s\")", buf);
	is_errno(write(fd, "x", 1), EINVAL, "write(2) is EINVAL");
	is_long(lseek(fd, 0, SEEK_END), 80, "lseek SEEK_END is at 80");
	memset(buf, 0, sizeof(buf));
	is_long(mq_receive(q, buf, sizeof(buf), &prio), 5,
	    "mq_receive(3) on mq_open's descriptor gets it");
	is_str(buf, "hello", "the same message");
	is_long(prio, 3, "its priority");
	close(fd);

	fd = open(pathof(p, sizeof(p), m2, qa), O_RDONLY);
	cmp_long(fd, ">=", 0, "open(2) O_RDONLY through the second mount");
	is_errno(mq_send(fd, "x", 1, 0), EBADF,
	    "mq_send(3) on a read-only descriptor is EBADF");
	is_errno(open(pathof(p, sizeof(p), m1, qa), O_CREAT | O_EXCL |
	    O_RDWR, 0600), EEXIST, "open(2) O_CREAT|O_EXCL of a queue: EEXIST");
	is_errno(open(pathof(p, sizeof(p), m1, qa), O_RDONLY | O_DIRECTORY),
	    ENOTDIR, "open(2) O_DIRECTORY of a queue: ENOTDIR");

	is_success(chmod(pathof(p, sizeof(p), m1, qa), 0600),
	    "chmod(2) of the queue's file");
	is_success(fstat(q, &fst), "fstat(2)");
	is_long(fst.st_mode, S_IFREG | 0600, "mq_open's descriptor sees it");
	is_success(chown(pathof(p, sizeof(p), m2, qa), 1, 2),
	    "chown(2) of the queue's file");
	is_success(stat(pathof(p, sizeof(p), m1, qa), &st),
	    "stat(2) in the other mount");
	ok(st.st_uid == 1 && st.st_gid == 2, "shows the new owner");
	is_success(chown(pathof(p, sizeof(p), m2, qa), 0, 0), "chown back");

	/* mq_unlink takes the file away; the descriptors go on. */
	is_success(mq_unlink(slash(b, sizeof(b), qa)), "mq_unlink(3)");
	is_errno(stat(pathof(p, sizeof(p), m1, qa), &st), ENOENT,
	    "the file is gone");
	is_errno(stat(pathof(p, sizeof(p), m2, qa), &st), ENOENT,
	    "from both mounts");
	is_long(listed(m1, qa, NULL), 0, "and from the listing");
	is_success(fstat(q, &fst), "fstat(2) of the open queue");
	is_long(fst.st_nlink, 0, "which has no link left");
	is_success(mq_send(q, "z", 1, 0),
	    "the open queue still works");
	if (fd >= 0)
		close(fd);
	mq_close(q);
}

/* creat(2) and unlink(2) in the mount are mq_open and mq_unlink. */
static void
test_create(void)
{
	struct mq_attr got;
	struct stat st;
	char p[256], b[80];
	mqd_t q;
	int fd;

	umask(022);
	fd = creat(pathof(p, sizeof(p), m1, qb), 0666);
	cmp_long(fd, ">=", 0, "creat(2) in the mount");
	is_success(stat(p, &st), "stat(2) of the new file");
	is_long(st.st_mode, S_IFREG | 0644, "mode 0666 less the umask");
	is_success(mq_getattr(fd, &got), "creat's descriptor is a queue's");
	is_long(got.mq_maxmsg, 10, "the default mq_maxmsg");
	is_long(got.mq_msgsize, 8192, "the default mq_msgsize");
	q = mq_open(slash(b, sizeof(b), qb), O_RDWR);
	cmp_long(q, ">=", 0, "mq_open(3) finds the queue creat made");
	is_success(mq_send(fd, "x", 1, 0),
	    "mq_send(3) on creat's write-only descriptor");
	is_errno(mq_receive(fd, p, 8192, NULL),
	    EBADF, "mq_receive(3) on it is EBADF");
	close(fd);
	is_long(listed(m2, qb, NULL), 1, "the other mount lists it");
	is_success(unlink(pathof(p, sizeof(p), m2, qb)),
	    "unlink(2) in the other mount");
	is_errno(mq_open(slash(b, sizeof(b), qb), O_RDWR), ENOENT,
	    "mq_open(3) no longer finds it");
	is_errno(stat(pathof(p, sizeof(p), m1, qb), &st), ENOENT,
	    "nor does stat(2) in the first mount, which had looked it up");
	is_errno(unlink(p), ENOENT, "nor unlink(2) there");
	if (q >= 0)
		mq_close(q);

	fd = open(pathof(p, sizeof(p), m1, qb), O_CREAT | O_RDWR, 0600);
	cmp_long(fd, ">=", 0, "open(2) O_CREAT makes it again");
	is_success(mq_send(fd, "ab", 2, 0), "mq_send(3) on that descriptor");
	is_success(mknod(pathof(p, sizeof(p), m1, qc), S_IFREG | 0600, 0),
	    "mknod(2) S_IFREG makes a queue");
	is_long(listed(m2, qc, NULL), 1, "listed");
	is_success(mq_unlink(slash(b, sizeof(b), qc)), "mq_unlink(3) it");
	is_errno(rmdir(pathof(p, sizeof(p), m1, qb)), ENOTDIR,
	    "rmdir(2) of a queue: ENOTDIR");
	is_success(unlink(p), "unlink(2) of an open queue");
	is_success(mq_send(fd, "cd", 2, 0), "which still works");
	if (fd >= 0)
		close(fd);
}

/* What is not a queue may not be made. */
static void
test_eperm(void)
{
	char p[256], t[256];
	int fd;

	is_errno(mkdir(pathof(p, sizeof(p), m1, "d"), 0755), EPERM,
	    "mkdir(2) in the mount: EPERM");
	is_errno(symlink("x", p), EPERM, "symlink(2): EPERM");
	is_errno(mknod(p, S_IFIFO | 0600, 0), EPERM, "mknod(2) a FIFO: EPERM");
	fd = creat(pathof(p, sizeof(p), m1, qc), 0600);
	cmp_long(fd, ">=", 0, "creat(2) a queue");
	is_errno(link(p, pathof(t, sizeof(t), m1, "l")), EPERM,
	    "link(2): EPERM");
	is_errno(rename(p, t), EPERM, "rename(2): EPERM");
	is_errno(rmdir(m1), EBUSY, "rmdir(2) of the mount: EBUSY");
	is_success(unlink(p), "unlink(2)");
	if (fd >= 0)
		close(fd);
}

/* The sticky directory: only the owner (or root) may remove a queue. */
static void
unpriv_child(void *arg)
{
	char p[256];
	int fd;

	(void)arg;
	conf_drop_privileges();
	pathof(p, sizeof(p), m1, qa);
	if (unlink(p) != -1 || errno != EPERM)
		_exit(1);
	/* The kernel says EPERM; musl's mq_unlink makes it EACCES. */
	if (conf_sys(SYS_mq_unlink, qa) != -EPERM)
		_exit(2);
	if (open(p, O_RDONLY) != -1 || errno != EACCES)
		_exit(3);
	fd = creat(pathof(p, sizeof(p), m1, qc), 0600);
	if (fd < 0)
		_exit(4);
	close(fd);
	if (unlink(p) != 0)
		_exit(5);
	_exit(0);
}

static void
test_sticky(void)
{
	char b[80], p[256];
	mqd_t q;
	int status;

	q = mq_open(slash(b, sizeof(b), qa), O_CREAT | O_RDWR, 0600, NULL);
	cmp_long(q, ">=", 0, "root makes a queue");
	status = conf_in_child(unpriv_child, NULL);
	is_exit(status, 0, "another user may neither unlink(2) nor "
	    "mq_unlink(2) it (EPERM) nor open it (EACCES), but makes and "
	    "removes its own");
	is_long(listed(m1, qa, NULL), 1, "root's queue is still there");
	is_success(unlink(pathof(p, sizeof(p), m1, qa)),
	    "root removes it with unlink(2)");
	if (q >= 0)
		mq_close(q);
}

/*
 * Closing any descriptor of the queue, one from open(2) too, ends the
 * closing process's notification request (Linux's flush).
 */
static void
test_notify_close(void)
{
	struct sigevent sev = { .sigev_notify = SIGEV_NONE };
	char p[256], b[80], line[128];
	mqd_t q;
	int fd, n;

	q = mq_open(slash(b, sizeof(b), qa), O_CREAT | O_RDWR, 0600, NULL);
	cmp_long(q, ">=", 0, "mq_open(3)");
	is_success(mq_notify(q, &sev), "mq_notify(3) SIGEV_NONE");
	fd = open(pathof(p, sizeof(p), m1, qa), O_RDONLY);
	cmp_long(fd, ">=", 0, "open(2) of the queue");
	n = pread(fd, line, sizeof(line) - 1, 0);
	line[n > 0 ? n : 0] = '\0';
	line[strcspn(line, "\n")] = '\0';
	snprintf(b, sizeof(b), "NOTIFY_PID:%d ", (int)getpid());
	ok(strstr(line, b) != NULL, "its status line names the registered "
	    "process (got \"%s\")", line);
	is_success(close(fd), "close(2) of that descriptor");
	n = pread(q, line, sizeof(line) - 1, 0);
	line[n > 0 ? n : 0] = '\0';
	line[strcspn(line, "\n")] = '\0';
	ok(strstr(line, "NOTIFY_PID:0 ") != NULL, "ended the registration "
	    "(got \"%s\")", line);
	is_success(mq_notify(q, &sev), "so mq_notify(3) may register again");
	is_success(mq_unlink(slash(b, sizeof(b), qa)), "mq_unlink(3)");
	mq_close(q);
}

/*
 * A third mount, lazily unmounted while an O_PATH descriptor holds one
 * of its queue files: the file stays usable for fstat, and the mount
 * goes with the descriptor.  Mount options are EINVAL.
 */
static void
test_detach(void)
{
	char m3[160], p[256], b[80];
	struct stat st;
	mqd_t q;
	int fd;

	snprintf(m3, sizeof(m3), "%s/m3", scratch);
	if (mkdir(m3, 0755) != 0)
		tap_bail("mkdir %s: %s", m3, tap_errname(errno));
	is_errno(mount("none", m3, "mqueue", 0, "foo=1"), EINVAL,
	    "mount(2) with an option mqueue does not know: EINVAL");
	is_success(mount("none", m3, "mqueue", 0, NULL), "mount(2) a third");
	q = mq_open(slash(b, sizeof(b), qa), O_CREAT | O_RDWR, 0600, NULL);
	cmp_long(q, ">=", 0, "mq_open(3)");
	fd = open(pathof(p, sizeof(p), m3, qa), O_PATH);
	cmp_long(fd, ">=", 0, "open(2) O_PATH of its file");
	is_errno(umount(m3), EBUSY, "umount(2) while it is held: EBUSY");
	is_success(umount2(m3, MNT_DETACH), "umount2(2) MNT_DETACH");
	is_success(fstat(fd, &st), "fstat(2) of the O_PATH descriptor");
	is_long(st.st_mode, S_IFREG | 0600, "still the queue's file");
	is_success(close(fd), "close(2): the mount goes");
	is_success(mq_unlink(slash(b, sizeof(b), qa)), "mq_unlink(3)");
	mq_close(q);
	rmdir(m3);
}

/* At boot EclipseOS mounts it on /dev/mqueue, as systemd does. */
static void
test_devmqueue(void)
{
	struct statfs sf;

	if (statfs("/dev/mqueue", &sf) != 0) {
		skip(1, "no /dev/mqueue here (errno %s)", tap_errname(errno));
		return;
	}
	is_hex((unsigned long)sf.f_type, MQUEUE_MAGIC_,
	    "/dev/mqueue is an mqueue filesystem");
}

int
main(int argc, char **argv)
{
	(void)argc;
	conf_init(argv);
	snprintf(qa, sizeof(qa), "confmqfs-a-%d", (int)getpid());
	snprintf(qb, sizeof(qb), "confmqfs-b-%d", (int)getpid());
	snprintf(qc, sizeof(qc), "confmqfs-c-%d", (int)getpid());
	setup();
	test_listed();
	test_create();
	test_eperm();
	test_sticky();
	test_notify_close();
	test_detach();
	test_devmqueue();
	cleanup();
	return done_testing();
}
