# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 600
#
# kpartx on a real kernel: a scsi_debug disk under a hand-made multipath
# map, partitioned with sfdisk (GPT, then DOS with logical partitions);
# -l output, -a maps with the right sizes, offsets and UUIDs, data written
# through a partition map found at the right place of the parent, -u after
# adding and deleting partitions, -d refusing a map that is held open,
# image files through a loop device, and the udev rule for mpath- maps.

KPARTX=/usr/sbin/kpartx
[ -x $KPARTX ] || fail "no $KPARTX in the image"

set -- $(sdebug_start add_host=1 num_tgts=1 dev_size_mb=64)
disk=$1
mm=$(dev_majmin "$disk")
size=$(dev_sectors "$disk")
log "disk $disk ($mm, $size sectors)"

# A UUID that does not start with mpath-: the udev rule must leave it alone.
assert with_timeout 30 dmsetup create kptest --uuid KPTEST-0001 \
	--table "0 $size multipath 0 0 1 1 round-robin 0 1 1 $mm 1000"
settle
assert wait_for 10 test -b /dev/mapper/kptest
map=/dev/mapper/kptest
dmn=$(basename "$(readlink -f $map)")

sfd() { sfdisk -q --no-reread --no-tell-kernel "$@" >&2; }
getsz() { blockdev --getsz "/dev/mapper/$1"; }
uuid_of() { dmsetup info -c --noheadings -o uuid "$1"; }
exists() { dmsetup info "$1" >/dev/null 2>&1; }
# pattern NAME OFFSET: write 4 KiB through map NAME, read it back from the
# parent at OFFSET (512-byte sectors).
pattern() {
	printf 'kpartx-40-%s' "$1" | dd of=/tmp/pat bs=4096 conv=sync 2>/dev/null
	assert dd if=/tmp/pat of="/dev/mapper/$1" bs=4096 count=1 oflag=direct conv=fsync 2>/dev/null
	got=$(dd if=$map bs=512 skip="$2" count=8 iflag=direct 2>/dev/null | head -c $((10 + ${#1})))
	assert_eq "$got" "kpartx-40-$1" "data of $1 at parent sector $2"
}

# ---- GPT
printf 'label: gpt\nstart=2048,size=8192\nstart=10240,size=16384\n' | sfd $map ||
	fail "sfdisk gpt"
out=$($KPARTX -l $map)
log "kpartx -l: $out"
assert_eq "$out" "kptest1 : 0 8192 /dev/$dmn 2048
kptest2 : 0 16384 /dev/$dmn 10240" "kpartx -l on GPT"

assert $KPARTX -a -p -part $map
settle
assert exists kptest-part1
assert exists kptest-part2
assert_eq "$(getsz kptest-part1)" 8192 "size of part1"
assert_eq "$(getsz kptest-part2)" 16384 "size of part2"
assert_eq "$(uuid_of kptest-part1)" part1-KPTEST-0001 "uuid of part1"
assert_match "$(dmsetup table kptest-part2)" "0 16384 linear $(dev_majmin "$dmn") 10240" "table of part2"
pattern kptest-part1 2048
pattern kptest-part2 10240
# 11-dm-parts.rules gives partition maps their number
assert_eq "$(udevadm info --query=property --name=/dev/mapper/kptest-part2 | sed -n 's/^DM_PART=//p')" 2 "DM_PART of kptest-part2"
assert test -L /dev/disk/by-id/dm-part2-uuid-part2-KPTEST-0001
# -a again is a no-op
assert $KPARTX -a -p -part $map

# ---- -u: a partition appears, one disappears
printf 'start=30720,size=4096\n' | sfd --append $map || fail "sfdisk --append"
assert $KPARTX -u -p -part $map
settle
assert exists kptest-part3
assert_eq "$(getsz kptest-part3)" 4096 "size of new part3"
sfd --delete $map 1 || fail "sfdisk --delete 1"
assert $KPARTX -u -p -part $map
settle
exists kptest-part1 && fail "kpartx -u kept the map of deleted partition 1"
assert exists kptest-part2

# ---- -d refuses an open map
exec 3</dev/mapper/kptest-part2
if msg=$($KPARTX -d -p -part $map 2>&1); then
	fail "kpartx -d succeeded although kptest-part2 is open"
fi
log "kpartx -d with an open map: $msg"
assert_match "$msg" "*in use*" "message for an open map"
assert exists kptest-part2
exists kptest-part3 && fail "kpartx -d did not remove the unused part3"
exec 3<&-
assert $KPARTX -d -p -part $map
settle
exists kptest-part2 && fail "kptest-part2 left after kpartx -d"

# ---- DOS with logical partitions, default delimiter
printf 'label: dos\nstart=2048,size=8192,type=83\nstart=10240,size=40960,type=5\nstart=12288,size=4096\nstart=18432,size=8192\n' |
	sfd --wipe always $map || fail "sfdisk dos"
out=$($KPARTX -l $map)
log "kpartx -l: $out"
assert_eq "$out" "kptest1 : 0 8192 /dev/$dmn 2048
kptest2 : 0 2 /dev/$dmn 10240
kptest5 : 0 4096 /dev/$dmn 12288
kptest6 : 0 8192 /dev/$dmn 18432" "kpartx -l on DOS"
assert $KPARTX -a $map
settle
for p in 1 2 5 6; do assert exists kptest$p; done
assert_eq "$(getsz kptest5)" 4096 "size of logical 5"
assert_eq "$(getsz kptest6)" 8192 "size of logical 6"
pattern kptest6 18432
assert $KPARTX -d $map
settle
for p in 1 2 5 6; do exists kptest$p && fail "kptest$p left after -d"; done

# ---- BSD disklabel inside DOS slice 1 (type a5): sub-partitions 5 and 6
# are stacked on the slice's map
printf 'label: dos\nstart=2048,size=8192,type=a5\nstart=10240,size=2048,type=83\n' |
	sfd --wipe always $map || fail "sfdisk dos with a5"
L=$((2049 * 512))
assert dd if=/dev/zero of=$map bs=512 seek=2049 count=1 conv=notrunc 2>/dev/null
wr() { printf "$2" | dd of=$map bs=1 seek="$1" conv=notrunc 2>/dev/null || fail "write label"; }
wr $L '\127\105\126\202'
wr $((L + 132)) '\127\105\126\202'
wr $((L + 138)) '\002'
wr $((L + 149)) '\004'          # a: size 1024
wr $((L + 152)) '\020\010'      # a: offset 2064
wr $((L + 165)) '\010'          # b: size 2048
wr $((L + 169)) '\020'          # b: offset 4096
sync
blockdev --flushbufs $map
out=$($KPARTX -l $map)
log "kpartx -l: $out"
assert_eq "$out" "kptest1 : 0 8192 /dev/$dmn 2048
kptest2 : 0 2048 /dev/$dmn 10240
kptest5 : 0 1024 /dev/$dmn 2064
kptest6 : 0 2048 /dev/$dmn 4096" "kpartx -l on DOS with a BSD label"
assert $KPARTX -a $map
settle
assert_match "$(dmsetup table kptest5)" "0 1024 linear $(dev_majmin "$(basename "$(readlink -f /dev/mapper/kptest1)")") 16" "kptest5 stacked on kptest1"
pattern kptest5 2064
pattern kptest6 4096
assert $KPARTX -d $map
settle
for p in 1 2 5 6; do exists kptest$p && fail "kptest$p left after -d"; done

# ---- read-only maps
assert $KPARTX -a -r $map
settle
assert_eq "$(blockdev --getro /dev/mapper/kptest1)" 1 "read-only map"
assert $KPARTX -d $map

# ---- image file through a loop device
modprobe loop 2>/dev/null
wait_for 10 test -c /dev/loop-control || fail "no /dev/loop-control"
dd if=/dev/zero of=/tmp/kp.img bs=1M count=0 seek=16 2>/dev/null
printf 'label: gpt\nstart=2048,size=4096\nstart=8192,size=4096\n' | sfdisk -q /tmp/kp.img >&2 ||
	fail "sfdisk on image"
out=$($KPARTX -l /tmp/kp.img)
assert_eq "$out" "kp.img1 : 0 4096 /tmp/kp.img 2048
kp.img2 : 0 4096 /tmp/kp.img 8192" "kpartx -l on an unattached image"
out=$($KPARTX -av /tmp/kp.img)
log "kpartx -av: $out"
lo=$(losetup -j /tmp/kp.img | cut -d: -f1)
assert_match "$lo" "/dev/loop*" "loop device of the image"
lon=${lo#/dev/}
settle
assert exists "${lon}p1"
assert exists "${lon}p2"
assert_eq "$(getsz "${lon}p2")" 4096 "size of ${lon}p2"
assert $KPARTX -d /tmp/kp.img
settle
exists "${lon}p1" && fail "${lon}p1 left after -d"
assert_eq "$(losetup -j /tmp/kp.img)" "" "loop device detached"
rm -f /tmp/kp.img

# ---- the udev rule: a map with an mpath- UUID gets -part maps by itself
printf 'label: gpt\nstart=2048,size=8192\n' | sfd --wipe always $map || fail "sfdisk"
assert with_timeout 30 dmsetup create kprule --uuid mpath-KPTEST-RULE \
	--table "0 $size multipath 0 0 1 1 round-robin 0 1 1 $mm 1000"
settle
if [ -e /usr/lib/udev/rules.d/66-kpartx.rules ]; then
	wait_for 10 test -b /dev/mapper/kprule-part1 ||
		fail "udev rule did not create kprule-part1"
	assert_eq "$(uuid_of kprule-part1)" part1-mpath-KPTEST-RULE "uuid of kprule-part1"
	# skip_kpartx: DM_SUBSYSTEM_UDEV_FLAG1 keeps the rule away
	assert $KPARTX -d -p -part /dev/mapper/kprule
else
	log "66-kpartx.rules not installed; udev part not checked"
fi
dmsetup remove kptest >&2
dmsetup remove kprule >&2

# ---- 4096-byte sectors, non-DM parent: names sdX1, no UUID, -d by name
set -- $(sdebug_start sector_size=4096 dev_size_mb=64)
disk=$1
assert_eq "$(blockdev --getss /dev/$disk)" 4096 "logical sector size"
# sizes in 4 KiB sectors; sfdisk picks the starts.  The kernel's own
# partitions (sysfs start/size, 512-byte units) are the reference.
printf 'label: gpt\nsize=1024\nsize=2048\n' |
	sfdisk -q /dev/$disk >&2 || fail "sfdisk on the 4k disk"
settle
ks() { cat "/sys/block/$disk/$disk$1/$2"; }
assert wait_for 10 test -e "/sys/block/$disk/${disk}2"
assert_eq "$(ks 2 size)" 16384 "kernel's size of ${disk}2"
out=$($KPARTX -l /dev/$disk)
log "kpartx -l: $out"
assert_eq "$out" "${disk}1 : 0 $(ks 1 size) /dev/$disk $(ks 1 start)
${disk}2 : 0 $(ks 2 size) /dev/$disk $(ks 2 start)" "kpartx -l with 4096-byte sectors"
assert $KPARTX -a /dev/$disk
settle
assert_eq "$(getsz ${disk}2)" 16384 "size of ${disk}2"
assert_eq "$(uuid_of ${disk}2)" "" "uuid of a non-DM parent's partition"
pattern_dev() {
	printf 'kpartx-40-%s' "$1" | dd of=/tmp/pat bs=4096 conv=sync 2>/dev/null
	assert dd if=/tmp/pat of="/dev/mapper/$1" bs=4096 count=1 oflag=direct conv=fsync 2>/dev/null
	got=$(dd if=/dev/$disk bs=4096 skip=$(($2 / 8)) count=1 iflag=direct 2>/dev/null | head -c $((10 + ${#1})))
	assert_eq "$got" "kpartx-40-$1" "data of $1 at parent sector $2"
}
pattern_dev ${disk}2 "$(ks 2 start)"
assert $KPARTX -d /dev/$disk
settle
exists ${disk}1 && fail "${disk}1 left after -d"
log "kpartx scenario done"
