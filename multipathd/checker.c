// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The checker thread: a 1 s tick over every path in a map.
 *
 * Each tick a cheap sysfs sweep reads the SCSI/NVMe device state of every
 * path, so an `offline` that emitted no uevent is acted on within a second,
 * and a device that is back (offline -> running) gets its full check now.
 * The full check runs on the path's own schedule: its interval doubles
 * from polling_interval up to max_polling_interval while the path stays
 * healthy and drops back on any change.  The full check is the path's
 * path_checker (tur, directio, …) started asynchronously through one
 * runner (path-health.c); the thread sleeps in epoll on the runner's fd,
 * the marginal sampler's eventfd and a stop eventfd, with the next tick as
 * timeout, so a verdict is acted on as soon as it arrives.  Verdicts pass
 * the shaky-path rules, and those that differ from what the kernel was
 * told are queued on the crit queue; this thread never takes a map lock.
 * Map timers (no_path_retry countdown, deferred failback) are queued as
 * one W_MAP_TICK per map that has one.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <urcu/uatomic.h>

#include "backend/backend.h"
#include "core.h"
#include "health-view.h"
#include "path-health.h"
#include "util/macro.h"
#include "util/clock.h"
#include "util/log.h"

struct checker_thread {
	pthread_t tid;
	bool running;
	int stop_fd;                    /* eventfd: stop */
	int epfd;                       /* stop_fd, runner, sampler */
	struct mpd_health *health;
};

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Made on first use: the daemon makes it in mpd_checker_start(), unit
 * tests that drive mpd_tick() by hand on their first tick. */
static struct checker_thread *thread_of(struct mpd *d)
{
	struct checker_thread *ct = d->priv->checker;
	bool async;

	if (ct)
		return ct;
	ct = calloc(1, sizeof(*ct));
	if (!ct)
		return NULL;
	ct->stop_fd = ct->epfd = -1;
	/* a test's check_path hook is the full check: no library checkers */
	async = d->priv->ops.check_path == mpd_default_check_path;
	if (mpd_health_new(d, async, &ct->health) < 0) {
		free(ct);
		return NULL;
	}
	d->priv->checker = ct;
	return ct;
}

/* Device state as a checker verdict; PATH_PENDING = no opinion. */
int mpd_default_check_path(struct mpd *d, struct mp_path *p)
{
	const struct mp_path_info *pi = mpd_load(&p->info);
	const struct mp_sysfs_ops *ops = mp_backend()->sysfs;
	char dir[512], buf[64];
	int r;

	if (!pi || !pi->syspath || !ops || !ops->read_attr)
		return PATH_PENDING;
	snprintf(dir, sizeof(dir), "%s/device", pi->syspath);
	r = ops->read_attr(dir, "state", buf, sizeof(buf));
	if (r == -ENOENT || r == -ENODEV)
		return PATH_DOWN;
	if (r < 0)
		return PATH_PENDING;
	if (!strcmp(buf, "running") || !strcmp(buf, "live"))
		return mpd_load(&p->chk_state) == PATH_GHOST ? PATH_GHOST : PATH_UP;
	if (!strcmp(buf, "offline") || !strcmp(buf, "transport-offline") ||
	    !strcmp(buf, "cancel") || !strcmp(buf, "deleted") || !strcmp(buf, "dead") ||
	    !strcmp(buf, "deleting"))
		return PATH_DOWN;
	return PATH_PENDING;            /* blocked, quiesce, connecting: wait */
}

/* ALUA/ANA state moved (scsi_dh_alua rereads it after a unit attention,
 * often without a uevent): queue a change so the map regroups. */
static void check_access_state(struct mpd *d, struct mp_path *p, const char *key)
{
	const struct mp_path_info *pi = mpd_load(&p->info);
	const struct mp_sysfs_ops *ops = mp_backend()->sysfs;
	char dir[512], buf[64];
	struct mp_uevent *u;
	struct mpd_work *w;

	if (!pi || !pi->syspath || !ops || !ops->read_attr || pi->access_state == ACCESS_UNKNOWN)
		return;
	snprintf(dir, sizeof(dir), "%s/device", pi->syspath);
	if (ops->read_attr(dir, "access_state", buf, sizeof(buf)) < 0 ||
	    mp_access_state_from_string(buf) == pi->access_state)
		return;
	u = mp_uevent_new(UEV_CHANGE, pi->devname, p->devt, pi->syspath, NULL);
	if (u)
		mp_uevent_load_udev_db(u);
	w = u ? mpd_work_new(W_PATH_CHANGE, key) : NULL;
	if (!w) {
		mp_uevent_free(u);
		return;
	}
	log_info("%s: access state now %s", pi->devname, buf);
	w->devt = p->devt;
	w->uev = u;
	mpd_push_cfg(d, w);
}

