// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel-uevent fast path (event-loop thread only, so no locking).
 *
 * DESIGN
 * udev needs minutes to run its rules over a storm of new disks; the
 * kernel announces each disk at once.  A kernel `add` of a SCSI or NVMe
 * disk is turned into the event udev would send later: the WWID is read
 * from sysfs (vpd_pg83 / the NVMe `wwid` attribute, no SG_IO) and put
 * under the property the daemon takes WWIDs from, so the ordinary
 * add-path work runs unchanged and the map exists before udev is done.
 *
 * Only what provably equals udev's answer is fed; everything else is left
 * to the udev event ("deferred"):
 *  - SCSI: an NAA ('3…') or EUI-64 ('2…') LUN designator, which scsi_id
 *    prints the same way; not ATA (ata_id names it) nor USB (usb_id);
 *  - NVMe namespaces nvmeXnY: udev copies the `wwid` attribute to ID_WWN;
 *  - the WWID property must be the bus default (ID_SERIAL / ID_WWN), or
 *    empty (the daemon reads sysfs itself);
 *  - the blacklist `property` criterion must already be decided by the
 *    properties udev certainly exports (ID_WWN for NAA and NVMe, the WWID
 *    property, the kernel's own keys): no `blacklist { property }` rule and
 *    an exception matching one of those (or no property rules at all).
 *    With more properties udev can then only add exception matches.
 * devnode, vendor/product, protocol and WWID rules run later on the cfg
 * worker as for any add.
 *
 * Per device (dev_t) we keep the newest kernel add/remove sequence number
 * and the WWID a kernel add was fed with.  A udev event older than the
 * newest kernel add/remove describes a device that is gone: dropped.  The
 * udev add of a fed device is dropped when it says the same (WWID and no
 * property blacklisting), turned into a remove when its properties are
 * blacklisted, and into a change keyed by the fed WWID when the WWID
 * differs (the path moves).  A kernel remove is routed like a udev remove
 * (the path is failed at once); the later udev remove finds nothing left.
 * The kernel socket is drained before each udev burst, so a kernel event
 * is seen before the udev event derived from it; lost kernel events
 * (socket overrun) only cost the speed-up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "discovery/pathinfo.h"
#include "kevent.h"
#include "util/log.h"
#include "util/util.h"

#define KEV_BUCKETS 1024
#define KEV_WWID_MAX 256

struct kev_dev {
	struct kev_dev *next;
	dev_t devt;
	uint64_t kseq;                  /* newest kernel add/remove */
	uint64_t useq;                  /* newest udev event */
	enum mp_uev_action kact;
	char *wwid;                     /* a fed kernel add not confirmed yet */
};

struct mpd_kev {
	struct mpd *d;
	struct kev_dev *bucket[KEV_BUCKETS];
};

int mpd_kev_new(struct mpd *d, struct mpd_kev **ret)
{
	struct mpd_kev *k = calloc(1, sizeof(*k));

	if (!k)
		return -ENOMEM;
	k->d = d;
	*ret = k;
	return 0;
}

void mpd_kev_free(struct mpd_kev *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < KEV_BUCKETS; i++)
		while (k->bucket[i]) {
			struct kev_dev *e = k->bucket[i];

			k->bucket[i] = e->next;
			free(e->wwid);
			free(e);
		}
	free(k);
}

static struct kev_dev **slot(struct mpd_kev *k, dev_t devt)
{
	return &k->bucket[(devt ^ (devt >> 20)) % KEV_BUCKETS];
}

static struct kev_dev *dev_find(struct mpd_kev *k, dev_t devt)
{
	for (struct kev_dev *e = *slot(k, devt); e; e = e->next)
		if (e->devt == devt)
			return e;
	return NULL;
}

static struct kev_dev *dev_get(struct mpd_kev *k, dev_t devt)
{
	struct kev_dev *e = dev_find(k, devt);
	struct kev_dev **s;

	if (e)
		return e;
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	s = slot(k, devt);
	e->devt = devt;
	e->next = *s;
	*s = e;
	return e;
}

/*---- what the kernel event can tell ----*/

static bool is_path_name(const char *n, enum mp_bus *bus)
{
	int a, b, len = 0;

	if (str_startswith(n, "sd") && n[2] && strspn(n + 2, "abcdefghijklmnopqrstuvwxyz") ==
	    strlen(n + 2)) {
		*bus = BUS_SCSI;
		return true;
	}
	/* nvmeXnY only: nvmeXcYnZ are the hidden per-controller paths of
	 * native NVMe multipath */
	if (sscanf(n, "nvme%dn%d%n", &a, &b, &len) == 2 && len > 0 && !n[len]) {
		*bus = BUS_NVME;
		return true;
	}
	return false;
}

