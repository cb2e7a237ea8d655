// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PlayStation 3 OtherOS disk label: LBA 0 holds two big-endian 64-bit magic
 * words (0x0FACE0FF, 0xDEADFACE) at bytes 16 and 24, then eight
 * (start, size) pairs of 64-bit big-endian sector counts at byte 48.
 */
#include <errno.h>

#include "kpartx/ptable.h"
#include "util/log.h"

#define PS3_MAGIC1 0x0FACE0FFull
#define PS3_MAGIC2 0xDEADFACEull

static int ps3_read(const struct pt_source *src, struct pt_slice *out, int max)
{
	uint8_t l[512];
	unsigned mul = pt_mul(src);
	int n = 0;

	if (pt_read(src, 0, l, 512) < 0 || get_be64(l + 16) != PS3_MAGIC1 ||
	    get_be64(l + 24) != PS3_MAGIC2)
		return 0;
	for (int i = 0; i < 8 && i < max; i++) {
		uint64_t start = get_be64(l + 48 + 16 * i);
		uint64_t size = get_be64(l + 56 + 16 * i);

		out[i] = (struct pt_slice){ 0 };
		if (!size)
			continue;
		if (start > UINT64_MAX / mul || size > UINT64_MAX / mul) {
			log_err("ps3: partition %d has an absurd size", i + 1);
			return -ERANGE;
		}
		out[i].start = start * mul;
		out[i].size = size * mul;
		n = i + 1;
	}
	return n;
}

const struct pt_reader pt_ps3 = { .name = "ps3", .read = ps3_read };
