// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IBM DASD (ECKD) volume labels, from the public z/OS DFSMS and Linux on
 * IBM Z format descriptions.  The label is in block 2 (record 3 of track
 * 0) and starts with an EBCDIC identifier:
 *   "LNX1"/"CMS1"  LDL/CMS: one partition from block 3 to the end (or to
 *                  `formatted_blocks` for LDL version >= '2');
 *   "VOL1"         CDL: the label's VTOC pointer (CCHHR at byte 15) leads to
 *                  the format-4 DSCB; the format-1/8 DSCBs after it describe
 *                  one extent each (CCHH low/high at bytes 107/111), which
 *                  become partitions 1..N.
 * Track geometry comes from HDIO_GETGEO on a real device; images are
 * assumed to be 3390 (15 heads, blocks per track by block size).  The block
 * size is the device's logical sector size, or probed on images.
 */
#include <errno.h>
#include <linux/hdreg.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kpartx/ptable.h"
#include "util/log.h"

#define DASD_LABEL_BLOCK 2
#define DASD_MAX_DSCB 256

static const uint8_t EBC_VOL1[4] = { 0xE5, 0xD6, 0xD3, 0xF1 };
static const uint8_t EBC_LNX1[4] = { 0xD3, 0xD5, 0xE7, 0xF1 };
static const uint8_t EBC_CMS1[4] = { 0xC3, 0xD4, 0xE2, 0xF1 };
#define EBC_1 0xF1
#define EBC_2 0xF2
#define EBC_4 0xF4
#define EBC_8 0xF8

struct dasd_geo {
	unsigned bs, heads, spt;        /* block size, heads, blocks per track */
};

static unsigned spt_3390(unsigned bs)
{
	switch (bs) {
	case 512: return 49;
	case 1024: return 33;
	case 2048: return 19;
	default: return 12;
	}
}

static int probe_label(const struct pt_source *src, struct dasd_geo *g,
		       uint8_t *l)
{
	static const unsigned sizes[] = { 4096, 2048, 1024, 512 };

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned bs = sizes[i];

		if (src->sector_size > 512 && bs != src->sector_size)
			continue;
		if (pt_read(src, (uint64_t)DASD_LABEL_BLOCK * bs, l, 512) < 0)
			continue;
		if (memcmp(l, EBC_VOL1, 4) && memcmp(l, EBC_LNX1, 4) &&
		    memcmp(l, EBC_CMS1, 4))
			continue;
		g->bs = bs;
		g->heads = 15;
		g->spt = spt_3390(bs);
		if (src->fd >= 0) {
			struct hd_geometry hg;

			if (ioctl(src->fd, HDIO_GETGEO, &hg) == 0 && hg.heads &&
			    hg.sectors) {
				g->heads = hg.heads;
				g->spt = hg.sectors;
			}
		}
		return 0;
	}
	return -ENOENT;
}

/* Track address (cylinder, head) to block number; large-volume cylinders
 * keep their high bits in the upper 12 bits of the head field. */
static uint64_t cchh2blk(const uint8_t *p, const struct dasd_geo *g)
{
	uint64_t cyl = get_be16(p) | (uint64_t)(get_be16(p + 2) & 0xfff0) << 12;
	uint64_t head = get_be16(p + 2) & 0xf;

	return (cyl * g->heads + head) * g->spt;
}

static int dasd_ldl(const struct pt_source *src, const struct dasd_geo *g,
		    const uint8_t *l, struct pt_slice *out)
{
	uint64_t start = (uint64_t)(DASD_LABEL_BLOCK + 1) * (g->bs / 512);
	uint64_t end = pt_sectors512(src);

	if (!memcmp(l, EBC_LNX1, 4) && l[79] >= EBC_2) {
		uint64_t fb = get_be64(l + 80);

		if (fb && fb <= end / (g->bs / 512))
			end = fb * (g->bs / 512);
	}
	if (end <= start) {
		log_err("dasd: volume too small for its label");
		return -ERANGE;
	}
	out[0] = (struct pt_slice){ .start = start, .size = end - start };
	return 1;
}

static int dasd_cdl(const struct pt_source *src, const struct dasd_geo *g,
		    const uint8_t *l, struct pt_slice *out, int max)
{
	unsigned mul = g->bs / 512;
	uint64_t blk = cchh2blk(l + 15, g) + l[19] - 1;
	uint8_t d[140];
	int n = 0;

	/* records count from 1: the F4 DSCB is block (record - 1) of its track */
	if (!l[19]) {
		log_err("dasd: VTOC pointer has record 0");
		return -EINVAL;
	}
	for (int i = 0; i < DASD_MAX_DSCB; i++, blk++) {
		uint64_t lo, hi;

		if (blk > UINT64_MAX / g->bs || pt_read(src, blk * g->bs, d, sizeof(d)) < 0) {
			log_err("dasd: VTOC runs beyond device end");
			return -ERANGE;
		}
		if (i == 0 && d[44] != EBC_4) {
			log_err("dasd: VTOC does not start with a format-4 DSCB");
			return -EINVAL;
		}
		if (i == 0)
			continue;
		if (d[44] != EBC_1 && d[44] != EBC_8)
			break;
		if (n >= max)
			break;
		lo = cchh2blk(d + 107, g);
		hi = cchh2blk(d + 111, g) + g->spt;
		if (hi <= lo) {
			log_err("dasd: data set %d has an inverted extent", n + 1);
			return -EINVAL;
		}
		out[n++] = (struct pt_slice){ .start = lo * mul, .size = (hi - lo) * mul };
	}
	return n;
}

static int dasd_read(const struct pt_source *src, struct pt_slice *out, int max)
{
	struct dasd_geo g;
	uint8_t l[512];

	if (max < 1 || probe_label(src, &g, l) < 0)
		return 0;
	if (!memcmp(l, EBC_VOL1, 4))
		return dasd_cdl(src, &g, l, out, max);
	return dasd_ldl(src, &g, l, out);
}

const struct pt_reader pt_dasd = { .name = "dasd", .read = dasd_read };
