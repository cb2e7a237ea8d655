// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The cfg queue handler: one batch = every item queued for one key (one
 * WWID) when a worker picked it.  The batch is applied in arrival order to
 * the membership under the map's cfg_lock and ends in at most one DM
 * create or reload (mpd_map_sync_locked) — that is where a storm of adds
 * for one WWID folds into one table load.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <urcu/uatomic.h>

#include "core.h"
#include "discovery/tunables.h"
#include "dm/dm.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/util.h"

enum { SYNC_NONE, SYNC_IF_CHANGED, SYNC_FORCE };

struct batch {
	struct mpd *d;
	const char *key;
	struct mp_map *m;
	struct mpd_map *mm;
	int sync;                       /* SYNC_* */
	bool resize;
	bool resize_forced;             /* CLI resize: auto_resize does not apply */
	size_t n_dead;
	struct mp_path *dead[64];       /* leave the topology after publishing */
	/* items for other keys, pushed once the dead paths are gone: a path
	 * whose WWID changed must not be found by the new key's worker while
	 * it is still in the topology as a leaving member */
	struct mpd_work *requeued;
};

struct info_rcu {
	struct rcu_head rcu;
	struct mp_path_info *pi;
};

static void info_free_rcu(struct rcu_head *h)
{
	struct info_rcu *ir = caa_container_of(h, struct info_rcu, rcu);

	mp_tsan_ignore_begin();
	mp_path_info_free(ir->pi);
	free(ir);
	mp_tsan_ignore_end();
}

static void path_set_info(struct mp_path *p, struct mp_path_info *pi)
{
	struct mp_path_info *old = mpd_xchg(&p->info, pi);
	struct info_rcu *ir;

	if (!old)
		return;
	ir = malloc(sizeof(*ir));
	if (!ir) {              /* leak rather than free under readers */
		log_err("out of memory retiring path info");
		return;
	}
	ir->pi = old;
	call_rcu(&ir->rcu, info_free_rcu);
}

int mpd_path_prio(const struct mp_settings *s, const struct mp_path_info *pi)
{
	int prio;

	if (!s || !s->prio || (strcmp(s->prio, "alua") && strcmp(s->prio, "sysfs") &&
			       strcmp(s->prio, "ana")))
		return 1;
	switch (pi->access_state) {
	case ACCESS_OPTIMIZED:
		prio = 50;
		break;
	case ACCESS_NON_OPTIMIZED:
		prio = 10;
		break;
	case ACCESS_STANDBY:
		prio = 1;
		break;
	default:
		prio = 0;
		break;
	}
	return pi->preferred ? prio + 80 : prio;
}

/* What the device says of itself when it joins; the checker refines it. */
static int initial_state(const struct mp_path_info *pi)
{
	switch (pi->state) {
	case SDEV_OFFLINE:
	case SDEV_TRANSPORT_OFFLINE:
	case SDEV_CANCEL:
	case SDEV_DELETED:
		return PATH_DOWN;
	default:
		break;
	}
	switch (pi->access_state) {
	case ACCESS_STANDBY:
		return PATH_GHOST;
	case ACCESS_UNAVAILABLE:
	case ACCESS_OFFLINE:
		return PATH_DOWN;
	default:
		return PATH_UP;
	}
}

/*---- the batch's map ----*/

static int batch_map(struct batch *b, bool create)
{
	struct mp_map *m;
	int r;

	if (b->mm)
		return 0;
	if (str_startswith(b->key, "dev:") || b->key[0] == '@')
		return -ENOENT;
	rcu_read_lock();
	m = mp_topo_find_map(&b->d->topo, b->key);
	rcu_read_unlock();
	if (!m) {
		if (!create)
			return -ENOENT;
		r = mp_topo_add_map(&b->d->topo, b->key, &m);
		if (r < 0)
			return r;
		if (!mpd_map_new(b->d, m)) {
			mp_topo_del_map(&b->d->topo, m);
			return -ENOMEM;
		}
	}
	/* The key is ours: nobody else deletes this map while we hold it. */
	mpd_lock(&m->cfg_lock, LR_CFG, m);
	b->m = m;
	b->mm = mpd_map_of(m);
	return 0;
}

