/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to path-health.c, path-prio.c and path-sample.c: the per-path
 * context and the checker thread's health state.
 */
#ifndef MPD_HEALTH_INTERNAL_H
#define MPD_HEALTH_INTERNAL_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "discovery/pathinfo.h"
#include "path-health.h"

#define HEALTH_BUCKETS 1024
#define PRIO_NOT_RUN INT_MIN

struct mp_check;
struct mp_checker_runner;
struct mp_config;
struct sample;
struct prio_req;

/* The shaky-path rules' settings and state (path-shaky.c), kept only for
 * paths that have san_path_err_*, delay_*_checks or marginal_path_* set:
 * most have none. */
struct path_shaky {
	struct mpd_san_cfg san_cfg;
	struct mpd_san san;
	struct mpd_marg_cfg marg_cfg;
	struct mpd_marg marg;
};

struct path_ctx {
	int refs;                       /* atomic: the path's + the checker thread's */
	bool gone;                      /* atomic: the path was freed */
	bool on_fresh;
	dev_t devt;
	struct path_ctx *next;          /* h->all */
	struct path_ctx *hnext;         /* h->byck bucket */
	struct path_ctx *rm_next;       /* h->rm during dispatch */
	struct path_ctx *fresh_next;    /* h->fresh: has a verdict to act on */
	/* checker thread only (field order: no padding holes) */
	uint64_t gen;                   /* config generation resolved against */
	const void *pi_seen;            /* the path info resolved against */
	struct mp_check *chk;           /* NULL: sysfs state only */
	struct path_shaky *shaky;       /* NULL: no shaky-path rule configured */
	struct sample *sample;
	const char *prio, *prio_args;   /* string pool copies (never freed) */
	int fresh;                      /* verdict not yet acted on, PATH_WILD none */
	int timeout_ms;
	bool in_runner;
	bool last_bad;
	bool marked;                    /* we set p->marginal */
	bool marginal_pgs;
	bool force_sync;                /* check in the checker thread, blocking */
	bool recheck_wwid;              /* path-recheck.c: settings */
	bool purge_disconnected;
	bool purge_queued;              /* path-recheck.c: once per path */
	bool wwid_moved;                /* its WWID changed: never reinstated */
	signed char wwid_cmp;           /* sysfs WWID comparable with the map's:
	                                 * -1 unknown, 0 no, 1 yes */
	/* atomics read by other threads */
	int prio_kind;                  /* enum prio_kind */
	int ext_prio;                   /* prioritizer's last answer, PRIO_NOT_RUN */
	int shown;                      /* state to show instead, -1 none */
	const char *checker;            /* the checker in use: a string pool
	                                 * copy (never freed), NULL until known */
};

struct mpd_health {
	struct mpd *d;
	bool async;
	struct mp_checker_runner *runner;
	struct path_ctx *all;
	struct path_ctx *byck[HEALTH_BUCKETS];
	struct path_ctx *rm;
	struct path_ctx *fresh;
	int n_done;
	const struct mp_config *conf_seen;
	uint64_t gen;
	/* path-sample.c: marginal_path reads through one aio context */
	struct sampler *sampler;
	/* path-prio.c */
	pthread_t prio_tid;
	bool prio_running;
	pthread_mutex_t prio_lock;      /* leaf */
	pthread_cond_t prio_cond;
	struct prio_req *prio_q;
	bool prio_stop;
};

enum prio_kind {
	PRIO_KIND_CONST,        /* const (or none given): the core's 1 */
	PRIO_KIND_ACCESS,       /* alua, sysfs, ana: the access_state rule when known */
	PRIO_KIND_IO,           /* anything else: the prio thread */
};

/* Is the core's built-in rule the answer for this path now?  Decided on
 * the current path info each time: a path whose access_state becomes
 * known stops needing the prioritizer. */
static inline bool prio_kind_fast(int kind, const struct mp_path_info *pi)
{
	return kind == PRIO_KIND_CONST ||
	       (kind == PRIO_KIND_ACCESS && pi && pi->access_state != ACCESS_UNKNOWN);
}

int mpd_sample_init(struct mpd_health *h);
void mpd_sample_exit(struct mpd_health *h);
void mpd_sample_start(struct mpd_health *h, struct path_ctx *c, const char *devname);
void mpd_sample_stop(struct mpd_health *h, struct path_ctx *c);
void mpd_sample_dispatch(struct mpd_health *h);
int mpd_sample_next_timeout_ms(struct mpd_health *h);
int mpd_sample_fd(struct mpd_health *h);

/* path-recheck.c: recheck_wwid and purge_disconnected on a verdict (the
 * first step of mpd_health_filter); returns the verdict to go on with. */
int mpd_recheck_verdict(struct mpd_health *h, struct mp_path *p, struct path_ctx *c,
			const char *key, int st);

int mpd_prio_thread_start(struct mpd_health *h);
void mpd_prio_thread_stop(struct mpd_health *h);

#endif
