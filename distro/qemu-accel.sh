#!/bin/sh
#
# qemu-accel.sh BUILD
#
# Prints "kvm" or "tcg": the accelerator QEMU should use on this machine.
# Nothing else goes to standard output; messages go to standard error.
#
# /dev/kvm existing is not enough: on some hosts (nested virtualisation
# without "unrestricted guest") KVM emulates real mode one instruction at a
# time, and the firmware and GRUB, which run in real mode, take minutes
# instead of milliseconds; a guest looks hung.  So we boot a 512-byte boot
# sector under KVM that counts down 20 million times in real mode (a few
# milliseconds on a working KVM, 0.2 s under TCG, minutes on such a host)
# and then writes one byte to the isa-debug-exit port, and believe in KVM
# only if QEMU exits with the code that byte asks for (QEMU exits with
# (value << 1) | 1) within PROBE_TIMEOUT seconds.
#
# The answer is cached in BUILD/accel (one word) and the reason in
# BUILD/accel.reason, so only the first call in a build folder probes;
# `rm BUILD/accel` (or make clean) asks again.

set -u

build=${1:-build}
cache=$build/accel
why=$build/accel.reason

if [ -r "$cache" ]; then
	a=$(cat "$cache")
	case $a in
	kvm|tcg)
		echo "$a"
		exit 0
		;;
	esac
fi

mkdir -p "$build" || exit 1

# Writes ANSWER and REASON to the cache and prints ANSWER.
answer()
{
	printf '%s\n' "$2" > "$why.$$" && mv -f "$why.$$" "$why"
	printf '%s\n' "$1" > "$cache.$$" && mv -f "$cache.$$" "$cache"
	echo "qemu-accel: $1 ($2)" >&2
	echo "$1"
	exit 0
}

PROBE_VALUE=0x31			# the byte the boot sector writes
PROBE_EXIT=$(( (PROBE_VALUE << 1) | 1 ))	# 99: QEMU's exit code for it
PROBE_TIMEOUT=10

if [ ! -e /dev/kvm ]; then
	answer tcg "no /dev/kvm"
fi
if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
	answer tcg "no permission on /dev/kvm"
fi
if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
	answer tcg "qemu-system-x86_64 not found; KVM not probed"
fi

# The probe: a real-mode boot sector, loaded by the BIOS at 0x7c00.
#	fa			cli
#	66 b9 00 2d 31 01	mov	$20000000, %ecx
#	66 49		1:	dec	%ecx
#	75 fc			jnz	1b
#	b0 31			mov	$0x31, %al
#	e6 f4			out	%al, $0xf4	(isa-debug-exit)
#	f4		2:	hlt
#	eb fd			jmp	2b	(if the write did not stop QEMU)
# then zeros up to offset 510 and the boot signature 0x55 0xaa.
sector=$build/accel-probe.img
{
	printf '\372\146\271\000\055\061\001\146\111\165\374'
	printf '\260\061\346\364\364\353\375'
	head -c 492 /dev/zero
	printf '\125\252'
} > "$sector" || exit 1

timeout -k 2 "$PROBE_TIMEOUT" qemu-system-x86_64 -accel kvm -display none \
    -nodefaults -no-user-config -m 16 -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -drive file="$sector",format=raw,if=ide >/dev/null 2>"$sector.log" \
    </dev/null
rc=$?
rm -f "$sector"
if [ "$rc" -eq "$PROBE_EXIT" ]; then
	rm -f "$sector.log"
	answer kvm "KVM probe passed"
elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	rm -f "$sector.log"
	answer tcg "KVM probe failed: too slow, killed after ${PROBE_TIMEOUT}s"
else
	answer tcg "KVM probe failed: QEMU exit $rc, see $sector.log"
fi
