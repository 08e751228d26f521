# Benchmarks: `make bench` runs tests/bench/bench.c on the host Linux and
# inside EclipseOS (PVH boot, the program as PID 1) and prints the two side
# by side, with the ratio.  Numbers, not tests: nothing here can fail on
# timing.  Knobs: BENCH_RUNS=N runs each side N times and shows medians
# (default 1); ACCEL=tcg|kvm overrides distro/qemu-accel.sh.  The host run
# is pinned to one CPU, as EclipseOS runs with -smp 1 (see run.py).
#
# `make disk-bench` (tests/bench/disk.py) reads 256 MiB from the raw
# virtio-blk and ATA disks with dd, cold, on EclipseOS and on the reference
# Linux (distro/linuxref.mk) in the same QEMU, alternating the two,
# DISK_BENCH_RUNS times (default 3), and prints the medians; the table
# goes to $(BUILD)/bench/disk.md.  Never part of make check.

BENCH_BIN	:= $(BUILD)/bench/bench
BENCH_CPIO	:= $(BUILD)/initramfs-bench.cpio
BENCH_ROOT	:= $(BUILD)/initramfs-bench
BENCH_RUNS	?= 1

$(BENCH_BIN): tests/bench/bench.c | deps
	@mkdir -p $(@D)
	@echo "  MUSLCC  $<"
	$(Q)$(MUSL_CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

$(BENCH_CPIO): $(BENCH_BIN) distro/mkinitramfs.py
	$(Q)rm -rf $(BENCH_ROOT) && mkdir -p $(BENCH_ROOT)/bench
	$(Q)cp $(BENCH_BIN) $(BENCH_ROOT)/bench/bench
	@echo "  CPIO    $@"
	$(Q)$(PYTHON) distro/mkinitramfs.py $(BENCH_ROOT) $@ \
		$(BENCH_ROOT)/bench/bench

bench: $(KERNEL) $(BENCH_BIN) $(BENCH_CPIO)
	$(Q)$(PYTHON) tests/bench/run.py --build $(BUILD) --kernel $(KERNEL) \
		--initrd $(BENCH_CPIO) --host $(BENCH_BIN) \
		--runs $(BENCH_RUNS) $(if $(ACCEL),--accel $(ACCEL))

DISK_BENCH_RUNS	?= 3

disk-bench: $(KERNEL) $(INITRAMFS) $(LINUXREF_CPIO) | deps
	$(Q)$(PYTHON) tests/bench/disk.py --build $(BUILD) --kernel $(KERNEL) \
		--initrd $(INITRAMFS) --linux $(LINUXREF) \
		--runs $(DISK_BENCH_RUNS) $(if $(ACCEL),--accel $(ACCEL))

.PHONY: bench disk-bench
