/*
 * linuxref-insmod: load Linux kernel modules, in the order given, for the
 * reference Linux that distro/linuxref.py boots (our BusyBox is built
 * without insmod, which EclipseOS has no use for).
 *
 *	insmod FILE.ko...
 *
 * Each FILE is an uncompressed module (linuxref.py decompresses .ko.xz
 * and .ko.zst on the host); it goes to the kernel with finit_module(2)
 * and no parameters.  A module that is already loaded (EEXIST) is not an
 * error.  Exit status: 0 when every module is in the kernel, 1 otherwise.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	int fd, i, status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: insmod FILE.ko...\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if ((fd = open(argv[i], O_RDONLY | O_CLOEXEC)) < 0) {
			fprintf(stderr, "insmod: %s: %s\n", argv[i],
			    strerror(errno));
			status = 1;
			continue;
		}
		if (syscall(SYS_finit_module, fd, "", 0) != 0 &&
		    errno != EEXIST) {
			fprintf(stderr, "insmod: %s: %s\n", argv[i],
			    strerror(errno));
			status = 1;
		}
		close(fd);
	}
	return status;
}
