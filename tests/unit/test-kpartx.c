// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kpartx table readers on images built in memory (every format, 512 and
 * 4096-byte sectors, broken variants), on images made by sfdisk/sgdisk when
 * those exist, and the golden `kpartx -l` output of the binary on a file.
 * Table-driven: each case builds an image and lists the expected slots.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kpartx/ptable.h"
#include "kpartx/testimg.h"
#include "util/log.h"

#define KiB 1024u

struct want {
	int no;                 /* partition number */
	uint64_t start, size;   /* 512-byte sectors */
};

struct tcase {
	const char *name;
	size_t bytes;
	unsigned ss;
	void (*build)(uint8_t *img, size_t bytes, unsigned ss);
	const struct pt_reader *only;
	bool force_gpt;
	int expect_n;           /* slot count, or <0 for a rejected table */
	const char *expect_type;
	struct want want[12];
};

static const struct ti_part gp[] = { { 40, 20 }, { 60, 30 } };

static void b_gpt(uint8_t *img, size_t bytes, unsigned ss)
{
	ti_gpt(img, bytes, ss, gp, 2, 128, 128, true);
}
static void b_gpt_nopmbr(uint8_t *img, size_t bytes, unsigned ss)
{
	ti_gpt(img, bytes, ss, gp, 2, 128, 128, false);
}
static void b_gpt_bad_hdr(uint8_t *img, size_t bytes, unsigned ss)
{
	b_gpt(img, bytes, ss);
	img[ss + 40] ^= 1;      /* first_usable changes: header CRC fails */
}
static void b_gpt_bad_entries(uint8_t *img, size_t bytes, unsigned ss)
{
	b_gpt(img, bytes, ss);
	img[2 * ss + 32] ^= 1;  /* primary array only */
}
static void b_gpt_both_bad(uint8_t *img, size_t bytes, unsigned ss)
{
	b_gpt(img, bytes, ss);
	img[ss + 40] ^= 1;
	img[bytes - ss + 40] ^= 1;
}
static void b_gpt_many(uint8_t *img, size_t bytes, unsigned ss)
{
	struct ti_part p[150] = { 0 };

	p[0] = (struct ti_part){ 200, 10 };
	p[149] = (struct ti_part){ 220, 10 };
	ti_gpt(img, bytes, ss, p, 150, 200, 256, true);
}
static void b_gpt_outside(uint8_t *img, size_t bytes, unsigned ss)
{
	const struct ti_part p[] = { { 40, 20 }, { 60, 10000 } };

	ti_gpt(img, bytes, ss, p, 2, 128, 128, true);
}

static const struct ti_part dprim[4] = { { 4, 8, 0x83 }, { 12, 60, 0x05 },
					 { 72, 40, 0xa5 }, { 0 } };
static const struct ti_part dlog[] = { { 13, 10 }, { 24, 10 }, { 35, 10 } };
static const struct ti_part dbsd[] = { { 74, 10 }, { 84, 10 }, { 72, 40 } };

