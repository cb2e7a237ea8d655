// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * readsector0 (deprecated upstream, kept for configurations that name it):
 * READ(10) of logical block 0 through the async sg interface.
 */
#include "checkers/internal.h"

#define READ_LEN 4096           /* one block of any common size */

static const uint8_t read10_cdb[10] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 };

static enum mp_chk_state rs0_start(struct mp_check *c)
{
	return chk_sg_start(c, read10_cdb, sizeof(read10_cdb), READ_LEN);
}

static enum mp_chk_state rs0_complete(struct mp_check *c)
{
	struct mp_sense s;
	enum mp_sg_result res = mp_sg_classify(&c->sg->cmd, &s);

	if (res == SG_RES_OK) {
		chk_msg(c, "reports path is up");
		return PATH_UP;
	}
	if ((res == SG_RES_BUSY || (res == SG_RES_SENSE && s.key == SENSE_UNIT_ATTENTION)) &&
	    c->retries++ < 3 && chk_sg_submit(c, c->sg->cdb, c->sg->cmd.cdb_len, c->sg->cmd.data_len) == 0)
		return CHK_AGAIN;
	chk_msg(c, "reports path is down (read of block 0 failed)");
	return PATH_DOWN;
}

const struct mp_checker_ops mp_checker_readsector0 = {
	.name = "readsector0",
	.start = rs0_start,
	.complete = rs0_complete,
	.reap = chk_sg_reap,
	.fd = chk_sg_fd,
};
