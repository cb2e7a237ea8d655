// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Keyed work queue.  One mutex (a leaf lock: the handler never runs under
 * it) guards a hash of per-key item lists, a FIFO of keys that have items
 * and no owner, and a list of keys waiting for their coalescing window,
 * sorted by deadline.  Workers sleep on one condition variable; while keys
 * wait, a sleeping worker wakes at the earliest deadline (at most every
 * WQ_POLL_USEC, so a test clock moved by hand is noticed too) and makes
 * the due keys ready.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/log.h"
#include "util/macro.h"
#include "wq.h"

#define WQ_BUCKETS 4096
#define WQ_POLL_USEC (100 * USEC_PER_MSEC)

struct mpd_done {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int refs;
	bool finished;
	int result;
};

struct mpd_done *mpd_done_new(void)
{
	struct mpd_done *dn = calloc(1, sizeof(*dn));

	if (!dn)
		return NULL;
	pthread_mutex_init(&dn->lock, NULL);
	pthread_cond_init(&dn->cond, NULL);
	dn->refs = 1;
	return dn;
}

struct mpd_done *mpd_done_ref(struct mpd_done *dn)
{
	pthread_mutex_lock(&dn->lock);
	dn->refs++;
	pthread_mutex_unlock(&dn->lock);
	return dn;
}

void mpd_done_put(struct mpd_done *dn)
{
	bool last;

	if (!dn)
		return;
	pthread_mutex_lock(&dn->lock);
	last = --dn->refs == 0;
	pthread_mutex_unlock(&dn->lock);
	if (last) {
		pthread_mutex_destroy(&dn->lock);
		pthread_cond_destroy(&dn->cond);
		free(dn);
	}
}

void mpd_done_complete(struct mpd_done *dn, int result)
{
	pthread_mutex_lock(&dn->lock);
	if (!dn->finished) {
		dn->finished = true;
		dn->result = result;
		pthread_cond_broadcast(&dn->cond);
	}
	pthread_mutex_unlock(&dn->lock);
}

