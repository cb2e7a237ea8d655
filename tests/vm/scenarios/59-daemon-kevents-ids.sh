# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 180
#
# The kernel-event fast path reads WWIDs from sysfs: for tcm_loop (LIO,
# NAA 6 "36001405…") and NVMe/TCP they must be exactly what udev reports
# (ID_SERIAL / ID_WWN), or the map would be keyed by the wrong WWID and
# udev's event would move the paths.  Each device's kernel add is fed
# (kev_fed) and the map's WWID equals udev's for both paths.

stat_of() { multipathd show stats 2>/dev/null | awk -v k="$1" '$1 == k {print $2; exit}'; }
map_uuid_of() {
	for _m in $(dmsetup ls --target multipath 2>/dev/null | awk '{print $1}'); do
		dmsetup table "$_m" | grep -q " $(dev_majmin "$1") " &&
			dmsetup info -c --noheadings -o uuid "$_m"
	done
}
# check_ids PROP DEV...: every DEV is in a map whose WWID is udev's PROP
check_ids() {
	_prop=$1
	shift
	for _d in "$@"; do
		wait_for 20 sh -c "dmsetup table --target multipath | grep -q ' $(dev_majmin "$_d") '" ||
			fail "$_d not in a map"
		_w=$(udev_prop "$_d" "$_prop")
		assert_ne "$_w" "" "udev $_prop of $_d"
		assert_eq "$(map_uuid_of "$_d")" "mpath-$_w" "map WWID of $_d"
	done
}

dm_multipath_load
cat >/etc/multipath.conf <<'CONF'
defaults {
	uxsock_timeout 30000
	user_friendly_names no
	find_multipaths greedy
}
CONF
multipathd -d -s -v3 >/tmp/mpd-59i.log 2>&1 &
wait_for 20 multipathd show daemon || fail "multipathd did not answer"

set -- $(tcm_alua_setup fileio 16)
settle
fed=$(stat_of kev_fed)
assert_eq "$fed" 2 "tcm_loop kernel adds fed"
check_ids ID_SERIAL "$1" "$2"
assert_match "$(udev_prop "$1" ID_SERIAL)" "36001405*" "tcm_loop NAA"
log "tcm_loop: $1 $2 -> $(map_uuid_of "$1")"

set -- $(nvmet_tcp_setup 16)
settle
assert_eq "$(stat_of kev_fed)" $((fed + 2)) "NVMe/TCP kernel adds fed"
check_ids ID_WWN "$1" "$2"
log "NVMe/TCP: $1 $2 -> $(map_uuid_of "$1")"
assert_eq "$(stat_of uev_stale)" 0 "stale udev events"
grep -E 'differs|leaves' /tmp/mpd-59i.log >&2 && fail "udev contradicted a kernel add"
exit 0
