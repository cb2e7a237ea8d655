#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# report.sh RESULTS_DIR: the benchmark's figures as markdown tables (the
# ones docs/performance.md carries), the targets with met / not met, and an
# ASCII bar chart of the storm times.  Input: the results/<run>.txt files
# of tests/bench/run.sh, lines "BENCH <key>=<value>".  A missing run or
# figure prints as "–" and its targets as "not measured".

set -uo pipefail
DIR=${1:?usage: report.sh RESULTS_DIR}

declare -A V=()
for f in "$DIR"/*.txt; do
	[ -e "$f" ] || continue
	run=$(basename "$f" .txt)
	while IFS= read -r line; do
		kv=${line#BENCH }
		V["$run/${kv%%=*}"]=${kv#*=}
	done < <(grep -a '^BENCH ' "$f")
done

# g RUN KEY: the value or "–"
g() { local v=${V["$1/$2"]:-}; echo "${v:-–}"; }
# g0 RUN KEY: a counter: 0 when the run exists but the counter did not move
g0() {
	local v=${V["$1/$2"]:-}
	if [ -n "$v" ]; then echo "$v"; elif [ -e "$DIR/$1.txt" ]; then echo 0; else echo "–"; fi
}
isnum() { [[ $1 =~ ^-?[0-9]+(\.[0-9]+)?$ ]]; }
# calc EXPR with awk, "–" if any argument is not a number
calc() {
	local expr=$1 a
	shift
	for a in "$@"; do isnum "$a" || { echo "–"; return; }; done
	awk -v a="${1:-0}" -v b="${2:-0}" -v c="${3:-0}" -v d="${4:-0}" -v e="${5:-0}" "BEGIN { $expr }"
}
verdict() { # verdict COND_RESULT(1/0/–)
	case $1 in 1) echo "**met**" ;; 0) echo "**not met**" ;; *) echo "not measured" ;; esac
}

echo "### Floor: the kernel and stock udev alone"
echo
echo "| paths | kernel: last sd disk (s) | udev settled (s) | host load at start |"
echo "|---|---:|---:|---:|"
for s in 64x4 256x4; do
	r=floor-$s t=floor$s
	echo "| $s | $(g $r $t.kernel_s) | $(g $r $t.settle_s) | $(g $r host.loadavg_start) |"
done
echo

echo "### Storm assembly"
echo
echo "| run | kernel (s) | all maps complete (s) | ÷ kernel | udev settled (s) | daemon CPU (s) | guest busy CPU (s) | show maps median / p99 (ms) | show paths median / p99 (ms) | CLI errors | host load |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for d in incumbent ours; do
	for s in 64x4 256x4; do
		r=$d-$s t=storm$s c=storm$s.cli
		err=$(calc 'printf "%d", a + b' "$(g $r $c.show_maps.errors)" "$(g $r $c.show_paths.errors)")
		echo "| $r | $(g $r $t.kernel_s) | $(g $r $t.assembled_s) | $(g $r $t.assembled_over_kernel) |" \
			"$(g $r $t.settle_s) | $(g $r $t.daemon_cpu_s) | $(g $r $t.guest_busy_cpu_s) |" \
			"$(g $r $c.show_maps.median_ms) / $(g $r $c.show_maps.p99_ms) |" \
			"$(g $r $c.show_paths.median_ms) / $(g $r $c.show_paths.p99_ms) | $err | $(g $r host.loadavg_start) |"
	done
done
echo

echo "### DM ioctls during the storm (strace -f from the first add to 5 s after assembly; ours also by its own counters)"
echo
echo "| run | maps | DEV_CREATE | TABLE_LOAD | DEV_SUSPEND | TARGET_MSG | DEV_REMOVE | changes total | minimum (3 per map) | ÷ minimum | reads (LIST, STATUS, TABLE, INFO, …) | all DM | SG_IO |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for d in incumbent ours; do
	for s in 16x4 64x4 256x4; do
		r=$d-strace-$s t=strace$s.ioctl
		[ -e "$DIR/$r.txt" ] || continue
		maps=${s%x*}
		ch=$(g $r $t.dm_changes)
		echo "| $r | $maps | $(g $r $t.DM_DEV_CREATE) | $(g $r $t.DM_TABLE_LOAD) | $(g $r $t.DM_DEV_SUSPEND) |" \
			"$(g $r $t.DM_TARGET_MSG) | $(g $r $t.DM_DEV_REMOVE) | $ch | $((maps * 3)) |" \
			"$(calc 'printf "%.2f", a / b' "$ch" $((maps * 3))) |" \
			"$(calc 'printf "%d", a - b' "$(g $r $t.dm_total)" "$ch") | $(g $r $t.dm_total) | $(g $r $t.sg_io) |"
	done
done
for s in 64x4 256x4; do
	r=ours-$s t=storm$s.stats.dm
	[ -e "$DIR/$r.txt" ] || continue
	maps=${s%x*}
	cr=$(g0 $r $t.create) rl=$(g0 $r $t.reload) ms=$(g0 $r $t.message) sr=$(g0 $r $t.suspend_resume)
	rm=$(g0 $r $t.remove) rn=$(g0 $r $t.rename)
	ch=$(calc 'printf "%d", 3 * a + 2 * b + c + d + e' "$cr" "$rl" "$ms" "$sr" "$((${rm/–/0} + ${rn/–/0}))")
	echo "| $r (daemon's own counters: a create is create + load + resume, a reload is load + resume) | $maps |" \
		"$cr | $rl reloads | $sr | $ms | $rm | $ch | $((maps * 3)) |" \
		"$(calc 'printf "%.2f", a / b' "$ch" $((maps * 3))) |" \
		"list $(g0 $r $t.list), status $(g0 $r $t.status), table $(g0 $r $t.table), info $(g0 $r $t.info), arm_poll $(g0 $r $t.arm_poll) | – | – |"
done
echo

echo "### Failover (8 LUNs × 2 paths, polling_interval $(g ours-failover failover.polling_interval))"
echo
echo "| run | offline, no I/O → F in DM (s, each try) | restore, no I/O → A in DM (s) | offline under I/O → F in DM (s) | → failed in show paths (s) | DM → show paths (ms) | restore under I/O → A in DM / active in show paths (s) | I/O after |"
echo "|---|---|---|---:|---:|---:|---|---|"
for d in incumbent ours; do
	r=$d-failover t=failover
	on="" rs=""
	for i in 0 1 2 3 4; do
		v=$(g $r $t.offline_noio.$i.s)
		[ "$v" = "–" ] || on+="${on:+, }$v"
		v=$(g $r $t.restore_noio.$i.s)
		[ "$v" = "–" ] || rs+="${rs:+, }$v"
	done
	echo "| $r | ${on:-–} | ${rs:-–} | $(g $r $t.offline_io.dm_s) | $(g $r $t.offline_io.cli_s) |" \
		"$(g $r $t.offline_io.dm_to_cli_ms) | $(g $r $t.restore_io.dm_s) / $(g $r $t.restore_io.cli_s) | $(g $r $t.io_after) |"
done
echo

echo "### Memory (VmRSS of the daemon, before the storm and 5 s after assembly)"
echo
echo "| run | before (KiB) | after (KiB) | delta (KiB) | per path (B, all of delta) | per map (B, all of delta) | budget 2 KiB/path + 4 KiB/map (KiB) |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for d in incumbent ours; do
	for s in 64x4 256x4; do
		r=$d-$s t=storm$s
		l=${s%x*} h=${s#*x}
		echo "| $r | $(g $r $t.rss_before_kib) | $(g $r $t.rss_after_kib) | $(g $r $t.rss_delta_kib) |" \
			"$(g $r $t.rss_per_path_b) | $(g $r $t.rss_per_map_b) | $((l * h * 2 + l * 4)) |"
	done
done
echo

# ---------------------------------------------------------------- targets
# 256 × 4 where ours was measured there, else 64 × 4 (said in the table)
S=256x4
[ "$(g ours-256x4 storm256x4.assembled_s)" = "–" ] && S=64x4
L=${S%x*}
k256=$(g ours-$S storm$S.kernel_s)
a256=$(g ours-$S storm$S.assembled_s)
a256_lb=0
if [ "$a256" = timeout ]; then
	a256=$(g ours-$S storm$S.assembled_gt_s)
	a256_lb=1
fi
i256=$(g incumbent-$S storm$S.assembled_s)
i256_lb=0
if [ "$i256" = timeout ]; then
	i256=$(g incumbent-$S storm$S.assembled_gt_s)
	i256_lb=1
fi
c_ours=$(g ours-$S storm$S.daemon_cpu_s)
c_inc=$(g incumbent-$S storm$S.daemon_cpu_s)
p99m=$(g ours-$S storm$S.cli.show_maps.p99_ms)
p99p=$(g ours-$S storm$S.cli.show_paths.p99_ms)
pi=$(g ours-failover failover.polling_interval)
worst=–
for i in 0 1 2 3 4; do
	v=$(g ours-failover failover.offline_noio.$i.s)
	[ "$v" = "–" ] && continue
	isnum "$v" || { worst=timeout; break; }
	worst=$(calc 'print (a > b ? a : b)' "$v" "$(isnum "$worst" && echo "$worst" || echo 0)")
done
d2c=$(g ours-failover failover.offline_io.dm_to_cli_ms)
imaps=$L
ich=$(calc 'printf "%d", 3 * a + 2 * b + c + d' "$(g0 ours-$S storm$S.stats.dm.create)" \
	"$(g0 ours-$S storm$S.stats.dm.reload)" "$(g0 ours-$S storm$S.stats.dm.message)" \
	"$(g0 ours-$S storm$S.stats.dm.suspend_resume)")
# the exact figure (smaps) when the run has it: VmRSS lags by up to 63
# pages per thread on the guest's kernel
rd=$(g ours-$S storm$S.rss_exact_delta_kib)
[ "$rd" = "–" ] && rd=$(g ours-$S storm$S.rss_delta_kib)
# no counters (show stats did not answer at the end): no verdict on them
ich_have=$(g ours-$S storm$S.stats.dm.create)
budget=$((L * 4 * 2 + L * 4))

echo "### Targets (ours; storm figures at ${S/x/ × })"
echo
echo "| target | figure | verdict |"
echo "|---|---|---|"
echo "| assembly ≤ 1.25 × kernel path creation (same run) | $([ $a256_lb = 1 ] && echo "more than ")$a256 s vs kernel $k256 s (× $(calc 'printf "%.2f", a / b' "$a256" "$k256")) |" \
	"$(verdict "$(calc 'print (a <= 1.25 * b) ? 1 : 0' "$a256" "$k256")") |"
if [ $i256_lb = 1 ]; then
	# multipath-tools was cut: only a lower bound, which proves a ratio
	# only if it is already 5× ours
	v=$(calc 'print (5 * a <= b) ? 1 : 2' "$a256" "$i256")
	[ "$v" = 2 ] && v="not shown (multipath-tools cut before finishing)" || v=$(verdict "$v")
	echo "| assembly ≥ 5× faster than multipath-tools | $a256 s vs more than $i256 s (multipath-tools cut unfinished) | $v |"
	echo "| daemon CPU ≥ 10× lower | $c_ours s for the whole storm vs $c_inc s for multipath-tools' first $i256 s | $(calc 'print (10 * a <= b) ? "**met**" : "not shown (multipath-tools cut)"' "$c_ours" "$c_inc") |"
else
	echo "| assembly ≥ 5× faster than multipath-tools | $a256 s vs $i256 s (× $(calc 'printf "%.1f", b / a' "$a256" "$i256")) |" \
		"$(verdict "$(calc 'print (5 * a <= b) ? 1 : 0' "$a256" "$i256")") |"
	echo "| daemon CPU ≥ 10× lower | $c_ours s vs $c_inc s (× $(calc 'printf "%.1f", b / a' "$c_ours" "$c_inc")) |" \
		"$(verdict "$(calc 'print (10 * a <= b) ? 1 : 0' "$c_ours" "$c_inc")") |"
fi
echo "| CLI p99 ≤ 50 ms during the storm | show maps $p99m ms, show paths $p99p ms |" \
	"$(verdict "$(calc 'print (a <= 50 && b <= 50) ? 1 : 0' "$p99m" "$p99p")") |"
echo "| offline detection ≤ polling_interval + 0.5 s (8×2) | worst $worst s, polling_interval $pi s |" \
	"$(verdict "$(calc 'print (a <= b + 0.5) ? 1 : 0' "$worst" "$pi")") |"
d2c_note=
isnum "$d2c" && [ "$(calc 'print (a < 0) ? 1 : 0' "$d2c")" = 1 ] &&
	d2c_note=" (negative: the daemon showed it before the prober's DM poll did)"
echo "| DM-reported failure in show paths ≤ 100 ms (8×2) | $d2c ms$d2c_note |" \
	"$(verdict "$(calc 'print (a <= 100) ? 1 : 0' "$d2c")") |"
ich_verdict="not measured"
[ "$ich_have" = "–" ] ||
	ich_verdict=$(verdict "$(calc 'print (a <= 1.2 * b) ? 1 : 0' "$ich" $((imaps * 3)))")
echo "| DM ioctls ≤ 1.2 × minimum (3 per map: create, load, resume) | $ich changing ioctls for $imaps maps, daemon's counters (× $(calc 'printf "%.2f", a / b' "$ich" $((imaps * 3)))) |" \
	"$ich_verdict |"
echo "| memory ≤ 2 KiB/path + 4 KiB/map | RSS growth $rd KiB for $((L * 4)) paths + $L maps (budget $budget KiB) |" \
	"$(verdict "$(calc 'print (a <= b) ? 1 : 0' "$rd" "$budget")") |"
echo

# ---------------------------------------------------------------- chart
echo "### Chart: seconds until the last of ${S/x/ × } paths is in place"
echo
echo '```'
bar() { # bar LABEL SECONDS MAX
	local n
	if isnum "$2"; then
		n=$(calc 'printf "%d", (a / b) * 60 + 0.5' "$2" "$3")
		printf '%-38s %s %s s\n' "$1" "$(printf '%*s' "$n" '' | tr ' ' '#')" "$2"
	else
		printf '%-38s %s\n' "$1" "$2"
	fi
}
fk=$(g floor-$S floor$S.kernel_s) fs=$(g floor-$S floor$S.settle_s)
ik=$(g incumbent-$S storm$S.kernel_s) is=$(g incumbent-$S storm$S.settle_s)
ok=$(g ours-$S storm$S.kernel_s) os=$(g ours-$S storm$S.settle_s)
max=1
for v in "$fk" "$fs" "$ik" "$i256" "$is" "$ok" "$a256" "$os"; do
	isnum "$v" && max=$(calc 'print (a > b ? a : b)' "$v" "$max")
done
bar "no multipath: last sd disk" "$fk" "$max"
bar "no multipath: udev settled" "$fs" "$max"
bar "multipath-tools run: last sd disk" "$ik" "$max"
bar "multipath-tools: maps complete$([ $i256_lb = 1 ] && echo ' (cut)')" "$i256" "$max"
bar "multipath-tools: udev settled" "$is" "$max"
bar "ours run: last sd disk" "$ok" "$max"
bar "ours: maps complete$([ $a256_lb = 1 ] && echo ' (cut)')" "$a256" "$max"
bar "ours: udev settled" "$os" "$max"
echo '```'
