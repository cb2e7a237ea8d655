// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * GUID partition table (UEFI spec, chapter 5).  The primary header at LBA 1
 * is used when its header CRC, entry-array CRC and fields are sound;
 * otherwise the alternate header at the last LBA.  Without a protective
 * MBR (a type 0xEE entry in LBA 0) the disk is not treated as GPT unless
 * forced (-g), because a stale GPT behind a newer DOS table is common.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kpartx/ptable.h"
#include "util/log.h"

bool pt_gpt_force;

#define GPT_SIG "EFI PART"
#define GPT_HDR_MIN 92

struct gpt_hdr {
	uint64_t my_lba, alt_lba, first_usable, last_usable, entries_lba;
	uint32_t n_entries, entry_size, entries_crc;
};

static bool has_protective_mbr(const struct pt_source *src)
{
	uint8_t mbr[512];

	if (pt_read(src, 0, mbr, sizeof(mbr)) < 0)
		return false;
	if (mbr[510] != 0x55 || mbr[511] != 0xaa)
		return false;
	for (int i = 0; i < 4; i++)
		if (mbr[446 + 16 * i + 4] == 0xee)
			return true;
	return false;
}

/* Parse and check the header sector at `lba`; 0 on success. */
static int gpt_header(const struct pt_source *src, uint64_t lba,
		      struct gpt_hdr *h, const char *which)
{
	_cleanup_free_ uint8_t *b = NULL;
	uint64_t last = src->size / src->sector_size - 1;
	uint32_t hsize, crc;
	int r;

	b = pt_read_lba(src, lba, &r);
	if (!b)
		return r;
	if (memcmp(b, GPT_SIG, 8))
		return -ENOENT;
	hsize = get_le32(b + 12);
	if (hsize < GPT_HDR_MIN || hsize > src->sector_size) {
		log_err("gpt: %s header size %u invalid", which, hsize);
		return -EINVAL;
	}
	crc = get_le32(b + 16);
	memset(b + 16, 0, 4);
	if (pt_crc32(0, b, hsize) != crc) {
		log_err("gpt: %s header CRC32 mismatch", which);
		return -EBADMSG;
	}
	h->my_lba = get_le64(b + 24);
	h->alt_lba = get_le64(b + 32);
	h->first_usable = get_le64(b + 40);
	h->last_usable = get_le64(b + 48);
	h->entries_lba = get_le64(b + 72);
	h->n_entries = get_le32(b + 80);
	h->entry_size = get_le32(b + 84);
	h->entries_crc = get_le32(b + 88);
	if (h->my_lba != lba) {
		log_err("gpt: %s header claims LBA %llu, found at %llu", which,
			(unsigned long long)h->my_lba, (unsigned long long)lba);
		return -EINVAL;
	}
	if (h->first_usable > h->last_usable || h->last_usable > last) {
		log_err("gpt: %s header usable range %llu-%llu beyond device end",
			which, (unsigned long long)h->first_usable,
			(unsigned long long)h->last_usable);
		return -ERANGE;
	}
	if (h->entry_size < 128 || h->entry_size % 8 ||
	    (uint64_t)h->entry_size * h->n_entries > PT_MAX_META_BYTES) {
		log_err("gpt: %s header: %u entries of %u bytes is absurd", which,
			h->n_entries, h->entry_size);
		return -EINVAL;
	}
	return 0;
}

static uint8_t *gpt_entries(const struct pt_source *src,
			    const struct gpt_hdr *h, const char *which, int *err)
{
	size_t len = (size_t)h->n_entries * h->entry_size;
	uint8_t *e;
	int r;

	if (h->entries_lba > UINT64_MAX / src->sector_size) {
		*err = -ERANGE;
		return NULL;
	}
	e = malloc(len ? len : 1);
	if (!e) {
		*err = -ENOMEM;
		return NULL;
	}
	r = pt_read(src, h->entries_lba * src->sector_size, e, len);
	if (r < 0) {
		log_err("gpt: %s partition entries beyond device end", which);
		free(e);
		*err = r;
		return NULL;
	}
	if (pt_crc32(0, e, len) != h->entries_crc) {
		log_err("gpt: %s partition entries CRC32 mismatch", which);
		free(e);
		*err = -EBADMSG;
		return NULL;
	}
	return e;
}

static int gpt_fill(const struct pt_source *src, const struct gpt_hdr *h,
		    const uint8_t *e, struct pt_slice *out, int max)
{
	static const uint8_t zero[16];
	unsigned mul = pt_mul(src);
	int n = 0;

	for (uint32_t i = 0; i < h->n_entries; i++) {
		const uint8_t *p = e + (size_t)i * h->entry_size;
		uint64_t first = get_le64(p + 32), last = get_le64(p + 40);

		if (!memcmp(p, zero, 16))
			continue;
		if (i >= (uint32_t)max) {
			log_warn("gpt: partition %u and later ignored (limit %d)",
				 i + 1, max);
			break;
		}
		if (last < first || first < h->first_usable ||
		    last > h->last_usable) {
			log_err("gpt: partition %u (LBA %llu-%llu) outside the usable area",
				i + 1, (unsigned long long)first,
				(unsigned long long)last);
			return -ERANGE;
		}
		while (n < (int)i)
			out[n++] = (struct pt_slice){ 0 };
		out[n++] = (struct pt_slice){ .start = first * mul,
					      .size = (last - first + 1) * mul };
	}
	return n;
}

static int gpt_read(const struct pt_source *src, struct pt_slice *out, int max)
{
	_cleanup_free_ uint8_t *e = NULL;
	struct gpt_hdr h;
	uint64_t nlba = src->size / src->sector_size;
	int r, ra, err = 0;

	if (nlba < 3)
		return 0;
	if (!has_protective_mbr(src) && !pt_gpt_force) {
		if (gpt_header(src, 1, &h, "primary") == 0)
			log_info("gpt: header found but no protective MBR; use -g to force");
		return 0;
	}
	r = gpt_header(src, 1, &h, "primary");
	if (r == 0)
		e = gpt_entries(src, &h, "primary", &err);
	if (!e) {
		ra = gpt_header(src, nlba - 1, &h, "alternate");
		if (ra == -ENOENT && r == -ENOENT)
			return 0;
		if (ra == 0)
			e = gpt_entries(src, &h, "alternate", &err);
		if (!e) {
			log_err("gpt: no valid GPT header (primary and alternate bad)");
			return -EBADMSG;
		}
		log_warn("gpt: primary GPT is bad, using the alternate at LBA %llu",
			 (unsigned long long)(nlba - 1));
	}
	return gpt_fill(src, &h, e, out, max);
}

const struct pt_reader pt_gpt = { .name = "gpt", .read = gpt_read };
