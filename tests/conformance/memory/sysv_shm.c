/*
 * System V shared memory: shmget(2), shmat(2), shmdt(2), shmctl(2)
 * (shmop(2), svipc(7)).  Keys and IPC_PRIVATE, IPC_CREAT and IPC_EXCL,
 * sizes, permissions as nobody, attaching at a given address (SHM_RND,
 * SHM_REMAP) and read-only, pages shared between attachments and across
 * fork, attachments dropped by execve and exit, shm_nattch, the times and
 * pids of IPC_STAT, IPC_SET, IPC_RMID with attachments, IPC_INFO,
 * SHM_INFO and SHM_STAT_ANY.  Every segment is IPC_PRIVATE or keyed by
 * ftok(3) of this program, and removed before the program ends.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <unistd.h>

#include "conf.h"

#define NPAGES		3
#define SEGSZ		(NPAGES * CONF_PAGE)
#ifndef SHM_DEST
#define SHM_DEST	01000
#endif
#ifndef SHM_STAT_ANY
#define SHM_STAT_ANY	15
#endif

/* The segments made so far, removed at the end or on a bail-out. */
static int made[16];
static int nmade;

static void
rm_all(void)
{
	int i;

	for (i = 0; i < nmade; i++)
		(void)shmctl(made[i], IPC_RMID, NULL);
	nmade = 0;
}

/* A new IPC_PRIVATE segment of size bytes and mode; bails out on error. */
static int
newseg(size_t size, int mode)
{
	int id = shmget(IPC_PRIVATE, size, IPC_CREAT | mode);

	if (id < 0)
		bail_out("shmget(IPC_PRIVATE): %s", tap_errname(errno));
	if (nmade < (int)(sizeof(made) / sizeof(made[0])))
		made[nmade++] = id;
	return id;
}

static struct shmid_ds
stat_of(int id)
{
	struct shmid_ds ds;

	memset(&ds, 0, sizeof(ds));
	if (shmctl(id, IPC_STAT, &ds) != 0)
		memset(&ds, 0xff, sizeof(ds));
	return ds;
}

static long
nattch(int id)
{
	struct shmid_ds ds = stat_of(id);

	return (long)ds.shm_nattch;
}

/*
 * The line of /proc/sysvipc/shm for id: its key, mode, size and
 * attachments; 0 when found, -1 when not.
 */
static int
proc_line(int id, long *key, long *mode, long *size, long *natt)
{
	char line[512];
	unsigned int m;

	if (conf_sysvipc_line("shm", "       key      shmid perms", id, line,
	    sizeof(line)) < 0 ||
	    sscanf(line, "%ld %*d %o %ld %*d %*d %ld", key, &m, size,
	    natt) != 4)
		return -1;
	*mode = m;
	return 0;
}

/* execve'd by the exec case: the inherited attachment must be gone. */
static int
exec_helper(const char *idstr)
{
	int id = atoi(idstr);

	return nattch(id) == 1 ? 0 : 1;
}