static void deadline_after(struct timespec *ts, int timeout_ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += timeout_ms / 1000;
	ts->tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

int mpd_done_wait(struct mpd_done *dn, int timeout_ms)
{
	struct timespec ts;
	int r = 0;

	deadline_after(&ts, timeout_ms < 0 ? 0 : timeout_ms);
	pthread_mutex_lock(&dn->lock);
	while (!dn->finished && r == 0)
		r = timeout_ms < 0 ? pthread_cond_wait(&dn->cond, &dn->lock)
				   : pthread_cond_timedwait(&dn->cond, &dn->lock, &ts);
	r = dn->finished ? dn->result : -ETIMEDOUT;
	pthread_mutex_unlock(&dn->lock);
	return r;
}

/*---- items ----*/

struct mpd_work *mpd_work_new(int kind, const char *key)
{
	struct mpd_work *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->kind = kind;
	w->key = strdup(key ? key : "@");
	if (!w->key) {
		free(w);
		return NULL;
	}
	w->t_queued = mp_now_usec();
	return w;
}

void mp_uevent_free(struct mp_uevent *u);       /* uevent.h; avoid the include cycle */

void mpd_work_finish(struct mpd_work *w, int result)
{
	if (!w)
		return;
	if (w->done) {
		mpd_done_complete(w->done, result);
		mpd_done_put(w->done);
	}
	mp_uevent_free(w->uev);
	free(w->str);
	free(w->key);
	free(w);
}

/*---- queue ----*/

struct wq_key {
	struct wq_key *hnext;           /* bucket chain */
	struct wq_key *rnext;           /* ready FIFO */
	struct wq_key *dprev, *dnext;   /* waiting list, by deadline */
	struct mpd_work *head, *tail;
	size_t n;                       /* items that are not timers */
	uint64_t deadline;              /* earliest not_before of the queued items */
	bool owned, ready, waiting;
	char key[];
};

struct mpd_wq {
	char *name;
	pthread_mutex_t lock;
	pthread_cond_t work_cond;       /* workers: a key became ready / stop */
	pthread_cond_t idle_cond;       /* drainers */
	struct wq_key *buckets[WQ_BUCKETS];
	struct wq_key *ready_head, *ready_tail;
	struct wq_key *wait_head, *wait_tail;
	size_t queued, running;
	bool stop, paused;
	mpd_wq_handler fn;
	mpd_wq_thread_hook hook;
	void *ctx;
	int n_threads;
	pthread_t *threads;
};

static unsigned int key_hash(const char *s)
{
	unsigned int h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % WQ_BUCKETS;
}

static struct wq_key **key_slot(struct mpd_wq *q, const char *key)
{
	struct wq_key **kp = &q->buckets[key_hash(key)];

	while (*kp && strcmp((*kp)->key, key) != 0)
		kp = &(*kp)->hnext;
	return kp;
}

static void ready_push(struct mpd_wq *q, struct wq_key *k)
{
	k->ready = true;
	k->rnext = NULL;
	if (q->ready_tail)
		q->ready_tail->rnext = k;
	else
		q->ready_head = k;
	q->ready_tail = k;
}

static struct wq_key *ready_pop(struct mpd_wq *q)
{
	struct wq_key *k = q->ready_head;

	if (!k)
		return NULL;
	q->ready_head = k->rnext;
	if (!q->ready_head)
		q->ready_tail = NULL;
	k->ready = false;
	return k;
}

static void wait_unlink(struct mpd_wq *q, struct wq_key *k)
{
	if (k->dprev)
		k->dprev->dnext = k->dnext;
	else
		q->wait_head = k->dnext;
	if (k->dnext)
		k->dnext->dprev = k->dprev;
	else
		q->wait_tail = k->dprev;
	k->dprev = k->dnext = NULL;
	k->waiting = false;
}

/* Deadlines mostly grow with arrival, so the walk from the tail is short.
 * A new earliest deadline wakes a worker to shorten its sleep. */
static void wait_insert(struct mpd_wq *q, struct wq_key *k)
{
	struct wq_key *at = q->wait_tail;

	while (at && at->deadline > k->deadline)
		at = at->dprev;
	k->dprev = at;
	k->dnext = at ? at->dnext : q->wait_head;
	if (k->dnext)
		k->dnext->dprev = k;
	else
		q->wait_tail = k;
	if (at)
		at->dnext = k;
	else
		q->wait_head = k;
	k->waiting = true;
	if (q->wait_head == k)
		pthread_cond_signal(&q->work_cond);
}

/* A key with items and no owner: ready now or waiting for its deadline. */
static void key_schedule(struct mpd_wq *q, struct wq_key *k, uint64_t now)
{
	if (k->waiting)
		wait_unlink(q, k);
	if (k->deadline > now) {
		wait_insert(q, k);
		return;
	}
	ready_push(q, k);
	pthread_cond_signal(&q->work_cond);
}

/* Make every key whose window has passed ready. */
static void wait_promote(struct mpd_wq *q)
{
	uint64_t now;

	if (!q->wait_head)
		return;
	now = mp_now_usec();
	while (q->wait_head && q->wait_head->deadline <= now) {
		struct wq_key *k = q->wait_head;

		wait_unlink(q, k);
		ready_push(q, k);
		pthread_cond_signal(&q->work_cond);
	}
}

static struct wq_key *key_get(struct mpd_wq *q, const char *key)
{
	struct wq_key **kp = key_slot(q, key);
	size_t len;

	if (*kp)
		return *kp;
	len = strlen(key);
	*kp = calloc(1, sizeof(**kp) + len + 1);
	if (*kp)
		memcpy((*kp)->key, key, len + 1);
	return *kp;
}

void mpd_wq_push(struct mpd_wq *q, struct mpd_work *w)
{
	struct wq_key *k;
	bool first;

	w->next = NULL;
	pthread_mutex_lock(&q->lock);
	k = key_get(q, w->key);
	if (!k) {
		pthread_mutex_unlock(&q->lock);
		log_err("%s: out of memory queueing work for %s", q->name, w->key);
		mpd_work_finish(w, -ENOMEM);
		return;
	}
	first = !k->head;
	if (k->tail)
		k->tail->next = w;
	else
		k->head = w;
	k->tail = w;
	if (!w->timer) {
		k->n++;
		q->queued++;
	}
	/* the first item arms the window; later ones may only shorten it */
	if (first || w->not_before < k->deadline) {
		k->deadline = w->not_before;
		if (!k->owned && !k->ready)
			key_schedule(q, k, k->deadline ? mp_now_usec() : 0);
	}
	pthread_mutex_unlock(&q->lock);
}

static void key_release(struct mpd_wq *q, struct wq_key *k)
{
	k->owned = false;
	if (k->head) {
		/* items that came during the batch keep the window the first
		 * of them armed */
		key_schedule(q, k, k->deadline ? mp_now_usec() : 0);
		return;
	}
	*key_slot(q, k->key) = k->hnext;
	free(k);
}

/* Until signalled, or the earliest waiting deadline (bounded by
 * WQ_POLL_USEC: the deadline is on the fakeable clock, the sleep is not). */
static void worker_sleep(struct mpd_wq *q)
{
	struct timespec ts;
	uint64_t now, wait;

	if (!q->wait_head) {
		pthread_cond_wait(&q->work_cond, &q->lock);
		return;
	}
	now = mp_now_usec();
	wait = q->wait_head->deadline > now ? q->wait_head->deadline - now : 0;
	wait = MP_MIN(wait, WQ_POLL_USEC);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)(wait / USEC_PER_SEC);
	ts.tv_nsec += (long)(wait % USEC_PER_SEC) * 1000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&q->work_cond, &q->lock, &ts);
}

