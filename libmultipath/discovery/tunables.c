// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writing the per-path sysfs tunables (see tunables.h for which attribute
 * each protocol has).  The transport object of a path is found from the
 * components of its resolved sysfs path (rport-*, session*, end_device-*),
 * the same facts discovery used to tell the protocol.
 *
 * Logging: unlike the rest of the library, a failed write is logged at
 * warning level here, because the log is the only place the administrator
 * learns that a configured timeout is not in effect (the callers go on).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "backend/backend.h"
#include "config/config.h"
#include "discovery/tunables.h"
#include "util/log.h"
#include "util/util.h"

void mp_tunables_compute(const struct mp_settings *s, int polling_interval,
			 struct mp_tunables *ret)
{
	struct mp_tunables t = {
		.dev_loss = s->dev_loss_tmo, .fast_io_fail = s->fast_io_fail_tmo,
		.eh_deadline = s->eh_deadline, .max_sectors_kb = s->max_sectors_kb,
	};
	long long floor = 0;

	/* With fast_io_fail the paths' I/O fails early and the map queues;
	 * a path device removed by dev_loss before queueing ends could not
	 * come back into the map, so dev_loss must cover the queueing time. */
	if (t.fast_io_fail >= 0) {
		if (s->no_path_retry == NPR_QUEUE)
			floor = MP_DEV_LOSS_INFINITY;
		else if (s->no_path_retry == NPR_RETRY)
			floor = (long long)s->no_path_retry_count * MP_MAX(polling_interval, 1);
		floor = MP_MIN(floor, (long long)MP_DEV_LOSS_INFINITY);
	}
	if (t.dev_loss != MP_UNSET && t.dev_loss < floor)
		t.dev_loss = (int)floor;
	else if (t.dev_loss == MP_UNSET)
		t.dev_loss_min = (int)floor;
	/* the kernel refuses fast_io_fail_tmo >= dev_loss_tmo */
	if (t.fast_io_fail >= 0 && t.dev_loss != MP_UNSET && t.fast_io_fail >= t.dev_loss)
		t.fast_io_fail = MP_TMO_OFF;
	*ret = t;
}

/*---- attribute helpers ----*/

/* Seconds or "off" as the kernel prints them; MP_TMO_OFF for "off". */
static int read_tmo(const char *dir, const char *attr, int *ret)
{
	char buf[64];
	long long v;
	int r;

	r = mp_backend()->sysfs->read_attr(dir, attr, buf, sizeof(buf));
	if (r < 0)
		return r;
	if (!strcmp(buf, "off")) {
		*ret = MP_TMO_OFF;
		return 0;
	}
	if (sscanf(buf, "%lld", &v) != 1)
		return -EINVAL;
	/* FC may report dev_loss_tmo above INT_MAX: that is "infinity" too */
	*ret = v > MP_DEV_LOSS_INFINITY ? MP_DEV_LOSS_INFINITY : v < 0 ? MP_TMO_OFF : (int)v;
	return 0;
}

static void tmo_text(int v, char *buf, size_t len)
{
	if (v == MP_TMO_OFF)
		snprintf(buf, len, "off");
	else
		snprintf(buf, len, "%d", v);
}

/* Write `want` unless `dir/attr` already has it: 1 written, 0 nothing to
 * do, -errno (logged) when the read or the write failed.  A write failing
 * with `expected` (an attribute some kernels keep read-only) is logged at
 * debug level only. */
static int set_tmo_or(const char *dev, const char *dir, const char *attr, int want,
		      int expected)
{
	char text[32];
	int cur, r;

	r = read_tmo(dir, attr, &cur);
	if (r < 0) {
		log_warn("%s: cannot read %s/%s: %s", dev, dir, attr, strerror(-r));
		return r;
	}
	if (cur == want)
		return 0;
	tmo_text(want, text, sizeof(text));
	r = mp_backend()->sysfs->write_attr(dir, attr, text);
	if (r < 0 && r == expected)
		log_debug("%s: %s/%s is read-only here, %s not applied", dev, dir, attr, text);
	else if (r < 0)
		log_warn("%s: cannot set %s/%s to %s: %s", dev, dir, attr, text, strerror(-r));
	if (r < 0)
		return r;
	log_debug("%s: %s/%s %d -> %s", dev, dir, attr, cur, text);
	return 1;
}

