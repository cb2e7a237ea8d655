#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Host side of the benchmark.  Builds three variants of the test bed image
# with tests/vm/build-initramfs.sh, identical but for the multipath
# software and its udev rules:
#   none       kernel + stock udev rules only (the floor)
#   incumbent  Debian's multipath-tools, kpartx and sg3-utils-udev .debs
#              unpacked into the image (their own udev rules)
#   ours       this tree's `make install` (our udev rules)
# Each also carries the bench tool (mp-bench), tests/bench/guest/lib.sh and
# the bench scenarios, which the test bed's runner starts like its own.
# Then boots one VM per run, streams progress, and keeps every
# "BENCH key=value" line the guest printed in results/<run>.txt.
#
#   tests/bench/run.sh                    all runs
#   BENCH_ONLY='floor-* ours-*' tests/bench/run.sh
#
# Runs (name: image, scenario, parameters):
#   floor-64x4 floor-256x4         none: storm without any daemon
#   incumbent-64x4 incumbent-256x4 incumbent: storm (+ CLI prober); the
#                                  256x4 storm is cut at BENCH_INCUMBENT_CAP
#                                  seconds (default 900) and then reported
#                                  as a lower bound
#   incumbent-strace-16x4          incumbent: storm under strace (ioctls)
#   incumbent-failover             incumbent: failover, 8 LUNs x 2 paths
#   ours-64x4 ours-256x4 ours-strace-16x4 ours-failover   the same, ours
#
# Environment: BUILD (build), BENCH_MEM (4096 MiB), BENCH_SMP (2),
# BENCH_POLLING_INTERVAL (5), BENCH_EXTRA_APPEND (more mpbench.* words),
# BENCH_DAEMON_ENV (NAME=VALUE for the daemon, e.g. MULTIPATHD_SCHED=off),
# BENCH_RUN_SUFFIX (appended to result/log names, e.g. -nosched, so an A/B
# pair of the same run keeps both results).  For analysis, not figures:
# BENCH_EXTRA_APPEND='mpbench.daemon_verbosity=3 mpbench.dump_log=1' copies
# the daemon's log into logs/<run>.log as "mpdlog:" lines.

set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
OUT=$BUILD/bench
CACHE=${MP_VM_CACHE:-/var/cache/mpath-vm}
MEM=${BENCH_MEM:-4096}
SMP=${BENCH_SMP:-2}
PI=${BENCH_POLLING_INTERVAL:-5}
ONLY=${BENCH_ONLY:-}
INCUMBENT_DEBS=(multipath-tools kpartx sg3-utils-udev)

ALL_RUNS=(floor-64x4 floor-256x4
	incumbent-64x4 incumbent-failover incumbent-strace-16x4 incumbent-256x4
	ours-64x4 ours-failover ours-strace-16x4 ours-256x4)
CAP=${BENCH_INCUMBENT_CAP:-900}

log() { echo "bench[$(date -u +%H:%M:%S)]: $*"; }
die() { log "$*" >&2; exit 1; }

selected() {
	local g
	[ -z "$ONLY" ] && return 0
	for g in $ONLY; do
		# shellcheck disable=SC2053
		[[ $1 == $g ]] && return 0
	done
	return 1
}

[ -f "$CACHE/kernel.env" ] || die "no kernel in $CACHE (make deps)"
# shellcheck disable=SC1091
. "$CACHE/kernel.env"
mkdir -p "$OUT/results" "$OUT/logs"

# ---------------------------------------------------------------- images

stage_bench_files() {
	local s=$1
	mkdir -p "$s/usr/bin" "$s/usr/lib/mpath-bench" "$s/mptest/scenarios" \
		"$s/usr/lib/x86_64-linux-gnu"
	[ -x "$OUT/mp-bench" ] || make -C "$TOP" --no-print-directory BUILD="$BUILD" bench-tools ||
		die "cannot build mp-bench"
	cp "$OUT/mp-bench" "$s/usr/bin/mp-bench"
	cp "$HERE/guest/lib.sh" "$s/usr/lib/mpath-bench/lib.sh"
	cp "$HERE"/guest/bench-*.sh "$s/mptest/scenarios/"
	# glibc dlopen()s libgcc_s for pthread_cancel (the incumbent uses it);
	# no ldd closure names it.
	cp -L /lib/x86_64-linux-gnu/libgcc_s.so.1 "$s/usr/lib/x86_64-linux-gnu/"
}

# build_image VARIANT: $OUT/img-VARIANT.cpio, rebuilt every run (cheap)
build_image() {
	local v=$1 stage=$OUT/stage-$1 args=()
	rm -rf "$stage"
	mkdir -p "$stage"
	case $v in
	ours)
		make -C "$TOP" --no-print-directory BUILD="$BUILD" install \
			DESTDIR="$stage" > "$OUT/logs/install-ours.log" 2>&1 ||
			die "make install failed, see $OUT/logs/install-ours.log"
		;;
	incumbent)
		local p
		for p in "${INCUMBENT_DEBS[@]}"; do args+=(--with-deb "$p"); done
		;;
	esac
	stage_bench_files "$stage"
	log "building image '$v'"
	"$TOP/tests/vm/build-initramfs.sh" --destdir "$stage" --out "$OUT/img-$v.cpio" \
		"${args[@]}" > "$OUT/logs/image-$v.log" 2>&1 ||
		die "image $v failed, see $OUT/logs/image-$v.log"
	tail -n 1 "$OUT/logs/image-$v.log"
}

