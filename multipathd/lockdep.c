// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Lock order checking (MP_DEBUG_LOCKS) and lock wait accounting.
 *
 * The rule checked on every acquisition: the new lock's rank is strictly
 * greater than every ranked lock already held, and map-level locks
 * (cfg/state) of a different owner are never held together.  Leaf locks
 * may be taken under anything but nothing ranked may be taken under them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <urcu/uatomic.h>

#include "lockdep.h"
#include "util/clock.h"

static struct mpd_lock_stats stats[LR_LEAF + 1];

#ifdef MP_DEBUG_LOCKS
#define MAX_HELD 8
struct held {
	pthread_mutex_t *mx;
	enum mpd_lock_rank rank;
	const void *owner;
};
static __thread struct held held[MAX_HELD];
static __thread int n_held;

static void lock_order_fail(const char *why, enum mpd_lock_rank rank)
{
	fprintf(stderr, "MP_DEBUG_LOCKS: lock order violation: %s (rank %d, %d held)\n",
		why, rank, n_held);
	abort();
}

static void check_acquire(pthread_mutex_t *mx, enum mpd_lock_rank rank, const void *owner)
{
	for (int i = 0; i < n_held; i++) {
		if (held[i].mx == mx)
			lock_order_fail("recursive acquisition", rank);
		if (held[i].rank == LR_LEAF)
			lock_order_fail("lock taken under a leaf lock", rank);
		if (rank != LR_LEAF && held[i].rank >= rank)
			lock_order_fail("rank not increasing", rank);
		if (rank <= LR_STATE && held[i].rank <= LR_STATE && held[i].owner != owner)
			lock_order_fail("locks of two maps", rank);
	}
	if (n_held == MAX_HELD)
		lock_order_fail("too many locks", rank);
}

static void note_acquired(pthread_mutex_t *mx, enum mpd_lock_rank rank, const void *owner)
{
	held[n_held++] = (struct held){ mx, rank, owner };
}

static void note_released(pthread_mutex_t *mx)
{
	for (int i = n_held - 1; i >= 0; i--) {
		if (held[i].mx == mx) {
			held[i] = held[--n_held];
			return;
		}
	}
	lock_order_fail("unlock of a lock not held", 0);
}

void mpd_assert_held(pthread_mutex_t *mx)
{
	for (int i = 0; i < n_held; i++)
		if (held[i].mx == mx)
			return;
	lock_order_fail("lock expected held", 0);
}

void mpd_assert_none_held(void)
{
	for (int i = 0; i < n_held; i++)
		if (held[i].rank != LR_LEAF)
			lock_order_fail("no lock expected held", held[i].rank);
}
#else
static inline void check_acquire(pthread_mutex_t *mx, enum mpd_lock_rank rank, const void *owner) {}
static inline void note_acquired(pthread_mutex_t *mx, enum mpd_lock_rank rank, const void *owner) {}
static inline void note_released(pthread_mutex_t *mx) {}
void mpd_assert_held(pthread_mutex_t *mx) {}
void mpd_assert_none_held(void) {}
#endif

static void account_wait(enum mpd_lock_rank rank, uint64_t waited)
{
	struct mpd_lock_stats *s = &stats[rank];
	uint64_t max;

	mpd_inc(&s->contended);
	mpd_add(&s->wait_usec, waited);
	max = mpd_load(&s->max_wait_usec);
	while (waited > max) {
		if (__atomic_compare_exchange_n(&s->max_wait_usec, &max, waited, false,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED))
			break;
	}
}

void mpd_lock(pthread_mutex_t *mx, enum mpd_lock_rank rank, const void *owner)
{
	check_acquire(mx, rank, owner);
	if (pthread_mutex_trylock(mx) != 0) {
		uint64_t t0 = mp_now_usec();

		pthread_mutex_lock(mx);
		account_wait(rank, mp_now_usec() - t0);
	}
	mpd_inc(&stats[rank].acquisitions);
	note_acquired(mx, rank, owner);
}

void mpd_unlock(pthread_mutex_t *mx)
{
	note_released(mx);
	pthread_mutex_unlock(mx);
}

const struct mpd_lock_stats *mpd_lock_stats(enum mpd_lock_rank rank)
{
	return &stats[rank];
}

void mpd_lock_stats_reset(void)
{
	for (size_t i = 0; i <= LR_LEAF; i++) {
		mpd_store(&stats[i].acquisitions, 0);
		mpd_store(&stats[i].contended, 0);
		mpd_store(&stats[i].wait_usec, 0);
		mpd_store(&stats[i].max_wait_usec, 0);
	}
}