static int set_tmo(const char *dev, const char *dir, const char *attr, int want)
{
	return set_tmo_or(dev, dir, attr, want, 0);
}

static void count(int r, int *written)
{
	if (r > 0)
		(*written)++;
}

/* /sys/class/<cls>/<component of syspath starting with prefix> */
static int class_dir(const struct mp_path_info *pi, const char *cls, const char *prefix,
		     char *buf, size_t len)
{
	char pat[64];
	const char *p;
	size_t n;

	if (!pi->syspath)
		return -ENOENT;
	snprintf(pat, sizeof(pat), "/%s", prefix);
	p = strstr(pi->syspath, pat);
	if (!p)
		return -ENOENT;
	p++;
	n = strcspn(p, "/");
	if ((size_t)snprintf(buf, len, "/sys/class/%s/%.*s", cls, (int)n, p) >= len)
		return -ENAMETOOLONG;
	return 0;
}

/*---- per protocol ----*/

/* The values fc_apply() ends with: the unset ones keep the kernel's, a
 * dev_loss floor is honoured, and the kernel's two rules hold. */
static void fc_targets(const struct mp_path_info *pi, const struct mp_tunables *t, int cur_dl,
		       int cur_fio, int *ret_dl, int *ret_fio)
{
	int dl = t->dev_loss, fio = t->fast_io_fail == MP_UNSET ? cur_fio : t->fast_io_fail;

	if (dl == MP_UNSET && cur_dl < t->dev_loss_min)
		dl = t->dev_loss_min;
	if (fio >= 0 && fio >= (dl == MP_UNSET ? cur_dl : dl)) {
		log_warn("%s: fast_io_fail_tmo %d is not below dev_loss_tmo, turning it off",
			 pi->devname, fio);
		fio = MP_TMO_OFF;
	}
	if (fio == MP_TMO_OFF && dl > MP_DEV_LOSS_MAX_NO_FIO) {
		log_warn("%s: dev_loss_tmo %d needs fast_io_fail_tmo, using %d", pi->devname, dl,
			 MP_DEV_LOSS_MAX_NO_FIO);
		dl = MP_DEV_LOSS_MAX_NO_FIO;
	}
	*ret_dl = dl;
	*ret_fio = fio;
}

/* The rport checks each write against the other value: fast_io_fail_tmo
 * must stay below dev_loss_tmo, and dev_loss_tmo above 600 s needs
 * fast_io_fail_tmo on.  So: raise dev_loss first (to 600 at most while
 * fast_io_fail is still off), then fast_io_fail, then dev_loss's final
 * value (a lowered one comes after fast_io_fail went below it). */
static int fc_apply(const struct mp_path_info *pi, const struct mp_tunables *t)
{
	int dl, fio, pre, cur_dl, cur_fio, w = 0;
	char dir[PATH_MAX];

	if (t->dev_loss == MP_UNSET && t->fast_io_fail == MP_UNSET && t->dev_loss_min <= 0)
		return 0;
	if (class_dir(pi, "fc_remote_ports", "rport-", dir, sizeof(dir)) < 0) {
		log_debug("%s: no FC remote port in %s", pi->devname, pi->syspath);
		return 0;
	}
	if (read_tmo(dir, "dev_loss_tmo", &cur_dl) < 0 ||
	    read_tmo(dir, "fast_io_fail_tmo", &cur_fio) < 0) {
		log_warn("%s: cannot read the timeouts of %s", pi->devname, dir);
		return 0;
	}
	fc_targets(pi, t, cur_dl, cur_fio, &dl, &fio);
	pre = cur_fio == MP_TMO_OFF ? MP_MIN(dl, MP_DEV_LOSS_MAX_NO_FIO) : dl;
	if (dl != MP_UNSET && pre > cur_dl)
		count(set_tmo(pi->devname, dir, "dev_loss_tmo", pre), &w);
	if (fio != cur_fio)
		count(set_tmo(pi->devname, dir, "fast_io_fail_tmo", fio), &w);
	if (dl != MP_UNSET)
		count(set_tmo(pi->devname, dir, "dev_loss_tmo", dl), &w);
	return w;
}

