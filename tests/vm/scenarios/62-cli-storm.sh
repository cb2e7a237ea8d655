# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# timeout: 600
#
# 100 concurrent CLI clients while paths come and go (a path storm):
# every client gets a well-formed reply in time, the daemon stays up.

# Start the daemon in the foreground of a background job; on failure show
# why (its log and whether it still runs).
mpd_start() {
	multipathd -d -s -v3 >"$1" 2>&1 &
	wait_for 20 multipathd show daemon || {
		tail -n 40 "$1" >&2
		pidof multipathd >&2
		fail "multipathd did not answer"
	}
}

set -- $(sdebug_start add_host=2 num_tgts=1 max_luns=4 vpd_use_hostno=0 dev_size_mb=8)
modprobe dm_multipath 2>/dev/null
# 100 client processes saturate a 2-CPU TCG guest: the clients' wait
# (uxsock_timeout + 1 s) must cover CPU starvation, not just the daemon
printf 'defaults {\n\tfind_multipaths yes\n\tuser_friendly_names yes\n\tuxsock_timeout 60000\n}\n' >/etc/multipath.conf
mpd_start /tmp/mpd-62.log
assert wait_for 60 sh -c "[ \$(multipathd show maps raw format %n | wc -l) -ge 4 ]"

rm -rf /tmp/storm && mkdir -p /tmp/storm
client() {
	i=0
	while [ $i -lt 3 ]; do
		case $((i % 4)) in
		0) c="show paths" ;;
		1) c="show maps json" ;;
		2) c="show topology" ;;
		*) c="show status" ;;
		esac
		# generous: 100 client processes saturate a 2-CPU TCG guest
		out=$(with_timeout 90 multipathd $c 2>&1) || { echo "FAIL $c: $out" >>/tmp/storm/$1; return; }
		[ -n "$out" ] || { echo "EMPTY $c" >>/tmp/storm/$1; return; }
		i=$((i + 1))
	done
	echo ok >>/tmp/storm/$1
}
n=0
pids=
t0=$(now)
while [ $n -lt 100 ]; do
	client $n &
	pids="$pids $!"
	n=$((n + 1))
done
# the storm: offline/online and remove/rescan paths meanwhile
for d in $(sdebug_disks | head -n 4); do
	path_offline "$d"
done
sleep 1
for d in $(sdebug_disks | head -n 4); do
	path_online "$d"
done
path_delete "$(sdebug_disks | tail -n1)"
scsi_rescan_all
# only the clients: the daemon is a background job of this shell too
wait $pids
log "100 clients x 3 requests during the storm: $(elapsed "$t0" "$(now)") s"
okc=$(cat /tmp/storm/* 2>/dev/null | grep -c '^ok$')
bad=$(cat /tmp/storm/* 2>/dev/null | grep -v '^ok$' | head -n3)
assert_eq "$okc" 100 "clients finished ok (first errors: $bad)"
assert_match "$(multipathd show daemon)" "pid *" "daemon alive after the storm"
assert_eq "$(multipathd shutdown)" ok "shutdown"
