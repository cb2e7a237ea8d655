# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 180
#
# Kernel-uevent fast path: with udev's rule execution stopped, the daemon
# assembles 4 scsi_debug LUNs x 2 paths from the kernel's own uevents;
# the WWIDs it used equal what udev reports once it runs, udev's events
# then cause no create or reload, and every path is claimed by
# 56-multipath.rules.  A kernel remove takes the path out while udev is
# still stopped.  With --no-kernel-events a new path waits for udev.
#
# scsi_debug reports ALUA; scsi_dh_alua's first RTPG lands ~2 s after the
# disk (a unit attention makes it retry), so a map built from the kernel
# event first groups both paths together (sysfs still reads the default
# active/optimized) and is regrouped by the checker once the real states
# show.  That reload is waited for before udev runs: what is checked is
# that udev's events add nothing.

stat_of() { multipathd show stats 2>/dev/null | awk -v k="$1" '$1 == k {print $2; exit}'; }
n_paths() { dmsetup table "$1" 2>/dev/null | tr ' ' '\n' | grep -c ':'; }
maps_with() {
	_n=0
	for _m in $(dmsetup ls --target multipath 2>/dev/null | awk '{print $1}'); do
		[ "$(n_paths "$_m")" -eq "$1" ] && _n=$((_n + 1))
	done
	[ "$_n" -eq "$2" ]
}
# udev runs again whatever happens to the scenario
trap 'udevadm control --start-exec-queue 2>/dev/null' EXIT

dm_multipath_load
modprobe sd_mod
modprobe sg
cat >/etc/multipath.conf <<'CONF'
defaults {
	uxsock_timeout 30000
	user_friendly_names no
	find_multipaths greedy
	polling_interval 1
}
CONF
multipathd -d -s -v3 >/tmp/mpd-59.log 2>&1 &
wait_for 20 multipathd show daemon || fail "multipathd did not answer"

udevadm control --stop-exec-queue
t0=$(now)
modprobe scsi_debug add_host=2 num_tgts=1 max_luns=4 vpd_use_hostno=0 dev_size_mb=16 ||
	fail "modprobe scsi_debug"
wait_for 30 _sdebug_count 8 || fail "scsi_debug disks: $(sdebug_disks | tr '\n' ' ')"
wait_for 30 maps_with 2 4 || {
	tail -n 40 /tmp/mpd-59.log >&2
	dmsetup table >&2
	fail "4 maps x 2 paths not assembled from kernel events"
}
log "4 maps x 2 paths from kernel events after $(elapsed "$t0" "$(now)") s"
# group_by_prio (ALUA): one group per path once the states are known
wait_for 30 sh -c '[ "$(dmsetup table --target multipath | grep -c " alua 2 1 ")" -eq 4 ]' || {
	dmsetup table >&2
	fail "maps not regrouped by ALUA state"
}
log "ALUA groups after $(elapsed "$t0" "$(now)") s"
for d in $(sdebug_disks); do
	assert_eq "$(udev_prop "$d" ID_SERIAL)" "" "udev has not run on $d yet"
done
assert_eq "$(stat_of kev_fed)" 8 "kernel adds fed"
creates=$(stat_of create)
reloads=$(stat_of reload)
log_at=$(wc -l </tmp/mpd-59.log)
dmsetup table --target multipath | sort >/tmp/tables-59.before

udevadm control --start-exec-queue
settle 60
for m in $(dmsetup ls --target multipath | awk '{print $1}'); do
	uuid=$(dmsetup info -c --noheadings -o uuid "$m")
	for d in $(sdebug_paths_for_wwid "${uuid#mpath-}"); do
		assert_eq "$(udev_prop "$d" ID_SERIAL)" "${uuid#mpath-}" "udev WWID of $d"
		assert_eq "$(udev_prop "$d" DM_MULTIPATH_DEVICE_PATH)" 1 "$d claimed"
	done
done
# what udev's events made the daemon do, if anything
[ "$(stat_of reload)" = "$reloads" ] || {
	multipathd show stats >&2
	tail -n +"$log_at" /tmp/mpd-59.log >&2
	dmsetup table --target multipath | sort | diff /tmp/tables-59.before - >&2
}
assert_eq "$(stat_of kev_merged)" 8 "udev adds merged"
assert_eq "$(stat_of create)" "$creates" "creates after udev"
assert_eq "$(stat_of reload)" "$reloads" "reloads after udev"
assert maps_with 2 4

# a kernel remove fails and drops the path before udev sees it
set -- $(sdebug_disks)
gone=$1
wwid=$(udev_prop "$gone" ID_SERIAL)
udevadm control --stop-exec-queue
echo 1 >"/sys/block/$gone/device/delete"
wait_for 20 sh -c "[ \"\$(dmsetup table $wwid | tr ' ' '\n' | grep -c ':')\" -eq 1 ]" ||
	fail "$gone still in $wwid without udev"
udevadm control --start-exec-queue
settle 60
assert_eq "$(n_paths "$wwid")" 1 "$wwid after udev's remove"

# switched off: a new path waits for udev
multipathd shutdown >/dev/null 2>&1
wait_for 20 sh -c '! pidof multipathd >/dev/null' || fail "multipathd did not stop"
multipathd -d -s -v3 --no-kernel-events >/tmp/mpd-59b.log 2>&1 &
wait_for 20 multipathd show daemon || fail "multipathd --no-kernel-events did not answer"
settle
udevadm control --stop-exec-queue
echo 1 >"$SDEBUG/add_host"
wait_for 30 _sdebug_count 11 || fail "third host"
sleep 3
assert maps_with 2 3
assert_eq "$(stat_of kev_received)" 0 "kernel events without the fast path"
udevadm control --start-exec-queue
settle 60
wait_for 20 maps_with 3 3 || fail "third path not added from udev"
