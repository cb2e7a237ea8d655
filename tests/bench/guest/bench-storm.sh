# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 2400
#
# Storm assembly: mpbench.luns × mpbench.hosts scsi_debug paths appear at
# once after the daemon is up (one write of HOSTS to add_host).  Measures
#   kernel_s     until the last sd disk exists in sysfs (the physical limit)
#   assembled_s  until every multipath map has HOSTS paths in DM
#   settle_s     until `udevadm settle` returns
#   daemon CPU (utime+stime) and whole-guest busy CPU over the storm,
#   daemon VmRSS before/after, CLI latency while the storm runs, and,
#   with mpbench.strace=1, the DM ioctls the daemon issued (strace -f).
# mpbench.daemon=none gives the floor: kernel and stock udev only.
. /usr/lib/mpath-bench/lib.sh

LUNS=${BENCH_LUNS:-64}
HOSTS=${BENCH_HOSTS:-4}
TAG=${BENCH_TAG:-storm${LUNS}x${HOSTS}}
N=$((LUNS * HOSTS))
TIMEOUT=${BENCH_STORM_TIMEOUT:-1800}
CLI_RATE=${BENCH_CLI_RATE:-20}

# memsplit PREFIX [-v]: the daemon's RSS by mapping kind (mp-bench
# memsplit, from smaps), one BENCH line per kind; -v lists the resident
# mappings on the console.  Sets SPLIT_TOTAL: the exact RSS (VmRSS of a
# 6.1 kernel is off by up to 63 pages per thread).
memsplit() {
	set -- "$1" $(mp-bench memsplit $2 "$DPID" 2> $CONSOLE)
	out "$1.main_arena_kib" "$2"
	out "$1.thread_arenas_kib" "$3"
	out "$1.stacks_kib" "$4"
	out "$1.aio_kib" "$5"
	out "$1.anon_kib" "$6"
	out "$1.file_kib" "$7"
	out "$1.total_kib" "$8"
	out "$1.threads" "$9"
	SPLIT_TOTAL=$8
}

env_facts
load_scsi_debug "$LUNS" || exit 1
udevadm settle
daemon_start || exit 1

if [ -n "$DPID" ]; then
	set -- $(mp-bench pidstat "$DPID")
	cpu0=$1 rss0=$2
	out "$TAG.rss_before_kib" "$rss0"
	memsplit "$TAG.rss_before"
	split0=$SPLIT_TOTAL
	out "$TAG.daemon_cpu_startup_s" "$cpu0"
	rm -f /tmp/probe.stop
	mp-bench probe -r "$CLI_RATE" -t 60 -S /tmp/probe.stop -o /tmp/probe.log \
		-T "$TAG.cli" "show maps" "show paths" > /tmp/probe.out 2>&1 &
	PROBE=$!
	sleep 1
fi
set -- $(mp-bench pidstat all)
sys0=$1
stats_snapshot /tmp/stats0
# strace lines before the storm are start-up work, not the storm's
[ -z "$STRACE" ] || mark0=$(wc -l < /tmp/strace.out)

note "$TAG: adding $HOSTS hosts × $LUNS LUNs = $N paths"
t0=$(now)
echo "$HOSTS" > $SD/add_host
# sdwait and dmwait run side by side: the kernel's time is the floor
mp-bench sdwait -n "$N" -t "$TIMEOUT" -i 100 > /tmp/sdwait.out &
SDW=$!
if [ -n "$DPID" ]; then
	mp-bench dmwait -m "$LUNS" -p "$HOSTS" -t "$TIMEOUT" -i 500 -P 10 \
		> /tmp/dmwait.out 2> $CONSOLE
	dmrc=$?
fi
wait $SDW
t_kernel=$(cat /tmp/sdwait.out)
case $t_kernel in timeout*) out "$TAG.kernel_s" "timeout"; t_kernel= ;; *)
	out "$TAG.kernel_s" "$(sub "$t_kernel" "$t0")" ;; esac

