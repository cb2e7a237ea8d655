# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 240
#
# The LUN grows (scsi_debug virtual_gb), both paths are rescanned (change
# uevents with the new size): with auto_resize grow_only the daemon reloads
# the map with the new size once every path has seen it.

set -- $(sdebug_start add_host=2 num_tgts=1 vpd_use_hostno=0 dev_size_mb=16)
a=$1 b=$2
dm_multipath_load
cat >/etc/multipath.conf <<'CONF'
defaults {
	uxsock_timeout 30000
	user_friendly_names yes
	find_multipaths yes
	auto_resize grow_only
}
CONF
multipathd -d -s -v3 >/tmp/mpd-56.log 2>&1 &
wait_for 60 test -b /dev/mapper/mpatha || { tail -n 40 /tmp/mpd-56.log >&2; fail "no map"; }
settle
size0=$(dmsetup table mpatha | awk '{print $2}')
assert_eq "$size0" 32768 "initial size"
echo 1 >/sys/bus/pseudo/drivers/scsi_debug/virtual_gb || skip "scsi_debug virtual_gb not writable"
echo 1 >"/sys/block/$a/device/rescan"
echo 1 >"/sys/block/$b/device/rescan"
settle
log "path sizes: $(cat /sys/block/$a/size) $(cat /sys/block/$b/size)"
wait_for 30 sh -c "[ \$(dmsetup table mpatha | awk '{print \$2}') -eq $(cat /sys/block/$a/size) ]" ||
	{ tail -n 20 /tmp/mpd-56.log >&2; fail "map not resized: $(dmsetup table mpatha)"; }
log "resized: $(dmsetup table mpatha)"
