// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The checker runner: a 1 s tick over every path in a map.
 *
 * Each tick a cheap sysfs sweep reads the SCSI/NVMe device state of every
 * path, so an `offline` that emitted no uevent is acted on within a second.
 * The full check (ops->check_path) runs on the path's own schedule: its
 * interval doubles from polling_interval up to max_polling_interval while
 * the path stays healthy and drops back on any change.  Verdicts that
 * differ from what the kernel was told are queued on the crit queue; this
 * thread never takes a map lock.  Map timers (no_path_retry countdown,
 * deferred failback) are queued as one W_MAP_TICK per map that has one.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <urcu/uatomic.h>

#include "backend/backend.h"
#include "core.h"
#include "util/clock.h"
#include "util/log.h"

struct checker_thread {
	pthread_t tid;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
};


/* Device state as a checker verdict; PATH_PENDING = no opinion. */
int mpd_default_check_path(struct mpd *d, struct mp_path *p)
{
	const struct mp_path_info *pi = mpd_load(&p->info);
	const struct mp_sysfs_ops *ops = mp_backend()->sysfs;
	char dir[512], buf[64];
	int r;

	if (!pi || !pi->syspath || !ops || !ops->read_attr)
		return PATH_PENDING;
	snprintf(dir, sizeof(dir), "%s/device", pi->syspath);
	r = ops->read_attr(dir, "state", buf, sizeof(buf));
	if (r == -ENOENT || r == -ENODEV)
		return PATH_DOWN;
	if (r < 0)
		return PATH_PENDING;
	if (!strcmp(buf, "running") || !strcmp(buf, "live"))
		return mpd_load(&p->chk_state) == PATH_GHOST ? PATH_GHOST : PATH_UP;
	if (!strcmp(buf, "offline") || !strcmp(buf, "transport-offline") ||
	    !strcmp(buf, "cancel") || !strcmp(buf, "deleted") || !strcmp(buf, "dead") ||
	    !strcmp(buf, "deleting"))
		return PATH_DOWN;
	return PATH_PENDING;            /* blocked, quiesce, connecting: wait */
}

/* ALUA/ANA state moved (scsi_dh_alua rereads it after a unit attention,
 * often without a uevent): queue a change so the map regroups. */
static void check_access_state(struct mpd *d, struct mp_path *p, const char *key)
{
	const struct mp_path_info *pi = mpd_load(&p->info);
	const struct mp_sysfs_ops *ops = mp_backend()->sysfs;
	char dir[512], buf[64];
	struct mp_uevent *u;
	struct mpd_work *w;

	if (!pi || !pi->syspath || !ops || !ops->read_attr || pi->access_state == ACCESS_UNKNOWN)
		return;
	snprintf(dir, sizeof(dir), "%s/device", pi->syspath);
	if (ops->read_attr(dir, "access_state", buf, sizeof(buf)) < 0 ||
	    mp_access_state_from_string(buf) == pi->access_state)
		return;
	u = mp_uevent_new(UEV_CHANGE, pi->devname, p->devt, pi->syspath, NULL);
	if (u)
		mp_uevent_load_udev_db(u);
	w = u ? mpd_work_new(W_PATH_CHANGE, key) : NULL;
	if (!w) {
		mp_uevent_free(u);
		return;
	}
	log_info("%s: access state now %s", pi->devname, buf);
	w->devt = p->devt;
	w->uev = u;
	mpd_push_cfg(d, w);
}

static void push_verdict(struct mpd *d, struct mp_path *p, const char *key, int st)
{
	struct mpd_work *w = mpd_work_new(mp_chk_state_usable(st) ? W_PATH_UP : W_PATH_DOWN, key);

	if (!w)
		return;
	w->devt = p->devt;
	w->arg = mp_chk_state_usable(st) ? st : DOWN_CHECKER;
	mpd_push_crit(d, w);
}

/* Does the verdict differ from what the map was told? */
static bool verdict_changes(const struct mp_path *p, int st)
{
	int cur = mpd_load(&p->chk_state);
	int dm = mpd_load(&p->dm_state);

	if (st == PATH_PENDING || st == PATH_WILD)
		return false;
	if (mp_chk_state_usable(st))
		return !mp_chk_state_usable(cur) || dm == DMP_FAILED || (st != cur);
	return mp_chk_state_usable(cur) || dm != DMP_FAILED;
}

