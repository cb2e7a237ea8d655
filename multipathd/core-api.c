// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The actions of multipathd/daemon.h.  Each resolves the device the user
 * named inside an RCU read-side section, queues one work item on the queue
 * that owns that kind of change and waits for it up to the CLI timeout.
 * Nothing here takes a map lock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <urcu/uatomic.h>

#include "core.h"
#include "dm/dm.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/util.h"

#define KEY_LEN 256

static const char *strip_dev(const char *s)
{
	if (str_startswith(s, "/dev/mapper/"))
		return s + strlen("/dev/mapper/");
	if (str_startswith(s, "/dev/"))
		return s + strlen("/dev/");
	return s;
}

static struct mp_path *lookup_path(struct mpd *d, const char *dev)
{
	dev_t devt;

	dev = strip_dev(dev);
	if (parse_devt(dev, &devt) == 0)
		return mp_topo_find_path(&d->topo, devt);
	return mp_topo_find_path_by_name(&d->topo, dev);
}

/* The map's key for a user-given name; -ENODEV if unknown. */
static int map_key(struct mpd *d, const char *name, char *key)
{
	struct mp_map *m;
	dev_t devt;
	int r = 0;

	if (!name)
		return -EINVAL;
	name = strip_dev(name);
	rcu_read_lock();
	m = mp_topo_find_map(&d->topo, name);
	if (!m)
		m = mp_topo_find_map_by_name(&d->topo, name);
	if (!m && parse_devt(name, &devt) == 0)
		m = mp_topo_find_map_by_devt(&d->topo, devt);
	if (!m && str_startswith(name, "dm-")) {
		struct cds_lfht_iter it;
		int minor_nr;

		if (parse_int(name + 3, &minor_nr) == 0)
			mp_topo_for_each_map(&d->topo, &it, m) {
				mp_tsan_acquire(m);
				const struct mp_map_snap *s = mpd_load(&m->snap);

				if (s && (int)minor(s->devt) == minor_nr)
					break;
			}
	}
	if (m)
		snprintf(key, KEY_LEN, "%s", m->wwid);
	else
		r = -ENODEV;
	rcu_read_unlock();
	return r;
}

static int path_key(struct mpd *d, const char *dev, char *key, dev_t *ret_devt)
{
	struct mp_path *p;
	int r = 0;

	rcu_read_lock();
	p = lookup_path(d, dev);
	if (p) {
		struct mp_map *m = mpd_load(&p->map);
		const struct mp_path_info *pi = mpd_load(&p->info);

		snprintf(key, KEY_LEN, "%s", m ? m->wwid : pi && pi->wwid ? pi->wwid : "@orphan");
		*ret_devt = p->devt;
	} else {
		r = -ENODEV;
	}
	rcu_read_unlock();
	return r;
}

static int run_on_map(struct mpd *d, const char *map, bool crit, int kind, int arg, int timeout_ms)
{
	char key[KEY_LEN];
	struct mpd_work *w;
	int r = map_key(d, map, key);

	if (r < 0)
		return r;
	w = mpd_work_new(kind, key);
	if (w)
		w->arg = arg;
	return mpd_run(d, crit, w, timeout_ms);
}

static int run_on_path(struct mpd *d, const char *dev, bool crit, int kind, int arg, int timeout_ms)
{
	char key[KEY_LEN];
	struct mpd_work *w;
	dev_t devt;
	int r = path_key(d, dev, key, &devt);

	if (r < 0)
		return r;
	w = mpd_work_new(kind, key);
	if (w) {
		w->devt = devt;
		w->arg = arg;
	}
	return mpd_run(d, crit, w, timeout_ms);
}

/* All maps' keys (copied out of the read-side section). */
static int all_map_keys(struct mpd *d, char ***ret, size_t *ret_n)
{
	struct cds_lfht_iter it;
	struct mp_map *m;
	char **v = NULL;
	size_t n = 0, cap = 0;

	rcu_read_lock();
	mp_topo_for_each_map(&d->topo, &it, m) {
		mp_tsan_acquire(m);
		if (!mpd_load(&m->snap))
			continue;
		if (n == cap) {
			char **nv = realloc(v, (cap = cap ? 2 * cap : 16) * sizeof(*v));

			if (!nv)
				break;
			v = nv;
		}
		v[n] = strdup(m->wwid);
		if (v[n])
			n++;
	}
	rcu_read_unlock();
	*ret = v;
	*ret_n = n;
	return 0;
}