# ---------------------------------------------------------------- boots

# boot RUN VARIANT SCENARIO TIMEOUT_S [mpbench.k=v ...]
boot() {
	local run=$1 variant=$2 scen=$3 tmo=$4
	shift 4
	local append raw res t0 rc
	append="console=ttyS0 panic=-1 loglevel=4 quiet mptest.mode=test"
	append+=" mptest.scenarios=$scen mptest.watchdog=$((tmo - 30)) mptest.debug=0"
	append+=" mpbench.daemon=$variant mpbench.polling_interval=$PI $* ${BENCH_EXTRA_APPEND:-}"
	raw=$OUT/logs/$run${BENCH_RUN_SUFFIX:-}.log
	res=$OUT/results/$run${BENCH_RUN_SUFFIX:-}.txt
	[ -z "${BENCH_DAEMON_ENV:-}" ] || append+=" mpbench.daemon_env=$BENCH_DAEMON_ENV"
	log "run $run: $variant, $scen, $* (timeout ${tmo}s, host load $(cut -d' ' -f1-3 /proc/loadavg))"
	t0=$EPOCHREALTIME
	{
		echo "BENCH host.run=$run"
		echo "BENCH host.loadavg_start=$(cut -d' ' -f1 /proc/loadavg)"
		echo "BENCH host.date=$(date -u +%FT%TZ)"
	} > "$res.tmp"
	timeout -k 10 "$tmo" qemu-system-x86_64 -accel tcg -cpu max -m "$MEM" -smp "$SMP" \
		-nographic -no-reboot -nodefaults -serial stdio \
		-kernel "$VMLINUZ" -initrd "$OUT/img-$variant.cpio" -append "$append" \
		< /dev/null 2>&1 | sed -u 's/\r$//' | tee "$raw" |
		grep --line-buffered -aE 'bench:|BENCH |SCENARIO |\[ *[0-9.]+s\]|WATCHDOG|ASSERT' |
		sed -u 's/^/    /'
	rc=${PIPESTATUS[0]}
	# kernel messages may share a console line: take the BENCH part only
	grep -aoE 'BENCH [A-Za-z0-9_.:-]+=[^ ]*' "$raw" >> "$res.tmp"
	{
		echo "BENCH host.loadavg_end=$(cut -d' ' -f1 /proc/loadavg)"
		echo "BENCH host.wall_s=$(awk "BEGIN { printf \"%.1f\", $EPOCHREALTIME - $t0 }")"
		echo "BENCH host.qemu_rc=$rc"
	} >> "$res.tmp"
	mv "$res.tmp" "$res"
	log "run $run done in $(awk "BEGIN { printf \"%.0f\", $EPOCHREALTIME - $t0 }") s (qemu rc $rc): $res"
}

# ---------------------------------------------------------------- plan

need_none=0 need_inc=0 need_ours=0
for r in "${ALL_RUNS[@]}"; do
	selected "$r" || continue
	case $r in
	floor-*) need_none=1 ;;
	incumbent-*) need_inc=1 ;;
	ours-*) need_ours=1 ;;
	esac
done
T0=$EPOCHREALTIME
[ $need_none = 1 ] && build_image none
[ $need_inc = 1 ] && build_image incumbent
[ $need_ours = 1 ] && build_image ours

for r in "${ALL_RUNS[@]}"; do
	selected "$r" || continue
	case $r in
	floor-64x4) boot "$r" none bench-storm 900 mpbench.luns=64 mpbench.hosts=4 mpbench.tag=floor64x4 ;;
	floor-256x4) boot "$r" none bench-storm 1800 mpbench.luns=256 mpbench.hosts=4 mpbench.tag=floor256x4 ;;
	*-strace-16x4) boot "$r" "${r%%-*}" bench-storm 1200 mpbench.luns=16 mpbench.hosts=4 mpbench.strace=1 mpbench.tag=strace16x4 ;;
	incumbent-256x4) boot "$r" incumbent bench-storm $((CAP + 900)) mpbench.luns=256 mpbench.hosts=4 \
		mpbench.storm_timeout="$CAP" mpbench.settle_timeout=300 ;;
	*-64x4) boot "$r" "${r%%-*}" bench-storm 1800 mpbench.luns=64 mpbench.hosts=4 ;;
	*-256x4) boot "$r" "${r%%-*}" bench-storm 2400 mpbench.luns=256 mpbench.hosts=4 ;;
	*-failover) boot "$r" "${r%%-*}" bench-failover 900 mpbench.luns=8 mpbench.hosts=2 ;;
	esac
done
log "all runs done in $(awk "BEGIN { printf \"%.0f\", $EPOCHREALTIME - $T0 }") s"
"$HERE/report.sh" "$OUT/results" | tee "$OUT/summary.md"
