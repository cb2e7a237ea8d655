# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 240
#
# purge_disconnected and recheck_wwid against the real kernel (LIO tcm_loop).
#
# tcm_loop deletes the initiator's SCSI device itself when a LUN is
# unlinked from its target port, so the LUN is taken away from the
# initiator the way an array does it: the ports start in demo mode (the
# disks appear), then each initiator's ACL is made explicit with the same
# LUN mappings, and a mapped LUN goes (or is pointed at another backstore)
# while the port's LUN and the sd device stay.
#
# 1. purge_disconnected (in C's multipaths entry only): LUN 2 (backstore
#    C) unmapped from port 2: TUR on its path answers 05/25/00, the daemon
#    fails the path and deletes the SCSI device; the map keeps the path
#    through port 1.
# 2. recheck_wwid: port 2's path to LUN 1 (backstore A) is put in ALUA
#    standby (reads fail), the mapped LUN 1 of port 2 is pointed at
#    backstore B, a rescan makes the kernel re-read the VPD pages and the
#    port's state; the daemon's next check finds the path usable with a
#    new WWID, does not reinstate it, moves it out of A's map and creates
#    B's map with it.  No uevent tells udev of the change here, so only
#    the recheck can have done it.
#
# tcm_loop does not count a LUN unlink whose SCSI device is gone (the
# purged one), so it keeps port 2's nexus and the cleanup leaves that
# target (and the target modules) in place: keep this scenario last among
# those that use LIO.

tcm_modules_load

# backstore fileio|rd_mcp NAME SERIAL: a 16 MiB device with two ALUA
# groups, tpg_a (id 1) and tpg_b (id 2), implicit, active/optimized.
backstore() {
	_d=$TCM/core/$1_0/$2
	mkdir -p "$_d" || fail "mkdir backstore $2"
	if [ "$1" = rd_mcp ]; then
		echo "rd_pages=4096" >"$_d/control"
	else
		dd if=/dev/zero of=/tmp/tcm-lun-$2.img bs=1M count=0 seek=16 2>/dev/null
		echo "fd_dev_name=/tmp/tcm-lun-$2.img,fd_dev_size=16777216" >"$_d/control"
	fi
	echo "$3" >"$_d/wwn/vpd_unit_serial" || fail "vpd_unit_serial $2"
	echo 1 >"$_d/enable" || fail "enable backstore $2"
	for _g in a b; do
		mkdir -p "$_d/alua/tpg_$_g" || fail "mkdir alua tpg_$_g"
		[ $_g = a ] && echo 1 >"$_d/alua/tpg_$_g/tg_pt_gp_id"
		[ $_g = b ] && echo 2 >"$_d/alua/tpg_$_g/tg_pt_gp_id"
		echo 1 >"$_d/alua/tpg_$_g/alua_access_type"
		echo 0 >"$_d/alua/tpg_$_g/alua_access_state"
	done
	echo "$_d"
}

# A and B (FILEIO) keep the built-in directio checker (a read fails in
# ALUA standby, where TUR would say "ghost", usable); C (RAMDISK-MCP)
# gets tur: only TUR tells "disconnected".
A=$(backstore fileio lunA a0a0a0a0a0a1)
B=$(backstore fileio lunB b0b0b0b0b0b2)
C=$(backstore rd_mcp lunC c0c0c0c0c0c3)

port() { echo "$TCM/loopback/$TCM_WWN_BASE$1/tpgt_1"; }
acl() { echo "$(port "$1")/acls/$TCM_INIT_BASE$1"; }

# map_lun PORT LUN TPG_LUN: the initiator of PORT sees the port's
# lun_TPG_LUN as its LUN number LUN (explicit ACL).
map_lun() {
	mkdir -p "$(acl "$1")/lun_$2" || fail "mkdir mapped lun $2 on port $1"
	ln -s "$(port "$1")/lun/lun_$3" "$(acl "$1")/lun_$2/map" ||
		fail "map lun_$3 as LUN $2 on port $1"
}
unmap_lun() {
	rm -f "$(acl "$1")/lun_$2/map" && rmdir "$(acl "$1")/lun_$2" ||
		fail "unmap LUN $2 on port $1"
}

