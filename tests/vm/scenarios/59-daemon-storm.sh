# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 180
#
# A small storm of path adds while the daemon runs, and the DM ioctl
# counters of `show stats`: 4 hosts scanned in parallel (the paths of a
# LUN appear at about the same time, like the ports of a fabric logging in
# together).  One create per map and at most one reload per later path;
# later paths that reach the daemon within the per-WWID coalescing window
# of the first are folded into its create.  Under TCG udev hands the paths
# over about one per second, so few are (the counts are logged).

dm_multipath_load
cat >/etc/multipath.conf <<'CONF'
defaults {
	uxsock_timeout 30000
	user_friendly_names no
	find_multipaths greedy
	path_grouping_policy multibus
}
CONF
LUNS=4

stat_of() { awk -v k="$2" '$1 == k {print $2; exit}' "$1"; }
# maps with exactly 4 paths in their tables
maps_complete() {
	[ "$(dmsetup table --target multipath 2>/dev/null | awk '{n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+:[0-9]+$/) n++; if (n == 4) c++} END {print c + 0}')" -eq "$LUNS" ]
}
no_maps() { [ "$(dmsetup table --target multipath 2>/dev/null | grep -c ' multipath ')" -eq 0 ]; }
# storm NAME CMD...: run CMD while the daemon runs, wait for the maps,
# print "creates reloads" of the storm
storm() {
	_name=$1
	shift
	multipathd show stats >/tmp/stats-59-a
	_t0=$(now)
	"$@"
	wait_for 90 maps_complete || {
		tail -n 60 /tmp/mpd-59.log >&2
		dmsetup table --target multipath >&2
		fail "$_name: $LUNS maps with 4 paths each not assembled"
	}
	log "$_name: assembled after $(elapsed "$_t0" "$(now)") s"
	settle
	multipathd show stats >/tmp/stats-59-b
	echo $(( $(stat_of /tmp/stats-59-b create) - $(stat_of /tmp/stats-59-a create) )) \
		$(( $(stat_of /tmp/stats-59-b reload) - $(stat_of /tmp/stats-59-a reload) ))
}
delete_all() {
	for _d in $(sdebug_disks); do echo 1 >"/sys/block/$_d/device/delete"; done
	settle
}
scan_parallel() {
	for _h in $SDEBUG/adapter*/host*; do
		echo "- - -" >"/sys/class/scsi_host/${_h##*/}/scan" &
	done
	wait
}

# the disks exist once, are deleted before the daemon starts and come
# back all at once
set -- $(sdebug_start add_host=4 num_tgts=1 max_luns=$LUNS vpd_use_hostno=0 dev_size_mb=1)
assert_eq "$#" $((4 * LUNS)) "scsi_debug paths"
delete_all
multipathd -d -s -v2 >/tmp/mpd-59.log 2>&1 &
wait_for 20 multipathd show daemon || { tail -n 40 /tmp/mpd-59.log >&2; fail "multipathd did not answer"; }
set -- $(storm parallel scan_parallel)
log "parallel scan, $LUNS x 4: $1 creates, $2 reloads (one reload per later path: $((3 * LUNS))), $(stat_of /tmp/stats-59-b uev_merged) uevents merged"
assert_eq "$1" "$LUNS" "DM creates"
[ "$2" -le $((3 * LUNS)) ] || fail "$2 reloads: more than one per later path"
assert_eq "$(dmsetup status --target multipath | grep -c ' F ')" 0 "failed paths"
