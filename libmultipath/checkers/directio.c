// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * directio: one O_DIRECT read of the first logical block through libaio.
 * All checks of the process share one io context whose completions are
 * signalled on one eventfd, so the checker thread polls a single fd however
 * many paths it checks.  A request the device never answers stays owned by
 * its check (no second request is sent); if the check is freed meanwhile
 * the request is orphaned and its buffer freed when it finally completes,
 * because the kernel may still DMA into it.
 */
#include <fcntl.h>
#include <libaio.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "checkers/internal.h"

#define AIO_MAX_EVENTS 1024
#define DIO_ALIGN 4096

struct dio_req {
	struct iocb iocb;
	void *buf;
	size_t len;
	struct mp_check *owner;         /* NULL: orphaned */
	bool done;
	long res;
};

static struct {
	pthread_mutex_t lock;
	bool ready;
	io_context_t ctx;
	int efd;
} aio = { .lock = PTHREAD_MUTEX_INITIALIZER, .efd = -1 };

/* The context lives until the process exits: destroying it would wait for
 * requests stuck on dead devices. */
static int aio_ready(void)
{
	int r = 0;

	pthread_mutex_lock(&aio.lock);
	if (!aio.ready) {
		aio.efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (aio.efd < 0) {
			r = -errno;
		} else if ((r = io_setup(AIO_MAX_EVENTS, &aio.ctx)) < 0) {
			close(aio.efd);
			aio.efd = -1;
		} else {
			aio.ready = true;
		}
	}
	pthread_mutex_unlock(&aio.lock);
	return r;
}

static void req_free(struct dio_req *q)
{
	free(q->buf);
	free(q);
}

/* Move every available completion onto its request; aio.lock held. */
static void aio_drain_locked(void)
{
	struct io_event ev[64];
	struct timespec zero = { 0, 0 };
	uint64_t cnt;
	int n, i;

	if (read(aio.efd, &cnt, sizeof(cnt)) < 0) {
		/* EAGAIN: nothing signalled; still look, a race is harmless */
	}
	do {
		n = io_getevents(aio.ctx, 0, 64, ev, &zero);
		for (i = 0; i < n; i++) {
			struct dio_req *q = ev[i].data;

			q->res = (long)ev[i].res;
			q->done = true;
			if (!q->owner)
				req_free(q);
		}
	} while (n == 64);
}

static int dio_open(struct mp_check *c)
{
	if (c->fd >= 0)
		return 0;
	if (c->devname[0] == '/')
		c->fd = open(c->devname, O_RDONLY | O_DIRECT | O_CLOEXEC);
	else
		c->fd = mp_backend()->sgio->open_dev(c->devname, MP_OPEN_DIRECT);
	if (c->fd < 0)
		return c->devname[0] == '/' ? -errno : c->fd;
	return 0;
}

static size_t block_size(int fd)
{
	int sz = 0;

	if (ioctl(fd, BLKSSZGET, &sz) == 0 && sz >= 512 && sz <= 65536)
		return (size_t)sz;
	return DIO_ALIGN;
}

static enum mp_chk_state dio_start(struct mp_check *c)
{
	struct dio_req *q;
	struct iocb *iocbs[1];
	int r;

	if ((r = aio_ready()) < 0 || (r = dio_open(c)) < 0) {
		chk_msg(c, "cannot start: %s", strerror(-r));
		return r == -ENOENT || r == -ENXIO || r == -ENODEV ? PATH_DOWN : PATH_UNCHECKED;
	}
	q = calloc(1, sizeof(*q));
	if (!q || posix_memalign(&q->buf, DIO_ALIGN, block_size(c->fd))) {
		free(q);
		chk_msg(c, "out of memory");
		return PATH_UNCHECKED;
	}
	q->len = block_size(c->fd);
	q->owner = c;
	io_prep_pread(&q->iocb, c->fd, q->buf, q->len, 0);
	io_set_eventfd(&q->iocb, aio.efd);
	q->iocb.data = q;
	iocbs[0] = &q->iocb;
	/* under the lock: whoever drains the completion sees q initialised */
	pthread_mutex_lock(&aio.lock);
	aio_drain_locked();     /* also frees orphans that completed meanwhile */
	r = io_submit(aio.ctx, 1, iocbs);
	pthread_mutex_unlock(&aio.lock);
	if (r != 1) {
		req_free(q);
		chk_msg(c, "reports path is down (io_submit: %s)", strerror(r < 0 ? -r : EIO));
		return PATH_DOWN;
	}
	c->priv = q;
	return PATH_PENDING;
}

static int dio_reap(struct mp_check *c)
{
	struct dio_req *q = c->priv;

	bool done;

	if (!q)
		return -EINVAL;
	pthread_mutex_lock(&aio.lock);
	aio_drain_locked();
	done = q->done;
	pthread_mutex_unlock(&aio.lock);
	return done ? 0 : -EAGAIN;
}

static enum mp_chk_state dio_complete(struct mp_check *c)
{
	struct dio_req *q = c->priv;
	long res = q->res;
	size_t len = q->len;

	c->priv = NULL;
	req_free(q);
	if (res == (long)len) {
		chk_msg(c, "reports path is up");
		return PATH_UP;
	}
	chk_msg(c, "reports path is down (read: %s)",
		res < 0 ? strerror((int)-res) : "short read");
	return PATH_DOWN;
}

static int dio_fd(const struct mp_check *c)
{
	return aio.efd;
}

static void dio_free(struct mp_check *c)
{
	struct dio_req *q = c->priv;

	if (!q)
		return;
	pthread_mutex_lock(&aio.lock);
	if (q->done)
		req_free(q);
	else
		q->owner = NULL;
	pthread_mutex_unlock(&aio.lock);
	c->priv = NULL;
}

const struct mp_checker_ops mp_checker_directio = {
	.name = "directio",
	.start = dio_start,
	.complete = dio_complete,
	.reap = dio_reap,
	.fd = dio_fd,
	.free = dio_free,
};
