// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Building struct mp_path_info from sysfs (through the backend, so tests
 * can fake the tree) plus udev properties when a caller has them.  SG_IO
 * is only a fallback, for attributes older kernels lack (vpd_pg83,
 * inquiry) and is skipped entirely with opts->no_io.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "backend/backend.h"
#include "discovery/internal.h"
#include "discovery/nvme.h"
#include "discovery/pathinfo.h"
#include "discovery/scsi.h"
#include "discovery/vpd.h"
#include "util/log.h"
#include "util/strpool.h"
#include "util/util.h"

#define WWID_MAX 256

struct pi_ctx {
	const struct mp_pathinfo_opts *o;
	const char *devname;
	char blk[PATH_MAX];     /* /sys/block/<dev> */
	char dev[PATH_MAX];     /* /sys/block/<dev>/device */
	char devpath[PATH_MAX]; /* resolved dev, "" if unknown */
	int fd;                 /* /dev/<dev> for SG_IO, opened lazily */
};

int pi_attr(const char *dir, const char *attr, char *buf, size_t len)
{
	return mp_backend()->sysfs->read_attr(dir, attr, buf, len);
}

char *pi_attr_dup(const char *dir, const char *attr)
{
	char buf[4096];

	if (pi_attr(dir, attr, buf, sizeof(buf)) <= 0)
		return NULL;
	return strdup(buf);
}

const char *pi_attr_intern(const char *dir, const char *attr)
{
	char buf[4096];

	if (pi_attr(dir, attr, buf, sizeof(buf)) <= 0)
		return NULL;
	return mp_str_intern(buf);
}

int pi_attr_int(const char *dir, const char *attr, int *ret)
{
	char buf[64];
	int r = pi_attr(dir, attr, buf, sizeof(buf));

	if (r < 0)
		return r;
	return parse_int(buf, ret);
}

int pi_resolve(const char *path, char *buf, size_t len)
{
	const struct mp_sysfs_ops *s = mp_backend()->sysfs;

	return s->resolve ? s->resolve(path, buf, len) : -ENOTSUP;
}

static int ctx_fd(struct pi_ctx *c)
{
	const struct mp_sgio_ops *g = mp_backend()->sgio;

	if (c->o->no_io)
		return -EPERM;
	if (c->fd < 0 && g->open_dev)
		c->fd = g->open_dev(c->devname, MP_OPEN_BLOCK);
	return c->fd;
}

/* VPD page: sysfs vpd_pgXX first, then SG_IO.  Bytes or -errno. */
static int read_vpd(struct pi_ctx *c, uint8_t page, uint8_t *buf, size_t len)
{
	const struct mp_sysfs_ops *s = mp_backend()->sysfs;
	char attr[16];
	int r = -ENOENT, fd;

	snprintf(attr, sizeof(attr), "vpd_pg%02x", page);
	if (s->read_bin)
		r = s->read_bin(c->dev, attr, buf, len);
	if (r >= 4 && buf[1] == page)
		return r;
	fd = ctx_fd(c);
	if (fd < 0)
		return fd;
	return mp_scsi_inquiry(fd, true, page, buf, (uint32_t)len,
			       c->o->timeout_ms);
}

static int read_std_inquiry(struct pi_ctx *c, uint8_t *buf, size_t len)
{
	const struct mp_sysfs_ops *s = mp_backend()->sysfs;
	int r = -ENOENT, fd;

	if (s->read_bin)
		r = s->read_bin(c->dev, "inquiry", buf, len);
	if (r >= 8)
		return r;
	fd = ctx_fd(c);
	if (fd < 0)
		return fd;
	return mp_scsi_inquiry(fd, false, 0, buf, (uint32_t)len, c->o->timeout_ms);
}

static int scsi_wwid(struct pi_ctx *c, char *buf, size_t len)
{
	uint8_t page[4096];
	char kw[512];
	int r;

	r = read_vpd(c, 0x83, page, sizeof(page));
	if (r > 0) {
		r = mp_vpd83_wwid(page, (size_t)r, buf, len);
		if (r > 0)
			return r;
	}
	if (pi_attr(c->dev, "wwid", kw, sizeof(kw)) > 0)
		return pi_wwid_from_kernel(kw, buf, len);
	return r < 0 ? r : -ENODATA;
}

