// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fake sysfs + sgio backends (see fake-sys.h).  Single-threaded tests only;
 * tables are small linked lists because tests hold a handful of entries.
 */
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "backend/backend.h"
#include "fake-sys.h"

struct attr {
	struct attr *next;
	char *path;
	char *data;
	size_t len;
	bool link;
};

struct reply {
	struct reply *next;
	char *dev;
	uint8_t opcode;
	int key;
	int once;               /* 1: one-shot reply, used before the others;
				 * -1: a one-shot already used */
	struct fake_sg_reply r;
};

struct sgdev {
	struct sgdev *next;
	char *name;
	bool hold;
	int counts[256];
	uint8_t last_cdb[16];
};

struct openfd {
	struct openfd *next;
	int fd;                         /* the caller's (it closes it) */
	int own;                        /* our dup of the same eventfd */
	struct sgdev *dev;
	struct mp_sg_cmd *pending;      /* submitted, not collected */
	bool done;                      /* completion available */
};

struct nvme_data {
	struct nvme_data *next;
	char *dev;
	uint8_t opcode, sel;
	uint8_t data[4096];
	size_t len;
};

static struct attr *attrs;
static struct reply *replies;
static struct sgdev *devs;
static struct openfd *fds;
static struct nvme_data *nvmes;

/* ---- sysfs ---- */

/* Tests change attributes while daemon workers read them: one lock over
 * the attribute list (recursive: write_attr goes through fake_sys_set). */
static pthread_mutex_t sys_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

static struct attr *attr_find(const char *path, bool link)
{
	struct attr *a;

	for (a = attrs; a; a = a->next)
		if (a->link == link && !strcmp(a->path, path))
			return a;
	return NULL;
}

static void attr_put_locked(const char *path, const void *data, size_t len, bool link)
{
	struct attr *a = attr_find(path, link);

	if (!a) {
		a = calloc(1, sizeof(*a));
		a->path = strdup(path);
		a->link = link;
		a->next = attrs;
		attrs = a;
	}
	free(a->data);
	a->data = malloc(len + 1);
	memcpy(a->data, data, len);
	a->data[len] = '\0';
	a->len = len;
}

static void attr_put(const char *path, const void *data, size_t len, bool link)
{
	pthread_mutex_lock(&sys_lock);
	attr_put_locked(path, data, len, link);
	pthread_mutex_unlock(&sys_lock);
}

void fake_sys_set(const char *path, const char *value)
{
	attr_put(path, value, strlen(value), false);
}

void fake_sys_setf(const char *path, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fake_sys_set(path, buf);
}

void fake_sys_set_bin(const char *path, const void *data, size_t len)
{
	attr_put(path, data, len, false);
}

void fake_sys_link(const char *path, const char *target)
{
	attr_put(path, target, strlen(target), true);
}

static void sys_unset_locked(const char *path)
{
	struct attr **pp, *a;

	for (pp = &attrs; (a = *pp); pp = &a->next)
		if (!a->link && !strcmp(a->path, path)) {
			*pp = a->next;
			free(a->path);
			free(a->data);
			free(a);
			return;
		}
}

void fake_sys_unset(const char *path)
{
	pthread_mutex_lock(&sys_lock);
	sys_unset_locked(path);
	pthread_mutex_unlock(&sys_lock);
}

const char *fake_sys_get(const char *path)
{
	struct attr *a = attr_find(path, false);

	return a ? a->data : NULL;
}

static struct attr *lookup(const char *dir, const char *attr)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	return attr_find(path, false);
}

static int fake_read_attr_locked(const char *dir, const char *attr, char *buf, size_t len)
{
	struct attr *a = lookup(dir, attr);
	size_t n;

	if (!a)
		return -ENOENT;
	n = strnlen(a->data, a->len);
	if (n >= len)
		n = len - 1;
	memcpy(buf, a->data, n);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return (int)n;
}

static int fake_write_attr_locked(const char *dir, const char *attr, const char *value)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	if (!attr_find(path, false))
		return -ENOENT;
	fake_sys_set(path, value);
	return 0;
}

