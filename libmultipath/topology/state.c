// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Names of path and group states, as the printers and the CLI show them.
 * The words match what users of the incumbent tools grep for.
 */
#include <stddef.h>

#include "topology/state.h"
#include "util/macro.h"

static const char *const chk_state_names[_PATH_MAX] = {
	[PATH_WILD] = "undef",
	[PATH_UNCHECKED] = "unchecked",
	[PATH_DOWN] = "faulty",
	[PATH_UP] = "ready",
	[PATH_SHAKY] = "shaky",
	[PATH_GHOST] = "ghost",
	[PATH_PENDING] = "i/o pending",
	[PATH_TIMEOUT] = "i/o timeout",
	[PATH_REMOVED] = "removed",
	[PATH_DELAYED] = "delayed",
	[PATH_DISCONNECTED] = "disconnected",
};

const char *mp_chk_state_to_string(enum mp_chk_state s)
{
	if ((unsigned int)s >= ARRAY_SIZE(chk_state_names) || !chk_state_names[s])
		return "undef";
	return chk_state_names[s];
}

const char *mp_dm_path_state_to_string(enum mp_dm_path_state s)
{
	switch (s) {
	case DMP_ACTIVE:
		return "active";
	case DMP_FAILED:
		return "failed";
	default:
		return "undef";
	}
}

const char *mp_pg_state_to_string(enum mp_pg_state s)
{
	switch (s) {
	case PGS_ENABLED:
		return "enabled";
	case PGS_DISABLED:
		return "disabled";
	case PGS_ACTIVE:
		return "active";
	default:
		return "undef";
	}
}
