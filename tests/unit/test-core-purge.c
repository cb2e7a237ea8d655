// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * recheck_wwid and purge_disconnected, driven through the daemon core with
 * real worker threads, the fake device-mapper and fake sysfs; checker
 * verdicts come from a table the test sets, ticks from mpd_tick().
 *
 * recheck_wwid: a path whose sysfs WWID changed while it was down is not
 * reinstated but leaves its map (one reload) and makes the map of its new
 * WWID; without the keyword it is reinstated.  purge_disconnected: a
 * "disconnected" verdict writes "1" to the SCSI device's delete attribute
 * once; without it nothing is written; a disk whose diskseq moved (name
 * reused) is left alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <urcu/uatomic.h>
#include <cmocka.h>

#include "backend/backend.h"
#include "multipathd/core.h"
#include "tests/fake/fake-dm.h"
#include "tests/fake/fake-sys.h"
#include "util/log.h"

#define WWID_A "36001405aaaaaaaaaaaaaaaaaaaaaaaa1"
#define WWID_B "36001405bbbbbbbbbbbbbbbbbbbbbbbb2"
#define N_DEV 3

static char tmpdir[64];
static int chk_state[N_DEV];
static struct mp_sysfs_ops wrapped;
static struct mp_backend be;
static int (*fake_write)(const char *dir, const char *attr, const char *value);
static int deletes;

static int counting_write(const char *dir, const char *attr, const char *value)
{
	if (!strcmp(attr, "delete"))
		uatomic_inc(&deletes);
	return fake_write(dir, attr, value);
}

/* The WWID comes from the TEST_WWID property (uid_attrs "sd:TEST_WWID"),
 * as udev's would from ID_SERIAL. */
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
	pi->tpg_id = -1;
	*ret = pi;
	return 0;
}

static int test_check(struct mpd *d, struct mp_path *p)
{
	return uatomic_read(&chk_state[minor(p->devt)]);
}

static const struct mpd_ops ops = { .pathinfo = test_pathinfo, .check_path = test_check };

static struct mpd *daemon_with(const char *extra)
{
	static char wwids[96], bindings[96];
	struct mpd_options o = {
		.n_workers = 2, .no_udev_sync = true, .coalesce_ms = -1, .ops = &ops,
		.wwids_file = wwids, .bindings_file = bindings, .udev_db_dir = tmpdir,
	};
	struct mp_config *c = NULL;
	struct mpd *d = NULL;
	char conf[640];

	snprintf(wwids, sizeof(wwids), "%s/wwids", tmpdir);
	snprintf(bindings, sizeof(bindings), "%s/bindings", tmpdir);
	snprintf(conf, sizeof(conf),
		 "defaults {\n  find_multipaths greedy\n  user_friendly_names no\n"
		 "  polling_interval 1\n  path_grouping_policy multibus\n"
		 "  no_path_retry fail\n  uid_attrs \"sd:TEST_WWID\"\n%s}\n"
		 "blacklist_exceptions {\n  property \"(SCSI_IDENT_|ID_WWN|TEST_WWID)\"\n}\n",
		 extra);
	assert_int_equal(mpd_new(&o, &d), 0);
	assert_int_equal(mp_config_load_string(conf, "test.conf", &c, NULL), 0);
	mpd_set_config(d, c);
	return d;
}

/* sdp<idx>: sysfs WWID (the kernel's form of `wwid`), diskseq, delete. */
static void sysfs_disk(int idx, const char *wwid)
{
	char p[128];

	snprintf(p, sizeof(p), "/sys/block/sdp%d/device/wwid", idx);
	fake_sys_setf(p, "naa.%s", wwid + 1);
	snprintf(p, sizeof(p), "/sys/block/sdp%d/diskseq", idx);
	fake_sys_setf(p, "%d", 40 + idx);
	snprintf(p, sizeof(p), "/sys/block/sdp%d/device/delete", idx);
	fake_sys_set(p, "");
}

