# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 120
#
# Per-path sysfs tunables on a real kernel.  scsi_debug paths have a SCSI
# host and a block queue but no transport object (no FC rport, iSCSI
# session or SAS end device: those are covered by test-tunables), so this
# checks eh_deadline and max_sectors_kb:
#   1. multipathd sets them on every path before it creates the map, and
#      the map's own queue/max_sectors_kb follows (limits stack at load);
#      a reconfigure with new values rewrites them and reloads the map;
#   2. `multipath` does the same when it creates the map, including
#      eh_deadline back to "off".

set -- $(sdebug_start add_host=2 num_tgts=1 max_luns=1 vpd_use_hostno=0 dev_size_mb=8)
assert_eq "$#" 2 "number of scsi_debug paths"
paths="$*"
dm_multipath_load

host_of() {
	_hctl=$(basename "$(readlink -f "/sys/block/$1/device")")
	echo "${_hctl%%:*}"
}
eh_of() { cat "/sys/class/scsi_host/host$(host_of "$1")/eh_deadline"; }
msk_of() { cat "/sys/block/$1/queue/max_sectors_kb"; }
map_msk() {
	_mm=$(dmsetup info -c --noheadings -o major,minor --separator : "$1") || return 1
	cat "/sys/dev/block/$_mm/queue/max_sectors_kb"
}
mp_maps() { dmsetup ls --target multipath 2>/dev/null | grep -v '^No devices'; }
one_map() { [ "$(mp_maps | grep -c .)" -eq 1 ]; }
map_name() { mp_maps | awk 'NR == 1 {print $1}'; }

for p in $paths; do
	log "$p: host$(host_of "$p") eh_deadline=$(eh_of "$p") max_sectors_kb=$(msk_of "$p")" \
	    "max_hw_sectors_kb=$(cat /sys/block/$p/queue/max_hw_sectors_kb)"
	assert_ne "$(msk_of "$p")" 64 "max_sectors_kb of $p before the daemon"
	assert_ne "$(eh_of "$p")" 17 "eh_deadline of $p before the daemon"
done

# ---- 1. the daemon
cat >/etc/multipath.conf <<'CONF'
defaults {
	user_friendly_names no
	find_multipaths yes
	path_grouping_policy multibus
	eh_deadline 17
	max_sectors_kb 64
}
CONF
multipathd -d -s -v3 >/tmp/mpd-59.log 2>&1 &
wait_for 40 one_map || { tail -n 40 /tmp/mpd-59.log >&2; fail "no map from the daemon"; }
settle
name=$(map_name)
for p in $paths; do
	assert_eq "$(eh_of "$p")" 17 "eh_deadline of $p (daemon)"
	assert_eq "$(msk_of "$p")" 64 "max_sectors_kb of $p (daemon)"
done
assert_eq "$(map_msk "$name")" 64 "max_sectors_kb of map $name (daemon)"
# a reconfigure with new values: the paths change, and the map is
# reloaded so that it takes the new limit
sed -i 's/eh_deadline 17/eh_deadline 23/; s/max_sectors_kb 64/max_sectors_kb 48/' \
	/etc/multipath.conf
multipathd reconfigure >/dev/null 2>&1 || fail "multipathd reconfigure"
map_48() { [ "$(map_msk "$name")" = 48 ]; }
wait_for 20 map_48 || fail "map $name max_sectors_kb after reconfigure: $(map_msk "$name")"
for p in $paths; do
	assert_eq "$(eh_of "$p")" 23 "eh_deadline of $p (reconfigure)"
	assert_eq "$(msk_of "$p")" 48 "max_sectors_kb of $p (reconfigure)"
done
# the same config again: nothing to write, so no reload
reloads0=$(grep -c 'reloaded' /tmp/mpd-59.log)
multipathd reconfigure >/dev/null 2>&1 || fail "multipathd reconfigure (2)"
sleep 3
assert_eq "$(grep -c 'reloaded' /tmp/mpd-59.log)" "$reloads0" "reloads after an idle reconfigure"
grep -i "cannot set\|cannot read" /tmp/mpd-59.log >&2 && fail "tunable errors in the daemon log"
stop_daemons
dm_remove_all
assert_eq "$(mp_maps | grep -c .)" 0 "maps after removal"

# ---- 2. the multipath command
cat >/etc/multipath.conf <<'CONF'
defaults {
	user_friendly_names no
	find_multipaths yes
	eh_deadline off
	max_sectors_kb 32
}
CONF
multipath >/tmp/mp-59.log 2>&1 || { cat /tmp/mp-59.log >&2; fail "multipath failed"; }
wait_for 20 one_map || { cat /tmp/mp-59.log >&2; fail "no map from multipath"; }
settle
name=$(map_name)
for p in $paths; do
	assert_eq "$(eh_of "$p")" off "eh_deadline of $p (multipath)"
	assert_eq "$(msk_of "$p")" 32 "max_sectors_kb of $p (multipath)"
done
assert_eq "$(map_msk "$name")" 32 "max_sectors_kb of map $name (multipath)"
