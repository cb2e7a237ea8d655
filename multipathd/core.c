// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Daemon core: lifecycle of the context, thread registration with RCU,
 * the two work queues, uevent routing (which key a uevent belongs to) and
 * the statistics.
 *
 * DESIGN
 * The udev thread does no I/O beyond reading the event: it filters
 * blacklisted devnodes, picks the key (the WWID the event carries, or the
 * one the topology knows for that dev_t) and queues the event.  Removal
 * and "offline" are also queued on the critical queue at once so the path
 * is failed in the kernel before the (slower) reload drops it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <urcu/uatomic.h>

#include "core.h"
#include "sched.h"
#include "discovery/files.h"
#include "discovery/pathinfo.h"
#include "dm/dm.h"
#include "util/clock.h"
#include "prioritizers/prio.h"
#include "util/log.h"
#include "util/util.h"

static const char *const state_table[_MPD_STATE_MAX] = {
	[MPD_INIT] = "init",
	[MPD_STARTUP] = "startup",
	[MPD_CONFIGURE] = "configure",
	[MPD_IDLE] = "idle",
	[MPD_RUNNING] = "running",
	[MPD_SHUTDOWN] = "shutdown",
};

const char *mpd_state_to_string(enum mpd_state s)
{
	return s >= 0 && s < _MPD_STATE_MAX ? state_table[s] : NULL;
}

enum mpd_state mpd_get_state(struct mpd *d)
{
	enum mpd_state s = mpd_load(&d->priv->state);

	if (s == MPD_IDLE && mpd_busy(d))
		return MPD_RUNNING;
	return s;
}

void mpd_set_state(struct mpd *d, enum mpd_state s)
{
	mpd_store(&d->priv->state, s);
}

bool mpd_reconfigure_pending(struct mpd *d)
{
	return mpd_load(&d->priv->reconfigure_pending);
}

bool mpd_busy(struct mpd *d)
{
	struct mpd_private *pv = d->priv;

	return (pv->cfg && mpd_wq_pending(pv->cfg)) || (pv->crit && mpd_wq_pending(pv->crit));
}

/*---- threads ----*/

void mpd_thread_register(struct mpd *d)
{
	rcu_register_thread();
	set_thread_call_rcu_data(d->priv->crdp);
}

void mpd_thread_unregister(struct mpd *d)
{
	set_thread_call_rcu_data(NULL);
	rcu_unregister_thread();
}

static void wq_thread_hook(void *ctx, bool start)
{
	if (start)
		mpd_thread_register(ctx);
	else
		mpd_thread_unregister(ctx);
}

/* The failure path is latency-critical: ahead of a udev worker storm. */
static void crit_thread_hook(void *ctx, bool start)
{
	wq_thread_hook(ctx, start);
	if (start)
		mpd_sched_boost_self("crit");
}

struct mp_config *mpd_config(void)
{
	return mp_config_get();
}

/*---- default ops ----*/

/*
 * A disk fed from the kernel's own add event (no USEC_INITIALIZED: udev has
 * not run) may be grouped before the kernel's ALUA handler has its first
 * answer: until then sysfs says active/optimized for every port (scsi_debug
 * and LIO take ~2 s, a unit attention first).  A map grouped on that is
 * wrong, and I/O sent to a standby port fails paths and costs a reload per
 * map, each with udev change events.  One RTPG here avoids all of it.
 */
static void confirm_alua_state(const struct mp_uevent *u, struct mp_path_info *pi)
{
	enum mp_access_state st;
	bool pref;

	if (pi->bus != BUS_SCSI || pi->tpgs <= 0 || pi->access_state == ACCESS_UNKNOWN ||
	    mp_uevent_get_prop("USEC_INITIALIZED", (void *)u))
		return;
	if (mp_alua_query(pi, 5000, &st, &pref) < 0)
		return;         /* keep the kernel's view; the checker corrects it */
	if (st != pi->access_state || pref != pi->preferred)
		log_debug("%s: target reports %s%s (sysfs said %s)", pi->devname,
			  mp_access_state_to_string(st), pref ? ", preferred" : "",
			  mp_access_state_to_string(pi->access_state));
	pi->access_state = st;
	pi->preferred = pref;
}

