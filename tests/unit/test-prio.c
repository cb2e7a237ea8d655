// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Prioritizers against crafted replies from the fake sgio/sysfs: ALUA
 * (RTPG decoding, pref bit rules), sysfs, NVMe ANA, weightedpath,
 * path_latency (real file), and the vendor ones.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "prioritizers/internal.h"
#include "tests/fake/fake-sys.h"

static struct mp_path_info pi;

static int setup(void **state)
{
	fake_sys_reset();
	fake_sys_install();
	memset(&pi, 0, sizeof(pi));
	pi.devname = (char *)"sdb";
	pi.bus = BUS_SCSI;
	pi.tpg_id = -1;
	pi.host = 3;
	return 0;
}

static int teardown(void **state)
{
	fake_sys_reset();
	return 0;
}

static int prio(const char *name, const char *args)
{
	return mp_prio_get(name, args, &pi, -1, 1000);
}

static void test_const_random_unknown(void **state)
{
	int i, seen[11] = { 0 }, distinct = 0;

	assert_int_equal(prio("const", NULL), 1);
	for (i = 0; i < 200; i++) {
		int p = prio("random", NULL);

		assert_true(p >= 1 && p <= 10);
		seen[p]++;
	}
	for (i = 1; i <= 10; i++)
		distinct += seen[i] > 0;
	assert_true(distinct >= 5);
	assert_int_equal(prio("nosuch", NULL), MP_PRIO_UNDEF);
	assert_int_equal(mp_prio_get("const", NULL, NULL, -1, 0), MP_PRIO_UNDEF);
	assert_true(mp_prio_exists("alua"));
	assert_false(mp_prio_exists("tur"));
}

struct access_case {
	const char *state;
	const char *pref;       /* NULL: attribute absent */
	const char *args;
	int want;
};

static const struct access_case access_cases[] = {
	{ "active/optimized", "0", "", 50 },
	{ "active/optimized", "1", "", 50 },
	{ "active/optimized", "1", "exclusive_pref_bit", 130 },
	{ "active/non-optimized", "0", "", 10 },
	{ "active/non-optimized", "1", "", 90 },
	{ "lba-dependent", "0", "", 5 },
	{ "standby", "0", "", 1 },
	{ "standby", "1", "", 81 },
	{ "unavailable", "0", "", 0 },
	{ "offline", NULL, "", 0 },
	{ "transitioning", NULL, "", 0 },
};

static void test_sysfs(void **state)
{
	size_t i;

	assert_int_equal(prio("sysfs", NULL), MP_PRIO_UNDEF);
	for (i = 0; i < sizeof(access_cases) / sizeof(access_cases[0]); i++) {
		const struct access_case *t = &access_cases[i];

		fake_sys_set("/sys/block/sdb/device/access_state", t->state);
		if (t->pref)
			fake_sys_set("/sys/block/sdb/device/preferred_path", t->pref);
		else
			fake_sys_unset("/sys/block/sdb/device/preferred_path");
		if (prio("sysfs", t->args) != t->want)
			fail_msg("%s pref %s args '%s': got %d want %d", t->state, t->pref,
				 t->args, prio("sysfs", t->args), t->want);
	}
	/* NVMe spelling */
	pi.devname = (char *)"nvme0n1";
	fake_sys_set("/sys/block/nvme0n1/ana_state", "non-optimized");
	assert_int_equal(prio("sysfs", NULL), 10);
}

/* RTPG reply: groups {id, byte0} with one port each */
static size_t rtpg(uint8_t *buf, const uint16_t *ids, const uint8_t *b0, int n)
{
	size_t off = 4;
	int i;

	memset(buf, 0, 512);
	for (i = 0; i < n; i++) {
		buf[off] = b0[i];
		buf[off + 1] = 0x8f;
		put_be16(buf + off + 2, ids[i]);
		buf[off + 7] = 1;
		put_be16(buf + off + 10, (uint16_t)(i + 1));
		off += 12;
	}
	put_be32(buf, (uint32_t)(off - 4));
	return off;
}

