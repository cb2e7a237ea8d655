// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Path health: per-path contexts, asynchronous checks, shaky-path
 * decisions and the readers' view (design in path-health.h).
 *
 * Everything here except the readers, the prio thread and the RCU unref
 * runs in the checker thread, so the context's checker-side fields need no
 * lock; the CLI reads the checker's name, a string pool copy published
 * with one atomic store, and the checker's message is read from the check
 * itself, by this thread only.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "checkers/checker.h"
#include "core.h"
#include "health-internal.h"
#include "prioritizers/prio.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/strpool.h"

/*---- contexts ----*/

static void ctx_destroy(struct path_ctx *c)
{
	free(c->shaky);
	free(c);
}

static void ctx_unref(struct path_ctx *c)
{
	if (__atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL) == 0)
		ctx_destroy(c);
}

void mpd_health_ctx_unref(void *ctx)
{
	struct path_ctx *c = ctx;

	mpd_store(&c->gone, true);
	ctx_unref(c);
}

static unsigned bucket_of(const struct mp_check *chk)
{
	return (unsigned)(((uintptr_t)chk >> 4) % HEALTH_BUCKETS);
}

static void byck_add(struct mpd_health *h, struct path_ctx *c)
{
	unsigned b = bucket_of(c->chk);

	c->hnext = h->byck[b];
	h->byck[b] = c;
}

static void byck_del(struct mpd_health *h, struct path_ctx *c)
{
	struct path_ctx **pp;

	for (pp = &h->byck[bucket_of(c->chk)]; *pp; pp = &(*pp)->hnext)
		if (*pp == c) {
			*pp = c->hnext;
			return;
		}
}

static struct path_ctx *byck_find(struct mpd_health *h, const struct mp_check *chk)
{
	struct path_ctx *c;

	for (c = h->byck[bucket_of(chk)]; c; c = c->hnext)
		if (c->chk == chk)
			return c;
	return NULL;
}

static void ctx_drop_check(struct mpd_health *h, struct path_ctx *c)
{
	if (!c->chk)
		return;
	byck_del(h, c);
	mp_check_free(c->chk);  /* leaves the runner too */
	c->chk = NULL;
	c->in_runner = false;
}

/* What `show paths` names as the path's checker. */
static void ctx_set_checker_name(struct path_ctx *c, const char *checker)
{
	mpd_store(&c->checker, mp_str_intern(checker));
}

static int prio_kind_of(const char *prio)
{
	if (!prio || !strcmp(prio, "const"))
		return PRIO_KIND_CONST;
	if (!strcmp(prio, "alua") || !strcmp(prio, "sysfs") || !strcmp(prio, "ana"))
		return PRIO_KIND_ACCESS;
	return PRIO_KIND_IO;
}

static bool str_same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static void ctx_set_prio(struct path_ctx *c, const char *prio, const char *args)
{
	if (str_same(c->prio, prio) && str_same(c->prio_args, args))
		return;
	/* config values, a few distinct ones: shared, not copied per path */
	c->prio = mp_str_intern(prio);
	c->prio_args = mp_str_intern(args);
	mpd_store(&c->prio_kind, prio_kind_of(c->prio));
	/* an answer of another prioritizer must not be used for this one */
	mpd_store(&c->ext_prio, PRIO_NOT_RUN);
}

/* Any of the rules' settings given (each rule checks that all its own
 * are): the path keeps state for them. */
static bool shaky_configured(const struct mpd_san_cfg *san, const struct mpd_marg_cfg *marg)
{
	return san->threshold > 0 || san->forget_rate > 0 || san->recovery_s > 0 ||
	       marg->double_failed_s > 0 || marg->sample_s > 0 || marg->rate_threshold > 0 ||
	       marg->recheck_gap_s > 0;
}

/* Settings changed: the state is kept while some rule is configured, and
 * goes with the last one (a hold ends, as when the rule stops applying). */
static void ctx_set_shaky(struct path_ctx *c, const struct mpd_san_cfg *san,
			  const struct mpd_marg_cfg *marg)
{
	if (!shaky_configured(san, marg)) {
		free(c->shaky);
		c->shaky = NULL;
		return;
	}
	if (!c->shaky)
		c->shaky = calloc(1, sizeof(*c->shaky));
	if (!c->shaky)
		return;         /* out of memory: the path is never held */
	c->shaky->san_cfg = *san;
	c->shaky->marg_cfg = *marg;
}

