// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The failure path: the crit queue handler.  Each item takes one map's
 * state_lock (never cfg_lock) and sends at most the messages its change
 * needs: one fail_path, one reinstate_path, one switch_group, one
 * queue_if_no_path / fail_if_no_path.  It also owns the 1 s timers of a
 * map (no_path_retry countdown, deferred failback) and the DM event scan.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <urcu/uatomic.h>

#include "core.h"
#include "dm/dm.h"
#include "dm/table.h"
#include "util/clock.h"
#include "util/log.h"

static int polling_interval(void)
{
	int pi;

	rcu_read_lock();
	pi = mp_config_globals(mpd_config())->polling_interval;
	rcu_read_unlock();
	return pi > 0 ? pi : 5;
}

/* A cfg worker may swap the path's info meanwhile (path_set_info): one
 * atomic load, the old one stays valid to the end of our RCU section. */
static const char *path_name(const struct mp_path *p)
{
	return mpd_load(&p->info)->devname;
}

static struct mp_path *member(struct mpd_map *mm, dev_t devt)
{
	for (size_t i = 0; i < mm->n_paths; i++)
		if (mm->paths[i]->devt == devt)
			return mm->paths[i];
	return NULL;
}

static bool path_enabled(const struct mp_path *p)
{
	return mpd_load(&p->dm_state) != DMP_FAILED &&
	       mp_chk_state_usable(mpd_load(&p->chk_state));
}

static size_t pg_enabled(const struct mpd_pg *pg)
{
	size_t n = 0;

	for (size_t i = 0; i < pg->n; i++)
		n += path_enabled(pg->paths[i]);
	return n;
}

/* Best group: the layout is sorted best first (non-marginal, prio desc),
 * so the first one with a usable path wins.  Groups of ghost paths only
 * count when nothing better exists.  1-based, 0 = none. */
int mpd_state_best_pg_locked(struct mpd_map *mm)
{
	int best = 0, best_prio = -1;

	mpd_assert_held(&mm->m->state_lock);
	for (size_t g = 0; g < mm->n_pgs; g++) {
		if (!pg_enabled(&mm->pgs[g]))
			continue;
		if (mm->pgs[g].marginal && best)
			continue;
		if (!best || (mm->pgs[best - 1].marginal && !mm->pgs[g].marginal) ||
		    mm->pgs[g].prio > best_prio) {
			best = (int)g + 1;
			best_prio = mm->pgs[g].prio;
		}
	}
	return best;
}

static void switch_to(struct mpd_map *mm, int pg, const char *why)
{
	if (pg <= 0 || pg == mm->active_pg)
		return;
	if (mp_dm_switch_group(mm->name, pg) < 0) {
		log_warn("%s: switch_group %d failed", mm->name, pg);
		return;
	}
	log_notice("%s: switched to group %d (%s)", mm->name, pg, why);
	mm->active_pg = pg;
	mpd_inc(&mm->m->stats.switch_grp);
}

static bool want_queueing(struct mpd_map *mm)
{
	const struct mp_settings *s = mm->m->settings;

	if (mpd_load(&mm->d->priv->force_queue_daemon))
		return true;
	return s && s->no_path_retry != NPR_FAIL && !mm->queue_disabled_cli && !mm->expired;
}

/* Always sent: the kernel's queueing state is not in the status line we
 * read on DM events, so ours may be stale. */
static void set_queueing(struct mpd_map *mm, bool on)
{
	if (mp_dm_set_queueing(mm->name, on) < 0) {
		log_warn("%s: cannot turn queueing %s", mm->name, on ? "on" : "off");
		return;
	}
	mm->queueing = on;
	log_notice("%s: queue_if_no_path %s", mm->name, on ? "enabled" : "disabled");
}

static void timers_update(struct mpd_map *mm)
{
	mpd_store(&mm->timers, (mm->recovery && mm->retry_tick > 0) || mm->failback_tick > 0 ||
				       mm->ghost_tick > 0);
}

