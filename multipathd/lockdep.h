/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Lock helpers that enforce the order of libmultipath/topology/topology.h
 * (cfg_lock → state_lock → path->lock, never two maps) in debug builds
 * (MP_DEBUG_LOCKS): each thread keeps a small list of the locks it holds
 * and every acquisition is checked against it.  Release builds compile to
 * plain pthread calls plus wait-time accounting for `show stats`.
 */
#ifndef MPD_LOCKDEP_H
#define MPD_LOCKDEP_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

/* Atomics through the compiler builtins, which ThreadSanitizer understands
 * (liburcu's uatomic on x86 is inline asm and volatile accesses it cannot
 * see).  Acquire/release so a flag also orders what it guards. */
#define mpd_load(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define mpd_store(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define mpd_inc(p) ((void)__atomic_fetch_add((p), 1, __ATOMIC_RELAXED))
#define mpd_add(p, v) ((void)__atomic_fetch_add((p), (v), __ATOMIC_RELAXED))
#define mpd_xchg(p, v) __atomic_exchange_n((p), (v), __ATOMIC_ACQ_REL)

enum mpd_lock_rank {
	LR_CFG = 1,             /* map->cfg_lock */
	LR_STATE = 2,           /* map->state_lock */
	LR_PATH = 3,            /* path->lock */
	LR_LEAF = 4,            /* private leaf mutexes (queues, files): nothing nests inside */
};

struct mpd_lock_stats {                 /* updated atomically */
	uint64_t acquisitions;
	uint64_t contended;
	uint64_t wait_usec;
	uint64_t max_wait_usec;
};

/* owner identifies the map (or path) a lock belongs to. */
void mpd_lock(pthread_mutex_t *mx, enum mpd_lock_rank rank, const void *owner);
void mpd_unlock(pthread_mutex_t *mx);
/* Debug builds: abort unless this thread holds mx. */
void mpd_assert_held(pthread_mutex_t *mx);
/* Debug builds: abort if this thread holds any ranked lock. */
void mpd_assert_none_held(void);

const struct mpd_lock_stats *mpd_lock_stats(enum mpd_lock_rank rank);
void mpd_lock_stats_reset(void);

#endif