static void batch_kill_path(struct batch *b, struct mp_path *p)
{
	if (b->n_dead == sizeof(b->dead) / sizeof(b->dead[0])) {
		/* rare: publish what we have so the old snapshot is gone */
		if (b->mm) {
			mpd_lock(&b->m->state_lock, LR_STATE, b->m);
			mpd_map_publish_locked(b->mm, "remove");
			mpd_unlock(&b->m->state_lock);
		}
		for (size_t i = 0; i < b->n_dead; i++)
			mp_topo_del_path(&b->d->topo, b->dead[i]);
		b->n_dead = 0;
	}
	b->dead[b->n_dead++] = p;
}

static void requeue(struct batch *b, struct mpd_work *w, const char *key)
{
	struct mpd_work *nw = mpd_work_new(w->kind, key);

	if (!nw)
		return;
	nw->uev = TAKE_PTR(w->uev);
	nw->devt = w->devt;
	nw->done = TAKE_PTR(w->done);
	nw->t_queued = w->t_queued;
	nw->next = b->requeued;
	b->requeued = nw;
}

static void push_requeued(struct batch *b)
{
	struct mpd_work *rev = NULL;

	while (b->requeued) {           /* back to arrival order */
		struct mpd_work *w = b->requeued;

		b->requeued = w->next;
		w->next = rev;
		rev = w;
	}
	while (rev) {
		struct mpd_work *w = rev;

		rev = w->next;
		w->next = NULL;
		mpd_push_cfg(b->d, w);
	}
}

/*---- items ----*/

/* The path's sysfs tunables, before the batch's create/reload: the map
 * takes its queue limits (max_sectors_kb) from its paths when the table is
 * loaded.  Returns the number of attributes written. */
static int path_tunables(struct batch *b, struct mp_path *p)
{
	struct mp_tunables tun;
	int r;

	rcu_read_lock();
	r = mp_tunables_resolve(mpd_config(), p->info, b->key, &tun);
	rcu_read_unlock();
	return r < 0 ? 0 : mp_tunables_apply(p->info, &tun);
}

static int join_path(struct batch *b, struct mp_path_info *pi, const struct mp_uevent *u)
{
	struct mp_path *p;
	bool refresh;
	int r;

	rcu_read_lock();
	p = mp_topo_find_path(&b->d->topo, pi->devt);
	rcu_read_unlock();
	r = batch_map(b, true);
	if (r < 0) {
		mp_path_info_free(pi);
		return r;
	}
	if (p && p->map && p->map != b->m) {
		log_warn("%s: %s still belongs to another map, ignoring", b->key, pi->devname);
		mp_path_info_free(pi);
		return -EBUSY;
	}
	if (p && p->map == b->m) {
		/* a second add of a member (udev confirming the kernel's add,
		 * a triggered add): new facts, but the checker's verdict and
		 * the tunables already written stand */
		path_set_info(p, pi);
		mpd_store(&p->prio, mpd_path_prio(b->m->settings, p->info));
		b->sync = MP_MAX(b->sync, SYNC_IF_CHANGED);
		return 0;
	}
	if (p) {
		path_set_info(p, pi);
	} else {
		r = mp_topo_add_path(&b->d->topo, pi, &p);
		if (r < 0) {
			mp_path_info_free(pi);
			return r;
		}
	}
	mpd_store(&p->chk_state, initial_state(p->info));
	r = mpd_map_add_member_locked(b->mm, p);
	if (r < 0)
		return r;
	path_tunables(b, p);
	if (!b->m->settings) {
		r = mpd_map_settings_refresh_locked(b->mm, &refresh);
		if (r < 0)
			return log_error_errno(r, "%s: cannot resolve settings: %s", b->key, strerror(-r));
	}
	mpd_store(&p->prio, mpd_path_prio(b->m->settings, p->info));
	b->sync = MP_MAX(b->sync, SYNC_IF_CHANGED);
	return 0;
}

