# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
#
# Helpers for the VM scenarios (busybox sh).  Sourced by runner.sh before
# every scenario.  Three storage simulators, all in the guest kernel:
#   scsi_debug  sdebug_*       N hosts x M LUNs, same WWID on every host
#   LIO         tcm_alua_*     tcm_loop: one LUN, two target ports, two ALUA
#                              target port groups whose state we set
#   NVMe/TCP    nvmet_tcp_*    nvmet on 127.0.0.1, two ports -> two
#                              controllers, one namespace (ANA groups)
# Conventions: helpers print results on stdout and chatter (log) on stderr,
# every wait has a timeout, assertions exit the scenario with
# `ASSERT FAILED: ...`, which the runner reports.

# ---------------------------------------------------------------- basics

# Real modprobe/dd/losetup... instead of busybox applets (see tools.sh).
[ -r /mptest/tools.sh ] && . /mptest/tools.sh

now() { cut -d' ' -f1 /proc/uptime; }
elapsed() { awk "BEGIN { printf \"%.2f\", $2 - $1 }"; }
log() { echo "[$(now)] $*" >&2; }

# fail/skip may run inside $(...), where exit would only leave the
# subshell: they record the verdict in $MPTEST_RESULT (first line wins)
# and signal the scenario's top shell ($$ is the same in subshells).
MPTEST_RESULT=${MPTEST_RESULT:-/tmp/mptest.result}

_in_subshell() { [ "$(exec sh -c 'echo $PPID')" != "$$" ]; }

fail() {
	echo "ASSERT FAILED: $*" >&2
	echo "ASSERT FAILED: $*" >>"$MPTEST_RESULT"
	_in_subshell && kill -TERM $$ 2>/dev/null
	exit 1
}

skip() {
	echo "SKIP: $*" >&2
	echo "SKIP: $*" >>"$MPTEST_RESULT"
	_in_subshell && kill -TERM $$ 2>/dev/null
	exit 77
}

# assert CMD [ARGS...]: the command must succeed.
assert() {
	"$@" || fail "$*"
}

# assert_eq ACTUAL EXPECTED [WHAT]
assert_eq() {
	[ "$1" = "$2" ] || fail "${3:-value}: expected '$2', got '$1'"
}

# assert_ne ACTUAL UNEXPECTED [WHAT]
assert_ne() {
	[ "$1" != "$2" ] || fail "${3:-value}: did not expect '$2'"
}

# assert_match STRING GLOB [WHAT]
assert_match() {
	# shellcheck disable=SC2254
	case "$1" in $2) return 0 ;; esac
	fail "${3:-value}: '$1' does not match '$2'"
}

# wait_for TIMEOUT_S CMD [ARGS...]: poll every 0.2 s until CMD succeeds;
# returns 1 (and says so) when the timeout expires.
wait_for() {
	_wf_t=$1
	shift
	_wf_end=$(awk "BEGIN { print $(now) + $_wf_t }")
	while ! "$@" >/dev/null 2>&1; do
		if awk "BEGIN { exit !($(now) >= $_wf_end) }"; then
			log "timeout after ${_wf_t}s waiting for: $*"
			return 1
		fi
		sleep 0.2
	done
	return 0
}

have() { command -v "$1" >/dev/null 2>&1; }

settle() { udevadm settle --timeout="${1:-30}" || log "udevadm settle timed out"; }

# Run a command with a hard timeout (busybox timeout).
with_timeout() {
	_wt=$1
	shift
	timeout "$_wt" "$@"
}

# ---------------------------------------------------------------- block devs