static int fake_read_bin_locked(const char *dir, const char *attr, void *buf, size_t len)
{
	struct attr *a = lookup(dir, attr);
	size_t n;

	if (!a)
		return -ENOENT;
	n = a->len < len ? a->len : len;
	memcpy(buf, a->data, n);
	return (int)n;
}

static int fake_resolve_locked(const char *path, char *buf, size_t len)
{
	struct attr *a = attr_find(path, true);

	if (!a)
		return -ENOENT;
	if (a->len >= len)
		return -ENAMETOOLONG;
	memcpy(buf, a->data, a->len + 1);
	return 0;
}

static int fake_read_attr(const char *dir, const char *attr, char *buf, size_t len)
{
	int r;

	pthread_mutex_lock(&sys_lock);
	r = fake_read_attr_locked(dir, attr, buf, len);
	pthread_mutex_unlock(&sys_lock);
	return r;
}

static int fake_write_attr(const char *dir, const char *attr, const char *value)
{
	int r;

	pthread_mutex_lock(&sys_lock);
	r = fake_write_attr_locked(dir, attr, value);
	pthread_mutex_unlock(&sys_lock);
	return r;
}

static int fake_read_bin(const char *dir, const char *attr, void *buf, size_t len)
{
	int r;

	pthread_mutex_lock(&sys_lock);
	r = fake_read_bin_locked(dir, attr, buf, len);
	pthread_mutex_unlock(&sys_lock);
	return r;
}

static int fake_resolve(const char *path, char *buf, size_t len)
{
	int r;

	pthread_mutex_lock(&sys_lock);
	r = fake_resolve_locked(path, buf, len);
	pthread_mutex_unlock(&sys_lock);
	return r;
}

static const struct mp_sysfs_ops fake_sysfs = {
	.read_attr = fake_read_attr,
	.write_attr = fake_write_attr,
	.read_bin = fake_read_bin,
	.resolve = fake_resolve,
};

/* ---- sgio ---- */

static struct sgdev *dev_get(const char *name)
{
	struct sgdev *d;

	for (d = devs; d; d = d->next)
		if (!strcmp(d->name, name))
			return d;
	d = calloc(1, sizeof(*d));
	d->name = strdup(name);
	d->next = devs;
	devs = d;
	return d;
}

static int cdb_key(const uint8_t *cdb)
{
	if (cdb[0] == 0x12)
		return (cdb[1] & 1) ? cdb[2] : FAKE_SG_STD;
	if (cdb[0] == 0xa3)
		return cdb[1] & 0x1f;
	return FAKE_SG_ANY;
}

static struct reply *reply_find(const char *dev, uint8_t opcode, int key, bool once)
{
	struct reply *r;

	for (r = replies; r; r = r->next)
		if (!strcmp(r->dev, dev) && r->opcode == opcode && r->key == key &&
		    (once ? r->once > 0 : !r->once))
			return r;
	return NULL;
}

static struct reply *reply_new(const char *dev, uint8_t opcode, int key, bool once)
{
	struct reply *r = once ? NULL : reply_find(dev, opcode, key, false);

	if (!r) {
		r = calloc(1, sizeof(*r));
		r->dev = strdup(dev);
		r->opcode = opcode;
		r->key = key;
		r->next = replies;
		replies = r;
	}
	return r;
}

void fake_sg_set(const char *dev, uint8_t opcode, int key, const struct fake_sg_reply *rep)
{
	reply_new(dev, opcode, key, false)->r = *rep;
}

void fake_sg_set_once(const char *dev, uint8_t opcode, int key,
		      const struct fake_sg_reply *first)
{
	struct reply *r = reply_new(dev, opcode, key, true);

	r->once = 1;
	r->r = *first;
}

void fake_sg_set_data(const char *dev, uint8_t opcode, int key, const void *data, size_t len)
{
	struct fake_sg_reply r = { 0 };

	if (len > sizeof(r.data))
		len = sizeof(r.data);
	memcpy(r.data, data, len);
	r.len = len;
	fake_sg_set(dev, opcode, key, &r);
}

