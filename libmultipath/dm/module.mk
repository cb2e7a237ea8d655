# SPDX-License-Identifier: GPL-2.0-or-later
LIBMP_SRCS += libmultipath/dm/dm.c libmultipath/dm/dm-libdm.c libmultipath/dm/table.c

UNIT_TESTS += test-table
test-table_SRCS := tests/unit/test-table.c
test-table_LIBS := -lcmocka

UNIT_TESTS += test-dm
test-dm_SRCS := tests/unit/test-dm.c tests/fake/fake-dm.c
test-dm_LIBS := -lcmocka

# libFuzzer target over the table/status parsers (clang only).
FUZZERS += fuzz-table
fuzz-table_SRCS := tests/fuzz/fuzz-table.c libmultipath/dm/table.c \
	libmultipath/util/strbuf.c libmultipath/util/util.c libmultipath/util/log.c \
	libmultipath/util/clock.c
FUZZ_TABLE_CORPUS := $(BUILD)/fuzz/table-corpus
FUZZ_TABLE_SECONDS = $(FUZZ_SECONDS)

$(BUILD)/fuzz/fuzz-table: $(fuzz-table_SRCS) libmultipath/dm/table.h
	@mkdir -p $(dir $@)
	clang -std=gnu11 -g -O1 -D_GNU_SOURCE -I. -Ilibmultipath \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-o $@ $(fuzz-table_SRCS)

.PHONY: fuzz-table fuzz-table-run
fuzz-table: $(BUILD)/fuzz/fuzz-table
fuzz-table-run: $(BUILD)/fuzz/fuzz-table
	@rm -rf $(FUZZ_TABLE_CORPUS) && mkdir -p $(FUZZ_TABLE_CORPUS)
	@i=0; for s in "0 0 0 0" \
		"1 queue_if_no_path 1 alua 2 1 service-time 0 2 2 8:16 1 1 8:32 1 1 service-time 0 1 2 8:48 1 1" \
		"3 pg_init_retries 50 queue_if_no_path 0 1 1 round-robin 0 2 0 8:16 8:32" \
		"2 0 0 0 2 1 A 0 2 2 8:16 A 0 0 1 8:32 F 3 0 1 E 0 1 2 8:48 A 0 0 1"; do \
		i=$$((i+1)); printf '%s' "$$s" > $(FUZZ_TABLE_CORPUS)/seed$$i; done
	$(BUILD)/fuzz/fuzz-table -max_total_time=$(FUZZ_TABLE_SECONDS) -max_len=4096 \
		-timeout=10 -rss_limit_mb=2048 $(FUZZ_TABLE_CORPUS)

# mp-dmtool: the DM layer by hand, for tests/vm/scenarios/20-dm.sh; installed
# outside $PATH, under /usr/lib/mpath-tests, so the VM image carries it.
PROGRAMS += mp-dmtool
mp-dmtool_SRCS := tests/tools/dmtool.c
INSTALL_HOOKS += install-mp-dmtool
.PHONY: install-mp-dmtool
install-mp-dmtool: $(BUILD)/mp-dmtool
	install -D -m 0755 $(BUILD)/mp-dmtool $(DESTDIR)$(prefix)/lib/mpath-tests/mp-dmtool
