// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VPD 0x83 → WWID (every designator type, the preference order, malformed
 * pages), TPG / relative port, VPD 0x80 serial, kernel wwid attribute form,
 * sense parsing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "discovery/internal.h"
#include "discovery/scsi.h"
#include "discovery/vendor.h"
#include "discovery/vpd.h"
#include "prioritizers/internal.h"
#include "util/macro.h"

/* A page built from designators: each {codeset, type|assoc<<4, bytes…} */
struct page {
	uint8_t b[512];
	size_t len;
};

static void page_init(struct page *p, uint8_t code)
{
	memset(p, 0, sizeof(*p));
	p->b[1] = code;
	p->len = 4;
}

static void page_add(struct page *p, uint8_t codeset, uint8_t type, uint8_t assoc,
		     const void *v, size_t n)
{
	uint8_t *d = p->b + p->len;

	d[0] = codeset;
	d[1] = (uint8_t)(type | assoc << 4);
	d[3] = (uint8_t)n;
	memcpy(d + 4, v, n);
	p->len += 4 + n;
	put_be16(p->b + 2, (uint16_t)(p->len - 4));
}

static const uint8_t naa6[16] = { 0x60, 0x01, 0x40, 0x5a, 0xbc, 0xde, 0xf0, 0x12,
				  0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x01 };
