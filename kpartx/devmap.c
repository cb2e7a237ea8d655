// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libdevmapper calls for kpartx.  Each operation is one dm_task; create,
 * resume and remove ask for a udev cookie so that with syncing on the
 * caller returns only after udev has made (or removed) /dev/mapper nodes
 * and symlinks, which is what the udev rule running `kpartx -u` relies on.
 */
#include <errno.h>
#include <inttypes.h>
#include <libdevmapper.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "kpartx/devmap.h"
#include "util/log.h"
#include "util/util.h"

static bool dmp_sync = true;

DEFINE_TRIVIAL_CLEANUP_FUNC(struct dm_task *, dm_task_destroy);

void dmp_set_sync(bool sync)
{
	dmp_sync = sync;
	dm_udev_set_sync_support(sync ? 1 : 0);
}

/* Run a task that changes devices, with a udev cookie. */
static int run_cookie(struct dm_task *dmt)
{
	uint32_t cookie = 0;
	int ok;

	if (!dm_task_set_cookie(dmt, &cookie, 0))
		return -EIO;
	ok = dm_task_run(dmt);
	dm_udev_wait(cookie);
	return ok ? 0 : -EIO;
}

int dmp_parent_info(dev_t devt, char *name, size_t nlen, char *uuid, size_t ulen)
{
	_cleanup_(dm_task_destroyp) struct dm_task *dmt = NULL;
	struct dm_info info;
	const char *s;

	if (!dm_is_dm_major(major(devt)))
		return 0;
	dmt = dm_task_create(DM_DEVICE_INFO);
	if (!dmt || !dm_task_set_major(dmt, (int)major(devt)) ||
	    !dm_task_set_minor(dmt, (int)minor(devt)) || !dm_task_run(dmt) ||
	    !dm_task_get_info(dmt, &info) || !info.exists)
		return -ENODEV;
	s = dm_task_get_name(dmt);
	strlcpy_mp(name, s ? s : "", nlen);
	s = dm_task_get_uuid(dmt);
	strlcpy_mp(uuid, s ? s : "", ulen);
	return 1;
}

/* A single linear target: fills m (name, uuid, size, offset, devices). */
static int read_linear(const char *name, struct dmp_map *m)
{
	_cleanup_(dm_task_destroyp) struct dm_task *dmt = NULL;
	uint64_t start, len;
	char *type = NULL, *params = NULL;
	unsigned maj, min;
	unsigned long long off;
	struct dm_info info;
	const char *u;
	void *next;

	dmt = dm_task_create(DM_DEVICE_TABLE);
	if (!dmt || !dm_task_set_name(dmt, name) || !dm_task_run(dmt) ||
	    !dm_task_get_info(dmt, &info) || !info.exists)
		return 0;
	next = dm_get_next_target(dmt, NULL, &start, &len, &type, &params);
	if (next || !type || strcmp(type, "linear") || !params || start != 0)
		return 0;
	if (sscanf(params, "%u:%u %llu", &maj, &min, &off) != 3)
		return 0;
	memset(m, 0, sizeof(*m));
	strlcpy_mp(m->name, name, sizeof(m->name));
	u = dm_task_get_uuid(dmt);
	strlcpy_mp(m->uuid, u ? u : "", sizeof(m->uuid));
	m->size = len;
	m->offset = off;
	m->open_count = info.open_count;
	m->ro = info.read_only;
	m->devt = makedev(info.major, info.minor);
	m->under = makedev(maj, min);
	return 1;
}

static int map_on(const char *name, dev_t under, struct dmp_map *m)
{
	return read_linear(name, m) && m->under == under;
}

/* Partition number from "<prefix><N>" or "part<N>-<uuid>", else 0. */
static int ours(const struct dmp_map *m, const char *parent_uuid,
		const char *prefix)
{
	size_t pl = strlen(prefix);
	int no;
	char tail;

	if (parent_uuid && *parent_uuid &&
	    sscanf(m->uuid, "part%d%c", &no, &tail) == 2 && tail == '-' &&
	    no > 0 && !strcmp(strchr(m->uuid, '-') + 1, parent_uuid))
		return no;
	if (!strncmp(m->name, prefix, pl) && m->name[pl] >= '1' &&
	    m->name[pl] <= '9' && strspn(m->name + pl, "0123456789") ==
	    strlen(m->name + pl) && parse_int(m->name + pl, &no) == 0)
		return no;
	return 0;
}

static int cmp_partno_desc(const void *a, const void *b)
{
	return ((const struct dmp_map *)b)->partno -
	       ((const struct dmp_map *)a)->partno;
}

/* Every DM device with a single linear target. */
static int list_linear(struct dmp_map **ret, int *ret_n)
{
	_cleanup_(dm_task_destroyp) struct dm_task *dmt = NULL;
	struct dmp_map *maps = NULL, m;
	struct dm_names *nm;
	int n = 0;

	dmt = dm_task_create(DM_DEVICE_LIST);
	if (!dmt || !dm_task_run(dmt) || !(nm = dm_task_get_names(dmt)))
		return -EIO;
	while (nm->dev) {
		if (read_linear(nm->name, &m)) {
			struct dmp_map *t = realloc(maps, sizeof(*maps) * (n + 1));

			if (!t) {
				free(maps);
				return -ENOMEM;
			}
			maps = t;
			maps[n++] = m;
		}
		if (!nm->next)
			break;
		nm = (struct dm_names *)((char *)nm + nm->next);
	}
	*ret = maps;
	*ret_n = n;
	return 0;
}

