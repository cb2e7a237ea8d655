#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Scenario runner inside the guest.  Runs each selected
# /mptest/scenarios/NN-name.sh in its own session (so a timeout can kill the
# whole process group), with lib.sh sourced first, and prints one
# `SCENARIO <name>: PASS|FAIL|SKIP` line each plus a closing
# `N passed, N failed, N skipped`, which tests/vm/run.sh on the host checks.
# cleanup_all runs after every scenario so each one starts from a bare
# kernel: no dm maps, no scsi_debug, no LIO or nvmet configuration.
#
# A scenario may set its own timeout with a header line `# timeout: 300`.

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
. /mptest/lib.sh

DIR=/mptest/scenarios
DEFAULT_TIMEOUT=120

scenario_timeout() {
	t=$(sed -n 's/^# *timeout: *\([0-9][0-9]*\).*/\1/p' "$1" | head -n1)
	echo "${t:-$DEFAULT_TIMEOUT}"
}

selected() {
	name=$1
	set -f
	old_ifs=$IFS
	IFS=,
	for g in $MPTEST_SCENARIOS; do
		g=${g%.sh}
		# shellcheck disable=SC2254
		case "$name" in $g) IFS=$old_ifs; set +f; return 0 ;; esac
	done
	IFS=$old_ifs
	set +f
	return 1
}

# Prints the reason of a failure: the last assertion message, else the
# last line the scenario printed.
failure_reason() {
	r=$(grep -E 'ASSERT FAILED|FAIL:|TIMEOUT' "$1" | tail -n1)
	[ -n "$r" ] || r="exit status $2; last line: $(tail -n1 "$1")"
	echo "$r"
}

run_one() {
	file=$1 name=$2
	tmo=$(scenario_timeout "$file")
	out=/tmp/mptest-$name.log
	flag=/tmp/mptest-$name.timeout
	res=/tmp/mptest-$name.result
	rm -f "$flag" "$res"
	echo "=== SCENARIO $name (timeout ${tmo}s) ==="
	t0=$(now)
	# setsid: a fresh process group that the timeout can kill whole.
	setsid sh -c "
		export MPTEST_SCENARIO='$name' MPTEST_RESULT='$res'
		. /mptest/lib.sh
		[ \"\$MPTEST_DEBUG\" = 1 ] && set -x
		. '$file'
	" >"$out" 2>&1 </dev/null &
	pid=$!
	(
		sleep "$tmo"
		echo "TIMEOUT: scenario exceeded ${tmo}s" >>"$out"
		: >"$flag"
		kill -TERM -"$pid" 2>/dev/null
		sleep 3
		kill -KILL -"$pid" 2>/dev/null
	) &
	wd=$!
	wait "$pid"
	rc=$?
	kill "$wd" 2>/dev/null
	wait "$wd" 2>/dev/null
	t1=$(now)
	dur=$(elapsed "$t0" "$t1")
	[ -e "$flag" ] && rc=124
	verdict=$(head -n1 "$res" 2>/dev/null)
	case "$verdict" in
	SKIP:*) rc=77 ;;
	?*) rc=1 ;;
	esac
	sed 's/^/  | /' "$out"
	# The scenario's kernel messages: on failure, or always with mptest.debug=1.
	if [ "$rc" != 0 ] && [ "$rc" != 77 ] || [ "$MPTEST_DEBUG" = 1 ]; then
		echo "  -- dmesg:"
		dmesg -c 2>/dev/null | sed 's/^/  k /'
	else
		dmesg -c >/dev/null 2>&1
	fi
	case $rc in
	0)
		echo "SCENARIO $name: PASS (${dur}s)"
		npass=$((npass + 1))
		;;
	77)
		echo "SCENARIO $name: SKIP (${dur}s): ${verdict#SKIP: }"
		nskip=$((nskip + 1))
		;;
	*)
		[ -n "$verdict" ] || verdict=$(failure_reason "$out" "$rc")
		echo "SCENARIO $name: FAIL (${dur}s): $verdict"
		nfail=$((nfail + 1))
		;;
	esac
	c0=$(now)
	cleanup_all >/tmp/mptest-cleanup.log 2>&1 || {
		echo "  cleanup after $name reported problems:"
		sed 's/^/  | /' /tmp/mptest-cleanup.log
	}
	echo "    (cleanup $(elapsed "$c0" "$(now)")s)"
}

npass=0 nfail=0 nskip=0
list=""
for f in "$DIR"/*.sh; do
	[ -e "$f" ] || continue
	name=${f##*/}
	name=${name%.sh}
	selected "$name" && list="$list $f"
done
n=$(echo $list | wc -w)
echo "mptest: $n scenarios selected by '$MPTEST_SCENARIOS'"
T0=$(now)
for f in $list; do
	name=${f##*/}
	run_one "$f" "${name%.sh}"
done
echo "mptest: scenarios took $(elapsed "$T0" "$(now)")s"
echo "$npass passed, $nfail failed, $nskip skipped"
