// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Discovery against the fake sysfs/sgio: protocol detection, identity,
 * WWID sources and the partial flag; the wwids and bindings files
 * (allocation order, reuse, corrupt lines, concurrent writers); the
 * find_multipaths decision table.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "backend/backend.h"
#include "discovery/files.h"
#include "discovery/pathinfo.h"
#include "tests/fake/fake-sys.h"
#include "util/log.h"
#include "util/strpool.h"

#define NAA_WWID "36001405abcdef0123456789abcdef001"

static const uint8_t vpd83[] = {
	0x00, 0x83, 0x00, 0x20,
	0x01, 0x03, 0x00, 0x10, 0x60, 0x01, 0x40, 0x5a, 0xbc, 0xde, 0xf0, 0x12,
	0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x01,
	0x01, 0x15, 0x00, 0x04, 0x00, 0x00, 0x00, 0x07,        /* TPG 7 */
};
static const uint8_t vpd80[] = { 0x00, 0x80, 0x00, 0x06, 'S', 'E', 'R', '4', '2', ' ' };
static uint8_t inquiry[36] = { 0x00, 0x00, 0x06, 0x02, 31, 0x10 /* TPGS implicit */ };

static void scsi_disk(const char *dev, const char *devt, const char *devpath)
{
	char p[256];

#define SET(attr, val) (snprintf(p, sizeof(p), "/sys/block/%s/%s", dev, attr), fake_sys_set(p, val))
	SET("dev", devt);
	SET("size", "2097152");
	SET("ro", "0");
	SET("queue/max_sectors_kb", "512");
	SET("device/vendor", "LIO-ORG ");
	SET("device/model", "disk0           ");
	SET("device/rev", "4.0 ");
	SET("device/state", "running");
	SET("device/timeout", "30");
#undef SET
	snprintf(p, sizeof(p), "/sys/block/%s/device", dev);
	fake_sys_link(p, devpath);
}

static int setup(void **state)
{
	fake_sys_reset();
	fake_sys_install();
	return 0;
}

static int teardown(void **state)
{
	fake_sys_reset();
	return 0;
}

struct proto_case {
	const char *devpath;
	enum mp_proto proto;
	int host;
	const char *tgt_wwpn;
	const char *adapter;
};

static void test_protocols(void **state)
{
	static const struct proto_case cases[] = {
		{ "/sys/devices/pci0000:00/0000:00:03.0/0000:03:00.1/host2/rport-2:0-1/target2:0:0/2:0:0:1",
		  PROTO_SCSI_FCP, 2, "0x500a098188a4b1c2", "0000:03:00.1" },
		{ "/sys/devices/platform/host3/session5/target3:0:0/3:0:0:0", PROTO_SCSI_ISCSI, 3,
		  "1", NULL },
		{ "/sys/devices/pci0000:00/0000:00:1f.0/host4/port-4:0/end_device-4:0/target4:0:0/4:0:0:0",
		  PROTO_SCSI_SAS, 4, "0x5000c500aabbccdd", "0000:00:1f.0" },
		{ "/sys/devices/pseudo_0/adapter0/host5/target5:0:0/5:0:0:0", PROTO_SCSI_UNSPEC, 5,
		  "[undef]", NULL },
		{ "/sys/devices/tcm_loop_0/tcm_loop_adapter_0/host6/target6:0:1/6:0:1:0",
		  PROTO_SCSI_UNSPEC, 6, "[undef]", NULL },
		{ "/sys/devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0",
		  PROTO_SCSI_ATA, 0, "[undef]", "0000:00:17.0" },
	};
	size_t i;

	fake_sys_set("/sys/class/fc_transport/target2:0:0/port_name", "0x500a098188a4b1c2");
	fake_sys_set("/sys/class/fc_transport/target2:0:0/node_name", "0x500a098088a4b1c2");
	fake_sys_set("/sys/class/fc_host/host2/port_name", "0x10000090fa000001");
	fake_sys_set("/sys/class/iscsi_session/session5/targetname", "iqn.2003-01.org.t:x");
	fake_sys_set("/sys/class/iscsi_session/session5/tpgt", "1");
	fake_sys_set("/sys/class/iscsi_host/host3/initiatorname", "iqn.1993-08.org.debian:01");
	fake_sys_set("/sys/class/sas_device/end_device-4:0/sas_address", "0x5000c500aabbccdd");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mp_path_info *pi = NULL;

		scsi_disk("sdb", "8:16", cases[i].devpath);
		assert_int_equal(mp_pathinfo_from_sysfs("sdb", "", NULL, NULL, &pi), 0);
		assert_int_equal(pi->proto, cases[i].proto);
		assert_int_equal(pi->host, cases[i].host);
		assert_string_equal(pi->tgt_wwpn, cases[i].tgt_wwpn);
		if (cases[i].adapter)
			assert_string_equal(pi->host_adapter, cases[i].adapter);
		else
			assert_null(pi->host_adapter);
		mp_path_info_free(pi);
	}
}

