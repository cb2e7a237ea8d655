// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One map's slow life: membership, the table it should have, create or
 * reload (only when the kernel's table differs), flush, adoption of maps
 * found in the kernel, and the snapshot readers see.
 *
 * Everything here runs in a cfg worker that owns the map's key and holds
 * map->cfg_lock; state_lock is taken inside it only to swap the layout the
 * failure path works on and to publish.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <urcu/uatomic.h>

#include "backend/backend.h"
#include "core.h"
#include "path-health.h"
#include "discovery/files.h"
#include "dm/dm.h"
#include "dm/table.h"
#include "grouping/group.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/strpool.h"
#include "util/strbuf.h"
#include "util/util.h"

static void pgs_free(struct mpd_pg *pgs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(pgs[i].selector);
		free(pgs[i].paths);
	}
	free(pgs);
}

struct mpd_map *mpd_map_new(struct mpd *d, struct mp_map *m)
{
	struct mpd_map *mm = calloc(1, sizeof(*mm));

	if (!mm)
		return NULL;
	mm->d = d;
	mm->m = m;
	mpd_store(&m->priv, (void *)mm);
	return mm;
}

void mpd_map_priv_free(void *priv)
{
	struct mpd_map *mm = priv;

	if (!mm)
		return;
	pgs_free(mm->pgs, mm->n_pgs);
	mp_table_free(mm->kernel_table);
	free(mm->paths);
	free(mm->params);
	free(mm->name);
	free(mm->prkey);
	/* only at exit: an entry another map's replaced (see index_locked) */
	free(mm->devt_ref);
	free(mm);
}

/*---- the dev_t index (DM event scan) ----*/

/* One entry per map in the kernel.  Separate from struct mpd_map: a map
 * can leave the kernel and come back (flush, create) within one grace
 * period, and a node may not be added again before the readers that saw
 * it deleted are gone; a new entry each time avoids that. */
struct mpd_devt_ref {
	struct cds_lfht_node node;
	struct rcu_head rcu;
	dev_t devt;                     /* immutable */
	struct mpd_map *mm;             /* unindexed before the map is freed */
};

static int devt_match(struct cds_lfht_node *node, const void *key)
{
	const struct mpd_devt_ref *r = caa_container_of(node, struct mpd_devt_ref, node);

	mp_tsan_acquire(r);
	return r->devt == *(const dev_t *)key;
}

static void devt_ref_free_rcu(struct rcu_head *head)
{
	mp_tsan_ignore_begin();         /* TSan cannot see the grace period */
	free(caa_container_of(head, struct mpd_devt_ref, rcu));
	mp_tsan_ignore_end();
}

int mpd_devt_index_init(struct mpd *d)
{
	d->priv->maps_by_devt = cds_lfht_new(1024, 1024, 0,
					     CDS_LFHT_AUTO_RESIZE | CDS_LFHT_ACCOUNTING, NULL);
	return d->priv->maps_by_devt ? 0 : -ENOMEM;
}

void mpd_devt_index_destroy(struct mpd *d)
{
	struct cds_lfht *t = d->priv->maps_by_devt;
	struct cds_lfht_iter it;
	struct mpd_devt_ref *r;

	if (!t)
		return;
	rcu_read_lock();
	cds_lfht_for_each_entry(t, &it, r, node) {
		mp_tsan_acquire(r);
		if (cds_lfht_del(t, &r->node) == 0) {
			r->mm->devt_ref = NULL;
			call_rcu(&r->rcu, devt_ref_free_rcu);
		}
	}
	rcu_read_unlock();
	rcu_barrier();
	cds_lfht_destroy(t, NULL);
	d->priv->maps_by_devt = NULL;
	free(d->priv->dm_seen);
	d->priv->dm_seen = NULL;
	d->priv->n_dm_seen = d->priv->cap_dm_seen = 0;
}

void mpd_map_unindex_locked(struct mpd_map *mm)
{
	struct mpd_devt_ref *r = mm->devt_ref;

	mpd_assert_held(&mm->m->state_lock);
	if (!r)
		return;
	mm->devt_ref = NULL;
	rcu_read_lock();
	/* -ENOENT: a newer map with the same dev_t replaced it (the kernel
	 * reused the minor before we saw this one go); ours to free anyway */
	cds_lfht_del(mm->d->priv->maps_by_devt, &r->node);
	rcu_read_unlock();
	__atomic_fetch_add(&mm->d->priv->devt_gen, 1, __ATOMIC_RELEASE);
	call_rcu(&r->rcu, devt_ref_free_rcu);
}

