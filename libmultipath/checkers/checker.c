// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Generic checker machinery: the registry, the in-flight rule (never a
 * second request while one is outstanding), timeouts measured with the
 * fakeable clock, and the sg plumbing the SCSI checkers share.
 */
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checkers/internal.h"
#include "util/clock.h"
#include "util/util.h"

#define DEFAULT_TIMEOUT_MS 30000

static const struct mp_checker_ops *const registry[] = {
	&mp_checker_tur, &mp_checker_directio, &mp_checker_readsector0,
	&mp_checker_emc_clariion, &mp_checker_hp_sw, &mp_checker_rdac,
	&mp_checker_cciss_tur, &mp_checker_none,
};

static const char *const names[] = {
	"tur", "directio", "readsector0", "emc_clariion", "hp_sw", "rdac", "cciss_tur",
	"none", NULL,
};

const char *const *mp_checker_names(void)
{
	return names;
}

static const struct mp_checker_ops *find_ops(const char *name)
{
	size_t i;

	for (i = 0; name && i < ARRAY_SIZE(registry); i++)
		if (!strcmp(registry[i]->name, name))
			return registry[i];
	return NULL;
}

bool mp_checker_exists(const char *name)
{
	return find_ops(name) != NULL;
}

/* Messages repeat from one check to the next: a path keeps one copy of
 * its own, of its length, rather than a buffer of the longest. */
void chk_msg(struct mp_check *c, const char *fmt, ...)
{
	char buf[160];
	va_list ap;
	int n = snprintf(buf, sizeof(buf), "%s checker ", c->ops->name);

	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	va_end(ap);
	if (c->msg && !strcmp(c->msg, buf))
		return;
	free(c->msg);
	c->msg = strdup(buf);   /* NULL when out of memory: no reason shown */
}

int mp_checker_new(const char *name, const char *devname, dev_t devt, int timeout_ms,
		   struct mp_check **ret)
{
	const struct mp_checker_ops *ops = find_ops(name);
	struct mp_check *c;

	if (!ops)
		return -ENOENT;
	if (!devname || !*devname)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->devname = strdup(devname);
	if (!c->devname) {
		free(c);
		return -ENOMEM;
	}
	c->ops = ops;
	c->devt = devt;
	c->fd = -1;
	c->state = PATH_WILD;
	mp_check_set_timeout(c, timeout_ms);
	*ret = c;
	return 0;
}

int mp_checker_timeout_ms(int checker_timeout_s, int sysfs_timeout_s)
{
	int s = checker_timeout_s > 0 ? checker_timeout_s :
		sysfs_timeout_s > 0 ? sysfs_timeout_s : DEFAULT_TIMEOUT_MS / 1000;

	return s > INT32_MAX / 1000 ? INT32_MAX : s * 1000;
}

void mp_check_set_timeout(struct mp_check *c, int timeout_ms)
{
	c->timeout_ms = timeout_ms > 0 ? timeout_ms : DEFAULT_TIMEOUT_MS;
}

/* Nothing in flight any more: the command and its data are not needed
 * until the next check sends another. */
static void chk_idle(struct mp_check *c)
{
	free(c->sg);
	c->sg = NULL;
	free(c->data);
	c->data = NULL;
	c->data_cap = 0;
}

void mp_check_free(struct mp_check *c)
{
	if (!c)
		return;
	if (c->runner)
		mp_runner_remove(c->runner, c);
	if (c->ops->free)
		c->ops->free(c);
	/* an outstanding sg request dies with its fd; the kernel drops the
	 * orphan's data instead of copying it to us */
	if (c->fd >= 0)
		close(c->fd);
	chk_idle(c);
	free(c->msg);
	free(c->devname);
	free(c);
}

const char *mp_check_name(const struct mp_check *c)
{
	return c->ops->name;
}

const char *mp_check_message(const struct mp_check *c)
{
	return c->msg ? c->msg : "";
}

enum mp_chk_state mp_check_state(const struct mp_check *c)
{
	return c->state;
}

bool mp_check_in_flight(const struct mp_check *c)
{
	return c->in_flight;
}

unsigned long long mp_check_deadline(const struct mp_check *c)
{
	return c->in_flight ? c->deadline : 0;
}

int mp_check_fd(const struct mp_check *c)
{
	return c->ops->fd ? c->ops->fd(c) : -1;
}

static enum mp_chk_state pending_or_timeout(struct mp_check *c)
{
	if (mp_now_usec() < c->deadline)
		return PATH_PENDING;
	if (c->state != PATH_TIMEOUT)
		chk_msg(c, "timed out after %d ms", c->timeout_ms);
	c->state = PATH_TIMEOUT;
	return PATH_TIMEOUT;
}

enum mp_chk_state mp_check_collect(struct mp_check *c)
{
	enum mp_chk_state st;
	int r;

