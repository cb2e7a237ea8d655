/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Keyed work queues with a small thread pool.
 *
 * Every item carries a key (a WWID, or "@name" for daemon-wide work).  Items
 * of one key run in arrival order and a key is owned by at most one worker
 * at a time; different keys run in parallel.  A worker that picks a key
 * takes every item queued for it at that moment (a batch), which is where
 * uevent storms coalesce: the handler applies the whole batch and issues
 * one DM call for it.
 *
 * An item may carry a not-before time (`not_before`, mp_now_usec()): its
 * key then waits until the earliest not-before of its queued items, so
 * items of one key that arrive close together end up in one batch (the
 * coalescing window).  The window is armed by the first item and not
 * extended by later ones; an item without one (not_before 0) makes the
 * key ready at once and takes the waiting items along.
 */
#ifndef MPD_WQ_H
#define MPD_WQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct mp_uevent;

/* A caller waiting for an item (CLI actions).  Refcounted: the waiter may
 * give up (timeout) before the worker finishes. */
struct mpd_done;
struct mpd_done *mpd_done_new(void);
struct mpd_done *mpd_done_ref(struct mpd_done *dn);
void mpd_done_put(struct mpd_done *dn);
void mpd_done_complete(struct mpd_done *dn, int result);
/* 0..: item result; -ETIMEDOUT */
int mpd_done_wait(struct mpd_done *dn, int timeout_ms);

struct mpd_work {
	struct mpd_work *next;
	int kind;                       /* enum mpd_work_kind (core.h) */
	char *key;
	struct mp_uevent *uev;          /* owned */
	dev_t devt;
	int arg;
	char *str;                      /* owned */
	struct mpd_done *done;          /* holds a reference */
	uint64_t t_queued;              /* µs; for the latency histogram */
	uint64_t not_before;            /* µs (mp_now_usec); 0 = at once */
	bool timer;                     /* a timeout, not work: drain and pending
	                                 * do not wait for it */
};

struct mpd_work *mpd_work_new(int kind, const char *key);
/* Completes (if a waiter is attached) with `result` and frees. */
void mpd_work_finish(struct mpd_work *w, int result);

typedef void (*mpd_wq_handler)(void *ctx, const char *key, struct mpd_work *batch);
typedef void (*mpd_wq_thread_hook)(void *ctx, bool start);

struct mpd_wq;
int mpd_wq_new(const char *name, int n_threads, mpd_wq_handler fn,
	       mpd_wq_thread_hook hook, void *ctx, bool paused, struct mpd_wq **ret);
/* Stop (after the items in flight), join, free queued items unrun. */
void mpd_wq_free(struct mpd_wq *q);
void mpd_wq_push(struct mpd_wq *q, struct mpd_work *w);
void mpd_wq_pause(struct mpd_wq *q);
void mpd_wq_resume(struct mpd_wq *q);
/* Wait until nothing is queued or running; timeout_ms < 0 = forever.
 * Returns 0 or -ETIMEDOUT. */
int mpd_wq_drain(struct mpd_wq *q, int timeout_ms);
size_t mpd_wq_pending(struct mpd_wq *q);        /* queued + running items (not timers) */
bool mpd_wq_key_busy(struct mpd_wq *q, const char *key);

#endif
