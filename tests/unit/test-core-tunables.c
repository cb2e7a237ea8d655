// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon core applies the per-path sysfs tunables: a joining path gets
 * eh_deadline on its SCSI host and max_sectors_kb on its queue before the
 * map is created (the map inherits queue limits at table load), each path
 * with its own protocol's settings; a reconfigure to new values rewrites
 * them and reloads the map once; an idle reconfigure writes and reloads
 * nothing.  Real worker threads, fake sysfs and fake device-mapper.
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
#include "multipathd/daemon.h"
#include "tests/fake/fake-dm.h"
#include "tests/fake/fake-sys.h"
#include "util/log.h"

#define WWID "36001405cccccccccccccccccccccccc1"
#define FC_SYSPATH "/sys/devices/pci0000:00/0000:00:03.0/host3/rport-3:0-1/target3:0:0/3:0:0:1/block/sdt0"
#define RPORT "/sys/class/fc_remote_ports/rport-3:0-1"

static char tmpdir[64];
static struct mp_sysfs_ops wrapped;
static struct mp_backend be;
static int (*fake_write)(const char *dir, const char *attr, const char *value);
/* writes seen; for each max_sectors_kb write, the DM creates + reloads
 * done before it (one worker writes at a time for this single map) */
static int writes, n_msk;
static uint64_t msk_after_ops[16];

static int counting_write(const char *dir, const char *attr, const char *value)
{
	uatomic_inc(&writes);
	if (!strcmp(attr, "max_sectors_kb") && n_msk < 16)
		msk_after_ops[n_msk++] = fake_dm_count(DMOP_CREATE) + fake_dm_count(DMOP_RELOAD);
	return fake_write(dir, attr, value);
}

/* sdt0 is an FC path on host3, sdt1 and sdt2 scsi:unspec paths on host4. */
static int test_pathinfo(struct mpd *d, const struct mp_uevent *u, struct mp_path_info **ret)
{
	struct mp_path_info *pi = calloc(1, sizeof(*pi));
	int idx = (int)minor(u->devt);

	if (!pi)
		return -ENOMEM;
	pi->devname = strdup(u->devname);
	char sp[128];

	snprintf(sp, sizeof(sp), "/sys/devices/pseudo_0/host4/target4:0:0/4:0:0:%d/block/sdt%d",
		 idx, idx);
	pi->syspath = strdup(idx ? sp : FC_SYSPATH);
	pi->devt = u->devt;
	pi->wwid = strdup(WWID);
	pi->vendor = strdup("FAKE");
	pi->product = strdup("DISK");
	pi->revision = strdup("1");
	pi->size = 2097152;
	pi->bus = BUS_SCSI;
	pi->proto = idx ? PROTO_SCSI_UNSPEC : PROTO_SCSI_FCP;
	pi->host = idx ? 4 : 3;
	pi->state = SDEV_RUNNING;
	pi->tpg_id = -1;
	*ret = pi;
	return 0;
}

static int check_up(struct mpd *d, struct mp_path *p)
{
	return PATH_UP;
}

static const struct mpd_ops ops = { .pathinfo = test_pathinfo, .check_path = check_up };

static struct mpd *daemon_with(const char *file, bool paused)
{
	static char wwids[96], bindings[96];
	struct mpd_options o = {
		.n_workers = 2, .start_paused = paused, .no_udev_sync = true, .coalesce_ms = -1, .ops = &ops,
		.wwids_file = wwids, .bindings_file = bindings, .udev_db_dir = tmpdir,
	};
	struct mpd *d = NULL;

	snprintf(wwids, sizeof(wwids), "%s/wwids", tmpdir);
	snprintf(bindings, sizeof(bindings), "%s/bindings", tmpdir);
	assert_int_equal(mpd_new(&o, &d), 0);
	assert_int_equal(mpd_load_config(d, file, tmpdir), 0);
	return d;
}

static void add_path(struct mpd *d, int idx)
{
	const char *envv[] = { "DEVTYPE=disk", "TEST=1", NULL };
	char name[16];
	struct mp_uevent *u;

	snprintf(name, sizeof(name), "sdt%d", idx);
	u = mp_uevent_new(UEV_ADD, name, makedev(65, idx), NULL, envv);
	assert_non_null(u);
	u->wwid = strdup(WWID);
	mpd_handle_uevent(d, u);
}

