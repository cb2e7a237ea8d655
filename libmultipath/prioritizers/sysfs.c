// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sysfs: the ALUA state the kernel's scsi_dh_alua already tracks
 * (device/access_state, device/preferred_path), or the NVMe ANA state
 * (ana_state); no I/O.  Same values as alua.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "backend/backend.h"
#include "prioritizers/internal.h"

static int sysfs_prio(struct mp_prio_ctx *c)
{
	const struct mp_sysfs_ops *s = mp_backend()->sysfs;
	char dir[PATH_MAX], buf[64];
	enum mp_access_state st;
	bool pref = false;

	if (!c->pi->devname)
		return MP_PRIO_UNDEF;
	snprintf(dir, sizeof(dir), "/sys/block/%s/device", c->pi->devname);
	if (s->read_attr(dir, "access_state", buf, sizeof(buf)) <= 0) {
		snprintf(dir, sizeof(dir), "/sys/block/%s", c->pi->devname);
		if (s->read_attr(dir, "ana_state", buf, sizeof(buf)) <= 0)
			return MP_PRIO_UNDEF;
	}
	st = mp_access_state_from_string(buf);
	if (s->read_attr(dir, "preferred_path", buf, sizeof(buf)) > 0)
		pref = !strcmp(buf, "1");
	return prio_from_access(st, pref, strstr(c->args, "exclusive_pref_bit") != NULL);
}

const struct mp_prio_ops mp_prio_sysfs = { .name = "sysfs", .getprio = sysfs_prio };
