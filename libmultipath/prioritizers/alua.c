// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * alua: ask the target.  Standard INQUIRY says whether the LUN does ALUA
 * (TPGS bits), VPD 0x83 which target port group this path's port is in,
 * and REPORT TARGET PORT GROUPS (MAINTENANCE IN 0xA3 / 0x0A) the state of
 * every group.  RTPG descriptor: byte 0 PREF (bit 7) + asymmetric access
 * state (bits 3..0), bytes 2-3 group id, byte 7 port count, then 4 bytes
 * per port.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discovery/vpd.h"
#include "prioritizers/internal.h"

#define RTPG_LEN 4096

enum { AAS_AO, AAS_ANO, AAS_STANDBY, AAS_UNAVAILABLE, AAS_LBA_DEP,
       AAS_OFFLINE = 0xe, AAS_TRANSITIONING = 0xf };

static enum mp_access_state aas_to_access(uint8_t aas)
{
	switch (aas) {
	case AAS_AO: return ACCESS_OPTIMIZED;
	case AAS_ANO: return ACCESS_NON_OPTIMIZED;
	case AAS_STANDBY: return ACCESS_STANDBY;
	case AAS_UNAVAILABLE: return ACCESS_UNAVAILABLE;
	case AAS_LBA_DEP: return ACCESS_LBA_DEPENDENT;
	case AAS_OFFLINE: return ACCESS_OFFLINE;
	case AAS_TRANSITIONING: return ACCESS_TRANSITIONING;
	default: return ACCESS_UNKNOWN;
	}
}

static int alua_tpgs(struct mp_prio_ctx *c, int fd)
{
	uint8_t inq[96];
	int r;

	if (c->pi->tpgs > 0)
		return c->pi->tpgs;
	r = mp_scsi_inquiry(fd, false, 0, inq, sizeof(inq), c->timeout_ms);
	if (r < 6)
		return r < 0 ? r : -ENODATA;
	return (inq[5] >> 4) & 0x3;
}

static int alua_tpg_id(struct mp_prio_ctx *c, int fd)
{
	uint8_t page[1024];
	int r;

	if (c->pi->tpg_id >= 0)
		return c->pi->tpg_id;
	r = mp_scsi_inquiry(fd, true, 0x83, page, sizeof(page), c->timeout_ms);
	if (r < 0)
		return r;
	return mp_vpd83_tpg(page, (size_t)r);
}

/* Find `tpg` in an RTPG response; 0 and state/pref, or -ENOENT. */
int mp_rtpg_lookup(const uint8_t *buf, size_t len, int tpg, uint8_t *aas, bool *pref)
{
	size_t end, off = 4;

	if (len < 4)
		return -EINVAL;
	end = 4 + (size_t)get_be32(buf);
	if (end > len)
		end = len;
	while (off + 8 <= end) {
		const uint8_t *d = buf + off;

		if (get_be16(d + 2) == tpg) {
			*aas = d[0] & 0x0f;
			*pref = d[0] & 0x80;
			return 0;
		}
		off += 8 + 4 * (size_t)d[7];
	}
	return -ENOENT;
}

/* This path's group state as the target reports it; 0 or -errno. */
static int alua_state(struct mp_prio_ctx *c, uint8_t *aas, bool *pref)
{
	uint8_t cdb[12] = { 0xa3, 0x0a };
	_cleanup_free_ uint8_t *buf = malloc(RTPG_LEN);
	int fd = prio_fd(c), tpgs, tpg, r;

	if (fd < 0)
		return fd;
	if (!buf)
		return -ENOMEM;
	tpgs = alua_tpgs(c, fd);
	if (tpgs <= 0)
		return tpgs < 0 ? tpgs : -EOPNOTSUPP;   /* not an ALUA device */
	tpg = alua_tpg_id(c, fd);
	if (tpg < 0)
		return tpg;
	put_be32(cdb + 6, RTPG_LEN);
	r = mp_scsi_run(fd, cdb, sizeof(cdb), buf, RTPG_LEN, c->timeout_ms, NULL);
	if (r < 0)
		return r;
	return mp_rtpg_lookup(buf, (size_t)r, tpg, aas, pref);
}

static int alua_prio(struct mp_prio_ctx *c)
{
	uint8_t aas;
	bool pref;

	if (alua_state(c, &aas, &pref) < 0)
		return MP_PRIO_UNDEF;
	return prio_from_access(aas_to_access(aas), pref,
				strstr(c->args, "exclusive_pref_bit") != NULL);
}

int mp_alua_query(const struct mp_path_info *pi, int timeout_ms,
		  enum mp_access_state *ret_state, bool *ret_pref)
{
	struct mp_prio_ctx c = {
		.args = "", .pi = pi, .fd = -1,
		.timeout_ms = timeout_ms > 0 ? timeout_ms : 30000,
	};
	uint8_t aas;
	bool pref;
	int r;

	if (!pi)
		return -EINVAL;
	/* a fresh LUN answers its first command with a unit attention
	 * (power on): that consumes it, the second try gets the data */
	r = alua_state(&c, &aas, &pref);
	if (r < 0 && r != -EOPNOTSUPP && r != -ENOMEM)
		r = alua_state(&c, &aas, &pref);
	if (c.own_fd && c.fd >= 0)
		close(c.fd);
	if (r < 0)
		return r;
	*ret_state = aas_to_access(aas);
	*ret_pref = pref;
	return 0;
}

const struct mp_prio_ops mp_prio_alua = { .name = "alua", .getprio = alua_prio };
