/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Path and group states shared by checkers, the daemon and the printers. */
#ifndef MP_TOPOLOGY_STATE_H
#define MP_TOPOLOGY_STATE_H

/* Checker verdicts (the %T column). */
enum mp_chk_state {
	PATH_WILD,              /* never looked at */
	PATH_UNCHECKED,         /* checker could not run */
	PATH_DOWN,
	PATH_UP,
	PATH_SHAKY,
	PATH_GHOST,             /* standby/passive: usable after a group switch */
	PATH_PENDING,           /* check in flight */
	PATH_TIMEOUT,
	PATH_REMOVED,
	PATH_DELAYED,           /* up, but held back (san_path_err, marginal) */
	PATH_DISCONNECTED,      /* target says LUN is gone for good */
	_PATH_MAX,
};
const char *mp_chk_state_to_string(enum mp_chk_state s);    /* "ready", "faulty", … */
/* up or ghost: the path counts for its group's priority */
static inline int mp_chk_state_usable(enum mp_chk_state s)
{
	return s == PATH_UP || s == PATH_GHOST;
}

/* What the kernel's table/status says of a path (%t). */
enum mp_dm_path_state { DMP_UNKNOWN, DMP_ACTIVE, DMP_FAILED };
const char *mp_dm_path_state_to_string(enum mp_dm_path_state s); /* "active", "failed", "undef" */

enum mp_pg_state { PGS_UNDEF, PGS_ENABLED, PGS_DISABLED, PGS_ACTIVE };
const char *mp_pg_state_to_string(enum mp_pg_state s);   /* "enabled", "disabled", "active", "undef" */

#endif
