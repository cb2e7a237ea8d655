// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Path grouping policies and the table built from a grouping.
 *
 * Every policy is "put paths with an equal key in one group", groups in
 * the order their first path appears: failover keys on the index, multibus
 * on nothing, the others on serial / priority / target node name / ALUA
 * target port group.  With marginal_pathgroups the marginal paths are
 * grouped apart by the same policy and their groups flagged, so the
 * (stable) sort puts them last.  Pure functions: no I/O, no globals.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grouping/group.h"
#include "util/log.h"
#include "util/macro.h"
#include "util/strbuf.h"

static bool same_str(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

/* Do paths i and j fall into one group under `policy`? */
static bool same_key(enum mp_pgpolicy policy, const struct mp_group_input *a,
		     const struct mp_group_input *b)
{
	switch (policy) {
	case PGP_MULTIBUS:
		return true;
	case PGP_GROUP_BY_SERIAL:
		return same_str(a->serial, b->serial);
	case PGP_GROUP_BY_PRIO:
		return a->prio == b->prio;
	case PGP_GROUP_BY_NODE_NAME:
		return same_str(a->tgt_wwnn, b->tgt_wwnn);
	case PGP_GROUP_BY_TPG:
		return a->tpg_id == b->tpg_id;
	case PGP_FAILOVER:
	default:
		return false;
	}
}

static int group_add_member(struct mp_group *g, size_t idx)
{
	size_t *m = realloc(g->members, (g->n_members + 1) * sizeof(*m));

	if (!m)
		return -ENOMEM;
	m[g->n_members++] = idx;
	g->members = m;
	return 0;
}

/* Group the paths in `in` whose marginal flag equals `marginal` (or all of
 * them when !split), appending groups to `out`. */
static int group_partition(enum mp_pgpolicy policy, const struct mp_group_input *in,
			   size_t n, bool split, bool marginal, struct mp_grouping *out)
{
	size_t first = out->n_groups, i, k;
	int r;

	for (i = 0; i < n; i++) {
		if (split && in[i].marginal != marginal)
			continue;
		for (k = first; k < out->n_groups; k++)
			if (same_key(policy, &in[out->groups[k].members[0]], &in[i]))
				break;
		if (k == out->n_groups) {
			/* out->groups has room for n groups, allocated up front */
			out->groups[k] = (struct mp_group){ .marginal = split && marginal };
			out->n_groups++;
		}
		r = group_add_member(&out->groups[k], i);
		if (r < 0)
			return r;
	}
	return 0;
}

static void group_summarise(struct mp_group *g, const struct mp_group_input *in)
{
	long sum = 0;
	size_t i, n_prio = 0;

	g->n_enabled = 0;
	for (i = 0; i < g->n_members; i++) {
		const struct mp_group_input *p = &in[g->members[i]];

		if (p->enabled)
			g->n_enabled++;
		if (p->usable && p->prio != MP_PRIO_UNDEF) {
			sum += p->prio;
			n_prio++;
		}
	}
	g->prio = n_prio ? (int)(sum / (long)n_prio) : 0;
}

/* Does a sort before b?  non-marginal first, prio desc, n_enabled desc */
static bool group_before(const struct mp_group *a, const struct mp_group *b)
{
	if (a->marginal != b->marginal)
		return !a->marginal;
	if (a->prio != b->prio)
		return a->prio > b->prio;
	return a->n_enabled > b->n_enabled;
}

/* Insertion sort: stable, and groups are few. */
static void groups_sort(struct mp_group *g, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		struct mp_group cur = g[i];

		for (j = i; j > 0 && group_before(&cur, &g[j - 1]); j--)
			g[j] = g[j - 1];
		g[j] = cur;
	}
}

static int best_group(const struct mp_grouping *g)
{
	size_t i;

	if (g->n_groups == 0)
		return -1;
	for (i = 0; i < g->n_groups; i++)
		if (!g->groups[i].marginal && g->groups[i].n_enabled)
			return (int)i;
	for (i = 0; i < g->n_groups; i++)
		if (g->groups[i].n_enabled)
			return (int)i;
	return 0;
}

/* group_by_tpg needs every path's TPG id; otherwise one path per group. */
static enum mp_pgpolicy effective_policy(enum mp_pgpolicy policy,
					 const struct mp_group_input *in, size_t n)
{
	size_t i;

	if (policy != PGP_GROUP_BY_TPG)
		return policy;
	for (i = 0; i < n; i++)
		if (in[i].tpg_id < 0)
			return PGP_FAILOVER;
	return policy;
}

void mp_grouping_done(struct mp_grouping *g)
{
	size_t i;

	if (!g)
		return;
	for (i = 0; g->groups && i < g->n_groups; i++)
		free(g->groups[i].members);
	free(g->groups);
	*g = (struct mp_grouping){ .best = -1 };
}