static int default_pathinfo(struct mpd *d, const struct mp_uevent *u, struct mp_path_info **ret)
{
	struct mp_pathinfo_opts o = {
		.getprop = mp_uevent_get_prop,
		.ud = (void *)u,
		.no_io = false,
		.timeout_ms = 30000,
	};
	char *uid_attrs = NULL;
	int r;

	rcu_read_lock();
	const struct mp_globals *g = mp_config_globals(mpd_config());
	if (g->uid_attrs)
		uid_attrs = strdup(g->uid_attrs);
	rcu_read_unlock();
	o.uid_attrs = uid_attrs;
	r = mp_pathinfo_build(u->devname, &o, ret);
	free(uid_attrs);
	if (r == 0)
		confirm_alua_state(u, *ret);
	return r;
}

static const struct mpd_ops default_ops = {
	.pathinfo = default_pathinfo,
	.check_path = mpd_default_check_path,
};

/*---- lifecycle ----*/

int mpd_new(const struct mpd_options *opts, struct mpd **ret)
{
	struct mpd *d = calloc(1, sizeof(*d));
	struct mpd_private *pv = calloc(1, sizeof(*pv));
	int r;

	if (!d || !pv) {
		free(d);
		free(pv);
		return -ENOMEM;
	}
	d->priv = pv;
	if (opts)
		pv->opts = *opts;
	if (pv->opts.n_workers <= 0)
		pv->opts.n_workers = 4;
	if (pv->opts.n_crit_workers <= 0)
		pv->opts.n_crit_workers = 2;
	if (pv->opts.coalesce_ms >= 0)
		pv->coalesce_usec = (uint64_t)(pv->opts.coalesce_ms ?: MPD_COALESCE_MS) * USEC_PER_MSEC;
	pv->ops = default_ops;
	if (pv->opts.ops) {
		if (pv->opts.ops->pathinfo)
			pv->ops.pathinfo = pv->opts.ops->pathinfo;
		if (pv->opts.ops->check_path)
			pv->ops.check_path = pv->opts.ops->check_path;
	}
	pthread_mutex_init(&pv->files_lock, NULL);
	pv->state = MPD_STARTUP;
	r = mp_topo_init(&d->topo);
	if (r < 0)
		goto fail;
	d->topo.map_priv_free = mpd_map_priv_free;
	r = mpd_devt_index_init(d);
	if (r < 0) {
		mp_topo_destroy(&d->topo);
		goto fail;
	}
	pv->crdp = create_call_rcu_data(0, -1);
	if (!pv->crdp) {
		r = -ENOMEM;
		goto fail;
	}
	mpd_thread_register(d);
	r = mpd_wq_new("cfg", pv->opts.n_workers, mpd_cfg_handler, wq_thread_hook, d,
		       pv->opts.start_paused, &pv->cfg);
	if (r >= 0)
		r = mpd_wq_new("crit", pv->opts.n_crit_workers, mpd_crit_handler,
			       crit_thread_hook, d, pv->opts.start_paused, &pv->crit);
	if (r < 0) {
		mpd_free(d);
		return r;
	}
	*ret = d;
	return 0;
fail:
	pthread_mutex_destroy(&pv->files_lock);
	free(pv);
	free(d);
	return r;
}

int mpd_set_config(struct mpd *d, struct mp_config *c)
{
	mp_log_set_verbosity(mp_log_get_verbosity());
	mp_config_publish(c);
	d->priv->conf = c;
	return 0;
}

int mpd_load_config(struct mpd *d, const char *file, const char *dir)
{
	struct mp_config_diags diags = { 0 };
	struct mp_config *c = NULL;
	int r;

	d->priv->config_file = file;
	d->priv->config_dir = dir;
	r = mp_config_load(file, dir, &c, &diags);
	mp_config_diags_print(&diags);
	mp_config_diags_done(&diags);
	if (r < 0)
		return r;
	return mpd_set_config(d, c);
}

void mpd_start_processing(struct mpd *d)
{
	mpd_wq_resume(d->priv->crit);
	mpd_wq_resume(d->priv->cfg);
}

int mpd_settle(struct mpd *d, int timeout_ms)
{
	uint64_t end = mp_now_usec() + (uint64_t)(timeout_ms < 0 ? 0 : timeout_ms) * 1000;

	/* cfg work queues crit work and the other way round: loop until both
	 * are quiet at once. */
	for (;;) {
		int r = mpd_wq_drain(d->priv->cfg, timeout_ms);

		if (r == 0)
			r = mpd_wq_drain(d->priv->crit, timeout_ms);
		if (r < 0)
			return r;
		if (!mpd_busy(d))
			return 0;
		if (timeout_ms >= 0 && mp_now_usec() > end)
			return -ETIMEDOUT;
	}
}

