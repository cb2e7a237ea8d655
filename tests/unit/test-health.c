// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Path health: the shaky-path state machines step by step (table-driven,
 * fake time), then the daemon with real workers over the fake
 * device-mapper: the check schedule, san_path_err holding a flapping path
 * out of use and letting it back, marginal_pathgroups regrouping instead,
 * delay_*_checks as the old form of san_path_err, and the marginal_path
 * I/O sample failing a path whose device cannot be read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>

#include "config/settings.h"
#include "dm/dm.h"
#include "multipathd/core.h"
#include "multipathd/health-view.h"
#include "multipathd/path-health.h"
#include "tests/fake/fake-dm.h"
#include "util/clock.h"
#include "util/log.h"

#define S(x) ((uint64_t)(x) * USEC_PER_SEC)

/*---- pure state machines ----*/

struct san_step {
	bool good;
	bool others;
	int at_s;
	enum mpd_shaky want;
};

static void run_san(const struct mpd_san_cfg *c, const struct san_step *steps, size_t n)
{
	struct mpd_san s = { 0 };
	bool was_bad = false;

	for (size_t i = 0; i < n; i++) {
		enum mpd_shaky got = mpd_san_step(c, &s, was_bad, steps[i].good, steps[i].others,
						  S(steps[i].at_s));

		if (got != steps[i].want)
			fail_msg("step %zu: got %d want %d", i, got, steps[i].want);
		was_bad = !steps[i].good;
	}
}

static void test_san_threshold_and_recovery(void **state)
{
	const struct mpd_san_cfg c = { .threshold = 2, .forget_rate = 100, .recovery_s = 30 };
	const struct san_step steps[] = {
		{ true, true, 0, SHAKY_PASS },
		{ false, true, 1, SHAKY_PASS },         /* failure 1 */
		{ true, true, 2, SHAKY_PASS },          /* recovery 1 ≤ 2 */
		{ false, true, 3, SHAKY_PASS },
		{ true, true, 4, SHAKY_PASS },          /* 2 ≤ 2 */
		{ false, true, 5, SHAKY_PASS },
		{ true, true, 6, SHAKY_HOLD },          /* 3 > 2: held from t=6 */
		{ true, true, 20, SHAKY_HOLD },
		{ true, true, 35, SHAKY_HOLD },         /* 29 s < 30 */
		{ true, true, 36, SHAKY_RELEASE },
		{ false, true, 37, SHAKY_PASS },        /* counting starts over */
		{ true, true, 38, SHAKY_PASS },
	};

	run_san(&c, steps, ARRAY_SIZE(steps));
}

static void test_san_hold_restarts_and_early_release(void **state)
{
	const struct mpd_san_cfg c = { .threshold = 1, .forget_rate = 100, .recovery_s = 10 };
	const struct san_step steps[] = {
		{ false, true, 0, SHAKY_PASS },
		{ true, true, 1, SHAKY_PASS },
		{ false, true, 2, SHAKY_PASS },
		{ true, true, 3, SHAKY_HOLD },          /* held from 3 */
		{ false, true, 8, SHAKY_PASS },         /* fails again: wait restarts at 8 */
		{ true, true, 15, SHAKY_HOLD },         /* 7 s < 10 */
		{ true, false, 16, SHAKY_RELEASE },     /* no other path: use it */
	};

	run_san(&c, steps, ARRAY_SIZE(steps));
}

static void test_san_forget(void **state)
{
	const struct mpd_san_cfg c = { .threshold = 1, .forget_rate = 3, .recovery_s = 10 };
	struct san_step steps[12];
	size_t n = 0;

	/* one failure, forgotten after 3 good checks: the next one is the
	 * first again, not the second */
	steps[n++] = (struct san_step){ false, true, 0, SHAKY_PASS };
	steps[n++] = (struct san_step){ true, true, 1, SHAKY_PASS };
	for (int i = 0; i < 3; i++)
		steps[n++] = (struct san_step){ true, true, 2 + i, SHAKY_PASS };
	steps[n++] = (struct san_step){ false, true, 6, SHAKY_PASS };
	steps[n++] = (struct san_step){ true, true, 7, SHAKY_PASS };
	/* without 3 good checks in between, the second trips */
	steps[n++] = (struct san_step){ false, true, 8, SHAKY_PASS };
	steps[n++] = (struct san_step){ true, true, 9, SHAKY_HOLD };
	run_san(&c, steps, n);
}