void fake_sg_set_sense(const char *dev, uint8_t opcode, int key, uint8_t sk, uint8_t asc,
		       uint8_t ascq)
{
	struct fake_sg_reply r = { .status = 0x02, .sense_len = 18 };

	r.sense[0] = 0x70;
	r.sense[2] = sk;
	r.sense[7] = 10;
	r.sense[12] = asc;
	r.sense[13] = ascq;
	fake_sg_set(dev, opcode, key, &r);
}

void fake_sg_set_status(const char *dev, uint8_t opcode, int key, uint8_t status,
			uint16_t host_status)
{
	struct fake_sg_reply r = { .status = status, .host_status = host_status };

	fake_sg_set(dev, opcode, key, &r);
}

void fake_sg_hold(const char *dev, bool hold)
{
	dev_get(dev)->hold = hold;
}

static void signal_fd(struct openfd *o)
{
	uint64_t one = 1;

	o->done = true;
	if (write(o->own, &one, sizeof(one)) < 0)
		abort();
}

void fake_sg_release(const char *dev)
{
	struct openfd *o;

	for (o = fds; o; o = o->next)
		if (o->dev && !strcmp(o->dev->name, dev) && o->pending && !o->done)
			signal_fd(o);
}

int fake_sg_count(const char *dev, uint8_t opcode)
{
	return dev_get(dev)->counts[opcode];
}

int fake_sg_open_count(const char *dev)
{
	struct openfd *o;
	int n = 0;

	for (o = fds; o; o = o->next)
		if (o->dev && !strcmp(o->dev->name, dev))
			n++;
	return n;
}

const uint8_t *fake_sg_last_cdb(const char *dev)
{
	return dev_get(dev)->last_cdb;
}

static struct openfd *fd_find(int fd)
{
	struct openfd *o;

	for (o = fds; o; o = o->next)
		if (o->fd == fd)
			return o;
	return NULL;
}

/* Fill a command from the canned reply; returns -errno if unissuable. */
static int answer(struct sgdev *d, struct mp_sg_cmd *cmd)
{
	int key = cdb_key(cmd->cdb);
	struct reply *rp = reply_find(d->name, cmd->cdb[0], key, true);
	struct fake_sg_reply def = { 0 };
	const struct fake_sg_reply *r;
	size_t n;

	if (rp)
		rp->once = -1;          /* used up: matches neither kind again */
	else
		rp = reply_find(d->name, cmd->cdb[0], key, false);
	if (!rp && key != FAKE_SG_ANY)
		rp = reply_find(d->name, cmd->cdb[0], FAKE_SG_ANY, false);
	if (!rp && cmd->cdb[0] != 0x00 && cmd->cdb[0] != 0x28 && cmd->cdb[0] != 0x08) {
		def.status = 0x02;
		def.sense_len = 18;
		def.sense[0] = 0x70;
		def.sense[2] = 0x05;
		def.sense[12] = 0x20;
	}
	r = rp ? &rp->r : &def;
	if (r->err)
		return r->err;
	n = r->len < cmd->data_len ? r->len : cmd->data_len;
	if (cmd->data && n)
		memcpy(cmd->data, r->data, n);
	cmd->resid = cmd->data_len - (uint32_t)n;
	cmd->status = r->status;
	cmd->host_status = r->host_status;
	cmd->driver_status = 0;
	memcpy(cmd->sense, r->sense, sizeof(cmd->sense));
	cmd->sense_len = r->sense_len;
	return 0;
}

static void count(struct sgdev *d, const struct mp_sg_cmd *cmd)
{
	d->counts[cmd->cdb[0]]++;
	memset(d->last_cdb, 0, sizeof(d->last_cdb));
	memcpy(d->last_cdb, cmd->cdb, cmd->cdb_len < 16 ? cmd->cdb_len : 16);
}