static void b_dos(uint8_t *img, size_t bytes, unsigned ss)
{
	ti_dos(img, ss, dprim, dlog, 3);
	ti_bsd(img, 72, dbsd, 3);       /* the third is the whole slice */
}
static void b_dos_loop(uint8_t *img, size_t bytes, unsigned ss)
{
	ti_dos(img, ss, dprim, dlog, 3);
	/* last EBR (LBA 34) links back to the first (offset 0 + 12 = 12)... */
	ti_mbr_entry(img + 34 * ss, 1, 0x05, 11, 12);
}
static void b_dos_overlap(uint8_t *img, size_t bytes, unsigned ss)
{
	const struct ti_part p[4] = { { 4, 20, 0x83 }, { 10, 20, 0x83 } };

	ti_dos(img, ss, p, NULL, 0);
}
static void b_dos_beyond(uint8_t *img, size_t bytes, unsigned ss)
{
	const struct ti_part p[4] = { { 4, 20, 0x83 }, { 100, 1u << 30, 0x83 } };

	ti_dos(img, ss, p, NULL, 0);
}
static void b_dos_truncated(uint8_t *img, size_t bytes, unsigned ss)
{
	/* extended partition whose first EBR lies past the image end */
	const struct ti_part p[4] = { { 1, 8, 0x83 }, { 2000, 100, 0x05 } };

	ti_dos(img, ss, p, NULL, 0);
}
static void b_dos_4k(uint8_t *img, size_t bytes, unsigned ss)
{
	const struct ti_part p[4] = { { 1, 4, 0x83 }, { 5, 20, 0x0f } };
	const struct ti_part l[] = { { 6, 4 }, { 11, 4 } };

	ti_dos(img, ss, p, l, 2);
}
static void b_solaris(uint8_t *img, size_t bytes, unsigned ss)
{
	const struct ti_part p[4] = { { 4, 40, 0x82 } };
	const struct ti_part in[] = { { 2, 10 }, { 0, 40, 5 }, { 12, 10 } };

	ti_dos(img, ss, p, NULL, 0);
	ti_solaris(img, 4, in, 3);
}
static void b_swap82(uint8_t *img, size_t bytes, unsigned ss)
{
	const struct ti_part p[4] = { { 4, 40, 0x82 } };

	ti_dos(img, ss, p, NULL, 0);
}
static void b_unixware(uint8_t *img, size_t bytes, unsigned ss)
{
	const struct ti_part p[4] = { { 4, 100, 0x63 } };
	const struct ti_part in[] = { { 40, 10 }, { 50, 10 }, { 90, 100 } };

	ti_dos(img, ss, p, NULL, 0);
	ti_unixware(img, 4, in, 3);     /* the third sticks out: skipped */
}
static void b_sun(uint8_t *img, size_t bytes, unsigned ss)
{
	const struct ti_part p[] = { { 1, 20, 2 }, { 0, 128, 5 }, { 3, 30, 4 } };

	ti_sun(img, 2, 5, p, 3);
}
static void b_sun_badsum(uint8_t *img, size_t bytes, unsigned ss)
{
	b_sun(img, bytes, ss);
	img[450] ^= 0x10;
}
static void b_mac(uint8_t *img, size_t bytes, unsigned ss)
{
	const struct ti_part p[] = { { 1, 3 }, { 8, 20 }, { 40, 20 } };

	ti_mac(img, 512, p, 3);
}
static void b_mac_2k(uint8_t *img, size_t bytes, unsigned ss)
{
	const struct ti_part p[] = { { 1, 3 }, { 8, 4 } };

	ti_mac(img, 2048, p, 2);
}
static void b_ps3(uint8_t *img, size_t bytes, unsigned ss)
{
	const struct ti_part p[] = { { 8, 16 }, { 0 }, { 24, 16 } };

	ti_ps3(img, p, 3);
}
static void b_dasd_ldl(uint8_t *img, size_t bytes, unsigned ss)
{
	ti_dasd_ldl(img, 4096);
}
static void b_dasd_cdl(uint8_t *img, size_t bytes, unsigned ss)
{
	const struct ti_part p[] = { { 2, 2 }, { 4, 1 } };

	ti_dasd_cdl(img, 4096, p, 2);
}
static void b_empty(uint8_t *img, size_t bytes, unsigned ss)
{
}
static void b_gpt_overlap(uint8_t *img, size_t bytes, unsigned ss)
{
	const struct ti_part p[] = { { 40, 20 }, { 50, 20 } };

	ti_gpt(img, bytes, ss, p, 2, 128, 128, true);
}
/* Patch both headers' entry count and re-seal their CRCs. */
static void b_gpt_absurd(uint8_t *img, size_t bytes, unsigned ss)
{
	uint8_t *h[2] = { img + ss, img + bytes - ss };

	b_gpt(img, bytes, ss);
	for (int i = 0; i < 2; i++) {
		ti_put_le32(h[i] + 80, 0x100000);
		ti_put_le32(h[i] + 16, 0);
		ti_put_le32(h[i] + 16, pt_crc32(0, h[i], 92));
	}
}
static void b_dos_badlink(uint8_t *img, size_t bytes, unsigned ss)
{
	ti_dos(img, ss, dprim, dlog, 3);
	ti_mbr_entry(img + 23 * ss, 1, 0x05, 5000, 12);
}
static void b_dos_bootsector(uint8_t *img, size_t bytes, unsigned ss)
{
	b_dos_overlap(img, bytes, ss);
	img[446] = 0x12;        /* not a boot flag: a FAT boot sector, say */
}
static void b_mac_badsig(uint8_t *img, size_t bytes, unsigned ss)
{
	b_mac(img, bytes, ss);
	img[3 * 512] = 'X';
}
static void b_dasd_nof4(uint8_t *img, size_t bytes, unsigned ss)
{
	b_dasd_cdl(img, bytes, ss);
	img[12 * 4096 + 44] = 0;
}
static void b_bsd_outside(uint8_t *img, size_t bytes, unsigned ss)
{
	const struct ti_part p[4] = { { 4, 20, 0xa5 } };
	const struct ti_part in[] = { { 6, 10 }, { 30, 10 } };

	ti_dos(img, ss, p, NULL, 0);
	ti_bsd(img, 4, in, 2);
}

