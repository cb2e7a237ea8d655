/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the files of discovery/ (not an interface). */
#ifndef MP_DISCOVERY_INTERNAL_H
#define MP_DISCOVERY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "discovery/pathinfo.h"

/* Attribute read through the backend; strlen or -errno. */
int pi_attr(const char *dir, const char *attr, char *buf, size_t len);
/* strdup of an attribute, NULL when missing or empty. */
char *pi_attr_dup(const char *dir, const char *attr);
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

#endif