static void
test_basics(void)
{
	struct shmid_ds ds;
	volatile char *a, *b;
	int id, i, zero = 1;

	id = newseg(SEGSZ, 0600);
	ds = stat_of(id);
	is_long(ds.shm_segsz, SEGSZ, "shmctl(2) IPC_STAT: shm_segsz is the "
	    "size asked for");
	is_long(ds.shm_perm.mode, 0600, "IPC_STAT: the mode is shmflg's "
	    "permission bits");
	is_long(ds.shm_perm.key, IPC_PRIVATE, "IPC_STAT: the key is "
	    "IPC_PRIVATE");
	ok(ds.shm_perm.uid == geteuid() && ds.shm_perm.cuid == geteuid() &&
	    ds.shm_perm.gid == getegid() && ds.shm_perm.cgid == getegid(),
	    "IPC_STAT: owner and creator are the caller's effective ids");
	ok(ds.shm_cpid == getpid() && ds.shm_lpid == 0,
	    "IPC_STAT: shm_cpid is the creator, shm_lpid 0 before any shmat");
	ok(ds.shm_nattch == 0 && ds.shm_atime == 0 && ds.shm_dtime == 0 &&
	    ds.shm_ctime != 0, "IPC_STAT: no attachment yet, shm_ctime set");

	a = shmat(id, NULL, 0);
	if (!ok(a != (void *)-1, "shmat(2) NULL: attaches where there is "
	    "room"))
		bail_out("shmat: %s", tap_errname(errno));
	ok(((unsigned long)a & (CONF_PAGE - 1)) == 0, "shmat(2): the "
	    "address is page-aligned");
	for (i = 0; i < (int)SEGSZ; i++)
		if (a[i] != 0)
			zero = 0;
	ok(zero, "shmat(2): a new segment reads as zeros");
	ds = stat_of(id);
	ok(ds.shm_nattch == 1 && ds.shm_lpid == getpid() &&
	    ds.shm_atime != 0, "IPC_STAT after shmat: shm_nattch 1, "
	    "shm_lpid and shm_atime set");

	b = shmat(id, NULL, 0);
	ok(b != (void *)-1 && b != a, "shmat(2) twice: a second address");
	a[5] = 'x';
	b[CONF_PAGE + 7] = 'y';
	ok(b[5] == 'x' && a[CONF_PAGE + 7] == 'y', "shmat(2): two "
	    "attachments of one segment see each other's writes");
	is_long(nattch(id), 2, "shm_nattch counts both attachments");
	{
		long key = -1, mode = -1, size = -1, natt = -1;

		ok(proc_line(id, &key, &mode, &size, &natt) == 0 &&
		    key == 0 && mode == 0600 && size == (long)SEGSZ &&
		    natt == 2, "/proc/sysvipc/shm lists the segment: key, "
		    "perms, size, nattch");
	}
	is_success(shmdt((void *)b), "shmdt(2) of the second attachment");
	ds = stat_of(id);
	ok(ds.shm_nattch == 1 && ds.shm_dtime != 0, "IPC_STAT after shmdt: "
	    "shm_nattch 1, shm_dtime set");
	is_errno(shmdt((void *)b), EINVAL, "shmdt(2) of an address no "
	    "longer attached is EINVAL");
	is_errno(shmdt((void *)(a + CONF_PAGE)), EINVAL, "shmdt(2) inside "
	    "an attachment, not at its start, is EINVAL");
	is_errno(shmdt((void *)(a + 1)), EINVAL, "shmdt(2) of an address "
	    "not page-aligned is EINVAL");

	/* Linux counts each piece mprotect makes as an attachment. */
	is_success(mprotect((void *)(a + CONF_PAGE), CONF_PAGE, PROT_READ),
	    "mprotect(2) of the middle page of an attachment");
	is_long(nattch(id), 3, "shm_nattch counts the three pieces of the "
	    "split attachment");
	is_success(shmdt((void *)a), "shmdt(2) detaches every piece");
	is_long(nattch(id), 0, "shm_nattch is 0 after it");
	a = shmat(id, NULL, 0);
	ok(a != (void *)-1 && a[5] == 'x' && a[CONF_PAGE + 7] == 'y',
	    "shmat(2) again: the data outlived the attachments");
	is_success(munmap((void *)a, SEGSZ), "munmap(2) of an attachment");
	is_long(nattch(id), 0, "munmap(2) detaches too");
}

