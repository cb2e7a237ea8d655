# SPDX-License-Identifier: GPL-2.0-or-later
# libmultipath/config: multipath.conf parser, keyword table, built-in
# hwtable, blacklist, precedence resolution, dump, RCU publication.

CONFIG_CORE_SRCS := libmultipath/config/values.c libmultipath/config/keywords.c \
	libmultipath/config/parser.c libmultipath/config/hwtable.c \
	libmultipath/config/blacklist.c libmultipath/config/resolve.c \
	libmultipath/config/dump.c libmultipath/config/strings.c \
	libmultipath/config/regex.c
LIBMP_SRCS += $(CONFIG_CORE_SRCS) libmultipath/config/load.c libmultipath/config/rcu.c

UNIT_TESTS += test-config
test-config_SRCS := tests/unit/test-config.c
test-config_LIBS := -lcmocka

# libFuzzer target: the parser, resolver and dump on arbitrary text.
FUZZ_CONFIG_SRCS := tests/fuzz/fuzz-config.c $(CONFIG_CORE_SRCS) \
	libmultipath/util/log.c libmultipath/util/strbuf.c libmultipath/util/util.c \
	libmultipath/util/strpool.c
FUZZ_CONFIG_CORPUS := tests/unit/data/config
FUZZERS += fuzz-config
fuzz-config_SRCS := $(FUZZ_CONFIG_SRCS)

$(BUILD)/fuzz/fuzz-config: $(FUZZ_CONFIG_SRCS) $(wildcard libmultipath/config/*.h)
	@mkdir -p $(dir $@)
	clang $(CPPFLAGS) -D_GNU_SOURCE -std=gnu11 -g -O1 -fno-omit-frame-pointer \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-o $@ $(FUZZ_CONFIG_SRCS)

.PHONY: fuzz-config fuzz-config-run
fuzz-config: $(BUILD)/fuzz/fuzz-config
fuzz-config-run: $(BUILD)/fuzz/fuzz-config
	@mkdir -p $(BUILD)/fuzz/corpus-config
	cp -f $(FUZZ_CONFIG_CORPUS)/*.conf $(BUILD)/fuzz/corpus-config/
	$(BUILD)/fuzz/fuzz-config -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -detect_leaks=1 \
		$(BUILD)/fuzz/corpus-config

INSTALL_HOOKS += install-config-man
.PHONY: install-config-man
install-config-man:
	install -D -m 0644 man/multipath.conf.5 $(DESTDIR)$(mandir)/man5/multipath.conf.5