static void test_alua(void **state)
{
	static const uint8_t inq[36] = { 0, 0, 6, 2, 31, 0x30 };
	static const uint8_t inq_noalua[36] = { 0, 0, 6, 2, 31, 0x00 };
	static const uint8_t vpd83[] = { 0, 0x83, 0, 8, 0x01, 0x15, 0, 4, 0, 0, 0, 2 };
	static const struct { uint8_t b0; const char *args; int want; } cases[] = {
		{ 0x00, "", 50 }, { 0x80, "", 50 }, { 0x80, "exclusive_pref_bit", 130 },
		{ 0x01, "", 10 }, { 0x81, "", 90 }, { 0x02, "", 1 }, { 0x82, "", 81 },
		{ 0x03, "", 0 }, { 0x04, "", 5 }, { 0x0e, "", 0 }, { 0x0f, "", 0 },
	};
	uint16_t ids[2] = { 1, 2 };
	uint8_t b0[2], buf[512];
	size_t i, n;

	fake_sg_set_data("sdb", 0x12, FAKE_SG_STD, inq, sizeof(inq));
	fake_sg_set_data("sdb", 0x12, 0x83, vpd83, sizeof(vpd83));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		b0[0] = 0x00;           /* the other group: AO, must be ignored */
		b0[1] = cases[i].b0;
		n = rtpg(buf, ids, b0, 2);
		fake_sg_set_data("sdb", 0xa3, 0x0a, buf, n);
		assert_int_equal(prio("alua", cases[i].args), cases[i].want);
	}
	assert_int_equal(fake_sg_last_cdb("sdb")[0], 0xa3);
	assert_int_equal(fake_sg_last_cdb("sdb")[1], 0x0a);
	/* known tpg from discovery: no 0x83 query */
	pi.tpg_id = 1;
	pi.tpgs = 1;
	n = fake_sg_count("sdb", 0x12);
	assert_int_equal(prio("alua", NULL), 50);
	assert_int_equal(fake_sg_count("sdb", 0x12), (int)n);
	/* group missing from the reply */
	pi.tpg_id = 9;
	assert_int_equal(prio("alua", NULL), MP_PRIO_UNDEF);
	/* not ALUA */
	pi.tpg_id = -1;
	pi.tpgs = 0;
	fake_sg_set_data("sdb", 0x12, FAKE_SG_STD, inq_noalua, sizeof(inq_noalua));
	assert_int_equal(prio("alua", NULL), MP_PRIO_UNDEF);
	/* RTPG rejected */
	pi.devname = (char *)"sdc";
	fake_sg_set_data("sdc", 0x12, FAKE_SG_STD, inq, sizeof(inq));
	fake_sg_set_data("sdc", 0x12, 0x83, vpd83, sizeof(vpd83));
	assert_int_equal(prio("alua", NULL), MP_PRIO_UNDEF);
}

static void test_rtpg_malformed(void **state)
{
	uint8_t buf[64] = { 0, 0, 0, 200 };     /* claims more than there is */
	uint8_t aas;
	bool pref;

	buf[4] = 0x01;
	put_be16(buf + 6, 5);
	buf[11] = 50;                           /* port count overruns */
	assert_int_equal(mp_rtpg_lookup(buf, sizeof(buf), 5, &aas, &pref), 0);
	assert_int_equal(aas, 1);
	assert_int_equal(mp_rtpg_lookup(buf, sizeof(buf), 6, &aas, &pref), -ENOENT);
	assert_int_equal(mp_rtpg_lookup(buf, 3, 5, &aas, &pref), -EINVAL);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

static void test_ana(void **state)
{
	static const struct { uint8_t st; int want; } cases[] = {
		{ 1, 50 }, { 2, 10 }, { 3, 1 }, { 4, 0 }, { 0xf, 1 }, { 7, MP_PRIO_UNDEF },
	};
	uint8_t id[4096] = { 0 }, log[256];
	size_t i;

	pi.devname = (char *)"nvme0n1";
	pi.bus = BUS_NVME;
	pi.lun = 1;
	put_le32(id + 92, 2);
	fake_nvme_set("nvme0n1", 0x06, 0, id, sizeof(id));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(log, 0, sizeof(log));
		log[8] = 2;
		/* group 1: 2 nsids, optimized */
		put_le32(log + 16, 1);
		put_le32(log + 20, 2);
		log[32] = 1;
		put_le32(log + 48, 3);
		put_le32(log + 52, 4);
		/* group 2 */
		put_le32(log + 56, 2);
		put_le32(log + 60, 1);
		log[72] = cases[i].st;
		put_le32(log + 88, 1);
		fake_sys_reset();
		fake_sys_install();
		fake_nvme_set("nvme0n1", 0x06, 0, id, sizeof(id));
		fake_nvme_set("nvme0n1", 0x02, 0x0c, log, sizeof(log));
		assert_int_equal(prio("ana", NULL), cases[i].want);
	}
	assert_int_equal(mp_ana_log_lookup(log, sizeof(log), 9), -ENOENT);
	pi.bus = BUS_SCSI;
	assert_int_equal(prio("ana", NULL), MP_PRIO_UNDEF);
}

