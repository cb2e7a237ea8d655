// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mp-sim: the daemon core (multipathd/core*.c, real worker threads) over
 * the fake device-mapper at 1k, 10k and 100k paths, to see whether the
 * cost of one event stays flat as the topology grows and what a path and
 * a map cost in memory.  Each size runs in its own child process so its
 * peak RSS is its own.  Phases per size:
 *
 *   storm   every path's add uevent queued while the queues are paused,
 *           then processed (one create per map, as at daemon start-up);
 *   flap    rounds of fail/reinstate: one path in each of FLAP_MAPS maps
 *           spread over the topology goes offline (change uevent), the
 *           queues settle, it comes back, they settle; each event is one
 *           cfg item, one crit item and one DM message;
 *   dmev    the kernel fails paths on its own and the DM event fd fires
 *           (mpd_dm_event): one changed map per wake-up, then a burst of
 *           changed maps; the fake's list of all maps timed apart from
 *           the rest (see phase_dmev);
 *   dmuev   dm change uevents of known maps, routed by dev_t and dropped;
 *   print   `show paths` and `show maps` formatted as the CLI does;
 *   cli     the VM benchmark's CLI prober: `show maps` / `show paths`
 *           alternately, one at a time, run by a pool of UXSRV_HANDLERS
 *           threads through cli_execute() and framed (copied) by this
 *           thread as the CLI server's loop does; memory before/after.
 *
 * Per-event cost is wall time and process CPU time (all threads, the fake
 * DM and the making of the uevents included) divided by the events.
 * Memory is VmRSS/VmHWM from /proc and the malloc heap in use; the fake
 * DM's share of the heap (the kernel's tables, in real life) is measured
 * by freeing it at the end and subtracted.
 *
 * Configuration (SIM_CONF): "plain" (default) names maps by WWID;
 * "bench" is the VM benchmark's (user_friendly_names yes, find_multipaths
 * no), so the bindings file takes part too.  Both use multibus, so a path
 * failure is exactly one message.  SIM_VERBOSITY sets the log level;
 * SIM_DIR where the wwids/bindings files go (default /dev/shm);
 * SIM_PHASES which phases follow the storm (default all).
 *
 * The daemon's malloc settings (multipathd/heap.c) are applied as
 * multipathd applies them; SIM_MALLOC=glibc leaves glibc's defaults, for
 * an A/B.  SIM_ASSERT_MEMORY=1 makes a size fail (exit 3) when the heap
 * or the RSS growth of the storm plus the cli phase exceeds the budget
 * (2 KiB per path, 4 KiB per map): `make check` runs 1,024 and 4,096
 * paths that way.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <urcu/uatomic.h>

#include "backend/backend.h"
#include "multipathd/cli-handlers.h"
#include "multipathd/core.h"
#include "multipathd/heap.h"
#include "multipathd/print.h"
#include "multipathd/uxsrv.h"
#include "tests/fake/fake-dm.h"
#include "tests/fake/fake-sys.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/strbuf.h"

#define PATHS_PER_MAP 4
#define FLAP_MAPS 250           /* maps touched per flap round, all sizes */
#define FLAP_ROUNDS 20
#define DMEV_EVENTS 100
#define DMEV_BURST 250          /* maps changed at once in dmev-burst */
#define DMUEV_EVENTS 1000
#ifndef PRINT_REPS
#define PRINT_REPS 5
#endif
#define MAX_PATHS (1 << 20)     /* sd minors are 20 bits */

/* SIM_CONF=bench: the VM benchmark's naming (aliases from the bindings
 * file, find_multipaths no); default "plain": WWIDs as names, greedy.
 * The wwids file is written on every create in both. */
static const char *const bench_conf =
	"defaults {\n"
	"  user_friendly_names yes\n"
	"  find_multipaths no\n"
	"  polling_interval 5\n"
	"  path_grouping_policy multibus\n"
	"  no_path_retry fail\n"
	"}\n";
static const char *const plain_conf =
	"defaults {\n"
	"  user_friendly_names no\n"
	"  find_multipaths greedy\n"
	"  polling_interval 5\n"
	"  path_grouping_policy multibus\n"
	"  no_path_retry fail\n"
	"}\n";

static const char *sim_conf_name(void)
{
	const char *c = getenv("SIM_CONF");

	return c && !strcmp(c, "bench") ? "bench" : "plain";
}

static enum mp_sdev_state *dev_state;   /* by minor; uatomic */

struct sample {
	double wall_s, cpu_s;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static struct sample mark(void)
{
	return (struct sample){ now_s(), cpu_s() };
}

static struct sample since(struct sample a)
{
	struct sample b = mark();

	return (struct sample){ b.wall_s - a.wall_s, b.cpu_s - a.cpu_s };
}

/* "VmRSS:" or "VmHWM:" of this process in KiB. */
static long status_kib(const char *key)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			v = strtol(line + strlen(key), NULL, 10);
	fclose(f);
	return v;
}

