// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The prio thread: prioritizers that send I/O (alua by RTPG, emc, rdac,
 * hp_sw, ontap, path_latency, …) may block up to checker_timeout, so they
 * never run in the checker thread.  Requests are queued by dev_t (one
 * pending request per path); the thread works on a private copy of the
 * path info so no RCU read-side section spans the I/O.  A changed answer
 * is stored in the path and one W_MAP_SYNC queued: the map regroups and
 * reloads only if its table changed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "health-internal.h"
#include "prioritizers/prio.h"
#include "util/log.h"

struct prio_req {
	struct prio_req *next;
	dev_t devt;
	char *key, *name, *args;
	int timeout_ms;
};

static void req_free(struct prio_req *r)
{
	free(r->key);
	free(r->name);
	free(r->args);
	free(r);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Deep copy: every pointer mp_path_info_free() frees is duplicated (keep
 * the two lists in step), the rest is copied by value. */
static struct mp_path_info *info_copy(const struct mp_path_info *pi)
{
	struct mp_path_info *c = malloc(sizeof(*c));

	if (!c)
		return NULL;
	*c = *pi;
	c->devname = dup_or_null(pi->devname);
	c->syspath = dup_or_null(pi->syspath);
	c->vendor = dup_or_null(pi->vendor);
	c->product = dup_or_null(pi->product);
	c->revision = dup_or_null(pi->revision);
	c->wwid = dup_or_null(pi->wwid);
	c->serial = dup_or_null(pi->serial);
	c->host_wwnn = dup_or_null(pi->host_wwnn);
	c->host_wwpn = dup_or_null(pi->host_wwpn);
	c->tgt_wwnn = dup_or_null(pi->tgt_wwnn);
	c->tgt_wwpn = dup_or_null(pi->tgt_wwpn);
	c->host_adapter = dup_or_null(pi->host_adapter);
	return c;
}

void mpd_health_want_prio(struct mpd_health *h, struct mp_path *p, const char *key)
{
	struct path_ctx *c = mpd_load(&p->checker_ctx);
	struct prio_req *r, **pp;

	if (!c || prio_kind_fast(c->prio_kind, mpd_load(&p->info)) || !c->prio ||
	    !h->prio_running)
		return;
	r = calloc(1, sizeof(*r));
	if (!r)
		return;
	r->devt = p->devt;
	r->key = strdup(key);
	r->name = strdup(c->prio);
	r->args = dup_or_null(c->prio_args);
	r->timeout_ms = c->timeout_ms;
	pthread_mutex_lock(&h->prio_lock);
	for (pp = &h->prio_q; *pp; pp = &(*pp)->next)
		if ((*pp)->devt == r->devt)
			break;
	if (*pp) {              /* already waiting: the newer request wins */
		r->next = (*pp)->next;
		req_free(*pp);
	}
	*pp = r;
	pthread_cond_signal(&h->prio_cond);
	pthread_mutex_unlock(&h->prio_lock);
}

/* Store the answer if it is still the same path; true when it changed. */
static bool prio_store(struct mpd_health *h, const struct prio_req *r, int v)
{
	struct mp_path *p;
	struct path_ctx *c;
	bool changed = false;

	rcu_read_lock();
	p = mp_topo_find_path(&h->d->topo, r->devt);
	c = p ? mpd_load(&p->checker_ctx) : NULL;
	/* the access state became known meanwhile: the core's rule wins */
	if (c && !mpd_load(&c->gone) &&
	    !prio_kind_fast(mpd_load(&c->prio_kind), mpd_load(&p->info))) {
		mpd_store(&c->ext_prio, v);
		changed = mpd_load(&p->prio) != v;
		if (changed) {
			log_info("%s: priority %d (%s)", p->info->devname, v, r->name);
			mpd_store(&p->prio, v);
		}
	}
	rcu_read_unlock();
	return changed;
}

static void prio_run(struct mpd_health *h, struct prio_req *r)
{
	struct mp_path_info *pi = NULL;
	struct mp_path *p;
	struct mpd_work *w;
	int v;

	rcu_read_lock();
	p = mp_topo_find_path(&h->d->topo, r->devt);
	if (p && mpd_load(&p->info))
		pi = info_copy(mpd_load(&p->info));
	rcu_read_unlock();
	if (!pi)
		return;
	v = mp_prio_get(r->name, r->args, pi, -1, r->timeout_ms);
	mp_path_info_free(pi);
	if (!prio_store(h, r, v))
		return;
	w = mpd_work_new(W_MAP_SYNC, r->key);
	if (w)
		mpd_push_cfg(h->d, w);
}

static void *prio_main(void *arg)
{
	struct mpd_health *h = arg;

	mpd_thread_register(h->d);
	pthread_mutex_lock(&h->prio_lock);
	while (!h->prio_stop) {
		struct prio_req *r = h->prio_q;

		if (!r) {
			pthread_cond_wait(&h->prio_cond, &h->prio_lock);
			continue;
		}
		h->prio_q = r->next;
		pthread_mutex_unlock(&h->prio_lock);
		prio_run(h, r);
		req_free(r);
		pthread_mutex_lock(&h->prio_lock);
	}
	pthread_mutex_unlock(&h->prio_lock);
	mpd_thread_unregister(h->d);
	return NULL;
}

int mpd_prio_thread_start(struct mpd_health *h)
{
	int r;

	pthread_mutex_init(&h->prio_lock, NULL);
	pthread_cond_init(&h->prio_cond, NULL);
	r = pthread_create(&h->prio_tid, NULL, prio_main, h);
	if (r) {
		pthread_mutex_destroy(&h->prio_lock);
		pthread_cond_destroy(&h->prio_cond);
		return -r;
	}
	h->prio_running = true;
	return 0;
}

void mpd_prio_thread_stop(struct mpd_health *h)
{
	if (!h->prio_running)
		return;
	pthread_mutex_lock(&h->prio_lock);
	h->prio_stop = true;
	pthread_cond_signal(&h->prio_cond);
	pthread_mutex_unlock(&h->prio_lock);
	pthread_join(h->prio_tid, NULL);
	while (h->prio_q) {
		struct prio_req *r = h->prio_q;

		h->prio_q = r->next;
		req_free(r);
	}
	pthread_mutex_destroy(&h->prio_lock);
	pthread_cond_destroy(&h->prio_cond);
	h->prio_running = false;
}
