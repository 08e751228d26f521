# The kernel: build/kernel.elf.
#
# Every .c and .S below these folders is part of the kernel; adding a file
# needs no edit here.  The link runs twice: the first link gives the
# addresses of the functions, sys/kern/genksyms.sh turns them into the
# symbol table that backtraces print, and the second link adds that table in
# the .ksyms section, which the linker script places after the code and data
# so that no function moves between the two links.

KERNEL_DIRS	:= sys/arch/x86_64 sys/kern sys/vm sys/dev sys/dev/* sys/fs/*
KERNEL_CSRCS	:= $(sort $(wildcard $(addsuffix /*.c,$(KERNEL_DIRS))))
KERNEL_SSRCS	:= $(sort $(wildcard $(addsuffix /*.S,$(KERNEL_DIRS))))
# Libraries written once for the kernel and the tools (lib/libeclipsefs),
# compiled for the kernel into $(BUILD)/klib/.
KERNEL_LIBSRCS	:= $(sort $(wildcard lib/libeclipsefs/*.c))
KERNEL_OBJS	:= $(patsubst %.c,$(BUILD)/%.o,$(KERNEL_CSRCS)) \
		   $(patsubst %.S,$(BUILD)/%.o,$(KERNEL_SSRCS)) \
		   $(patsubst lib/%.c,$(BUILD)/klib/%.o,$(KERNEL_LIBSRCS))
KERNEL_LDS	:= sys/arch/x86_64/kernel.ld
# Generated sources (fonts, tables) add their objects here.
KERNEL_GEN_OBJS	:=
# The framebuffer console's font, from a PSF font of the Debian package
# console-setup-linux (sys/dev/cons/psf2c.py, sys/dev/cons/font.h).
FONT_PSF	?= /usr/share/consolefonts/Lat15-VGA16.psf.gz
KERNEL_GEN_OBJS += $(BUILD)/gen/font8x16.o
$(BUILD)/gen/font8x16.c: sys/dev/cons/psf2c.py $(wildcard $(FONT_PSF))
	@mkdir -p $(@D)
	@echo "  GEN     $@"
	$(Q)$(PYTHON) sys/dev/cons/psf2c.py $(FONT_PSF) > $@
include sys/kern/syscalls.mk
KERNEL		:= $(BUILD)/kernel.elf

$(BUILD)/sys/%.o: sys/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(KCPPFLAGS) $(KCFLAGS) -c -o $@ $<

$(BUILD)/klib/%.o: lib/%.c
	@mkdir -p $(@D)
	@echo "  CC      $< (kernel)"
	$(Q)$(CC) $(KCPPFLAGS) $(KCFLAGS) -c -o $@ $<

$(BUILD)/sys/%.o: sys/%.S
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(CC) $(KASFLAGS) -c -o $@ $<

$(BUILD)/gen/ksyms-empty.S: sys/kern/genksyms.sh
	@mkdir -p $(@D)
	$(Q)sh sys/kern/genksyms.sh /dev/null > $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.S
	$(Q)$(CC) $(KASFLAGS) -c -o $@ $<

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(Q)$(CC) $(KCPPFLAGS) $(KCFLAGS) -c -o $@ $<

$(KERNEL): $(KERNEL_OBJS) $(KERNEL_GEN_OBJS) $(KERNEL_LDS) $(BUILD)/gen/ksyms-empty.o sys/kern/genksyms.sh
	@echo "  LD      $@"
	$(Q)$(LD) $(KLDFLAGS) -T $(KERNEL_LDS) -o $@.pass1 \
		$(KERNEL_OBJS) $(KERNEL_GEN_OBJS) $(BUILD)/gen/ksyms-empty.o
	$(Q)sh sys/kern/genksyms.sh $@.pass1 > $(BUILD)/gen/ksyms.S
	$(Q)$(CC) $(KASFLAGS) -c -o $(BUILD)/gen/ksyms.o $(BUILD)/gen/ksyms.S
	$(Q)$(LD) $(KLDFLAGS) -T $(KERNEL_LDS) -o $@ \
		$(KERNEL_OBJS) $(KERNEL_GEN_OBJS) $(BUILD)/gen/ksyms.o
	$(Q)rm -f $@.pass1

kernel: $(KERNEL)

.PHONY: kernel

-include $(KERNEL_OBJS:.o=.d)