static void write_conf(const char *file, int eh, int msk)
{
	FILE *f = fopen(file, "w");

	assert_non_null(f);
	fprintf(f, "defaults {\n  find_multipaths greedy\n  user_friendly_names no\n"
		   "  eh_deadline %d\n  max_sectors_kb %d\n}\n"
		   "overrides {\n  protocol {\n    type scsi:fcp\n    fast_io_fail_tmo 7\n"
		   "    dev_loss_tmo 90\n  }\n}\n", eh, msk);
	fclose(f);
}

static int setup(void **state)
{
	mp_log_init("test-core-tunables", MP_LOG_STDERR, 1, 0);
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
	writes = n_msk = 0;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test-core-tun.XXXXXX");
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

static void sysfs_defaults(void)
{
	fake_sys_set("/sys/class/scsi_host/host3/eh_deadline", "off");
	fake_sys_set("/sys/class/scsi_host/host4/eh_deadline", "off");
	fake_sys_set("/sys/block/sdt0/queue/max_sectors_kb", "512");
	fake_sys_set("/sys/block/sdt1/queue/max_sectors_kb", "512");
	fake_sys_set(RPORT "/dev_loss_tmo", "30");
	fake_sys_set(RPORT "/fast_io_fail_tmo", "5");
}

static void assert_values(const char *eh, const char *msk)
{
	assert_string_equal(fake_sys_get("/sys/class/scsi_host/host3/eh_deadline"), eh);
	assert_string_equal(fake_sys_get("/sys/class/scsi_host/host4/eh_deadline"), eh);
	assert_string_equal(fake_sys_get("/sys/block/sdt0/queue/max_sectors_kb"), msk);
	assert_string_equal(fake_sys_get("/sys/block/sdt1/queue/max_sectors_kb"), msk);
}

static void test_join_and_reconfigure(void **state)
{
	char file[128];
	struct mpd *d;
	uint64_t reloads;

	snprintf(file, sizeof(file), "%s/multipath.conf", tmpdir);
	write_conf(file, 11, 128);
	sysfs_defaults();
	d = daemon_with(file, true);
	add_path(d, 0);
	add_path(d, 1);
	mpd_start_processing(d);
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_int_equal(fake_dm_count(DMOP_CREATE), 1);
	assert_values("11", "128");
	/* the FC path has its protocol section, the other one has no rport */
	assert_string_equal(fake_sys_get(RPORT "/dev_loss_tmo"), "90");
	assert_string_equal(fake_sys_get(RPORT "/fast_io_fail_tmo"), "7");
	/* both queues written before the one create */
	assert_int_equal(n_msk, 2);
	assert_int_equal(msk_after_ops[0], 0);
	assert_int_equal(msk_after_ops[1], 0);
	/* 2 hosts, 2 queues, 2 rport values; host eh_deadline written once each */
	assert_int_equal(uatomic_read(&writes), 6);
	reloads = fake_dm_count(DMOP_RELOAD);

	/* idle reconfigure: nothing written, nothing reloaded */
	mpd_reconfigure(d, false);
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_int_equal(uatomic_read(&writes), 6);
	assert_int_equal(fake_dm_count(DMOP_RELOAD), reloads);

	/* new values: rewritten, and one reload so the map takes the limit */
	write_conf(file, 0, 64);
	mpd_reconfigure(d, false);
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_values("0", "64");
	assert_int_equal(uatomic_read(&writes), 10);
	assert_int_equal(fake_dm_count(DMOP_RELOAD), reloads + 1);
	assert_int_equal(n_msk, 4);
	assert_int_equal(msk_after_ops[2], 1 + reloads);
	assert_int_equal(msk_after_ops[3], 1 + reloads);

	/* a path joining the map in the kernel: written before the reload
	 * that adds it */
	fake_sys_set("/sys/block/sdt2/queue/max_sectors_kb", "512");
	add_path(d, 2);
	assert_int_equal(mpd_settle(d, 10000), 0);
	assert_string_equal(fake_sys_get("/sys/block/sdt2/queue/max_sectors_kb"), "64");
	assert_int_equal(fake_dm_count(DMOP_RELOAD), reloads + 2);
	assert_int_equal(n_msk, 5);
	assert_int_equal(msk_after_ops[4], 2 + reloads);
	assert_int_equal(uatomic_read(&writes), 11);    /* host4 was already right */
	mpd_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_join_and_reconfigure, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