/* VmRSS split by mapping kind (/proc/self/smaps), to tell per-object
 * growth from fixed costs: "main" is the main malloc arena ([heap]),
 * "arenas" the other malloc arenas (anonymous, 64 MiB-aligned heaps),
 * "stacks" thread stacks (anonymous mappings of the default stack size
 * or more, not arena-aligned, with a guard page below), "anon" other
 * anonymous memory (large mallocs, liburcu, aio rings), "file" mapped
 * files (text, libraries). */
struct rss_split {
	long main_kib, arenas_kib, stacks_kib, anon_kib, file_kib;
};

static struct rss_split rss_split(void)
{
	struct rss_split s = { 0 };
	FILE *f = fopen("/proc/self/smaps", "re");
	char line[512];
	long *cur = NULL;
	unsigned long lo, hi, prev_hi = 0;
	bool prev_guard = false;

	if (!f)
		return s;
	while (fgets(line, sizeof(line), f)) {
		char perms[8], path[256] = "";
		long kib;

		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %255s", &lo, &hi, perms, path) >= 3) {
			bool anon = !path[0], guard = !strcmp(perms, "---p");

			if (!strcmp(path, "[heap]"))
				cur = &s.main_kib;
			else if (anon && !guard && lo % (64UL << 20) == 0)
				cur = &s.arenas_kib;
			else if (anon && !guard && prev_guard && prev_hi == lo && hi - lo >= (1UL << 20))
				cur = &s.stacks_kib;
			else if (anon || path[0] == '[')
				cur = &s.anon_kib;
			else
				cur = &s.file_kib;
			prev_guard = anon && guard;
			prev_hi = hi;
		} else if (cur && sscanf(line, "Rss: %ld kB", &kib) == 1) {
			*cur += kib;
		}
	}
	fclose(f);
	return s;
}

static long heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();

	return (long)mi.uordblks + (long)mi.hblkhd;
}

static void wwid_of(int map, char *buf, size_t len)
{
	snprintf(buf, len, "36001405%024d", map);
}

/* SIM_PATHINFO=sysfs: every path is a scsi_debug disk as the VM bench's
 * (vendor, model, revision, ALUA, a pseudo host, no transport names) in
 * the fake sysfs, and its path info is built by discovery's
 * mp_pathinfo_build() as the daemon builds it, all its strings included;
 * default: a short path info made here. */
static bool sim_sysfs(void)
{
	const char *v = getenv("SIM_PATHINFO");

	return v && !strcmp(v, "sysfs");
}

static const char *sim_getprop(const char *name, void *ud)
{
	return mp_uevent_get_prop(name, ud);
}

static void sim_sys_disk(int idx)
{
	int host = idx % PATHS_PER_MAP, lun = idx / PATHS_PER_MAP;
	char blk[64], dev[192], sys[256], a[320];
	uint8_t inq[96] = { 0 }, pg80[16] = { 0, 0x80, 0, 8 };

	snprintf(blk, sizeof(blk), "/sys/block/sdq%d", idx);
	snprintf(dev, sizeof(dev), "/sys/devices/pseudo_0/adapter%d/host%d/target%d:0:0/%d:0:0:%d",
		 host, host + 2, host + 2, host + 2, lun);
	snprintf(sys, sizeof(sys), "%s/block/sdq%d", dev, idx);
	fake_sys_link(blk, sys);
	snprintf(a, sizeof(a), "%s/device", blk);
	fake_sys_link(a, dev);
#define SET(attr, val) (snprintf(a, sizeof(a), "%s/%s", blk, attr), fake_sys_set(a, val))
	snprintf(a, sizeof(a), "%s/dev", blk);
	fake_sys_setf(a, "8:%d", idx);
	SET("size", "2048");
	SET("ro", "0");
	SET("queue/max_sectors_kb", "512");
	SET("device/vendor", "Linux   ");
	SET("device/model", "scsi_debug      ");
	SET("device/rev", "0191");
	SET("device/state", "running");
	SET("device/timeout", "30");
	SET("device/access_state", "active/optimized");
	SET("device/preferred_path", "0");
#undef SET
	inq[4] = 91;
	inq[5] = 0x10;          /* TPGS: implicit ALUA */
	snprintf(a, sizeof(a), "%s/device/inquiry", blk);
	fake_sys_set_bin(a, inq, sizeof(inq));
	snprintf((char *)pg80 + 4, 9, "%08d", 2000 + lun);
	snprintf(a, sizeof(a), "%s/device/vpd_pg80", blk);
	fake_sys_set_bin(a, pg80, 12);
	/* the checker's sysfs sweep reads the device state under the syspath */
	snprintf(a, sizeof(a), "%s/device/state", sys);
	fake_sys_set(a, "running");
}

/* The path info a real pathinfo() would build, with the device state
 * the simulation sets. */
