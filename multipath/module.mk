# SPDX-License-Identifier: GPL-2.0-or-later
# The `multipath` command, plus the unit tests and fuzzer of the command
# interfaces (CLI parser, printers, IPC) that live in multipathd/ and
# libmultipath/ipc/.

UNIT_TESTS += test-cli test-print test-ipc
test-cli_SRCS := tests/unit/test-cli.c multipathd/cli.c
test-cli_LIBS := -lcmocka
test-print_SRCS := tests/unit/test-print.c multipathd/print.c
test-print_LIBS := -lcmocka -ljson-c
test-ipc_SRCS := tests/unit/test-ipc.c
test-ipc_LIBS := -lcmocka

UNIT_TESTS += test-cli-server
test-cli-server_SRCS := tests/unit/test-cli-server.c multipathd/uxsrv.c \
	multipathd/cli-handlers.c multipathd/cli.c multipathd/print.c multipathd/sched.c
test-cli-server_LIBS := -lcmocka -ljson-c

# libFuzzer target for the command parser and the wildcard engine.
FUZZ_CLI_SRCS := tests/fuzz/fuzz-cli.c multipathd/cli.c multipathd/print.c \
	libmultipath/util/strbuf.c libmultipath/util/util.c libmultipath/util/log.c \
	libmultipath/util/clock.c
FUZZERS += fuzz-cli
fuzz-cli_SRCS := $(FUZZ_CLI_SRCS)

$(BUILD)/fuzz/fuzz-cli: $(FUZZ_CLI_SRCS) $(wildcard multipathd/cli.h multipathd/print.h)
	@mkdir -p $(dir $@)
	clang $(CPPFLAGS) -D_GNU_SOURCE -std=gnu11 -g -O1 -fno-omit-frame-pointer \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-o $@ $(FUZZ_CLI_SRCS) -lurcu -lurcu-common

.PHONY: fuzz-cli fuzz-cli-run
fuzz-cli: $(BUILD)/fuzz/fuzz-cli
fuzz-cli-run: $(BUILD)/fuzz/fuzz-cli
	@mkdir -p $(BUILD)/fuzz/corpus-cli
	printf 'show maps format "%%n %%w"' > $(BUILD)/fuzz/corpus-cli/seed1
	printf 'switch map mpatha group 2' > $(BUILD)/fuzz/corpus-cli/seed2
	printf "show map 'a b' raw format %%d" > $(BUILD)/fuzz/corpus-cli/seed3
	$(BUILD)/fuzz/fuzz-cli -max_total_time=$(FUZZ_SECONDS) \
		-max_len=600 -detect_leaks=1 $(BUILD)/fuzz/corpus-cli

PROGRAMS += multipath
multipath_SRCS := multipath/main.c multipath/topo.c multipath/claim.c multipath/create.c \
	multipath/daemon-link.c multipathd/print.c

# udev's claim helper (claim-udev.c says why it is its own program): with
# unused sections dropped, --as-needed leaves libdevmapper and libudev out.
PROGRAMS += mpath-claim
mpath-claim_SRCS := multipath/claim-udev.c multipath/claim.c multipath/daemon-link.c
$(BUILD)/mpath-claim: LDFLAGS += -Wl,--gc-sections

# VM test helper: run a command as another user (no setpriv in the image).
$(BUILD)/run-as: multipath/test/run-as.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<
all: $(BUILD)/run-as

# Installed by the CLI side: the multipath command, the path-claiming and
# map-readiness udev rules, and the command interfaces' man pages.
INSTALL_HOOKS += install-multipath
.PHONY: install-multipath
install-multipath: $(BUILD)/multipath $(BUILD)/mpath-claim $(BUILD)/run-as $(BUILD)/multipathd
	install -D -m 0755 $(BUILD)/multipath $(DESTDIR)$(sbindir)/multipath
	install -D -m 0755 $(BUILD)/mpath-claim $(DESTDIR)$(udevlibexecdir)/mpath-claim
	@# multipathd had no install rule yet; installing the same file twice is harmless
	install -D -m 0755 $(BUILD)/multipathd $(DESTDIR)$(sbindir)/multipathd
	install -D -m 0755 $(BUILD)/run-as $(DESTDIR)$(prefix)/lib/mpath-tests/run-as
	install -d $(DESTDIR)$(udevrulesdir) $(DESTDIR)$(mandir)/man8
	sed -e 's|@SBINDIR@|$(sbindir)|g' -e 's|@UDEVLIBEXECDIR@|$(udevlibexecdir)|g' \
		conf/56-multipath.rules \
		> $(DESTDIR)$(udevrulesdir)/56-multipath.rules
	install -m 0644 conf/56-dm-mpath.rules $(DESTDIR)$(udevrulesdir)/56-dm-mpath.rules
	for m in multipath.8 multipathd.8; do \
		if [ -f man/$$m ]; then install -m 0644 man/$$m $(DESTDIR)$(mandir)/man8/$$m; fi; \
	done
