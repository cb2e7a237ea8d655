# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 300
#
# ALUA through tcm_loop: group_by_prio puts the optimized port first; when
# the states swap, prio follows access_state and I/O moves to the newly
# optimized port (by a regroup, or by switch_group when the old group's path
# failed first: both are right); when they swap back it fails back.

set -- $(tcm_alua_setup rd_mcp 16)
a=$1 b=$2
[ -n "$a" ] && [ -n "$b" ] || skip "no tcm_loop"
ma=$(dev_majmin "$a")
mb=$(dev_majmin "$b")
tcm_alua_set_state a active/optimized
tcm_alua_set_state b standby
dm_multipath_load
cat >/etc/multipath.conf <<'CONF'
defaults {
	uxsock_timeout 30000
	user_friendly_names yes
	find_multipaths yes
	polling_interval 2
	path_grouping_policy group_by_prio
	prio alua
	failback immediate
	no_path_retry 12
}
CONF
dev_read "$a" >/dev/null 2>&1
dev_read "$b" >/dev/null 2>&1
multipathd -d -s -v3 >/tmp/mpd-53.log 2>&1 &
wait_for 60 test -b /dev/mapper/mpatha || { tail -n 40 /tmp/mpd-53.log >&2; fail "no map"; }
settle
log "table: $(dmsetup table mpatha)"
log "paths: $(multipathd show paths format '%d %c %t %T %p %s' | tr '\n' ';')"
first_group_path() { dmsetup table mpatha | awk '{for (i=1;i<=NF;i++) if ($i ~ /^[0-9]+:[0-9]+$/) {print $i; exit}}'; }
# The first path of the group the kernel is using (status "A"): the daemon
# may move I/O with one switch_group instead of reordering the table.
active_path() {
	dmsetup status mpatha | awk '{
		i = 4; i += $i + 1; i += $i + 1; npg = $i; i += 2
		for (g = 1; g <= npg; g++) {
			st = $i; i += 2 + $(i + 1); np = $i; npa = $(i + 1); i += 2
			for (k = 1; k <= np; k++) { if (st == "A") { print $i; exit } i += 3 + npa }
		}
	}'
}
# a read first: the kernel picks its group on the next I/O
_active_is() {
	dd if=/dev/mapper/mpatha of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null
	[ "$(active_path)" = "$1" ]
}
assert _active_is "$ma"
assert_eq "$(first_group_path)" "$ma" "optimized path $a in the first group"

tcm_alua_set_state a standby
tcm_alua_set_state b active/optimized
dev_read "$a" >/dev/null 2>&1
dev_read "$b" >/dev/null 2>&1
wait_for 30 _active_is "$mb" ||
	{ tail -n 30 /tmp/mpd-53.log >&2; log "$(dmsetup table mpatha)"
	  log "$(multipathd show paths format '%d %c %t %T %p')"
	  log "access_state $a: $(alua_access_state $a), $b: $(alua_access_state $b)"
	  fail "I/O not moved to $b"; }
log "after swap: $(dmsetup table mpatha) / $(dmsetup status mpatha)"
dd if=/dev/mapper/mpatha of=/dev/null bs=4k count=16 iflag=direct 2>/dev/null || fail "I/O after switch"

tcm_alua_set_state a active/optimized
tcm_alua_set_state b standby
dev_read "$a" >/dev/null 2>&1
dev_read "$b" >/dev/null 2>&1
wait_for 30 _active_is "$ma" ||
	{ tail -n 30 /tmp/mpd-53.log >&2; fail "no failback to $a: $(dmsetup status mpatha)"; }
log "failback: $(dmsetup table mpatha)"
