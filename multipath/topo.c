// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `multipath -l/-ll` without a daemon: every multipath map's table and
 * status from DM, path identity from sysfs, turned into the same
 * mp_map/mp_map_snap/mp_path objects the daemon publishes, so the one
 * printer (multipathd/print.c) draws both.  -l trusts the kernel's view
 * only; -ll also reads each path's SCSI state for the checker column.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "discovery/pathinfo.h"
#include "dm/dm.h"
#include "dm/table.h"
#include "multipath/multipath.h"
#include "multipathd/print.h"
#include "prioritizers/prio.h"
#include "util/strbuf.h"
#include "util/util.h"

struct built {
	struct mp_map map;
	struct mp_map_snap snap;
	struct mp_path *paths;          /* all paths, n_paths */
	size_t n_paths;
};

static char *devname_of(dev_t d)
{
	char path[128], *target = NULL, buf[512];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", major(d), minor(d));
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	target = strrchr(buf, '/');
	return strdup(target ? target + 1 : buf);
}

static void fill_path(struct mp_path *p, const struct mp_table_path *tp,
		      const struct mp_table_path *sp, int ll)
{
	_cleanup_free_ char *dev = devname_of(tp->devt);
	struct mp_path_info *pi = NULL;

	p->devt = tp->devt;
	if (dev && mp_pathinfo_from_sysfs(dev, "", NULL, NULL, &pi) < 0)
		pi = NULL;
	if (!pi) {
		pi = calloc(1, sizeof(*pi));
		if (pi) {
			pi->devname = dev ? strdup(dev) : NULL;
			pi->host = -1;
			pi->tpg_id = -1;
		}
	}
	p->info = pi;
	p->dm_state = sp ? (sp->failed ? DMP_FAILED : DMP_ACTIVE) : DMP_UNKNOWN;
	p->chk_state = PATH_WILD;
	p->prio = 0;
	if (ll >= 2 && pi) {
		struct mp_settings *s = NULL;

		p->chk_state = (pi->state == SDEV_OFFLINE || pi->state == SDEV_TRANSPORT_OFFLINE ||
				pi->state == SDEV_DELETED) ? PATH_DOWN : PATH_UP;
		/* -ll asks the prioritizer, as the daemon would */
		if (mp_cmd_config() && pi->wwid &&
		    mp_config_resolve(mp_cmd_config(), pi, pi->wwid, &s) == 0) {
			if (s->prio)
				p->prio = mp_prio_get(s->prio, s->prio_args, pi, -1, 2000);
			if (p->prio < 0)
				p->prio = 0;
			mp_settings_free(s);
		}
	}
	p->failures = sp ? sp->fail_count : 0;
}

/* average priority of the group's usable paths, as the daemon computes it */
static int group_prio(const struct mp_pg_snap *pg)
{
	int sum = 0, n = 0;

	for (size_t i = 0; i < pg->n_paths; i++)
		if (mp_chk_state_usable(pg->paths[i]->chk_state)) {
			sum += pg->paths[i]->prio;
			n++;
		}
	return n ? sum / n : 0;
}

static int pg_state(char c)
{
	return c == 'A' ? PGS_ACTIVE : c == 'E' ? PGS_ENABLED : c == 'D' ? PGS_DISABLED : PGS_UNDEF;
}

static int build_groups(struct built *b, const struct mp_table *t,
			const struct mp_status *st, int ll)
{
	size_t k = 0;

	b->n_paths = mp_table_n_paths(t);
	b->paths = calloc(b->n_paths + 1, sizeof(*b->paths));
	b->snap.pgs = calloc(t->n_pgs + 1, sizeof(*b->snap.pgs));
	if (!b->paths || !b->snap.pgs)
		return -ENOMEM;
	b->snap.n_pgs = t->n_pgs;
	for (size_t g = 0; g < t->n_pgs; g++) {
		const struct mp_table_pg *tg = &t->pgs[g];
		const struct mp_table_pg *sg = st && g < st->n_pgs ? &st->pgs[g] : NULL;
		struct mp_pg_snap *pg = &b->snap.pgs[g];

		pg->paths = calloc(tg->n_paths + 1, sizeof(*pg->paths));
		if (!pg->paths)
			return -ENOMEM;
		if (asprintf(&pg->selector, "%s %s", tg->selector ? tg->selector : "",
			     tg->selector_args ? tg->selector_args : "0") < 0)
			pg->selector = NULL;
		pg->state = sg ? pg_state(sg->state) : PGS_UNDEF;
		pg->n_paths = tg->n_paths;
		for (size_t i = 0; i < tg->n_paths; i++) {
			const struct mp_table_path *sp =
				sg && i < sg->n_paths ? &sg->paths[i] : NULL;
			struct mp_path *p = &b->paths[k++];

			fill_path(p, &tg->paths[i], sp, ll);
			p->map = &b->map;
			if (p->dm_state == DMP_ACTIVE && mp_chk_state_usable(p->chk_state))
				b->snap.n_active_paths++;
			else if (p->dm_state == DMP_ACTIVE && !ll)
				b->snap.n_active_paths++;
			pg->paths[i] = p;
		}
		pg->prio = group_prio(pg);
	}
	return 0;
}

