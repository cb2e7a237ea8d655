# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 150
#
# find_multipaths smart: a lone scsi_debug path is held (claimed
# provisionally, no map) for find_multipaths_timeout, then released: the
# daemon triggers a change uevent and `multipath -u` now says it is not a
# path.  A second path with the same WWID afterwards assembles the map and
# the released path is claimed again.

dm_multipath_load
cat >/etc/multipath.conf <<'CONF'
defaults {
	uxsock_timeout 30000
	user_friendly_names yes
	find_multipaths smart
	find_multipaths_timeout 8
}
CONF
rules=0
[ -f /usr/lib/udev/rules.d/56-multipath.rules ] && rules=1
multipathd -d -s -v3 >/tmp/mpd-58.log 2>&1 &
wait_for 20 multipathd show daemon || { tail -n 40 /tmp/mpd-58.log >&2; fail "multipathd did not answer"; }

claim() { multipathd show path-claim "$1" | head -n1; }
prop_is() { [ "$(udev_prop "$1" "$2")" = "$3" ]; }
# (dmsetup says "No devices found" on stdout when there are none)
n_maps() { dmsetup table --target multipath 2>/dev/null | grep -c ' multipath '; }

set -- $(sdebug_start add_host=1 num_tgts=1 max_luns=1 vpd_use_hostno=0 dev_size_mb=16)
a=$1
t0=$(now)
wait_for 10 grep -q "$a held for up to 8 s" /tmp/mpd-58.log || { tail -n 40 /tmp/mpd-58.log >&2; fail "$a not held"; }
assert_eq "$(claim "$a")" "DM_MULTIPATH_DEVICE_PATH=2" "daemon verdict while held"
[ "$rules" = 1 ] && assert_eq "$(udev_prop "$a" DM_MULTIPATH_DEVICE_PATH)" 2 "udev: held"
[ "$(n_maps)" = 0 ] || { tail -n 80 /tmp/mpd-58.log >&2; dmsetup table >&2; fail "maps while held"; }

wait_for 20 grep -q "releasing $a" /tmp/mpd-58.log || { tail -n 40 /tmp/mpd-58.log >&2; fail "$a not released"; }
log "released after $(elapsed "$t0" "$(now)") s"
assert_eq "$(claim "$a")" "DM_MULTIPATH_DEVICE_PATH=0" "daemon verdict after release"
if [ "$rules" = 1 ]; then
	# the daemon's change uevent made udev ask again
	wait_for 20 prop_is "$a" DM_MULTIPATH_DEVICE_PATH 0 || fail "udev still says $(udev_prop "$a" DM_MULTIPATH_DEVICE_PATH)"
	assert_ne "$(udev_prop "$a" ID_FS_TYPE)" mpath_member "ID_FS_TYPE after release"
fi
assert_eq "$(n_maps)" 0 "maps after release"

b=$(sdebug_add_hosts 1)
has_map() { multipathd show maps raw format %n | grep -qx mpatha; }
wait_for 30 has_map ||
	{ tail -n 40 /tmp/mpd-58.log >&2; fail "no map with the second path"; }
table=$(dmsetup table mpatha)
assert_eq "$(echo "$table" | tr ' ' '\n' | grep -c ':')" 2 "paths in mpatha"
assert_match "$table" "* $(dev_majmin "$a") *" "$a in mpatha"
assert_match "$table" "* $(dev_majmin "$b") *" "$b in mpatha"
if [ "$rules" = 1 ]; then
	assert wait_for 20 prop_is "$b" DM_MULTIPATH_DEVICE_PATH 1
	# the released path is claimed again (change uevent after the create)
	wait_for 20 prop_is "$a" DM_MULTIPATH_DEVICE_PATH 1 || fail "$a not claimed again"
fi
assert_eq "$(claim "$a")" "DM_MULTIPATH_DEVICE_PATH=1" "daemon verdict with the map"
assert_eq "$(multipathd shutdown)" ok "shutdown"