static void
test_fork_exec(const char *self)
{
	volatile char *a;
	char idstr[32];
	pid_t pid;
	int id, st;

	id = newseg(SEGSZ, 0600);
	a = shmat(id, NULL, 0);
	if (a == (void *)-1)
		bail_out("shmat: %s", tap_errname(errno));
	a[0] = 'p';
	pid = conf_fork();
	if (pid == 0) {
		int okc = a[0] == 'p' && nattch(id) == 2;

		a[CONF_PAGE * 2] = 'c';
		_exit(okc ? 0 : 1);
	}
	st = conf_wait(pid);
	is_exit(st, 0, "fork(2): the child inherits the attachment (its "
	    "data, shm_nattch 2)");
	is_long(a[CONF_PAGE * 2], 'c', "fork(2): the parent sees the "
	    "child's write to the segment");
	is_long(nattch(id), 1, "exit(2) detaches the child's attachment");

	snprintf(idstr, sizeof(idstr), "%d", id);
	pid = conf_fork();
	if (pid == 0) {
		char *args[] = { (char *)self, "--exec-helper", idstr, NULL };

		if (nattch(id) != 2)
			_exit(2);
		execv(self, args);
		_exit(3);
	}
	st = conf_wait(pid);
	is_exit(st, 0, "execve(2) detaches the attachments it inherited");

	/* IPC_RMID with an attachment in a child: it goes with the last. */
	{
		static volatile int *flag;

		flag = conf_shared(CONF_PAGE);
		pid = conf_fork();
		if (pid == 0) {
			if (conf_wait_flag(flag, 1, 2, 30000) != 0)
				_exit(2);
			_exit(a[0] == 'p' && a[CONF_PAGE * 2] == 'c' ? 0 : 1);
		}
		is_success(shmctl(id, IPC_RMID, NULL), "shmctl(2) IPC_RMID "
		    "with attachments");
		is_success(shmdt((void *)a), "shmdt(2) of a removed "
		    "segment");
		is_long(nattch(id), 1, "the removed segment stays while the "
		    "child is attached");
		*flag = 1;
		st = conf_wait(pid);
		is_exit(st, 0, "the child still reads the removed segment");
		{
			struct shmid_ds ds;

			is_errno(shmctl(id, IPC_STAT, &ds), EINVAL,
			    "shmctl(2) IPC_STAT after the last detach is "
			    "EINVAL: the segment is gone");
		}
		munmap((void *)flag, CONF_PAGE);
	}
}

static void
test_keys(const char *self)
{
	struct shmid_ds ds;
	key_t key = ftok(self, 'S');
	int id, id2;

	if (key == -1)
		bail_out("ftok(%s): %s", self, tap_errname(errno));
	/* A segment an earlier, broken run left behind. */
	if ((id = shmget(key, 0, 0)) >= 0)
		(void)shmctl(id, IPC_RMID, NULL);

	is_errno(shmget(key, SEGSZ, 0600), ENOENT, "shmget(2): a key with no "
	    "segment, without IPC_CREAT, is ENOENT");
	id = shmget(key, SEGSZ, IPC_CREAT | IPC_EXCL | 0640);
	if (!ok(id >= 0, "shmget(2) IPC_CREAT|IPC_EXCL makes a segment"))
		bail_out("shmget: %s", tap_errname(errno));
	made[nmade++] = id;
	is_long(stat_of(id).shm_perm.key, key, "IPC_STAT: the key");
	is_long(shmget(key, SEGSZ, IPC_CREAT | 0600), id, "shmget(2) "
	    "IPC_CREAT of an existing key finds it");
	is_long(shmget(key, 10, 0), id, "shmget(2): a smaller size finds "
	    "it too");
	is_long(shmget(key, 0, 0), id, "shmget(2): size 0 finds it too");
	is_errno(shmget(key, SEGSZ, IPC_CREAT | IPC_EXCL | 0600), EEXIST,
	    "shmget(2) IPC_CREAT|IPC_EXCL of an existing key is EEXIST");
	is_errno(shmget(key, SEGSZ + 1, 0), EINVAL, "shmget(2): a size "
	    "larger than the existing segment is EINVAL");

	/* IPC_SET: the mode, and shm_ctime. */
	ds = stat_of(id);
	ds.shm_perm.mode = 0604;
	is_success(shmctl(id, IPC_SET, &ds), "shmctl(2) IPC_SET");
	is_long(stat_of(id).shm_perm.mode, 0604, "IPC_SET changed the "
	    "permission bits");

	/* Removed with an attachment: the key goes, the id stays. */
	{
		volatile char *a = shmat(id, NULL, 0);

		ok(a != (void *)-1, "shmat(2) of the keyed segment");
		is_success(shmctl(id, IPC_RMID, NULL), "IPC_RMID while "
		    "attached");
		ds = stat_of(id);
		ok(ds.shm_perm.key == IPC_PRIVATE &&
		    (ds.shm_perm.mode & SHM_DEST) && ds.shm_nattch == 1,
		    "IPC_STAT of a removed segment: key IPC_PRIVATE, "
		    "SHM_DEST, still attached");
		is_errno(shmget(key, 0, 0), ENOENT, "shmget(2): the key of a "
		    "removed segment is ENOENT");
		a[0] = 1;
		ok(a[0] == 1, "a removed segment's memory still works");
		id2 = shmget(key, CONF_PAGE, IPC_CREAT | IPC_EXCL | 0600);
		ok(id2 >= 0 && id2 != id, "shmget(2): the key makes a new "
		    "segment, with a new id");
		if (id2 >= 0)
			made[nmade++] = id2;
		shmdt((void *)a);
		is_errno(shmctl(id, IPC_STAT, &ds), EINVAL,
		    "shmctl(2) IPC_STAT of a removed id after its last "
		    "detach is EINVAL");
		is_errno(shmat(id, NULL, 0), EINVAL, "shmat(2) of a removed "
		    "id is EINVAL");
		if (id2 >= 0)
			is_success(shmctl(id2, IPC_RMID, NULL), "IPC_RMID "
			    "without attachments");
		is_errno(shmctl(id2, IPC_RMID, NULL), EINVAL,
		    "shmctl(2) IPC_RMID of a removed id is EINVAL");
	}
}

