# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
#
# Shared helpers of the guest-side benchmark scenarios (busybox sh), which
# the test bed's runner (tests/vm/runner.sh) starts like any scenario; this
# file lives in the image as /usr/lib/mpath-bench/lib.sh.
#
# Every figure is one line "BENCH <key>=<value>" written straight to the
# console (the runner only shows a scenario's output once it has ended, and
# a killed run must still leave its figures behind); tests/bench/run.sh
# greps them out of the console log.  Times come from `mp-bench now`
# (CLOCK_MONOTONIC, µs), not /proc/uptime's 10 ms.
#
# Parameters come from the kernel command line, "mpbench.<name>=<value>"
# becoming BENCH_<NAME>: daemon (none|incumbent|ours), luns, hosts, strace,
# cli_rate, polling_interval, ...
#   none       no multipath software (kernel + stock udev only)
#   incumbent  Debian's multipath-tools, unpacked into the image
#   ours       this tree's multipathd, installed into the image

for _a in $(cat /proc/cmdline); do
	case "$_a" in
	mpbench.*=*)
		_k=${_a%%=*}
		_k=$(echo "${_k#mpbench.}" | tr 'a-z.-' 'A-Z__')
		export "BENCH_$_k=${_a#*=}"
		;;
	esac
done
CONSOLE=/dev/console
[ -w $CONSOLE ] || CONSOLE=/dev/stderr

SD=/sys/bus/pseudo/drivers/scsi_debug
BENCH_DAEMON=${BENCH_DAEMON:-none}
# NAME=VALUE words for the daemon's environment (mpbench.daemon_env=…),
# e.g. MULTIPATHD_SCHED=off for an A/B run without the thread boost
BENCH_DAEMON_ENV=${BENCH_DAEMON_ENV:-}
MPD_LOG=/tmp/multipathd.log
DPID=
STRACE=

out() { echo "BENCH $1=$2" | tee -a /tmp/bench.results > $CONSOLE; }
note() { echo "bench: $*" > $CONSOLE; }
now() { mp-bench now; }
# sub A B -> A - B with millisecond precision
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }
# div A B -> A / B (2 decimals), "nan" if B is 0
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "nan"; else printf "%.2f", a / b }'; }

mpd_bin() {
	case $BENCH_DAEMON in
	incumbent) echo /sbin/multipathd ;;
	ours) if [ -x /usr/sbin/multipathd ]; then echo /usr/sbin/multipathd; else echo /sbin/multipathd; fi ;;
	*) echo "" ;;
	esac
}

# scsi_debug with no host yet: LUNs share their WWID across hosts
# (vpd_use_hostno=0) and all hosts share one small store.  scsi_debug
# reports ALUA support, so the device handlers are loaded first, as a
# distribution's initrd does: a handler attaches only while a disk is
# scanned, and a map naming "1 alua" fails to load without it.
load_scsi_debug() {
	modprobe -a sd_mod sg scsi_dh_alua scsi_dh_rdac scsi_dh_emc 2> /dev/null
	modprobe scsi_debug add_host=0 num_tgts=1 max_luns="$1" \
		vpd_use_hostno=0 dev_size_mb=1 ${BENCH_SDEBUG_OPTS:-} || {
		note "modprobe scsi_debug failed"; return 1; }
}

write_conf() {
	mkdir -p /etc/multipath /run/multipath
	cat > /etc/multipath.conf <<CONF
defaults {
	user_friendly_names yes
	find_multipaths no
	polling_interval ${BENCH_POLLING_INTERVAL:-5}
	verbosity 2
}
blacklist {
}
CONF
	: > /etc/multipath/wwids
	: > /etc/multipath/bindings
}