static size_t n_enabled(struct mpd_map *mm)
{
	size_t n = 0;

	for (size_t i = 0; i < mm->n_paths; i++)
		n += path_enabled(mm->paths[i]);
	return n;
}

/* After any path change: keep the active group usable, run no_path_retry. */
static void paths_changed_locked(struct mpd_map *mm)
{
	const struct mp_settings *s = mm->m->settings;
	int best = mpd_state_best_pg_locked(mm);

	if (mm->active_pg > 0 && (size_t)mm->active_pg <= mm->n_pgs &&
	    !pg_enabled(&mm->pgs[mm->active_pg - 1]))
		switch_to(mm, best, "active group has no usable path");
	if (n_enabled(mm) == 0) {
		if (!mm->recovery) {
			mm->recovery = true;
			mm->q_start = mp_now_usec();
			if (s && s->no_path_retry == NPR_RETRY && s->no_path_retry_count > 0 &&
			    !mpd_load(&mm->d->priv->force_queue_daemon)) {
				mm->retry_tick = s->no_path_retry_count * polling_interval();
				log_notice("%s: no usable path, queueing for %d s", mm->name,
					   mm->retry_tick);
			}
		}
	} else if (mm->recovery) {
		mm->recovery = false;
		mm->retry_tick = 0;
		mpd_add(&mm->m->stats.total_q_time, (mp_now_usec() - mm->q_start) / USEC_PER_SEC);
		if (mm->expired) {
			mm->expired = false;
			if (want_queueing(mm))
				set_queueing(mm, true);
		}
	}
	timers_update(mm);
}

static void failback_locked(struct mpd_map *mm, struct mp_path *p)
{
	const struct mp_settings *s = mm->m->settings;
	int best = mpd_state_best_pg_locked(mm);

	if (!s || !best || best == mm->active_pg)
		return;
	switch (s->failback) {
	case FB_IMMEDIATE:
		switch_to(mm, best, "failback");
		break;
	case FB_FOLLOWOVER: {
		/* only when the first path of the best group comes back */
		const struct mpd_pg *pg = &mm->pgs[best - 1];
		bool in_best = false;

		for (size_t i = 0; i < pg->n; i++)
			in_best |= pg->paths[i] == p;
		if (in_best && pg_enabled(pg) == 1)
			switch_to(mm, best, "followover failback");
		break;
	}
	case FB_DEFERRED:
		if (!mm->failback_tick)
			mm->failback_tick = s->failback_delay > 0 ? s->failback_delay : 1;
		break;
	case FB_MANUAL:
	default:
		break;
	}
	timers_update(mm);
}

/*---- items ----*/

static int path_down_locked(struct mpd_map *mm, struct mp_path *p, int reason)
{
	int r = 0;

	if (reason != DOWN_DM)
		mpd_store(&p->chk_state, PATH_DOWN);
	if (mpd_load(&p->dm_state) != DMP_FAILED && mm->in_kernel) {
		r = mp_dm_fail_path(mm->name, p->devt);
		if (r < 0)
			log_warn("%s: fail_path %s: %s", mm->name, path_name(p), strerror(-r));
		mpd_store(&p->dm_state, DMP_FAILED);
		mpd_inc(&p->failures);
		mpd_inc(&mm->m->stats.path_faults);
		log_notice("%s: %s failed (%s)", mm->name, path_name(p),
			   reason == DOWN_UEVENT ? "removed" : reason == DOWN_OFFLINE ? "offline"
			   : reason == DOWN_DM ? "kernel" : "checker");
	}
	paths_changed_locked(mm);
	return r;
}

/* ghost_delay over: a forced reload drops the "no usable path" udev flag,
 * so udev announces the map. */