static void add_path(struct mpd *d, int idx, const char *wwid)
{
	char name[16], env[96];
	const char *envv[] = { "DEVTYPE=disk", env, NULL };
	struct mp_uevent *u;

	snprintf(name, sizeof(name), "sdp%d", idx);
	snprintf(env, sizeof(env), "TEST_WWID=%s", wwid);
	u = mp_uevent_new(UEV_ADD, name, makedev(65, idx), NULL, envv);
	assert_non_null(u);
	u->wwid = strdup(wwid);
	mpd_handle_uevent(d, u);
}

static void tick_settle(struct mpd *d, int n)
{
	for (int i = 0; i < n; i++) {
		mpd_tick(d);
		assert_int_equal(mpd_settle(d, 10000), 0);
	}
}

static struct mpd *one_map(const char *extra)
{
	struct mpd *d = daemon_with(extra);

	sysfs_disk(0, WWID_A);
	sysfs_disk(1, WWID_A);
	add_path(d, 0, WWID_A);
	add_path(d, 1, WWID_A);
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_int_equal(fake_dm_n_paths(WWID_A), 2);
	tick_settle(d, 2);      /* healthy checks */
	return d;
}

static int setup(void **state)
{
	const char *v = getenv("TEST_VERBOSITY");

	mp_log_init("test-core-purge", MP_LOG_STDERR, v ? atoi(v) : 1, 0);
	fake_dm_install();
	mp_dm_stats_reset();
	fake_sys_reset();
	fake_sys_install();
	be = *mp_backend();
	wrapped = *be.sysfs;
	fake_write = wrapped.write_attr;
	wrapped.write_attr = counting_write;
	be.sysfs = &wrapped;
	mp_backend_set(&be);
	deletes = 0;
	for (int i = 0; i < N_DEV; i++)
		chk_state[i] = PATH_UP;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test-core-purge.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	fake_sys_reset();
	fake_dm_uninstall();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd) != 0 ? -1 : 0;
}

/* Path 0 goes down, its LUN is remapped to WWID_B, it comes back up. */
static uint64_t down_remap_up(struct mpd *d)
{
	uint64_t reloads;

	uatomic_set(&chk_state[0], PATH_DOWN);
	tick_settle(d, 1);
	assert_int_equal(fake_dm_path_failed(WWID_A, makedev(65, 0)), 1);
	reloads = fake_dm_count(DMOP_RELOAD);
	fake_sys_setf("/sys/block/sdp0/device/wwid", "naa.%s", WWID_B + 1);
	uatomic_set(&chk_state[0], PATH_UP);
	tick_settle(d, 3);
	return reloads;
}

static void test_recheck_wwid_moves_path(void **state)
{
	struct mpd *d = one_map("  recheck_wwid yes\n");
	uint64_t reloads = down_remap_up(d);
	struct mp_path *p;

	/* left the old map in one reload, never reinstated there */
	assert_int_equal(fake_dm_n_paths(WWID_A), 1);
	assert_int_equal(fake_dm_count(DMOP_RELOAD) - reloads, 1);
	/* and made the map of its new WWID */
	assert_true(fake_dm_exists(WWID_B));
	assert_int_equal(fake_dm_n_paths(WWID_B), 1);
	rcu_read_lock();
	p = mp_topo_find_path(&d->topo, makedev(65, 0));
	assert_non_null(p);
	assert_string_equal(mpd_load(&p->map)->wwid, WWID_B);
	rcu_read_unlock();
	/* later checks leave both maps alone */
	reloads = fake_dm_count(DMOP_RELOAD);
	tick_settle(d, 3);
	assert_int_equal(fake_dm_count(DMOP_RELOAD), reloads);
	assert_int_equal(fake_dm_path_failed(WWID_B, makedev(65, 0)), 0);
	mpd_free(d);
}

static void test_recheck_wwid_off_reinstates(void **state)
{
	struct mpd *d = one_map("");
	uint64_t reloads = down_remap_up(d);

	assert_int_equal(fake_dm_path_failed(WWID_A, makedev(65, 0)), 0);
	assert_int_equal(fake_dm_n_paths(WWID_A), 2);
	assert_int_equal(fake_dm_count(DMOP_RELOAD), reloads);
	assert_false(fake_dm_exists(WWID_B));
	mpd_free(d);
}

