/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The device-mapper side of kpartx, on libdevmapper directly: identify a
 * DM parent, list the partition maps that belong to a parent, create or
 * reload one linear map, remove one map.  Create, resume and remove carry
 * a udev cookie and wait for udev when syncing is on (-s, the default).
 */
#ifndef KPARTX_DEVMAP_H
#define KPARTX_DEVMAP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define DMP_NAME_MAX 128
#define DMP_UUID_MAX 129

struct dmp_map {
	char name[DMP_NAME_MAX];
	char uuid[DMP_UUID_MAX];
	int partno;
	uint64_t size, offset;  /* 512-byte sectors */
	int open_count;
	bool ro;
	dev_t devt;             /* the map itself */
	dev_t under;            /* the device its linear target maps to */
};

void dmp_set_sync(bool sync);
/* 1 and the DM name/uuid if devt is a DM device, 0 if not, <0 on error. */
int dmp_parent_info(dev_t devt, char *name, size_t nlen, char *uuid, size_t ulen);
/* Device number of a map by name: 0, -ENOENT or -EIO. */
int dmp_devt(const char *name, dev_t *ret);
/*
 * Maps that are partitions of parent: a single linear target on parent (or
 * on another partition map of parent: sub-labels stacked on their slice) and
 * either UUID "part<N>-<parent_uuid>" (parent_uuid non-empty) or the name
 * "<prefix><N>".  *ret is malloc()ed, sorted by descending partno.
 */
int dmp_list_parts(dev_t parent, const char *parent_uuid, const char *prefix,
		   struct dmp_map **ret, int *ret_n);
/* Create the map as a linear map on `parent` (the parent device or a
 * container partition's map), or reload it when its table differs.
 * Returns 0 unchanged, 1 created, 2 reloaded, <0 error. */
int dmp_ensure(const char *name, const char *uuid, dev_t parent,
	       uint64_t offset, uint64_t size, bool ro);
int dmp_remove(const char *name);
/* 1 if the map's (multipath) table lists feature `feat`, else 0. */
int dmp_has_feature(const char *name, const char *feat);
/* Open count of a map by name, <0 on error. */
int dmp_open_count(const char *name);

#endif