dev_majmin() { cat "/sys/block/$1/dev"; }
dev_sectors() { cat "/sys/block/$1/size"; }
# WWID as the kernel reports it (naa./eui./uuid./t10. form), trailing blanks cut.
dev_sysfs_wwid() {
	if [ -r "/sys/block/$1/device/wwid" ]; then
		sed 's/[[:space:]]*$//' "/sys/block/$1/device/wwid"
	else
		sed 's/[[:space:]]*$//' "/sys/block/$1/wwid" 2>/dev/null
	fi
}
# udev's view of a device property, e.g. udev_prop sda ID_SERIAL
udev_prop() {
	udevadm info --query=property --name="/dev/$1" 2>/dev/null |
		sed -n "s/^$2=//p"
}
# Read N KiB at offset 0 with O_DIRECT, the way a path checker would.
dev_read() {
	dd if="/dev/$1" of=/dev/null bs=4096 count="${2:-16}" iflag=direct 2>/dev/null
}
scsi_state() { cat "/sys/block/$1/device/state"; }

# ---------------------------------------------------------------- scsi_debug

SDEBUG=/sys/bus/pseudo/drivers/scsi_debug

# The sd names behind scsi_debug, in host/target/LUN order.
sdebug_disks() {
	for _d in $SDEBUG/adapter*/host*/target*/*:*/block/*; do
		[ -e "$_d" ] && echo "${_d##*/}"
	done
}

_sdebug_count() { [ "$(sdebug_disks | wc -l)" -ge "$1" ]; }

# sdebug_start PARAM=VAL...: load scsi_debug (e.g. add_host=2 num_tgts=1
# vpd_use_hostno=0 dev_size_mb=16), wait for all disks and udev, print
# the sd names.  vpd_use_hostno=0 gives the same LUN the same WWID on
# every host, i.e. one LUN with add_host paths.  Beware: scsi_debug then
# reports implicit ALUA with the state taken from the SCSI host number,
# host_no % 3 = 0 active/optimized, 1 active/non-optimized, 2 standby
# (scsi_dh_alua fails I/O there), so a third path is usually a standby one.
sdebug_start() {
	_h=1 _t=1 _l=1
	for _a in "$@"; do
		case "$_a" in
		add_host=*) _h=${_a#*=} ;;
		num_tgts=*) _t=${_a#*=} ;;
		max_luns=*) _l=${_a#*=} ;;
		esac
	done
	loaded scsi_debug && sdebug_stop
	modprobe sd_mod
	modprobe sg
	modprobe scsi_debug "$@" || fail "modprobe scsi_debug $*"
	wait_for 30 _sdebug_count $((_h * _t * _l)) ||
		fail "scsi_debug: expected $((_h * _t * _l)) disks, have: $(sdebug_disks | tr '\n' ' ')"
	settle
	sdebug_disks
}

# sdebug_add_hosts N: add N more hosts (paths); print the new sd names.
sdebug_add_hosts() {
	_before=$(sdebug_disks | wc -l)
	_per=$(( $(cat /sys/module/scsi_debug/parameters/num_tgts) * \
		$(cat /sys/module/scsi_debug/parameters/max_luns) ))
	[ "$_per" -gt 0 ] || _per=1
	echo "$1" >$SDEBUG/add_host || fail "scsi_debug add_host $1"
	wait_for 30 _sdebug_count $((_before + $1 * _per)) || fail "new scsi_debug disks"
	settle
	sdebug_disks | tail -n $(($1 * _per))
}

sdebug_stop() {
	loaded scsi_debug || return 0
	settle
	for _i in 1 2 3 4 5 6 7 8 9 10; do
		loaded scsi_debug || return 0
		rmmod scsi_debug 2>/dev/null && return 0
		sleep 0.5
	done
	log "scsi_debug still loaded"
	return 1
}

