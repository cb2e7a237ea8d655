/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Path health, the daemon side of checkers and prioritizers.
 *
 * Each path gets a context (p->checker_ctx) the checker thread creates the
 * first time it sees the path in a map: the settings resolved for it
 * (path_checker, checker_timeout, prio, san_path_err_*, marginal_path_*),
 * its asynchronous check (libmultipath/checkers, one runner for all) and
 * the shaky-path state machines.  The context is owned twice: by the path
 * (dropped by the topology's RCU free) and by the checker thread's list
 * (dropped when the thread sees the path gone or stops); whoever drops
 * last frees it, and only the checker thread ever touches the check or the
 * runner, so the RCU thread never races with a check in flight.
 *
 * Prioritizers that do I/O run in one prio thread, never in the checker
 * thread; a changed priority is stored in the path and a W_MAP_SYNC queued
 * (the map reloads only if its table changed).
 *
 * The shaky-path rules are pure functions over small structs so the unit
 * tests drive them with a fake clock.
 */
#ifndef MPD_PATH_HEALTH_H
#define MPD_PATH_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mpd;
struct mp_path;
struct mp_settings;
struct mp_path_info;

/*---- shaky paths (pure) ----*/

enum mpd_shaky {
	SHAKY_PASS,             /* act on the verdict as it is */
	SHAKY_HOLD,             /* usable, but keep it out of use (delayed) */
	SHAKY_RELEASE,          /* a hold ended: use it again (unmark marginal) */
};

/* san_path_err: count recoveries; more than `threshold` (one forgotten
 * every `forget_rate` good checks) holds the path for `recovery_s`. */
struct mpd_san_cfg {
	int threshold;          /* <= 0: off */
	int forget_rate;
	int recovery_s;
};

struct mpd_san {
	int failures;
	int forget_left;
	bool holding;
	uint64_t hold_since;    /* µs */
};

/* was_bad: our previous verdict was not usable; good: this one is.
 * others_usable: the map has another usable path (a hold is pointless
 * without one). */
enum mpd_shaky mpd_san_step(const struct mpd_san_cfg *c, struct mpd_san *s, bool was_bad,
			    bool good, bool others_usable, uint64_t now);

/* marginal_path_*: two failures within double_failed_s start an I/O error
 * sample of sample_s; a rate above rate_threshold (per thousand) keeps the
 * path out for recheck_gap_s, then samples again. */
struct mpd_marg_cfg {
	int double_failed_s;    /* all four > 0, else off */
	int sample_s;
	int rate_threshold;
	int recheck_gap_s;
};

enum mpd_marg_phase { MARG_IDLE, MARG_SAMPLING, MARG_WAIT };

struct mpd_marg {
	int fail_cnt;
	uint64_t first_fail;
	enum mpd_marg_phase phase;
	uint64_t since;
	unsigned ios, errs;     /* this sample */
};

bool mpd_marg_enabled(const struct mpd_marg_cfg *c);
enum mpd_shaky mpd_marg_step(const struct mpd_marg_cfg *c, struct mpd_marg *m, bool was_bad,
			     bool good, uint64_t now);
/* One sampling read finished (ok = no error). */
void mpd_marg_io_done(struct mpd_marg *m, bool ok);

/* delay_watch_checks / delay_wait_checks are the old form of
 * san_path_err: used only when no san_path_err_* is set. */
void mpd_san_cfg_from(const struct mp_settings *s, int max_polling_interval,
		      struct mpd_san_cfg *ret);

/*---- the per-path context (checker thread) ----*/

struct mpd_health;

/* `async`: run the library checkers (false when a test replaced
 * ops->check_path, whose verdict is then the full check). */
int mpd_health_new(struct mpd *d, bool async, struct mpd_health **ret);
/* After the checker thread stopped; joins the prio thread. */
void mpd_health_free(struct mpd_health *h);
/* The topology's checker_ctx_free hook (RCU thread). */
void mpd_health_ctx_unref(void *ctx);

/* Start of a tick: notice a new config, drop contexts of freed paths. */
void mpd_health_tick_begin(struct mpd_health *h);
/* A full check is due: returns a verdict now, or PATH_PENDING when an
 * asynchronous check was started (its verdict comes through
 * mpd_health_take()).  `sysfs_st` is the cheap device-state verdict. */
int mpd_health_start(struct mpd_health *h, struct mp_path *p, const char *key, int sysfs_st);
/* Call fn for each path whose asynchronous check answered since the last
 * call (inside rcu_read_lock(); paths that left are skipped). */
void mpd_health_collect(struct mpd_health *h, void (*fn)(struct mp_path *p, int st, void *ud),
			void *ud);
/* Apply the shaky-path rules to a verdict; may mark the path marginal
 * and queue a map sync.  Returns the state to act on. */
int mpd_health_filter(struct mpd_health *h, struct mp_path *p, const char *key, int st);
/* The path came back or its access state moved: rerun its prioritizer
 * if that needs I/O (in the prio thread). */
void mpd_health_want_prio(struct mpd_health *h, struct mp_path *p, const char *key);
/* Is the path held back by a shaky-path rule? (keep checking it often) */
bool mpd_health_holding(const struct mp_path *p);

/* Checker thread: collect finished checks and sample reads, send due
 * sample reads; returns how many check verdicts arrived. */
int mpd_health_dispatch(struct mpd_health *h);
/* ms until the runner or the sampler needs the thread, -1 none. */
int mpd_health_next_timeout_ms(struct mpd_health *h);
/* fds that poll readable when mpd_health_dispatch has work (-1: none). */
void mpd_health_fds(struct mpd_health *h, int *runner_fd, int *sample_fd);

/* The priority the table uses (core-map.c): the prioritizer's last answer
 * when the path's prio needs I/O, else p->prio (the built-in ALUA rule). */
int mpd_health_table_prio(struct mp_path *p);

/* Readers (CLI): multipathd/health-view.h. */

#endif