static bool path_blacklisted(struct mp_path_info *pi, const struct mp_uevent *u)
{
	const char *reason = NULL;
	int r;

	rcu_read_lock();
	r = mp_config_blacklisted_path(mpd_config(), pi, mp_uevent_get_prop, (void *)u, &reason);
	if (r == 0)
		r = mp_config_blacklisted_wwid(mpd_config(), pi->wwid, &reason);
	rcu_read_unlock();
	if (r > 0)
		log_info("%s: %s", pi->devname, reason ?: "blacklisted");
	return r > 0;
}

static int item_add(struct batch *b, struct mpd_work *w)
{
	struct mp_path_info *pi = NULL;
	int r;

	r = b->d->priv->ops.pathinfo(b->d, w->uev, &pi);
	if (r < 0) {
		log_debug("%s: no path info: %s", w->uev->devname, strerror(-r));
		return r;
	}
	if (!pi->wwid || !*pi->wwid) {
		log_info("%s: no WWID, not a multipath member", pi->devname);
		mp_path_info_free(pi);
		return -ENODATA;
	}
	if (strcmp(pi->wwid, b->key) != 0) {
		requeue(b, w, pi->wwid);
		mp_path_info_free(pi);
		return 0;
	}
	if (path_blacklisted(pi, w->uev)) {
		mp_path_info_free(pi);
		return 0;
	}
	return join_path(b, pi, w->uev);
}

static int leave_path(struct batch *b, struct mp_path *p)
{
	if (b->mm && p->map == b->m) {
		mpd_map_del_member_locked(b->mm, p);
		b->sync = MP_MAX(b->sync, SYNC_IF_CHANGED);
	}
	batch_kill_path(b, p);
	return 0;
}

static int item_remove(struct batch *b, struct mpd_work *w)
{
	struct mp_path *p;

	rcu_read_lock();
	p = mp_topo_find_path(&b->d->topo, w->devt);
	rcu_read_unlock();
	if (!p)
		return 0;
	for (size_t i = 0; i < b->n_dead; i++)
		if (b->dead[i] == p)
			return 0;
	batch_map(b, false);
	return leave_path(b, p);
}

static void change_state(struct batch *b, struct mp_path *p, const struct mp_path_info *pi)
{
	struct mpd_work *w;
	int st = initial_state(pi);
	int cur = mpd_load(&p->chk_state);

	if (st == cur || (mp_chk_state_usable(st) && mp_chk_state_usable(cur)))
		return;
	/* recheck_wwid: only the checker reinstates, after re-reading the
	 * WWID (path-recheck.c); a change event is no proof of identity */
	if (mp_chk_state_usable(st) && b->m && b->m->settings && b->m->settings->recheck_wwid)
		return;
	w = mpd_work_new(mp_chk_state_usable(st) ? W_PATH_UP : W_PATH_DOWN, b->key);
	if (!w)
		return;
	w->devt = p->devt;
	w->arg = DOWN_OFFLINE;
	mpd_push_crit(b->d, w);
}