# sdebug_paths_for_wwid WWID: sd names whose WWID (sysfs or udev
# ID_SERIAL form) is WWID.
sdebug_paths_for_wwid() {
	for _d in /sys/block/sd*; do
		[ -e "$_d" ] || continue
		_n=${_d##*/}
		if [ "$(dev_sysfs_wwid "$_n")" = "$1" ] || [ "$(udev_prop "$_n" ID_SERIAL)" = "$1" ]; then
			echo "$_n"
		fi
	done
}

# Path state changes, as a cable pull / a returning path looks to SCSI.
path_offline() { echo offline >"/sys/block/$1/device/state" || fail "offline $1"; }
path_online() { echo running >"/sys/block/$1/device/state" || fail "online $1"; }
path_delete() {
	echo 1 >"/sys/block/$1/device/delete" || fail "delete $1"
	wait_for 30 test ! -e "/sys/block/$1" || fail "$1 still present after delete"
	settle
}
# Rescan every SCSI host (brings deleted scsi_debug paths back).
scsi_rescan_all() {
	for _h in /sys/class/scsi_host/host*; do
		echo "- - -" >"$_h/scan" 2>/dev/null
	done
	settle
}

# ---------------------------------------------------------------- LIO ALUA

TCM=/sys/kernel/config/target
TCM_WWN_BASE=naa.500140500000000	# + port index 1..9
TCM_INIT_BASE=naa.500140510000000
TCM_SERIAL=${TCM_SERIAL:-mptestalua0001}
# 1 = implicit ALUA only: the target keeps the states the test sets instead
# of letting scsi_dh_alua switch them with SET TARGET PORT GROUPS.
TCM_ALUA_ACCESS_TYPE=${TCM_ALUA_ACCESS_TYPE:-1}

_tcm_backstore() {
	case "$1" in
	rd_mcp)
		mkdir -p $TCM/core/rd_mcp_0/lun0 || return 1
		echo "rd_pages=$(($2 * 256))" >$TCM/core/rd_mcp_0/lun0/control
		echo $TCM/core/rd_mcp_0/lun0
		;;
	*)
		dd if=/dev/zero of=/tmp/tcm-lun0.img bs=1M count=0 seek="$2" 2>/dev/null
		mkdir -p $TCM/core/fileio_0/lun0 || return 1
		echo "fd_dev_name=/tmp/tcm-lun0.img,fd_dev_size=$(($2 * 1024 * 1024))" \
			>$TCM/core/fileio_0/lun0/control
		echo $TCM/core/fileio_0/lun0
		;;
	esac
}

# Disk behind tcm_loop port N (1|2): the tpg's `address` attribute names
# the SCSI host ("host:0:tpgt").
tcm_disk() {
	_a=$(cat "$TCM/loopback/$TCM_WWN_BASE$1/tpgt_1/address" 2>/dev/null) || return 1
	for _d in /sys/class/scsi_host/host${_a%%:*}/device/target*/*:*/block/*; do
		[ -e "$_d" ] && { echo "${_d##*/}"; return 0; }
	done
	return 1
}

_tcm_disks_ready() { tcm_disk 1 && tcm_disk 2; }

# The initiator side (sd, sg, scsi_dh_alua) and LIO with tcm_loop.
tcm_modules_load() {
	modprobe scsi_dh_alua
	modprobe sd_mod
	modprobe sg
	modprobe target_core_mod || fail "modprobe target_core_mod"
	modprobe target_core_file
	modprobe tcm_loop || fail "modprobe tcm_loop"
	[ -d $TCM ] || fail "no $TCM"
}

# tcm_alua_setup [fileio|rd_mcp] [SIZE_MB]: one LUN exported through two
# tcm_loop targets; port 1 in ALUA group "tpg_a" (id 1), port 2 in "tpg_b"
# (id 2), both active/optimized.  Prints the two sd names (port 1 first).
tcm_alua_setup() {
	_bs=${1:-fileio}
	_size=${2:-32}
	tcm_modules_load
	_dev=$(_tcm_backstore "$_bs" "$_size") || fail "tcm backstore $_bs"
	# The serial gives the LUN its WWID: set before the LUN is exported.
	echo "$TCM_SERIAL" >"$_dev/wwn/vpd_unit_serial" || fail "vpd_unit_serial"
	echo 1 >"$_dev/enable" || fail "enable backstore"
	for _g in a b; do
		_id=1
		[ $_g = b ] && _id=2
		mkdir -p "$_dev/alua/tpg_$_g" || fail "mkdir alua tpg_$_g"
		echo $_id >"$_dev/alua/tpg_$_g/tg_pt_gp_id"
		echo "$TCM_ALUA_ACCESS_TYPE" >"$_dev/alua/tpg_$_g/alua_access_type"
		echo 0 >"$_dev/alua/tpg_$_g/alua_access_state"
	done
	for _p in 1 2; do
		_t=$TCM/loopback/$TCM_WWN_BASE$_p/tpgt_1
		mkdir -p "$_t/lun/lun_0" || fail "mkdir tcm_loop target $_p"
		echo "$TCM_INIT_BASE$_p" >"$_t/nexus" || fail "tcm_loop nexus $_p"
		ln -s "$_dev" "$_t/lun/lun_0/mptest_port" || fail "export LUN on port $_p"
		_g=a
		[ $_p = 2 ] && _g=b
		echo "tpg_$_g" >"$_t/lun/lun_0/alua_tg_pt_gp" || fail "port $_p -> tpg_$_g"
	done
	wait_for 30 _tcm_disks_ready || fail "tcm_loop disks did not appear"
	settle
	# Rescan so scsi_dh_alua sees the final port -> group mapping.
	for _p in 1 2; do
		_s=$(tcm_disk $_p)
		echo 1 >"/sys/block/$_s/device/rescan"
	done
	settle
	tcm_disk 1
	tcm_disk 2
}

