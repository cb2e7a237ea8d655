// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * marginal_path_* error sampling without a thread per path: every path
 * under test gets one O_DIRECT read of its first 4 KiB ten times a second
 * through one libaio context, whose completions signal one eventfd the
 * checker thread polls.  A path keeps at most one read outstanding; a
 * device that does not answer simply yields fewer reads, and a sample
 * without any answer counts as all errors (path-shaky.c).
 *
 * A read may outlive its path (the path left, or the sample ended): the
 * sample object is then orphaned and freed when the kernel is done with
 * its buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <libaio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "core.h"
#include "health-internal.h"
#include "util/clock.h"
#include "util/log.h"

#define SAMPLE_IO_SIZE 4096
#define SAMPLE_PERIOD_USEC (USEC_PER_SEC / 10)
#define SAMPLE_MAX_IO 1024

struct sample {
	struct sample *next;
	struct path_ctx *ctx;           /* NULL: orphaned, free on completion */
	int fd;
	bool busy;
	void *buf;
	struct iocb cb;
};

struct sampler {
	io_context_t io;
	bool io_ok;
	int efd;
	struct sample *list;
	uint64_t next_slot;             /* µs, 0 while nothing samples */
};

static void sample_free(struct sample *s)
{
	if (s->fd >= 0)
		close(s->fd);
	free(s->buf);
	free(s);
}

int mpd_sample_init(struct mpd_health *h)
{
	struct sampler *sp = calloc(1, sizeof(*sp));

	if (!sp)
		return -ENOMEM;
	sp->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (sp->efd < 0) {
		int r = -errno;

		free(sp);
		return r;
	}
	h->sampler = sp;
	return 0;
}

/* The aio context only when a sample starts: most systems never need it. */
static bool sampler_io(struct sampler *sp)
{
	int r;

	if (sp->io_ok)
		return true;
	r = io_setup(SAMPLE_MAX_IO, &sp->io);
	if (r < 0) {
		log_warn("marginal_path: io_setup failed: %s", strerror(-r));
		return false;
	}
	sp->io_ok = true;
	return true;
}

void mpd_sample_start(struct mpd_health *h, struct path_ctx *c, const char *devname)
{
	struct sampler *sp = h->sampler;
	char dev[300];
	struct sample *s;

	if (c->sample || !sp || !sampler_io(sp))
		return;
	s = calloc(1, sizeof(*s));
	if (!s)
		return;
	if (posix_memalign(&s->buf, SAMPLE_IO_SIZE, SAMPLE_IO_SIZE)) {
		free(s);
		return;
	}
	snprintf(dev, sizeof(dev), "%s%s", devname[0] == '/' ? "" : "/dev/", devname);
	/* a device that cannot be opened is sampled as all errors */
	s->fd = open(dev, O_RDONLY | O_DIRECT | O_CLOEXEC | O_NONBLOCK);
	s->ctx = c;
	s->next = sp->list;
	sp->list = s;
	c->sample = s;
	if (!sp->next_slot)
		sp->next_slot = mp_now_usec();
	log_info("%s: marginal_path: sampling I/O errors", devname);
}

void mpd_sample_stop(struct mpd_health *h, struct path_ctx *c)
{
	struct sampler *sp = h->sampler;
	struct sample **pp;

	if (!c->sample || !sp)
		return;
	for (pp = &sp->list; *pp; pp = &(*pp)->next)
		if (*pp == c->sample)
			break;
	if (*pp && !(*pp)->busy) {
		struct sample *s = *pp;

		*pp = s->next;
		sample_free(s);
	} else if (*pp) {
		(*pp)->ctx = NULL;      /* its read is in flight: orphan it */
	}
	c->sample = NULL;
}

/* A path is sampled only while its shaky state says so (the sample stops
 * before that state goes): the guard is for an orphaned read. */
static void sample_done(struct sample *s, bool ok)
{
	if (s->ctx && s->ctx->shaky)
		mpd_marg_io_done(&s->ctx->shaky->marg, ok);
}

static void sample_submit(struct sampler *sp, struct sample *s)
{
	struct iocb *cbs[1] = { &s->cb };

	if (s->fd < 0) {
		sample_done(s, false);
		return;
	}
	io_prep_pread(&s->cb, s->fd, s->buf, SAMPLE_IO_SIZE, 0);
	io_set_eventfd(&s->cb, sp->efd);
	s->cb.data = s;
	if (io_submit(sp->io, 1, cbs) == 1)
		s->busy = true;
	else
		sample_done(s, false);
}

static void sampler_reap(struct sampler *sp)
{
	struct io_event evs[64];
	struct timespec zero = { 0 };
	uint64_t cnt;
	int n;

	if (read(sp->efd, &cnt, sizeof(cnt)) < 0 && errno != EAGAIN)
		return;
	do {
		n = io_getevents(sp->io, 0, 64, evs, &zero);
		for (int i = 0; i < n; i++) {
			struct sample *s = evs[i].data;

			s->busy = false;
			sample_done(s, evs[i].res == SAMPLE_IO_SIZE);
		}
	} while (n == 64);
}

/* Free orphans whose read came back. */
static void sampler_sweep(struct sampler *sp)
{
	struct sample **pp = &sp->list;

	while (*pp) {
		struct sample *s = *pp;

		if (s->ctx || s->busy) {
			pp = &s->next;
			continue;
		}
		*pp = s->next;
		sample_free(s);
	}
}

void mpd_sample_dispatch(struct mpd_health *h)
{
	struct sampler *sp = h->sampler;
	uint64_t now = mp_now_usec();
	bool any = false;

	if (!sp || !sp->io_ok)
		return;
	sampler_reap(sp);
	sampler_sweep(sp);
	if (!sp->next_slot || now < sp->next_slot)
		return;
	for (struct sample *s = sp->list; s; s = s->next) {
		if (!s->ctx)
			continue;
		any = true;
		if (!s->busy)
			sample_submit(sp, s);
	}
	sp->next_slot = any ? now + SAMPLE_PERIOD_USEC : 0;
}

int mpd_sample_next_timeout_ms(struct mpd_health *h)
{
	struct sampler *sp = h->sampler;
	uint64_t now = mp_now_usec();

	if (!sp || !sp->next_slot)
		return -1;
	return sp->next_slot <= now ? 0 : (int)((sp->next_slot - now + 999) / 1000);
}

int mpd_sample_fd(struct mpd_health *h)
{
	return h->sampler ? h->sampler->efd : -1;
}

void mpd_sample_exit(struct mpd_health *h)
{
	struct sampler *sp = h->sampler;

	if (!sp)
		return;
	/* io_destroy waits for reads still in flight: then buffers may go */
	if (sp->io_ok)
		io_destroy(sp->io);
	while (sp->list) {
		struct sample *s = sp->list;

		sp->list = s->next;
		if (s->ctx)
			s->ctx->sample = NULL;
		sample_free(s);
	}
	close(sp->efd);
	free(sp);
	h->sampler = NULL;
}