	if (!c->in_flight)
		return c->state;
	/* a follow-up request (retry, second command) may complete at once */
	for (;;) {
		r = c->ops->reap(c);
		if (r == -EAGAIN)
			return pending_or_timeout(c);
		c->in_flight = false;
		if (r < 0) {
			chk_idle(c);
			chk_msg(c, "could not collect: %s", strerror(-r));
			return c->state = PATH_DOWN;
		}
		st = c->ops->complete(c);
		if (st != CHK_AGAIN)
			break;
		c->in_flight = true;
	}
	chk_idle(c);
	c->state = st;
	return st;
}

enum mp_chk_state mp_check_start(struct mp_check *c)
{
	enum mp_chk_state st;

	if (c->in_flight) {
		int r = c->ops->reap(c);

		if (r == -EAGAIN)
			return pending_or_timeout(c);
		/* the outstanding request answered at last: that answer is this
		 * check's result (sending another would only repeat it) */
		c->in_flight = false;
		if (r < 0) {
			chk_idle(c);
			return c->state = PATH_DOWN;
		}
		st = c->ops->complete(c);
		if (st == CHK_AGAIN) {
			c->in_flight = true;
			return PATH_PENDING;
		}
		chk_idle(c);
		return c->state = st;
	}
	c->step = 0;
	c->retries = 0;
	c->timeout_reported = false;
	c->deadline = mp_now_usec() + (uint64_t)c->timeout_ms * USEC_PER_MSEC;
	st = c->ops->start(c);
	if (st == PATH_PENDING || st == CHK_AGAIN) {
		c->in_flight = true;
		if (c->state == PATH_WILD || c->state == PATH_TIMEOUT)
			c->state = PATH_PENDING;
		return PATH_PENDING;
	}
	chk_idle(c);
	c->state = st;
	return st;
}

enum mp_chk_state mp_check_sync(struct mp_check *c, int timeout_ms)
{
	uint64_t end;
	enum mp_chk_state st = mp_check_start(c);

	if (timeout_ms <= 0)
		timeout_ms = c->timeout_ms;
	end = mp_now_usec() + (uint64_t)timeout_ms * USEC_PER_MSEC;
	/* PATH_PENDING with nothing in flight is a verdict (ALUA transition) */
	while (st == PATH_PENDING && c->in_flight) {
		struct pollfd p = { .fd = mp_check_fd(c), .events = POLLIN };
		uint64_t now = mp_now_usec();
		int wait;

		if (now >= end)
			break;
		wait = (int)((end - now + 999) / 1000);
		if (p.fd >= 0)
			poll(&p, 1, wait > 100 ? 100 : wait);
		else
			usleep(1000);
		st = mp_check_collect(c);
	}
	if (st == PATH_PENDING && c->in_flight) {
		chk_msg(c, "timed out after %d ms", timeout_ms);
		st = c->state = PATH_TIMEOUT;
	}
	return st;
}

/* ---- sg plumbing ---- */

int chk_sg_open(struct mp_check *c)
{
	const struct mp_sgio_ops *g = mp_backend()->sgio;

	if (c->fd >= 0)
		return 0;
	if (!g->open_dev)
		return -ENOTSUP;
	c->fd = g->open_dev(c->devname, MP_OPEN_SG);
	return c->fd < 0 ? c->fd : 0;
}

int chk_sg_fd(const struct mp_check *c)
{
	return c->fd;
}

int chk_sg_submit(struct mp_check *c, const uint8_t *cdb, uint8_t cdb_len, uint32_t data_len)
{
	const struct mp_sgio_ops *g = mp_backend()->sgio;

	if (!c->sg && !(c->sg = calloc(1, sizeof(*c->sg))))
		return -ENOMEM;
	if (data_len > c->data_cap) {
		uint8_t *d = realloc(c->data, data_len);

		if (!d)
			return -ENOMEM;
		c->data = d;
		c->data_cap = data_len;
	}
	if (data_len)
		memset(c->data, 0, data_len);
	memmove(c->sg->cdb, cdb, cdb_len);
	c->sg->cmd = (struct mp_sg_cmd){
		.cdb = c->sg->cdb,
		.cdb_len = cdb_len,
		.data = data_len ? c->data : NULL,
		.data_len = data_len,
		.timeout_ms = (uint32_t)c->timeout_ms,
	};
	return g->sg_submit ? g->sg_submit(c->fd, &c->sg->cmd) : -ENOTSUP;
}

int chk_sg_reap(struct mp_check *c)
{
	const struct mp_sgio_ops *g = mp_backend()->sgio;

	if (!c->sg)
		return -EINVAL;
	return g->sg_collect ? g->sg_collect(c->fd, &c->sg->cmd) : -ENOTSUP;
}

enum mp_chk_state chk_sg_start(struct mp_check *c, const uint8_t *cdb, uint8_t cdb_len,
			       uint32_t data_len)
{
	int r = chk_sg_open(c);

	if (r < 0) {
		chk_msg(c, "cannot open the sg device of %s: %s", c->devname, strerror(-r));
		return r == -ENOENT || r == -ENODEV || r == -ENXIO ? PATH_DOWN : PATH_UNCHECKED;
	}
	r = chk_sg_submit(c, cdb, cdb_len, data_len);
	if (r < 0) {
		chk_msg(c, "cannot send command: %s", strerror(-r));
		return PATH_DOWN;
	}
	return PATH_PENDING;
}