static void *worker_main(void *arg)
{
	struct mpd_wq *q = arg;

	if (q->hook)
		q->hook(q->ctx, true);
	pthread_mutex_lock(&q->lock);
	for (;;) {
		struct wq_key *k;
		struct mpd_work *batch;
		size_t n;

		wait_promote(q);
		while (!q->stop && (q->paused || !q->ready_head)) {
			worker_sleep(q);
			wait_promote(q);
		}
		if (q->stop)
			break;
		k = ready_pop(q);
		k->owned = true;
		batch = k->head;
		n = k->n;
		k->head = k->tail = NULL;
		k->n = 0;
		k->deadline = 0;
		q->queued -= n;
		q->running += n;
		pthread_mutex_unlock(&q->lock);

		q->fn(q->ctx, k->key, batch);

		pthread_mutex_lock(&q->lock);
		q->running -= n;
		key_release(q, k);
		if (!q->queued && !q->running)
			pthread_cond_broadcast(&q->idle_cond);
	}
	pthread_mutex_unlock(&q->lock);
	if (q->hook)
		q->hook(q->ctx, false);
	return NULL;
}

int mpd_wq_new(const char *name, int n_threads, mpd_wq_handler fn,
	       mpd_wq_thread_hook hook, void *ctx, bool paused, struct mpd_wq **ret)
{
	struct mpd_wq *q = calloc(1, sizeof(*q));
	pthread_condattr_t ca;
	int i, r;

	if (!q)
		return -ENOMEM;
	q->name = strdup(name);
	q->threads = calloc((size_t)n_threads, sizeof(*q->threads));
	if (!q->name || !q->threads) {
		free(q->name);
		free(q->threads);
		free(q);
		return -ENOMEM;
	}
	pthread_mutex_init(&q->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q->work_cond, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&q->idle_cond, NULL);
	q->fn = fn;
	q->hook = hook;
	q->ctx = ctx;
	q->paused = paused;
	for (i = 0; i < n_threads; i++) {
		r = pthread_create(&q->threads[i], NULL, worker_main, q);
		if (r) {
			q->n_threads = i;
			mpd_wq_free(q);
			return -r;
		}
	}
	q->n_threads = n_threads;
	*ret = q;
	return 0;
}

void mpd_wq_free(struct mpd_wq *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->lock);
	q->stop = true;
	pthread_cond_broadcast(&q->work_cond);
	pthread_mutex_unlock(&q->lock);
	for (int i = 0; i < q->n_threads; i++)
		pthread_join(q->threads[i], NULL);
	for (size_t b = 0; b < WQ_BUCKETS; b++) {
		while (q->buckets[b]) {
			struct wq_key *k = q->buckets[b];

			q->buckets[b] = k->hnext;
			while (k->head) {
				struct mpd_work *w = k->head;

				k->head = w->next;
				mpd_work_finish(w, -ESHUTDOWN);
			}
			free(k);
		}
	}
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->work_cond);
	pthread_cond_destroy(&q->idle_cond);
	free(q->threads);
	free(q->name);
	free(q);
}

void mpd_wq_pause(struct mpd_wq *q)
{
	pthread_mutex_lock(&q->lock);
	q->paused = true;
	pthread_mutex_unlock(&q->lock);
}

void mpd_wq_resume(struct mpd_wq *q)
{
	pthread_mutex_lock(&q->lock);
	q->paused = false;
	pthread_cond_broadcast(&q->work_cond);
	pthread_mutex_unlock(&q->lock);
}

int mpd_wq_drain(struct mpd_wq *q, int timeout_ms)
{
	struct timespec ts;
	int r = 0;

	deadline_after(&ts, timeout_ms < 0 ? 0 : timeout_ms);
	pthread_mutex_lock(&q->lock);
	while ((q->queued || q->running) && r == 0)
		r = timeout_ms < 0 ? pthread_cond_wait(&q->idle_cond, &q->lock)
				   : pthread_cond_timedwait(&q->idle_cond, &q->lock, &ts);
	r = (q->queued || q->running) ? -ETIMEDOUT : 0;
	pthread_mutex_unlock(&q->lock);
	return r;
}

size_t mpd_wq_pending(struct mpd_wq *q)
{
	size_t n;

	pthread_mutex_lock(&q->lock);
	n = q->queued + q->running;
	pthread_mutex_unlock(&q->lock);
	return n;
}

bool mpd_wq_key_busy(struct mpd_wq *q, const char *key)
{
	struct wq_key *k;
	bool busy;

	pthread_mutex_lock(&q->lock);
	k = *key_slot(q, key);
	busy = k && (k->n || k->owned);     /* a lone timer is no work */
	pthread_mutex_unlock(&q->lock);
	return busy;
}
