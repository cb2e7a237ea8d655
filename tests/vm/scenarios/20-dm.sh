# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 420
#
# libmultipath's DM layer against the real kernel and libdevmapper, through
# mp-dmtool: three scsi_debug paths to one LUN; a map created with our
# grouping + table builder (udev cookie wait: the node exists on return)
# whose kernel table equals ours; I/O; fail_path seen through the
# DM_DEV_ARM_POLL event fd and in the status; switch_group; reload
# (resume noflush) under running I/O; queueing messages; rename; remove
# refused while open, then deferred (cancelled once); a create without udev
# sync; 4 threads creating/failing/reloading/removing maps in parallel.

DMT=/usr/lib/mpath-tests/mp-dmtool
[ -x $DMT ] || fail "no $DMT in the image"
modprobe dm_multipath 2>/dev/null

# scsi_debug reports ALUA state host_no % 3 (optimized, non-optimized,
# standby); with scsi_dh_alua attached (earlier scenarios load it) the kernel
# fails I/O to the standby port, which is not what this scenario is about.
modprobe -r scsi_dh_alua 2>/dev/null || log "scsi_dh_alua stays loaded"
set -- $(sdebug_start add_host=3 num_tgts=1 vpd_use_hostno=0 dev_size_mb=16)
assert_eq "$#" 3 "number of scsi_debug paths"
a=$1 b=$2 c=$3
ma=$(dev_majmin "$a")
mb=$(dev_majmin "$b")
mc=$(dev_majmin "$c")
size=$(dev_sectors "$a")
wwid=$(udev_prop "$a" ID_SERIAL)
assert_ne "$wwid" "" "WWID of $a"
log "paths $a=$ma $b=$mb $c=$mc, wwid $wwid"
for p in $a $b $c; do
	assert_eq "$(cat /sys/block/$p/device/dh_state 2>/dev/null || echo detached)" detached \
		"no device handler on $p"
done

strip() { sed 's/[[:space:]]*$//'; }

# ---- create: failover, queue_if_no_path; the node exists on return
tbl=$($DMT -p failover -q create mpt "$wwid" "$a" "$b" "$c") || fail "mp-dmtool create"
log "our table: $tbl"
assert_eq "$tbl" "1 queue_if_no_path 0 3 1 round-robin 0 1 1 $ma 1 round-robin 0 1 1 $mb 1 round-robin 0 1 1 $mc 1" "built table"
assert test -b /dev/mapper/mpt
assert_eq "$(dmsetup table mpt | strip)" "0 $size multipath $tbl" "dmsetup table"
assert_eq "$($DMT table mpt)" "$tbl" "table read back through our layer"
assert $DMT -p failover -q equal mpt "$a" "$b" "$c"
assert_eq "$(dmsetup info -c --noheadings -o uuid mpt)" "mpath-$wwid" "uuid"
assert_match "$($DMT info mpt)" "*uuid mpath-$wwid*" "info"
assert_match "$($DMT list)" "*mpt *" "list"
for op in table status info; do
	if $DMT $op nope 2>/tmp/err; then fail "$op of a missing map succeeded"; fi
	assert_match "$(cat /tmp/err)" "*No such device or address*" "$op of a missing map"
done

# ---- I/O through the map, visible through another path
printf 'mptest-20-pattern' | dd of=/tmp/pat bs=4096 conv=sync 2>/dev/null
assert dd if=/tmp/pat of=/dev/mapper/mpt bs=4096 count=1 oflag=direct conv=fsync
got=$(dd if=/dev/"$c" bs=4096 count=1 iflag=direct 2>/dev/null | head -c 17)
assert_eq "$got" "mptest-20-pattern" "data read through $c"

# ---- fail_path: the event fd fires, the status shows F
rm -f /tmp/ev.out
$DMT wait-event mpt 20000 >/tmp/ev.out 2>&1 &
evpid=$!
assert wait_for 10 grep -q '^armed mpt' /tmp/ev.out
assert $DMT fail mpt "$a"
wait $evpid
evrc=$?
log "event waiter: $(cat /tmp/ev.out | tr '\n' ' ')"
assert_eq "$evrc" 0 "wait-event exit status"
assert_match "$(cat /tmp/ev.out)" "*event mpt 0 1*" "event number moved"
st=$(dmsetup status mpt)
log "status: $st"
assert_match "$st" "* $ma F 1 *" "failed path in dmsetup status"
assert_match "$($DMT paths mpt)" "*$ma F 1 1 *" "failed path in our parsed status"
got=$(dd if=/dev/mapper/mpt bs=4096 count=1 iflag=direct 2>/dev/null | head -c 17)
assert_eq "$got" "mptest-20-pattern" "read after fail_path"

