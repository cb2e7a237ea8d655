// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ana: NVMe Asymmetric Namespace Access.  Identify Namespace (CNS 0) gives
 * the namespace's ANA group (ANAGRPID, bytes 92-95); the ANA log page
 * (Get Log Page, LID 0x0C) lists the groups: a 16-byte header (descriptor
 * count at bytes 8-9), then per group 32 bytes (group id 0-3, NSID count
 * 4-7, state in byte 16 bits 3..0) followed by 4 bytes per NSID.
 */
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "prioritizers/internal.h"

#define NVME_ADMIN_IDENTIFY 0x06
#define NVME_ADMIN_GET_LOG 0x02
#define NVME_LOG_ANA 0x0c
#define ANA_LOG_LEN 4096

enum { ANA_OPTIMIZED = 1, ANA_NON_OPTIMIZED, ANA_INACCESSIBLE, ANA_PERSISTENT_LOSS,
       ANA_CHANGE = 0xf };

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ANA state of group `grp` in a log page, or -ENOENT. */
int mp_ana_log_lookup(const uint8_t *log, size_t len, uint32_t grp)
{
	size_t off = 16, n, i;

	if (len < 16)
		return -EINVAL;
	n = (size_t)log[8] | (size_t)log[9] << 8;
	for (i = 0; i < n && off + 32 <= len; i++) {
		const uint8_t *d = log + off;

		if (le32(d) == grp)
			return d[16] & 0x0f;
		off += 32 + 4 * (size_t)le32(d + 4);
	}
	return -ENOENT;
}

static int ana_value(int state)
{
	switch (state) {
	case ANA_OPTIMIZED: return 50;
	case ANA_NON_OPTIMIZED: return 10;
	case ANA_INACCESSIBLE:
	case ANA_CHANGE: return 1;
	case ANA_PERSISTENT_LOSS: return 0;
	default: return MP_PRIO_UNDEF;
	}
}

static int ana_prio(struct mp_prio_ctx *c)
{
	const struct mp_sgio_ops *g = mp_backend()->sgio;
	_cleanup_free_ uint8_t *buf = malloc(ANA_LOG_LEN);
	uint32_t nsid = c->pi->lun ? (uint32_t)c->pi->lun : 1, grp;
	uint32_t numd = ANA_LOG_LEN / 4 - 1;
	int fd = prio_fd(c), st;

	if (fd < 0 || !buf || c->pi->bus != BUS_NVME)
		return MP_PRIO_UNDEF;
	if (g->nvme_admin(fd, NVME_ADMIN_IDENTIFY, nsid, 0, 0, buf, 4096,
			  (uint32_t)c->timeout_ms) < 0)
		return MP_PRIO_UNDEF;
	grp = le32(buf + 92);
	if (!grp)
		return MP_PRIO_UNDEF;   /* namespace not in an ANA group */
	memset(buf, 0, ANA_LOG_LEN);
	if (g->nvme_admin(fd, NVME_ADMIN_GET_LOG, 0xffffffff,
			  (numd & 0xffff) << 16 | NVME_LOG_ANA, numd >> 16, buf, ANA_LOG_LEN,
			  (uint32_t)c->timeout_ms) < 0)
		return MP_PRIO_UNDEF;
	st = mp_ana_log_lookup(buf, ANA_LOG_LEN, grp);
	return st < 0 ? MP_PRIO_UNDEF : ana_value(st);
}

const struct mp_prio_ops mp_prio_ana = { .name = "ana", .getprio = ana_prio };