static void keys_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/*---- paths ----*/

static struct mp_uevent *synth_uevent(const char *devname)
{
	char path[512], *devs = NULL, *sys = NULL;
	struct mp_uevent *u = NULL;
	dev_t devt;

	snprintf(path, sizeof(path), "/sys/block/%s/dev", devname);
	if (read_file_str(path, &devs) < 0 || parse_devt(devs, &devt) < 0)
		goto out;
	snprintf(path, sizeof(path), "/sys/block/%s", devname);
	sys = realpath(path, NULL);
	u = mp_uevent_new(UEV_ADD, devname, devt, sys ? sys : path, NULL);
	if (u)
		mp_uevent_load_udev_db(u);
out:
	free(devs);
	free(sys);
	return u;
}

int mpd_add_path(struct mpd *d, const char *dev, int timeout_ms)
{
	struct mp_uevent *u;
	struct mpd_work *w;
	char key[KEY_LEN];
	dev_t devt;

	if (path_key(d, dev, key, &devt) == 0) {
		rcu_read_lock();
		struct mp_path *p = mp_topo_find_path(&d->topo, devt);
		bool in_map = p && mpd_load(&p->map);
		rcu_read_unlock();
		if (in_map)
			return 0;
	}
	u = synth_uevent(strip_dev(dev));
	if (!u)
		return -ENODEV;
	snprintf(key, sizeof(key), "dev:%u:%u", major(u->devt), minor(u->devt));
	w = mpd_work_new(W_PATH_ADD, key);
	if (!w) {
		mp_uevent_free(u);
		return -ENOMEM;
	}
	w->devt = u->devt;
	w->uev = u;
	return mpd_run(d, false, w, timeout_ms);
}

int mpd_del_path(struct mpd *d, const char *dev, int timeout_ms)
{
	return run_on_path(d, dev, false, W_PATH_REMOVE, 0, timeout_ms);
}

int mpd_fail_path(struct mpd *d, const char *dev, int timeout_ms)
{
	return run_on_path(d, dev, true, W_PATH_FAIL_CLI, 0, timeout_ms);
}

int mpd_reinstate_path(struct mpd *d, const char *dev, int timeout_ms)
{
	return run_on_path(d, dev, true, W_PATH_REINSTATE_CLI, 0, timeout_ms);
}

int mpd_set_marginal(struct mpd *d, const char *dev, bool marginal, int timeout_ms)
{
	char key[KEY_LEN];
	dev_t devt;
	int r = run_on_path(d, dev, true, W_SET_MARGINAL, marginal, timeout_ms);

	if (r < 0 || path_key(d, dev, key, &devt) < 0)
		return r;
	return mpd_run(d, false, mpd_work_new(W_MAP_SYNC, key), timeout_ms);
}

int mpd_unset_marginal_map(struct mpd *d, const char *map, int timeout_ms)
{
	char key[KEY_LEN];
	struct mp_map *m;
	int r = map_key(d, map, key);

	if (r < 0)
		return r;
	rcu_read_lock();
	m = mp_topo_find_map(&d->topo, key);
	if (m) {
		const struct mp_map_snap *s = mpd_load(&m->snap);

		for (size_t g = 0; s && g < s->n_pgs; g++)
			for (size_t i = 0; i < s->pgs[g].n_paths; i++)
				mpd_store(&s->pgs[g].paths[i]->marginal, 0);
	}
	rcu_read_unlock();
	return mpd_run(d, false, mpd_work_new(W_MAP_SYNC, key), timeout_ms);
}

/*---- maps ----*/