static int item_change(struct batch *b, struct mpd_work *w)
{
	struct mp_path_info *pi = NULL;
	const struct mp_path_info *old;
	struct mp_path *p;
	int r;

	rcu_read_lock();
	p = mp_topo_find_path(&b->d->topo, w->devt);
	rcu_read_unlock();
	if (!p)         /* a change we never saw added (partial init done) */
		return item_add(b, w);
	r = b->d->priv->ops.pathinfo(b->d, w->uev, &pi);
	if (r < 0)
		return r;
	if (!w->uev->n_env && pi->wwid && strcmp(pi->wwid, b->key) != 0) {
		/* synthetic event without udev properties: the sysfs form of
		 * the WWID is not comparable with the udev one */
		free(pi->wwid);
		pi->wwid = strdup(b->key);
	}
	if (pi->wwid && strcmp(pi->wwid, b->key) != 0) {
		log_notice("%s: WWID changed from %s to %s", pi->devname, b->key, pi->wwid);
		batch_map(b, false);
		leave_path(b, p);
		requeue(b, w, pi->wwid);
		mp_path_info_free(pi);
		return 0;
	}
	batch_map(b, false);
	old = p->info;
	if (b->mm && p->map == b->m) {
		if (old->ro != pi->ro) {
			b->mm->ro = pi->ro;
			b->sync = SYNC_FORCE;
		}
		if (old->size != pi->size)
			b->resize = true;
		if (old->access_state != pi->access_state || old->preferred != pi->preferred) {
			mpd_store(&p->prio, mpd_path_prio(b->m->settings, pi));
			b->sync = MP_MAX(b->sync, SYNC_IF_CHANGED);
		}
	}
	change_state(b, p, pi);
	path_set_info(p, pi);
	return 0;
}

static bool resize_allowed(struct batch *b)
{
	enum mp_auto_resize ar;
	const struct mpd_map *mm = b->mm;
	uint64_t sz = mm->n_paths ? mm->paths[0]->info->size : 0;

	for (size_t i = 1; i < mm->n_paths; i++)
		if (mm->paths[i]->info->size != sz)
			return false;       /* not every path has seen it yet */
	rcu_read_lock();
	ar = mp_config_globals(mpd_config())->auto_resize;
	rcu_read_unlock();
	if (b->resize_forced)
		return sz > 0;
	return ar == RESIZE_GROW_SHRINK || (ar == RESIZE_GROW_ONLY && sz > mm->size);
}

/* Settings changed by a reconfigure: rename, then reload if the table moved. */
static int item_reconf(struct batch *b, struct mpd_work *w)
{
	bool changed = false, force = w->arg;
	int r;

	if (batch_map(b, false) < 0)
		return 0;
	r = mpd_map_settings_refresh_locked(b->mm, &changed);
	if (r < 0)
		return r;
	for (size_t i = 0; i < b->mm->n_paths; i++)
		mpd_store(&b->mm->paths[i]->prio,
			    mpd_path_prio(b->m->settings, b->mm->paths[i]->info));
	/* new tunables: a reload lets the map inherit new queue limits */
	for (size_t i = 0; i < b->mm->n_paths; i++)
		if (path_tunables(b, b->mm->paths[i]) > 0 && b->mm->in_kernel)
			force = true;
	if (changed && b->mm->in_kernel && b->m->settings->alias && b->mm->name &&
	    strcmp(b->m->settings->alias, b->mm->name) != 0) {
		r = mp_dm_rename(b->mm->name, b->m->settings->alias);
		if (r == 0) {
			mpd_lock(&b->m->state_lock, LR_STATE, b->m);
			free(b->mm->name);
			b->mm->name = strdup(b->m->settings->alias);
			mpd_unlock(&b->m->state_lock);
		}
	}
	if (changed || force)
		b->sync = MP_MAX(b->sync, force ? SYNC_FORCE : SYNC_IF_CHANGED);
	return 0;
}

static int item_map_remove(struct batch *b, struct mpd_work *w)
{
	int r;

	if (batch_map(b, false) < 0)
		return -ENOENT;
	r = mpd_map_flush_locked(b->mm, w->arg);
	if (r < 0)
		return r;
	b->sync = SYNC_NONE;
	while (b->mm->n_paths)
		mpd_map_del_member_locked(b->mm, b->mm->paths[0]);
	mpd_lock(&b->m->state_lock, LR_STATE, b->m);
	mpd_map_publish_locked(b->mm, "flush");
	mpd_unlock(&b->m->state_lock);
	return 0;
}

