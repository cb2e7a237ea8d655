// SPDX-License-Identifier: GPL-2.0-or-later
/* Decoders of vendor VPD pages (see vendor.h for the layouts' provenance). */
#include <errno.h>
#include <string.h>

#include "discovery/vendor.h"

int mp_rdac_c9_decode(const uint8_t *page, size_t len, struct mp_rdac_c9 *ret)
{
	if (len < 10 || page[1] != 0xc9 || memcmp(page + 4, "vac", 3))
		return -EINVAL;
	memset(ret, 0, sizeof(*ret));
	ret->lun_connected = (page[0] & 0xe0) == 0 && (page[0] & 0x1f) != 0x1f;
	ret->owner = page[8] & 0x01;
	ret->alua_valid = page[8] & 0x10;
	ret->ioship = page[8] & 0x20;
	ret->avt = page[8] & 0x80;
	ret->preferred = (page[9] & 0x0f) == 0x01;
	ret->secondary = (page[9] & 0x0f) == 0x02;
	if (len > 37)
		ret->aas = page[37] & 0x0f;
	else
		ret->alua_valid = false;
	return 0;
}

int mp_emc_c0_decode(const uint8_t *page, size_t len, struct mp_emc_c0 *ret)
{
	if (len < 9 || page[1] != 0xc0)
		return -EINVAL;
	ret->lun_state = page[4];
	ret->default_sp = page[5];
	ret->current_sp = page[8];
	return 0;
}
