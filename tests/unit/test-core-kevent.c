// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel-uevent fast path (multipathd/kevent.c) over the real core,
 * the real path-info builder, a fake sysfs and the fake device-mapper:
 * kernel events are fed first, the udev events of the same devices later,
 * in order, stale, reordered, contradicting or blacklisted.
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

#include "multipathd/core.h"
#include "multipathd/kevent.h"
#include "tests/fake/fake-dm.h"
#include "tests/fake/fake-sys.h"
#include "util/log.h"

/* two LUNs, NAA 6 (IEEE registered extended) */
#define WWID_A "36001405aaaaaaaaaaaaaaaaaaaaaaaaa"
#define WWID_B "36001405bbbbbbbbbbbbbbbbbbbbbbbbb"

static char tmpdir[64];

static const char *const base_conf =
	"defaults {\n  find_multipaths greedy\n  user_friendly_names no\n}\n";

static int check_up(struct mpd *d, struct mp_path *p)
{
	return PATH_UP;
}

static const struct mpd_ops ops = { .check_path = check_up };

static struct mpd *daemon_paused(const char *conf_text, bool paused)
{
	static char wwids[96], bindings[96];
	struct mpd_options o = {
		.no_udev_sync = true,
		.start_paused = paused,
		.coalesce_ms = -1,
		.ops = &ops,
		.wwids_file = wwids,
		.bindings_file = bindings,
	};
	struct mp_config *c = NULL;
	struct mpd *d = NULL;

	snprintf(wwids, sizeof(wwids), "%s/wwids", tmpdir);
	snprintf(bindings, sizeof(bindings), "%s/bindings", tmpdir);
	assert_int_equal(mpd_new(&o, &d), 0);
	assert_int_equal(mp_config_load_string(conf_text, "test.conf", &c, NULL), 0);
	mpd_set_config(d, c);
	return d;
}

static struct mpd *daemon_with(const char *conf_text)
{
	return daemon_paused(conf_text, false);
}

/* VPD 0x83 with one binary LUN designator of `type` (2 EUI-64, 3 NAA)
 * whose value is the hex digits of `wwid` after its type digit. */
static size_t vpd83(const char *wwid, int type, uint8_t *page)
{
	size_t n = (strlen(wwid) - 1) / 2;

	memset(page, 0, 8);
	page[1] = 0x83;
	page[3] = (uint8_t)(4 + n);
	page[4] = 0x01;                 /* binary */
	page[5] = (uint8_t)type;        /* LUN association */
	page[7] = (uint8_t)n;
	for (size_t i = 0; i < n; i++) {
		unsigned int b;

		sscanf(wwid + 1 + 2 * i, "%2x", &b);
		page[8 + i] = (uint8_t)b;
	}
	return 8 + n;
}

/* A SCSI disk in the fake sysfs: /sys/block/<name>, 8:<minor>, LUN `wwid`. */
static void scsi_disk(const char *name, int minor, const char *wwid, const char *vendor)
{
	static const char *const attrs[][2] = {
		{ "size", "2097152" }, { "ro", "0" }, { "device/model", "DISK" },
		{ "device/rev", "1" }, { "device/state", "running" },
	};
	uint8_t page[64], inq[36] = { 0 };
	char path[128];

	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		snprintf(path, sizeof(path), "/sys/block/%s/%s", name, attrs[i][0]);
		fake_sys_set(path, attrs[i][1]);
	}
	snprintf(path, sizeof(path), "/sys/block/%s/dev", name);
	fake_sys_setf(path, "8:%d", minor);
	snprintf(path, sizeof(path), "/sys/block/%s/device/vendor", name);
	fake_sys_set(path, vendor);
	snprintf(path, sizeof(path), "/sys/block/%s/device/inquiry", name);
	fake_sys_set_bin(path, inq, sizeof(inq));
	snprintf(path, sizeof(path), "/sys/block/%s/device/vpd_pg83", name);
	fake_sys_set_bin(path, page, vpd83(wwid, 3, page));
}

