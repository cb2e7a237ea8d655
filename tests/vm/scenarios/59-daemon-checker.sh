# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 150
#
# The daemon's path checker against the real kernel: a tcm_loop port whose
# transport goes offline answers every command with a host error while
# the SCSI device stays `running` in sysfs, so only the tur checker (not
# the 1 s device-state sweep) can catch it.  Then san_path_err holds the
# path out of use after its second failure although TUR says it is up,
# shows it as `delayed`, and lets it back after the recovery time.

set -- $(tcm_alua_setup fileio 16)
assert_eq "$#" 2 "number of tcm_loop paths"
a=$1 b=$2
mb=$(dev_majmin "$b")
dm_multipath_load
cat >/etc/multipath.conf <<'CONF'
defaults {
	uxsock_timeout 30000
	user_friendly_names yes
	find_multipaths no
	polling_interval 2
	max_polling_interval 4
	checker_timeout 5
	path_grouping_policy multibus
	no_path_retry fail
	san_path_err_threshold 1
	san_path_err_forget_rate 100
	san_path_err_recovery_time 12
}
# the built-in entry for LIO-ORG says directio: TUR is what we test here
overrides {
	path_checker tur
}
CONF
multipathd -d -s -v3 >/tmp/mpd-58.log 2>&1 &
wait_for 60 test -b /dev/mapper/mpatha || { tail -n 40 /tmp/mpd-58.log >&2; fail "no map"; }
settle
st() { dmsetup status mpatha | tr ' ' '\n' | grep -A1 -x "$mb" | tail -n1; }
assert_eq "$(st)" A "path $b active"
paths() { multipathd show paths format "%d %c %T"; }
wait_for 10 sh -c "multipathd show paths format '%d %c' | grep -q '^$b tur'" || {
	paths >&2; fail "$b does not use the tur checker"; }

port_b=$TCM/loopback/${TCM_WWN_BASE}2/tpgt_1
[ -w "$port_b/transport_status" ] || skip "tcm_loop has no transport_status"

# 1. transport offline: sysfs keeps saying running, TUR fails
t0=$(now)
echo offline >"$port_b/transport_status"
wait_for 15 sh -c "[ \"\$(dmsetup status mpatha | tr ' ' '\n' | grep -A1 -x '$mb' | tail -n1)\" = F ]" || {
	tail -n 30 /tmp/mpd-58.log >&2; fail "$b not failed while its transport is offline"; }
log "transport offline -> $b failed after $(elapsed "$t0" "$(now)") s"
assert_eq "$(scsi_state "$b")" running "sysfs state of $b (the sweep cannot see this)"
grep -q "$b: tur checker reports path is down" /tmp/mpd-58.log || {
	tail -n 30 /tmp/mpd-58.log >&2; fail "no tur verdict in the log"; }
assert_match "$(paths | grep "^$b " | tr -s " ")" "$b tur faulty" "show paths for $b"

# 2. back online: reinstated (first failure is under the threshold)
t0=$(now)
echo online >"$port_b/transport_status"
wait_for 15 sh -c "[ \"\$(dmsetup status mpatha | tr ' ' '\n' | grep -A1 -x '$mb' | tail -n1)\" = A ]" || {
	tail -n 30 /tmp/mpd-58.log >&2; fail "$b not reinstated"; }
log "transport online -> $b reinstated after $(elapsed "$t0" "$(now)") s"

# 3. second failure: held back for san_path_err_recovery_time
echo offline >"$port_b/transport_status"
wait_for 15 sh -c "[ \"\$(dmsetup status mpatha | tr ' ' '\n' | grep -A1 -x '$mb' | tail -n1)\" = F ]" ||
	fail "$b not failed the second time"
t0=$(now)
echo online >"$port_b/transport_status"
wait_for 10 sh -c "multipathd show paths format '%d %T' | grep -q '^$b delayed'" || {
	paths >&2; tail -n 30 /tmp/mpd-58.log >&2; fail "$b not shown as delayed"; }
log "transport online again -> $b delayed after $(elapsed "$t0" "$(now)") s"
sleep 4
assert_eq "$(st)" F "$b still failed in DM while held"
wait_for 25 sh -c "[ \"\$(dmsetup status mpatha | tr ' ' '\n' | grep -A1 -x '$mb' | tail -n1)\" = A ]" || {
	paths >&2; tail -n 30 /tmp/mpd-58.log >&2; fail "$b not reinstated after the recovery time"; }
held=$(elapsed "$t0" "$(now)")
log "$b reinstated $held s after it came back (recovery time 12 s)"
assert awk "BEGIN { exit !($held >= 10) }"