static void ghost_delay_end(struct mpd_map *mm, const char *why)
{
	struct mpd_work *w;

	mpd_store(&mm->ghost_tick, 0);
	log_notice("%s: ghost_delay ended (%s)", mm->name, why);
	w = mpd_work_new(W_MAP_SYNC, mm->m->wwid);
	if (!w)
		return;
	w->arg = 1;
	mpd_push_cfg(mm->d, w);
}

static int path_up_locked(struct mpd_map *mm, struct mp_path *p, int st)
{
	int r = 0;

	mpd_store(&p->chk_state, st);
	if (mpd_load(&p->dm_state) != DMP_ACTIVE && mm->in_kernel) {
		r = mp_dm_reinstate_path(mm->name, p->devt);
		if (r < 0) {
			log_warn("%s: reinstate_path %s: %s", mm->name, path_name(p), strerror(-r));
			return r;
		}
		mpd_store(&p->dm_state, DMP_ACTIVE);
		log_notice("%s: %s reinstated", mm->name, path_name(p));
	}
	if (st == PATH_UP && mm->ghost_tick > 0)
		ghost_delay_end(mm, "an active path");
	paths_changed_locked(mm);
	failback_locked(mm, p);
	return r;
}

static int map_tick_locked(struct mpd_map *mm)
{
	if (mm->recovery && mm->retry_tick > 0 && --mm->retry_tick == 0) {
		log_notice("%s: no_path_retry expired, failing queued I/O", mm->name);
		mm->expired = true;
		set_queueing(mm, false);
		mpd_inc(&mm->m->stats.q_timeouts);
	}
	if (mm->failback_tick > 0 && --mm->failback_tick == 0)
		switch_to(mm, mpd_state_best_pg_locked(mm), "deferred failback");
	if (mm->ghost_tick > 0) {
		/* dm_flags() reads it under cfg_lock only */
		mpd_store(&mm->ghost_tick, mm->ghost_tick - 1);
		if (mm->ghost_tick == 0)
			ghost_delay_end(mm, "expired");
	}
	timers_update(mm);
	return 0;
}

static int queueing_item_locked(struct mpd_map *mm, bool restore)
{
	if (!restore) {
		mm->queue_disabled_cli = true;
		mm->retry_tick = 0;
		set_queueing(mm, false);
	} else {
		mm->queue_disabled_cli = false;
		if (mm->m->settings && mm->m->settings->no_path_retry == NPR_FAIL)
			return 0;
		mm->expired = false;
		set_queueing(mm, true);
	}
	timers_update(mm);
	return 0;
}

static int map_item_locked(struct mpd_map *mm, struct mpd_work *w)
{
	struct mp_path *p = NULL;

	if (w->devt) {
		p = member(mm, w->devt);
		if (!p)
			return -ENODEV;
	}
	switch (w->kind) {
	case W_PATH_DOWN:
	case W_PATH_FAIL_CLI:
		return path_down_locked(mm, p, w->kind == W_PATH_DOWN ? w->arg : DOWN_CHECKER);
	case W_PATH_UP:
		return path_up_locked(mm, p, w->arg > 0 ? w->arg : PATH_UP);
	case W_PATH_REINSTATE_CLI:
		return path_up_locked(mm, p, PATH_UP);
	case W_SWITCH_GROUP:
		if (w->arg < 1 || (size_t)w->arg > mm->n_pgs)
			return -EINVAL;
		if (w->arg == mm->active_pg)
			return 0;
		switch_to(mm, w->arg, "user request");
		return mm->active_pg == w->arg ? 0 : -EIO;
	case W_QUEUEING:
		return queueing_item_locked(mm, w->arg);
	case W_MAP_TICK:
		return map_tick_locked(mm);
	case W_SUSPEND: {
		int r = mp_dm_suspend_resume(mm->name, w->arg, true);

		if (r == 0)
			mm->suspended = w->arg;
		return r;
	}
	case W_SET_MARGINAL:
		mpd_store(&p->marginal, w->arg);
		return 0;
	default:
		return -EINVAL;
	}
}

