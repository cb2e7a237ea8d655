/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Path grouping: from a map's paths and its settings to path groups in
 * table order, plus the best group.  Pure functions over plain input
 * structs, so the daemon, `multipath` and tests share them.
 */
#ifndef MP_GROUPING_GROUP_H
#define MP_GROUPING_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "config/settings.h"
#include "dm/table.h"

#define MP_PRIO_UNDEF (-1)

struct mp_group_input {
	dev_t devt;
	int prio;               /* MP_PRIO_UNDEF if unknown */
	bool usable;            /* checker up or ghost (counts for group prio) */
	bool enabled;           /* checker up: the group can carry I/O */
	bool marginal;
	const char *serial;
	const char *tgt_wwnn;
	int tpg_id;
};

struct mp_group {
	int prio;               /* average prio of usable paths */
	bool marginal;
	size_t n_enabled;
	size_t n_members;
	size_t *members;        /* indices into the input array */
};

struct mp_grouping {
	size_t n_groups;
	struct mp_group *groups;        /* sorted: non-marginal, prio desc, n_enabled desc */
	int best;                       /* 0-based index of the best group, -1 none */
};

int mp_group_paths(enum mp_pgpolicy policy, const struct mp_group_input *in,
		   size_t n, bool marginal_pathgroups, struct mp_grouping *ret);
void mp_grouping_done(struct mp_grouping *g);

/* Build the multipath target table for a grouping with the map's
 * settings (features incl. queue_if_no_path per no_path_retry, hwhandler,
 * selector, rr_weight/rr_min_io).  queueing_expired = no_path_retry ran out. */
int mp_table_from_grouping(const struct mp_settings *s, const struct mp_group_input *in,
			   const struct mp_grouping *g, bool queueing_expired,
			   struct mp_table **ret);

#endif
