# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 120
#
# LIO tcm_loop ALUA LUN: two paths, one WWID, one target port group each;
# a state set on the target shows in the path's sysfs access_state after
# the next command on that path (scsi_dh_alua rereads RTPG on the UA).

set -- $(tcm_alua_setup fileio 32)
assert_eq "$#" 2 "number of tcm_loop paths"
a=$1 b=$2
log "paths: $a (tpg_a) $b (tpg_b)"

wa=$(udev_prop "$a" ID_SERIAL)
assert_ne "$wa" "" "udev ID_SERIAL of $a"
assert_eq "$(udev_prop "$b" ID_SERIAL)" "$wa" "udev ID_SERIAL of $b"
sa=$(dev_sysfs_wwid "$a")
assert_ne "$sa" "" "sysfs wwid of $a"
assert_eq "$(dev_sysfs_wwid "$b")" "$sa" "sysfs wwid of $b"
log "WWID: udev $wa, sysfs $sa"
assert_eq "$(cat /sys/block/"$a"/device/dh_state)" alua "device handler of $a"
assert_eq "$(cat /sys/block/"$a"/device/vpd_pg80 2>/dev/null | tr -dc 'a-z0-9' | tail -c 14)" \
	"$TCM_SERIAL" "unit serial of $a"

rtpg=$(sg_rtpg -d /dev/"$a" 2>&1)
echo "$rtpg" >&2
assert_match "$rtpg" "*target port group id : 0x1*" "RTPG lists group 1"
assert_match "$rtpg" "*target port group id : 0x2*" "RTPG lists group 2"

# One command on the path, then scsi_dh_alua's view must follow.
poke_state_is() {
	sg_turs /dev/"$1" >/dev/null 2>&1
	[ "$(alua_access_state "$1")" = "$2" ]
}
expect_state() {
	wait_for 20 poke_state_is "$1" "$2" ||
		fail "access_state of $1: expected $2, got $(alua_access_state "$1")"
	log "$1: $(alua_access_state "$1")"
}

expect_state "$a" active/optimized
expect_state "$b" active/optimized
tcm_alua_set_state b standby
expect_state "$b" standby
expect_state "$a" active/optimized
tcm_alua_set_state a active/nonoptimized
expect_state "$a" active/non-optimized
tcm_alua_set_state b unavailable
expect_state "$b" unavailable
tcm_alua_set_state b transitioning
# scsi_dh_alua shows this passing state only if its RTPG lands inside it;
# in about one CI run in ten (TCG) it still said unavailable after 20 s,
# so a miss is logged, not failed; the states around it are asserted
if ! wait_for 20 poke_state_is "$b" transitioning; then
	log "note: $b never showed transitioning (still $(alua_access_state "$b"))"
fi
tcm_alua_set_state b active/optimized
expect_state "$b" active/optimized
tcm_alua_set_state a active/optimized
expect_state "$a" active/optimized

# Data written through one port is read through the other.
printf 'mptest-01-pattern' | dd of=/tmp/pat bs=4096 conv=sync 2>/dev/null
assert dd if=/tmp/pat of=/dev/"$a" bs=4096 count=1 oflag=direct conv=fsync
got=$(dd if=/dev/"$b" bs=4096 count=1 iflag=direct 2>/dev/null | head -c 17)
assert_eq "$got" "mptest-01-pattern" "data read through $b"
log "ok"