static int sysfs_wwid(struct pi_ctx *c, enum mp_bus bus, char *buf, size_t len)
{
	int r;

	switch (bus) {
	case BUS_SCSI:
		return scsi_wwid(c, buf, len);
	case BUS_NVME:
		r = pi_attr(c->blk, "wwid", buf, len);
		return r == 0 ? -ENODATA : r;
	case BUS_DASD:
		r = pi_attr(c->dev, "uid", buf, len);
		return r == 0 ? -ENODATA : r;
	default:
		return -ENODATA;
	}
}

static enum mp_bus bus_of(const char *devname)
{
	if (str_startswith(devname, "sd"))
		return BUS_SCSI;
	if (str_startswith(devname, "nvme"))
		return BUS_NVME;
	if (str_startswith(devname, "dasd"))
		return BUS_DASD;
	if (str_startswith(devname, "cciss"))
		return BUS_CCISS;
	return BUS_UNDEF;
}

static void scsi_hctl(struct mp_path_info *pi, const char *devpath)
{
	const char *base = strrchr(devpath, '/');
	unsigned long long lun;
	int h, c, t;

	if (base && sscanf(base + 1, "%d:%d:%d:%llu", &h, &c, &t, &lun) == 4) {
		pi->host = h;
		pi->channel = c;
		pi->target = t;
		pi->lun = lun;
	}
}

static void scsi_alua(struct pi_ctx *c, struct mp_path_info *pi)
{
	char buf[64];
	uint8_t inq[96];
	int r, pref;

	if (pi_attr(c->dev, "access_state", buf, sizeof(buf)) > 0)
		pi->access_state = mp_access_state_from_string(buf);
	if (pi_attr_int(c->dev, "preferred_path", &pref) == 0)
		pi->preferred = pref != 0;
	r = read_std_inquiry(c, inq, sizeof(inq));
	if (r > 5)
		pi->tpgs = (inq[5] >> 4) & 0x3;
}

static void scsi_vpd(struct pi_ctx *c, struct mp_path_info *pi)
{
	uint8_t page[4096];
	char serial[256];
	int r;

	r = read_vpd(c, 0x80, page, sizeof(page));
	if (r > 0 && mp_vpd80_serial(page, (size_t)r, serial, sizeof(serial)) > 0)
		pi->serial = strdup(serial);
	if (!pi->tpgs)
		return;
	r = read_vpd(c, 0x83, page, sizeof(page));
	if (r > 0) {
		r = mp_vpd83_tpg(page, (size_t)r);
		if (r >= 0)
			pi->tpg_id = r;
	}
}

static void scsi_info(struct pi_ctx *c, struct mp_path_info *pi)
{
	char buf[64];

	pi->vendor = pi_attr_intern(c->dev, "vendor");
	pi->product = pi_attr_intern(c->dev, "model");
	pi->revision = pi_attr_intern(c->dev, "rev");
	if (pi_attr(c->dev, "state", buf, sizeof(buf)) > 0)
		pi->state = mp_sdev_state_from_string(buf);
	pi_attr_int(c->dev, "timeout", &pi->sysfs_timeout);
	if (*c->devpath)
		scsi_hctl(pi, c->devpath);
	pi_scsi_transport(pi, *c->devpath ? c->devpath : NULL);
	scsi_alua(c, pi);
	scsi_vpd(c, pi);
}

