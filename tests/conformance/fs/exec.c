/*
 * execve(2) and file permissions, with a copy of this program made with
 * read(2) and write(2) on tmpfs: a file without execute permission (even
 * for root), a directory and a file on a MS_NOEXEC mount are EACCES; a
 * set-user-ID program run by an ordinary user gets its owner as the
 * effective user ID (and keeps the real one), but not on a MS_NOSUID
 * mount.
 *
 * --helper EUID UID: exits 0 when geteuid() and getuid() are those.
 */
#include <sys/stat.h>

#include "fs.h"

static const char *prog;

static void
copy_self(const char *to)
{
	char buf[8192], self[512];
	ssize_t n;
	int in, out;

	conf_path(self, sizeof(self), "exec");
	if ((in = open(self, O_RDONLY)) < 0)
		tap_bail("open %s: %s", self, tap_errname(errno));
	if ((out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755)) < 0)
		tap_bail("create %s: %s", to, tap_errname(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			tap_bail("write %s: %s", to, tap_errname(errno));
	close(in);
	close(out);
}

/* Exec prog --helper euid uid in a child; returns the wait status. */
struct run {
	const char *path;
	const char *euid, *uid;
	int drop;
};

static void
runner(void *arg)
{
	struct run *r = arg;
	char *args[] = { (char *)r->path, "--helper", (char *)r->euid,
	    (char *)r->uid, NULL };
	char *env[] = { NULL };

	if (r->drop)
		conf_drop_privileges();
	execve(r->path, args, env);
	_exit(100 + errno);
}

static int
run(const char *path, const char *euid, const char *uid, int drop)
{
	struct run r = { path, euid, uid, drop };

	return conf_in_child(runner, &r);
}

int
main(int argc, char **argv)
{
	char path[512];

	if (argc == 4 && strcmp(argv[1], "--helper") == 0)
		return geteuid() == (uid_t)atoi(argv[2]) &&
		    getuid() == (uid_t)atoi(argv[3]) ? 0 : 1;
	conf_init(argv);
	fs_setup("exec", NULL);
	snprintf(path, sizeof(path), "%s/prog", fs_scratch_dir);
	prog = path;
	copy_self("prog");

	is_exit(run(prog, "0", "0", 0), 0,
	    "execve(2) of the copy (mode 0755) runs it");
	chmod("prog", 0644);
	is_exit(run(prog, "0", "0", 0), 100 + EACCES,
	    "execve(2): a file without any execute bit is EACCES, even for "
	    "root");
	chmod("prog", 0700);
	is_exit(run(prog, "65534", "65534", 1), 100 + EACCES,
	    "execve(2): a file only its owner may execute is EACCES for "
	    "another user");
	is_exit(run(fs_scratch_dir, "0", "0", 0), 100 + EACCES,
	    "execve(2): a directory is EACCES");
	is_exit(run("/nonexistent-conf-fs", "0", "0", 0), 100 + ENOENT,
	    "execve(2): a missing file is ENOENT");

	/* Set-user-ID */
	chown("prog", 1234, 1234);
	chmod("prog", 04755);
	is_exit(run(prog, "1234", "65534", 1), 0,
	    "execve(2): a set-user-ID program's euid is its owner's, the real "
	    "uid stays the caller's");
	chmod("prog", 0755);
	is_exit(run(prog, "65534", "65534", 1), 0,
	    "execve(2): without the bit the euid stays the caller's");

	/* Mount flags */
	mkdir("m", 0755);
	is_success(mount("ne", "m", "tmpfs", MS_NOEXEC, NULL),
	    "mount(2) a tmpfs with MS_NOEXEC");
	copy_self("m/prog");
	snprintf(path, sizeof(path), "%s/m/prog", fs_scratch_dir);
	is_exit(run(path, "0", "0", 0), 100 + EACCES,
	    "execve(2): a file on a MS_NOEXEC mount is EACCES");
	is_success(umount("m"), "umount2(2)");
	is_success(mount("ns", "m", "tmpfs", MS_NOSUID, NULL),
	    "mount(2) a tmpfs with MS_NOSUID");
	copy_self("m/prog");
	chown("m/prog", 1234, 1234);
	chmod("m/prog", 04755);
	is_exit(run(path, "65534", "65534", 1), 0,
	    "execve(2): the set-user-ID bit is ignored on a MS_NOSUID mount");
	is_success(umount("m"), "umount2(2)");
	fs_done();
	return done_testing();
}