static bool under_kept(const struct dmp_map *all, int n, dev_t under)
{
	for (int i = 0; i < n; i++)
		if (all[i].partno > 0 && all[i].devt == under)
			return true;
	return false;
}

int dmp_list_parts(dev_t parent, const char *parent_uuid, const char *prefix,
		   struct dmp_map **ret, int *ret_n)
{
	struct dmp_map *all = NULL;
	int nall = 0, n = 0, r;

	r = list_linear(&all, &nall);
	if (r < 0)
		return r;
	/* maps on the parent, then maps stacked on those (sub-labels) */
	for (int i = 0; i < nall; i++)
		all[i].partno = all[i].under == parent ?
			ours(&all[i], parent_uuid, prefix) : 0;
	for (int i = 0; i < nall; i++)
		if (!all[i].partno && under_kept(all, nall, all[i].under))
			all[i].partno = ours(&all[i], parent_uuid, prefix);
	for (int i = 0; i < nall; i++)
		if (all[i].partno > 0)
			all[n++] = all[i];
	if (n)
		qsort(all, n, sizeof(*all), cmp_partno_desc);
	*ret = all;
	*ret_n = n;
	return 0;
}

int dmp_devt(const char *name, dev_t *ret)
{
	_cleanup_(dm_task_destroyp) struct dm_task *dmt = NULL;
	struct dm_info info;

	dmt = dm_task_create(DM_DEVICE_INFO);
	if (!dmt || !dm_task_set_name(dmt, name) || !dm_task_run(dmt) ||
	    !dm_task_get_info(dmt, &info))
		return -EIO;
	if (!info.exists)
		return -ENOENT;
	*ret = makedev(info.major, info.minor);
	return 0;
}

static int load_table(int cmd, const char *name, const char *uuid, dev_t parent,
		      uint64_t offset, uint64_t size, bool ro)
{
	_cleanup_(dm_task_destroyp) struct dm_task *dmt = NULL;
	char params[64];

	snprintf(params, sizeof(params), "%u:%u %" PRIu64, major(parent),
		 minor(parent), offset);
	dmt = dm_task_create(cmd);
	if (!dmt || !dm_task_set_name(dmt, name) ||
	    (uuid && *uuid && cmd == DM_DEVICE_CREATE &&
	     !dm_task_set_uuid(dmt, uuid)) ||
	    (ro && !dm_task_set_ro(dmt)) ||
	    !dm_task_add_target(dmt, 0, size, "linear", params))
		return -ENOMEM;
	if (cmd == DM_DEVICE_CREATE)
		return run_cookie(dmt);
	return dm_task_run(dmt) ? 0 : -EIO;
}

static int resume(const char *name)
{
	_cleanup_(dm_task_destroyp) struct dm_task *dmt = NULL;

	dmt = dm_task_create(DM_DEVICE_RESUME);
	if (!dmt || !dm_task_set_name(dmt, name))
		return -ENOMEM;
	return run_cookie(dmt);
}

int dmp_ensure(const char *name, const char *uuid, dev_t parent,
	       uint64_t offset, uint64_t size, bool ro)
{
	struct dmp_map cur = { 0 };
	int r;

	/* INFO first: TABLE on a missing map makes libdevmapper complain */
	r = dmp_open_count(name);
	if (r == -ENOENT) {
		r = load_table(DM_DEVICE_CREATE, name, uuid, parent, offset, size, ro);
		return r < 0 ? r : 1;
	}
	if (!map_on(name, parent, &cur)) {
		log_err("%s: exists but is not a linear map on %u:%u", name,
			major(parent), minor(parent));
		return -EEXIST;
	}
	if (cur.offset == offset && cur.size == size && cur.ro == ro)
		return 0;
	r = load_table(DM_DEVICE_RELOAD, name, uuid, parent, offset, size, ro);
	if (r < 0)
		return r;
	r = resume(name);
	return r < 0 ? r : 2;
}

int dmp_remove(const char *name)
{
	_cleanup_(dm_task_destroyp) struct dm_task *dmt = NULL;

	dmt = dm_task_create(DM_DEVICE_REMOVE);
	if (!dmt || !dm_task_set_name(dmt, name))
		return -ENOMEM;
	return run_cookie(dmt);
}

int dmp_open_count(const char *name)
{
	_cleanup_(dm_task_destroyp) struct dm_task *dmt = NULL;
	struct dm_info info;

	dmt = dm_task_create(DM_DEVICE_INFO);
	if (!dmt || !dm_task_set_name(dmt, name) || !dm_task_run(dmt) ||
	    !dm_task_get_info(dmt, &info))
		return -EIO;
	if (!info.exists)
		return -ENOENT;
	return info.open_count;
}

int dmp_has_feature(const char *name, const char *feat)
{
	_cleanup_(dm_task_destroyp) struct dm_task *dmt = NULL;
	uint64_t start, len;
	char *type = NULL, *params = NULL;
	size_t fl = strlen(feat);

	dmt = dm_task_create(DM_DEVICE_TABLE);
	if (!dmt || !dm_task_set_name(dmt, name) || !dm_task_run(dmt))
		return 0;
	dm_get_next_target(dmt, NULL, &start, &len, &type, &params);
	if (!type || strcmp(type, "multipath") || !params)
		return 0;
	/* features come first: "<count> f1 f2 ..." as whole words */
	for (const char *p = params; (p = strstr(p, feat)); p += fl)
		if ((p == params || p[-1] == ' ') && (p[fl] == ' ' || !p[fl]))
			return 1;
	return 0;
}
