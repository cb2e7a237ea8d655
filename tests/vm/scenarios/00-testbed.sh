# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 120
#
# The test bed itself, no project code: two scsi_debug paths to one LUN, a
# dm-multipath map built by hand with dmsetup, I/O through it, and a
# failover after the active path goes offline and is failed in the map.

set -- $(sdebug_start add_host=2 num_tgts=1 vpd_use_hostno=0 dev_size_mb=16)
assert_eq "$#" 2 "number of scsi_debug paths"
a=$1 b=$2
log "paths: $a $b"

# udev ran scsi_id on both and agrees with the kernel on one WWID.
wa=$(udev_prop "$a" ID_SERIAL)
wb=$(udev_prop "$b" ID_SERIAL)
assert_ne "$wa" "" "udev ID_SERIAL of $a"
assert_eq "$wb" "$wa" "udev ID_SERIAL of $b"
sa=$(dev_sysfs_wwid "$a")
sb=$(dev_sysfs_wwid "$b")
assert_ne "$sa" "" "sysfs wwid of $a"
assert_eq "$sb" "$sa" "sysfs wwid of $b"
log "WWID: udev $wa, sysfs $sa"
assert_eq "$(sdebug_paths_for_wwid "$wa" | tr '\n' ' ')" "$a $b " "paths for $wa"
assert_eq "$(udev_prop "$a" DEVTYPE)" disk "udev DEVTYPE"

ma=$(dev_majmin "$a")
mb=$(dev_majmin "$b")
size=$(dev_sectors "$a")
table="0 $size multipath 0 0 2 1 round-robin 0 1 1 $ma 1000 round-robin 0 1 1 $mb 1000"
log "table: $table"
assert with_timeout 30 dmsetup create mptest --table "$table"
assert wait_for 10 test -b /dev/mapper/mptest
dmsetup table mptest >&2
dmsetup status mptest >&2

# I/O through the map, visible through the other path (one LUN).
printf 'mptest-00-pattern' | dd of=/tmp/pat bs=4096 conv=sync 2>/dev/null
assert dd if=/tmp/pat of=/dev/mapper/mptest bs=4096 count=1 oflag=direct conv=fsync
got=$(dd if=/dev/"$b" bs=4096 count=1 iflag=direct 2>/dev/null | head -c 17)
assert_eq "$got" "mptest-00-pattern" "data read through $b"

# Fail the active path: offline in SCSI, then tell dm-multipath.
path_offline "$a"
assert_eq "$(scsi_state "$a")" offline "state of $a"
assert dmsetup message mptest 0 fail_path "$ma"
st=$(dmsetup status mptest)
log "status after fail: $st"
assert_match "$st" "* $ma F *" "failed path in dmsetup status"
assert_match "$st" "* $mb A *" "remaining path in dmsetup status"
got=$(dd if=/dev/mapper/mptest bs=4096 count=1 iflag=direct 2>/dev/null | head -c 17)
assert_eq "$got" "mptest-00-pattern" "data read through the map after failover"

# And back.
path_online "$a"
assert dmsetup message mptest 0 reinstate_path "$ma"
st=$(dmsetup status mptest)
assert_match "$st" "* $ma A *" "reinstated path in dmsetup status"
assert dev_read "$a"
assert with_timeout 30 dmsetup remove mptest
log "ok"
