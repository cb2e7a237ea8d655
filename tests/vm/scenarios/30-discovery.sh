# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 420
#
# Discovery, checkers and prioritizers against real devices, through
# mp-pathtool:
#  - scsi_debug, 2 paths to one LUN: our WWID (udev-first and sysfs/VPD
#    only) equals udev's ID_SERIAL and the kernel's device/wwid transformed;
#    tur/directio/readsector0/none report up, all checks started at once
#    through the runner come back up, an offlined path is down and back up
#    when running again; wwids/bindings files.
#  - LIO tcm_loop ALUA, 2 ports in 2 groups: TPGS and TPG ids found, the
#    sysfs and alua prioritizers give 50 / 1 (standby) and follow state
#    changes made on the target.
#  - NVMe/TCP (when the kernel has it): nvme:tcp, WWID, ANA prioritizer.

PT=/usr/lib/mpath-tests/mp-pathtool
[ -x $PT ] || fail "no $PT in the image"

# Kernel device/wwid ("naa.…", "eui.…", "t10.…") → udev ID_SERIAL form.
kernel_wwid_to_id() {
	case "$1" in
	naa.*) echo "3${1#naa.}" | tr 'A-F' 'a-f' ;;
	eui.*) echo "2${1#eui.}" | tr 'A-F' 'a-f' ;;
	t10.*) echo "1${1#t10.}" | sed 's/[[:space:]][[:space:]]*/_/g' ;;
	*) echo "8$1" ;;
	esac
}

info_val() { $PT info "$1" | sed -n "s/^$2 //p"; }

expect_check() {
	_got=$($PT check "$1" "$2" "${4:-5000}" 2>/tmp/pt.msg)
	log "$1 on $2: $_got ($(cat /tmp/pt.msg))"
	assert_eq "$_got" "$3" "$1 checker on $2"
}

# ------------------------------------------------------------ scsi_debug
set -- $(sdebug_start add_host=2 num_tgts=1 vpd_use_hostno=0 dev_size_mb=16)
assert_eq "$#" 2 "number of scsi_debug paths"
a=$1 b=$2
ua=$(udev_prop "$a" ID_SERIAL)
assert_ne "$ua" "" "udev ID_SERIAL of $a"
kw=$(dev_sysfs_wwid "$a")
log "scsi_debug $a $b: ID_SERIAL $ua, device/wwid $kw"
assert_eq "$($PT wwid "$a")" "$ua" "our WWID of $a"
assert_eq "$($PT wwid "$b")" "$ua" "our WWID of $b"
assert_eq "$($PT sysfs-wwid "$a")" "$ua" "WWID of $a from sysfs VPD 0x83"
assert_eq "$($PT sysfs-wwid "$b")" "$ua" "WWID of $b from sysfs VPD 0x83"
[ -n "$kw" ] && assert_eq "$(kernel_wwid_to_id "$kw")" "$ua" "device/wwid transformed"

$PT info "$a" >&2
assert_eq "$(info_val "$a" bus)" scsi "bus"
assert_eq "$(info_val "$a" protocol)" scsi:unspec "protocol of scsi_debug"
assert_eq "$(info_val "$a" vendor)" Linux "vendor"
assert_eq "$(info_val "$a" product)" scsi_debug "product"
assert_eq "$(info_val "$a" state)" running "SCSI state"
assert_eq "$(info_val "$a" partial)" 0 "partial"
assert_eq "$(info_val "$a" devt)" "$(dev_majmin "$a")" "dev_t"
assert_eq "$(info_val "$a" size)" "$(dev_sectors "$a")" "size"
assert_eq "$(info_val "$a" hbtl)" "$(basename "$(readlink -f /sys/block/"$a"/device)")" "H:C:T:L"
assert_eq "$(info_val "$a" timeout)" "$(cat /sys/block/"$a"/device/timeout)" "sysfs timeout"

for c in tur directio readsector0 none; do
	expect_check $c "$a" up
	expect_check $c "$b" up
done
expect_check cciss_tur "$a" unchecked