static void ctx_take_settings(struct path_ctx *c, const struct mp_settings *s,
			      const struct mp_globals *g, const struct mp_path_info *pi)
{
	int max_pi = g->max_polling_interval > 0 ? g->max_polling_interval
			: 4 * (g->polling_interval > 0 ? g->polling_interval : 5);

	struct mpd_san_cfg san;
	struct mpd_marg_cfg marg = {
		.double_failed_s = s->marginal_path_double_failed_time,
		.sample_s = s->marginal_path_err_sample_time,
		.rate_threshold = s->marginal_path_err_rate_threshold,
		.recheck_gap_s = s->marginal_path_err_recheck_gap_time,
	};

	mpd_san_cfg_from(s, max_pi, &san);
	ctx_set_shaky(c, &san, &marg);
	c->marginal_pgs = g->marginal_pathgroups != MARGINAL_PG_OFF;
	c->force_sync = g->force_sync;
	c->recheck_wwid = s->recheck_wwid;
	c->purge_disconnected = s->purge_disconnected;
	c->timeout_ms = mp_checker_timeout_ms(g->checker_timeout, pi->sysfs_timeout);
	ctx_set_prio(c, s->prio, s->prio_args);
}

/* (Re)create the check when the resolved checker changed; "none" or an
 * unknown name leaves the path to the sysfs device state. */
static void ctx_set_checker(struct mpd_health *h, struct path_ctx *c, const char *name,
			    const struct mp_path_info *pi)
{
	struct mp_check *chk = NULL;
	int r;

	if (c->chk && name && !strcmp(mp_check_name(c->chk), name)) {
		mp_check_set_timeout(c->chk, c->timeout_ms);
		return;
	}
	ctx_drop_check(h, c);
	if (!h->async || !name || !strcmp(name, "none") || !mp_checker_exists(name)) {
		ctx_set_checker_name(c, name && mp_checker_exists(name) ? name : "none");
		return;
	}
	r = mp_checker_new(name, pi->devname, pi->devt, c->timeout_ms, &chk);
	if (r < 0) {
		log_warn("%s: cannot set up the %s checker: %s", pi->devname, name, strerror(-r));
		ctx_set_checker_name(c, "none");
		return;
	}
	c->chk = chk;
	byck_add(h, c);
	ctx_set_checker_name(c, name);
}

/* Resolve the path's own settings against the current config. */
static int ctx_resolve(struct mpd_health *h, struct path_ctx *c, const struct mp_path_info *pi,
		       const char *key)
{
	struct mp_settings *s = NULL;
	const struct mp_config *conf = mpd_config();
	int r = mp_config_resolve(conf, pi, key, &s);

	if (r < 0)
		return r;
	ctx_take_settings(c, s, mp_config_globals(conf), pi);
	if (!c->shaky)
		mpd_sample_stop(h, c);
	ctx_set_checker(h, c, s->checker, pi);
	mp_settings_free(s);
	c->gen = h->gen;
	c->pi_seen = pi;
	return 0;
}

static struct path_ctx *ctx_new(struct mpd_health *h, struct mp_path *p)
{
	struct path_ctx *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->refs = 2;            /* the path's and the checker thread's */
	c->devt = p->devt;
	c->fresh = PATH_WILD;
	c->shown = -1;
	c->wwid_cmp = -1;
	c->ext_prio = PRIO_NOT_RUN;
	c->next = h->all;
	h->all = c;
	/* Paths made before the hook was known carry none: set it here.  We
	 * are inside the read-side section that found p, so its RCU free (if
	 * it left meanwhile) runs after this store. */
	if (!p->ctx_free)
		p->ctx_free = mpd_health_ctx_unref;
	mpd_store(&p->checker_ctx, (void *)c);
	return c;
}

/* The context of a path in a map, set up or refreshed as needed; NULL
 * only when out of memory or the settings cannot be resolved. */
/* ret_resolved: the settings were (re)resolved — a new path, a new
 * config or new path info (access state may have moved). */
static struct path_ctx *ctx_ensure(struct mpd_health *h, struct mp_path *p, const char *key,
				   bool *ret_resolved)
{
	struct path_ctx *c = mpd_load(&p->checker_ctx);
	const struct mp_path_info *pi = mpd_load(&p->info);
	bool fresh = false;

	*ret_resolved = false;
	if (!pi)
		return NULL;
	if (!c) {
		c = ctx_new(h, p);
		if (!c)
			return NULL;
		fresh = true;
	}
	if (!fresh && c->gen == h->gen && c->pi_seen == pi)
		return c;
	if (ctx_resolve(h, c, pi, key) < 0)
		return NULL;
	*ret_resolved = true;
	return c;
}

