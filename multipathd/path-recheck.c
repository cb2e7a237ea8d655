// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Two checks on a path's verdict before the shaky-path rules see it.
 *
 * recheck_wwid: a path that comes back (verdict usable, the map holds it
 * failed or down) may be a different logical unit behind the same device
 * — the array remapped the LUN number while the path was down.  Its WWID
 * is read again from sysfs (vpd_pg83 / the device's wwid / NVMe wwid, the
 * kernel's copy: no I/O, as the kernel-event fast path does) and compared
 * with its map's.  The sysfs form is not always the one udev gives
 * (uid_attribute, T10 or ATA names), so a comparison counts only when
 * the two agreed while the path was healthy, or — never seen healthy —
 * when they have the same length and designator type.  A changed WWID is
 * never reinstated: a change item carrying the new WWID goes to the cfg
 * queue under the old map's key, and core-path.c's WWID-change handling
 * does the rest (the path leaves the old map in that batch's one reload
 * and joins, or creates, the map of its new WWID).
 *
 * purge_disconnected: a SCSI logical unit the array removed answers TUR
 * with ILLEGAL REQUEST 25/00 (PATH_DISCONNECTED).  The path is failed as
 * for any down verdict, and one W_PATH_PURGE per path goes to the cfg
 * queue under "@purge": a cfg worker, holding no lock, writes "1" to the
 * device's `delete` attribute (it blocks while the kernel tears the
 * device down); the remove uevent that follows removes the path as usual.
 * The worker first checks the disk's `diskseq` (unique per disk the
 * kernel makes; the `dev` number on kernels without it) against the one
 * read when the verdict came, so a name the kernel gave to a new disk
 * meanwhile is left alone.
 *
 * Both run in the checker thread (mpd_health_filter), except the purge.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "backend/backend.h"
#include "core.h"
#include "discovery/pathinfo.h"
#include "health-internal.h"
#include "util/log.h"
#include "util/util.h"

#define RECHECK_WWID_MAX 256

/*---- recheck_wwid ----*/

static int sysfs_wwid(const struct mp_path_info *pi, char *buf, size_t len)
{
	int r = mp_wwid_from_sysfs(pi->devname, true, 0, buf, len);

	if (r <= 0)
		return r < 0 ? r : -ENODATA;
	strstrip_right(buf);
	return *buf ? 0 : -ENODATA;
}

/* Could `now` (sysfs form) be `key` (the map's, udev form) of the same
 * kind?  Used only while comparability was never learned. */
static bool same_form(const char *now, const char *key)
{
	return strlen(now) == strlen(key) && now[0] == key[0];
}

/* A change event as udev would send it after re-reading the device: its
 * stored properties with the WWID property replaced (ours comes first, so
 * mp_uevent_get_prop finds it). */
static struct mp_uevent *moved_event(const struct mp_path *p, const struct mp_path_info *pi,
				     const char *wwid)
{
	char prop[128], kv[RECHECK_WWID_MAX + 160];
	const char *env[] = { "DEVTYPE=disk", NULL, NULL };
	struct mp_uevent *u;

	mpd_uid_prop(pi->devname, prop, sizeof(prop));
	if (*prop) {
		snprintf(kv, sizeof(kv), "%s=%s", prop, wwid);
		env[1] = kv;
	}
	u = mp_uevent_new(UEV_CHANGE, pi->devname, p->devt, pi->syspath, env);
	if (!u)
		return NULL;
	mp_uevent_load_udev_db(u);      /* no database entry: fine */
	u->wwid = strdup(wwid);
	return u;
}

static void queue_moved(struct mpd *d, struct mp_path *p, const struct mp_path_info *pi,
			const char *key, const char *wwid)
{
	struct mp_uevent *u = moved_event(p, pi, wwid);
	struct mpd_work *w = u ? mpd_work_new(W_PATH_CHANGE, key) : NULL;

	if (!w) {
		mp_uevent_free(u);
		log_err("%s: out of memory moving the path to its new WWID", pi->devname);
		return;
	}
	w->devt = p->devt;
	w->uev = u;
	mpd_push_cfg(d, w);
}

/* Learn, while the path is healthy, whether its sysfs WWID is the map's. */
static void learn_form(struct path_ctx *c, const struct mp_path_info *pi, const char *key)
{
	char now[RECHECK_WWID_MAX];

	if (c->wwid_cmp >= 0 || sysfs_wwid(pi, now, sizeof(now)) < 0)
		return;
	c->wwid_cmp = !strcmp(now, key);
	if (!c->wwid_cmp)
		log_debug("%s: sysfs WWID %s is not in the form of %s, recheck_wwid cannot "
			  "compare them", pi->devname, now, key);
}

