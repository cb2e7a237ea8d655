// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Apple Partition Map.  Block 0 is the driver descriptor ('ER', with the
 * map's block size); blocks 1..N are 'PM' entries, the first giving N.
 * Starts and sizes are in map blocks.
 */
#include <errno.h>

#include "kpartx/ptable.h"
#include "util/log.h"

#define MAC_DDR_SIG 0x4552      /* "ER" */
#define MAC_PM_SIG 0x504D       /* "PM" */

static int mac_read(const struct pt_source *src, struct pt_slice *out, int max)
{
	uint8_t b[512];
	unsigned bs, mul;
	uint32_t count = 1;
	int n = 0;

	if (pt_read(src, 0, b, 512) < 0 || get_be16(b) != MAC_DDR_SIG)
		return 0;
	bs = get_be16(b + 2);
	if (bs < 512 || bs % 512 || bs > 32768)
		bs = 512;
	mul = bs / 512;
	for (uint32_t i = 1; i <= count; i++) {
		if (pt_read(src, (uint64_t)i * bs, b, 512) < 0) {
			log_err("mac: partition map entry %u beyond device end", i);
			return -ERANGE;
		}
		if (get_be16(b) != MAC_PM_SIG) {
			if (i == 1)
				return 0;
			log_err("mac: partition map entry %u has no PM signature", i);
			return -EBADMSG;
		}
		if (i == 1) {
			count = get_be32(b + 4);
			if (count == 0 || count > (uint32_t)max) {
				log_err("mac: partition map claims %u entries", count);
				return -EINVAL;
			}
		}
		out[n++] = (struct pt_slice){
			.start = (uint64_t)get_be32(b + 8) * mul,
			.size = (uint64_t)get_be32(b + 12) * mul,
		};
	}
	return n;
}

const struct pt_reader pt_mac = { .name = "mac", .read = mac_read };
