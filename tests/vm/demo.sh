#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# `make demo`: a small simulated SAN in the guest and, when the image has a
# multipathd, a failover watched through it.
#   - scsi_debug: 2 hosts x 2 LUNs  -> 2 LUNs with 2 paths each
#   - LIO tcm_loop: 1 ALUA LUN with 2 paths (tpg_a optimized, tpg_b
#     non-optimized)
# Without multipathd (the project's or Debian's) it builds one map by hand
# with dmsetup and shows the same failover at the device-mapper level.

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
MPTEST_RESULT=/tmp/demo.result
. /mptest/lib.sh

banner() { printf '\n======== %s\n' "$*"; }

# lsscsi-like listing straight from sysfs.
show_san() {
	printf '%-10s %-6s %-8s %-16s %-9s %-8s %-22s %s\n' \
		'[H:C:T:L]' DEV VENDOR MODEL STATE SIZE ACCESS_STATE WWID
	for d in /sys/class/scsi_disk/*; do
		[ -e "$d" ] || continue
		hctl=${d##*/}
		dev=/sys/class/scsi_disk/$hctl/device
		blk=$(ls "$dev/block" 2>/dev/null | head -n1)
		[ -n "$blk" ] || continue
		printf '%-10s %-6s %-8s %-16s %-9s %-8s %-22s %s\n' "[$hctl]" "$blk" \
			"$(cat "$dev/vendor" | tr -d ' ')" "$(cat "$dev/model" | sed 's/ *$//')" \
			"$(cat "$dev/state")" "$(($(dev_sectors "$blk") / 2048))MiB" \
			"$(cat "$dev/access_state" 2>/dev/null || echo -)" "$(dev_sysfs_wwid "$blk")"
	done
}

find_mpd() {
	for p in /usr/sbin/multipathd /sbin/multipathd; do
		[ -x "$p" ] && { echo "$p"; return 0; }
	done
	return 1
}

nmaps() { dmsetup ls --target multipath 2>/dev/null | grep -vc 'No devices'; }
# Maps the daemon itself reports (it may still be settling after dm has them).
mpd_maps() { multipathd show maps 2>/dev/null | grep -c ' dm-[0-9]'; }
have_maps() { [ "$(mpd_maps)" -ge "$1" ]; }
path_failed_in_mpd() { multipathd show paths 2>/dev/null | grep "$1" | grep -q failed; }
path_active_in_mpd() { multipathd show paths 2>/dev/null | grep "$1" | grep -q active; }

demo_multipathd() {
	mpd=$1
	cat >/etc/multipath.conf <<-'EOF'
	defaults {
		user_friendly_names yes
		find_multipaths no
		polling_interval 2
	}
	EOF
	dm_multipath_load
	banner "starting $mpd -d -v3"
	"$mpd" -d -v3 >/tmp/multipathd.log 2>&1 &
	wait_for 60 have_maps 3 || {
		echo "multipathd reports $(mpd_maps) maps ($(nmaps) in dm) after 60s; its log:"
		tail -n 40 /tmp/multipathd.log
	}
	banner "multipathd show topology"
	multipathd show topology
	if have multipath; then banner "multipath -ll"; multipath -ll; fi

	victim=$(sdebug_disks | head -n1)
	banner "path_offline $victim (cable pull)"
	path_offline "$victim"
	dev_read "$victim" || true
	wait_for 30 path_failed_in_mpd "$victim" || echo "(multipathd did not report $victim failed in 30s)"
	multipathd show topology
	banner "path_online $victim"
	path_online "$victim"
	wait_for 30 path_active_in_mpd "$victim" || echo "(multipathd did not reinstate $victim in 30s)"
	multipathd show topology
	banner "last lines of the multipathd log"
	tail -n 15 /tmp/multipathd.log
	multipathd shutdown >/dev/null 2>&1 || true
}

demo_dmsetup() {
	set -- $(sdebug_paths_for_wwid "$(dev_sysfs_wwid "$(sdebug_disks | head -n1)")")
	a=$1 b=$2
	table="0 $(dev_sectors "$a") multipath 0 0 2 1 round-robin 0 1 1 $(dev_majmin "$a") 1000 round-robin 0 1 1 $(dev_majmin "$b") 1000"
	banner "no multipathd in the image: a map by hand"
	echo "dmsetup create demo --table '$table'"
	dmsetup create demo --table "$table"
	dmsetup status demo
	banner "path_offline $a + fail_path"
	path_offline "$a"
	dmsetup message demo 0 fail_path "$(dev_majmin "$a")"
	dmsetup status demo
	dd if=/dev/mapper/demo of=/dev/null bs=4096 count=16 iflag=direct 2>&1 | tail -n1
	banner "path_online $a + reinstate_path"
	path_online "$a"
	dmsetup message demo 0 reinstate_path "$(dev_majmin "$a")"
	dmsetup status demo
	dmsetup remove demo
}

banner "building the SAN"
sdebug_start add_host=2 num_tgts=1 max_luns=2 vpd_use_hostno=0 dev_size_mb=32 >/dev/null
tcm_alua_setup fileio 32 >/dev/null
tcm_alua_set_state b active/nonoptimized
for d in $(tcm_disk 1) $(tcm_disk 2); do sg_turs /dev/"$d" >/dev/null 2>&1; done
sleep 1
banner "the SAN (from sysfs)"
show_san
banner "LUNs by WWID"
for d in /sys/block/sd*; do dev_sysfs_wwid "${d##*/}"; done | sort -u | while read -r w; do
	echo "$w: $(sdebug_paths_for_wwid "$w" | tr '\n' ' ')"
done

if mpd=$(find_mpd); then
	demo_multipathd "$mpd"
else
	demo_dmsetup
fi
banner "cleanup"
cleanup_all && echo "SAN torn down"
echo "DEMO DONE"
