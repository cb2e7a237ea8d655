# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 120
#
# NVMe/TCP loopback: nvmet exports one namespace on two ports; with
# nvme_core.multipath=N each controller gives its own /dev/nvmeXnY, both
# with the same wwid.  Skips only when the kernel lacks the modules.

set -- $(nvmet_tcp_setup 32)
assert_eq "$#" 2 "number of NVMe paths"
a=$1 b=$2
log "paths: $a $b"
assert_ne "$a" "$b" "distinct block devices"
wa=$(dev_sysfs_wwid "$a")
assert_ne "$wa" "" "wwid of $a"
assert_eq "$(dev_sysfs_wwid "$b")" "$wa" "wwid of $b"
log "WWID: $wa"
ua=$(udev_prop "$a" ID_WWN)
log "udev ID_WWN: $ua, ID_SERIAL: $(udev_prop "$a" ID_SERIAL)"
assert_eq "$(cat /sys/module/nvme_core/parameters/multipath)" N "nvme_core.multipath"

printf 'mptest-02-pattern' | dd of=/tmp/pat bs=4096 conv=sync 2>/dev/null
assert dd if=/tmp/pat of=/dev/"$a" bs=4096 count=1 oflag=direct conv=fsync
got=$(dd if=/dev/"$b" bs=4096 count=1 iflag=direct 2>/dev/null | head -c 17)
assert_eq "$got" "mptest-02-pattern" "data read through $b"

# ANA: the state is set per port on the target; the host without native
# multipath does not track it in sysfs, so read the ANA log page.
ca=$(basename "$(readlink -f /sys/block/"$a"/device)")
cb=$(basename "$(readlink -f /sys/block/"$b"/device)")
if [ -e /sys/kernel/config/nvmet/ports/2/ana_groups/1/ana_state ] && have nvme; then
	nvmet_set_ana_state 2 non-optimized
	ana_state_of() {
		nvme ana-log /dev/"$1" 2>/dev/null |
			sed -n 's/^[[:space:]]*state[[:space:]]*:[[:space:]]*//p' | head -n1
	}
	nvme ana-log /dev/"$cb" >&2
	assert_eq "$(ana_state_of "$cb")" non-optimized "ANA state via $cb"
	assert_eq "$(ana_state_of "$ca")" optimized "ANA state via $ca"
	nvmet_set_ana_state 2 optimized
	assert_eq "$(ana_state_of "$cb")" optimized "ANA state via $cb after reset"
else
	log "no ANA check (no nvmet ANA or no nvme-cli)"
fi
log "ok"