/* Devices whose ID_SERIAL udev takes from elsewhere than VPD 0x83. */
static bool scsi_named_elsewhere(const struct mp_uevent *u)
{
	char dir[128], vendor[64];

	if (u->syspath && strstr(u->syspath, "/usb"))
		return true;
	snprintf(dir, sizeof(dir), "/sys/block/%s/device", u->devname);
	return mp_backend()->sysfs->read_attr(dir, "vendor", vendor, sizeof(vendor)) > 0 &&
	       strncmp(vendor, "ATA", 3) == 0;
}

/*
 * Does scsi_id pick the same LUN designator as mp_vpd83_wwid()?  Both take
 * an IEEE-registered NAA (type 5/6) first, then NAA, then EUI-64, but
 * scsi_id takes the first of several "other" NAAs or EUI-64s in page
 * order where we rank them, and it ignores designators in ASCII code set
 * or the SCSI name string ("naa.…") we also read.  Sure only when there is
 * no choice to make.
 */
static bool vpd83_unambiguous(const uint8_t *p, size_t len)
{
	size_t off = 4, end = len < 4 ? 0 : MP_MIN(len, 4 + (size_t)((p[2] << 8) | p[3]));
	int n_reg = 0, n_naa = 0, n_eui = 0;

	for (; off + 4 <= end && off + 4 + p[off + 3] <= end; off += 4 + p[off + 3]) {
		const uint8_t *g = p + off;

		if ((g[0] & 0xf) != 1 || (g[1] & 0x30) != 0)   /* binary, LUN */
			continue;
		if ((g[1] & 0xf) == 3) {
			n_naa++;
			n_reg += g[3] && ((g[4] >> 4) == 5 || (g[4] >> 4) == 6);
		} else if ((g[1] & 0xf) == 2) {
			n_eui++;
		}
	}
	return n_reg == 1 || (!n_reg && n_naa == 1) || (!n_naa && n_eui == 1);
}

static bool scsi_id_agrees(const char *devname)
{
	uint8_t page[4096];
	char dir[128];
	int r = -ENOTSUP;

	snprintf(dir, sizeof(dir), "/sys/block/%s/device", devname);
	if (mp_backend()->sysfs->read_bin)
		r = mp_backend()->sysfs->read_bin(dir, "vpd_pg83", page, sizeof(page));
	return r >= 4 && page[1] == 0x83 && vpd83_unambiguous(page, (size_t)r);
}

/* The WWID udev will report, or -EAGAIN.  *wwn: udev will set ID_WWN. */
static int kernel_wwid(const struct mp_uevent *u, enum mp_bus bus, char *buf, size_t len,
		       bool *wwn)
{
	int r;

	if (bus == BUS_SCSI && (scsi_named_elsewhere(u) || !scsi_id_agrees(u->devname)))
		return -EAGAIN;
	r = mp_wwid_from_sysfs(u->devname, true, 0, buf, len);
	if (r <= 0)
		return -EAGAIN;
	strstrip_right(buf);
	*wwn = bus == BUS_NVME || buf[0] == '3';
	if (bus == BUS_SCSI && buf[0] != '3' && buf[0] != '2')
		return -EAGAIN;
	return *buf ? 0 : -EAGAIN;
}

static const char *uid_prop(const char *devname, enum mp_bus bus, char *buf, size_t len)
{
	const char *p = mpd_uid_prop(devname, buf, len);

	if (!*p || !strcmp(p, bus == BUS_NVME ? "ID_WWN" : "ID_SERIAL"))
		return p;
	return NULL;
}

/* NULL-terminated names of u's properties (pointers into one buffer). */
static const char **env_names(const struct mp_uevent *u, size_t *ret_n, char **ret_buf)
{
	const char **names = calloc(u->n_env + 1, sizeof(*names));
	size_t total = 0, n = 0;
	char *buf, *o;

	for (size_t i = 0; i < u->n_env; i++)
		total += strlen(u->env[i]) + 1;
	buf = o = malloc(total + 1);
	if (!names || !buf) {
		free(names);
		free(buf);
		return NULL;
	}
	for (size_t i = 0; i < u->n_env; i++) {
		size_t l = strcspn(u->env[i], "=");

		memcpy(o, u->env[i], l);
		o[l] = '\0';
		names[n++] = o;
		o += l + 1;
	}
	*ret_n = n;
	*ret_buf = buf;
	return names;
}

