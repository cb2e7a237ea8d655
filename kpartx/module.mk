# SPDX-License-Identifier: GPL-2.0-or-later
#
# kpartx: the program, its unit test, its fuzzer, install rules.
KPARTX_DIR := kpartx
KPARTX_READERS := $(addprefix $(KPARTX_DIR)/,source.c ptable.c gpt.c dos.c \
	sublabel.c sun.c mac.c ps3.c dasd.c)

PROGRAMS += kpartx
kpartx_SRCS := $(KPARTX_READERS) $(addprefix $(KPARTX_DIR)/,devmap.c loop.c main.c)

UNIT_TESTS += test-kpartx
test-kpartx_SRCS := tests/unit/test-kpartx.c $(KPARTX_READERS) \
	$(KPARTX_DIR)/testimg.c
test-kpartx_LIBS := -lcmocka

# The golden -l test runs the binary.
$(BUILD)/test-kpartx: $(BUILD)/kpartx

INSTALL_HOOKS += install-kpartx
.PHONY: install-kpartx
install-kpartx: $(BUILD)/kpartx
	install -D -m 0755 $(BUILD)/kpartx $(DESTDIR)$(sbindir)/kpartx
	install -d $(DESTDIR)$(udevrulesdir) $(DESTDIR)$(mandir)/man8
	for r in 11-dm-parts.rules 66-kpartx.rules 68-del-part-nodes.rules; do \
		sed 's|/usr/sbin/kpartx|$(sbindir)/kpartx|' conf/$$r \
			> $(DESTDIR)$(udevrulesdir)/$$r && \
		chmod 0644 $(DESTDIR)$(udevrulesdir)/$$r || exit 1; \
	done
	install -m 0644 man/kpartx.8 $(DESTDIR)$(mandir)/man8/kpartx.8

# libFuzzer target over every table reader.
FUZZERS += fuzz-kpartx
fuzz-kpartx_SRCS := tests/fuzz/fuzz-kpartx.c $(KPARTX_READERS) \
	$(KPARTX_DIR)/testimg.c libmultipath/util/log.c
KPARTX_FUZZ_CORPUS := $(BUILD)/fuzz/kpartx-corpus
KPARTX_FUZZ_SECONDS = $(FUZZ_SECONDS)

$(BUILD)/fuzz/fuzz-kpartx: $(fuzz-kpartx_SRCS) $(wildcard kpartx/*.h)
	@mkdir -p $(dir $@)
	clang -std=gnu11 -g -O1 -D_GNU_SOURCE -I. -Ilibmultipath \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-o $@ $(fuzz-kpartx_SRCS)

.PHONY: fuzz-kpartx fuzz-kpartx-run
fuzz-kpartx: $(BUILD)/fuzz/fuzz-kpartx
fuzz-kpartx-run: $(BUILD)/fuzz/fuzz-kpartx
	@rm -rf $(KPARTX_FUZZ_CORPUS) && mkdir -p $(KPARTX_FUZZ_CORPUS)
	KPARTX_SEED_DIR=$(KPARTX_FUZZ_CORPUS) $(BUILD)/fuzz/fuzz-kpartx
	$(BUILD)/fuzz/fuzz-kpartx -max_total_time=$(KPARTX_FUZZ_SECONDS) \
		-max_len=65536 -timeout=10 -rss_limit_mb=2048 $(KPARTX_FUZZ_CORPUS)