/* true: the path's WWID is no longer its map's (and the move is queued). */
static bool wwid_changed(struct mpd *d, struct mp_path *p, struct path_ctx *c,
			 const char *key)
{
	const struct mp_path_info *pi = mpd_load(&p->info);
	char now[RECHECK_WWID_MAX];
	int r;

	if (!pi || c->wwid_cmp == 0)
		return false;
	r = sysfs_wwid(pi, now, sizeof(now));
	if (r < 0) {
		log_debug("%s: cannot re-read the WWID: %s", pi->devname, strerror(-r));
		return false;
	}
	if (!strcmp(now, key)) {
		c->wwid_cmp = 1;
		return false;
	}
	if (c->wwid_cmp < 0 && !same_form(now, key))
		return false;
	log_warn("%s: WWID changed from %s to %s while the path was down, not reinstating it",
		 pi->devname, key, now);
	queue_moved(d, p, pi, key, now);
	return true;
}

/*---- purge_disconnected ----*/

/* The disk's diskseq ("" when the kernel has none: its dev number). */
static int disk_identity(const char *devname, char *buf, size_t len)
{
	const struct mp_sysfs_ops *ops = mp_backend()->sysfs;
	char dir[300];

	snprintf(dir, sizeof(dir), "/sys/block/%s", devname);
	if (!ops || !ops->read_attr)
		return -ENOTSUP;
	if (ops->read_attr(dir, "diskseq", buf, len) > 0)
		return 0;
	return ops->read_attr(dir, "dev", buf, len) > 0 ? 0 : -ENODEV;
}

static void queue_purge(struct mpd *d, struct mp_path *p, struct path_ctx *c)
{
	const struct mp_path_info *pi = mpd_load(&p->info);
	char id[64], *s = NULL;
	struct mpd_work *w;

	if (!pi || pi->bus != BUS_SCSI)
		return;
	c->purge_queued = true;         /* once per path, whatever happens */
	if (disk_identity(pi->devname, id, sizeof(id)) < 0) {
		log_warn("%s: disconnected, but its sysfs device is gone; not purging",
			 pi->devname);
		return;
	}
	w = mpd_work_new(W_PATH_PURGE, "@purge");
	if (!w || asprintf(&s, "%s %s", pi->devname, id) < 0) {
		mpd_work_finish(w, -ENOMEM);
		return;
	}
	w->devt = p->devt;
	w->str = s;
	log_notice("%s: logical unit disconnected, purging the device", pi->devname);
	mpd_push_cfg(d, w);
}

int mpd_purge_run(struct mpd *d, struct mpd_work *w)
{
	const struct mp_sysfs_ops *ops = mp_backend()->sysfs;
	char name[128], want[64], id[64], dir[300];
	int r;

	mpd_assert_none_held();
	if (!w->str || sscanf(w->str, "%127s %63s", name, want) != 2 || !ops || !ops->write_attr)
		return -EINVAL;
	/* the name may belong to another disk by now */
	if (disk_identity(name, id, sizeof(id)) < 0 || strcmp(id, want) != 0) {
		log_info("%s: gone or reused before the purge, leaving it alone", name);
		return -ESTALE;
	}
	snprintf(dir, sizeof(dir), "/sys/block/%s/device", name);
	r = ops->write_attr(dir, "delete", "1");
	if (r < 0)
		return log_error_errno(r, "%s: cannot delete the disconnected device: %s", name,
				       strerror(-r));
	log_notice("%s: disconnected device deleted", name);
	return 0;
}

/*---- the verdict ----*/

int mpd_recheck_verdict(struct mpd_health *h, struct mp_path *p, struct path_ctx *c,
			const char *key, int st)
{
	bool back;

	if (c->wwid_moved)
		return PATH_DOWN;       /* leaving its map; the cfg item is queued */
	if (st == PATH_DISCONNECTED) {
		if (c->purge_disconnected && !c->purge_queued)
			queue_purge(h->d, p, c);
		return st;
	}
	if (!c->recheck_wwid || !mp_chk_state_usable(st))
		return st;
	back = !mp_chk_state_usable(mpd_load(&p->chk_state)) ||
	       mpd_load(&p->dm_state) == DMP_FAILED;
	if (!back) {
		learn_form(c, mpd_load(&p->info), key);
		return st;
	}
	if (!wwid_changed(h->d, p, c, key))
		return st;
	c->wwid_moved = true;
	return PATH_DOWN;
}
