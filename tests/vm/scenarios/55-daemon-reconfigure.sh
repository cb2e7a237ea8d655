# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 240
#
# Reconfigure after changing one map's settings in multipath.conf: only
# that map is reloaded; the others keep their table and see no reload.

set -- $(sdebug_start add_host=2 num_tgts=1 max_luns=3 vpd_use_hostno=0 dev_size_mb=16)
assert_eq "$#" 6 "paths"
dm_multipath_load
base='defaults {
	uxsock_timeout 30000
	user_friendly_names no
	find_multipaths yes
	path_grouping_policy multibus
}'
echo "$base" >/etc/multipath.conf
multipathd -d -s -v3 >/tmp/mpd-55.log 2>&1 &
wait_for 60 sh -c '[ "$(dmsetup ls --target multipath | grep -c .)" -eq 3 ]' ||
	{ tail -n 40 /tmp/mpd-55.log >&2; fail "maps not assembled"; }
settle
target=$(dmsetup ls --target multipath | awk '{print $1}' | sort | head -n1)
others=$(dmsetup ls --target multipath | awk '{print $1}' | sort | tail -n +2)
before=""
for m in $others; do before="$before$(dmsetup table "$m");"; done
t_before=$(dmsetup table "$target")
reloads0=$(grep -c 'reloaded' /tmp/mpd-55.log)
printf '%s\nmultipaths {\n\tmultipath {\n\t\twwid %s\n\t\tpath_selector "round-robin 0"\n\t}\n}\n' \
	"$base" "$target" >/etc/multipath.conf
if ! multipathd reconfigure >/dev/null 2>&1; then
	kill -HUP "$(pidof multipathd)"
fi
wait_for 30 sh -c "dmsetup table $target | grep -q round-robin" ||
	{ tail -n 20 /tmp/mpd-55.log >&2; fail "$target not reloaded with the new selector"; }
sleep 3
after=""
for m in $others; do after="$after$(dmsetup table "$m");"; done
assert_eq "$after" "$before" "other maps unchanged"
log "$target: $t_before -> $(dmsetup table "$target")"
assert_eq "$(( $(grep -c 'reloaded' /tmp/mpd-55.log) - reloads0 ))" 1 "exactly one reload"
grep -E 'reconfigure|reloaded' /tmp/mpd-55.log >&2