/* The strings the paths of a model, host and port share are the string
 * pool's one copy, kept when a path info is freed; a private copy (as
 * tests and tools make) is freed with its info. */
static void test_shared_strings_pooled(void **state)
{
	struct mp_path_info *a = NULL, *b = NULL;
	const char *dev = "/sys/devices/pseudo_0/adapter0/host2/target2:0:0/2:0:0:";
	char p[96];

	snprintf(p, sizeof(p), "%s1", dev);
	scsi_disk("sdb", "8:16", p);
	snprintf(p, sizeof(p), "%s2", dev);
	scsi_disk("sdc", "8:32", p);
	assert_int_equal(mp_pathinfo_from_sysfs("sdb", "", NULL, NULL, &a), 0);
	assert_int_equal(mp_pathinfo_from_sysfs("sdc", "", NULL, NULL, &b), 0);
	assert_string_equal(a->vendor, "LIO-ORG");
	assert_ptr_equal(a->vendor, b->vendor);
	assert_ptr_equal(a->product, b->product);
	assert_ptr_equal(a->revision, b->revision);
	assert_string_equal(a->host_wwnn, "[undef]");
	assert_ptr_equal(a->host_wwnn, b->tgt_wwpn);
	assert_true(mp_str_is_interned(a->vendor));
	assert_ptr_not_equal(a->devname, b->devname);
	mp_path_info_free(a);
	assert_string_equal(b->vendor, "LIO-ORG");
	/* a private copy is not the pool's, and is freed (ASan: no leak) */
	b->vendor = strdup("LIO-ORG");
	assert_false(mp_str_is_interned(b->vendor));
	assert_ptr_not_equal(b->vendor, mp_str_intern("LIO-ORG"));
	mp_path_info_free(b);
}

static void test_fc_names(void **state)
{
	struct mp_path_info *pi = NULL;

	scsi_disk("sdc", "8:32",
		  "/sys/devices/pci0000:00/0000:03:00.0/host2/rport-2:0-1/target2:0:3/2:0:3:7");
	fake_sys_set("/sys/class/fc_transport/target2:0:3/port_name", "0x2");
	fake_sys_set("/sys/class/fc_transport/target2:0:3/node_name", "0x1");
	fake_sys_set("/sys/class/fc_host/host2/port_name", "0x4");
	fake_sys_set("/sys/class/fc_host/host2/node_name", "0x3");
	assert_int_equal(mp_pathinfo_from_sysfs("sdc", "", NULL, NULL, &pi), 0);
	assert_string_equal(pi->host_wwnn, "0x3");
	assert_string_equal(pi->host_wwpn, "0x4");
	assert_string_equal(pi->tgt_wwnn, "0x1");
	assert_string_equal(pi->tgt_wwpn, "0x2");
	assert_int_equal(pi->channel, 0);
	assert_int_equal(pi->target, 3);
	assert_int_equal(pi->lun, 7);
	mp_path_info_free(pi);
}

