/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Daemon core, private side: the context behind struct mpd, the per-map
 * private state, the work kinds and the functions the core's files share.
 *
 * Queues (wq.h): `cfg` (default 4 workers) runs slow work of one map —
 * path join/leave, create, reload, resize, rename, flush, reconfigure —
 * under map->cfg_lock.  `crit` (2 workers) runs the failure path — fail,
 * reinstate, switch group, queueing, timers, DM event scans — under
 * map->state_lock only, so it never waits behind the slow work.
 */
#ifndef MPD_CORE_H
#define MPD_CORE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <urcu.h>
#include <urcu/call-rcu.h>

#include "config/config.h"
#include "daemon.h"
#include "lockdep.h"
#include "uevent.h"
#include "wq.h"

enum mpd_work_kind {
	/* cfg queue, key = WWID */
	W_PATH_ADD,             /* uev */
	W_PATH_REMOVE,          /* devt */
	W_PATH_CHANGE,          /* uev */
	W_MAP_SYNC,             /* re-evaluate and reload if the table changed; arg=1 force */
	W_MAP_RESIZE,
	W_MAP_REMOVE,           /* arg=1: from the CLI (fails if open) */
	W_MAP_RECONF,           /* arg=1: reload even if unchanged */
	W_MAP_GONE,             /* the kernel map disappeared (dm remove uevent) */
	W_MAP_ADD,              /* CLI add map: (re)create from known paths */
	W_FIND_EXPIRE,          /* find_multipaths smart: release a held path (not_before) */
	/* cfg queue, key "@reconfigure" */
	W_RECONFIGURE,          /* arg=1: all */
	/* cfg queue, key "@purge": delete a disconnected SCSI device (blocks,
	 * takes no lock); devt, str = "<devname> <diskseq>" */
	W_PATH_PURGE,
	/* crit queue, key = WWID */
	W_PATH_DOWN,            /* devt; arg = enum mpd_down_reason */
	W_PATH_UP,              /* devt */
	W_PATH_FAIL_CLI,        /* devt */
	W_PATH_REINSTATE_CLI,   /* devt */
	W_SWITCH_GROUP,         /* arg = pg */
	W_QUEUEING,             /* arg: 0 disable, 1 restore */
	W_MAP_TICK,             /* 1 s timers of one map */
	W_SUSPEND,              /* arg: 1 suspend, 0 resume */
	W_SET_MARGINAL,         /* devt, arg */
	/* crit queue, key "@dmevents" */
	W_DM_SCAN,
	_W_MAX,
};

enum mpd_down_reason { DOWN_CHECKER, DOWN_UEVENT, DOWN_DM, DOWN_OFFLINE };

/* Hooks tests replace (and the real defaults in core.c). */
struct mpd_ops {
	/* Build the path info for an add/change uevent.  Default:
	 * mp_pathinfo_build() with the event's properties. */
	int (*pathinfo)(struct mpd *d, const struct mp_uevent *u, struct mp_path_info **ret);
	/* Check one path: returns enum mp_chk_state.  Default: sysfs state. */
	int (*check_path)(struct mpd *d, struct mp_path *p);
};

struct mpd_options {
	int n_workers;                  /* cfg workers, default 4 */
	int n_crit_workers;             /* default 2 */
	bool start_paused;              /* queues paused until mpd_start_processing() */
	bool bindings_readonly;         /* -B */
	const char *wwids_file;         /* NULL: from config / default */
	const char *bindings_file;
	const char *udev_db_dir;        /* NULL: MP_UDEV_DB_DIR */
	const char *prkeys_file;        /* NULL: from config / default */
	bool no_udev_sync;              /* tests: MP_DM_FLAG_NOSYNC on create/reload */
	int coalesce_ms;                /* path add/remove window per WWID; 0 = default
	                                 * (MPD_COALESCE_MS), < 0 = none */
	const struct mpd_ops *ops;      /* NULL: defaults */
};

/* The coalescing window of path adds/removes: long enough for the paths
 * of one LUN that appear together (one SCSI scan, one udev batch) to end
 * in one create or reload, short against the time a user waits for a map. */
#define MPD_COALESCE_MS 200

/* Latency histogram buckets: < 2^i µs, i = 0..MPD_HIST_BUCKETS-1. */
#define MPD_HIST_BUCKETS 28