static void test_san_off_when_incomplete(void **state)
{
	const struct mpd_san_cfg c = { .threshold = 1, .forget_rate = 0, .recovery_s = 10 };
	const struct san_step steps[] = {
		{ false, true, 0, SHAKY_PASS }, { true, true, 1, SHAKY_PASS },
		{ false, true, 2, SHAKY_PASS }, { true, true, 3, SHAKY_PASS },
	};

	run_san(&c, steps, ARRAY_SIZE(steps));
}

static void test_delay_checks_map_to_san(void **state)
{
	struct mp_settings s = { 0 };
	struct mpd_san_cfg c;

	s.san_path_err_threshold = s.san_path_err_forget_rate = MP_UNSET;
	s.san_path_err_recovery_time = MP_UNSET;
	s.delay_watch_checks = 12;
	s.delay_wait_checks = 3;
	mpd_san_cfg_from(&s, 20, &c);
	assert_int_equal(c.threshold, 1);
	assert_int_equal(c.forget_rate, 12);
	assert_int_equal(c.recovery_s, 60);
	/* san_path_err_* set: they win */
	s.san_path_err_threshold = 5;
	s.san_path_err_forget_rate = 7;
	s.san_path_err_recovery_time = 9;
	mpd_san_cfg_from(&s, 20, &c);
	assert_int_equal(c.threshold, 5);
	assert_int_equal(c.forget_rate, 7);
	assert_int_equal(c.recovery_s, 9);
	/* only one of the delay pair: nothing */
	s.san_path_err_threshold = s.san_path_err_forget_rate = MP_UNSET;
	s.san_path_err_recovery_time = MP_UNSET;
	s.delay_wait_checks = MP_UNSET;
	mpd_san_cfg_from(&s, 20, &c);
	assert_int_equal(c.threshold, 0);
}

static void test_marginal_double_failure(void **state)
{
	const struct mpd_marg_cfg c = { .double_failed_s = 60, .sample_s = 120,
					.rate_threshold = 100, .recheck_gap_s = 300 };
	struct mpd_marg m = { 0 };

	assert_true(mpd_marg_enabled(&c));
	/* failures 100 s apart: never two within 60 s */
	assert_int_equal(mpd_marg_step(&c, &m, false, false, S(0)), SHAKY_PASS);
	assert_int_equal(mpd_marg_step(&c, &m, true, true, S(1)), SHAKY_PASS);
	assert_int_equal(mpd_marg_step(&c, &m, false, false, S(100)), SHAKY_PASS);
	assert_int_equal(m.phase, MARG_IDLE);
	assert_int_equal(mpd_marg_step(&c, &m, true, true, S(101)), SHAKY_PASS);
	/* second within 60 s: sample, the path is held while it runs */
	assert_int_equal(mpd_marg_step(&c, &m, false, false, S(130)), SHAKY_PASS);
	assert_int_equal(m.phase, MARG_SAMPLING);
	assert_int_equal(mpd_marg_step(&c, &m, true, true, S(131)), SHAKY_HOLD);
	/* 5 errors in 100 reads = 50 ‰ ≤ 100 ‰: released at the end */
	for (int i = 0; i < 100; i++)
		mpd_marg_io_done(&m, i % 20 != 0);
	assert_int_equal(mpd_marg_step(&c, &m, false, true, S(249)), SHAKY_HOLD);
	assert_int_equal(mpd_marg_step(&c, &m, false, true, S(250)), SHAKY_RELEASE);
	assert_int_equal(m.phase, MARG_IDLE);
	assert_int_equal(m.fail_cnt, 0);
}

