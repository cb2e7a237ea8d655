// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Sun (SPARC) disk label: one big-endian 512-byte sector at LBA 0 with
 * magic 0xDABE at byte 508 and a 16-bit XOR checksum over the sector.
 * Eight partitions give a start cylinder and a sector count; cylinders
 * are converted with the label's heads x sectors-per-track.  The whole-disk
 * "backup" partition (VTOC id 5) is skipped: it aliases every other one.
 */
#include <errno.h>

#include "kpartx/ptable.h"
#include "util/log.h"

#define SUN_MAGIC 0xDABE
#define SUN_VTOC_SANE 0x600DDEEEu

static int sun_read(const struct pt_source *src, struct pt_slice *out, int max)
{
	uint8_t l[512];
	uint16_t x = 0;
	uint64_t spc;
	bool vtoc;
	int n = 0;

	if (pt_read(src, 0, l, 512) < 0 || get_be16(l + 508) != SUN_MAGIC)
		return 0;
	for (int i = 0; i < 512; i += 2)
		x ^= get_be16(l + i);
	if (x) {
		log_err("sun: label checksum mismatch");
		return -EBADMSG;
	}
	spc = (uint64_t)get_be16(l + 436) * get_be16(l + 438);
	vtoc = get_be32(l + 188) == SUN_VTOC_SANE;
	for (int i = 0; i < 8 && i < max; i++) {
		const uint8_t *p = l + 444 + 8 * i;
		uint64_t size = get_be32(p + 4);

		out[i] = (struct pt_slice){ 0 };
		if (!size)
			continue;
		if (vtoc ? get_be16(l + 142 + 4 * i) == 5
			 : (i == 2 && get_be32(p) == 0))
			continue;
		if (!spc) {
			log_err("sun: label has zero heads or sectors per track");
			return -EINVAL;
		}
		out[i].start = get_be32(p) * spc;
		out[i].size = size;
		n = i + 1;
	}
	return n;
}

const struct pt_reader pt_sun = { .name = "sun", .read = sun_read };
