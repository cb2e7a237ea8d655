# SPDX-License-Identifier: GPL-2.0-or-later
#
# Benchmarks (not part of `make test`): storm assembly, CLI latency,
# failover and memory, ours vs Debian's multipath-tools, in the VM test bed.
# See docs/performance.md.
#
#   make bench                       everything (about 1 h under TCG on an idle host)
#   make bench BENCH_ONLY='floor-* ours-64x4'   a subset (globs over run names)
#   make bench-tools                 only the in-guest tool ($(BUILD)/bench/mp-bench)
#
# Results: $(BUILD)/bench/results/<run>.txt, console logs in
# $(BUILD)/bench/logs/, the summary in $(BUILD)/bench/summary.md.

BENCH_DIR := $(BUILD)/bench
BENCH_ONLY ?=

# Static, so the guest needs no library for it.
$(BENCH_DIR)/mp-bench: tests/bench/mp-bench.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -g $(WARNINGS) $(if $(filter 1,$(WERROR)),-Werror) \
		-D_GNU_SOURCE -static -o $@ $<

.PHONY: bench bench-tools bench-report
bench-tools: $(BENCH_DIR)/mp-bench

bench: all bench-tools
	BUILD=$(BUILD) BENCH_ONLY='$(BENCH_ONLY)' tests/bench/run.sh

bench-report:
	tests/bench/report.sh $(BENCH_DIR)/results