static void test_scsi_identity_sysfs_vpd(void **state)
{
	struct mp_path_info *pi = NULL;

	scsi_disk("sdb", "8:16", "/sys/devices/tcm_loop_0/host6/target6:0:1/6:0:1:3");
	fake_sys_set_bin("/sys/block/sdb/device/vpd_pg83", vpd83, sizeof(vpd83));
	fake_sys_set_bin("/sys/block/sdb/device/vpd_pg80", vpd80, sizeof(vpd80));
	fake_sys_set_bin("/sys/block/sdb/device/inquiry", inquiry, sizeof(inquiry));
	fake_sys_set("/sys/block/sdb/device/access_state", "standby");
	fake_sys_set("/sys/block/sdb/device/preferred_path", "1");
	fake_sys_link("/sys/block/sdb", "/sys/devices/tcm_loop_0/host6/target6:0:1/6:0:1:3/block/sdb");
	assert_int_equal(mp_pathinfo_from_sysfs("sdb", "", NULL, NULL, &pi), 0);
	assert_string_equal(pi->devname, "sdb");
	assert_string_equal(pi->syspath,
			    "/sys/devices/tcm_loop_0/host6/target6:0:1/6:0:1:3/block/sdb");
	assert_int_equal(pi->devt, makedev(8, 16));
	assert_int_equal(pi->size, 2097152);
	assert_false(pi->ro);
	assert_int_equal(pi->bus, BUS_SCSI);
	assert_string_equal(pi->vendor, "LIO-ORG");
	assert_string_equal(pi->product, "disk0");
	assert_string_equal(pi->revision, "4.0");
	assert_int_equal(pi->host, 6);
	assert_int_equal(pi->target, 1);
	assert_int_equal(pi->lun, 3);
	assert_int_equal(pi->state, SDEV_RUNNING);
	assert_int_equal(pi->access_state, ACCESS_STANDBY);
	assert_true(pi->preferred);
	assert_int_equal(pi->tpgs, 1);
	assert_int_equal(pi->tpg_id, 7);
	assert_string_equal(pi->serial, "SER42");
	assert_string_equal(pi->wwid, NAA_WWID);
	assert_int_equal(pi->sysfs_timeout, 30);
	assert_int_equal(pi->max_sectors_kb, 512);
	assert_false(pi->partial);
	/* no SG_IO was needed */
	assert_int_equal(fake_sg_count("sdb", 0x12), 0);
	mp_path_info_free(pi);
}

static void test_scsi_sgio_fallback(void **state)
{
	struct mp_path_info *pi = NULL;
	struct mp_pathinfo_opts o = { .uid_attribute = "" };

	scsi_disk("sdd", "8:48", "/sys/devices/pseudo_0/adapter0/host5/target5:0:0/5:0:0:0");
	fake_sg_set_data("sdd", 0x12, 0x83, vpd83, sizeof(vpd83));
	fake_sg_set_data("sdd", 0x12, 0x80, vpd80, sizeof(vpd80));
	fake_sg_set_data("sdd", 0x12, FAKE_SG_STD, inquiry, sizeof(inquiry));
	assert_int_equal(mp_pathinfo_build("sdd", &o, &pi), 0);
	assert_string_equal(pi->wwid, NAA_WWID);
	assert_string_equal(pi->serial, "SER42");
	assert_int_equal(pi->tpgs, 1);
	assert_int_equal(pi->tpg_id, 7);
	assert_true(fake_sg_count("sdd", 0x12) >= 3);
	mp_path_info_free(pi);

	/* no_io: nothing is sent, the kernel's wwid attribute still helps */
	o.no_io = true;
	fake_sys_set("/sys/block/sdd/device/wwid", "naa.6001405abcdef0123456789abcdef001");
	assert_int_equal(mp_pathinfo_build("sdd", &o, &pi), 0);
	assert_string_equal(pi->wwid, NAA_WWID);
	assert_null(pi->serial);
	mp_path_info_free(pi);
}

static const char *props(const char *name, void *ud)
{
	const char *const *kv = ud;

	for (; kv[0]; kv += 2)
		if (!strcmp(kv[0], name))
			return kv[1];
	return NULL;
}