static int sim_pathinfo(struct mpd *d, const struct mp_uevent *u, struct mp_path_info **ret)
{
	struct mp_path_info *pi;
	const char *w = mp_uevent_get_prop("SIM_WWID", (void *)u);

	if (sim_sysfs()) {
		struct mp_pathinfo_opts o = { .uid_attribute = "SIM_WWID", .getprop = sim_getprop,
					      .ud = (void *)u, .no_io = true };
		int r = mp_pathinfo_build(u->devname, &o, &pi);

		if (r < 0)
			return r;
		pi->state = uatomic_read(&dev_state[minor(u->devt)]);
		*ret = pi;
		return 0;
	}
	pi = calloc(1, sizeof(*pi));
	if (!pi)
		return -ENOMEM;
	pi->devname = strdup(u->devname);
	pi->devt = u->devt;
	pi->wwid = strdup(w ? w : "");
	pi->vendor = strdup("SIM");
	pi->product = strdup("DISK");
	pi->revision = strdup("1");
	pi->size = 2097152;
	pi->bus = BUS_SCSI;
	pi->state = uatomic_read(&dev_state[minor(u->devt)]);
	pi->tpg_id = -1;
	pi->host = (int)(minor(u->devt) % PATHS_PER_MAP);
	pi->lun = minor(u->devt) / PATHS_PER_MAP;
	*ret = pi;
	return 0;
}

static int sim_check(struct mpd *d, struct mp_path *p)
{
	return uatomic_read(&dev_state[minor(p->devt)]) == SDEV_RUNNING ? PATH_UP : PATH_DOWN;
}

static const struct mpd_ops sim_ops = { .pathinfo = sim_pathinfo, .check_path = sim_check };

static void path_event(struct mpd *d, enum mp_uev_action a, int map, int path)
{
	char wwid[64], name[32], env[96];
	const char *envv[] = { env, "DEVTYPE=disk", NULL };
	int idx = map * PATHS_PER_MAP + path;
	struct mp_uevent *u;

	wwid_of(map, wwid, sizeof(wwid));
	snprintf(name, sizeof(name), "sdq%d", idx);
	snprintf(env, sizeof(env), "SIM_WWID=%s", wwid);
	u = mp_uevent_new(a, name, makedev(8, idx), NULL, envv);
	if (!u) {
		fprintf(stderr, "mp-sim: out of memory\n");
		exit(1);
	}
	u->wwid = strdup(wwid);
	mpd_handle_uevent(d, u);
}

static struct mpd *sim_daemon(const char *dir)
{
	static char wwids[PATH_MAX + 16], bindings[PATH_MAX + 16];
	struct mpd_options o = {
		.start_paused = true,
		.no_udev_sync = true,
		.coalesce_ms = -1,      /* everything is queued before the start */
		.ops = &sim_ops,
	};
	struct mp_config *c = NULL;
	struct mpd *d = NULL;

	snprintf(wwids, sizeof(wwids), "%s/wwids", dir);
	snprintf(bindings, sizeof(bindings), "%s/bindings", dir);
	o.wwids_file = wwids;
	o.bindings_file = bindings;
	if (mpd_new(&o, &d) < 0 || mp_config_load_string(strcmp(sim_conf_name(), "bench") ? plain_conf : bench_conf,
								 "sim.conf", &c, NULL) < 0) {
		fprintf(stderr, "mp-sim: cannot set up the daemon core\n");
		exit(1);
	}
	mpd_set_config(d, c);
	return d;
}

static void settle(struct mpd *d)
{
	if (mpd_settle(d, 3600 * 1000) < 0) {
		fprintf(stderr, "mp-sim: the queues did not settle\n");
		exit(1);
	}
}

static void report(int paths, const char *phase, long events, struct sample s,
		   const char *extra)
{
	printf("SIM conf=%s paths=%d phase=%s events=%ld wall_s=%.3f cpu_s=%.3f "
	       "wall_us_per_event=%.2f cpu_us_per_event=%.2f%s%s\n",
	       sim_conf_name(), paths, phase, events, s.wall_s, s.cpu_s, s.wall_s * 1e6 / (double)events,
	       s.cpu_s * 1e6 / (double)events, extra ? " " : "", extra ? extra : "");
	fflush(stdout);
}

static void phase_storm(struct mpd *d, int paths)
{
	int maps = paths / PATHS_PER_MAP;
	struct sample s0 = mark(), intake;
	char extra[160];

	/* per map, as a SCSI scan of one LUN after the other hands them out */
	for (int m = 0; m < maps; m++)
		for (int p = 0; p < PATHS_PER_MAP; p++)
			path_event(d, UEV_ADD, m, p);
	intake = since(s0);
	mpd_start_processing(d);
	settle(d);
	snprintf(extra, sizeof(extra), "intake_cpu_us_per_event=%.2f creates=%llu reloads=%llu maps_in_dm=%zu",
		 intake.cpu_s * 1e6 / paths, (unsigned long long)fake_dm_count(DMOP_CREATE),
		 (unsigned long long)fake_dm_count(DMOP_RELOAD), fake_dm_map_count());
	report(paths, "storm", paths, since(s0), extra);
}

