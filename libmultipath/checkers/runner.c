// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The checker runner: the daemon's checker thread registers every path's
 * check here and puts one epoll fd into its loop.  Each distinct check fd
 * (an sg fd per path, one shared aio eventfd for all directio checks) is
 * in the epoll set once, reference counted.  On wake-up, dispatch collects
 * every in-flight check; with thousands of paths that is a cheap
 * non-blocking read() per in-flight check.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "checkers/internal.h"
#include "util/clock.h"

struct fdref {
	struct fdref *next;
	int fd;
	int refs;
};

struct mp_checker_runner {
	int epfd;
	struct mp_check *checks;
	struct fdref *fds;
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
	free(r);
}

int mp_runner_fd(const struct mp_checker_runner *r)
{
	return r->epfd;
}

static void fd_ref(struct mp_checker_runner *r, int fd)
{
	struct fdref *f;
	struct epoll_event ev = { .events = EPOLLIN };

	if (fd < 0)
		return;
	for (f = r->fds; f; f = f->next)
		if (f->fd == fd) {
			f->refs++;
			return;
		}
	f = calloc(1, sizeof(*f));
	if (!f)
		return;
	f->fd = fd;
	f->refs = 1;
	f->next = r->fds;
	r->fds = f;
	ev.data.fd = fd;
	epoll_ctl(r->epfd, EPOLL_CTL_ADD, fd, &ev);
}

static void fd_unref(struct mp_checker_runner *r, int fd)
{
	struct fdref **pp, *f;

	for (pp = &r->fds; (f = *pp); pp = &f->next)
		if (f->fd == fd) {
			if (--f->refs == 0) {
				epoll_ctl(r->epfd, EPOLL_CTL_DEL, fd, NULL);
				*pp = f->next;
				free(f);
			}
			return;
		}
}

int mp_runner_add(struct mp_checker_runner *r, struct mp_check *c)
{
	if (c->runner)
		return -EBUSY;
	c->runner = r;
	c->run_next = r->checks;
	r->checks = c;
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
	if (c->run_held)
		fd_unref(r, c->run_fd);
	c->run_held = false;
	c->timeout_reported = false;
	c->runner = NULL;
	c->run_next = NULL;
}

/* A check holds a reference on its fd while in flight (sg fds are opened
 * by the first start, so registration cannot happen at add time). */
static void hold(struct mp_checker_runner *r, struct mp_check *c, bool on)
{
	if (on && !c->run_held) {
		c->run_fd = mp_check_fd(c);
		fd_ref(r, c->run_fd);
		c->run_held = true;
	} else if (!on && c->run_held) {
		fd_unref(r, c->run_fd);
		c->run_held = false;
	}
}

void mp_runner_start_all(struct mp_checker_runner *r)
{
	struct mp_check *c;

	for (c = r->checks; c; c = c->run_next) {
		if (c->in_flight)
			continue;
		mp_check_start(c);
		if (c->in_flight)
			hold(r, c, true);
	}
}

int mp_runner_dispatch(struct mp_checker_runner *r,
		       void (*done)(struct mp_check *c, enum mp_chk_state st, void *ud),
		       void *ud)
{
	struct epoll_event evs[64];
	struct mp_check *c, *next;
	int n = 0;

	while (epoll_wait(r->epfd, evs, 64, 0) == 64)
		;       /* level-triggered: only used to wake the caller */
	for (c = r->checks; c; c = next) {
		enum mp_chk_state st;

		next = c->run_next;
		if (!c->in_flight)
			continue;
		st = mp_check_collect(c);
		if (!c->in_flight) {
			hold(r, c, false);
			c->timeout_reported = false;
		} else if (st != PATH_TIMEOUT || c->timeout_reported) {
			continue;
		} else {
			c->timeout_reported = true;
		}
		if (done)
			done(c, st, ud);
		n++;
	}
	return n;
}

int mp_runner_next_timeout_ms(const struct mp_checker_runner *r)
{
	const struct mp_check *c;
	uint64_t now = mp_now_usec(), best = 0;

	for (c = r->checks; c; c = c->run_next)
		if (c->in_flight && !c->timeout_reported && (!best || c->deadline < best))
			best = c->deadline;
	if (!best)
		return -1;
	return best <= now ? 0 : (int)((best - now + 999) / 1000);
}