void mpd_health_tick_begin(struct mpd_health *h)
{
	const struct mp_config *conf = mpd_config();
	struct path_ctx **pp = &h->all;

	if (conf != h->conf_seen) {
		h->conf_seen = conf;
		h->gen++;
	}
	while (*pp) {
		struct path_ctx *c = *pp;

		if (!mpd_load(&c->gone)) {
			pp = &c->next;
			continue;
		}
		if (c->on_fresh) {      /* next tick: the fresh list holds it */
			pp = &c->next;
			continue;
		}
		*pp = c->next;
		ctx_drop_check(h, c);
		mpd_sample_stop(h, c);
		ctx_unref(c);
	}
}

/*---- checks ----*/

int mpd_health_start(struct mpd_health *h, struct mp_path *p, const char *key, int sysfs_st)
{
	bool resolved;
	struct path_ctx *c = ctx_ensure(h, p, key, &resolved);
	int st;

	if (c && resolved)
		mpd_health_want_prio(h, p, key);
	if (!c || !c->chk || sysfs_st == PATH_DOWN)
		return sysfs_st;        /* offline needs no I/O to tell */
	if (c->force_sync) {
		return mp_check_sync(c->chk, c->timeout_ms);
	}
	st = mp_check_start(c->chk);
	if (mp_check_in_flight(c->chk)) {
		if (!c->in_runner && mp_runner_add(h->runner, c->chk) == 0)
			c->in_runner = true;
		return st == PATH_TIMEOUT ? PATH_TIMEOUT : PATH_PENDING;
	}
	return st;
}

void mpd_health_collect(struct mpd_health *h, void (*fn)(struct mp_path *p, int st, void *ud),
			void *ud)
{
	while (h->fresh) {
		struct path_ctx *c = h->fresh;
		struct mp_path *p;
		int st = c->fresh;

		h->fresh = c->fresh_next;
		c->on_fresh = false;
		c->fresh = PATH_WILD;
		/* c itself stays valid: only this thread drops its last ref */
		if (mpd_load(&c->gone) || st == PATH_WILD)
			continue;
		p = mp_topo_find_path(&h->d->topo, c->devt);
		if (p && mpd_load(&p->checker_ctx) == c)
			fn(p, st, ud);
	}
}

bool mpd_health_holding(const struct mp_path *p)
{
	const struct path_ctx *c = mpd_load(&p->checker_ctx);

	return c && c->shaky && (c->shaky->san.holding || c->shaky->marg.phase != MARG_IDLE);
}

static void on_done(struct mp_check *chk, enum mp_chk_state st, void *ud)
{
	struct mpd_health *h = ud;
	struct path_ctx *c = byck_find(h, chk);

	if (!c)
		return;
	c->fresh = st;
	if (!c->on_fresh) {
		c->on_fresh = true;
		c->fresh_next = h->fresh;
		h->fresh = c;
	}
	h->n_done++;
	if (!mp_check_in_flight(chk)) {
		/* leave the runner after dispatch: it may still walk its list */
		c->rm_next = h->rm;
		h->rm = c;
	}
}

int mpd_health_dispatch(struct mpd_health *h)
{
	h->n_done = 0;
	h->rm = NULL;
	mp_runner_dispatch(h->runner, on_done, h);
	while (h->rm) {
		struct path_ctx *c = h->rm;

		h->rm = c->rm_next;
		if (c->chk && c->in_runner && !mp_check_in_flight(c->chk)) {
			mp_runner_remove(h->runner, c->chk);
			c->in_runner = false;
		}
	}
	mpd_sample_dispatch(h);
	return h->n_done;
}

int mpd_health_next_timeout_ms(struct mpd_health *h)
{
	int a = mp_runner_next_timeout_ms(h->runner);
	int b = mpd_sample_next_timeout_ms(h);

	if (a < 0)
		return b;
	return b < 0 || a < b ? a : b;
}

void mpd_health_fds(struct mpd_health *h, int *runner_fd, int *sample_fd)
{
	*runner_fd = mp_runner_fd(h->runner);
	*sample_fd = mpd_sample_fd(h);
}

/*---- shaky paths ----*/

/* Does the map have a usable path besides p? (a hold needs one) */
static bool others_usable(const struct mp_path *p)
{
	const struct mp_map *m = mpd_load(&p->map);
	const struct mp_map_snap *s = m ? mp_map_snap_get((struct mp_map *)m) : NULL;

	for (size_t g = 0; s && g < s->n_pgs; g++)
		for (size_t i = 0; i < s->pgs[g].n_paths; i++) {
			const struct mp_path *q = s->pgs[g].paths[i];

			if (q != p && mpd_load(&q->dm_state) != DMP_FAILED &&
			    mp_chk_state_usable(mpd_load(&q->chk_state)))
				return true;
		}
	return false;
}

