/*
 * POSIX shared memory and named semaphores as musl implements them, on
 * files in /dev/shm (a tmpfs): shm_open, ftruncate and MAP_SHARED give
 * memory two processes share; shm_unlink removes the name; sem_open's
 * semaphore is shared by name across fork.
 */
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"

#define TMPFS_MAGIC	0x01021994

int
main(int argc, char **argv)
{
	char name[64], sname[64];
	struct statfs sf;
	struct stat st;
	sem_t *sem;
	char *mem;
	pid_t pid;
	int fd;

	(void)argc;
	conf_init(argv);
	is_success(statfs("/dev/shm", &sf), "statfs(/dev/shm)");
	is_hex(sf.f_type, TMPFS_MAGIC, "/dev/shm is a tmpfs");
	is_success(stat("/dev/shm", &st), "stat(/dev/shm)");
	is_hex(st.st_mode & 07777, 01777, "/dev/shm is mode 1777");

	snprintf(name, sizeof(name), "/conf-shm-%d", (int)getpid());
	fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	ok(fd >= 0, "shm_open(O_CREAT|O_EXCL)");
	is_success(ftruncate(fd, 8192), "ftruncate the object to 8 KiB");
	mem = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ok(mem != MAP_FAILED, "mmap it MAP_SHARED");
	if ((pid = conf_fork()) == 0) {
		int cfd = shm_open(name, O_RDWR, 0);
		char *cm = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED,
		    cfd, 0);

		if (cfd < 0 || cm == MAP_FAILED)
			_exit(1);
		strcpy(cm + 4096, "from the child");
		_exit(0);
	}
	is_exit(conf_wait(pid), 0, "a child opened it by name and wrote");
	is_str(mem + 4096, "from the child", "the parent sees the bytes");
	is_success(shm_unlink(name), "shm_unlink");
	is_errno(shm_open(name, O_RDWR, 0), ENOENT, "the name is gone");
	munmap(mem, 8192);
	close(fd);

	snprintf(sname, sizeof(sname), "/conf-sem-%d", (int)getpid());
	sem = sem_open(sname, O_CREAT | O_EXCL, 0600, 0);
	ok(sem != SEM_FAILED, "sem_open(O_CREAT|O_EXCL)");
	if ((pid = conf_fork()) == 0) {
		sem_t *cs = sem_open(sname, 0);

		if (cs == SEM_FAILED || sem_post(cs) != 0)
			_exit(1);
		_exit(0);
	}
	is_success(sem_wait(sem), "sem_wait returns once the child posts");
	is_exit(conf_wait(pid), 0, "the child opened the semaphore by name");
	is_success(sem_unlink(sname), "sem_unlink");
	sem_close(sem);
	return done_testing();
}