static struct mp_uevent *event(enum mp_uev_action a, const char *name, int minor, uint64_t seq,
			       const char *const *extra)
{
	char devname[64], syspath[128];
	const char *env[12] = { "SUBSYSTEM=block", "DEVTYPE=disk", devname };
	struct mp_uevent *u;
	size_t n = 3;

	snprintf(devname, sizeof(devname), "DEVNAME=%s", name);
	snprintf(syspath, sizeof(syspath), "/sys/devices/platform/host0/block/%s", name);
	while (extra && *extra && n < 11)
		env[n++] = *extra++;
	u = mp_uevent_new(a, name, makedev(8, minor), syspath, env);
	assert_non_null(u);
	u->seqnum = seq;
	return u;
}

static struct mp_uevent *kernel_ev(enum mp_uev_action a, const char *name, int minor, uint64_t seq)
{
	return event(a, name, minor, seq, NULL);
}

/* What udev sends for a SCSI disk whose WWID is `wwid` (NULL: none). */
static struct mp_uevent *udev_ev(enum mp_uev_action a, const char *name, int minor, uint64_t seq,
				 const char *wwid, bool with_wwn)
{
	char serial[96], wwn[64];
	const char *extra[4] = { "ID_BUS=scsi" };
	size_t n = 1;

	if (wwid) {
		snprintf(serial, sizeof(serial), "ID_SERIAL=%s", wwid);
		extra[n++] = serial;
	}
	if (wwid && with_wwn) {
		snprintf(wwn, sizeof(wwn), "ID_WWN=0x%.16s", wwid + 1);
		extra[n++] = wwn;
	}
	return event(a, name, minor, seq, extra);
}

static uint64_t cnt(struct mpd *d, size_t off)
{
	return mpd_load((uint64_t *)((char *)&d->priv->cnt + off));
}
#define CNT(d, f) cnt(d, offsetof(struct mpd_counters, f))

static void settle(struct mpd *d)
{
	assert_int_equal(mpd_settle(d, 20000), 0);
}

