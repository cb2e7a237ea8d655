# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 300
#
# Restart with I/O running: the new daemon adopts the maps it finds; their
# tables already match, so nothing is reloaded (daemon DM stats), the
# tables and the kernel's "tables loaded" state are unchanged.

set -- $(sdebug_start add_host=2 num_tgts=1 max_luns=3 vpd_use_hostno=0 dev_size_mb=16)
assert_eq "$#" 6 "paths"
dm_multipath_load
cat >/etc/multipath.conf <<'CONF'
defaults {
	uxsock_timeout 30000
	user_friendly_names yes
	find_multipaths yes
	queue_without_daemon yes
	no_path_retry queue
}
CONF
multipathd -d -s -v3 >/tmp/mpd-54a.log 2>&1 &
wait_for 60 sh -c '[ "$(dmsetup ls --target multipath | grep -c .)" -eq 3 ]' ||
	{ tail -n 40 /tmp/mpd-54a.log >&2; fail "maps not assembled"; }
settle
rm -f /tmp/dd-54.stop /tmp/dd-54.rc
(rc=0
 while [ ! -e /tmp/dd-54.stop ] && [ $rc -eq 0 ]; do
	dd if=/dev/zero of=/dev/mapper/mpatha bs=64k count=128 oflag=direct 2>/dev/null
	rc=$?
 done
 echo $rc >/tmp/dd-54.rc) &
before=$(dmsetup table --target multipath | sort)
ev_before=$(dmsetup info -c --noheadings -o name,events | sort)
kill -TERM "$(pidof multipathd)"
wait_for 30 sh -c '! pidof multipathd >/dev/null' || fail "daemon did not stop"
multipathd -d -s -v3 >/tmp/mpd-54b.log 2>&1 &
wait_for 30 multipathd show daemon >/dev/null 2>&1 ||
	wait_for 30 grep -q 'multipathd ready' /tmp/mpd-54b.log || fail "restart not ready"
wait_for 30 grep -q 'multipathd ready' /tmp/mpd-54b.log || fail "not ready"
after=$(dmsetup table --target multipath | sort)
assert_eq "$after" "$before" "tables unchanged"
grep -E 'adopted|reload|create' /tmp/mpd-54b.log >&2
assert_eq "$(grep -c 'reloaded' /tmp/mpd-54b.log)" 0 "reloads after restart"
assert_eq "$(grep -c 'created' /tmp/mpd-54b.log)" 0 "creates after restart"
if multipathd show stats >/tmp/stats-54 2>/dev/null; then
	assert_eq "$(awk '$1 == "reload" {print $2}' /tmp/stats-54)" 0 "DM reload ioctls"
	assert_eq "$(awk '$1 == "create" {print $2}' /tmp/stats-54)" 0 "DM create ioctls"
fi
log "events before: $ev_before"
log "events after:  $(dmsetup info -c --noheadings -o name,events | sort)"
touch /tmp/dd-54.stop
wait_for 120 test -e /tmp/dd-54.rc || fail "dd did not finish"
assert_eq "$(cat /tmp/dd-54.rc)" 0 "I/O across the restart"
