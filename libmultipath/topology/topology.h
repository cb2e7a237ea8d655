/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The topology: maps, their path groups and paths, as the daemon knows them.
 *
 * OWNERSHIP
 *   struct mp_topology owns two RCU hash tables (liburcu cds_lfht):
 *   maps keyed by WWID and paths keyed by dev_t.  A path belongs to at most
 *   one map (path->map, an owning-map back pointer); the map's groups only
 *   reference paths through its published snapshot.  Objects leave a hash
 *   table with cds_lfht_del() and are freed with call_rcu() after that.
 *
 * READERS (CLI show, JSON, stats, libdmmp replies) never lock:
 *     rcu_read_lock();
 *     mp_topo_for_each_map(topo, &iter, m) {
 *             const struct mp_map_snap *s = rcu_dereference(m->snap);
 *             … copy out, no sleeping, no I/O …
 *     }
 *     rcu_read_unlock();
 *   A map snapshot is immutable once published; writers build a new one and
 *   swap it with rcu_assign_pointer() (mp_map_publish), freeing the old one
 *   with call_rcu().  Per-path live state (checker state, DM state,
 *   priority) is read with uatomic_read() from the path itself.
 *
 * LOCK ORDER — written here once; every lock's definition repeats its rule.
 *
 *   map->cfg_lock            slow changes of ONE map: create, reload, resize,
 *     │                      rename, flush, reconfigure of that map.  May be
 *     │                      held across DM create/reload and udev waits.
 *     └─ map->state_lock     fast state of ONE map: path up/down bookkeeping,
 *          │                 queueing, active group; held only for the state
 *          │                 update and at most one DM message ioctl.
 *          └─ path->lock     checker bookkeeping of one path.
 *
 *   Rules:
 *   - Never hold locks of two maps at once.  Never take cfg_lock while
 *     holding state_lock or path->lock.
 *   - The failure path (fail/reinstate path, switch group, queueing) takes
 *     only state_lock (+ path->lock), never cfg_lock, so it never waits for
 *     map creation, reload or reconfigure.  After a reload the reloader
 *     re-sends fail_path for paths the state says are down (messages sent
 *     to the old table during the reload are otherwise lost).
 *   - No function takes a lock its caller may hold; functions that expect
 *     a lock held are named *_locked() and assert it (MP_DEBUG_LOCKS).
 */
#ifndef MP_TOPOLOGY_TOPOLOGY_H
#define MP_TOPOLOGY_TOPOLOGY_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <urcu.h>
#include <urcu/rculfhash.h>

#include "config/settings.h"
#include "discovery/pathinfo.h"
#include "topology/state.h"

/* ThreadSanitizer cannot see liburcu's synchronisation (uninstrumented,
 * inline asm): objects are released before they enter a hash table and
 * acquired by lookups and iterations, RCU frees run with accesses ignored.
 * No-ops in normal builds. */
#if defined(__SANITIZE_THREAD__)
#define MP_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define MP_TSAN 1
#endif
#endif
#ifdef MP_TSAN
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
void __tsan_ignore_thread_begin(void);
void __tsan_ignore_thread_end(void);
#define mp_tsan_acquire(p) __tsan_acquire((void *)(p))
#define mp_tsan_release(p) __tsan_release((void *)(p))
#define mp_tsan_ignore_begin() __tsan_ignore_thread_begin()
#define mp_tsan_ignore_end() __tsan_ignore_thread_end()
#else
#define mp_tsan_acquire(p) ((void)0)
#define mp_tsan_release(p) ((void)0)
#define mp_tsan_ignore_begin() ((void)0)
#define mp_tsan_ignore_end() ((void)0)
#endif

struct mp_map;

/* Hash of a device number for the liburcu hash tables keyed by it. */
static inline unsigned long mp_hash_devt(dev_t devt)
{
	uint64_t h = (uint64_t)devt * 0x9e3779b97f4a7c15ULL;

	return (unsigned long)(h ^ (h >> 29));
}

struct mp_path {
	struct cds_lfht_node node;      /* in topo->paths, key devt */
	struct rcu_head rcu;
	dev_t devt;                     /* immutable */
	struct mp_path_info *info;      /* RCU-published; replaced on change uevents */
	struct mp_map *map;             /* RCU; owning map, NULL = orphan */

	/* live state, written under the owning map's state_lock (or path->lock
	 * for checker-only fields), read anywhere with uatomic_read() */
	int chk_state;                  /* enum mp_chk_state */
	int dm_state;                   /* enum mp_dm_path_state */
	int prio;
	int marginal;
	int checkint;                   /* current check interval, s */
	int tick;                       /* s until next check */
	int sys_state;                  /* last sysfs sweep verdict (checker thread) */
	uint64_t failures;

	/* path->lock: checker bookkeeping (innermost lock) */
	pthread_mutex_t lock;
	char *checker_name;             /* immutable after creation */
	void *checker_ctx;              /* owned by the checker runner */
	void (*ctx_free)(void *);       /* from topo->checker_ctx_free at creation */
};