static void
test_errors(void)
{
	struct shmid_ds ds;
	char *hole, *a;
	void *p;
	int id, st;

	is_errno(shmget(IPC_PRIVATE, 0, IPC_CREAT | 0600), EINVAL,
	    "shmget(2): size 0 (below SHMMIN) is EINVAL");
	is_errno(shmget(IPC_PRIVATE, (size_t)-1, IPC_CREAT | 0600), EINVAL,
	    "shmget(2): a size above SHMMAX is EINVAL");
	is_errno(shmat(-1, NULL, 0), EINVAL, "shmat(2): a negative id is "
	    "EINVAL");
	is_errno(shmctl(-1, IPC_STAT, &ds), EINVAL, "shmctl(2): a negative "
	    "id is EINVAL");
	id = newseg(SEGSZ, 0600);
	is_errno(shmctl(id, 12345, &ds), EINVAL, "shmctl(2): an unknown "
	    "command is EINVAL");
	is_errno(shmctl(id, IPC_STAT, NULL), EFAULT, "shmctl(2) IPC_STAT to "
	    "a NULL buffer is EFAULT");
	is_errno(shmctl(id, IPC_SET, NULL), EFAULT, "shmctl(2) IPC_SET from "
	    "a NULL buffer is EFAULT");
	ds = stat_of(id);
	ds.shm_perm.uid = (uid_t)-1;
	is_errno(shmctl(id, IPC_SET, &ds), EINVAL, "shmctl(2) IPC_SET of uid "
	    "-1 is EINVAL");
	ds = stat_of(id);
	ds.shm_perm.gid = (gid_t)-1;
	is_errno(shmctl(id, IPC_SET, &ds), EINVAL, "shmctl(2) IPC_SET of gid "
	    "-1 is EINVAL");
	ok(stat_of(id).shm_perm.uid == geteuid() &&
	    stat_of(id).shm_perm.gid == getegid(), "a failed IPC_SET changes "
	    "nothing");
	is_errno(shmat(id, NULL, SHM_REMAP), EINVAL, "shmat(2): SHM_REMAP "
	    "without an address is EINVAL");

	/* A free range to attach at. */
	hole = mmap(NULL, SEGSZ + CONF_PAGE, PROT_NONE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (hole == MAP_FAILED)
		bail_out("mmap: %s", tap_errname(errno));
	is_errno(shmat(id, hole + 8, 0), EINVAL, "shmat(2): an address not "
	    "aligned to SHMLBA without SHM_RND is EINVAL");
	is_errno(shmat(id, hole, 0), EINVAL, "shmat(2): an address already "
	    "mapped, without SHM_REMAP, is EINVAL");
	p = shmat(id, hole, SHM_REMAP);
	ok(p == hole, "shmat(2) SHM_REMAP replaces the mapping there");
	shmdt(p);
	p = shmat(id, hole + 100, SHM_RND);
	ok(p == hole, "shmat(2) SHM_RND rounds the address down");
	strcpy(p, "ro");
	shmdt(p);

	a = shmat(id, NULL, SHM_RDONLY);
	ok(a != (void *)-1 && strcmp(a, "ro") == 0, "shmat(2) SHM_RDONLY "
	    "reads the segment");
	is_errno(mprotect(a, CONF_PAGE, PROT_READ | PROT_WRITE), EACCES,
	    "mprotect(2) making a SHM_RDONLY attachment writable is EACCES");
	if ((p = (void *)(long)conf_fork()) == 0) {
		a[0] = 'w';
		_exit(0);
	}
	st = conf_wait((pid_t)(long)p);
	is_signal(st, SIGSEGV, "a write to a SHM_RDONLY attachment is "
	    "SIGSEGV");
	shmdt(a);
	munmap(hole, SEGSZ + CONF_PAGE);
}

/* What a child running as nobody saw, one slot per call. */
enum { P_GET0, P_GET600, P_ATRO, P_ATRW, P_STAT, P_RMID, P_SET, P_NSLOTS };

/* As nobody: the permission bits and the owner's rights. */
static void
test_perms(const char *self)
{
	key_t key = ftok(self, 'P');
	volatile int *r = conf_shared(CONF_PAGE);
	struct shmid_ds ds;
	int id, st;
	pid_t pid;
	void *p;

	if ((id = shmget(key, 0, 0)) >= 0)
		(void)shmctl(id, IPC_RMID, NULL);
	id = shmget(key, CONF_PAGE, IPC_CREAT | IPC_EXCL | 0644);
	if (id < 0)
		bail_out("shmget: %s", tap_errname(errno));
	made[nmade++] = id;
	pid = conf_fork();
	if (pid == 0) {
		conf_drop_privileges();
		r[P_GET0] = shmget(key, 0, 0) == id ? 0 : errno;
		r[P_GET600] = shmget(key, 0, 0600) == id ? 0 : errno;
		p = shmat(id, NULL, SHM_RDONLY);
		r[P_ATRO] = p != (void *)-1 ? 0 : errno;
		r[P_ATRW] = shmat(id, NULL, 0) != (void *)-1 ? 0 : errno;
		r[P_STAT] = shmctl(id, IPC_STAT, &ds) == 0 ? 0 : errno;
		r[P_RMID] = shmctl(id, IPC_RMID, NULL) == 0 ? 0 : errno;
		r[P_SET] = shmctl(id, IPC_SET, &ds) == 0 ? 0 : errno;
		_exit(0);
	}
	st = conf_wait(pid);
	is_exit(st, 0, "a child as nobody tries a root-owned segment of mode "
	    "0644");
	is_long(r[P_GET0], 0, "shmget(2) as nobody, asking no permission: "
	    "found");
	is_long(r[P_GET600], EACCES, "shmget(2) as nobody asking 0600 of a "
	    "0644 segment is EACCES");
	is_long(r[P_ATRO], 0, "shmat(2) SHM_RDONLY as nobody, mode 0644: "
	    "attached");
	is_long(r[P_ATRW], EACCES, "shmat(2) read-write as nobody, mode "
	    "0644, is EACCES");
	is_long(r[P_STAT], 0, "shmctl(2) IPC_STAT as nobody, mode 0644: "
	    "allowed");
	is_long(r[P_RMID], EPERM, "shmctl(2) IPC_RMID as nobody, not the "
	    "owner, is EPERM");
	is_long(r[P_SET], EPERM, "shmctl(2) IPC_SET as nobody, not the "
	    "owner, is EPERM");

	is_success(shmctl(id, IPC_RMID, NULL), "IPC_RMID as root");
	id = newseg(CONF_PAGE, 0600);
	memset((void *)r, 0, CONF_PAGE);
	pid = conf_fork();
	if (pid == 0) {
		conf_drop_privileges();
		r[P_ATRO] = shmat(id, NULL, SHM_RDONLY) != (void *)-1 ? 0 :
		    errno;
		r[P_STAT] = shmctl(id, IPC_STAT, &ds) == 0 ? 0 : errno;
		_exit(0);
	}
	st = conf_wait(pid);
	is_exit(st, 0, "a child as nobody tries a root-owned segment of mode "
	    "0600");
	is_long(r[P_ATRO], EACCES, "shmat(2) SHM_RDONLY as nobody, mode "
	    "0600, is EACCES");
	is_long(r[P_STAT], EACCES, "shmctl(2) IPC_STAT as nobody, mode "
	    "0600, is EACCES");
	munmap((void *)r, CONF_PAGE);

	/* Root is not bound by the permission bits. */
	ds = stat_of(id);
	ds.shm_perm.mode = 0;
	is_success(shmctl(id, IPC_SET, &ds), "IPC_SET mode 0");
	p = shmat(id, NULL, 0);
	ok(p != (void *)-1, "root attaches a mode 0 segment");
	if (p != (void *)-1)
		shmdt(p);
}

/* RLIMIT_AS below the segment's size: shmat(2) is ENOMEM. */
static void
test_nomem(void)
{
	int id = newseg(64 << 20, 0600), st;
	pid_t pid;

	pid = conf_fork();
	if (pid == 0) {
		struct rlimit rl = { 16 << 20, 16 << 20 };

		if (setrlimit(RLIMIT_AS, &rl) != 0)
			_exit(2);
		if (shmat(id, NULL, 0) != (void *)-1)
			_exit(3);
		_exit(errno == ENOMEM ? 0 : 1);
	}
	st = conf_wait(pid);
	is_exit(st, 0, "shmat(2) of 64 MiB under a 16 MiB RLIMIT_AS is ENOMEM");
}

static void
test_info(void)
{
	struct shminfo si;
	struct shm_info su;
	struct shmid_ds ds;
	int id, max, i, found = 0;

	id = newseg(2 * CONF_PAGE, 0600);
	max = shmctl(0, IPC_INFO, (struct shmid_ds *)&si);
	ok(max >= 0 && si.shmmin == 1 && si.shmmni > 0 &&
	    si.shmmax >= SEGSZ, "shmctl(2) IPC_INFO: the limits");
	i = shmctl(0, SHM_INFO, (struct shmid_ds *)&su);
	ok(i == max && su.used_ids >= 1 && su.shm_tot >= 2,
	    "shmctl(2) SHM_INFO: the segments in use");
	for (i = 0; i <= max && !found; i++)
		if (shmctl(i, SHM_STAT_ANY, &ds) == id)
			found = ds.shm_segsz == 2 * CONF_PAGE;
	ok(found, "shmctl(2) SHM_STAT_ANY by index finds the segment, "
	    "returning its id");
	found = 0;
	for (i = 0; i <= max && !found; i++)
		if (shmctl(i, SHM_STAT, &ds) == id)
			found = 1;
	ok(found, "shmctl(2) SHM_STAT by index too");
	is_long(shmctl(id % 32768 + 5 * 32768, SHM_STAT, &ds), id,
	    "shmctl(2) SHM_STAT ignores an index's sequence bits (IPCMNI "
	    "32768)");
	is_errno(shmctl(max + 1, SHM_STAT, &ds), EINVAL,
	    "shmctl(2) SHM_STAT of an unused index is EINVAL");
}

int
main(int argc, char **argv)
{
	char self[256];

	if (argc == 3 && strcmp(argv[1], "--exec-helper") == 0)
		return exec_helper(argv[2]);
	conf_init(argv);
	conf_path(self, sizeof(self), "sysv_shm");
	atexit(rm_all);
	test_basics();
	test_fork_exec(self);
	test_keys(self);
	test_errors();
	test_info();
	test_perms(self);
	test_nomem();
	rm_all();
	return done_testing();
}