static int run_map_item(struct mpd *d, const char *key, struct mpd_work *w)
{
	struct mp_map *m;
	struct mpd_map *mm;
	int r;

	/* The map may be deleted by its cfg worker meanwhile: stay inside
	 * the read-side section (it is freed with call_rcu) and check dead. */
	rcu_read_lock();
	m = mp_topo_find_map(&d->topo, key);
	if (!m) {
		rcu_read_unlock();
		return -ENOENT;
	}
	mm = mpd_map_of(m);
	if (!mm) {
		rcu_read_unlock();
		return -ENOENT;
	}
	mpd_lock(&m->state_lock, LR_STATE, m);
	if (mm->dead || !mm->in_kernel) {
		r = -ENOENT;
	} else {
		r = map_item_locked(mm, w);
		mpd_map_publish_locked(mm, w->kind == W_MAP_TICK ? m->snap ? m->snap->action : "tick"
					    : w->kind == W_SWITCH_GROUP ? "switchpg" : "state");
	}
	mpd_unlock(&m->state_lock);
	rcu_read_unlock();
	return r;
}

/* After a reload the kernel restarted every path as active and the first
 * group as given in the table: re-send what the state says. */
void mpd_state_after_reload_locked(struct mpd_map *mm)
{
	mpd_assert_held(&mm->m->state_lock);
	mm->active_pg = 0;
	for (size_t g = 0; g < mm->n_pgs && !mm->active_pg; g++)
		if (pg_enabled(&mm->pgs[g]))
			mm->active_pg = (int)g + 1;
	if (!mm->active_pg)
		mm->active_pg = 1;
	mm->queueing = mm->params && strstr(mm->params, "queue_if_no_path");
	for (size_t i = 0; i < mm->n_paths; i++) {
		struct mp_path *p = mm->paths[i];

		if (!mp_chk_state_usable(mpd_load(&p->chk_state)) &&
		    mpd_load(&p->chk_state) != PATH_WILD) {
			mpd_store(&p->dm_state, DMP_ACTIVE);
			path_down_locked(mm, p, DOWN_CHECKER);
		} else {
			mpd_store(&p->dm_state, DMP_ACTIVE);
		}
	}
	paths_changed_locked(mm);
	if (!mm->recovery && want_queueing(mm) != mm->queueing && mm->m->settings &&
	    mm->m->settings->no_path_retry != NPR_FAIL)
		set_queueing(mm, want_queueing(mm));
}

/*---- DM events ----*/

static void apply_status_locked(struct mpd_map *mm, const struct mp_status *st)
{
	for (size_t g = 0; g < st->n_pgs; g++) {
		for (size_t i = 0; i < st->pgs[g].n_paths; i++) {
			const struct mp_table_path *tp = &st->pgs[g].paths[i];
			struct mp_path *p = member(mm, tp->devt);

			if (!p)
				continue;
			if (tp->failed && mpd_load(&p->dm_state) == DMP_ACTIVE) {
				/* the kernel failed it: check it at the next tick */
				mpd_store(&p->dm_state, DMP_FAILED);
				mpd_store(&p->tick, 0);
				mpd_inc(&p->failures);
				mpd_inc(&mm->m->stats.path_faults);
				log_notice("%s: %s failed by the kernel", mm->name, path_name(p));
			}
		}
	}
	if (st->active_pg)
		mm->active_pg = (int)st->active_pg;
	paths_changed_locked(mm);
}