static void test_weightedpath(void **state)
{
	static const struct { const char *args; int want; } cases[] = {
		{ "hbtl 3:0:1:.* 10 .* 1", 10 },
		{ "hbtl 4:.* 10 .* 1", 1 },
		{ "hbtl 4:.* 10", 0 },
		{ "devname sd[a-c] 7", 7 },
		{ "devname ^sdbb 7 sd 3", 3 },
		{ "serial ^SER 9", 9 },
		{ "wwn :0x2001:0x5000: 4", 4 },
		{ "wwn 0xdead 4", 0 },
		{ "bogus .* 4", MP_PRIO_UNDEF },
		{ "devname ( 4", MP_PRIO_UNDEF },
		{ "devname sd x", MP_PRIO_UNDEF },
		{ "", MP_PRIO_UNDEF },
	};
	size_t i;

	pi.host = 3;
	pi.channel = 0;
	pi.target = 1;
	pi.lun = 5;
	pi.serial = (char *)"SER42";
	pi.host_wwnn = (char *)"0x1000";
	pi.host_wwpn = (char *)"0x2001";
	pi.tgt_wwnn = (char *)"0x5000";
	pi.tgt_wwpn = (char *)"0x5001";
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (prio("weightedpath", cases[i].args) != cases[i].want)
			fail_msg("'%s': got %d want %d", cases[i].args,
				 prio("weightedpath", cases[i].args), cases[i].want);
}

