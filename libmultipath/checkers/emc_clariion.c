// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * emc_clariion: CLARiiON/VNX vendor page INQUIRY EVPD 0xC0 (SP info).
 * Layout used (as the kernel's scsi_dh_emc reads it): byte 4 LUN state
 * (0 unbound, 1 bound to the other SP, 2 owned by this SP), byte 5 default
 * SP, byte 8 current SP, bytes 10..25 the LUN WWN.  Unbound LUNs and a LUN
 * whose WWN changed under the path are down; owned and passive paths are
 * both up (the array trespasses on demand, so passive is not ghost).  On
 * the owning path block 0 is also read: an inactive snapshot LUN answers
 * the page but fails reads.
 * Untested against real arrays: unit-tested with crafted pages.
 */
#include <stdlib.h>
#include <string.h>

#include "checkers/internal.h"
#include "discovery/vendor.h"

#define EMC_PAGE_LEN 0xfc
#define WWN_OFF 10
#define WWN_LEN 16

struct emc_priv {
	bool have_wwn;
	uint8_t wwn[WWN_LEN];
};

static const uint8_t inqc0_cdb[6] = { 0x12, 0x01, 0xc0, 0x00, EMC_PAGE_LEN, 0x00 };
static const uint8_t read10_cdb[10] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 };

static enum mp_chk_state emc_start(struct mp_check *c)
{
	if (!c->priv && !(c->priv = calloc(1, sizeof(struct emc_priv)))) {
		chk_msg(c, "out of memory");
		return PATH_UNCHECKED;
	}
	return chk_sg_start(c, inqc0_cdb, sizeof(inqc0_cdb), EMC_PAGE_LEN);
}

static enum mp_chk_state emc_read_done(struct mp_check *c)
{
	if (mp_sg_classify(&c->sg->cmd, NULL) != SG_RES_OK) {
		chk_msg(c, "reports path is down (owner cannot read block 0: inactive snapshot?)");
		return PATH_DOWN;
	}
	chk_msg(c, "reports path is up (owner)");
	return PATH_UP;
}

static enum mp_chk_state emc_complete(struct mp_check *c)
{
	struct emc_priv *p = c->priv;
	const uint8_t *d = c->data;
	struct mp_emc_c0 v;

	if (c->step == 1)
		return emc_read_done(c);
	if (mp_sg_classify(&c->sg->cmd, NULL) != SG_RES_OK ||
	    mp_emc_c0_decode(d, EMC_PAGE_LEN - c->sg->cmd.resid, &v) < 0) {
		chk_msg(c, "reports path is down (SP info query failed)");
		return PATH_DOWN;
	}
	if (v.lun_state == 0) {
		chk_msg(c, "reports path is down (unbound LUN)");
		return PATH_DOWN;
	}
	if (p->have_wwn && memcmp(p->wwn, d + WWN_OFF, WWN_LEN)) {
		chk_msg(c, "reports path is down (LUN WWN changed)");
		return PATH_DOWN;
	}
	memcpy(p->wwn, d + WWN_OFF, WWN_LEN);
	p->have_wwn = true;
	if (v.lun_state == 2) {
		c->step = 1;
		if (chk_sg_submit(c, read10_cdb, sizeof(read10_cdb), 4096) == 0)
			return CHK_AGAIN;
		chk_msg(c, "reports path is down (cannot send READ)");
		return PATH_DOWN;
	}
	chk_msg(c, "reports path is up (passive)");
	return PATH_UP;
}

static void emc_free(struct mp_check *c)
{
	free(c->priv);
}

const struct mp_checker_ops mp_checker_emc_clariion = {
	.name = "emc_clariion",
	.start = emc_start,
	.complete = emc_complete,
	.reap = chk_sg_reap,
	.fd = chk_sg_fd,
	.free = emc_free,
};
