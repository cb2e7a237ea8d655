// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon core with real worker threads over the fake device-mapper:
 * uevents are fed as plain structs, path info comes from a test hook, the
 * checker verdicts from a table the test controls, time from a fake clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include <urcu/uatomic.h>
#include <cmocka.h>

#include "multipathd/core.h"
#include "discovery/files.h"
#include "dm/dm.h"
#include "tests/fake/fake-dm.h"
#include "tests/fake/fake-sys.h"
#include "util/clock.h"
#include "util/log.h"

#define N_MAPS 2500
#define PATHS_PER_MAP 4
#define N_PATHS (N_MAPS * PATHS_PER_MAP)

static int n_maps = N_MAPS;             /* TEST_STORM_MAPS (TSan runs) */
static int chk_state[N_PATHS + 16];     /* by minor */
static enum mp_access_state acc_state[N_PATHS + 16];
/* The test clock runs with real time (the coalescing windows of the work
 * queues expire on their own) and jumps by hand (the 1 s ticks). */
static uint64_t fake_usec = 1000000;
static char tmpdir[64];

static uint64_t real_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * USEC_PER_SEC + (uint64_t)ts.tv_nsec / 1000;
}

static uint64_t fake_now(void)
{
	return real_usec() + mpd_load(&fake_usec);
}

static const struct mp_clock_ops fake_clock = { .now_usec = fake_now };

/* A release: what the test did before is visible to a worker that sees
 * the new time (TSan checks it). */
static void clock_jump(uint64_t usec)
{
	__atomic_fetch_add(&fake_usec, usec, __ATOMIC_ACQ_REL);
}

static int test_pathinfo(struct mpd *d, const struct mp_uevent *u, struct mp_path_info **ret)
{
	struct mp_path_info *pi = calloc(1, sizeof(*pi));
	const char *w = mp_uevent_get_prop("TEST_WWID", (void *)u);

	if (!pi)
		return -ENOMEM;
	pi->devname = strdup(u->devname);
	pi->devt = u->devt;
	pi->wwid = strdup(w ? w : "");
	pi->vendor = strdup("FAKE");
	pi->product = strdup("DISK");
	pi->revision = strdup("1");
	pi->size = 2097152;
	pi->bus = BUS_SCSI;
	pi->state = SDEV_RUNNING;
	pi->access_state = acc_state[minor(u->devt)];
	pi->tpg_id = -1;
	*ret = pi;
	return 0;
}

static int test_check(struct mpd *d, struct mp_path *p)
{
	return mpd_load(&chk_state[minor(p->devt)]);
}

static const struct mpd_ops test_ops = { .pathinfo = test_pathinfo, .check_path = test_check };

static void wwid_of(int map, char *buf, size_t len)
{
	snprintf(buf, len, "36001405%024d", map);
}

static struct mp_uevent *path_event(enum mp_uev_action a, int map, int path)
{
	char wwid[64], name[32], env[96];
	const char *envv[] = { env, "DEVTYPE=disk", NULL };
	int idx = map * PATHS_PER_MAP + path;
	struct mp_uevent *u;

	wwid_of(map, wwid, sizeof(wwid));
	snprintf(name, sizeof(name), "sdq%d", idx);
	snprintf(env, sizeof(env), "TEST_WWID=%s", wwid);
	u = mp_uevent_new(a, name, makedev(8, idx), NULL, envv);
	assert_non_null(u);
	u->wwid = strdup(wwid);
	return u;
}

static struct mpd *daemon_coalesce(const char *conf_text, bool paused, int coalesce_ms)
{
	struct mpd_options o = {
		.n_workers = 4,
		.start_paused = paused,
		.no_udev_sync = true,
		.coalesce_ms = coalesce_ms,
		.ops = &test_ops,
	};
	static char wwids[96], bindings[96], prkeys[96];
	struct mp_config *c = NULL;
	struct mpd *d = NULL;

	snprintf(wwids, sizeof(wwids), "%s/wwids", tmpdir);
	snprintf(bindings, sizeof(bindings), "%s/bindings", tmpdir);
	o.wwids_file = wwids;
	o.bindings_file = bindings;
	o.udev_db_dir = tmpdir;
	snprintf(prkeys, sizeof(prkeys), "%s/etc/prkeys", tmpdir);
	o.prkeys_file = prkeys;
	assert_int_equal(mpd_new(&o, &d), 0);
	assert_int_equal(mp_config_load_string(conf_text, "test.conf", &c, NULL), 0);
	mpd_set_config(d, c);
	return d;
}

static struct mpd *daemon_with(const char *conf_text, bool paused)
{
	return daemon_coalesce(conf_text, paused, 0);
}

static const char *const base_conf =
	"defaults {\n"
	"  find_multipaths greedy\n"
	"  user_friendly_names no\n"
	"  polling_interval 2\n"
	"}\n";

static const char *const multibus_conf_early =
	"defaults {\n  find_multipaths greedy\n  polling_interval 1\n"
	"  path_grouping_policy multibus\n  no_path_retry fail\n}\n";