/* Same WWID after the outage: reinstated as usual. */
static void test_recheck_wwid_same_reinstates(void **state)
{
	struct mpd *d = one_map("  recheck_wwid yes\n");

	uatomic_set(&chk_state[0], PATH_DOWN);
	tick_settle(d, 1);
	assert_int_equal(fake_dm_path_failed(WWID_A, makedev(65, 0)), 1);
	uatomic_set(&chk_state[0], PATH_UP);
	tick_settle(d, 2);
	assert_int_equal(fake_dm_path_failed(WWID_A, makedev(65, 0)), 0);
	assert_int_equal(fake_dm_n_paths(WWID_A), 2);
	mpd_free(d);
}

/* A change event that says the device is fine again (udev, access
 * state) does not reinstate it with recheck_wwid: the checker does, after
 * re-reading the WWID.  Without the keyword the event reinstates it. */
static void change_event_after_down(bool recheck)
{
	struct mpd *d = one_map(recheck ? "  recheck_wwid yes\n" : "");
	const char *envv[] = { "DEVTYPE=disk", "TEST_WWID=" WWID_A, NULL };
	struct mp_uevent *u;

	uatomic_set(&chk_state[0], PATH_DOWN);
	tick_settle(d, 1);
	assert_int_equal(fake_dm_path_failed(WWID_A, makedev(65, 0)), 1);
	u = mp_uevent_new(UEV_CHANGE, "sdp0", makedev(65, 0), NULL, envv);
	assert_non_null(u);
	u->wwid = strdup(WWID_A);
	mpd_handle_uevent(d, u);
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_int_equal(fake_dm_path_failed(WWID_A, makedev(65, 0)), recheck);
	mpd_free(d);
}

static void test_recheck_wwid_change_event(void **state)
{
	change_event_after_down(true);
	teardown(state);
	setup(state);
	change_event_after_down(false);
}

static void test_purge_disconnected(void **state)
{
	struct mpd *d = one_map("  purge_disconnected yes\n");

	/* plain down: no purge */
	uatomic_set(&chk_state[1], PATH_DOWN);
	tick_settle(d, 2);
	assert_int_equal(uatomic_read(&deletes), 0);
	uatomic_set(&chk_state[1], PATH_UP);
	uatomic_set(&chk_state[0], PATH_DISCONNECTED);
	tick_settle(d, 4);
	assert_int_equal(fake_dm_path_failed(WWID_A, makedev(65, 0)), 1);
	assert_string_equal(fake_sys_get("/sys/block/sdp0/device/delete"), "1");
	assert_int_equal(uatomic_read(&deletes), 1);   /* once per path */
	assert_string_equal(fake_sys_get("/sys/block/sdp1/device/delete"), "");
	mpd_free(d);
}

static void test_purge_disconnected_off(void **state)
{
	struct mpd *d = one_map("");

	uatomic_set(&chk_state[0], PATH_DISCONNECTED);
	tick_settle(d, 4);
	assert_int_equal(fake_dm_path_failed(WWID_A, makedev(65, 0)), 1);
	assert_string_equal(fake_sys_get("/sys/block/sdp0/device/delete"), "");
	assert_int_equal(uatomic_read(&deletes), 0);
	mpd_free(d);
}

/* The purge item carries the diskseq seen with the verdict: a disk that
 * got the name meanwhile is not deleted. */
static void test_purge_reused_name(void **state)
{
	struct mpd_work *w = mpd_work_new(W_PATH_PURGE, "@purge");

	sysfs_disk(2, WWID_B);
	w->str = strdup("sdp2 41");
	assert_int_equal(mpd_purge_run(NULL, w), -ESTALE);
	assert_string_equal(fake_sys_get("/sys/block/sdp2/device/delete"), "");
	free(w->str);
	w->str = strdup("sdp2 42");
	assert_int_equal(mpd_purge_run(NULL, w), 0);
	assert_string_equal(fake_sys_get("/sys/block/sdp2/device/delete"), "1");
	mpd_work_finish(w, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_recheck_wwid_moves_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recheck_wwid_off_reinstates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recheck_wwid_same_reinstates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recheck_wwid_change_event, setup, teardown),
		cmocka_unit_test_setup_teardown(test_purge_disconnected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_purge_disconnected_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_purge_reused_name, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