static int setup(void **state)
{
	const char *v = getenv("TEST_VERBOSITY");

	mp_log_init("test-core-kevent", MP_LOG_STDERR, v ? atoi(v) : 1, 0);
	fake_dm_install();
	fake_sys_install();
	mp_dm_stats_reset();
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test-kev.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	fake_sys_reset();
	fake_dm_uninstall();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *const disks[] = { "sdb", "sdc", "sdd", "sde" };

/* Kernel adds alone build the map; the udev adds that follow are merged
 * without a reload and without queueing any work. */
static void test_kernel_then_udev(void **state)
{
	struct mpd *d = daemon_with(base_conf);
	struct mpd_kev *k;

	assert_int_equal(mpd_kev_new(d, &k), 0);
	for (int i = 0; i < 4; i++) {
		scsi_disk(disks[i], 16 + i, WWID_A, "LIO-ORG");
		mpd_kev_kernel(k, kernel_ev(UEV_ADD, disks[i], 16 + i, 100 + (uint64_t)i));
	}
	settle(d);
	assert_int_equal(CNT(d, kev_fed), 4);
	assert_int_equal(fake_dm_n_paths(WWID_A), 4);
	uint64_t creates = fake_dm_count(DMOP_CREATE), reloads = fake_dm_count(DMOP_RELOAD);
	uint64_t processed = CNT(d, uev_processed);

	assert_int_equal(creates, 1);
	for (int i = 0; i < 4; i++)
		mpd_kev_udev(k, udev_ev(UEV_ADD, disks[i], 16 + i, 100 + (uint64_t)i, WWID_A, true));
	settle(d);
	assert_int_equal(CNT(d, kev_merged), 4);
	assert_int_equal(CNT(d, uev_processed), processed);
	assert_int_equal(fake_dm_count(DMOP_CREATE), creates);
	assert_int_equal(fake_dm_count(DMOP_RELOAD), reloads);
	assert_int_equal(fake_dm_n_paths(WWID_A), 4);
	mpd_kev_free(k);
	mpd_free(d);
}

/* kernel add, kernel remove, then the udev add of the removed device: it
 * must not bring the path back; the udev remove is a no-op. */
static void test_stale_udev_add(void **state)
{
	struct mpd *d = daemon_with(base_conf);
	struct mpd_kev *k;

	assert_int_equal(mpd_kev_new(d, &k), 0);
	scsi_disk("sdb", 16, WWID_A, "LIO-ORG");
	scsi_disk("sdc", 32, WWID_A, "LIO-ORG");
	mpd_kev_kernel(k, kernel_ev(UEV_ADD, "sdb", 16, 10));
	mpd_kev_kernel(k, kernel_ev(UEV_ADD, "sdc", 32, 11));
	settle(d);
	assert_int_equal(fake_dm_n_paths(WWID_A), 2);
	mpd_kev_kernel(k, kernel_ev(UEV_REMOVE, "sdc", 32, 12));
	settle(d);
	assert_int_equal(fake_dm_n_paths(WWID_A), 1);
	/* udev catches up: sdb's add (merged), sdc's add (stale), sdc's remove */
	mpd_kev_udev(k, udev_ev(UEV_ADD, "sdb", 16, 10, WWID_A, true));
	mpd_kev_udev(k, udev_ev(UEV_ADD, "sdc", 32, 11, WWID_A, true));
	mpd_kev_udev(k, udev_ev(UEV_REMOVE, "sdc", 32, 12, WWID_A, true));
	settle(d);
	assert_int_equal(CNT(d, uev_stale), 1);
	assert_int_equal(fake_dm_n_paths(WWID_A), 1);
	mpd_kev_free(k);
	mpd_free(d);
}

/* The kernel add is removed before its work ran: the remove is keyed by
 * the same WWID (not dev:8:32, the path being unknown yet), so it runs
 * after the add and the path does not stay. */
static void test_add_remove_same_batch(void **state)
{
	struct mpd *d = daemon_paused(base_conf, true);
	struct mpd_kev *k;

	assert_int_equal(mpd_kev_new(d, &k), 0);
	scsi_disk("sdb", 16, WWID_A, "LIO-ORG");
	scsi_disk("sdc", 32, WWID_A, "LIO-ORG");
	mpd_kev_kernel(k, kernel_ev(UEV_ADD, "sdb", 16, 20));
	mpd_kev_kernel(k, kernel_ev(UEV_ADD, "sdc", 32, 21));
	mpd_kev_kernel(k, kernel_ev(UEV_REMOVE, "sdc", 32, 22));
	mpd_start_processing(d);
	settle(d);
	assert_int_equal(fake_dm_n_paths(WWID_A), 1);
	mpd_kev_free(k);
	mpd_free(d);
}

/* A udev event processed before the kernel event it came from (kernel
 * socket read late): the kernel event is not fed again. */
static void test_reordered(void **state)
{
	struct mpd *d = daemon_with(base_conf);
	struct mpd_kev *k;

	assert_int_equal(mpd_kev_new(d, &k), 0);
	scsi_disk("sdb", 16, WWID_A, "LIO-ORG");
	mpd_kev_udev(k, udev_ev(UEV_ADD, "sdb", 16, 30, WWID_A, true));
	mpd_kev_kernel(k, kernel_ev(UEV_ADD, "sdb", 16, 30));
	settle(d);
	assert_int_equal(CNT(d, kev_fed), 0);
	assert_int_equal(fake_dm_n_paths(WWID_A), 1);
	assert_int_equal(fake_dm_count(DMOP_RELOAD), 0);
	mpd_kev_free(k);
	mpd_free(d);
}

/* The fed kernel add failed on the worker (sysfs half gone at that
 * moment): the udev add is not taken for a confirmation but added. */
static void test_kernel_add_failed(void **state)
{
	struct mpd *d = daemon_paused(base_conf, true);
	struct mpd_kev *k;

	assert_int_equal(mpd_kev_new(d, &k), 0);
	scsi_disk("sdb", 16, WWID_A, "LIO-ORG");
	mpd_kev_kernel(k, kernel_ev(UEV_ADD, "sdb", 16, 35));
	fake_sys_unset("/sys/block/sdb/dev");
	mpd_start_processing(d);
	settle(d);
	assert_int_equal(CNT(d, kev_fed), 1);
	assert_int_equal(fake_dm_map_count(), 0);
	fake_sys_set("/sys/block/sdb/dev", "8:16");
	mpd_kev_udev(k, udev_ev(UEV_ADD, "sdb", 16, 35, WWID_A, true));
	settle(d);
	assert_int_equal(CNT(d, kev_merged), 0);
	assert_int_equal(fake_dm_n_paths(WWID_A), 1);
	mpd_kev_free(k);
	mpd_free(d);
}

/* udev reports another WWID than sysfs gave: the path moves. */
static void test_wwid_mismatch(void **state)
{
	struct mpd *d = daemon_with(base_conf);
	struct mpd_kev *k;

	assert_int_equal(mpd_kev_new(d, &k), 0);
	scsi_disk("sdb", 16, WWID_A, "LIO-ORG");
	scsi_disk("sdc", 32, WWID_A, "LIO-ORG");
	mpd_kev_kernel(k, kernel_ev(UEV_ADD, "sdb", 16, 40));
	mpd_kev_kernel(k, kernel_ev(UEV_ADD, "sdc", 32, 41));
	settle(d);
	assert_int_equal(fake_dm_n_paths(WWID_A), 2);
	mpd_kev_udev(k, udev_ev(UEV_ADD, "sdb", 16, 40, WWID_A, true));
	mpd_kev_udev(k, udev_ev(UEV_ADD, "sdc", 32, 41, WWID_B, true));
	settle(d);
	assert_int_equal(fake_dm_n_paths(WWID_A), 1);
	assert_int_equal(fake_dm_n_paths(WWID_B), 1);
	mpd_kev_free(k);
	mpd_free(d);
}

/* udev's properties lack every exception (no ID_WWN, no SCSI_IDENT_*):
 * "missing property", the path leaves the map the kernel add built. */
static void test_blacklisted_by_property(void **state)
{
	struct mpd *d = daemon_with(base_conf);
	struct mpd_kev *k;

	assert_int_equal(mpd_kev_new(d, &k), 0);
	scsi_disk("sdb", 16, WWID_A, "LIO-ORG");
	scsi_disk("sdc", 32, WWID_A, "LIO-ORG");
	mpd_kev_kernel(k, kernel_ev(UEV_ADD, "sdb", 16, 50));
	mpd_kev_kernel(k, kernel_ev(UEV_ADD, "sdc", 32, 51));
	settle(d);
	assert_int_equal(fake_dm_n_paths(WWID_A), 2);
	mpd_kev_udev(k, udev_ev(UEV_ADD, "sdb", 16, 50, WWID_A, true));
	mpd_kev_udev(k, udev_ev(UEV_ADD, "sdc", 32, 51, WWID_A, false));
	settle(d);
	assert_int_equal(fake_dm_n_paths(WWID_A), 1);
	assert_int_equal(CNT(d, kev_merged), 1);
	/* a later change of that device does not bring it back */
	mpd_kev_udev(k, udev_ev(UEV_CHANGE, "sdc", 32, 55, WWID_A, false));
	settle(d);
	assert_int_equal(fake_dm_n_paths(WWID_A), 1);
	mpd_kev_free(k);
	mpd_free(d);
}

/* Kernel adds that sysfs cannot vouch for are left to udev. */
static void test_deferred(void **state)
{
	static const char *const bl_prop_conf =
		"defaults {\n  find_multipaths greedy\n  user_friendly_names no\n}\n"
		"blacklist {\n  property \"ID_CDROM\"\n}\n";
	struct mpd *d = daemon_with(bl_prop_conf);
	uint8_t page[64];
	struct mpd_kev *k;

	assert_int_equal(mpd_kev_new(d, &k), 0);
	/* a blacklist property rule: udev's properties could still hit it */
	scsi_disk("sdb", 16, WWID_A, "LIO-ORG");
	mpd_kev_kernel(k, kernel_ev(UEV_ADD, "sdb", 16, 60));
	settle(d);
	assert_int_equal(CNT(d, kev_deferred), 1);
	assert_int_equal(fake_dm_map_count(), 0);
	mpd_kev_free(k);
	mpd_free(d);

	d = daemon_with(base_conf);
	assert_int_equal(mpd_kev_new(d, &k), 0);
	/* ATA: ata_id names it; T10 vendor id: scsi_id's own spelling;
	 * two local NAAs: scsi_id takes the first, we rank them */
	scsi_disk("sdc", 32, WWID_B, "ATA");
	scsi_disk("sdd", 48, "1aabbccdd", "LIO-ORG");
	fake_sys_set_bin("/sys/block/sdd/device/vpd_pg83", page, vpd83("1aabbccdd", 1, page));
	scsi_disk("sde", 64, "3" "3000000000000001", "LIO-ORG");
	size_t n = vpd83("33000000000000001", 3, page);

	memcpy(page + n, page + 4, 12);
	page[n + 11] = 2;
	page[3] = (uint8_t)(page[3] + 12);
	fake_sys_set_bin("/sys/block/sde/device/vpd_pg83", page, n + 12);
	mpd_kev_kernel(k, kernel_ev(UEV_ADD, "sdc", 32, 61));
	mpd_kev_kernel(k, kernel_ev(UEV_ADD, "sdd", 48, 62));
	mpd_kev_kernel(k, kernel_ev(UEV_ADD, "sde", 64, 63));
	/* not a path device at all */
	mpd_kev_kernel(k, kernel_ev(UEV_ADD, "loop0", 7, 64));
	settle(d);
	assert_int_equal(CNT(d, kev_deferred), 3);
	assert_int_equal(CNT(d, kev_fed), 0);
	assert_int_equal(fake_dm_map_count(), 0);
	/* the udev event then does the usual work */
	mpd_kev_udev(k, udev_ev(UEV_ADD, "sdc", 32, 61, WWID_B, true));
	settle(d);
	assert_int_equal(fake_dm_n_paths(WWID_B), 1);
	mpd_kev_free(k);
	mpd_free(d);
}

/* NVMe: the namespace's wwid attribute is what udev puts in ID_WWN. */
static void test_nvme(void **state)
{
	static const char *const wwid = "eui.0025388b71b1c1d2";
	struct mpd *d = daemon_with(base_conf);
	struct mpd_kev *k;
	struct mp_uevent *u;
	char kv[64];

	assert_int_equal(mpd_kev_new(d, &k), 0);
	fake_sys_set("/sys/block/nvme0n1/dev", "259:0");
	fake_sys_set("/sys/block/nvme0n1/size", "2097152");
	fake_sys_set("/sys/block/nvme0n1/wwid", wwid);
	fake_sys_set("/sys/block/nvme0n1/nsid", "1");
	fake_sys_set("/sys/block/nvme0n1/device/model", "Linux");
	fake_sys_set("/sys/block/nvme0n1/device/transport", "tcp");
	fake_sys_set("/sys/block/nvme0n1/device/state", "live");
	/* the hidden per-controller path of native multipath is no path */
	u = mp_uevent_new(UEV_ADD, "nvme0c1n1", makedev(259, 1), "/sys/x", NULL);
	u->seqnum = 69;
	mpd_kev_kernel(k, u);
	u = mp_uevent_new(UEV_ADD, "nvme0n1", makedev(259, 0), "/sys/devices/virtual/nvme-fabrics/"
			  "ctl/nvme0/nvme0n1", (const char *[]){ "DEVTYPE=disk", NULL });
	u->seqnum = 70;
	mpd_kev_kernel(k, u);
	settle(d);
	assert_int_equal(CNT(d, kev_fed), 1);
	assert_int_equal(fake_dm_n_paths(wwid), 1);
	snprintf(kv, sizeof(kv), "ID_WWN=%s", wwid);
	u = mp_uevent_new(UEV_ADD, "nvme0n1", makedev(259, 0), "/sys/x",
			  (const char *[]){ "DEVTYPE=disk", kv, NULL });
	u->seqnum = 70;
	mpd_kev_udev(k, u);
	settle(d);
	assert_int_equal(CNT(d, kev_merged), 1);
	mpd_kev_free(k);
	mpd_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kernel_then_udev, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_udev_add, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_remove_same_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reordered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kernel_add_failed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wwid_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blacklisted_by_property, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deferred, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nvme, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
