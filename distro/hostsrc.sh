#!/bin/sh
#
# hostsrc.sh PIN CACHE STAMP
#
# Fetches a Debian source package into the folder CACHE (outside the build
# tree, so that `make clean` does not throw it away) and checks it against
# the pin file PIN, a line in sha256sum(1) format naming the upstream
# tarball:
#
#	<sha256>  <package>_<upstream version>.orig.tar.<ext>
#
# Only the upstream tarball is pinned: the Debian revision (the .dsc and
# the .debian.tar.*) changes with the distribution and is not used.
#
# What it does, stopping at the first step that is enough:
#  1. the pinned tarball is in CACHE with the pinned checksum: done;
#  2. dpkg-dev is installed (through distro/hostdeps.sh, with STAMP as its
#     stamp file): apt-get source wants it;
#  3. when apt has no deb-src entry at all, one is derived from every
#     enabled "deb" entry (same URIs, suites, components and options), in
#     /etc/apt/sources.list.d/eclipseos-deb-src.{sources,list}, as root or
#     through sudo, then `apt-get update`;
#  4. `apt-get source --download-only PACKAGE` in CACHE (no root needed);
#     if apt cannot find it, `apt-get update` once and again;
#  5. the checksum must match; a tarball that does not is removed.
#
# Exit status: 0 with the tarball in CACHE, 1 otherwise (with a reason).

set -u

if [ $# -ne 3 ]; then
	echo "usage: $0 PIN CACHE STAMP" >&2
	exit 2
fi
pin=$1
cache=$2
stamp=$3
here=$(dirname "$0")

say()
{
	echo "hostsrc: $*"
}

die()
{
	echo "hostsrc: $*" >&2
	exit 1
}

# shellcheck disable=SC2046
set -- $(sed -e '/^[[:space:]]*#/d' -e '/^[[:space:]]*$/d' "$pin" | head -1)
[ $# -eq 2 ] || die "$pin: expected one line \"<sha256>  <file>\""
sum=$1
tarball=$2
package=${tarball%%_*}
case $tarball in
*_*.orig.tar.*) ;;
*)	die "$pin: $tarball is not a <package>_<version>.orig.tar.* name" ;;
esac

# Prints 0 when CACHE/tarball is there and has the pinned checksum.
pinned_ok()
{
	[ -f "$cache/$tarball" ] &&
	    [ "$(sha256sum "$cache/$tarball" | cut -d' ' -f1)" = "$sum" ]
}

if pinned_ok; then
	say "$tarball: in $cache, sha256 matches the pin"
	exit 0
fi

mkdir -p "$cache" || die "cannot create $cache"
sh "$here/hostdeps.sh" "$stamp" dpkg-dev >/dev/null ||
    die "dpkg-dev is needed for apt-get source and could not be installed"

if [ "$(id -u)" = 0 ]; then
	sudo=
elif command -v sudo >/dev/null 2>&1; then
	sudo=sudo
else
	sudo=none
fi

apt_update()
{
	[ "$sudo" != none ] || die "apt-get update needs root or sudo"
	say "apt-get update"
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null ||
	    die "apt-get update failed"
}

# Prints the enabled deb-src entries apt knows of, one a line (any text).
src_entries()
{
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
	    grep -E '^[[:space:]]*deb-src[[:space:]]'
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -f "$here/deb822.awk" -v want=deb-src "$f"
	done
}

# Writes the deb-src twins of the one-line "deb" entries to stdout.
derive_list()
{
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
	    sed -n -e 's/^[[:space:]]*deb[[:space:]]/deb-src /p'
}

# Writes the deb-src twins of the deb822 "Types: deb" stanzas to stdout.
derive_sources()
{
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		case $f in */eclipseos-deb-src.sources) continue ;; esac
		awk -f "$here/deb822.awk" -v want=deb -v emit=deb-src "$f"
	done
}

# Puts TEXT (stdin) into the apt file $1 as root.
install_apt_file()
{
	[ "$sudo" != none ] || die "adding $1 needs root or sudo"
	$sudo tee "$1" >/dev/null || die "cannot write $1"
	$sudo chmod 644 "$1"
}

if [ -z "$(src_entries)" ]; then
	list=$(derive_list)
	stanzas=$(derive_sources)
	if [ -z "$list" ] && [ -z "$stanzas" ]; then
		die "apt has no deb-src entry and no deb entry to derive one from"
	fi
	hdr="# Written by EclipseOS's distro/hostsrc.sh: the deb-src twins of
# the deb entries, for apt-get source.  Remove this file to undo."
	if [ -n "$list" ]; then
		say "adding deb-src entries:" \
		    "/etc/apt/sources.list.d/eclipseos-deb-src.list"
		printf '%s\n%s\n' "$hdr" "$list" |
		    install_apt_file /etc/apt/sources.list.d/eclipseos-deb-src.list
	fi
	if [ -n "$stanzas" ]; then
		say "adding deb-src entries:" \
		    "/etc/apt/sources.list.d/eclipseos-deb-src.sources"
		printf '%s\n\n%s\n' "$hdr" "$stanzas" |
		    install_apt_file \
		    /etc/apt/sources.list.d/eclipseos-deb-src.sources
	fi
	apt_update
fi

if [ "$(id -u)" = 0 ]; then
	# apt's download sandbox user cannot write into root's cache folder.
	aptopts="-o APT::Sandbox::User=root"
else
	aptopts=
fi

fetch()
{
	# shellcheck disable=SC2086
	(cd "$cache" && apt-get $aptopts source --download-only -q "$package")
}

say "apt-get source --download-only $package (into $cache)"
if ! fetch; then
	apt_update
	fetch || die "apt-get source $package failed"
fi

if [ ! -f "$cache/$tarball" ]; then
	found=$(find "$cache" -maxdepth 1 -name "${package}_*.orig.tar.*" \
	    -exec basename {} \; | tr '\n' ' ')
	die "the archive did not give $tarball (it gave: ${found:-nothing});" \
	    "review the new version and update $pin"
fi
if ! pinned_ok; then
	rm -f "$cache/$tarball"
	die "$tarball: sha256 differs from $pin; removed it"
fi
say "$tarball: downloaded, sha256 matches the pin"
exit 0
