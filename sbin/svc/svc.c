/*
 * svc: ask init about its services, or tell it to change one
 * (Documentation/services.md).
 *
 *	svc [-s SOCKET] list
 *	svc [-s SOCKET] status|log NAME
 *	svc [-s SOCKET] start|stop|restart NAME		(root only)
 *
 * It sends the request line to init's socket (/run/init.sock, or SOCKET,
 * or $SVC_SOCKET), prints the answer and exits with the status init puts
 * on the answer's first line.  start, stop and restart wait until init has
 * done it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define SVC_SOCKET	"/run/init.sock"

static void
usage(void)
{
	fprintf(stderr, "usage: svc [-s socket] list\n"
	    "       svc [-s socket] status|log|start|stop|restart NAME\n");
	exit(2);
}

static int
svc_connect(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "svc: %s: path too long\n", path);
		exit(1);
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		fprintf(stderr, "svc: cannot reach init at %s: %s\n", path,
		    strerror(errno));
		exit(1);
	}
	return fd;
}

static void
svc_send(int fd, const char *req)
{
	size_t len = strlen(req), off = 0;
	ssize_t n;

	while (off < len) {
		if ((n = write(fd, req + off, len - off)) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "svc: write: %s\n", strerror(errno));
			exit(1);
		}
		off += n;
	}
}

/* Print the answer after its status line; returns that status. */
static int
svc_answer(int fd)
{
	char buf[4096];
	int status = -1, got = 0;
	ssize_t n, i;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "svc: read: %s\n", strerror(errno));
			return 1;
		}
		for (i = 0; i < n && status < 0; i++) {
			if (buf[i] == '\n') {
				status = got;
				i++;
				break;
			}
			if (buf[i] < '0' || buf[i] > '9') {
				fprintf(stderr, "svc: bad answer from init\n");
				return 1;
			}
			got = got * 10 + (buf[i] - '0');
		}
		if (status >= 0 && i < n)
			fwrite(buf + i, 1, n - i, stdout);
	}
	if (status < 0) {
		fprintf(stderr, "svc: init closed the connection without "
		    "answering\n");
		return 1;
	}
	fflush(stdout);
	return status;
}

int
main(int argc, char **argv)
{
	const char *sock = getenv("SVC_SOCKET");
	char req[512];
	int c, fd;

	if (sock == NULL || *sock == '\0')
		sock = SVC_SOCKET;
	while ((c = getopt(argc, argv, "s:")) != -1) {
		if (c != 's')
			usage();
		sock = optarg;
	}
	argc -= optind;
	argv += optind;
	if (argc == 1 && strcmp(argv[0], "list") == 0)
		snprintf(req, sizeof(req), "list\n");
	else if (argc == 2 && strcmp(argv[0], "list") != 0 &&
	    strlen(argv[1]) < 200 && strpbrk(argv[1], " \t\n") == NULL)
		snprintf(req, sizeof(req), "%s %s\n", argv[0], argv[1]);
	else
		usage();
	fd = svc_connect(sock);
	svc_send(fd, req);
	return svc_answer(fd);
}