static int setup(void **state)
{
	const char *v = getenv("TEST_VERBOSITY");

	mp_log_init("test-core", MP_LOG_STDERR, v ? atoi(v) : 1, 0);
	mp_clock_set_ops(&fake_clock);
	fake_dm_install();
	mp_dm_stats_reset();
	for (size_t i = 0; i < sizeof(chk_state) / sizeof(chk_state[0]); i++) {
		chk_state[i] = PATH_UP;
		acc_state[i] = ACCESS_UNKNOWN;
	}
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test-core.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	fake_dm_uninstall();
	mp_clock_set_ops(NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		return -1;
	return 0;
}

static void check_topology(struct mpd *d, int want_maps, int per_map)
{
	struct cds_lfht_iter it;
	struct mp_map *m;
	int maps = 0;

	rcu_read_lock();
	mp_topo_for_each_map(&d->topo, &it, m) {
		mp_tsan_acquire(m);
		const struct mp_map_snap *s = mpd_load(&m->snap);
		size_t n = 0;

		assert_non_null(s);
		for (size_t g = 0; g < s->n_pgs; g++)
			n += s->pgs[g].n_paths;
		assert_int_equal(n, per_map);
		assert_int_equal(fake_dm_n_paths(s->name), per_map);
		maps++;
	}
	rcu_read_unlock();
	assert_int_equal(maps, want_maps);
	assert_int_equal(fake_dm_map_count(), want_maps);
}

/*---- storms ----*/

/* All events queued before the workers start: one create per map, no reload. */
static void test_storm_batched(void **state)
{
	struct mpd *d = daemon_with(base_conf, true);

	for (int p = 0; p < PATHS_PER_MAP; p++)
		for (int m = 0; m < n_maps; m++)
			mpd_handle_uevent(d, path_event(UEV_ADD, m, p));
	mpd_start_processing(d);
	assert_int_equal(mpd_settle(d, 900000), 0);
	assert_int_equal(fake_dm_count(DMOP_CREATE), n_maps);
	assert_int_equal(fake_dm_count(DMOP_RELOAD), 0);
	check_topology(d, n_maps, PATHS_PER_MAP);
	print_message("batched storm: %d events -> %llu creates, %llu reloads, %llu merged\n",
		      (n_maps * PATHS_PER_MAP), (unsigned long long)fake_dm_count(DMOP_CREATE),
		      (unsigned long long)fake_dm_count(DMOP_RELOAD),
		      (unsigned long long)d->priv->cnt.uev_merged);
	mpd_free(d);
}

struct reader {
	struct mpd *d;
	bool stop;
	uint64_t max_map_ns, max_walk_ns, walks, maps_seen;
	uint64_t hist[40];              /* per-map read time, log2 ns */
};

static uint64_t hist_quantile(const uint64_t *h, uint64_t total, double q)
{
	uint64_t seen = 0;

	for (int b = 0; b < 40; b++) {
		seen += h[b];
		if (seen >= (uint64_t)(q * (double)total))
			return 1ULL << b;
	}
	return 1ULL << 39;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* A CLI-like reader: walks every map's snapshot, copying a little. */
static void *reader_main(void *arg)
{
	struct reader *r = arg;

	rcu_register_thread();
	while (!mpd_load(&r->stop)) {
		struct cds_lfht_iter it;
		struct mp_map *m;
		uint64_t t0 = now_ns(), t1, t2;

		rcu_read_lock();
		t1 = t0;
		mp_topo_for_each_map(&r->d->topo, &it, m) {
			mp_tsan_acquire(m);
			const struct mp_map_snap *s = mpd_load(&m->snap);
			volatile size_t sum = 0;

			if (s)
				for (size_t g = 0; g < s->n_pgs; g++)
					for (size_t i = 0; i < s->pgs[g].n_paths; i++)
						sum += mpd_load(&s->pgs[g].paths[i]->chk_state);
			(void)sum;      /* the loads are the point */
			t2 = now_ns();
			if (t2 - t1 > r->max_map_ns)
				r->max_map_ns = t2 - t1;
			{
				int b = 0;

				while (b < 39 && (t2 - t1) >= (1ULL << b))
					b++;
				r->hist[b]++;
			}
			t1 = t2;
			r->maps_seen++;
		}
		rcu_read_unlock();
		if (now_ns() - t0 > r->max_walk_ns)
			r->max_walk_ns = now_ns() - t0;
		r->walks++;
	}
	rcu_unregister_thread();
	return NULL;
}

/* Events arrive while workers run: creates + reloads are bounded by the
 * batches, and the topology still ends exact. */
static void test_storm_live(void **state)
{
	struct mpd *d = daemon_with(base_conf, false);
	struct reader rd = { .d = d };
	pthread_t tid;
	uint64_t creates, reloads;

	assert_int_equal(pthread_create(&tid, NULL, reader_main, &rd), 0);
	/* interleaved (path 0 of every map, then path 1, …): the worst
	 * order for coalescing */
	for (int p = 0; p < PATHS_PER_MAP; p++)
		for (int m = 0; m < n_maps; m++)
			mpd_handle_uevent(d, path_event(UEV_ADD, m, p));
	assert_int_equal(mpd_settle(d, 900000), 0);
	mpd_store(&rd.stop, true);
	pthread_join(tid, NULL);
	creates = fake_dm_count(DMOP_CREATE);
	reloads = fake_dm_count(DMOP_RELOAD);
	/* exactly one create per map; at most one DM load per batch, and a
	 * map has at most PATHS_PER_MAP batches of adds */
	assert_int_equal(creates, n_maps);
	assert_true(creates + reloads <= (uint64_t)(n_maps * PATHS_PER_MAP));
	assert_true(reloads <= (uint64_t)n_maps * (PATHS_PER_MAP - 1));
	check_topology(d, n_maps, PATHS_PER_MAP);
	print_message("live storm: %d events -> %llu creates, %llu reloads (%llu merged); "
		      "reader: %llu walks, %llu map reads, per-map read p50 < %llu ns, "
		      "p99.9 < %llu ns, max %llu us (max includes preemption on %ld CPUs)\n",
		      (n_maps * PATHS_PER_MAP), (unsigned long long)creates, (unsigned long long)reloads,
		      (unsigned long long)d->priv->cnt.uev_merged, (unsigned long long)rd.walks,
		      (unsigned long long)rd.maps_seen,
		      (unsigned long long)hist_quantile(rd.hist, rd.maps_seen, 0.5),
		      (unsigned long long)hist_quantile(rd.hist, rd.maps_seen, 0.999),
		      (unsigned long long)rd.max_map_ns / 1000, sysconf(_SC_NPROCESSORS_ONLN));
	mpd_free(d);
}

/* Paths arriving one by one, round-robin over the maps (path 0 of every
 * map, then path 1, ...), paced like udev hands them out. */
static uint64_t paced_storm(struct mpd *d, int maps, int gap_usec)
{
	uint64_t t0 = real_usec(), span;

	for (int p = 0; p < PATHS_PER_MAP; p++)
		for (int m = 0; m < maps; m++) {
			mpd_handle_uevent(d, path_event(UEV_ADD, m, p));
			usleep((useconds_t)gap_usec);
		}
	/* from a map's first path to its last */
	span = (real_usec() - t0) * (PATHS_PER_MAP - 1) / PATHS_PER_MAP;
	assert_int_equal(mpd_settle(d, 900000), 0);
	return span;
}

/* The coalescing window: without it nearly every later path of a map is
 * its own reload; with it the paths of a map that arrive within the
 * window give one create. */
static void test_storm_window(void **state)
{
	int maps = MP_MIN(n_maps, 250);
	uint64_t c0, r0, c1, r1, span;
	struct mpd *d;

	d = daemon_coalesce(base_conf, false, -1);
	paced_storm(d, maps, 50);
	c0 = fake_dm_count(DMOP_CREATE);
	r0 = fake_dm_count(DMOP_RELOAD);
	check_topology(d, maps, PATHS_PER_MAP);
	mpd_free(d);
	fake_dm_uninstall();
	fake_dm_install();

	d = daemon_coalesce(base_conf, false, 0);       /* MPD_COALESCE_MS */
	span = paced_storm(d, maps, 50);
	c1 = fake_dm_count(DMOP_CREATE);
	r1 = fake_dm_count(DMOP_RELOAD);
	check_topology(d, maps, PATHS_PER_MAP);
	print_message("paced storm %dx%d: no window %llu creates + %llu reloads "
		      "(%llu DM ioctls), %d ms window %llu creates + %llu reloads "
		      "(%llu DM ioctls); arrival span per map %llu ms\n", maps, PATHS_PER_MAP,
		      (unsigned long long)c0, (unsigned long long)r0,
		      (unsigned long long)(3 * c0 + 2 * r0), MPD_COALESCE_MS,
		      (unsigned long long)c1, (unsigned long long)r1,
		      (unsigned long long)(3 * c1 + 2 * r1), (unsigned long long)span / 1000);
	assert_int_equal(c0, maps);
	assert_int_equal(c1, maps);
	/* a map's paths all came within the window (~100 ms on an idle
	 * host): few reloads; a host too loaded for that still saves */
	if (span < MPD_COALESCE_MS * USEC_PER_MSEC * 3 / 4)
		assert_true(r1 <= (uint64_t)maps / 10);
	else
		assert_true(r1 < (uint64_t)maps * (PATHS_PER_MAP - 1));
	mpd_free(d);
}

/* One add alone waits for the window and not much longer. */
static void test_window_isolated_add(void **state)
{
	struct mpd *d = daemon_coalesce(base_conf, false, 300);
	uint64_t t0 = real_usec(), t;
	char wwid[64];

	wwid_of(7, wwid, sizeof(wwid));
	mpd_handle_uevent(d, path_event(UEV_ADD, 7, 0));
	while (!fake_dm_exists(wwid) && real_usec() - t0 < 10 * USEC_PER_SEC)
		usleep(2000);
	t = real_usec() - t0;
	assert_true(fake_dm_exists(wwid));
	assert_true(t >= 300 * USEC_PER_MSEC);
	assert_true(t < 300 * USEC_PER_MSEC + 2 * USEC_PER_SEC);       /* loaded host */
	assert_int_equal(mpd_settle(d, 10000), 0);
	mpd_free(d);
}

/* A path failure never waits behind a join waiting in its window. */
static void test_window_crit_not_delayed(void **state)
{
	struct mpd *d = daemon_coalesce(multibus_conf_early, false, 60000);
	char wwid[64];

	wwid_of(0, wwid, sizeof(wwid));
	mpd_handle_uevent(d, path_event(UEV_ADD, 0, 0));
	mpd_handle_uevent(d, path_event(UEV_ADD, 0, 1));
	clock_jump(61 * USEC_PER_SEC);         /* past the window */
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_int_equal(fake_dm_n_paths(wwid), 2);
	mpd_handle_uevent(d, path_event(UEV_ADD, 0, 2));  /* waits 60 s */
	chk_state[0] = PATH_DOWN;
	for (int i = 0; i < 3 && !fake_dm_path_failed(wwid, makedev(8, 0)); i++) {
		clock_jump(USEC_PER_SEC);
		mpd_tick(d);
		assert_int_equal(mpd_wq_drain(d->priv->crit, 10000), 0);
	}
	assert_int_equal(fake_dm_path_failed(wwid, makedev(8, 0)), 1);
	assert_int_equal(fake_dm_n_paths(wwid), 2);      /* the join still waits */
	clock_jump(61 * USEC_PER_SEC);
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_int_equal(fake_dm_n_paths(wwid), 3);
	assert_int_equal(fake_dm_path_failed(wwid, makedev(8, 0)), 1);
	mpd_free(d);
}

/* Per-map order: add a, add b, remove a, add c, remove b, add a → {c, a}. */
static void test_order_per_map(void **state)
{
	struct mpd *d = daemon_with(base_conf, false);
	char wwid[64];
	struct mp_map *m;

	for (int rep = 0; rep < 50; rep++) {
		int map = rep;

		mpd_handle_uevent(d, path_event(UEV_ADD, map, 0));
		mpd_handle_uevent(d, path_event(UEV_ADD, map, 1));
		mpd_handle_uevent(d, path_event(UEV_REMOVE, map, 0));
		mpd_handle_uevent(d, path_event(UEV_ADD, map, 2));
		mpd_handle_uevent(d, path_event(UEV_REMOVE, map, 1));
		mpd_handle_uevent(d, path_event(UEV_ADD, map, 0));
	}
	assert_int_equal(mpd_settle(d, 30000), 0);
	for (int map = 0; map < 50; map++) {
		char *t;

		wwid_of(map, wwid, sizeof(wwid));
		t = fake_dm_table(wwid);
		assert_non_null(t);
		assert_int_equal(fake_dm_n_paths(wwid), 2);
		assert_null(strstr(t, "8:" ) ? NULL : t);
		rcu_read_lock();
		m = mp_topo_find_map(&d->topo, wwid);
		assert_non_null(m);
		rcu_read_unlock();
		free(t);
	}
	mpd_free(d);
}

/*---- failure path ----*/

static struct mpd *one_map(const char *conf, int n_paths)
{
	struct mpd *d = daemon_with(conf, false);

	for (int p = 0; p < n_paths; p++)
		mpd_handle_uevent(d, path_event(UEV_ADD, 0, p));
	assert_int_equal(mpd_settle(d, 10000), 0);
	return d;
}

static void tick_settle(struct mpd *d, int n)
{
	for (int i = 0; i < n; i++) {
		clock_jump(USEC_PER_SEC);
		mpd_tick(d);
		assert_int_equal(mpd_settle(d, 10000), 0);
	}
}

static const char *const multibus_conf =
	"defaults {\n  find_multipaths greedy\n  polling_interval 2\n"
	"  path_grouping_policy multibus\n  no_path_retry fail\n}\n";

static void test_fail_reinstate_one_message(void **state)
{
	struct mpd *d = one_map(multibus_conf, 2);
	char wwid[64];
	uint64_t msgs, reloads;

	wwid_of(0, wwid, sizeof(wwid));
	tick_settle(d, 1);
	reloads = fake_dm_count(DMOP_RELOAD);
	msgs = fake_dm_count(DMOP_MESSAGE);
	chk_state[0] = PATH_DOWN;
	tick_settle(d, 1);
	assert_int_equal(fake_dm_path_failed(wwid, makedev(8, 0)), 1);
	assert_int_equal(fake_dm_count(DMOP_MESSAGE) - msgs, 1);
	tick_settle(d, 3);      /* still down: nothing more */
	assert_int_equal(fake_dm_count(DMOP_MESSAGE) - msgs, 1);
	msgs = fake_dm_count(DMOP_MESSAGE);
	chk_state[0] = PATH_UP;
	tick_settle(d, 3);      /* next full check within polling_interval */
	assert_int_equal(fake_dm_path_failed(wwid, makedev(8, 0)), 0);
	assert_int_equal(fake_dm_count(DMOP_MESSAGE) - msgs, 1);
	assert_int_equal(fake_dm_count(DMOP_RELOAD), reloads);
	mpd_free(d);
}

/* A device the kernel brings back (sysfs offline -> running) is confirmed
 * by a full check on the next tick, not a polling_interval later. */
static void test_sysfs_back_checked_at_once(void **state)
{
	static const char conf[] =
		"defaults {\n  find_multipaths greedy\n  polling_interval 10\n"
		"  path_grouping_policy multibus\n  no_path_retry fail\n}\n";
	struct mpd *d = one_map(conf, 2);
	char wwid[64];

	wwid_of(0, wwid, sizeof(wwid));
	tick_settle(d, 1);
	chk_state[0] = PATH_DOWN;
	tick_settle(d, 1);
	assert_int_equal(fake_dm_path_failed(wwid, makedev(8, 0)), 1);
	tick_settle(d, 2);
	chk_state[0] = PATH_UP;
	tick_settle(d, 1);
	assert_int_equal(fake_dm_path_failed(wwid, makedev(8, 0)), 0);
	mpd_free(d);
}

/* A second add of a member path (udev confirming a kernel-fed add, or
 * `udevadm trigger --action=add`) is not a new path: the checker's verdict
 * stands (a failed path is not put back without a check) and the map is
 * not reloaded. */
static void test_duplicate_add_keeps_verdict(void **state)
{
	struct mpd *d = one_map(multibus_conf, 2);
	struct mp_path *p;
	char wwid[64];
	uint64_t reloads;

	wwid_of(0, wwid, sizeof(wwid));
	tick_settle(d, 1);
	chk_state[0] = PATH_DOWN;
	tick_settle(d, 1);
	assert_int_equal(fake_dm_path_failed(wwid, makedev(8, 0)), 1);
	reloads = fake_dm_count(DMOP_RELOAD);
	mpd_handle_uevent(d, path_event(UEV_ADD, 0, 0));
	clock_jump(USEC_PER_SEC);
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_int_equal(fake_dm_path_failed(wwid, makedev(8, 0)), 1);
	assert_int_equal(fake_dm_count(DMOP_RELOAD), reloads);
	assert_int_equal(fake_dm_n_paths(wwid), 2);
	rcu_read_lock();
	p = mp_topo_find_path(&d->topo, makedev(8, 0));
	assert_non_null(p);
	assert_int_equal(mpd_load(&p->chk_state), PATH_DOWN);
	rcu_read_unlock();
	mpd_free(d);
}

static const char *const failover_conf =
	"defaults {\n  find_multipaths greedy\n  polling_interval 2\n"
	"  path_grouping_policy failover\n  failback immediate\n  no_path_retry fail\n}\n";

static void test_switch_group_when_active_dies(void **state)
{
	struct mpd *d = one_map(failover_conf, 2);
	char wwid[64];
	uint64_t msgs;

	wwid_of(0, wwid, sizeof(wwid));
	tick_settle(d, 1);
	assert_int_equal(fake_dm_active_group(wwid), 1);
	msgs = fake_dm_count(DMOP_MESSAGE);
	chk_state[0] = PATH_DOWN;
	tick_settle(d, 1);
	/* one fail_path + one switch_group */
	assert_int_equal(fake_dm_count(DMOP_MESSAGE) - msgs, 2);
	assert_int_equal(fake_dm_active_group(wwid), 2);
	/* failback immediate: path back → reinstate + switch back */
	msgs = fake_dm_count(DMOP_MESSAGE);
	chk_state[0] = PATH_UP;
	tick_settle(d, 3);
	assert_int_equal(fake_dm_count(DMOP_MESSAGE) - msgs, 2);
	assert_int_equal(fake_dm_active_group(wwid), 1);
	mpd_free(d);
}

/* The kernel fails a path (DM event): the daemon notices through the DM
 * event scan, and the checker reinstates it if it answers. */
static void test_dm_event_failed_path(void **state)
{
	struct mpd *d = one_map(multibus_conf, 2);
	char wwid[64];
	struct mp_path *p;

	wwid_of(0, wwid, sizeof(wwid));
	tick_settle(d, 1);
	assert_int_equal(fake_dm_kernel_fail_path(wwid, makedev(8, 1)), 0);
	mpd_dm_event(d);
	assert_int_equal(mpd_settle(d, 10000), 0);
	rcu_read_lock();
	p = mp_topo_find_path(&d->topo, makedev(8, 1));
	assert_int_equal(mpd_load(&p->dm_state), DMP_FAILED);
	rcu_read_unlock();
	tick_settle(d, 1);      /* checker says up → reinstate */
	assert_int_equal(fake_dm_path_failed(wwid, makedev(8, 1)), 0);
	mpd_free(d);
}

/* DM events cost one list per wake-up, and a status read only for the
 * maps whose event number moved: unchanged maps are never queried, and
 * events that arrive while a scan is queued share it. */
static void dm_scan_maps(struct mpd *d, int n)
{
	for (int m = 0; m < n; m++)
		for (int p = 0; p < 2; p++)
			mpd_handle_uevent(d, path_event(UEV_ADD, m, p));
	assert_int_equal(mpd_settle(d, 10000), 0);
}

static void kernel_fails(int map, int path)
{
	char wwid[64];

	wwid_of(map, wwid, sizeof(wwid));
	assert_int_equal(fake_dm_kernel_fail_path(wwid, makedev(8, map * PATHS_PER_MAP + path)), 0);
}

static bool dm_failed(struct mpd *d, int map, int path)
{
	struct mp_path *p;
	bool r;

	rcu_read_lock();
	p = mp_topo_find_path(&d->topo, makedev(8, map * PATHS_PER_MAP + path));
	r = p && mpd_load(&p->dm_state) == DMP_FAILED;
	rcu_read_unlock();
	return r;
}

struct dm_calls {
	uint64_t list, status, table, info;
};

static struct dm_calls dm_calls(void)
{
	return (struct dm_calls){ fake_dm_count(DMOP_LIST), fake_dm_count(DMOP_STATUS),
				  fake_dm_count(DMOP_TABLE), fake_dm_count(DMOP_INFO) };
}

static void assert_dm_calls(struct dm_calls before, int lists, int statuses)
{
	struct dm_calls now = dm_calls();

	assert_int_equal(now.list - before.list, lists);
	assert_int_equal(now.status - before.status, statuses);
	assert_int_equal(now.table - before.table, 0);
	assert_int_equal(now.info - before.info, 0);
}

static void test_dm_event_only_changed_maps(void **state)
{
	struct mpd *d = daemon_with(multibus_conf, false);
	const struct mp_map_snap *snap;
	struct dm_calls c;
	char wwid[64], *table;

	dm_scan_maps(d, 16);
	/* nothing moved: one list, no query, no new snapshot */
	wwid_of(3, wwid, sizeof(wwid));
	rcu_read_lock();
	snap = mp_map_snap_get(mp_topo_find_map(&d->topo, wwid));
	rcu_read_unlock();
	c = dm_calls();
	mpd_dm_event(d);
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_dm_calls(c, 1, 0);
	rcu_read_lock();
	assert_ptr_equal(mp_map_snap_get(mp_topo_find_map(&d->topo, wwid)), snap);
	rcu_read_unlock();
	/* one map moved: its status only */
	c = dm_calls();
	kernel_fails(5, 0);
	mpd_dm_event(d);
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_dm_calls(c, 1, 1);
	assert_true(dm_failed(d, 5, 0));
	for (int m = 0; m < 16; m++)
		if (m != 5)
			assert_false(dm_failed(d, m, 0));
	/* again nothing: the map is not read a second time */
	c = dm_calls();
	mpd_dm_event(d);
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_dm_calls(c, 1, 0);
	/* a DM device that is not ours shifts the list (no index change):
	 * still only the changed maps are read, and none is missed */
	wwid_of(0, wwid, sizeof(wwid));
	table = fake_dm_table(wwid);
	assert_non_null(table);
	assert_int_equal(mp_dm_create("vg-lv", "LVM-notours", 2097152, table, MP_DM_FLAG_NOSYNC), 0);
	free(table);
	c = dm_calls();
	for (int m = 0; m < 16; m += 3)
		kernel_fails(m, 1);
	mpd_dm_event(d);
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_dm_calls(c, 1, 6);
	for (int m = 0; m < 16; m++)
		assert_int_equal(dm_failed(d, m, 1), m % 3 == 0);
	/* a new map (the index changes): the same */
	dm_scan_maps(d, 17);
	c = dm_calls();
	kernel_fails(16, 0);
	kernel_fails(2, 0);
	mpd_dm_event(d);
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_dm_calls(c, 1, 2);
	assert_true(dm_failed(d, 16, 0));
	assert_true(dm_failed(d, 2, 0));
	mpd_free(d);
}

/* Wake-ups while a scan is queued share it: one list for all. */
static void test_dm_events_coalesce(void **state)
{
	struct mpd *d = daemon_with(multibus_conf, false);
	struct dm_calls c;

	dm_scan_maps(d, 8);
	c = dm_calls();
	mpd_wq_pause(d->priv->crit);
	for (int m = 1; m < 8; m += 2) {
		kernel_fails(m, 0);
		mpd_dm_event(d);
	}
	mpd_dm_event(d);
	mpd_wq_resume(d->priv->crit);
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_dm_calls(c, 1, 4);
	for (int m = 0; m < 8; m++)
		assert_int_equal(dm_failed(d, m, 0), m % 2 == 1);
	mpd_free(d);
}

/* dm uevents are routed by the map's dev_t (the index of maps in the
 * kernel): a remove of one of our maps makes it gone, an add of an
 * unknown multipath map adopts it, others are filtered. */
static struct mp_uevent *dm_uevent(enum mp_uev_action a, const char *name, const char *uuid)
{
	char dev[32], nm[96], id[128];
	const char *envv[] = { nm, id, "DEVTYPE=disk", NULL };
	struct mp_dm_info info = { 0 };
	struct mp_uevent *u;

	assert_int_equal(mp_dm_info(name, &info), 0);
	assert_true(info.exists);
	snprintf(dev, sizeof(dev), "dm-%u", minor(info.devt));
	snprintf(nm, sizeof(nm), "DM_NAME=%s", name);
	snprintf(id, sizeof(id), "DM_UUID=%s", uuid);
	u = mp_uevent_new(a, dev, info.devt, NULL, envv);
	mp_dm_info_done(&info);
	assert_non_null(u);
	return u;
}

static const char *map_action(struct mpd *d, const char *wwid)
{
	const struct mp_map_snap *s;
	const char *a = "(no map)";
	struct mp_map *m;

	rcu_read_lock();
	m = mp_topo_find_map(&d->topo, wwid);
	s = m ? mp_map_snap_get(m) : NULL;
	if (m)
		a = s && s->action ? s->action : "(no snapshot)";
	rcu_read_unlock();
	return a;      /* static strings */
}

static void test_dm_uevent_routing(void **state)
{
	struct mpd *d = daemon_with(multibus_conf, false);
	char w0[64], w1[64], w2[64], uuid[96], *table;
	struct mp_uevent *u;

	dm_scan_maps(d, 2);
	wwid_of(0, w0, sizeof(w0));
	wwid_of(1, w1, sizeof(w1));
	/* a change of one of our maps: nothing to do */
	snprintf(uuid, sizeof(uuid), "mpath-%s", w1);
	mpd_handle_uevent(d, dm_uevent(UEV_CHANGE, w1, uuid));
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_string_equal(map_action(d, w1), "create");
	/* someone else removes map 0: its remove uevent makes it gone (and,
	 * without paths left, the map is dropped) */
	snprintf(uuid, sizeof(uuid), "mpath-%s", w0);
	u = dm_uevent(UEV_REMOVE, w0, uuid);
	assert_int_equal(mp_dm_remove(w0, false), 0);
	mpd_handle_uevent(d, u);
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_string_equal(map_action(d, w0), "(no map)");
	assert_false(fake_dm_exists(w0));
	assert_string_equal(map_action(d, w1), "create");
	/* a multipath map made by someone else is adopted */
	wwid_of(7, w2, sizeof(w2));
	snprintf(uuid, sizeof(uuid), "mpath-%s", w2);
	table = fake_dm_table(w1);
	assert_non_null(table);
	assert_int_equal(mp_dm_create("other", uuid, 2097152, table, MP_DM_FLAG_NOSYNC), 0);
	free(table);
	mpd_handle_uevent(d, dm_uevent(UEV_ADD, "other", uuid));
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_string_equal(map_action(d, w2), "adopt");
	mpd_free(d);
}

static const char *const npr3_conf =
	"defaults {\n  find_multipaths greedy\n  polling_interval 2\n"
	"  path_grouping_policy multibus\n  no_path_retry 3\n}\n";

static void test_no_path_retry_countdown(void **state)
{
	struct mpd *d = one_map(npr3_conf, 2);
	char wwid[64];

	wwid_of(0, wwid, sizeof(wwid));
	tick_settle(d, 1);
	assert_int_equal(fake_dm_queueing(wwid), 1);
	chk_state[0] = chk_state[1] = PATH_DOWN;
	tick_settle(d, 1);      /* both failed: countdown 3 × 2 s starts */
	assert_int_equal(fake_dm_path_failed(wwid, makedev(8, 0)), 1);
	assert_int_equal(fake_dm_path_failed(wwid, makedev(8, 1)), 1);
	tick_settle(d, 5);
	assert_int_equal(fake_dm_queueing(wwid), 1);
	tick_settle(d, 1);
	assert_int_equal(fake_dm_queueing(wwid), 0);
	chk_state[1] = PATH_UP;
	tick_settle(d, 3);
	assert_int_equal(fake_dm_path_failed(wwid, makedev(8, 1)), 0);
	assert_int_equal(fake_dm_queueing(wwid), 1);
	mpd_free(d);
}

/*---- adoption, reconfigure ----*/

static void test_adopt_zero_reloads(void **state)
{
	struct mpd *d = daemon_with(base_conf, true);
	uint64_t creates, reloads;

	for (int m = 0; m < 20; m++)
		for (int p = 0; p < PATHS_PER_MAP; p++)
			mpd_handle_uevent(d, path_event(UEV_ADD, m, p));
	mpd_start_processing(d);
	assert_int_equal(mpd_settle(d, 10000), 0);
	mpd_free(d);            /* the maps stay in the (fake) kernel */

	creates = fake_dm_count(DMOP_CREATE);
	reloads = fake_dm_count(DMOP_RELOAD);
	d = daemon_with(base_conf, true);
	assert_int_equal(mpd_adopt_kernel_maps(d), 20);
	for (int m = 0; m < 20; m++)
		for (int p = PATHS_PER_MAP - 1; p >= 0; p--)      /* other order */
			mpd_handle_uevent(d, path_event(UEV_ADD, m, p));
	mpd_start_processing(d);
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_int_equal(fake_dm_count(DMOP_CREATE), creates);
	assert_int_equal(fake_dm_count(DMOP_RELOAD), reloads);
	assert_int_equal(d->priv->cnt.reloads_skipped, 20);
	check_topology(d, 20, PATHS_PER_MAP);
	mpd_free(d);
}

static void write_conf(const char *file, const char *text)
{
	FILE *f = fopen(file, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_reconfigure_reloads_only_changed(void **state)
{
	struct mpd *d = daemon_with(base_conf, false);
	char file[128], wwid[64], conf[512];
	uint64_t reloads;

	wwid_of(3, wwid, sizeof(wwid));
	snprintf(file, sizeof(file), "%s/multipath.conf", tmpdir);
	write_conf(file, base_conf);
	assert_int_equal(mpd_load_config(d, file, tmpdir), 0);
	for (int m = 0; m < 10; m++)
		for (int p = 0; p < 2; p++)
			mpd_handle_uevent(d, path_event(UEV_ADD, m, p));
	assert_int_equal(mpd_settle(d, 10000), 0);
	reloads = fake_dm_count(DMOP_RELOAD);

	/* unchanged config: nothing reloaded */
	mpd_reconfigure(d, false);
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_int_equal(fake_dm_count(DMOP_RELOAD), reloads);

	snprintf(conf, sizeof(conf),
		 "%smultipaths {\n multipath {\n  wwid %s\n  path_grouping_policy multibus\n }\n}\n",
		 base_conf, wwid);
	write_conf(file, conf);
	mpd_reconfigure(d, false);
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_int_equal(fake_dm_count(DMOP_RELOAD), reloads + 1);

	/* a broken file keeps the old config: nothing changes */
	write_conf(file, "defaults {\n  no_such_keyword_here 1\n");
	mpd_reconfigure(d, false);
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_int_equal(fake_dm_count(DMOP_RELOAD), reloads + 1);
	mpd_free(d);
}

static void test_remove_last_path_flushes(void **state)
{
	struct mpd *d = one_map(multibus_conf, 2);
	char wwid[64];

	wwid_of(0, wwid, sizeof(wwid));
	mpd_handle_uevent(d, path_event(UEV_REMOVE, 0, 0));
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_int_equal(fake_dm_n_paths(wwid), 1);
	mpd_handle_uevent(d, path_event(UEV_REMOVE, 0, 1));
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_false(fake_dm_exists(wwid));
	rcu_read_lock();
	assert_null(mp_topo_find_map(&d->topo, wwid));
	rcu_read_unlock();
	mpd_free(d);
}

/* CLI del map, then add map by WWID: rebuilt from the paths it had. */
static void test_del_add_map(void **state)
{
	struct mpd *d = one_map(multibus_conf, 2);
	char wwid[64];

	wwid_of(0, wwid, sizeof(wwid));
	assert_int_equal(mpd_del_map(d, wwid, 10000), 0);
	assert_false(fake_dm_exists(wwid));
	assert_int_equal(mpd_add_map(d, wwid, 10000), 0);
	assert_true(fake_dm_exists(wwid));
	assert_int_equal(fake_dm_n_paths(wwid), 2);
	/* a map that is open is not deleted */
	assert_int_equal(fake_dm_set_open_count(wwid, 1), 0);
	assert_int_equal(mpd_del_map(d, wwid, 10000), -EBUSY);
	assert_true(fake_dm_exists(wwid));
	fake_dm_set_open_count(wwid, 0);
	mpd_free(d);
}

static void test_stats_print(void **state)
{
	struct mpd *d = one_map(multibus_conf, 2);
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(mpd_stats_print(d, &sb, false), 0);
	assert_non_null(strstr(strbuf_str(&sb), "uev_processed"));
	assert_non_null(strstr(strbuf_str(&sb), "memory:\n  in_use_kib"));
	strbuf_reset(&sb);
	assert_int_equal(mpd_stats_print(d, &sb, true), 0);
	assert_non_null(strstr(strbuf_str(&sb), "\"dm_ioctls\""));
	assert_non_null(strstr(strbuf_str(&sb), ",\"memory\":{\"in_use_kib\":"));
	strbuf_done(&sb);
	mpd_free(d);
}

/*---- find_multipaths ----*/

static struct mpd *fm_daemon(const char *mode, int timeout)
{
	char conf[256];

	snprintf(conf, sizeof(conf),
		 "defaults {\n  find_multipaths %s\n  find_multipaths_timeout %d\n"
		 "  user_friendly_names no\n  polling_interval 2\n}\n", mode, timeout);
	return daemon_with(conf, false);
}

static void add_paths(struct mpd *d, int map, int from, int to)
{
	for (int p = from; p < to; p++)
		mpd_handle_uevent(d, path_event(UEV_ADD, map, p));
	assert_int_equal(mpd_settle(d, 10000), 0);
}

/* strict, on, off, greedy, smart (2 paths) as the daemon decides them */
static void test_find_multipaths_modes(void **state)
{
	static const struct {
		const char *mode;
		bool listed;
		int paths;
		bool map;
	} cases[] = {
		{ "strict", false, 2, false }, { "strict", true, 1, true },
		{ "on", false, 1, false }, { "on", false, 2, true }, { "on", true, 1, true },
		{ "off", false, 1, true }, { "greedy", false, 1, true },
		{ "smart", false, 2, true }, { "smart", true, 1, true },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mpd *d = fm_daemon(cases[i].mode, 5);
		char wwid[64], file[96];

		wwid_of((int)i, wwid, sizeof(wwid));
		snprintf(file, sizeof(file), "%s/wwids", tmpdir);
		if (cases[i].listed)
			assert_true(mp_wwids_add(file, wwid) >= 0);
		add_paths(d, (int)i, 0, cases[i].paths);
		if (fake_dm_exists(wwid) != cases[i].map)
			fail_msg("find_multipaths %s, listed %d, %d paths: map %d", cases[i].mode,
				 cases[i].listed, cases[i].paths, !cases[i].map);
		if (cases[i].map)
			assert_int_equal(fake_dm_n_paths(wwid), cases[i].paths);
		mpd_free(d);
	}
}

static const char *uevent_written(int map, int path)
{
	char f[64];

	snprintf(f, sizeof(f), "/sys/block/sdq%d/uevent", map * PATHS_PER_MAP + path);
	return fake_sys_get(f);
}

/* The sysfs fake writes only attributes that exist. */
static void prepare_uevent_files(int map)
{
	char f[64];

	fake_sys_install();
	for (int p = 0; p < PATHS_PER_MAP; p++) {
		snprintf(f, sizeof(f), "/sys/block/sdq%d/uevent", map * PATHS_PER_MAP + p);
		fake_sys_set(f, "");
	}
}

/* Wait (real time) until the hold of a WWID is released, then until the
 * batch that released it has ended (the expiry is a timer item, which
 * mpd_settle() does not wait for): an item of the same key runs after it. */
static int wait_release(struct mpd *d, const char *wwid)
{
	long long until;
	int r = -ETIMEDOUT;

	for (int i = 0; i < 500 && (r = mpd_find_hold(d, wwid, &until)) != 0; i++)
		usleep(10000);
	if (r == 0)
		assert_int_equal(mpd_run(d, false, mpd_work_new(W_MAP_SYNC, wwid), 10000), 0);
	return r;
}

/* smart: a lone path is held, then released after the timeout with a
 * change uevent; a second path afterwards still makes the map. */
static void test_smart_hold_release(void **state)
{
	struct mpd *d = fm_daemon("smart", 30);
	long long until = 0;
	char wwid[64];

	wwid_of(0, wwid, sizeof(wwid));
	prepare_uevent_files(0);
	add_paths(d, 0, 0, 1);
	assert_false(fake_dm_exists(wwid));
	assert_int_equal(mpd_find_hold(d, wwid, &until), 1);
	assert_true(until >= (long long)time(NULL) + 20 && until <= (long long)time(NULL) + 31);
	assert_false(mpd_busy(d));              /* the hold is no pending work */
	/* 5 s short of the deadline: real time on a loaded host stays below */
	clock_jump(25 * USEC_PER_SEC);
	usleep(300000);                         /* > one poll of the queue */
	assert_int_equal(mpd_find_hold(d, wwid, &until), 1);
	assert_string_equal(uevent_written(0, 0), "");
	clock_jump(6 * USEC_PER_SEC);
	assert_int_equal(wait_release(d, wwid), 0);
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_string_equal(uevent_written(0, 0), "change");
	assert_false(fake_dm_exists(wwid));
	/* the change uevent it caused does not hold it again */
	mpd_handle_uevent(d, path_event(UEV_CHANGE, 0, 0));
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_int_equal(mpd_find_hold(d, wwid, &until), 0);
	add_paths(d, 0, 1, 2);
	assert_true(fake_dm_exists(wwid));
	assert_int_equal(fake_dm_n_paths(wwid), 2);
	assert_int_equal(mpd_find_hold(d, wwid, &until), -ENOENT);
	mpd_free(d);
}

/* smart: the second path within the timeout makes the map; nothing is
 * released or re-triggered afterwards. */
static void test_smart_second_path(void **state)
{
	struct mpd *d = fm_daemon("smart", 30);
	long long until;
	char wwid[64];

	wwid_of(1, wwid, sizeof(wwid));
	prepare_uevent_files(1);
	add_paths(d, 1, 0, 1);
	assert_int_equal(mpd_find_hold(d, wwid, &until), 1);
	add_paths(d, 1, 1, 2);
	assert_true(fake_dm_exists(wwid));
	clock_jump(31 * USEC_PER_SEC);
	usleep(300000);
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_int_equal(mpd_find_hold(d, wwid, &until), -ENOENT);
	assert_string_equal(uevent_written(1, 0), "");
	assert_int_equal(fake_dm_n_paths(wwid), 2);
	mpd_free(d);
}

static void write_udev_db(int map, int path, const char *claim)
{
	char f[128], line[64];

	snprintf(f, sizeof(f), "%s/b8:%d", tmpdir, map * PATHS_PER_MAP + path);
	snprintf(line, sizeof(line), "E:ID_SERIAL=x\nE:DM_MULTIPATH_DEVICE_PATH=%s\n", claim);
	write_conf(f, line);
}

/* find_multipaths on: the first path was not claimed by udev; when the
 * second makes the map, the first is re-triggered, the claimed one not. */
static void test_create_retriggers_unclaimed(void **state)
{
	struct mpd *d = fm_daemon("on", 5);
	char wwid[64];

	wwid_of(3, wwid, sizeof(wwid));
	prepare_uevent_files(3);
	add_paths(d, 3, 0, 1);
	assert_false(fake_dm_exists(wwid));
	write_udev_db(3, 0, "0");
	write_udev_db(3, 1, "1");
	add_paths(d, 3, 1, 3);          /* path 2: no udev database entry yet */
	assert_true(fake_dm_exists(wwid));
	assert_string_equal(uevent_written(3, 0), "change");
	assert_string_equal(uevent_written(3, 1), "");
	assert_string_equal(uevent_written(3, 2), "");
	mpd_free(d);
}

/* A lone path udev released before (a daemon restart) is not held again:
 * the claim answer stays "not a path" and nothing is re-triggered. */
static void test_smart_no_hold_after_udev_release(void **state)
{
	struct mpd *d = fm_daemon("smart", 30);
	long long until;
	char wwid[64];

	wwid_of(4, wwid, sizeof(wwid));
	prepare_uevent_files(4);
	write_udev_db(4, 0, "0");
	add_paths(d, 4, 0, 1);
	assert_int_equal(mpd_find_hold(d, wwid, &until), 0);
	assert_false(fake_dm_exists(wwid));
	assert_string_equal(uevent_written(4, 0), "");
	write_udev_db(4, 1, "1");
	add_paths(d, 4, 1, 2);          /* a second path still makes the map */
	assert_true(fake_dm_exists(wwid));
	assert_string_equal(uevent_written(4, 0), "change");    /* claimed now */
	mpd_free(d);
}

/* A negative timeout holds hardware unknown to the built-in table 1 s. */
static void test_smart_unknown_hw_timeout(void **state)
{
	struct mpd *d = fm_daemon("smart", -10);
	long long until;
	char wwid[64];

	wwid_of(2, wwid, sizeof(wwid));
	prepare_uevent_files(2);
	add_paths(d, 2, 0, 1);
	assert_int_equal(mpd_find_hold(d, wwid, &until), 1);
	assert_true(until <= (long long)time(NULL) + 1);
	clock_jump(2 * USEC_PER_SEC);
	assert_int_equal(wait_release(d, wwid), 0);
	mpd_free(d);
}

/*---- reservation keys ----*/

static void test_prkey_normalize(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "0x123abc", "0x123abc" }, { "123ABC", "0x123abc" }, { "0x00012", "0x12" },
		{ "0xffffffffffffffff", "0xffffffffffffffff" },
		{ "0x1:aptpl", "0x1:aptpl" },
		{ "0X00000000000000a1", "0xa1:aptpl" },    /* file form */
		{ "0x12345678901234567", NULL }, { "key", NULL }, { "0x0", NULL },
		{ "0x1:foo", NULL }, { "", NULL }, { "0x", NULL }, { "0x1 2", NULL },
	};
	char buf[32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = mpd_prkey_normalize(cases[i].in, buf, sizeof(buf));

		if (!cases[i].out) {
			if (r != -EINVAL)
				fail_msg("'%s' accepted as %s", cases[i].in, buf);
			continue;
		}
		assert_int_equal(r, 0);
		assert_string_equal(buf, cases[i].out);
	}
}

static char *slurp(const char *file)
{
	static char buf[4096];
	FILE *f = fopen(file, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_prkeys_file(void **state)
{
	char file[128], key[32];

	snprintf(file, sizeof(file), "%s/sub/prkeys", tmpdir);
	assert_int_equal(mpd_prkeys_lookup(file, "3600a", key, sizeof(key)), -ENOENT);
	assert_int_equal(mpd_prkeys_store(file, "3600a", "0x11"), 0);
	assert_int_equal(mpd_prkeys_store(file, "3600b", "0x22:aptpl"), 0);
	assert_int_equal(mpd_prkeys_store(file, "3600a", "0x33"), 0);
	assert_int_equal(mpd_prkeys_lookup(file, "3600a", key, sizeof(key)), 0);
	assert_string_equal(key, "0x33");
	assert_int_equal(mpd_prkeys_lookup(file, "3600b", key, sizeof(key)), 0);
	assert_string_equal(key, "0x22:aptpl");
	/* one line per map, APTPL spelled 0X, a header */
	assert_non_null(strstr(slurp(file), "\n0X0000000000000022 3600b\n0x0000000000000033 3600a\n"));
	assert_int_equal(slurp(file)[0], '#');
	assert_int_equal(mpd_prkeys_store(file, "3600b", NULL), 0);
	assert_int_equal(mpd_prkeys_lookup(file, "3600b", key, sizeof(key)), -ENOENT);
	assert_null(strstr(slurp(file), "3600b"));
	assert_int_equal(mpd_prkeys_store(file, "bad wwid", "0x1"), -EINVAL);
}

/* reservation_key file: the key comes from the prkeys file when the map
 * is set up; setprkey/unsetprkey change both.  A configured key is fixed:
 * setprkey still writes the file (as the incumbent) but fails. */
static void test_prkey_daemon(void **state)
{
	char conf[512], file[128], w0[64], w1[64], *key = NULL;
	struct mpd *d;

	wwid_of(0, w0, sizeof(w0));
	wwid_of(1, w1, sizeof(w1));
	snprintf(file, sizeof(file), "%s/etc/prkeys", tmpdir);
	assert_int_equal(mpd_prkeys_store(file, w0, "0xabcdef"), 0);
	snprintf(conf, sizeof(conf),
		 "defaults {\n  find_multipaths greedy\n  reservation_key file\n}\n"
		 "multipaths {\n multipath {\n  wwid %s\n  reservation_key 0x1234\n }\n}\n", w1);
	d = daemon_with(conf, false);
	add_paths(d, 0, 0, 2);
	add_paths(d, 1, 0, 2);
	assert_int_equal(mpd_prkey_get(d, w0, &key), 0);
	assert_string_equal(key, "0xabcdef");
	free(key);
	assert_int_equal(mpd_prkey_set(d, w0, "0x42:aptpl"), 0);
	assert_int_equal(mpd_prkey_get(d, w0, &key), 0);
	assert_string_equal(key, "0x42:aptpl");
	free(key);
	assert_non_null(strstr(slurp(file), "0X0000000000000042 "));
	assert_int_equal(mpd_prkey_set(d, w0, "nonsense"), -EINVAL);
	assert_int_equal(mpd_prkey_set(d, w0, NULL), 0);
	assert_int_equal(mpd_prkey_get(d, w0, &key), 0);
	assert_null(key);
	assert_null(strstr(slurp(file), w0));
	/* the configured key */
	assert_int_equal(mpd_prkey_get(d, w1, &key), 0);
	assert_string_equal(key, "0x1234");
	free(key);
	assert_int_equal(mpd_prkey_set(d, w1, "0x99"), -EINVAL);
	assert_non_null(strstr(slurp(file), "0x0000000000000099 "));
	assert_int_equal(mpd_prkey_get(d, w1, &key), 0);
	assert_string_equal(key, "0x1234");
	free(key);
	assert_int_equal(mpd_prkey_set(d, w1, "0x1234"), 0);     /* what it has */
	mpd_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_storm_batched, setup, teardown),
		cmocka_unit_test_setup_teardown(test_storm_live, setup, teardown),
		cmocka_unit_test_setup_teardown(test_storm_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_window_isolated_add, setup, teardown),
		cmocka_unit_test_setup_teardown(test_window_crit_not_delayed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_order_per_map, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fail_reinstate_one_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sysfs_back_checked_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_add_keeps_verdict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_switch_group_when_active_dies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dm_event_failed_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dm_event_only_changed_maps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dm_events_coalesce, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dm_uevent_routing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_path_retry_countdown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_adopt_zero_reloads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reconfigure_reloads_only_changed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remove_last_path_flushes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_del_add_map, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_print, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_multipaths_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_smart_hold_release, setup, teardown),
		cmocka_unit_test_setup_teardown(test_smart_second_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_retriggers_unclaimed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_smart_no_hold_after_udev_release, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prkey_normalize, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prkeys_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prkey_daemon, setup, teardown),
		cmocka_unit_test_setup_teardown(test_smart_unknown_hw_timeout, setup, teardown),
	};

	if (getenv("TEST_STORM_MAPS"))
		n_maps = MP_MIN(atoi(getenv("TEST_STORM_MAPS")), N_MAPS);
	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