static int fake_scsi_cmd(int fd, struct mp_sg_cmd *cmd)
{
	struct openfd *o = fd_find(fd);

	if (!o || !o->dev)
		return -EBADF;
	count(o->dev, cmd);
	if (o->dev->hold)
		return -ETIMEDOUT;
	return answer(o->dev, cmd);
}

static int fake_open_dev(const char *devname, int kind)
{
	struct openfd *o;
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	if (fd < 0)
		return -errno;
	o = calloc(1, sizeof(*o));
	o->fd = fd;
	o->own = fcntl(fd, F_DUPFD_CLOEXEC, 100);
	o->dev = dev_get(devname);
	o->next = fds;
	fds = o;
	return fd;
}

static int fake_sg_submit(int fd, struct mp_sg_cmd *cmd)
{
	struct openfd *o = fd_find(fd);

	if (!o || !o->dev)
		return -EBADF;
	if (o->pending)
		return -EBUSY;
	count(o->dev, cmd);
	o->pending = cmd;
	o->done = false;
	if (!o->dev->hold)
		signal_fd(o);
	return 0;
}

static int fake_sg_collect(int fd, struct mp_sg_cmd *cmd)
{
	struct openfd *o = fd_find(fd);
	uint64_t v;
	int r;

	if (!o || !o->dev)
		return -EBADF;
	if (!o->pending || !o->done)
		return -EAGAIN;
	if (read(o->own, &v, sizeof(v)) < 0)
		return -errno;
	r = answer(o->dev, o->pending);
	if (cmd != o->pending)
		*cmd = *o->pending;
	o->pending = NULL;
	o->done = false;
	return r;
}

void fake_nvme_set(const char *dev, uint8_t opcode, uint8_t sel, const void *data, size_t len)
{
	struct nvme_data *n = calloc(1, sizeof(*n));

	n->dev = strdup(dev);
	n->opcode = opcode;
	n->sel = sel;
	n->len = len < sizeof(n->data) ? len : sizeof(n->data);
	memcpy(n->data, data, n->len);
	n->next = nvmes;
	nvmes = n;
}

static int fake_nvme_admin(int fd, uint8_t opcode, uint32_t nsid, uint32_t cdw10,
			   uint32_t cdw11, void *data, uint32_t len, uint32_t timeout_ms)
{
	struct openfd *o = fd_find(fd);
	struct nvme_data *n;

	if (!o || !o->dev)
		return -EBADF;
	o->dev->counts[opcode]++;
	for (n = nvmes; n; n = n->next)
		if (!strcmp(n->dev, o->dev->name) && n->opcode == opcode &&
		    n->sel == (cdw10 & 0xff)) {
			memset(data, 0, len);
			memcpy(data, n->data, n->len < len ? n->len : len);
			return 0;
		}
	return -EIO;
}

static const struct mp_sgio_ops fake_sgio = {
	.scsi_cmd = fake_scsi_cmd,
	.nvme_admin = fake_nvme_admin,
	.open_dev = fake_open_dev,
	.sg_submit = fake_sg_submit,
	.sg_collect = fake_sg_collect,
};

static struct mp_backend fake_backend;

void fake_sys_install(void)
{
	const struct mp_backend *cur = mp_backend();

	if (cur != &fake_backend)
		fake_backend.dm = cur->dm;
	fake_backend.sysfs = &fake_sysfs;
	fake_backend.sgio = &fake_sgio;
	mp_backend_set(&fake_backend);
}

void fake_sys_reset(void)
{
	while (attrs) {
		struct attr *a = attrs;

		attrs = a->next;
		free(a->path);
		free(a->data);
		free(a);
	}
	while (replies) {
		struct reply *r = replies;

		replies = r->next;
		free(r->dev);
		free(r);
	}
	while (fds) {
		struct openfd *o = fds;

		fds = o->next;
		close(o->own);
		free(o);
	}
	while (devs) {
		struct sgdev *d = devs;

		devs = d->next;
		free(d->name);
		free(d);
	}
	while (nvmes) {
		struct nvme_data *n = nvmes;

		nvmes = n->next;
		free(n->dev);
		free(n);
	}
}