static void push_verdict(struct mpd *d, struct mp_path *p, const char *key, int st)
{
	struct mpd_work *w = mpd_work_new(mp_chk_state_usable(st) ? W_PATH_UP : W_PATH_DOWN, key);

	if (!w)
		return;
	w->devt = p->devt;
	w->arg = mp_chk_state_usable(st) ? st : DOWN_CHECKER;
	mpd_push_crit(d, w);
}

/* Does the verdict differ from what the map was told? */
static bool verdict_changes(const struct mp_path *p, int st)
{
	int cur = mpd_load(&p->chk_state);
	int dm = mpd_load(&p->dm_state);

	if (st == PATH_PENDING || st == PATH_WILD)
		return false;
	if (mp_chk_state_usable(st))
		return !mp_chk_state_usable(cur) || dm == DMP_FAILED || (st != cur);
	return mp_chk_state_usable(cur) || dm != DMP_FAILED;
}

static void log_verdict(const struct mp_path *p, int st)
{
	char msg[128];

	if (mpd_health_message(p, msg, sizeof(msg)) > 0)
		log_notice("%s: %s", p->info->devname, msg);
	else
		log_info("%s: checker verdict %s", p->info->devname,
			 mp_chk_state_usable(st) ? "usable" : "not usable");
}

/* Act on a full check's verdict (now, or when the async check answered). */
static void handle_verdict(struct mpd *d, struct mp_path *p, const char *key, int st, int pi,
			   int max_pi)
{
	int interval = mpd_load(&p->checkint);

	if (interval <= 0)
		interval = pi;
	st = mpd_health_filter(thread_of(d)->health, p, key, st);
	if (st == PATH_PENDING || st == PATH_WILD)
		return;
	if (verdict_changes(p, st)) {
		log_verdict(p, st);
		push_verdict(d, p, key, st);
		interval = pi;
	} else if (mp_chk_state_usable(st) && !mpd_health_holding(p)) {
		interval = MP_MIN(interval * 2, max_pi);
	} else {
		interval = pi;          /* down or held: look again soon */
	}
	mpd_store(&p->checkint, interval);
	mpd_store(&p->tick, interval);
}

static void check_one(struct mpd *d, struct mp_path *p, const char *key, int pi, int max_pi)
{
	struct mpd_health *h = thread_of(d)->health;
	int tick = mpd_load(&p->tick) - 1;
	int sys = d->priv->ops.check_path(d, p);
	int was = uatomic_xchg(&p->sys_state, sys);
	int st;

	/* Between full checks the sweep looks for "down", and for a device
	 * the kernel brought back (offline -> running): that one is confirmed
	 * by a full check now, not an interval later. */
	if (tick > 0 && !(was == PATH_DOWN && mp_chk_state_usable(sys) &&
			  !mp_chk_state_usable(mpd_load(&p->chk_state)))) {
		mpd_store(&p->tick, tick);
		if (sys == PATH_DOWN && verdict_changes(p, sys)) {
			push_verdict(d, p, key, sys);
			mpd_store(&p->checkint, pi);
			mpd_store(&p->tick, pi);
		}
		return;
	}
	mpd_inc(&d->priv->cnt.checks);
	st = mpd_health_start(h, p, key, sys);
	if (d->priv->ops.check_path == mpd_default_check_path)
		check_access_state(d, p, key);
	/* until the async verdict arrives, the next check is one interval on */
	mpd_store(&p->tick, mpd_load(&p->checkint) > 0 ? mpd_load(&p->checkint) : pi);
	handle_verdict(d, p, key, st, pi, max_pi);
}

static void intervals(int *pi, int *max_pi)
{
	const struct mp_globals *g = mp_config_globals(mpd_config());

	*pi = g->polling_interval > 0 ? g->polling_interval : 5;
	*max_pi = g->max_polling_interval >= *pi ? g->max_polling_interval : 4 * *pi;
}

struct collect_args {
	struct mpd *d;
	int pi, max_pi;
};

static void collect_one(struct mp_path *p, int st, void *ud)
{
	struct collect_args *a = ud;
	struct mp_map *pm = mpd_load(&p->map);

	if (pm && mpd_load(&pm->snap))
		handle_verdict(a->d, p, pm->wwid, st, a->pi, a->max_pi);
}

