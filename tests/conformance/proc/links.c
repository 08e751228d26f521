/*
 * /proc/[pid]/{cwd,root,exe} and fd/N are links only the process's own
 * user (every id matching) or root may read or follow (proc(5): the
 * ptrace access mode check): an ordinary user gets EACCES for init's,
 * and reads its own.
 */
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

static void
as_nobody(void *arg)
{
	char buf[PATH_MAX];

	(void)arg;
	conf_drop_privileges();
	if (readlink("/proc/1/cwd", buf, sizeof(buf)) != -1 || errno != EACCES)
		_exit(1);
	if (readlink("/proc/1/exe", buf, sizeof(buf)) != -1 || errno != EACCES)
		_exit(2);
	if (readlink("/proc/1/fd/0", buf, sizeof(buf)) != -1 ||
	    (errno != EACCES && errno != ENOENT))
		_exit(3);
	if (open("/proc/1/root/", O_RDONLY | O_DIRECTORY) != -1 ||
	    errno != EACCES)
		_exit(4);
	if (readlink("/proc/self/cwd", buf, sizeof(buf)) <= 0)
		_exit(5);
	_exit(0);
}

int
main(int argc, char **argv)
{
	char buf[PATH_MAX];

	(void)argc;
	conf_init(argv);
	ok(readlink("/proc/1/cwd", buf, sizeof(buf)) > 0,
	    "root reads init's cwd link");
	is_exit(conf_in_child(as_nobody, NULL), 0, "an ordinary user gets "
	    "EACCES for init's cwd, exe, fd/0 and root, and reads its own");
	return done_testing();
}
