// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Vendor prioritizers built on one SCSI command each: emc (CLARiiON SP
 * info, VPD 0xC0), rdac (volume access, VPD 0xC9), hp_sw (TEST UNIT READY
 * on active/standby arrays).  Page layouts: discovery/vendor.h.  These can
 * only be unit-tested with crafted replies.
 */
#include <string.h>

#include "discovery/vendor.h"
#include "prioritizers/internal.h"

/* emc: owning SP 1, + 2 when this path goes to the LUN's default SP. */
static int emc_prio(struct mp_prio_ctx *c)
{
	uint8_t page[EMC_C0_LEN];
	struct mp_emc_c0 v;
	int fd = prio_fd(c), r;

	if (fd < 0)
		return MP_PRIO_UNDEF;
	r = mp_scsi_inquiry(fd, true, 0xc0, page, sizeof(page), c->timeout_ms);
	if (r < 0 || mp_emc_c0_decode(page, (size_t)r, &v) < 0)
		return MP_PRIO_UNDEF;
	if (v.lun_state == 0)
		return 0;       /* unbound */
	return (v.lun_state == 2 ? 1 : 0) + (v.default_sp == v.current_sp ? 2 : 0);
}

const struct mp_prio_ops mp_prio_emc = { .name = "emc", .getprio = emc_prio };

/* rdac: preferred controller 4 (secondary 1), + 2 for the current owner
 * (or I/O shipping, where every controller serves I/O). */
static int rdac_prio(struct mp_prio_ctx *c)
{
	uint8_t page[RDAC_C9_LEN];
	struct mp_rdac_c9 v;
	int fd = prio_fd(c), r, prio = 0;

	if (fd < 0)
		return MP_PRIO_UNDEF;
	r = mp_scsi_inquiry(fd, true, 0xc9, page, sizeof(page), c->timeout_ms);
	if (r < 0 || mp_rdac_c9_decode(page, (size_t)r, &v) < 0)
		return MP_PRIO_UNDEF;
	if (v.preferred)
		prio += 4;
	else if (v.secondary)
		prio += 1;
	if (v.owner || v.ioship)
		prio += 2;
	return prio;
}

const struct mp_prio_ops mp_prio_rdac = { .name = "rdac", .getprio = rdac_prio };

/* hp_sw: TUR good → active 4; NOT READY 04/02 (needs START UNIT: the
 * standby controller) → 2; anything else 0. */
static int hpsw_prio(struct mp_prio_ctx *c)
{
	static const uint8_t tur[6] = { 0 };
	struct mp_sense s = { 0 };
	int fd = prio_fd(c), r;

	if (fd < 0)
		return MP_PRIO_UNDEF;
	r = mp_scsi_run(fd, tur, sizeof(tur), NULL, 0, c->timeout_ms, &s);
	if (r >= 0)
		return 4;
	if (r == -EIO && s.key == SENSE_NOT_READY && s.asc == 0x04 && s.ascq == 0x02)
		return 2;
	return 0;
}

const struct mp_prio_ops mp_prio_hp_sw = { .name = "hp_sw", .getprio = hpsw_prio };