void mpd_stop_queues(struct mpd *d)
{
	struct mpd_private *pv = d->priv;

	mpd_checker_stop(d);
	/* finish what runs, drop what waits: cfg first (its handler queues
	 * crit work, never the other way round), then crit */
	mpd_wq_free(pv->cfg);
	pv->cfg = NULL;
	mpd_wq_free(pv->crit);
	pv->crit = NULL;
}

void mpd_free(struct mpd *d)
{
	struct mpd_private *pv;

	if (!d)
		return;
	pv = d->priv;
	mpd_stop_queues(d);
	mpd_devt_index_destroy(d);
	mp_topo_destroy(&d->topo);
	mp_config_publish(NULL);
	rcu_barrier();
	mpd_thread_unregister(d);
	if (pv->crdp) {
		call_rcu_data_free(pv->crdp);
		pv->crdp = NULL;
	}
	mp_wwids_cache_free(pv->wwids_cache);
	mp_bindings_cache_free(pv->bindings_cache);
	pthread_mutex_destroy(&pv->files_lock);
	free(pv);
	free(d);
}

/*---- queues ----*/

void mpd_push_cfg(struct mpd *d, struct mpd_work *w)
{
	if (!w)
		return;
	if (d->priv->cfg)
		mpd_wq_push(d->priv->cfg, w);
	else
		mpd_work_finish(w, -ESHUTDOWN);
}

void mpd_push_crit(struct mpd *d, struct mpd_work *w)
{
	if (!w)
		return;
	if (d->priv->crit)
		mpd_wq_push(d->priv->crit, w);
	else
		mpd_work_finish(w, -ESHUTDOWN);
}

int mpd_run(struct mpd *d, bool crit, struct mpd_work *w, int timeout_ms)
{
	struct mpd_done *dn;
	int r;

	if (!w)
		return -ENOMEM;
	dn = mpd_done_new();
	if (!dn) {
		mpd_work_finish(w, -ENOMEM);
		return -ENOMEM;
	}
	w->done = mpd_done_ref(dn);
	if (crit)
		mpd_push_crit(d, w);
	else
		mpd_push_cfg(d, w);
	r = mpd_done_wait(dn, timeout_ms);
	mpd_done_put(dn);
	return r;
}

void mpd_hist_add(uint64_t *hist, uint64_t usec)
{
	int b = 0;

	while (b < MPD_HIST_BUCKETS - 1 && usec >= (1ULL << b))
		b++;
	mpd_inc(&hist[b]);
}

/*---- uevent routing ----*/

static void dev_key(dev_t devt, char *buf, size_t len)
{
	snprintf(buf, len, "dev:%u:%u", major(devt), minor(devt));
}

/* The key of a path event: the WWID the topology knows for the device
 * (so a removal follows the map it leaves), else the event's WWID. */
static void path_key(struct mpd *d, const struct mp_uevent *u, char *buf, size_t len)
{
	const char *wwid = NULL;
	struct mp_path *p;

	rcu_read_lock();
	p = mp_topo_find_path(&d->topo, u->devt);
	if (p) {
		struct mp_map *m = mpd_load(&p->map);

		if (m)
			wwid = m->wwid;
	}
	if (!wwid)
		wwid = u->wwid;
	if (wwid)
		snprintf(buf, len, "%s", wwid);
	else
		dev_key(u->devt, buf, len);
	rcu_read_unlock();
}

const char *mpd_uid_prop(const char *devname, char *buf, size_t len)
{
	char *uid_attrs = NULL;
	const char *p;

	rcu_read_lock();
	const struct mp_globals *g = mp_config_globals(mpd_config());
	if (g->uid_attrs)
		uid_attrs = strdup(g->uid_attrs);
	rcu_read_unlock();
	p = mp_uid_property(devname, uid_attrs, NULL, buf, len);
	if (p != buf) {
		snprintf(buf, len, "%s", p);
		p = buf;
	}
	free(uid_attrs);
	return p;
}

static void fill_wwid(struct mpd *d, struct mp_uevent *u)
{
	char buf[64];
	const char *prop, *val;

	if (u->wwid)
		return;
	prop = mpd_uid_prop(u->devname, buf, sizeof(buf));
	val = *prop ? mp_uevent_get_prop(prop, u) : NULL;
	if (val && *val)
		u->wwid = strdup(val);
}