/* Verdicts of asynchronous checks that answered since the last pass. */
static void collect(struct mpd *d)
{
	struct collect_args a = { .d = d };

	rcu_read_lock();
	intervals(&a.pi, &a.max_pi);
	mpd_health_collect(thread_of(d)->health, collect_one, &a);
	rcu_read_unlock();
}

void mpd_tick(struct mpd *d)
{
	struct checker_thread *ct = thread_of(d);
	struct cds_lfht_iter it;
	struct mp_path *p;
	struct mp_map *m;
	int pi, max_pi;

	if (!ct || !ct->health)
		return;
	rcu_read_lock();
	intervals(&pi, &max_pi);
	mpd_health_tick_begin(ct->health);
	d->priv->ticks++;
	/* timers first: a countdown started by this tick's verdicts starts
	 * counting at the next tick */
	mp_topo_for_each_map(&d->topo, &it, m) {
		mp_tsan_acquire(m);
		struct mpd_map *mm = mpd_map_of(m);

		if (mm && mpd_load(&mm->timers)) {
			struct mpd_work *w = mpd_work_new(W_MAP_TICK, m->wwid);

			if (w)
				mpd_push_crit(d, w);
		}
	}
	mp_topo_for_each_path(&d->topo, &it, p) {
		mp_tsan_acquire(p);
		struct mp_map *pm = mpd_load(&p->map);

		if (pm && mpd_load(&pm->snap))
			check_one(d, p, pm->wwid, pi, max_pi);
	}
	rcu_read_unlock();
	/* checks that answered at once (or were collected meanwhile) */
	mpd_health_dispatch(ct->health);
	collect(d);
}

/*---- the thread ----*/

static void *checker_main(void *arg)
{
	struct mpd *d = arg;
	struct checker_thread *ct = d->priv->checker;
	uint64_t next = mono_ms() + 1000;

	mpd_thread_register(d);
	for (;;) {
		struct epoll_event evs[4];
		uint64_t now = mono_ms();
		int to = next > now ? (int)(next - now) : 0;
		int hto = mpd_health_next_timeout_ms(ct->health);
		bool stop = false;
		int n;

		if (hto >= 0 && hto < to)
			to = hto;
		n = epoll_wait(ct->epfd, evs, ARRAY_SIZE(evs), to);
		for (int i = 0; i < n; i++)
			stop |= evs[i].data.fd == ct->stop_fd;
		if (stop)
			break;
		if (mpd_health_dispatch(ct->health) > 0)
			collect(d);
		now = mono_ms();
		if (now >= next) {
			mpd_tick(d);
			/* a tick that overran does not cause a burst of ticks */
			next = MP_MAX(next + 1000, now + 1);
		}
	}
	mpd_thread_unregister(d);
	return NULL;
}

static int watch(int epfd, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	if (fd < 0)
		return 0;
	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

static int thread_fds(struct checker_thread *ct)
{
	int runner_fd, sample_fd, r;

	ct->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ct->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (ct->stop_fd < 0 || ct->epfd < 0)
		return -errno;
	mpd_health_fds(ct->health, &runner_fd, &sample_fd);
	r = watch(ct->epfd, ct->stop_fd);
	if (r == 0)
		r = watch(ct->epfd, runner_fd);
	if (r == 0)
		r = watch(ct->epfd, sample_fd);
	return r;
}

static void thread_fds_close(struct checker_thread *ct)
{
	if (ct->stop_fd >= 0)
		close(ct->stop_fd);
	if (ct->epfd >= 0)
		close(ct->epfd);
	ct->stop_fd = ct->epfd = -1;
}

int mpd_checker_start(struct mpd *d)
{
	struct checker_thread *ct = thread_of(d);
	int r;

	if (!ct)
		return -ENOMEM;
	if (ct->running)
		return 0;
	r = thread_fds(ct);
	if (r == 0)
		r = -pthread_create(&ct->tid, NULL, checker_main, d);
	if (r < 0) {
		thread_fds_close(ct);
		return r;
	}
	ct->running = true;
	return 0;
}

void mpd_checker_stop(struct mpd *d)
{
	struct checker_thread *ct = d->priv->checker;
	uint64_t one = 1;

	if (!ct)
		return;
	if (ct->running) {
		if (write(ct->stop_fd, &one, sizeof(one)) < 0)
			log_err("cannot stop the checker thread: %m");
		pthread_join(ct->tid, NULL);
		ct->running = false;
	}
	thread_fds_close(ct);
	mpd_health_free(ct->health);
	d->priv->checker = NULL;
	free(ct);
}
