#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build the test bed's initramfs: a newc cpio holding static busybox, the
# storage kernel modules of the cached Debian kernel, real systemd-udevd with
# the host's udev rules, the storage tools, the project's `make install` tree
# and the test scripts of tests/vm.  The host is Debian too, so host binaries
# plus their ldd closure run unchanged in the guest.
#
# Everything is staged next to the output file (kept as <out>.tree), never
# in the source tree.  Uncompressed on purpose: TCG decompression costs more boot time
# than copying a few tens of MiB into guest RAM.
#
#   build-initramfs.sh --out FILE [--destdir DIR] [--with-deb PKG]...
#
# --destdir   a `make install DESTDIR=` tree copied into the image root
# --with-deb  a Debian package downloaded (apt-get download, cached in
#             $MP_VM_CACHE/debs) and unpacked into the image, e.g.
#             `--with-deb multipath-tools --with-deb kpartx` for the
#             reference variant.  VM_EXTRA_DEBS="a b" does the same.

set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${MP_VM_CACHE:-/var/cache/mpath-vm}
OUT= DESTDIR_TREE=
DEBS=()
# shellcheck disable=SC2206
[ -n "${VM_EXTRA_DEBS:-}" ] && DEBS+=($VM_EXTRA_DEBS)

while [ $# -gt 0 ]; do
	case "$1" in
	--out) OUT=$2; shift 2 ;;
	--destdir) DESTDIR_TREE=$2; shift 2 ;;
	--with-deb) DEBS+=("$2"); shift 2 ;;
	*) echo "usage: $0 --out FILE [--destdir DIR] [--with-deb PKG]..." >&2; exit 2 ;;
	esac
done
[ -n "$OUT" ] || { echo "build-initramfs: --out is required" >&2; exit 2; }

