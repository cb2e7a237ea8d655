/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a prioritizer implementation sees (see prio.h). */
#ifndef MP_PRIORITIZERS_INTERNAL_H
#define MP_PRIORITIZERS_INTERNAL_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "discovery/nvme.h"
#include "discovery/scsi.h"
#include "prioritizers/prio.h"
#include "util/macro.h"

struct mp_prio_ctx {
	const char *args;               /* never NULL */
	const struct mp_path_info *pi;
	int fd;                         /* -1 until prio_fd() */
	int timeout_ms;
	bool own_fd;
};

struct mp_prio_ops {
	const char *name;
	int (*getprio)(struct mp_prio_ctx *c);
};

extern const struct mp_prio_ops mp_prio_const, mp_prio_random, mp_prio_sysfs, mp_prio_alua,
	mp_prio_ana, mp_prio_weightedpath, mp_prio_path_latency, mp_prio_emc, mp_prio_rdac,
	mp_prio_hp_sw, mp_prio_hds, mp_prio_ontap, mp_prio_datacore, mp_prio_iet;

/* The block device fd, opened on first use; -errno on failure. */
int prio_fd(struct mp_prio_ctx *c);
/* Value of "key=value" in blank-separated args, copied to buf; NULL if absent. */
const char *prio_arg(const char *args, const char *key, char *buf, size_t len);
/* ALUA/ANA state → priority (shared by alua, sysfs, ana). */
int prio_from_access(enum mp_access_state st, bool preferred, bool exclusive_pref);

/* Decoders exposed for unit tests. */
int mp_rtpg_lookup(const uint8_t *buf, size_t len, int tpg, uint8_t *aas, bool *pref);
int mp_latency_rank(double avg_us, double base);

#endif
