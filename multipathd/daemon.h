/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon context and the actions the CLI (and signals) can ask of it.
 * Implemented by the daemon core (multipathd/core*.c); called by the CLI
 * handlers (multipathd/cli*.c).  There are no process-wide globals: the one
 * struct mpd is passed explicitly.
 *
 * Readers (show …) use d->topo under rcu_read_lock() and the published
 * config (mp_config_get()); they never call into the core.  Actions queue
 * work items and wait for their completion up to `timeout_ms` (the CLI's
 * uxsock_timeout); on timeout they return -ETIMEDOUT and the work still
 * completes in the background.
 */
#ifndef MULTIPATHD_DAEMON_H
#define MULTIPATHD_DAEMON_H

#include <stdbool.h>
#include <stdint.h>

#include "topology/topology.h"
#include "util/strbuf.h"

enum mpd_state {
	MPD_INIT, MPD_STARTUP, MPD_CONFIGURE, MPD_IDLE, MPD_RUNNING, MPD_SHUTDOWN,
	_MPD_STATE_MAX,
};
const char *mpd_state_to_string(enum mpd_state s);     /* "idle", "running", … */

struct mpd_private;

struct mpd {
	struct mp_topology topo;
	struct mpd_private *priv;
};

enum mpd_state mpd_get_state(struct mpd *d);
bool mpd_reconfigure_pending(struct mpd *d);
bool mpd_busy(struct mpd *d);                   /* uevents queued or in flight */
/* `show stats`: counters and latency histograms, human readable; json when asked */
int mpd_stats_print(struct mpd *d, struct strbuf *out, bool json);

/* Devices are named as the user typed them: path "sdb", "/dev/sdb", "8:16";
 * map alias, WWID, "dm-3", "/dev/dm-3", "253:3". */
int mpd_add_path(struct mpd *d, const char *dev, int timeout_ms);
int mpd_del_path(struct mpd *d, const char *dev, int timeout_ms);
int mpd_add_map(struct mpd *d, const char *map, int timeout_ms);
int mpd_del_map(struct mpd *d, const char *map, int timeout_ms); /* -EBUSY: in use */
int mpd_del_maps(struct mpd *d, int timeout_ms);
int mpd_switch_group(struct mpd *d, const char *map, int pg, int timeout_ms);
int mpd_suspend_map(struct mpd *d, const char *map, int timeout_ms);
int mpd_resume_map(struct mpd *d, const char *map, int timeout_ms);
int mpd_reload_map(struct mpd *d, const char *map, int timeout_ms);
int mpd_resize_map(struct mpd *d, const char *map, int timeout_ms);
int mpd_reset_map(struct mpd *d, const char *map, int timeout_ms);
int mpd_fail_path(struct mpd *d, const char *dev, int timeout_ms);
int mpd_reinstate_path(struct mpd *d, const char *dev, int timeout_ms);
/* map NULL = all maps */
int mpd_disable_queueing(struct mpd *d, const char *map, int timeout_ms);
int mpd_restore_queueing(struct mpd *d, const char *map, int timeout_ms);
int mpd_force_queueing_daemon(struct mpd *d, bool force);  /* forcequeueing/restorequeueing daemon */
int mpd_reconfigure(struct mpd *d, bool all);               /* schedules; returns at once */
int mpd_reset_stats(struct mpd *d, const char *map);        /* NULL = all */
int mpd_set_marginal(struct mpd *d, const char *dev, bool marginal, int timeout_ms);
int mpd_unset_marginal_map(struct mpd *d, const char *map, int timeout_ms);
/* persistent-reservation bookkeeping used by mpathpersist */
enum mpd_pr_flag { MPD_PR_STATUS, MPD_PR_HOLD };
int mpd_pr_get(struct mpd *d, const char *map, enum mpd_pr_flag f, bool *ret);
int mpd_pr_set(struct mpd *d, const char *map, enum mpd_pr_flag f, bool on);
int mpd_prkey_get(struct mpd *d, const char *map, char **ret);  /* NULL key = none */
int mpd_prkey_set(struct mpd *d, const char *map, const char *key); /* NULL = unset */
/* find_multipaths smart, for `show path-claim`: 1 = the daemon holds the
 * single path of this WWID (*ret_until: wall-clock s of its release),
 * 0 = released (not a multipath path), -ENOENT = no hold known (no map
 * candidate, or already a map).  Never blocks. */
int mpd_find_hold(struct mpd *d, const char *wwid, long long *ret_until);
/* Wait until the map for `wwid` exists and has a usable path; 0 or -ETIMEDOUT. */
int mpd_wait_map(struct mpd *d, const char *wwid, int timeout_ms);
void mpd_request_shutdown(struct mpd *d);

#endif
