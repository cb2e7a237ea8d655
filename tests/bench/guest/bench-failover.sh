# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 900
#
# Failover timings on a small assembled topology (mpbench.luns ×
# mpbench.hosts, default 8 × 2):
#   offline_noio   a path is set offline with no I/O on its map: time until
#                  DM reports it failed (F).  Only the daemon can notice
#                  (checker, or the SCSI state), so this is its detection
#                  time; repeated on mpbench.reps paths.
#   restore_noio   the path is set running again: time until DM shows A.
#   offline_io     a path is set offline while dd reads its map: the kernel
#                  fails it in DM on the first I/O error; measured: time
#                  until DM shows F, and until `show paths` shows the path
#                  "failed" (dm_to_cli_ms is the daemon's share).
#   restore_io     running again under I/O: until DM shows A, and until
#                  `show paths` shows it "active".
. /usr/lib/mpath-bench/lib.sh

LUNS=${BENCH_LUNS:-8}
HOSTS=${BENCH_HOSTS:-2}
REPS=${BENCH_REPS:-3}
TAG=${BENCH_TAG:-failover}
PI=${BENCH_POLLING_INTERVAL:-5}

env_facts
out "$TAG.polling_interval" "$PI"
load_scsi_debug "$LUNS" || exit 1
udevadm settle
daemon_start || exit 1
echo "$HOSTS" > $SD/add_host
mp-bench dmwait -m "$LUNS" -p "$HOSTS" -t 300 -i 200 -P 10 > /tmp/dmwait.out 2> $CONSOLE ||
	{ note "maps not assembled"; cat /tmp/dmwait.out > $CONSOLE; exit 1; }
udevadm settle
# let start-up checks and udev work die down
sleep "${BENCH_QUIET_S:-5}"

# holder dm-N of a path
holder() { ls "/sys/block/$1/holders" 2> /dev/null | head -n 1; }

# offline_noio on LUN r of host 0, r = 0..REPS-1
r=0
while [ $r -lt "$REPS" ]; do
	dev=$(sd_of 0 $r)
	mm=$(cat "/sys/block/$dev/dev")
	note "$TAG: offline $dev ($mm), no I/O"
	t0=$(now)
	echo offline > "/sys/block/$dev/device/state"
	t1=$(mp-bench dmstate -t $((PI * 6)) -i 20 "$mm" F)
	case $t1 in timeout*) out "$TAG.offline_noio.$r.s" timeout ;;
	*) out "$TAG.offline_noio.$r.s" "$(sub "$t1" "$t0")" ;; esac
	t0=$(now)
	echo running > "/sys/block/$dev/device/state"
	t1=$(mp-bench dmstate -t $((PI * 6)) -i 20 "$mm" A)
	case $t1 in timeout*) out "$TAG.restore_noio.$r.s" timeout ;;
	*) out "$TAG.restore_noio.$r.s" "$(sub "$t1" "$t0")" ;; esac
	r=$((r + 1))
done

# offline_io: the last LUN, host 0, with reads running on its map
dev=$(sd_of 0 $((LUNS - 1)))
mm=$(cat "/sys/block/$dev/dev")
dm=$(holder "$dev")
note "$TAG: offline $dev ($mm) under I/O on $dm"
(
	while :; do
		dd if="/dev/$dm" of=/dev/null bs=4096 count=64 iflag=direct 2> /dev/null
	done
) &
IO=$!
sleep 2
mp-bench dmstate -t 60 -i 5 "$mm" F > /tmp/dm_f.out &
W1=$!
t0=$(now)
echo offline > "/sys/block/$dev/device/state"
t_cli=$(mp-bench cliwait -t 60 -i 10 "$dev" failed)
wait $W1
t_dm=$(cat /tmp/dm_f.out)
case $t_dm in timeout*) out "$TAG.offline_io.dm_s" timeout ;;
*) out "$TAG.offline_io.dm_s" "$(sub "$t_dm" "$t0")" ;; esac
case $t_cli in timeout*) out "$TAG.offline_io.cli_s" timeout ;;
*) out "$TAG.offline_io.cli_s" "$(sub "$t_cli" "$t0")"
	case $t_dm in timeout*) ;; *)
		out "$TAG.offline_io.dm_to_cli_ms" \
			"$(awk -v a="$t_cli" -v b="$t_dm" 'BEGIN { printf "%.0f", (a - b) * 1000 }')" ;;
	esac ;;
esac
# restore under I/O
mp-bench dmstate -t $((PI * 6)) -i 5 "$mm" A > /tmp/dm_a.out &
W1=$!
t0=$(now)
echo running > "/sys/block/$dev/device/state"
t_cli=$(mp-bench cliwait -t $((PI * 6)) -i 10 "$dev" active)
wait $W1
t_dm=$(cat /tmp/dm_a.out)
case $t_dm in timeout*) out "$TAG.restore_io.dm_s" timeout ;;
*) out "$TAG.restore_io.dm_s" "$(sub "$t_dm" "$t0")" ;; esac
case $t_cli in timeout*) out "$TAG.restore_io.cli_s" timeout ;;
*) out "$TAG.restore_io.cli_s" "$(sub "$t_cli" "$t0")" ;; esac
kill $IO 2> /dev/null
wait $IO 2> /dev/null
# any I/O error the reads saw would have ended a dd early; the map must
# still be usable
dd if="/dev/$dm" of=/dev/null bs=4096 count=16 iflag=direct 2> /dev/null &&
	out "$TAG.io_after" ok || out "$TAG.io_after" error
mp-bench cli show paths > $CONSOLE 2>&1
daemon_stop
bench_end