void mpd_map_index_locked(struct mpd_map *mm)
{
	struct mpd_devt_ref *r;

	mpd_assert_held(&mm->m->state_lock);
	if (mm->devt_ref && mm->devt_ref->devt == mm->devt_cache)
		return;
	mpd_map_unindex_locked(mm);
	if (!mm->devt_cache)
		return;         /* unknown (info failed): the scan cannot see it */
	r = calloc(1, sizeof(*r));
	if (!r) {
		log_err("%s: out of memory: DM events of this map are not seen", mm->name);
		return;
	}
	r->devt = mm->devt_cache;
	r->mm = mm;
	cds_lfht_node_init(&r->node);
	mp_tsan_release(r);
	rcu_read_lock();
	/* the kernel has one map per dev_t: a stale entry of another map
	 * (gone, not yet noticed) is replaced; its map still frees it */
	cds_lfht_add_replace(mm->d->priv->maps_by_devt, mp_hash_devt(r->devt), devt_match,
			     &r->devt, &r->node);
	rcu_read_unlock();
	__atomic_fetch_add(&mm->d->priv->devt_gen, 1, __ATOMIC_RELEASE);
	mm->devt_ref = r;
}

struct mpd_map *mpd_map_by_devt(struct mpd *d, dev_t devt)
{
	struct cds_lfht_iter it;
	struct cds_lfht_node *n;

	cds_lfht_lookup(d->priv->maps_by_devt, mp_hash_devt(devt), devt_match, &devt, &it);
	n = cds_lfht_iter_get_node(&it);
	return n ? caa_container_of(n, struct mpd_devt_ref, node)->mm : NULL;
}

/*---- membership ----*/

/* Position of a path in the adopted kernel table, so a restart rebuilds
 * the same table (same order) and needs no reload. */
static size_t kernel_pos(const struct mpd_map *mm, dev_t devt)
{
	size_t pos = 0;

	if (!mm->kernel_table)
		return SIZE_MAX;
	for (size_t g = 0; g < mm->kernel_table->n_pgs; g++)
		for (size_t i = 0; i < mm->kernel_table->pgs[g].n_paths; i++, pos++)
			if (mm->kernel_table->pgs[g].paths[i].devt == devt)
				return pos;
	return SIZE_MAX;
}