# ---- switch_group 3, then I/O makes it the active group
log "event_nr before switch_group: $($DMT list | grep '^mpt ')"
assert $DMT switch mpt 3
log "event_nr after switch_group: $($DMT list | grep '^mpt ')"
assert dev_read mapper/mpt
p=$($DMT paths mpt)
log "after switch: $(echo "$p" | tr '\n' ';')"
assert_match "$p" "active_pg 3*" "active group"
assert_match "$p" "*$mc A 0 3 A*" "group 3 active"
assert $DMT reinstate mpt "$a"
assert_match "$($DMT paths mpt)" "*$ma A 1 1 *" "reinstated path"

# ---- reload (resume noflush) while I/O runs: multibus, service-time
dd if=/dev/mapper/mpt of=/dev/null bs=4096 count=1500 iflag=direct 2>/dev/null &
iopid=$!
sleep 0.3
t0=$(now)
tbl2=$($DMT -p multibus -s "service-time 0" -q reload mpt "$a" "$b" "$c") || fail "reload"
log "reload took $(elapsed "$t0" "$(now)")s"
log "event_nr after reload: $($DMT list | grep '^mpt ')"
kill -0 $iopid 2>/dev/null || log "note: the I/O ended before the reload did"
wait $iopid
assert_eq "$?" 0 "I/O across the reload"
kt=$(dmsetup table mpt | strip)
log "after reload: ours '$tbl2', kernel '$kt'"
# the kernel prints service-time paths with 2 words: semantic compare
assert $DMT -p multibus -s "service-time 0" -q equal mpt "$a" "$b" "$c"
assert_match "$kt" "*service-time 0 3 2 $ma 1 1 $mb 1 1 $mc 1 1" "kernel table after reload"
assert_eq "$($DMT paths mpt | grep -c ' A 0 1 ')" 3 "all paths active in the new table"
assert dd if=/dev/mapper/mpt of=/dev/null bs=4096 count=16 iflag=direct

# ---- queueing messages change the table's features
assert $DMT noqueue mpt
assert_match "$(dmsetup table mpt)" "0 $size multipath 0 0 1 1 *" "features after fail_if_no_path"
assert $DMT queue mpt
assert_match "$(dmsetup table mpt)" "0 $size multipath 1 queue_if_no_path 0 1 1 *" "features after queue_if_no_path"
assert $DMT noqueue mpt

# ---- rename: the new node exists on return (udev cookie)
assert $DMT rename mpt mpt2
assert test -b /dev/mapper/mpt2
assert test ! -e /dev/mapper/mpt
assert_eq "$(dmsetup info -c --noheadings -o uuid mpt2)" "mpath-$wwid" "uuid after rename"

# ---- remove: refused while open, then deferred until closed
exec 3</dev/mapper/mpt2
if $DMT remove mpt2 2>/dev/null; then fail "remove of an open map succeeded"; fi
assert $DMT remove mpt2 deferred
assert_match "$($DMT info mpt2)" "*deferred_remove 1*" "deferred remove pending"
assert $DMT cancel-remove mpt2
assert_match "$($DMT info mpt2)" "*deferred_remove 0*" "deferred remove cancelled"
# the kernel accepts a cancel with nothing pending (the fake does too)
assert $DMT cancel-remove mpt2
assert $DMT remove mpt2 deferred
exec 3<&-
assert wait_for 10 sh -c "! dmsetup info mpt2 >/dev/null 2>&1"
settle
assert test ! -e /dev/mapper/mpt2

# ---- create without udev sync, then plain remove
assert $DMT -n create mpt3 "$wwid" "$a" "$b" >/dev/null
settle
assert wait_for 10 test -b /dev/mapper/mpt3
assert $DMT remove mpt3
assert test ! -e /dev/mapper/mpt3

# ---- parallel workers: 4 threads create/fail/status/switch/reload/remove
out=$($DMT -p failover -q stress 4 3 "$a" "$b" "$c") || fail "stress: $out"
log "$out"
assert_match "$out" "*ok*creates 12 reloads 12 messages 24 removes 12" "stress counters"
assert_eq "$(dmsetup ls | grep -c mpstress)" 0 "stress maps left"
log "ok"