# disk PORT LUN: the sd name of the initiator's LUN behind PORT
disk() {
	_h=$(cut -d: -f1 "$(port "$1")/address")
	for _b in /sys/class/scsi_host/host$_h/device/target$_h:0:1/$_h:0:1:$2/block/*; do
		[ -e "$_b" ] && { echo "${_b##*/}"; return 0; }
	done
	return 1
}
disks_ready() { disk 1 1 && disk 1 2 && disk 2 1 && disk 2 2; }

# Ports 1 and 2: lun_1 -> A, lun_2 -> C, in demo mode: tcm_loop adds the
# disks when the LUNs are linked.
for p in 1 2; do
	t=$(port $p)
	mkdir -p "$t/lun/lun_1" "$t/lun/lun_2" || fail "mkdir port $p"
	echo "$TCM_INIT_BASE$p" >"$t/nexus" || fail "tcm_loop nexus $p"
	g=a
	[ $p = 2 ] && g=b
	ln -s "$A" "$t/lun/lun_1/port" || fail "export A on port $p"
	echo "tpg_$g" >"$t/lun/lun_1/alua_tg_pt_gp"
	ln -s "$C" "$t/lun/lun_2/port" || fail "export C on port $p"
	echo "tpg_$g" >"$t/lun/lun_2/alua_tg_pt_gp"