static void scan_map(struct mpd_map *mm, uint32_t event_nr)
{
	struct mp_map *m = mm->m;
	struct mp_dm_target tgt = { 0 };
	struct mp_status *st = NULL;

	mpd_lock(&m->state_lock, LR_STATE, m);
	if (!mm->dead && mm->in_kernel && mm->event_nr != event_nr) {
		mpd_store(&mm->event_nr, event_nr);
		if (mp_dm_get_status(mm->name, &tgt) == 0 && tgt.params &&
		    mp_status_parse(tgt.params, &st) == 0) {
			apply_status_locked(mm, st);
			mpd_map_publish_locked(mm, "dmevent");
		}
	}
	mpd_unlock(&m->state_lock);
	mp_status_free(st);
	mp_dm_target_done(&tgt);
}

struct mpd_dm_seen {
	dev_t devt;
	uint32_t event_nr;
};

/* Room for n entries in the last scan's record, keeping its contents;
 * false (and the record dropped) when memory is short. */
static bool dm_seen_reserve(struct mpd_private *pv, size_t n)
{
	struct mpd_dm_seen *v;

	if (n <= pv->cap_dm_seen)
		return true;
	v = realloc(pv->dm_seen, n * sizeof(*v));
	if (!v) {
		free(pv->dm_seen);
		pv->dm_seen = NULL;
		pv->n_dm_seen = pv->cap_dm_seen = 0;
		return false;
	}
	pv->dm_seen = v;
	pv->cap_dm_seen = n;
	return true;
}

/*
 * One wake-up of the DM event fd: "some map had an event".  The kernel
 * says which only through the list of all DM devices with their event
 * numbers, so the list is O(devices) per wake-up.  What we add per listed
 * device that did not change is one compare with what the last scan saw
 * at the same position (the kernel lists in a stable order while no
 * device comes or goes), or, when that differs, one hash lookup by dev_t
 * and one compare with the map's event number: no lock, no allocation,
 * no snapshot.  Only a map whose number moved is locked and has its
 * status read.  Devices that are not our maps (LVM, …) miss the lookup.
 * The positional record is dropped whenever a map entered or left the
 * index since it was taken (devt_gen): then every entry is looked up.
 */
static void dm_scan(struct mpd *d)
{
	struct mpd_private *pv = d->priv;
	struct mp_dm_list_entry *l = NULL;
	size_t n = 0, old_n;
	uint64_t gen;
	bool keep;

	/* before the list: an event after this point queues another scan */
	mpd_store(&pv->dm_scan_pending, false);
	gen = mpd_load(&pv->devt_gen);
	if (mp_dm_list(&l, &n) < 0)
		return;
	old_n = gen == pv->dm_seen_gen ? pv->n_dm_seen : 0;
	keep = dm_seen_reserve(pv, n);
	if (!keep)
		old_n = 0;
	rcu_read_lock();
	for (size_t i = 0; i < n; i++) {
		struct mpd_map *mm;

		if (i < old_n && pv->dm_seen[i].devt == l[i].devt &&
		    pv->dm_seen[i].event_nr == l[i].event_nr)
			continue;       /* as last time */
		if (keep)
			pv->dm_seen[i] = (struct mpd_dm_seen){ l[i].devt, l[i].event_nr };
		mm = mpd_map_by_devt(d, l[i].devt);
		if (mm && l[i].event_nr != mpd_load(&mm->event_nr))
			scan_map(mm, l[i].event_nr);
	}
	rcu_read_unlock();
	if (keep) {
		pv->n_dm_seen = n;
		pv->dm_seen_gen = gen;
	}
	mp_dm_list_free(l, n);
}

void mpd_crit_handler(void *ctx, const char *key, struct mpd_work *batch)
{
	struct mpd *d = ctx;

	mpd_assert_none_held();
	while (batch) {
		struct mpd_work *w = batch;
		int r = 0;

		batch = w->next;
		if (w->kind == W_DM_SCAN)
			dm_scan(d);
		else
			r = run_map_item(d, key, w);
		mpd_inc(&d->priv->cnt.crit_processed);
		mpd_hist_add(d->priv->cnt.crit_hist, mp_now_usec() - w->t_queued);
		mpd_work_finish(w, r);
	}
}
