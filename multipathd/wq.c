// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Keyed work queue.  One mutex (a leaf lock: the handler never runs under
 * it) guards a hash of per-key item lists and a FIFO of keys that have
 * items and no owner.  Workers sleep on one condition variable.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/log.h"
#include "wq.h"

#define WQ_BUCKETS 4096

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
	struct mpd_work *head, *tail;
	size_t n;
	bool owned, ready;
	char key[];
};

struct mpd_wq {
	char *name;
	pthread_mutex_t lock;
	pthread_cond_t work_cond;       /* workers: a key became ready / stop */
	pthread_cond_t idle_cond;       /* drainers */
	struct wq_key *buckets[WQ_BUCKETS];
	struct wq_key *ready_head, *ready_tail;
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

void mpd_wq_push(struct mpd_wq *q, struct mpd_work *w)
{
	struct wq_key **kp, *k;

	w->next = NULL;
	pthread_mutex_lock(&q->lock);
	kp = key_slot(q, w->key);
	k = *kp;
	if (!k) {
		size_t len = strlen(w->key);

		k = calloc(1, sizeof(*k) + len + 1);
		if (!k) {
			pthread_mutex_unlock(&q->lock);
			log_err("%s: out of memory queueing work for %s", q->name, w->key);
			mpd_work_finish(w, -ENOMEM);
			return;
		}
		memcpy(k->key, w->key, len + 1);
		*kp = k;
	}
	if (k->tail)
		k->tail->next = w;
	else
		k->head = w;
	k->tail = w;
	k->n++;
	q->queued++;
	if (!k->owned && !k->ready) {
		ready_push(q, k);
		pthread_cond_signal(&q->work_cond);
	}
	pthread_mutex_unlock(&q->lock);
}

static void key_release(struct mpd_wq *q, struct wq_key *k)
{
	k->owned = false;
	if (k->head) {
		ready_push(q, k);
		pthread_cond_signal(&q->work_cond);
		return;
	}
	*key_slot(q, k->key) = k->hnext;
	free(k);
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

		while (!q->stop && (q->paused || !q->ready_head))
			pthread_cond_wait(&q->work_cond, &q->lock);
		if (q->stop)
			break;
		k = ready_pop(q);
		k->owned = true;
		batch = k->head;
		n = k->n;
		k->head = k->tail = NULL;
		k->n = 0;
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
	pthread_cond_init(&q->work_cond, NULL);
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

	pthread_mutex_lock(&q->lock);
	k = *key_slot(q, key);
	pthread_mutex_unlock(&q->lock);
	return k != NULL;
}
