// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tur: TEST UNIT READY through the async sg interface.  The sense data
 * carries more than up/down: an ALUA standby port answers NOT READY 04/0B
 * (ghost), a port in ALUA transition 04/0A (pending), a LUN that is gone
 * for good ILLEGAL REQUEST 25/00 (disconnected).  Unit attentions and busy
 * replies are retried a few times before the path is called down.
 */
#include "checkers/internal.h"

#define TUR_RETRIES 3

static const uint8_t tur_cdb[6] = { 0x00, 0, 0, 0, 0, 0 };

static enum mp_chk_state tur_start(struct mp_check *c)
{
	return chk_sg_start(c, tur_cdb, sizeof(tur_cdb), 0);
}

static enum mp_chk_state retry(struct mp_check *c, const char *why)
{
	if (c->retries++ < TUR_RETRIES &&
	    chk_sg_submit(c, c->sg->cdb, c->sg->cmd.cdb_len, c->sg->cmd.data_len) == 0)
		return CHK_AGAIN;
	chk_msg(c, "reports path is down (%s, retries exhausted)", why);
	return PATH_DOWN;
}

static enum mp_chk_state sense_verdict(struct mp_check *c, const struct mp_sense *s)
{
	if (s->key == SENSE_UNIT_ATTENTION || s->key == SENSE_ABORTED_COMMAND)
		return retry(c, "unit attention");
	if (s->key == SENSE_NOT_READY && s->asc == 0x04 && s->ascq == 0x0b) {
		chk_msg(c, "reports path is in standby state");
		return PATH_GHOST;
	}
	if (s->key == SENSE_NOT_READY && s->asc == 0x04 && s->ascq == 0x0a) {
		chk_msg(c, "reports path is in ALUA transition");
		return PATH_PENDING;
	}
	if (s->key == SENSE_ILLEGAL_REQUEST && s->asc == 0x25 && s->ascq == 0x00) {
		chk_msg(c, "reports logical unit not supported (disconnected)");
		return PATH_DISCONNECTED;
	}
	chk_msg(c, "reports path is down (sense %x/%02x/%02x)", s->key, s->asc, s->ascq);
	return PATH_DOWN;
}

enum mp_chk_state chk_tur_verdict(struct mp_check *c)
{
	struct mp_sense s;

	switch (mp_sg_classify(&c->sg->cmd, &s)) {
	case SG_RES_OK:
		chk_msg(c, "reports path is up");
		return PATH_UP;
	case SG_RES_RESV_CONFLICT:
		chk_msg(c, "reports path is up (reservation conflict)");
		return PATH_UP;
	case SG_RES_BUSY:
		return retry(c, "busy");
	case SG_RES_SENSE:
		return sense_verdict(c, &s);
	case SG_RES_TRANSPORT:
		chk_msg(c, "reports path is down (host status 0x%x)", c->sg->cmd.host_status);
		return PATH_DOWN;
	default:
		chk_msg(c, "reports path is down (status 0x%x)", c->sg->cmd.status);
		return PATH_DOWN;
	}
}

const struct mp_checker_ops mp_checker_tur = {
	.name = "tur",
	.start = tur_start,
	.complete = chk_tur_verdict,
	.reap = chk_sg_reap,
	.fd = chk_sg_fd,
};
