#!/bin/busybox sh
#
# /init of the reference Linux's initramfs (distro/linuxref.py builds it;
# Documentation/performance.md).  Runs as PID 1 of the distribution's
# Linux kernel: installs BusyBox's applet links, mounts /proc, /sys,
# /dev (devtmpfs) and /tmp, loads the modules of /lib/modules/order (in
# that order: each after the ones it depends on), then gives a root shell
# on the serial console whose prompt is "linuxref:<folder># " (what
# tests/bench/disk.py waits for).  When the shell ends, the machine powers
# off.

/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/ TERM=vt100
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
# shellcheck disable=SC2046
insmod $(sed 's|.*|/lib/modules/&.ko|' /lib/modules/order) ||
    echo "linuxref: some modules did not load"
echo "linuxref: Linux $(uname -r) ready"
export PS1='linuxref:\w# '
setsid cttyhack sh
poweroff -f