[ -f "$CACHE/kernel.env" ] || {
	echo "build-initramfs: no kernel in $CACHE; run 'make deps' first" >&2
	exit 1
}
# shellcheck disable=SC1091
. "$CACHE/kernel.env"
KROOT=${MODDIR%/lib/modules/*}

MODULES=(dm-mod dm-multipath dm-round-robin dm-service-time dm-queue-length
	dm-historical-service-time scsi_mod sd_mod sg scsi_debug
	scsi_dh_alua scsi_dh_rdac scsi_dh_emc scsi_dh_hp_sw loop
	target_core_mod target_core_file target_core_iblock tcm_loop configfs
	nvme-core nvme-fabrics nvme-tcp nvmet nvmet-tcp null_blk
	crc32c_generic crc64_rocksoft_generic crct10dif_generic libcrc32c
	ext4)

# Binaries looked up on the host; missing optional ones are only reported.
BINS=(udevadm dmsetup kmod blockdev sfdisk sgdisk losetup blkid lsblk dd
	mkfs.ext4 e2fsck nvme sg_inq sg_vpd sg_rtpg sg_turs sg_readcap sg_stpg
	sg_sat_identify sg_persist sg_raw sg_map sg_reset sg_logs sg_start
	sg_ses sg_rdac sg_senddiag sg_modes sg_requests sg_luns sg_dd
	sg_verify strace)

TREE=$OUT.tree
log() { echo "build-initramfs: $*"; }

is_elf() {
	local m
	LC_ALL=C read -r -n 4 m <"$1" 2>/dev/null || true
	[ "$m" = $'\x7fELF' ]
}

# Copy one host file to the same path in the tree, following symlinks so
# argv[0]-dispatching tools (systemd-udevd -> udevadm) keep their name.
put() {
	local src=$1 dst=${2:-$1}
	mkdir -p "$TREE$(dirname "$dst")"
	rm -f "$TREE$dst"
	cp -L "$src" "$TREE$dst"
}

declare -A LIBS_DONE=()
# Copy the shared libraries and the loader an ELF needs, as ldd resolves
# them.  Libraries already inside the tree (from an unpacked .deb) are found
# through LD_LIBRARY_PATH and skipped.
add_libs() {
	local f=$1 line lib
	is_elf "$f" || return 0
	while read -r line; do
		case "$line" in
		*"not found"*) log "WARNING: $f: $line" ; continue ;;
		*"=> "/*) lib=${line#*=> }; lib=${lib%% (*} ;;
		/*) lib=${line%% (*} ;;
		*) continue ;;
		esac
		case "$lib" in "$TREE"/*) continue ;; esac
		[ -n "${LIBS_DONE[$lib]:-}" ] && continue
		LIBS_DONE[$lib]=1
		put "$lib"
	done < <(LD_LIBRARY_PATH=$TREE_LIBPATH ldd "$f" 2>/dev/null || true)
}

add_bin() {
	local name=$1 path
	path=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v "$name" 2>/dev/null) || {
		log "optional tool $name not on host, skipped"
		return 0
	}
	path=$(readlink -f "$path")
	# Keep the name the tool was asked for (kmod, udevadm dispatch on it).
	put "$path" "$(dirname "$path")/$name"
	add_libs "$path"
}

make_skeleton() {
	rm -rf "$TREE"
	mkdir -p "$TREE"/{usr/bin,usr/sbin,usr/lib,usr/lib64,etc,proc,sys,dev,run,tmp,root,var,mnt}
	ln -s usr/bin "$TREE/bin"
	ln -s usr/sbin "$TREE/sbin"
	ln -s usr/lib "$TREE/lib"
	ln -s usr/lib64 "$TREE/lib64"
	ln -s ../run "$TREE/var/run"
	mkdir -p "$TREE/var/lib" "$TREE/var/tmp" "$TREE/etc/udev" "$TREE/etc/nvme"
	if [ "$(id -u)" = 0 ]; then
		mknod -m 600 "$TREE/dev/console" c 5 1
		mknod -m 666 "$TREE/dev/null" c 1 3
	fi
	cat >"$TREE/etc/passwd" <<-'EOF'
	root:x:0:0:root:/root:/bin/sh
	nobody:x:65534:65534:nobody:/nonexistent:/bin/false
	EOF
	local g gid=100 groups="disk cdrom tape dialout floppy audio video input kvm render sgx lp tty kmem utmp"
	echo "root:x:0:" >"$TREE/etc/group"
	for g in $groups; do
		echo "$g:x:$gid:" >>"$TREE/etc/group"
		gid=$((gid + 1))
	done
	echo "nogroup:x:65534:" >>"$TREE/etc/group"
	printf '/usr/lib/x86_64-linux-gnu\n/lib/x86_64-linux-gnu\n/usr/local/lib\n' \
		>"$TREE/etc/ld.so.conf"
	echo mptest >"$TREE/etc/hostname"
	# nvme-cli wants a host NQN/ID; fixed values keep runs reproducible.
	echo "nqn.2014-08.org.nvmexpress:uuid:6d707465-7374-4000-8000-000000000001" \
		>"$TREE/etc/nvme/hostnqn"
	echo "6d707465-7374-4000-8000-000000000001" >"$TREE/etc/nvme/hostid"
	: >"$TREE/etc/fstab"
	ln -sf /proc/self/mounts "$TREE/etc/mtab"
}

add_busybox() {
	local bb=/bin/busybox a
	put "$bb" /usr/bin/busybox
	# Applets only where no real tool was installed.
	while read -r a; do
		[ -e "$TREE/$a" ] || [ -L "$TREE/$a" ] && continue
		mkdir -p "$TREE/$(dirname "$a")"
		ln -s /usr/bin/busybox "$TREE/$a"
	done < <("$bb" --list-full)
}

add_kmod_links() {
	local t
	for t in modprobe insmod rmmod lsmod modinfo depmod; do
		ln -sf ../bin/kmod "$TREE/usr/sbin/$t"
	done
}

add_udev() {
	local f
	put /usr/bin/udevadm /usr/lib/systemd/systemd-udevd
	add_libs /usr/bin/udevadm
	mkdir -p "$TREE/usr/lib/udev"
	cp -a /usr/lib/udev/. "$TREE/usr/lib/udev/"
	[ -d /etc/udev ] && cp -a /etc/udev/. "$TREE/etc/udev/"
	rm -rf "$TREE/etc/udev/rules.d"/*
	# The hardware database only names PCI/USB vendors: 20 MiB not needed.
	rm -rf "$TREE/usr/lib/udev/hwdb.d" "$TREE/usr/lib/udev/hwdb.bin" "$TREE/etc/udev/hwdb.bin"
	while IFS= read -r -d '' f; do
		add_libs "$f"
	done < <(find "$TREE/usr/lib/udev" -maxdepth 1 -type f -print0)
}

add_modules() {
	local m line mod n=0
	local dst="$TREE/usr/lib/modules/$KVER"
	mkdir -p "$dst"
	for m in "${MODULES[@]}"; do
		if ! out=$(modprobe -d "$KROOT" -S "$KVER" --show-depends "$m" 2>&1); then
			log "module $m not in kernel $KVER, skipped"
			continue
		fi
		while read -r line; do
			case "$line" in
			insmod\ *) mod=${line#insmod }; mod=${mod%% *} ;;
			*) continue ;;
			esac
			local rel=${mod#"$MODDIR"/}
			[ -f "$dst/$rel" ] && continue
			mkdir -p "$dst/$(dirname "$rel")"
			cp "$mod" "$dst/$rel"
			n=$((n + 1))
		done <<<"$out"
	done
	cp "$MODDIR"/modules.order "$MODDIR"/modules.builtin* "$dst/" 2>/dev/null || true
	depmod -b "$TREE" "$KVER"
	log "$n kernel modules from $KVER"
}

# Unpack a .deb into a scratch dir, then merge it: a tar extraction straight
# into the tree would replace the merged-/usr symlinks with directories.
add_deb() {
	local pkg=$1 deb x d
	mkdir -p "$CACHE/debs"
	deb=$(ls -t "$CACHE/debs/${pkg}"_*.deb 2>/dev/null | head -n1 || true)
	if [ -z "$deb" ]; then
		log "downloading $pkg"
		(cd "$CACHE/debs" && apt-get download -q "$pkg" 2>&1 | grep -v unsandboxed || true)
		deb=$(ls -t "$CACHE/debs/${pkg}"_*.deb 2>/dev/null | head -n1 || true)
		[ -n "$deb" ] || { log "cannot download $pkg"; exit 1; }
	fi
	x=$(mktemp -d)
	dpkg-deb -x "$deb" "$x"
	for d in bin sbin lib lib64; do
		if [ -d "$x/$d" ] && [ ! -L "$x/$d" ]; then
			mkdir -p "$x/usr/$d"
			cp -a "$x/$d/." "$x/usr/$d/"
			rm -rf "${x:?}/$d"
		fi
	done
	cp -a "$x/." "$TREE/"
	rm -rf "$x"
	log "unpacked $(basename "$deb")"
}

# Debian's busybox is built with FEATURE_SH_STANDALONE + PREFER_APPLETS: its
# sh runs an applet (modprobe, dd, losetup...) even when PATH has the real
# tool.  Shell functions win over applets, so shadow each such applet by a
# function calling the real binary; init.sh and lib.sh source this file.
write_tool_shims() {
	local f n applets
	applets=" $(/bin/busybox --list | tr '\n' ' ') "
	{
		echo "# Generated by build-initramfs.sh: real tools over busybox applets."
		for f in "$TREE"/usr/sbin/* "$TREE"/usr/bin/*; do
			n=${f##*/}
			case "$applets" in *" $n "*) ;; *) continue ;; esac
			[ "$(readlink "$f")" = /usr/bin/busybox ] && continue
			[ "$n" = busybox ] && continue
			case "$n" in *[!A-Za-z0-9_]*) continue ;; esac
			echo "$n() { ${f#"$TREE"} \"\$@\"; }"
		done
	} >"$TREE/mptest/tools.sh"
}