static void test_wwid_sources(void **state)
{
	static const char *const with_serial[] = { "ID_SERIAL", "3udevwwid", "ID_WWN", "x",
						   "MY_ID", "3custom", NULL };
	static const char *const without[] = { "ID_WWN", "x", NULL };
	struct mp_pathinfo_opts o = { .getprop = props };
	struct mp_path_info *pi = NULL;

	scsi_disk("sde", "8:64", "/sys/devices/pseudo_0/adapter0/host5/target5:0:0/5:0:0:1");
	fake_sys_set_bin("/sys/block/sde/device/vpd_pg83", vpd83, sizeof(vpd83));

	o.ud = (void *)with_serial;
	assert_int_equal(mp_pathinfo_build("sde", &o, &pi), 0);
	assert_string_equal(pi->wwid, "3udevwwid");
	assert_false(pi->partial);
	mp_path_info_free(pi);

	o.uid_attribute = "MY_ID";
	assert_int_equal(mp_pathinfo_build("sde", &o, &pi), 0);
	assert_string_equal(pi->wwid, "3custom");
	mp_path_info_free(pi);

	o.uid_attrs = "nvme:ID_WWN sd:ID_SERIAL";
	assert_int_equal(mp_pathinfo_build("sde", &o, &pi), 0);
	assert_string_equal(pi->wwid, "3udevwwid");
	mp_path_info_free(pi);

	/* udev has not got to ID_SERIAL yet: sysfs answers, path is partial */
	o.uid_attrs = NULL;
	o.uid_attribute = NULL;
	o.ud = (void *)without;
	assert_int_equal(mp_pathinfo_build("sde", &o, &pi), 0);
	assert_string_equal(pi->wwid, NAA_WWID);
	assert_true(pi->partial);
	mp_path_info_free(pi);
}

