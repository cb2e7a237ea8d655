#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# /init of the test bed guest (busybox sh as PID 1).  Sets up the usual
# pseudo file systems, starts the real systemd-udevd, then hands over to
# /mptest/runner.sh.  Whatever happens afterwards the guest must power off,
# or the host would wait for its overall timeout: an EXIT trap and a
# watchdog both end in `poweroff -f`, and if even that fails PID 1 exiting
# panics the kernel, which with panic=-1 and qemu's -no-reboot ends qemu.

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb
# Real tools over busybox applets, e.g. kmod's modprobe (see tools.sh).
. /mptest/tools.sh

die_poweroff() {
	echo "mptest: powering off"
	sync
	poweroff -f
	echo o >/proc/sysrq-trigger
	sleep 5
}
trap die_poweroff EXIT

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t tmpfs -o mode=755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
modprobe -q configfs 2>/dev/null
mount -t configfs configfs /sys/kernel/config
echo /sbin/modprobe >/proc/sys/kernel/modprobe
echo 1 >/proc/sys/kernel/sysrq
hostname mptest
ip link set lo up

# Our options, e.g. mptest.scenarios=00-*,01-* mptest.mode=demo.
# set -f: the scenario globs must not be expanded against /.
set -f
MPTEST_MODE=test MPTEST_SCENARIOS='*' MPTEST_WATCHDOG=0 MPTEST_DEBUG=0
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	mptest.mode=*) MPTEST_MODE=${arg#*=} ;;
	mptest.scenarios=*) MPTEST_SCENARIOS=${arg#*=} ;;
	mptest.watchdog=*) MPTEST_WATCHDOG=${arg#*=} ;;
	mptest.debug=*) MPTEST_DEBUG=${arg#*=} ;;
	esac
done
set +f
export MPTEST_MODE MPTEST_SCENARIOS MPTEST_DEBUG

uptime_s() { cut -d' ' -f1 /proc/uptime; }
echo "mptest: init started at $(uptime_s) s (kernel $(uname -r))"

# Watchdog: the host passes the guest's whole budget (run.sh --timeout).
[ "$MPTEST_WATCHDOG" -gt 0 ] 2>/dev/null || MPTEST_WATCHDOG=1800
(sleep "$MPTEST_WATCHDOG"; echo "mptest: WATCHDOG fired after ${MPTEST_WATCHDOG}s"; die_poweroff) &

mkdir -p /run/udev
/usr/lib/systemd/systemd-udevd --daemon --resolve-names=never
udevadm trigger --type=subsystems --action=add
udevadm trigger --type=devices --action=add
udevadm settle --timeout=60 || echo "mptest: udevadm settle timed out"
# Kernel messages would interleave with the runner's lines on the serial
# console; the runner prints each scenario's dmesg on failure instead.
dmesg -n 1
dmesg -c >/dev/null
echo "mptest: ready at $(uptime_s) s (udev settled)"

case "$MPTEST_MODE" in
demo) sh /mptest/demo.sh ;;
shell) sh ;;
*) sh /mptest/runner.sh ;;
esac
echo "mptest: done at $(uptime_s) s"
# The EXIT trap powers off.