static void check_one(struct mpd *d, struct mp_path *p, const char *key, int pi, int max_pi)
{
	int tick = mpd_load(&p->tick) - 1;
	int st, interval = mpd_load(&p->checkint);

	if (interval <= 0)
		interval = pi;
	if (tick > 0) {
		/* between full checks: the sweep only looks for "down" */
		mpd_store(&p->tick, tick);
		st = d->priv->ops.check_path(d, p);
		if (st == PATH_DOWN && verdict_changes(p, st)) {
			push_verdict(d, p, key, st);
			mpd_store(&p->checkint, pi);
			mpd_store(&p->tick, pi);
		}
		return;
	}
	mpd_inc(&d->priv->cnt.checks);
	st = d->priv->ops.check_path(d, p);
	if (d->priv->ops.check_path == mpd_default_check_path)
		check_access_state(d, p, key);
	if (verdict_changes(p, st)) {
		push_verdict(d, p, key, st);
		interval = pi;
	} else if (mp_chk_state_usable(st)) {
		interval = MP_MIN(interval * 2, max_pi);
	}
	mpd_store(&p->checkint, interval);
	mpd_store(&p->tick, interval);
}

void mpd_tick(struct mpd *d)
{
	struct cds_lfht_iter it;
	struct mp_path *p;
	struct mp_map *m;
	int pi, max_pi;

	rcu_read_lock();
	const struct mp_globals *g = mp_config_globals(mpd_config());
	pi = g->polling_interval > 0 ? g->polling_interval : 5;
	max_pi = g->max_polling_interval >= pi ? g->max_polling_interval : 4 * pi;
	d->priv->ticks++;
	/* timers first: a countdown started by this tick's verdicts starts
	 * counting at the next tick */
	mp_topo_for_each_map(&d->topo, &it, m) {
		mp_tsan_acquire(m);
		struct mpd_map *mm = mpd_map_of(m);

		if (mm && mpd_load(&mm->timers)) {
			struct mpd_work *w = mpd_work_new(W_MAP_TICK, m->wwid);

			if (w)
				mpd_push_crit(d, w);
		}
	}
	mp_topo_for_each_path(&d->topo, &it, p) {
		mp_tsan_acquire(p);
		struct mp_map *pm = mpd_load(&p->map);

		if (pm && mpd_load(&pm->snap))
			check_one(d, p, pm->wwid, pi, max_pi);
	}
	rcu_read_unlock();
}

/*---- the thread ----*/

static struct checker_thread *thread_of(struct mpd *d)
{
	return d->priv->checker;
}

static void *checker_main(void *arg)
{
	struct mpd *d = arg;
	struct checker_thread *ct = thread_of(d);
	struct timespec next;

	mpd_thread_register(d);
	clock_gettime(CLOCK_MONOTONIC, &next);
	pthread_mutex_lock(&ct->lock);
	while (!ct->stop) {
		next.tv_sec++;
		while (!ct->stop &&
		       pthread_cond_timedwait(&ct->cond, &ct->lock, &next) != ETIMEDOUT)
			;
		if (ct->stop)
			break;
		pthread_mutex_unlock(&ct->lock);
		mpd_tick(d);
		pthread_mutex_lock(&ct->lock);
	}
	pthread_mutex_unlock(&ct->lock);
	mpd_thread_unregister(d);
	return NULL;
}

int mpd_checker_start(struct mpd *d)
{
	struct checker_thread *ct = calloc(1, sizeof(*ct));
	pthread_condattr_t ca;
	int r;

	if (!ct)
		return -ENOMEM;
	pthread_mutex_init(&ct->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&ct->cond, &ca);
	pthread_condattr_destroy(&ca);
	d->priv->checker = ct;
	r = pthread_create(&ct->tid, NULL, checker_main, d);
	if (r) {
		d->priv->checker = NULL;
		free(ct);
		return -r;
	}
	return 0;
}

void mpd_checker_stop(struct mpd *d)
{
	struct checker_thread *ct = d->priv->checker;

	if (!ct)
		return;
	pthread_mutex_lock(&ct->lock);
	ct->stop = true;
	pthread_cond_broadcast(&ct->cond);
	pthread_mutex_unlock(&ct->lock);
	pthread_join(ct->tid, NULL);
	pthread_mutex_destroy(&ct->lock);
	pthread_cond_destroy(&ct->cond);
	d->priv->checker = NULL;
	free(ct);
}