done
wait_for 30 disks_ready || {
	ls -l /sys/class/scsi_host/*/device/ >&2; fail "tcm_loop disks did not appear"; }
# The dynamic ACLs become explicit ones with the same mappings.
for p in 1 2; do
	mkdir "$(acl $p)" || fail "explicit ACL on port $p"
	map_lun $p 1 1
	map_lun $p 2 2
done
# B behind port 2 as lun_3, mapped to nobody yet (no disk)
mkdir -p "$(port 2)/lun/lun_3" && ln -s "$B" "$(port 2)/lun/lun_3/port" ||
	fail "export B on port 2"
echo tpg_b >"$(port 2)/lun/lun_3/alua_tg_pt_gp"
settle
a1=$(disk 1 1) a2=$(disk 2 1) c1=$(disk 1 2) c2=$(disk 2 2)
log "LUN A: $a1 $a2, LUN C: $c1 $c2"
for d in $a1 $a2 $c1 $c2; do dev_read "$d" 1 || fail "cannot read $d after the ACL change"; done
wa=$(udev_prop "$a1" ID_SERIAL)
wc=$(udev_prop "$c1" ID_SERIAL)
assert_eq "$(udev_prop "$a2" ID_SERIAL)" "$wa" "WWID of $a2"
assert_eq "$(udev_prop "$c2" ID_SERIAL)" "$wc" "WWID of $c2"
assert_ne "$wa" "$wc" "WWIDs of A and C"

dm_multipath_load
cat >/etc/multipath.conf <<'CONF'
defaults {
	uxsock_timeout 30000
	user_friendly_names no
	find_multipaths no
	polling_interval 2
	max_polling_interval 4
	checker_timeout 5
	path_grouping_policy multibus
	no_path_retry fail
	recheck_wwid yes
}
devices {
	device {
		vendor "LIO-ORG"
		product "RAMDISK-MCP"
		path_checker tur
	}
}
overrides {
	prio const
	path_grouping_policy multibus
}
multipaths {
	multipath {
		wwid WWID_C
		purge_disconnected yes
	}
}
CONF
sed -i "s/WWID_C/$wc/" /etc/multipath.conf
LOGF=/tmp/mpd-66.log
multipathd -d -s -v3 >$LOGF 2>&1 &
logtail() { tail -n 40 $LOGF >&2; }

# has_paths MAP DEV...: the map's table holds exactly these paths
has_paths() {
	_m=$1
	shift
	_t=$(dmsetup table "$_m" 2>/dev/null) || return 1
	_n=0
	for _d in "$@"; do
		case "$_t" in *" $(dev_majmin "$_d") "*) _n=$((_n + 1)) ;; *) return 1 ;; esac
	done
	[ "$(echo "$_t" | grep -o ' [0-9]*:[0-9]* ' | wc -l)" -eq "$_n" ]
}
wait_for 60 has_paths "$wa" "$a1" "$a2" || { logtail; fail "no map of A with $a1 $a2"; }
wait_for 30 has_paths "$wc" "$c1" "$c2" || { logtail; fail "no map of C with $c1 $c2"; }
settle
status_of() { dmsetup status "$1" | tr ' ' '\n' | grep -A1 -x "$(dev_majmin "$2")" | tail -n1; }

# ---- 1. purge_disconnected
t0=$(now)
unmap_lun 2 2
wait_for 30 sh -c "! test -e /sys/block/$c2" || {
	logtail; dmesg | tail -n 20 >&2; fail "$c2 not deleted after its LUN was unmapped"; }
log "LUN C unmapped from port 2 -> $c2 deleted after $(elapsed "$t0" "$(now)") s"
grep -q "$c2: logical unit disconnected, purging the device" $LOGF ||
	{ logtail; fail "no purge of $c2 in the log"; }
# the device may be gone before the daemon's write returned
wait_for 10 grep -q "$c2: disconnected device deleted" $LOGF ||
	{ logtail; fail "no delete of $c2 logged"; }
wait_for 15 has_paths "$wc" "$c1" || { dmsetup table "$wc" >&2; logtail; fail "map of C does not keep $c1 alone"; }
assert_eq "$(status_of "$wc" "$c1")" A "$c1 active in the map of C"
[ "$(grep -c "$c2: logical unit disconnected" $LOGF)" -eq 1 ] || fail "$c2 purged more than once"

# ---- 2. recheck_wwid
# ALUA standby: reads (directio) fail.  B's port group is active, but the
# initiator keeps believing "standby" for the port (scsi_dh_alua rejects
# reads without asking the target) until the rescan, which re-reads the
# VPD pages and the port group states (RTPG) and changes no capacity: no
# unit attention, no uevent, so udev never reports the new WWID and only
# the daemon's recheck can notice it.
echo 2 >"$A/alua/tpg_b/alua_access_state"
wait_for 20 sh -c "[ \"\$(dmsetup status '$wa' | tr ' ' '\n' | grep -A1 -x '$(dev_majmin "$a2")' | tail -n1)\" = F ]" || {
	logtail; fail "$a2 not failed while its port group is in standby"; }
old=$(dev_sysfs_wwid "$a2")
unmap_lun 2 1
map_lun 2 1 3
sleep 3         # reads still fail: the path stays failed in A's map
assert_eq "$(status_of "$wa" "$a2")" F "$a2 in the map of A before the rescan"
echo 1 >"/sys/block/$a2/device/rescan"
new=$(dev_sysfs_wwid "$a2")
log "$a2: kernel WWID $old -> $new after the rescan, $(dev_sectors "$a2") sectors"
if [ "$new" = "$old" ]; then
	log "the kernel does not show the changed WWID of $a2: recheck_wwid left to the unit tests"
	exit 0
fi
assert_eq "$(dev_sectors "$a2")" 32768 "size of $a2 after the rescan"
wb=3${new#naa.}
wait_for 20 grep -q "$a2: WWID changed from $wa to $wb while the path was down" $LOGF || {
	logtail; fail "recheck_wwid did not notice the new WWID of $a2"; }
wait_for 20 has_paths "$wa" "$a1" || { dmsetup table "$wa" >&2; logtail; fail "$a2 still in the map of A"; }
wait_for 20 has_paths "$wb" "$a2" || { dmsetup ls >&2; logtail; fail "no map of B with $a2"; }
assert_eq "$(status_of "$wa" "$a1")" A "$a1 active in the map of A"
assert_eq "$(status_of "$wb" "$a2")" A "$a2 active in the map of B"
if grep -q "$wa: $a2 reinstated" $LOGF; then logtail; fail "$a2 was reinstated in the map of A"; fi
log "recheck_wwid: $a2 moved from $wa to $wb"