/* 1: blacklisted by property, 0: not, -errno.  `prop`: the WWID property
 * ("" none), for the "missing property" rule. */
static int props_blacklisted(const struct mp_uevent *u, const char *prop, const char **reason)
{
	char *buf = NULL;
	size_t n = 0;
	const char **names = env_names(u, &n, &buf);
	int r;

	if (!names)
		return -ENOMEM;
	rcu_read_lock();
	r = mp_config_blacklisted_props(mpd_config(), names, n, prop, reason);
	rcu_read_unlock();
	free(names);
	free(buf);
	return r;
}

/* Can the property criterion be decided from what udev will surely
 * export (see the design note)?  Accepted: true. */
static bool props_decided(const struct mp_uevent *u, const char *prop)
{
	const char *reason = NULL;
	size_t n_bl, n_exc;

	rcu_read_lock();
	n_bl = mp_config_n_property_rules(mpd_config(), false);
	n_exc = mp_config_n_property_rules(mpd_config(), true);
	rcu_read_unlock();
	if (n_bl)
		return false;
	if (!n_exc)
		return true;
	/* with the WWID property among the names, 0 means an exception matched */
	return *prop && props_blacklisted(u, prop, &reason) == 0;
}

/* u plus the properties udev will add: the WWID and, if udev sets it, ID_WWN. */
static struct mp_uevent *with_props(struct mp_uevent *u, const char *prop, const char *wwid,
				    bool wwn)
{
	const char **env = calloc(u->n_env + 3, sizeof(*env));
	char *kv_uid = NULL, *kv_wwn = NULL;
	struct mp_uevent *nu = NULL;
	size_t n = 0;

	if (!env)
		return NULL;
	for (size_t i = 0; i < u->n_env; i++)
		env[n++] = u->env[i];
	if (*prop && asprintf(&kv_uid, "%s=%s", prop, wwid) >= 0)
		env[n++] = kv_uid;
	/* scsi_id: ID_WWN is "0x" and the first 16 digits of the NAA name */
	if (wwn && strcmp(prop, "ID_WWN") != 0 &&
	    asprintf(&kv_wwn, "ID_WWN=0x%.16s", wwid + 1) >= 0)
		env[n++] = kv_wwn;
	if (!*prop || kv_uid)
		nu = mp_uevent_new(u->action, u->devname, u->devt, u->syspath, env);
	if (nu) {
		nu->seqnum = u->seqnum;
		nu->t_recv = u->t_recv;
	}
	free(kv_uid);
	free(kv_wwn);
	free(env);
	return nu;
}

/* The kernel add as a path add, or NULL when udev must decide. */
static struct mp_uevent *kernel_add_event(struct mp_uevent *u, enum mp_bus bus)
{
	char wwid[KEV_WWID_MAX], pbuf[64];
	struct mp_uevent *nu;
	const char *prop;
	bool wwn = false;

	prop = uid_prop(u->devname, bus, pbuf, sizeof(pbuf));
	if (!prop || kernel_wwid(u, bus, wwid, sizeof(wwid), &wwn) < 0)
		return NULL;
	nu = with_props(u, prop, wwid, wwn);
	if (!nu)
		return NULL;
	if (!props_decided(nu, prop)) {
		mp_uevent_free(nu);
		return NULL;
	}
	nu->wwid = strdup(wwid);
	if (!nu->wwid) {
		mp_uevent_free(nu);
		return NULL;
	}
	return nu;
}

static void kernel_add(struct mpd_kev *k, struct kev_dev *e, struct mp_uevent *u,
		       enum mp_bus bus)
{
	struct mp_uevent *nu = kernel_add_event(u, bus);

	free(e->wwid);
	e->wwid = NULL;
	if (!nu) {
		log_debug("%s: kernel add left to udev", u->devname);
		mpd_inc(&k->d->priv->cnt.kev_deferred);
		mp_uevent_free(u);
		return;
	}
	mp_uevent_free(u);
	e->wwid = strdup(nu->wwid);
	log_debug("%s: kernel add, WWID %s", nu->devname, nu->wwid);
	mpd_inc(&k->d->priv->cnt.kev_fed);
	mpd_handle_uevent(k->d, nu);
}