static int item_map_gone(struct batch *b)
{
	if (batch_map(b, false) < 0)
		return 0;
	mpd_lock(&b->m->state_lock, LR_STATE, b->m);
	b->mm->in_kernel = false;
	mpd_map_unindex_locked(b->mm);
	mpd_unlock(&b->m->state_lock);
	b->sync = SYNC_NONE;
	while (b->mm->n_paths)
		mpd_map_del_member_locked(b->mm, b->mm->paths[0]);
	mpd_lock(&b->m->state_lock, LR_STATE, b->m);
	mpd_map_publish_locked(b->mm, "gone");
	mpd_unlock(&b->m->state_lock);
	return 0;
}

/* Paths with this batch's WWID that belong to no map (its map was
 * deleted by the user) join it again. */
static void adopt_orphans(struct batch *b)
{
	struct cds_lfht_iter it;
	struct mp_path *p, *found[64];
	size_t n = 0;
	bool refresh;

	rcu_read_lock();
	mp_topo_for_each_path(&b->d->topo, &it, p) {
		mp_tsan_acquire(p);
		const struct mp_path_info *pi = mpd_load(&p->info);

		if (n < 64 && !mpd_load(&p->map) && pi && pi->wwid &&
		    !strcmp(pi->wwid, b->key))
			found[n++] = p;
	}
	rcu_read_unlock();
	/* the key is ours: nobody else adds or deletes these paths meanwhile */
	for (size_t i = 0; i < n; i++)
		mpd_map_add_member_locked(b->mm, found[i]);
	if (n && !b->m->settings)
		mpd_map_settings_refresh_locked(b->mm, &refresh);
	for (size_t i = 0; i < n; i++)
		mpd_store(&found[i]->prio, mpd_path_prio(b->m->settings, found[i]->info));
}

static int item_map_add(struct batch *b, struct mpd_work *w)
{
	if (w->arg && w->str && *w->str) {
		/* a map someone else created: adopt it (takes cfg_lock itself) */
		if (b->mm)
			return 0;
		return mpd_adopt_one(b->d, w->str);
	}
	if (batch_map(b, true) < 0)
		return -ENOENT;
	adopt_orphans(b);
	if (!b->mm->n_paths && !b->mm->in_kernel)
		return -ENODEV;
	b->sync = SYNC_IF_CHANGED;
	return 0;
}

/* The hold of a single smart path ran out (or the item ran early with
 * other items of its key: then it waits again). */
static int item_find_expire(struct batch *b, struct mpd_work *w)
{
	struct mpd_work *nw;
	uint64_t again;

	if (batch_map(b, false) < 0)
		return 0;
	again = mpd_map_hold_expire_locked(b->mm);
	if (!again)
		return 0;
	nw = mpd_work_new(W_FIND_EXPIRE, b->key);
	if (!nw)
		return -ENOMEM;
	nw->not_before = again;
	nw->timer = true;
	mpd_push_cfg(b->d, nw);
	return 0;
}

void mpd_reconfigure_run(struct mpd *d, bool all);     /* core-reconf.c */

static int run_item(struct batch *b, struct mpd_work *w)
{
	switch (w->kind) {
	case W_PATH_ADD:
		return item_add(b, w);
	case W_PATH_REMOVE:
		return item_remove(b, w);
	case W_PATH_CHANGE:
		return item_change(b, w);
	case W_MAP_SYNC:
		if (batch_map(b, false) < 0)
			return -ENOENT;
		b->sync = MP_MAX(b->sync, w->arg ? SYNC_FORCE : SYNC_IF_CHANGED);
		return 0;
	case W_MAP_RESIZE:
		if (batch_map(b, false) < 0)
			return -ENOENT;
		b->resize = b->resize_forced = true;
		b->sync = MP_MAX(b->sync, SYNC_IF_CHANGED);
		return 0;
	case W_MAP_REMOVE:
		return item_map_remove(b, w);
	case W_MAP_RECONF:
		return item_reconf(b, w);
	case W_MAP_GONE:
		return item_map_gone(b);
	case W_MAP_ADD:
		return item_map_add(b, w);
	case W_FIND_EXPIRE:
		return item_find_expire(b, w);
	case W_RECONFIGURE:
		mpd_reconfigure_run(b->d, w->arg);
		return 0;
	case W_PATH_PURGE:
		return mpd_purge_run(b->d, w);
	default:
		return -EINVAL;
	}
}