static enum mp_proto nvme_proto(const char *t)
{
	static const struct { const char *s; enum mp_proto p; } map[] = {
		{ "pcie", PROTO_NVME_PCIE }, { "rdma", PROTO_NVME_RDMA },
		{ "fc", PROTO_NVME_FC }, { "tcp", PROTO_NVME_TCP },
		{ "loop", PROTO_NVME_LOOP }, { "apple-nvme", PROTO_NVME_APPLE },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (!strcmp(t, map[i].s))
			return map[i].p;
	return PROTO_NVME_UNSPEC;
}

static void nvme_info(struct pi_ctx *c, struct mp_path_info *pi)
{
	char buf[256];
	int v;

	pi->vendor = mp_str_intern("NVME");
	pi->product = pi_attr_intern(c->dev, "model");
	pi->revision = pi_attr_intern(c->dev, "firmware_rev");
	pi->serial = pi_attr_dup(c->dev, "serial");
	pi->proto = PROTO_NVME_UNSPEC;
	if (pi_attr(c->dev, "transport", buf, sizeof(buf)) > 0)
		pi->proto = nvme_proto(buf);
	if (pi_attr(c->dev, "state", buf, sizeof(buf)) > 0)
		pi->state = !strcmp(buf, "live") ? SDEV_RUNNING :
			    !strcmp(buf, "deleting") || !strcmp(buf, "dead") ? SDEV_OFFLINE :
			    SDEV_BLOCKED;
	if (sscanf(c->devname, "nvme%d", &v) == 1)
		pi->host = v;
	if (pi_attr_int(c->dev, "cntlid", &v) == 0)
		pi->channel = v;
	if (sscanf(c->devname, "nvme%*dn%d", &v) == 1)
		pi->target = v;
	if (pi_attr_int(c->blk, "nsid", &v) == 0)
		pi->lun = (uint64_t)v;
	if (pi_attr(c->blk, "ana_state", buf, sizeof(buf)) > 0)
		pi->access_state = mp_access_state_from_string(buf);
	pi->host_wwnn = pi_attr_intern(c->dev, "hostnqn");
	pi->tgt_wwnn = pi_attr_intern(c->dev, "subsysnqn");
	pi->tgt_wwpn = pi_attr_intern(c->dev, "address");
	pi->sysfs_timeout = 30;
}

/* Transport names nobody could tell read "[undef]", as the incumbent prints them. */
static void undef_names(struct mp_path_info *pi)
{
	const char **names[] = { &pi->host_wwnn, &pi->host_wwpn, &pi->tgt_wwnn, &pi->tgt_wwpn };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!*names[i])
			*names[i] = mp_str_intern("[undef]");
}

/* ANA through admin commands: sysfs has it only with native multipath.
 * tpgs = 1 marks an ANA-capable path (what detect_prio looks at), tpg_id
 * is the namespace's ANA group. */
static void nvme_ana(struct pi_ctx *c, struct mp_path_info *pi)
{
	static const enum mp_access_state map[16] = {
		[MP_ANA_OPTIMIZED] = ACCESS_OPTIMIZED,
		[MP_ANA_NON_OPTIMIZED] = ACCESS_NON_OPTIMIZED,
		[MP_ANA_INACCESSIBLE] = ACCESS_UNAVAILABLE,
		[MP_ANA_PERSISTENT_LOSS] = ACCESS_OFFLINE,
		[MP_ANA_CHANGE] = ACCESS_TRANSITIONING,
	};
	int fd = ctx_fd(c), st;
	uint32_t grp;

	if (fd < 0 || mp_nvme_ana_capable(fd, c->o->timeout_ms) <= 0)
		return;
	pi->tpgs = 1;
	if (mp_nvme_ana_group(fd, pi->lun ? (uint32_t)pi->lun : 1, c->o->timeout_ms, &grp) < 0 ||
	    !grp)
		return;
	pi->tpg_id = (int)grp;
	st = mp_nvme_ana_state(fd, grp, c->o->timeout_ms);
	if (st >= 0 && pi->access_state == ACCESS_UNKNOWN)
		pi->access_state = map[st & 0xf];
}

static int basic_info(struct pi_ctx *c, struct mp_path_info *pi)
{
	char buf[64], sp[PATH_MAX];
	uint64_t size;
	int v;

	if (pi_attr(c->blk, "dev", buf, sizeof(buf)) <= 0 || parse_devt(buf, &pi->devt) < 0)
		return -ENODEV;
	pi->devname = strdup(c->devname);
	pi->syspath = strdup(pi_resolve(c->blk, sp, sizeof(sp)) == 0 ? sp : c->blk);
	if (pi_attr(c->blk, "size", buf, sizeof(buf)) > 0 && parse_uint64(buf, &size) == 0)
		pi->size = size;
	if (pi_attr_int(c->blk, "ro", &v) == 0)
		pi->ro = v != 0;
	if (pi_attr_int(c->blk, "queue/max_sectors_kb", &v) == 0)
		pi->max_sectors_kb = v;
	if (pi_resolve(c->dev, c->devpath, sizeof(c->devpath)) < 0)
		c->devpath[0] = '\0';
	return pi->devname && pi->syspath ? 0 : -ENOMEM;
}