/* iSCSI has no dev_loss: the session's recovery_tmo is what fails I/O on a
 * broken connection, the fast_io_fail_tmo of this transport. */
static int iscsi_apply(const struct mp_path_info *pi, const struct mp_tunables *t)
{
	char dir[PATH_MAX];

	if (t->fast_io_fail == MP_UNSET)
		return 0;
	if (t->fast_io_fail == MP_TMO_OFF) {
		log_debug("%s: iSCSI recovery_tmo cannot be turned off, left alone", pi->devname);
		return 0;
	}
	if (class_dir(pi, "iscsi_session", "session", dir, sizeof(dir)) < 0) {
		log_debug("%s: no iSCSI session in %s", pi->devname, pi->syspath);
		return 0;
	}
	return set_tmo(pi->devname, dir, "recovery_tmo", t->fast_io_fail) > 0;
}

/* SAS: the end device's I_T nexus loss time plays dev_loss's part.  The
 * SAS transport class of mainline kernels exports it read-only (opening it
 * for writing gives EACCES): that is expected, not worth a warning on
 * every join, since built-in device entries set dev_loss_tmo too. */
static int sas_apply(const struct mp_path_info *pi, const struct mp_tunables *t)
{
	char dir[PATH_MAX];

	if (t->dev_loss == MP_UNSET)
		return 0;
	if (class_dir(pi, "sas_end_device", "end_device-", dir, sizeof(dir)) < 0) {
		log_debug("%s: no SAS end device in %s", pi->devname, pi->syspath);
		return 0;
	}
	return set_tmo_or(pi->devname, dir, "I_T_nexus_loss_timeout", t->dev_loss, -EACCES) > 0;
}

static int host_apply(const struct mp_path_info *pi, const struct mp_tunables *t)
{
	char dir[64];

	if (t->eh_deadline == MP_UNSET || pi->host < 0)
		return 0;
	snprintf(dir, sizeof(dir), "/sys/class/scsi_host/host%d", pi->host);
	return set_tmo(pi->devname, dir, "eh_deadline", t->eh_deadline) > 0;
}

static int queue_apply(const struct mp_path_info *pi, const struct mp_tunables *t)
{
	char dir[PATH_MAX];

	if (t->max_sectors_kb == MP_UNSET || !pi->devname)
		return 0;
	snprintf(dir, sizeof(dir), "/sys/block/%s/queue", pi->devname);
	return set_tmo(pi->devname, dir, "max_sectors_kb", t->max_sectors_kb) > 0;
}

static int transport_apply(const struct mp_path_info *pi, const struct mp_tunables *t)
{
	switch (pi->proto) {
	case PROTO_SCSI_FCP:
		return fc_apply(pi, t);
	case PROTO_SCSI_ISCSI:
		return iscsi_apply(pi, t);
	case PROTO_SCSI_SAS:
		return sas_apply(pi, t);
	default:
		return 0;
	}
}

int mp_tunables_apply(const struct mp_path_info *pi, const struct mp_tunables *t)
{
	int w = queue_apply(pi, t);

	if (pi->bus != BUS_SCSI)
		return w;
	return w + transport_apply(pi, t) + host_apply(pi, t);
}

int mp_tunables_resolve(const struct mp_config *c, const struct mp_path_info *pi,
			const char *wwid, struct mp_tunables *ret)
{
	struct mp_settings *s = NULL;
	int r;

	r = mp_config_resolve(c, pi, wwid, &s);
	if (r < 0) {
		log_warn("%s: no settings, tunables left alone: %s", pi->devname, strerror(-r));
		return r;
	}
	mp_tunables_compute(s, mp_config_globals(c)->polling_interval, ret);
	mp_settings_free(s);
	return 0;
}

int mp_tunables_apply_config(const struct mp_config *c, const struct mp_path_info *pi,
			     const char *wwid)
{
	struct mp_tunables t;
	int r = mp_tunables_resolve(c, pi, wwid, &t);

	return r < 0 ? r : mp_tunables_apply(pi, &t);
}
