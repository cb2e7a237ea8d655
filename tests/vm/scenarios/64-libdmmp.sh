# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 120
#
# libdmmp lists the real maps through the daemon (dmmp-list test program).

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

LIST=/usr/lib/mpath-tests/dmmp-list
[ -x $LIST ] || skip "no dmmp-list"
set -- $(sdebug_start add_host=2 num_tgts=1 vpd_use_hostno=0 dev_size_mb=16)
a=$1 b=$2
modprobe dm_multipath 2>/dev/null
printf 'defaults {\n\tfind_multipaths yes\n\tuser_friendly_names yes\n}\n' >/etc/multipath.conf
rc=0
$LIST 2000 >/dev/null 2>&1 || rc=$?
assert_eq "$rc" 5 "no daemon: DMMP_ERR_NO_DAEMON"
mpd_start /tmp/mpd-64.log
assert wait_for 30 sh -c "multipathd show maps raw format %n | grep -qx mpatha"
out=$($LIST)
echo "$out" >&2
assert_match "$out" "map mpatha * dm-*" "map line"
assert_match "$out" "*pg 1 prio * active '*'*" "group line"
assert_match "$out" "*path $a ready*" "path $a"
assert_match "$out" "*path $b ready*" "path $b"
assert_eq "$(multipathd shutdown)" ok "shutdown"