# I/O-based and rule-based prioritizers on a plain disk
p=$($PT prio path_latency "$a" "io_num=5 base_num=2")
log "path_latency prio of $a: $p"
[ "$p" -ge 1 ] || fail "path_latency prio of $a: $p"
assert_eq "$($PT prio weightedpath "$a" "devname ^$b\$ 3 ^$a\$ 7")" 7 "weightedpath by devname"
assert_eq "$($PT prio weightedpath "$b" "devname ^$b\$ 3 ^$a\$ 7")" 3 "weightedpath by devname"
assert_eq "$($PT prio hp_sw "$a")" 4 "hp_sw prio (TUR good)"
# scsi_debug does implicit ALUA (state depends on the host number): our RTPG
# decoding must agree with what scsi_dh_alua shows in sysfs
for d in "$a" "$b"; do
	pa=$($PT prio alua "$d")
	ps=$($PT prio sysfs "$d")
	log "scsi_debug $d: access_state '$(alua_access_state "$d")', alua $pa, sysfs $ps"
	if [ -n "$(alua_access_state "$d")" ]; then
		assert_eq "$pa" "$ps" "alua vs sysfs prio of $d"
	else    # no scsi_dh_alua attached: AO, ANO or standby by host number
		case "$pa" in 50 | 10 | 1) ;; *) fail "alua prio of $d: $pa" ;; esac
		assert_eq "$ps" -1 "sysfs prio without access_state"
	fi
done
p=$($PT prio random "$a")
[ "$p" -ge 1 ] && [ "$p" -le 10 ] || fail "random prio $p"

out=$($PT check-async tur 5000 "$a" "$b")
log "async: $(echo "$out" | tr '\n' ' ')"
assert_eq "$out" "$a up
$b up" "tur through the runner"
out=$($PT check-async directio 5000 "$a" "$b")
assert_eq "$out" "$a up
$b up" "directio through the runner"

path_offline "$a"
expect_check tur "$a" down
expect_check directio "$a" down
expect_check none "$a" down
expect_check tur "$b" up
path_online "$a"
expect_check tur "$a" up
expect_check directio "$a" up

# A device that never answers: scsi_debug ignores every command (opts 4 =
# timeout, every_nth 1).  The check times out after 2 s with one request
# outstanding; the kernel aborts it at the SCSI timeout (set to 5 s).
echo 5 >/sys/block/"$a"/device/timeout
echo 1 >$SDEBUG/every_nth
echo 4 >$SDEBUG/opts
t0=$(now)
expect_check tur "$a" timeout 2000
out=$($PT check-async tur 2000 "$a")
assert_eq "$out" "$a timeout" "hung path through the runner"
log "two hung checks took $(elapsed "$t0" "$(now)") s"
echo 0 >$SDEBUG/opts
echo 0 >$SDEBUG/every_nth
tur_up() { [ "$($PT check tur "$1" 2000 2>/dev/null)" = up ]; }
wait_for 40 tur_up "$a" || fail "$a did not come back after the hang ($(scsi_state "$a"))"
log "$a back: $(scsi_state "$a")"

mkdir -p /etc/multipath
assert_eq "$($PT wwids-check /etc/multipath/wwids "$ua")" 0 "not yet in wwids"
assert_eq "$($PT wwids-add /etc/multipath/wwids "$ua")" 1 "added to wwids"
assert_eq "$($PT wwids-add /etc/multipath/wwids "$ua")" 0 "added once"
assert grep -q "^/$ua/\$" /etc/multipath/wwids
assert_eq "$($PT alias /etc/multipath/bindings "$ua")" mpatha "first alias"
assert_eq "$($PT alias /etc/multipath/bindings 3other)" mpathb "second alias"
assert_eq "$($PT alias /etc/multipath/bindings "$ua")" mpatha "stable alias"
assert grep -q "^mpatha $ua\$" /etc/multipath/bindings
sdebug_stop

# Many paths (16) checked at once through one runner (one fd per path, no threads).
set -- $(sdebug_start add_host=2 num_tgts=1 max_luns=8 vpd_use_hostno=0 dev_size_mb=4)
assert_eq "$#" 16 "number of scsi_debug paths"
t0=$(now)
out=$($PT check-async tur 10000 "$@")
log "16 tur checks through the runner: $(elapsed "$t0" "$(now)") s"
assert_eq "$(echo "$out" | grep -c ' up$')" 16 "paths up"
out=$($PT check-async directio 10000 "$@")
assert_eq "$(echo "$out" | grep -c ' up$')" 16 "paths up (directio)"
sdebug_stop