/* Is there a path in no map whose WWID is `wwid`? */
static bool orphan_wwid(struct mpd *d, const char *wwid, char *key)
{
	struct cds_lfht_iter it;
	struct mp_path *p;
	bool found = false;

	rcu_read_lock();
	mp_topo_for_each_path(&d->topo, &it, p) {
		mp_tsan_acquire(p);
		const struct mp_path_info *pi = mpd_load(&p->info);

		if (!mpd_load(&p->map) && pi && pi->wwid && !strcmp(pi->wwid, wwid)) {
			snprintf(key, KEY_LEN, "%s", wwid);
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

int mpd_add_map(struct mpd *d, const char *map, int timeout_ms)
{
	struct mp_dm_info info = { 0 };
	struct mpd_work *w;
	char key[KEY_LEN];

	if (map_key(d, map, key) == 0)
		return mpd_run(d, false, mpd_work_new(W_MAP_ADD, key), timeout_ms);
	map = strip_dev(map);
	if (orphan_wwid(d, map, key))   /* e.g. after `del map`: rebuild from its paths */
		return mpd_run(d, false, mpd_work_new(W_MAP_ADD, key), timeout_ms);
	if (mp_dm_info(map, &info) < 0 || !info.exists || !info.uuid ||
	    !str_startswith(info.uuid, MP_DM_UUID_PREFIX)) {
		mp_dm_info_done(&info);
		return -ENODEV;
	}
	w = mpd_work_new(W_MAP_ADD, info.uuid + strlen(MP_DM_UUID_PREFIX));
	mp_dm_info_done(&info);
	if (!w)
		return -ENOMEM;
	w->arg = 1;
	w->str = strdup(map);
	return mpd_run(d, false, w, timeout_ms);
}

int mpd_del_map(struct mpd *d, const char *map, int timeout_ms)
{
	return run_on_map(d, map, false, W_MAP_REMOVE, 1, timeout_ms);
}

int mpd_del_maps(struct mpd *d, int timeout_ms)
{
	char **keys;
	size_t n;
	int r = 0;

	all_map_keys(d, &keys, &n);
	for (size_t i = 0; i < n; i++) {
		int q = run_on_map(d, keys[i], false, W_MAP_REMOVE, 1, timeout_ms);

		if (q < 0 && r == 0)
			r = q;
	}
	keys_free(keys, n);
	return r;
}

int mpd_switch_group(struct mpd *d, const char *map, int pg, int timeout_ms)
{
	return run_on_map(d, map, true, W_SWITCH_GROUP, pg, timeout_ms);
}

int mpd_suspend_map(struct mpd *d, const char *map, int timeout_ms)
{
	return run_on_map(d, map, true, W_SUSPEND, 1, timeout_ms);
}

int mpd_resume_map(struct mpd *d, const char *map, int timeout_ms)
{
	return run_on_map(d, map, true, W_SUSPEND, 0, timeout_ms);
}

int mpd_reload_map(struct mpd *d, const char *map, int timeout_ms)
{
	return run_on_map(d, map, false, W_MAP_SYNC, 1, timeout_ms);
}

int mpd_resize_map(struct mpd *d, const char *map, int timeout_ms)
{
	return run_on_map(d, map, false, W_MAP_RESIZE, 0, timeout_ms);
}

int mpd_reset_map(struct mpd *d, const char *map, int timeout_ms)
{
	return run_on_map(d, map, false, W_MAP_RECONF, 1, timeout_ms);
}

static int queueing_all(struct mpd *d, bool restore, int timeout_ms)
{
	char **keys;
	size_t n;
	int r = 0;

	all_map_keys(d, &keys, &n);
	for (size_t i = 0; i < n; i++) {
		int q = run_on_map(d, keys[i], true, W_QUEUEING, restore, timeout_ms);

		if (q < 0 && q != -ENOENT && r == 0)
			r = q;
	}
	keys_free(keys, n);
	return r;
}

int mpd_disable_queueing(struct mpd *d, const char *map, int timeout_ms)
{
	return map ? run_on_map(d, map, true, W_QUEUEING, 0, timeout_ms)
		   : queueing_all(d, false, timeout_ms);
}

int mpd_restore_queueing(struct mpd *d, const char *map, int timeout_ms)
{
	return map ? run_on_map(d, map, true, W_QUEUEING, 1, timeout_ms)
		   : queueing_all(d, true, timeout_ms);
}

int mpd_force_queueing_daemon(struct mpd *d, bool force)
{
	mpd_store(&d->priv->force_queue_daemon, force);
	return 0;
}

int mpd_reconfigure(struct mpd *d, bool all)
{
	struct mpd_work *w;

	if (mpd_xchg(&d->priv->reconfigure_pending, true))
		return 0;       /* one is queued already */
	w = mpd_work_new(W_RECONFIGURE, "@reconfigure");
	if (!w) {
		mpd_store(&d->priv->reconfigure_pending, false);
		return -ENOMEM;
	}
	w->arg = all;
	mpd_push_cfg(d, w);
	return 0;
}

int mpd_reset_stats(struct mpd *d, const char *map)
{
	struct cds_lfht_iter it;
	struct mp_map *m;
	char key[KEY_LEN];

	if (map && map_key(d, map, key) < 0)
		return -ENODEV;
	rcu_read_lock();
	mp_topo_for_each_map(&d->topo, &it, m) {
		mp_tsan_acquire(m);
		if (map && strcmp(m->wwid, key) != 0)
			continue;
		mpd_store(&m->stats.path_faults, 0);
		mpd_store(&m->stats.switch_grp, 0);
		mpd_store(&m->stats.map_loads, 0);
		mpd_store(&m->stats.total_q_time, 0);
		mpd_store(&m->stats.q_timeouts, 0);
	}
	rcu_read_unlock();
	return 0;
}

/*---- persistent reservation bookkeeping ----*/

static int with_map_state(struct mpd *d, const char *map,
			  int (*fn)(struct mpd_map *mm, void *ud), void *ud)
{
	char key[KEY_LEN];
	struct mp_map *m;
	int r = map_key(d, map, key);

	if (r < 0)
		return r;
	rcu_read_lock();
	m = mp_topo_find_map(&d->topo, key);
	if (m && mpd_map_of(m)) {
		mpd_lock(&m->state_lock, LR_STATE, m);
		r = mpd_map_of(m)->dead ? -ENODEV : fn(mpd_map_of(m), ud);
		mpd_unlock(&m->state_lock);
	} else {
		r = -ENODEV;
	}
	rcu_read_unlock();
	return r;
}

struct pr_arg {
	enum mpd_pr_flag f;
	bool on;
	bool *ret;
	const char *key;
	char **ret_key;
};

static int pr_get_fn(struct mpd_map *mm, void *ud)
{
	struct pr_arg *a = ud;

	*a->ret = a->f == MPD_PR_HOLD ? mm->pr_hold : mm->pr_status;
	return 0;
}

static int pr_set_fn(struct mpd_map *mm, void *ud)
{
	struct pr_arg *a = ud;

	if (a->f == MPD_PR_HOLD)
		mm->pr_hold = a->on;
	else
		mm->pr_status = a->on;
	return 0;
}

static int prkey_get_fn(struct mpd_map *mm, void *ud)
{
	struct pr_arg *a = ud;

	*a->ret_key = mm->prkey ? strdup(mm->prkey) : NULL;
	return mm->prkey && !*a->ret_key ? -ENOMEM : 0;
}

/* The map's reservation_key setting (copied: settings change under
 * state_lock). */
static int prkey_source_fn(struct mpd_map *mm, void *ud)
{
	const struct mp_settings *s = mm->m->settings;
	char **ret = ud;

	*ret = s && s->reservation_key ? strdup(s->reservation_key) : NULL;
	return s && s->reservation_key && !*ret ? -ENOMEM : 0;
}

static int prkey_set_fn(struct mpd_map *mm, void *ud)
{
	struct pr_arg *a = ud;
	char *k = a->key ? strdup(a->key) : NULL;

	if (a->key && !k)
		return -ENOMEM;
	free(mm->prkey);
	mm->prkey = k;
	return 0;
}

int mpd_pr_get(struct mpd *d, const char *map, enum mpd_pr_flag f, bool *ret)
{
	struct pr_arg a = { .f = f, .ret = ret };

	return with_map_state(d, map, pr_get_fn, &a);
}

int mpd_pr_set(struct mpd *d, const char *map, enum mpd_pr_flag f, bool on)
{
	struct pr_arg a = { .f = f, .on = on };

	return with_map_state(d, map, pr_set_fn, &a);
}

int mpd_prkey_get(struct mpd *d, const char *map, char **ret)
{
	struct pr_arg a = { .ret_key = ret };

	return with_map_state(d, map, prkey_get_fn, &a);
}

/*
 * As the incumbent: the prkeys file is updated in any case (no map lock
 * held during the file I/O), then the map's key is chosen again from its
 * settings; the command fails when that is not the key asked for (the map
 * has a configured key, or none and no "file").
 */
int mpd_prkey_set(struct mpd *d, const char *map, const char *key)
{
	char norm[32], cfg[32], wwid[KEY_LEN];
	_cleanup_free_ char *file = NULL, *source = NULL;
	struct pr_arg a = { 0 };
	int r;

	if (key && mpd_prkey_normalize(key, norm, sizeof(norm)) < 0)
		return -EINVAL;
	r = map_key(d, map, wwid);
	if (r >= 0)
		r = with_map_state(d, wwid, prkey_source_fn, &source);
	if (r < 0)
		return r;
	file = mpd_prkeys_file(d);
	if (!file)
		return -ENOMEM;
	r = mpd_prkeys_store(file, wwid, key ? norm : NULL);
	if (r < 0)
		return log_error_errno(r, "%s: cannot update %s: %s", wwid, file, strerror(-r));
	if (source && !strcmp(source, "file"))
		a.key = key ? norm : NULL;
	else if (source && mpd_prkey_normalize(source, cfg, sizeof(cfg)) == 0)
		a.key = cfg;
	r = with_map_state(d, wwid, prkey_set_fn, &a);
	if (r >= 0 && (key ? !a.key || strcmp(a.key, norm) : a.key != NULL)) {
		log_notice("%s: reservation_key is %s, the key stays %s", wwid,
			   source ? source : "unset", a.key ? a.key : "none");
		r = -EINVAL;
	}
	return r;
}

/*---- waiting ----*/

int mpd_wait_map(struct mpd *d, const char *wwid, int timeout_ms)
{
	uint64_t end = mp_now_usec() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0) * 1000;

	for (;;) {
		struct mp_map *m;
		bool ready = false;

		rcu_read_lock();
		m = mp_topo_find_map(&d->topo, wwid);
		if (!m)
			m = mp_topo_find_map_by_name(&d->topo, wwid);
		if (m) {
			const struct mp_map_snap *s = mpd_load(&m->snap);

			ready = s && s->n_active_paths > 0;
		}
		rcu_read_unlock();
		if (ready)
			return 0;
		if (mp_now_usec() >= end)
			return -ETIMEDOUT;
		usleep(20000);
	}
}

/*---- reconfigure ----*/

void mpd_reconfigure_run(struct mpd *d, bool all);

void mpd_reconfigure_run(struct mpd *d, bool all)
{
	struct mpd_private *pv = d->priv;
	struct mp_config_diags diags = { 0 };
	struct mp_config *c = NULL;
	char **keys;
	size_t n;
	int r;

	mpd_store(&pv->reconfigure_pending, false);
	mpd_set_state(d, MPD_CONFIGURE);
	if (pv->notify)
		pv->notify(d, "RELOADING=1\nSTATUS=reconfigure");
	r = mp_config_load(pv->config_file, pv->config_dir, &c, &diags);
	mp_config_diags_print(&diags);
	mp_config_diags_done(&diags);
	if (r < 0) {
		log_err("reconfigure: the new configuration has errors, keeping the old one");
	} else {
		mpd_set_config(d, c);
		if (!pv->verbosity_from_cmdline)
			mp_log_set_verbosity(mp_config_globals(c)->verbosity);
		all_map_keys(d, &keys, &n);
		for (size_t i = 0; i < n; i++) {
			struct mpd_work *w = mpd_work_new(W_MAP_RECONF, keys[i]);

			if (w) {
				w->arg = all;
				mpd_push_cfg(d, w);
			}
		}
		keys_free(keys, n);
		log_notice("reconfigure%s: %zu maps re-evaluated", all ? " all" : "", n);
	}
	mpd_set_state(d, MPD_IDLE);
	if (pv->notify)
		pv->notify(d, "READY=1\nSTATUS=up");
}

/*---- exit ----*/

void mpd_disable_queueing_at_exit(struct mpd *d)
{
	struct cds_lfht_iter it;
	struct mp_map *m;
	bool keep;

	rcu_read_lock();
	keep = mp_config_globals(mpd_config())->queue_without_daemon;
	if (!keep && !mpd_load(&d->priv->force_queue_daemon)) {
		mp_topo_for_each_map(&d->topo, &it, m) {
			mp_tsan_acquire(m);
			const struct mp_map_snap *s = mpd_load(&m->snap);

			if (s && s->name && s->queueing)
				mp_dm_set_queueing(s->name, false);
		}
	}
	rcu_read_unlock();
}