/* One half-round: the chosen path of FLAP_MAPS maps changes state. */
static void flap_half(struct mpd *d, int maps, int round, enum mp_sdev_state st)
{
	int n = maps < FLAP_MAPS ? maps : FLAP_MAPS;

	for (int i = 0; i < n; i++) {
		int m = (int)((long)i * maps / n);
		int p = round % PATHS_PER_MAP;

		uatomic_set(&dev_state[m * PATHS_PER_MAP + p], st);
		path_event(d, UEV_CHANGE, m, p);
	}
	settle(d);
}

static void phase_flap(struct mpd *d, int paths)
{
	int maps = paths / PATHS_PER_MAP;
	int n = maps < FLAP_MAPS ? maps : FLAP_MAPS;
	uint64_t msg0 = fake_dm_count(DMOP_MESSAGE), rel0 = fake_dm_count(DMOP_RELOAD);
	struct sample s0 = mark();
	char extra[128];

	for (int r = 0; r < FLAP_ROUNDS; r++) {
		flap_half(d, maps, r, SDEV_OFFLINE);
		flap_half(d, maps, r, SDEV_RUNNING);
	}
	snprintf(extra, sizeof(extra), "dm_messages=%llu reloads=%llu",
		 (unsigned long long)(fake_dm_count(DMOP_MESSAGE) - msg0),
		 (unsigned long long)(fake_dm_count(DMOP_RELOAD) - rel0));
	report(paths, "flap", 2L * FLAP_ROUNDS * n, since(s0), extra);
}

static char *map_name(struct mpd *d, int map)
{
	char wwid[64];
	struct mp_map *m;
	char *name = NULL;

	wwid_of(map, wwid, sizeof(wwid));
	rcu_read_lock();
	m = mp_topo_find_map(&d->topo, wwid);
	if (m) {
		const struct mp_map_snap *s = rcu_dereference(m->snap);

		if (s && s->name)
			name = strdup(s->name);
	}
	rcu_read_unlock();
	return name;
}

/* The kernel fails path `path` of map number `map` by itself (an I/O
 * error) and the DM event fd fires; 0 if the map was found. */
static int kernel_fails(struct mpd *d, int map, int path, bool fire)
{
	char *name = map_name(d, map);
	int r = name ? fake_dm_kernel_fail_path(name, makedev(8, map * PATHS_PER_MAP + path)) : -ENOENT;

	free(name);
	if (r == 0 && fire)
		mpd_dm_event(d);
	return r;
}

/*
 * DM events.  The DM_DEV_ARM_POLL fd only says "some map had an event";
 * the daemon lists all maps with their event numbers and reads the status
 * of those whose number moved.  The fake DM times its list() (the
 * kernel's DM_LIST_DEVICES and the copy into one block), so each figure
 * is split into the list and the rest (the daemon's scan, the status
 * reads, queueing and waking a worker, the simulation's own bookkeeping;
 * what of it grows with the maps is the difference between sizes):
 *   dmev        one map changes per wake-up (the kernel fails a path, the
 *               fd fires, settled before the next): per wake-up;
 *   dmev-burst  one path fails in each of DMEV_BURST maps, the fd firing
 *               after each (as the loop does per wake-up), settled once
 *               at the end: the scans coalesce; per changed map.
 * A first untimed scan takes in what the flap phase's messages changed.
 */