# Starts the daemon in the foreground (-d) with its log in $MPD_LOG, waits
# until it answers on the socket; sets DPID.
daemon_start() {
	local bin i
	bin=$(mpd_bin)
	[ -n "$bin" ] || return 0
	modprobe -a dm-multipath dm-round-robin dm-service-time dm-queue-length 2> /dev/null
	write_conf
	if [ "${BENCH_STRACE:-0}" = 1 ] && command -v strace > /dev/null; then
		# started under strace: --seccomp-bpf only stops the tracee on
		# ioctl(2), which attaching with -p could not do
		strace -f --seccomp-bpf -qq -e trace=ioctl -e signal=none \
			-e verbose=none -s 0 -o /tmp/strace.out \
			env $BENCH_DAEMON_ENV "$bin" -d -v"${BENCH_DAEMON_VERBOSITY:-2}" > "$MPD_LOG" 2>&1 &
		STRACE=$!
	else
		env $BENCH_DAEMON_ENV "$bin" -d -v"${BENCH_DAEMON_VERBOSITY:-2}" > "$MPD_LOG" 2>&1 &
		DPID=$!
	fi
	# up = answers a command; start-up may take long under a loaded host
	_end=$(awk -v t="$(now)" 'BEGIN { print t + 180 }')
	while ! MPBENCH_CLI_TIMEOUT=5 mp-bench cli show daemon > /dev/null 2>&1; do
		if awk -v t="$(now)" -v e="$_end" 'BEGIN { exit !(t > e) }'; then
			note "daemon did not answer within 180 s; log follows"
			tail -n 30 "$MPD_LOG" > $CONSOLE
			return 1
		fi
		sleep 0.2
	done
	[ -n "$DPID" ] || DPID=$(pidof "${bin##*/}" | awk '{print $NF}')
	note "daemon $bin up, pid $DPID"
}

daemon_stop() {
	[ -n "$DPID" ] || return 0
	kill -TERM "$DPID" 2> /dev/null
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$DPID" 2> /dev/null || break
		sleep 0.5
	done
	kill -KILL "$DPID" 2> /dev/null
	DPID=
	[ -z "$STRACE" ] || wait "$STRACE" 2> /dev/null
}

# Environment facts printed with every run, so results carry their context.
env_facts() {
	out env.kernel "$(uname -r)"
	out env.cpus "$(grep -c ^processor /proc/cpuinfo)"
	out env.mem_kib "$(awk '/MemTotal/ {print $2}' /proc/meminfo)"
	out env.daemon "$BENCH_DAEMON"
	out env.daemon_env "${BENCH_DAEMON_ENV:-none}"
	if [ -n "$(mpd_bin)" ]; then
		out env.daemon_bin "$(mpd_bin)"
	fi
}

# The path (sdX) and maj:min of the Nth sd disk of the given scsi_debug
# host index (0-based, in creation order) and LUN.
sd_of() {
	local h=$1 lun=$2 host
	host=$(ls -d $SD/adapter*/host* 2> /dev/null | sed -n "$((h + 1))p")
	host=${host##*/host}
	ls /sys/class/scsi_device/"$host:0:0:$lun"/device/block 2> /dev/null | head -n 1
}

# The figures are out: power off at once instead of letting the runner's
# cleanup unload a thousand scsi_debug disks (minutes under TCG).
bench_end() {
	note "done, powering off"
	[ "${BENCH_KEEP:-0}" = 1 ] && return 0
	sync
	poweroff -f
}

# Our daemon's own counters (`show stats`), flattened to "section.name N"
# lines: events.* and dm.* (DM ioctls by kind, counted by the daemon).
stats_snapshot() {
	local try
	[ "$BENCH_DAEMON" = ours ] || return 0
	# a few tries: at 256x4 the answer went missing once (cause not known)
	for try in 1 2 3; do
		MPBENCH_CLI_TIMEOUT=30 mp-bench cli show stats > /tmp/stats.raw 2> /tmp/stats.err &&
			[ -s /tmp/stats.raw ] && break
		note "show stats, try $try: $(head -c 200 /tmp/stats.err)"
		sleep 1
	done
	awk '
		/^events:/ { s = "events"; next }
		/^dm ioctls:/ { s = "dm"; next }
		/^memory:/ { s = "memory"; next }
		/^[^ ]/ { s = ""; next }
		s != "" && NF == 2 && $2 ~ /^[0-9]+$/ { print s "." $1, $2 }' /tmp/stats.raw > "$1"
}

# stats_delta TAG BEFORE AFTER: one BENCH line per counter that moved
stats_delta() {
	[ -s "$3" ] || return 0
	awk 'NR == FNR { b[$1] = $2; next } { d = $2 - b[$1]; if (d) print $1, d }' \
		"$2" "$3" | while read -r k v; do out "$1.stats.$k" "$v"; done
}
