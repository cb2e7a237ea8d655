# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 240
#
# NVMe/TCP paths (nvme_core.multipath=N, so each controller gives its own
# nvmeXnY): the daemon assembles them into one map named after the
# namespace's wwid, I/O flows, a controller going away (the path device
# is removed) leaves the map running on the other path without an I/O
# error, and reconnecting puts the path back into the map.

set -- $(nvmet_tcp_setup 32)
a=$1 b=$2
[ -n "$a" ] && [ -n "$b" ] || fail "no NVMe paths"
wwid=$(dev_sysfs_wwid "$a")
assert_ne "$wwid" "" "wwid of $a"
dm_multipath_load
cat >/etc/multipath.conf <<'CONF'
defaults {
	uxsock_timeout 30000
	user_friendly_names yes
	find_multipaths yes
	polling_interval 2
	no_path_retry 10
}
CONF
multipathd -d -s -v3 >/tmp/mpd-57.log 2>&1 &
mpd_fail() { tail -n 40 /tmp/mpd-57.log >&2; fail "$*"; }
n_paths() { dmsetup table mpatha 2>/dev/null | awk '{n=0; for (i=1;i<=NF;i++) if ($i ~ /^[0-9]+:[0-9]+$/) n++; print n}'; }
wait_for 60 test -b /dev/mapper/mpatha || mpd_fail "no map"
wait_for 30 sh -c "[ \"\$(dmsetup table mpatha | awk '{n=0; for (i=1;i<=NF;i++) if (\$i ~ /^[0-9]+:[0-9]+\$/) n++; print n}')\" = 2 ]" ||
	mpd_fail "map without both paths: $(dmsetup table mpatha)"
settle
log "table: $(dmsetup table mpatha)"
uuid=$(dmsetup info -c --noheadings -o uuid mpatha)
# The map is named by the same wwid udev reports (uid_attribute ID_WWN for NVMe)
assert_match "$uuid" "mpath-*" "map uuid"
assert_eq "${uuid#mpath-}" "$(udev_prop "$a" ID_WWN)" "map wwid = udev ID_WWN of $a"
for p in $a $b; do
	assert_match "$(dmsetup table mpatha)" "* $(dev_majmin "$p") *" "path $p in the table"
done
assert_match "$(multipathd show paths format '%d %t')" "*$a active*" "show paths: $a active"

printf 'mptest-57-pattern' | dd of=/tmp/pat bs=4096 conv=sync 2>/dev/null
assert dd if=/tmp/pat of=/dev/mapper/mpatha bs=4096 count=1 oflag=direct conv=fsync
assert_eq "$(dd if=/dev/"$b" bs=4096 count=1 iflag=direct 2>/dev/null | head -c 17)" \
	"mptest-57-pattern" "data through $b"

# ---- a controller goes away under I/O: no error, one path left
ca=$(basename "$(readlink -f /sys/block/"$a"/device)")
dd if=/dev/mapper/mpatha of=/dev/null bs=4096 count=4000 iflag=direct 2>/tmp/dd57.err &
ddpid=$!
echo 1 >/sys/class/nvme/"$ca"/delete_controller || fail "delete controller $ca"
wait_for 30 sh -c "[ ! -e /sys/block/$a ]" || fail "$a still there"
wait $ddpid || fail "I/O error while $a went away: $(cat /tmp/dd57.err)"
wait_for 30 sh -c "[ \"\$(dmsetup table mpatha | awk '{n=0; for (i=1;i<=NF;i++) if (\$i ~ /^[0-9]+:[0-9]+\$/) n++; print n}')\" = 1 ]" ||
	mpd_fail "removed path still in the table: $(dmsetup table mpatha)"
assert dd if=/dev/mapper/mpatha of=/dev/null bs=4096 count=16 iflag=direct

# ---- reconnect: the path comes back into the same map
_nvme_connect 4420 || fail "reconnect"
wait_for 30 nvme_disk 1 || fail "no namespace after reconnect"
a2=$(nvme_disk 1)
wait_for 30 sh -c "[ \"\$(dmsetup table mpatha | awk '{n=0; for (i=1;i<=NF;i++) if (\$i ~ /^[0-9]+:[0-9]+\$/) n++; print n}')\" = 2 ]" ||
	mpd_fail "reconnected $a2 not in the map: $(dmsetup table mpatha)"
assert_match "$(dmsetup table mpatha)" "* $(dev_majmin "$a2") *" "path $a2 in the table"
assert_eq "$(dmsetup ls --target multipath | wc -l)" 1 "one multipath map"
log "ok: $(multipathd show topology 2>&1 | head -n 8)"
