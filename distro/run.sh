#!/bin/sh
#
# run.sh MODE BUILD FILE [QEMU-ARG...]
#
# Starts QEMU for `make run`, `make run-pvh` and `make debug`:
#
#   disk	boot the disk image FILE through the firmware: SeaBIOS, or
#		OVMF (UEFI) when UEFI=1
#   pvh		boot the kernel FILE directly through its PVH entry
#		(-kernel; no firmware menus, no GRUB)
#   debug	as pvh, but halted before the first instruction, with QEMU's
#		gdb stub on localhost:1234
#
# Environment: UEFI=1 (disk mode), ACCEL=kvm|tcg (default: what
# distro/qemu-accel.sh says), QEMU_MEM (default 512M), CMDLINE (the kernel
# command line in pvh and debug modes), INITRD (in pvh and debug modes, a
# file QEMU loads as the boot module: the initramfs), OVMF_CODE and
# OVMF_VARS (firmware files, when they are not where the ovmf package puts
# them), GRUB_MENU=1 (disk mode: GRUB shows its menu and reads the serial
# line, through an SMBIOS OEM string that distro/grub.cfg looks for),
# QEMU_DISK_IF (disk mode: how the image is attached, default virtio, so
# the root is /dev/vda3; ide puts it on the ATA channel as /dev/sda3).
#
# The serial port is this terminal (-serial mon:stdio): Ctrl-A X leaves
# QEMU, Ctrl-A C switches to QEMU's monitor and back.  Without a $DISPLAY
# there is no window (-display none).  -no-reboot: a reboot or a triple
# fault ends QEMU instead of booting again.  Further arguments go to QEMU.

set -u

if [ $# -lt 3 ]; then
	echo "usage: $0 disk|pvh|debug BUILD FILE [QEMU-ARG...]" >&2
	exit 2
fi
mode=$1
build=$2
file=$3
shift 3

here=$(dirname "$0")
name=run
[ "$mode" = debug ] && name=debug

case $mode in
disk|pvh|debug) ;;
*)	echo "run.sh: unknown mode '$mode'" >&2; exit 2 ;;
esac
if [ ! -f "$file" ]; then
	echo "$name: $file: no such file" >&2
	exit 1
fi

# Prints "CODE VARS" (split firmware: VARS is copied, then written) or
# "BIOS" (one file for -bios) for OVMF, or nothing if there is none.
find_ovmf()
{
	if [ -n "${OVMF_CODE:-}" ] && [ -n "${OVMF_VARS:-}" ]; then
		echo "$OVMF_CODE $OVMF_VARS"
		return
	fi
	# Debian and Ubuntu (new, then old names), Fedora, Arch.
	for pair in \
	    /usr/share/OVMF:OVMF_CODE_4M.fd:OVMF_VARS_4M.fd \
	    /usr/share/OVMF:OVMF_CODE.fd:OVMF_VARS.fd \
	    /usr/share/edk2/ovmf:OVMF_CODE.fd:OVMF_VARS.fd \
	    /usr/share/edk2/x64:OVMF_CODE.fd:OVMF_VARS.fd
	do
		dir=${pair%%:*}
		rest=${pair#*:}
		code=$dir/${rest%%:*}
		vars=$dir/${rest#*:}
		if [ -r "$code" ] && [ -r "$vars" ]; then
			echo "$code $vars"
			return
		fi
	done
	for one in /usr/share/ovmf/OVMF.fd /usr/share/qemu/OVMF.fd; do
		if [ -r "$one" ]; then
			echo "$one"
			return
		fi
	done
}

# What boots: the firmware and the disk, or the kernel itself.
case $mode in
disk)
	if [ "${UEFI:-0}" = 1 ]; then
		read -r fw_code fw_vars <<-EOF
		$(find_ovmf)
		EOF
		if [ -z "$fw_code" ]; then
			echo "run: no OVMF firmware found; install the ovmf" \
			    "package or set OVMF_CODE and OVMF_VARS" >&2
			exit 1
		fi
		if [ -n "$fw_vars" ]; then
			# The firmware writes its variables (boot entries)
			# into VARS: it gets its own copy, kept in BUILD.
			vars=$build/$(basename "$fw_vars")
			if [ ! -f "$vars" ]; then
				cp "$fw_vars" "$vars" || exit 1
			fi
			echo "run: UEFI firmware $fw_code, variables in $vars"
			set -- \
			    -drive "if=pflash,format=raw,readonly=on,file=$fw_code" \
			    -drive "if=pflash,format=raw,file=$vars" "$@"
		else
			echo "run: UEFI firmware $fw_code"
			set -- -bios "$fw_code" "$@"
		fi
	fi
	set -- -drive "file=$file,format=raw,if=${QEMU_DISK_IF:-virtio}" "$@"
	if [ "${GRUB_MENU:-0}" = 1 ]; then
		set -- -smbios type=11,value=eclipse-grub-menu "$@"
	fi
	;;
pvh)
	set -- -kernel "$file" -append "${CMDLINE:-}" "$@"
	;;
debug)
	set -- -kernel "$file" -append "${CMDLINE:-}" -s -S "$@"
	;;
esac
if [ "$mode" != disk ] && [ -n "${INITRD:-}" ]; then
	if [ ! -f "$INITRD" ]; then
		echo "$name: $INITRD: no such file" >&2
		exit 1
	fi
	set -- -initrd "$INITRD" "$@"
fi

accel=${ACCEL:-}
if [ -z "$accel" ]; then
	accel=$(sh "$here/qemu-accel.sh" "$build" 2>/dev/null) || accel=tcg
	why=$(cat "$build/accel.reason" 2>/dev/null)
else
	why="ACCEL=$accel"
fi
case $accel in
kvm)	echo "$name: using KVM ($why)" ;;
tcg)	echo "$name: using TCG ($why)" ;;
*)	echo "$name: ACCEL must be kvm or tcg, not '$accel'" >&2; exit 1 ;;
esac

set -- -accel "$accel" -m "${QEMU_MEM:-512M}" -serial mon:stdio -no-reboot \
    "$@"
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
	set -- -display none "$@"
fi

if [ "$mode" = debug ]; then
	echo "debug: QEMU is halted before the first instruction; its gdb" \
	    "stub listens on localhost:1234."
	echo "debug: in another terminal, from this folder, run:"
	echo "debug:     gdb -x $build/gdbinit"
fi
echo "$name: the serial console is this terminal; leave QEMU with" \
    "Ctrl-A X (Ctrl-A C: QEMU monitor)"
exec qemu-system-x86_64 "$@"