void mpd_kev_kernel(struct mpd_kev *k, struct mp_uevent *u)
{
	struct kev_dev *e;
	enum mp_bus bus;

	mpd_inc(&k->d->priv->cnt.kev_received);
	if (u->is_dm || (u->action != UEV_ADD && u->action != UEV_REMOVE) ||
	    !is_path_name(u->devname, &bus) || !(e = dev_get(k, u->devt))) {
		mp_uevent_free(u);
		return;
	}
	/* udev already told us about this one (or a later one) */
	if (u->seqnum && (u->seqnum <= e->kseq || u->seqnum <= e->useq)) {
		mp_uevent_free(u);
		return;
	}
	e->kseq = u->seqnum;
	e->kact = u->action;
	if (u->action == UEV_ADD) {
		kernel_add(k, e, u, bus);
		return;
	}
	/* remove: the same key as the add we fed, so it runs after it */
	if (e->wwid && !u->wwid)
		u->wwid = TAKE_PTR(e->wwid);
	free(e->wwid);
	e->wwid = NULL;
	mpd_handle_uevent(k->d, u);
}

/*---- the udev event of a device the kernel told us about ----*/

static void queue_leave(struct mpd_kev *k, const struct mp_uevent *u, const char *wwid)
{
	struct mpd_work *w = mpd_work_new(W_PATH_REMOVE, wwid);

	if (!w)
		return;
	w->devt = u->devt;
	w->t_queued = u->t_recv;
	mpd_push_cfg(k->d, w);
}

/* Did the fed kernel add join (its work can fail, e.g. a device gone)? */
static bool joined_as(struct mpd *d, dev_t devt, const char *wwid)
{
	const struct mp_path_info *pi;
	struct mp_path *p;
	bool yes = false;

	rcu_read_lock();
	p = mp_topo_find_path(&d->topo, devt);
	if (p) {
		mp_tsan_acquire(p);
		pi = mpd_load(&p->info);
		yes = pi && pi->wwid && !strcmp(pi->wwid, wwid);
	}
	rcu_read_unlock();
	return yes;
}

/* The udev add of a device fed from its kernel add. */
static void confirm_add(struct mpd_kev *k, struct kev_dev *e, struct mp_uevent *u)
{
	char pbuf[64], *wwid = TAKE_PTR(e->wwid);
	const char *prop, *v, *reason = NULL;

	prop = mpd_uid_prop(u->devname, pbuf, sizeof(pbuf));
	v = *prop ? mp_uevent_get_prop(prop, u) : NULL;
	if (props_blacklisted(u, prop, &reason) > 0) {
		log_info("%s: %s (udev), leaves %s", u->devname, reason, wwid);
		queue_leave(k, u, wwid);
		mp_uevent_free(u);
	} else if ((!v || !*v || !strcmp(v, wwid)) && joined_as(k->d, u->devt, wwid)) {
		/* what a udev add without the WWID property gets is the
		 * same sysfs WWID: nothing to do either */
		mpd_inc(&k->d->priv->cnt.kev_merged);
		mp_uevent_free(u);
	} else if (!v || !*v || !strcmp(v, wwid)) {
		/* the kernel add has not joined (yet): an ordinary add, in
		 * the same key's order */
		mpd_handle_uevent(k->d, u);
	} else {
		log_notice("%s: udev WWID %s differs from the kernel's %s", u->devname, v, wwid);
		u->action = UEV_CHANGE;
		free(u->wwid);
		u->wwid = TAKE_PTR(wwid);
		mpd_handle_uevent(k->d, u);
	}
	free(wwid);
}

void mpd_kev_udev(struct mpd_kev *k, struct mp_uevent *u)
{
	enum mp_bus bus;
	/* remembered even without a kernel event: a kernel event read after
	 * the udev event made from it must not count as new */
	struct kev_dev *e = u->is_dm || !is_path_name(u->devname, &bus) ? NULL
			    : dev_get(k, u->devt);

	if (!e || !u->seqnum) {
		mpd_handle_uevent(k->d, u);
		return;
	}
	if (u->seqnum < e->kseq) {
		log_debug("%s: udev %s #%llu older than kernel %s #%llu, dropped", u->devname,
			  mp_uev_action_to_string(u->action), (unsigned long long)u->seqnum,
			  mp_uev_action_to_string(e->kact), (unsigned long long)e->kseq);
		mpd_inc(&k->d->priv->cnt.uev_stale);
		mp_uevent_free(u);
		return;
	}
	if (u->seqnum > e->useq)
		e->useq = u->seqnum;
	if (u->action == UEV_ADD && e->wwid && u->seqnum == e->kseq) {
		confirm_add(k, e, u);
		return;
	}
	mpd_handle_uevent(k->d, u);
}