struct mpd_counters {                   /* uatomic */
	uint64_t uev_received;
	uint64_t uev_filtered;          /* blacklisted devnode / not a disk */
	uint64_t uev_merged;            /* folded into a batch with others */
	uint64_t uev_processed;
	uint64_t crit_processed;
	uint64_t maps_created;
	uint64_t maps_reloaded;
	uint64_t maps_removed;
	uint64_t reloads_skipped;       /* table already right (adoption, no-op) */
	uint64_t checks;
	uint64_t dm_events;
	uint64_t kev_received;          /* kernel uevents (block disk add/remove) */
	uint64_t kev_fed;               /* kernel adds queued as path adds */
	uint64_t kev_deferred;          /* kernel adds left to the udev event */
	uint64_t kev_merged;            /* udev adds that confirmed a kernel add */
	uint64_t uev_stale;             /* udev events older than a kernel add/remove */
	uint64_t hist[MPD_HIST_BUCKETS];        /* uevent → done latency */
	uint64_t crit_hist[MPD_HIST_BUCKETS];   /* critical item queue → done */
};

struct checker_thread;

struct mpd_private {
	struct mpd_options opts;
	struct mpd_ops ops;
	struct call_rcu_data *crdp;
	struct mpd_wq *cfg, *crit;
	int state;                      /* enum mpd_state, uatomic */
	bool reconfigure_pending;       /* uatomic */
	bool dm_scan_pending;           /* uatomic */
	struct cds_lfht *maps_by_devt;  /* maps in the kernel by dm dev_t
	                                 * (struct mpd_devt_ref), so a DM
	                                 * event scan finds each listed map
	                                 * with one lookup (core-map.c) */
	uint64_t devt_gen;              /* uatomic: bumped on each index change */
	/* what the last DM event scan listed, in the list's order; valid
	 * while devt_gen is dm_seen_gen.  Owned by the "@dmevents" key (one
	 * scan at a time) */
	struct mpd_dm_seen *dm_seen;
	size_t n_dm_seen, cap_dm_seen;
	uint64_t dm_seen_gen;
	bool force_queue_daemon;        /* uatomic: forcequeueing daemon */
	bool shutdown;                  /* uatomic */
	void (*shutdown_cb)(void *ud);  /* set by the event loop */
	void (*notify)(struct mpd *d, const char *msg);  /* sd_notify, set by main */
	bool verbosity_from_cmdline;
	void *shutdown_ud;
	const char *config_file, *config_dir;
	struct mp_config *conf;         /* the published config; cfg workers read it
	                                 * via mp_config_get() under rcu_read_lock */
	pthread_mutex_t files_lock;     /* leaf: wwids/bindings files and: */
	struct mp_wwids_cache *wwids_cache;       /* created on first use */
	struct mp_bindings_cache *bindings_cache; /* created on first use */
	struct mpd_counters cnt;
	uint64_t coalesce_usec;         /* 0: none */
	/* checker schedule */
	struct checker_thread *checker;
	uint64_t ticks;
};

/* Per-path-group layout of the loaded table (state_lock). */
struct mpd_pg {
	int prio;
	bool marginal;
	char *selector;
	size_t n;
	struct mp_path **paths;
};

struct mpd_map {
	struct mpd *d;
	struct mp_map *m;
	/* cfg_lock (written), state_lock also held when membership changes */
	char *name;                     /* DM name */
	bool in_kernel;
	bool adopted;                   /* found in the kernel at start-up/dm uevent */
	char *params;                   /* table params last loaded / adopted */
	struct mp_table *kernel_table;  /* adopted table (order hint), else NULL */
	uint64_t size;
	dev_t devt_cache;               /* dm-N */
	bool resize_ok;                 /* this sync may change the size */
	bool ro;
	size_t n_paths, cap_paths;
	struct mp_path **paths;         /* members in table order hint */
	/* state_lock */
	size_t n_pgs;
	struct mpd_pg *pgs;
	int active_pg;                  /* 1-based, 0 unknown */
	bool queueing;                  /* queue_if_no_path on in the kernel */
	bool recovery;                  /* no usable path; no_path_retry countdown */
	int retry_tick;                 /* s left, >0 while counting */
	bool expired;                   /* no_path_retry ran out */
	bool queue_disabled_cli;        /* disablequeueing map */
	int failback_tick;              /* deferred failback countdown */
	uint64_t q_start;
	uint32_t event_nr;              /* also read without lock (mpd_load) */
	struct mpd_devt_ref *devt_ref;  /* our entry in maps_by_devt, NULL none */
	bool suspended;
	bool dead;                      /* removed; lookups skip it */
	bool timers;                    /* uatomic: has a countdown running */
	/* find_multipaths smart (uatomic; the CLI reads them): a candidate
	 * with one path is held until hold_until (mp_now_usec), then released */
	uint64_t hold_until;
	bool hold_released;
	bool pr_status, pr_hold;
	char *prkey;
	int ghost_tick;
};

/* NULL for a map another worker is still setting up: skip it. */
static inline struct mpd_map *mpd_map_of(struct mp_map *m)
{
	return mpd_load(&m->priv);
}