static void test_nvme(void **state)
{
	struct mp_path_info *pi = NULL;
	static const char *const p[] = { "ID_WWN", "eui.00112233", NULL };
	struct mp_pathinfo_opts o = { .getprop = props, .ud = (void *)p };

	fake_sys_set("/sys/block/nvme1n2/dev", "259:3");
	fake_sys_set("/sys/block/nvme1n2/size", "4096");
	fake_sys_set("/sys/block/nvme1n2/ro", "1");
	fake_sys_set("/sys/block/nvme1n2/nsid", "2");
	fake_sys_set("/sys/block/nvme1n2/wwid", "uuid.1234-5678");
	fake_sys_set("/sys/block/nvme1n2/ana_state", "non-optimized");
	fake_sys_set("/sys/block/nvme1n2/device/model", "Linux           ");
	fake_sys_set("/sys/block/nvme1n2/device/firmware_rev", "6.18    ");
	fake_sys_set("/sys/block/nvme1n2/device/serial", "abcdef");
	fake_sys_set("/sys/block/nvme1n2/device/transport", "tcp");
	fake_sys_set("/sys/block/nvme1n2/device/cntlid", "5");
	fake_sys_set("/sys/block/nvme1n2/device/state", "live");
	fake_sys_set("/sys/block/nvme1n2/device/subsysnqn", "nqn.test");
	assert_int_equal(mp_pathinfo_from_sysfs("nvme1n2", NULL, NULL, NULL, &pi), 0);
	assert_int_equal(pi->bus, BUS_NVME);
	assert_int_equal(pi->proto, PROTO_NVME_TCP);
	assert_string_equal(pi->vendor, "NVME");
	assert_string_equal(pi->product, "Linux");
	assert_string_equal(pi->revision, "6.18");
	assert_int_equal(pi->host, 1);
	assert_int_equal(pi->channel, 5);
	assert_int_equal(pi->target, 2);
	assert_int_equal(pi->lun, 2);
	assert_true(pi->ro);
	assert_int_equal(pi->state, SDEV_RUNNING);
	assert_int_equal(pi->access_state, ACCESS_NON_OPTIMIZED);
	assert_string_equal(pi->wwid, "uuid.1234-5678");
	assert_string_equal(pi->tgt_wwnn, "nqn.test");
	mp_path_info_free(pi);

	assert_int_equal(mp_pathinfo_build("nvme1n2", &o, &pi), 0);
	assert_string_equal(pi->wwid, "eui.00112233");
	mp_path_info_free(pi);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

/* Without native multipath there is no sysfs ana_state: the ANA facts come
 * from Identify Controller/Namespace and the ANA log page. */
static void test_nvme_ana_admin(void **state)
{
	uint8_t ctrl[4096] = { 0 }, ns[4096] = { 0 }, log[128] = { 0 };
	struct mp_path_info *pi = NULL;
	struct mp_pathinfo_opts o = { .uid_attribute = "" };

	fake_sys_set("/sys/block/nvme2n1/dev", "259:7");
	fake_sys_set("/sys/block/nvme2n1/nsid", "1");
	fake_sys_set("/sys/block/nvme2n1/wwid", "eui.0001");
	fake_sys_set("/sys/block/nvme2n1/device/transport", "tcp");
	/* not ANA capable: nothing asked beyond Identify Controller */
	fake_nvme_set("nvme2n1", 0x06, 1, ctrl, sizeof(ctrl));
	assert_int_equal(mp_pathinfo_build("nvme2n1", &o, &pi), 0);
	assert_int_equal(pi->tpgs, 0);
	assert_int_equal(pi->tpg_id, -1);
	assert_int_equal(fake_sg_count("nvme2n1", 0x02), 0);
	mp_path_info_free(pi);

	ctrl[76] = 0x08;
	put_le32(ns + 92, 3);
	log[8] = 1;
	put_le32(log + 16, 3);
	put_le32(log + 20, 1);
	log[32] = 2;            /* non-optimized */
	put_le32(log + 48, 1);
	fake_sys_reset();
	fake_sys_install();
	fake_sys_set("/sys/block/nvme2n1/dev", "259:7");
	fake_sys_set("/sys/block/nvme2n1/nsid", "1");
	fake_nvme_set("nvme2n1", 0x06, 1, ctrl, sizeof(ctrl));
	fake_nvme_set("nvme2n1", 0x06, 0, ns, sizeof(ns));
	fake_nvme_set("nvme2n1", 0x02, 0x0c, log, sizeof(log));
	assert_int_equal(mp_pathinfo_build("nvme2n1", &o, &pi), 0);
	assert_int_equal(pi->tpgs, 1);
	assert_int_equal(pi->tpg_id, 3);
	assert_int_equal(pi->access_state, ACCESS_NON_OPTIMIZED);
	mp_path_info_free(pi);

	/* no_io: none of it */
	o.no_io = true;
	assert_int_equal(mp_pathinfo_build("nvme2n1", &o, &pi), 0);
	assert_int_equal(pi->tpgs, 0);
	mp_path_info_free(pi);
}

static void test_missing_device(void **state)
{
	struct mp_path_info *pi = NULL;

	assert_int_equal(mp_pathinfo_from_sysfs("sdz", NULL, NULL, NULL, &pi), -ENODEV);
	assert_int_equal(mp_pathinfo_from_sysfs("../x", NULL, NULL, NULL, &pi), -EINVAL);
	assert_null(pi);
}

static void test_uid_property(void **state)
{
	static const struct {
		const char *dev, *attrs, *attr, *want;
	} cases[] = {
		{ "sda", NULL, NULL, "ID_SERIAL" },
		{ "nvme0n1", NULL, NULL, "ID_WWN" },
		{ "dasda", NULL, NULL, "ID_UID" },
		{ "sda", NULL, "", "" },
		{ "sda", "sd:SCSI_IDENT_LUN_NAA_REGEXT nvme:ID_WWN", "ID_SERIAL",
		  "SCSI_IDENT_LUN_NAA_REGEXT" },
		{ "nvme0n1", "sd:X nvme:ID_WWN", NULL, "ID_WWN" },
		{ "dasdb", "sd:X nvme:ID_WWN", "ID_UID", "ID_UID" },
		{ "loop0", NULL, NULL, "" },
	};
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(mp_uid_property(cases[i].dev, cases[i].attrs, cases[i].attr,
						    buf, sizeof(buf)),
				    cases[i].want);
}

/* The real backend's additions: binary attributes keep NUL bytes and
 * trailing blanks; resolve follows links; open_dev refuses paths. */
static void test_real_backend_ops(void **state)
{
	static const uint8_t bin[8] = { 0x00, 0x83, 0x00, 0x04, ' ', 0, '\n', ' ' };
	char dir[] = "/tmp/mp-backend.XXXXXX", path[128], link[128], out[256];
	const struct mp_backend *b;
	uint8_t buf[32];
	FILE *f;

	mp_backend_set(NULL);
	b = mp_backend();
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/vpd_pg83", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(bin, 1, sizeof(bin), f), sizeof(bin));
	fclose(f);
	assert_int_equal(b->sysfs->read_bin(dir, "vpd_pg83", buf, sizeof(buf)), sizeof(bin));
	assert_memory_equal(buf, bin, sizeof(bin));
	assert_int_equal(b->sysfs->read_bin(dir, "vpd_pg83", buf, 3), 3);
	assert_int_equal(b->sysfs->read_bin(dir, "missing", buf, sizeof(buf)), -ENOENT);
	snprintf(link, sizeof(link), "%s/device", dir);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(b->sysfs->resolve(link, out, sizeof(out)), 0);
	assert_string_equal(out, path);
	assert_int_equal(b->sysfs->resolve(link, out, 4), -ENAMETOOLONG);
	assert_int_equal(b->sgio->open_dev("../etc/passwd", MP_OPEN_BLOCK), -EINVAL);
	assert_int_equal(b->sgio->open_dev("", MP_OPEN_SG), -EINVAL);
	assert_true(b->sgio->open_dev("sdnonexistent", MP_OPEN_SG) < 0);
	unlink(link);
	unlink(path);
	rmdir(dir);
}

/* ---- files ---- */

static char tmpdir[64];
static char wwids[128], bindings[128];
static int warnings;

static void count_warn(int prio, const char *msg, void *ud)
{
	if (prio <= LOG_WARNING)
		warnings++;
}

static int files_setup(void **state)
{
	strcpy(tmpdir, "/tmp/mp-test-files.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(wwids, sizeof(wwids), "%s/wwids", tmpdir);
	snprintf(bindings, sizeof(bindings), "%s/bindings", tmpdir);
	warnings = 0;
	mp_log_set_sink(count_warn, NULL);
	return 0;
}

static int files_teardown(void **state)
{
	char cmd[128];

	mp_log_set_sink(NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_wwids_file(void **state)
{
	const char *const repl[] = { "3a", "3b", "3a" };
	char **v = NULL;

	assert_int_equal(mp_wwids_check(wwids, "3600a"), 0);
	assert_int_equal(mp_wwids_add(wwids, "3600a"), 1);
	assert_int_equal(mp_wwids_add(wwids, "3600a"), 0);
	assert_int_equal(mp_wwids_add(wwids, "3600b"), 1);
	assert_int_equal(mp_wwids_check(wwids, "3600a"), 1);
	assert_int_equal(mp_wwids_add(wwids, "bad/wwid"), -EINVAL);
	assert_int_equal(mp_wwids_remove(wwids, "3600a"), 1);
	assert_int_equal(mp_wwids_remove(wwids, "3600a"), 0);
	assert_int_equal(mp_wwids_check(wwids, "3600a"), 0);
	assert_int_equal(mp_wwids_check(wwids, "3600b"), 1);
	assert_int_equal(mp_wwids_replace(wwids, repl, 3), 0);
	assert_int_equal(mp_wwids_list(wwids, &v), 0);
	assert_string_equal(v[0], "3a");
	assert_string_equal(v[1], "3b");
	assert_null(v[2]);
	mp_strv_free(v);
}

static void test_wwids_corrupt(void **state)
{
	char **v = NULL;

	write_text(wwids, "# header\n/3good/\ngarbage\n/3also/ # comment\n//\n\n/3nolast");
	assert_int_equal(mp_wwids_list(wwids, &v), 0);
	assert_string_equal(v[0], "3good");
	assert_string_equal(v[1], "3also");
	assert_null(v[2]);
	mp_strv_free(v);
	assert_int_equal(warnings, 3);
}

static void test_alias_names(void **state)
{
	static const struct { unsigned int n; const char *name; } cases[] = {
		{ 0, "mpatha" }, { 25, "mpathz" }, { 26, "mpathaa" }, { 27, "mpathab" },
		{ 51, "mpathaz" }, { 52, "mpathba" }, { 701, "mpathzz" }, { 702, "mpathaaa" },
	};
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(mp_alias_format("mpath", cases[i].n, buf, sizeof(buf)), 0);
		assert_string_equal(buf, cases[i].name);
		assert_int_equal(mp_alias_index("mpath", cases[i].name), (int)cases[i].n);
	}
	assert_int_equal(mp_alias_index("mpath", "mpath"), -EINVAL);
	assert_int_equal(mp_alias_index("mpath", "mpathA"), -EINVAL);
	assert_int_equal(mp_alias_index("mpath", "other"), -EINVAL);
}

static void test_bindings_alloc(void **state)
{
	char wwid[32], *alias = NULL, *w = NULL;
	struct mp_bindings b;
	int i;

	for (i = 0; i < 28; i++) {
		char want[16];

		snprintf(wwid, sizeof(wwid), "3wwid%02d", i);
		assert_int_equal(mp_bindings_get_alias(bindings, wwid, "mpath", false, NULL, NULL,
						       &alias), 0);
		mp_alias_format("mpath", (unsigned int)i, want, sizeof(want));
		assert_string_equal(alias, want);
		free(alias);
	}
	/* stable for a known wwid */
	assert_int_equal(mp_bindings_get_alias(bindings, "3wwid26", "mpath", true, NULL, NULL,
					       &alias), 0);
	assert_string_equal(alias, "mpathaa");
	free(alias);
	assert_int_equal(mp_bindings_get_alias(bindings, "3new", "mpath", true, NULL, NULL,
					       &alias), -ENOENT);
	assert_int_equal(mp_bindings_lookup_wwid(bindings, "mpathab", &w), 0);
	assert_string_equal(w, "3wwid27");
	free(w);
	/* sorted: mpathz before mpathaa */
	assert_int_equal(mp_bindings_read(bindings, &b), 0);
	assert_int_equal(b.n, 28);
	assert_string_equal(b.v[25].alias, "mpathz");
	assert_string_equal(b.v[26].alias, "mpathaa");
	mp_bindings_done(&b);
}

static bool in_use_b(const char *alias, void *ud)
{
	return !strcmp(alias, "mpathb");
}

static void test_bindings_gaps_and_set(void **state)
{
	char *alias = NULL;

	write_text(bindings, "# x\nmpatha 3one\nmpathc 3three\nfoo 3foo\nbroken\n"
			     "mpathd 3one\n");
	/* mpathb free but in use by a foreign map → mpathd? bound (to 3one dup,
	 * skipped) → mpathd is not bound after dup removal, take it */
	assert_int_equal(mp_bindings_get_alias(bindings, "3two", "mpath", false, in_use_b, NULL,
					       &alias), 0);
	assert_string_equal(alias, "mpathd");
	free(alias);
	assert_int_equal(warnings, 2);
	assert_int_equal(mp_bindings_get_alias(bindings, "3four", "mpath", false, NULL, NULL,
					       &alias), 0);
	assert_string_equal(alias, "mpathb");
	free(alias);
	assert_int_equal(mp_bindings_set(bindings, "mpatha", "3other"), -EEXIST);
	assert_int_equal(mp_bindings_set(bindings, "mydb", "3one"), 0);
	assert_int_equal(mp_bindings_get_alias(bindings, "3one", "mpath", true, NULL, NULL,
					       &alias), 0);
	assert_string_equal(alias, "mydb");
	free(alias);
	/* mpatha is free again now and goes to the next newcomer */
	assert_int_equal(mp_bindings_get_alias(bindings, "3five", "mpath", false, NULL, NULL,
					       &alias), 0);
	assert_string_equal(alias, "mpatha");
	free(alias);
	/* other prefix */
	assert_int_equal(mp_bindings_get_alias(bindings, "3six", "data", false, NULL, NULL,
					       &alias), 0);
	assert_string_equal(alias, "dataa");
	free(alias);
}

/* Several processes allocate at once: every WWID gets a distinct alias and
 * every line survives. */
static void test_bindings_concurrent(void **state)
{
	enum { PROCS = 6, EACH = 8 };
	struct mp_bindings b;
	size_t i, j;
	int p, status;

	for (p = 0; p < PROCS; p++) {
		pid_t pid = fork();

		assert_true(pid >= 0);
		if (pid == 0) {
			for (i = 0; i < EACH; i++) {
				char wwid[32], *alias;

				snprintf(wwid, sizeof(wwid), "3p%dw%zu", p, i);
				if (mp_bindings_get_alias(bindings, wwid, "mpath", false, NULL,
							  NULL, &alias) < 0 ||
				    mp_wwids_add(wwids, wwid) != 1)
					_exit(1);
				free(alias);
			}
			_exit(0);
		}
	}
	for (p = 0; p < PROCS; p++) {
		assert_true(wait(&status) > 0);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	assert_int_equal(mp_bindings_read(bindings, &b), 0);
	assert_int_equal(b.n, PROCS * EACH);
	for (i = 0; i < b.n; i++)
		for (j = i + 1; j < b.n; j++)
			assert_string_not_equal(b.v[i].alias, b.v[j].alias);
	mp_bindings_done(&b);
	{
		char **v = NULL;

		assert_int_equal(mp_wwids_list(wwids, &v), 0);
		for (i = 0; v[i]; i++)
			;
		assert_int_equal(i, PROCS * EACH);
		mp_strv_free(v);
	}
}

static void test_should_multipath(void **state)
{
	static const struct {
		enum mp_find mode;
		bool in_file, map;
		int n;
		bool daemon;
		enum mp_find_verdict want;
	} cases[] = {
		{ FIND_STRICT, false, false, 2, true, MP_FIND_NO },
		{ FIND_STRICT, true, false, 1, true, MP_FIND_YES },
		{ FIND_STRICT, false, true, 1, true, MP_FIND_YES },
		{ FIND_ON, false, false, 1, true, MP_FIND_NO },
		{ FIND_ON, false, false, 2, true, MP_FIND_YES },
		{ FIND_ON, true, false, 1, false, MP_FIND_YES },
		{ FIND_GREEDY, false, false, 1, false, MP_FIND_YES },
		{ FIND_SMART, false, false, 1, true, MP_FIND_MAYBE },
		{ FIND_SMART, false, false, 2, true, MP_FIND_YES },
		{ FIND_SMART, true, false, 1, true, MP_FIND_YES },
		{ FIND_OFF, false, false, 1, true, MP_FIND_YES },
		{ FIND_OFF, false, false, 1, false, MP_FIND_NO },
		{ FIND_OFF, true, false, 1, false, MP_FIND_YES },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(mp_should_multipath(cases[i].mode, cases[i].in_file, cases[i].map,
						     cases[i].n, cases[i].daemon),
				 cases[i].want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_protocols, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fc_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_strings_pooled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scsi_identity_sysfs_vpd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scsi_sgio_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wwid_sources, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nvme, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nvme_ana_admin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_device, setup, teardown),
		cmocka_unit_test(test_uid_property),
		cmocka_unit_test(test_real_backend_ops),
		cmocka_unit_test_setup_teardown(test_wwids_file, files_setup, files_teardown),
		cmocka_unit_test_setup_teardown(test_wwids_corrupt, files_setup, files_teardown),
		cmocka_unit_test(test_alias_names),
		cmocka_unit_test_setup_teardown(test_bindings_alloc, files_setup, files_teardown),
		cmocka_unit_test_setup_teardown(test_bindings_gaps_and_set, files_setup,
						files_teardown),
		cmocka_unit_test_setup_teardown(test_bindings_concurrent, files_setup,
						files_teardown),
		cmocka_unit_test(test_should_multipath),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
