// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Per-path sysfs tunables against the fake sysfs.  The write op is wrapped
 * so each test sees how many writes happened (a value already in place must
 * not be written) and so FC rport writes obey the kernel's two checks
 * (fast_io_fail_tmo < dev_loss_tmo; dev_loss_tmo > 600 only with
 * fast_io_fail_tmo on): a wrong write order fails like on a real rport.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "backend/backend.h"
#include "config/config.h"
#include "discovery/tunables.h"
#include "tests/fake/fake-sys.h"
#include "util/log.h"

#define RPORT "/sys/class/fc_remote_ports/rport-3:0-1"
#define SESSION "/sys/class/iscsi_session/session4"
#define ENDDEV "/sys/class/sas_end_device/end_device-5:0:2"
#define HOST "/sys/class/scsi_host/host%d"
#define QUEUE "/sys/block/sdb/queue/max_sectors_kb"

static struct mp_sysfs_ops wrapped;
static struct mp_backend be;
static int (*fake_write)(const char *dir, const char *attr, const char *value);
static int writes, rejected;
static const char *readonly;    /* writes to this directory fail ... */
static int readonly_err;        /* ... with this */
static char logged[4096];

static int fc_value(const char *attr)
{
	char p[128];
	const char *v;

	snprintf(p, sizeof(p), RPORT "/%s", attr);
	v = fake_sys_get(p);

	return !v || !strcmp(v, "off") ? -1 : atoi(v);
}

/* The rport's own checks, the way the FC transport class makes them. */
static int rport_check(const char *attr, const char *value)
{
	int v = strcmp(value, "off") ? atoi(value) : -1;

	if (!strcmp(attr, "fast_io_fail_tmo") && v >= 0 && v >= fc_value("dev_loss_tmo"))
		return -EINVAL;
	if (!strcmp(attr, "dev_loss_tmo") && v > 600 && fc_value("fast_io_fail_tmo") < 0)
		return -EINVAL;
	return 0;
}

static int counting_write(const char *dir, const char *attr, const char *value)
{
	int r = strcmp(dir, RPORT) ? 0 : rport_check(attr, value);

	writes++;
	if (readonly && !strcmp(dir, readonly))
		r = readonly_err;
	if (r < 0) {
		rejected++;
		return r;
	}
	return fake_write(dir, attr, value);
}

static void sink(int prio, const char *msg, void *ud)
{
	(void)ud;
	if (prio <= LOG_WARNING)
		snprintf(logged + strlen(logged), sizeof(logged) - strlen(logged), "%s\n", msg);
}

