#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Host side of the VM tier: boot the cached Debian kernel with the test
# bed initramfs under qemu (TCG: no KVM here), stream the guest console,
# and judge the run from the runner's lines.  A run passes only when every
# selected scenario printed a SCENARIO line, the closing line says
# "0 failed", and qemu ended by itself before the overall timeout.
#
#   run.sh --initrd FILE [--scenarios 'GLOB[,GLOB]'] [--mode test|demo|shell]
#          [--timeout SECONDS] [--log FILE] [--debug]
#
# The console log is kept in --log (default: console.log beside the initrd).

set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${MP_VM_CACHE:-/var/cache/mpath-vm}
INITRD= SCEN='*' MODE=test TIMEOUT= LOG= DEBUG=0
MEM=${VM_MEM:-3072} SMP=${VM_SMP:-2}

while [ $# -gt 0 ]; do
	case "$1" in
	--initrd) INITRD=$2; shift 2 ;;
	--scenarios) SCEN=${2:-*}; shift 2 ;;
	--mode) MODE=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	--log) LOG=$2; shift 2 ;;
	--debug) DEBUG=1; shift ;;
	*) echo "usage: $0 --initrd FILE [--scenarios GLOB] [--mode test|demo] [--timeout S] [--log FILE]" >&2; exit 2 ;;
	esac
done
[ -f "$INITRD" ] || { echo "run.sh: no initramfs '$INITRD' (make vm-image)" >&2; exit 2; }
[ -f "$CACHE/kernel.env" ] || { echo "run.sh: no kernel in $CACHE (make deps)" >&2; exit 2; }
# shellcheck disable=SC1091
. "$CACHE/kernel.env"
LOG=${LOG:-$(dirname "$INITRD")/console.log}
SCEN=${SCEN// /,}

# The same selection the guest makes, so we know how many lines to expect
# and how long the run may take (sum of the scenario timeouts + boot).
expected=0 budget=0
if [ "$MODE" = test ]; then
	IFS=, read -ra globs <<<"$SCEN"
	for f in "$HERE"/scenarios/*.sh; do
		[ -e "$f" ] || continue
		n=$(basename "$f" .sh)
		for g in "${globs[@]}"; do
			g=${g%.sh}
			# shellcheck disable=SC2053
			if [[ $n == $g ]]; then
				t=$(sed -n 's/^# *timeout: *\([0-9][0-9]*\).*/\1/p' "$f" | head -n1)
				budget=$((budget + ${t:-120} + 30))
				expected=$((expected + 1))
				break
			fi
		done
	done
	if [ $expected = 0 ]; then
		echo "run.sh: no scenario matches '$SCEN'" >&2
		exit 2
	fi
else
	budget=600
fi
TIMEOUT=${TIMEOUT:-$((budget + 180))}
WATCHDOG=$((TIMEOUT - 20))

APPEND="console=ttyS0 panic=-1 nvme_core.multipath=N loglevel=4 quiet"
APPEND+=" scsi_mod.scan=sync mptest.mode=$MODE mptest.scenarios=$SCEN"
APPEND+=" mptest.watchdog=$WATCHDOG mptest.debug=$DEBUG ${VM_APPEND:-}"

# Parse a private copy: several runs may share one work tree (and its
# $BUILD/vm/console.log); --log gets the finished console at the end.
mkdir -p "$(dirname "$LOG")"
RAW=$(mktemp /tmp/mptest-console.XXXXXX)
trap 'rm -f "$RAW"' EXIT
publish_log() { cp "$RAW" "$LOG.tmp.$$" && mv -f "$LOG.tmp.$$" "$LOG"; }
echo "run.sh: kernel $KVER, initrd $INITRD ($(du -h "$INITRD" | cut -f1)), mode $MODE," \
	"scenarios '$SCEN' ($expected), timeout ${TIMEOUT}s"

QEMU=(qemu-system-x86_64 -accel tcg -cpu max -m "$MEM" -smp "$SMP" -nographic
	-no-reboot -nodefaults -serial stdio -kernel "$VMLINUZ" -initrd "$INITRD"
	-append "$APPEND")
if [ "$MODE" = shell ]; then
	# Interactive (or commands piped in); the guest's /init runs `sh`.
	timeout -k 10 "$TIMEOUT" "${QEMU[@]}" 2>&1 | tee "$RAW"
	rc=${PIPESTATUS[0]}
	publish_log
	exit "$rc"
fi

t0=$EPOCHREALTIME
since() { awk "BEGIN { printf \"%.1f\", $EPOCHREALTIME - $t0 }"; }

# stdin from /dev/null: CI has none, and qemu must not put a tty in raw mode.
timeout -k 10 "$TIMEOUT" "${QEMU[@]}" </dev/null 2>&1 |
	while IFS= read -r line; do
		line=${line%$'\r'}
		printf '%s\n' "$line" >>"$RAW"
		printf '%s\n' "$line"
		case "$line" in
		*"mptest: ready at"*) echo "host: guest ready (udev settled) $(since) s after qemu start" ;;
		*"mptest: powering off"*) echo "host: guest powering off $(since) s after qemu start" ;;
		esac
	done
rc=${PIPESTATUS[0]}
total=$(since)
echo "host: qemu exited with $rc after $total s"
publish_log

if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	echo "run.sh: FAIL: overall timeout of ${TIMEOUT}s exceeded, qemu killed; console in $LOG"
	exit 1
fi

if [ "$MODE" != test ]; then
	exit "$rc"
fi

# Kernel messages can land mid-line on the serial console, so match the
# runner's lines anywhere in a line, not only at its start.
results=$(grep -oE 'SCENARIO [^ ]+: (PASS|FAIL|SKIP).*' "$RAW")
reported=$(grep -cE ': (PASS|FAIL|SKIP)' <<<"$results")
[ -n "$results" ] || reported=0
summary=$(grep -oE '[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$RAW" | tail -n1)
ready=$(grep -oE 'mptest: ready at [0-9.]+' "$RAW" | head -n1 | awk '{print $4}')
p=$(grep -c ': PASS' <<<"$results")
s=$(grep -c ': SKIP' <<<"$results")
f=$((expected - p - s))
echo
echo "== VM scenario summary: $total s wall for boot + all scenarios; guest ready (udev settled) at ${ready:-?} s uptime"
[ -n "$results" ] && echo "$results"
ok=1
if [ -z "$summary" ]; then
	echo "run.sh: FAIL: no closing 'N passed, N failed' line (guest crashed?)"
	ok=0
elif ! [[ $summary =~ ^[0-9]+\ passed,\ 0\ failed ]]; then
	ok=0
fi
if [ "$reported" != "$expected" ]; then
	echo "run.sh: FAIL: $reported of $expected selected scenarios reported"
	ok=0
fi
if [ $ok = 1 ]; then
	echo "vm-test: $p passed, 0 failed, $s skipped"
	exit 0
fi
echo "run.sh: console log kept in $LOG"
echo "vm-test: $p passed, $f failed, $s skipped"
exit 1
