// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Command handlers.  One function per command id; each writes its reply
 * text into a strbuf and returns 0, or returns -errno and the dispatcher
 * turns it into the incumbent's `fail\n<reason>\n`.  An empty successful
 * reply becomes `ok\n`.
 *
 * Readers: rcu_read_lock(), collect the objects (maps with a published
 * snapshot, sorted by dm minor; paths sorted by dev_t) into an array, print,
 * rcu_read_unlock().  Nothing here sleeps while inside the read side.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include <urcu/uatomic.h>

#include "config/config.h"
#include "discovery/files.h"
#include "multipathd/cli-handlers.h"
#include "multipathd/cli.h"
#include "multipathd/print.h"
#include "util/util.h"

struct ctx {
	struct mpd *d;
	const struct cli_cmd *cmd;
	int timeout_ms;
	struct strbuf *out;
	bool close;
};

typedef int (*handler_fn)(struct ctx *c);

static const char *param(const struct ctx *c, enum cli_kw k)
{
	return cli_param(c->cmd, k);
}

/* ---- collecting objects (inside rcu_read_lock) ---- */

struct vec {
	void **v;
	size_t n, cap;
};

static int vec_push(struct vec *v, void *p)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		void **nv = realloc(v->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = p;
	return 0;
}

static int cmp_map(const void *a, const void *b)
{
	const struct mp_map_snap *x = rcu_dereference((*(struct mp_map *const *)a)->snap);
	const struct mp_map_snap *y = rcu_dereference((*(struct mp_map *const *)b)->snap);

	return (minor(x->devt) > minor(y->devt)) - (minor(x->devt) < minor(y->devt));
}

static int cmp_path(const void *a, const void *b)
{
	dev_t x = (*(struct mp_path *const *)a)->devt, y = (*(struct mp_path *const *)b)->devt;

	return (x > y) - (x < y);
}

static int collect_maps(struct mpd *d, struct vec *v)
{
	struct cds_lfht_iter it;
	struct mp_map *m;

	mp_topo_for_each_map(&d->topo, &it, m)
		if (rcu_dereference(m->snap) && vec_push(v, m) < 0)
			return -ENOMEM;
	if (v->n)
		qsort(v->v, v->n, sizeof(*v->v), cmp_map);
	return 0;
}