static void test_marginal_bad_rate_rechecks(void **state)
{
	const struct mpd_marg_cfg c = { .double_failed_s = 60, .sample_s = 120,
					.rate_threshold = 100, .recheck_gap_s = 300 };
	struct mpd_marg m = { 0 };

	mpd_marg_step(&c, &m, false, false, S(0));
	mpd_marg_step(&c, &m, true, true, S(1));
	mpd_marg_step(&c, &m, false, false, S(2));
	assert_int_equal(m.phase, MARG_SAMPLING);
	for (int i = 0; i < 100; i++)
		mpd_marg_io_done(&m, i % 5 != 0);       /* 200 ‰ */
	assert_int_equal(mpd_marg_step(&c, &m, false, true, S(122)), SHAKY_HOLD);
	assert_int_equal(m.phase, MARG_WAIT);
	mpd_marg_io_done(&m, false);                    /* late: ignored */
	assert_int_equal(m.ios, 100);
	assert_int_equal(mpd_marg_step(&c, &m, false, true, S(421)), SHAKY_HOLD);
	assert_int_equal(m.phase, MARG_WAIT);
	assert_int_equal(mpd_marg_step(&c, &m, false, true, S(422)), SHAKY_HOLD);
	assert_int_equal(m.phase, MARG_SAMPLING);
	assert_int_equal(m.ios, 0);
	/* no answer at all during a sample counts as all errors */
	assert_int_equal(mpd_marg_step(&c, &m, false, true, S(542)), SHAKY_HOLD);
	assert_int_equal(m.phase, MARG_WAIT);
	/* off unless all four are set */
	struct mpd_marg_cfg off = c;

	off.recheck_gap_s = 0;
	assert_false(mpd_marg_enabled(&off));
	assert_int_equal(mpd_marg_step(&off, &m, false, false, S(600)), SHAKY_PASS);
}

/*---- the daemon ----*/

#define MAX_MINOR 16
static int chk_state[MAX_MINOR];
static enum mp_access_state acc_state[MAX_MINOR];
static uint64_t fake_usec = 1000000;
static char tmpdir[64];

static uint64_t fake_now(void)
{
	return mpd_load(&fake_usec);
}

static const struct mp_clock_ops fake_clock = { .now_usec = fake_now };

static int test_pathinfo(struct mpd *d, const struct mp_uevent *u, struct mp_path_info **ret)
{
	struct mp_path_info *pi = calloc(1, sizeof(*pi));
	const char *w = mp_uevent_get_prop("TEST_WWID", (void *)u);

	if (!pi)
		return -ENOMEM;
	const char *dev = mp_uevent_get_prop("TEST_DEV", (void *)u);

	/* TEST_DEV: a file the directio checker reads instead of /dev/sdX */
	pi->devname = strdup(dev ? dev : u->devname);
	pi->devt = u->devt;
	pi->wwid = strdup(w ? w : "");
	pi->vendor = strdup("FAKE");
	pi->product = strdup("DISK");
	pi->revision = strdup("1");
	pi->size = 2097152;
	pi->bus = BUS_SCSI;
	pi->state = SDEV_RUNNING;
	pi->access_state = mpd_load(&acc_state[minor(u->devt)]);
	pi->tpg_id = -1;
	*ret = pi;
	return 0;
}

static int test_check(struct mpd *d, struct mp_path *p)
{
	return mpd_load(&chk_state[minor(p->devt)]);
}

static const struct mpd_ops test_ops = { .pathinfo = test_pathinfo, .check_path = test_check };

#define WWID "3600140500000000000000000000000a1"

static const char *test_dev[MAX_MINOR];

static struct mpd *one_map_ops(const char *conf_text, int n_paths, const struct mpd_ops *ops)
{
	struct mpd_options o = { .n_workers = 2, .no_udev_sync = true, .ops = ops };
	static char wwids[96], bindings[96];
	struct mp_config *c = NULL;
	struct mpd *d = NULL;