# ------------------------------------------------------------ LIO ALUA
set -- $(tcm_alua_setup fileio 32)
assert_eq "$#" 2 "number of tcm_loop paths"
a=$1 b=$2
ua=$(udev_prop "$a" ID_SERIAL)
log "tcm_loop $a $b: ID_SERIAL $ua, device/wwid $(dev_sysfs_wwid "$a")"
assert_eq "$($PT wwid "$a")" "$ua" "our WWID of $a"
assert_eq "$($PT sysfs-wwid "$b")" "$ua" "sysfs WWID of $b"
$PT info "$a" >&2
assert_ne "$(info_val "$a" tpgs)" 0 "TPGS of $a"
assert_eq "$(info_val "$a" tpg_id)" 1 "TPG of $a"
assert_eq "$(info_val "$b" tpg_id)" 2 "TPG of $b"
assert_eq "$(info_val "$a" vendor)" LIO-ORG "vendor"
log "tcm_loop protocol: $(info_val "$a" protocol)"

poke_state_is() {
	sg_turs /dev/"$1" >/dev/null 2>&1 || $PT check tur "$1" >/dev/null 2>&1
	[ "$(alua_access_state "$1")" = "$2" ]
}
expect_prio() { # PRIO DEV VALUE
	_p=$($PT prio "$1" "$2")
	log "prio $1 $2: $_p"
	assert_eq "$_p" "$3" "$1 prio of $2"
}

assert wait_for 20 poke_state_is "$a" active/optimized
assert wait_for 20 poke_state_is "$b" active/optimized
expect_prio sysfs "$a" 50
expect_prio sysfs "$b" 50
expect_prio alua "$a" 50
expect_prio alua "$b" 50
expect_prio const "$a" 1

tcm_alua_set_state b standby
assert wait_for 20 poke_state_is "$b" standby
expect_prio sysfs "$b" 1
expect_prio alua "$b" 1
expect_prio alua "$a" 50
expect_check tur "$b" ghost
expect_check directio "$b" down
expect_check directio "$a" up

tcm_alua_set_state a active/nonoptimized
assert wait_for 20 poke_state_is "$a" active/non-optimized
expect_prio alua "$a" 10
expect_prio sysfs "$a" 10

tcm_alua_set_state b active/optimized
tcm_alua_set_state a active/optimized
assert wait_for 20 poke_state_is "$b" active/optimized
assert wait_for 20 poke_state_is "$a" active/optimized
expect_prio alua "$b" 50
expect_prio sysfs "$b" 50
expect_check tur "$b" up
tcm_teardown

# ------------------------------------------------------------ NVMe/TCP
if ! nvme_tcp_available; then
	log "no NVMe/TCP in this kernel: NVMe part skipped"
	log "ok"
	return 0 2>/dev/null || exit 0
fi
set -- $(nvmet_tcp_setup 32)
assert_eq "$#" 2 "number of NVMe paths"
a=$1 b=$2
$PT info "$a" >&2
assert_eq "$(info_val "$a" bus)" nvme "bus of $a"
assert_eq "$(info_val "$a" protocol)" nvme:tcp "protocol of $a"
assert_eq "$(info_val "$a" vendor)" NVME "vendor of $a"
kw=$(dev_sysfs_wwid "$a")
assert_eq "$($PT sysfs-wwid "$a")" "$kw" "NVMe WWID from sysfs"
uw=$(udev_prop "$a" ID_WWN)
[ -n "$uw" ] && assert_eq "$($PT wwid "$a")" "$uw" "NVMe WWID vs udev ID_WWN"
assert_eq "$($PT wwid "$b")" "$($PT wwid "$a")" "same WWID on both paths"
expect_check none "$a" up
expect_check directio "$a" up
if [ -e $NVMET/ports/2/ana_groups/1/ana_state ]; then
	expect_prio ana "$a" 50
	expect_prio ana "$b" 50
	assert_eq "$(info_val "$a" tpgs)" 1 "ANA capability of $a"
	assert_ne "$(info_val "$a" tpg_id)" -1 "ANA group of $a"
	assert_eq "$(info_val "$a" access_state)" active/optimized "ANA state of $a"
	nvmet_set_ana_state 2 non-optimized
	assert_eq "$(info_val "$b" access_state)" active/non-optimized "ANA state of $b"
	expect_prio ana "$b" 10
	expect_prio ana "$a" 50
	nvmet_set_ana_state 2 inaccessible
	expect_prio ana "$b" 1
	nvmet_set_ana_state 2 optimized
	expect_prio ana "$b" 50
else
	log "nvmet without ANA: ana prioritizer not checked"
fi
log "ok"