static void test_latency_rank(void **state)
{
	static const struct { double us, base; int want; } cases[] = {
		{ 100, 10, 6 }, { 1000, 10, 5 }, { 0.1, 10, 8 }, { 1e9, 10, 1 },
		{ 100, 1.5, 34 }, { 150, 1.5, 33 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (mp_latency_rank(cases[i].us, cases[i].base) != cases[i].want)
			fail_msg("%g us base %g: got %d want %d", cases[i].us, cases[i].base,
				 mp_latency_rank(cases[i].us, cases[i].base), cases[i].want);
}

static void test_path_latency_file(void **state)
{
	char path[] = "/var/tmp/mp-lat.XXXXXX", buf[8192];
	int fd = mkstemp(path), p;

	assert_true(fd >= 0);
	memset(buf, 1, sizeof(buf));
	assert_int_equal(write(fd, buf, sizeof(buf)), sizeof(buf));
	close(fd);
	fd = open(path, O_RDONLY | O_DIRECT);
	if (fd < 0) {
		unlink(path);
		print_message("path_latency: O_DIRECT unavailable on /var/tmp, skipped\n");
		skip();
	}
	close(fd);
	pi.devname = path;
	p = prio("path_latency", "io_num=5 base_num=2");
	assert_true(p >= 1 && p < 30);
	assert_int_equal(prio("path_latency", "io_num=1"), MP_PRIO_UNDEF);
	assert_int_equal(prio("path_latency", "base_num=20"), MP_PRIO_UNDEF);
	unlink(path);
	assert_int_equal(prio("path_latency", "io_num=5"), MP_PRIO_UNDEF);
}

static void test_emc_rdac_hpsw(void **state)
{
	uint8_t c0[0xfc] = { 0, 0xc0, 0, 0xf8 };
	uint8_t c9[0x40] = { 0, 0xc9, 0, 0x3c, 'v', 'a', 'c', '1' };
	static const struct { uint8_t st, def, cur; int want; } emc[] = {
		{ 2, 0, 0, 3 }, { 2, 1, 0, 1 }, { 1, 0, 0, 2 }, { 1, 1, 0, 0 }, { 0, 0, 0, 0 },
	};
	static const struct { uint8_t b8, b9; int want; } rdac[] = {
		{ 0x01, 0x01, 6 }, { 0x00, 0x01, 4 }, { 0x01, 0x02, 3 }, { 0x00, 0x02, 1 },
		{ 0x20, 0x00, 2 },
	};
	size_t i;

	for (i = 0; i < sizeof(emc) / sizeof(emc[0]); i++) {
		c0[4] = emc[i].st;
		c0[5] = emc[i].def;
		c0[8] = emc[i].cur;
		fake_sg_set_data("sdb", 0x12, 0xc0, c0, sizeof(c0));
		assert_int_equal(prio("emc", NULL), emc[i].want);
	}
	for (i = 0; i < sizeof(rdac) / sizeof(rdac[0]); i++) {
		c9[8] = rdac[i].b8;
		c9[9] = rdac[i].b9;
		fake_sg_set_data("sdb", 0x12, 0xc9, c9, sizeof(c9));
		assert_int_equal(prio("rdac", NULL), rdac[i].want);
	}
	c9[4] = 'x';
	fake_sg_set_data("sdb", 0x12, 0xc9, c9, sizeof(c9));
	assert_int_equal(prio("rdac", NULL), MP_PRIO_UNDEF);

	assert_int_equal(prio("hp_sw", NULL), 4);
	fake_sg_set_sense("sdb", 0x00, FAKE_SG_ANY, 0x2, 0x04, 0x02);
	assert_int_equal(prio("hp_sw", NULL), 2);
	fake_sg_set_sense("sdb", 0x00, FAKE_SG_ANY, 0x2, 0x04, 0x03);
	assert_int_equal(prio("hp_sw", NULL), 0);
}

static void test_hds_ontap_datacore(void **state)
{
	uint8_t inq[255] = { 0, 0, 6, 2, 250 };
	static const struct { char ctrl; const char *ldev; int want; } hds[] = {
		{ '0', "0010", 1 }, { '1', "0010", 0 }, { '1', "00A3", 1 }, { '0', "00a3", 0 },
		{ 'x', "0001", MP_PRIO_UNDEF },
	};
	uint8_t c0[16] = { 0, 0xc0, 0, 12 };
	size_t i;

	memcpy(inq + 8, "HITACHI DF600F          ", 24);
	for (i = 0; i < sizeof(hds) / sizeof(hds[0]); i++) {
		inq[48] = (uint8_t)hds[i].ctrl;
		memcpy(inq + 50, hds[i].ldev, 4);
		fake_sg_set_data("sdb", 0x12, FAKE_SG_STD, inq, sizeof(inq));
		assert_int_equal(prio("hds", NULL), hds[i].want);
	}
	memcpy(inq + 8, "ACME    ", 8);
	fake_sg_set_data("sdb", 0x12, FAKE_SG_STD, inq, sizeof(inq));
	assert_int_equal(prio("hds", NULL), MP_PRIO_UNDEF);

	/* ontap */
	pi.proto = PROTO_SCSI_ISCSI;
	fake_sys_set("/sys/class/scsi_host/host3/proc_name", "iscsi_tcp");
	assert_int_equal(prio("ontap", NULL), 2);
	fake_sys_set("/sys/class/scsi_host/host3/proc_name", "qla4xxx");
	assert_int_equal(prio("ontap", NULL), 3);
	pi.proto = PROTO_SCSI_FCP;
	fake_sg_set_data("sdb", 0x12, 0xc0, c0, sizeof(c0));
	assert_int_equal(prio("ontap", NULL), 4);
	c0[4] = 1;
	fake_sg_set_data("sdb", 0x12, 0xc0, c0, sizeof(c0));
	assert_int_equal(prio("ontap", NULL), 1);

	/* datacore */
	memcpy(inq + 8, "DataCore", 8);
	memcpy(inq + 112, "SDS1            ", 16);
	fake_sg_set_data("sdb", 0x12, FAKE_SG_STD, inq, sizeof(inq));
	assert_int_equal(prio("datacore", "preferredsds=SDS1"), 1);
	assert_int_equal(prio("datacore", "timeout=100 preferredsds=SDS2"), 0);
	assert_int_equal(prio("datacore", ""), MP_PRIO_UNDEF);
	assert_int_equal(prio("datacore", "preferredsds=SDS1 timeout=x"), MP_PRIO_UNDEF);
}

static void test_iet(void **state)
{
	char dir[] = "/tmp/mp-bypath.XXXXXX", link[256];

	assert_non_null(mkdtemp(dir));
	snprintf(link, sizeof(link), "%s/ip-10.0.0.5:3260-iscsi-iqn.2001-04.com.example:t1-lun-0",
		 dir);
	assert_int_equal(symlink("../../sdb", link), 0);
	snprintf(link, sizeof(link), "%s/ip-10.0.0.6:3260-iscsi-iqn.2001-04.com.example:t1-lun-0",
		 dir);
	assert_int_equal(symlink("../../sdc", link), 0);
	mp_prio_iet_set_bypath_dir(dir);
	assert_int_equal(prio("iet", "preferredip=10.0.0.5"), 20);
	assert_int_equal(prio("iet", "preferredip=10.0.0.6"), 10);
	assert_int_equal(prio("iet", ""), MP_PRIO_UNDEF);
	pi.devname = (char *)"sdz";
	assert_int_equal(prio("iet", "preferredip=10.0.0.5"), MP_PRIO_UNDEF);
	mp_prio_iet_set_bypath_dir(NULL);
	snprintf(link, sizeof(link), "rm -rf %s", dir);
	assert_int_equal(system(link), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_const_random_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sysfs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alua, setup, teardown),
		cmocka_unit_test(test_rtpg_malformed),
		cmocka_unit_test_setup_teardown(test_ana, setup, teardown),
		cmocka_unit_test_setup_teardown(test_weightedpath, setup, teardown),
		cmocka_unit_test(test_latency_rank),
		cmocka_unit_test_setup_teardown(test_path_latency_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_emc_rdac_hpsw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hds_ontap_datacore, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iet, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