	snprintf(wwids, sizeof(wwids), "%s/wwids", tmpdir);
	snprintf(bindings, sizeof(bindings), "%s/bindings", tmpdir);
	o.wwids_file = wwids;
	o.bindings_file = bindings;
	assert_int_equal(mpd_new(&o, &d), 0);
	assert_int_equal(mp_config_load_string(conf_text, "test.conf", &c, NULL), 0);
	mpd_set_config(d, c);
	for (int i = 0; i < n_paths; i++) {
		char dev[128];
		const char *env[] = { "TEST_WWID=" WWID, "DEVTYPE=disk", dev, NULL };
		char name[16];
		struct mp_uevent *u;

		snprintf(name, sizeof(name), "sdz%d", i);
		if (test_dev[i])
			snprintf(dev, sizeof(dev), "TEST_DEV=%s", test_dev[i]);
		else
			env[2] = NULL;
		u = mp_uevent_new(UEV_ADD, name, makedev(8, i), NULL, env);
		assert_non_null(u);
		u->wwid = strdup(WWID);
		mpd_handle_uevent(d, u);
	}
	/* past any coalescing window the core may give path events */
	mpd_add(&fake_usec, 5 * USEC_PER_SEC);
	assert_int_equal(mpd_settle(d, 10000), 0);
	return d;
}

static struct mpd *one_map(const char *conf_text, int n_paths)
{
	return one_map_ops(conf_text, n_paths, &test_ops);
}

static void tick_settle(struct mpd *d, int n)
{
	for (int i = 0; i < n; i++) {
		mpd_add(&fake_usec, USEC_PER_SEC);
		mpd_tick(d);
		assert_int_equal(mpd_settle(d, 10000), 0);
	}
}

static struct mp_path *path_of(struct mpd *d, int minor_nr)
{
	struct mp_path *p;

	rcu_read_lock();
	p = mp_topo_find_path(&d->topo, makedev(8, minor_nr));
	rcu_read_unlock();
	assert_non_null(p);
	return p;           /* the paths live as long as the daemon here */
}

static int shown_state(struct mpd *d, int minor_nr)
{
	struct mp_path *p = path_of(d, minor_nr);
	int s;

	rcu_read_lock();
	s = mpd_health_shown_state(p);
	rcu_read_unlock();
	return s;
}

static size_t n_pgs(struct mpd *d, size_t *ret_marginal)
{
	struct mp_map *m;
	size_t n = 0, marg = 0;

	rcu_read_lock();
	m = mp_topo_find_map(&d->topo, WWID);
	if (m && mp_map_snap_get(m)) {
		const struct mp_map_snap *s = mp_map_snap_get(m);

		n = s->n_pgs;
		for (size_t g = 0; g < n; g++)
			marg += s->pgs[g].marginal;
	}
	rcu_read_unlock();
	*ret_marginal = marg;
	return n;
}

/* Flap path 0 (down, then up) with enough ticks for full checks. */
static void flap(struct mpd *d)
{
	mpd_store(&chk_state[0], PATH_DOWN);
	tick_settle(d, 2);
	mpd_store(&chk_state[0], PATH_UP);
	tick_settle(d, 2);
}