static int build_map(const char *name, int ll, struct built **ret)
{
	struct mp_dm_info info = { 0 };
	struct mp_dm_target tt = { 0 }, ts = { 0 };
	struct mp_table *t = NULL;
	struct mp_status *st = NULL;
	struct built *b;
	int r;

	r = mp_dm_info(name, &info);
	if (r < 0 || !info.exists || !info.uuid ||
	    !str_startswith(info.uuid, MP_DM_UUID_PREFIX)) {
		mp_dm_info_done(&info);
		return -ENODEV;
	}
	b = calloc(1, sizeof(*b));
	r = b ? mp_dm_get_table(name, &tt) : -ENOMEM;
	if (r == 0 && (!tt.type || strcmp(tt.type, "multipath") != 0))
		r = -ENODEV;
	if (r == 0)
		r = mp_table_parse(tt.params, &t);
	if (r == 0 && mp_dm_get_status(name, &ts) == 0)
		mp_status_parse(ts.params, &st);
	if (r == 0) {
		b->snap.name = strdup(name);
		b->snap.wwid = strdup(info.uuid + strlen(MP_DM_UUID_PREFIX));
		b->map.wwid = b->snap.wwid;
		b->snap.devt = info.devt;
		b->snap.size = tt.size;
		b->snap.features = strdup(t->features ? t->features : "0");
		b->snap.hwhandler = strdup(t->hwhandler ? t->hwhandler : "0");
		b->snap.readonly = info.readonly;
		b->snap.suspended = info.suspended;
		r = build_groups(b, t, st, ll);
	}
	if (r == 0) {
		const struct mp_path_info *pi = b->n_paths ? b->paths[0].info : NULL;

		if (pi && pi->vendor) {
			b->snap.vendor = strdup(pi->vendor);
			b->snap.product = strdup(pi->product ? pi->product : "");
			b->snap.revision = strdup(pi->revision ? pi->revision : "");
		}
		b->map.snap = &b->snap;
		*ret = b;
	} else {
		free(b);    /* partial contents leak: short-lived process */
	}
	mp_table_free(t);
	mp_status_free(st);
	mp_dm_target_done(&tt);
	mp_dm_target_done(&ts);
	mp_dm_info_done(&info);
	return r;
}

static int cmp_built(const void *a, const void *b)
{
	const struct mp_map *x = *(struct mp_map *const *)a, *y = *(struct mp_map *const *)b;

	return strcmp(x->snap->name, y->snap->name);
}

int mp_topology_direct(const struct mp_opts *o, const char *map_name)
{
	struct mp_dm_list_entry *l = NULL;
	struct mp_map **maps = NULL;
	size_t n = 0, nl = 0;
	struct strbuf out = STRBUF_INIT;
	int r;

	if (map_name) {
		struct built *b;

		r = build_map(map_name, o->ll, &b);
		if (r < 0)
			return r;
		maps = calloc(1, sizeof(*maps));
		if (!maps)
			return -ENOMEM;
		maps[n++] = &b->map;
	} else {
		r = mp_dm_list(&l, &nl);
		if (r < 0)
			return r;
		maps = calloc(nl + 1, sizeof(*maps));
		for (size_t i = 0; maps && i < nl; i++) {
			struct built *b;

			if (build_map(l[i].name, o->ll, &b) == 0)
				maps[n++] = &b->map;
		}
		mp_dm_list_free(l, nl);
		if (!maps)
			return -ENOMEM;
		qsort(maps, n, sizeof(*maps), cmp_built);
	}
	if (o->verbosity == 1)
		print_maps_table(&out, maps, n, "%n", false);
	else if (o->verbosity >= 2)
		print_topology(&out, maps, n);
	fputs(strbuf_str(&out), stdout);
	strbuf_done(&out);
	free(maps);
	return 0;
}