static const struct tcase cases[] = {
	{ "gpt", 64 * KiB, 512, b_gpt, NULL, false, 2, "gpt",
	  { { 1, 40, 20 }, { 2, 60, 30 } } },
	{ "gpt 4k", 512 * KiB, 4096, b_gpt, NULL, false, 2, "gpt",
	  { { 1, 320, 160 }, { 2, 480, 240 } } },
	{ "gpt primary header crc -> alternate", 64 * KiB, 512, b_gpt_bad_hdr,
	  NULL, false, 2, "gpt", { { 1, 40, 20 }, { 2, 60, 30 } } },
	{ "gpt primary entries crc -> alternate", 64 * KiB, 512,
	  b_gpt_bad_entries, NULL, false, 2, "gpt", { { 1, 40, 20 }, { 2, 60, 30 } } },
	{ "gpt both headers bad", 64 * KiB, 512, b_gpt_both_bad, NULL, false, -1,
	  "gpt", { { 0 } } },
	{ "gpt without pmbr ignored", 64 * KiB, 512, b_gpt_nopmbr, NULL, false, 0,
	  NULL, { { 0 } } },
	{ "gpt without pmbr forced", 64 * KiB, 512, b_gpt_nopmbr, NULL, true, 2,
	  "gpt", { { 1, 40, 20 }, { 2, 60, 30 } } },
	{ "gpt 200 entries of 256 bytes", 256 * KiB, 512, b_gpt_many, NULL, false,
	  150, "gpt", { { 1, 200, 10 }, { 150, 220, 10 } } },
	{ "gpt partition beyond usable area", 64 * KiB, 512, b_gpt_outside, NULL,
	  false, -1, "gpt", { { 0 } } },
	{ "dos logical + bsd", 64 * KiB, 512, b_dos, NULL, false, 9, "dos",
	  { { 1, 4, 8 }, { 2, 12, 2 }, { 3, 72, 40 }, { 4, 0, 0 }, { 5, 13, 10 },
	    { 6, 24, 10 }, { 7, 35, 10 }, { 8, 74, 10 }, { 9, 84, 10 } } },
	{ "dos ebr loop", 64 * KiB, 512, b_dos_loop, NULL, false, -1, "dos", { { 0 } } },
	{ "dos overlap", 64 * KiB, 512, b_dos_overlap, NULL, false, -1, "dos", { { 0 } } },
	{ "dos beyond end", 64 * KiB, 512, b_dos_beyond, NULL, false, -1, "dos",
	  { { 0 } } },
	{ "dos truncated image", 4 * KiB, 512, b_dos_truncated, NULL, false, -1,
	  "dos", { { 0 } } },
	{ "dos 4k", 128 * KiB, 4096, b_dos_4k, NULL, false, 6, "dos",
	  { { 1, 8, 32 }, { 2, 40, 8 }, { 5, 48, 32 }, { 6, 88, 32 } } },
	{ "-t bsd", 64 * KiB, 512, b_dos, &pt_bsd, false, 2, "bsd",
	  { { 1, 74, 10 }, { 2, 84, 10 } } },
	{ "solaris in 0x82", 64 * KiB, 512, b_solaris, NULL, false, 6, "dos",
	  { { 1, 4, 40 }, { 5, 6, 10 }, { 6, 16, 10 } } },
	{ "0x82 linux swap", 64 * KiB, 512, b_swap82, NULL, false, 1, "dos",
	  { { 1, 4, 40 } } },
	{ "unixware", 64 * KiB, 512, b_unixware, NULL, false, 6, "dos",
	  { { 1, 4, 100 }, { 5, 40, 10 }, { 6, 50, 10 } } },
	{ "sun", 64 * KiB, 512, b_sun, NULL, false, 3, "sun",
	  { { 1, 10, 20 }, { 2, 0, 0 }, { 3, 30, 30 } } },
	{ "sun bad checksum", 64 * KiB, 512, b_sun_badsum, NULL, false, -1, "sun",
	  { { 0 } } },
	{ "mac", 64 * KiB, 512, b_mac, NULL, false, 3, "mac",
	  { { 1, 1, 3 }, { 2, 8, 20 }, { 3, 40, 20 } } },
	{ "mac 2k blocks", 64 * KiB, 512, b_mac_2k, NULL, false, 2, "mac",
	  { { 1, 4, 12 }, { 2, 32, 16 } } },
	{ "ps3", 64 * KiB, 512, b_ps3, NULL, false, 3, "ps3",
	  { { 1, 8, 16 }, { 3, 24, 16 } } },
	{ "ps3 4k", 256 * KiB, 4096, b_ps3, NULL, false, 3, "ps3",
	  { { 1, 64, 128 }, { 3, 192, 128 } } },
	{ "dasd ldl", 64 * KiB, 512, b_dasd_ldl, NULL, false, 1, "dasd",
	  { { 1, 24, 104 } } },
	{ "dasd cdl", 384 * KiB, 4096, b_dasd_cdl, NULL, false, 2, "dasd",
	  { { 1, 192, 192 }, { 2, 384, 96 } } },
	{ "blank disk", 64 * KiB, 512, b_empty, NULL, false, 0, NULL, { { 0 } } },
	{ "gpt overlapping entries", 64 * KiB, 512, b_gpt_overlap, NULL, false, -1,
	  "gpt", { { 0 } } },
	{ "gpt absurd entry count", 64 * KiB, 512, b_gpt_absurd, NULL, false, -1,
	  "gpt", { { 0 } } },
	{ "-t dos on gpt (protective mbr)", 64 * KiB, 512, b_gpt, &pt_dos, false, 0,
	  NULL, { { 0 } } },
	{ "dos ebr link outside extended", 64 * KiB, 512, b_dos_badlink, NULL,
	  false, -1, "dos", { { 0 } } },
	{ "boot sector is not a dos table", 64 * KiB, 512, b_dos_bootsector, NULL,
	  false, 0, NULL, { { 0 } } },
	{ "mac entry without PM", 64 * KiB, 512, b_mac_badsig, NULL, false, -1,
	  "mac", { { 0 } } },
	{ "dasd cdl without format-4 dscb", 384 * KiB, 4096, b_dasd_nof4, NULL,
	  false, -1, "dasd", { { 0 } } },
	{ "bsd sub-partition outside its slice", 64 * KiB, 512, b_bsd_outside,
	  NULL, false, 5, "dos", { { 1, 4, 20 }, { 5, 6, 10 } } },
};

