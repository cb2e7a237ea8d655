// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * DOS/MBR tables: four primary entries in LBA 0, logical partitions in a
 * chain of extended boot records (EBRs) inside the extended partition.
 * Logical entries are relative to their EBR, chain links relative to the
 * start of the outermost extended partition.  The chain is walked with a
 * visited list, so a looping chain is reported instead of spinning.
 * Extended partitions get a two-(512)-sector stub map like the kernel's,
 * so boot loaders can be installed there; logicals are numbered from 5.
 * BSD, Solaris x86 and UnixWare labels inside primary slices are appended
 * after the logicals.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kpartx/ptable.h"
#include "util/log.h"

#define DOS_MAX_LOGICAL 128

struct dos_entry {
	uint8_t boot, type;
	uint32_t start, size;
};

static void dos_entry_get(const uint8_t *sec, int i, struct dos_entry *e)
{
	const uint8_t *p = sec + 446 + 16 * i;

	e->boot = p[0];
	e->type = p[4];
	e->start = get_le32(p + 8);
	e->size = get_le32(p + 12);
}

static bool is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

bool pt_dos_is_bsd_type(uint8_t type)
{
	return type == 0xa5 || type == 0xa6 || type == 0xa9;
}

/* Read the 512-byte boot record at logical sector lba. */
static int read_record(const struct pt_source *src, uint64_t lba, uint8_t *sec)
{
	int r;

	if (lba > UINT64_MAX / src->sector_size)
		return -ERANGE;
	r = pt_read(src, lba * src->sector_size, sec, 512);
	if (r < 0)
		return r;
	if (sec[510] != 0x55 || sec[511] != 0xaa)
		return -ENOENT;
	return 0;
}

static int walk_ebrs(const struct pt_source *src, const struct dos_entry *ext,
		     int ext_no, struct pt_slice *out, int *n, int max)
{
	uint64_t visited[DOS_MAX_LOGICAL];
	uint64_t here = ext->start, ext_end = (uint64_t)ext->start + ext->size;
	unsigned mul = pt_mul(src);
	int nvisited = 0;

	for (;;) {
		uint8_t sec[512];
		bool more = false;
		int r;

		for (int v = 0; v < nvisited; v++)
			if (visited[v] == here) {
				log_err("dos: extended partition chain loops at sector %llu",
					(unsigned long long)here);
				return -ELOOP;
			}
		if (nvisited == DOS_MAX_LOGICAL) {
			log_err("dos: more than %d logical partitions", DOS_MAX_LOGICAL);
			return -E2BIG;
		}
		visited[nvisited++] = here;
		r = read_record(src, here, sec);
		if (r == -ENOENT)
			return 0;       /* chain ends without signature: stop */
		if (r < 0) {
			log_err("dos: extended boot record at sector %llu beyond device end",
				(unsigned long long)here);
			return r;
		}
		for (int i = 0; i < 4; i++) {
			struct dos_entry e;

			dos_entry_get(sec, i, &e);
			if (!e.type || !e.size)
				continue;
			if (is_extended(e.type)) {
				if (more)
					continue;
				if (e.start == 0 || (uint64_t)ext->start + e.start >= ext_end) {
					log_err("dos: extended boot record link outside the extended partition");
					return -ERANGE;
				}
				here = (uint64_t)ext->start + e.start;
				more = true;
				continue;
			}
			if (*n >= max) {
				log_warn("dos: too many partitions, rest ignored");
				return 0;
			}
			out[(*n)++] = (struct pt_slice){
				.start = (here + e.start) * mul,
				.size = (uint64_t)e.size * mul,
				.container = ext_no,
			};
		}
		if (!more)
			return 0;
	}
}

static int dos_nested(const struct pt_source *src, const uint8_t *mbr,
		      struct pt_slice *out, int *n, int max)
{
	for (int i = 0; i < 4; i++) {
		struct dos_entry e;
		int r = 0;

		dos_entry_get(mbr, i, &e);
		if (!out[i].size)
			continue;
		if (pt_dos_is_bsd_type(e.type))
			r = pt_nested_bsd(src, &out[i], i + 1, out, n, max);
		else if (e.type == 0x82)
			r = pt_nested_solaris(src, &out[i], i + 1, out, n, max);
		else if (e.type == 0x63)
			r = pt_nested_unixware(src, &out[i], i + 1, out, n, max);
		if (r < 0)
			return r;
	}
	return 0;
}

static int dos_read(const struct pt_source *src, struct pt_slice *out, int max)
{
	struct dos_entry e[4];
	uint8_t mbr[512];
	unsigned mul = pt_mul(src);
	int n = 4, ext_seen = 0, r;

	if (max < 4 || read_record(src, 0, mbr) < 0)
		return 0;
	for (int i = 0; i < 4; i++) {
		dos_entry_get(mbr, i, &e[i]);
		if (e[i].type == 0xee)
			return 0;       /* protective MBR: GPT's business */
		if (e[i].boot != 0 && e[i].boot != 0x80)
			return 0;       /* a boot sector, not a partition table */
	}
	for (int i = 0; i < 4; i++) {
		out[i] = (struct pt_slice){ 0 };
		if (!e[i].type || !e[i].size)
			continue;
		out[i].start = (uint64_t)e[i].start * mul;
		out[i].size = (uint64_t)e[i].size * mul;
		if (!is_extended(e[i].type))
			continue;
		out[i].is_container = true;
		out[i].size = MP_MIN(out[i].size, (uint64_t)MP_MAX(2u, mul));
		if (ext_seen++) {
			log_warn("dos: more than one extended partition, partition %d ignored",
				 i + 1);
			continue;
		}
		r = walk_ebrs(src, &e[i], i + 1, out, &n, max);
		if (r < 0)
			return r;
	}
	r = dos_nested(src, mbr, out, &n, max);
	if (r < 0)
		return r;
	while (n > 0 && !out[n - 1].size)
		n--;
	return n;       /* 0 if empty: lets other readers look */
}

const struct pt_reader pt_dos = { .name = "dos", .read = dos_read };
