# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 180
#
# `multipath -ll` / `-l` on a real topology, from the daemon and from DM
# directly (no daemon), -f refusing an open map, -F, -t/-T, -a/-w, -C.

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

set -- $(sdebug_start add_host=2 num_tgts=1 vpd_use_hostno=0 dev_size_mb=16)
a=$1 b=$2
ma=$(dev_majmin "$a")
modprobe dm_multipath 2>/dev/null
printf 'defaults {\n\tfind_multipaths yes\n\tuser_friendly_names yes\n}\n' >/etc/multipath.conf
mpd_start /tmp/mpd-63.log
assert wait_for 30 sh -c "multipathd show maps raw format %n | grep -qx mpatha"
settle
ll=$(multipath -ll)
echo "$ll" >&2
assert_match "$(echo "$ll" | head -n1)" "mpatha (*) dm-* *" "-ll map line"
assert_match "$ll" "*size=16M features=*hwhandler=*wp=rw*" "-ll size line"
assert_match "$ll" "*- *:*:*:* $a $ma *active ready running*" "-ll path line"
assert_eq "$(multipath -ll mpatha)" "$ll" "-ll by name"
assert_eq "$(multipath -ll /dev/$a)" "$ll" "-ll by path device"
assert_eq "$(multipath -v1 -ll)" "mpatha" "-v1 -ll"
assert_match "$(multipath -t)" "*defaults {*" "-t"
assert_match "$(multipath -T)" "*find_multipaths*" "-T"
assert multipath -C mpatha
# no daemon: the same picture from DM and sysfs
assert_eq "$(multipathd shutdown)" ok "shutdown"
assert wait_for 20 sh -c "! pidof multipathd"
l=$(multipath -l)
echo "$l" >&2
assert_match "$(echo "$l" | head -n1)" "mpatha (*) dm-* *" "-l map line (DM)"
assert_match "$l" "*- *:*:*:* $a $ma *active undef *" "-l path line (DM)"
assert_match "$(multipath -ll)" "*$a $ma *active ready running*" "-ll (DM)"
exec 7</dev/mapper/mpatha
assert_match "$(multipath -f mpatha 2>&1; echo rc=$?)" "*in use*rc=1" "-f refuses an open map"
exec 7<&-
assert multipath -f mpatha
assert wait_for 10 sh -c "! dmsetup info mpatha"
# no daemon: `multipath` creates the map itself (two paths, find_multipaths yes)
assert_match "$(multipath)" "*create: mpatha (*" "multipath creates the map"
assert dmsetup info mpatha
assert_match "$(dmsetup table mpatha)" "*multipath*$ma*" "created table"
settle
assert multipath -f mpatha
wwid=$(dev_sysfs_wwid "$a")
assert_match "$(multipath -a /dev/$a)" "wwid '*' added" "-a"
assert grep -q "/" /etc/multipath/wwids
assert_match "$(multipath -w /dev/$a)" "wwid '*' removed" "-w"
assert multipath -F
