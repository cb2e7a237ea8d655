# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 120
#
# A non-root client may list and show, and nothing else.

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

RUNAS=/usr/lib/mpath-tests/run-as
[ -x $RUNAS ] || skip "no run-as helper"
set -- $(sdebug_start add_host=2 num_tgts=1 vpd_use_hostno=0 dev_size_mb=16)
modprobe dm_multipath 2>/dev/null
printf 'defaults {\n\tfind_multipaths yes\n\tuser_friendly_names yes\n}\n' >/etc/multipath.conf
mpd_start /tmp/mpd-61.log
assert wait_for 30 sh -c "multipathd show maps raw format %n | grep -qx mpatha"

user() { with_timeout 20 $RUNAS 65534 65534 multipathd "$@"; }
assert_match "$(user show maps)" "*mpatha*" "non-root show maps"
assert_match "$(user list topology)" "*mpatha*" "non-root list topology"
for c in "del map mpatha" "fail path $1" "reconfigure" "shutdown" "switch map mpatha group 1" \
	"disablequeueing maps" "setprkey map mpatha key 0x1"; do
	out=$(user $c 2>&1; echo "rc=$?")
	assert_match "$out" "fail*permission deny: need to be root*rc=1" "non-root '$c'"
done
# still there, untouched
assert dmsetup info mpatha
assert_eq "$(multipathd shutdown)" ok "root shutdown"
