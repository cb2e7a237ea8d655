// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rdac: NetApp E-Series / LSI RDAC arrays, INQUIRY VPD 0xC9 (volume
 * access control).  A LUN not connected or a port group reported
 * unavailable is down; the owning controller (or any controller in I/O
 * shipping mode) is up; the other controller is ghost.
 */
#include "checkers/internal.h"
#include "discovery/vendor.h"

#define AAS_UNAVAILABLE 0x3

static const uint8_t inqc9_cdb[6] = { 0x12, 0x01, 0xc9, 0x00, RDAC_C9_LEN, 0x00 };

static enum mp_chk_state rdac_start(struct mp_check *c)
{
	return chk_sg_start(c, inqc9_cdb, sizeof(inqc9_cdb), RDAC_C9_LEN);
}

static enum mp_chk_state rdac_complete(struct mp_check *c)
{
	struct mp_rdac_c9 v;

	if (mp_sg_classify(&c->sg->cmd, NULL) != SG_RES_OK ||
	    mp_rdac_c9_decode(c->data, RDAC_C9_LEN - c->sg->cmd.resid, &v) < 0) {
		chk_msg(c, "reports path is down (volume access query failed)");
		return PATH_DOWN;
	}
	if (!v.lun_connected) {
		chk_msg(c, "reports path is down (LUN not connected)");
		return PATH_DOWN;
	}
	if (v.alua_valid && v.aas == AAS_UNAVAILABLE) {
		chk_msg(c, "reports path is down (target port group unavailable)");
		return PATH_DOWN;
	}
	if (v.owner || v.ioship) {
		chk_msg(c, "reports path is up (%s)", v.owner ? "owner" : "I/O shipping");
		return PATH_UP;
	}
	chk_msg(c, "reports path is ghost (non-owning controller)");
	return PATH_GHOST;
}

const struct mp_checker_ops mp_checker_rdac = {
	.name = "rdac",
	.start = rdac_start,
	.complete = rdac_complete,
	.reap = chk_sg_reap,
	.fd = chk_sg_fd,
};
