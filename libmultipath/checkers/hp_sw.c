// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hp_sw: active/standby HP arrays (HSG80, MSA1000, early EVA).  The
 * standby controller answers INQUIRY but fails TEST UNIT READY: VPD 0x80
 * succeeding and TUR failing means a passive (ghost) path.
 */
#include "checkers/internal.h"

static const uint8_t inq80_cdb[6] = { 0x12, 0x01, 0x80, 0x00, 0xff, 0x00 };
static const uint8_t tur_cdb[6] = { 0x00, 0, 0, 0, 0, 0 };

static enum mp_chk_state hpsw_start(struct mp_check *c)
{
	return chk_sg_start(c, inq80_cdb, sizeof(inq80_cdb), 0xff);
}

static enum mp_chk_state hpsw_complete(struct mp_check *c)
{
	enum mp_sg_result res = mp_sg_classify(&c->sg->cmd, NULL);

	if (c->step == 0) {
		if (res != SG_RES_OK) {
			chk_msg(c, "reports path is down (INQUIRY failed)");
			return PATH_DOWN;
		}
		c->step = 1;
		if (chk_sg_submit(c, tur_cdb, sizeof(tur_cdb), 0) < 0) {
			chk_msg(c, "cannot send TEST UNIT READY");
			return PATH_DOWN;
		}
		return CHK_AGAIN;
	}
	switch (res) {
	case SG_RES_OK:
	case SG_RES_RESV_CONFLICT:
		chk_msg(c, "reports path is up");
		return PATH_UP;
	case SG_RES_TRANSPORT:
		chk_msg(c, "reports path is down (host status 0x%x)", c->sg->cmd.host_status);
		return PATH_DOWN;
	default:
		chk_msg(c, "reports path is ghost (passive controller)");
		return PATH_GHOST;
	}
}

const struct mp_checker_ops mp_checker_hp_sw = {
	.name = "hp_sw",
	.start = hpsw_start,
	.complete = hpsw_complete,
	.reap = chk_sg_reap,
	.fd = chk_sg_fd,
};