int mpd_map_add_member_locked(struct mpd_map *mm, struct mp_path *p)
{
	size_t at, kp;

	mpd_assert_held(&mm->m->cfg_lock);
	for (size_t i = 0; i < mm->n_paths; i++)
		if (mm->paths[i] == p)
			return 0;
	if (mm->n_paths == mm->cap_paths) {
		size_t cap = mm->cap_paths ? 2 * mm->cap_paths : 4;
		struct mp_path **v = realloc(mm->paths, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		mm->paths = v;
		mm->cap_paths = cap;
	}
	/* adopted order first, then arrival order */
	kp = kernel_pos(mm, p->devt);
	for (at = mm->n_paths; at > 0 && kernel_pos(mm, mm->paths[at - 1]->devt) > kp; at--)
		;
	mpd_lock(&mm->m->state_lock, LR_STATE, mm->m);
	memmove(&mm->paths[at + 1], &mm->paths[at], (mm->n_paths - at) * sizeof(*mm->paths));
	mm->paths[at] = p;
	mm->n_paths++;
	mpd_store(&p->map, mm->m);
	mpd_unlock(&mm->m->state_lock);
	return 1;
}

void mpd_map_del_member_locked(struct mpd_map *mm, struct mp_path *p)
{
	mpd_assert_held(&mm->m->cfg_lock);
	mpd_lock(&mm->m->state_lock, LR_STATE, mm->m);
	for (size_t i = 0; i < mm->n_paths; i++) {
		if (mm->paths[i] != p)
			continue;
		memmove(&mm->paths[i], &mm->paths[i + 1],
			(mm->n_paths - i - 1) * sizeof(*mm->paths));
		mm->n_paths--;
		break;
	}
	/* drop it from the layout too: the failure path must not see it */
	for (size_t g = 0; g < mm->n_pgs; g++) {
		struct mpd_pg *pg = &mm->pgs[g];

		for (size_t i = 0; i < pg->n; i++) {
			if (pg->paths[i] != p)
				continue;
			memmove(&pg->paths[i], &pg->paths[i + 1], (pg->n - i - 1) * sizeof(*pg->paths));
			pg->n--;
			break;
		}
	}
	mpd_store(&p->map, (struct mp_map *)NULL);
	mpd_unlock(&mm->m->state_lock);
}

/*---- the table we want ----*/

struct want {
	struct mp_group_input *in;
	struct mp_grouping g;
	struct mp_table *t;
	char *params;
	uint64_t size;
};

static void want_done(struct want *w)
{
	free(w->in);
	mp_grouping_done(&w->g);
	mp_table_free(w->t);
	free(w->params);
}

static bool path_usable_for_table(const struct mp_path *p)
{
	int st = mpd_load(&p->chk_state);

	return st == PATH_UP || st == PATH_GHOST || st == PATH_WILD || st == PATH_PENDING ||
	       st == PATH_UNCHECKED;
}

static int build_want(struct mpd_map *mm, struct want *w)
{
	const struct mp_settings *s = mm->m->settings;
	bool marginal_pgs = false;
	struct strbuf sb = STRBUF_INIT;
	int r;

	memset(w, 0, sizeof(*w));
	w->in = calloc(mm->n_paths ? mm->n_paths : 1, sizeof(*w->in));
	if (!w->in)
		return -ENOMEM;
	for (size_t i = 0; i < mm->n_paths; i++) {
		struct mp_path *p = mm->paths[i];
		const struct mp_path_info *pi = p->info;
		bool usable = path_usable_for_table(p);

		if (!w->size)
			w->size = pi->size;
		w->in[i] = (struct mp_group_input){
			.devt = p->devt,
			.prio = mpd_health_table_prio(p),
			.usable = usable,
			.enabled = usable && mpd_load(&p->chk_state) != PATH_GHOST,
			.marginal = mpd_load(&p->marginal),
			.serial = pi->serial,
			.tgt_wwnn = pi->tgt_wwnn,
			.tpg_id = pi->tpg_id,
		};
	}
	/* the size changes only by a resize (CLI or auto_resize) */
	if (mm->in_kernel && mm->size && !mm->resize_ok)
		w->size = mm->size;
	rcu_read_lock();
	marginal_pgs = mp_config_globals(mpd_config())->marginal_pathgroups != MARGINAL_PG_OFF;
	rcu_read_unlock();
	r = mp_group_paths(s->pgpolicy, w->in, mm->n_paths, marginal_pgs, &w->g);
	if (r >= 0)
		r = mp_table_from_grouping(s, w->in, &w->g, mm->expired, &w->t);
	if (r >= 0)
		r = mp_table_build(w->t, &sb);
	if (r < 0) {
		strbuf_done(&sb);
		return r;
	}
	w->params = strbuf_steal(&sb);
	return w->params ? 0 : -ENOMEM;
}

/* queue_if_no_path is runtime state (messages flip it): not a reason to
 * reload. */
static bool tables_equal_but_queueing(struct mp_table *want, struct mp_table *kern)
{
	char *fw = NULL, *fk = NULL, *sw, *sk;
	bool eq;

	if (mp_features_remove(want->features, "queue_if_no_path", &fw) < 0 ||
	    mp_features_remove(kern->features, "queue_if_no_path", &fk) < 0) {
		free(fw);
		return false;
	}
	sw = want->features;
	sk = kern->features;
	want->features = fw;
	kern->features = fk;
	eq = mp_table_equal(want, kern);
	want->features = sw;
	kern->features = sk;
	free(fw);
	free(fk);
	return eq;
}

bool mpd_table_equivalent(const char *want, const char *kernel)
{
	struct mp_table *a = NULL, *b = NULL;
	bool eq = false;

	if (!want || !kernel)
		return false;
	if (strcmp(want, kernel) == 0)
		return true;
	if (mp_table_parse(want, &a) >= 0 && mp_table_parse(kernel, &b) >= 0)
		eq = tables_equal_but_queueing(a, b);
	mp_table_free(a);
	mp_table_free(b);
	return eq;
}

/* Swap the failure path's view of the groups (state_lock held). */
static int layout_from_want_locked(struct mpd_map *mm, const struct want *w)
{
	struct mpd_pg *pgs = calloc(w->g.n_groups ? w->g.n_groups : 1, sizeof(*pgs));

	if (!pgs)
		return -ENOMEM;
	for (size_t g = 0; g < w->g.n_groups; g++) {
		const struct mp_group *gr = &w->g.groups[g];
		const struct mp_table_pg *tpg = &w->t->pgs[g];

		pgs[g].prio = gr->prio;
		pgs[g].marginal = gr->marginal;
		pgs[g].n = gr->n_members;
		pgs[g].paths = calloc(gr->n_members ? gr->n_members : 1, sizeof(*pgs[g].paths));
		if (asprintf(&pgs[g].selector, "%s %s", tpg->selector,
			     tpg->selector_args ? tpg->selector_args : "0") < 0)
			pgs[g].selector = NULL;
		if (!pgs[g].paths || !pgs[g].selector) {
			pgs_free(pgs, g + 1);
			return -ENOMEM;
		}
		for (size_t i = 0; i < gr->n_members; i++)
			pgs[g].paths[i] = mm->paths[gr->members[i]];
	}
	pgs_free(mm->pgs, mm->n_pgs);
	mm->pgs = pgs;
	mm->n_pgs = w->g.n_groups;
	return 0;
}

/*---- naming, find_multipaths ----*/

static bool name_in_use(const char *alias, void *ud)
{
	struct mp_dm_info info = { 0 };
	bool used = false;

	if (mp_dm_info(alias, &info) == 0 && info.exists)
		used = !info.uuid || strcmp(info.uuid + strlen(MP_DM_UUID_PREFIX), ud) != 0;
	mp_dm_info_done(&info);
	return used;
}

static int choose_name(struct mpd_map *mm, char **ret)
{
	const struct mp_settings *s = mm->m->settings;
	struct mpd_private *pv = mm->d->priv;
	char *file = NULL;
	int r;

	if (s->alias && *s->alias)
		return (*ret = strdup(s->alias)) ? 0 : -ENOMEM;
	if (!s->user_friendly_names)
		return (*ret = strdup(mm->m->wwid)) ? 0 : -ENOMEM;
	rcu_read_lock();
	const struct mp_globals *g = mp_config_globals(mpd_config());
	file = strdup(pv->opts.bindings_file ?: g->bindings_file ?: MP_BINDINGS_FILE);
	rcu_read_unlock();
	if (!file)
		return -ENOMEM;
	mpd_lock(&pv->files_lock, LR_LEAF, NULL);
	if (!pv->bindings_cache)
		pv->bindings_cache = mp_bindings_cache_new();
	r = !pv->bindings_cache ? -ENOMEM
	    : mp_bindings_cache_get_alias(pv->bindings_cache, file, mm->m->wwid,
					  s->alias_prefix ?: "mpath", pv->opts.bindings_readonly,
					  name_in_use, mm->m->wwid, ret);
	mpd_unlock(&pv->files_lock);
	free(file);
	if (r < 0) {
		log_warn("%s: no user friendly name (%s), using the WWID", mm->m->wwid, strerror(-r));
		return (*ret = strdup(mm->m->wwid)) ? 0 : -ENOMEM;
	}
	return 0;
}

static char *wwids_file(struct mpd *d)
{
	char *f;

	rcu_read_lock();
	const struct mp_globals *g = mp_config_globals(mpd_config());
	f = strdup(d->priv->opts.wwids_file ?: g->wwids_file ?: MP_WWIDS_FILE);
	rcu_read_unlock();
	return f;
}

/* Under files_lock: the daemon's cache spares a read of the whole file
 * per map (it is re-read only when another process changed it). */
static int wwids_cache_op(struct mpd_private *pv, const char *file, const char *wwid,
			  int (*op)(struct mp_wwids_cache *c, const char *file,
				    const char *wwid))
{
	if (!pv->wwids_cache)
		pv->wwids_cache = mp_wwids_cache_new();
	return pv->wwids_cache ? op(pv->wwids_cache, file, wwid) : -ENOMEM;
}

static enum mp_find_verdict find_verdict(struct mpd_map *mm)
{
	struct mpd_private *pv = mm->d->priv;
	enum mp_find mode;
	char *file;
	int listed = 0;

	rcu_read_lock();
	mode = mp_config_globals(mpd_config())->find_multipaths;
	rcu_read_unlock();
	if (mode != FIND_GREEDY && mode != FIND_OFF) {
		file = wwids_file(mm->d);
		mpd_lock(&pv->files_lock, LR_LEAF, NULL);
		listed = file ? wwids_cache_op(pv, file, mm->m->wwid, mp_wwids_cache_check) : 0;
		mpd_unlock(&pv->files_lock);
		free(file);
	}
	return mp_should_multipath(mode, listed > 0, false, (int)mm->n_paths, true);
}

/* find_multipaths_timeout: seconds; negative = that long for hardware of
 * the built-in table and 1 s for anything else; 0 = the default. */
static int hold_seconds(const struct mpd_map *mm)
{
	int t;

	rcu_read_lock();
	t = mp_config_globals(mpd_config())->find_multipaths_timeout;
	rcu_read_unlock();
	if (t > 0)
		return t;
	if (t == 0)
		t = -10;
	for (int id = 0; id < _MP_SET_MAX; id++)
		if (mp_settings_origin_id(mm->m->settings, id) == ORIGIN_HWTABLE)
			return -t;
	return 1;
}

/* Has udev already answered "not a multipath path" for the lone path
 * (its database says 0)?  A fresh path says 2 (held) or has no entry. */
static bool udev_released(const struct mpd_map *mm)
{
	char v[8];

	return mm->n_paths == 1 &&
	       mp_udev_db_prop(mm->d->priv->opts.udev_db_dir, mm->paths[0]->devt,
			       "DM_MULTIPATH_DEVICE_PATH", v, sizeof(v)) == 0 &&
	       strcmp(v, "0") == 0;
}

/* A single path of an unknown WWID (smart): hold it for a second path.
 * The hold is armed once per candidate; the expiry is a cfg item of the
 * map's key that waits in the queue until the deadline. */
static void hold_arm(struct mpd_map *mm)
{
	struct mpd_work *w;
	int secs;

	if (mpd_load(&mm->hold_until) || mpd_load(&mm->hold_released))
		return;
	if (udev_released(mm)) {
		/* e.g. after a daemon restart: the system may be using it */
		mpd_store(&mm->hold_released, true);
		log_info("%s: %s was released by udev before, not holding it again",
			 mm->m->wwid, mm->paths[0]->info->devname);
		return;
	}
	secs = hold_seconds(mm);
	mpd_store(&mm->hold_until, mp_now_usec() + (uint64_t)secs * USEC_PER_SEC);
	w = mpd_work_new(W_FIND_EXPIRE, mm->m->wwid);
	if (!w)
		return;
	w->not_before = mpd_load(&mm->hold_until);
	w->timer = true;        /* settle and `show status` do not wait for it */
	mpd_push_cfg(mm->d, w);
	log_notice("%s: %s held for up to %d s for a second path (find_multipaths smart)",
		   mm->m->wwid, mm->n_paths ? mm->paths[0]->info->devname : "?", secs);
}

/* Ask udev to look at a released path again: `multipath -u` now says it
 * is not a multipath path and the rest of the system may take it. */
static void retrigger(const struct mp_path_info *pi)
{
	char dir[288];
	int r;

	if (pi->syspath && *pi->syspath)
		snprintf(dir, sizeof(dir), "%s", pi->syspath);
	else
		snprintf(dir, sizeof(dir), "/sys/block/%s", pi->devname);
	r = mp_backend()->sysfs->write_attr(dir, "uevent", "change");
	if (r < 0)
		log_warn("%s: cannot trigger a change uevent: %s", pi->devname, strerror(-r));
}

/* After a create: paths udev did not claim (a released smart path, the
 * first path under find_multipaths on) are looked at again, so the rules
 * claim them now that they belong to a map. */
static void retrigger_unclaimed(struct mpd_map *mm)
{
	char v[8];

	for (size_t i = 0; i < mm->n_paths; i++) {
		const struct mp_path_info *pi = mm->paths[i]->info;
		int r = mp_udev_db_prop(mm->d->priv->opts.udev_db_dir, pi->devt,
					"DM_MULTIPATH_DEVICE_PATH", v, sizeof(v));

		/* no database entry: udev has yet to see it, and will ask
		 * with the map in place */
		if (r == -ENODATA || (r == 0 && strcmp(v, "1") != 0)) {
			log_info("%s: %s was not claimed by udev, triggering a change",
				 mm->name, pi->devname);
			retrigger(pi);
		}
	}
}

uint64_t mpd_map_hold_expire_locked(struct mpd_map *mm)
{
	uint64_t until = mpd_load(&mm->hold_until);

	mpd_assert_held(&mm->m->cfg_lock);
	if (mm->in_kernel || !until || mpd_load(&mm->hold_released) || !mm->n_paths)
		return 0;
	if (mp_now_usec() < until)
		return until;           /* ran early, with other items of the key */
	if (find_verdict(mm) != MP_FIND_MAYBE)
		return 0;               /* the next sync decides */
	mpd_store(&mm->hold_released, true);
	log_notice("%s: no second path within find_multipaths_timeout, releasing %s",
		   mm->m->wwid, mm->paths[0]->info->devname);
	for (size_t i = 0; i < mm->n_paths; i++)
		retrigger(mm->paths[i]->info);
	return 0;
}

int mpd_find_hold(struct mpd *d, const char *wwid, long long *ret_until)
{
	struct mpd_map *mm;
	struct mp_map *m;
	uint64_t until, now;
	int r = -ENOENT;

	rcu_read_lock();
	m = mp_topo_find_map(&d->topo, wwid);
	mm = m ? mpd_map_of(m) : NULL;
	if (mm && !mp_map_snap_get(m)) {
		until = mpd_load(&mm->hold_until);
		now = mp_now_usec();
		if (mpd_load(&mm->hold_released)) {
			r = 0;
		} else if (until) {
			*ret_until = (long long)time(NULL) +
				     (long long)((until > now ? until - now : 0) + USEC_PER_SEC - 1) /
				     (long long)USEC_PER_SEC;
			r = 1;
		}
	}
	rcu_read_unlock();
	return r;
}

static void remember_wwid(struct mpd_map *mm)
{
	struct mpd_private *pv = mm->d->priv;
	char *file = wwids_file(mm->d);

	if (!file)
		return;
	mpd_lock(&pv->files_lock, LR_LEAF, NULL);
	if (wwids_cache_op(pv, file, mm->m->wwid, mp_wwids_cache_add) < 0)
		log_debug("%s: could not remember the WWID in %s", mm->m->wwid, file);
	mpd_unlock(&pv->files_lock);
	free(file);
}

/*---- create / reload ----*/

static uint32_t dm_flags(struct mpd_map *mm, const struct want *w)
{
	uint32_t f = 0;
	bool any = false, ghosts = false;

	if (mm->m->settings->skip_kpartx)
		f |= MP_DM_FLAG_SKIP_KPARTX;
	if (mm->d->priv->opts.no_udev_sync)
		f |= MP_DM_FLAG_NOSYNC;
	for (size_t i = 0; i < mm->n_paths; i++) {
		any |= w->in[i].enabled;
		ghosts |= w->in[i].usable && !w->in[i].enabled;
	}
	/* standby paths are usable (after a group switch) unless ghost_delay
	 * still gives active paths the time to show up */
	if (!any && (!ghosts || mpd_load(&mm->ghost_tick) > 0))
		f |= MP_DM_FLAG_NO_PATHS;
	if (mm->ro)
		f |= MP_DM_FLAG_READONLY;
	return f;
}

/* A new map of standby paths only: wait ghost_delay s (or for an active
 * path, core-state.c) before it is announced ready. */
static void ghost_delay_arm(struct mpd_map *mm, const struct want *w)
{
	int delay = mm->m->settings->ghost_delay;
	bool ghosts = false;

	for (size_t i = 0; i < mm->n_paths; i++) {
		if (w->in[i].enabled)
			return;
		ghosts |= w->in[i].usable;
	}
	if (delay <= 0 || !ghosts)
		return;
	mpd_lock(&mm->m->state_lock, LR_STATE, mm->m);
	mpd_store(&mm->ghost_tick, delay);
	mpd_store(&mm->timers, true);
	mpd_unlock(&mm->m->state_lock);
	log_notice("%s: only standby paths, ghost_delay %d s", mm->m->wwid, delay);
}

static int do_create(struct mpd_map *mm, struct want *w)
{
	_cleanup_free_ char *uuid = NULL;
	struct mp_dm_info info = { 0 };
	int r;

	if (!mm->name) {
		char *name = NULL;

		r = choose_name(mm, &name);
		if (r < 0)
			return r;
		/* the failure path reads the name under state_lock */
		mpd_lock(&mm->m->state_lock, LR_STATE, mm->m);
		mm->name = name;
		mpd_unlock(&mm->m->state_lock);
	}
	if (asprintf(&uuid, MP_DM_UUID_PREFIX "%s", mm->m->wwid) < 0)
		return -ENOMEM;
	ghost_delay_arm(mm, w);
	r = mp_dm_create(mm->name, uuid, w->size, w->params, dm_flags(mm, w));
	if (r < 0)
		return log_error_errno(r, "%s: create failed: %s", mm->name, strerror(-r));
	mpd_inc(&mm->d->priv->cnt.maps_created);
	mpd_inc(&mm->m->stats.map_loads);
	r = mp_dm_info(mm->name, &info);
	mpd_lock(&mm->m->state_lock, LR_STATE, mm->m);
	mm->in_kernel = true;
	mm->size = w->size;
	if (r == 0) {
		mpd_store(&mm->event_nr, info.event_nr);
		mm->devt_cache = info.devt;
	} else {
		mm->devt_cache = 0;     /* not an earlier life's dm-N */
	}
	mpd_map_index_locked(mm);
	mpd_unlock(&mm->m->state_lock);
	mp_dm_info_done(&info);
	remember_wwid(mm);
	retrigger_unclaimed(mm);
	log_notice("%s: created (%s) with %zu paths", mm->name, mm->m->wwid, mm->n_paths);
	return 0;
}

static int do_reload(struct mpd_map *mm, struct want *w)
{
	int r = mp_dm_reload(mm->name, w->size, w->params,
			     dm_flags(mm, w) | MP_DM_FLAG_RELOAD);

	if (r < 0)
		return log_error_errno(r, "%s: reload failed: %s", mm->name, strerror(-r));
	mpd_inc(&mm->d->priv->cnt.maps_reloaded);
	mpd_inc(&mm->m->stats.map_loads);
	log_notice("%s: reloaded with %zu paths", mm->name, mm->n_paths);
	return 0;
}

/*
 * Bring the kernel in line with the membership: one create (new map) or
 * one reload (table differs), nothing when it already matches.
 */
int mpd_map_sync_locked(struct mpd_map *mm, bool force, const char **ret_action)
{
	struct want w;
	const char *action = NULL;
	int r;

	mpd_assert_held(&mm->m->cfg_lock);
	if (!mm->m->settings)
		return -EINVAL;
	if (!mm->in_kernel) {
		enum mp_find_verdict v = mm->n_paths ? find_verdict(mm) : MP_FIND_NO;

		if (v == MP_FIND_MAYBE)
			hold_arm(mm);
		if (v != MP_FIND_YES)
			return 0;
	}
	r = build_want(mm, &w);
	if (r < 0) {
		want_done(&w);
		return log_error_errno(r, "%s: cannot build the table: %s", mm->m->wwid, strerror(-r));
	}
	if (!mm->in_kernel) {
		r = do_create(mm, &w);
		action = "create";
	} else if (force || !mpd_table_equivalent(w.params, mm->params)) {
		r = do_reload(mm, &w);
		action = "reload";
	} else {
		mpd_inc(&mm->d->priv->cnt.reloads_skipped);
	}
	mpd_lock(&mm->m->state_lock, LR_STATE, mm->m);
	if (r >= 0 && action) {
		/* read by the failure path's publish: change under state_lock */
		free(mm->params);
		mm->params = TAKE_PTR(w.params);
		mm->size = w.size;
		mp_table_free(mm->kernel_table);
		mm->kernel_table = NULL;
	}
	layout_from_want_locked(mm, &w);
	if (r >= 0 && action)
		mpd_state_after_reload_locked(mm);
	else if (!mm->active_pg)
		mm->active_pg = w.g.best >= 0 ? w.g.best + 1 : 1;
	mpd_map_publish_locked(mm, action ? action : "none");
	mpd_unlock(&mm->m->state_lock);
	want_done(&w);
	if (ret_action)
		*ret_action = action;
	return r;
}

/* Remove the map from the kernel.  -EBUSY when it is open and the policy
 * (or the CLI) says not to force it. */
int mpd_map_flush_locked(struct mpd_map *mm, bool from_cli)
{
	struct mp_dm_info info = { 0 };
	const struct mp_settings *s = mm->m->settings;
	bool deferred = s && s->deferred_remove;
	int r;

	mpd_assert_held(&mm->m->cfg_lock);
	if (!mm->in_kernel)
		return 0;
	r = mp_dm_info(mm->name, &info);
	if (r == 0 && info.open_count > 0 && !deferred &&
	    (from_cli || !s || s->flush_on_last_del != FLUSH_ALWAYS)) {
		mp_dm_info_done(&info);
		return -EBUSY;
	}
	mp_dm_info_done(&info);
	if (s && s->flush_on_last_del == FLUSH_ALWAYS)
		mp_dm_set_queueing(mm->name, false);
	r = mp_dm_remove(mm->name, deferred);
	if (r < 0)
		return log_error_errno(r, "%s: remove failed: %s", mm->name, strerror(-r));
	mpd_lock(&mm->m->state_lock, LR_STATE, mm->m);
	mm->in_kernel = false;
	mpd_map_unindex_locked(mm);
	mpd_unlock(&mm->m->state_lock);
	mpd_inc(&mm->d->priv->cnt.maps_removed);
	log_notice("%s: removed", mm->name);
	return 0;
}

/* reservation_key: the configured key, or the prkeys file's for "file".
 * Read outside state_lock (a file), swapped under it (getprkey reads). */
static void prkey_refresh(struct mpd_map *mm)
{
	char *key = mpd_map_prkey_wanted(mm);

	mpd_lock(&mm->m->state_lock, LR_STATE, mm->m);
	free(mm->prkey);
	mm->prkey = key;
	mpd_unlock(&mm->m->state_lock);
}

/* Re-resolve the map's settings against the current config. */
int mpd_map_settings_refresh_locked(struct mpd_map *mm, bool *ret_changed)
{
	struct mp_settings *s = NULL, *old;
	const struct mp_path_info *pi = mm->n_paths ? mpd_load(&mm->paths[0]->info) : NULL;
	int r;

	mpd_assert_held(&mm->m->cfg_lock);
	rcu_read_lock();
	r = mp_config_resolve(mpd_config(), pi, mm->m->wwid, &s);
	rcu_read_unlock();
	if (r < 0)
		return r;
	old = mm->m->settings;
	*ret_changed = !old || !mp_settings_equal(old, s);
	if (!*ret_changed) {
		mp_settings_free(s);
		return 0;
	}
	mpd_lock(&mm->m->state_lock, LR_STATE, mm->m);
	mm->m->settings = s;
	mpd_unlock(&mm->m->state_lock);
	if (old)
		mp_settings_free(old);
	prkey_refresh(mm);
	return 0;
}

/*---- snapshot ----*/

static int snap_pgs(struct mpd_map *mm, struct mp_map_snap *s)
{
	s->pgs = calloc(mm->n_pgs ? mm->n_pgs : 1, sizeof(*s->pgs));
	if (!s->pgs)
		return -ENOMEM;
	s->n_pgs = mm->n_pgs;
	for (size_t g = 0; g < mm->n_pgs; g++) {
		struct mp_pg_snap *ps = &s->pgs[g];
		const struct mpd_pg *pg = &mm->pgs[g];
		size_t usable = 0;

		ps->prio = pg->prio;
		ps->marginal = pg->marginal;
		ps->selector = (char *)mp_str_intern(pg->selector ?: "");
		ps->paths = calloc(pg->n ? pg->n : 1, sizeof(*ps->paths));
		if (!ps->selector || !ps->paths)
			return -ENOMEM;
		ps->n_paths = pg->n;
		for (size_t i = 0; i < pg->n; i++) {
			ps->paths[i] = pg->paths[i];
			if (mpd_load(&pg->paths[i]->dm_state) != DMP_FAILED)
				usable++;
		}
		ps->state = (int)(g + 1) == mm->active_pg ? PGS_ACTIVE
			    : usable ? PGS_ENABLED : PGS_DISABLED;
	}
	return 0;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* A value many maps share (model, features): the string pool's copy,
 * which mp_map_snap_free() leaves alone. */
static char *shared_or_null(const char *s)
{
	return (char *)mp_str_intern(s);
}

void mpd_map_publish_locked(struct mpd_map *mm, const char *action)
{
	struct mp_map_snap *s;
	const struct mp_settings *st = mm->m->settings;
	const struct mp_path_info *pi = mm->n_paths ? mpd_load(&mm->paths[0]->info) : NULL;
	int n_active = 0;

	mpd_assert_held(&mm->m->state_lock);
	if (!mm->in_kernel) {
		mp_map_publish(mm->m, NULL);
		return;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return;
	s->name = dup_or_null(mm->name);
	s->wwid = dup_or_null(mm->m->wwid);
	s->devt = mm->devt_cache;
	s->size = mm->size;
	if (mm->params) {
		struct mp_table *t = NULL;

		if (mp_table_parse(mm->params, &t) >= 0) {
			s->features = shared_or_null(t->features);
			s->hwhandler = shared_or_null(t->hwhandler);
		}
		mp_table_free(t);
	}
	s->readonly = mm->ro;
	s->suspended = mm->suspended;
	if (pi) {
		s->vendor = shared_or_null(pi->vendor);
		s->product = shared_or_null(pi->product);
		s->revision = shared_or_null(pi->revision);
	}
	if (st) {
		s->failback = st->failback;
		s->failback_delay = st->failback_delay;
		s->no_path_retry = st->no_path_retry;
		s->no_path_retry_count = st->no_path_retry_count;
	}
	s->retry_tick = mm->recovery ? mm->retry_tick : 0;
	s->queueing = mm->queueing;
	s->active_pg = mm->active_pg;
	for (size_t i = 0; i < mm->n_paths; i++)
		if (mpd_load(&mm->paths[i]->dm_state) != DMP_FAILED &&
		    mp_chk_state_usable(mpd_load(&mm->paths[i]->chk_state)))
			n_active++;
	s->n_active_paths = n_active;
	s->action = action;
	if (snap_pgs(mm, s) < 0) {
		mp_map_snap_free(s);
		return;
	}
	mp_map_publish(mm->m, s);
}

/*---- adoption ----*/

/* Take a multipath map found in the kernel into the topology as it is:
 * its table becomes the reference, so paths that rejoin it in the same
 * order cause no reload. */
int mpd_adopt_one(struct mpd *d, const char *name)
{
	struct mp_dm_info info = { 0 };
	struct mp_dm_target tgt = { 0 };
	struct mp_map *m = NULL;
	struct mpd_map *mm;
	const char *wwid;
	int r;

	r = mp_dm_info(name, &info);
	if (r < 0 || !info.exists || !info.uuid || !str_startswith(info.uuid, MP_DM_UUID_PREFIX)) {
		mp_dm_info_done(&info);
		return 0;
	}
	wwid = info.uuid + strlen(MP_DM_UUID_PREFIX);
	r = mp_dm_get_table(name, &tgt);
	if (r < 0 || !tgt.type || strcmp(tgt.type, "multipath") != 0)
		goto out;
	rcu_read_lock();
	m = mp_topo_find_map(&d->topo, wwid);
	rcu_read_unlock();
	if (!m) {
		r = mp_topo_add_map(&d->topo, wwid, &m);
		if (r < 0)
			goto out;
		if (!mpd_map_new(d, m)) {
			mp_topo_del_map(&d->topo, m);
			r = -ENOMEM;
			goto out;
		}
	}
	mm = mpd_map_of(m);
	mpd_lock(&m->cfg_lock, LR_CFG, m);
	if (!mm->in_kernel) {
		mpd_lock(&m->state_lock, LR_STATE, m);
		free(mm->name);
		mm->name = strdup(name);
		mm->params = strdup(tgt.params ?: "");
		mp_table_free(mm->kernel_table);
		mm->kernel_table = NULL;
		mp_table_parse(tgt.params ?: "", &mm->kernel_table);
		mm->size = tgt.size;
		mm->devt_cache = info.devt;
		mm->in_kernel = true;
		mm->adopted = true;
		mm->ro = info.readonly;
		mpd_store(&mm->event_nr, info.event_nr);
		mpd_map_index_locked(mm);
		mm->suspended = info.suspended;
		mm->queueing = mp_features_has(mm->kernel_table ? mm->kernel_table->features : "0",
					       "queue_if_no_path");
		mm->active_pg = mm->kernel_table && mm->kernel_table->initial_pg
				? (int)mm->kernel_table->initial_pg : 1;
		mpd_map_publish_locked(mm, "adopt");
		mpd_unlock(&m->state_lock);
		log_info("%s: adopted existing map (%s)", name, wwid);
	}
	mpd_unlock(&m->cfg_lock);
	r = 1;
out:
	mp_dm_target_done(&tgt);
	mp_dm_info_done(&info);
	return r;
}

int mpd_adopt_kernel_maps(struct mpd *d)
{
	struct mp_dm_list_entry *l = NULL;
	size_t n = 0;
	int r, count = 0;

	r = mp_dm_list(&l, &n);
	if (r < 0)
		return log_error_errno(r, "cannot list DM devices: %s", strerror(-r));
	for (size_t i = 0; i < n; i++)
		if (mpd_adopt_one(d, l[i].name) > 0)
			count++;
	mp_dm_list_free(l, n);
	return count;
}