/*---- the batch ----*/

static int batch_finish_map(struct batch *b)
{
	struct mpd_map *mm = b->mm;
	int r = 0;

	if (!mm)
		return 0;
	if (b->resize && mm->in_kernel && resize_allowed(b)) {
		b->sync = SYNC_FORCE;
		mm->resize_ok = true;
	}
	if (mm->in_kernel && mm->n_paths == 0 && b->sync != SYNC_NONE) {
		/* last path gone: flush if the policy allows, else keep the
		 * map with an empty table (it may be queueing) */
		r = mpd_map_flush_locked(mm, false);
		if (r == 0)
			b->sync = SYNC_NONE;
	}
	if (b->sync != SYNC_NONE) {
		r = mpd_map_sync_locked(mm, b->sync == SYNC_FORCE, NULL);
		mm->resize_ok = false;
	} else {
		mpd_lock(&b->m->state_lock, LR_STATE, b->m);
		mpd_map_publish_locked(mm, mm->in_kernel ? "none" : "candidate");
		mpd_unlock(&b->m->state_lock);
	}
	return r;
}

static void batch_release(struct batch *b)
{
	bool drop = false;

	if (!b->mm)
		return;
	if (!b->mm->in_kernel && b->mm->n_paths == 0) {
		mpd_lock(&b->m->state_lock, LR_STATE, b->m);
		b->mm->dead = true;
		mpd_unlock(&b->m->state_lock);
		drop = true;
	}
	mpd_unlock(&b->m->cfg_lock);
	if (drop)
		mp_topo_del_map(&b->d->topo, b->m);
	b->m = NULL;
	b->mm = NULL;
}

void mpd_cfg_handler(void *ctx, const char *key, struct mpd_work *batch)
{
	struct batch b = { .d = ctx, .key = key };
	struct mpd_private *pv = b.d->priv;
	int results[256];
	size_t n = 0, n_uev = 0;
	int r;

	mpd_assert_none_held();
	for (struct mpd_work *w = batch; w; w = w->next, n++) {
		r = run_item(&b, w);
		if (n < sizeof(results) / sizeof(results[0]))
			results[n] = r;
		if (w->uev || w->kind == W_PATH_ADD || w->kind == W_PATH_REMOVE ||
		    w->kind == W_PATH_CHANGE)
			n_uev++;
	}
	r = batch_finish_map(&b);
	for (size_t i = 0; i < b.n_dead; i++)
		mp_topo_del_path(&b.d->topo, b.dead[i]);
	batch_release(&b);
	push_requeued(&b);

	if (n_uev > 1)
		mpd_add(&pv->cnt.uev_merged, n_uev - 1);
	n = 0;
	while (batch) {
		struct mpd_work *w = batch;
		bool is_uev = w->kind == W_PATH_ADD || w->kind == W_PATH_REMOVE ||
			      w->kind == W_PATH_CHANGE;

		batch = w->next;
		if (is_uev) {
			mpd_inc(&pv->cnt.uev_processed);
			mpd_hist_add(pv->cnt.hist, mp_now_usec() - w->t_queued);
		}
		mpd_work_finish(w, r < 0 ? r : n < sizeof(results) / sizeof(results[0]) ? results[n] : 0);
		n++;
	}
}
