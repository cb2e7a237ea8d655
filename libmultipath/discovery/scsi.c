// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Sense decoding and synchronous command helpers.  The asynchronous path
 * (checkers) shares mp_sg_classify() so both see the same verdicts.
 */
#include <errno.h>
#include <string.h>

#include "discovery/scsi.h"
#include "util/macro.h"

/* host_status values that mean the command never reached a working path */
#define DID_NO_CONNECT 0x01
#define DID_BUS_BUSY 0x02
#define DID_TIME_OUT 0x03
#define DID_BAD_TARGET 0x04
#define DID_ABORT 0x05
#define DID_ERROR 0x07
#define DID_RESET 0x08
#define DID_SOFT_ERROR 0x0b
#define DID_IMM_RETRY 0x0c
#define DID_REQUEUE 0x0d
#define DID_TRANSPORT_DISRUPTED 0x0e
#define DID_TRANSPORT_FAILFAST 0x0f
#define DRIVER_SENSE 0x08

bool mp_sense_parse(const uint8_t *sense, size_t len, struct mp_sense *ret)
{
	uint8_t code;

	if (!sense || len < 2)
		return false;
	code = sense[0] & 0x7f;
	if (code == 0x72 || code == 0x73) {
		if (len < 4)
			return false;
		ret->key = sense[1] & 0x0f;
		ret->asc = sense[2];
		ret->ascq = sense[3];
		return true;
	}
	if (code == 0x70 || code == 0x71) {
		if (len < 3)
			return false;
		ret->key = sense[2] & 0x0f;
		ret->asc = len > 12 ? sense[12] : 0;
		ret->ascq = len > 13 ? sense[13] : 0;
		return true;
	}
	return false;
}

static enum mp_sg_result classify_host(uint16_t host)
{
	switch (host) {
	case DID_BUS_BUSY:
	case DID_IMM_RETRY:
	case DID_REQUEUE:
	case DID_SOFT_ERROR:
	case DID_TRANSPORT_DISRUPTED:
		return SG_RES_BUSY;
	default:
		return SG_RES_TRANSPORT;
	}
}

enum mp_sg_result mp_sg_classify(const struct mp_sg_cmd *cmd, struct mp_sense *sense)
{
	struct mp_sense s = { 0 };
	bool have = mp_sense_parse(cmd->sense, cmd->sense_len, &s);

	if (sense)
		*sense = s;
	if (cmd->host_status)
		return classify_host(cmd->host_status);
	if (cmd->status == SCSI_STATUS_RESERVATION_CONFLICT)
		return SG_RES_RESV_CONFLICT;
	if (cmd->status == SCSI_STATUS_BUSY || cmd->status == 0x28 /* TASK SET FULL */)
		return SG_RES_BUSY;
	if (cmd->status == SCSI_STATUS_CHECK_CONDITION ||
	    (cmd->driver_status & 0x0f) == DRIVER_SENSE) {
		if (!have)
			return SG_RES_ERROR;
		if (s.key == SENSE_NO_SENSE || s.key == SENSE_RECOVERED_ERROR)
			return SG_RES_OK;
		return SG_RES_SENSE;
	}
	if (cmd->status != SCSI_STATUS_GOOD)
		return SG_RES_ERROR;
	if (cmd->driver_status & 0x0f)
		return SG_RES_ERROR;
	return SG_RES_OK;
}

int mp_scsi_run(int fd, const uint8_t *cdb, uint8_t cdb_len, void *buf, uint32_t len,
		int timeout_ms, struct mp_sense *sense)
{
	struct mp_sg_cmd cmd = {
		.cdb = cdb,
		.cdb_len = cdb_len,
		.data = buf,
		.data_len = len,
		.timeout_ms = timeout_ms > 0 ? (uint32_t)timeout_ms : 30000,
	};
	int r = mp_backend()->sgio->scsi_cmd(fd, &cmd);

	if (r < 0)
		return r;
	switch (mp_sg_classify(&cmd, sense)) {
	case SG_RES_OK:
		return (int)(len - MP_MIN(cmd.resid, len));
	case SG_RES_SENSE:
		return -EIO;
	case SG_RES_RESV_CONFLICT:
		return -EACCES;
	case SG_RES_BUSY:
		return -EBUSY;
	case SG_RES_TRANSPORT:
		return -ENOLINK;
	default:
		return -EIO;
	}
}

int mp_scsi_inquiry(int fd, bool evpd, uint8_t page, uint8_t *buf, uint32_t len,
		    int timeout_ms)
{
	uint8_t cdb[6] = { 0x12, evpd ? 1 : 0, evpd ? page : 0, 0, 0, 0 };
	int r, want;

	if (len > 0xffff)
		len = 0xffff;
	put_be16(cdb + 3, (uint16_t)len);
	memset(buf, 0, len);
	r = mp_scsi_run(fd, cdb, sizeof(cdb), buf, len, timeout_ms, NULL);
	if (r < 0)
		return r;
	if (evpd) {
		if (len < 4 || buf[1] != page)
			return -ENODATA;
		want = 4 + get_be16(buf + 2);
	} else {
		if (len < 5)
			return -ENODATA;
		want = 5 + buf[4];
	}
	return MP_MIN(want, (int)len);
}