static void check_case(const struct tcase *c)
{
	_cleanup_free_ uint8_t *img = calloc(1, c->bytes);
	struct pt_slice out[PT_MAX_SLICES];
	struct pt_source src;
	const char *type = NULL;
	int n;

	assert_non_null(img);
	c->build(img, c->bytes, c->ss);
	pt_source_init_mem(&src, img, c->bytes, c->ss);
	n = pt_scan(&src, c->only, c->force_gpt, out, PT_MAX_SLICES, &type);
	print_message("  %-40s n=%d type=%s\n", c->name, n, type ? type : "-");
	if (c->expect_n < 0) {
		assert_true(n < 0);
	} else {
		assert_int_equal(n, c->expect_n);
	}
	if (c->expect_type)
		assert_string_equal(type, c->expect_type);
	for (size_t i = 0; i < ARRAY_SIZE(c->want) && c->want[i].no; i++) {
		const struct want *w = &c->want[i];

		assert_true(w->no <= n);
		assert_int_equal(out[w->no - 1].start, w->start);
		assert_int_equal(out[w->no - 1].size, w->size);
	}
}

static void test_case(void **state)
{
	check_case(*state);
}

/* Every truncation of a good image is rejected or read in bounds (ASan
 * builds check the latter). */
static void test_truncations(void **state)
{
	static const struct { void (*b)(uint8_t *, size_t, unsigned); size_t bytes; } imgs[] = {
		{ b_gpt, 64 * KiB }, { b_dos, 64 * KiB }, { b_sun, 4 * KiB },
		{ b_mac, 64 * KiB }, { b_dasd_cdl, 384 * KiB },
	};

	for (size_t i = 0; i < ARRAY_SIZE(imgs); i++) {
		_cleanup_free_ uint8_t *img = calloc(1, imgs[i].bytes);

		imgs[i].b(img, imgs[i].bytes, 512);
		for (size_t len = 0; len < imgs[i].bytes; len += len < 4096 ? 61 : 4093) {
			_cleanup_free_ uint8_t *cut = malloc(len ? len : 1);
			struct pt_slice out[PT_MAX_SLICES];
			struct pt_source src;

			memcpy(cut, img, len);
			pt_source_init_mem(&src, cut, len, 512);
			(void)pt_scan(&src, NULL, false, out, PT_MAX_SLICES, NULL);
		}
	}
}

