# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 180
#
# 56-multipath.rules claims paths: ID_FS_TYPE=mpath_member, SYSTEMD_READY=0
# in the udev database, both with the daemon answering and without it;
# 56-dm-mpath.rules marks the map ready, and a reload does not rescan it.

# Start the daemon in the foreground of a background job; on failure show
# why (its log and whether it still runs).
mpd_start() {
	multipathd -d -s -v3 >"$1" 2>&1 &
	wait_for 20 multipathd show daemon || {
		tail -n 40 "$1" >&2
		pidof multipathd >&2
		fail "multipathd did not answer"
	}
}

[ -f /usr/lib/udev/rules.d/56-multipath.rules ] || skip "rules not installed"
modprobe dm_multipath 2>/dev/null
printf 'defaults {\n\tfind_multipaths strict\n\tuser_friendly_names yes\n}\n' >/etc/multipath.conf
# strict: only WWIDs in the wwids file are claimed
set -- $(sdebug_start add_host=2 num_tgts=1 vpd_use_hostno=0 dev_size_mb=16)
a=$1 b=$2
settle
assert_ne "$(udev_prop "$a" DM_MULTIPATH_DEVICE_PATH)" 1 "not claimed before the wwids file"
assert_match "$(multipath -a /dev/$a)" "wwid '*' added" "-a"
# without a daemon: multipath -u decides itself
udevadm trigger --action=change --sysname-match="$a" --sysname-match="$b"
settle
assert_eq "$(udev_prop "$a" DM_MULTIPATH_DEVICE_PATH)" 1 "claimed (no daemon)"
assert_eq "$(udev_prop "$a" ID_FS_TYPE)" mpath_member "ID_FS_TYPE (no daemon)"
assert_eq "$(udev_prop "$b" SYSTEMD_READY)" 0 "SYSTEMD_READY (no daemon)"
# with the daemon: one socket round trip
mpd_start /tmp/mpd-65.log
assert wait_for 30 sh -c "multipathd show maps raw format %n | grep -qx mpatha"
assert_eq "$(multipathd show path-claim $a | head -n1)" "DM_MULTIPATH_DEVICE_PATH=1" "daemon verdict"
sdebug_add_hosts 1 >/dev/null
settle
c=$(sdebug_disks | tail -n1)
assert_eq "$(udev_prop "$c" DM_MULTIPATH_DEVICE_PATH)" 1 "new path claimed (daemon)"
assert_eq "$(udev_prop "$c" ID_FS_TYPE)" mpath_member "ID_FS_TYPE (daemon)"
t0=$(now)
i=0
while [ $i -lt 20 ]; do DEVPATH=/block/$a multipath -u "$a" >/dev/null; i=$((i + 1)); done
log "20 x multipath -u: $(elapsed "$t0" "$(now)") s"
# the map is ready
dm=$(multipathd show map mpatha raw format %d)
assert_eq "$(udev_prop "$dm" MPATH_DEVICE_READY)" 1 "MPATH_DEVICE_READY"
# a reload (a new path) is not rescanned, and keeps what the scan found
mkfs.ext4 -q -F /dev/mapper/mpatha || fail "mkfs"
settle
assert wait_for 10 sh -c "udevadm info -q property /dev/$dm | grep -qx ID_FS_TYPE=ext4"
uuid=$(udev_prop "$dm" ID_FS_UUID)
n=$(multipathd show map mpatha raw format %N)
sdebug_add_hosts 1 >/dev/null
assert wait_for 30 sh -c "[ \$(multipathd show map mpatha raw format %N) -gt $n ]"
settle
assert_eq "$(udev_prop "$dm" MPATH_UNCHANGED)" 1 "reload: MPATH_UNCHANGED"
assert_eq "$(udev_prop "$dm" DM_NOSCAN)" 1 "reload: not scanned"
assert_eq "$(udev_prop "$dm" ID_FS_TYPE)" ext4 "reload: ID_FS_TYPE kept"
assert test -L "/dev/disk/by-uuid/$uuid"
# a claimed path is not probed: the file system is the map's, not the path's
udevadm trigger --action=change --sysname-match="$a"
settle
assert_eq "$(udev_prop "$a" ID_FS_TYPE)" mpath_member "path keeps mpath_member"
assert_eq "$(readlink -f "/dev/disk/by-uuid/$uuid")" "/dev/$dm" "by-uuid link names the map"
assert_eq "$(multipathd shutdown)" ok "shutdown"
