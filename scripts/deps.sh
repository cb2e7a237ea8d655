#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Install what building and testing this project needs, on Debian bookworm.
#
# Idempotent on purpose: every package is checked with dpkg-query first and
# the kernel is looked up in the cache, so a prepared machine does nothing
# and touches no network.  Only the missing pieces are fetched with apt.
#
#   scripts/deps.sh            build deps + VM deps + guest kernel
#   scripts/deps.sh --build    build deps only
#   scripts/deps.sh --vm       VM deps + guest kernel only
#
# The guest kernel (Debian's linux-image-<ver>-amd64) is unpacked into
# ${MP_VM_CACHE:-/var/cache/mpath-vm}/kernel-<ver>/, never into the tree, and
# ${MP_VM_CACHE}/kernel.env names the one to use (KVER, VMLINUZ, MODDIR).

set -euo pipefail

BUILD_DEPS=(libdevmapper-dev libudev-dev libaio-dev libsystemd-dev liburcu-dev
	libcmocka-dev libjson-c-dev libedit-dev pkg-config clang libclang-rt-14-dev
	make gcc)
VM_DEPS=(qemu-system-x86 busybox-static systemd udev sg3-utils dmsetup kmod
	cpio zstd xz-utils fdisk gdisk util-linux e2fsprogs)
VM_OPTIONAL=(nvme-cli)

CACHE=${MP_VM_CACHE:-/var/cache/mpath-vm}
want_build=1 want_vm=1
case "${1:-}" in
--build) want_vm=0 ;;
--vm) want_build=0 ;;
"") ;;
*) echo "usage: $0 [--build|--vm]" >&2; exit 2 ;;
esac

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

log() { echo "deps: $*"; }

is_installed() {
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

updated=0
apt_update() {
	[ $updated = 1 ] && return 0
	log "apt-get update"
	$SUDO apt-get update -qq
	updated=1
}

# A package apt has never heard of (before the first `apt-get update` on a
# fresh image every package looks like that) is retried after an update.
has_candidate() {
	local c
	c=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')
	[ -n "$c" ] && [ "$c" != "(none)" ]
}

install_missing() {
	local missing=() p
	for p in "$@"; do
		is_installed "$p" || missing+=("$p")
	done
	[ ${#missing[@]} = 0 ] && return 0
	apt_update
	log "installing: ${missing[*]}"
	$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
}

install_optional() {
	local p
	for p in "$@"; do
		is_installed "$p" && continue
		has_candidate "$p" || { apt_update; has_candidate "$p"; } || {
			log "optional package $p not available, skipped"
			continue
		}
		install_missing "$p"
	done
}

# Resolve the versioned image package behind the linux-image-amd64
# metapackage, download both and unpack the versioned one.
fetch_kernel() {
	local meta_ver dep kver dir
	if [ -f "$CACHE/kernel.env" ]; then
		# shellcheck disable=SC1091
		. "$CACHE/kernel.env"
		if [ -f "${VMLINUZ:-/nonexistent}" ] && [ -f "${MODDIR:-/nonexistent}/modules.dep" ]; then
			log "kernel $KVER cached in $CACHE"
			return 0
		fi
	fi
	has_candidate linux-image-amd64 || apt_update
	$SUDO mkdir -p "$CACHE/debs"
	dep=$(apt-cache depends linux-image-amd64 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
	if [ -z "$dep" ]; then
		apt_update
		dep=$(apt-cache depends linux-image-amd64 |
			awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
	fi
	[ -n "$dep" ] || { log "cannot resolve linux-image-amd64"; exit 1; }
	log "downloading linux-image-amd64 -> $dep into $CACHE/debs"
	# apt-get download writes into the current directory.
	(cd "$CACHE/debs" && $SUDO apt-get download -q linux-image-amd64 "$dep" 2>&1 |
		grep -v 'unsandboxed' || true)
	local deb
	deb=$(ls -t "$CACHE/debs/${dep}"_*.deb 2>/dev/null | head -n1)
	[ -n "$deb" ] || { log "download of $dep failed"; exit 1; }
	kver=${dep#linux-image-}
	dir="$CACHE/kernel-$kver"
	$SUDO rm -rf "$dir.tmp"
	$SUDO mkdir -p "$dir.tmp"
	$SUDO dpkg-deb -x "$deb" "$dir.tmp"
	$SUDO rm -rf "$dir"
	$SUDO mv "$dir.tmp" "$dir"
	[ -f "$dir/lib/modules/$kver/modules.dep" ] ||
		$SUDO depmod -b "$dir" "$kver"
	$SUDO tee "$CACHE/kernel.env" >/dev/null <<EOF
KVER=$kver
VMLINUZ=$dir/boot/vmlinuz-$kver
MODDIR=$dir/lib/modules/$kver
EOF
	log "kernel $kver unpacked in $dir"
}

if [ $want_build = 1 ]; then
	install_missing "${BUILD_DEPS[@]}"
fi
if [ $want_vm = 1 ]; then
	install_missing "${VM_DEPS[@]}"
	install_optional "${VM_OPTIONAL[@]}"
	fetch_kernel
fi
log "ok"
