# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 240
#
# Every multipathd command against a running daemon with a real map: two
# scsi_debug paths to one LUN.  Output layouts as scripts expect them,
# actions checked against the kernel (dmsetup status/table).

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

MPD=multipathd
cli() { with_timeout 40 $MPD "$@"; }

set -- $(sdebug_start add_host=2 num_tgts=1 vpd_use_hostno=0 dev_size_mb=16)
assert_eq "$#" 2 "number of scsi_debug paths"
a=$1 b=$2
ma=$(dev_majmin "$a")
mb=$(dev_majmin "$b")
modprobe dm_multipath 2>/dev/null
cat >/etc/multipath.conf <<'CONF'
defaults {
	# a TCG guest is slow: reloads waiting for udev can take seconds
	uxsock_timeout 30000
	user_friendly_names yes
	find_multipaths yes
	path_grouping_policy failover
	# setprkey takes only for maps whose key comes from the prkeys file
	reservation_key file
}
CONF
mpd_start /tmp/mpd-60.log
assert wait_for 30 sh -c "$MPD show maps raw format %n | grep -qx mpatha"
settle
m=mpatha
wwid=$(cli show map $m raw format %w)
dm=$(cli show map $m raw format %d)
log "map $m wwid $wwid $dm"
assert_match "$dm" "dm-*" "sysfs name"

# ---- show: layouts
assert_match "$(cli show daemon)" "pid * idle*" "show daemon"
hdr=$(cli show paths | head -n1 | tr -s ' ')
assert_eq "$hdr" "hcil dev dev_t pri dm_st chk_st dev_st next_check" "show paths header"
assert_match "$(cli show paths | grep " $a ")" "*$ma*active*ready*running*" "show paths row of $a"
assert_eq "$(cli show maps | head -n1 | tr -s ' ')" "name sysfs uuid" "show maps header"
assert_match "$(cli list multipaths | sed -n 2p | tr -s ' ')" "$m $dm $wwid" "show maps row"
assert_eq "$(cli show maps raw format '%n|%w|%d')" "$m|$wwid|$dm" "raw format"
assert_eq "$(cli show paths raw format %d | sort | tr '\n' ' ')" "$(printf '%s\n' $a $b | sort | tr '\n' ' ')" "paths raw"
assert_eq "$(cli show path $a)" running "show path"
topo=$(cli show topology)
echo "$topo" >&2
assert_match "$(echo "$topo" | head -n1)" "$m ($wwid) $dm *" "topology map line"
assert_match "$(echo "$topo" | sed -n 2p)" "size=16M features='*' hwhandler='*' wp=rw" "topology size line"
assert_match "$topo" "*-+- policy='*' prio=* status=active*" "topology group line"
assert_match "$topo" "*- *:*:*:* $a $ma *active ready running*" "topology path line"
assert_eq "$(cli show map $m topology)" "$topo" "show map topology"
assert_eq "$(cli show map $dm topology)" "$topo" "map by dm-N"
assert_eq "$(cli show map "$wwid" topology)" "$topo" "map by WWID"
assert_match "$(cli show maps json)" "*\"major_version\" : 0*\"name\" : \"$m\"*\"dev\" : \"$a\"*" "json"
assert_match "$(cli show map $m json)" "*\"map\" :*\"uuid\" : \"$wwid\"*" "map json"
assert_match "$(cli show maps status | sed -n 1p | tr -s ' ')" "name failback queueing paths dm-st write_prot" "status header"
assert_match "$(cli show maps stats | sed -n 1p | tr -s ' ')" "name path_faults switch_grp map_loads total_q_time q_timeouts" "stats header"
assert_match "$(cli show status)" "*paths: 2*busy: *" "show status"
assert_match "$(cli show config)" "*defaults {*" "show config"
assert_match "$(cli show config local)" "*defaults {*" "show config local"
assert cli show blacklist
assert_match "$(cli show devices)" "*$a devnode *monitored*" "show devices"
assert_match "$(cli show wildcards)" "*%n*" "show wildcards"
assert cli show stats
assert_eq "$(cli show path-claim $a | head -n1)" "DM_MULTIPATH_DEVICE_PATH=1" "path-claim"
assert_match "$(cli sh bogus 2>&1)" "*list|show paths*" "help on bad input"

