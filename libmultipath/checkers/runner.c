// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The checker runner: the daemon's checker thread registers every path's
 * check here and puts one epoll fd into its loop.  Each distinct fd of an
 * in-flight check (an sg fd per path, one shared aio eventfd for all
 * directio checks) is in the epoll set once, with the list of checks
 * waiting on it, so a completion costs work for its own checks only, not a
 * sweep over thousands of paths.  Timeouts are found by a sweep, but only
 * when the earliest deadline has passed.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "checkers/internal.h"
#include "util/clock.h"

struct fdref {
	int fd;
	int refs;
	struct mp_check *holders;       /* in-flight checks on this fd */
};

struct mp_checker_runner {
	int epfd;
	struct mp_check *checks;        /* all registered */
	struct fdref **fdtab;           /* by fd number */
	int fdtab_len;
	uint64_t next_deadline;         /* 0: none known */
};

int mp_runner_new(struct mp_checker_runner **ret)
{
	struct mp_checker_runner *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (r->epfd < 0) {
		int e = -errno;

		free(r);
		return e;
	}
	*ret = r;
	return 0;
}

void mp_runner_free(struct mp_checker_runner *r)
{
	if (!r)
		return;
	while (r->checks)
		mp_runner_remove(r, r->checks);
	close(r->epfd);
	free(r->fdtab);
	free(r);
}

int mp_runner_fd(const struct mp_checker_runner *r)
{
	return r->epfd;
}

static struct fdref *fdref_get(struct mp_checker_runner *r, int fd, bool create)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
	struct fdref *f;

	if (fd < r->fdtab_len && r->fdtab[fd])
		return r->fdtab[fd];
	if (!create)
		return NULL;
	if (fd >= r->fdtab_len) {
		int n = fd + 64;
		struct fdref **t = realloc(r->fdtab, (size_t)n * sizeof(*t));

		if (!t)
			return NULL;
		for (int i = r->fdtab_len; i < n; i++)
			t[i] = NULL;
		r->fdtab = t;
		r->fdtab_len = n;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->fd = fd;
	r->fdtab[fd] = f;
	epoll_ctl(r->epfd, EPOLL_CTL_ADD, fd, &ev);
	return f;
}

/* While in flight a check is on its fd's holder list (sg fds are opened
 * by the first start, so this cannot happen at add time). */
static void hold(struct mp_checker_runner *r, struct mp_check *c)
{
	int fd = mp_check_fd(c);
	struct fdref *f = fd >= 0 ? fdref_get(r, fd, true) : NULL;

	if (c->run_held)
		return;
	c->run_held = true;
	c->run_fd = fd;
	c->fd_next = NULL;
	if (f) {
		c->fd_next = f->holders;
		f->holders = c;
		f->refs++;
	}
	if (!r->next_deadline || c->deadline < r->next_deadline)
		r->next_deadline = c->deadline;
}

static void unhold(struct mp_checker_runner *r, struct mp_check *c)
{
	struct fdref *f;
	struct mp_check **pp;

	if (!c->run_held)
		return;
	c->run_held = false;
	f = c->run_fd >= 0 ? fdref_get(r, c->run_fd, false) : NULL;
	if (!f)
		return;
	for (pp = &f->holders; *pp; pp = &(*pp)->fd_next)
		if (*pp == c) {
			*pp = c->fd_next;
			break;
		}
	if (--f->refs == 0) {
		epoll_ctl(r->epfd, EPOLL_CTL_DEL, f->fd, NULL);
		r->fdtab[f->fd] = NULL;
		free(f);
	}
}

int mp_runner_add(struct mp_checker_runner *r, struct mp_check *c)
{
	if (c->runner)
		return -EBUSY;
	c->runner = r;
	c->run_next = r->checks;
	r->checks = c;
	if (c->in_flight)
		hold(r, c);
	return 0;
}

void mp_runner_remove(struct mp_checker_runner *r, struct mp_check *c)
{
	struct mp_check **pp;

	for (pp = &r->checks; *pp; pp = &(*pp)->run_next)
		if (*pp == c) {
			*pp = c->run_next;
			break;
		}
	unhold(r, c);
	c->timeout_reported = false;
	c->runner = NULL;
	c->run_next = NULL;
}

void mp_runner_start_all(struct mp_checker_runner *r)
{
	struct mp_check *c;

	for (c = r->checks; c; c = c->run_next) {
		if (c->in_flight)
			continue;
		mp_check_start(c);
		if (c->in_flight)
			hold(r, c);
	}
}

typedef void (*done_fn)(struct mp_check *c, enum mp_chk_state st, void *ud);

/* Collect one check; 1 if a verdict (or a first timeout) was reported. */
static int collect_one(struct mp_checker_runner *r, struct mp_check *c, done_fn done, void *ud)
{
	enum mp_chk_state st = mp_check_collect(c);

	if (!c->in_flight) {
		unhold(r, c);
		c->timeout_reported = false;
	} else if (st != PATH_TIMEOUT || c->timeout_reported) {
		return 0;
	} else {
		c->timeout_reported = true;
	}
	if (done)
		done(c, st, ud);
	return 1;
}

/* Completions on the ready fds: only the checks waiting on them. */
static int collect_ready(struct mp_checker_runner *r, done_fn done, void *ud)
{
	struct epoll_event evs[64];
	int n, i, count = 0;

	do {
		n = epoll_wait(r->epfd, evs, 64, 0);
		for (i = 0; i < n; i++) {
			struct fdref *f = fdref_get(r, evs[i].data.fd, false);
			struct mp_check *c, *next;

			/* `next` is read first: f and c may be gone after collect_one
			 * (f when c was its last holder, c if `done` freed it) */
			for (c = f ? f->holders : NULL; c; c = next) {
				next = c->fd_next;
				if (c->in_flight)
					count += collect_one(r, c, done, ud);
			}
		}
	} while (n == 64);
	return count;
}

/* Deadlines: sweep only once the earliest one has passed. */
static int collect_timeouts(struct mp_checker_runner *r, done_fn done, void *ud)
{
	uint64_t now = mp_now_usec(), next = 0;
	struct mp_check *c;
	int count = 0;

	if (!r->next_deadline || now < r->next_deadline)
		return 0;
	for (c = r->checks; c; c = c->run_next) {
		if (!c->in_flight || c->timeout_reported)
			continue;
		if (c->deadline <= now)
			count += collect_one(r, c, done, ud);
		if (c->in_flight && !c->timeout_reported && (!next || c->deadline < next))
			next = c->deadline;
	}
	r->next_deadline = next;
	return count;
}

int mp_runner_dispatch(struct mp_checker_runner *r, done_fn done, void *ud)
{
	return collect_ready(r, done, ud) + collect_timeouts(r, done, ud);
}

int mp_runner_next_timeout_ms(const struct mp_checker_runner *r)
{
	uint64_t now = mp_now_usec();

	if (!r->next_deadline)
		return -1;
	return r->next_deadline <= now ? 0 : (int)((r->next_deadline - now + 999) / 1000);
}
