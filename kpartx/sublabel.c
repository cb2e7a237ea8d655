// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Labels that live inside a DOS primary slice: BSD disklabel (types 0xa5,
 * 0xa6, 0xa9; label in the slice's second 512-byte sector, offsets
 * absolute), Solaris x86 VTOC (type 0x82 with the VTOC sanity word 0x600DDEEE;
 * offsets relative to the slice) and UnixWare (type 0x63; label in the
 * slice's 30th sector, offsets absolute).  Sub-partitions that are the
 * whole slice (or the whole-disk "backup" entry) or that stick out of the
 * slice are skipped, as the kernel does, since they would only alias or
 * overrun.  The standalone readers (-t bsd|solaris|unixware) look for the
 * label in the DOS primaries only and number its partitions from 1.
 */
#include <errno.h>
#include <string.h>

#include "kpartx/ptable.h"
#include "util/log.h"

#define BSD_MAGIC 0x82564557u
#define BSD_MAXPART 16
#define VTOC_SANE 0x600DDEEEu
#define SOL_MAXPART 16
#define UW_MAGIC 0xCA5E600Du
#define UW_MAXPART 16

static int add_sub(const struct pt_slice *parent, int parent_no, uint64_t start,
		   uint64_t size, struct pt_slice *out, int *n, int max,
		   const char *what)
{
	if (!size)
		return 0;
	if (start == parent->start && size == parent->size)
		return 0;
	if (start < parent->start || start - parent->start > parent->size ||
	    size > parent->size - (start - parent->start)) {
		log_info("%s: sub-partition at %llu outside slice %d ignored", what,
			 (unsigned long long)start, parent_no);
		return 0;
	}
	if (*n >= max) {
		log_warn("%s: too many partitions, rest ignored", what);
		return -E2BIG;
	}
	out[(*n)++] = (struct pt_slice){ .start = start, .size = size,
					 .container = parent_no };
	return 0;
}

int pt_nested_bsd(const struct pt_source *src, const struct pt_slice *parent,
		  int parent_no, struct pt_slice *out, int *n, int max)
{
	uint8_t l[512];
	unsigned np;

	if (parent->size < 2 || pt_read(src, (parent->start + 1) * 512, l, 512) < 0)
		return 0;
	if (get_le32(l) != BSD_MAGIC || get_le32(l + 132) != BSD_MAGIC)
		return 0;
	np = get_le16(l + 138);
	if (np > BSD_MAXPART) {
		log_warn("bsd: label claims %u partitions, reading %d", np, BSD_MAXPART);
		np = BSD_MAXPART;
	}
	for (unsigned i = 0; i < np; i++) {
		const uint8_t *p = l + 148 + 16 * i;

		if (add_sub(parent, parent_no, get_le32(p + 4), get_le32(p), out, n,
			    max, "bsd") < 0)
			break;
	}
	return 0;
}

int pt_nested_solaris(const struct pt_source *src, const struct pt_slice *parent,
		      int parent_no, struct pt_slice *out, int *n, int max)
{
	uint8_t l[512];

	if (parent->size < 2 || pt_read(src, (parent->start + 1) * 512, l, 512) < 0)
		return 0;
	if (get_le32(l + 12) != VTOC_SANE)
		return 0;       /* a Linux swap slice (also 0x82) */
	if (get_le32(l + 16) != 1) {
		log_err("solaris: VTOC version %u unsupported", get_le32(l + 16));
		return -EINVAL;
	}
	for (int i = 0; i < SOL_MAXPART; i++) {
		const uint8_t *p = l + 72 + 12 * i;
		uint64_t start = get_le32(p + 4), size = get_le32(p + 8);

		if (get_le16(p) == 5)   /* V_BACKUP: the whole slice */
			continue;
		if (add_sub(parent, parent_no, parent->start + start, size, out, n,
			    max, "solaris") < 0)
			break;
	}
	return 0;
}

int pt_nested_unixware(const struct pt_source *src,
		       const struct pt_slice *parent, int parent_no,
		       struct pt_slice *out, int *n, int max)
{
	uint8_t l[512];

	if (parent->size < 30 || pt_read(src, (parent->start + 29) * 512, l, 512) < 0)
		return 0;
	if (get_le32(l + 4) != UW_MAGIC || get_le32(l + 156) != VTOC_SANE)
		return 0;
	/* slice 0 describes the whole disk */
	for (int i = 1; i < UW_MAXPART; i++) {
		const uint8_t *p = l + 216 + 12 * i;

		if (get_le16(p) == 0)   /* unused */
			continue;
		if (add_sub(parent, parent_no, get_le32(p + 4), get_le32(p + 8), out,
			    n, max, "unixware") < 0)
			break;
	}
	return 0;
}

typedef int (*nested_fn)(const struct pt_source *, const struct pt_slice *, int,
			 struct pt_slice *, int *, int);

static int standalone(const struct pt_source *src, struct pt_slice *out,
		      int max, bool (*match)(uint8_t), nested_fn fn)
{
	uint8_t mbr[512];
	int n = 0;

	if (pt_read(src, 0, mbr, 512) < 0 || mbr[510] != 0x55 || mbr[511] != 0xaa)
		return 0;
	for (int i = 0; i < 4; i++) {
		const uint8_t *p = mbr + 446 + 16 * i;
		struct pt_slice s = { .start = (uint64_t)get_le32(p + 8) * pt_mul(src),
				      .size = (uint64_t)get_le32(p + 12) * pt_mul(src) };
		int r;

		if (!match(p[4]) || !s.size)
			continue;
		r = fn(src, &s, 0, out, &n, max);
		if (r < 0)
			return r;
		if (n)
			break;
	}
	return n;
}

static bool is_sol(uint8_t t) { return t == 0x82; }
static bool is_uw(uint8_t t) { return t == 0x63; }

static int bsd_read(const struct pt_source *src, struct pt_slice *out, int max)
{
	return standalone(src, out, max, pt_dos_is_bsd_type, pt_nested_bsd);
}
static int solaris_read(const struct pt_source *src, struct pt_slice *out, int max)
{
	return standalone(src, out, max, is_sol, pt_nested_solaris);
}
static int unixware_read(const struct pt_source *src, struct pt_slice *out, int max)
{
	return standalone(src, out, max, is_uw, pt_nested_unixware);
}

const struct pt_reader pt_bsd = { .name = "bsd", .read = bsd_read };
const struct pt_reader pt_solaris = { .name = "solaris", .read = solaris_read };
const struct pt_reader pt_unixware = { .name = "unixware", .read = unixware_read };
