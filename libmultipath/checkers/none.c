// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * none: no I/O.  The verdict is what the kernel already says in sysfs: the
 * SCSI device `state` (running → up, offline/blocked/… → down) or the NVMe
 * controller state (live → up).  No attribute → up.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "checkers/internal.h"

static enum mp_chk_state none_start(struct mp_check *c)
{
	char dir[PATH_MAX], state[64];
	int r;

	snprintf(dir, sizeof(dir), "/sys/block/%s/device", c->devname);
	r = mp_backend()->sysfs->read_attr(dir, "state", state, sizeof(state));
	if (r <= 0) {
		chk_msg(c, "reports path is up (no state attribute)");
		return PATH_UP;
	}
	if (!strcmp(state, "running") || !strcmp(state, "live")) {
		chk_msg(c, "reports path is up (state %s)", state);
		return PATH_UP;
	}
	chk_msg(c, "reports path is down (state %s)", state);
	return PATH_DOWN;
}

const struct mp_checker_ops mp_checker_none = {
	.name = "none",
	.start = none_start,
};