static void find_wwid(struct pi_ctx *c, struct mp_path_info *pi)
{
	const struct mp_pathinfo_opts *o = c->o;
	char prop[128], buf[WWID_MAX];
	const char *name, *v = NULL;

	name = mp_uid_property(c->devname, o->uid_attrs, o->uid_attribute, prop, sizeof(prop));
	if (*name && o->getprop)
		v = o->getprop(name, o->ud);
	if (v && *v) {
		pi->wwid = strdup(v);
		strstrip_right(pi->wwid);
		return;
	}
	if (sysfs_wwid(c, pi->bus, buf, sizeof(buf)) > 0) {
		pi->wwid = strdup(buf);
		/* udev should have had it: it is still working on the device */
		if (*name && o->getprop)
			pi->partial = true;
	}
}

int mp_pathinfo_build(const char *devname, const struct mp_pathinfo_opts *opts,
		      struct mp_path_info **ret)
{
	static const struct mp_pathinfo_opts none;
	struct pi_ctx c = { .o = opts ? opts : &none, .devname = devname, .fd = -1 };
	struct mp_path_info *pi;
	int r;

	if (!devname || !*devname || strchr(devname, '/'))
		return -EINVAL;
	snprintf(c.blk, sizeof(c.blk), "/sys/block/%s", devname);
	snprintf(c.dev, sizeof(c.dev), "/sys/block/%s/device", devname);
	pi = calloc(1, sizeof(*pi));
	if (!pi)
		return -ENOMEM;
	pi->host = pi->channel = pi->target = -1;
	pi->tpg_id = -1;
	r = basic_info(&c, pi);
	if (r < 0)
		goto fail;
	pi->bus = bus_of(devname);
	if (pi->bus == BUS_SCSI)
		scsi_info(&c, pi);
	else if (pi->bus == BUS_NVME) {
		nvme_info(&c, pi);
		nvme_ana(&c, pi);
	}
	else if (pi->bus == BUS_CCISS)
		pi->proto = PROTO_CCISS;
	else if (pi->bus == BUS_DASD)
		pi->proto = PROTO_CCW;
	find_wwid(&c, pi);
	undef_names(pi);
	if (c.fd >= 0)
		close(c.fd);
	*ret = pi;
	return 0;
fail:
	if (c.fd >= 0)
		close(c.fd);
	mp_path_info_free(pi);
	return r;
}

int mp_pathinfo_from_sysfs(const char *devname, const char *uid_attribute,
			   mp_pi_getprop getprop, void *ud, struct mp_path_info **ret)
{
	struct mp_pathinfo_opts o = {
		.uid_attribute = uid_attribute,
		.getprop = getprop,
		.ud = ud,
	};

	return mp_pathinfo_build(devname, &o, ret);
}

int mp_wwid_from_sysfs(const char *devname, bool no_io, int timeout_ms, char *buf,
		       size_t len)
{
	struct mp_pathinfo_opts o = { .no_io = no_io, .timeout_ms = timeout_ms };
	struct pi_ctx c = { .o = &o, .devname = devname, .fd = -1 };
	int r;

	if (!devname || strchr(devname, '/'))
		return -EINVAL;
	snprintf(c.blk, sizeof(c.blk), "/sys/block/%s", devname);
	snprintf(c.dev, sizeof(c.dev), "/sys/block/%s/device", devname);
	r = sysfs_wwid(&c, bus_of(devname), buf, len);
	if (c.fd >= 0)
		close(c.fd);
	return r;
}

void mp_path_info_free(struct mp_path_info *pi)
{
	if (!pi)
		return;
	free(pi->devname);
	free(pi->syspath);
	/* tests, tools and the prio thread's copy hold private copies */
	mp_str_free(pi->vendor);
	mp_str_free(pi->product);
	mp_str_free(pi->revision);
	free(pi->wwid);
	free(pi->serial);
	mp_str_free(pi->host_wwnn);
	mp_str_free(pi->host_wwpn);
	mp_str_free(pi->tgt_wwnn);
	mp_str_free(pi->tgt_wwpn);
	mp_str_free(pi->host_adapter);
	free(pi);
}