_alua_state_num() {
	case "$1" in
	active/optimized | ao | 0) echo 0 ;;
	active/non-optimized | active/nonoptimized | an | 1) echo 1 ;;
	standby | s | 2) echo 2 ;;
	unavailable | u | 3) echo 3 ;;
	lba-dependent | 4) echo 4 ;;
	offline | o | 14) echo 14 ;;
	transitioning | t | 15) echo 15 ;;
	*) return 1 ;;
	esac
}

# tcm_alua_set_state a|b|1|2 STATE: STATE is active/optimized,
# active/nonoptimized, standby, unavailable, transitioning (or 0,1,2,3,15).
tcm_alua_set_state() {
	_g=$1
	case "$_g" in 1) _g=a ;; 2) _g=b ;; esac
	_n=$(_alua_state_num "$2") || fail "unknown ALUA state $2"
	for _dev in $TCM/core/*/lun0; do
		echo "$_n" >"$_dev/alua/tpg_$_g/alua_access_state" ||
			fail "set tpg_$_g to $2"
	done
}

# The kernel's view (scsi_dh_alua) of a path's ALUA state.
alua_access_state() { cat "/sys/block/$1/device/access_state" 2>/dev/null; }

tcm_teardown() {
	[ -d $TCM/loopback ] || [ -d $TCM/core ] || return 0
	for _t in $TCM/loopback/naa.*/tpgt_*; do
		[ -d "$_t" ] || continue
		# explicit ACLs' mapped LUNs first: they hold the tpg's LUNs
		for _l in "$_t"/acls/*/lun_* "$_t"/lun/lun_*; do
			[ -d "$_l" ] || continue
			find "$_l" -maxdepth 1 -type l -exec rm -f {} \;
			rmdir "$_l"
		done
		echo NULL >"$_t/nexus" 2>/dev/null
		# tcm_loop keeps the nexus when a LUN was unlinked after its
		# SCSI device had gone (deleted from the initiator side); an
		# explicit ACL with a live session cannot be removed (rmdir
		# would wait forever): leave this target alone.
		if grep -q . "$_t/nexus" 2>/dev/null && [ -n "$(ls "$_t/acls")" ]; then
			log "tcm_teardown: $_t keeps its nexus, not removed"
			continue
		fi
		for _l in "$_t"/acls/*; do [ -d "$_l" ] && rmdir "$_l"; done
		rmdir "$_t"
	done
	for _w in $TCM/loopback/naa.*; do [ -d "$_w" ] && rmdir "$_w"; done
	for _dev in $TCM/core/*/*; do
		[ -d "$_dev/alua" ] || continue
		for _g in "$_dev"/alua/*; do
			[ "${_g##*/}" = default_tg_pt_gp ] || rmdir "$_g" 2>/dev/null
		done
		rmdir "$_dev"
	done
	for _hba in $TCM/core/*_*; do [ -d "$_hba" ] && rmdir "$_hba" 2>/dev/null; done
	# The fabric's own directory holds a reference on tcm_loop.
	[ -d $TCM/loopback ] && rmdir $TCM/loopback
	rm -f /tmp/tcm-lun*.img
	settle
	_tt_rc=0
	for _m in tcm_loop target_core_file target_core_iblock target_core_mod; do
		loaded $_m && { rmmod $_m || _tt_rc=1; }
	done
	return $_tt_rc
}

# ---------------------------------------------------------------- NVMe/TCP

NVMET=/sys/kernel/config/nvmet
NVMET_NQN=${NVMET_NQN:-nqn.2026-01.io.mptest:subsys1}
HOSTNQN=$(cat /etc/nvme/hostnqn 2>/dev/null)

nvme_tcp_available() {
	modprobe -n nvmet-tcp 2>/dev/null && modprobe -n nvme-tcp 2>/dev/null
}

_nvme_ns_of_ctrl_port() {
	for _c in /sys/class/nvme/nvme*; do
		[ -e "$_c/address" ] || continue
		grep -q "trsvcid=$1" "$_c/address" || continue
		for _n in "$_c"/nvme*n*; do
			[ -e "$_n/wwid" ] && { echo "${_n##*/}"; return 0; }
		done
	done
	return 1
}

