# sbin/: init (PID 1) and svc, its control command
# (Documentation/services.md), static musl programs installed into the
# image's /sbin, and etc/ installed into its /etc.
#
#   make init		build $(INIT_BIN) and $(SVC_BIN)
#   make init-tests	run tests/init/ on the host (root: PID namespaces)
#
# The staging root gets them through $(BUILD)/stamps/rootfs-init and
# $(BUILD)/stamps/rootfs-etc (distro/initramfs.mk's header); etc/modes
# gives /etc/shadow and /home/user their modes and owners.

INIT_BIN	:= $(BUILD)/sbin/init/init
SVC_BIN		:= $(BUILD)/sbin/svc/svc
INIT_SRCS	:= $(wildcard sbin/init/*.c)
ETC_FILES	:= $(shell find etc -type f ! -name README.md ! -name modes \
		   2>/dev/null | sort)

$(INIT_BIN): $(INIT_SRCS) sbin/init/init.h | deps
	@mkdir -p $(@D)
	@echo "  MUSLCC  $@"
	$(Q)$(MUSL_CC) $(USER_CFLAGS) -D_GNU_SOURCE -static -o $@ $(INIT_SRCS)

$(SVC_BIN): sbin/svc/svc.c | deps
	@mkdir -p $(@D)
	@echo "  MUSLCC  $@"
	$(Q)$(MUSL_CC) $(USER_CFLAGS) -static -o $@ $<

$(BUILD)/stamps/rootfs-init: $(INIT_BIN) $(SVC_BIN)
	$(Q)install -D -m 0755 $(INIT_BIN) $(ROOTFS)/sbin/init
	$(Q)install -D -m 0755 $(SVC_BIN) $(ROOTFS)/sbin/svc
	@mkdir -p $(@D)
	$(Q)touch $@

# etc/ as it is, plus the folders the modes file names (/home/user),
# /var/log for init's log and /var/spool/cron/crontabs, without which
# crond exits at once.
$(BUILD)/stamps/rootfs-etc: $(ETC_FILES) etc/modes
	$(Q)for f in $(ETC_FILES); do \
		install -D -m 0644 $$f $(ROOTFS)/$$f || exit 1; \
	done
	$(Q)mkdir -p $(ROOTFS)/home/user $(ROOTFS)/root $(ROOTFS)/var/log \
		$(ROOTFS)/run $(ROOTFS)/var/spool/cron/crontabs
	@mkdir -p $(@D)
	$(Q)touch $@

ROOTFS_MODES	+= etc/modes
$(INITRAMFS): $(BUILD)/stamps/rootfs-init $(BUILD)/stamps/rootfs-etc \
	etc/modes

init: $(INIT_BIN) $(SVC_BIN)

# The host tests: tests/init/run.py runs init as PID 1 of new PID, mount
# and UTS namespaces with test services, and prints TAP; the log and the
# exit status go to $(TEST_LOGS)/init/ as for a unit test.
init-tests: $(INIT_BIN) $(SVC_BIN)
	@mkdir -p $(TEST_LOGS)/init
	@echo "  INIT    tests/init/run.py"
	$(Q)timeout 300 $(PYTHON) tests/init/run.py --init $(INIT_BIN) \
		--svc $(SVC_BIN) \
		> $(TEST_LOGS)/init/init.tap 2>&1; \
		status=$$?; echo $$status > $(TEST_LOGS)/init/init.status; \
		cat $(TEST_LOGS)/init/init.tap; exit $$status

.PHONY: init init-tests