struct mp_pg_snap {
	int prio;
	int state;                      /* enum mp_pg_state */
	bool marginal;
	char *selector;                 /* "service-time 0"; may be a string
	                                 * pool copy (mp_map_snap_free knows) */
	size_t n_paths;
	struct mp_path **paths;         /* borrowed; paths outlive the snapshot (RCU) */
};

/* Immutable view of one map, rebuilt by writers after every change. */
struct mp_map_snap {
	struct rcu_head rcu;
	char *name;
	char *wwid;
	dev_t devt;                     /* dm-N */
	uint64_t size;                  /* sectors */
	/* features, hwhandler, vendor, product, revision (and the groups'
	 * selectors): string pool copies when the daemon built the snapshot
	 * (util/strpool.h, shared by every map of a model and setting, not
	 * copied per snapshot); mp_map_snap_free() frees private ones only */
	char *features;
	char *hwhandler;
	bool readonly;
	bool suspended;
	char *vendor, *product, *revision;
	enum mp_failback failback;
	int failback_delay;
	enum mp_npr no_path_retry;
	int no_path_retry_count;
	int retry_tick;                 /* >0: queueing countdown running */
	bool queueing;                  /* queue_if_no_path currently on */
	int active_pg;                  /* 1-based, 0 none */
	int n_active_paths;
	const char *action;             /* last action: "create", "reload", "switchpg", … */
	size_t n_pgs;
	struct mp_pg_snap *pgs;
};

struct mp_map_stats {                   /* updated with uatomic_add */
	uint64_t path_faults;
	uint64_t switch_grp;
	uint64_t map_loads;
	uint64_t total_q_time;
	uint64_t q_timeouts;
};

struct mp_map {
	struct cds_lfht_node node;      /* in topo->maps, key wwid */
	struct rcu_head rcu;
	char *wwid;                     /* immutable */
	struct mp_map_snap *snap;       /* RCU-published; NULL while the map is
	                                 * only a candidate (not in the kernel):
	                                 * readers skip maps without a snapshot */
	struct mp_map_stats stats;

	pthread_mutex_t cfg_lock;       /* outer: slow changes of this map only */
	pthread_mutex_t state_lock;     /* inside cfg_lock: fast failure-path state */
	struct mp_settings *settings;   /* cfg_lock */
	void *priv;                     /* daemon-private state (cfg_lock/state_lock) */
	void (*priv_free)(void *);      /* from topo->map_priv_free at creation */
};

struct mp_topology {
	struct cds_lfht *maps;          /* by WWID */
	struct cds_lfht *paths;         /* by dev_t */
	/* destructors of the owner-private parts, run by the RCU free; set
	 * once after mp_topo_init() (may stay NULL) */
	void (*map_priv_free)(void *priv);
	void (*checker_ctx_free)(void *ctx);
};

int mp_topo_init(struct mp_topology *t);
void mp_topo_destroy(struct mp_topology *t);    /* after all workers stopped */

/* Lookups: call inside rcu_read_lock(); results valid until rcu_read_unlock(). */
struct mp_map *mp_topo_find_map(struct mp_topology *t, const char *wwid);
struct mp_map *mp_topo_find_map_by_name(struct mp_topology *t, const char *name);
struct mp_map *mp_topo_find_map_by_devt(struct mp_topology *t, dev_t devt);
struct mp_path *mp_topo_find_path(struct mp_topology *t, dev_t devt);
struct mp_path *mp_topo_find_path_by_name(struct mp_topology *t, const char *devname);

/* TSan builds: call mp_tsan_acquire(m) first thing in the loop body. */
#define mp_topo_for_each_map(t, iter, m) \
	cds_lfht_for_each_entry((t)->maps, iter, m, node)
#define mp_topo_for_each_path(t, iter, p) \
	cds_lfht_for_each_entry((t)->paths, iter, p, node)

/* The map's snapshot (inside rcu_read_lock()); NULL = not in the kernel. */
static inline struct mp_map_snap *mp_map_snap_get(struct mp_map *m)
{
	return __atomic_load_n(&m->snap, __ATOMIC_ACQUIRE);
}

/* Writers (see lock order above). */
/* -EEXIST if the key is taken (the caller then looks the owner up). */
int mp_topo_add_map(struct mp_topology *t, const char *wwid, struct mp_map **ret);
void mp_topo_del_map(struct mp_topology *t, struct mp_map *m);  /* call_rcu frees */
/* Takes ownership of pi on success only. */
int mp_topo_add_path(struct mp_topology *t, struct mp_path_info *pi, struct mp_path **ret);
void mp_topo_del_path(struct mp_topology *t, struct mp_path *p);
/* Publish a new snapshot for m (caller holds m->state_lock or cfg_lock). */
void mp_map_publish(struct mp_map *m, struct mp_map_snap *snap);
void mp_map_snap_free(struct mp_map_snap *s);

#endif