static void phase_dmev(struct mpd *d, int paths)
{
	int maps = paths / PATHS_PER_MAP;
	int n = maps < DMEV_EVENTS ? maps : DMEV_EVENTS, seen = 0;
	int nb = maps < DMEV_BURST ? maps : DMEV_BURST, changed = 0;
	uint64_t st0, ls0, lc0, lists;
	double list_us, rest_us;
	struct sample s0;
	char extra[320];

	st0 = fake_dm_count(DMOP_STATUS);
	mpd_dm_event(d);
	settle(d);
	printf("SIM conf=%s paths=%d phase=dmev-prime status_reads=%llu\n", sim_conf_name(), paths,
	       (unsigned long long)(fake_dm_count(DMOP_STATUS) - st0));

	st0 = fake_dm_count(DMOP_STATUS);
	ls0 = fake_dm_count(DMOP_LIST);
	lc0 = fake_dm_list_cpu_ns();
	s0 = mark();
	for (int i = 0; i < n; i++) {
		kernel_fails(d, (int)((long)i * maps / n), 0, true);
		settle(d);
	}
	s0 = since(s0);
	for (int i = 0; i < n; i++) {
		struct mp_path *p;

		rcu_read_lock();
		p = mp_topo_find_path(&d->topo, makedev(8, (int)((long)i * maps / n) * PATHS_PER_MAP));
		seen += p && uatomic_read(&p->dm_state) == DMP_FAILED;
		rcu_read_unlock();
	}
	lists = fake_dm_count(DMOP_LIST) - ls0;
	list_us = (double)(fake_dm_list_cpu_ns() - lc0) / 1e3 / (double)(lists ? lists : 1);
	rest_us = s0.cpu_s * 1e6 / n - list_us * (double)lists / n;
	snprintf(extra, sizeof(extra), "maps=%d seen_failed=%d dm_lists=%llu status_reads=%llu "
		 "list_cpu_us_per_wakeup=%.2f list_ns_per_listed_map=%.1f "
		 "rest_cpu_us_per_wakeup=%.2f", maps, seen,
		 (unsigned long long)lists, (unsigned long long)(fake_dm_count(DMOP_STATUS) - st0),
		 list_us, list_us * 1e3 / maps, rest_us);
	report(paths, "dmev", n, s0, extra);

	st0 = fake_dm_count(DMOP_STATUS);
	ls0 = fake_dm_count(DMOP_LIST);
	lc0 = fake_dm_list_cpu_ns();
	s0 = mark();
	for (int i = 0; i < nb; i++)
		changed += kernel_fails(d, (int)((long)i * maps / nb), 1, true) == 0;
	settle(d);
	s0 = since(s0);
	lists = fake_dm_count(DMOP_LIST) - ls0;
	list_us = (double)(fake_dm_list_cpu_ns() - lc0) / 1e3;
	snprintf(extra, sizeof(extra), "changed_maps=%d dm_lists=%llu status_reads=%llu "
		 "list_cpu_us=%.2f rest_cpu_us_per_changed_map=%.2f", changed,
		 (unsigned long long)lists, (unsigned long long)(fake_dm_count(DMOP_STATUS) - st0),
		 list_us, (s0.cpu_s * 1e6 - list_us) / (changed ? changed : 1));
	report(paths, "dmev-burst", nb, s0, extra);
}

/* dm uevents: a create or reload brings a few per map (add, change),
 * each routed by the map's dev_t; a change of a known map is dropped.
 * DMUEV_EVENTS change uevents of maps spread over the topology. */
static void phase_dmuev(struct mpd *d, int paths)
{
	int maps = paths / PATHS_PER_MAP;
	uint64_t filtered0 = mpd_load(&d->priv->cnt.uev_filtered);
	struct mp_uevent **u = calloc(DMUEV_EVENTS, sizeof(*u));
	struct sample s0;
	char extra[96];

	if (!u)
		exit(1);
	for (int i = 0; i < DMUEV_EVENTS; i++) {
		char wwid[64], dev[32], nm[96], id[128];
		const char *envv[] = { nm, id, "DEVTYPE=disk", NULL };
		const struct mp_map_snap *snap;
		struct mp_map *m;
		dev_t devt = 0;

		wwid_of((int)((long)i * maps / DMUEV_EVENTS), wwid, sizeof(wwid));
		rcu_read_lock();
		m = mp_topo_find_map(&d->topo, wwid);
		snap = m ? rcu_dereference(m->snap) : NULL;
		if (snap) {
			devt = snap->devt;
			snprintf(nm, sizeof(nm), "DM_NAME=%s", snap->name);
		}
		rcu_read_unlock();
		snprintf(dev, sizeof(dev), "dm-%u", minor(devt));
		snprintf(id, sizeof(id), "DM_UUID=mpath-%s", wwid);
		u[i] = devt ? mp_uevent_new(UEV_CHANGE, dev, devt, NULL, envv) : NULL;
		if (!u[i]) {
			fprintf(stderr, "mp-sim: no dm uevent for map %s\n", wwid);
			exit(1);
		}
	}
	s0 = mark();
	for (int i = 0; i < DMUEV_EVENTS; i++)
		mpd_handle_uevent(d, u[i]);
	settle(d);
	s0 = since(s0);
	free(u);
	snprintf(extra, sizeof(extra), "filtered=%llu",
		 (unsigned long long)(mpd_load(&d->priv->cnt.uev_filtered) - filtered0));
	report(paths, "dmuev", DMUEV_EVENTS, s0, extra);
}