# nvme_disk PORT_INDEX (1|2): the namespace block device behind that path.
nvme_disk() { _nvme_ns_of_ctrl_port $((4419 + $1)); }
_nvme_disks_ready() { nvme_disk 1 && nvme_disk 2; }

_nvme_connect() {
	if have nvme; then
		nvme connect -t tcp -a 127.0.0.1 -s "$1" -n "$NVMET_NQN" \
			${HOSTNQN:+--hostnqn="$HOSTNQN"} >&2
	else
		echo "transport=tcp,traddr=127.0.0.1,trsvcid=$1,nqn=$NVMET_NQN${HOSTNQN:+,hostnqn=$HOSTNQN}" \
			>/dev/nvme-fabrics
	fi
}

# nvmet_tcp_setup [SIZE_MB]: one namespace (file backed) in one subsystem,
# exported on 127.0.0.1:4420 and :4421; connects both, which with
# nvme_core.multipath=N gives two block devices.  Prints them (port 4420
# first).  ANA group 1 holds the namespace; each port has its own state.
nvmet_tcp_setup() {
	_size=${1:-32}
	nvme_tcp_available || skip "kernel lacks nvmet-tcp/nvme-tcp modules"
	modprobe nvmet || fail "modprobe nvmet"
	modprobe nvmet-tcp || fail "modprobe nvmet-tcp"
	modprobe nvme-tcp || fail "modprobe nvme-tcp"
	dd if=/dev/zero of=/tmp/nvmet-ns1.img bs=1M count=0 seek="$_size" 2>/dev/null
	_s=$NVMET/subsystems/$NVMET_NQN
	mkdir "$_s" || fail "mkdir nvmet subsystem"
	echo 1 >"$_s/attr_allow_any_host"
	[ -e "$_s/attr_model" ] && echo "mptest-nvmet" >"$_s/attr_model"
	mkdir "$_s/namespaces/1" || fail "mkdir namespace"
	echo /tmp/nvmet-ns1.img >"$_s/namespaces/1/device_path"
	echo "6d707465-7374-4e53-8000-000000000001" >"$_s/namespaces/1/device_uuid"
	echo "6d707465-7374-4e53-8000-000000000001" >"$_s/namespaces/1/device_nguid"
	# The file lives on tmpfs, which has no O_DIRECT.
	[ -e "$_s/namespaces/1/buffered_io" ] && echo 1 >"$_s/namespaces/1/buffered_io"
	echo 1 >"$_s/namespaces/1/enable" || fail "enable namespace"
	for _p in 1 2; do
		_pd=$NVMET/ports/$_p
		mkdir "$_pd" || fail "mkdir nvmet port $_p"
		echo tcp >"$_pd/addr_trtype"
		echo ipv4 >"$_pd/addr_adrfam"
		echo 127.0.0.1 >"$_pd/addr_traddr"
		echo $((4419 + _p)) >"$_pd/addr_trsvcid"
		ln -s "$_s" "$_pd/subsystems/$NVMET_NQN" || fail "link port $_p"
	done
	for _p in 1 2; do
		_nvme_connect $((4419 + _p)) || fail "connect to port $((4419 + _p))"
	done
	wait_for 30 _nvme_disks_ready || fail "nvme namespaces did not appear"
	settle
	nvme_disk 1
	nvme_disk 2
}