add_tests() {
	mkdir -p "$TREE/mptest/scenarios"
	cp "$HERE/init.sh" "$TREE/init"
	cp "$HERE/runner.sh" "$HERE/lib.sh" "$HERE/demo.sh" "$TREE/mptest/"
	cp "$HERE"/scenarios/*.sh "$TREE/mptest/scenarios/" 2>/dev/null || true
	chmod 755 "$TREE/init" "$TREE"/mptest/*.sh
}

# The final pass runs ldd over every ELF that came from the install tree
# or a .deb, so their libraries come along even if they were not listed.
add_all_libs() {
	local f
	while IFS= read -r -d '' f; do
		add_libs "$f"
	done < <(find "$TREE/usr" "$TREE/etc" -path "$TREE/usr/lib/modules" -prune -o \
		-type f -perm /111 -print0 -o -type f -name '*.so*' -print0)
}

t0=$EPOCHREALTIME
mkdir -p "$(dirname "$OUT")"
OUT=$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")
# A private staging dir, renamed to <out>.tree at the end (kept for
# inspection): two builds in one work tree must not share it.
STAGE=$OUT.tree.tmp.$$
TREE=$STAGE
trap 'rm -rf "$STAGE" "$OUT.tmp.$$"' EXIT
TREE_LIBPATH="$TREE/usr/lib/x86_64-linux-gnu:$TREE/usr/lib:$TREE/usr/lib/multipath:$TREE/usr/lib/x86_64-linux-gnu/multipath"
make_skeleton
for b in "${BINS[@]}"; do add_bin "$b"; done
add_kmod_links
add_udev
add_modules
if [ -n "$DESTDIR_TREE" ]; then
	[ -d "$DESTDIR_TREE" ] || { log "no install tree $DESTDIR_TREE"; exit 1; }
	# The install tree may use /sbin etc.; fold it into merged /usr like debs.
	for d in bin sbin lib lib64; do
		if [ -d "$DESTDIR_TREE/$d" ] && [ ! -L "$DESTDIR_TREE/$d" ]; then
			cp -a "$DESTDIR_TREE/$d/." "$TREE/usr/$d/"
		fi
	done
	(cd "$DESTDIR_TREE" && find . -mindepth 1 -maxdepth 1 \
		! -name bin ! -name sbin ! -name lib ! -name lib64 -exec cp -a {} "$TREE/" \;)
fi
for p in "${DEBS[@]}"; do add_deb "$p"; done
add_busybox
add_tests
write_tool_shims
add_all_libs
ldconfig -r "$TREE" 2>/dev/null || log "ldconfig -r failed (not root?); relying on default paths"
(cd "$TREE" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --owner=0:0 --quiet) >"$OUT.tmp.$$"
mv -f "$OUT.tmp.$$" "$OUT"
rm -rf "$OUT.tree"
mv "$TREE" "$OUT.tree"
TREE=$OUT.tree
t1=$EPOCHREALTIME
log "$OUT: $(du -h "$OUT" | cut -f1), $(find "$TREE" | wc -l) entries, kernel $KVER," \
	"built in $(awk "BEGIN{printf \"%.1f\", $t1 - $t0}") s"
