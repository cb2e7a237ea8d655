# SPDX-License-Identifier: GPL-2.0-or-later
# libFuzzer target over the decoders of raw device pages (VPD 0x83/0x80,
# RDAC/EMC vendor pages, sense, RTPG, NVMe Identify and ANA log, the
# kernel's wwid text), clang only.  It links
# the whole library, instrumented: the decoders' neighbours (backend,
# prioritizer registry) come along, and this file is included after every
# libmultipath fragment, so $(LIBMP_SRCS) is complete here.
FUZZERS += fuzz-vpd
fuzz-vpd_SRCS := tests/fuzz/fuzz-vpd.c $(LIBMP_SRCS)
FUZZ_VPD_CORPUS := $(BUILD)/fuzz/vpd-corpus

$(BUILD)/fuzz/fuzz-vpd: $(fuzz-vpd_SRCS) $(wildcard libmultipath/*/*.h)
	@mkdir -p $(dir $@)
	clang $(CPPFLAGS) -std=gnu11 -g -O1 -D_GNU_SOURCE -fno-omit-frame-pointer \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-o $@ $(fuzz-vpd_SRCS) $(SYS_LIBS)

# Seeds: one well-formed page of each kind (hex), so the fuzzer starts
# inside every decoder's accepted format.
FUZZ_VPD_SEEDS := \
	00830024010300106001405abcdef0123456789abcdef00101150004000000070114000400000002 \
	0083003001020008aabbccddeeff00110308002069716e2e323030332d30312e6f72672e6c696e75782d69736373693a74310000 \
	008300170201001341434d45202020204c554e2d31323334202058 \
	008000112020534552313233343536373820202000 \
	00c9003c766163319101000000000000000000000000000000000000000000000000000000010000000000000000000000000000000000000000000000000000 \
	00c000050201000001 \
	700005000000000a0000000024000000 \
	720b0400 \
	00000018808f00070000000100000001018f00080000000100000002 \
	000000000000000002000000000000000100000001000000000000000000000001000000000000000000000000000000010000000200000000000000000000000000000004000000000000000000000000000000 \
	6e61612e36303031343035616263646566303132333435363738396162636465663030310a \
	7431302e41434d452020202020204c554e2d31323334

.PHONY: fuzz-vpd fuzz-vpd-run
fuzz-vpd: $(BUILD)/fuzz/fuzz-vpd
fuzz-vpd-run: $(BUILD)/fuzz/fuzz-vpd
	@rm -rf $(FUZZ_VPD_CORPUS) && mkdir -p $(FUZZ_VPD_CORPUS)
	@i=0; for s in $(FUZZ_VPD_SEEDS); do i=$$((i+1)); \
		perl -e 'print pack("H*", $$ARGV[0])' "$$s" > $(FUZZ_VPD_CORPUS)/seed$$i; done
	$(BUILD)/fuzz/fuzz-vpd -max_total_time=$(FUZZ_SECONDS) -max_len=1024 \
		-timeout=10 -rss_limit_mb=2048 -artifact_prefix=$(BUILD)/fuzz/vpd- $(FUZZ_VPD_CORPUS)