static int cmp_path(const void *a, const void *b)
{
	dev_t x = (*(struct mp_path *const *)a)->devt, y = (*(struct mp_path *const *)b)->devt;

	return (x > y) - (x < y);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double thread_cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Median CPU time of this thread formatting `show paths` (maps: `show
 * maps`) the way the CLI does: collect, sort, print the table.  CPU, not
 * wall time: on a shared host the wall time is mostly other tenants.
 * Returns µs. */
static double time_show(struct mpd *d, bool paths, size_t *ret_len)
{
	double t[PRINT_REPS];

	for (int r = 0; r < PRINT_REPS; r++) {
		struct strbuf sb = STRBUF_INIT;
		struct cds_lfht_iter it;
		void **v = calloc(MAX_PATHS, sizeof(*v));
		struct mp_path *p;
		struct mp_map *m;
		size_t n = 0;
		double t0 = thread_cpu_s();

		if (!v)
			exit(1);
		rcu_read_lock();
		if (paths) {
			mp_topo_for_each_path(&d->topo, &it, p)
				v[n++] = p;
			qsort(v, n, sizeof(*v), cmp_path);
			print_paths_table(&sb, (struct mp_path *const *)v, n, PRINT_PATHS_DEFAULT_FMT, true);
		} else {
			mp_topo_for_each_map(&d->topo, &it, m)
				if (rcu_dereference(m->snap))
					v[n++] = m;
			print_maps_table(&sb, (struct mp_map *const *)v, n, PRINT_MAPS_DEFAULT_FMT, true);
		}
		rcu_read_unlock();
		t[r] = (thread_cpu_s() - t0) * 1e6;
		*ret_len = sb.len;
		strbuf_done(&sb);
		free(v);
	}
	qsort(t, PRINT_REPS, sizeof(t[0]), cmp_double);
	return t[PRINT_REPS / 2];
}

static void phase_print(struct mpd *d, int paths)
{
	size_t len_p = 0, len_m = 0;
	double tp, tm;

	tp = time_show(d, true, &len_p);
	tm = time_show(d, false, &len_m);
	printf("SIM conf=%s paths=%d phase=print show_paths_cpu_ms=%.2f show_paths_cpu_us_per_path=%.3f "
	       "show_paths_bytes=%zu show_maps_cpu_ms=%.2f show_maps_cpu_us_per_map=%.3f "
	       "show_maps_bytes=%zu\n", sim_conf_name(), paths, tp / 1000, tp / paths, len_p,
	       tm / 1000, tm / (paths / PATHS_PER_MAP), len_m);
	fflush(stdout);
}

struct mem {
	long rss_kib, hwm_kib, heap_b;
	struct rss_split split;
};

static struct mem mem_now(void)
{
	return (struct mem){ status_kib("VmRSS:"), status_kib("VmHWM:"), heap_bytes(), rss_split() };
}

static long cli_rss_growth_kib; /* what the cli phase added (VmRSS, KiB) */

/* false when over budget */
static bool report_memory(int paths, const struct mem *base, const struct mem *after)
{
	int maps = paths / PATHS_PER_MAP;
	long heap = heap_bytes(), fake, daemon_heap, with_cli;
	double budget_kib = (2048.0 * paths + 4096.0 * maps) / 1024;

	/* the fake DM's tables stand for kernel memory: free them, weigh them */
	fake_dm_uninstall();
	fake = heap - heap_bytes();
	daemon_heap = after->heap_b - base->heap_b - fake;
	printf("SIM conf=%s paths=%d phase=memory maps=%d rss_base_kib=%ld rss_after_storm_kib=%ld "
	       "hwm_after_storm_kib=%ld rss_delta_kib=%ld fake_dm_heap_kib=%ld "
	       "daemon_heap_delta_kib=%ld daemon_heap_b_per_path=%.0f rss_delta_b_per_path=%.0f "
	       "budget_kib=%.0f verdict_heap=%s verdict_rss=%s\n",
	       sim_conf_name(), paths, maps, base->rss_kib, after->rss_kib, after->hwm_kib,
	       after->rss_kib - base->rss_kib, fake / 1024, daemon_heap / 1024,
	       (double)daemon_heap / paths, (double)(after->rss_kib - base->rss_kib) * 1024 / paths,
	       budget_kib, daemon_heap / 1024.0 <= budget_kib ? "within" : "over",
	       (double)(after->rss_kib - base->rss_kib) <= budget_kib ? "within" : "over");
	printf("SIM conf=%s paths=%d phase=memsplit rss_main_arena_kib=%ld->%ld "
	       "rss_thread_arenas_kib=%ld->%ld rss_stacks_kib=%ld->%ld rss_anon_kib=%ld->%ld "
	       "rss_file_kib=%ld->%ld\n", sim_conf_name(), paths,
	       base->split.main_kib, after->split.main_kib, base->split.arenas_kib,
	       after->split.arenas_kib, base->split.stacks_kib, after->split.stacks_kib,
	       base->split.anon_kib, after->split.anon_kib, base->split.file_kib,
	       after->split.file_kib);
	/* the storm and the CLI prober together, as the VM bench sees them */
	with_cli = after->rss_kib - base->rss_kib + cli_rss_growth_kib;
	printf("SIM conf=%s paths=%d phase=budget malloc=%s rss_storm_plus_cli_kib=%ld budget_kib=%.0f "
	       "verdict=%s\n", sim_conf_name(), paths, getenv("SIM_MALLOC") ? getenv("SIM_MALLOC") : "daemon",
	       with_cli, budget_kib, with_cli <= budget_kib && daemon_heap / 1024.0 <= budget_kib ?
	       "within" : "over");
	fflush(stdout);
	return with_cli <= budget_kib && daemon_heap / 1024.0 <= budget_kib;
}

/*---- cli: the CLI server's handler pool under the benchmark's prober ----*/

#define CLI_REQUESTS 400        /* 20 s of the VM prober (20 requests/s) */

struct cli_pool {
	struct mpd *d;
	pthread_mutex_t lock;
	pthread_cond_t cond, done_cond;
	const char *line;       /* the pending request, NULL when none */
	char *reply;            /* its answer, once done */
	bool done, stop;
};

static void *cli_worker(void *arg)
{
	struct cli_pool *cp = arg;

	rcu_register_thread();
	pthread_mutex_lock(&cp->lock);
	while (!cp->stop) {
		const char *line = cp->line;
		bool close_after;
		char *r;

		if (!line) {
			pthread_cond_wait(&cp->cond, &cp->lock);
			continue;
		}
		cp->line = NULL;
		pthread_mutex_unlock(&cp->lock);
		r = cli_execute(cp->d, line, 0, 10000, &close_after);
		pthread_mutex_lock(&cp->lock);
		cp->reply = r;
		cp->done = true;
		pthread_cond_signal(&cp->done_cond);
	}
	pthread_mutex_unlock(&cp->lock);
	rcu_unregister_thread();
	return NULL;
}

static void phase_cli(struct mpd *d, int paths)
{
	struct cli_pool cp = { .d = d, .lock = PTHREAD_MUTEX_INITIALIZER,
			       .cond = PTHREAD_COND_INITIALIZER,
			       .done_cond = PTHREAD_COND_INITIALIZER };
	pthread_t tids[UXSRV_HANDLERS];
	struct mem before, after;
	size_t bytes = 0;

	for (int i = 0; i < UXSRV_HANDLERS; i++)
		if (pthread_create(&tids[i], NULL, cli_worker, &cp))
			exit(1);
	before = mem_now();
	for (int i = 0; i < CLI_REQUESTS; i++) {
		size_t len;
		char *framed;

		pthread_mutex_lock(&cp.lock);
		cp.line = i % 2 ? "show paths" : "show maps";
		cp.done = false;
		pthread_cond_signal(&cp.cond);
		while (!cp.done)
			pthread_cond_wait(&cp.done_cond, &cp.lock);
		pthread_mutex_unlock(&cp.lock);
		/* the server's loop frames the reply (client_reply) */
		len = strlen(cp.reply) + 1;
		framed = malloc(sizeof(len) + len);
		if (!framed)
			exit(1);
		memcpy(framed, &len, sizeof(len));
		memcpy(framed + sizeof(len), cp.reply, len);
		free(cp.reply);
		bytes += len;
		free(framed);
	}
	after = mem_now();
	cli_rss_growth_kib = after.rss_kib - before.rss_kib;
	printf("SIM conf=%s paths=%d phase=cli requests=%d reply_kib=%zu rss_kib=%ld->%ld "
	       "rss_main_arena_kib=%ld->%ld rss_thread_arenas_kib=%ld->%ld rss_stacks_kib=%ld->%ld "
	       "heap_kib=%ld->%ld\n", sim_conf_name(), paths, CLI_REQUESTS, bytes >> 10,
	       before.rss_kib, after.rss_kib, before.split.main_kib, after.split.main_kib,
	       before.split.arenas_kib, after.split.arenas_kib, before.split.stacks_kib,
	       after.split.stacks_kib, before.heap_b >> 10, after.heap_b >> 10);
	fflush(stdout);
	pthread_mutex_lock(&cp.lock);
	cp.stop = true;
	pthread_cond_broadcast(&cp.cond);
	pthread_mutex_unlock(&cp.lock);
	for (int i = 0; i < UXSRV_HANDLERS; i++)
		pthread_join(tids[i], NULL);
}

/*
 * checker (only when named in SIM_PHASES): what the checker thread keeps
 * per path, which the other phases never make: one tick with the
 * daemon's own checks (the sysfs sweep and the path's checker, tur, over
 * the fake sg, which answers at once) gives every path its context,
 * check and prioritizer settings; the heap they add is reported per
 * path.  The fake sg's own record of each open fd (kernel memory in real
 * life) is measured on as many opens beforehand and subtracted.  With
 * SIM_PATHINFO=sysfs the sweep finds the device state in the fake sysfs.
 */
static void phase_checker(struct mpd *d, int paths)
{
	const struct mp_sgio_ops *g = mp_backend()->sgio;
	long h0, h1, fake_open;
	int *fds = calloc((size_t)paths, sizeof(*fds));
	char name[32];

	if (!fds || !g || !g->open_dev)
		exit(1);
	/* the fake's per-device record is made by the first open: make it
	 * now, then weigh one more open of each */
	for (int i = 0; i < paths; i++) {
		snprintf(name, sizeof(name), "sdq%d", i);
		fds[i] = g->open_dev(name, MP_OPEN_SG);
		close(fds[i]);
	}
	h0 = heap_bytes();
	for (int i = 0; i < paths; i++) {
		snprintf(name, sizeof(name), "sdq%d", i);
		fds[i] = g->open_dev(name, MP_OPEN_SG);
	}
	fake_open = heap_bytes() - h0;
	for (int i = 0; i < paths; i++)
		close(fds[i]);
	free(fds);
	d->priv->ops.check_path = mpd_default_check_path;
	h0 = heap_bytes();
	for (int t = 0; t < 2; t++) {
		mpd_tick(d);
		settle(d);
		usleep(20000);
	}
	mpd_tick(d);
	settle(d);
	h1 = heap_bytes();
	printf("SIM conf=%s paths=%d phase=checker heap_kib=%ld->%ld fake_sg_kib=%ld "
	       "checker_heap_b_per_path=%.0f\n", sim_conf_name(), paths, h0 >> 10, h1 >> 10,
	       fake_open >> 10, (double)(h1 - h0 - fake_open) / paths);
	fflush(stdout);
}

/* SIM_PHASES="flap print ...": the phases after the storm to run (all
 * by default). */
static bool want_phase(const char *name)
{
	const char *w = getenv("SIM_PHASES");

	return !w || strstr(w, name);
}

/* One size, in a child process; never returns. */
static void run_size(int paths)
{
	char dir[PATH_MAX], cmd[PATH_MAX + 16];
	struct mem base, settled;
	struct mpd *d;
	bool within;

	if (!getenv("SIM_MALLOC") || strcmp(getenv("SIM_MALLOC"), "glibc"))
		mpd_heap_setup();
	mp_log_init("mp-sim", MP_LOG_STDERR, getenv("SIM_VERBOSITY") ? atoi(getenv("SIM_VERBOSITY")) : 1, 0);
	dev_state = calloc((size_t)paths + PATHS_PER_MAP, sizeof(*dev_state));
	/* tmpfs by default: the wwids file is fsync'ed on every create, and
	 * a shared disk's fsync latency is not the daemon's cost per event */
	snprintf(dir, sizeof(dir), "%s/mp-sim.XXXXXX",
		 getenv("SIM_DIR") ? getenv("SIM_DIR") : access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm");
	if (!dev_state || !mkdtemp(dir))
		exit(1);
	for (int i = 0; i < paths; i++)
		dev_state[i] = SDEV_RUNNING;
	fake_dm_install();
	if (sim_sysfs() || (getenv("SIM_PHASES") && strstr(getenv("SIM_PHASES"), "checker"))) {
		fake_sys_install();
		for (int i = 0; sim_sysfs() && i < paths; i++)
			sim_sys_disk(i);
	}
	d = sim_daemon(dir);
	base = mem_now();
	phase_storm(d, paths);
	/* memory right after assembly: what the topology itself costs */
	settled = mem_now();
	if (want_phase("flap"))
		phase_flap(d, paths);
	if (want_phase("dmev"))
		phase_dmev(d, paths);
	if (want_phase("dmuev"))
		phase_dmuev(d, paths);
	if (want_phase("print"))
		phase_print(d, paths);
	if (want_phase("cli"))
		phase_cli(d, paths);
	if (getenv("SIM_PHASES") && strstr(getenv("SIM_PHASES"), "checker"))
		phase_checker(d, paths);
	within = report_memory(paths, &base, &settled);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "mp-sim: could not remove %s\n", dir);
	/* no mpd_free(): the fake DM is gone; the process ends here */
	_exit(!within && getenv("SIM_ASSERT_MEMORY") ? 3 : 0);
}

/* The command, the environment that shapes it and the moment, printed
 * first so a pasted result says what made it. */
static void print_command(int argc, char **argv)
{
	static const char *const vars[] = { "SIM_CONF", "SIM_PHASES", "SIM_DIR", "SIM_VERBOSITY",
					    "SIM_MALLOC", "SIM_ASSERT_MEMORY", "SIM_PATHINFO" };
	char load[64] = "?";
	time_t t = time(NULL);
	char when[32];
	FILE *f;

	printf("# command:");
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (getenv(vars[i]))
			printf(" %s='%s'", vars[i], getenv(vars[i]));
	for (int i = 0; i < argc; i++)
		printf(" %s", argv[i]);
	f = fopen("/proc/loadavg", "re");
	if (f) {
		if (!fgets(load, sizeof(load), f))
			strcpy(load, "?");
		load[strcspn(load, "\n")] = 0;
		fclose(f);
	}
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	printf("\n# at %s, load average %s\n", when, load);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	static const int defaults[] = { 1000, 10000, 100000 };
	int rc = 0;

	print_command(argc, argv);

	for (int i = 0; i < (argc > 1 ? argc - 1 : 3); i++) {
		int paths = argc > 1 ? atoi(argv[i + 1]) : defaults[i];
		pid_t pid;
		int st;

		if (paths < PATHS_PER_MAP || paths > MAX_PATHS - PATHS_PER_MAP) {
			fprintf(stderr, "mp-sim: paths must be %d..%d\n", PATHS_PER_MAP, MAX_PATHS);
			return 2;
		}
		fflush(stdout);
		pid = fork();
		if (pid == 0)
			run_size(paths - paths % PATHS_PER_MAP);
		if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr, "mp-sim: run at %d paths failed\n", paths);
			rc = 1;
		}
	}
	return rc;
}