static const uint8_t naa5[8] = { 0x50, 0x00, 0xc5, 0x00, 0x12, 0x34, 0x56, 0x78 };
static const uint8_t naa2[8] = { 0x20, 0x00, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t naa3[8] = { 0x33, 0x33, 0x33, 0x30, 0x00, 0x00, 0x07, 0xd0 };
static const uint8_t eui16[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
				   0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
static const uint8_t eui12[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
static const uint8_t eui8[8] = { 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89 };
static const char t10[] = "LINUX   scsi_debug      2000  ";
static const char name[] = "iqn.2003-01.org.linux-iscsi.host:lun0\0\0\0";

enum { D_NAA6, D_NAA5, D_NAA2, D_NAA3, D_EUI16, D_EUI12, D_EUI8, D_NAME, D_T10, D_N };

static void add_desig(struct page *p, int which)
{
	switch (which) {
	case D_NAA6: page_add(p, 1, DESIG_NAA, 0, naa6, 16); break;
	case D_NAA5: page_add(p, 1, DESIG_NAA, 0, naa5, 8); break;
	case D_NAA2: page_add(p, 1, DESIG_NAA, 0, naa2, 8); break;
	case D_NAA3: page_add(p, 1, DESIG_NAA, 0, naa3, 8); break;
	case D_EUI16: page_add(p, 1, DESIG_EUI64, 0, eui16, 16); break;
	case D_EUI12: page_add(p, 1, DESIG_EUI64, 0, eui12, 12); break;
	case D_EUI8: page_add(p, 1, DESIG_EUI64, 0, eui8, 8); break;
	case D_NAME: page_add(p, 3, DESIG_NAME, 0, name, 40); break;
	case D_T10: page_add(p, 2, DESIG_T10, 0, t10, strlen(t10)); break;
	}
}

static const char *const expect[D_N] = {
	[D_NAA6] = "36001405abcdef0123456789abcdef001",
	[D_NAA5] = "35000c50012345678",
	[D_NAA2] = "32000001122334455",
	[D_NAA3] = "333333330000007d0",
	[D_EUI16] = "200112233445566778899aabbccddeeff",
	[D_EUI12] = "20102030405060708090a0b0c",
	[D_EUI8] = "2abcdef0123456789",
	[D_NAME] = "8iqn.2003-01.org.linux-iscsi.host:lun0",
	[D_T10] = "1LINUX_scsi_debug_2000",
};

/* Each designator alone gives its own WWID. */
static void test_each_type(void **state)
{
	char buf[128];
	struct page p;
	int i;

	for (i = 0; i < D_N; i++) {
		const char *want = expect[i];

		page_init(&p, 0x83);
		add_desig(&p, i);
		assert_int_equal(mp_vpd83_wwid(p.b, p.len, buf, sizeof(buf)), (int)strlen(want));
		assert_string_equal(buf, want);
	}
}

/* With all designators present in every order, the best one wins; then
 * remove the winner and the next one in the order wins. */
static void test_preference_order(void **state)
{
	int first, skip_below, i;
	char buf[128];
	struct page p;

	for (skip_below = 0; skip_below < D_N; skip_below++) {
		for (first = 0; first < D_N; first++) {
			page_init(&p, 0x83);
			/* rotate insertion order; designators better than skip_below absent */
			for (i = 0; i < D_N; i++) {
				int d = (first + i) % D_N;

				if (d >= skip_below)
					add_desig(&p, d);
			}
			assert_true(mp_vpd83_wwid(p.b, p.len, buf, sizeof(buf)) > 0);
			assert_string_equal(buf, expect[skip_below]);
		}
	}
}

static void test_port_association_ignored(void **state)
{
	char buf[128];
	struct page p;

	page_init(&p, 0x83);
	page_add(&p, 1, DESIG_NAA, 1, naa6, 16);        /* target port NAA */
	page_add(&p, 2, DESIG_T10, 0, t10, strlen(t10));
	assert_true(mp_vpd83_wwid(p.b, p.len, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "1LINUX_scsi_debug_2000");
}

static void test_name_string_naa(void **state)
{
	static const char s[] = "naa.60014055A1B2C3D4E5F60718293A4B5C";
	char buf[128];
	struct page p;

	page_init(&p, 0x83);
	page_add(&p, 3, DESIG_NAME, 0, s, sizeof(s) - 1);
	assert_true(mp_vpd83_wwid(p.b, p.len, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "360014055a1b2c3d4e5f60718293a4b5c");
}

static void test_t10_binary(void **state)
{
	static const uint8_t v[10] = { 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 1, 2 };
	char buf[128];
	struct page p;

	page_init(&p, 0x83);
	page_add(&p, 1, DESIG_T10, 0, v, sizeof(v));
	assert_true(mp_vpd83_wwid(p.b, p.len, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "141424344454647480102");
}

struct bad_case {
	const char *what;
	uint8_t b[64];
	size_t len;
	int want;
};

static void test_malformed(void **state)
{
	static const struct bad_case cases[] = {
		{ "empty", { 0 }, 0, -EINVAL },
		{ "short header", { 0, 0x83, 0 }, 3, -EINVAL },
		{ "wrong page", { 0, 0x80, 0, 4, 1, 3, 0, 0 }, 8, -EINVAL },
		{ "no designators", { 0, 0x83, 0, 0 }, 4, -ENODATA },
		{ "designator overruns page",
		  { 0, 0x83, 0, 12, 1, 3, 0, 16, 0x60, 1, 2, 3, 4, 5, 6, 7 }, 16, -EINVAL },
		{ "page length beyond buffer (truncated read)",
		  { 0, 0x83, 0, 40, 1, 3, 0, 8, 0x50, 1, 2, 3, 4, 5, 6, 7 }, 16, 17 },
		{ "NAA 6 too short", { 0, 0x83, 0, 12, 1, 3, 0, 8, 0x60, 1, 2, 3, 4, 5, 6, 7 },
		  16, -ENODATA },
		{ "unknown NAA type", { 0, 0x83, 0, 12, 1, 3, 0, 8, 0x10, 1, 2, 3, 4, 5, 6, 7 },
		  16, -ENODATA },
		{ "vendor specific only", { 0, 0x83, 0, 8, 2, 0, 0, 4, 'a', 'b', 'c', 'd' },
		  12, -ENODATA },
		{ "EUI of odd length", { 0, 0x83, 0, 10, 1, 2, 0, 6, 1, 2, 3, 4, 5, 6 }, 14,
		  -ENODATA },
		{ "blank T10", { 0, 0x83, 0, 14, 2, 1, 0, 10, ' ', ' ', ' ', ' ', ' ', ' ',
				 ' ', ' ', ' ', ' ' }, 18, -ENODATA },
	};
	char buf[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int r = mp_vpd83_wwid(cases[i].len ? cases[i].b : NULL, cases[i].len, buf,
				      sizeof(buf));

		if (r != cases[i].want)
			fail_msg("%s: got %d want %d", cases[i].what, r, cases[i].want);
	}
}

static void test_small_buffer(void **state)
{
	char buf[8];
	struct page p;

	page_init(&p, 0x83);
	add_desig(&p, D_NAA6);
	assert_int_equal(mp_vpd83_wwid(p.b, p.len, buf, sizeof(buf)), -ENOSPC);
}

static void test_tpg_relport(void **state)
{
	uint8_t tpg[4] = { 0, 0, 0x12, 0x34 }, rel[4] = { 0, 0, 0, 2 };
	struct page p;

	page_init(&p, 0x83);
	add_desig(&p, D_NAA6);
	assert_int_equal(mp_vpd83_tpg(p.b, p.len), -ENODATA);
	page_add(&p, 1, DESIG_RELPORT, 1, rel, 4);
	page_add(&p, 1, DESIG_TPG, 1, tpg, 4);
	assert_int_equal(mp_vpd83_tpg(p.b, p.len), 0x1234);
	assert_int_equal(mp_vpd83_relport(p.b, p.len), 2);
}

static void test_vpd80(void **state)
{
	static const struct {
		const char *in;
		int want;
		const char *out;
	} cases[] = {
		{ "  SER123   ", 6, "SER123" },
		{ "2000", 4, "2000" },
		{ "     ", -ENODATA, NULL },
		{ "", -ENODATA, NULL },
	};
	uint8_t page[64];
	char buf[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t n = strlen(cases[i].in);

		memset(page, 0, sizeof(page));
		page[1] = 0x80;
		page[3] = (uint8_t)n;
		memcpy(page + 4, cases[i].in, n);
		assert_int_equal(mp_vpd80_serial(page, 4 + n, buf, sizeof(buf)), cases[i].want);
		if (cases[i].out)
			assert_string_equal(buf, cases[i].out);
	}
	page[1] = 0x83;
	assert_int_equal(mp_vpd80_serial(page, 8, buf, sizeof(buf)), -EINVAL);
}

static void test_kernel_wwid(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "naa.6001405ABCDEF0123456789abcdef001", "36001405abcdef0123456789abcdef001" },
		{ "eui.0011223344556677", "20011223344556677" },
		{ "t10.LINUX   scsi_debug      2000", "1LINUX_scsi_debug_2000" },
		{ "iqn.2003-01.org.x:lun0", "8iqn.2003-01.org.x:lun0" },
	};
	char buf[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_true(pi_wwid_from_kernel(cases[i].in, buf, sizeof(buf)) > 0);
		assert_string_equal(buf, cases[i].out);
	}
	/* leading blanks need no room for a '_' (fuzz-vpd) */
	assert_int_equal(pi_wwid_from_kernel("   @", buf, 3), 2);
	assert_string_equal(buf, "8@");
	assert_int_equal(pi_wwid_from_kernel("t10. AB", buf, 4), 3);
	assert_string_equal(buf, "1AB");
	assert_int_equal(pi_wwid_from_kernel("t10.A B", buf, 4), -ENOSPC);
	assert_int_equal(pi_wwid_from_kernel("naa.6001", buf, 1), -ENOSPC);
	/* nothing but blanks is no WWID */
	assert_int_equal(pi_wwid_from_kernel("t10.    ", buf, sizeof(buf)), -ENODATA);
	assert_int_equal(pi_wwid_from_kernel("naa.", buf, sizeof(buf)), -ENODATA);
}

static void test_sense(void **state)
{
	static const struct {
		uint8_t s[18];
		size_t len;
		bool ok;
		uint8_t key, asc, ascq;
	} cases[] = {
		{ { 0x70, 0, 0x02, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x04, 0x0b }, 18, true, 2, 4, 0x0b },
		{ { 0xf1, 0, 0x06, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x29, 0x00 }, 18, true, 6, 0x29, 0 },
		{ { 0x72, 0x05, 0x25, 0x00 }, 8, true, 5, 0x25, 0 },
		{ { 0x73, 0x02, 0x04, 0x0a }, 4, true, 2, 4, 0x0a },
		{ { 0x70, 0, 0x03 }, 3, true, 3, 0, 0 },
		{ { 0x72, 5 }, 2, false, 0, 0, 0 },
		{ { 0x00 }, 18, false, 0, 0, 0 },
	};
	struct mp_sense s;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(&s, 0, sizeof(s));
		assert_int_equal(mp_sense_parse(cases[i].s, cases[i].len, &s), cases[i].ok);
		if (!cases[i].ok)
			continue;
		assert_int_equal(s.key, cases[i].key);
		assert_int_equal(s.asc, cases[i].asc);
		assert_int_equal(s.ascq, cases[i].ascq);
	}
}

/* Every decoder on random and mutated buffers of exact heap size, so the
 * sanitizer build catches any read past the end. */
static uint32_t rnd_state = 12345;
static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static void decode_all(const uint8_t *b, size_t n)
{
	char out[300];
	struct mp_sense s;
	struct mp_rdac_c9 r9;
	struct mp_emc_c0 e0;
	uint8_t aas;
	bool pref;

	mp_vpd83_wwid(b, n, out, sizeof(out));
	mp_vpd83_wwid(b, n, out, 8);
	mp_vpd83_tpg(b, n);
	mp_vpd83_relport(b, n);
	mp_vpd80_serial(b, n, out, sizeof(out));
	mp_sense_parse(b, n, &s);
	mp_rdac_c9_decode(b, n, &r9);
	mp_emc_c0_decode(b, n, &e0);
	mp_rtpg_lookup(b, n, (int)(rnd() & 0xffff), &aas, &pref);
	mp_ana_log_lookup(b, n, rnd() & 3);
}

static void test_random_pages(void **state)
{
	struct page p;
	int i;

	for (i = 0; i < 20000; i++) {
		size_t n = rnd() % 300, k;
		uint8_t *b = malloc(n ? n : 1);

		assert_non_null(b);
		if (i % 2) {
			/* a valid 0x83 page with a few bytes flipped */
			page_init(&p, 0x83);
			add_desig(&p, (int)(rnd() % D_N));
			add_desig(&p, (int)(rnd() % D_N));
			if (n > p.len)
				n = p.len;
			memcpy(b, p.b, n);
			for (k = 0; n && k < 3; k++)
				b[rnd() % n] = (uint8_t)rnd();
		} else {
			for (k = 0; k < n; k++)
				b[k] = (uint8_t)rnd();
			if (n > 1)
				b[1] = (uint8_t[]){ 0x80, 0x83, 0xc0, 0xc9 }[rnd() % 4];
		}
		decode_all(b, n);
		free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_type),
		cmocka_unit_test(test_preference_order),
		cmocka_unit_test(test_port_association_ignored),
		cmocka_unit_test(test_name_string_naa),
		cmocka_unit_test(test_t10_binary),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_small_buffer),
		cmocka_unit_test(test_tpg_relport),
		cmocka_unit_test(test_vpd80),
		cmocka_unit_test(test_kernel_wwid),
		cmocka_unit_test(test_sense),
		cmocka_unit_test(test_random_pages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
