# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 300
#
# All paths down: with no_path_retry queue the I/O waits and completes when
# a path returns; with no_path_retry 3 (polling_interval 2) the daemon
# turns queueing off after ~6 s and the I/O fails.

set -- $(sdebug_start add_host=2 num_tgts=1 vpd_use_hostno=0 dev_size_mb=16)
a=$1 b=$2
dm_multipath_load
conf() {
	cat >/etc/multipath.conf <<CONF
defaults {
	uxsock_timeout 30000
	user_friendly_names yes
	find_multipaths yes
	polling_interval 2
	path_grouping_policy multibus
	no_path_retry $1
}
CONF
}
conf queue
multipathd -d -s -v3 >/tmp/mpd-52.log 2>&1 &
wait_for 60 test -b /dev/mapper/mpatha || { tail -n 40 /tmp/mpd-52.log >&2; fail "no map"; }
settle
assert_match "$(dmsetup table mpatha)" "*queue_if_no_path*" "queueing feature"

path_offline "$a"
path_offline "$b"
wait_for 10 sh -c "[ \$(dmsetup status mpatha | grep -o ':[0-9]* F ' | wc -l) -eq 2 ]" ||
	fail "paths not failed"
rm -f /tmp/dd-52.rc
(dd if=/dev/zero of=/dev/mapper/mpatha bs=4k count=16 oflag=direct 2>/dev/null
 echo $? >/tmp/dd-52.rc) &
sleep 8
assert test ! -e /tmp/dd-52.rc
path_online "$b"
wait_for 30 test -e /tmp/dd-52.rc || { tail -n 20 /tmp/mpd-52.log >&2; fail "queued I/O did not complete"; }
assert_eq "$(cat /tmp/dd-52.rc)" 0 "queued I/O completed without error"
path_online "$a"
wait_for 15 sh -c "[ \$(dmsetup status mpatha | grep -o ':[0-9]* A ' | wc -l) -eq 2 ]" || fail "paths not back"

# no_path_retry 3: fails after 3 x polling_interval
conf 3
kill -HUP "$(pidof multipathd)"
sleep 3
path_offline "$a"
path_offline "$b"
wait_for 10 sh -c "[ \$(dmsetup status mpatha | grep -o ':[0-9]* F ' | wc -l) -eq 2 ]" ||
	fail "paths not failed (2)"
t0=$(now)
rm -f /tmp/dd-52.rc
(dd if=/dev/zero of=/dev/mapper/mpatha bs=4k count=16 oflag=direct 2>/dev/null
 echo $? >/tmp/dd-52.rc) &
wait_for 40 test -e /tmp/dd-52.rc || { tail -n 20 /tmp/mpd-52.log >&2; fail "I/O still queued"; }
t1=$(now)
log "no_path_retry 3: I/O ended after $(elapsed "$t0" "$t1") s"
assert_ne "$(cat /tmp/dd-52.rc)" 0 "I/O failed once the retries expired"
grep -E 'no_path_retry|queue_if_no_path' /tmp/mpd-52.log >&2
path_online "$a"
path_online "$b"
wait_for 15 sh -c "dmsetup table mpatha | grep -q queue_if_no_path" ||
	fail "queueing not restored when a path returned"