static bool devnode_blacklisted(const char *devname)
{
	const char *reason = NULL;
	int r;

	rcu_read_lock();
	r = mp_config_blacklisted_devnode(mpd_config(), devname, &reason);
	rcu_read_unlock();
	if (r > 0)
		log_debug("%s: %s", devname, reason);
	return r > 0;
}

static void route_dm_uevent(struct mpd *d, struct mp_uevent *u)
{
	const char *uuid = mp_uevent_get_prop("DM_UUID", u);
	struct mpd_work *w = NULL;
	struct mpd_map *mm;
	struct mp_map *m;

	rcu_read_lock();
	/* one lookup in the dev_t index of maps in the kernel, not a walk
	 * over all maps: a storm brings a few dm uevents per map */
	mm = mpd_map_by_devt(d, u->devt);
	m = mm ? mm->m : NULL;
	if (u->action == UEV_REMOVE && m)
		w = mpd_work_new(W_MAP_GONE, m->wwid);
	else if (u->action != UEV_REMOVE && !m && uuid && str_startswith(uuid, MP_DM_UUID_PREFIX)) {
		w = mpd_work_new(W_MAP_ADD, uuid + strlen(MP_DM_UUID_PREFIX));
		if (w)
			w->str = strdup(mp_uevent_get_prop("DM_NAME", u) ?: "");
	}
	rcu_read_unlock();
	if (w) {
		w->arg = 1;     /* adopt: the map exists in the kernel */
		mpd_push_cfg(d, w);
	} else {
		mpd_inc(&d->priv->cnt.uev_filtered);
	}
	mp_uevent_free(u);
}

void mpd_handle_uevent(struct mpd *d, struct mp_uevent *u)
{
	struct mpd_work *w;
	const char *devtype;
	char key[256];
	int kind;

	mpd_inc(&d->priv->cnt.uev_received);
	if (u->is_dm) {
		route_dm_uevent(d, u);
		return;
	}
	devtype = mp_uevent_get_prop("DEVTYPE", u);
	if ((devtype && strcmp(devtype, "disk") != 0) || devnode_blacklisted(u->devname) ||
	    u->action == UEV_OTHER) {
		log_debug("%s: uevent %s ignored", u->devname, mp_uev_action_to_string(u->action));
		mpd_inc(&d->priv->cnt.uev_filtered);
		mp_uevent_free(u);
		return;
	}
	fill_wwid(d, u);
	path_key(d, u, key, sizeof(key));
	if (u->action == UEV_REMOVE) {
		/* fail it in the kernel now; the reload that drops it follows */
		w = mpd_work_new(W_PATH_DOWN, key);
		if (w) {
			w->devt = u->devt;
			w->arg = DOWN_UEVENT;
			mpd_push_crit(d, w);
		}
	}
	kind = u->action == UEV_ADD ? W_PATH_ADD
	       : u->action == UEV_REMOVE ? W_PATH_REMOVE : W_PATH_CHANGE;
	w = mpd_work_new(kind, key);
	if (!w) {
		mp_uevent_free(u);
		return;
	}
	w->devt = u->devt;
	w->uev = u;
	w->t_queued = u->t_recv;
	/* Joins and leaves wait for the paths of the same LUN arriving with
	 * them (one reload instead of one per path); a change runs at once
	 * (it may carry a state the failure path needs) and takes any waiting
	 * joins along.  Crit items never wait: that queue has no window. */
	if (kind != W_PATH_CHANGE && d->priv->coalesce_usec)
		w->not_before = mp_now_usec() + d->priv->coalesce_usec;
	mpd_push_cfg(d, w);
}

void mpd_dm_event(struct mpd *d)
{
	struct mpd_work *w;

	mpd_inc(&d->priv->cnt.dm_events);
	if (mpd_xchg(&d->priv->dm_scan_pending, true))
		return;
	w = mpd_work_new(W_DM_SCAN, "@dmevents");
	if (!w) {
		mpd_store(&d->priv->dm_scan_pending, false);
		return;
	}
	mpd_push_crit(d, w);
}

void mpd_request_shutdown(struct mpd *d)
{
	mpd_store(&d->priv->shutdown, true);
	if (d->priv->shutdown_cb)
		d->priv->shutdown_cb(d->priv->shutdown_ud);
}