int mp_group_paths(enum mp_pgpolicy policy, const struct mp_group_input *in,
		   size_t n, bool marginal_pathgroups, struct mp_grouping *ret)
{
	struct mp_grouping g = { .best = -1 };
	bool split = false;
	size_t i;
	int r;

	if (!ret || (n && !in) || (unsigned int)policy >= _PGP_MAX)
		return -EINVAL;
	policy = effective_policy(policy, in, n);
	for (i = 0; marginal_pathgroups && i < n; i++)
		if (in[i].marginal)
			split = true;
	g.groups = calloc(n ? n : 1, sizeof(*g.groups));
	if (!g.groups)
		return -ENOMEM;
	r = group_partition(policy, in, n, split, false, &g);
	if (r >= 0 && split)
		r = group_partition(policy, in, n, split, true, &g);
	if (r < 0) {
		mp_grouping_done(&g);
		return r;
	}
	for (i = 0; i < g.n_groups; i++)
		group_summarise(&g.groups[i], in);
	groups_sort(g.groups, g.n_groups);
	g.best = best_group(&g);
	*ret = g;
	return 0;
}

/* ------------------------------------------------------------------ table */

static bool wants_queueing(const struct mp_settings *s, bool queueing_expired)
{
	if (queueing_expired)
		return false;
	return s->no_path_retry == NPR_QUEUE || s->no_path_retry == NPR_RETRY;
}

static int table_features(const struct mp_settings *s, bool queueing_expired, char **ret)
{
	const char *f = s->features && *s->features ? s->features : "0";

	if (wants_queueing(s, queueing_expired))
		return mp_features_add(f, "queue_if_no_path", ret);
	return mp_features_remove(f, "queue_if_no_path", ret);
}

/* "service-time 0" → name "service-time", args "0"; bare name → args "0". */
static int split_selector(const char *sel, char **ret_name, char **ret_args)
{
	const char *p, *e;
	_cleanup_free_ char *name = NULL;
	char *args;

	if (!sel)
		sel = "service-time 0";
	p = sel + strspn(sel, " \t");
	e = p + strcspn(p, " \t");
	if (e == p)
		return -EINVAL;
	name = strndup(p, (size_t)(e - p));
	if (!name)
		return -ENOMEM;
	e += strspn(e, " \t");
	args = strdup(*e ? e : "0");
	if (!args)
		return -ENOMEM;
	*ret_name = TAKE_PTR(name);
	*ret_args = args;
	return 0;
}

static unsigned int path_repeat(const struct mp_settings *s, const char *features,
				const struct mp_group_input *p)
{
	bool bio = strstr(features, "queue_mode bio") != NULL;
	int base = bio ? s->rr_min_io : s->rr_min_io_rq;

	if (base <= 0)
		base = 1;
	if (s->rr_weight == RR_PRIORITIES && p->prio > 0)
		return (unsigned int)base * (unsigned int)p->prio;
	return (unsigned int)base;
}

static int table_pg(const struct mp_settings *s, const char *features,
		    const struct mp_group_input *in, const struct mp_group *grp,
		    struct mp_table_pg *pg)
{
	size_t i;
	int r;

	r = split_selector(s->selector, &pg->selector, &pg->selector_args);
	if (r < 0)
		return r;
	pg->n_path_args = 1;
	pg->paths = calloc(grp->n_members ? grp->n_members : 1, sizeof(*pg->paths));
	if (!pg->paths)
		return -ENOMEM;
	pg->n_paths = grp->n_members;
	for (i = 0; i < grp->n_members; i++) {
		const struct mp_group_input *p = &in[grp->members[i]];

		pg->paths[i].devt = p->devt;
		pg->paths[i].repeat = path_repeat(s, features, p);
	}
	return 0;
}

int mp_table_from_grouping(const struct mp_settings *s, const struct mp_group_input *in,
			   const struct mp_grouping *g, bool queueing_expired,
			   struct mp_table **ret)
{
	struct mp_table *t;
	size_t i;
	int r;

	if (!s || !g || !ret || (g->n_groups && !in))
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	r = table_features(s, queueing_expired, &t->features);
	if (r >= 0) {
		t->hwhandler = strdup(s->hwhandler && *s->hwhandler ? s->hwhandler : "0");
		t->pgs = calloc(g->n_groups ? g->n_groups : 1, sizeof(*t->pgs));
		if (!t->hwhandler || !t->pgs)
			r = -ENOMEM;
	}
	for (i = 0; r >= 0 && i < g->n_groups; i++) {
		t->n_pgs = i + 1;
		r = table_pg(s, t->features, in, &g->groups[i], &t->pgs[i]);
	}
	if (r < 0) {
		mp_table_free(t);
		return r;
	}
	if (g->n_groups)
		t->initial_pg = g->best >= 0 ? (unsigned int)g->best + 1 : 1;
	*ret = t;
	return 0;
}
