# The system-call table: sys/kern/makesyscalls.sh turns
# sys/kern/syscalls.master into $(BUILD)/gen/syscall_nr.h, sysproto.h,
# syscalls.c (linked into the kernel) and syscalls.md, the generated copy
# of Documentation/syscalls.md.
#
#   make syscalls-doc        rewrite Documentation/syscalls.md
#   make syscalls-doc-check  fail, showing the diff, when the committed
#                            Documentation/syscalls.md is out of date
#                            (part of make check)

SYSCALLS_MASTER	:= sys/kern/syscalls.master
SYSCALLS_SH	:= sys/kern/makesyscalls.sh
SYSCALLS_HDRS	:= $(BUILD)/gen/syscall_nr.h $(BUILD)/gen/sysproto.h
SYSCALLS_OUT	:= $(SYSCALLS_HDRS) $(BUILD)/gen/syscalls.c \
		   $(BUILD)/gen/syscalls.md

KERNEL_GEN_OBJS += $(BUILD)/gen/syscalls.o

# One run writes all four; the generator leaves unchanged files alone, so
# the stamp, not the outputs, records when it last ran.
$(BUILD)/gen/syscalls.stamp: $(SYSCALLS_MASTER) $(SYSCALLS_SH)
	@mkdir -p $(@D)
	@echo "  GEN     $(SYSCALLS_OUT)"
	$(Q)sh $(SYSCALLS_SH) $(SYSCALLS_MASTER) $(@D)
	$(Q)touch $@

$(SYSCALLS_OUT): $(BUILD)/gen/syscalls.stamp ;

# Every kernel object may include the generated headers: make sure they
# exist before any is compiled (the -MMD dependencies do the rest).
$(KERNEL_OBJS): | $(SYSCALLS_HDRS)

syscalls-doc: $(BUILD)/gen/syscalls.md
	$(Q)cp $< Documentation/syscalls.md
	@echo "  DOC     Documentation/syscalls.md"

syscalls-doc-check: $(BUILD)/gen/syscalls.md
	$(Q)if diff -u Documentation/syscalls.md $<; then \
		echo "syscalls-doc-check: Documentation/syscalls.md is up" \
		    "to date"; \
	else \
		echo "syscalls-doc-check: Documentation/syscalls.md does" \
		    "not match $(SYSCALLS_MASTER); run make syscalls-doc"; \
		exit 1; \
	fi

-include $(BUILD)/gen/syscalls.d

.PHONY: syscalls-doc syscalls-doc-check