/* With marginal_pathgroups the path is used, but in a marginal group: the
 * flag is stored before the sync is queued so the regroup sees it. */
static void mark_marginal(struct mpd_health *h, struct mp_path *p, struct path_ctx *c,
			  const char *key, bool on)
{
	struct mpd_work *w;

	if (c->marked == on)
		return;
	c->marked = on;
	mpd_store(&p->marginal, on);
	log_notice("%s: %s marginal", p->info->devname, on ? "now" : "no longer");
	w = mpd_work_new(W_MAP_SYNC, key);
	if (w)
		mpd_push_cfg(h->d, w);
}

static enum mpd_shaky shaky_step(struct path_ctx *c, struct mp_path *p, bool good, uint64_t now)
{
	struct path_shaky *k = c->shaky;

	if (!k)
		return SHAKY_PASS;
	if (mpd_marg_enabled(&k->marg_cfg))
		return mpd_marg_step(&k->marg_cfg, &k->marg, c->last_bad, good, now);
	return mpd_san_step(&k->san_cfg, &k->san, c->last_bad, good, others_usable(p), now);
}

int mpd_health_filter(struct mpd_health *h, struct mp_path *p, const char *key, int st)
{
	struct path_ctx *c = mpd_load(&p->checker_ctx);
	bool good = mp_chk_state_usable(st);
	enum mpd_shaky act;

	if (!c || st == PATH_PENDING || st == PATH_WILD)
		return st;
	st = mpd_recheck_verdict(h, p, c, key, st);
	good = mp_chk_state_usable(st);
	act = shaky_step(c, p, good, mp_now_usec());
	if (good && c->last_bad)
		mpd_health_want_prio(h, p, key);        /* back: its priority may differ */
	c->last_bad = !good;
	if (c->shaky && c->shaky->marg.phase == MARG_SAMPLING)
		mpd_sample_start(h, c, p->info->devname);
	else
		mpd_sample_stop(h, c);
	if (act == SHAKY_RELEASE) {
		log_notice("%s: no longer held back", p->info->devname);
		mark_marginal(h, p, c, key, false);
	} else if (act == SHAKY_HOLD && c->marginal_pgs) {
		mark_marginal(h, p, c, key, true);
	} else if (act == SHAKY_HOLD) {
		if (c->shown != PATH_DELAYED)
			log_notice("%s: up, but held back as a shaky path", p->info->devname);
		mpd_store(&c->shown, PATH_DELAYED);
		return PATH_DELAYED;
	}
	mpd_store(&c->shown, -1);
	return st;
}

/*---- the table's view ----*/

int mpd_health_table_prio(struct mp_path *p)
{
	struct path_ctx *c = mpd_load(&p->checker_ctx);
	int v;

	if (!c || prio_kind_fast(mpd_load(&c->prio_kind), mpd_load(&p->info)))
		return mpd_load(&p->prio);
	v = mpd_load(&c->ext_prio);
	if (v == PRIO_NOT_RUN)
		return mpd_load(&p->prio);
	/* a reconfigure or change event reset p->prio to the built-in rule;
	 * the prioritizer's answer is the one that counts */
	mpd_store(&p->prio, v);
	return v;
}

/*---- lifecycle ----*/

int mpd_health_new(struct mpd *d, bool async, struct mpd_health **ret)
{
	struct mpd_health *h = calloc(1, sizeof(*h));
	int r;

	if (!h)
		return -ENOMEM;
	h->d = d;
	h->async = async;
	r = mp_runner_new(&h->runner);
	if (r == 0)
		r = mpd_sample_init(h);
	if (r == 0)
		r = mpd_prio_thread_start(h);
	if (r < 0) {
		mpd_sample_exit(h);
		if (h->runner)
			mp_runner_free(h->runner);
		free(h);
		return r;
	}
	*ret = h;
	return 0;
}

void mpd_health_free(struct mpd_health *h)
{
	if (!h)
		return;
	mpd_prio_thread_stop(h);
	while (h->all) {
		struct path_ctx *c = h->all;

		h->all = c->next;
		ctx_drop_check(h, c);
		mpd_sample_stop(h, c);
		ctx_unref(c);
	}
	mpd_sample_exit(h);
	mp_runner_free(h->runner);
	free(h);
}
