# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 240
#
# The daemon assembles maps from scratch: 4 scsi_debug LUNs x 2 paths.
# Every map appears with both paths, its table names exactly the paths of
# its WWID, one create per map and no reload (the daemon's DM stats).

set -- $(sdebug_start add_host=2 num_tgts=1 max_luns=4 vpd_use_hostno=0 dev_size_mb=16)
assert_eq "$#" 8 "number of scsi_debug paths"
dm_multipath_load
cat >/etc/multipath.conf <<'CONF'
defaults {
	uxsock_timeout 30000
	user_friendly_names no
	find_multipaths yes
	path_grouping_policy multibus
}
CONF
t0=$(now)
multipathd -d -s -v3 >/tmp/mpd-50.log 2>&1 &
n_maps() { dmsetup table --target multipath 2>/dev/null | grep -c . ; }
wait_for 60 sh -c '[ "$(dmsetup table --target multipath 2>/dev/null | grep -c .)" -eq 4 ]' || {
	tail -n 60 /tmp/mpd-50.log >&2
	dmsetup table >&2
	fail "expected 4 maps, have $(n_maps)"
}
t1=$(now)
log "4 maps after $(elapsed "$t0" "$t1") s"
settle
dmsetup table --target multipath >&2
for name in $(dmsetup ls --target multipath | awk '{print $1}'); do
	table=$(dmsetup table "$name")
	uuid=$(dmsetup info -c --noheadings -o uuid "$name")
	wwid=${uuid#mpath-}
	assert_match "$uuid" "mpath-*" "uuid of $name"
	paths=$(sdebug_paths_for_wwid "$wwid")
	assert_eq "$(echo $paths | wc -w)" 2 "paths of $wwid"
	for p in $paths; do
		assert_match "$table" "* $(dev_majmin "$p") *" "$p in $name"
	done
	assert_eq "$(echo "$table" | tr ' ' '\n' | grep -c ':')" 2 "path count in $name"
done
# every path joined: nothing left failed
assert_eq "$(dmsetup status --target multipath | grep -c ' F ')" 0 "failed paths"
if multipathd show stats >/tmp/stats-50 2>/dev/null; then
	cat /tmp/stats-50 >&2
	creates=$(awk '$1 == "create" {print $2}' /tmp/stats-50)
	[ -n "$creates" ] && assert_eq "$creates" 4 "DM creates"
fi
grep -c 'created' /tmp/mpd-50.log >&2
