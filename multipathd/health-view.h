/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the CLI shows of a path's checker: inline, because print.c is also
 * linked into `multipath`, which has no checker thread (its paths carry no
 * context and these answer "nothing known").  Call inside rcu_read_lock();
 * the context lives as long as its path.
 */
#ifndef MPD_HEALTH_VIEW_H
#define MPD_HEALTH_VIEW_H

#include <stdio.h>

#include "checkers/checker.h"
#include "health-internal.h"
#include "topology/topology.h"

static inline const struct path_ctx *mpd_health_view(const struct mp_path *p)
{
	return __atomic_load_n(&p->checker_ctx, __ATOMIC_ACQUIRE);
}

/* The checker in use ("none": sysfs device state only); 0 if not known. */
static inline size_t mpd_health_checker_name(const struct mp_path *p, char *buf, size_t len)
{
	const struct path_ctx *c = mpd_health_view(p);
	const char *name = c ? __atomic_load_n(&c->checker, __ATOMIC_ACQUIRE) : NULL;
	int n;

	if (!name || !len)
		return 0;
	n = snprintf(buf, len, "%s", name);
	return n > 0 ? (size_t)n : 0;
}

/* The state to show when the checker's own differs (delayed), else -1. */
static inline int mpd_health_shown_state(const struct mp_path *p)
{
	const struct path_ctx *c = mpd_health_view(p);

	return c ? __atomic_load_n(&c->shown, __ATOMIC_ACQUIRE) : -1;
}

/* The checker's last message; 0 if none.  Checker thread only: the
 * message is the check's own, which only that thread touches. */
static inline size_t mpd_health_message(const struct mp_path *p, char *buf, size_t len)
{
	const struct path_ctx *c = mpd_health_view(p);
	int n;

	if (!c || !c->chk || !len)
		return 0;
	n = snprintf(buf, len, "%s", mp_check_message(c->chk));
	return n > 0 ? (size_t)n : 0;
}

#endif