if [ -n "$DPID" ]; then
	set -- $(mp-bench pidstat "$DPID")
	cpu1=$1 rss1=$2
	t_done=$(sed -n 's/^BENCH dmwait.done=//p' /tmp/dmwait.out)
	if [ "$dmrc" = 0 ] && [ -n "$t_done" ]; then
		out "$TAG.assembled_s" "$(sub "$t_done" "$t0")"
		[ -n "$t_kernel" ] && out "$TAG.assembled_over_kernel" \
			"$(div "$(sub "$t_done" "$t0")" "$(sub "$t_kernel" "$t0")")"
	else
		out "$TAG.assembled_s" "timeout"
		out "$TAG.assembled_gt_s" "$(sub "$(now)" "$t0")"
		sed -n 's/^BENCH dmwait\./'"$TAG"'.dm_at_timeout./p' /tmp/dmwait.out |
			while IFS== read -r k v; do out "$k" "$v"; done
	fi
	out "$TAG.daemon_cpu_s" "$(sub "$cpu1" "$cpu0")"
	touch /tmp/probe.stop
	wait $PROBE
	grep '^BENCH ' /tmp/probe.out | tee -a /tmp/bench.results > $CONSOLE
fi
set -- $(mp-bench pidstat all)
out "$TAG.guest_busy_cpu_s" "$(sub "$1" "$sys0")"

if [ -n "$DPID" ]; then
	# let the daemon finish whatever the storm left queued, then read
	# the steady state
	sleep "${BENCH_QUIET_S:-5}"
	set -- $(mp-bench pidstat "$DPID")
	out "$TAG.daemon_cpu_total_s" "$(sub "$1" "$cpu0")"
	out "$TAG.rss_after_kib" "$2"
	out "$TAG.rss_delta_kib" "$(($2 - rss0))"
	out "$TAG.rss_per_path_b" "$(( ($2 - rss0) * 1024 / N ))"
	out "$TAG.rss_per_map_b" "$(( ($2 - rss0) * 1024 / LUNS ))"
	memsplit "$TAG.rss_after" -v
	case $SPLIT_TOTAL$split0 in *[!0-9]*) ;; *)
		out "$TAG.rss_exact_delta_kib" "$((SPLIT_TOTAL - split0))" ;; esac
	out "$TAG.maps" "$(dmsetup ls --target multipath 2> /dev/null | grep -vc 'No devices')"
	if [ -n "$STRACE" ]; then
		mark1=$(wc -l < /tmp/strace.out)
		sed -n "$((mark0 + 1)),${mark1}p" /tmp/strace.out > /tmp/strace.storm
		sed -n 's/.*ioctl([0-9]*, \(DM_[A-Z_]*\).*/\1/p' /tmp/strace.storm > /tmp/dm.ioctls
		sort /tmp/dm.ioctls | uniq -c |
			while read -r n what; do out "$TAG.ioctl.$what" "$n"; done
		out "$TAG.ioctl.dm_total" "$(wc -l < /tmp/dm.ioctls)"
		out "$TAG.ioctl.dm_changes" "$(grep -cE 'DM_(DEV_CREATE|TABLE_LOAD|DEV_SUSPEND|TARGET_MSG|DEV_REMOVE|DEV_RENAME|TABLE_CLEAR)' /tmp/dm.ioctls)"
		out "$TAG.ioctl.sg_io" "$(grep -c 'ioctl([0-9]*, SG_IO' /tmp/strace.storm)"
		out "$TAG.ioctl.all" "$(grep -c 'ioctl(' /tmp/strace.storm)"
	fi
	stats_snapshot /tmp/stats1
	stats_delta "$TAG" /tmp/stats0 /tmp/stats1
	# the daemon's malloc heap after the storm (show stats "memory:")
	grep '^memory\.' /tmp/stats1 | while read -r k v; do out "$TAG.after.$k" "$v"; done
	[ "$BENCH_DAEMON" = ours ] && mp-bench cli show stats >&2 2>&1
	grep -ciE 'error|fail' "$MPD_LOG" | sed 's/^/bench: daemon log error-ish lines: /' >&2
	# mpbench.dump_log=1: the daemon's log on the console (for analysis,
	# not figures); "mpdlog:" lines in the run's console log
	[ "${BENCH_DUMP_LOG:-0}" = 1 ] && sed 's/^/mpdlog: /' "$MPD_LOG" > $CONSOLE
fi
# udev's own backlog (the incumbent's `multipath -u` per disk, kpartx and
# the dm rules) drains after the maps are complete; measured last because
# it can take longer than all the rest
if udevadm settle -t "${BENCH_SETTLE_TIMEOUT:-$TIMEOUT}"; then
	out "$TAG.settle_s" "$(sub "$(now)" "$t0")"
else
	out "$TAG.settle_s" "timeout"
	out "$TAG.settle_timeout_s" "$(sub "$(now)" "$t0")"
fi

daemon_stop
bench_end