static int collect_paths(struct mpd *d, struct vec *v)
{
	struct cds_lfht_iter it;
	struct mp_path *p;

	mp_topo_for_each_path(&d->topo, &it, p)
		if (vec_push(v, p) < 0)
			return -ENOMEM;
	if (v->n)
		qsort(v->v, v->n, sizeof(*v->v), cmp_path);
	return 0;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static const char *strip_dev(const char *s, const char *prefix)
{
	return str_startswith(s, prefix) ? s + strlen(prefix) : s;
}

/* A map by alias, WWID, dm-N, /dev/dm-N, /dev/mapper/alias or maj:min. */
static struct mp_map *find_map(struct mpd *d, const char *name)
{
	struct cds_lfht_iter it;
	struct mp_map *m;
	dev_t devt;
	int n;

	name = strip_dev(strip_dev(name, "/dev/mapper/"), "/dev/");
	m = mp_topo_find_map_by_name(&d->topo, name);
	if (!m)
		m = mp_topo_find_map(&d->topo, name);
	if (!m && parse_devt(name, &devt) == 0)
		m = mp_topo_find_map_by_devt(&d->topo, devt);
	if (!m && str_startswith(name, "dm-") && parse_int(name + 3, &n) == 0) {
		mp_topo_for_each_map(&d->topo, &it, m) {
			const struct mp_map_snap *s = rcu_dereference(m->snap);

			if (s && s->devt && (int)minor(s->devt) == n)
				return m;
		}
		return NULL;
	}
	if (m && !rcu_dereference(m->snap))
		return NULL;
	return m;
}

static struct mp_path *find_path(struct mpd *d, const char *name)
{
	dev_t devt;

	name = strip_dev(name, "/dev/");
	if (parse_devt(name, &devt) == 0)
		return mp_topo_find_path(&d->topo, devt);
	return mp_topo_find_path_by_name(&d->topo, name);
}

/* ---- show ---- */

static int show_maps_fmt(struct ctx *c, const char *fmt, bool header)
{
	struct vec v = { 0 };
	int r;

	rcu_read_lock();
	r = collect_maps(c->d, &v);
	if (r == 0)
		r = print_maps_table(c->out, (struct mp_map *const *)v.v, v.n, fmt, header);
	rcu_read_unlock();
	free(v.v);
	return r;
}

static int h_show_maps(struct ctx *c) { return show_maps_fmt(c, PRINT_MAPS_DEFAULT_FMT, true); }
static int h_show_maps_fmt(struct ctx *c) { return show_maps_fmt(c, param(c, KW_FORMAT), true); }
static int h_show_maps_raw(struct ctx *c) { return show_maps_fmt(c, param(c, KW_FORMAT), false); }
static int h_show_maps_status(struct ctx *c) { return show_maps_fmt(c, PRINT_MAPS_STATUS_FMT, true); }
static int h_show_maps_stats(struct ctx *c) { return show_maps_fmt(c, PRINT_MAPS_STATS_FMT, true); }

static int show_paths_fmt(struct ctx *c, const char *fmt, bool header)
{
	struct vec v = { 0 };
	int r;

	rcu_read_lock();
	r = collect_paths(c->d, &v);
	if (r == 0)
		r = print_paths_table(c->out, (struct mp_path *const *)v.v, v.n, fmt, header);
	rcu_read_unlock();
	free(v.v);
	return r;
}

static int h_show_paths(struct ctx *c) { return show_paths_fmt(c, PRINT_PATHS_DEFAULT_FMT, true); }
static int h_show_paths_fmt(struct ctx *c) { return show_paths_fmt(c, param(c, KW_FORMAT), true); }
static int h_show_paths_raw(struct ctx *c) { return show_paths_fmt(c, param(c, KW_FORMAT), false); }

static int h_show_path(struct ctx *c)
{
	struct mp_path *p;
	int r = -ENODEV;

	rcu_read_lock();
	p = find_path(c->d, param(c, KW_PATH));
	if (p) {
		r = print_paths_table(c->out, &p, 1, "%o", false);
	}
	rcu_read_unlock();
	return r;
}

static int h_show_topology(struct ctx *c)
{
	struct vec v = { 0 };
	int r;

	rcu_read_lock();
	r = collect_maps(c->d, &v);
	if (r == 0)
		r = print_topology(c->out, (struct mp_map *const *)v.v, v.n);
	rcu_read_unlock();
	free(v.v);
	return r;
}

static int h_show_maps_json(struct ctx *c)
{
	struct vec v = { 0 };
	int r;

	rcu_read_lock();
	r = collect_maps(c->d, &v);
	if (r == 0)
		r = print_maps_json(c->out, (struct mp_map *const *)v.v, v.n, false);
	rcu_read_unlock();
	free(v.v);
	return r;
}

/* One map: topology, format, raw format or json. */
static int show_one_map(struct ctx *c, int what)
{
	struct mp_map *m;
	int r = -ENODEV;

	rcu_read_lock();
	m = find_map(c->d, param(c, KW_MAP));
	if (m) {
		switch (what) {
		case 0: r = print_topology(c->out, &m, 1); break;
		case 1: r = print_maps_table(c->out, &m, 1, param(c, KW_FORMAT), true); break;
		case 2: r = print_maps_table(c->out, &m, 1, param(c, KW_FORMAT), false); break;
		default: r = print_maps_json(c->out, &m, 1, true); break;
		}
	}
	rcu_read_unlock();
	return r;
}

static int h_show_map_topo(struct ctx *c) { return show_one_map(c, 0); }
static int h_show_map_fmt(struct ctx *c) { return show_one_map(c, 1); }
static int h_show_map_raw(struct ctx *c) { return show_one_map(c, 2); }
static int h_show_map_json(struct ctx *c) { return show_one_map(c, 3); }

static int h_show_status(struct ctx *c)
{
	unsigned int count[_PATH_MAX] = { 0 };
	struct cds_lfht_iter it;
	struct mp_path *p;
	unsigned int total = 0;

	rcu_read_lock();
	mp_topo_for_each_path(&c->d->topo, &it, p) {
		int s = uatomic_read(&p->chk_state);

		if (s >= 0 && s < _PATH_MAX)
			count[s]++;
		total++;
	}
	rcu_read_unlock();
	strbuf_append(c->out, "path checker states:\n");
	for (int s = 0; s < _PATH_MAX; s++)
		if (count[s])
			strbuf_appendf(c->out, "%-20s%u\n", print_chk_state(s), count[s]);
	strbuf_appendf(c->out, "\npaths: %u\nbusy: %s\n", total,
		       mpd_busy(c->d) ? "True" : "False");
	return 0;
}

static int h_show_daemon(struct ctx *c)
{
	strbuf_appendf(c->out, "pid %d %s%s\n", (int)getpid(),
		       mpd_state_to_string(mpd_get_state(c->d)),
		       mpd_reconfigure_pending(c->d) ? " (pending reconfigure)" : "");
	return 0;
}

static int show_config(struct ctx *c, int what)
{
	struct mp_config *conf;
	int r = -ENOENT;

	rcu_read_lock();
	conf = mp_config_get();
	if (conf) {
		if (what == 2)
			r = mp_config_dump_blacklist(conf, c->out);
		else
			r = mp_config_dump(conf, true, c->out);
	}
	rcu_read_unlock();
	return r < 0 ? r : 0;
}

static int h_show_config(struct ctx *c) { return show_config(c, 0); }

/* Only the built-in hardware entries that match a path the daemon knows. */
static int h_show_config_local(struct ctx *c)
{
	_cleanup_free_ const struct mp_path_info **pis = NULL;
	struct vec v = { 0 };
	struct mp_config *conf;
	size_t n = 0;
	int r;

	rcu_read_lock();
	r = collect_paths(c->d, &v);
	if (r >= 0 && v.n && !(pis = calloc(v.n, sizeof(*pis))))
		r = -ENOMEM;
	for (size_t k = 0; r >= 0 && k < v.n; k++) {
		const struct mp_path_info *pi = rcu_dereference(((struct mp_path *)v.v[k])->info);

		if (pi)
			pis[n++] = pi;
	}
	conf = mp_config_get();
	if (r >= 0)
		r = conf ? mp_config_dump_local(conf, pis, n, c->out) : -ENOENT;
	rcu_read_unlock();
	free(v.v);
	return r < 0 ? r : 0;
}

static int h_show_blacklist(struct ctx *c) { return show_config(c, 2); }

static int h_show_devices(struct ctx *c)
{
	DIR *dir = opendir("/sys/block");
	struct dirent *de;
	struct mp_config *conf;

	if (!dir)
		return -errno;
	strbuf_append(c->out, "available block devices:\n");
	rcu_read_lock();
	conf = mp_config_get();
	while ((de = readdir(dir))) {
		const char *reason = NULL;
		bool bl = false;

		if (de->d_name[0] == '.')
			continue;
		if (conf)
			bl = mp_config_blacklisted_devnode(conf, de->d_name, &reason) == 1;
		strbuf_appendf(c->out, "    %s devnode %s, %s\n", de->d_name,
			       bl ? "blacklisted" : "whitelisted",
			       mp_topo_find_path_by_name(&c->d->topo, de->d_name)
			       ? "monitored" : "unmonitored");
	}
	rcu_read_unlock();
	closedir(dir);
	return 0;
}

static int h_show_wildcards(struct ctx *c) { return print_wildcards(c->out); }

static int h_show_stats(struct ctx *c)
{
	return mpd_stats_print(c->d, c->out, c->cmd->id == CMD_SHOW_STATS_JSON);
}

/* Is the WWID of a new path one the daemon multipaths?  Answered for the
 * udev rule in its own variables so `multipath -u` can print it as is. */
static int h_show_claim(struct ctx *c)
{
	const char *dev = strip_dev(param(c, KW_CLAIM), "/dev/"), *wwid = param(c, KW_WWID);
	struct mp_config *conf;
	struct cds_lfht_iter it;
	struct mp_path *p;
	enum mp_find_verdict v = MP_FIND_NO;
	bool map_exists = false, in_file = false, bl = false;
	int n_paths = 1, timeout = 0, hold;
	long long until = 0;
	enum mp_find mode = FIND_STRICT;
	const char *reason, *file = MP_WWIDS_FILE;
	_cleanup_free_ char *wwid_copy = NULL;

	rcu_read_lock();
	conf = mp_config_get();
	if (conf) {
		const struct mp_globals *g = mp_config_globals(conf);

		mode = g->find_multipaths;
		timeout = g->find_multipaths_timeout;
		if (g->wwids_file)
			file = g->wwids_file;
		bl = mp_config_blacklisted_devnode(conf, dev, &reason) == 1;
	}
	p = mp_topo_find_path_by_name(&c->d->topo, dev);
	/* a map without a snapshot is only a candidate, not in the kernel */
	if (p && rcu_dereference(p->map) && mp_map_snap_get(rcu_dereference(p->map)))
		map_exists = true;
	if (!wwid && p && rcu_dereference(p->info))
		wwid = wwid_copy = strdup(or_empty(rcu_dereference(p->info)->wwid));
	if (wwid && *wwid && !bl) {
		if (conf)
			bl = mp_config_blacklisted_wwid(conf, wwid, &reason) == 1;
		struct mp_map *m = mp_topo_find_map(&c->d->topo, wwid);

		map_exists |= m && mp_map_snap_get(m);
		mp_topo_for_each_path(&c->d->topo, &it, p) {
			const struct mp_path_info *pi = rcu_dereference(p->info);

			if (pi && pi->wwid && strcmp(pi->wwid, wwid) == 0 &&
			    (!pi->devname || strcmp(pi->devname, dev) != 0))
				n_paths++;
		}
	}
	if (wwid && *wwid && !bl)
		file = strdupa(file);
	rcu_read_unlock();
	if (wwid && *wwid && !bl) {
		in_file = mp_wwids_check(file, wwid) == 1;
		v = mp_should_multipath(mode, in_file, map_exists, n_paths, true);
	}
	/* smart: the daemon's own hold decides once it has seen the path */
	hold = v == MP_FIND_MAYBE ? mpd_find_hold(c->d, wwid, &until) : -ENOENT;
	if (hold == 0)
		v = MP_FIND_NO;
	else if (hold < 0)
		until = (long long)time(NULL) + (timeout ? abs(timeout) : 10);
	strbuf_appendf(c->out, "DM_MULTIPATH_DEVICE_PATH=%d\n",
		       v == MP_FIND_YES ? 1 : v == MP_FIND_MAYBE ? 2 : 0);
	if (v == MP_FIND_MAYBE)
		strbuf_appendf(c->out, "FIND_MULTIPATHS_WAIT_UNTIL=%lld\n", until);
	return 0;
}

/* ---- actions ---- */

static int h_reset_stats(struct ctx *c)
{
	return mpd_reset_stats(c->d, c->cmd->id == CMD_RESET_MAP_STATS ? param(c, KW_MAP) : NULL);
}

#define MAP_ACTION(fname, call)                                            \
	static int fname(struct ctx *c)                                    \
	{                                                                  \
		return call(c->d, param(c, KW_MAP), c->timeout_ms);        \
	}
#define PATH_ACTION(fname, call)                                           \
	static int fname(struct ctx *c)                                    \
	{                                                                  \
		return call(c->d, param(c, KW_PATH), c->timeout_ms);       \
	}

PATH_ACTION(h_add_path, mpd_add_path)
PATH_ACTION(h_del_path, mpd_del_path)
PATH_ACTION(h_fail_path, mpd_fail_path)
PATH_ACTION(h_reinstate_path, mpd_reinstate_path)
MAP_ACTION(h_add_map, mpd_add_map)
MAP_ACTION(h_del_map, mpd_del_map)
MAP_ACTION(h_suspend, mpd_suspend_map)
MAP_ACTION(h_resume, mpd_resume_map)
MAP_ACTION(h_resize, mpd_resize_map)
MAP_ACTION(h_reload, mpd_reload_map)
MAP_ACTION(h_reset_map, mpd_reset_map)
MAP_ACTION(h_disableq_map, mpd_disable_queueing)
MAP_ACTION(h_restoreq_map, mpd_restore_queueing)
MAP_ACTION(h_unsetmarginal_map, mpd_unset_marginal_map)

static int h_del_maps(struct ctx *c) { return mpd_del_maps(c->d, c->timeout_ms); }
static int h_disableq_maps(struct ctx *c) { return mpd_disable_queueing(c->d, NULL, c->timeout_ms); }
static int h_restoreq_maps(struct ctx *c) { return mpd_restore_queueing(c->d, NULL, c->timeout_ms); }
static int h_forceq_daemon(struct ctx *c) { return mpd_force_queueing_daemon(c->d, true); }
static int h_restoreq_daemon(struct ctx *c) { return mpd_force_queueing_daemon(c->d, false); }
static int h_reconfigure(struct ctx *c) { return mpd_reconfigure(c->d, false); }
static int h_reconfigure_all(struct ctx *c) { return mpd_reconfigure(c->d, true); }
static int h_setmarginal(struct ctx *c) { return mpd_set_marginal(c->d, param(c, KW_PATH), true, c->timeout_ms); }
static int h_unsetmarginal(struct ctx *c) { return mpd_set_marginal(c->d, param(c, KW_PATH), false, c->timeout_ms); }

static int h_switch_group(struct ctx *c)
{
	int pg;

	if (parse_int(param(c, KW_GROUP), &pg) < 0 || pg < 1)
		return -EINVAL;
	return mpd_switch_group(c->d, param(c, KW_MAP), pg, c->timeout_ms);
}

static int pr_get(struct ctx *c, enum mpd_pr_flag f)
{
	bool on = false;
	int r = mpd_pr_get(c->d, param(c, KW_MAP), f, &on);

	if (r < 0)
		return r;
	strbuf_append(c->out, on ? "set\n" : "unset\n");
	return 0;
}

static int h_getprstatus(struct ctx *c) { return pr_get(c, MPD_PR_STATUS); }
static int h_getprhold(struct ctx *c) { return pr_get(c, MPD_PR_HOLD); }
static int h_setprstatus(struct ctx *c) { return mpd_pr_set(c->d, param(c, KW_MAP), MPD_PR_STATUS, true); }
static int h_unsetprstatus(struct ctx *c) { return mpd_pr_set(c->d, param(c, KW_MAP), MPD_PR_STATUS, false); }
static int h_setprhold(struct ctx *c) { return mpd_pr_set(c->d, param(c, KW_MAP), MPD_PR_HOLD, true); }
static int h_unsetprhold(struct ctx *c) { return mpd_pr_set(c->d, param(c, KW_MAP), MPD_PR_HOLD, false); }
static int h_setprkey(struct ctx *c) { return mpd_prkey_set(c->d, param(c, KW_MAP), param(c, KW_KEY)); }
static int h_unsetprkey(struct ctx *c) { return mpd_prkey_set(c->d, param(c, KW_MAP), NULL); }

static int h_getprkey(struct ctx *c)
{
	_cleanup_free_ char *key = NULL;
	int r = mpd_prkey_get(c->d, param(c, KW_MAP), &key);

	if (r < 0)
		return r;
	strbuf_appendf(c->out, "%s\n", key ? key : "none");
	return 0;
}

static int h_shutdown(struct ctx *c)
{
	mpd_request_shutdown(c->d);
	return 0;
}

static int h_quit(struct ctx *c)
{
	c->close = true;
	return 0;
}

static int h_wait_map(struct ctx *c)
{
	int secs, tmo = c->timeout_ms;

	if (param(c, KW_TIMEOUT)) {
		if (parse_int(param(c, KW_TIMEOUT), &secs) < 0 || secs < 0 || secs > 86400)
			return -EINVAL;
		tmo = secs * 1000;
	}
	return mpd_wait_map(c->d, param(c, KW_MAP), tmo);
}

static const handler_fn handlers[_CMD_MAX] = {
	[CMD_SHOW_PATHS] = h_show_paths,
	[CMD_SHOW_PATHS_FMT] = h_show_paths_fmt,
	[CMD_SHOW_PATHS_RAW_FMT] = h_show_paths_raw,
	[CMD_SHOW_PATH] = h_show_path,
	[CMD_SHOW_MAPS] = h_show_maps,
	[CMD_SHOW_MAPS_FMT] = h_show_maps_fmt,
	[CMD_SHOW_MAPS_RAW_FMT] = h_show_maps_raw,
	[CMD_SHOW_MAPS_STATUS] = h_show_maps_status,
	[CMD_SHOW_MAPS_STATS] = h_show_maps_stats,
	[CMD_SHOW_MAPS_TOPOLOGY] = h_show_topology,
	[CMD_SHOW_TOPOLOGY] = h_show_topology,
	[CMD_SHOW_MAPS_JSON] = h_show_maps_json,
	[CMD_SHOW_MAP_TOPOLOGY] = h_show_map_topo,
	[CMD_SHOW_MAP_FMT] = h_show_map_fmt,
	[CMD_SHOW_MAP_RAW_FMT] = h_show_map_raw,
	[CMD_SHOW_MAP_JSON] = h_show_map_json,
	[CMD_SHOW_STATUS] = h_show_status,
	[CMD_SHOW_DAEMON] = h_show_daemon,
	[CMD_SHOW_CONFIG] = h_show_config,
	[CMD_SHOW_CONFIG_LOCAL] = h_show_config_local,
	[CMD_SHOW_BLACKLIST] = h_show_blacklist,
	[CMD_SHOW_DEVICES] = h_show_devices,
	[CMD_SHOW_WILDCARDS] = h_show_wildcards,
	[CMD_SHOW_STATS] = h_show_stats,
	[CMD_SHOW_STATS_JSON] = h_show_stats,
	[CMD_SHOW_CLAIM] = h_show_claim,
	[CMD_RESET_MAPS_STATS] = h_reset_stats,
	[CMD_RESET_MAP_STATS] = h_reset_stats,
	[CMD_ADD_PATH] = h_add_path,
	[CMD_DEL_PATH] = h_del_path,
	[CMD_ADD_MAP] = h_add_map,
	[CMD_DEL_MAP] = h_del_map,
	[CMD_DEL_MAPS] = h_del_maps,
	[CMD_SWITCH_GROUP] = h_switch_group,
	[CMD_RECONFIGURE] = h_reconfigure,
	[CMD_RECONFIGURE_ALL] = h_reconfigure_all,
	[CMD_SUSPEND_MAP] = h_suspend,
	[CMD_RESUME_MAP] = h_resume,
	[CMD_RESIZE_MAP] = h_resize,
	[CMD_RELOAD_MAP] = h_reload,
	[CMD_RESET_MAP] = h_reset_map,
	[CMD_FAIL_PATH] = h_fail_path,
	[CMD_REINSTATE_PATH] = h_reinstate_path,
	[CMD_DISABLEQ_MAPS] = h_disableq_maps,
	[CMD_DISABLEQ_MAP] = h_disableq_map,
	[CMD_RESTOREQ_MAPS] = h_restoreq_maps,
	[CMD_RESTOREQ_MAP] = h_restoreq_map,
	[CMD_FORCEQ_DAEMON] = h_forceq_daemon,
	[CMD_RESTOREQ_DAEMON] = h_restoreq_daemon,
	[CMD_DISABLEQ_DAEMON] = h_restoreq_daemon,
	[CMD_GETPRSTATUS] = h_getprstatus,
	[CMD_SETPRSTATUS] = h_setprstatus,
	[CMD_SETPRSTATUS_LIST] = h_setprstatus,
	[CMD_UNSETPRSTATUS] = h_unsetprstatus,
	[CMD_GETPRKEY] = h_getprkey,
	[CMD_SETPRKEY] = h_setprkey,
	[CMD_UNSETPRKEY] = h_unsetprkey,
	[CMD_GETPRHOLD] = h_getprhold,
	[CMD_SETPRHOLD] = h_setprhold,
	[CMD_UNSETPRHOLD] = h_unsetprhold,
	[CMD_SETMARGINAL] = h_setmarginal,
	[CMD_UNSETMARGINAL] = h_unsetmarginal,
	[CMD_UNSETMARGINAL_MAP] = h_unsetmarginal_map,
	[CMD_SHUTDOWN] = h_shutdown,
	[CMD_QUIT] = h_quit,
	[CMD_WAIT_MAP] = h_wait_map,
	[CMD_WAIT_MAP_TIMEOUT] = h_wait_map,
};

static const char *fail_reason(int r)
{
	switch (r) {
	case -ETIMEDOUT: return "timeout";
	case -EBUSY: return "map or partition in use";
	case -ENODEV:
	case -ENOENT:
	case -ENXIO: return "device not found";
	case -EPERM:
	case -EACCES: return "permission deny: need to be root";
	case -EINVAL: return "invalid argument";
	case -EALREADY: return "already in that state";
	case -EOPNOTSUPP: return "not supported";
	default: return strerror(-r);
	}
}

char *cli_execute(struct mpd *d, const char *line, uid_t uid, int timeout_ms,
		  bool *ret_close)
{
	_cleanup_strbuf_ struct strbuf out = STRBUF_INIT;
	struct cli_cmd cmd;
	struct ctx c = { .d = d, .cmd = &cmd, .timeout_ms = timeout_ms, .out = &out };
	bool read_only;
	int r;

	*ret_close = false;
	if (uid != 0 && !cli_line_is_read_only(line))
		return strdup(CLI_REPLY_PERM);
	r = cli_parse(line, &cmd, &out);
	if (r < 0) {
		/* an empty line just gets the help, as the incumbent does */
		return strbuf_steal(&out);
	}
	r = handlers[cmd.id] ? handlers[cmd.id](&c) : -ENOSYS;
	read_only = cmd.read_only;
	cli_cmd_done(&cmd);
	*ret_close = c.close;
	if (r < 0) {
		strbuf_reset(&out);
		strbuf_appendf(&out, "fail\n%s\n", fail_reason(r));
	} else if (out.len == 0 && !c.close && !read_only) {
		/* actions confirm; a show with nothing to show stays empty */
		strbuf_append(&out, "ok\n");
	}
	return strbuf_steal(&out);
}