/* core.c */
void mpd_thread_register(struct mpd *d);
void mpd_thread_unregister(struct mpd *d);
void mpd_hist_add(uint64_t *hist, uint64_t usec);
void mpd_push_cfg(struct mpd *d, struct mpd_work *w);
void mpd_push_crit(struct mpd *d, struct mpd_work *w);
/* Queue an item and wait for it (CLI actions). */
int mpd_run(struct mpd *d, bool crit, struct mpd_work *w, int timeout_ms);
struct mp_config *mpd_config(void);     /* inside rcu_read_lock() */
/* The udev property the daemon takes a device's WWID from (uid_attrs,
 * else the bus default), copied into buf; "" = sysfs only. */
const char *mpd_uid_prop(const char *devname, char *buf, size_t len);

/* core-map.c (cfg_lock held unless said otherwise) */
struct mpd_map *mpd_map_new(struct mpd *d, struct mp_map *m);
void mpd_map_priv_free(void *priv);
/* The dev_t index of maps in the kernel (the DM event scan's lookup):
 * index a map under its devt_cache when it enters the kernel, unindex it
 * when it leaves (both state_lock); look up inside rcu_read_lock(). */
int mpd_devt_index_init(struct mpd *d);
void mpd_devt_index_destroy(struct mpd *d);     /* no worker left */
void mpd_map_index_locked(struct mpd_map *mm);
void mpd_map_unindex_locked(struct mpd_map *mm);
struct mpd_map *mpd_map_by_devt(struct mpd *d, dev_t devt);
int mpd_map_add_member_locked(struct mpd_map *mm, struct mp_path *p);
void mpd_map_del_member_locked(struct mpd_map *mm, struct mp_path *p);
int mpd_map_sync_locked(struct mpd_map *mm, bool force, const char **ret_action);
int mpd_map_flush_locked(struct mpd_map *mm, bool from_cli);
int mpd_map_settings_refresh_locked(struct mpd_map *mm, bool *ret_changed);
void mpd_map_publish_locked(struct mpd_map *mm, const char *action);   /* state_lock */
int mpd_adopt_kernel_maps(struct mpd *d);
/* W_FIND_EXPIRE: 0 done, else the time (µs) to look again */
uint64_t mpd_map_hold_expire_locked(struct mpd_map *mm);
int mpd_adopt_one(struct mpd *d, const char *name);
bool mpd_table_equivalent(const char *a, const char *b);

/* core-prkey.c: keys as "0x<16 hex>[:aptpl]"; the prkeys file */
int mpd_prkey_normalize(const char *in, char *buf, size_t len);
int mpd_prkeys_lookup(const char *file, const char *wwid, char *buf, size_t len);
int mpd_prkeys_store(const char *file, const char *wwid, const char *key);  /* NULL: remove */
char *mpd_prkeys_file(struct mpd *d);
/* The key a map's settings give it (reads the file for "file"); NULL none. */
char *mpd_map_prkey_wanted(struct mpd_map *mm);

/* core-path.c: cfg queue handler */
void mpd_cfg_handler(void *ctx, const char *key, struct mpd_work *batch);
int mpd_path_prio(const struct mp_settings *s, const struct mp_path_info *pi);

/* path-recheck.c: W_PATH_PURGE (cfg worker, no lock held) */
int mpd_purge_run(struct mpd *d, struct mpd_work *w);

/* core-state.c: crit queue handler and timers */
void mpd_crit_handler(void *ctx, const char *key, struct mpd_work *batch);
/* state_lock held */
void mpd_state_after_reload_locked(struct mpd_map *mm);
int mpd_state_best_pg_locked(struct mpd_map *mm);
void mpd_state_check_queueing_locked(struct mpd_map *mm);

/* checker.c */
int mpd_checker_start(struct mpd *d);
void mpd_checker_stop(struct mpd *d);
/* One 1-second tick: path checks and map timers (tests call it). */
void mpd_tick(struct mpd *d);
int mpd_default_check_path(struct mpd *d, struct mp_path *p);

/* lifecycle (core.c) */
int mpd_new(const struct mpd_options *opts, struct mpd **ret);
/* Load the config (NULL file = built-in defaults) and publish it. */
int mpd_load_config(struct mpd *d, const char *file, const char *dir);
int mpd_set_config(struct mpd *d, struct mp_config *c);  /* takes ownership */
void mpd_start_processing(struct mpd *d);
/* Wait until both queues are empty; <0 = forever. */
int mpd_settle(struct mpd *d, int timeout_ms);
void mpd_set_state(struct mpd *d, enum mpd_state s);
/* Stop the checker and both queues (joins; idempotent). */
void mpd_stop_queues(struct mpd *d);
void mpd_free(struct mpd *d);
/* Uevent entry (from the udev thread or tests); takes ownership. */
void mpd_handle_uevent(struct mpd *d, struct mp_uevent *u);
void mpd_dm_event(struct mpd *d);
void mpd_disable_queueing_at_exit(struct mpd *d);

#endif
