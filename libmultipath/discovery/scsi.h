/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SCSI helpers shared by discovery, checkers and prioritizers: building
 * INQUIRY-style commands, decoding sense data, big-endian accessors.  The
 * commands themselves go through mp_backend()->sgio so tests can fake them.
 */
#ifndef MP_DISCOVERY_SCSI_H
#define MP_DISCOVERY_SCSI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h"

#define SCSI_STATUS_GOOD 0x00
#define SCSI_STATUS_CHECK_CONDITION 0x02
#define SCSI_STATUS_BUSY 0x08
#define SCSI_STATUS_RESERVATION_CONFLICT 0x18

#define SENSE_NO_SENSE 0x0
#define SENSE_RECOVERED_ERROR 0x1
#define SENSE_NOT_READY 0x2
#define SENSE_MEDIUM_ERROR 0x3
#define SENSE_HARDWARE_ERROR 0x4
#define SENSE_ILLEGAL_REQUEST 0x5
#define SENSE_UNIT_ATTENTION 0x6
#define SENSE_ABORTED_COMMAND 0xb

static inline uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}
static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}
static inline void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

struct mp_sense {
	uint8_t key, asc, ascq;
};

/* Sense key/ASC/ASCQ from fixed (0x70/0x71) or descriptor (0x72/0x73)
 * format; false when there is no usable sense. */
bool mp_sense_parse(const uint8_t *sense, size_t len, struct mp_sense *ret);

/* Outcome class of a completed command. */
enum mp_sg_result {
	SG_RES_OK,              /* GOOD (or recovered error) */
	SG_RES_SENSE,           /* CHECK CONDITION with sense decoded */
	SG_RES_RESV_CONFLICT,
	SG_RES_BUSY,            /* BUSY / TASK SET FULL / transient host error */
	SG_RES_TRANSPORT,       /* host or driver error: path gone */
	SG_RES_ERROR,           /* anything else */
};
enum mp_sg_result mp_sg_classify(const struct mp_sg_cmd *cmd, struct mp_sense *sense);

/* Synchronous commands over mp_backend()->sgio->scsi_cmd.  0 when the
 * command completed with GOOD status; -EIO with `sense` (if non-NULL) filled
 * on CHECK CONDITION; other -errno when it could not be issued. */
int mp_scsi_run(int fd, const uint8_t *cdb, uint8_t cdb_len, void *buf, uint32_t len,
		int timeout_ms, struct mp_sense *sense);
/* INQUIRY: standard (evpd=false) or a VPD page.  Returns the number of
 * valid bytes (as the device reports them, capped at len) or -errno. */
int mp_scsi_inquiry(int fd, bool evpd, uint8_t page, uint8_t *buf, uint32_t len,
		    int timeout_ms);

#endif
