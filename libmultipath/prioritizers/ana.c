// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ana: NVMe Asymmetric Namespace Access state of the path's namespace
 * group, from the ANA log page (discovery/nvme.h): optimized 50,
 * non-optimized 10, inaccessible or changing 1, persistent loss 0.
 */
#include "discovery/nvme.h"
#include "prioritizers/internal.h"

static int ana_value(int state)
{
	switch (state) {
	case MP_ANA_OPTIMIZED: return 50;
	case MP_ANA_NON_OPTIMIZED: return 10;
	case MP_ANA_INACCESSIBLE:
	case MP_ANA_CHANGE: return 1;
	case MP_ANA_PERSISTENT_LOSS: return 0;
	default: return MP_PRIO_UNDEF;
	}
}

static int ana_prio(struct mp_prio_ctx *c)
{
	uint32_t nsid = c->pi->lun ? (uint32_t)c->pi->lun : 1, grp = 0;
	int fd, st;

	if (c->pi->bus != BUS_NVME || (fd = prio_fd(c)) < 0)
		return MP_PRIO_UNDEF;
	if (c->pi->tpg_id > 0)
		grp = (uint32_t)c->pi->tpg_id;
	else if (mp_nvme_ana_group(fd, nsid, c->timeout_ms, &grp) < 0 || !grp)
		return MP_PRIO_UNDEF;   /* namespace not in an ANA group */
	st = mp_nvme_ana_state(fd, grp, c->timeout_ms);
	return st < 0 ? MP_PRIO_UNDEF : ana_value(st);
}

const struct mp_prio_ops mp_prio_ana = { .name = "ana", .getprio = ana_prio };