# nvmet_set_ana_state PORT(1|2) optimized|non-optimized|inaccessible|
# persistent-loss|change
nvmet_set_ana_state() {
	_f=$NVMET/ports/$1/ana_groups/1/ana_state
	[ -e "$_f" ] || skip "kernel nvmet lacks ANA support"
	echo "$2" >"$_f" || fail "set ANA state of port $1 to $2"
}

# The host's view of a path's ANA state.
nvme_ana_state() { cat "/sys/block/$1/ana_state" 2>/dev/null; }

nvmet_teardown() {
	for _c in /sys/class/nvme/nvme*; do
		[ -e "$_c/delete_controller" ] && echo 1 >"$_c/delete_controller" 2>/dev/null
	done
	if [ -d $NVMET ]; then
		for _l in $NVMET/ports/*/subsystems/*; do [ -L "$_l" ] && rm -f "$_l"; done
		for _p in $NVMET/ports/*; do [ -d "$_p" ] && rmdir "$_p"; done
		for _s in $NVMET/subsystems/*; do
			[ -d "$_s" ] || continue
			for _n in "$_s"/namespaces/*; do
				[ -d "$_n" ] || continue
				echo 0 >"$_n/enable" 2>/dev/null
				rmdir "$_n"
			done
			rmdir "$_s"
		done
		rm -f /tmp/nvmet-ns*.img
		settle
	fi
	_nt_rc=0
	for _m in nvme_tcp nvme_fabrics nvmet_tcp nvmet; do
		loaded $_m && { modprobe -r "$_m" || _nt_rc=1; }
	done
	return $_nt_rc
}

# ---------------------------------------------------------------- dm

# What multipathd's systemd unit loads before starting the daemon.
dm_multipath_load() {
	modprobe -a dm-multipath dm-round-robin dm-service-time dm-queue-length \
		scsi_dh_alua scsi_dh_emc scsi_dh_rdac scsi_dh_hp_sw
}

# ---------------------------------------------------------------- cleanup

# Stop daemons the scenario may have left (our own and the reference one).
_not_running() { ! pidof "$1" >/dev/null; }
stop_daemons() {
	for _d in multipathd; do
		_not_running $_d && continue
		for _pid in $(pidof $_d); do
			kill -TERM "$_pid" 2>/dev/null
		done
		wait_for 10 _not_running $_d || for _pid in $(pidof $_d); do kill -KILL "$_pid"; done
	done
	rm -f /run/multipathd.pid
	return 0
}

loaded() { [ -d "/sys/module/$(echo "$1" | tr - _)" ]; }

dm_remove_all() {
	loaded dm_mod || return 0
	settle
	dmsetup remove_all --force >/dev/null 2>&1 || true
	[ -z "$(dmsetup ls 2>/dev/null | grep -v 'No devices found')" ] || {
		sleep 1
		dmsetup remove_all --force >/dev/null 2>&1
	}
}

# Back to a bare kernel: every scenario starts from here.
cleanup_all() {
	_ca_rc=0
	stop_daemons
	dm_remove_all
	loaded loop && losetup -D 2>/dev/null
	nvmet_teardown || _ca_rc=1
	tcm_teardown || _ca_rc=1
	sdebug_stop || _ca_rc=1
	rm -f /etc/multipath.conf
	rm -rf /etc/multipath
	settle
	if loaded dm_mod && [ -n "$(dmsetup ls 2>/dev/null | grep -v 'No devices found')" ]; then
		echo "dm maps left: $(dmsetup ls)"
		_ca_rc=1
	fi
	return $_ca_rc
}
