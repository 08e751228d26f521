/*
 * sysfs(5)'s layout where both kernels agree: /sys is a sysfs
 * (SYSFS_MAGIC), the PCI host bridge 0000:00:00.0 is a link in
 * /sys/bus/pci/devices into /sys/devices/pci0000:00/, its vendor and
 * class read as Linux prints them, its uevent has the keys lspci reads,
 * and the first four bytes of config are its vendor and device ids.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "conf.h"
#include "proc/proc.h"

#define SYSFS_MAGIC_NR	0x62656572
#define BRIDGE		"/sys/bus/pci/devices/0000:00:00.0"
#define READ(path)	slurp(path, buf, sizeof(buf))

static char buf[8192];

/* Is s "0x" and exactly digits hexadecimal digits and a newline? */
static int
is_hexline(const char *s, int digits)
{
	int i;

	if (strncmp(s, "0x", 2) != 0)
		return 0;
	for (i = 0; i < digits; i++)
		if (strchr("0123456789abcdef", s[2 + i]) == NULL ||
		    s[2 + i] == '\0')
			return 0;
	return strcmp(s + 2 + digits, "\n") == 0;
}

int
main(int argc, char **argv)
{
	struct statfs sf;
	struct stat st;
	char link[256], *p;
	unsigned long vendor = 0, device = 0;
	unsigned char cfg[4];
	ssize_t n;
	int fd;

	(void)argc;
	conf_init(argv);
	ok(statfs("/sys", &sf) == 0 && sf.f_type == SYSFS_MAGIC_NR,
	    "statfs(2): /sys is a sysfs (SYSFS_MAGIC)");
	ok(lstat(BRIDGE, &st) == 0 && S_ISLNK(st.st_mode),
	    "sysfs: the host bridge is a link in /sys/bus/pci/devices");
	n = readlink(BRIDGE, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	is_str(link, "../../../devices/pci0000:00/0000:00:00.0",
	    "sysfs: it points into /sys/devices/pci0000:00");
	ok(stat(BRIDGE, &st) == 0 && S_ISDIR(st.st_mode),
	    "sysfs: and the link names a directory");

	ok(READ(BRIDGE "/vendor") == 7 && is_hexline(buf, 4),
	    "sysfs: vendor is 0x and four hexadecimal digits");
	vendor = strtoul(buf, NULL, 16);
	ok(READ(BRIDGE "/device") == 7 && is_hexline(buf, 4),
	    "sysfs: device is 0x and four hexadecimal digits");
	device = strtoul(buf, NULL, 16);
	ok(READ(BRIDGE "/class") == 9 && is_hexline(buf, 6) &&
	    strncmp(buf, "0x0600", 6) == 0,
	    "sysfs: class of a host bridge is 0x0600xx");

	ok(READ(BRIDGE "/uevent") > 0, "sysfs: uevent reads");
	ok(strstr(buf, "PCI_CLASS=60000\n") != NULL,
	    "sysfs: uevent has PCI_CLASS=60000");
	snprintf(link, sizeof(link), "PCI_ID=%04lX:%04lX\n", vendor, device);
	ok(strstr(buf, link) != NULL,
	    "sysfs: uevent's PCI_ID is vendor:device");
	ok(strstr(buf, "PCI_SUBSYS_ID=") != NULL,
	    "sysfs: uevent has PCI_SUBSYS_ID");
	ok(strstr(buf, "PCI_SLOT_NAME=0000:00:00.0\n") != NULL,
	    "sysfs: uevent's PCI_SLOT_NAME is the slot");
	p = strstr(buf, "MODALIAS=pci:v");
	snprintf(link, sizeof(link), "MODALIAS=pci:v%08lXd%08lX", vendor,
	    device);
	ok(p != NULL && strncmp(p, link, strlen(link)) == 0,
	    "sysfs: uevent's MODALIAS starts pci:v<vendor>d<device>");

	ok((fd = open(BRIDGE "/config", O_RDONLY)) >= 0 &&
	    read(fd, cfg, 4) == 4, "sysfs: config reads");
	if (fd >= 0)
		close(fd);
	ok((cfg[0] | cfg[1] << 8) == (int)vendor &&
	    (cfg[2] | cfg[3] << 8) == (int)device,
	    "sysfs: config's first 4 bytes are vendor and device");
	ok(stat(BRIDGE "/config", &st) == 0 && (st.st_size == 256 ||
	    st.st_size == 4096), "sysfs: config is 256 or 4096 bytes");
	ok(lstat(BRIDGE "/subsystem", &st) == 0 && S_ISLNK(st.st_mode) &&
	    stat(BRIDGE "/subsystem/devices", &st) == 0,
	    "sysfs: subsystem links to /sys/bus/pci");
	errno = 0;
	ok(open(BRIDGE "/nonexistent", O_RDONLY) < 0 && errno == ENOENT,
	    "sysfs: a missing attribute is ENOENT");
	return done_testing();
}