static char tmpdir[] = "/tmp/test-kpartx.XXXXXX";
static char kpartx_bin[PATH_MAX];

static int run_cmd(const char *cmd)
{
	int r = system(cmd);

	return r == -1 ? -1 : WEXITSTATUS(r);
}

static int make_image(const char *path, size_t bytes)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	int r;

	if (fd < 0)
		return -1;
	r = ftruncate(fd, (off_t)bytes);
	close(fd);
	return r;
}

static int scan_file(const char *path, struct pt_slice *out, const char **type)
{
	struct pt_source src;
	int fd = open(path, O_RDONLY), n;

	assert_true(fd >= 0);
	assert_int_equal(pt_source_init_fd(&src, fd), 0);
	n = pt_scan(&src, NULL, false, out, PT_MAX_SLICES, type);
	close(fd);
	return n;
}

static void test_sfdisk_dos(void **state)
{
	char img[PATH_MAX], cmd[PATH_MAX * 2];
	struct pt_slice out[PT_MAX_SLICES];
	const char *type = NULL;
	int n;

	if (access("/usr/sbin/sfdisk", X_OK) && access("/sbin/sfdisk", X_OK))
		skip();
	snprintf(img, sizeof(img), "%s/dos.img", tmpdir);
	assert_int_equal(make_image(img, 32 * 1024 * 1024), 0);
	snprintf(cmd, sizeof(cmd),
		 "printf 'label: dos\\nstart=2048,size=4096,type=83\\n"
		 "start=8192,size=40960,type=5\\nstart=10240,size=2048\\n"
		 "start=14336,size=4096\\n' | sfdisk -q %s >/dev/null 2>&1", img);
	assert_int_equal(run_cmd(cmd), 0);
	n = scan_file(img, out, &type);
	assert_string_equal(type, "dos");
	assert_int_equal(n, 6);
	assert_int_equal(out[0].start, 2048);
	assert_int_equal(out[0].size, 4096);
	assert_int_equal(out[1].start, 8192);
	assert_int_equal(out[1].size, 2);
	assert_int_equal(out[4].start, 10240);
	assert_int_equal(out[4].size, 2048);
	assert_int_equal(out[5].start, 14336);
	assert_int_equal(out[5].size, 4096);
	assert_int_equal(out[5].container, 2);
}

static void test_sgdisk_gpt(void **state)
{
	char img[PATH_MAX], cmd[PATH_MAX * 2];
	struct pt_slice out[PT_MAX_SLICES];
	const char *type = NULL;
	int n, fd;

	if (access("/usr/sbin/sgdisk", X_OK) && access("/sbin/sgdisk", X_OK))
		skip();
	snprintf(img, sizeof(img), "%s/gpt.img", tmpdir);
	assert_int_equal(make_image(img, 16 * 1024 * 1024), 0);
	snprintf(cmd, sizeof(cmd),
		 "sgdisk -n 1:2048:+1M -n 2:4096:+2M -n 3:10240:+1M %s >/dev/null 2>&1",
		 img);
	assert_int_equal(run_cmd(cmd), 0);
	n = scan_file(img, out, &type);
	assert_string_equal(type, "gpt");
	assert_int_equal(n, 3);
	assert_int_equal(out[0].start, 2048);
	assert_int_equal(out[0].size, 2048);
	assert_int_equal(out[1].start, 4096);
	assert_int_equal(out[1].size, 4096);
	assert_int_equal(out[2].start, 10240);
	/* wipe the primary header: the backup must still give the table */
	fd = open(img, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "XXXXXXXX", 8, 512), 8);
	close(fd);
	n = scan_file(img, out, &type);
	assert_int_equal(n, 3);
	assert_int_equal(out[2].size, 2048);
}

