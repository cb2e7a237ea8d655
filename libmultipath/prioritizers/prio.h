/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Path prioritizers.  A prioritizer may block (it runs in a worker, never
 * in the event loop) but every command it sends is bounded by timeout_ms
 * (checker_timeout, else the device's sysfs timeout).  Each one is an ops
 * table in its own file plus one line in prio.c's registry.
 */
#ifndef MP_PRIORITIZERS_PRIO_H
#define MP_PRIORITIZERS_PRIO_H

#include <stdbool.h>

#include "discovery/pathinfo.h"

#define MP_PRIO_UNDEF (-1)

bool mp_prio_exists(const char *name);
const char *const *mp_prio_names(void);     /* NULL-terminated */

/* Priority of a path.  `fd` is an open fd of the block device, or -1 (the
 * prioritizer opens one when it needs I/O).  Returns >= 0, or
 * MP_PRIO_UNDEF when the prioritizer cannot tell (no ALUA, I/O failed,
 * unknown name, bad args). */
int mp_prio_get(const char *name, const char *args, const struct mp_path_info *pi, int fd,
		int timeout_ms);

/* The path's ALUA state asked of the target (INQUIRY, VPD 0x83, REPORT
 * TARGET PORT GROUPS), for when sysfs may not know it yet: the kernel's
 * handler learns it asynchronously after the disk appears.  0 or -errno
 * (-EOPNOTSUPP: no ALUA). */
int mp_alua_query(const struct mp_path_info *pi, int timeout_ms,
		  enum mp_access_state *ret_state, bool *ret_pref);

/* iet reads /dev/disk/by-path; tests point it elsewhere. */
void mp_prio_iet_set_bypath_dir(const char *dir);

#endif