static int setup(void **state)
{
	(void)state;
	fake_sys_reset();
	fake_sys_install();
	be = *mp_backend();
	wrapped = *be.sysfs;
	fake_write = wrapped.write_attr;
	wrapped.write_attr = counting_write;
	be.sysfs = &wrapped;
	mp_backend_set(&be);
	writes = rejected = 0;
	readonly = NULL;
	logged[0] = '\0';
	mp_log_set_sink(sink, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mp_log_set_sink(NULL, NULL);
	fake_sys_reset();
	return 0;
}

static struct mp_path_info path(enum mp_proto proto, const char *syspath, int host)
{
	return (struct mp_path_info){
		.devname = (char *)"sdb", .syspath = (char *)syspath, .bus = BUS_SCSI,
		.proto = proto, .host = host, .channel = 0, .target = 0,
	};
}

static struct mp_tunables tun(int dl, int fio, int eh, int msk)
{
	return (struct mp_tunables){ .dev_loss = dl, .fast_io_fail = fio, .eh_deadline = eh,
				     .max_sectors_kb = msk };
}

/*---- the interplay rules ----*/

static void test_compute(void **state)
{
	static const struct {
		int dl, fio;
		enum mp_npr npr;
		int npr_n, poll;
		int want_dl, want_min, want_fio;
	} cases[] = {
		{ MP_UNSET, 5, NPR_FAIL, 0, 5, MP_UNSET, 0, 5 },
		{ 30, 5, NPR_RETRY, 12, 5, 60, 0, 5 },          /* raised to 12 x 5 s */
		{ 120, 5, NPR_RETRY, 12, 5, 120, 0, 5 },        /* already longer */
		{ 30, 5, NPR_QUEUE, 0, 5, MP_DEV_LOSS_INFINITY, 0, 5 },
		{ MP_UNSET, 5, NPR_QUEUE, 0, 5, MP_UNSET, MP_DEV_LOSS_INFINITY, 5 },
		{ MP_UNSET, 5, NPR_RETRY, 4, 10, MP_UNSET, 40, 5 },
		/* no fast_io_fail: I/O is not failed early, no raise */
		{ 30, MP_TMO_OFF, NPR_QUEUE, 0, 5, 30, 0, MP_TMO_OFF },
		{ 30, MP_UNSET, NPR_RETRY, 100, 5, 30, 0, MP_UNSET },
		/* fast_io_fail not below dev_loss is turned off */
		{ 10, 10, NPR_FAIL, 0, 5, 10, 0, MP_TMO_OFF },
		{ 10, 0, NPR_FAIL, 0, 5, 10, 0, 0 },
		/* a huge retry count saturates at infinity */
		{ 30, 5, NPR_RETRY, INT_MAX, 60, MP_DEV_LOSS_INFINITY, 0, 5 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mp_settings s = { .dev_loss_tmo = cases[i].dl,
					 .fast_io_fail_tmo = cases[i].fio,
					 .no_path_retry = cases[i].npr,
					 .no_path_retry_count = cases[i].npr_n,
					 .eh_deadline = 7, .max_sectors_kb = MP_UNSET };
		struct mp_tunables t;

		mp_tunables_compute(&s, cases[i].poll, &t);
		print_message("case %zu\n", i);
		assert_int_equal(t.dev_loss, cases[i].want_dl);
		assert_int_equal(t.dev_loss_min, cases[i].want_min);
		assert_int_equal(t.fast_io_fail, cases[i].want_fio);
		assert_int_equal(t.eh_deadline, 7);
		assert_int_equal(t.max_sectors_kb, MP_UNSET);
	}
}

/*---- FC ----*/

#define FC_SYSPATH "/sys/devices/pci0000:00/0000:00:03.0/host3/rport-3:0-1/target3:0:0/3:0:0:1/block/sdb"

static void fc_rport(const char *dl, const char *fio)
{
	fake_sys_set(RPORT "/dev_loss_tmo", dl);
	fake_sys_set(RPORT "/fast_io_fail_tmo", fio);
}

static void test_fc(void **state)
{
	struct mp_path_info pi = path(PROTO_SCSI_FCP, FC_SYSPATH, 3);
	struct mp_tunables t = tun(120, 10, MP_UNSET, MP_UNSET);

	(void)state;
	fc_rport("30", "5");
	assert_int_equal(mp_tunables_apply(&pi, &t), 2);
	assert_string_equal(fake_sys_get(RPORT "/dev_loss_tmo"), "120");
	assert_string_equal(fake_sys_get(RPORT "/fast_io_fail_tmo"), "10");
	/* already right: read, not written */
	writes = 0;
	assert_int_equal(mp_tunables_apply(&pi, &t), 0);
	assert_int_equal(writes, 0);
	/* lowering both: fast_io_fail first, or the rport refuses it */
	fc_rport("900", "60");
	t = tun(20, 10, MP_UNSET, MP_UNSET);
	assert_int_equal(mp_tunables_apply(&pi, &t), 2);
	assert_string_equal(fake_sys_get(RPORT "/dev_loss_tmo"), "20");
	assert_string_equal(fake_sys_get(RPORT "/fast_io_fail_tmo"), "10");
	assert_int_equal(rejected, 0);
	/* only fast_io_fail configured: dev_loss keeps the kernel's */
	fc_rport("60", "5");
	t = tun(MP_UNSET, 15, MP_UNSET, MP_UNSET);
	assert_int_equal(mp_tunables_apply(&pi, &t), 1);
	assert_string_equal(fake_sys_get(RPORT "/dev_loss_tmo"), "60");
	assert_string_equal(fake_sys_get(RPORT "/fast_io_fail_tmo"), "15");
	/* ... unless it is not below the kernel's dev_loss */
	t = tun(MP_UNSET, 60, MP_UNSET, MP_UNSET);
	assert_int_equal(mp_tunables_apply(&pi, &t), 1);
	assert_string_equal(fake_sys_get(RPORT "/fast_io_fail_tmo"), "off");
	assert_non_null(strstr(logged, "sdb: fast_io_fail_tmo 60"));
	assert_int_equal(rejected, 0);
}

static void test_fc_infinity(void **state)
{
	struct mp_path_info pi = path(PROTO_SCSI_FCP, FC_SYSPATH, 3);
	struct mp_settings s = { .dev_loss_tmo = MP_UNSET, .fast_io_fail_tmo = 5,
				 .no_path_retry = NPR_QUEUE, .eh_deadline = MP_UNSET,
				 .max_sectors_kb = MP_UNSET };
	struct mp_tunables t;

	(void)state;
	/* queue forever: dev_loss must be infinite; the rport has
	 * fast_io_fail off, so it is switched on between two dev_loss steps */
	fc_rport("30", "off");
	mp_tunables_compute(&s, 5, &t);
	assert_int_equal(mp_tunables_apply(&pi, &t), 3);
	assert_string_equal(fake_sys_get(RPORT "/dev_loss_tmo"), "2147483647");
	assert_string_equal(fake_sys_get(RPORT "/fast_io_fail_tmo"), "5");
	assert_int_equal(rejected, 0);
	/* the kernel may show a larger value for infinity: still right */
	fake_sys_set(RPORT "/dev_loss_tmo", "4294967295");
	writes = 0;
	assert_int_equal(mp_tunables_apply(&pi, &t), 0);
	assert_int_equal(writes, 0);
	/* infinity without fast_io_fail: the kernel's 600 s cap, said so */
	fc_rport("30", "5");
	t = tun(MP_DEV_LOSS_INFINITY, MP_TMO_OFF, MP_UNSET, MP_UNSET);
	assert_int_equal(mp_tunables_apply(&pi, &t), 2);
	assert_string_equal(fake_sys_get(RPORT "/dev_loss_tmo"), "600");
	assert_string_equal(fake_sys_get(RPORT "/fast_io_fail_tmo"), "off");
	assert_non_null(strstr(logged, "sdb: dev_loss_tmo 2147483647 needs fast_io_fail_tmo"));
	assert_int_equal(rejected, 0);
}

static void test_fc_no_rport(void **state)
{
	struct mp_path_info pi = path(PROTO_SCSI_FCP, "/sys/devices/x/host3/target3:0:0/3:0:0:1/block/sdb", 3);
	struct mp_tunables t = tun(120, 10, MP_UNSET, MP_UNSET);

	(void)state;
	fc_rport("30", "5");
	assert_int_equal(mp_tunables_apply(&pi, &t), 0);
	assert_int_equal(writes, 0);
}

/*---- iSCSI, SAS ----*/

static void test_iscsi(void **state)
{
	struct mp_path_info pi = path(PROTO_SCSI_ISCSI,
		"/sys/devices/platform/host4/session4/target4:0:0/4:0:0:0/block/sdb", 4);
	struct mp_tunables t = tun(600, 20, MP_UNSET, MP_UNSET);

	(void)state;
	fake_sys_set(SESSION "/recovery_tmo", "120");
	assert_int_equal(mp_tunables_apply(&pi, &t), 1);
	assert_string_equal(fake_sys_get(SESSION "/recovery_tmo"), "20");
	assert_int_equal(writes, 1);    /* dev_loss has no iSCSI attribute */
	/* "off" cannot switch recovery off: left alone */
	t = tun(MP_UNSET, MP_TMO_OFF, MP_UNSET, MP_UNSET);
	assert_int_equal(mp_tunables_apply(&pi, &t), 0);
	assert_string_equal(fake_sys_get(SESSION "/recovery_tmo"), "20");
	assert_int_equal(writes, 1);
}

static void test_sas(void **state)
{
	struct mp_path_info pi = path(PROTO_SCSI_SAS,
		"/sys/devices/pci0000:00/0000:00:04.0/host5/port-5:0/end_device-5:0:2/"
		"target5:0:2/5:0:2:0/block/sdb", 5);
	struct mp_tunables t = tun(45, 5, MP_UNSET, MP_UNSET);

	(void)state;
	fake_sys_set(ENDDEV "/I_T_nexus_loss_timeout", "2000");
	assert_int_equal(mp_tunables_apply(&pi, &t), 1);
	assert_string_equal(fake_sys_get(ENDDEV "/I_T_nexus_loss_timeout"), "45");
	assert_int_equal(writes, 1);    /* SAS has no fast_io_fail attribute */
	assert_int_equal(mp_tunables_apply(&pi, &t), 0);
	assert_int_equal(writes, 1);
}

/*---- SCSI host, block queue ----*/

static void test_host_and_queue(void **state)
{
	struct mp_path_info pi = path(PROTO_SCSI_UNSPEC,
		"/sys/devices/pseudo_0/adapter0/host2/target2:0:0/2:0:0:0/block/sdb", 2);
	struct mp_tunables t = tun(30, 5, 15, 256);
	char h[64];

	(void)state;
	snprintf(h, sizeof(h), HOST "/eh_deadline", 2);
	fake_sys_set(h, "off");
	fake_sys_set(QUEUE, "512");
	assert_int_equal(mp_tunables_apply(&pi, &t), 2);
	assert_string_equal(fake_sys_get(h), "15");
	assert_string_equal(fake_sys_get(QUEUE), "256");
	assert_int_equal(writes, 2);    /* no transport object for scsi:unspec */
	/* back to off */
	t = tun(MP_UNSET, MP_UNSET, MP_TMO_OFF, MP_UNSET);
	assert_int_equal(mp_tunables_apply(&pi, &t), 1);
	assert_string_equal(fake_sys_get(h), "off");
	assert_string_equal(fake_sys_get(QUEUE), "256");
	/* 0 is not off: act at once */
	t = tun(MP_UNSET, MP_UNSET, 0, MP_UNSET);
	assert_int_equal(mp_tunables_apply(&pi, &t), 1);
	assert_string_equal(fake_sys_get(h), "0");
	/* everything unset: nothing read or written */
	writes = 0;
	t = tun(MP_UNSET, MP_UNSET, MP_UNSET, MP_UNSET);
	assert_int_equal(mp_tunables_apply(&pi, &t), 0);
	assert_int_equal(writes, 0);
}

static void test_nvme(void **state)
{
	struct mp_path_info pi = { .devname = (char *)"sdb", .bus = BUS_NVME,
				   .proto = PROTO_NVME_TCP, .host = 0,
				   .syspath = (char *)"/sys/devices/virtual/nvme-fabrics/ctl/nvme0/nvme0n1" };
	struct mp_tunables t = tun(30, 5, 15, 128);
	char h[64];

	(void)state;
	snprintf(h, sizeof(h), HOST "/eh_deadline", 0);
	fake_sys_set(h, "off");
	fake_sys_set(QUEUE, "512");
	assert_int_equal(mp_tunables_apply(&pi, &t), 1);
	assert_string_equal(fake_sys_get(QUEUE), "128");
	assert_string_equal(fake_sys_get(h), "off");   /* not a SCSI host of ours */
}

static void test_errors_logged(void **state)
{
	struct mp_path_info pi = path(PROTO_SCSI_FCP, FC_SYSPATH, 7);
	struct mp_tunables t = tun(MP_UNSET, MP_UNSET, 15, 4096);

	(void)state;
	/* no host attribute at all, and a queue that refuses the value */
	fake_sys_set(QUEUE, "512");
	assert_int_equal(mp_tunables_apply(&pi, &t), 1);
	assert_non_null(strstr(logged, "sdb: cannot read /sys/class/scsi_host/host7/eh_deadline"));
	fake_sys_unset(QUEUE);
	logged[0] = '\0';
	assert_int_equal(mp_tunables_apply(&pi, &t), 0);
	assert_non_null(strstr(logged, "sdb: cannot read /sys/block/sdb/queue/max_sectors_kb"));
	/* a write the kernel refuses */
	pi = path(PROTO_SCSI_SAS, "/sys/devices/p/host5/port-5:0/end_device-5:0:2/t/block/sdb", 5);
	fake_sys_set(ENDDEV "/I_T_nexus_loss_timeout", "2000");
	readonly = ENDDEV;
	readonly_err = -EIO;
	logged[0] = '\0';
	t = tun(45, MP_UNSET, MP_UNSET, MP_UNSET);
	assert_int_equal(mp_tunables_apply(&pi, &t), 0);
	assert_non_null(strstr(logged, "sdb: cannot set " ENDDEV "/I_T_nexus_loss_timeout to 45"));
	assert_string_equal(fake_sys_get(ENDDEV "/I_T_nexus_loss_timeout"), "2000");
	/* ... but a read-only SAS attribute is what mainline kernels have:
	 * not applied, and no warning */
	readonly_err = -EACCES;
	logged[0] = '\0';
	assert_int_equal(mp_tunables_apply(&pi, &t), 0);
	assert_string_equal(logged, "");
	assert_string_equal(fake_sys_get(ENDDEV "/I_T_nexus_loss_timeout"), "2000");
}

/*---- from the configuration ----*/

static void test_from_config(void **state)
{
	static const char conf[] =
		"defaults {\n\tpolling_interval 4\n\tno_path_retry 30\n\teh_deadline 9\n"
		"\tmax_sectors_kb 256\n}\n"
		"overrides {\n\tprotocol {\n\t\ttype scsi:fcp\n\t\tdev_loss_tmo 60\n"
		"\t\tfast_io_fail_tmo 8\n\t}\n}\n";
	struct mp_path_info fc = path(PROTO_SCSI_FCP, FC_SYSPATH, 3);
	struct mp_path_info other = path(PROTO_SCSI_UNSPEC,
		"/sys/devices/pseudo_0/adapter0/host2/target2:0:0/2:0:0:0/block/sdc", 2);
	struct mp_config *c = NULL;
	char h[64];

	(void)state;
	assert_int_equal(mp_config_load_string(conf, "t.conf", &c, NULL), 0);
	fc.wwid = (char *)"3600a";
	other.wwid = (char *)"3600a";
	other.devname = (char *)"sdc";
	fc_rport("30", "5");
	fake_sys_set("/sys/class/scsi_host/host3/eh_deadline", "off");
	fake_sys_set(QUEUE, "512");
	fake_sys_set("/sys/class/scsi_host/host2/eh_deadline", "off");
	fake_sys_set("/sys/block/sdc/queue/max_sectors_kb", "512");
	/* the FC path gets its protocol section; dev_loss 60 < 30 x 4 s */
	assert_int_equal(mp_tunables_apply_config(c, &fc, NULL), 4);
	assert_string_equal(fake_sys_get(RPORT "/dev_loss_tmo"), "120");
	assert_string_equal(fake_sys_get(RPORT "/fast_io_fail_tmo"), "8");
	assert_string_equal(fake_sys_get("/sys/class/scsi_host/host3/eh_deadline"), "9");
	assert_string_equal(fake_sys_get(QUEUE), "256");
	/* the other path of the same WWID: defaults only */
	assert_int_equal(mp_tunables_apply_config(c, &other, NULL), 2);
	snprintf(h, sizeof(h), HOST "/eh_deadline", 2);
	assert_string_equal(fake_sys_get(h), "9");
	assert_string_equal(fake_sys_get("/sys/block/sdc/queue/max_sectors_kb"), "256");
	assert_int_equal(rejected, 0);
	mp_config_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compute),
		cmocka_unit_test_setup_teardown(test_fc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fc_infinity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fc_no_rport, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iscsi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sas, setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_and_queue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nvme, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_logged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_from_config, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
