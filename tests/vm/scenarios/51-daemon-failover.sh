# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 300
#
# Path failures with I/O running: offline/online (no uevent on some
# kernels: the checker's 1 s sweep must catch it) and delete/re-add (remove
# and add uevents).  No I/O error; the daemon fails and reinstates paths.

set -- $(sdebug_start add_host=2 num_tgts=1 vpd_use_hostno=0 dev_size_mb=32)
assert_eq "$#" 2 "number of scsi_debug paths"
a=$1 b=$2
ma=$(dev_majmin "$a")
mb=$(dev_majmin "$b")
dm_multipath_load
cat >/etc/multipath.conf <<'CONF'
defaults {
	uxsock_timeout 30000
	user_friendly_names yes
	find_multipaths yes
	polling_interval 2
	path_grouping_policy failover
	failback immediate
	no_path_retry 30
}
CONF
multipathd -d -s -v3 >/tmp/mpd-51.log 2>&1 &
wait_for 60 test -b /dev/mapper/mpatha || { tail -n 40 /tmp/mpd-51.log >&2; fail "no map"; }
settle
path_state() { dmsetup status mpatha | tr ' ' '\n' | grep -A1 -x "$1" | tail -n1; }
assert_eq "$(path_state "$ma")" A "path $a active"

# no I/O: only the daemon can notice (a uevent, if the kernel sends one,
# or the checker's 1 s device-state sweep): within polling_interval + 0.5 s
t0=$(now)
path_offline "$b"
wait_for 10 sh -c "dmsetup status mpatha | grep -q '$mb F'" || {
	tail -n 30 /tmp/mpd-51.log >&2; fail "$b not failed after offline (no I/O)"; }
lat=$(elapsed "$t0" "$(now)")
log "offline $b without I/O -> failed in DM after $lat s"
assert awk "BEGIN { exit !($lat <= 2.5) }"
path_online "$b"
wait_for 15 sh -c "dmsetup status mpatha | grep -q '$mb A'" || fail "$b not reinstated"

# I/O for the whole scenario: rewrite the 32 MiB device until told to stop
rm -f /tmp/dd-51.stop /tmp/dd-51.rc
(rc=0
 while [ ! -e /tmp/dd-51.stop ] && [ $rc -eq 0 ]; do
	dd if=/dev/zero of=/dev/mapper/mpatha bs=64k count=256 oflag=direct 2>>/tmp/dd-51.err
	rc=$?
 done
 echo $rc >/tmp/dd-51.rc) &

t0=$(now)
path_offline "$a"
wait_for 10 sh -c "dmsetup status mpatha | grep -q '$ma F'" || {
	tail -n 30 /tmp/mpd-51.log >&2; fail "$a not failed after offline"; }
t1=$(now)
log "offline $a -> failed in DM after $(elapsed "$t0" "$t1") s"
grep "$a" /tmp/mpd-51.log | tail -n 3 >&2
path_online "$a"
wait_for 15 sh -c "dmsetup status mpatha | grep -q '$ma A'" || {
	tail -n 30 /tmp/mpd-51.log >&2; fail "$a not reinstated"; }
log "online $a -> reinstated after $(elapsed "$t1" "$(now)") s"

# delete b: the remove uevent fails it and the reload drops it
path_delete "$b"
wait_for 20 sh -c "! dmsetup table mpatha | grep -q ' $mb '" || {
	tail -n 30 /tmp/mpd-51.log >&2; fail "$b still in the table"; }
log "deleted $b: table $(dmsetup table mpatha)"
scsi_rescan_all
nb=$(sdebug_disks | grep -vx "$a" | head -n1)
[ -n "$nb" ] || fail "re-added path not found"
mnb=$(dev_majmin "$nb")
wait_for 30 sh -c "dmsetup table mpatha | grep -q ' $mnb '" || {
	tail -n 30 /tmp/mpd-51.log >&2; fail "re-added $nb not in the table"; }
log "re-added as $nb: $(dmsetup table mpatha)"

touch /tmp/dd-51.stop
wait_for 180 test -e /tmp/dd-51.rc || fail "dd did not finish"
cat /tmp/dd-51.err >&2
assert_eq "$(cat /tmp/dd-51.rc)" 0 "dd exit status (no I/O error)"
assert_eq "$(dmsetup status mpatha | grep -c ' F ')" 0 "no failed path at the end"