# ---- actions
assert_eq "$(cli fail path $a)" ok "fail path"
# failed in the kernel (the checker may reinstate a working path at its next
# check, as the incumbent's does: then its fail count shows it happened)
assert wait_for 10 sh -c "dmsetup status $m | grep -Eq ' $ma (F|A [1-9])'"
assert_eq "$(cli reinstate path $a)" ok "reinstate path"
assert wait_for 10 sh -c "dmsetup status $m | grep -q ' $ma A '"
npg=$(echo "$topo" | grep -c -- '-+- policy=')
assert_eq "$(cli switch map $m group "$npg")" ok "switch group $npg"
assert_eq "$(cli switchgroup map $m group 1)" ok "switchgroup alias"
assert_match "$(cli switch map $m group 99)" "fail*" "switch to a group that does not exist"
assert_eq "$(cli disablequeueing map $m)" ok "disablequeueing map"
assert_eq "$(cli restorequeueing map $m)" ok "restorequeueing map"
assert_eq "$(cli disablequeueing maps)" ok "disablequeueing maps"
assert_eq "$(cli restorequeueing maps)" ok "restorequeueing maps"
assert_eq "$(cli forcequeueing daemon)" ok "forcequeueing daemon"
assert_eq "$(cli restorequeueing daemon)" ok "restorequeueing daemon"
assert_eq "$(cli suspend map $m)" ok "suspend"
assert_eq "$(dmsetup info -c --noheadings -o suspended $m)" Suspended "kernel suspended"
assert_eq "$(cli resume map $m)" ok "resume"
assert_eq "$(dmsetup info -c --noheadings -o suspended $m)" Active "kernel active"
assert_eq "$(cli reload map $m)" ok "reload"
assert_eq "$(cli resize map $m)" ok "resize"
assert_eq "$(cli reset maps stats)" ok "reset maps stats"
assert_eq "$(cli reset map $m stats)" ok "reset map stats"
assert_eq "$(cli setprstatus map $m)" ok "setprstatus"
assert_eq "$(cli getprstatus map $m)" set "getprstatus"
assert_eq "$(cli unsetprstatus map $m)" ok "unsetprstatus"
assert_eq "$(cli getprstatus map $m)" unset "getprstatus after unset"
assert_eq "$(cli setprkey map $m key 0x12ab)" ok "setprkey"
assert_match "$(cli getprkey map $m)" "0x12ab*" "getprkey"
assert_eq "$(cli unsetprkey map $m)" ok "unsetprkey"
assert_eq "$(cli setprhold map $m)" ok "setprhold"
assert_eq "$(cli getprhold map $m)" set "getprhold"
assert_eq "$(cli unsetprhold map $m)" ok "unsetprhold"
assert_eq "$(cli wait map "$wwid" timeout 5)" ok "wait map"
assert_eq "$(cli del path $b)" ok "del path"
assert wait_for 30 sh -c "! dmsetup table $m | grep -q ' $mb '"
assert_eq "$(cli add path $b)" ok "add path"
assert wait_for 30 sh -c "dmsetup table $m | grep -q ' $mb '"
assert_eq "$(cli reconfigure)" ok "reconfigure"
assert_eq "$(cli reconfigure all)" ok "reconfigure all"
assert wait_for 20 sh -c "$MPD show daemon | grep -qv pending"
# a map in use cannot be removed
exec 7</dev/mapper/$m
assert_match "$(cli del map $m; echo rc=$?)" "*fail*in use*rc=1" "del map in use"
exec 7<&-
# udev may still be probing the map after the reloads above: settle, retry
settle
assert wait_for 20 sh -c "[ \"\$($MPD del map $m)\" = ok ]"
assert wait_for 10 sh -c "! dmsetup info $m"
# re-create the removed map by WWID (checked at the end, so a failure here
# does not hide the rest)
am=$(cli add map "$wwid")
[ "$am" = ok ] && assert wait_for 20 sh -c "dmsetup info $m"
settle
assert wait_for 20 sh -c "[ \"\$($MPD del maps)\" = ok ]"
assert_eq "$(cli shutdown)" ok "shutdown"
assert wait_for 20 sh -c "! pidof multipathd"
assert_eq "$am" ok "add map by WWID after del map"
