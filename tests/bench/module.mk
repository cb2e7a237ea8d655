# SPDX-License-Identifier: GPL-2.0-or-later
#
# Benchmarks (not part of `make test`): storm assembly, CLI latency,
# failover and memory, ours vs Debian's multipath-tools, in the VM test bed.
# See docs/performance.md.
#
#   make bench                       everything (about 1 h under TCG on an idle host)
#   make bench BENCH_ONLY='floor-* ours-64x4'   a subset (globs over run names)
#   make bench-tools                 only the in-guest tool ($(BUILD)/bench/mp-bench)
#   make bench-sim                   the daemon core over the fake DM at 1k, 10k,
#                                    100k paths (SIM_SIZES='…' to choose): per-event
#                                    cost and memory, no VM
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

# The core with the fakes, as tests/unit/test-core does, plus the
# printers.  The fakes are named here: tests/fake/module.mk (FAKE_SRCS)
# is read after this file, too late for a prerequisite list.
MPSIM_SRCS := tests/bench/mp-sim.c $(MPD_CORE_SRCS) multipathd/print.c \
	multipathd/cli.c multipathd/cli-handlers.c \
	tests/fake/fake-dm.c tests/fake/fake-sys.c
SIM_SIZES ?= 1000 10000 100000

# (obj and LIBMP are defined after the fragments are read: spelled out)
$(BENCH_DIR)/mp-sim: $(patsubst %.c,$(BUILD)/obj/%.o,$(MPSIM_SRCS)) $(BUILD)/libmultipath.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(call obj,$(MPSIM_SRCS)) $(LIBMP) $(SYS_LIBS)

.PHONY: bench bench-tools bench-report bench-sim
bench-sim: $(BENCH_DIR)/mp-sim
	$(BENCH_DIR)/mp-sim $(SIM_SIZES) | tee $(BENCH_DIR)/sim.txt

bench-tools: $(BENCH_DIR)/mp-bench

# Memory budget (issue 5: 2 KiB per path, 4 KiB per map), part of `make
# check`: the storm plus the CLI prober's load at the VM bench's 1,024
# paths and at 4,096 must stay within it, heap and RSS.  Not under the
# sanitizers, whose allocators are not the one measured.
ifeq ($(SANITIZE),)
CHECK_HOOKS += check-sim-memory
endif
.PHONY: check-sim-memory
check-sim-memory: $(BENCH_DIR)/mp-sim
	SIM_PHASES=cli SIM_ASSERT_MEMORY=1 $(BENCH_DIR)/mp-sim 1024 4096

bench: all bench-tools
	BUILD=$(BUILD) BENCH_ONLY='$(BENCH_ONLY)' tests/bench/run.sh

bench-report:
	tests/bench/report.sh $(BENCH_DIR)/results
