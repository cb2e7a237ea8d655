/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the files of discovery/ (not an interface). */
#ifndef MP_DISCOVERY_INTERNAL_H
#define MP_DISCOVERY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "discovery/pathinfo.h"

/* Attribute read through the backend; strlen or -errno. */
int pi_attr(const char *dir, const char *attr, char *buf, size_t len);
/* strdup of an attribute, NULL when missing or empty. */
char *pi_attr_dup(const char *dir, const char *attr);
/* The same as the string pool's copy (util/strpool.h), for the values the
 * paths of a model, host or port share. */
const char *pi_attr_intern(const char *dir, const char *attr);
int pi_attr_int(const char *dir, const char *attr, int *ret);
/* Canonical path of a sysfs link, or -errno. */
int pi_resolve(const char *path, char *buf, size_t len);

/* Transport facts of a SCSI path: protocol, FC/iSCSI/SAS names, HBA PCI
 * address.  `devpath` is the resolved /sys/block/sdX/device. */
void pi_scsi_transport(struct mp_path_info *pi, const char *devpath);
/* Kernel `wwid` attribute text ("naa.…", "eui.…", "t10.…") → WWID. */
int pi_wwid_from_kernel(const char *kw, char *buf, size_t len);

/* mkdir the directory of a state file (one level, like /etc/multipath). */
int mp_files_mkdir_parent(const char *file);

/* fd of the file now at `file`, flock(2)ed: for writing (created if
 * missing, O_APPEND, LOCK_EX) or for reading (LOCK_SH; -ENOENT when there
 * is no file).  Retries when a writer renamed a new file over it. */
int mp_files_lock(const char *file, bool write);
/* Whole content from offset 0. */
int mp_files_read_fd(int fd, char **ret);
/* Append `line` under the exclusive lock of `fd`, preceded by `header`
 * when the file is empty and by a newline when its last line lacks one;
 * data synced; on failure the file is cut back to its old length. */
int mp_files_append(int fd, const char *header, const char *line);

/* What a cache knows about the file it was filled from.  It keeps that
 * inode open (its own open file description, not sharing the flock) so
 * its number cannot be reused by a later file. */
struct mp_file_cache {
	char *path;
	int fd; /* the pin; -1 if none */
	bool valid;
	struct stat st;
};
void mp_file_cache_init(struct mp_file_cache *c);
void mp_file_cache_done(struct mp_file_cache *c);
/* True when the cache was filled from `file` and the file behind `fd` is
 * still that one, unchanged since (dev, inode, size, mtime, ctime). */
bool mp_file_cache_fresh(const struct mp_file_cache *c, const char *file, int fd);
/* Record that the cache now reflects `file` as behind `fd`, or, with
 * fd < 0, that it reflects nothing. */
int mp_file_cache_set(struct mp_file_cache *c, const char *file, int fd);

#endif