static void test_golden_list(void **state)
{
	char img[PATH_MAX], cmd[PATH_MAX * 3], expect[PATH_MAX * 4];
	char buf[4096] = "";
	FILE *p;
	size_t len;

	if (access(kpartx_bin, X_OK) || access("/usr/sbin/sfdisk", X_OK))
		skip();
	snprintf(img, sizeof(img), "%s/disk0", tmpdir);
	assert_int_equal(make_image(img, 32 * 1024 * 1024), 0);
	snprintf(cmd, sizeof(cmd),
		 "printf 'label: dos\\nstart=2048,size=4096,type=83\\n"
		 "start=8192,size=40960,type=5\\nstart=10240,size=2048\\n' | "
		 "sfdisk -q %s >/dev/null 2>&1", img);
	assert_int_equal(run_cmd(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s -l %s", kpartx_bin, img);
	p = popen(cmd, "r");
	assert_non_null(p);
	len = fread(buf, 1, sizeof(buf) - 1, p);
	buf[len] = '\0';
	assert_int_equal(pclose(p), 0);
	/* basename ends in a digit: delimiter "p" */
	snprintf(expect, sizeof(expect),
		 "disk0p1 : 0 4096 %s 2048\n"
		 "disk0p2 : 0 2 %s 8192\n"
		 "disk0p5 : 0 2048 %s 10240\n", img, img, img);
	assert_string_equal(buf, expect);
	snprintf(cmd, sizeof(cmd), "%s -l -p -part %s", kpartx_bin, img);
	p = popen(cmd, "r");
	len = fread(buf, 1, sizeof(buf) - 1, p);
	buf[len] = '\0';
	assert_int_equal(pclose(p), 0);
	assert_non_null(strstr(buf, "disk0-part5 : 0 2048 "));
}

static void test_cli_errors(void **state)
{
	char img[PATH_MAX], cmd[PATH_MAX * 3];
	_cleanup_free_ uint8_t *buf = calloc(1, 64 * KiB);
	FILE *f;

	if (access(kpartx_bin, X_OK))
		skip();
	snprintf(img, sizeof(img), "%s/badgpt", tmpdir);
	b_gpt_both_bad(buf, 64 * KiB, 512);
	f = fopen(img, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, 64 * KiB, f), 64 * KiB);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "%s -l %s 2>&1 | grep -q 'CRC32 mismatch'",
		 kpartx_bin, img);
	assert_int_equal(run_cmd(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s -l %s >/dev/null 2>&1", kpartx_bin, img);
	assert_int_equal(run_cmd(cmd), 1);
	/* -t restricts the readers: no dos table there */
	snprintf(cmd, sizeof(cmd), "test -z \"$(%s -l -t dos %s 2>/dev/null)\"",
		 kpartx_bin, img);
	assert_int_equal(run_cmd(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s -l -t nosuch %s >/dev/null 2>&1", kpartx_bin, img);
	assert_int_equal(run_cmd(cmd), 1);
	snprintf(cmd, sizeof(cmd), "%s -a -d %s >/dev/null 2>&1", kpartx_bin, img);
	assert_int_equal(run_cmd(cmd), 1);
	snprintf(cmd, sizeof(cmd), "%s -h | grep -q usage", kpartx_bin);
	assert_int_equal(run_cmd(cmd), 0);
}

static int setup(void **state)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return run_cmd(cmd);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_sfdisk_dos),
		cmocka_unit_test(test_sgdisk_gpt),
		cmocka_unit_test(test_golden_list),
		cmocka_unit_test(test_cli_errors),
	};
	struct CMUnitTest tests[ARRAY_SIZE(cases) + ARRAY_SIZE(fixed)];
	size_t n = 0;
	char self[PATH_MAX];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		tests[n++] = (struct CMUnitTest){ .name = cases[i].name,
						  .test_func = test_case,
						  .initial_state = (void *)&cases[i] };
	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
		tests[n++] = fixed[i];

	mp_log_init("test-kpartx", MP_LOG_STDERR, getenv("KPARTX_TEST_VERBOSE") ? 5 : -10, 0);
	snprintf(self, sizeof(self), "%s", argv[0]);
	snprintf(kpartx_bin, sizeof(kpartx_bin), "%s/kpartx", dirname(self));
	return _cmocka_run_group_tests("kpartx", tests, n, setup, teardown);
}