static int setup(void **state)
{
	const char *v = getenv("TEST_VERBOSITY");

	mp_log_init("test-health", MP_LOG_STDERR, v ? atoi(v) : 1, 0);
	mp_clock_set_ops(&fake_clock);
	fake_dm_install();
	for (int i = 0; i < MAX_MINOR; i++) {
		chk_state[i] = PATH_UP;
		acc_state[i] = ACCESS_UNKNOWN;
	}
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test-health.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	fake_dm_uninstall();
	mp_clock_set_ops(NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *const sched_conf =
	"defaults {\n  find_multipaths greedy\n  polling_interval 2\n"
	"  max_polling_interval 8\n  path_grouping_policy multibus\n  no_path_retry fail\n}\n";

/* The interval doubles 2 → 4 → 8 (max) while healthy, and a failure seen
 * between full checks brings it back to polling_interval at once. */
static void test_schedule_doubles_and_resets(void **state)
{
	struct mpd *d = one_map(sched_conf, 2);
	struct mp_path *p = path_of(d, 0);
	int seen[16], n = 0;

	for (int i = 0; i < 16; i++) {
		tick_settle(d, 1);
		seen[n++] = mpd_load(&p->checkint);
	}
	/* first check at once: 2→4, then 4→8 four ticks later, then stays */
	assert_int_equal(seen[0], 4);
	assert_int_equal(seen[4], 8);
	assert_int_equal(seen[15], 8);
	mpd_store(&chk_state[0], PATH_DOWN);
	tick_settle(d, 1);      /* the sweep, not a full check */
	assert_int_equal(fake_dm_path_failed(WWID, makedev(8, 0)), 1);
	assert_int_equal(mpd_load(&p->checkint), 2);
	mpd_free(d);
}

static const char *const san_conf =
	"defaults {\n  find_multipaths greedy\n  polling_interval 1\n  max_polling_interval 2\n"
	"  path_grouping_policy multibus\n  no_path_retry fail\n"
	"  san_path_err_threshold 1\n  san_path_err_forget_rate 50\n"
	"  san_path_err_recovery_time 10\n}\n";

static void test_san_holds_flapping_path(void **state)
{
	struct mpd *d = one_map(san_conf, 2);

	tick_settle(d, 2);
	flap(d);                /* first failure: reinstated */
	assert_int_equal(fake_dm_path_failed(WWID, makedev(8, 0)), 0);
	assert_int_equal(shown_state(d, 0), -1);
	flap(d);                /* second: held although the checker says up */
	assert_int_equal(fake_dm_path_failed(WWID, makedev(8, 0)), 1);
	assert_int_equal(shown_state(d, 0), PATH_DELAYED);
	tick_settle(d, 5);
	assert_int_equal(fake_dm_path_failed(WWID, makedev(8, 0)), 1);
	tick_settle(d, 6);      /* > 10 s since the hold began */
	assert_int_equal(fake_dm_path_failed(WWID, makedev(8, 0)), 0);
	assert_int_equal(shown_state(d, 0), -1);
	mpd_free(d);
}

static void test_san_releases_when_alone(void **state)
{
	struct mpd *d = one_map(san_conf, 2);

	tick_settle(d, 2);
	flap(d);
	flap(d);
	assert_int_equal(fake_dm_path_failed(WWID, makedev(8, 0)), 1);
	mpd_store(&chk_state[1], PATH_DOWN);
	tick_settle(d, 2);
	/* the held path is the only one that works: use it */
	assert_int_equal(fake_dm_path_failed(WWID, makedev(8, 1)), 1);
	assert_int_equal(fake_dm_path_failed(WWID, makedev(8, 0)), 0);
	mpd_free(d);
}

static const char *const delay_conf =
	"defaults {\n  find_multipaths greedy\n  polling_interval 1\n  max_polling_interval 2\n"
	"  path_grouping_policy multibus\n  no_path_retry fail\n"
	"  delay_watch_checks 30\n  delay_wait_checks 3\n}\n";

static void test_delay_checks_hold(void **state)
{
	struct mpd *d = one_map(delay_conf, 2);

	tick_settle(d, 2);
	flap(d);
	assert_int_equal(fake_dm_path_failed(WWID, makedev(8, 0)), 0);
	flap(d);
	assert_int_equal(fake_dm_path_failed(WWID, makedev(8, 0)), 1);
	tick_settle(d, 8);      /* 3 checks × max_polling_interval 2 = 6 s */
	assert_int_equal(fake_dm_path_failed(WWID, makedev(8, 0)), 0);
	mpd_free(d);
}

static const char *const marginal_pg_conf =
	"defaults {\n  find_multipaths greedy\n  polling_interval 1\n  max_polling_interval 2\n"
	"  path_grouping_policy multibus\n  no_path_retry fail\n  marginal_pathgroups on\n"
	"  san_path_err_threshold 1\n  san_path_err_forget_rate 50\n"
	"  san_path_err_recovery_time 10\n}\n";

/* marginal_pathgroups on: the shaky path is used, in a marginal group. */
static void test_san_marginal_group(void **state)
{
	struct mpd *d = one_map(marginal_pg_conf, 2);
	size_t marg;

	tick_settle(d, 2);
	assert_int_equal(n_pgs(d, &marg), 1);
	flap(d);
	flap(d);
	assert_int_equal(fake_dm_path_failed(WWID, makedev(8, 0)), 0);
	assert_int_equal(mpd_load(&path_of(d, 0)->marginal), 1);
	assert_int_equal(n_pgs(d, &marg), 2);
	assert_int_equal(marg, 1);
	tick_settle(d, 12);
	assert_int_equal(mpd_load(&path_of(d, 0)->marginal), 0);
	assert_int_equal(n_pgs(d, &marg), 1);
	assert_int_equal(marg, 0);
	mpd_free(d);
}

static const char *const marginal_path_conf =
	"defaults {\n  find_multipaths greedy\n  polling_interval 1\n  max_polling_interval 2\n"
	"  path_grouping_policy multibus\n  no_path_retry fail\n"
	"  marginal_path_double_failed_time 30\n  marginal_path_err_sample_time 120\n"
	"  marginal_path_err_rate_threshold 100\n  marginal_path_err_recheck_gap_time 600\n}\n";

/* The sample reads /dev/sdz0, which does not exist here: every read is an
 * error, so the path stays out after the sample although its checker
 * says up. */
static void test_marginal_path_sample_fails(void **state)
{
	struct mpd *d = one_map(marginal_path_conf, 2);

	tick_settle(d, 2);
	flap(d);
	assert_int_equal(fake_dm_path_failed(WWID, makedev(8, 0)), 0);
	flap(d);
	assert_int_equal(fake_dm_path_failed(WWID, makedev(8, 0)), 1);
	assert_int_equal(shown_state(d, 0), PATH_DELAYED);
	tick_settle(d, 125);
	assert_int_equal(fake_dm_path_failed(WWID, makedev(8, 0)), 1);
	assert_int_equal(shown_state(d, 0), PATH_DELAYED);
	mpd_free(d);
}

static const char *const weighted_conf =
	"defaults {\n  find_multipaths greedy\n  polling_interval 1\n"
	"  path_grouping_policy group_by_prio\n  no_path_retry fail\n"
	"  prio weightedpath\n  prio_args \"devname sdz0 20 sdz1 5\"\n}\n";

/* A prioritizer other than the built-in ALUA rule runs in the prio
 * thread; its answer regroups the map (one group per priority). */
static void test_prio_thread_regroups(void **state)
{
	struct mpd *d = one_map(weighted_conf, 2);
	size_t marg;
	int i;

	assert_int_equal(n_pgs(d, &marg), 1);   /* both 1 until the prioritizer ran */
	tick_settle(d, 1);
	for (i = 0; i < 200 && mpd_load(&path_of(d, 1)->prio) != 5; i++)
		usleep(10000);
	assert_int_equal(mpd_load(&path_of(d, 0)->prio), 20);
	assert_int_equal(mpd_load(&path_of(d, 1)->prio), 5);
	/* the sync the prio thread queued may still be on its way */
	for (i = 0; i < 200 && n_pgs(d, &marg) != 2; i++) {
		usleep(10000);
		assert_int_equal(mpd_settle(d, 10000), 0);
	}
	assert_int_equal(n_pgs(d, &marg), 2);
	mpd_free(d);
}

static const char *const directio_conf =
	"defaults {\n  find_multipaths greedy\n  polling_interval 1\n  max_polling_interval 4\n"
	"  path_grouping_policy multibus\n  no_path_retry fail\n}\n"
	"overrides {\n  path_checker directio\n}\n"
	"blacklist_exceptions {\n  devnode \"mp-health\"\n}\n";

/* Tick, then give the asynchronous checks real time to answer and tick
 * again: the second tick collects what came back. */
static void tick_async(struct mpd *d, int n)
{
	for (int i = 0; i < n; i++) {
		tick_settle(d, 1);
		usleep(50000);
	}
}

/* The real asynchronous path: the daemon's own sysfs check (no hook) has
 * no device state for these paths, so the directio checker's verdicts,
 * collected through the runner, decide.  Path 1's "device" does not
 * exist: only the checker can fail it. */
static void test_async_checker_verdicts(void **state)
{
	static const struct mpd_ops ops = { .pathinfo = test_pathinfo };
	char file[64] = "/var/tmp/mp-health.XXXXXX", buf[8192], name[16];
	struct mpd *d;
	int fd = mkstemp(file);

	assert_true(fd >= 0);
	memset(buf, 0x5a, sizeof(buf));
	assert_int_equal(write(fd, buf, sizeof(buf)), sizeof(buf));
	close(fd);
	fd = open(file, O_RDONLY | O_DIRECT);
	if (fd < 0) {
		unlink(file);
		print_message("O_DIRECT not available on /var/tmp, skipped\n");
		skip();
	}
	close(fd);
	test_dev[0] = file;
	test_dev[1] = "/nonexistent/mp-health-dev";
	d = one_map_ops(directio_conf, 2, &ops);
	tick_async(d, 3);
	rcu_read_lock();
	assert_true(mpd_health_checker_name(path_of(d, 0), name, sizeof(name)) > 0);
	rcu_read_unlock();
	assert_string_equal(name, "directio");
	assert_int_equal(fake_dm_path_failed(WWID, makedev(8, 1)), 1);
	assert_int_equal(fake_dm_path_failed(WWID, makedev(8, 0)), 0);
	assert_int_equal(mpd_load(&path_of(d, 1)->chk_state), PATH_DOWN);
	/* the healthy path's interval grows on the async verdicts */
	tick_async(d, 8);
	assert_int_equal(mpd_load(&path_of(d, 0)->checkint), 4);
	assert_int_equal(mpd_load(&path_of(d, 1)->checkint), 1);
	mpd_free(d);
	test_dev[0] = test_dev[1] = NULL;
	unlink(file);
}

static const char *const alua_conf =
	"defaults {\n  find_multipaths greedy\n  polling_interval 1\n"
	"  path_grouping_policy group_by_prio\n  no_path_retry fail\n"
	"  prio alua\n  detect_prio no\n}\n";

static void change_event(struct mpd *d, int minor_nr)
{
	const char *env[] = { "TEST_WWID=" WWID, "DEVTYPE=disk", NULL };
	char name[16];
	struct mp_uevent *u;

	snprintf(name, sizeof(name), "sdz%d", minor_nr);
	u = mp_uevent_new(UEV_CHANGE, name, makedev(8, minor_nr), NULL, env);
	assert_non_null(u);
	u->wwid = strdup(WWID);
	mpd_handle_uevent(d, u);
}

/* prio alua while the access state is unknown asks the prioritizer (in
 * the prio thread); once the kernel knows the state, the core's rule
 * decides and the prioritizer's older answer must not come back. */
static void test_prio_rule_wins_once_state_known(void **state)
{
	struct mpd *d = one_map(alua_conf, 2);
	size_t marg;
	int i;

	tick_settle(d, 2);
	for (i = 0; i < 100; i++) {     /* the prio thread's answers (no device here) */
		usleep(10000);
		assert_int_equal(mpd_settle(d, 10000), 0);
	}
	mpd_store(&acc_state[0], ACCESS_OPTIMIZED);
	mpd_store(&acc_state[1], ACCESS_NON_OPTIMIZED);
	change_event(d, 0);
	change_event(d, 1);
	mpd_add(&fake_usec, USEC_PER_SEC);
	assert_int_equal(mpd_settle(d, 10000), 0);
	for (i = 0; i < 10; i++) {
		tick_settle(d, 1);
		usleep(20000);
		assert_int_equal(mpd_settle(d, 10000), 0);
		assert_int_equal(mpd_load(&path_of(d, 0)->prio), 50);
		assert_int_equal(mpd_load(&path_of(d, 1)->prio), 10);
		assert_int_equal(n_pgs(d, &marg), 2);
	}
	mpd_free(d);
}

static const char *const ghost_conf =
	"defaults {\n  find_multipaths greedy\n  polling_interval 1\n"
	"  path_grouping_policy multibus\n  no_path_retry fail\n  ghost_delay 4\n}\n";
static const char *const ghost_no_conf =
	"defaults {\n  find_multipaths greedy\n  polling_interval 1\n"
	"  path_grouping_policy multibus\n  no_path_retry fail\n}\n";

static bool no_paths_flag(void)
{
	int64_t f = fake_dm_flags(WWID);

	assert_true(f >= 0);
	return f & MP_DM_FLAG_NO_PATHS;
}

static void all_standby(int n)
{
	for (int i = 0; i < n; i++) {
		mpd_store(&acc_state[i], ACCESS_STANDBY);
		mpd_store(&chk_state[i], PATH_GHOST);
	}
}

/* A map of standby paths only is loaded "without usable paths" for
 * ghost_delay seconds, then reloaded so udev announces it. */
static void test_ghost_delay_expires(void **state)
{
	struct mpd *d;
	uint64_t reloads;

	all_standby(2);
	d = one_map(ghost_conf, 2);
	assert_true(no_paths_flag());
	reloads = fake_dm_count(DMOP_RELOAD);
	tick_settle(d, 2);
	assert_true(no_paths_flag());
	tick_settle(d, 3);
	assert_false(no_paths_flag());
	assert_int_equal(fake_dm_count(DMOP_RELOAD) - reloads, 1);
	tick_settle(d, 5);      /* nothing more */
	assert_int_equal(fake_dm_count(DMOP_RELOAD) - reloads, 1);
	mpd_free(d);
}

/* An active path ends the delay at once; without ghost_delay the map of
 * standby paths is usable from the start. */
static void test_ghost_delay_active_path(void **state)
{
	struct mpd *d;

	all_standby(2);
	d = one_map(ghost_conf, 2);
	assert_true(no_paths_flag());
	mpd_store(&chk_state[0], PATH_UP);
	tick_settle(d, 2);
	assert_false(no_paths_flag());
	mpd_free(d);
	fake_dm_reset();
	assert_int_equal(fake_dm_flags(WWID), -1);
	d = one_map(ghost_no_conf, 2);
	assert_int_equal(fake_dm_count(DMOP_CREATE), 1);
	assert_false(no_paths_flag());
	mpd_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_san_threshold_and_recovery),
		cmocka_unit_test(test_san_hold_restarts_and_early_release),
		cmocka_unit_test(test_san_forget),
		cmocka_unit_test(test_san_off_when_incomplete),
		cmocka_unit_test(test_delay_checks_map_to_san),
		cmocka_unit_test(test_marginal_double_failure),
		cmocka_unit_test(test_marginal_bad_rate_rechecks),
		cmocka_unit_test_setup_teardown(test_schedule_doubles_and_resets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_san_holds_flapping_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_san_releases_when_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delay_checks_hold, setup, teardown),
		cmocka_unit_test_setup_teardown(test_san_marginal_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_marginal_path_sample_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prio_thread_regroups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_async_checker_verdicts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prio_rule_wins_once_state_known, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ghost_delay_expires, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ghost_delay_active_path, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
