#!/bin/sh
#
# hostdeps.sh STAMP PACKAGE...
#
# Makes sure the host has every PACKAGE (Debian/Ubuntu names).  Asks dpkg
# which ones are missing, installs those with apt-get (as root, or through
# sudo), checks again, and on success writes the package list into STAMP so
# that distro/deps.mk need not ask again.  On a system without apt-get it
# prints the list and fails: install the equivalents by hand, then write
# the stamp yourself if you want make to stop asking.
#
# Exit status: 0 when every package is installed, 1 otherwise.

set -u

if [ $# -lt 2 ]; then
	echo "usage: $0 STAMP PACKAGE..." >&2
	exit 2
fi
stamp=$1
shift
packages=$*

# Prints the packages of "$@" that dpkg does not list as installed.
missing_packages()
{
	for p in "$@"; do
		s=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)
		[ "$s" = installed ] || printf '%s ' "$p"
	done
}

no_apt()
{
	echo "deps: $*" >&2
	echo "deps: the build and the tests need these packages" \
	    "(Debian/Ubuntu names):" >&2
	echo "deps:   $packages" >&2
	echo "deps: install them (or your system's equivalents) and run" \
	    "make again." >&2
	exit 1
}

if ! command -v dpkg-query >/dev/null 2>&1 ||
    ! command -v apt-get >/dev/null 2>&1; then
	no_apt "this system has no dpkg-query/apt-get, so I cannot check" \
	    "or install packages."
fi

# shellcheck disable=SC2086
missing=$(missing_packages $packages)
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		sudo=
	elif command -v sudo >/dev/null 2>&1; then
		sudo=sudo
		echo "deps: not root; using sudo for apt-get" >&2
	else
		no_apt "missing ${missing% }, and I am neither root nor" \
		    "able to use sudo."
	fi
	echo "deps: installing ${missing% }"
	echo "deps: apt-get update"
	if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q; then
		echo "deps: apt-get update failed" >&2
		exit 1
	fi
	echo "deps: apt-get install -y --no-install-recommends ${missing% }"
	# shellcheck disable=SC2086
	if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y \
	    --no-install-recommends $missing; then
		echo "deps: apt-get install failed" >&2
		exit 1
	fi
	# shellcheck disable=SC2086
	missing=$(missing_packages $packages)
	if [ -n "$missing" ]; then
		echo "deps: still missing after apt-get: ${missing% }" >&2
		exit 1
	fi
fi

mkdir -p "$(dirname "$stamp")" || exit 1
printf '%s\n' "$packages" > "$stamp.tmp" && mv -f "$stamp.tmp" "$stamp" ||
    exit 1
echo "deps: all host packages present ($packages)"
exit 0
